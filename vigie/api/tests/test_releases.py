"""Statistics releases through the API: published numbers for the analysts, nothing below the
threshold, never a case file."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from vigie.api.scopes import ApiScope
from vigie.audit.models import AuditEvent
from vigie.identification.models import Screening
from vigie.monitoring.models import ReleaseStatus
from vigie.rights.models import RightItem
from vigie.tests_support.api import api_client, api_client_for, token_for, without_tokens
from vigie.tests_support.factories_releases import release_published
from vigie.tests_support.factories_rights import RightItemFactory

pytestmark = pytest.mark.django_db

RELEASES = "/api/v1/releases"
METADATA = {"mechanism": "Gaussian (zCDP), OpenDP", "privacy_unit": "one case file"}


@pytest.fixture
def release():
    """Forced begging: 40 girls and 3 boys, so the boys' cell is below the threshold of 11."""
    return release_published(
        name="Bilan 2025",
        tables={("form", "gender"): {("forced_begging", "girl"): 40, ("forced_begging", "boy"): 3}},
        metadata=METADATA,
    )


def _analyst(users, org="a"):
    return api_client_for(users[("analyst", org)])


def test_the_list_shows_published_releases_newest_first_by_pages(users):
    now = timezone.now()
    published = [
        release_published(tables={("gender",): {"girl": 20}}, name=f"R{i}") for i in range(3)
    ]
    for position, release in enumerate(published):
        type(release).objects.filter(pk=release.pk).update(
            created_at=now - timedelta(days=10 - position)
        )
    release_published(
        tables={("gender",): {"girl": 20}}, name="En calcul", status=ReleaseStatus.RUNNING
    )
    client = _analyst(users)

    seen, after = [], None
    while True:
        response = client.get(RELEASES, {"limit": 2, **({"after": after} if after else {})})
        assert response.status_code == 200
        body = response.json()
        seen += [item["name"] for item in body["items"]]
        if body["next"] is None:
            break
        after = body["next"]

    assert seen == ["R2", "R1", "R0"]
    assert set(body["items"][0]) >= {"uuid", "epsilon", "delta", "threshold", "reference_date"}


def test_a_bad_cursor_or_limit_is_a_422_naming_it(users, release):
    client = _analyst(users)
    response = client.get(RELEASES, {"after": "9b1f4a0e-0000-4000-8000-000000000000"})
    assert (response.status_code, response.json()["field"]) == (422, "after")
    response = client.get(RELEASES, {"limit": 201})
    assert (response.status_code, response.json()["field"]) == (422, "limit")


