"""The history of a case file: who changed which field and moved which status, when."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.selectors_history import case_history
from vigie.cases.services.editing import case_update
from vigie.cases.services.status import case_status_change
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _history_url(case) -> str:
    return reverse("cases:history", kwargs={"case_uuid": case.uuid})


@pytest.fixture
def story(clock, users, org_a):
    """Day 0 the file is opened; day 1 an edit; day 2 closed; day 3 reopened, then assigned."""
    case_a = CaseFactory(organisation=org_a, created_by=users[("caseworker", "a")])
    caseworker = Actor(user=users[("caseworker", "a")])
    coordinator = Actor(user=users[("coordinator", "a")])
    clock.shift(timedelta(days=1))
    case = case_update(
        actor=caseworker,
        case=case_a,
        expected_version=1,
        changes={"first_name": "Mariam", "ad_hoc_administrator_requested_on": timezone.localdate()},
    )
    clock.shift(timedelta(days=1))
    case = case_status_change(
        actor=coordinator, case=case, expected_version=2, to_status="closed", reason="lost_contact"
    )
    clock.shift(timedelta(days=1))
    case = case_status_change(actor=coordinator, case=case, expected_version=3, to_status="open")
    clock.shift(timedelta(hours=1))
    case = case_update(
        actor=coordinator, case=case, expected_version=4, changes={"assigned_to": caseworker.user}
    )
    return case, caseworker, coordinator


def test_edits_and_status_moves_are_merged_newest_first(story):
    case, caseworker, coordinator = story

    with translation.override("en"):
        entries = case_history(case=case)

    assert [(e.kind, e.by) for e in entries] == [
        ("edit", coordinator.user),
        ("status", coordinator.user),
        ("status", coordinator.user),
        ("edit", caseworker.user),
        ("opened", caseworker.user),
    ]
    assert [e.at for e in entries] == sorted((e.at for e in entries), reverse=True)
    assert entries[0].fields == ["Assigned caseworker"]
    assert entries[0].version == 5
    assert entries[3].fields == ["First name", "Ad hoc administrator requested on"]
    assert (entries[2].from_status, entries[2].to_status) == ("Open", "Closed")
    assert str(entries[2].reason) == "Contact lost"


def test_the_history_page_shows_who_changed_which_field_but_no_value(story, client_for, users):
    case, caseworker, _coordinator = story

    response = client_for(users[("caseworker", "a")]).get(_history_url(case), **ENGLISH)

    assert response.status_code == 200
    page = response.content.decode()
    assert caseworker.user.full_name in page
    assert "First name, Ad hoc administrator requested on" in page
    assert "Status: Open → Closed" in page
    assert "Contact lost" in page
    assert "File opened" in page
    assert "Mariam" not in page  # values are not copied into the history


def test_reading_the_history_is_audited(users, case_a, client_for):
    coordinator = users[("coordinator", "a")]
    client_for(coordinator).get(_history_url(case_a))

    event = AuditEvent.objects.get(action=AuditAction.CASE_HISTORY_VIEW)
    assert event.object_uuids == [str(case_a.uuid)]
    assert event.actor_uuid == coordinator.uuid


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_case_view_get_404(users, case_a, client_for, role):
    assert client_for(users[(role, "a")]).get(_history_url(case_a)).status_code == 404


def test_another_organisation_gets_404_even_with_a_referral(users, org_b, case_a, client_for):
    """A referral shares sections of the file, never who worked on it."""
    full_referral_for_tests(case_a, org_b)
    client = client_for(users[("coordinator", "b")])

    assert client.get(_history_url(case_a)).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_HISTORY_VIEW).exists()
