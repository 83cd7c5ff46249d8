"""Retention (CNIL 2022-008): `vigie retention`, and archived files read by coordinators only."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from vigie.audit.models import AuditAction, AuditEvent
from vigie.cases.models import Case
from vigie.cases.services.retention import retention_archive, retention_due
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_alerts import PlacementFactory, archive_for_tests

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the clock fixture's day
CUTOFF = date(2024, 3, 2)  # 730 days before
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def files(clock, org_a, org_b):
    """Files around the two-year line, in two organisations."""
    return {
        "old": CaseFactory(
            organisation=org_a,
            reference="A-OLD",
            last_contact_on=CUTOFF - timedelta(days=1),
            next_due_on=date(2024, 3, 1),
        ),
        "old_b": CaseFactory(
            organisation=org_b, reference="B-OLD", last_contact_on=date(2020, 1, 1)
        ),
        "on_the_line": CaseFactory(organisation=org_a, reference="A-LINE", last_contact_on=CUTOFF),
        "recent": CaseFactory(organisation=org_a, reference="A-RECENT", last_contact_on=TODAY),
        "closed_long_ago": CaseFactory(
            organisation=org_a,
            reference="A-CLOSED-OLD",
            status="closed",
            closed_at=datetime(2023, 6, 1, 10, tzinfo=UTC),
            last_contact_on=date(2023, 5, 30),
        ),
        # No contact for years, but closed recently: counts from the closing.
        "closed_recently": CaseFactory(
            organisation=org_a,
            reference="A-CLOSED-NEW",
            status="closed",
            closed_at=datetime(2025, 11, 3, 10, tzinfo=UTC),
            last_contact_on=date(2023, 1, 1),
        ),
        "already_archived": archive_for_tests(
            CaseFactory(
                organisation=org_a, reference="A-ARCHIVED", last_contact_on=date(2021, 1, 1)
            ),
            on=datetime(2023, 1, 2, tzinfo=UTC),
        ),
    }


DUE = {"A-OLD", "B-OLD", "A-CLOSED-OLD"}


def test_which_files_are_due(files):
    assert set(retention_due(today=TODAY).values_list("reference", flat=True)) == DUE


def test_the_period_is_a_setting(files, settings):
    settings.VIGIE_RETENTION_DAYS = 30
    due = set(retention_due(today=TODAY).values_list("reference", flat=True))
    assert due == DUE | {"A-LINE", "A-CLOSED-NEW"}


def test_the_dry_run_lists_by_organisation_and_changes_nothing(files, capsys):
    before = AuditEvent.objects.count()

    call_command("retention")

    output = capsys.readouterr().out
    assert f"before {CUTOFF}" in output
    assert "Organisation A: 2\n  A-CLOSED-OLD\n  A-OLD\n" in output
    assert "Organisation B: 1\n  B-OLD\n" in output
    assert "A-RECENT" not in output and "A-LINE" not in output and "A-ARCHIVED" not in output
    assert "Dry run" in output
    assert not Case.objects.filter(archived_at__isnull=False).exclude(reference="A-ARCHIVED")
    assert AuditEvent.objects.count() == before


def test_apply_archives_them_and_audits_each_batch(files, capsys):
    call_command("retention", "--apply")

    archived = set(
        Case.objects.filter(archived_at__isnull=False).values_list("reference", flat=True)
    )
    assert archived == DUE | {"A-ARCHIVED"}
    assert "3 case files archived" in capsys.readouterr().out
    (event,) = AuditEvent.objects.filter(action=AuditAction.CASE_ARCHIVE)
    assert event.reason_code == "retention"
    assert event.role == "system" and event.actor_uuid is None
    assert set(event.object_uuids) == {str(c.uuid) for c in Case.objects.filter(reference__in=DUE)}
    # Nothing is chased on an archived file any more.
    assert Case.objects.get(reference="A-OLD").next_due_on is None
    # The earlier archiving date is kept; a second run finds nothing.
    assert Case.objects.get(reference="A-ARCHIVED").archived_at == datetime(2023, 1, 2, tzinfo=UTC)
    assert retention_archive(today=TODAY) == 0


def test_batches_are_separate_transactions(files):
    assert retention_archive(today=TODAY, batch_size=2) == 3
    events = AuditEvent.objects.filter(action=AuditAction.CASE_ARCHIVE)
    assert [len(e.object_uuids) for e in events] == [2, 1]


def test_a_bad_date_stops_with_one_line():
    with pytest.raises(CommandError) as error:
        call_command("retention", "--today", "2026-02-30")
    assert "\n" not in str(error.value)
    assert not Case.objects.filter(archived_at__isnull=False).exists()


# --- Archived files leave the active pages --------------------------------------------------


def test_archived_files_leave_lists_alerts_and_case_pages(clock, org_a, users, client_for):
    case = PlacementFactory(case__organisation=org_a, case__reference="A-GONE").case
    archive_for_tests(case)
    for role in ("caseworker", "coordinator"):
        client = client_for(users[(role, "a")])
        assert "A-GONE" not in client.get(reverse("cases:list")).content.decode()
        assert "A-GONE" not in client.get(reverse("core:home")).content.decode()
        response = client.get(reverse("cases:detail", kwargs={"case_uuid": case.uuid}))
        assert response.status_code == 404


# --- Archived files, for coordinators --------------------------------------------------------


@pytest.fixture
def archived(clock, org_a):
    case = CaseFactory(
        organisation=org_a, reference="A-ARCH", first_name="Fatou", last_name="Camara"
    )
    return archive_for_tests(case)


def _open_url(case):
    return reverse("cases:archive_open", kwargs={"case_uuid": case.uuid})


def test_coordinators_list_their_archived_files(archived, org_a, org_b, users, client_for):
    CaseFactory(organisation=org_a, reference="A-ACTIVE")
    other = archive_for_tests(CaseFactory(organisation=org_b, reference="B-ARCH"))
    before = AuditEvent.objects.count()

    response = client_for(users[("coordinator", "a")]).get(reverse("cases:archive_list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{_open_url(archived)}">A-ARCH</a>' in page
    assert "A-ACTIVE" not in page and "B-ARCH" not in page and "Camara" not in page
    (event,) = AuditEvent.objects.all()[before:]
    assert event.action == AuditAction.CASE_LIST
    assert event.object_uuids == [str(archived.uuid)]
    assert str(other.uuid) not in event.object_uuids


def test_opening_an_archived_file_asks_a_reason_first(archived, users, client_for):
    client = client_for(users[("coordinator", "a")])
    before = AuditEvent.objects.count()

    form = client.get(_open_url(archived), **ENGLISH)
    refused = client.post(_open_url(archived), {"reason": ""}, **ENGLISH)
    made_up = client.post(_open_url(archived), {"reason": "curiosity"}, **ENGLISH)

    assert form.status_code == 200
    assert refused.status_code == made_up.status_code == 422
    for response in (form, refused, made_up):
        page = response.content.decode()
        assert "A-ARCH" in page
        assert "Fatou" not in page and "Camara" not in page
    assert AuditEvent.objects.count() == before


def test_the_file_opens_read_only_and_the_reason_is_logged(archived, users, client_for):
    coordinator = users[("coordinator", "a")]
    client = client_for(coordinator)
    before = AuditEvent.objects.count()

    response = client.post(_open_url(archived), {"reason": "access_request"}, **ENGLISH)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Camara" in page
    assert "<form" not in page.split('id="contenu"', 1)[1]  # read-only: no form in the page body
    (event,) = AuditEvent.objects.all()[before:]
    assert event.action == AuditAction.CASE_ARCHIVE_VIEW
    assert event.reason_code == "access_request"
    assert event.object_uuids == [str(archived.uuid)]
    assert event.actor_uuid == coordinator.uuid


@pytest.mark.parametrize(
    "who", [("caseworker", "a"), ("coordinator", "b"), ("org_admin", "a"), ("analyst", "a")]
)
def test_nobody_else_reaches_an_archived_file(who, archived, users, client_for):
    client = client_for(users[who])
    before = AuditEvent.objects.count()

    responses = [
        client.get(_open_url(archived)),
        client.post(_open_url(archived), {"reason": "court_request"}),
    ]

    assert [r.status_code for r in responses] == [404, 404]
    for response in responses:
        assert "A-ARCH" not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_an_active_file_is_not_reached_through_the_archive(clock, case_a, users, client_for):
    client = client_for(users[("coordinator", "a")])
    response = client.post(_open_url(case_a), {"reason": "court_request"})
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_ARCHIVE_VIEW).exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_sees_the_day_then_opens_an_archived_file(
    page, visit, axe_check, browser_sign_in, org_a
):
    """In a real browser (axe on each page): the daily view on the home page, the archive list,
    the reason form, the read-only file."""
    from django.utils import timezone
    from playwright.sync_api import expect

    from vigie.tests_support.browser import path_of, submit_main_form
    from vigie.tests_support.factories import UserFactory

    coordinator = UserFactory(role="coordinator", organisation=org_a)
    hotel = PlacementFactory(case__organisation=org_a, case__reference="A-HOTEL").case
    archived = archive_for_tests(
        CaseFactory(organisation=org_a, reference="A-ARCH", last_name="Camara")
    )
    browser_sign_in(coordinator)

    daily = page.locator("section.daily-view")
    expect(daily.get_by_role("heading", level=2)).to_have_count(1)
    expect(daily.get_by_role("heading", level=3)).to_have_count(6)
    expect(daily.get_by_role("link", name="A-HOTEL")).to_have_attribute(
        "href", hotel.get_absolute_url()
    )

    visit(reverse("cases:archive_list"))
    with page.expect_navigation():
        page.get_by_role("link", name="A-ARCH").click()
    axe_check(page)
    assert path_of(page) == _open_url(archived)
    expect(page.locator("main")).not_to_contain_text("Camara")

    page.select_option("select[name=reason]", "continuity_of_care")
    submit_main_form(page)
    axe_check(page)
    expect(page.locator("main")).to_contain_text("Camara")
    event = AuditEvent.objects.get(action=AuditAction.CASE_ARCHIVE_VIEW)
    assert event.reason_code == "continuity_of_care"
    assert timezone.now() - event.occurred_at < timedelta(minutes=5)
