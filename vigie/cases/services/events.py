"""The dated events of a child's file: age and its dispute, accommodation, proceedings, hearings
and compensation.

Every public function here checks who may write (CASE_EDIT, owning organisation), validates with
a ValidationError naming the field, writes one CASE_EVENT_RECORD audit entry naming the case and
the event, records the contact with the young person when the event involved her or him, and
refreshes the rights plan last (a new placement or an age decision changes which rights apply).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.models import VigieModel
from vigie.rights.services import rights_plan_refresh

from ..ages import majority_month
from ..models import (
    AgeAppeal,
    AgeAssessment,
    AgeAuthority,
    AgeOutcome,
    Case,
    CaseChange,
    CompensationClaim,
    Hearing,
    HearingPlace,
    NonPunishment,
    Placement,
    PlacementKind,
    Proceeding,
    ProceedingRole,
    Recording,
)
from .contact import case_contact_record

# A court decides minor or adult; "undetermined" is only ever an assessment's outcome.
APPEAL_DECISIONS = (AgeOutcome.MINOR, AgeOutcome.ADULT)


# --- Checks shared by every event --------------------------------------------------------------


def _require_editor(actor: Actor, case: Case) -> None:
    """CASE_EDIT, on a file of the actor's own organisation (a share grants reading only)."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_EDIT):
        raise PermissionDenied
    if user.organisation_id != case.organisation_id:
        raise PermissionDenied


def _not_in_future(field: str, day: date | None) -> None:
    # A file records what happened; a date to come would also push the last contact (which
    # retention counts from) into the future.
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _not_before(field: str, day: date | None, earlier: date | None, message: str) -> None:
    if day is not None and earlier is not None and day < earlier:
        raise ValidationError({field: message})


def _choice(field: str, value: str, allowed: Iterable[str]) -> None:
    if value not in allowed:
        raise ValidationError({field: _("This choice is not valid.")})


def _unchanged_since(event: VigieModel, seen_updated_at: datetime | None) -> None:
    """Optimistic locking for a record edited through a form: no update is silently lost.

    Not a field's error: the whole record changed under the worker's eyes (code "stale").
    """
    if seen_updated_at is not None and event.updated_at != seen_updated_at:
        raise ValidationError(
            _(
                "Someone else changed this record after you opened the page. "
                "Its current state is shown: check it, then save again."
            ),
            code="stale",
        )


def _recorded(actor: Actor, case: Case, event: VigieModel, *, contact_on: date | None) -> None:
    """What every write ends with: contact, audit, then the rights plan (which reads the rest)."""
    if contact_on is not None:
        case_contact_record(case=case, on=contact_on)
    audit_record(actor=actor, action=AuditAction.CASE_EVENT_RECORD, objects=[case, event])
    rights_plan_refresh(case=case, actor=actor)


# --- Age and its dispute -----------------------------------------------------------------------


def _pending_appeal(case: Case) -> AgeAppeal | None:
    return case.age_appeals.filter(decided_on__isnull=True).first()


