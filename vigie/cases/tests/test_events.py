"""The dated events of a file: what each service refuses (by field), what it writes (event,
audit, contact date, the file's age doubt), and the pages recording them."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.cases.ages import minority_on
from vigie.cases.models import (
    AgeAppeal,
    AgeAssessment,
    Case,
    CaseChange,
    CompensationClaim,
    Hearing,
    Placement,
    Proceeding,
)
from vigie.cases.services import events as services
from vigie.tests_support.browser import submit_main_form
from vigie.tests_support.factories import CaseFactory, UserFactory
from vigie.tests_support.factories_events import (
    EVENT_UPDATE_URLS,
    AgeAppealFactory,
    CompensationClaimFactory,
    HearingFactory,
    PlacementFactory,
    ProceedingFactory,
)
from vigie.tests_support.factories_sharing import full_referral_for_tests

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# The conftest clock: 2 March 2026, 09:00 in Paris.
TODAY = date(2026, 3, 2)
FUTURE = TODAY + timedelta(days=1)


@pytest.fixture(autouse=True)
def _frozen(request):
    """The clock stops before anything is created: accounts made later than "now" cannot sign
    in. Browser tests run on the real clock (the browser's own timers are not frozen)."""
    if request.node.get_closest_marker("browser"):
        return None
    return request.getfixturevalue("clock")


@pytest.fixture
def worker(users):
    return Actor(user=users[("caseworker", "a")], ip_address="192.0.2.10")


@pytest.fixture
def case(org_a):
    # 16 by her own account; identified a year ago, last seen then.
    return CaseFactory(
        organisation=org_a,
        birth_date=date(2009, 11, 20),
        birth_year=2009,
        identified_on=date(2025, 3, 1),
        last_contact_on=date(2025, 3, 1),
    )


@pytest.fixture
def refreshes(monkeypatch):
    """The rights plan refreshes each service asked for, as (case pk, actor)."""
    calls = []
    monkeypatch.setattr(
        services,
        "rights_plan_refresh",
        lambda *, case, actor=None, today=None: calls.append((case.pk, actor)),
    )
    return calls


def _field_of(raised) -> set[str]:
    return set(raised.value.message_dict)


def _event_audits(event) -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(action=AuditAction.CASE_EVENT_RECORD)
        if str(event.uuid) in e.object_uuids
    ]


# --- Each service: who may write, and what every write ends with ------------------------------

