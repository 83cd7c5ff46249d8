"""Exporting the case list (CSV/XLSX): the list's scope and filters, pseudonymous by default,
formulas neutralised, re-authentication first, and every exported file in the audit trail."""

import csv
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext
from openpyxl import load_workbook

from vigie.accounts.sessions import REAUTH_AT_KEY
from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.ages import birthday, majority_month
from vigie.cases.exports.case_list import OVER_21, age_band_of
from vigie.cases.models import Case
from vigie.cases.selectors import AgeBand
from vigie.cases.services.opening import full_name_index
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_alerts import archive_for_tests

pytestmark = pytest.mark.django_db

URL = reverse("cases:list_export")
HYPERLINK = '=HYPERLINK("https://example.org/x","cliquez")'


def make_case(organisation, **fields) -> Case:
    """A case whose month of majority and name index agree with its data, as services keep them."""
    birth_date = fields.pop("birth_date", None)
    birth_year = fields.pop("birth_year", birth_date.year if birth_date else None)
    disputed = fields.pop("age_disputed", False)
    fields.setdefault("first_name", "Aminata")
    fields.setdefault("last_name", "Zéphirine")
    fields["name_index"] = full_name_index(fields["first_name"], fields["last_name"])
    return CaseFactory(
        organisation=organisation,
        birth_date=birth_date,
        birth_year=birth_year,
        age_disputed=disputed,
        majority_month=majority_month(
            birth_date=birth_date, birth_year=birth_year, disputed=disputed
        ),
        **fields,
    )


@pytest.fixture
def files(org_a, org_b, users):
    """Organisation A: three active files, a closed one and an archived one; B: one file."""
    caseworker = users[("caseworker", "a")]
    return {
        "mimi": make_case(
            org_a,
            reference="A-001",
            last_name="Testname-Mimi",
            aliases=HYPERLINK,
            birth_date=date(2010, 6, 14),
            nationality="NG",
            unaccompanied=True,
            care_status="ase",
            departement="93",
            assigned_to=caseworker,
            exploitation_forms=["forced_begging"],
            identified_on=date(2025, 5, 1),
            next_due_on=date(2025, 6, 1),
        ),
        "lina": make_case(
            org_a,
            reference="A-002",
            last_name="Testname-Lina",
            birth_year=2012,
            exploitation_forms=["sexual_exploitation"],
            identified_on=date(2025, 4, 1),
        ),
        "plus": make_case(
            org_a,
            reference="+33 A-003",
            last_name="Testname-Plus",
            aliases="@pseudo",
            identified_on=date(2025, 3, 1),
        ),
        "closed": make_case(
            org_a, reference="A-004", status="closed", identified_on=date(2025, 1, 1)
        ),
        "archived": archive_for_tests(make_case(org_a, reference="A-005")),
        "other": make_case(org_b, reference="B-001", last_name="Testname-Other"),
    }


def export(client, query: str = "", **data):
    data = {"export_format": "csv", "identities": "pseudonymous", **data}
    return client.post(f"{URL}?{query}" if query else URL, data)


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content.decode()[:2000]
    content = response.content
    assert content.startswith("\ufeff".encode())  # spreadsheets read UTF-8 with it
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def xlsx_sheet(response):
    assert response.status_code == 200, response.content.decode(errors="replace")[:2000]
    return load_workbook(io.BytesIO(response.content)).active


def header(name: str) -> str:
    """A column's header as the (French) export writes it."""
    with translation.override("fr"):
        return gettext(name)


# --- What the file holds ----------------------------------------------------------------------


def test_the_csv_holds_the_lists_files_pseudonymous_by_default(files, users, client_for):
    response = export(client_for(users[("coordinator", "a")]))

    rows = csv_rows(response)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="dossiers-')
    assert response["Cache-Control"] == "no-store"
    # The list's default: files being worked on, newest identified first; never B's, never
    # the archived one, not the closed one.
    assert [row[header("Reference")] for row in rows] == ["A-001", "A-002", "'+33 A-003"]
    text = response.content.decode("utf-8-sig")
    for secret in ("Aminata", "Zéphirine", "Testname", "HYPERLINK", "@pseudo", "2010-06-14"):
        assert secret not in text
    assert header("First name") not in rows[0]
    assert header("Birth date") not in rows[0]


