"""The facts of case files, gathered from the database for the pure rights plan (plan.py).

One case costs six queries whatever its history (the case itself is already loaded); many cases
cost the same six queries per batch (``case_facts_many``), for the daily run.
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from vigie.cases.models import (
    RIGHTS_VIOLATION_PLACEMENTS,
    SAFE_PLACEMENTS,
    AgeAppeal,
    AgeAssessment,
    Case,
    CompensationClaim,
    Placement,
    Proceeding,
)
from vigie.identification.models import Screening

from .plan import AppealFact, CaseFacts, CompensationFact, PlacementFact, ProceedingFact


def case_facts(*, case: Case) -> CaseFacts:
    return case_facts_many(cases=[case])[case.pk]


def case_facts_many(*, cases: Sequence[Case]) -> dict[int, CaseFacts]:
    """The facts of each case, keyed by primary key. ``cases`` are loaded with their fields."""
    ids = [case.pk for case in cases]
    screenings = _latest_screenings(ids)
    assessments = _latest_assessments(ids)
    placements: dict[int, list[PlacementFact]] = defaultdict(list)
    for case_id, kind, started_on, ended_on in (
        Placement.objects.filter(case_id__in=ids)
        .order_by("case_id", "-started_on", "-created_at")
        .values_list("case_id", "kind", "started_on", "ended_on")
    ):
        placements[case_id].append(
            PlacementFact(
                kind=kind,
                started_on=started_on,
                ended_on=ended_on,
                safe=kind in SAFE_PLACEMENTS,
                violation=kind in RIGHTS_VIOLATION_PLACEMENTS,
            )
        )
    appeals: dict[int, list[AppealFact]] = defaultdict(list)
    for case_id, filed_on, decided_on, outcome in (
        AgeAppeal.objects.filter(case_id__in=ids)
        .order_by("case_id", "-filed_on", "-created_at")
        .values_list("case_id", "filed_on", "decided_on", "outcome")
    ):
        appeals[case_id].append(AppealFact(filed_on, decided_on, outcome))
    proceedings: dict[int, list[ProceedingFact]] = defaultdict(list)
    for case_id, role, opened_on, non_punishment, record, closed_on in (
        Proceeding.objects.filter(case_id__in=ids)
        .order_by("case_id", "-opened_on", "-created_at")
        .values_list(
            "case_id", "role", "opened_on", "non_punishment", "criminal_record_entry", "closed_on"
        )
    ):
        proceedings[case_id].append(
            ProceedingFact(role, opened_on, non_punishment, record, closed_on)
        )
    claims: dict[int, list[CompensationFact]] = defaultdict(list)
    for case_id, filed_on, amount_awarded, awarded_on, paid_on in (
        CompensationClaim.objects.filter(case_id__in=ids)
        .order_by("case_id", "-filed_on", "-created_at")
        .values_list("case_id", "filed_on", "amount_awarded", "awarded_on", "paid_on")
    ):
        awarded = amount_awarded is not None or awarded_on is not None
        claims[case_id].append(CompensationFact(filed_on, awarded, awarded_on, paid_on))

    facts: dict[int, CaseFacts] = {}
    for case in cases:
        screening = screenings.get(case.pk, {})
        assessment = assessments.get(case.pk)
        facts[case.pk] = CaseFacts(
            identified_on=case.identified_on,
            status=case.status,
            birth_date=case.birth_date,
            birth_year=case.birth_year,
            age_disputed=case.age_disputed,
            unaccompanied=case.unaccompanied,
            guardianship=case.guardianship,
            nationality=(case.nationality or "").upper(),
            forms=frozenset(case.exploitation_forms or ()),
            substances=frozenset(case.substances or ()),
            schooling=case.schooling,
            disability=case.disability,
            pregnant=case.pregnant,
            children_count=case.children_count,
            exploitation_ended_on=case.exploitation_ended_on,
            ad_hoc_administrator_requested_on=case.ad_hoc_administrator_requested_on,
            ad_hoc_administrator_appointed_on=case.ad_hoc_administrator_appointed_on,
            screening_on=screening.get("on"),
            screening_assessment=screening.get("assessment", ""),
            screening_actions=frozenset(screening.get("actions", ())),
            screening_forms=frozenset(screening.get("forms", ())),
            screening_drug_dependence=bool(screening.get("drug_dependence", False)),
            age_assessment_outcome=assessment[0] if assessment else "",
            age_assessed_on=assessment[1] if assessment else None,
            placements=tuple(placements[case.pk]),
            appeals=tuple(appeals[case.pk]),
            proceedings=tuple(proceedings[case.pk]),
            compensation_claims=tuple(claims[case.pk]),
        )
    return facts


def _latest_screenings(ids: list[int]) -> dict[int, dict[str, Any]]:
    """The latest screening of each case: its day, assessment, actions, forms, dependence.

    Only the latest counts: a new screening is the worker's current reading of the situation.
    """
    latest = Screening.objects.filter(case_id=OuterRef("case_id")).order_by("-created_at", "-pk")
    rows = (
        Screening.objects.filter(case_id__in=ids)
        .filter(pk=Subquery(latest.values("pk")[:1]))
        .values_list("case_id", "created_at", "assessment", "result", "input")
    )
    found: dict[int, dict[str, Any]] = {}
    for case_id, created_at, assessment, result, data in rows:
        result = result if isinstance(result, dict) else {}
        data = data if isinstance(data, dict) else {}
        found[case_id] = {
            "on": _local_day(created_at),
            "assessment": assessment,
            "actions": [a for a in result.get("actions", ()) if isinstance(a, str)],
            "forms": [f for f in result.get("forms", ()) if isinstance(f, str)],
            "drug_dependence": data.get("drug_dependence") is True,
        }
    return found


def _latest_assessments(ids: list[int]) -> dict[int, tuple[str, date]]:
    found: dict[int, tuple[str, date]] = {}
    for case_id, outcome, assessed_on in (
        AgeAssessment.objects.filter(case_id__in=ids)
        .order_by("case_id", "-assessed_on", "-created_at")
        .values_list("case_id", "outcome", "assessed_on")
    ):
        found.setdefault(case_id, (outcome, assessed_on))
    return found


def _local_day(moment: Any) -> date:
    return timezone.localtime(moment).date()