# name -> a call recording one valid event on ``case`` (the updates get a fresh event of it).
WRITES = {
    "age_assessment_record": lambda actor, case: services.age_assessment_record(
        actor=actor,
        case=case,
        assessed_on=date(2026, 2, 1),
        authority="departement",
        outcome="adult",
    ),
    "age_appeal_file": lambda actor, case: services.age_appeal_file(
        actor=actor, case=case, filed_on=date(2026, 2, 10)
    ),
    "age_appeal_decide": lambda actor, case: services.age_appeal_decide(
        actor=actor,
        appeal=AgeAppealFactory(case=case),
        decided_on=date(2026, 2, 10),
        outcome="minor",
    ),
    "placement_record": lambda actor, case: (
        services.placement_record(
            actor=actor, case=case, kind="foster_family", started_on=date(2026, 2, 10)
        ).placement
    ),
    "placement_end": lambda actor, case: services.placement_end(
        actor=actor, placement=PlacementFactory(case=case), ended_on=date(2026, 2, 10)
    ),
    "proceeding_record": lambda actor, case: services.proceeding_record(
        actor=actor, case=case, role="victim", opened_on=date(2026, 2, 10)
    ),
    "proceeding_update": lambda actor, case: services.proceeding_update(
        actor=actor,
        proceeding=ProceedingFactory(case=case),
        non_punishment="raised",
        criminal_record_entry=False,
        closed_on=None,
    ),
    "hearing_record": lambda actor, case: services.hearing_record(
        actor=actor,
        case=case,
        held_on=date(2026, 2, 10),
        place="uaped",
        recording="made",
        trusted_third_party_present=True,
    ),
    "compensation_record": lambda actor, case: services.compensation_record(
        actor=actor, case=case, filed_on=date(2026, 2, 10)
    ),
    "compensation_update": lambda actor, case: services.compensation_update(
        actor=actor,
        claim=CompensationClaimFactory(case=case),
        filed_on=date(2024, 1, 20),
        body="CIVI de Bobigny",
        amount_awarded=Decimal("3000"),
        awarded_on=date(2026, 2, 10),
        amount_paid=None,
        paid_on=None,
    ),
}
# Events in which the young person took part: they count as a contact (retention counts from it).
WITH_THE_CHILD = {
    "age_assessment_record",
    "age_appeal_file",
    "placement_record",
    "placement_end",
    "hearing_record",
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_is_audited_and_refreshes_the_rights_plan(name, worker, case, refreshes):
    """Given a caseworker of the file's organisation, when they record an event, then one
    CASE_EVENT_RECORD names the case and the event, the plan is refreshed once, last, and the
    last contact moves to the event's date only when the young person took part in it."""
    event = WRITES[name](worker, case)

    audits = _event_audits(event)
    assert len(audits) == 1
    assert sorted(audits[0].object_uuids) == sorted([str(case.uuid), str(event.uuid)])
    assert audits[0].actor_uuid == worker.user.uuid
    assert refreshes == [(case.pk, worker)]
    case.refresh_from_db()
    expected_contact = date(2026, 2, 10) if name in WITH_THE_CHILD else date(2025, 3, 1)
    if name == "age_assessment_record":
        expected_contact = date(2026, 2, 1)
    assert case.last_contact_on == expected_contact


@pytest.mark.parametrize("name", sorted(WRITES))
@pytest.mark.parametrize(
    "who", [("analyst", "a"), ("org_admin", "a"), ("caseworker", "b")], ids="-".join
)
def test_no_event_without_case_edit_on_the_owning_organisation(name, who, users, case, org_b):
    """An analyst or administrator lacks CASE_EDIT; another organisation never writes to the
    file, even when a referral shares it."""
    full_referral_for_tests(case, org_b)
    before = AuditEvent.objects.filter(action=AuditAction.CASE_EVENT_RECORD).count()

    with pytest.raises(PermissionDenied):
        WRITES[name](Actor(user=users[who]), case)

    assert AuditEvent.objects.filter(action=AuditAction.CASE_EVENT_RECORD).count() == before


def test_an_event_is_not_kept_when_its_audit_fails(worker, case, monkeypatch):
    from django.db import DatabaseError, transaction

    def failing(**kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(services, "audit_record", failing)
    with pytest.raises(DatabaseError), transaction.atomic():
        services.placement_record(actor=worker, case=case, kind="hotel", started_on=TODAY)

    assert not Placement.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.last_contact_on == date(2025, 3, 1)


# --- Age and its dispute -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"assessed_on": FUTURE}, "assessed_on"),
        ({"authority": "police"}, "authority"),
        ({"outcome": "probably_adult"}, "outcome"),
    ],
)
def test_an_age_assessment_is_refused_by_field(kwargs, field, worker, case):
    values = {"assessed_on": TODAY, "authority": "departement", "outcome": "adult"} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.age_assessment_record(actor=worker, case=case, **values)
    assert _field_of(raised) == {field}
    assert not AgeAssessment.objects.exists()


def test_an_adult_outcome_puts_the_age_in_dispute_as_an_edit_of_the_file(worker, case):
    """Given a girl who says she was born in November 2009, when the département declares her an
    adult, then her age is disputed: she stays presumed a minor, the month of majority moves to
    the latest the doubt allows, and the file's version moves on (an edit form opened before
    meets a conflict) with a history row saying who changed it."""
    version = case.version

    services.age_assessment_record(
        actor=worker, case=case, assessed_on=TODAY, authority="departement", outcome="adult"
    )

    stored = Case.objects.get(pk=case.pk)
    assert stored.age_disputed is True
    assert stored.version == version + 1
    assert case.version == stored.version  # the caller's instance is current
    assert stored.majority_month == date(2027, 12, 1)
    change = CaseChange.objects.get(case=case)
    assert change.fields == ["age_disputed"]
    assert change.version == stored.version
    assert change.created_by == worker.user
    assert (
        minority_on(TODAY, birth_date=stored.birth_date, birth_year=2009, disputed=True)
        == "presumed"
    )


