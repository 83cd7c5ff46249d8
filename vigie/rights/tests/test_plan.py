"""The pure rights plan: every right's applicability and deadline, birthdays and doubt.

No database: facts are built by hand (plan.CaseFacts), the catalogue is the bundled one. The
clock is a parameter: TODAY is a Monday, 2 March 2026 (the suite's frozen clock).
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from vigie.rights.catalogue import load_catalogue
from vigie.rights.plan import (
    OPENED_BY_CATALOGUE,
    AppealFact,
    CaseFacts,
    CompensationFact,
    PlacementFact,
    ProceedingFact,
    RightEvaluation,
    civi_deadline,
    plan_evaluate,
    right_evaluate,
    years_later,
)

TODAY = date(2026, 3, 2)
IDENTIFIED = date(2026, 1, 10)
CATALOGUE = load_catalogue()


def days(n: int, start: date = IDENTIFIED) -> date:
    return start + timedelta(days=n)


def facts(**values) -> CaseFacts:
    """A 15-year-old girl (born 2010-06-15), accompanied, French, identified on 10 January 2026,
    with nothing else known; each test adds what it is about."""
    base = CaseFacts(identified_on=IDENTIFIED, birth_date=date(2010, 6, 15), birth_year=2010)
    return replace(base, **values)


def adult(**values) -> CaseFacts:
    """Born 2000-04-01, age not disputed: 25, certainly an adult."""
    return facts(birth_date=date(2000, 4, 1), birth_year=2000, **values)


def evaluate(
    right_id: str, case_facts: CaseFacts, today: date = TODAY, kept=None
) -> RightEvaluation:
    return right_evaluate(CATALOGUE.rights[right_id], case_facts, today, kept)


def applies(right_id: str, case_facts: CaseFacts, today: date = TODAY) -> bool:
    return evaluate(right_id, case_facts, today).applicable


def identified(**values) -> CaseFacts:
    """A presumed victim: the file's status says identified."""
    return facts(status="identified", **values)


SCREENED_ON = days(5)
OPENED_ON = days(8)


def screened(assessment: str, *actions: str, on: date = SCREENED_ON, **values) -> CaseFacts:
    return facts(
        screening_on=on,
        screening_assessment=assessment,
        screening_actions=frozenset(actions),
        **values,
    )


def placed(kind: str, since: date, *, safe=False, violation=False) -> PlacementFact:
    return PlacementFact(kind=kind, started_on=since, ended_on=None, safe=safe, violation=violation)


HOTEL = placed("hotel", days(20), violation=True)


# --- the presumption of minority, which every "minor" right relies on ----------------------------


@pytest.mark.parametrize(
    ("values", "is_minor"),
    [
        ({}, True),  # 15, known
        ({"birth_date": date(2000, 4, 1), "birth_year": 2000}, False),  # 25, known
        # Disputed: presumed a minor whatever the stated date says (Civil Code art. 388).
        ({"birth_date": date(2000, 4, 1), "birth_year": 2000, "age_disputed": True}, True),
        ({"birth_date": None, "birth_year": None}, True),  # nothing known: presumed
        # A year alone: 2008 means 18 somewhere in 2026; the doubt benefits the child.
        ({"birth_date": None, "birth_year": 2008}, True),
        ({"birth_date": None, "birth_year": 2007}, False),  # 18 by 31 December 2025 at the latest
    ],
    ids=["15", "adult", "disputed-adult", "unknown", "year-2008", "year-2007"],
)
def test_minor_rights_follow_the_presumption_of_minority(values, is_minor):
    """Given an unaccompanied young person, the ad hoc administrator (a right of minors) applies
    exactly when she is a minor or presumed one."""
    assert applies("ad_hoc_administrator", facts(unaccompanied=True, **values)) is is_minor


def test_the_plan_is_deterministic_and_in_catalogue_order():
    case_facts = identified(unaccompanied=True, forms=frozenset({"forced_criminality"}))
    first = plan_evaluate(catalogue=CATALOGUE, facts=case_facts, today=TODAY)
    again = plan_evaluate(catalogue=CATALOGUE, facts=case_facts, today=TODAY)
    assert first == again
    assert [e.right_id for e in first] == list(CATALOGUE.rights)


