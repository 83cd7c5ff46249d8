"""The status state machine: every allowed and refused move, closing reasons, reopening, the
version lock, and the status pages."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from playwright.sync_api import expect

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import ACTIVE_STATUSES, Case, CaseStatus, CaseStatusChange
from vigie.cases.services import status as status_module
from vigie.cases.services.editing import CaseEditConflict, case_update
from vigie.cases.services.status import (
    ALLOWED_MOVES,
    CloseReason,
    case_status_change,
    case_status_moves,
)
from vigie.tests_support.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}

# Written out by hand, on purpose: a change to ALLOWED_MOVES must be a change to this test too.
EXPECTED_MOVES = {
    ("open", "identified"),
    ("open", "protected"),
    ("open", "transferred"),
    ("open", "closed"),
    ("identified", "protected"),
    ("identified", "transition"),
    ("identified", "transferred"),
    ("identified", "closed"),
    ("protected", "identified"),
    ("protected", "transition"),
    ("protected", "transferred"),
    ("protected", "closed"),
    ("transition", "protected"),
    ("transition", "transferred"),
    ("transition", "closed"),
    ("transferred", "open"),
    ("transferred", "closed"),
    ("closed", "open"),
}
EVERY_PAIR = list(itertools.product(CaseStatus.values, CaseStatus.values))


@pytest.fixture
def coordinator(users):
    return Actor(user=users[("coordinator", "a")])


@pytest.fixture
def caseworker(users):
    return Actor(user=users[("caseworker", "a")])


def _case(org, status: str) -> Case:
    extra = {"closed_reason": "lost_contact"} if status == "closed" else {}
    return CaseFactory(organisation=org, status=status, **extra)


def _status_url(case) -> str:
    return reverse("cases:status", kwargs={"case_uuid": case.uuid})


def test_the_table_is_the_documented_one():
    table = {(a, b) for a, targets in ALLOWED_MOVES.items() for b in targets}
    assert table == EXPECTED_MOVES
    assert set(ALLOWED_MOVES) == set(CaseStatus.values)


def test_every_active_status_can_be_transferred_or_closed():
    for status in ACTIVE_STATUSES:
        assert {"transferred", "closed"} <= set(ALLOWED_MOVES[status]), status


@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_MOVES))
def test_an_allowed_move_is_made_and_recorded(coordinator, org_a, from_status, to_status):
    case = _case(org_a, from_status)
    reason = "protected_and_stable" if to_status == "closed" else ""

    moved = case_status_change(
        actor=coordinator, case=case, expected_version=1, to_status=to_status, reason=reason
    )

    stored = Case.objects.get(pk=case.pk)
    assert moved.status == stored.status == to_status
    assert stored.version == 2
    change = CaseStatusChange.objects.get(case=case)
    assert (change.from_status, change.to_status, change.reason) == (from_status, to_status, reason)
    assert change.created_by == coordinator.user
    event = AuditEvent.objects.get(action=AuditAction.CASE_STATUS_CHANGE)
    assert str(case.uuid) in event.object_uuids
    assert event.reason_code == reason


@pytest.mark.parametrize(
    ("from_status", "to_status"), [pair for pair in EVERY_PAIR if pair not in EXPECTED_MOVES]
)
def test_a_move_outside_the_table_is_refused(coordinator, org_a, from_status, to_status):
    case = _case(org_a, from_status)
    reason = "other" if to_status == "closed" else ""

    with pytest.raises(ValidationError) as raised:
        case_status_change(
            actor=coordinator, case=case, expected_version=1, to_status=to_status, reason=reason
        )

    assert set(raised.value.message_dict) == {"to_status"}
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.version) == (from_status, 1)
    assert not CaseStatusChange.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_STATUS_CHANGE).exists()


def test_an_unknown_status_is_refused(coordinator, case_a):
    with pytest.raises(ValidationError) as raised:
        case_status_change(actor=coordinator, case=case_a, expected_version=1, to_status="lost")
    assert set(raised.value.message_dict) == {"to_status"}


def test_closing_requires_a_reason(caseworker, case_a):
    with pytest.raises(ValidationError) as raised:
        case_status_change(actor=caseworker, case=case_a, expected_version=1, to_status="closed")
    assert set(raised.value.message_dict) == {"reason"}
    assert Case.objects.get(pk=case_a.pk).status == "open"


def test_closing_refuses_a_reason_outside_the_list(caseworker, case_a):
    with pytest.raises(ValidationError) as raised:
        case_status_change(
            actor=caseworker, case=case_a, expected_version=1, to_status="closed", reason="bored"
        )
    assert set(raised.value.message_dict) == {"reason"}


def test_a_reason_is_refused_on_a_move_that_does_not_close(caseworker, case_a):
    with pytest.raises(ValidationError) as raised:
        case_status_change(
            actor=caseworker,
            case=case_a,
            expected_version=1,
            to_status="identified",
            reason="lost_contact",
        )
    assert set(raised.value.message_dict) == {"reason"}


def test_closing_stores_the_reason_and_time_and_reopening_clears_them(
    caseworker, coordinator, case_a, clock
):
    closed = case_status_change(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        to_status="closed",
        reason=CloseReason.REACHED_ADULTHOOD_HANDED_OVER,
    )
    assert closed.closed_reason == "reached_adulthood_handed_over"
    assert closed.closed_at is not None

    reopened = case_status_change(
        actor=coordinator, case=closed, expected_version=2, to_status="open"
    )

    assert (reopened.status, reopened.closed_reason, reopened.closed_at) == ("open", "", None)
    # The history keeps why it had been closed.
    assert list(
        CaseStatusChange.objects.filter(case=case_a)
        .order_by("created_at")
        .values_list("to_status", "reason")
    ) == [("closed", "reached_adulthood_handed_over"), ("open", "")]


def test_only_a_coordinator_reopens_a_closed_file(caseworker, org_a):
    case = _case(org_a, "closed")
    with pytest.raises(PermissionDenied):
        case_status_change(actor=caseworker, case=case, expected_version=1, to_status="open")
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_a_caseworker_brings_back_a_transferred_file(caseworker, org_a):
    case = _case(org_a, "transferred")
    moved = case_status_change(actor=caseworker, case=case, expected_version=1, to_status="open")
    assert moved.status == "open"


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_case_edit_cannot_move(users, case_a, role):
    with pytest.raises(PermissionDenied):
        case_status_change(
            actor=Actor(user=users[(role, "a")]),
            case=case_a,
            expected_version=1,
            to_status="identified",
        )


def test_another_organisation_cannot_move(users, case_a):
    with pytest.raises(PermissionDenied):
        case_status_change(
            actor=Actor(user=users[("coordinator", "b")]),
            case=case_a,
            expected_version=1,
            to_status="identified",
        )


def test_a_stale_status_change_is_a_conflict(caseworker, coordinator, case_a):
    case_status_change(actor=coordinator, case=case_a, expected_version=1, to_status="identified")

    with pytest.raises(CaseEditConflict) as raised:
        case_status_change(
            actor=caseworker, case=case_a, expected_version=1, to_status="closed", reason="other"
        )

    assert raised.value.current.status == "identified"
    assert Case.objects.get(pk=case_a.pk).status == "identified"
    assert CaseStatusChange.objects.count() == 1


def test_a_status_change_makes_an_edit_opened_before_it_a_conflict(caseworker, case_a):
    case_status_change(actor=caseworker, case=case_a, expected_version=1, to_status="identified")

    with pytest.raises(CaseEditConflict):
        case_update(actor=caseworker, case=case_a, expected_version=1, changes={"languages": "x"})


def test_the_rights_plan_is_refreshed_after_a_move(caseworker, case_a, monkeypatch):
    calls = []
    monkeypatch.setattr(
        status_module,
        "rights_plan_refresh",
        lambda *, case, actor=None, today=None: calls.append((case.status, actor)),
    )
    case_status_change(actor=caseworker, case=case_a, expected_version=1, to_status="protected")
    assert calls == [("protected", caseworker)]


def test_the_moves_offered_depend_on_the_person(users, org_a, case_b):
    closed = _case(org_a, "closed")
    assert case_status_moves(case=closed, user=users[("coordinator", "a")]) == ["open"]
    assert case_status_moves(case=closed, user=users[("caseworker", "a")]) == []
    assert case_status_moves(case=case_b, user=users[("coordinator", "a")]) == []
    assert case_status_moves(case=_case(org_a, "open"), user=users[("analyst", "a")]) == []
    assert case_status_moves(case=_case(org_a, "open"), user=users[("caseworker", "a")]) == [
        "identified",
        "protected",
        "transferred",
        "closed",
    ]


# --- Pages ----------------------------------------------------------------------------------


def _offered(response) -> list[str]:
    return [value for value, _label in response.context["form"].fields["to_status"].choices]


def test_the_status_page_offers_the_allowed_moves(users, case_a, client_for):
    response = client_for(users[("caseworker", "a")]).get(_status_url(case_a), **ENGLISH)

    assert response.status_code == 200
    assert _offered(response) == ["identified", "protected", "transferred", "closed"]
    page = response.content.decode()
    assert '<input type="hidden" name="version" value="1"' in page
    assert "(current status)" in page


def test_the_case_page_carries_the_small_status_form(users, org_a, client_for):
    case = _case(org_a, "protected")
    response = client_for(users[("caseworker", "a")]).get(case.get_absolute_url())
    page = response.content.decode()
    assert f'action="{_status_url(case)}"' in page
    assert '<option value="transition">' in page
    assert '<option value="open">' not in page


def test_a_closed_file_offers_a_caseworker_no_move(users, org_a, client_for):
    case = _case(org_a, "closed")
    client = client_for(users[("caseworker", "a")])
    assert (
        f'action="{_status_url(case)}"' not in client.get(case.get_absolute_url()).content.decode()
    )
    assert _offered(client.get(_status_url(case))) == []


def test_posting_a_move_changes_the_status(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(
        _status_url(case_a), {"version": "1", "to_status": "closed", "reason": "returned_to_family"}
    )
    assert response.status_code == 302
    stored = Case.objects.get(pk=case_a.pk)
    assert (stored.status, stored.closed_reason) == ("closed", "returned_to_family")


def test_a_reason_left_selected_on_another_move_is_not_recorded(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(
        _status_url(case_a), {"version": "1", "to_status": "identified", "reason": "deceased"}
    )
    assert response.status_code == 302
    assert CaseStatusChange.objects.get(case=case_a).reason == ""


def test_posting_a_refused_move_shows_the_error(users, case_a, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(_status_url(case_a), {"version": "1", "to_status": "transition"})
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"to_status"}
    assert _offered(response) == ["identified", "protected", "transferred", "closed"]
    assert Case.objects.get(pk=case_a.pk).status == "open"


def test_posting_a_close_without_reason_shows_the_error(users, case_a, client_for):
    response = client_for(users[("caseworker", "a")]).post(
        _status_url(case_a), {"version": "1", "to_status": "closed"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors.keys() == {"reason"}


def test_posting_from_a_stale_page_is_a_conflict(users, coordinator, case_a, client_for):
    case_status_change(actor=coordinator, case=case_a, expected_version=1, to_status="protected")
    response = client_for(users[("caseworker", "a")]).post(
        _status_url(case_a), {"version": "1", "to_status": "identified"}, **ENGLISH
    )
    assert response.status_code == 409
    assert response.context["conflict"] is True
    assert "Nothing was changed" in response.content.decode()
    assert response.context["form"].initial["version"] == 2
    assert Case.objects.get(pk=case_a.pk).status == "protected"


def test_a_caseworker_cannot_reopen_through_the_page(users, org_a, client_for):
    case = _case(org_a, "closed")
    response = client_for(users[("caseworker", "a")]).post(
        _status_url(case), {"version": "1", "to_status": "open"}
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "closed"


def test_the_status_page_of_another_organisation_is_404(users, case_b, client_for):
    client = client_for(users[("coordinator", "a")])
    assert client.get(_status_url(case_b)).status_code == 404
    response = client.post(_status_url(case_b), {"version": "1", "to_status": "identified"})
    assert response.status_code == 404
    assert Case.objects.get(pk=case_b.pk).status == "open"


# --- In the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_caseworker_closes_a_file_from_the_case_page_and_reads_its_history(
    page, visit, axe_check, browser_sign_in
):
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation, status="protected")
    browser_sign_in(caseworker)

    visit(case.get_absolute_url())
    page.select_option("#case-status-to_status", "closed")
    page.select_option("#case-status-reason", "reached_adulthood_handed_over")
    with page.expect_navigation():
        page.click(f"form[action='{_status_url(case)}'] button[type=submit]")
    axe_check(page)

    assert page.url.endswith(case.get_absolute_url())
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.closed_reason) == ("closed", "reached_adulthood_handed_over")
    # A caseworker cannot reopen: the small form is gone, the status page offers nothing.
    expect(page.locator("#case-status-to_status")).to_have_count(0)
    visit(_status_url(case))
    expect(page.locator("main select")).to_have_count(0)
    visit(reverse("cases:history", kwargs={"case_uuid": case.uuid}))
    expect(page.locator("main table tbody tr")).to_have_count(2)
    expect(page.locator("main table tbody tr").first).to_contain_text(caseworker.full_name)
