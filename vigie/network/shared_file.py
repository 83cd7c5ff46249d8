"""The part of a child's file a referral shares: only the sections it names.

Shared professional secrecy (CASF art. L.226-2-2) allows sharing only what is strictly necessary
to the service asked. ``SharedFile`` therefore holds plain values copied from the allowed
sections, never the Case (nor a row pointing back to it): a template given a SharedFile cannot
reach a section that was not shared, and the rows of a section not shared are not even read.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from vigie.cases.ages import minority_on
from vigie.cases.models import Case, Substance
from vigie.rights.selectors import RightRow, rights_plan_for_case

from .models import FileSection

# The care rights of the plan shown with the health section (rights/catalogue/rights.yaml).
HEALTH_RIGHTS = ("health_care", "psychological_care", "addiction_care")
SCHOOLING_RIGHTS = ("schooling_or_training",)


@dataclass(frozen=True)
class RightLine:
    right_id: str
    title: str
    state: str
    state_label: str
    due_on: date | None
    due_words: str
    done_on: date | None


@dataclass(frozen=True)
class IdentitySection:
    first_name: str
    last_name: str
    aliases: str
    birth_date: date | None
    birth_year: int | None
    age_disputed: bool
    # The 18th birthday with the doubt benefiting the child, and "yes", "presumed" or "no".
    majority_on: date | None
    minority: str
    gender: str
    nationality: str
    languages: str


@dataclass(frozen=True)
class SituationSection:
    exploitation_forms: tuple[str, ...]
    exploitation_places: str
    exploitation_started_on: date | None
    exploitation_ended_on: date | None
    unaccompanied: bool
    care_status: str
    departement: str
    identified_on: date


@dataclass(frozen=True)
class HealthSection:
    health_notes: str
    substances: tuple[str, ...]
    disability: bool
    pregnant: bool
    children_count: int
    care_rights: tuple[RightLine, ...]


@dataclass(frozen=True)
class AgeAssessmentLine:
    assessed_on: date
    authority: str
    outcome: str


@dataclass(frozen=True)
class AgeAppealLine:
    filed_on: date
    decided_on: date | None
    outcome: str


@dataclass(frozen=True)
class ProceedingLine:
    role: str
    opened_on: date
    court: str
    non_punishment: str
    criminal_record_entry: bool
    closed_on: date | None


@dataclass(frozen=True)
class HearingLine:
    held_on: date
    place: str
    recording: str
    trusted_third_party_present: bool


@dataclass(frozen=True)
class CompensationLine:
    filed_on: date
    body: str
    amount_awarded: Decimal | None
    awarded_on: date | None
    amount_paid: Decimal | None
    paid_on: date | None


@dataclass(frozen=True)
class LegalSection:
    guardianship: str
    legal_representative: str
    ad_hoc_administrator_requested_on: date | None
    ad_hoc_administrator_appointed_on: date | None
    ad_hoc_administrator_appointed_by: str
    ad_hoc_administrator_name: str
    age_assessments: tuple[AgeAssessmentLine, ...]
    age_appeals: tuple[AgeAppealLine, ...]
    proceedings: tuple[ProceedingLine, ...]
    hearings: tuple[HearingLine, ...]
    compensation_claims: tuple[CompensationLine, ...]


@dataclass(frozen=True)
class PlacementLine:
    kind: str
    started_on: date
    ended_on: date | None
    departement: str
    is_rights_violation: bool


@dataclass(frozen=True)
class SchoolingSection:
    schooling: str
    schooling_rights: tuple[RightLine, ...]


@dataclass(frozen=True)
class SharedFile:
    """What the recipient of a referral reads. A section not shared is None."""

    # Pseudonymous: always shown, so that both organisations speak of the same file.
    reference: str
    sections: tuple[str, ...]
    identity: IdentitySection | None = None
    situation: SituationSection | None = None
    health: HealthSection | None = None
    legal: LegalSection | None = None
    accommodation: tuple[PlacementLine, ...] | None = None
    schooling: SchoolingSection | None = None
    rights: tuple[RightLine, ...] | None = None
    safety_notes: str | None = None


def _right_lines(
    rows: Iterable[RightRow], only: Iterable[str] | None = None
) -> tuple[RightLine, ...]:
    wanted = set(only) if only is not None else None
    return tuple(
        RightLine(
            right_id=row.item.right_id,
            title=row.title,
            state=row.item.state,
            state_label=str(row.item.get_state_display()),
            due_on=row.item.due_on,
            due_words=row.due_words,
            done_on=row.item.done_on,
        )
        for row in rows
        if wanted is None or row.item.right_id in wanted
    )


def _identity(case: Case) -> IdentitySection:
    return IdentitySection(
        first_name=case.first_name,
        last_name=case.last_name,
        aliases=case.aliases,
        birth_date=case.birth_date,
        birth_year=case.birth_year,
        age_disputed=case.age_disputed,
        majority_on=case.majority_on,
        minority=minority_on(
            timezone.localdate(),
            birth_date=case.birth_date,
            birth_year=case.birth_year,
            disputed=case.age_disputed,
        ),
        gender=str(case.get_gender_display()),
        nationality=case.nationality,
        languages=case.languages,
    )


def _situation(case: Case) -> SituationSection:
    return SituationSection(
        exploitation_forms=tuple(case.exploitation_form_labels),
        exploitation_places=case.exploitation_places,
        exploitation_started_on=case.exploitation_started_on,
        exploitation_ended_on=case.exploitation_ended_on,
        unaccompanied=case.unaccompanied,
        care_status=str(case.get_care_status_display()),
        departement=case.departement,
        identified_on=case.identified_on,
    )


def _health(case: Case, rights: list[RightRow]) -> HealthSection:
    substances = dict(Substance.choices)
    return HealthSection(
        health_notes=case.health_notes,
        substances=tuple(str(substances.get(code, code)) for code in case.substances),
        disability=case.disability,
        pregnant=case.pregnant,
        children_count=case.children_count,
        care_rights=_right_lines(rights, HEALTH_RIGHTS),
    )


def _legal(case: Case) -> LegalSection:
    return LegalSection(
        guardianship=str(case.get_guardianship_display()),
        legal_representative=case.legal_representative,
        ad_hoc_administrator_requested_on=case.ad_hoc_administrator_requested_on,
        ad_hoc_administrator_appointed_on=case.ad_hoc_administrator_appointed_on,
        ad_hoc_administrator_appointed_by=case.ad_hoc_administrator_appointed_by,
        ad_hoc_administrator_name=case.ad_hoc_administrator_name,
        age_assessments=tuple(
            AgeAssessmentLine(
                assessed_on=a.assessed_on,
                authority=str(a.get_authority_display()),
                outcome=str(a.get_outcome_display()),
            )
            for a in case.age_assessments.all()
        ),
        age_appeals=tuple(
            AgeAppealLine(
                filed_on=a.filed_on,
                decided_on=a.decided_on,
                outcome=str(a.get_outcome_display()) if a.outcome else "",
            )
            for a in case.age_appeals.all()
        ),
        proceedings=tuple(
            ProceedingLine(
                role=str(p.get_role_display()),
                opened_on=p.opened_on,
                court=p.court,
                non_punishment=str(p.get_non_punishment_display()) if p.non_punishment else "",
                criminal_record_entry=p.criminal_record_entry,
                closed_on=p.closed_on,
            )
            for p in case.proceedings.all()
        ),
        hearings=tuple(
            HearingLine(
                held_on=h.held_on,
                place=str(h.get_place_display()),
                recording=str(h.get_recording_display()),
                trusted_third_party_present=h.trusted_third_party_present,
            )
            for h in case.hearings.all()
        ),
        compensation_claims=tuple(
            CompensationLine(
                filed_on=c.filed_on,
                body=c.body,
                amount_awarded=c.amount_awarded,
                awarded_on=c.awarded_on,
                amount_paid=c.amount_paid,
                paid_on=c.paid_on,
            )
            for c in case.compensation_claims.all()
        ),
    )


def _accommodation(case: Case) -> tuple[PlacementLine, ...]:
    return tuple(
        PlacementLine(
            kind=str(p.get_kind_display()),
            started_on=p.started_on,
            ended_on=p.ended_on,
            departement=p.departement,
            is_rights_violation=p.is_rights_violation,
        )
        for p in case.placements.all()
    )


def shared_file_build(*, case: Case, sections: Iterable[str]) -> SharedFile:
    """The values of ``sections`` of ``case``; unknown section codes are ignored.

    Not audited: the caller is (``selectors_referrals.shared_file_get_for_user``).
    """
    shared = tuple(s for s in FileSection.values if s in set(sections))
    rights: list[RightRow] = []
    if {FileSection.HEALTH, FileSection.SCHOOLING, FileSection.RIGHTS} & set(shared):
        rights = rights_plan_for_case(case=case)
    return SharedFile(
        reference=case.reference,
        sections=shared,
        identity=_identity(case) if FileSection.IDENTITY in shared else None,
        situation=_situation(case) if FileSection.SITUATION in shared else None,
        health=_health(case, rights) if FileSection.HEALTH in shared else None,
        legal=_legal(case) if FileSection.LEGAL in shared else None,
        accommodation=_accommodation(case) if FileSection.ACCOMMODATION in shared else None,
        schooling=(
            SchoolingSection(
                schooling=str(case.get_schooling_display()),
                schooling_rights=_right_lines(rights, SCHOOLING_RIGHTS),
            )
            if FileSection.SCHOOLING in shared
            else None
        ),
        rights=_right_lines(rights) if FileSection.RIGHTS in shared else None,
        safety_notes=case.safety_notes if FileSection.SAFETY in shared else None,
    )