def test_a_minor_outcome_settles_the_doubt_only_when_no_appeal_is_pending(worker, case):
    Case.objects.filter(pk=case.pk).update(age_disputed=True)
    case.refresh_from_db()
    services.age_appeal_file(actor=worker, case=case, filed_on=TODAY)

    services.age_assessment_record(
        actor=worker, case=case, assessed_on=TODAY, authority="prosecutor", outcome="minor"
    )
    assert Case.objects.get(pk=case.pk).age_disputed is True

    appeal = AgeAppeal.objects.get(case=case)
    appeal.decided_on, appeal.outcome = TODAY, "adult"
    appeal.save()
    services.age_assessment_record(
        actor=worker, case=case, assessed_on=TODAY, authority="court_of_appeal", outcome="minor"
    )
    stored = Case.objects.get(pk=case.pk)
    assert stored.age_disputed is False
    assert stored.majority_month == date(2027, 11, 1)


def test_an_appeal_pending_keeps_the_presumption_of_minority_until_decided_minor(worker, case):
    """Collective 2022 §IX.2: an appeal can take nearly 18 months. While it is pending, the young
    person is presumed a minor; a decision "minor" ends the doubt."""
    services.age_assessment_record(
        actor=worker,
        case=case,
        assessed_on=date(2024, 8, 20),
        authority="departement",
        outcome="adult",
    )
    appeal = services.age_appeal_file(actor=worker, case=case, filed_on=date(2024, 9, 2))

    stored = Case.objects.get(pk=case.pk)
    assert stored.age_disputed is True
    assert minority_on(TODAY, birth_date=stored.birth_date, birth_year=2009, disputed=True) == (
        "presumed"
    )
    assert services.age_appeal_duration(appeal=appeal, today=TODAY) == services.AppealDuration(
        days=546, months=18, pending=True
    )

    services.age_appeal_decide(actor=worker, appeal=appeal, decided_on=TODAY, outcome="minor")

    stored = Case.objects.get(pk=case.pk)
    assert stored.age_disputed is False
    assert minority_on(TODAY, birth_date=stored.birth_date, birth_year=2009, disputed=False) == (
        "yes"
    )
    # A court's decision is not a contact with the young person: the last one was the filing.
    assert stored.last_contact_on == date(2025, 3, 1)


def test_an_adult_decision_leaves_the_age_as_recorded(worker, case):
    appeal = services.age_appeal_file(actor=worker, case=case, filed_on=date(2025, 6, 1))
    version = Case.objects.get(pk=case.pk).version

    services.age_appeal_decide(actor=worker, appeal=appeal, decided_on=TODAY, outcome="adult")

    stored = Case.objects.get(pk=case.pk)
    assert stored.age_disputed is True
    assert stored.version == version
    appeal.refresh_from_db()
    assert (appeal.decided_on, appeal.outcome) == (TODAY, "adult")


def test_one_pending_appeal_at_a_time(worker, case):
    services.age_appeal_file(actor=worker, case=case, filed_on=date(2025, 6, 1))
    with pytest.raises(ValidationError) as raised:
        services.age_appeal_file(actor=worker, case=case, filed_on=TODAY)
    assert _field_of(raised) == {"filed_on"}
    assert AgeAppeal.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("decided_on", "outcome", "field"),
    [
        (date(2025, 5, 31), "minor", "decided_on"),  # before the filing
        (FUTURE, "minor", "decided_on"),
        (TODAY, "undetermined", "outcome"),  # a court decides
    ],
)
def test_an_appeal_decision_is_refused_by_field(decided_on, outcome, field, worker, case):
    appeal = AgeAppealFactory(case=case, filed_on=date(2025, 6, 1))
    with pytest.raises(ValidationError) as raised:
        services.age_appeal_decide(
            actor=worker, appeal=appeal, decided_on=decided_on, outcome=outcome
        )
    assert _field_of(raised) == {field}
    appeal.refresh_from_db()
    assert appeal.decided_on is None