def test_the_columns_say_the_situation_in_words(files, users, client_for):
    rows = csv_rows(export(client_for(users[("coordinator", "a")])))

    mimi = rows[0]
    with translation.override("fr"):
        assert mimi[header("Status")] == gettext("Open")
        assert mimi[header("Forms of exploitation")] == gettext("Forced begging")
        assert mimi[header("Gender")] == gettext("Girl")
        assert mimi[header("Unaccompanied minor")] == gettext("Yes")
        assert mimi[header("Care status")] == gettext("Child social services (ASE)")
    assert mimi[header("Identified on")] == "2025-05-01"
    assert mimi[header("Next right due")] == "2025-06-01"
    assert mimi[header("Nationality")] == "NG"
    assert mimi[header("Département")] == "93"
    assert mimi[header("Year of birth")] == "2010"
    assert mimi[header("Assigned caseworker")] == users[("caseworker", "a")].full_name


def test_with_identities_the_names_aliases_and_birth_date_are_decrypted(files, users, client_for):
    rows = csv_rows(export(client_for(users[("coordinator", "a")]), identities="identities"))

    mimi = rows[0]
    assert mimi[header("First name")] == "Aminata"
    assert mimi[header("Last name")] == "Testname-Mimi"
    assert mimi[header("Birth date")] == "2010-06-14"
    # A formula typed as an alias comes out as text: the guard quote a spreadsheet shows.
    assert mimi[header("Aliases")] == "'" + HYPERLINK
    assert rows[2][header("Aliases")] == "'@pseudo"


def test_the_xlsx_stores_every_text_as_a_string_never_a_formula(files, users, client_for):
    response = export(
        client_for(users[("coordinator", "a")]), export_format="xlsx", identities="identities"
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('-identites.xlsx"')
    sheet = xlsx_sheet(response)
    rows = list(sheet.iter_rows())
    names = [cell.value for cell in rows[0]]
    alias = rows[1][names.index(header("Aliases"))]
    assert alias.value == "'" + HYPERLINK
    assert alias.data_type == "s"
    assert not [cell.coordinate for row in rows for cell in row if cell.data_type == "f"]
    # And in the file itself: no formula element at all.
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    # Dates are dates, the reference text.
    identified = rows[1][names.index(header("Identified on"))]
    assert identified.is_date and identified.value.date() == date(2025, 5, 1)
    assert rows[1][0].value == "A-001"
    assert len(rows) == 4


def test_a_pseudonymous_xlsx_holds_no_name(files, users, client_for):
    response = export(client_for(users[("coordinator", "a")]), export_format="xlsx")

    sheet = xlsx_sheet(response)
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value}
    assert not any("Testname" in value or "Aminata" in value for value in values)
    assert not any("HYPERLINK" in value for value in values)


# --- The list's filters and scope ---------------------------------------------------------------


def test_the_lists_filters_apply(files, users, client_for):
    client = client_for(users[("coordinator", "a")])

    every_status = csv_rows(export(client, "status=all"))
    begging = csv_rows(export(client, "exploitation_form=forced_begging"))
    closed = csv_rows(export(client, "status=closed"))
    unassigned = csv_rows(export(client, "worker=unassigned"))

    assert [row[header("Reference")] for row in every_status] == [
        "A-001",
        "A-002",
        "'+33 A-003",
        "A-004",
    ]
    assert [row[header("Reference")] for row in begging] == ["A-001"]
    assert [row[header("Reference")] for row in closed] == ["A-004"]
    assert "A-001" not in {row[header("Reference")] for row in unassigned}


def test_a_search_by_reference_or_by_exact_name_exports_what_the_list_finds(
    files, users, client_for
):
    client = client_for(users[("coordinator", "a")])

    by_reference = csv_rows(export(client, urlencode({"q": "a-002"})))
    by_name = csv_rows(export(client, urlencode({"q": "Aminata Testname-Mimi"})))

    assert [row[header("Reference")] for row in by_reference] == ["A-002"]
    assert [row[header("Reference")] for row in by_name] == ["A-001"]
    # Only the look-up by name is audited as a search, as in the list.
    searches = AuditEvent.objects.filter(action=AuditAction.CASE_SEARCH)
    assert [event.object_uuids for event in searches] == [[str(files["mimi"].uuid)]]