def test_a_right_already_open_keeps_its_opening_day_and_deadline():
    """Given a right opened earlier, when the plan is evaluated again with that day kept, its
    deadline is counted from it, not from the facts' day."""
    kept = date(2026, 2, 1)
    evaluation = evaluate("ad_hoc_administrator", facts(unaccompanied=True), kept=kept)
    assert evaluation.opened_on == kept
    assert evaluation.due_on == date(2026, 2, 4)


def test_a_right_never_opens_before_the_child_was_identified():
    """Given a 16th birthday long before the file was opened, the bank account right opens on
    the day the child was identified, not on the birthday."""
    evaluation = evaluate("bank_account", adult())
    assert evaluation.opened_on == IDENTIFIED


# --- each right: when it applies, when it is due --------------------------------------------


def test_ad_hoc_administrator_without_delay_for_a_child_alone():
    unaccompanied = evaluate("ad_hoc_administrator", facts(unaccompanied=True))
    assert unaccompanied.applicable
    assert unaccompanied.opened_on == IDENTIFIED
    assert unaccompanied.due_on == days(3)
    assert unaccompanied.opened_by == OPENED_BY_CATALOGUE
    assert applies("ad_hoc_administrator", facts(guardianship="none"))
    assert not applies("ad_hoc_administrator", facts(guardianship="parents"))
    assert not applies("ad_hoc_administrator", adult(unaccompanied=True))


def test_ad_hoc_administrator_automatic_states():
    requested = evaluate(
        "ad_hoc_administrator",
        facts(unaccompanied=True, ad_hoc_administrator_requested_on=days(1)),
    )
    assert requested.automatic.state == "in_progress"
    assert not requested.automatic.settled
    appointed = evaluate(
        "ad_hoc_administrator",
        facts(
            unaccompanied=True,
            ad_hoc_administrator_requested_on=days(1),
            ad_hoc_administrator_appointed_on=days(2),
        ),
    )
    assert appointed.automatic.state == "done"
    assert appointed.automatic.settled
    assert appointed.automatic.done_on == days(2)


def test_safe_accommodation_for_a_child_alone_or_a_victim_never_a_hotel():
    alone = evaluate("safe_accommodation", facts(unaccompanied=True))
    assert alone.due_on == days(1)
    assert applies("safe_accommodation", identified())
    assert not applies("safe_accommodation", facts())  # accompanied, not a victim, housed
    # A child placed in a hotel: the right opens on the day of the placement, already a violation.
    hotel = evaluate("safe_accommodation", facts(placements=(HOTEL,)))
    assert hotel.opened_on == days(20)
    assert hotel.due_on == days(21)
    assert (hotel.automatic.state, hotel.automatic.reason) == ("blocked", "placement_violation")
    assert hotel.automatic.settled
    # Young victims up to 21 (2022 report §V), not beyond.
    assert applies("safe_accommodation", identified(birth_date=date(2006, 1, 5), birth_year=2006))
    assert not applies(
        "safe_accommodation", identified(birth_date=date(2004, 1, 5), birth_year=2004)
    )


def test_safe_accommodation_follows_the_current_placement():
    safe = placed("foster_family", days(30), safe=True)
    done = evaluate("safe_accommodation", facts(unaccompanied=True, placements=(safe, HOTEL)))
    assert (done.automatic.state, done.automatic.done_on) == ("done", days(30))
    emergency = evaluate(
        "safe_accommodation", facts(unaccompanied=True, placements=(placed("emergency", days(2)),))
    )
    assert emergency.automatic.state == "in_progress"
    assert not emergency.automatic.settled
    # A placement that ended no longer counts; one to come does not count yet.
    ended = replace(HOTEL, ended_on=days(25))
    assert (
        evaluate("safe_accommodation", facts(unaccompanied=True, placements=(ended,))).automatic
        is None
    )
    later = placed("hotel", TODAY + timedelta(days=3), violation=True)
    assert not applies("safe_accommodation", facts(placements=(later,)))