def test_an_appeal_is_decided_once(worker, case):
    appeal = AgeAppealFactory(case=case, filed_on=date(2025, 6, 1))
    services.age_appeal_decide(actor=worker, appeal=appeal, decided_on=TODAY, outcome="adult")
    with pytest.raises(ValidationError) as raised:
        services.age_appeal_decide(actor=worker, appeal=appeal, decided_on=TODAY, outcome="minor")
    assert _field_of(raised) == {"decided_on"}
    appeal.refresh_from_db()
    assert appeal.outcome == "adult"


@pytest.mark.parametrize(
    ("filed_on", "until", "days", "months"),
    [
        (date(2026, 1, 31), date(2026, 2, 28), 28, 1),  # a shorter month ends on its last day
        (date(2026, 1, 15), date(2026, 2, 14), 30, 0),
        (date(2026, 1, 15), date(2026, 2, 15), 31, 1),
        (date(2024, 9, 2), date(2026, 3, 1), 545, 17),
        (date(2026, 3, 2), date(2026, 3, 2), 0, 0),
    ],
)
def test_an_appeal_runs_in_whole_months(filed_on, until, days, months):
    appeal = AgeAppeal(filed_on=filed_on)
    duration = services.age_appeal_duration(appeal=appeal, today=until)
    assert (duration.days, duration.months, duration.pending) == (days, months, True)
    decided = AgeAppeal(filed_on=filed_on, decided_on=until, outcome="minor")
    late = services.age_appeal_duration(appeal=decided, today=until + timedelta(days=400))
    assert (late.days, late.months, late.pending) == (days, months, False)


# --- Accommodation -----------------------------------------------------------------------------


def test_a_new_placement_closes_the_current_one_on_its_start_date(worker, case):
    first = services.placement_record(
        actor=worker, case=case, kind="emergency", started_on=date(2026, 1, 5), departement="93"
    )
    assert first.closed is None

    second = services.placement_record(
        actor=worker, case=case, kind="foster_family", started_on=date(2026, 2, 1)
    )

    assert second.closed == first.placement
    first.placement.refresh_from_db()
    assert first.placement.ended_on == date(2026, 2, 1)
    assert second.placement.ended_on is None
    assert second.rights_violation is False
    assert Placement.objects.filter(case=case, ended_on__isnull=True).count() == 1


@pytest.mark.parametrize("kind", ["hotel", "street"])
def test_a_hotel_or_the_street_is_returned_as_a_rights_violation(kind, worker, case):
    recorded = services.placement_record(actor=worker, case=case, kind=kind, started_on=TODAY)
    assert recorded.rights_violation is True
    assert recorded.placement.is_rights_violation is True


def test_a_past_placement_fits_between_others_but_never_overlaps(worker, case):
    services.placement_record(
        actor=worker,
        case=case,
        kind="hotel",
        started_on=date(2025, 6, 1),
        ended_on=date(2025, 9, 1),
    )
    services.placement_record(
        actor=worker, case=case, kind="childrens_home", started_on=date(2025, 12, 1)
    )
    # Fits the gap exactly (moving out and in the same day is no overlap).
    services.placement_record(
        actor=worker,
        case=case,
        kind="emergency",
        started_on=date(2025, 9, 1),
        ended_on=date(2025, 12, 1),
    )

    with pytest.raises(ValidationError) as raised:
        services.placement_record(
            actor=worker,
            case=case,
            kind="foster_family",
            started_on=date(2025, 8, 1),
            ended_on=date(2025, 8, 15),
        )
    assert _field_of(raised) == {"started_on"}
    # A current placement cannot start before the current one.
    with pytest.raises(ValidationError) as raised:
        services.placement_record(
            actor=worker, case=case, kind="foster_family", started_on=date(2025, 11, 1)
        )
    assert _field_of(raised) == {"started_on"}
    assert Placement.objects.filter(case=case).count() == 3
    assert Placement.objects.get(case=case, ended_on__isnull=True).kind == "childrens_home"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"started_on": FUTURE}, "started_on"),
        ({"ended_on": date(2026, 1, 1)}, "ended_on"),  # before its start
        ({"ended_on": FUTURE}, "ended_on"),
        ({"kind": "squat"}, "kind"),
        ({"departement": "9731"}, "departement"),
    ],
)
def test_a_placement_is_refused_by_field(kwargs, field, worker, case):
    values = {"kind": "foster_family", "started_on": date(2026, 2, 1)} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.placement_record(actor=worker, case=case, **values)
    assert _field_of(raised) == {field}
    assert not Placement.objects.exists()


