"""Importing case files: preview with errors naming line and column, all or nothing, each row
once (re-imports recognised), rights plans as for a file opened by hand, one audit event."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import Case
from vigie.cases.services.opening import full_name_index
from vigie.imports import services
from vigie.imports.models import ImportedRecord, ImportJob, ImportPhase, ImportStatus
from vigie.imports.targets import _bulk
from vigie.imports.targets import base as engine
from vigie.rights.models import RightItem
from vigie.rights.services import rights_plan_refresh
from vigie.tests_support.factories_imports import CASES_MAPPING, case_rows, csv_bytes

pytestmark = pytest.mark.django_db


def _upload(actor, content, filename="dossiers.csv"):
    return services.import_upload(actor=actor, target="cases", filename=filename, content=content)


def _import(actor, content, columns=None, capture=None):
    job = _upload(actor, content)
    preview = services.import_preview(actor=actor, job=job, columns=columns or CASES_MAPPING)
    if not preview.ok:
        return job, preview
    services.import_commit_request(actor=actor, job=job, enqueue=False)
    return services.import_run(job), preview


def test_a_good_file_imports_every_row_once_with_what_case_open_gives(coordinator, users, org_a):
    """Given 30 fictional rows, when they are previewed and imported, then 30 files exist, each
    with a reference, its importer as referent, encrypted names found by their blind index, the
    presumption of minority's month and a rights plan that a refresh would not change."""
    rows = list(case_rows(30))
    job, preview = _import(coordinator, csv_bytes(rows))

    assert (preview.ok, preview.rows_total, preview.new_count) == (True, 30, 30)
    assert (job.status, job.created_count, job.rows_done, job.content) == (
        ImportStatus.DONE,
        30,
        30,
        b"",
    )
    cases = Case.objects.filter(organisation=org_a)
    assert cases.count() == 30
    case = cases.get(name_index=full_name_index(rows[7][1], rows[7][2]))
    assert (case.first_name, case.last_name) == (rows[7][1], rows[7][2])
    assert case.assigned_to == users[("coordinator", "a")]
    assert case.reference.startswith(f"{case.identified_on.year}-")
    assert case.majority_month is not None and case.majority_month.day == 1
    items = {(i.right_id, i.state, i.due_on) for i in RightItem.objects.filter(case=case)}
    assert items
    next_due = case.next_due_on
    refreshed = rights_plan_refresh(case=case)
    assert {(i.right_id, i.state, i.due_on) for i in refreshed} == items
    case.refresh_from_db()
    assert case.next_due_on == next_due


def test_field_values_written_in_french_are_understood(coordinator):
    header = (
        "Nom",
        "Sexe",
        "Nationalité",
        "MNA",
        "Âge contesté",
        "Prise en charge",
        "Exploitation",
    )
    rows = [
        [
            "Fictif",
            "garçon",
            "Roumanie",
            "oui",
            "non",
            "ASE et PJJ",
            "mendicité forcée, prostitution",
        ]
    ]
    columns = {
        "last_name": "Nom",
        "gender": "Sexe",
        "nationality": "Nationalité",
        "unaccompanied": "MNA",
        "age_disputed": "Âge contesté",
        "care_status": "Prise en charge",
        "exploitation_forms": "Exploitation",
    }

    job, _preview = _import(coordinator, csv_bytes(rows, header=header), columns)

    assert job.status == ImportStatus.DONE
    case = Case.objects.get()
    assert (case.gender, case.nationality, case.unaccompanied, case.care_status) == (
        "boy",
        "RO",
        True,
        "both",
    )
    assert case.exploitation_forms == ["forced_begging", "sexual_exploitation"]


def test_the_preview_names_line_and_column_and_writes_nothing_but_the_mapping(coordinator):
    rows = list(case_rows(12))
    rows[4][3] = "31/02/2010"  # line 6
    rows[9][5] = "Atlantide"  # line 11

    job = _upload(coordinator, csv_bytes(rows))
    with translation.override("en"):
        preview = services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
        messages = [str(e) for e in preview.errors]

    assert not preview.ok
    assert [(e.line, e.column, e.field) for e in preview.errors] == [
        (6, "Date de naissance", "birth_date"),
        (11, "Nationalité", "nationality"),
    ]
    assert messages[0] == (
        "Line 6, column “Date de naissance”: “31/02/2010”: this date does not exist."
    )
    assert not Case.objects.exists() and not ImportedRecord.objects.exists()
    job.refresh_from_db()
    assert job.columns == CASES_MAPPING and job.status == ImportStatus.UPLOADED
    assert job.error_count == 2
    with pytest.raises(ValidationError):
        services.import_commit_request(actor=coordinator, job=job)


