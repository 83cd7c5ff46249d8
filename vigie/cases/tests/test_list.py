"""The case list: filters, search by reference or exact name, keyset pages, errors and audit."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.ages import majority_month
from vigie.cases.forms_list import CaseListForm
from vigie.cases.models import Case, ExploitationForm
from vigie.cases.selectors import (
    CaseCursor,
    CaseListFilters,
    case_count_for_user,
    case_list_for_user,
)
from vigie.cases.services.opening import full_name_index
from vigie.tests_support.factories import CaseFactory, UserFactory
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

# The clock fixture's day (vigie/conftest.py CLOCK_START, 9:00 in Paris).
TODAY = date(2026, 3, 2)
URL = reverse("cases:list")


def make_case(organisation, **fields) -> Case:
    """A case whose month of majority and name index agree with its data, as services keep them."""
    birth_date = fields.pop("birth_date", None)
    birth_year = fields.pop("birth_year", birth_date.year if birth_date else None)
    disputed = fields.pop("age_disputed", False)
    fields.setdefault("identified_on", TODAY - timedelta(days=30))
    if "first_name" in fields or "last_name" in fields:
        fields["name_index"] = full_name_index(
            fields.get("first_name", ""), fields.get("last_name", "")
        )
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


def listed(response) -> list[str]:
    """References of the rows shown, in order."""
    assert response.status_code == 200, response.content.decode()[:2000]
    return [case.reference for case in response.context["page"].cases]


def new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))


def last_sequence() -> int:
    last = AuditEvent.objects.order_by("-sequence").first()
    return last.sequence if last else 0


@pytest.fixture
def worker_client(clock, users, client_for):
    return client_for(users[("caseworker", "a")])


# --- What is listed -------------------------------------------------------------------------------


def test_default_list_shows_active_files_of_the_organisation_and_those_shared_with_it(
    clock, users, org_a, org_b, worker_client
):
    """Given files of A in every status, an archived one, B's files (one shared with A, one
    whose share was revoked), when a caseworker of A opens the list, then she sees A's active
    files and the file shared with A, nothing else."""
    active = {
        status: make_case(org_a, status=status, reference=f"A-{status}")
        for status in ("open", "identified", "protected", "transition")
    }
    make_case(org_a, status="closed", reference="A-closed")
    make_case(org_a, status="transferred", reference="A-transferred")
    make_case(org_a, reference="A-archived", archived_at=timezone.now())
    make_case(org_b, reference="B-private")
    # Referred to A: still B's file, never in A's list.
    full_referral_for_tests(make_case(org_b, reference="B-referred"), org_a)

    response = worker_client.get(URL)

    assert sorted(listed(response)) == sorted(c.reference for c in active.values())


def test_one_status_or_all_statuses_but_never_archived_files(clock, org_a, worker_client):
    make_case(org_a, status="open", reference="A-open")
    make_case(org_a, status="closed", reference="A-closed")
    make_case(org_a, status="closed", reference="A-archived", archived_at=timezone.now())

    assert listed(worker_client.get(URL, {"status": "closed"})) == ["A-closed"]
    assert sorted(listed(worker_client.get(URL, {"status": "all"}))) == ["A-closed", "A-open"]


def test_rights_due_filters_overdue_due_within_14_days_and_none(clock, org_a, worker_client):
    make_case(org_a, reference="overdue", next_due_on=TODAY - timedelta(days=1))
    make_case(org_a, reference="today", next_due_on=TODAY)
    make_case(org_a, reference="in-14-days", next_due_on=TODAY + timedelta(days=14))
    make_case(org_a, reference="in-15-days", next_due_on=TODAY + timedelta(days=15))
    make_case(org_a, reference="nothing-due", next_due_on=None)

    def refs(value: str) -> list[str]:
        return sorted(listed(worker_client.get(URL, {"rights_due": value})))

    assert refs("overdue") == ["overdue"]
    assert refs("due_soon") == ["in-14-days", "today"]
    assert refs("none") == ["nothing-due"]


def test_form_of_exploitation_matches_any_form_of_the_list_exactly(clock, org_a, worker_client):
    make_case(
        org_a, reference="both", exploitation_forms=["forced_criminality", "sexual_exploitation"]
    )
    make_case(org_a, reference="online", exploitation_forms=["online_sexual_exploitation"])
    make_case(org_a, reference="none", exploitation_forms=[])

    def refs(value: str) -> list[str]:
        return sorted(listed(worker_client.get(URL, {"exploitation_form": value})))

    assert refs("sexual_exploitation") == ["both"]
    assert refs("forced_criminality") == ["both"]
    assert refs("online_sexual_exploitation") == ["online"]
    assert refs("forced_begging") == []


def test_age_bands_apply_the_presumption_of_minority(clock, org_a, worker_client):
    """On 2 March 2026: a known birth date counts to the month; a birth year alone counts from
    31 December; a disputed age is a minor's, even when the stated year says adult."""
    make_case(org_a, reference="12", birth_date=date(2013, 6, 1))
    make_case(org_a, reference="13-by-date", birth_date=date(2013, 1, 15))
    # Born in 2010 per the year alone: presumed born 31 December, so 15, not 16.
    make_case(org_a, reference="15-by-year", birth_year=2010)
    make_case(org_a, reference="16-by-date", birth_date=date(2010, 1, 20))
    make_case(org_a, reference="17", birth_date=date(2008, 6, 1))
    # 18 in March 2026: the birthday's month is not over, the younger age is kept.
    make_case(org_a, reference="18-this-month", birth_date=date(2008, 3, 1))
    make_case(org_a, reference="18", birth_date=date(2008, 2, 10))
    make_case(org_a, reference="21", birth_date=date(2004, 7, 1))
    make_case(org_a, reference="22", birth_date=date(2003, 7, 1))
    make_case(org_a, reference="disputed-says-19", birth_year=2006, age_disputed=True)
    make_case(org_a, reference="unknown", birth_year=None)

    def refs(band: str) -> list[str]:
        return sorted(listed(worker_client.get(URL, {"age_band": band})))

    assert refs("under_13") == ["12"]
    assert refs("13_15") == ["13-by-date", "15-by-year"]
    assert refs("16_17") == ["16-by-date", "17", "18-this-month", "disputed-says-19"]
    assert refs("18_21") == ["18", "21"]
    assert refs("unknown") == ["unknown"]


