"""A child's rights plan, evaluated: which rights apply, since when, by when, and what the file
already says about them.

Pure Python (no Django, no database) and deterministic: the same facts on the same day give the
same plan. ``facts.py`` gathers the facts of a case from the database, ``services.py`` turns the
evaluation into stored right items.

Dates, and the doubt that benefits the child (vigie/cases/ages.py):
- ``minor`` is the presumption of minority: an unknown or disputed age counts as a minor;
- ages and birthdays are counted from the latest plausible birth date (31 December of the year
  when only the year is known or the date is disputed): a right "from 16" opens on that presumed
  16th birthday, the 18th birthday is the presumed majority, so protection never ends early;
- a right opens on the latest date among the dated facts that make it apply (a birthday, a
  screening, a placement, an appeal, a proceeding), and never before the case was identified:
  undated facts of the file (unaccompanied, nationality, forms, status) count from the day the
  child was identified. A right already open keeps the day it opened (``kept_opened_on``);
- the one deadline the law can make the child lose (the CIVI claim, CPP art. 706-5) is taken at
  its earliest plausible date instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from vigie.cases.ages import birthday, is_minor_on, latest_birth_date

from .catalogue import (
    AUTOMATIC_RULES,
    FLAGS,
    AgeAtLeast,
    AgeBelow,
    AllOf,
    AnyOf,
    Catalogue,
    CiviDeadline,
    Condition,
    DaysAfter,
    Deadline,
    EarliestOf,
    FirstOf,
    Flag,
    FormsAny,
    FromBirthday,
    LatestOf,
    Not,
    Right,
    StatusIn,
)

# What opened a right when no screening action asked for it: its applicability rule.
OPENED_BY_CATALOGUE: Final = "catalogue"

# Statuses that mean the child was identified as a victim (vigie/cases/models/case.py): the
# transition to adulthood comes after protection in the state machine.
IDENTIFIED_STATUSES: Final = frozenset({"identified", "protected", "transition"})
FRENCH: Final = "FR"

# CPP art. 706-5 as amended by law 2023-1059 of 20 November 2023 (art. 25 III: offences from
# its entry into force): for an offence against a minor, the three years run from majority.
CIVI_FROM_MAJORITY_SINCE: Final = date(2023, 11, 22)
CIVI_YEARS: Final = 3
CIVI_AFTER_DECISION_YEARS: Final = 1
MAJORITY: Final = 18


# --- Facts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementFact:
    kind: str
    started_on: date
    ended_on: date | None
    # From vigie/cases/models/events.py SAFE_PLACEMENTS / RIGHTS_VIOLATION_PLACEMENTS, decided
    # where the facts are gathered so that the list lives in one place.
    safe: bool
    violation: bool


@dataclass(frozen=True)
class AppealFact:
    filed_on: date
    decided_on: date | None
    outcome: str  # "minor", "adult", "undetermined" or "" while pending


@dataclass(frozen=True)
class ProceedingFact:
    role: str  # "victim" or "defendant"
    opened_on: date
    non_punishment: str  # "", "to_raise", "raised", "granted", "refused"
    criminal_record_entry: bool
    closed_on: date | None


@dataclass(frozen=True)
class CompensationFact:
    filed_on: date
    awarded: bool
    awarded_on: date | None
    paid_on: date | None


@dataclass(frozen=True)
class CaseFacts:
    """What the rights plan needs to know about one child, as plain values."""

    identified_on: date
    status: str = "open"
    birth_date: date | None = None
    birth_year: int | None = None
    age_disputed: bool = False
    unaccompanied: bool = False
    guardianship: str = "unknown"
    nationality: str = ""
    forms: frozenset[str] = frozenset()
    substances: frozenset[str] = frozenset()
    schooling: str = "unknown"
    disability: bool = False
    pregnant: bool = False
    children_count: int = 0
    exploitation_ended_on: date | None = None
    ad_hoc_administrator_requested_on: date | None = None
    ad_hoc_administrator_appointed_on: date | None = None
    # The latest screening (identification engine): its day, result and actions.
    screening_on: date | None = None
    screening_assessment: str = ""
    screening_actions: frozenset[str] = frozenset()
    screening_forms: frozenset[str] = frozenset()
    screening_drug_dependence: bool = False
    # The latest age assessment's outcome and day.
    age_assessment_outcome: str = ""
    age_assessed_on: date | None = None
    placements: tuple[PlacementFact, ...] = ()
    appeals: tuple[AppealFact, ...] = ()
    proceedings: tuple[ProceedingFact, ...] = ()
    compensation_claims: tuple[CompensationFact, ...] = ()

    @property
    def presumed_birth_date(self) -> date | None:
        return latest_birth_date(
            birth_date=self.birth_date, birth_year=self.birth_year, disputed=self.age_disputed
        )

    def presumed_birthday(self, age: int) -> date | None:
        born = self.presumed_birth_date
        return birthday(born, age) if born else None

    def current_placement(self, today: date) -> PlacementFact | None:
        """The latest placement begun and not ended by ``today``."""
        current = [
            p
            for p in self.placements
            if p.started_on <= today and (p.ended_on is None or p.ended_on >= today)
        ]
        # Stable sort: among placements begun the same day, the facts' order (newest first).
        return max(current, key=lambda p: p.started_on, default=None)

    def pending_appeal(self) -> AppealFact | None:
        pending = [a for a in self.appeals if a.decided_on is None]
        return min(pending, key=lambda a: a.filed_on) if pending else None


# --- Conditions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holds:
    """Whether a condition holds, and since when if the facts date it (None: undated)."""

    value: bool
    since: date | None = None


NO = Holds(False)
YES = Holds(True)


def _dated(value: bool, since: date | None) -> Holds:
    return Holds(True, since) if value else NO


def _presumed_victim(facts: CaseFacts, today: date) -> Holds:
    # Latest screening presumes a victim, or the file's status says the child was identified.
    if facts.status in IDENTIFIED_STATUSES:
        return YES
    return _dated(facts.screening_assessment == "presumed_victim", facts.screening_on)


def _drug_dependence(facts: CaseFacts, today: date) -> Holds:
    if facts.substances:
        return YES
    return _dated(facts.screening_drug_dependence, facts.screening_on)


def _proceeding(role: str) -> Callable[[CaseFacts, date], Holds]:
    def test(facts: CaseFacts, today: date) -> Holds:
        dates = [p.opened_on for p in facts.proceedings if p.role == role]
        return Holds(True, min(dates)) if dates else NO

    return test


def _placement_unsafe(facts: CaseFacts, today: date) -> Holds:
    current = facts.current_placement(today)
    if current is None or not current.violation:
        return NO
    return Holds(True, current.started_on)


def _compensation_awarded(facts: CaseFacts, today: date) -> Holds:
    dates = [c.awarded_on or c.filed_on for c in facts.compensation_claims if c.awarded]
    return Holds(True, min(dates)) if dates else NO


def _appeal_pending(facts: CaseFacts, today: date) -> Holds:
    pending = facts.pending_appeal()
    return Holds(True, pending.filed_on) if pending else NO


FLAG_TESTS: Final[dict[str, Callable[[CaseFacts, date], Holds]]] = {
    "minor": lambda f, today: Holds(
        is_minor_on(
            today, birth_date=f.birth_date, birth_year=f.birth_year, disputed=f.age_disputed
        )
    ),
    "unaccompanied": lambda f, today: Holds(f.unaccompanied),
    # "No legal representative in France" (Case.guardianship).
    "no_legal_representative": lambda f, today: Holds(f.guardianship == "none"),
    "presumed_victim": _presumed_victim,
    "at_risk": lambda f, today: _dated(f.screening_assessment == "at_risk", f.screening_on),
    "foreign_national": lambda f, today: Holds(bool(f.nationality) and f.nationality != FRENCH),
    "nationality_unknown": lambda f, today: Holds(not f.nationality),
    "age_disputed": lambda f, today: Holds(f.age_disputed),
    "appeal_pending": _appeal_pending,
    "assessed_adult": lambda f, today: _dated(
        f.age_assessment_outcome == "adult", f.age_assessed_on
    ),
    "drug_dependence": _drug_dependence,
    "defendant_proceeding": _proceeding("defendant"),
    "victim_proceeding": _proceeding("victim"),
    "placement_unsafe": _placement_unsafe,
    "compensation_awarded": _compensation_awarded,
    "disability": lambda f, today: Holds(f.disability),
    "pregnant_or_parent": lambda f, today: Holds(f.pregnant or f.children_count > 0),
}
if set(FLAG_TESTS) != set(FLAGS):  # pragma: no cover - caught by the first test run
    raise RuntimeError("plan.FLAG_TESTS and catalogue.FLAGS disagree")


def condition_holds(condition: Condition, facts: CaseFacts, today: date) -> Holds:
    """Evaluate a catalogue condition. ``since``: when it became true, if the facts date it."""
    if isinstance(condition, Flag):
        return FLAG_TESTS[condition.name](facts, today)
    if isinstance(condition, AllOf):
        parts = [condition_holds(item, facts, today) for item in condition.items]
        if not all(part.value for part in parts):
            return NO
        # All hold since the last of them began; an undated part does not move the date.
        dates = [part.since for part in parts if part.since is not None]
        return Holds(True, max(dates) if dates else None)
    if isinstance(condition, AnyOf):
        held = [
            part for item in condition.items if (part := condition_holds(item, facts, today)).value
        ]
        if not held:
            return NO
        # Held since the first of them began; an undated one has held all along.
        if any(part.since is None for part in held):
            return YES
        return Holds(True, min(part.since for part in held if part.since is not None))
    if isinstance(condition, Not):
        return Holds(not condition_holds(condition.item, facts, today).value)
    if isinstance(condition, FormsAny):
        if condition.forms & facts.forms:
            return YES
        return _dated(bool(condition.forms & facts.screening_forms), facts.screening_on)
    if isinstance(condition, AgeAtLeast):
        day = facts.presumed_birthday(condition.years)
        # Unknown age: never "at least N" (a right from 16 waits for an age to count from).
        return _dated(day is not None and day <= today, day)
    if isinstance(condition, AgeBelow):
        day = facts.presumed_birthday(condition.years)
        # Unknown age: the doubt benefits the child, who is presumed young enough.
        return Holds(day is None or today < day)
    if isinstance(condition, StatusIn):
        return Holds(facts.status in condition.statuses)
    raise TypeError(f"unknown condition {condition!r}")  # pragma: no cover


# --- Deadlines --------------------------------------------------------------------------------


def years_later(day: date, years: int) -> date:
    """``day`` plus whole years; 29 February gives 28 February (a time limit ends no later)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def earliest_majority(facts: CaseFacts) -> date | None:
    """The earliest day the child may have come of age, for deadlines the child could lose.

    A disputed or unknown age gives None: the three years are then counted from the offence.
    """
    if facts.age_disputed:
        return None
    if facts.birth_date is not None:
        return birthday(facts.birth_date, MAJORITY)
    if facts.birth_year is not None:
        return date(facts.birth_year + MAJORITY, 1, 1)
    return None


