"""Accommodation places and the holds on them.

Places hold no child data: an organisation publishes them for every territory to see (seed
Collective 2022 §IX.2: places reserved to local children keep victims near their exploiters).
A hold concerns a child: it is written by the organisation holding the file, audited with the
case first, and it ends as a placement recorded in the file, a release, or an expiry.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import ACTIVE_STATUSES, Case, ExploitationForm, Gender
from vigie.cases.services.events import placement_record

from ..departements import departement_get
from ..models import (
    AccommodationPlace,
    HoldStatus,
    Notification,
    NotificationKind,
    PlaceHold,
    PlaceKind,
)
from ..selectors_places import active_holds_count, place_fits_child
from .notifications import notify_users

# Genders a place may state. "Not known" describes a file, not whom a place takes in.
PLACE_GENDERS = tuple(g for g in Gender.values if g != Gender.UNKNOWN)
AGE_LIMIT = 21  # young adults up to 21 (contrats jeune majeur, CASF art. L.222-5)
HOLD_HOURS_DEFAULT = 48
HOLD_HOURS_MAX = 7 * 24
# The holder is warned once, this long before the hold lapses.
HOLD_WARNING = timedelta(hours=24)


# --- Checks ------------------------------------------------------------------------------------


def _user_with(actor: Actor, *permissions: Permission) -> User:
    user = actor.user
    if user is None or user.organisation_id is None:
        raise PermissionDenied
    if not all(user.has_vigie_permission(p) for p in permissions):
        raise PermissionDenied
    return user


def _organisation_of(user: User) -> int:
    organisation_id = user.organisation_id
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


def _require_manager(actor: Actor, place: AccommodationPlace | None = None) -> User:
    """PLACES_MANAGE, and only the organisation's own places."""
    user = _user_with(actor, Permission.PLACES_MANAGE)
    if place is not None and place.organisation_id != user.organisation_id:
        raise PermissionDenied
    return user


def _require_holder(actor: Actor, hold: PlaceHold) -> User:
    """The organisation that made the hold, through someone who may edit its files."""
    user = _user_with(actor, Permission.PLACES_SEARCH, Permission.CASE_EDIT)
    if hold.organisation_id != user.organisation_id or hold.case.organisation_id != (
        user.organisation_id
    ):
        raise PermissionDenied
    return user


@dataclass(frozen=True)
class PlaceDetails:
    """What a publisher states about a place (the form's cleaned data, checked here)."""

    name: str
    kind: str
    departement: str
    capacity: int
    available: int
    age_min: int
    age_max: int
    genders: list[str]
    accepts_any_territory: bool
    forms_accepted: list[str]
    phone: str = ""
    notes: str = ""
    is_active: bool = True


def _details_checked(details: PlaceDetails) -> dict[str, Any]:
    name = details.name.strip()
    if not name:
        raise ValidationError({"name": _("Give the place a name.")})
    # A hotel is no choice here (PlaceKind has none, and a database constraint refuses it).
    if details.kind not in PlaceKind.values:
        raise ValidationError({"kind": _("This type of place is not offered.")})
    departement = departement_get(details.departement)
    if departement is None:
        raise ValidationError({"departement": _("This is not a département code.")})
    if details.capacity < 1:
        raise ValidationError({"capacity": _("A place has a capacity of at least one.")})
    if not 0 <= details.available <= details.capacity:
        raise ValidationError(
            {"available": _("Places available must be between 0 and the capacity.")}
        )
    if not 0 <= details.age_min <= AGE_LIMIT:
        raise ValidationError(
            {"age_min": _("Ages run from 0 to %(limit)s.") % {"limit": AGE_LIMIT}}
        )
    if not details.age_min <= details.age_max <= AGE_LIMIT:
        raise ValidationError(
            {
                "age_max": _("The oldest age must be between the youngest and %(limit)s.")
                % {"limit": AGE_LIMIT}
            }
        )
    genders = sorted(set(details.genders))
    if not genders or not set(genders) <= set(PLACE_GENDERS):
        raise ValidationError({"genders": _("Choose at least one gender among those offered.")})
    forms = sorted(set(details.forms_accepted))
    if not set(forms) <= set(ExploitationForm.values):
        raise ValidationError({"forms_accepted": _("This form of exploitation is not known.")})
    return {
        "name": name,
        "kind": details.kind,
        "departement": departement.code,
        "capacity": details.capacity,
        "available": details.available,
        "age_min": details.age_min,
        "age_max": details.age_max,
        "genders": genders,
        "accepts_any_territory": details.accepts_any_territory,
        "forms_accepted": forms,
        "phone": details.phone.strip(),
        "notes": details.notes.strip(),
        "is_active": details.is_active,
    }


