"""The file's timeline: notes, events of every kind, status changes and screenings, newest
first, each with its date, kind, summary and author; one query per kind of record."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from vigie.audit.services import Actor
from vigie.cases.models import CaseStatusChange
from vigie.cases.selectors_file import TimelineEntry, timeline_for_case
from vigie.cases.services import case_note_add
from vigie.cases.services import events as services
from vigie.tests_support.factories import CaseFactory, UserFactory, screening_for_tests
from vigie.tests_support.factories_events import (
    AgeAppealFactory,
    CompensationClaimFactory,
    HearingFactory,
    PlacementFactory,
    ProceedingFactory,
)

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _frozen(clock):
    """2 March 2026 (conftest), before any account exists."""
    return clock


@pytest.fixture
def worker(org_a):
    return UserFactory(role="caseworker", organisation=org_a, full_name="Claire Martin")


@pytest.fixture
def case(org_a):
    return CaseFactory(organisation=org_a, identified_on=date(2025, 9, 1))


def _in_english(case) -> list[TimelineEntry]:
    with translation.override("en"):
        return timeline_for_case(case=case)


def test_everything_dated_in_the_file_comes_newest_first_with_its_author(
    worker, case, clock, users
):
    """Given a file with a note, events of each kind, a status change and a screening, when
    its timeline is read, then each appears on its own date, newest first, with its kind, a
    summary and who recorded it; follow-ups (a decision, a move out) have their own lines."""
    actor = Actor(user=worker)
    services.age_assessment_record(
        actor=actor,
        case=case,
        assessed_on=date(2025, 9, 10),
        authority="departement",
        outcome="adult",
    )
    appeal = services.age_appeal_file(actor=actor, case=case, filed_on=date(2025, 9, 20))
    services.placement_record(actor=actor, case=case, kind="hotel", started_on=date(2025, 10, 1))
    services.placement_record(
        actor=actor, case=case, kind="foster_family", started_on=date(2025, 11, 3)
    )
    services.proceeding_record(
        actor=actor, case=case, role="defendant", opened_on=date(2025, 10, 15), court="TPE Paris"
    )
    services.hearing_record(
        actor=actor,
        case=case,
        held_on=date(2025, 10, 20),
        place="uaped",
        recording="made",
        trusted_third_party_present=True,
    )
    services.compensation_record(
        actor=actor,
        case=case,
        filed_on=date(2025, 12, 1),
        body="CIVI",
        amount_awarded=Decimal("2500"),
        awarded_on=date(2026, 2, 2),
    )
    services.age_appeal_decide(
        actor=actor, appeal=appeal, decided_on=date(2026, 1, 12), outcome="minor"
    )
    case_note_add(
        actor=actor, case=case, text="Elle a parlé du réseau.", written_on=date(2025, 12, 24)
    )
    CaseStatusChange.objects.create(
        case=case,
        from_status="open",
        to_status="identified",
        created_by=users[("coordinator", "a")],
    )  # today, 2 March 2026
    clock.shift(timedelta(minutes=5))
    screening = screening_for_tests(case)
    screening.created_by = worker
    screening.save()

    entries = _in_english(case)

    assert [(e.on, e.kind) for e in entries] == [
        (date(2026, 3, 2), "screening"),  # recorded after the status change, the same day
        (date(2026, 3, 2), "status"),
        (date(2026, 2, 2), "compensation"),
        (date(2026, 1, 12), "age_appeal"),
        (date(2025, 12, 24), "note"),
        (date(2025, 12, 1), "compensation"),
        (date(2025, 11, 3), "placement"),  # moved in
        (date(2025, 11, 3), "placement"),  # the hotel left the same day, by the same move
        (date(2025, 10, 20), "hearing"),
        (date(2025, 10, 15), "proceeding"),
        (date(2025, 10, 1), "placement"),
        (date(2025, 9, 20), "age_appeal"),
        (date(2025, 9, 10), "age_assessment"),
    ]
    by_line = {(e.on, e.summary): e for e in entries}
    note = next(e for e in entries if e.kind == "note")
    assert (note.text, note.author, note.kind_label) == (
        "Elle a parlé du réseau.",
        "Claire Martin",
        "Note",
    )
    hotel = by_line[(date(2025, 10, 1), "Placed: Hotel")]
    assert hotel.rights_violation is True
    assert hotel.author == "Claire Martin"
    assert by_line[(date(2025, 11, 3), "Placed: Foster family")].rights_violation is False
    assert (date(2025, 11, 3), "Left: Hotel") in by_line
    assert (date(2026, 1, 12), "Juvenile judge's decision: Recognised as a minor") in by_line
    assert (date(2025, 9, 10), "Département's assessment service: Declared an adult") in by_line
    opened = "Proceeding opened: As a defendant, offence under constraint — TPE Paris"
    assert (date(2025, 10, 15), opened) in by_line
    assert (date(2026, 2, 2), "Awarded: 2,500.00 €") in by_line
    status = next(e for e in entries if e.kind == "status")
    assert status.summary == "Status: Open → Identified"
    assert status.author == users[("coordinator", "a")].full_name
    assert entries[0].summary == "No indication (Presumed minor)"


def test_a_new_note_goes_on_top_of_the_same_day(worker, case, clock):
    actor = Actor(user=worker)
    case_note_add(actor=actor, case=case, text="first")
    clock.shift(timedelta(minutes=1))
    case_note_add(actor=actor, case=case, text="second")

    assert [e.text for e in timeline_for_case(case=case)] == ["second", "first"]


def test_only_this_files_records(worker, case, org_a):
    other = CaseFactory(organisation=org_a)
    PlacementFactory(case=other)
    HearingFactory(case=other)
    case_note_add(actor=Actor(user=worker), case=other, text="another child")

    assert timeline_for_case(case=case) == []


def _fill(case, n: int) -> None:
    for i in range(n):
        day = date(2025, 1, 1) + timedelta(days=30 * i)
        AgeAppealFactory(case=case, filed_on=day, decided_on=day, outcome="minor")
        PlacementFactory(case=case, started_on=day, ended_on=day)
        ProceedingFactory(case=case, opened_on=day, closed_on=day)
        HearingFactory(case=case, held_on=day)
        CompensationClaimFactory(
            case=case, filed_on=day, amount_awarded=1, awarded_on=day, amount_paid=1, paid_on=day
        )
        CaseStatusChange.objects.create(case=case, from_status="open", to_status="identified")
        screening_for_tests(case)


@pytest.mark.parametrize("size", [1, 6])
def test_one_query_per_kind_of_record_whatever_the_files_length(
    size, case, django_assert_num_queries
):
    _fill(case, size)
    # Age assessments, appeals, placements, proceedings, hearings, compensation claims, notes,
    # status changes, screenings.
    with django_assert_num_queries(9):
        entries = timeline_for_case(case=case)
    assert len(entries) == size * 12


def test_the_case_page_shows_the_timeline_and_keeps_the_note_form(worker, case, users, client_for):
    PlacementFactory(case=case, kind="street", started_on=date(2026, 1, 5), created_by=worker)
    case_note_add(actor=Actor(user=worker), case=case, text="Rendez-vous au centre de santé.")

    response = client_for(users[("caseworker", "a")]).get(case.get_absolute_url(), **ENGLISH)

    body = response.content.decode()
    timeline = body.split('id="timeline-heading"', 1)[1]
    assert 'action="/dossiers/' in timeline and "/notes/" in timeline  # the note form
    assert timeline.index("Rendez-vous au centre de santé.") < timeline.index(
        "Placed: Street, no shelter"
    )
    assert '<time datetime="2026-01-05">' in timeline
    assert "Claire Martin" in timeline
    assert "Rights violation" in timeline.split("Placed: Street, no shelter", 1)[1][:200]