def civi_deadline(facts: CaseFacts) -> date | None:
    """The last day to claim before the CIVI (CPP art. 706-5), at its earliest plausible date.

    Three years from the offence -- its end, for the continuing offence trafficking is: the end of
    exploitation, or the day the child was identified when no end is recorded. For an offence
    against a minor since 22 November 2023 the three years run from majority. While criminal
    proceedings (the child as victim) are pending the time limit runs until a year after the
    final decision: no date yet. Relief from the time bar (a minor's "legitimate reason",
    Cass. 2e civ. 15 February 2024) is discretionary, so the plan never counts on it.
    """
    offence = facts.exploitation_ended_on or facts.identified_on
    start = offence
    majority = earliest_majority(facts)
    if offence >= CIVI_FROM_MAJORITY_SINCE and majority is not None and offence < majority:
        start = majority
    deadline = years_later(start, CIVI_YEARS)
    as_victim = [p for p in facts.proceedings if p.role == "victim"]
    if any(p.closed_on is None for p in as_victim):
        return None
    decided = [p.closed_on for p in as_victim if p.closed_on is not None]
    if decided:
        deadline = max(deadline, years_later(max(decided), CIVI_AFTER_DECISION_YEARS))
    return deadline


def due_date(rule: Deadline, facts: CaseFacts, opened_on: date) -> date | None:
    """The deadline a rule gives; None when the facts do not allow one (an unknown age)."""
    if isinstance(rule, DaysAfter):
        if rule.anchor == "appeal_filed":
            pending = facts.pending_appeal()
            return pending.filed_on + timedelta(days=rule.days) if pending else None
        return opened_on + timedelta(days=rule.days)
    if isinstance(rule, FromBirthday):
        day = facts.presumed_birthday(rule.age)
        return day + timedelta(days=rule.days) if day else None
    if isinstance(rule, CiviDeadline):
        legal = civi_deadline(facts)
        return legal - timedelta(days=rule.days_before) if legal else None
    dates = [due_date(item, facts, opened_on) for item in rule.rules]
    known = [day for day in dates if day is not None]
    if isinstance(rule, EarliestOf):
        return min(known, default=None)
    if isinstance(rule, LatestOf):
        return max(known, default=None)
    if isinstance(rule, FirstOf):
        return known[0] if known else None
    raise TypeError(f"unknown deadline {rule!r}")  # pragma: no cover


