"""The worker's daily view (home page) and the daily `vigie alerts` digests."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import Case
from vigie.rights import alerts
from vigie.rights.alerts import AlertKind, daily_view_compute, daily_view_for_user
from vigie.rights.models import OPEN_STATES
from vigie.tests_support.factories import CaseFactory, UserFactory
from vigie.tests_support.factories_alerts import (
    AgeAppealFactory,
    PlacementFactory,
    archive_for_tests,
    case_born_on,
    rights_for_tests,
)
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the clock fixture's day
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _section(view, kind):
    return next(section for section in view.sections if section.kind == kind)


def _refs(view, kind) -> list[str]:
    return [row.case.reference for row in _section(view, kind).rows]


@pytest.fixture
def coordinator(users):
    return users[("coordinator", "a")]


@pytest.fixture
def caseworker(users):
    return users[("caseworker", "a")]


# --- Each section --------------------------------------------------------------------------


def test_overdue_and_soon_due_rights(clock, org_a, coordinator):
    """Given open rights due before today, within 14 days and later, when the coordinator's
    daily view is computed, then each case sits in its most urgent section with its rights."""
    overdue = CaseFactory(organisation=org_a, reference="A-OVERDUE")
    rights_for_tests(
        overdue,
        ("ad_hoc_administrator", "to_do", TODAY - timedelta(days=10)),
        ("safe_accommodation", "in_progress", TODAY - timedelta(days=1)),
        ("health_coverage", "to_do", TODAY + timedelta(days=3)),
    )
    soon = CaseFactory(organisation=org_a, reference="A-SOON")
    rights_for_tests(
        soon,
        ("schooling", "blocked", TODAY),
        ("bank_account", "to_do", TODAY + timedelta(days=14)),
    )
    later = CaseFactory(organisation=org_a, reference="A-LATER")
    rights_for_tests(later, ("lawyer", "to_do", TODAY + timedelta(days=15)))
    done = CaseFactory(organisation=org_a, reference="A-DONE")
    rights_for_tests(done, ("lawyer", "done", TODAY - timedelta(days=30)))

    view = daily_view_compute(user=coordinator, today=timezone.localdate())

    assert view.today == TODAY
    assert _refs(view, AlertKind.OVERDUE) == ["A-OVERDUE"]
    assert _refs(view, AlertKind.DUE_SOON) == ["A-SOON"]
    (overdue_row,) = _section(view, AlertKind.OVERDUE).rows
    # Only the overdue rights, the oldest first.
    assert [(r.right_id, r.due_on) for r in overdue_row.rights] == [
        ("ad_hoc_administrator", TODAY - timedelta(days=10)),
        ("safe_accommodation", TODAY - timedelta(days=1)),
    ]
    (soon_row,) = _section(view, AlertKind.DUE_SOON).rows
    assert [r.right_id for r in soon_row.rights] == ["schooling", "bank_account"]

    # A day later, the right due today is overdue.
    clock.shift(timedelta(days=1))
    view = daily_view_compute(user=coordinator, today=timezone.localdate())
    assert _refs(view, AlertKind.OVERDUE) == ["A-OVERDUE", "A-SOON"]


def test_18th_birthdays_in_the_next_six_months(clock, org_a, coordinator):
    """Given birthdays around the window, only those from today to six months on show, by
    their exact date, although the search goes by month."""
    case_born_on(date(2008, 3, 1), organisation=org_a, reference="ADULT-YESTERDAY")
    case_born_on(date(2008, 3, 2), organisation=org_a, reference="18-TODAY")
    case_born_on(date(2008, 9, 2), organisation=org_a, reference="18-IN-6-MONTHS")
    case_born_on(date(2008, 9, 3), organisation=org_a, reference="18-TOO-LATE")
    case_born_on(date(2008, 5, 20), organisation=org_a, reference="18-IN-MAY")
    case_born_on(date(2009, 4, 1), organisation=org_a, reference="NEXT-YEAR")
    case_born_on(None, organisation=org_a, reference="AGE-UNKNOWN")

    view = daily_view_compute(user=coordinator, today=timezone.localdate())

    rows = _section(view, AlertKind.MAJORITY).rows
    assert [(row.case.reference, row.on) for row in rows] == [
        ("18-TODAY", date(2026, 3, 2)),
        ("18-IN-MAY", date(2026, 5, 20)),
        ("18-IN-6-MONTHS", date(2026, 9, 2)),
    ]
    assert _section(view, AlertKind.MAJORITY).total == 3


def test_birthdays_already_past_this_month_do_not_empty_the_page(clock, org_a, coordinator):
    """Given five young people who turned 18 earlier this month and 22 who will in the window,
    the page still shows 20 upcoming birthdays, the soonest first, and counts the 22."""
    for _ in range(5):
        case_born_on(date(2008, 3, 1), organisation=org_a)
    upcoming = [
        case_born_on(date(2008, 3, 2) + timedelta(days=7 * n), organisation=org_a)
        for n in range(22)
    ]

    section = _section(daily_view_compute(user=coordinator, today=TODAY), AlertKind.MAJORITY)

    assert [row.case.pk for row in section.rows] == [case.pk for case in upcoming[:20]]
    assert (section.total, section.more) == (22, 2)


def test_a_disputed_age_shows_with_the_presumption_of_minority(clock, org_a, coordinator):
    """Given a young person whose stated birth date says adult since March but whose age is
    disputed, then in August the 18th birthday shown is the latest possible one (31 December),
    not the contested date: the presumption of minority applies."""
    clock.move_to(datetime(2026, 8, 3, 8, 0, tzinfo=UTC))
    case_born_on(date(2008, 3, 15), age_disputed=True, organisation=org_a, reference="DISPUTED")
    case_born_on(date(2008, 3, 15), organisation=org_a, reference="NOT-DISPUTED")

    view = daily_view_compute(user=coordinator, today=timezone.localdate())

    rows = _section(view, AlertKind.MAJORITY).rows
    assert [(row.case.reference, row.on) for row in rows] == [("DISPUTED", date(2026, 12, 31))]


@pytest.mark.parametrize("role", ["coordinator", "caseworker"])
def test_age_appeals_pending_for_more_than_three_months(role, clock, org_a, users):
    """Given undecided appeals filed three months ago, 18 months ago and less than three months
    ago, and a decided one, then the first two show, the longest first, with their duration
    (a coordinator's and a caseworker's view are read differently: both are checked)."""
    user = users[(role, "a")]

    def appeal(reference, filed_on, **kwargs):
        case = CaseFactory(organisation=org_a, reference=reference, assigned_to=user)
        return AgeAppealFactory(case=case, filed_on=filed_on, **kwargs)

    appeal("3-MONTHS", date(2025, 12, 2))
    appeal("18-MONTHS", date(2024, 9, 1))
    appeal("RECENT", date(2025, 12, 3))
    appeal("DECIDED", date(2024, 1, 10), decided_on=date(2025, 6, 1), outcome="minor")

    view = daily_view_compute(user=user, today=timezone.localdate())

    rows = _section(view, AlertKind.AGE_APPEAL).rows
    assert [(row.case.reference, row.on, row.months) for row in rows] == [
        ("18-MONTHS", date(2024, 9, 1), 18),
        ("3-MONTHS", date(2025, 12, 2), 3),
    ]

    clock.shift(timedelta(days=1))
    view = daily_view_compute(user=user, today=timezone.localdate())
    assert "RECENT" in _refs(view, AlertKind.AGE_APPEAL)


@pytest.mark.parametrize("role", ["coordinator", "caseworker"])
def test_current_hotel_and_street_placements(role, clock, org_a, users):
    """Current hotel and street placements show (the street one, started first, comes first for
    a caseworker; a coordinator's list goes hotels first); ended or safe ones do not."""
    user = users[(role, "a")]

    def placement(reference, **kwargs):
        case = CaseFactory(organisation=org_a, reference=reference, assigned_to=user)
        return PlacementFactory(case=case, **kwargs)

    placement("HOTEL", started_on=date(2026, 2, 1))
    placement("STREET", kind="street", started_on=date(2026, 1, 15))
    placement("HOTEL-ENDED", started_on=date(2026, 1, 1), ended_on=date(2026, 1, 20))
    placement("FOSTER", kind="foster_family", started_on=date(2026, 1, 1))

    view = daily_view_compute(user=user, today=timezone.localdate())

    rows = _section(view, AlertKind.UNSAFE_PLACEMENT).rows
    expected = [("HOTEL", "hotel", date(2026, 2, 1)), ("STREET", "street", date(2026, 1, 15))]
    if role == "caseworker":
        expected.reverse()
    assert [(row.case.reference, row.placement_kind, row.on) for row in rows] == expected


def test_ad_hoc_administrators_not_yet_appointed(clock, org_a, coordinator):
    """Unaccompanied minors (or presumed minors) and files whose plan holds the right open, as
    long as nobody is appointed; the nearest 18th birthday first, unknown ages last."""
    case_born_on(
        date(2010, 6, 1), unaccompanied=True, organisation=org_a, reference="UNACCOMPANIED-15"
    )
    case_born_on(
        date(2008, 7, 1), unaccompanied=True, organisation=org_a, reference="UNACCOMPANIED-17"
    )
    case_born_on(None, unaccompanied=True, organisation=org_a, reference="AGE-UNKNOWN")
    case_born_on(
        date(2010, 6, 1),
        unaccompanied=True,
        ad_hoc_administrator_requested_on=date(2026, 2, 1),
        ad_hoc_administrator_appointed_on=date(2026, 2, 10),
        organisation=org_a,
        reference="APPOINTED",
    )
    case_born_on(date(2006, 1, 1), unaccompanied=True, organisation=org_a, reference="ADULT")
    accompanied = case_born_on(
        date(2011, 1, 1),
        ad_hoc_administrator_requested_on=date(2026, 2, 20),
        organisation=org_a,
        reference="RIGHT-OPEN",
    )
    rights_for_tests(accompanied, ("ad_hoc_administrator", "in_progress", TODAY))
    closed_right = case_born_on(date(2011, 1, 1), organisation=org_a, reference="RIGHT-DONE")
    rights_for_tests(closed_right, ("ad_hoc_administrator", "not_applicable", None))

    view = daily_view_compute(user=coordinator, today=timezone.localdate())

    rows = _section(view, AlertKind.AD_HOC_ADMINISTRATOR).rows
    assert [(row.case.reference, row.on) for row in rows] == [
        ("UNACCOMPANIED-17", None),
        ("UNACCOMPANIED-15", None),
        ("RIGHT-OPEN", date(2026, 2, 20)),
        ("AGE-UNKNOWN", None),
    ]


# --- Scope, limits, audit ------------------------------------------------------------------


def test_caseworkers_see_their_cases_coordinators_their_organisation(
    clock, org_a, org_b, users, caseworker, coordinator
):
    colleague = UserFactory(role="caseworker", organisation=org_a)
    mine = PlacementFactory(case__organisation=org_a, case__assigned_to=caseworker).case
    theirs = PlacementFactory(case__organisation=org_a, case__assigned_to=colleague).case
    unassigned = PlacementFactory(case__organisation=org_a).case
    closed = PlacementFactory(case__organisation=org_a, case__status="closed").case
    archived = archive_for_tests(PlacementFactory(case__organisation=org_a).case)
    other_org = PlacementFactory(case__organisation=org_b).case
    # A file B refers to A stays B's to act on.
    shared = PlacementFactory(case__organisation=org_b).case
    full_referral_for_tests(shared, org_a)

    def shown(user):
        view = daily_view_compute(user=user, today=TODAY)
        return set(_refs(view, AlertKind.UNSAFE_PLACEMENT))

    assert shown(caseworker) == {mine.reference}
    assert shown(coordinator) == {mine.reference, theirs.reference, unassigned.reference}
    assert shown(users[("coordinator", "b")]) == {other_org.reference, shared.reference}
    assert not shown(users[("analyst", "a")])
    assert not shown(users[("platform_admin", None)])
    for hidden in (closed, archived):
        assert hidden.reference not in shown(coordinator)


def test_sections_show_twenty_rows_and_count_the_rest_up_to_a_cap(
    clock, org_a, coordinator, monkeypatch
):
    for n in range(23):
        PlacementFactory(case__organisation=org_a, started_on=TODAY - timedelta(days=n))

    section = _section(
        daily_view_compute(user=coordinator, today=TODAY), AlertKind.UNSAFE_PLACEMENT
    )
    assert (len(section.rows), section.total, section.more, section.capped) == (20, 23, 3, False)

    monkeypatch.setattr(alerts, "COUNT_CAP", 21)
    section = _section(
        daily_view_compute(user=coordinator, today=TODAY), AlertKind.UNSAFE_PLACEMENT
    )
    assert (section.total, section.capped) == (21, True)


def _fill_every_section(org, count: int) -> None:
    for n in range(count):
        case = case_born_on(
            date(2008, 4, 1) + timedelta(days=n), unaccompanied=True, organisation=org
        )
        rights_for_tests(case, ("lawyer", "to_do", TODAY - timedelta(days=1 + n)))
        soon = CaseFactory(organisation=org)
        rights_for_tests(soon, ("lawyer", "to_do", TODAY + timedelta(days=1)))
        AgeAppealFactory(case=case, filed_on=date(2025, 1, 1))
        PlacementFactory(case=case)


def test_the_number_of_queries_does_not_grow_with_the_cases(clock, org_a, coordinator):
    """Bounded work: the same queries whether the organisation has 2 or 25 files per section."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _fill_every_section(org_a, 2)
    with CaptureQueriesContext(connection) as few:
        daily_view_compute(user=coordinator, today=TODAY)
    _fill_every_section(org_a, 23)
    with CaptureQueriesContext(connection) as many:
        view = daily_view_compute(user=coordinator, today=TODAY)

    assert all(len(section.rows) == 20 for section in view.sections)
    # A count per full section, nothing per case.
    assert len(many.captured_queries) <= len(few.captured_queries) + len(view.sections) + 1
    assert len(many.captured_queries) <= 16


def test_reading_the_daily_view_is_one_audited_list(org_a, caseworker):
    hotel = PlacementFactory(case__organisation=org_a, case__assigned_to=caseworker).case
    late = CaseFactory(organisation=org_a, assigned_to=caseworker)
    rights_for_tests(late, ("lawyer", "to_do", date(2020, 1, 1)))
    CaseFactory(organisation=org_a, assigned_to=caseworker)  # nothing to report
    before = AuditEvent.objects.count()

    daily_view_for_user(actor=Actor(user=caseworker, ip_address="203.0.113.9"))

    (event,) = AuditEvent.objects.all()[before:]
    assert event.action == AuditAction.CASE_LIST
    assert sorted(event.object_uuids) == sorted([str(hotel.uuid), str(late.uuid)])
    assert event.actor_uuid == caseworker.uuid


# --- The home page --------------------------------------------------------------------------


def test_the_home_page_shows_the_daily_view_with_links(clock, org_a, caseworker, client_for):
    """Every section with a row, rendered: links to the files, the detail of each, no name."""
    mine = {"organisation": org_a, "assigned_to": caseworker}
    case = PlacementFactory(
        case__organisation=org_a, case__assigned_to=caseworker, case__last_name="Konaté"
    ).case
    case_born_on(date(2008, 4, 10), reference="BIRTHDAY", last_name="Diallo", **mine)
    rights_for_tests(
        CaseFactory(reference="LATE", **mine), ("ad_hoc_administrator", "to_do", date(2026, 2, 20))
    )
    rights_for_tests(
        CaseFactory(reference="SOON", **mine), ("lawyer_and_complaint", "to_do", date(2026, 3, 5))
    )
    AgeAppealFactory(case=CaseFactory(reference="APPEAL", **mine), filed_on=date(2025, 8, 1))
    CaseFactory(
        reference="NO-ADMIN",
        unaccompanied=True,
        ad_hoc_administrator_requested_on=date(2026, 2, 1),
        **mine,
    )

    response = client_for(caseworker).get(reverse("core:home"), **ENGLISH)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="daily-view-heading">' in page
    assert page.count("<h3 ") == len(AlertKind)
    assert f'href="{case.get_absolute_url()}">{case.reference}</a>' in page
    assert "Rights violation" in page
    assert "Ad hoc administrator appointed, due on" in page  # the catalogue's name
    assert "SOON" in page
    assert "turns 18 on" in page
    assert "pending for 7 months" in page
    assert "requested on" in page and "not appointed" in page
    assert "Nothing to report." not in page
    # References only on the home page: names stay inside the file.
    assert "Konaté" not in page and "Diallo" not in page
    assert AuditEvent.objects.filter(action=AuditAction.CASE_LIST).exists()


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_case_files_get_no_daily_view(role, users, client_for):
    before = AuditEvent.objects.filter(action=AuditAction.CASE_LIST).count()
    response = client_for(users[(role, "a")]).get(reverse("core:home"))
    assert response.status_code == 200
    assert "daily-view-heading" not in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.CASE_LIST).count() == before


# --- vigie alerts ----------------------------------------------------------------------------


@pytest.fixture
def refreshed(monkeypatch):
    """The rights plan refresh, recorded instead of run: these tests check who gets what."""
    calls: list[Case] = []

    def spy(*, cases, today=None):
        calls.extend(cases)
        return len(cases)

    monkeypatch.setattr("vigie.rights.services.rights_plans_refresh_many", spy)
    return calls


@pytest.fixture
def alerting_world(org_a, org_b, users, caseworker):
    """Alerts for caseworker A (two sections) and in org B; names and birth dates to watch."""
    hotel = PlacementFactory(
        case__organisation=org_a,
        case__assigned_to=caseworker,
        case__first_name="Mariam",
        case__last_name="Traoré",
        case__reference="A-HOTEL",
    ).case
    birthday = case_born_on(
        date(2008, 5, 17),
        organisation=org_a,
        assigned_to=caseworker,
        first_name="Blessing",
        last_name="Okafor",
        reference="A-BIRTHDAY",
    )
    rights_for_tests(birthday, ("lawyer", "to_do", TODAY - timedelta(days=3)))
    other = PlacementFactory(case__organisation=org_b, case__reference="B-HOTEL").case
    return {"hotel": hotel, "birthday": birthday, "other": other}


def test_each_person_gets_one_digest_with_counts_and_references_only(
    clock, alerting_world, users, refreshed, settings
):
    settings.VIGIE_BASE_URL = "https://vigie.example.org"
    # Accounts have no language of their own: digests speak Vigie's language (French by
    # default). English here, so that the wording checked below is the source text.
    settings.LANGUAGE_CODE = "en"
    UserFactory(role="caseworker", organisation=users[("caseworker", "a")].organisation)

    call_command("alerts")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    expected = {
        users[("caseworker", "a")].email,
        users[("coordinator", "a")].email,
        users[("coordinator", "b")].email,
    }
    # Nobody without alerts, nobody without case files.
    assert set(by_recipient) == expected
    body = by_recipient[users[("caseworker", "a")].email].body
    assert "A-HOTEL" in body and "A-BIRTHDAY" in body and "B-HOTEL" not in body
    assert "Overdue rights: 1" in body
    assert "18th birthdays in the next six months: 1" in body
    assert "Placed in a hotel or in the street: 1" in body
    assert "Age appeals" not in body  # empty sections are left out
    assert "https://vigie.example.org/" in body
    assert "3 alerts" in by_recipient[users[("caseworker", "a")].email].subject
    assert "B-HOTEL" in by_recipient[users[("coordinator", "b")].email].body


def test_no_name_or_birth_date_ever_goes_into_an_email(clock, alerting_world, refreshed):
    call_command("alerts")

    assert mail.outbox
    birth = alerting_world["birthday"].birth_date
    forbidden = ["Mariam", "Traoré", "Blessing", "Okafor", birth.isoformat()]
    forbidden += [birth.strftime("%d/%m/%Y"), birth.strftime("%d/%m/%y"), "17 mai", "May 17"]
    for message in mail.outbox:
        text = message.subject + message.body
        for secret in forbidden:
            assert secret not in text, f"{secret!r} in the email to {message.to}"
        # Plain text only: no HTML part nor attachment that could carry more.
        assert not getattr(message, "alternatives", None) and not message.attachments


def test_the_digest_run_is_audited_once(clock, alerting_world, refreshed):
    call_command("alerts")

    (event,) = AuditEvent.objects.filter(action=AuditAction.ALERTS_DIGEST_SEND)
    assert event.actor_uuid is None and event.role == "system"
    assert event.reason_code == f"digests-{len(mail.outbox)}"
    assert set(event.object_uuids) == {str(c.uuid) for c in alerting_world.values()}
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_LIST).exists()


def test_dry_run_sends_nothing_and_refreshes_nothing(clock, alerting_world, refreshed, capsys):
    call_command("alerts", "--dry-run")

    assert mail.outbox == []
    assert refreshed == []
    assert not AuditEvent.objects.filter(action=AuditAction.ALERTS_DIGEST_SEND).exists()
    output = capsys.readouterr().out
    assert "3 digests would be sent" in output
    assert "Okafor" not in output


def test_the_plans_that_depend_on_the_date_are_refreshed_first(clock, org_a, refreshed):
    """Birthdays of 16, 17 and 18 this month, deadlines near, pending appeals, a placement
    ended yesterday: refreshed; a file with nothing depending on the date, a closed or archived
    one: not."""
    turning_16 = case_born_on(date(2010, 3, 20), organisation=org_a)
    turning_17 = case_born_on(date(2009, 3, 2), organisation=org_a)
    turning_18 = case_born_on(date(2008, 3, 30), organisation=org_a)
    due = CaseFactory(organisation=org_a)
    rights_for_tests(due, ("lawyer", "to_do", TODAY + timedelta(days=5)))
    appeal = AgeAppealFactory(case__organisation=org_a, filed_on=date(2026, 1, 5)).case
    moved_out = PlacementFactory(
        case__organisation=org_a, started_on=date(2025, 6, 1), ended_on=TODAY - timedelta(days=1)
    ).case
    PlacementFactory(case__organisation=org_a, started_on=date(2025, 6, 1))  # nothing new
    quiet = case_born_on(date(2010, 9, 1), organisation=org_a)
    closed = case_born_on(date(2010, 3, 20), organisation=org_a, status="closed")
    archived = archive_for_tests(case_born_on(date(2010, 3, 20), organisation=org_a))

    call_command("alerts", "--today", "2026-03-02")

    refreshed_ids = {case.pk for case in refreshed}
    expected = (turning_16, turning_17, turning_18, due, appeal, moved_out)
    assert refreshed_ids == {c.pk for c in expected}
    assert not {quiet.pk, closed.pk, archived.pk} & refreshed_ids


def test_refreshing_runs_in_batches(clock, org_a, refreshed):
    from vigie.rights.digests import alerts_rights_refresh

    cases = [case_born_on(date(2008, 3, 10 + n), organisation=org_a) for n in range(5)]

    assert alerts_rights_refresh(today=TODAY, batch_size=2) == 5
    assert sorted(case.pk for case in refreshed) == sorted(case.pk for case in cases)


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "02/03/2026"])
def test_a_bad_date_stops_with_one_line(value, refreshed):
    with pytest.raises(CommandError) as error:
        call_command("alerts", "--today", value)
    assert "\n" not in str(error.value)
    assert "YYYY-MM-DD" in str(error.value)
    assert mail.outbox == []


def test_the_daily_run_with_the_real_rights_plan(clock, org_a, caseworker):
    """End to end, nothing replaced: an unaccompanied 17-year-old turning 18 this month is
    refreshed by the catalogue, and the digest names the file."""
    case = case_born_on(
        date(2008, 3, 20),
        unaccompanied=True,
        organisation=org_a,
        assigned_to=caseworker,
        reference="A-REAL",
    )

    call_command("alerts")

    assert case.rights.exists(), "the rights plan was not refreshed"
    case.refresh_from_db()
    open_dues = [
        r.due_on for r in case.rights.filter(state__in=OPEN_STATES) if r.due_on is not None
    ]
    assert case.next_due_on == min(open_dues, default=None)
    (message,) = [m for m in mail.outbox if m.to == [caseworker.email]]
    assert "A-REAL" in message.body


def test_a_workers_pending_appeals_are_looked_up_file_by_file_through_their_index(users, org_a):
    """At 100,000 files SQLite took 8 s for one caseworker's daily view: each of her files'
    oldest pending appeal was searched among every pending appeal of the database. The lookup
    must go through the (case, decided_on, filed_on) index."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    caseworker = users[("caseworker", "a")]
    mine = CaseFactory(organisation=org_a, assigned_to=caseworker)
    AgeAppealFactory(case=mine, filed_on=date(2025, 8, 1))
    for _ in range(3):
        AgeAppealFactory(case=CaseFactory(organisation=org_a), filed_on=date(2025, 8, 1))
    with CaptureQueriesContext(connection) as queries:
        view = daily_view_compute(user=caseworker, today=TODAY)
    assert _refs(view, AlertKind.AGE_APPEAL) == [mine.reference]
    if connection.vendor != "sqlite":
        return  # PostgreSQL's statistics choose well (measured in make bench)
    sql = next(q["sql"] for q in queries.captured_queries if "cases_ageappeal" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "age_appeal_case_pending" in plan