def _age_disputed_set(*, actor: Actor, case: Case, disputed: bool) -> None:
    """Change the file's age doubt as an edit of the file: the version moves on, so an edit form
    of the file opened before meets the conflict page instead of writing the old value back, and
    the history of changes says who changed it."""
    # Locked and read again: the birth date or the doubt may have changed since the page loaded.
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.age_disputed == disputed:
        case.age_disputed = disputed
        return
    month = majority_month(
        birth_date=locked.birth_date, birth_year=locked.birth_year, disputed=disputed
    )
    Case.objects.filter(pk=case.pk).update(
        age_disputed=disputed,
        majority_month=month,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    case.refresh_from_db(
        fields=[
            "age_disputed",
            "majority_month",
            "version",
            "updated_at",
            "birth_date",
            "birth_year",
        ]
    )
    CaseChange.objects.create(
        case=case,
        fields=["age_disputed"],
        version=case.version,
        created_by=actor.user,
    )


@transaction.atomic
def age_assessment_record(
    *, actor: Actor, case: Case, assessed_on: date, authority: str, outcome: str
) -> AgeAssessment:
    """An assessment of the young person's age, and what it does to the presumption of minority.

    Civil Code art. 388: the doubt benefits the young person. An "adult" or "undetermined"
    outcome puts the age in dispute (the seeds' situation: a département refuses minority, the
    young person contests it before the juvenile judge), so the presumption of minority applies
    until a court decides. A "minor" outcome settles the doubt, unless an appeal is pending: only
    its decision ends it.
    """
    _require_editor(actor, case)
    _not_in_future("assessed_on", assessed_on)
    _choice("authority", authority, AgeAuthority.values)
    _choice("outcome", outcome, AgeOutcome.values)
    assessment = AgeAssessment.objects.create(
        case=case,
        assessed_on=assessed_on,
        authority=authority,
        outcome=outcome,
        created_by=actor.user,
    )
    if outcome in (AgeOutcome.ADULT, AgeOutcome.UNDETERMINED):
        _age_disputed_set(actor=actor, case=case, disputed=True)
    elif _pending_appeal(case) is None:
        _age_disputed_set(actor=actor, case=case, disputed=False)
    _recorded(actor, case, assessment, contact_on=assessed_on)
    return assessment


@transaction.atomic
def age_appeal_file(*, actor: Actor, case: Case, filed_on: date) -> AgeAppeal:
    """An appeal to the juvenile judge against a refusal of minority. While it is pending the
    young person is presumed a minor (Collective 2022 §IX.2: "nearly 18 months" of legal void
    during which minors are left without a place to live)."""
    _require_editor(actor, case)
    _not_in_future("filed_on", filed_on)
    # Lock the file's row: two appeals filed at once would both see "none pending".
    Case.objects.select_for_update().filter(pk=case.pk).first()
    if _pending_appeal(case) is not None:
        raise ValidationError(
            {"filed_on": _("An appeal is already pending: record its decision first.")}
        )
    appeal = AgeAppeal.objects.create(case=case, filed_on=filed_on, created_by=actor.user)
    _age_disputed_set(actor=actor, case=case, disputed=True)
    _recorded(actor, case, appeal, contact_on=filed_on)
    return appeal


@transaction.atomic
def age_appeal_decide(
    *, actor: Actor, appeal: AgeAppeal, decided_on: date, outcome: str
) -> AgeAppeal:
    """The judge's decision. "Minor" ends the dispute; "adult" leaves the file's age as recorded
    (the worker corrects the birth date through the file's edit form if the judgment gives one)."""
    case = appeal.case
    _require_editor(actor, case)
    appeal = AgeAppeal.objects.select_for_update().get(pk=appeal.pk)
    appeal.case = case
    if appeal.decided_on is not None:
        raise ValidationError({"decided_on": _("This appeal has already been decided.")})
    _not_in_future("decided_on", decided_on)
    _not_before(
        "decided_on",
        decided_on,
        appeal.filed_on,
        _("The decision cannot come before the appeal was filed."),
    )
    _choice("outcome", outcome, APPEAL_DECISIONS)
    appeal.decided_on = decided_on
    appeal.outcome = outcome
    appeal.save(update_fields=["decided_on", "outcome", "updated_at"])
    if outcome == AgeOutcome.MINOR:
        _age_disputed_set(actor=actor, case=case, disputed=False)
    # A court's decision is not a contact with the young person.
    _recorded(actor, case, appeal, contact_on=None)
    return appeal


@dataclass(frozen=True)
class AppealDuration:
    """How long an appeal has run: until its decision, or until today while pending."""

    days: int
    months: int
    pending: bool


def age_appeal_duration(*, appeal: AgeAppeal, today: date | None = None) -> AppealDuration:
    """Whole days and whole calendar months (a month is reached on the same day of the month,
    or the month's last day when shorter), as the alerts count "older than three months"."""
    end = appeal.decided_on or today or timezone.localdate()
    start = appeal.filed_on
    months = (end.year - start.year) * 12 + end.month - start.month
    month_end = (end + timedelta(days=1)).day == 1
    if end.day < start.day and not month_end:
        months -= 1
    return AppealDuration(
        days=(end - start).days, months=max(months, 0), pending=appeal.decided_on is None
    )


# --- Accommodation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementRecorded:
    """The new placement, the one it closed, and whether it violates the child's rights (a hotel
    or the street: callers warn the worker, Collective 2022 §IX.2, ECPAT 2007)."""

    placement: Placement
    closed: Placement | None
    rights_violation: bool


def _overlaps(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Half-open periods [start, end): moving out and in on the same day is no overlap."""
    return (other_end is None or start < other_end) and (end is None or other_start < end)


@transaction.atomic
def placement_record(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    started_on: date,
    ended_on: date | None = None,
    departement: str = "",
) -> PlacementRecorded:
    """Where the young person lives from ``started_on``. The current placement ends that day.

    A past placement can be recorded with its end date, as long as it overlaps none recorded.
    """
    _require_editor(actor, case)
    _choice("kind", kind, PlacementKind.values)
    _not_in_future("started_on", started_on)
    _not_in_future("ended_on", ended_on)
    _not_before("ended_on", ended_on, started_on, _("A placement cannot end before it starts."))
    departement = departement.strip().upper()
    if len(departement) > 3:
        raise ValidationError({"departement": _("A département code has at most 3 characters.")})
    placements = list(Placement.objects.select_for_update().filter(case=case))
    current = next((p for p in placements if p.ended_on is None), None)
    closed: Placement | None = None
    if ended_on is None and current is not None:
        if started_on < current.started_on:
            raise ValidationError(
                {
                    "started_on": _(
                        "The current placement started on %(date)s: a new one cannot start "
                        "before it. Record an earlier placement with its end date."
                    )
                    % {"date": current.started_on.isoformat()}
                }
            )
        closed = current
    for other in placements:
        other_end = started_on if other is closed else other.ended_on
        if _overlaps(started_on, ended_on, other.started_on, other_end):
            raise ValidationError(
                {
                    "started_on": _(
                        "This period overlaps the placement from %(date)s. Correct the dates."
                    )
                    % {"date": other.started_on.isoformat()}
                }
            )
    if closed is not None:
        closed.ended_on = started_on
        closed.save(update_fields=["ended_on", "updated_at"])
    placement = Placement.objects.create(
        case=case,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        departement=departement,
        created_by=actor.user,
    )
    _recorded(actor, case, placement, contact_on=ended_on or started_on)
    return PlacementRecorded(
        placement=placement, closed=closed, rights_violation=placement.is_rights_violation
    )


@transaction.atomic
def placement_end(*, actor: Actor, placement: Placement, ended_on: date) -> Placement:
    case = placement.case
    _require_editor(actor, case)
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    placement.case = case
    if placement.ended_on is not None:
        raise ValidationError({"ended_on": _("This placement has already ended.")})
    _not_in_future("ended_on", ended_on)
    _not_before(
        "ended_on", ended_on, placement.started_on, _("A placement cannot end before it starts.")
    )
    placement.ended_on = ended_on
    placement.save(update_fields=["ended_on", "updated_at"])
    _recorded(actor, case, placement, contact_on=ended_on)
    return placement


# --- Legal proceedings -------------------------------------------------------------------------


def _non_punishment_check(role: str, non_punishment: str) -> None:
    _choice("non_punishment", non_punishment, NonPunishment.values)
    # Non-punishment (Council of Europe Convention art. 26, Directive 2011/36/EU art. 8) concerns
    # offences the young person was compelled to commit: it has no object for a victim's case.
    if role == ProceedingRole.VICTIM and non_punishment:
        raise ValidationError(
            {
                "non_punishment": _(
                    "Non-punishment only concerns proceedings against the young person."
                )
            }
        )
    if role == ProceedingRole.DEFENDANT_UNDER_CONSTRAINT and not non_punishment:
        raise ValidationError(
            {
                "non_punishment": _(
                    "For proceedings against the young person, say where non-punishment stands."
                )
            }
        )


@transaction.atomic
def proceeding_record(
    *,
    actor: Actor,
    case: Case,
    role: str,
    opened_on: date,
    court: str = "",
    non_punishment: str | None = None,
    criminal_record_entry: bool = False,
) -> Proceeding:
    """A proceeding in which the young person is a victim, or a defendant for offences committed
    under constraint. For the latter non-punishment is "to raise" unless said otherwise: the
    seeds (Collective 2022 §II) report that charges against children exploited into crime are
    rarely dropped, so raising it is the default follow-up."""
    _require_editor(actor, case)
    _choice("role", role, ProceedingRole.values)
    _not_in_future("opened_on", opened_on)
    if non_punishment is None:
        non_punishment = (
            NonPunishment.TO_RAISE
            if role == ProceedingRole.DEFENDANT_UNDER_CONSTRAINT
            else NonPunishment.NOT_APPLICABLE
        )
    _non_punishment_check(role, non_punishment)
    if criminal_record_entry and role == ProceedingRole.VICTIM:
        raise ValidationError(
            {"criminal_record_entry": _("A victim's proceeding leaves no criminal record entry.")}
        )
    proceeding = Proceeding.objects.create(
        case=case,
        role=role,
        opened_on=opened_on,
        court=court.strip(),
        non_punishment=non_punishment,
        criminal_record_entry=criminal_record_entry,
        created_by=actor.user,
    )
    # Proceedings run between courts and lawyers: not in themselves a contact with the child.
    _recorded(actor, case, proceeding, contact_on=None)
    return proceeding


@transaction.atomic
def proceeding_update(
    *,
    actor: Actor,
    proceeding: Proceeding,
    non_punishment: str,
    criminal_record_entry: bool,
    closed_on: date | None,
    court: str | None = None,
    seen_updated_at: datetime | None = None,
) -> Proceeding:
    """Non-punishment follow-up, criminal record entry, closing. ``seen_updated_at`` is the
    record's ``updated_at`` when the form was opened: a concurrent change is refused."""
    case = proceeding.case
    _require_editor(actor, case)
    proceeding = Proceeding.objects.select_for_update().get(pk=proceeding.pk)
    proceeding.case = case
    _unchanged_since(proceeding, seen_updated_at)
    _non_punishment_check(proceeding.role, non_punishment)
    if criminal_record_entry and proceeding.role == ProceedingRole.VICTIM:
        raise ValidationError(
            {"criminal_record_entry": _("A victim's proceeding leaves no criminal record entry.")}
        )
    _not_in_future("closed_on", closed_on)
    _not_before(
        "closed_on",
        closed_on,
        proceeding.opened_on,
        _("A proceeding cannot close before it opened."),
    )
    proceeding.non_punishment = non_punishment
    proceeding.criminal_record_entry = criminal_record_entry
    proceeding.closed_on = closed_on
    if court is not None:
        proceeding.court = court.strip()
    proceeding.save()
    _recorded(actor, case, proceeding, contact_on=None)
    return proceeding


# --- Hearings ----------------------------------------------------------------------------------


def hearing_concerns(hearing: Hearing) -> list[str]:
    """What departs from ECPAT's 2007 recommendations for hearing a child victim: recorded
    (unless she or he refuses), with a trusted third party, in a suitable place (a UAPED)."""
    concerns = []
    if hearing.place == HearingPlace.POLICE_STATION and hearing.recording != Recording.MADE:
        concerns.append(
            _(
                "Heard in a police station without audiovisual recording: ECPAT (2007) "
                "recommends recording every hearing of a child victim, in a paediatric unit "
                "(UAPED) where possible."
            )
        )
    if not hearing.trusted_third_party_present:
        concerns.append(
            _("No trusted third party was present: ECPAT (2007) recommends one at every hearing.")
        )
    return concerns


@transaction.atomic
def hearing_record(
    *,
    actor: Actor,
    case: Case,
    held_on: date,
    place: str,
    recording: str,
    recording_refused_reason: str = "",
    trusted_third_party_present: bool = False,
) -> Hearing:
    _require_editor(actor, case)
    _not_in_future("held_on", held_on)
    _choice("place", place, HearingPlace.values)
    _choice("recording", recording, Recording.values)
    reason = recording_refused_reason.strip()
    if recording == Recording.MADE and reason:
        raise ValidationError(
            {"recording_refused_reason": _("The hearing was recorded: no reason is needed.")}
        )
    if recording != Recording.MADE and not reason:
        raise ValidationError(
            {
                "recording_refused_reason": _(
                    "Say why the hearing was not recorded (who refused, or what prevented it)."
                )
            }
        )
    hearing = Hearing.objects.create(
        case=case,
        held_on=held_on,
        place=place,
        recording=recording,
        recording_refused_reason=reason,
        trusted_third_party_present=trusted_third_party_present,
        created_by=actor.user,
    )
    _recorded(actor, case, hearing, contact_on=held_on)
    return hearing


# --- Compensation ------------------------------------------------------------------------------


def _compensation_check(
    *,
    filed_on: date,
    amount_awarded: Decimal | None,
    awarded_on: date | None,
    amount_paid: Decimal | None,
    paid_on: date | None,
) -> None:
    for field, day in (("filed_on", filed_on), ("awarded_on", awarded_on), ("paid_on", paid_on)):
        _not_in_future(field, day)
    for field, amount in (("amount_awarded", amount_awarded), ("amount_paid", amount_paid)):
        if amount is not None and amount < 0:
            raise ValidationError({field: _("An amount cannot be negative.")})
    # An amount and its date go together: the alerts and the plan date what they count.
    for amount_field, amount, date_field, day in (
        ("amount_awarded", amount_awarded, "awarded_on", awarded_on),
        ("amount_paid", amount_paid, "paid_on", paid_on),
    ):
        if amount is not None and day is None:
            raise ValidationError({date_field: _("Give the date of this amount.")})
        if amount is None and day is not None:
            raise ValidationError({amount_field: _("Give the amount for this date.")})
    _not_before(
        "awarded_on", awarded_on, filed_on, _("An award cannot come before the claim was filed.")
    )
    _not_before(
        "paid_on", paid_on, awarded_on or filed_on, _("A payment cannot come before the award.")
    )
    if amount_awarded is not None and amount_paid is not None and amount_paid > amount_awarded:
        raise ValidationError({"amount_paid": _("More paid than awarded: check the amounts.")})


@transaction.atomic
def compensation_record(
    *,
    actor: Actor,
    case: Case,
    filed_on: date,
    body: str = "",
    amount_awarded: Decimal | None = None,
    awarded_on: date | None = None,
    amount_paid: Decimal | None = None,
    paid_on: date | None = None,
) -> CompensationClaim:
    """A claim (court, CIVI or other body), what was awarded and what was actually paid: the
    Collective 2022 §IX.3 reports that compensation awarded often never reaches the child."""
    _require_editor(actor, case)
    _compensation_check(
        filed_on=filed_on,
        amount_awarded=amount_awarded,
        awarded_on=awarded_on,
        amount_paid=amount_paid,
        paid_on=paid_on,
    )
    claim = CompensationClaim.objects.create(
        case=case,
        filed_on=filed_on,
        body=body.strip(),
        amount_awarded=amount_awarded,
        awarded_on=awarded_on,
        amount_paid=amount_paid,
        paid_on=paid_on,
        created_by=actor.user,
    )
    _recorded(actor, case, claim, contact_on=None)
    return claim


@transaction.atomic
def compensation_update(
    *,
    actor: Actor,
    claim: CompensationClaim,
    filed_on: date,
    body: str,
    amount_awarded: Decimal | None,
    awarded_on: date | None,
    amount_paid: Decimal | None,
    paid_on: date | None,
    seen_updated_at: datetime | None = None,
) -> CompensationClaim:
    case = claim.case
    _require_editor(actor, case)
    claim = CompensationClaim.objects.select_for_update().get(pk=claim.pk)
    claim.case = case
    _unchanged_since(claim, seen_updated_at)
    _compensation_check(
        filed_on=filed_on,
        amount_awarded=amount_awarded,
        awarded_on=awarded_on,
        amount_paid=amount_paid,
        paid_on=paid_on,
    )
    claim.filed_on = filed_on
    claim.body = body.strip()
    claim.amount_awarded = amount_awarded
    claim.awarded_on = awarded_on
    claim.amount_paid = amount_paid
    claim.paid_on = paid_on
    claim.save()
    _recorded(actor, case, claim, contact_on=None)
    return claim
