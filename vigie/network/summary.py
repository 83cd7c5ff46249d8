"""The continuity summary that goes with a child who moves (issue 6, "Transfer and continuity of
care"): what a service taking the child over must know first so that nothing stops -- the rights
plan and what is overdue, treatments, appointments, schooling, proceedings and their deadlines,
the ad hoc administrator, the placement and the safety notes.

Seeds (Collective 2022 §I and §IX.2): a child moved to another département or country loses his
treatment, his school and his file; victims must be moved away from their exploiters, so the
safety notes travel first.

Pure reads of a case already loaded (and audited) by a selector. Labels are taken in the active
language when the summary is built: the bilingual export builds it once per language.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from vigie.cases.models import (
    AgeAppeal,
    Case,
    CompensationClaim,
    Hearing,
    Placement,
    Proceeding,
    Substance,
)
from vigie.cases.services.events import age_appeal_duration
from vigie.rights.catalogue import load_catalogue
from vigie.rights.models import OPEN_STATES, RightItem, RightState
from vigie.rights.selectors import right_title

# The rights plan's care rights (rights/catalogue/rights.yaml): the ongoing treatments.
CARE_RIGHTS = ("health_care", "psychological_care", "addiction_care")
SCHOOLING_RIGHT = "schooling_or_training"
# Its deadline is the CIVI claim's (CPP art. 706-5): the one the child can lose for good.
COMPENSATION_RIGHT = "compensation_claim"
# Past hearings worth carrying over: the newest ones, for context of the proceedings.
RECENT_HEARINGS = 3


@dataclass(frozen=True)
class RightLine:
    right_id: str
    title: str
    state: str
    state_label: str
    opened_on: date | None
    due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class Identity:
    first_name: str
    last_name: str
    aliases: str
    gender: str
    birth_date: date | None
    birth_year: int | None
    age_disputed: bool
    # The 18th birthday with the presumption of minority applied (Civil Code art. 388).
    majority_on: date | None
    nationality: str
    languages: str
    unaccompanied: bool
    guardianship: str
    legal_representative: str


@dataclass(frozen=True)
class Treatments:
    care_rights: tuple[RightLine, ...]
    substances: tuple[str, ...]
    health_notes: str


@dataclass(frozen=True)
class Appointment:
    on: date
    # "hearing" or "right_deadline": a CSS and test hook, the words are in ``label``.
    kind: str
    label: str
    overdue: bool


@dataclass(frozen=True)
class HearingLine:
    held_on: date
    place: str
    upcoming: bool


@dataclass(frozen=True)
class SchoolingLine:
    status: str
    right: RightLine | None


@dataclass(frozen=True)
class ProceedingLine:
    role: str
    opened_on: date
    court: str
    non_punishment: str
    criminal_record_entry: bool


@dataclass(frozen=True)
class AppealLine:
    filed_on: date
    months_pending: int


@dataclass(frozen=True)
class CompensationLine:
    filed_on: date
    body: str
    awarded_on: date | None
    paid_on: date | None


@dataclass(frozen=True)
class Legal:
    proceedings: tuple[ProceedingLine, ...]
    pending_appeals: tuple[AppealLine, ...]
    compensation_claims: tuple[CompensationLine, ...]
    civi_deadline: date | None


@dataclass(frozen=True)
class AdHocAdministrator:
    requested_on: date | None
    appointed_on: date | None
    appointed_by: str
    name: str

    @property
    def appointed(self) -> bool:
        return self.appointed_on is not None


@dataclass(frozen=True)
class PlacementLine:
    kind: str
    started_on: date
    departement: str
    # A hotel or the street (seeds: Collective 2022 §IV, ECPAT 2007 §III).
    rights_violation: bool


@dataclass(frozen=True)
class ContinuitySummary:
    reference: str
    organisation: str
    built_on: date
    identity: Identity
    exploitation_forms: tuple[str, ...]
    rights: tuple[RightLine, ...]
    overdue: tuple[RightLine, ...]
    treatments: Treatments
    appointments: tuple[Appointment, ...]
    hearings: tuple[HearingLine, ...]
    schooling: SchoolingLine
    legal: Legal
    ad_hoc_administrator: AdHocAdministrator
    placement: PlacementLine | None
    safety_notes: str


def _right_line(item: RightItem, today: date) -> RightLine:
    is_open = item.state in OPEN_STATES
    return RightLine(
        right_id=item.right_id,
        title=right_title(item.right_id),
        state=item.state,
        state_label=str(RightState(item.state).label),
        opened_on=item.opened_on,
        due_on=item.due_on,
        overdue=is_open and item.due_on is not None and item.due_on < today,
    )


def _plan(case: Case, today: date) -> list[RightLine]:
    """Every right that applies (not "not applicable"): open ones first by deadline, then the
    others, each group in catalogue order."""
    order = {right_id: position for position, right_id in enumerate(load_catalogue().rights)}
    items = sorted(
        RightItem.objects.filter(case=case).exclude(state=RightState.NOT_APPLICABLE),
        key=lambda i: (
            i.state not in OPEN_STATES,
            i.due_on or date.max,
            order.get(i.right_id, len(order)),
            i.right_id,
        ),
    )
    return [_right_line(item, today) for item in items]


def _identity(case: Case) -> Identity:
    return Identity(
        first_name=case.first_name,
        last_name=case.last_name,
        aliases=case.aliases,
        gender=str(case.get_gender_display()),
        birth_date=case.birth_date,
        birth_year=case.birth_year,
        age_disputed=case.age_disputed,
        majority_on=case.majority_on,
        nationality=case.nationality,
        languages=case.languages,
        unaccompanied=case.unaccompanied,
        guardianship=str(case.get_guardianship_display()),
        legal_representative=case.legal_representative,
    )


def _substance_labels(codes: list[str]) -> tuple[str, ...]:
    labels = dict(Substance.choices)
    return tuple(str(labels.get(code, code)) for code in codes)


def _hearings(case: Case, today: date) -> list[HearingLine]:
    """Hearings to come, then the latest ones held."""
    hearings = list(Hearing.objects.filter(case=case).order_by("held_on"))
    upcoming = [h for h in hearings if h.held_on >= today]
    past = [h for h in hearings if h.held_on < today][-RECENT_HEARINGS:]
    return [
        HearingLine(
            held_on=h.held_on, place=str(h.get_place_display()), upcoming=h.held_on >= today
        )
        for h in upcoming + list(reversed(past))
    ]


def _appointments(
    hearings: list[HearingLine], rights: list[RightLine], today: date
) -> list[Appointment]:
    """Upcoming hearings and every dated deadline of the open rights (overdue ones first)."""
    entries = [
        Appointment(
            on=h.held_on,
            kind="hearing",
            label=_("Hearing: %(place)s") % {"place": h.place},
            overdue=False,
        )
        for h in hearings
        if h.upcoming
    ]
    entries += [
        Appointment(
            on=r.due_on,
            kind="right_deadline",
            label=_("Deadline: %(right)s") % {"right": r.title},
            overdue=r.overdue,
        )
        for r in rights
        if r.due_on is not None
    ]
    return sorted(entries, key=lambda a: (a.on, a.kind, a.label))


def _legal(case: Case, rights: list[RightLine], today: date) -> Legal:
    proceedings = [
        ProceedingLine(
            role=str(p.get_role_display()),
            opened_on=p.opened_on,
            court=p.court,
            non_punishment=str(p.get_non_punishment_display()) if p.non_punishment else "",
            criminal_record_entry=p.criminal_record_entry,
        )
        for p in Proceeding.objects.filter(case=case, closed_on__isnull=True)
    ]
    appeals = [
        AppealLine(
            filed_on=a.filed_on,
            months_pending=age_appeal_duration(appeal=a, today=today).months,
        )
        for a in AgeAppeal.objects.filter(case=case, decided_on__isnull=True)
    ]
    claims = [
        CompensationLine(
            filed_on=c.filed_on, body=c.body, awarded_on=c.awarded_on, paid_on=c.paid_on
        )
        for c in CompensationClaim.objects.filter(case=case)
    ]
    civi = next((r.due_on for r in rights if r.right_id == COMPENSATION_RIGHT), None)
    return Legal(
        proceedings=tuple(proceedings),
        pending_appeals=tuple(appeals),
        compensation_claims=tuple(claims),
        civi_deadline=civi,
    )


def _placement(case: Case, today: date) -> PlacementLine | None:
    current = (
        Placement.objects.filter(case=case, started_on__lte=today)
        .exclude(ended_on__lt=today)
        .order_by("-started_on", "-created_at")
        .first()
    )
    if current is None:
        return None
    return PlacementLine(
        kind=str(current.get_kind_display()),
        started_on=current.started_on,
        departement=current.departement,
        rights_violation=current.is_rights_violation,
    )


def continuity_summary_build(*, case: Case, today: date) -> ContinuitySummary:
    """The summary of ``case`` as of ``today``. ``case`` comes from a selector that audited the
    read (transfer_summary_for_user); nothing here checks access or writes."""
    plan = _plan(case, today)
    # The plan's ongoing items: every open right. Care and schooling rights are shown whatever
    # their state (a right "done" is a treatment or a school place the child has now).
    rights = [r for r in plan if r.state in OPEN_STATES]
    by_id = {r.right_id: r for r in plan}
    hearings = _hearings(case, today)
    return ContinuitySummary(
        reference=case.reference,
        organisation=case.organisation.name,
        built_on=today,
        identity=_identity(case),
        exploitation_forms=tuple(case.exploitation_form_labels),
        rights=tuple(rights),
        overdue=tuple(r for r in rights if r.overdue),
        treatments=Treatments(
            care_rights=tuple(by_id[r] for r in CARE_RIGHTS if r in by_id),
            substances=_substance_labels(case.substances or []),
            health_notes=case.health_notes,
        ),
        appointments=tuple(_appointments(hearings, rights, today)),
        hearings=tuple(hearings),
        schooling=SchoolingLine(
            status=str(case.get_schooling_display()), right=by_id.get(SCHOOLING_RIGHT)
        ),
        legal=_legal(case, rights, today),
        ad_hoc_administrator=AdHocAdministrator(
            requested_on=case.ad_hoc_administrator_requested_on,
            appointed_on=case.ad_hoc_administrator_appointed_on,
            appointed_by=case.ad_hoc_administrator_appointed_by,
            name=case.ad_hoc_administrator_name,
        ),
        placement=_placement(case, today),
        safety_notes=case.safety_notes,
    )