def test_care_status_filter(clock, org_a, worker_client):
    make_case(org_a, reference="ase", care_status="ase")
    make_case(org_a, reference="pjj", care_status="pjj")
    make_case(org_a, reference="both", care_status="both")

    assert listed(worker_client.get(URL, {"care_status": "pjj"})) == ["pjj"]


def test_worker_filter_mine_a_colleague_and_unassigned(clock, users, org_a, worker_client):
    me = users[("caseworker", "a")]
    colleague = UserFactory(role="caseworker", organisation=org_a, full_name="Colleague A")
    make_case(org_a, reference="mine", assigned_to=me)
    make_case(org_a, reference="colleague", assigned_to=colleague)
    make_case(org_a, reference="nobody", assigned_to=None)

    assert listed(worker_client.get(URL, {"worker": "mine"})) == ["mine"]
    assert listed(worker_client.get(URL, {"worker": str(colleague.uuid)})) == ["colleague"]
    assert listed(worker_client.get(URL, {"worker": "unassigned"})) == ["nobody"]


def test_filters_combine(clock, users, org_a, worker_client):
    me = users[("caseworker", "a")]
    make_case(
        org_a,
        reference="match",
        assigned_to=me,
        care_status="ase",
        next_due_on=TODAY - timedelta(days=3),
        exploitation_forms=["forced_begging"],
    )
    make_case(
        org_a,
        reference="not-mine",
        care_status="ase",
        next_due_on=TODAY - timedelta(days=3),
        exploitation_forms=["forced_begging"],
    )
    make_case(
        org_a,
        reference="not-due",
        assigned_to=me,
        care_status="ase",
        exploitation_forms=["forced_begging"],
    )

    response = worker_client.get(
        URL,
        {
            "worker": "mine",
            "care_status": "ase",
            "rights_due": "overdue",
            "exploitation_form": "forced_begging",
        },
    )

    assert listed(response) == ["match"]


