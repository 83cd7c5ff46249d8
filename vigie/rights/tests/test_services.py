"""Stored rights plans: refresh from the file and screenings, people's decisions, deadlines."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from vigie.audit.models import AuditEvent
from vigie.audit.services import Actor
from vigie.cases.models import AgeAppeal, Case, Placement
from vigie.cases.services import case_open
from vigie.identification.services import screening_record
from vigie.rights.catalogue import load_catalogue
from vigie.rights.facts import case_facts, case_facts_many
from vigie.rights.models import RightItem
from vigie.rights.plan import OPENED_BY_CATALOGUE
from vigie.rights.services import (
    right_item_update,
    rights_plan_refresh,
    rights_plans_refresh_many,
)
from vigie.tests_support.factories import CaseFactory
from vigie.tests_support.factories_rights import RightItemFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # the clock fixture's day


@pytest.fixture
def worker(users):
    return Actor(user=users[("caseworker", "a")])


def _items(case) -> dict[str, RightItem]:
    return {item.right_id: item for item in RightItem.objects.filter(case=case)}


def _open_unaccompanied_15_year_old(worker) -> Case:
    """The issue's journey: an unaccompanied 15-year-old in forced criminality."""
    return case_open(
        actor=worker,
        first_name="Yanis",
        birth_date=date(2010, 9, 14),
        nationality="ma",
        unaccompanied=True,
        exploitation_forms=["forced_criminality"],
    )


# --- the plan opens with the file, and with screenings ----------------------------------------


def test_opening_a_file_opens_the_rights_its_facts_call_for(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)

    items = _items(case)
    assert set(items) == {
        "ad_hoc_administrator",
        "safe_accommodation",
        "health_care",
        "schooling_or_training",
        "identity_documents",
        "non_punishment",
    }
    assert all(i.state == "to_do" and i.opened_by == OPENED_BY_CATALOGUE for i in items.values())
    assert items["ad_hoc_administrator"].due_on == TODAY + timedelta(days=3)
    assert items["non_punishment"].due_on == TODAY + timedelta(days=15)
    assert all(i.catalogue_version == load_catalogue().version for i in items.values())
    case.refresh_from_db()
    assert case.next_due_on == TODAY + timedelta(days=1)  # safe accommodation, the earliest
    assert case.version == 1  # the plan is not an edit of the file


def test_a_screening_opens_the_rights_of_its_actions(clock, worker):
    """Given the opened file, when the worker screens it (offences under constraint), the
    presumed victim's rights open, named after the actions that asked for them."""
    case = _open_unaccompanied_15_year_old(worker)
    clock.shift(timedelta(days=2))

    screening = screening_record(
        actor=worker,
        case=case,
        data={"age": 15, "situations": ["offences_under_constraint"], "unaccompanied": True},
    )

    assert screening.assessment == "presumed_victim"
    items = _items(case)
    screened_on = TODAY + timedelta(days=2)
    assert items["juvenile_judge_referral"].opened_by == "refer_juvenile_judge"
    assert items["juvenile_judge_referral"].opened_on == screened_on
    assert items["juvenile_judge_referral"].due_on == screened_on + timedelta(days=7)
    assert items["child_protection_alert"].opened_by == "alert_child_protection"
    assert items["psychological_care"].opened_by == "access_to_care"
    # Presumed victim: the catalogue opens these too, the same day.
    assert {"lawyer_and_complaint", "compensation_claim"} <= set(items)
    # Already open from the file: they keep their opening and deadline.
    assert items["ad_hoc_administrator"].opened_by == OPENED_BY_CATALOGUE
    assert items["ad_hoc_administrator"].due_on == TODAY + timedelta(days=3)


SCREENINGS_BY_ACTION = {
    "treat_as_minor": {"age_doubt": True},
    "appoint_ad_hoc_administrator": {"age": 15, "unaccompanied": True},
    "safe_accommodation": {"age": 15, "unaccompanied": True},
    "alert_child_protection": {"age": 15, "situations": ["labour"]},
    "refer_juvenile_judge": {"age": 15, "situations": ["prostitution"]},
    "access_to_care": {"age": 16, "situations": ["prostitution"]},
    "non_punishment_review": {"age": 15, "situations": ["offences_under_constraint"]},
    "file_complaint_sexual_offence": {"age": 14, "situations": ["prostitution"]},
    "addiction_care": {"age": 15, "drug_dependence": True},
    "report_online_content": {"age": 15, "situations": ["online_sexual_exploitation"]},
}