def test_the_page_cursor_is_ignored_every_page_is_exported(files, users, client_for):
    client = client_for(users[("coordinator", "a")])
    list_page = client.get(reverse("cases:list"), {"status": "all"})
    assert list_page.status_code == 200

    rows = csv_rows(export(client, "status=all&after=not-a-cursor-but-ignored"))

    assert len(rows) == 4


def test_another_organisations_coordinator_exports_only_their_files(files, users, client_for):
    rows = csv_rows(export(client_for(users[("coordinator", "b")]), "status=all"))

    assert [row[header("Reference")] for row in rows] == ["B-001"]


@pytest.mark.parametrize("query", ["status=bogus", "age_band=old", "worker=nobody"])
def test_an_unknown_filter_is_an_error_named_and_nothing_is_exported(
    query, files, users, client_for
):
    client = client_for(users[("coordinator", "a")])

    page = client.get(f"{URL}?{query}")
    response = export(client, query)

    assert page.status_code == 422
    assert 'id="export-filter-errors"' in page.content.decode()
    assert response.status_code == 422
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST_EXPORT).exists()


@pytest.mark.parametrize(
    "data", [{"export_format": "pdf"}, {"identities": "everything"}, {"export_format": ""}]
)
def test_an_unknown_choice_is_an_error_and_nothing_is_exported(data, files, users, client_for):
    response = export(client_for(users[("coordinator", "a")]), **data)

    assert response.status_code == 422
    assert 'class="error"' in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST_EXPORT).exists()


def test_the_age_column_agrees_with_the_lists_age_filter(org_a, users, client_for):
    today = timezone.localdate()
    for years in (10, 14, 16, 19, 25):
        # Half a year past the birthday: the same age whatever the day the test runs.
        make_case(org_a, birth_date=birthday(today, -years) - timedelta(days=180))
    make_case(org_a, birth_year=today.year - 20, age_disputed=True)  # disputed: still a minor
    make_case(org_a)  # no age known
    client = client_for(users[("coordinator", "a")])

    seen = {}
    for band, label in AgeBand.choices:
        rows = csv_rows(export(client, f"age_band={band}"))
        with translation.override("fr"):
            assert {row[header("Age")] for row in rows} <= {str(label)}, band
        seen[band] = len(rows)

    assert seen == {"under_13": 1, "13_15": 1, "16_17": 2, "18_21": 1, "unknown": 1}
    every_row = csv_rows(export(client))
    with translation.override("fr"):
        assert gettext("22 or older") in {row[header("Age")] for row in every_row}


def test_the_age_band_bounds():
    today = date(2026, 3, 2)
    assert age_band_of(majority_month=None, age_disputed=False, today=today) == AgeBand.UNKNOWN
    # 18th birthday this month: still 17 (the younger age is kept within the month).
    assert (
        age_band_of(majority_month=date(2026, 3, 1), age_disputed=False, today=today)
        == AgeBand.FROM_16_TO_17
    )
    assert (
        age_band_of(majority_month=date(2026, 2, 1), age_disputed=False, today=today)
        == AgeBand.FROM_18_TO_21
    )
    assert (
        age_band_of(majority_month=date(2026, 2, 1), age_disputed=True, today=today)
        == AgeBand.FROM_16_TO_17
    )
    assert age_band_of(majority_month=date(2020, 1, 1), age_disputed=False, today=today) == OVER_21


def test_the_number_of_queries_does_not_grow_with_the_files(org_a, users, client_for):
    client = client_for(users[("coordinator", "a")])
    for _ in range(5):
        make_case(org_a, assigned_to=users[("caseworker", "a")])
    with CaptureQueriesContext(connection) as few:
        assert export(client, identities="identities").status_code == 200
    for _ in range(40):
        make_case(org_a, assigned_to=users[("caseworker", "a")])
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(export(client, identities="identities"))) == 45

    # Only the audit's subject rows grow, in batches: no query per file.
    assert len(many.captured_queries) <= len(few.captured_queries) + 2