# --- Automatic states -------------------------------------------------------------------------


@dataclass(frozen=True)
class Automatic:
    """A state the file's facts give a right by themselves.

    ``settled``: the facts settle it -- evidence of it being done (an appointment, a safe
    placement), or a recorded violation (a hotel): it prevails over a state a person chose.
    Otherwise it only fills in for a right nobody has decided on (a request under way).
    ``reason`` is a code (labels in vigie/rights/labels.py).
    """

    state: str  # "done", "in_progress" or "blocked"
    reason: str
    settled: bool
    done_on: date | None = None


AUTOMATIC_REASONS: Final = (
    "ad_hoc_administrator_appointed",
    "ad_hoc_administrator_requested",
    "placement_safe",
    "placement_emergency",
    "placement_violation",
    "schooling_enrolled",
    "schooling_waiting",
    "complaint_filed",
    "non_punishment_granted",
    "non_punishment_refused",
    "non_punishment_raised",
    "criminal_record_entry",
    "compensation_paid",
    "compensation_claimed",
    "appeal_pending",
    "appeal_minor",
    "appeal_adult",
)


def _ad_hoc_appointed(facts: CaseFacts, today: date) -> Automatic | None:
    day = facts.ad_hoc_administrator_appointed_on
    if day is None:
        return None
    return Automatic("done", "ad_hoc_administrator_appointed", settled=True, done_on=day)


