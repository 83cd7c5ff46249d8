"""Holding an accommodation place for a child through the API (the places pages' services).

Holding a place concerns a child's file: these operations take the case-file scopes
(``cases:read`` / ``cases:write``), as the service asks for the right to edit the file, so that a
caseworker, who publishes no place, can hold one for a child.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Schema, Status
from pydantic import Field, StrictInt

from vigie.cases.selectors import case_get_for_user
from vigie.network.models import HoldStatus, PlaceHold
from vigie.network.selectors_places import hold_get_for_user, place_get_published
from vigie.network.services import places as services

from .auth import actor_of, token
from .errors import OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import Day

router = ScopedRouter(tags=["places"])


class HoldOut(Schema):
    uuid: UUID
    status: HoldStatus
    expires_at: datetime
    ended_at: datetime | None
    place_uuid: UUID
    place_name: str
    case_uuid: UUID
    case_reference: str

    @staticmethod
    def resolve_place_uuid(hold: PlaceHold) -> UUID:
        return hold.place.uuid

    @staticmethod
    def resolve_place_name(hold: PlaceHold) -> str:
        return hold.place.name

    @staticmethod
    def resolve_case_uuid(hold: PlaceHold) -> UUID:
        return hold.case.uuid

    @staticmethod
    def resolve_case_reference(hold: PlaceHold) -> str:
        return hold.case.reference


class HoldIn(Schema):
    hours: StrictInt = Field(default=services.HOLD_HOURS_DEFAULT, ge=1, le=services.HOLD_HOURS_MAX)


class HoldConfirmIn(Schema):
    # The day the child moved in.
    started_on: Day


@router.post(
    "/cases/{uuid:case_uuid}/places/{uuid:place_uuid}/holds",
    response={201: HoldOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_WRITE),
    summary="Hold a place for a child",
)
def places_hold(request: HttpRequest, case_uuid: UUID, place_uuid: UUID, payload: HoldIn) -> Any:
    """Keeps one place for the child of the file while the placement is arranged, for
    ``hours`` (48 by default, a week at most). Refused on ``place`` when the place no longer
    fits the child, is already held for them or has no free place left, on ``case`` when the
    file is not active."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    place = place_get_published(actor=actor, place_uuid=place_uuid)
    hold = services.place_hold(actor=actor, case=case, place=place, hours=payload.hours)
    return Status(201, hold)


@router.get(
    "/holds/{uuid:hold_uuid}",
    response={200: HoldOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_READ),
    summary="Read a hold",
)
def holds_read(request: HttpRequest, hold_uuid: UUID) -> Any:
    """A hold your organisation made on one of its files (the read is in the child's access
    log)."""
    return hold_get_for_user(actor=actor_of(request), hold_uuid=hold_uuid)


@router.post(
    "/holds/{uuid:hold_uuid}/confirm",
    response={200: HoldOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_WRITE),
    summary="Record the placement in the place held",
)
def holds_confirm(request: HttpRequest, hold_uuid: UUID, payload: HoldConfirmIn) -> Any:
    """The child moved in on ``started_on``: the placement is recorded in the file (its events,
    timeline and rights plan follow) and the place stops being free. Refused on ``hold`` once
    the hold has ended or expired."""
    actor = actor_of(request)
    hold = hold_get_for_user(actor=actor, hold_uuid=hold_uuid)
    return services.place_hold_confirm(actor=actor, hold=hold, started_on=payload.started_on)


@router.post(
    "/holds/{uuid:hold_uuid}/release",
    response={200: HoldOut, **OBJECT_ERRORS},
    auth=token(ApiScope.CASES_WRITE),
    summary="Release a place held",
)
def holds_release(request: HttpRequest, hold_uuid: UUID) -> Any:
    """Refused on ``hold`` once the hold has ended."""
    actor = actor_of(request)
    hold = hold_get_for_user(actor=actor, hold_uuid=hold_uuid)
    return services.place_hold_release(actor=actor, hold=hold)