def test_a_placement_ends_once_and_not_before_it_started(worker, case):
    placement = PlacementFactory(case=case, started_on=date(2026, 1, 10))
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, ended_on=date(2026, 1, 9))
    assert _field_of(raised) == {"ended_on"}

    services.placement_end(actor=worker, placement=placement, ended_on=date(2026, 2, 20))
    with pytest.raises(ValidationError) as raised:
        services.placement_end(actor=worker, placement=placement, ended_on=TODAY)
    assert _field_of(raised) == {"ended_on"}
    placement.refresh_from_db()
    assert placement.ended_on == date(2026, 2, 20)
    assert Case.objects.get(pk=case.pk).last_contact_on == date(2026, 2, 20)


# --- Legal proceedings -------------------------------------------------------------------------


def test_a_defendant_under_constraint_gets_a_non_punishment_follow_up(worker, case):
    defendant = services.proceeding_record(
        actor=worker, case=case, role="defendant", opened_on=TODAY, court="  TPE Bobigny "
    )
    victim = services.proceeding_record(actor=worker, case=case, role="victim", opened_on=TODAY)

    assert defendant.non_punishment == "to_raise"
    assert defendant.court == "TPE Bobigny"
    assert victim.non_punishment == ""


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "victim", "non_punishment": "raised"}, "non_punishment"),
        ({"role": "victim", "criminal_record_entry": True}, "criminal_record_entry"),
        ({"role": "defendant", "non_punishment": ""}, "non_punishment"),
        ({"role": "defendant", "non_punishment": "forgotten"}, "non_punishment"),
        ({"role": "witness"}, "role"),
        ({"role": "victim", "opened_on": FUTURE}, "opened_on"),
    ],
)
def test_a_proceeding_is_refused_by_field(kwargs, field, worker, case):
    values = {"opened_on": TODAY} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.proceeding_record(actor=worker, case=case, **values)
    assert _field_of(raised) == {field}
    assert not Proceeding.objects.exists()


def test_a_proceeding_is_followed_up_then_closed(worker, case):
    proceeding = ProceedingFactory(case=case, opened_on=date(2025, 5, 1))
    with pytest.raises(ValidationError) as raised:
        services.proceeding_update(
            actor=worker,
            proceeding=proceeding,
            non_punishment="granted",
            criminal_record_entry=False,
            closed_on=date(2025, 4, 30),
        )
    assert _field_of(raised) == {"closed_on"}

    services.proceeding_update(
        actor=worker,
        proceeding=proceeding,
        non_punishment="granted",
        criminal_record_entry=False,
        closed_on=date(2026, 2, 1),
        seen_updated_at=proceeding.updated_at,
    )
    proceeding.refresh_from_db()
    assert (proceeding.non_punishment, proceeding.closed_on) == ("granted", date(2026, 2, 1))


def test_a_stale_update_is_refused_not_written_over(worker, case, users, clock):
    """Two workers open the same proceeding; the second to save is told, not silently lost."""
    proceeding = ProceedingFactory(case=case)
    seen = proceeding.updated_at
    clock.shift(timedelta(seconds=30))
    services.proceeding_update(
        actor=Actor(user=users[("coordinator", "a")]),
        proceeding=proceeding,
        non_punishment="raised",
        criminal_record_entry=False,
        closed_on=None,
        seen_updated_at=seen,
    )

    with pytest.raises(ValidationError) as raised:
        services.proceeding_update(
            actor=worker,
            proceeding=proceeding,
            non_punishment="refused",
            criminal_record_entry=True,
            closed_on=None,
            seen_updated_at=seen,
        )
    assert raised.value.code == "stale"
    proceeding.refresh_from_db()
    assert (proceeding.non_punishment, proceeding.criminal_record_entry) == ("raised", False)