# --- Publishing places -------------------------------------------------------------------------


@transaction.atomic
def place_create(*, actor: Actor, details: PlaceDetails) -> AccommodationPlace:
    user = _require_manager(actor)
    values = _details_checked(details)
    place = AccommodationPlace.objects.create(
        organisation_id=_organisation_of(user),
        availability_updated_at=timezone.now(),
        created_by=user,
        **values,
    )
    audit_record(actor=actor, action=AuditAction.PLACE_CHANGE, objects=[place])
    return place


@transaction.atomic
def place_update(
    *, actor: Actor, place: AccommodationPlace, details: PlaceDetails
) -> AccommodationPlace:
    """Unpublishing (is_active False) replaces deleting: holds and placements keep their place."""
    _require_manager(actor, place)
    values = _details_checked(details)
    locked = AccommodationPlace.objects.select_for_update().get(pk=place.pk)
    if values["available"] != locked.available:
        values["availability_updated_at"] = timezone.now()
    for field, value in values.items():
        setattr(place, field, value)
    place.save()
    audit_record(actor=actor, action=AuditAction.PLACE_CHANGE, objects=[place])
    return place


@transaction.atomic
def place_availability_set(
    *, actor: Actor, place: AccommodationPlace, available: int
) -> AccommodationPlace:
    """The quick daily update: how many places are free now (active holds are counted apart)."""
    _require_manager(actor, place)
    if not 0 <= available <= place.capacity:
        raise ValidationError(
            {"available": _("Places available must be between 0 and the capacity.")}
        )
    place.available = available
    place.availability_updated_at = timezone.now()
    place.save(update_fields=["available", "availability_updated_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.PLACE_CHANGE, objects=[place])
    return place


# --- Holding a place for a child ---------------------------------------------------------------


@transaction.atomic
def place_hold(
    *,
    actor: Actor,
    case: Case,
    place: AccommodationPlace,
    hours: int = HOLD_HOURS_DEFAULT,
) -> PlaceHold:
    """Keep one place for the child while the placement is arranged, for ``hours``.

    ``case`` comes from case_get_for_user (own organisation). The free places are counted under a
    lock on the place's row: two workers holding the last place at once cannot both get it.
    """
    user = _user_with(actor, Permission.PLACES_SEARCH, Permission.CASE_EDIT)
    if case.organisation_id != user.organisation_id:
        raise PermissionDenied
    if case.status not in ACTIVE_STATUSES:
        raise ValidationError({"case": _("This file is not active: no place can be held.")})
    if not 1 <= hours <= HOLD_HOURS_MAX:
        raise ValidationError(
            {"hours": _("A hold lasts from 1 to %(max)s hours.") % {"max": HOLD_HOURS_MAX}}
        )
    now = timezone.now()
    locked = AccommodationPlace.objects.select_for_update().get(pk=place.pk)
    if not locked.is_active:
        raise ValidationError({"place": _("This place is no longer published.")})
    if place_fits_child(locked, case, today=timezone.localdate()) is None:
        raise ValidationError({"place": _("This place does not match the child.")})
    if locked.holds.filter(case=case, status=HoldStatus.HELD, expires_at__gt=now).exists():
        raise ValidationError({"place": _("This place is already held for this child.")})
    if locked.available - active_holds_count(locked, now=now) <= 0:
        raise ValidationError({"place": _("No place is free here any more.")})
    # A lapsed hold the sweep has not reached yet would block the one-hold-per-child rule.
    locked.holds.filter(case=case, status=HoldStatus.HELD, expires_at__lte=now).update(
        status=HoldStatus.EXPIRED, ended_at=now
    )
    hold = PlaceHold.objects.create(
        place=locked,
        case=case,
        organisation_id=_organisation_of(user),
        expires_at=now + timedelta(hours=hours),
        created_by=user,
    )
    audit_record(actor=actor, action=AuditAction.PLACE_HOLD, objects=[case, hold])
    return hold


def _locked_hold(hold: PlaceHold) -> PlaceHold:
    locked = PlaceHold.objects.select_for_update().get(pk=hold.pk)
    locked.case = hold.case
    return locked


@transaction.atomic
def place_hold_confirm(*, actor: Actor, hold: PlaceHold, started_on: date) -> PlaceHold:
    """The child moves in: the placement is recorded in the file (its events, timeline and rights
    plan follow, as for any placement) and the place stops being free."""
    _require_holder(actor, hold)
    locked = _locked_hold(hold)
    if locked.status != HoldStatus.HELD:
        raise ValidationError({"hold": _("This hold has ended: hold the place again.")})
    if locked.expires_at <= timezone.now():
        raise ValidationError({"hold": _("This hold has expired: hold the place again.")})
    if locked.case.status not in ACTIVE_STATUSES:
        raise ValidationError({"hold": _("This file is not active any more.")})
    place = AccommodationPlace.objects.select_for_update().get(pk=locked.place_id)
    # PlaceKind and PlacementKind share their codes; no hotel on either side of this call.
    recorded = placement_record(
        actor=actor,
        case=locked.case,
        kind=place.kind,
        started_on=started_on,
        departement=place.departement,
    )
    locked.status = HoldStatus.CONFIRMED
    locked.placement = recorded.placement
    locked.ended_at = timezone.now()
    locked.save(update_fields=["status", "placement", "ended_at", "updated_at"])
    # The publisher may have lowered the count meanwhile: never below zero.
    place.available = max(place.available - 1, 0)
    place.availability_updated_at = timezone.now()
    place.save(update_fields=["available", "availability_updated_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.PLACE_HOLD_CONFIRM, objects=[locked.case, locked])
    hold.status, hold.placement, hold.ended_at = locked.status, locked.placement, locked.ended_at
    return locked


@transaction.atomic
def place_hold_release(*, actor: Actor, hold: PlaceHold) -> PlaceHold:
    _require_holder(actor, hold)
    locked = _locked_hold(hold)
    if locked.status != HoldStatus.HELD:
        raise ValidationError({"hold": _("This hold has already ended.")})
    locked.status = HoldStatus.RELEASED
    locked.ended_at = timezone.now()
    locked.save(update_fields=["status", "ended_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.PLACE_HOLD_RELEASE, objects=[locked.case, locked])
    hold.status, hold.ended_at = locked.status, locked.ended_at
    return locked


# --- The sweep (cron: `vigie network sweep`) ---------------------------------------------------


@dataclass(frozen=True)
class SweepReport:
    expired: int
    warned: int


def hold_url(hold: PlaceHold) -> str:
    """The hold's page, also the key telling the sweep whether its holder was already warned."""
    return reverse("network:hold_confirm", kwargs={"hold_uuid": hold.uuid})


def _holder(hold: PlaceHold) -> list[User]:
    return [hold.created_by] if hold.created_by is not None else []


@transaction.atomic
def place_holds_sweep(*, now: datetime) -> SweepReport:
    """Lapsed holds end as expired (their holder is told); holds lapsing within a day warn their
    holder, once. Running it twice changes nothing the second time."""
    lapsed = list(
        PlaceHold.objects.select_for_update(of=("self",))
        .filter(status=HoldStatus.HELD, expires_at__lte=now)
        .select_related("case", "place__organisation", "created_by")
    )
    for hold in lapsed:
        hold.status = HoldStatus.EXPIRED
        hold.ended_at = now
        hold.save(update_fields=["status", "ended_at", "updated_at"])
        audit_record(
            actor=None,
            action=AuditAction.PLACE_HOLD_RELEASE,
            objects=[hold.case, hold],
            reason_code="expired",
        )
        notify_users(
            users=_holder(hold),
            kind=NotificationKind.HOLD_EXPIRED,
            counterpart=hold.place.organisation.name,
            url=hold_url(hold),
        )
    expiring = {
        hold_url(hold): hold
        for hold in PlaceHold.objects.filter(
            status=HoldStatus.HELD, expires_at__gt=now, expires_at__lte=now + HOLD_WARNING
        ).select_related("place__organisation", "created_by")
    }
    # The warning sent is its own record: no flag to keep in step with the notifications.
    already_warned = set(
        Notification.objects.filter(
            kind=NotificationKind.HOLD_EXPIRING, url__in=list(expiring)
        ).values_list("url", flat=True)
    )
    warned = 0
    for url, hold in expiring.items():
        if url in already_warned:
            continue
        sent = notify_users(
            users=_holder(hold),
            kind=NotificationKind.HOLD_EXPIRING,
            counterpart=hold.place.organisation.name,
            url=url,
        )
        warned += bool(sent)
    return SweepReport(expired=len(lapsed), warned=warned)