def test_child_protection_alert_for_a_minor_at_risk_or_victim():
    at_risk = evaluate("child_protection_alert", screened("at_risk"))
    assert at_risk.opened_on == days(5)
    assert at_risk.due_on == days(7)
    assert applies("child_protection_alert", identified())
    assert not applies("child_protection_alert", screened("no_indication"))
    assert not applies("child_protection_alert", adult(status="identified"))


def test_juvenile_judge_referral_for_a_minor_presumed_victim():
    victim = evaluate("juvenile_judge_referral", screened("presumed_victim"))
    assert victim.due_on == days(12)
    assert not applies("juvenile_judge_referral", screened("at_risk"))
    assert not applies("juvenile_judge_referral", adult(status="protected"))


def test_health_care_for_victims_and_children_alone():
    assert evaluate("health_care", adult(status="identified")).due_on == days(15)
    assert applies("health_care", facts(unaccompanied=True))
    assert not applies("health_care", screened("at_risk"))


def test_psychological_care_for_presumed_victims():
    assert evaluate("psychological_care", identified()).due_on == days(30)
    assert not applies("psychological_care", facts(unaccompanied=True))


def test_addiction_care_when_dependence_is_recorded_or_screened():
    recorded = evaluate("addiction_care", facts(substances=frozenset({"pregabalin"})))
    assert (recorded.opened_on, recorded.due_on) == (IDENTIFIED, days(7))
    screened_only = evaluate(
        "addiction_care", facts(screening_on=days(9), screening_drug_dependence=True)
    )
    assert (screened_only.opened_on, screened_only.due_on) == (days(9), days(16))
    assert applies("addiction_care", adult(substances=frozenset({"alcohol"})))
    assert not applies("addiction_care", facts())


def test_schooling_or_training_for_every_minor():
    assert evaluate("schooling_or_training", facts()).due_on == days(30)
    assert not applies("schooling_or_training", adult())
    enrolled = evaluate("schooling_or_training", facts(schooling="training"))
    assert (enrolled.automatic.state, enrolled.automatic.settled) == ("done", True)
    waiting = evaluate("schooling_or_training", facts(schooling="waiting"))
    assert (waiting.automatic.state, waiting.automatic.settled) == ("in_progress", False)
    assert evaluate("schooling_or_training", facts(schooling="none")).automatic is None


def test_identity_documents_for_victims_and_children_alone():
    assert evaluate("identity_documents", identified()).due_on == days(60)
    assert applies("identity_documents", facts(unaccompanied=True))
    assert not applies("identity_documents", screened("at_risk"))


def test_bank_account_from_the_sixteenth_birthday():
    """Born 10 June 2010 and identified in January 2026: the right opens on 10 June 2026."""
    born = facts(birth_date=date(2010, 6, 10))
    assert not applies("bank_account", born, date(2026, 6, 9))
    opened = evaluate("bank_account", born, date(2026, 6, 10))
    assert (opened.opened_on, opened.due_on) == (date(2026, 6, 10), date(2026, 8, 9))


def test_bank_account_to_receive_compensation_at_any_age():
    claim = CompensationFact(filed_on=days(1), awarded=True, awarded_on=days(40), paid_on=None)
    young = facts(birth_date=date(2013, 1, 1), birth_year=2013, compensation_claims=(claim,))
    evaluation = evaluate("bank_account", young)
    assert evaluation.opened_on == days(40)
    pending = replace(claim, awarded=False, awarded_on=None)
    assert not applies("bank_account", replace(young, compensation_claims=(pending,)))


def test_bank_account_with_a_birth_year_counts_from_the_last_day_of_that_year():
    """Born "in 2010": 16 on 31 December 2026 at the latest, the date the doubt gives."""
    year_only = facts(birth_date=None, birth_year=2010)
    assert not applies("bank_account", year_only, date(2026, 12, 30))
    assert evaluate("bank_account", year_only, date(2026, 12, 31)).opened_on == date(2026, 12, 31)
    assert not applies("bank_account", facts(birth_date=None, birth_year=None))