def _ad_hoc_requested(facts: CaseFacts, today: date) -> Automatic | None:
    if facts.ad_hoc_administrator_requested_on is None:
        return None
    return Automatic("in_progress", "ad_hoc_administrator_requested", settled=False)


def _current_placement(facts: CaseFacts, today: date) -> Automatic | None:
    current = facts.current_placement(today)
    if current is None:
        return None
    if current.safe:
        return Automatic("done", "placement_safe", settled=True, done_on=current.started_on)
    if current.violation:
        # Seeds (Collective 2022 §IX.2, ECPAT 2007 §IV): a hotel or the street is never safe.
        return Automatic("blocked", "placement_violation", settled=True)
    return Automatic("in_progress", "placement_emergency", settled=False)


def _schooling(facts: CaseFacts, today: date) -> Automatic | None:
    if facts.schooling in ("school", "training"):
        return Automatic("done", "schooling_enrolled", settled=True)
    if facts.schooling == "waiting":
        return Automatic("in_progress", "schooling_waiting", settled=False)
    return None


def _victim_proceeding(facts: CaseFacts, today: date) -> Automatic | None:
    if any(p.role == "victim" for p in facts.proceedings):
        return Automatic("in_progress", "complaint_filed", settled=False)
    return None


def _non_punishment(facts: CaseFacts, today: date) -> Automatic | None:
    defended = [p for p in facts.proceedings if p.role == "defendant"]
    if not defended:
        return None
    if any(p.non_punishment == "refused" for p in defended):
        return Automatic("blocked", "non_punishment_refused", settled=False)
    if any(p.criminal_record_entry for p in defended):
        # Collective 2022 §II: the record must be wiped, whatever the decision was.
        return Automatic("in_progress", "criminal_record_entry", settled=False)
    if all(p.non_punishment == "granted" for p in defended):
        closed = [p.closed_on for p in defended if p.closed_on is not None]
        return Automatic(
            "done", "non_punishment_granted", settled=True, done_on=max(closed, default=None)
        )
    if any(p.non_punishment in ("raised", "granted") for p in defended):
        return Automatic("in_progress", "non_punishment_raised", settled=False)
    return None


def _compensation(facts: CaseFacts, today: date) -> Automatic | None:
    paid = [c.paid_on for c in facts.compensation_claims if c.paid_on is not None]
    if paid:
        return Automatic("done", "compensation_paid", settled=True, done_on=max(paid))
    if facts.compensation_claims:
        return Automatic("in_progress", "compensation_claimed", settled=False)
    return None


