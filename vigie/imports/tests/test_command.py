"""`vigie import`: the same machinery from the command line, synchronously, as a named user."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import Case
from vigie.imports.models import ImportJob, ImportStatus
from vigie.tests_support.factories_imports import (
    CASES_MAPPING,
    case_rows,
    csv_bytes,
    mapping_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def email(users):
    return users[("coordinator", "a")].email


def _call(*args):
    out, err = [], []

    class Sink:
        def __init__(self, into):
            self.into = into

        def write(self, text):
            self.into.append(text)

        def flush(self):
            pass

        def isatty(self):
            return False

    with translation.override("en"):
        call_command("import", *args, stdout=Sink(out), stderr=Sink(err))
    return "".join(out), "".join(err)


def test_a_dry_run_reports_and_writes_nothing(tmp_path, email):
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(case_rows(12)))

    out, err = _call("cases", str(path), "--as", email, "--dry-run")

    assert "12 rows: 12 to create" in out and "nothing was written" in out
    assert "Mapping suggested" in err
    assert not Case.objects.exists() and not ImportJob.objects.exists()


def test_an_import_with_a_saved_mapping(tmp_path, email, org_a):
    mapping_create(organisation=org_a, name="Ancien outil")
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(case_rows(9)))

    out, err = _call("cases", str(path), "--as", email, "--mapping", "Ancien outil")

    assert "9 rows: 9 created" in out
    assert "9/9" in err  # the progress
    assert Case.objects.filter(organisation=org_a).count() == 9
    job = ImportJob.objects.get()
    assert (job.status, job.content) == (ImportStatus.DONE, b"")
    assert AuditEvent.objects.filter(action=AuditAction.CASE_IMPORT).count() == 1

    out, _err = _call("cases", str(path), "--as", email, "--mapping", "Ancien outil")
    assert "already imported on" in out and "0 created" in out
    assert Case.objects.count() == 9


def test_a_bad_row_names_line_and_column_exits_with_an_error_and_writes_nothing(tmp_path, email):
    rows = list(case_rows(30))
    rows[20][3] = "32/01/2010"  # line 22
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(rows))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(CASES_MAPPING), encoding="utf-8")

    lines = []
    with pytest.raises(CommandError, match="nothing was imported"):
        try:
            _call("cases", str(path), "--as", email, "--mapping", str(mapping))
        finally:
            lines.extend(ImportJob.objects.values_list("status", flat=True))

    assert not Case.objects.exists()
    assert lines == []  # the refused upload is not kept

    with pytest.raises(CommandError, match="errors"):
        _call("cases", str(path), "--as", email, "--mapping", str(mapping), "--dry-run")


def test_the_report_names_the_bad_line(tmp_path, email, capsys):
    rows = list(case_rows(5))
    rows[2][5] = "Atlantide"  # line 4
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(rows))

    with translation.override("en"), pytest.raises(CommandError):
        call_command("import", "cases", str(path), "--as", email, "--dry-run")

    assert "Line 4, column “Nationalité”" in capsys.readouterr().out


def test_refusals(tmp_path, email, users):
    path = tmp_path / "dossiers.csv"
    path.write_bytes(csv_bytes(case_rows(2)))

    with pytest.raises(CommandError, match=r"nobody@example\.org"):
        _call("cases", str(path), "--as", "nobody@example.org")
    with pytest.raises(CommandError):
        _call("cases", str(path), "--as", users[("caseworker", "a")].email)
    with pytest.raises(CommandError):
        _call("cases", str(path), "--as", email, "--mapping", "No such mapping")
    with pytest.raises(CommandError):
        _call("cases", str(tmp_path / "missing.csv"), "--as", email)
    assert not Case.objects.exists()


def test_directory_and_places_from_the_command_line(tmp_path, users):
    admin = users[("org_admin", "a")].email
    path = tmp_path / "annuaire.csv"
    path.write_bytes(b"name;kind;departement;phone\nFictif;uaped;93;01 99 00 00 02\n")

    out, _err = _call("directory", str(path), "--as", admin)

    assert "1 created" in out


def test_purge_forgets_stale_uploads(coordinator_user_job):
    job = coordinator_user_job
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = ImportJob.objects.create(
        organisation=job.organisation, target="cases", filename="f.csv", file_sha256="0" * 64
    )

    out, _err = _call("purge")

    assert "1 uploaded" in out
    assert list(ImportJob.objects.all()) == [fresh]


@pytest.fixture
def coordinator_user_job(users):
    from vigie.audit.services import Actor
    from vigie.imports import services

    return services.import_upload(
        actor=Actor(users[("coordinator", "a")]),
        target="cases",
        filename="f.csv",
        content=csv_bytes(case_rows(1)),
    )
