"""Release pages and the command line: request, follow, read, download; analysts never see rows."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.core.tests.url_matrix import API_NAMESPACE
from vigie.monitoring.models import LedgerEntry, Release, ReleaseStatus
from vigie.tests_support.case_urls import case_url_kwargs
from vigie.tests_support.factories import CaseFactory

FORM = {
    "name": "Bilan 2026",
    "preset": "custom",
    "custom_tables": "gender,unaccompanied; total",
    "epsilon": "1",
    "delta": "1e-6",
    "threshold": "11",
}


@pytest.fixture(autouse=True)
def _ledger(settings):
    settings.VIGIE_PRIVACY_YEARLY_EPSILON = 3.0


@pytest.fixture
def files(org_a, org_b):
    CaseFactory._meta.model.objects.bulk_create(
        CaseFactory.build(
            organisation=org_a if i % 2 else org_b, reference=f"P-{i}", unaccompanied=i % 3 == 0
        )
        for i in range(300)
    )


def test_an_analyst_requests_a_release_and_reads_it(
    files, users, client_for, django_capture_on_commit_callbacks
):
    analyst = client_for(users[("analyst", "a")])
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst.post(reverse("monitoring:release_create"), FORM)

    release = Release.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:release_detail", args=[release.uuid])
    # Enqueued once committed; the test settings run tasks at once: already computed.
    assert release.status == ReleaseStatus.PUBLISHED
    page = analyst.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "&lt; 11" in content  # genders "other" and "not known": no file, below the threshold
    assert "ε = 1" in content

    csv_text = analyst.get(reverse("monitoring:release_csv", args=[release.uuid])).content
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("table;dimension_1;value_1")
    assert any(line.split(";")[7] == "< 11" for line in lines[1:])
    document = json.loads(
        analyst.get(reverse("monitoring:release_json", args=[release.uuid])).content
    )
    assert document["metadata"]["mechanism"].startswith("Gaussian")
    assert {"epsilon", "delta", "threshold", "query", "published_at"} <= set(document["metadata"])
    downloads = AuditEvent.objects.filter(action=AuditAction.RELEASE_DOWNLOAD).count()
    assert downloads == 2


def test_the_progress_fragment_polls_while_computing_and_refreshes_when_done(users, client_for):
    analyst = client_for(users[("analyst", "a")])
    release = Release.objects.create(
        name="En cours",
        epsilon=1,
        delta=1e-6,
        spec=[["gender"]],
        reference_date="2026-01-01",
        status=ReleaseStatus.RUNNING,
        progress=42,
        progress_step="Reading the files",
    )
    url = reverse("monitoring:release_progress", args=[release.uuid])
    running = analyst.get(url)
    assert 'hx-trigger="every 2s"' in running.content.decode()
    assert 'value="42"' in running.content.decode()
    assert "HX-Refresh" not in running
    as_json = analyst.get(url, HTTP_ACCEPT="application/json").json()
    assert as_json == {"status": "running", "progress": 42, "step": "Reading the files"}
    # No download before publication.
    assert analyst.get(reverse("monitoring:release_csv", args=[release.uuid])).status_code == 404

    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.FAILED)
    done = analyst.get(url)
    assert done["HX-Refresh"] == "true"


def test_an_overspending_request_is_refused_on_the_form(files, users, client_for):
    analyst = client_for(users[("analyst", "a")])
    response = analyst.post(reverse("monitoring:release_create"), {**FORM, "epsilon": "5"})
    assert response.status_code == 422
    assert not Release.objects.exists() and not LedgerEntry.objects.exists()
    response = analyst.post(reverse("monitoring:release_create"), {**FORM, "epsilon": "2.5"})
    assert response.status_code == 302
    response = analyst.post(reverse("monitoring:release_create"), {**FORM, "epsilon": "1"})
    assert response.status_code == 422
    assert "0.5" in response.content.decode()  # what is left is said
    assert Release.objects.count() == 1


def test_a_bad_table_list_is_named_on_the_form(users, client_for):
    analyst = client_for(users[("analyst", "a")])
    response = analyst.post(
        reverse("monitoring:release_create"), {**FORM, "custom_tables": "gender,shoe_size"}
    )
    assert response.status_code == 422
    assert "shoe_size" in response.content.decode()
    assert not Release.objects.exists()


def _case_url_names() -> list[str]:
    """Every page whose pattern names a case (case_uuid), across all apps. (The API's operations
    open with a token, never a session: vigie/api/tests/test_releases.py checks that an analyst's
    token reaches no case operation.)"""
    names: list[str] = []

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver) and pattern.namespace == API_NAMESPACE:
                continue
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif (
                isinstance(pattern, URLPattern)
                and pattern.name
                and "case_uuid" in pattern.pattern.regex.groupindex
            ):
                names.append(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def test_analysts_get_404_on_every_case_url(users, client_for, org_a):
    """Monitoring analysts see releases only: every page of a case of their own organisation
    answers 404, as if the file did not exist, for reading and for writing."""
    case = CaseFactory(organisation=org_a)
    analyst = client_for(users[("analyst", "a")])
    names = _case_url_names()
    # The walk found the case pages of every app that has some.
    assert {name.split(":")[0] for name in names} >= {
        "cases",
        "identification",
        "rights",
        "network",
    }
    for name in names:
        url = reverse(name, kwargs=case_url_kwargs(name, case))
        assert analyst.get(url).status_code == 404, name
        assert analyst.post(url, {}).status_code == 404, name


def test_the_command_writes_the_release_files(files, users, tmp_path, capsys):
    call_command(
        "release",
        "create",
        "--epsilon",
        "1",
        "--tables",
        "pairs:gender,unaccompanied",
        "--out",
        str(tmp_path),
        "--name",
        "Bilan CLI",
        "--seed",
        "7",
    )
    written = sorted(path.suffix for path in tmp_path.iterdir())
    assert written == [".csv", ".json"]
    document = json.loads(next(tmp_path.glob("*.json")).read_text())
    assert document["metadata"]["query"]["tables"] == ("gender;unaccompanied;gender,unaccompanied")
    assert "100%" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--epsilon", "1", "--tables", "gender,shoe_size"], "--tables"),
        (["--epsilon", "0", "--tables", "gender"], "--epsilon"),
        (["--epsilon", "4", "--tables", "gender"], "--epsilon"),  # over the yearly 3
    ],
)
def test_the_command_names_the_bad_argument_and_writes_nothing(db, tmp_path, arguments, named):
    with pytest.raises(CommandError, match=named):
        call_command("release", "create", *arguments, "--out", str(tmp_path))
    assert not Release.objects.exists() and not list(tmp_path.iterdir())