def test_lawyer_and_complaint_for_presumed_victims():
    victim = evaluate("lawyer_and_complaint", identified())
    assert victim.due_on == days(15)
    asked = evaluate(
        "lawyer_and_complaint",
        screened("presumed_victim", "file_complaint_sexual_offence", on=IDENTIFIED),
    )
    assert asked.opened_by == "file_complaint_sexual_offence"
    with_proceeding = evaluate(
        "lawyer_and_complaint",
        identified(proceedings=(ProceedingFact("victim", days(3), "", False, None),)),
    )
    assert with_proceeding.automatic.state == "in_progress"
    assert not applies("lawyer_and_complaint", screened("at_risk"))


def _defendant(
    non_punishment="", record=False, closed_on=None, opened_on=OPENED_ON
) -> ProceedingFact:
    return ProceedingFact("defendant", opened_on, non_punishment, record, closed_on)


def test_non_punishment_for_forced_criminality_or_a_prosecution():
    by_form = evaluate("non_punishment", facts(forms=frozenset({"forced_criminality"})))
    assert (by_form.opened_on, by_form.due_on) == (IDENTIFIED, days(15))
    prosecuted = evaluate("non_punishment", adult(proceedings=(_defendant(),)))
    assert (prosecuted.opened_on, prosecuted.due_on) == (days(8), days(23))
    assert not applies("non_punishment", facts(forms=frozenset({"sexual_exploitation"})))


@pytest.mark.parametrize(
    ("proceedings", "state", "reason", "settled"),
    [
        ((_defendant("raised"),), "in_progress", "non_punishment_raised", False),
        ((_defendant("granted", closed_on=days(50)),), "done", "non_punishment_granted", True),
        (
            (_defendant("granted"), _defendant("refused")),
            "blocked",
            "non_punishment_refused",
            False,
        ),
        ((_defendant("granted", record=True),), "in_progress", "criminal_record_entry", False),
        ((_defendant(),), None, None, None),
    ],
    ids=["raised", "granted", "refused", "record", "nothing-yet"],
)
def test_non_punishment_follows_the_proceedings(proceedings, state, reason, settled):
    automatic = evaluate("non_punishment", facts(proceedings=proceedings)).automatic
    if state is None:
        assert automatic is None
    else:
        assert (automatic.state, automatic.reason, automatic.settled) == (state, reason, settled)


def test_compensation_claim_three_months_before_the_civi_time_bar():
    """An offence ended on 15 March 2023 (before the 2023 reform): three years from the offence,
    less the three months' margin."""
    victim = identified(exploitation_ended_on=date(2023, 3, 15))
    assert civi_deadline(victim) == date(2026, 3, 15)
    assert evaluate("compensation_claim", victim).due_on == date(2026, 3, 15) - timedelta(days=90)
    assert not applies("compensation_claim", screened("at_risk"))


def test_civi_time_bar_runs_from_majority_for_an_offence_against_a_minor_since_the_reform():
    # Ended when she was 15, after 22 November 2023: three years from her 18th birthday.
    after_reform = identified(exploitation_ended_on=date(2025, 9, 1))
    assert civi_deadline(after_reform) == date(2031, 6, 15)
    # A year of birth alone: the earliest plausible majority, 1 January (the child must not lose).
    year_only = replace(after_reform, birth_date=None, birth_year=2010)
    assert civi_deadline(year_only) == date(2031, 1, 1)
    # Age disputed or unknown: no majority to count from, three years from the offence.
    assert civi_deadline(replace(after_reform, age_disputed=True)) == date(2028, 9, 1)
    assert civi_deadline(replace(after_reform, birth_date=None, birth_year=None)) == date(
        2028, 9, 1
    )
    # An adult at the time of the offence: from the offence.
    assert civi_deadline(adult(exploitation_ended_on=date(2025, 9, 1))) == date(2028, 9, 1)


def test_civi_time_bar_with_criminal_proceedings():
    pending = ProceedingFact("victim", days(3), "", False, None)
    ongoing = identified(exploitation_ended_on=date(2023, 3, 15), proceedings=(pending,))
    assert civi_deadline(ongoing) is None
    assert evaluate("compensation_claim", ongoing).due_on is None
    decided = replace(pending, closed_on=date(2026, 2, 1))
    assert civi_deadline(replace(ongoing, proceedings=(decided,))) == date(2027, 2, 1)
    # Without an end of exploitation recorded: from the day the child was identified.
    assert civi_deadline(identified(birth_date=date(2000, 4, 1))) == years_later(IDENTIFIED, 3)