def test_line_numbers_are_grouped_as_a_spreadsheet_shows_them():
    error = engine.RowError(73422, "Date de naissance", "birth_date", "date invalide")

    with translation.override("fr"):
        french = str(error)
    with translation.override("en"):
        english = str(error)

    # The line as the French spreadsheet shows it, grouped with a non-breaking space.
    assert "73\xa0422" in french or "73\u202f422" in french
    assert english == "Line 73,422, column “Date de naissance”: date invalide"


def test_a_row_that_turns_bad_after_the_preview_imports_nothing(coordinator):
    """The import checks every row again: a file changed after its preview writes nothing and
    the job says which line."""
    job = _upload(coordinator, csv_bytes(case_rows(20)))
    services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)
    rows = list(case_rows(20))
    rows[14][3] = "2099-01-01"
    from vigie.core.crypto import encrypt_bytes

    ImportJob.objects.filter(pk=job.pk).update(content=encrypt_bytes(csv_bytes(rows)))
    job.refresh_from_db()

    job = services.import_run(job)

    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [(16, "birth_date")]
    assert not Case.objects.exists() and not RightItem.objects.exists()
    assert not ImportedRecord.objects.exists()
    assert job.content == b""


def test_a_failure_while_writing_leaves_nothing_written(coordinator, monkeypatch):
    """Given the rights plans' table refusing the write after the files were inserted, the
    whole import is rolled back and the job is failed with the reason."""
    original = _bulk.RowWriter.write

    def failing(self, rows):
        if self.model is RightItem:
            raise RuntimeError("disk full")
        return original(self, rows)

    monkeypatch.setattr(_bulk.RowWriter, "write", failing)

    job, _preview = _import(coordinator, csv_bytes(case_rows(15)))

    assert job.status == ImportStatus.FAILED
    assert "disk full" in job.errors[0]["message"] and job.errors[0]["line"] == 0
    assert Case.objects.count() == 0 and ImportedRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_IMPORT).exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED


def test_the_same_file_twice_creates_each_file_once(coordinator):
    content = csv_bytes(case_rows(25))
    first, _preview = _import(coordinator, content)

    job = _upload(coordinator, content)
    preview = services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)

    assert preview.previous_import == first
    assert (preview.new_count, preview.duplicate_count, preview.ok) == (0, 25, True)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)
    again = services.import_run(job)
    assert (again.status, again.created_count, again.duplicate_count) == ("done", 0, 25)
    assert Case.objects.count() == 25


def test_a_file_with_half_old_rows_creates_only_the_new_ones(coordinator):
    _import(coordinator, csv_bytes(case_rows(10)))
    rows = list(case_rows(10)) + list(case_rows(10, start=10, seed=2))

    job, preview = _import(coordinator, csv_bytes(rows))

    assert preview.previous_import is None  # not the same file
    assert (job.created_count, job.duplicate_count) == (10, 10)
    assert Case.objects.count() == 20


def test_without_a_reference_the_identity_recognises_a_row_already_imported(coordinator):
    """No external_id mapped: names, birth and the day identified make the fingerprint; case
    and accents aside. A row repeated within the file counts once."""
    columns = {k: v for k, v in CASES_MAPPING.items() if k != "external_id"}
    rows = list(case_rows(5))
    rows.append(list(rows[0]))
    _import(coordinator, csv_bytes(rows), columns)
    changed = [list(row) for row in case_rows(5)]
    changed[2][2] = changed[2][2].upper()

    job, preview = _import(coordinator, csv_bytes(changed), columns)

    assert Case.objects.count() == 5
    assert (preview.new_count, preview.duplicate_count) == (0, 5)
    assert job.created_count == 0


def test_one_audit_event_names_every_file_created(coordinator):
    _import(coordinator, csv_bytes(case_rows(8)))

    event = AuditEvent.objects.get(action=AuditAction.CASE_IMPORT)
    assert sorted(event.object_uuids) == sorted(
        str(u) for u in Case.objects.values_list("uuid", flat=True)
    )
    assert event.reason_code == "created-8-updated-0-skipped-0"
    assert event.subjects.count() == 8


def test_progress_is_saved_while_the_rows_are_checked(coordinator, monkeypatch):
    monkeypatch.setattr(engine, "CHUNK_ROWS", 10)
    job = _upload(coordinator, csv_bytes(case_rows(35)))
    services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)
    seen = []

    def observed(done):
        stored = ImportJob.objects.get(pk=job.pk)
        seen.append((done, stored.rows_done, stored.status, stored.phase))

    services.import_run(job, progress=observed)

    assert [s[0] for s in seen] == [10, 20, 30, 35]
    assert all(done == stored for done, stored, _s, _p in seen)
    assert {(status, phase) for _d, _s, status, phase in seen} == {
        (ImportStatus.RUNNING, ImportPhase.CHECKING)
    }