# --- Search ---------------------------------------------------------------------------------------


@pytest.fixture
def no_decryption(monkeypatch):
    """Any decryption fails the test: listing and searching never read an encrypted value."""

    def refuse(stored: str) -> str:
        raise AssertionError("the list decrypted a value")

    monkeypatch.setattr("vigie.core.crypto.decrypt_text", refuse)


def test_search_by_reference_is_exact_and_ignores_case(
    clock, org_a, org_b, worker_client, no_decryption
):
    make_case(org_a, reference="2026-ABCDEF")
    make_case(org_a, reference="2026-ABCDEFG")
    make_case(org_b, reference="2026-ZZZZZZ")

    assert listed(worker_client.get(URL, {"q": " 2026-abcdef "})) == ["2026-ABCDEF"]
    assert listed(worker_client.get(URL, {"q": "2026-ABC"})) == []
    # Another organisation's reference finds nothing (and is then looked up as a name).
    assert listed(worker_client.get(URL, {"q": "2026-zzzzzz"})) == []


def test_search_by_exact_full_name_goes_through_the_blind_index(
    clock, org_a, org_b, worker_client, no_decryption
):
    """The name typed is hashed with the index key and compared: nothing is decrypted, spacing
    and accents do not matter, a partial name finds nothing, another organisation's child with
    the same name is not listed."""
    found = make_case(org_a, reference="A-1", first_name="Aïssata", last_name="Koné")
    make_case(org_a, reference="A-2", first_name="Aïssata", last_name="Konate")
    make_case(org_b, reference="B-1", first_name="Aïssata", last_name="Koné")
    assert found.name_index == full_name_index("Aïssata", "Koné")

    assert listed(worker_client.get(URL, {"q": "aissata   KONE"})) == ["A-1"]
    assert listed(worker_client.get(URL, {"q": "Aïssata"})) == []


def test_a_search_keeps_the_filters(clock, org_a, worker_client):
    make_case(org_a, reference="A-open", first_name="Lina", last_name="Sow")
    make_case(org_a, reference="A-closed", first_name="Lina", last_name="Sow", status="closed")

    assert listed(worker_client.get(URL, {"q": "Lina Sow"})) == ["A-open"]
    assert sorted(listed(worker_client.get(URL, {"q": "Lina Sow", "status": "all"}))) == [
        "A-closed",
        "A-open",
    ]


# --- Keyset pages ---------------------------------------------------------------------------------


def test_cursor_pages_are_stable_with_ties_and_complete(clock, users, org_a):
    """Given 11 files, 7 identified the same day, when the list is walked three at a time, then
    every file comes exactly once, newest first with ties in UUID order, even when a file is
    added on the first page's day while walking."""
    days = [TODAY - timedelta(days=d) for d in (0, 1, 1, 1, 1, 1, 1, 1, 2, 3, 3)]
    cases = [make_case(org_a, identified_on=day) for day in days]
    actor = Actor(user=users[("caseworker", "a")])
    expected = [
        c.reference for c in sorted(cases, key=lambda c: (c.identified_on, c.uuid), reverse=True)
    ]

    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = case_list_for_user(actor=actor, after=cursor, today=TODAY, page_size=3)
        seen += [c.reference for c in page.cases]
        pages += 1
        if pages == 1:
            # A newer file arriving meanwhile belongs before the cursor: no shift, no repeat.
            make_case(org_a, identified_on=TODAY)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor

    assert seen == expected
    assert pages == 4


def test_next_page_only_when_one_more_file_exists_and_no_count_is_made(clock, org_a, worker_client):
    for _ in range(50):
        make_case(org_a)
    with CaptureQueriesContext(connection) as queries:
        response = worker_client.get(URL)
    assert response.context["page"].next_cursor is None
    assert 'rel="next"' not in response.content.decode()
    # (The navigation counts unread notifications: not the list's concern.)
    assert not [
        q
        for q in queries.captured_queries
        if "COUNT(" in q["sql"].upper() and "cases_case" in q["sql"]
    ]

    make_case(org_a, identified_on=TODAY - timedelta(days=400))
    response = worker_client.get(URL)
    page = response.context["page"]
    assert len(page.cases) == 50
    assert 'rel="next"' in response.content.decode()

    second = worker_client.get(URL, {"after": page.next_cursor.encode()})
    assert [c.identified_on for c in second.context["page"].cases] == [TODAY - timedelta(days=400)]
    assert second.context["page"].next_cursor is None