def test_compensation_claim_automatic_states():
    filed = CompensationFact(filed_on=days(1), awarded=True, awarded_on=days(9), paid_on=None)
    claimed = evaluate("compensation_claim", identified(compensation_claims=(filed,)))
    assert claimed.automatic.state == "in_progress"
    paid = evaluate(
        "compensation_claim", identified(compensation_claims=(replace(filed, paid_on=days(20)),))
    )
    assert (paid.automatic.state, paid.automatic.done_on) == ("done", days(20))


def test_a_29_february_time_limit_ends_on_28_february():
    assert years_later(date(2024, 2, 29), 3) == date(2027, 2, 28)
    assert years_later(date(2024, 2, 29), 4) == date(2028, 2, 29)


def test_residence_permit_for_a_foreign_young_person_from_16():
    foreign = facts(nationality="MA", birth_date=date(2009, 11, 20), birth_year=2009)
    evaluation = evaluate("residence_permit", foreign)
    # Ready two months before the 18th birthday (20 November 2027).
    assert evaluation.due_on == date(2027, 11, 20) - timedelta(days=60)
    assert not applies("residence_permit", facts(nationality="MA"))  # 15
    assert not applies("residence_permit", replace(foreign, nationality="FR"))
    assert applies("residence_permit", replace(foreign, nationality="", unaccompanied=True))
    assert not applies("residence_permit", replace(foreign, nationality=""))
    # Met as an adult: two months from the opening, not a date already past.
    grown = evaluate("residence_permit", adult(nationality="NG"))
    assert grown.due_on == days(60)


def test_transition_to_adulthood_opens_at_17_and_is_due_within_a_month():
    """Born 20 April 2009: 17 on 20 April 2026, 18 on 20 April 2027."""
    born = facts(birth_date=date(2009, 4, 20), birth_year=2009)
    assert not applies("transition_to_adulthood", born, date(2026, 4, 19))
    opened = evaluate("transition_to_adulthood", born, date(2026, 4, 20))
    assert (opened.opened_on, opened.due_on) == (date(2026, 4, 20), date(2026, 5, 20))
    # Still applies after 18 (support to 21), not from 21.
    assert applies("transition_to_adulthood", born, date(2029, 4, 19))
    assert not applies("transition_to_adulthood", born, date(2030, 4, 20))


def test_transition_met_late_is_due_three_months_before_majority():
    """Identified at nearly 18 (born 1 May 2008): the 18th birthday minus 90 days is already
    past -- the plan says the preparation is late rather than giving it a fresh month."""
    late = facts(birth_date=date(2008, 5, 1), birth_year=2008)
    evaluation = evaluate("transition_to_adulthood", late)
    assert evaluation.opened_on == IDENTIFIED
    assert evaluation.due_on == date(2026, 5, 1) - timedelta(days=90)
    assert evaluation.due_on < TODAY


def test_transition_birthdays_on_29_february():
    """Born 29 February 2008: 17 on 1 March 2025, 18 on 1 March 2026 (vigie/cases/ages.py)."""
    leap = facts(birth_date=date(2008, 2, 29), birth_year=2008, identified_on=date(2024, 6, 1))
    assert not applies("transition_to_adulthood", leap, date(2025, 2, 28))
    evaluation = evaluate("transition_to_adulthood", leap, date(2025, 3, 1))
    assert (evaluation.opened_on, evaluation.due_on) == (date(2025, 3, 1), date(2025, 3, 31))
    # Her 18th birthday is 1 March: still a minor on 28 February 2026, an adult the next day.
    alone = replace(leap, unaccompanied=True)
    assert applies("ad_hoc_administrator", alone, date(2026, 2, 28))
    assert not applies("ad_hoc_administrator", alone, date(2026, 3, 1))


