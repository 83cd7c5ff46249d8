"""The import pages over HTTP: upload, mapping, check, commit, progress and result, for each
target; who may open them (403, or 404 for a job that is not theirs to see); errors named by
line and column; nothing committed while a row is bad; CSRF on the upload."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from vigie.cases.models import Case
from vigie.imports import services
from vigie.imports.fields import import_fields
from vigie.imports.models import ImportJob, ImportMapping, ImportStatus
from vigie.network.models import DirectoryEntry
from vigie.tests_support.factories_documents import Upload
from vigie.tests_support.factories_imports import CASES_HEADER, CASES_MAPPING, case_rows, csv_bytes

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
MAPPING_POST = {f"column_{field}": header for field, header in CASES_MAPPING.items()}
DIRECTORY_CSV = (
    "name;kind;departement;needs\r\n"
    "Fictif — 115;siao;13;accommodation\r\n"
    "Fictif — UAPED;uaped;93;health\r\n"
).encode()


def _csv(rows: list[list[str]]) -> Upload:
    return Upload("dossiers.csv", csv_bytes(rows), "text/csv")


def _bad_rows(count: int = 12, *, bad_line: int = 7) -> list[list[str]]:
    """``count`` rows; the one on ``bad_line`` of the file (the header is line 1) has an
    impossible birth date."""
    rows = list(case_rows(count))
    rows[bad_line - 2][CASES_HEADER.index("Date de naissance")] = "31/02/2010"
    return rows


def _upload(client: Client, content: Upload, target: str = "cases") -> ImportJob:
    response = client.post(reverse(f"imports:{target}"), {"file": content})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("created_at")
    assert response["Location"] == reverse("imports:mapping", args=[job.uuid])
    return job


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def coordinator(users):
    return users[("coordinator", "a")]


@pytest.fixture
def client(coordinator, client_for) -> Client:
    return client_for(coordinator)


# --- Who may open what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "allowed"),
    [
        ("cases", {"coordinator"}),
        ("directory", {"coordinator", "org_admin"}),
        ("places", {"coordinator", "org_admin"}),
    ],
)
def test_each_upload_page_opens_for_the_roles_that_may_import_its_target(
    target, allowed, users, client_for
):
    for role in ("caseworker", "coordinator", "org_admin", "analyst"):
        response = client_for(users[(role, "a")]).get(reverse(f"imports:{target}"))
        assert response.status_code == (200 if role in allowed else 403), role
    response = client_for(users[("platform_admin", None)]).get(reverse(f"imports:{target}"))
    assert response.status_code == 403


def test_the_upload_page_has_a_labelled_file_input_naming_the_formats(client):
    page = client.get(reverse("imports:cases"))

    html = page.content.decode()
    assert '<label for="id_file">' in html
    assert 'accept=".csv,text/csv,.xlsx,' in html
    assert "CSV" in html and "XLSX" in html
    # The fields that can be imported, with what each accepts.
    assert '<tr data-field="birth_date">' in html
    assert str(import_fields("cases")[0].help) in html


def test_another_organisations_job_is_a_404_on_every_page(users, client_for, client):
    other = client_for(users[("coordinator", "b")])
    job = _upload(other, _csv(list(case_rows(3))))

    for name in ("imports:mapping", "imports:preview", "imports:job", "imports:progress"):
        assert client.get(reverse(name, args=[job.uuid])).status_code == 404, name
    assert client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST).status_code == 404
    assert client.post(reverse("imports:commit", args=[job.uuid])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED and not job.columns


def test_a_job_of_a_target_one_may_not_import_is_a_404(users, client_for, client):
    """An organisation administrator keeps the directory, not children's files: a case import
    of their own organisation does not exist for them."""
    job = _upload(client, _csv(list(case_rows(3))))
    admin = client_for(users[("org_admin", "a")])

    assert admin.get(reverse("imports:mapping", args=[job.uuid])).status_code == 404
    assert admin.post(reverse("imports:commit", args=[job.uuid])).status_code == 404

    directory_job = _upload(admin, Upload("annuaire.csv", DIRECTORY_CSV, "text/csv"), "directory")
    caseworker = client_for(users[("caseworker", "a")])
    assert caseworker.get(reverse("imports:mapping", args=[directory_job.uuid])).status_code == 404
    assert admin.get(reverse("imports:mapping", args=[directory_job.uuid])).status_code == 200


def test_the_upload_checks_the_csrf_token(coordinator):
    """The upload view receives the file itself (its own upload handler), so it checks the token
    itself: without one, refused, and no job is kept."""
    from vigie.tests_support.auth import sign_in_directly

    strict = Client(enforce_csrf_checks=True)
    sign_in_directly(strict, coordinator)

    response = strict.post(reverse("imports:cases"), {"file": _csv(list(case_rows(2)))})

    assert response.status_code == 403
    assert not ImportJob.objects.exists()


# --- 1. Upload --------------------------------------------------------------------------------


def test_a_good_file_is_kept_encrypted_and_leads_to_the_mapping(client, org_a):
    content = csv_bytes(case_rows(5))

    job = _upload(client, Upload("dossiers.csv", content, "text/csv"))

    assert (job.organisation, job.target, job.filename) == (org_a, "cases", "dossiers.csv")
    assert job.status == ImportStatus.UPLOADED
    assert bytes(job.content) != content and b"Fictif" not in bytes(job.content)


@pytest.mark.parametrize(
    "content", [b"", b"\x89PNG\r\n\x1a\n\x00\x00", "Prénom;Nom\r\n".encode("utf-16")]
)
def test_an_unreadable_file_is_refused_on_the_file_field(client, content):
    response = client.post(
        reverse("imports:cases"), {"file": Upload("dossiers.csv", content, "text/csv")}
    )

    assert response.status_code == 422
    assert 'class="error" id="id_file_error"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_past_the_limit_is_refused_not_truncated(client, monkeypatch):
    """The upload keeps one byte past the limit, so the service says "too large" instead of
    reading a cut file."""
    import vigie.imports.readers
    import vigie.imports.views

    monkeypatch.setattr(vigie.imports.views, "IMPORT_UPLOAD_MAX_BYTES", 300)
    monkeypatch.setattr(vigie.imports.readers, "MAX_BYTES", 300)

    response = client.post(reverse("imports:cases"), {"file": _csv(list(case_rows(20)))}, **ENGLISH)

    assert response.status_code == 422
    assert "too large" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_page_lists_the_organisations_recent_imports_only(users, client_for, client):
    _upload(client, Upload("mes-dossiers.csv", csv_bytes(case_rows(2)), "text/csv"))
    _upload(
        client_for(users[("coordinator", "b")]),
        Upload("autres-dossiers.csv", csv_bytes(case_rows(2)), "text/csv"),
    )

    page = client.get(reverse("imports:cases")).content.decode()

    assert "mes-dossiers.csv" in page and "autres-dossiers.csv" not in page
    assert '<table id="import-jobs">' in page and "<caption>" in page


# --- 2. Mapping -------------------------------------------------------------------------------


def test_the_mapping_page_suggests_the_columns_from_their_names(client):
    job = _upload(client, _csv(list(case_rows(3))))

    response = client.get(reverse("imports:mapping", args=[job.uuid]))

    html = response.content.decode()
    assert response.status_code == 200
    first_name = re.search(r'<select name="column_first_name".*?</select>', html, re.S)
    assert first_name is not None
    assert '<option value="Prénom" selected>' in first_name.group(0)
    # Every field can be left out of the file.
    assert html.count('<option value=""') == len(import_fields("cases"))
    assert '<label for="id_column_first_name">' in html


def test_a_saved_mapping_is_offered_and_preselected(client, org_a):
    job = _upload(client, _csv(list(case_rows(3))))
    columns = {**CASES_MAPPING, "first_name": "Nom", "last_name": "Prénom"}
    saved = ImportMapping.objects.create(
        organisation=org_a, target="cases", name="Ancien tableur", columns=columns
    )

    page = client.get(reverse("imports:mapping", args=[job.uuid])).content.decode()
    assert "Ancien tableur" in page and 'id="saved-mapping-form"' in page

    chosen = client.get(reverse("imports:mapping", args=[job.uuid]), {"modele": str(saved.uuid)})
    html = chosen.content.decode()
    first_name = re.search(r'<select name="column_first_name".*?</select>', html, re.S)
    assert first_name is not None and '<option value="Nom" selected>' in first_name.group(0)


def test_an_unknown_saved_mapping_is_an_error_not_a_silent_default(client):
    job = _upload(client, _csv(list(case_rows(3))))

    response = client.get(reverse("imports:mapping", args=[job.uuid]), {"modele": "not-a-mapping"})

    assert response.status_code == 422
    assert 'id="id_modele_error"' in response.content.decode()


def test_a_mapping_using_one_column_twice_is_refused_on_that_field(client):
    job = _upload(client, _csv(list(case_rows(3))))

    response = client.post(
        reverse("imports:preview", args=[job.uuid]),
        {**MAPPING_POST, "column_last_name": "Prénom"},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_column_last_name_error"' in html or 'id="id_column_first_name_error"' in html
    assert 'id="mapping-form"' in html


def test_a_mapping_without_any_identifying_column_is_refused(client):
    job = _upload(client, _csv(list(case_rows(3))))

    response = client.post(reverse("imports:preview", args=[job.uuid]), {"column_gender": "Sexe"})

    assert response.status_code == 422
    assert 'class="error-summary" role="alert"' in response.content.decode()


# --- 3. Preview -------------------------------------------------------------------------------


def test_the_preview_counts_the_rows_shows_a_sample_and_saves_the_mapping(client, org_a):
    job = _upload(client, _csv(list(case_rows(12))))

    response = client.post(
        reverse("imports:preview", args=[job.uuid]),
        {**MAPPING_POST, "mapping_name": "Export de l'ancien outil"},
    )

    html = response.content.decode()
    assert response.status_code == 200, html[:3000]
    assert 'data-ok="true"' in html and 'data-new="12"' in html
    assert 'id="commit-form"' in html
    assert '<table id="import-sample">' in html and '<th scope="col">' in html
    assert html.count("<caption>") >= 2
    saved = ImportMapping.objects.get(organisation=org_a, name="Export de l'ancien outil")
    assert saved.columns == CASES_MAPPING
    assert not Case.objects.exists()  # nothing written by a check


def test_a_bad_row_is_named_by_line_and_column_in_french_and_blocks_the_commit(client):
    job = _upload(client, _csv(_bad_rows(bad_line=7)))

    response = client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST)

    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="commit-form"' not in html
    row = re.search(r'<tr data-line="7" data-column="Date de naissance">(.*?)</tr>', html, re.S)
    assert row is not None, html[:4000]
    assert '<th scope="row">7</th>' in row.group(1)
    assert "date" in row.group(1).lower()
    assert "Ligne" in html  # the table's French headings: the default language

    # The commit is refused too, and nothing is written.
    refused = client.post(reverse("imports:commit", args=[job.uuid]))
    assert refused.status_code == 422
    assert 'id="commit-refused"' in refused.content.decode()
    job.refresh_from_db()
    assert job.status == ImportStatus.UPLOADED
    assert not Case.objects.exists()


def test_many_errors_are_capped_on_the_page_with_their_total(client):
    rows = list(case_rows(250))
    for row in rows:
        row[CASES_HEADER.index("Date de naissance")] = "pas une date"
    job = _upload(client, _csv(rows))

    response = client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST, **ENGLISH)

    html = response.content.decode()
    assert response.status_code == 422
    assert html.count("<tr data-line=") == 200
    assert "the first 200 of 250" in html
    assert "250 problems found" in html


def test_a_line_far_down_a_large_file_is_written_as_people_read_it(client):
    job = _upload(client, _csv(_bad_rows(1500, bad_line=1234)))

    response = client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST, **ENGLISH)

    html = response.content.decode()
    assert '<tr data-line="1234" data-column="Date de naissance">' in html
    assert '<th scope="row">1,234</th>' in html
    assert 'data-new="1499"' in html


def test_the_preview_page_shows_the_last_mapping_tried(client):
    job = _upload(client, _csv(list(case_rows(4))))
    assert client.get(reverse("imports:preview", args=[job.uuid]))["Location"] == reverse(
        "imports:mapping", args=[job.uuid]
    )
    client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST)

    again = client.get(reverse("imports:preview", args=[job.uuid]))

    assert again.status_code == 200 and 'data-new="4"' in again.content.decode()
    # And the mapping page preselects it.
    mapping = client.get(reverse("imports:mapping", args=[job.uuid])).content.decode()
    assert '<option value="Référence" selected>' in mapping


# --- 4. Commit, progress, result --------------------------------------------------------------


def _commit(client: Client, job: ImportJob, capture) -> None:
    client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST)
    with capture(execute=True):
        response = client.post(reverse("imports:commit", args=[job.uuid]))
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", args=[job.uuid])


def test_a_good_file_is_imported_and_the_result_shown(
    client, org_a, django_capture_on_commit_callbacks
):
    job = _upload(client, _csv(list(case_rows(12))))

    _commit(client, job, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 12)
    assert Case.objects.filter(organisation=org_a).count() == 12
    page = client.get(reverse("imports:job", args=[job.uuid]))
    html = page.content.decode()
    assert 'data-status="done"' in html and '<dd data-count="created">12</dd>' in html
    assert reverse("cases:list") in html
    # Committed: the earlier steps lead to the result, a second commit imports nothing more.
    assert client.get(reverse("imports:mapping", args=[job.uuid]))["Location"] == reverse(
        "imports:job", args=[job.uuid]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:commit", args=[job.uuid]))
    assert Case.objects.count() == 12


def test_the_same_file_again_is_flagged_and_adds_nothing(
    client, coordinator, django_capture_on_commit_callbacks
):
    content = _csv(list(case_rows(6)))
    _commit(client, _upload(client, content), django_capture_on_commit_callbacks)

    again = _upload(client, content)
    response = client.post(reverse("imports:preview", args=[again.uuid]), MAPPING_POST)

    html = response.content.decode()
    assert 'id="import-previous"' in html
    assert coordinator.full_name in html
    assert 'data-new="0"' in html and 'data-duplicates="6"' in html
    assert 'data-count="duplicates">6<' in html


def test_the_progress_fragment_counts_rows_then_asks_for_a_reload(client):
    job = _upload(client, _csv(list(case_rows(3))))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, phase="checking", rows_total=100_000, rows_done=37_500
    )

    running = client.get(reverse("imports:progress", args=[job.uuid]), **ENGLISH)
    page = client.get(reverse("imports:job", args=[job.uuid]))

    html = _text(running)
    assert running.status_code == 200 and "HX-Refresh" not in running
    assert 'max="100000" value="37500"' in html
    assert "37,500 / 100,000 rows" in html
    assert 'hx-get="' + reverse("imports:progress", args=[job.uuid]) + '"' in html
    assert '<label for="import-progress-bar">' in html
    assert 'id="import-progress"' in page.content.decode()

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, created_count=3)
    done = client.get(reverse("imports:progress", args=[job.uuid]))
    assert done["HX-Refresh"] == "true"
    assert "hx-get" not in done.content.decode()


def test_a_failed_import_says_nothing_was_written_and_why(client):
    job = _upload(client, _csv(list(case_rows(3))))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED,
        error_count=1,
        errors=[{"line": 0, "column": "", "field": "", "message": "Écriture impossible."}],
    )

    html = client.get(reverse("imports:job", args=[job.uuid])).content.decode()

    assert 'data-status="failed"' in html
    assert "Écriture impossible." in html
    assert 'role="alert"' in html


# --- Other targets, and the links from the lists ----------------------------------------------


def test_an_organisation_administrator_imports_directory_entries_through_the_pages(
    users, org_a, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(users[("org_admin", "a")])
    job = _upload(admin, Upload("annuaire.csv", DIRECTORY_CSV, "text/csv"), "directory")
    suggested = services.import_mapping_suggest(target="directory", headers=job.headers)
    post = {f"column_{field}": header for field, header in suggested.items()}

    preview = admin.post(reverse("imports:preview", args=[job.uuid]), post)
    assert preview.status_code == 200, preview.content.decode()[:3000]
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("imports:commit", args=[job.uuid]))

    assert DirectoryEntry.objects.filter(maintained_by=org_a).count() == 2
    result = admin.get(reverse("imports:job", args=[job.uuid])).content.decode()
    assert reverse("network:directory") in result


def test_places_are_imported_through_the_same_pages_with_required_fields_marked(
    users, org_a, client_for, django_capture_on_commit_callbacks
):
    from vigie.network.models import AccommodationPlace

    admin = client_for(users[("org_admin", "a")])
    content = (
        "name;kind;departement;capacity;available\r\nFictif — Maison;childrens_home;69;6;2\r\n"
    ).encode()
    job = _upload(admin, Upload("lieux.csv", content, "text/csv"), "places")

    mapping = admin.get(reverse("imports:mapping", args=[job.uuid])).content.decode()
    # Required fields say so in words, not only by colour.
    assert re.search(r'for="id_column_capacity">[^<]*<span class="required">', mapping)
    assert not re.search(r'for="id_column_notes">[^<]*<span class="required">', mapping)
    post = {
        f"column_{field}": header
        for field, header in services.import_mapping_suggest(
            target="places", headers=job.headers
        ).items()
    }
    missing = admin.post(reverse("imports:preview", args=[job.uuid]), {})
    assert missing.status_code == 422 and 'id="id_column_capacity_error"' in (
        missing.content.decode()
    )
    assert admin.post(reverse("imports:preview", args=[job.uuid]), post).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(reverse("imports:commit", args=[job.uuid]))

    assert AccommodationPlace.objects.filter(organisation=org_a).count() == 1
    result = admin.get(reverse("imports:job", args=[job.uuid])).content.decode()
    assert reverse("network:places_mine") in result


def test_the_list_pages_link_to_their_import_for_those_who_may_use_it(users, client_for):
    coordinator = client_for(users[("coordinator", "a")])
    caseworker = client_for(users[("caseworker", "a")])
    admin = client_for(users[("org_admin", "a")])
    link = 'id="import-link-cases"'

    assert link in coordinator.get(reverse("cases:list")).content.decode()
    assert link not in caseworker.get(reverse("cases:list")).content.decode()
    assert reverse("imports:places") in admin.get(reverse("network:places_mine")).content.decode()
    assert reverse("imports:directory") in admin.get(reverse("network:directory")).content.decode()


def test_the_uploaded_file_is_never_served_back(client):
    """Only the mapped cells of the sample rows reach a page: a column no field uses never
    does, and no page is a download."""
    header = (*CASES_HEADER, "Commentaire")
    rows = [[*row, f"note-confidentielle-{n}"] for n, row in enumerate(case_rows(3))]
    job = _upload(client, Upload("dossiers.csv", csv_bytes(rows, header=header), "text/csv"))

    responses = [
        client.get(reverse("imports:mapping", args=[job.uuid])),
        client.post(reverse("imports:preview", args=[job.uuid]), MAPPING_POST),
        client.get(reverse("imports:preview", args=[job.uuid])),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200]
    for response in responses:
        assert "note-confidentielle" not in response.content.decode()
        assert not response.has_header("Content-Disposition")