def test_the_cursor_is_opaque_and_round_trips():
    cursor = CaseCursor(
        identified_on=date(2026, 3, 2),
        uuid=__import__("uuid").UUID("12345678-1234-4234-8234-123456789abc"),
    )
    encoded = cursor.encode()
    assert "2026" not in encoded and "12345678" not in encoded
    assert CaseCursor.decode(encoded) == cursor


# --- Errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("status", "archived"),
        ("rights_due", "soon"),
        ("exploitation_form", "organ_trade"),
        ("age_band", "12_14"),
        ("care_status", "asf"),
        ("worker", "somebody"),
        ("after", "not-a-cursor"),
    ],
)
def test_an_unknown_value_is_a_422_naming_the_field_and_lists_nothing(
    clock, org_a, worker_client, param, value
):
    make_case(org_a, reference="A-1")
    since = last_sequence()

    response = worker_client.get(URL, {param: value})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [param]
    with translation.override(response.wsgi_request.LANGUAGE_CODE):
        label = gettext("Page") if param == "after" else str(CaseListForm.base_fields[param].label)
    page = response.content.decode()
    assert f">{label}</a>:" in page  # the error summary names the field
    assert "A-1" not in page
    assert new_events(since) == []


def test_a_caseworker_of_another_organisation_is_not_a_worker_choice(clock, users, worker_client):
    outsider = users[("caseworker", "b")]

    response = worker_client.get(URL, {"worker": str(outsider.uuid)})

    assert response.status_code == 422
    assert outsider.full_name not in response.content.decode()


# --- Audit ----------------------------------------------------------------------------------------


def test_the_list_writes_one_event_naming_the_listed_files_only(clock, org_a, worker_client):
    shown = [make_case(org_a, identified_on=TODAY) for _ in range(50)]
    not_shown = make_case(org_a, identified_on=TODAY - timedelta(days=10))
    since = last_sequence()

    worker_client.get(URL)

    events = new_events(since)
    assert [e.action for e in events] == [AuditAction.CASE_LIST]
    assert sorted(events[0].object_uuids) == sorted(str(c.uuid) for c in shown)
    assert str(not_shown.uuid) not in events[0].object_uuids


def test_a_name_search_is_audited_as_a_search_without_the_name(clock, org_a, worker_client):
    found = make_case(org_a, reference="A-1", first_name="Blessing", last_name="Okafor")
    since = last_sequence()

    worker_client.get(URL, {"q": "Blessing Okafor"})

    events = new_events(since)
    assert [e.action for e in events] == [AuditAction.CASE_LIST, AuditAction.CASE_SEARCH]
    assert events[1].object_uuids == [str(found.uuid)]
    stored = repr(list(AuditEvent.objects.filter(sequence__gt=since).values())).lower()
    assert "blessing" not in stored and "okafor" not in stored
    assert found.name_index not in stored


def test_a_name_search_finding_nothing_is_still_audited(clock, org_a, worker_client):
    since = last_sequence()

    worker_client.get(URL, {"q": "Nobody Known"})

    events = new_events(since)
    assert [e.action for e in events] == [AuditAction.CASE_LIST, AuditAction.CASE_SEARCH]
    assert events[1].object_uuids == []


def test_a_reference_search_is_a_list_not_a_name_search(clock, org_a, worker_client):
    case = make_case(org_a, reference="2026-QWERTY")
    since = last_sequence()

    worker_client.get(URL, {"q": "2026-qwerty"})

    events = new_events(since)
    assert [e.action for e in events] == [AuditAction.CASE_LIST]
    assert events[0].object_uuids == [str(case.uuid)]