@pytest.mark.parametrize("action", sorted(SCREENINGS_BY_ACTION))
def test_every_screening_action_opens_its_rights_through_screening_record(
    action, clock, worker, org_a
):
    """Given an adult's file (its facts call for none of these rights), when a screening yields
    the action, then each right the catalogue maps it to is open and names the action."""
    case = CaseFactory(
        organisation=org_a, birth_date=date(2000, 4, 1), birth_year=2000, exploitation_forms=[]
    )
    rights_plan_refresh(case=case)
    expected = load_catalogue().rights_for_action(action)
    assert not set(expected) & set(_items(case))

    screening = screening_record(actor=worker, case=case, data=SCREENINGS_BY_ACTION[action])

    assert action in screening.result["actions"]
    items = _items(case)
    for right_id in expected:
        assert items[right_id].state == "to_do", right_id
        assert items[right_id].opened_by == action, right_id
        assert items[right_id].opened_on == TODAY


def test_a_later_screening_without_the_action_closes_an_undecided_right(clock, worker, org_a):
    case = CaseFactory(
        organisation=org_a, birth_date=date(2000, 4, 1), birth_year=2000, exploitation_forms=[]
    )
    screening_record(actor=worker, case=case, data={"age": 19, "drug_dependence": True})
    assert _items(case)["addiction_care"].state == "to_do"

    clock.shift(timedelta(days=1))
    screening_record(actor=worker, case=case, data={"age": 19, "complete": True})

    assert _items(case)["addiction_care"].state == "not_applicable"


# --- refreshing -------------------------------------------------------------------------------