def test_the_request_queues_the_background_job_once(
    coordinator, django_capture_on_commit_callbacks
):
    job = _upload(coordinator, csv_bytes(case_rows(6)))
    services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.import_commit_request(actor=coordinator, job=job)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.status, job.created_count) == (ImportStatus.DONE, 6)
    with pytest.raises(ValidationError):
        services.import_commit_request(actor=coordinator, job=job)


def test_the_uploaded_file_is_kept_encrypted(coordinator):
    job = _upload(coordinator, csv_bytes([["R1", "Amina", "Fictif", "", "", "", "", "", "", ""]]))

    stored = bytes(ImportJob.objects.get(pk=job.pk).content)

    assert b"Amina" not in stored and stored
    assert services.import_headers(job)[1] == "Prénom"


def test_an_xlsx_file_imports_like_its_csv(coordinator):
    from vigie.tests_support.factories_imports import xlsx_bytes

    job = _upload(coordinator, xlsx_bytes(case_rows(7)), filename="export.xlsx")
    preview = services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)

    assert preview.ok
    assert services.import_run(job).created_count == 7


def test_rows_with_nothing_identifying_the_child_are_refused(coordinator):
    header = ("Nom", "Sexe")
    job = _upload(coordinator, csv_bytes([["", "fille"]], header=header))

    preview = services.import_preview(
        actor=coordinator, job=job, columns={"last_name": "Nom", "gender": "Sexe"}
    )

    assert [(e.line, e.column) for e in preview.errors] == [(2, "")]
    with pytest.raises(ValidationError) as raised:
        services.import_preview(actor=coordinator, job=job, columns={"gender": "Sexe"})
    assert "__all__" in raised.value.message_dict


def test_an_import_whose_requester_lost_the_permission_fails_without_writing(coordinator, users):
    job = _upload(coordinator, csv_bytes(case_rows(3)))
    services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)
    person = users[("coordinator", "a")]
    person.role = "caseworker"
    person.save(update_fields=["role"])
    job.refresh_from_db()

    job = services.import_run(job)

    assert job.status == ImportStatus.FAILED and job.content == b""
    assert not Case.objects.exists()


def test_an_uploaded_file_can_be_discarded(coordinator):
    job = _upload(coordinator, csv_bytes(case_rows(3)))

    services.import_discard(actor=coordinator, job=job)

    assert not ImportJob.objects.exists()


def test_chunks_prepared_by_worker_processes_import_the_same(coordinator, monkeypatch):
    """A large file's chunks are prepared by forked workers: the files, their plans and their
    order are those the single process makes."""
    from vigie.imports.targets import cases_batch

    monkeypatch.setattr(engine, "CHUNK_ROWS", 7)
    monkeypatch.setattr(cases_batch, "IMPORT_WORKERS", 2)
    rows = list(case_rows(40))

    job, _preview = _import(coordinator, csv_bytes(rows))

    assert (job.status, job.created_count) == (ImportStatus.DONE, 40)
    assert Case.objects.count() == 40 and ImportedRecord.objects.count() == 40
    assert RightItem.objects.filter(case__isnull=False).count() > 40
    case = Case.objects.get(name_index=full_name_index(rows[33][1], rows[33][2]))
    items = {(i.right_id, i.state, i.due_on) for i in case.rights.all()}
    assert {(i.right_id, i.state, i.due_on) for i in rights_plan_refresh(case=case)} == items


def test_workers_stop_when_a_bad_row_ends_the_import(coordinator, monkeypatch):
    from vigie.imports.targets import cases_batch

    monkeypatch.setattr(engine, "CHUNK_ROWS", 5)
    monkeypatch.setattr(cases_batch, "IMPORT_WORKERS", 2)
    job = _upload(coordinator, csv_bytes(case_rows(30)))
    services.import_preview(actor=coordinator, job=job, columns=CASES_MAPPING)
    services.import_commit_request(actor=coordinator, job=job, enqueue=False)
    rows = list(case_rows(30))
    rows[27][4] = "licorne"
    from vigie.core.crypto import encrypt_bytes

    ImportJob.objects.filter(pk=job.pk).update(content=encrypt_bytes(csv_bytes(rows)))
    job.refresh_from_db()

    job = services.import_run(job)

    assert job.status == ImportStatus.FAILED and job.errors[0]["line"] == 29
    assert cases_batch._FORKED_BATCH is None
    assert not Case.objects.exists()