# --- The selector alone ---------------------------------------------------------------------------


def test_selector_rejects_unknown_values_naming_the_field(clock, users):
    from django.core.exceptions import ValidationError

    actor = Actor(user=users[("caseworker", "a")])
    for field, filters in (
        ("status", CaseListFilters(status="archived")),
        ("rights_due", CaseListFilters(rights_due="later")),
        ("exploitation_form", CaseListFilters(exploitation_form="x")),
        ("age_band", CaseListFilters(age_band="old")),
        ("care_status", CaseListFilters(care_status="x")),
        ("worker", CaseListFilters(worker="00000000-0000-4000-8000-000000000000")),
    ):
        with pytest.raises(ValidationError) as error:
            case_list_for_user(actor=actor, filters=filters, today=TODAY)
        assert field in error.value.message_dict


def test_the_count_on_the_home_page_counts_active_visible_files(clock, users, org_a, org_b):
    make_case(org_a, status="open")
    make_case(org_a, status="closed")
    make_case(org_a, status="protected", archived_at=datetime(2026, 1, 1, tzinfo=UTC))
    full_referral_for_tests(make_case(org_b, status="identified"), org_a)
    make_case(org_b, status="open")

    assert case_count_for_user(actor=Actor(user=users[("caseworker", "a")])) == 1


def test_the_forms_of_exploitation_are_indexed():
    """Migration 0003 creates them outside Django's knowledge; a later SQLite table rebuild would
    silently drop them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'cases_case'")
            expected = {"case_list_forms_gin"}
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'cases_case'")
            expected = {f"case_list_form_{form}" for form in ExploitationForm.values}
        names = {row[0] for row in cursor.fetchall()}
    assert expected <= names


def test_a_form_filter_uses_the_forms_index(clock, users, org_a):
    """The SQL the selector writes is the one the indexes answer (SQLite matches the partial
    index's own term, written out)."""
    make_case(org_a, reference="begging", exploitation_forms=["forced_begging"])
    actor = Actor(user=users[("caseworker", "a")])
    with CaptureQueriesContext(connection) as queries:
        page = case_list_for_user(
            actor=actor, filters=CaseListFilters(exploitation_form="forced_begging"), today=TODAY
        )
    assert [c.reference for c in page.cases] == ["begging"]
    sql = next(q["sql"] for q in queries.captured_queries if "exploitation_forms" in q["sql"])
    if connection.vendor == "postgresql":
        # On a few rows PostgreSQL's choice says nothing: the operator is the one the GIN index
        # (jsonb_path_ops) answers; the benchmark's plans show it used at scale.
        assert "@>" in sql
        return
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "case_list_form_forced_begging" in plan


# --- In a browser (axe-core checks every page loaded) ------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_filter_search_page_on_and_see_an_error(
    page, visit, axe_check, browser_sign_in, allow_console_error, users, org_a
):
    """Given 51 files, one under PJJ care, when a caseworker filters by care status, searches a
    reference, walks to the second page, and opens a list address with an unknown value, then
    each page answers as expected and passes the accessibility checks."""
    from playwright.sync_api import expect

    from vigie.tests_support.browser import submit_main_form

    today = timezone.localdate()
    for day in range(50):
        make_case(org_a, identified_on=today - timedelta(days=day), care_status="ase")
    oldest = make_case(
        org_a, reference="2020-OLDEST", identified_on=today - timedelta(days=900), care_status="pjj"
    )
    browser_sign_in(users[("caseworker", "a")])

    visit(URL)
    page.select_option("select[name=care_status]", "pjj")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text(oldest.reference)

    visit(URL)
    page.fill("input[name=q]", "2020-oldest")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)

    visit(URL)
    expect(page.locator("main table tbody tr")).to_have_count(50)
    with page.expect_navigation():
        page.click("nav.pagination a[rel=next]")
    axe_check(page)
    expect(page.locator("main table tbody tr")).to_have_count(1)
    expect(page.locator("main table")).to_contain_text(oldest.reference)

    allow_console_error("status of 422")
    visit(URL + "?age_band=twelve", status=422)
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("main table")).to_have_count(0)