# --- Audit ------------------------------------------------------------------------------------


@pytest.mark.parametrize("identities", ["pseudonymous", "identities"])
def test_the_export_is_audited_with_every_file_and_what_it_discloses(
    identities, files, users, client_for
):
    coordinator = users[("coordinator", "a")]
    export(client_for(coordinator), "status=all", identities=identities)

    event = AuditEvent.objects.get(action=AuditAction.CASE_LIST_EXPORT)
    assert event.actor_uuid == coordinator.uuid
    assert event.reason_code == identities
    exported = {files[name].uuid for name in ("mimi", "lina", "plus", "closed")}
    assert set(event.object_uuids) == {str(uuid) for uuid in exported}
    assert set(event.subjects.values_list("object_uuid", flat=True)) == exported


def test_the_form_page_reads_no_file_and_says_how_many(files, users, client_for):
    response = client_for(users[("coordinator", "a")]).get(URL, {"status": "all"})

    assert response.status_code == 200
    assert response.context["count"] == 4
    page = response.content.decode()
    assert 'id="export-count"' in page and 'id="export-filters"' in page
    # Pseudonymous is the choice already made.
    assert 'value="pseudonymous" id="id_identities_0" required checked' in page
    assert not AuditEvent.objects.exclude(action=AuditAction.CASE_LIST).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST_EXPORT).exists()


# --- Who may export, and re-authentication ----------------------------------------------------


@pytest.mark.parametrize("role", ["caseworker", "org_admin", "analyst", "platform_admin"])
def test_other_roles_may_not_export_the_list(role, files, users, client_for):
    client = client_for(users[(role, "a" if role != "platform_admin" else None)])

    assert client.get(URL).status_code == 403
    assert export(client).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST_EXPORT).exists()


def _stale(client) -> None:
    session = client.session
    session[REAUTH_AT_KEY] = (timezone.now() - settings.REAUTH_MAX_AGE * 2).isoformat()
    session.save()


def test_a_stale_session_reauthenticates_first_and_comes_back_with_the_filters(
    files, users, client_for
):
    client = client_for(users[("coordinator", "a")])
    _stale(client)

    page = client.get(URL, {"status": "all", "age_band": "16_17"})
    response = export(client, "status=all")

    for answer in (page, response):
        assert answer.status_code == 302
        assert answer["Location"].startswith(reverse("accounts:reauth"))
    assert urlencode({"next": f"{URL}?status=all&age_band=16_17"}) in page["Location"]
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST_EXPORT).exists()


def test_the_list_links_to_its_export_with_its_filters_for_coordinators_only(
    files, users, client_for
):
    coordinator_page = client_for(users[("coordinator", "a")]).get(
        reverse("cases:list"), {"status": "all", "after": "ignored"}
    )
    caseworker_page = client_for(users[("caseworker", "a")]).get(reverse("cases:list"))

    assert f'href="{URL}?status=all"' in coordinator_page.content.decode()
    caseworker_html = caseworker_page.content.decode()
    assert URL not in caseworker_html
    assert reverse("cases:exports") in caseworker_html


def test_a_pseudonymous_export_does_not_even_read_the_encrypted_columns(files, users, client_for):
    table = Case._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        csv_rows(export(client_for(users[("coordinator", "a")])))

    sql = "\n".join(query["sql"] for query in queries.captured_queries)
    assert f'"{table}"."reference"' in sql
    for column in ("first_name", "last_name", "aliases", "birth_date"):
        assert f'"{table}"."{column}"' not in sql, column


def test_the_xlsx_writer_keeps_every_text_a_string():
    from vigie.cases.exports.writers import xlsx_bytes

    texts = ["=1+1", "#N/A", "-2", "@SUM(A1)", "bell\x07", "Zéphirine"]
    content = xlsx_bytes(header=["Valeur"], rows=[[text] for text in texts], title="Test")

    cells = [row[0] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == [
        "'=1+1",
        "#N/A",
        "'-2",
        "'@SUM(A1)",
        "bell",
        "Zéphirine",
    ]
    assert {cell.data_type for cell in cells} == {"s"}