def test_refreshing_twice_changes_nothing(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    before = {
        i.right_id: (i.updated_at, i.state, i.due_on) for i in RightItem.objects.filter(case=case)
    }

    with CaptureQueriesContext(connection) as queries:
        items = rights_plan_refresh(case=case)

    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []
    after = {
        i.right_id: (i.updated_at, i.state, i.due_on) for i in RightItem.objects.filter(case=case)
    }
    assert after == before
    # Returned in catalogue order.
    order = list(load_catalogue().rights)
    assert [i.right_id for i in items] == sorted(before, key=order.index)


def test_a_refresh_costs_the_same_few_queries_whatever_the_history(clock, worker, org_a):
    case = _open_unaccompanied_15_year_old(worker)
    with CaptureQueriesContext(connection) as short:
        rights_plan_refresh(case=case)
    for day in range(5):
        Placement.objects.create(
            case=case, kind="emergency", started_on=TODAY - timedelta(days=day)
        )
        AgeAppeal.objects.create(case=case, filed_on=TODAY - timedelta(days=day))
    rights_plan_refresh(case=case)
    with CaptureQueriesContext(connection) as long:
        rights_plan_refresh(case=case)
    # The case lock, the plan's items and the six queries of its facts.
    assert _statements(long) == _statements(short) == 8


def _statements(captured: CaptureQueriesContext) -> int:
    return sum(
        not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
        for q in captured.captured_queries
    )


def test_a_right_that_stops_applying_is_marked_not_applicable_unless_finished(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    RightItem.objects.filter(case=case, right_id="identity_documents").update(state="done")

    Case.objects.filter(pk=case.pk).update(unaccompanied=False, guardianship="parents")
    case.refresh_from_db()
    rights_plan_refresh(case=case)

    items = _items(case)
    assert items["ad_hoc_administrator"].state == "not_applicable"
    assert items["health_care"].state == "not_applicable"
    assert items["identity_documents"].state == "done"  # finished: history, not erased


def test_a_right_applying_again_reopens_from_the_fact_that_reopened_it(clock, worker):
    """Given safe accommodation no longer applying (she is found to be accompanied), when ten
    days later she is placed in a hotel, the right reopens from that day, already blocked."""
    case = _open_unaccompanied_15_year_old(worker)
    Case.objects.filter(pk=case.pk).update(unaccompanied=False, guardianship="parents")
    case.refresh_from_db()
    rights_plan_refresh(case=case)
    assert _items(case)["safe_accommodation"].state == "not_applicable"

    clock.shift(timedelta(days=10))
    hotel_day = TODAY + timedelta(days=10)
    Placement.objects.create(case=case, kind="hotel", started_on=hotel_day)
    rights_plan_refresh(case=case)

    item = _items(case)["safe_accommodation"]
    assert (item.state, item.automatic_reason) == ("blocked", "placement_violation")
    assert (item.opened_on, item.due_on) == (hotel_day, hotel_day + timedelta(days=1))


def test_a_hotel_is_a_violation_and_a_safe_placement_settles_the_right(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    Placement.objects.create(case=case, kind="hotel", started_on=TODAY)
    rights_plan_refresh(case=case)
    item = _items(case)["safe_accommodation"]
    assert (item.state, item.automatic_reason, item.decided_by_person) == (
        "blocked",
        "placement_violation",
        False,
    )
    clock.shift(timedelta(days=4))
    Placement.objects.filter(case=case).update(ended_on=TODAY + timedelta(days=3))
    Placement.objects.create(case=case, kind="foster_family", started_on=TODAY + timedelta(days=4))
    rights_plan_refresh(case=case)

    item = _items(case)["safe_accommodation"]
    assert (item.state, item.done_on, item.automatic_reason) == (
        "done",
        TODAY + timedelta(days=4),
        "placement_safe",
    )


def test_next_due_on_is_the_earliest_open_deadline_of_an_active_file(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    safe = _items(case)["safe_accommodation"]
    right_item_update(actor=worker, case=case, item=safe, state="done", evidence="Foyer, 2 mars")
    case.refresh_from_db()
    assert case.next_due_on == TODAY + timedelta(days=3)  # the ad hoc administrator, now

    Case.objects.filter(pk=case.pk).update(status="closed")
    case.refresh_from_db()
    rights_plan_refresh(case=case)
    case.refresh_from_db()
    assert case.next_due_on is None
    assert _items(case)["ad_hoc_administrator"].state == "to_do"  # the plan is kept as it was


def test_the_many_cases_refresh_gives_the_same_plans_in_as_many_queries(clock, worker, org_a):
    cases = [
        CaseFactory(organisation=org_a, unaccompanied=True, status="identified") for _ in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        facts = case_facts_many(cases=cases)
    assert len(queries.captured_queries) == 6
    assert facts[cases[0].pk] == case_facts(case=cases[0])

    rights_plans_refresh_many(cases=cases, today=TODAY)
    single = CaseFactory(organisation=org_a, unaccompanied=True, status="identified")
    rights_plan_refresh(case=single, today=TODAY)
    expected = {(i.right_id, i.state, i.due_on) for i in RightItem.objects.filter(case=single)}
    for case in cases:
        assert {
            (i.right_id, i.state, i.due_on) for i in RightItem.objects.filter(case=case)
        } == expected


def test_facts_read_the_latest_screening_and_events(clock, worker, org_a):
    case = CaseFactory(organisation=org_a, substances=["pregabalin"])
    screening_record(actor=worker, case=case, data={"age": 15, "situations": ["begging"]})
    clock.shift(timedelta(days=3))
    screening_record(actor=worker, case=case, data={"age": 15, "situations": ["labour"]})
    Placement.objects.create(case=case, kind="hotel", started_on=TODAY)

    facts = case_facts(case=case)

    assert facts.screening_on == TODAY + timedelta(days=3)
    assert facts.screening_assessment == "at_risk"
    assert facts.screening_forms == {"forced_labour"}
    assert facts.substances == {"pregabalin"}
    assert facts.placements[0].violation and not facts.placements[0].safe


# --- a person's decision ----------------------------------------------------------------------


def test_a_persons_decision_is_kept_by_later_refreshes(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    item = _items(case)["ad_hoc_administrator"]
    right_item_update(
        actor=worker, case=case, item=item, state="blocked", reason="Le parquet ne répond pas."
    )
    # Facts that do not settle the right (a request) leave the decision alone.
    Case.objects.filter(pk=case.pk).update(ad_hoc_administrator_requested_on=TODAY)
    case.refresh_from_db()
    rights_plan_refresh(case=case)
    item.refresh_from_db()
    assert (item.state, item.decided_by_person, item.reason) == (
        "blocked",
        True,
        "Le parquet ne répond pas.",
    )
    # Nor does the right ceasing to apply (she is now known to be accompanied).
    Case.objects.filter(pk=case.pk).update(unaccompanied=False)
    case.refresh_from_db()
    rights_plan_refresh(case=case)
    item.refresh_from_db()
    assert item.state == "blocked"


def test_facts_that_settle_a_right_prevail_over_a_decision(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    item = _items(case)["ad_hoc_administrator"]
    right_item_update(actor=worker, case=case, item=item, state="in_progress")
    appointed = TODAY - timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(ad_hoc_administrator_appointed_on=appointed)
    case.refresh_from_db()
    rights_plan_refresh(case=case)
    item.refresh_from_db()
    assert (item.state, item.done_on, item.decided_by_person) == ("done", appointed, False)
    assert item.automatic_reason == "ad_hoc_administrator_appointed"
    case.refresh_from_db()
    assert case.next_due_on == TODAY + timedelta(days=1)

    # And the form refuses a state the file contradicts.
    with pytest.raises(ValidationError) as refused:
        right_item_update(actor=worker, case=case, item=item, state="to_do")
    assert "state" in refused.value.message_dict


def test_to_do_hands_the_right_back_to_the_plan(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    Case.objects.filter(pk=case.pk).update(ad_hoc_administrator_requested_on=TODAY)
    case.refresh_from_db()
    item = _items(case)["ad_hoc_administrator"]
    right_item_update(actor=worker, case=case, item=item, state="blocked", reason="Pas de réponse")

    updated = right_item_update(actor=worker, case=case, item=item, state="to_do")

    # The plan decides again: the request on file puts it in progress.
    assert (updated.state, updated.decided_by_person) == ("in_progress", False)
    assert updated.automatic_reason == "ad_hoc_administrator_requested"


def test_done_records_its_evidence_and_day_and_is_audited(clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    item = _items(case)["identity_documents"]
    since = AuditEvent.objects.count()

    updated = right_item_update(
        actor=worker,
        case=case,
        item=item,
        state="done",
        evidence="Carte consulaire obtenue",
        done_on=TODAY - timedelta(days=2),
    )

    assert (updated.state, updated.done_on, updated.evidence) == (
        "done",
        TODAY - timedelta(days=2),
        "Carte consulaire obtenue",
    )
    assert updated.decided_by_person
    events = list(AuditEvent.objects.order_by("sequence")[since:])
    assert [e.action for e in events] == ["right.update"]
    assert {str(case.uuid), str(item.uuid)} <= set(events[0].object_uuids)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"state": "refused"}, "reason"),
        ({"state": "blocked", "reason": "   "}, "reason"),
        ({"state": "not_applicable"}, "reason"),
        ({"state": "done"}, "evidence"),
        ({"state": "done", "evidence": "Vu", "done_on": TODAY + timedelta(days=1)}, "done_on"),
        ({"state": "in_progress", "done_on": TODAY}, "done_on"),
        ({"state": "forgotten"}, "state"),
    ],
    ids=[
        "refused",
        "blocked-blank",
        "not-applicable",
        "done",
        "done-future",
        "date-not-done",
        "state",
    ],
)
def test_an_incomplete_decision_is_refused_naming_the_field(values, field, clock, worker):
    case = _open_unaccompanied_15_year_old(worker)
    item = _items(case)["ad_hoc_administrator"]
    with pytest.raises(ValidationError) as refused:
        right_item_update(actor=worker, case=case, item=item, **values)
    assert field in refused.value.message_dict
    item.refresh_from_db()
    assert (item.state, item.decided_by_person) == ("to_do", False)


def test_only_editors_of_the_owning_organisation_decide(clock, worker, users, org_a):
    case = _open_unaccompanied_15_year_old(worker)
    item = _items(case)["ad_hoc_administrator"]
    for outsider in (("analyst", "a"), ("caseworker", "b"), ("coordinator", "b")):
        with pytest.raises(PermissionDenied):
            right_item_update(
                actor=Actor(user=users[outsider]), case=case, item=item, state="in_progress"
            )
    other_case = CaseFactory(organisation=org_a)
    elsewhere = RightItemFactory(case=other_case)
    with pytest.raises(PermissionDenied):
        right_item_update(actor=worker, case=case, item=elsewhere, state="in_progress")
    coordinator = Actor(user=users[("coordinator", "a")])
    assert right_item_update(
        actor=coordinator, case=case, item=item, state="in_progress"
    ).state == ("in_progress")


def test_the_refresh_counts_from_the_local_day(clock, worker):
    """rights_plan_refresh without a day uses today's local date (the clock fixture's)."""
    case = _open_unaccompanied_15_year_old(worker)
    assert timezone.localdate() == TODAY
    assert _items(case)["ad_hoc_administrator"].opened_on == TODAY
