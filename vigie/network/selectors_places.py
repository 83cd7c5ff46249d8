"""Reading places and holds for a person.

Places carry no child data: everyone who searches or publishes places sees every published one,
whatever the territory (seed Collective 2022 §IX.2). Holds concern a child: only the organisation
that made one reads it (404 for anyone else); the publisher sees how many places are held, until
when and by which organisation, nothing more.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.ages import MAJORITY_AGE, age_on
from vigie.cases.models import Case, ExploitationForm, Gender

from .departements import departement_get, same_region
from .models import AccommodationPlace, HoldStatus, PlaceHold

OLDEST_MINOR = MAJORITY_AGE - 1


def _organisation_id(actor: Actor, *permissions: Permission) -> int:
    """The actor's organisation, when the actor holds one of ``permissions``; 404 otherwise."""
    user = actor.user
    organisation_id = user.organisation_id if user is not None else None
    if user is None or organisation_id is None:
        raise Http404
    if permissions and not any(user.has_vigie_permission(p) for p in permissions):
        raise Http404
    return organisation_id


def _active_holds(now: datetime) -> Q:
    # A lapsed hold the sweep has not reached yet no longer keeps the place.
    return Q(holds__status=HoldStatus.HELD, holds__expires_at__gt=now)


def active_holds_count(place: AccommodationPlace, *, now: datetime) -> int:
    return place.holds.filter(status=HoldStatus.HELD, expires_at__gt=now).count()


def _with_free(places: QuerySet[AccommodationPlace], now: datetime) -> QuerySet[AccommodationPlace]:
    return places.annotate(held=Count("holds", filter=_active_holds(now))).annotate(
        free=ExpressionWrapper(F("available") - F("held"), output_field=IntegerField())
    )


# --- The matching rules ------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeRange:
    youngest: int
    oldest: int
    reason: str


def child_age_range(case: Case, *, today: date) -> AgeRange:
    """The ages the child may have today, the presumption of minority applied (Civil Code
    art. 388, vigie/cases/ages.py): an unknown or disputed age counts as a minor's."""
    birth_date = case.birth_date
    if birth_date is not None and not case.age_disputed:
        age = age_on(birth_date, today)
        return AgeRange(age, age, _("%(age)s years old") % {"age": age})
    year = birth_date.year if birth_date is not None else case.birth_year
    if year is None:
        return AgeRange(0, OLDEST_MINOR, _("Age not known: presumed a minor"))
    youngest, oldest = max(today.year - year - 1, 0), max(today.year - year, 0)
    if case.age_disputed:
        youngest = min(youngest, OLDEST_MINOR)
        return AgeRange(
            youngest,
            OLDEST_MINOR,
            _("Age disputed: presumed a minor, %(youngest)s to %(oldest)s")
            % {"youngest": youngest, "oldest": OLDEST_MINOR},
        )
    return AgeRange(
        youngest,
        oldest,
        _("Born in %(year)s: %(youngest)s or %(oldest)s years old")
        % {"year": year, "youngest": youngest, "oldest": oldest},
    )


def _territory_reason(place: AccommodationPlace, case: Case, *, move_away: bool) -> str | None:
    child_departement = case.departement
    if move_away:
        # Far from the exploiters: neither the child's département nor its région, and only a
        # place that takes children from elsewhere (seed Collective 2022 §IX.2).
        if not place.accepts_any_territory:
            return None
        if child_departement and (
            place.departement == child_departement
            or same_region(place.departement, child_departement)
        ):
            return None
        return _("Outside the child's département and région, open to any territory")
    if child_departement and place.departement == child_departement:
        return _("In the child's département")
    if place.accepts_any_territory:
        return _("Takes children from any territory")
    return None


def place_fits_child(
    place: AccommodationPlace, case: Case, *, today: date, move_away: bool = False
) -> list[str] | None:
    """Why the place fits the child, reason by reason; None when one rule excludes it."""
    reasons: list[str] = []
    ages = child_age_range(case, today=today)
    if place.age_min > ages.oldest or place.age_max < ages.youngest:
        return None
    reasons.append(
        _("Ages %(min)s to %(max)s; the child: %(child)s")
        % {"min": place.age_min, "max": place.age_max, "child": ages.reason}
    )
    if case.gender in (Gender.UNKNOWN, ""):
        # Not known: the place is not excluded on a guess; the worker checks with it.
        reasons.append(_("Gender not recorded in the file: check with the place"))
    elif case.gender not in place.genders:
        return None
    else:
        reasons.append(_("Takes in: %(gender)s") % {"gender": Gender(case.gender).label})
    forms = list(case.exploitation_forms or [])
    if place.forms_accepted:
        if not set(forms) <= set(place.forms_accepted):
            return None
        if forms:
            labels = ", ".join(str(ExploitationForm(f).label) for f in forms)
            reasons.append(_("Accepts %(forms)s") % {"forms": labels})
    else:
        reasons.append(_("Accepts every form of exploitation"))
    territory = _territory_reason(place, case, move_away=move_away)
    if territory is None:
        return None
    reasons.append(territory)
    return reasons


@dataclass(frozen=True)
class PlaceMatch:
    place: AccommodationPlace
    free: int
    reasons: list[str]
    held_for_this_child: bool