# --- Hearings ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"recording": "refused"}, "recording_refused_reason"),
        ({"recording": "not_made", "recording_refused_reason": "   "}, "recording_refused_reason"),
        ({"recording": "made", "recording_refused_reason": "x"}, "recording_refused_reason"),
        ({"place": "car_park"}, "place"),
        ({"recording": "maybe"}, "recording"),
        ({"held_on": FUTURE}, "held_on"),
    ],
)
def test_a_hearing_is_refused_by_field(kwargs, field, worker, case):
    values = {"held_on": TODAY, "place": "police_station", "recording": "made"} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.hearing_record(actor=worker, case=case, **values)
    assert _field_of(raised) == {field}
    assert not Hearing.objects.exists()


def test_a_hearing_in_a_police_station_without_recording_is_a_concern(worker, case):
    """ECPAT 2007: record every hearing of a child victim (unless she refuses), with a trusted
    third party, in a suitable place."""
    hearing = services.hearing_record(
        actor=worker,
        case=case,
        held_on=TODAY,
        place="police_station",
        recording="not_made",
        recording_refused_reason="Camera out of order",
    )
    hearing.refresh_from_db()
    assert hearing.recording_refused_reason == "Camera out of order"
    with translation.override("en"):
        concerns = services.hearing_concerns(hearing)
    assert len(concerns) == 2
    assert "police station without audiovisual recording" in concerns[0]
    assert "trusted third party" in concerns[1]

    at_uaped = HearingFactory(case=case, place="uaped", recording="refused")
    recorded_at_police = HearingFactory(case=case, place="police_station", recording="made")
    assert services.hearing_concerns(at_uaped) == []
    assert services.hearing_concerns(recorded_at_police) == []


# --- Compensation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_awarded": Decimal("-1"), "awarded_on": TODAY}, "amount_awarded"),
        ({"amount_paid": Decimal("-0.01"), "paid_on": TODAY}, "amount_paid"),
        ({"amount_awarded": Decimal("100")}, "awarded_on"),
        ({"paid_on": TODAY}, "amount_paid"),
        (
            {
                "amount_awarded": Decimal("100"),
                "awarded_on": date(2026, 1, 1),
                "amount_paid": Decimal("100.01"),
                "paid_on": TODAY,
            },
            "amount_paid",
        ),
        ({"amount_awarded": Decimal("100"), "awarded_on": date(2025, 1, 1)}, "awarded_on"),
        (
            {
                "amount_awarded": Decimal("100"),
                "awarded_on": date(2026, 2, 1),
                "amount_paid": Decimal("50"),
                "paid_on": date(2026, 1, 20),
            },
            "paid_on",
        ),
        ({"filed_on": FUTURE}, "filed_on"),
    ],
)
def test_a_compensation_claim_is_refused_by_field(kwargs, field, worker, case):
    values = {"filed_on": date(2025, 6, 1)} | kwargs
    with pytest.raises(ValidationError) as raised:
        services.compensation_record(actor=worker, case=case, **values)
    assert _field_of(raised) == {field}
    assert not CompensationClaim.objects.exists()


def test_a_compensation_claim_is_followed_to_its_payment(worker, case):
    claim = services.compensation_record(
        actor=worker, case=case, filed_on=date(2025, 6, 1), body="CIVI"
    )
    services.compensation_update(
        actor=worker,
        claim=claim,
        filed_on=date(2025, 6, 1),
        body="CIVI",
        amount_awarded=Decimal("4500"),
        awarded_on=date(2025, 12, 1),
        amount_paid=Decimal("4500"),
        paid_on=date(2026, 2, 1),
        seen_updated_at=claim.updated_at,
    )
    claim.refresh_from_db()
    assert (claim.amount_awarded, claim.amount_paid) == (Decimal("4500"), Decimal("4500"))
    assert len(_event_audits(claim)) == 2