def test_a_release_gives_its_metadata_and_list_of_tables(users, release):
    response = _analyst(users).get(f"{RELEASES}/{release.uuid}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Bilan 2025"
    assert (body["epsilon"], body["delta"], body["threshold"]) == (1.0, 1e-6, 11)
    assert body["mechanism"] == "Gaussian (zCDP), OpenDP"
    assert body["metadata"]["privacy_unit"] == "one case file"
    tables = {table["id"]: table for table in body["tables"]}
    assert set(tables) == {"total", "form", "gender", "form,gender"}
    assert tables["form,gender"]["measured"] is True
    assert tables["total"]["measured"] is False
    assert [d["code"] for d in tables["form,gender"]["dimensions"]] == ["form", "gender"]
    assert tables["form,gender"]["dimensions"][0]["label"] == "Form of exploitation"
    # Releases cover every organisation together: any analyst reads any of them.
    other = _analyst(users, "b").get(f"{RELEASES}/{release.uuid}", HTTP_ACCEPT_LANGUAGE="en")
    assert other.json() == body
    # Reading metadata is not a download: not audited, as on the page.
    assert not AuditEvent.objects.filter(action="release.download").exists()


def test_a_table_gives_its_cells_and_never_a_number_below_the_threshold(users, release):
    analyst = users[("analyst", "a")]
    client = api_client_for(analyst)

    response = client.get(f"{RELEASES}/{release.uuid}/tables/gender,form")

    assert response.status_code == 200
    table = response.json()
    assert table["id"] == "form,gender"
    assert table["threshold"] == 11
    cells = {tuple(cell["key"]): cell for cell in table["cells"]}
    girls = cells[("forced_begging", "girl")]
    assert (girls["count"], girls["suppressed"]) == (40, False)
    assert girls["low_95"] <= 40 <= girls["high_95"]
    boys = cells[("forced_begging", "boy")]
    assert boys == {
        **boys,
        "count": None,
        "low_95": None,
        "high_95": None,
        "suppressed": True,
    }
    assert all(cell["count"] is None for cell in table["cells"] if cell["suppressed"])
    assert all(len(cell["labels"]) == 2 for cell in table["cells"])
    # The raw count of a suppressed cell appears nowhere in the answer.
    assert '"count": 3' not in json.dumps(table)
    total = client.get(f"{RELEASES}/{release.uuid}/tables/total").json()
    assert [cell["count"] for cell in total["cells"]] == [43]
    # Audited as the page's downloads are.
    events = list(AuditEvent.objects.filter(action="release.download"))
    assert len(events) == 2
    assert all(without_tokens(e.object_uuids) == [str(release.uuid)] for e in events)
    assert all(e.actor_uuid == analyst.uuid and e.role == "analyst" for e in events)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("tables/form,year", 404),
        ("tables/nationality", 404),
        ("tables/form,gender,year", 422),
        ("tables/Form", 422),
    ],
)
def test_a_table_the_release_does_not_have_is_404_a_malformed_one_422(users, release, path, status):
    response = _analyst(users).get(f"{RELEASES}/{release.uuid}/{path}")
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action="release.download").exists()


def test_a_release_not_published_or_unknown_is_404(users):
    running = release_published(tables={("gender",): {"girl": 20}}, status=ReleaseStatus.RUNNING)
    client = _analyst(users)
    for url in (
        f"{RELEASES}/{running.uuid}",
        f"{RELEASES}/{running.uuid}/tables/gender",
        f"{RELEASES}/9b1f4a0e-0000-4000-8000-000000000000",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("role", ["caseworker", "coordinator", "org_admin"])
def test_no_case_role_can_get_the_scope_nor_read_releases(users, release, role):
    user = users[(role, "a")]
    with pytest.raises(ValidationError) as refused:
        token_for(user, scopes=[ApiScope.RELEASES_READ])
    assert list(refused.value.message_dict) == ["scopes"]
    client = api_client_for(user)  # every scope the role allows
    for url in (RELEASES, f"{RELEASES}/{release.uuid}", f"{RELEASES}/{release.uuid}/tables/total"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["code"] == "insufficient_scope"


def test_an_analyst_reaches_no_case_endpoint(users, case_a):
    """A caseworker's token kept after becoming an analyst opens no file: the role no longer
    allows the token's scopes, refused before any file is looked up; nothing is written."""
    RightItemFactory(case=case_a)
    user = users[("caseworker", "a")]
    _token, secret = token_for(user)
    user.role = "analyst"
    user.save()
    client = api_client(secret)
    base = f"/api/v1/cases/{case_a.uuid}"

    def send(method, url, body=None):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")

    answers = {
        "read": client.get(base),
        "update": send("patch", base, {"version": 1, "first_name": "Awa"}),
        "screenings": client.get(f"{base}/screenings"),
        "screen": send("post", f"{base}/screenings", {"age": 15}),
        "rights": client.get(f"{base}/rights"),
        "right": send("patch", f"{base}/rights/ad_hoc_administrator", {"state": "in_progress"}),
    }

    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(answers, 403)
    assert {r.json()["code"] for r in answers.values()} == {"insufficient_scope"}
    case_a.refresh_from_db()
    assert (case_a.first_name, case_a.version) == ("Aminata", 1)
    assert not Screening.objects.exists()
    assert RightItem.objects.get(case=case_a).state == "to_do"