def _age_appeal(facts: CaseFacts, today: date) -> Automatic | None:
    if facts.pending_appeal() is not None:
        return Automatic("in_progress", "appeal_pending", settled=False)
    decided = [a for a in facts.appeals if a.decided_on is not None]
    if not decided:
        return None
    latest = max(decided, key=lambda a: (a.decided_on, a.filed_on))
    if latest.outcome == "minor":
        return Automatic("done", "appeal_minor", settled=True, done_on=latest.decided_on)
    if latest.outcome == "adult":
        # An appeal against the judge's decision is still possible: a person decides.
        return Automatic("blocked", "appeal_adult", settled=False)
    return None


AUTOMATIC_TESTS: Final[dict[str, Callable[[CaseFacts, date], Automatic | None]]] = {
    "ad_hoc_administrator_appointed": _ad_hoc_appointed,
    "ad_hoc_administrator_requested": _ad_hoc_requested,
    "current_placement": _current_placement,
    "schooling": _schooling,
    "victim_proceeding": _victim_proceeding,
    "non_punishment": _non_punishment,
    "compensation": _compensation,
    "age_appeal": _age_appeal,
}
if set(AUTOMATIC_TESTS) != set(AUTOMATIC_RULES):  # pragma: no cover - caught by the first test run
    raise RuntimeError("plan.AUTOMATIC_TESTS and catalogue.AUTOMATIC_RULES disagree")


def automatic_state(right: Right, facts: CaseFacts, today: date) -> Automatic | None:
    """The first of the right's automatic rules that says something, in catalogue order."""
    for name in right.automatic:
        outcome = AUTOMATIC_TESTS[name](facts, today)
        if outcome is not None:
            return outcome
    return None


# --- The plan ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RightEvaluation:
    right_id: str
    applicable: bool
    opened_on: date | None = None
    due_on: date | None = None
    # OPENED_BY_CATALOGUE, or the code of the screening action that asked for the right.
    opened_by: str = ""
    automatic: Automatic | None = None


@dataclass(frozen=True)
class _Opening:
    opened_by: str
    opened_on: date


def _opening(right: Right, facts: CaseFacts, today: date) -> _Opening | None:
    """Whether and since when the right applies: its condition, or a screening action."""
    openings: list[_Opening] = []
    holds = condition_holds(right.applies_when, facts, today)
    if holds.value:
        openings.append(_Opening(OPENED_BY_CATALOGUE, holds.since or facts.identified_on))
    asked = [action for action in right.opened_by_actions if action in facts.screening_actions]
    if asked:
        openings.append(_Opening(asked[0], facts.screening_on or facts.identified_on))
    if not openings:
        return None
    # The earliest reason wins; between the same day, the screening's action names it better.
    first = min(openings, key=lambda o: (o.opened_on, o.opened_by == OPENED_BY_CATALOGUE))
    opened_on = min(max(first.opened_on, facts.identified_on), today)
    return _Opening(first.opened_by, opened_on)


def right_evaluate(
    right: Right, facts: CaseFacts, today: date, kept_opened_on: date | None = None
) -> RightEvaluation:
    opening = _opening(right, facts, today)
    if opening is None:
        return RightEvaluation(right_id=right.id, applicable=False)
    opened_on = kept_opened_on or opening.opened_on
    return RightEvaluation(
        right_id=right.id,
        applicable=True,
        opened_on=opened_on,
        due_on=due_date(right.deadline, facts, opened_on),
        opened_by=opening.opened_by,
        automatic=automatic_state(right, facts, today),
    )


def plan_evaluate(
    *,
    catalogue: Catalogue,
    facts: CaseFacts,
    today: date,
    kept_opened_on: Mapping[str, date] | None = None,
) -> list[RightEvaluation]:
    """Every right of the catalogue, in catalogue order.

    ``kept_opened_on``: the opening day of rights already open in the stored plan, so that a
    deadline counted from the opening does not move when the plan is evaluated again.
    """
    kept = kept_opened_on or {}
    return [
        right_evaluate(right, facts, today, kept.get(right.id))
        for right in catalogue.rights.values()
    ]


__all__ = [
    "AUTOMATIC_REASONS",
    "OPENED_BY_CATALOGUE",
    "AppealFact",
    "Automatic",
    "CaseFacts",
    "CompensationFact",
    "Holds",
    "PlacementFact",
    "ProceedingFact",
    "RightEvaluation",
    "automatic_state",
    "civi_deadline",
    "condition_holds",
    "due_date",
    "plan_evaluate",
    "right_evaluate",
]