# --- Pages -------------------------------------------------------------------------------------

EVENT_PAGES = sorted(
    [
        "cases:event_age_assessment",
        "cases:event_age_appeal",
        "cases:event_placement",
        "cases:event_proceeding",
        "cases:event_hearing",
        "cases:event_compensation",
        *EVENT_UPDATE_URLS,
    ]
)


def _url(name: str, case, event=None) -> str:
    kwargs = {"case_uuid": case.uuid}
    if name in EVENT_UPDATE_URLS:
        kwargs["event_uuid"] = (event or EVENT_UPDATE_URLS[name](case=case)).uuid
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("name", EVENT_PAGES)
def test_a_referral_never_opens_the_event_pages(name, users, case, org_b, client_for):
    """Organisation B reads sections of A's file through a referral; every event page is still
    a 404 for it."""
    full_referral_for_tests(case, org_b)
    client = client_for(users[("coordinator", "b")])
    url = _url(name, case)

    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


@pytest.mark.parametrize("name", sorted(EVENT_UPDATE_URLS))
def test_an_event_of_another_file_is_not_found_through_this_one(
    name, users, case, org_a, client_for
):
    other_case = CaseFactory(organisation=org_a)
    event = EVENT_UPDATE_URLS[name](case=other_case)
    client = client_for(users[("caseworker", "a")])

    response = client.get(_url(name, case, event))

    assert response.status_code == 404


def test_recording_a_hotel_warns_and_the_file_says_it_is_a_violation(users, case, client_for):
    client = client_for(users[("caseworker", "a")])

    response = client.post(
        _url("cases:event_placement", case),
        {"kind": "hotel", "started_on": "2026-02-20", "departement": "93"},
        **ENGLISH,
    )

    assert response.status_code == 302
    assert response["Location"] == f"{case.get_absolute_url()}#accommodation"
    page = client.get(case.get_absolute_url(), **ENGLISH).content.decode()
    # In words, not by colour: the warning message, the current placement and the history row.
    assert "recorded as a violation of the child" in page
    assert "Rights violation: a child victim must never be placed in a hotel" in page
    assert '<strong class="tag">Rights violation</strong>' in page


def test_the_file_shows_a_pending_appeal_with_its_running_duration(users, case, client_for):
    AgeAppealFactory(case=case, filed_on=date(2024, 9, 2))
    Case.objects.filter(pk=case.pk).update(age_disputed=True)

    page = client_for(users[("caseworker", "a")]).get(case.get_absolute_url(), **ENGLISH)

    body = page.content.decode()
    assert "Pending for 18 months (546 days)" in body
    assert "Age disputed: presumed a minor" in body


def test_the_file_warns_of_a_hearing_against_ecpat_recommendations(users, case, client_for):
    client = client_for(users[("caseworker", "a")])
    response = client.post(
        _url("cases:event_hearing", case),
        {
            "held_on": "2026-02-20",
            "place": "police_station",
            "recording": "refused",
            "recording_refused_reason": "Refused by the investigator",
        },
        follow=True,
        **ENGLISH,
    )

    body = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#hearings")
    assert body.count("Heard in a police station without audiovisual recording") == 2
    assert "Refused by the investigator" in body


def test_an_invalid_event_comes_back_with_the_error_on_its_field(users, case, client_for):
    response = client_for(users[("caseworker", "a")]).post(
        _url("cases:event_hearing", case),
        {"held_on": "2026-02-20", "place": "police_station", "recording": "refused"},
        **ENGLISH,
    )

    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_recording_refused_reason_error"' in body
    assert "Say why the hearing was not recorded" in body
    assert not Hearing.objects.exists()


