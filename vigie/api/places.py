"""Accommodation places through the API: the same selectors and services as the places pages.

Places carry no child data: every published place is readable whatever its territory. The
search for a child applies the presumption of minority and says why each place fits, as its page
does. Holding a place for a child: vigie/api/holds.py.
"""

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Schema, Status
from pydantic import Field, StrictInt, StringConstraints

from vigie.cases.models import ExploitationForm, Gender
from vigie.cases.selectors import case_get_for_user
from vigie.network.departements import departement_get
from vigie.network.models import AccommodationPlace, PlaceKind
from vigie.network.selectors_places import (
    PlaceFilters,
    active_holds_count,
    child_age_range,
    place_get_for_manager,
    place_get_published,
    places_matching_child,
    places_of_organisation,
    places_published,
)
from vigie.network.services import places as services

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import NO_NUL, DepartementCode, Flag, LongText, PageSize, ShortText

router = ScopedRouter(tags=["places"])

MAX_OFFSET = 100_000
# The form's bounds: a place counts its beds in hundreds at most.
MAX_PLACES = 999
PhoneText = Annotated[str, StringConstraints(pattern=NO_NUL, max_length=20)]


class PlaceOut(Schema):
    uuid: UUID
    name: str
    kind: PlaceKind
    departement: str
    capacity: int
    # As the publisher last declared it; ``free`` counts the holds running too.
    available: int
    availability_updated_at: datetime
    free: int
    age_min: int
    age_max: int
    genders: list[Gender]
    # Empty: every form of exploitation.
    forms_accepted: list[ExploitationForm]
    accepts_any_territory: bool
    phone: str
    notes: str
    is_active: bool
    published_by: str


class PlacePageOut(Schema):
    items: list[PlaceOut]
    # Give it back as ``offset`` for the next page; null on the last page.
    next_offset: int | None


class HeldByOut(Schema):
    """A hold on one of your places: which organisation, until when (no case, no child)."""

    organisation: str
    expires_at: datetime


class OwnPlaceOut(PlaceOut):
    holds: list[HeldByOut]


class OwnPlacePageOut(Schema):
    items: list[OwnPlaceOut]
    next_offset: int | None


class ChildOut(Schema):
    # The ages the child may have today, the presumption of minority applied.
    youngest: int
    oldest: int
    ages: str
    departement: str


class PlaceMatchOut(Schema):
    place: PlaceOut
    # Why the place fits the child, rule by rule.
    reasons: list[str]
    held_for_this_child: bool


class PlacesForChildOut(Schema):
    child: ChildOut
    items: list[PlaceMatchOut]


class PlaceListQuery(Schema):
    # A département code ("75", "2A", "974"); empty: every département.
    departement: DepartementCode = ""
    kind: PlaceKind | None = None
    free_only: bool = False
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: PageSize = 50


class PagingQuery(Schema):
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: PageSize = 50


class ChildSearchQuery(Schema):
    # Only places outside the child's département and région, open to any territory.
    move_away: bool = False
    kind: PlaceKind | None = None
    limit: PageSize = 50


class PlaceIn(Schema):
    """Every field of the place (an update replaces them all, as the page's form does)."""

    name: ShortText
    kind: PlaceKind
    departement: DepartementCode
    capacity: StrictInt = Field(ge=1, le=MAX_PLACES)
    available: StrictInt = Field(ge=0, le=MAX_PLACES)
    age_min: StrictInt = Field(default=0, ge=0, le=services.AGE_LIMIT)
    age_max: StrictInt = Field(default=17, ge=0, le=services.AGE_LIMIT)
    genders: list[Gender] = Field(min_length=1, max_length=len(Gender.values))
    forms_accepted: list[ExploitationForm] = Field(
        default_factory=list, max_length=len(ExploitationForm.values)
    )
    accepts_any_territory: Flag = False
    phone: PhoneText = ""
    notes: LongText = ""
    # False withdraws the place from the searches; a place is never deleted.
    is_active: Flag = True


class AvailabilityIn(Schema):
    available: StrictInt = Field(ge=0, le=MAX_PLACES)


def _place_out(place: AccommodationPlace, free: int) -> dict[str, Any]:
    return {
        "uuid": place.uuid,
        "name": place.name,
        "kind": place.kind,
        "departement": place.departement,
        "capacity": place.capacity,
        "available": place.available,
        "availability_updated_at": place.availability_updated_at,
        "free": max(free, 0),
        "age_min": place.age_min,
        "age_max": place.age_max,
        "genders": place.genders,
        "forms_accepted": place.forms_accepted,
        "accepts_any_territory": place.accepts_any_territory,
        "phone": place.phone,
        "notes": place.notes,
        "is_active": place.is_active,
        "published_by": place.organisation.name,
    }


def _free_now(place: AccommodationPlace) -> int:
    return place.available - active_holds_count(place, now=timezone.now())


def _window(items: list[Any], offset: int, limit: int) -> tuple[list[Any], int | None]:
    window = items[offset : offset + limit]
    return window, offset + limit if len(items) > offset + limit else None


def _details(payload: PlaceIn) -> services.PlaceDetails:
    return services.PlaceDetails(
        name=payload.name,
        kind=payload.kind.value,
        departement=payload.departement,
        capacity=payload.capacity,
        available=payload.available,
        age_min=payload.age_min,
        age_max=payload.age_max,
        genders=[gender.value for gender in payload.genders],
        accepts_any_territory=payload.accepts_any_territory,
        forms_accepted=[form.value for form in payload.forms_accepted],
        phone=payload.phone,
        notes=payload.notes,
        is_active=payload.is_active,
    )