def places_matching_child(
    *, actor: Actor, case: Case, move_away: bool, kind: str | None = None
) -> list[PlaceMatch]:
    """Published places with a free place that fit the child, each with why. ``case`` comes from
    case_get_for_user (which wrote the read's audit event)."""
    _organisation_id(actor, Permission.PLACES_SEARCH)
    now, today = timezone.now(), timezone.localdate()
    ages = child_age_range(case, today=today)
    places = AccommodationPlace.objects.filter(
        is_active=True, age_min__lte=ages.oldest, age_max__gte=ages.youngest
    )
    if kind:
        places = places.filter(kind=kind)
    if move_away or not case.departement:
        places = places.filter(accepts_any_territory=True)
    else:
        places = places.filter(Q(departement=case.departement) | Q(accepts_any_territory=True))
    places = (
        _with_free(places, now)
        .annotate(
            this_child=Count(
                "holds", filter=_active_holds(now) & Q(holds__case=case), distinct=True
            )
        )
        .filter(free__gt=0)  # type: ignore[misc]
        .select_related("organisation")
    )
    matches = []
    for place in places:
        reasons = place_fits_child(place, case, today=today, move_away=move_away)
        if reasons is not None:
            matches.append(
                PlaceMatch(
                    place=place,
                    free=place.free,  # type: ignore[attr-defined]
                    reasons=reasons,
                    held_for_this_child=place.this_child > 0,
                )
            )
    # The child's own département first: no move unless it is needed.
    matches.sort(key=lambda m: (m.place.departement != case.departement, m.place.departement))
    return matches


# --- The general list and the publisher's pages ------------------------------------------------


@dataclass(frozen=True)
class PlaceFilters:
    departement: str = ""
    kind: str = ""
    free_only: bool = False


@dataclass(frozen=True)
class PlaceListing:
    place: AccommodationPlace
    free: int


def places_published(*, filters: PlaceFilters) -> list[PlaceListing]:
    """Every published place (no child data: no audit), by département, type, free only."""
    places = AccommodationPlace.objects.filter(is_active=True)
    if filters.departement:
        departement = departement_get(filters.departement)
        places = places.filter(departement=departement.code if departement else "")
    if filters.kind:
        places = places.filter(kind=filters.kind)
    annotated = _with_free(places, timezone.now()).select_related("organisation")
    if filters.free_only:
        annotated = annotated.filter(free__gt=0)  # type: ignore[misc]
    return [
        PlaceListing(place=p, free=max(p.free, 0))  # type: ignore[attr-defined]
        for p in annotated
    ]


@dataclass(frozen=True)
class PublishedPlace:
    """One of the organisation's places, with the holds others made on it (no case, no child)."""

    place: AccommodationPlace
    free: int
    holds: list[PlaceHold]


def places_of_organisation(*, actor: Actor) -> list[PublishedPlace]:
    organisation_id = _organisation_id(actor, Permission.PLACES_MANAGE)
    now = timezone.now()
    places = (
        _with_free(AccommodationPlace.objects.filter(organisation_id=organisation_id), now)
        .prefetch_related(
            Prefetch(
                "holds",
                queryset=PlaceHold.objects.filter(status=HoldStatus.HELD, expires_at__gt=now)
                .select_related("organisation")
                .only("uuid", "place_id", "expires_at", "organisation__name")
                .order_by("expires_at"),
                to_attr="active_holds",
            )
        )
        .order_by("-is_active", "departement", "name")
    )
    return [
        PublishedPlace(
            place=p,
            free=max(p.free, 0),  # type: ignore[attr-defined]
            holds=p.active_holds,
        )
        for p in places
    ]


def place_get_for_manager(*, actor: Actor, place_uuid: uuid.UUID) -> AccommodationPlace:
    """One of the actor's organisation's places; anyone else's is a 404."""
    organisation_id = _organisation_id(actor, Permission.PLACES_MANAGE)
    place = AccommodationPlace.objects.filter(
        uuid=place_uuid, organisation_id=organisation_id
    ).first()
    if place is None:
        raise Http404
    return place


def place_get_published(*, actor: Actor, place_uuid: uuid.UUID) -> AccommodationPlace:
    """A published place, whoever publishes it (places are visible across territories)."""
    _organisation_id(actor, Permission.PLACES_SEARCH)
    place = (
        AccommodationPlace.objects.filter(uuid=place_uuid, is_active=True)
        .select_related("organisation")
        .first()
    )
    if place is None:
        raise Http404
    return place


# --- Holds -------------------------------------------------------------------------------------


def hold_get_for_user(*, actor: Actor, hold_uuid: uuid.UUID) -> PlaceHold:
    """A hold of the actor's organisation on one of its files; anyone else gets a 404. The page
    names the child's file: the read is audited in the child's access log."""
    organisation_id = _organisation_id(actor, Permission.PLACES_SEARCH)
    user = actor.user
    if user is None:
        raise Http404
    hold = (
        PlaceHold.objects.filter(
            uuid=hold_uuid,
            organisation_id=organisation_id,
            case__in=Case.objects.visible_to(user).filter(organisation_id=organisation_id),
        )
        .select_related("case", "place__organisation", "placement")
        .first()
    )
    if hold is None:
        raise Http404
    audit_record(actor=actor, action=AuditAction.CASE_VIEW, objects=[hold.case])
    return hold


def holds_of_case(*, user: User, case: Case) -> list[PlaceHold]:
    """The file's holds still running, for its case page (already audited as the case's read)."""
    organisation_id = user.organisation_id
    if (
        organisation_id is None
        or case.organisation_id != organisation_id
        or not user.has_vigie_permission(Permission.PLACES_SEARCH)
    ):
        return []
    return list(
        PlaceHold.objects.filter(
            case=case,
            organisation_id=organisation_id,
            status=HoldStatus.HELD,
            expires_at__gt=timezone.now(),
        )
        .select_related("place__organisation")
        .order_by("expires_at")
    )
