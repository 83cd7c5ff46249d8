"""Transfers through the API: the same selectors and services as the transfer pages.

Only transfers to another organisation using Vigie are proposed here. A move abroad ends with
the bilingual continuity summary exported as a PDF, an export that needs a fresh
re-authentication: that stays on the pages, where a person signs in again.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import Query, Schema, Status
from pydantic import Field

from vigie.accounts.models import Organisation
from vigie.cases.selectors import case_get_for_user
from vigie.network.models import (
    ChildConsent,
    ParentsConsent,
    Transfer,
    TransferDestination,
    TransferStatus,
)
from vigie.network.selectors_transfers import (
    transfer_get_for_user,
    transfers_incoming,
    transfers_outgoing,
)
from vigie.network.services import transfers as services
from vigie.network.services.consent import Consent

from .auth import actor_of, token
from .errors import COMMON_ERRORS, OBJECT_ERRORS
from .routing import ScopedRouter
from .scopes import ApiScope
from .types import Day, DepartementCode, LongText, PageSize, Ref

router = ScopedRouter(tags=["transfers"])

# A list pages by offset: a few hundred transfers a year per organisation at most.
MAX_OFFSET = 100_000


class Direction(models.TextChoices):
    SENT = "sent", gettext_lazy("Proposed by your organisation")
    RECEIVED = "received", gettext_lazy("Proposed to your organisation")


class TransferSummaryOut(Schema):
    """A transfer in a list, as the transfers page shows it."""

    uuid: UUID
    status: TransferStatus
    destination: TransferDestination
    from_organisation: str
    to_organisation: str | None
    partner_name: str
    partner_country: str
    created_at: datetime
    # The pseudonymous reference both organisations speak of.
    case_reference: str

    @staticmethod
    def resolve_from_organisation(transfer: Transfer) -> str:
        return transfer.from_organisation.name

    @staticmethod
    def resolve_to_organisation(transfer: Transfer) -> str | None:
        return transfer.to_organisation.name if transfer.to_organisation else None

    @staticmethod
    def resolve_case_reference(transfer: Transfer) -> str:
        return transfer.case.reference


class TransferPageOut(Schema):
    items: list[TransferSummaryOut]
    # Give it back as ``offset`` for the next page; null on the last page.
    next_offset: int | None


class TransferOut(TransferSummaryOut):
    new_departement: str
    reason: str
    child_consent: ChildConsent
    parents_consent: ParentsConsent
    consent_recorded_on: date
    override_reason: str
    decided_at: datetime | None
    decline_reason: str
    # The file, for the organisation holding it (the proposer, or the recipient once accepted).
    case_uuid: UUID | None

    @staticmethod
    def resolve_case_uuid(transfer: Transfer, context: Any) -> UUID | None:
        user = context["request"].auth.user
        if transfer.case.organisation_id == user.organisation_id:
            return transfer.case.uuid
        return None


class TransferStateOut(Schema):
    """Where a transfer stands after an answer (the recipient may not read it any more)."""

    uuid: UUID
    status: TransferStatus
    decided_at: datetime | None


class TransferListQuery(Schema):
    direction: Direction = Direction.SENT
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    limit: PageSize = 50


class TransferProposeIn(Schema):
    # An active organisation using Vigie, other than yours.
    to_organisation: Ref
    # Where the child will live, if it changes (INSEE code: "75", "2A", "974").
    new_departement: DepartementCode = ""
    reason: LongText = ""
    child_consent: ChildConsent
    parents_consent: ParentsConsent
    # Today if not given.
    consent_recorded_on: Day | None = None
    # Only with child_consent "override": why the file goes without the young person's agreement.
    override_reason: LongText = ""


class TransferDeclineIn(Schema):
    decline_reason: LongText


def _page(transfers: QuerySet[Transfer], offset: int, limit: int) -> dict[str, Any]:
    window = list(transfers.order_by("-created_at", "-pk")[offset : offset + limit + 1])
    return {
        "items": window[:limit],
        "next_offset": offset + limit if len(window) > limit else None,
    }


@router.get(
    "/transfers",
    response={200: TransferPageOut, **COMMON_ERRORS},
    auth=token(ApiScope.TRANSFERS_READ),
    summary="List transfers proposed or received",
)
def transfers_list(request: HttpRequest, query: Query[TransferListQuery]) -> Any:
    """Transfers your organisation proposed (``direction=sent``) or that were proposed to it and
    await its answer or were accepted (``direction=received``), newest first."""
    actor = actor_of(request)
    if query.direction == Direction.RECEIVED:
        transfers = transfers_incoming(actor=actor)
    else:
        transfers = transfers_outgoing(actor=actor)
    return _page(transfers, query.offset, query.limit)


@router.get(
    "/transfers/{uuid:transfer_uuid}",
    response={200: TransferOut, **OBJECT_ERRORS},
    auth=token(ApiScope.TRANSFERS_READ),
    summary="Read a transfer",
)
def transfers_read(request: HttpRequest, transfer_uuid: UUID) -> Any:
    """The transfer as its page shows it. The child's continuity summary is read on the page
    (and exported there as a PDF, after re-authentication for a partner abroad)."""
    return transfer_get_for_user(actor=actor_of(request), transfer_uuid=transfer_uuid)


def _recipient(organisation_uuid: UUID) -> Organisation | None:
    # The organisations a file may go to, as the form offers them: those using Vigie.
    return Organisation.objects.filter(uuid=organisation_uuid, is_active=True).first()


@router.post(
    "/cases/{uuid:case_uuid}/transfers",
    response={201: TransferOut, **OBJECT_ERRORS},
    auth=token(ApiScope.TRANSFERS_WRITE),
    summary="Propose to hand a file over to another organisation in France",
)
def transfers_propose(request: HttpRequest, case_uuid: UUID, payload: TransferProposeIn) -> Any:
    """A coordinator proposes to hand the whole file over to another organisation using Vigie;
    it becomes theirs once they accept. One proposal at a time per file (422 on
    ``destination`` while one awaits an answer). The young person's agreement or prior
    information is recorded, or a coordinator's written ``override_reason``.

    A move abroad is proposed on the case's page, not here: it ends with the bilingual
    continuity summary exported as a PDF, which requires a fresh re-authentication."""
    actor = actor_of(request)
    case = case_get_for_user(actor=actor, case_uuid=case_uuid)
    transfer = services.transfer_propose(
        actor=actor,
        case=case,
        destination=TransferDestination.ORGANISATION,
        # An unknown organisation is refused by the service, on ``to_organisation``.
        to_organisation=_recipient(payload.to_organisation),
        partner_name="",
        partner_country="",
        new_departement=payload.new_departement,
        reason=payload.reason,
        consent=Consent(
            child_consent=payload.child_consent,
            parents_consent=payload.parents_consent,
            recorded_on=payload.consent_recorded_on or timezone.localdate(),
            override_reason=payload.override_reason,
        ),
    )
    return Status(201, transfer)


@router.post(
    "/transfers/{uuid:transfer_uuid}/accept",
    response={200: TransferOut, **OBJECT_ERRORS},
    auth=token(ApiScope.TRANSFERS_WRITE),
    summary="Accept a transfer: the file becomes your organisation's",
)
def transfers_accept(request: HttpRequest, transfer_uuid: UUID) -> Any:
    """For the receiving organisation's coordinators, while the proposal awaits an answer (422
    on ``status`` otherwise). The file becomes yours, whole, with its history; no caseworker is
    assigned (``case_uuid`` in the answer is the file to assign)."""
    actor = actor_of(request)
    transfer = transfer_get_for_user(actor=actor, transfer_uuid=transfer_uuid)
    services.transfer_accept(actor=actor, transfer=transfer)
    return transfer_get_for_user(actor=actor, transfer_uuid=transfer_uuid)


@router.post(
    "/transfers/{uuid:transfer_uuid}/decline",
    response={200: TransferStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.TRANSFERS_WRITE),
    summary="Decline a transfer",
)
def transfers_decline(request: HttpRequest, transfer_uuid: UUID, payload: TransferDeclineIn) -> Any:
    """For the receiving organisation's coordinators, saying why (``decline_reason``,
    required); the file stays where it is."""
    actor = actor_of(request)
    transfer = transfer_get_for_user(actor=actor, transfer_uuid=transfer_uuid)
    return services.transfer_decline(actor=actor, transfer=transfer, reason=payload.decline_reason)


@router.post(
    "/transfers/{uuid:transfer_uuid}/cancel",
    response={200: TransferStateOut, **OBJECT_ERRORS},
    auth=token(ApiScope.TRANSFERS_WRITE),
    summary="Cancel a transfer proposed",
)
def transfers_cancel(request: HttpRequest, transfer_uuid: UUID) -> Any:
    """For the proposing organisation, while no answer came (422 on ``status`` otherwise)."""
    actor = actor_of(request)
    transfer = transfer_get_for_user(actor=actor, transfer_uuid=transfer_uuid)
    return services.transfer_cancel(actor=actor, transfer=transfer)