def test_a_stale_follow_up_page_shows_the_current_record_and_keeps_what_was_typed(
    users, case, client_for, clock
):
    """Given two workers on the same compensation claim, when the second saves a page read
    before the first saved, then the page answers 409 with both: the record as it now is, and
    the values typed; saving again from that page goes through."""
    claim = CompensationClaimFactory(case=case, filed_on=date(2025, 6, 1))
    url = _url("cases:event_compensation_update", case, claim)
    first = client_for(users[("coordinator", "a")])
    second = client_for(users[("caseworker", "a")])
    second_page = second.get(url, **ENGLISH).content.decode()
    seen = second_page.split('name="seen_updated_at" value="', 1)[1].split('"', 1)[0]
    clock.shift(timedelta(seconds=30))
    assert (
        first.post(
            url,
            {"filed_on": "2025-06-01", "amount_awarded": "1200", "awarded_on": "2026-01-10"},
            **ENGLISH,
        ).status_code
        == 302
    )
    typed = {
        "filed_on": "2025-06-01",
        "amount_awarded": "1500",
        "awarded_on": "2026-01-12",
        "seen_updated_at": seen,
    }

    response = second.post(url, typed, **ENGLISH)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else changed this record" in body
    assert "<dd>1,200.00 €</dd>" in body  # the record as it now is
    assert 'value="1500"' in body  # what the second worker typed
    claim.refresh_from_db()
    assert claim.amount_awarded == Decimal("1200")

    fresh = body.split('name="seen_updated_at" value="', 1)[1].split('"', 1)[0]
    again = second.post(url, typed | {"seen_updated_at": fresh}, **ENGLISH)
    assert again.status_code == 302
    claim.refresh_from_db()
    assert claim.amount_awarded == Decimal("1500")


def test_a_placement_is_ended_from_its_page(users, case, client_for):
    placement = PlacementFactory(case=case, started_on=date(2026, 1, 5))
    client = client_for(users[("caseworker", "a")])
    url = _url("cases:event_placement_end", case, placement)
    assert client.get(url).status_code == 200

    response = client.post(url, {"ended_on": "2026-02-27"})

    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.ended_on == date(2026, 2, 27)


# --- In the browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_hotel_placement_shows_as_a_violation_in_the_browser(
    page, visit, axe_check, browser_sign_in
):
    """A caseworker records a hotel from the file; back on the file, the accommodation section
    says it is a rights violation in words (a tag with text, not a colour). axe-core checks the
    form page and the file. Selectors use names and ids: the wording will be translated."""
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation)
    browser_sign_in(caseworker)

    visit(case.get_absolute_url())
    with page.expect_navigation():
        page.click(f"a[href='{reverse('cases:event_placement', kwargs={'case_uuid': case.uuid})}']")
    axe_check(page)
    page.select_option("select[name=kind]", "hotel")
    page.fill("input[name=started_on]", timezone.localdate().isoformat())
    page.fill("input[name=departement]", "93")
    submit_main_form(page)
    axe_check(page)

    assert page.url.endswith(f"{case.get_absolute_url()}#accommodation")
    placement = Placement.objects.get(case=case)
    assert (placement.kind, placement.departement) == ("hotel", "93")
    expect(page.locator("#accommodation .tag").first).to_be_visible()
    expect(page.locator(".messages")).to_contain_text(placement.get_kind_display())
    assert page.locator("#accommodation tbody .tag").count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_event_page_and_a_full_file_pass_axe(page, visit, browser_sign_in):
    """Each event form, each follow-up page (with the record shown above its form) and a file
    holding every kind of event, an appeal pending and a hearing with concerns."""
    caseworker = UserFactory(role="caseworker")
    case = CaseFactory(organisation=caseworker.organisation, age_disputed=True)
    AgeAppealFactory(case=case)
    HearingFactory(
        case=case, place="police_station", recording="refused", trusted_third_party_present=False
    )
    events = {name: factory(case=case) for name, factory in EVENT_UPDATE_URLS.items()}
    browser_sign_in(caseworker)

    for name in EVENT_PAGES:
        visit(_url(name, case, events.get(name)))
    visit(case.get_absolute_url())
    expect(page.locator("#hearings tbody li")).to_have_count(2)
