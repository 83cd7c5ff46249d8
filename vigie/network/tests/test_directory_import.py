"""CSV import and export of the directory: all or nothing, bad rows named by line and column,
re-import updates instead of duplicating, formulas neutralised, and the round trip holds."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.network.models import DirectoryEntry
from vigie.network.selectors_directory import DirectoryFilters
from vigie.network.services.directory import directory_export_csv, directory_import_csv
from vigie.tests_support.factories_directory import DirectoryEntryFactory

pytestmark = pytest.mark.django_db

HEADER = "name,kind,departement,needs,role,hours,phone,email,address"


def _file(*rows: str, header: str = HEADER, separator: str = ",") -> str:
    return "\n".join([header.replace(",", separator), *rows]) + "\n"


def _good_rows(count: int) -> list[str]:
    return [
        f"Fictif — Service {n},uaped,93,health|psychological,Accueil,24 h/24,"
        f"01 99 00 {n // 100:02d} {n % 100:02d},s{n}@example.org,"
        for n in range(count)
    ]


@pytest.fixture
def coordinator(users):
    return Actor(users[("coordinator", "a")])


def test_a_good_file_writes_every_row_once_and_is_audited_once(coordinator, org_a):
    content = _file(*_good_rows(30))

    report = directory_import_csv(actor=coordinator, file=content.encode(), dry_run=False)

    assert (report.written, report.created, report.updated, report.errors) == (True, 30, 0, [])
    assert DirectoryEntry.objects.filter(maintained_by=org_a).count() == 30
    assert DirectoryEntry.objects.get(name="Fictif — Service 7").phone == "+33199000007"
    assert AuditEvent.objects.filter(action=AuditAction.DIRECTORY_IMPORT).count() == 1

    again = directory_import_csv(actor=coordinator, file=content.encode(), dry_run=False)

    assert (again.created, again.updated) == (0, 30)
    assert DirectoryEntry.objects.count() == 30


def test_a_reimport_updates_the_matching_entries(coordinator):
    directory_import_csv(actor=coordinator, file=_file(*_good_rows(2)), dry_run=False)
    changed = _file("Fictif — Service 1,uaped,93,health,Nouveau rôle,,,,")

    report = directory_import_csv(actor=coordinator, file=changed, dry_run=False)

    assert (report.created, report.updated) == (0, 1)
    entry = DirectoryEntry.objects.get(name="Fictif — Service 1")
    assert (entry.role, entry.needs, entry.phone) == ("Nouveau rôle", ["health"], "")


def test_one_bad_row_among_many_writes_nothing_and_is_named(coordinator):
    """Given 40 good rows and, on line 27 of the file, an invalid phone number, when the file is
    imported for real, then nothing is written and the report names line 27, column phone."""
    rows = _good_rows(40)
    rows[25] = "Fictif — Bad,uaped,93,health,,,01 23,,"  # line 27: header is line 1

    with translation.override("en"):
        report = directory_import_csv(actor=coordinator, file=_file(*rows), dry_run=False)

    assert not report.written
    assert [(e.line, e.column) for e in report.errors] == [(27, "phone")]
    assert "not a valid phone number" in report.errors[0].message
    assert report.rows == 40
    assert not DirectoryEntry.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DIRECTORY_IMPORT).exists()


def test_every_problem_is_listed_in_file_order(coordinator, org_b):
    DirectoryEntryFactory(name="Pris", kind="siao", departement="13", maintained_by=org_b)
    content = _file(
        "A,uaped,93,,,,,,",
        ",hotel,20,magic,,,,nobody@,",
        "Pris,siao,13,,,,,,",
        "A,uaped,93,,,,,,",
        "B,uaped",
    )

    report = directory_import_csv(actor=coordinator, file=content, dry_run=False)

    assert [(e.line, e.column) for e in report.errors] == [
        (3, "name"),
        (3, "kind"),
        (3, "departement"),
        (3, "needs"),
        (3, "email"),
        (4, "name"),  # another organisation keeps it
        (5, "name"),  # same key as line 2
        (6, ""),  # wrong number of cells
    ]
    assert DirectoryEntry.objects.count() == 1


def test_a_dry_run_reports_without_writing(coordinator):
    report = directory_import_csv(actor=coordinator, file=_file(*_good_rows(3)), dry_run=True)

    assert (report.ok, report.written, report.created) == (True, False, 3)
    assert not DirectoryEntry.objects.exists()


def test_a_byte_order_mark_and_semicolons_are_accepted(coordinator):
    content = _file(
        "Fictif — CJC;addiction_youth;06;addiction;Jeunes, 12-25 ans;;04 65 71 00 01;;",
        separator=";",
    )

    report = directory_import_csv(
        actor=coordinator, file=b"\xef\xbb\xbf" + content.encode(), dry_run=False
    )

    assert report.written
    entry = DirectoryEntry.objects.get()
    assert (entry.name, entry.departement, entry.role) == (
        "Fictif — CJC",
        "06",
        "Jeunes, 12-25 ans",
    )


def test_a_file_that_is_not_utf8_is_refused_as_a_whole(coordinator):
    content = _file("Hôpital,uaped,93,,,,,,").encode("cp1252")

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        directory_import_csv(actor=coordinator, file=content, dry_run=False)
    assert "UTF-8" in raised.value.message_dict["file"][0]


def test_a_wrong_header_is_refused_as_a_whole(coordinator):
    with pytest.raises(ValidationError) as raised:
        directory_import_csv(actor=coordinator, file="nom,type\nA,uaped\n", dry_run=False)
    assert "file" in raised.value.message_dict


def test_only_managers_import(users):
    with pytest.raises(PermissionDenied):
        directory_import_csv(actor=Actor(users[("caseworker", "a")]), file=_file(), dry_run=True)


def test_export_round_trip_and_formula_injection(coordinator, users, org_a):
    """Given entries whose cells a spreadsheet would run as formulas, the export neutralises
    every one of them, and importing the export back changes nothing."""
    DirectoryEntryFactory(
        name='=HYPERLINK("http://evil")',
        role="@SUM(A1)",
        hours="-1",
        address="+ rue",
        phone="+33199001234",
        needs=["health", "legal"],
        maintained_by=org_a,
    )
    DirectoryEntryFactory(name="Simple", departement="2A", maintained_by=org_a, phone="")
    before = list(DirectoryEntry.objects.values(*_COLUMNS).order_by("name"))

    text = directory_export_csv(actor=Actor(users[("caseworker", "a")]))

    lines = text.splitlines()
    assert lines[0] == HEADER.replace(",", ";")
    risky = next(line for line in lines if "HYPERLINK" in line)
    for cell in ("\"'=HYPERLINK", "'@SUM(A1)", "'-1", "'+ rue", "'+33199001234"):
        assert cell in risky
    report = directory_import_csv(actor=coordinator, file=text, dry_run=False)
    assert (report.errors, report.created, report.updated) == ([], 0, 2)
    assert list(DirectoryEntry.objects.values(*_COLUMNS).order_by("name")) == before


_COLUMNS = ("name", "kind", "departement", "needs", "role", "hours", "phone", "email", "address")


def test_export_follows_the_search_filters(users):
    DirectoryEntryFactory(name="Paris", departement="75")
    DirectoryEntryFactory(name="Marseille", departement="13")

    text = directory_export_csv(
        actor=Actor(users[("caseworker", "a")]), filters=DirectoryFilters(departement="13")
    )

    assert "Marseille" in text and "Paris" not in text


def test_export_needs_the_directory_permission(users):
    with pytest.raises(PermissionDenied):
        directory_export_csv(actor=Actor(users[("analyst", "a")]))