# --- Reading places ------------------------------------------------------------------------------


@router.get(
    "/places",
    response={200: PlacePageOut, **COMMON_ERRORS},
    auth=token(ApiScope.PLACES_READ),
    summary="List published accommodation places",
)
def places_list(request: HttpRequest, query: Query[PlaceListQuery]) -> Any:
    """Every published place, whoever publishes it, by département and type, optionally only
    those free now. Hotels are never offered: they cannot be published."""
    if query.departement and departement_get(query.departement) is None:
        raise ValidationError(
            {"departement": _("Unknown département: give its code, e.g. 75, 2A or 974.")}
        )
    listings = places_published(
        filters=PlaceFilters(
            departement=query.departement,
            kind=query.kind.value if query.kind else "",
            free_only=query.free_only,
        )
    )
    window, next_offset = _window(listings, query.offset, query.limit)
    return {
        "items": [_place_out(listing.place, listing.free) for listing in window],
        "next_offset": next_offset,
    }


@router.get(
    "/places/mine",
    response={200: OwnPlacePageOut, **COMMON_ERRORS},
    auth=token(ApiScope.PLACES_WRITE),
    summary="List your organisation's places",
)
def places_mine(request: HttpRequest, query: Query[PagingQuery]) -> Any:
    """The places your organisation publishes, withdrawn ones included, with the holds others
    made on them (which organisation, until when). For those who publish places, hence the
    ``places:write`` scope."""
    published = places_of_organisation(actor=actor_of(request))
    window, next_offset = _window(published, query.offset, query.limit)
    return {
        "items": [
            {
                **_place_out(own.place, own.free),
                "holds": [
                    {"organisation": hold.organisation.name, "expires_at": hold.expires_at}
                    for hold in own.holds
                ],
            }
            for own in window
        ],
        "next_offset": next_offset,
    }


@router.get(
    "/places/{uuid:place_uuid}",
    response={200: PlaceOut, **OBJECT_ERRORS},
    auth=token(ApiScope.PLACES_READ),
    summary="Read a published place",
)
def places_read(request: HttpRequest, place_uuid: UUID) -> Any:
    place = place_get_published(actor=actor_of(request), place_uuid=place_uuid)
    return _place_out(place, _free_now(place))


@router.get(
    "/cases/{uuid:case_uuid}/places",
    response={200: PlacesForChildOut, **OBJECT_ERRORS},
    auth=token(ApiScope.PLACES_READ),
    summary="Search places for a child",
)
def places_for_child(request: HttpRequest, case_uuid: UUID, query: Query[ChildSearchQuery]) -> Any:
    """Published places with a free place that fit the child of the file: age (an unknown or
    disputed age counts as a minor's, Civil Code art. 388), gender, forms of exploitation and
    territory, each match with the reasons it fits; the child's own département first.
    ``move_away`` keeps only places outside the child's département and région that take
    children from any territory. Reading the file goes in the child's access log."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    matches = places_matching_child(
        actor=actor,
        case=case,
        move_away=query.move_away,
        kind=query.kind.value if query.kind else None,
    )
    ages = child_age_range(case, today=timezone.localdate())
    return {
        "child": {
            "youngest": ages.youngest,
            "oldest": ages.oldest,
            "ages": ages.reason,
            "departement": case.departement,
        },
        "items": [
            {
                "place": _place_out(match.place, match.free),
                "reasons": match.reasons,
                "held_for_this_child": match.held_for_this_child,
            }
            for match in matches[: query.limit]
        ],
    }


# --- Publishing places ---------------------------------------------------------------------------


@router.post(
    "/places",
    response={201: PlaceOut, **COMMON_ERRORS},
    auth=token(ApiScope.PLACES_WRITE),
    summary="Publish a place",
)
def places_create(request: HttpRequest, payload: PlaceIn) -> Any:
    """A place your organisation publishes, for every territory to see."""
    place = services.place_create(actor=actor_of(request), details=_details(payload))
    return Status(201, _place_out(place, place.available))


@router.put(
    "/places/{uuid:place_uuid}",
    response={200: PlaceOut, **OBJECT_ERRORS},
    auth=token(ApiScope.PLACES_WRITE),
    summary="Change a place",
)
def places_update(request: HttpRequest, place_uuid: UUID, payload: PlaceIn) -> Any:
    """Only a place your organisation publishes (any other is a 404); every field is replaced.
    ``is_active`` false withdraws it: holds and placements keep their place."""
    actor = actor_of(request)
    place = place_get_for_manager(actor=actor, place_uuid=place_uuid)
    place = services.place_update(actor=actor, place=place, details=_details(payload))
    return _place_out(place, _free_now(place))


@router.post(
    "/places/{uuid:place_uuid}/availability",
    response={200: PlaceOut, **OBJECT_ERRORS},
    auth=token(ApiScope.PLACES_WRITE),
    summary="Set how many places are available now",
)
def places_availability(request: HttpRequest, place_uuid: UUID, payload: AvailabilityIn) -> Any:
    """The daily update: between 0 and the capacity (422 on ``available`` otherwise). Running
    holds are counted apart, in ``free``."""
    actor = actor_of(request)
    place = place_get_for_manager(actor=actor, place_uuid=place_uuid)
    place = services.place_availability_set(actor=actor, place=place, available=payload.available)
    return _place_out(place, _free_now(place))


# --- Holding a place for a child -----------------------------------------------------------------