def test_transition_with_a_birth_year_or_a_disputed_date_counts_from_31_december():
    year_only = facts(birth_date=None, birth_year=2009)
    assert not applies("transition_to_adulthood", year_only, date(2026, 12, 30))
    evaluation = evaluate("transition_to_adulthood", year_only, date(2026, 12, 31))
    assert evaluation.due_on == date(2027, 1, 30)
    # A stated date under dispute: the latest plausible birthday of that year too.
    disputed = facts(birth_date=date(2009, 3, 1), birth_year=2009, age_disputed=True)
    assert not applies("transition_to_adulthood", disputed, date(2026, 3, 2))
    assert applies("transition_to_adulthood", disputed, date(2026, 12, 31))
    # Unknown age: no birthday to count from; the status can still open it.
    assert not applies("transition_to_adulthood", facts(birth_date=None, birth_year=None))
    assert applies("transition_to_adulthood", facts(status="transition"))


def test_age_dispute_follow_up():
    disputed = evaluate("age_dispute_follow_up", facts(age_disputed=True))
    assert disputed.due_on == days(15)
    assessed = evaluate(
        "age_dispute_follow_up", facts(age_assessment_outcome="adult", age_assessed_on=days(4))
    )
    assert (assessed.opened_on, assessed.due_on) == (days(4), days(19))
    # Appeal filed: in progress, to chase three months after filing.
    appeal = AppealFact(filed_on=days(10), decided_on=None, outcome="")
    pending = evaluate("age_dispute_follow_up", facts(age_disputed=True, appeals=(appeal,)))
    assert pending.due_on == days(100)
    assert pending.automatic.state == "in_progress"
    minor = replace(appeal, decided_on=days(60), outcome="minor")
    decided = evaluate("age_dispute_follow_up", facts(age_disputed=True, appeals=(minor,)))
    assert (decided.automatic.state, decided.automatic.done_on) == ("done", days(60))
    declared_adult = replace(appeal, decided_on=days(60), outcome="adult")
    refused = evaluate("age_dispute_follow_up", facts(age_disputed=True, appeals=(declared_adult,)))
    assert (refused.automatic.state, refused.automatic.settled) == ("blocked", False)
    assert not applies("age_dispute_follow_up", facts())


def test_age_dispute_follow_up_opened_by_the_presumption_of_minority():
    """treat_as_minor: the screening could only presume minority; someone must see that the
    authorities do too."""
    evaluation = evaluate("age_dispute_follow_up", screened("at_risk", "treat_as_minor"))
    assert evaluation.applicable
    assert evaluation.opened_by == "treat_as_minor"
    assert evaluation.due_on == days(20)


def test_online_content_removal_for_online_sexual_exploitation():
    recorded = evaluate(
        "online_content_removal", facts(forms=frozenset({"online_sexual_exploitation"}))
    )
    assert recorded.due_on == days(1)
    by_screening = evaluate(
        "online_content_removal",
        facts(screening_on=days(6), screening_forms=frozenset({"online_sexual_exploitation"})),
    )
    assert (by_screening.opened_on, by_screening.due_on) == (days(6), days(7))
    assert not applies("online_content_removal", facts(forms=frozenset({"sexual_exploitation"})))


# --- screening actions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action", sorted({a for r in CATALOGUE.rights.values() for a in r.opened_by_actions})
)
def test_each_screening_action_opens_its_rights_even_when_the_file_would_not(action):
    """Given an adult's file that calls for none of these rights, when the latest screening asks
    for the action, then every right it maps to opens, named after the action, on that day."""
    case_facts = replace(adult(), screening_on=days(5), screening_actions=frozenset({action}))
    for right_id in CATALOGUE.rights_for_action(action):
        assert not applies(right_id, adult()), right_id
        evaluation = evaluate(right_id, case_facts)
        assert evaluation.applicable, right_id
        assert evaluation.opened_by == action
        assert evaluation.opened_on == days(5)


def test_the_earliest_reason_names_the_opening():
    """The file opened the right before the screening asked for it: it stays the file's."""
    case_facts = screened("presumed_victim", "appoint_ad_hoc_administrator", unaccompanied=True)
    evaluation = evaluate("ad_hoc_administrator", case_facts)
    assert (evaluation.opened_by, evaluation.opened_on) == (OPENED_BY_CATALOGUE, IDENTIFIED)
