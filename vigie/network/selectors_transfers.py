"""Reads of transfers for a person. Out of scope is a 404, never a 403.

A transfer is seen by the coordinators of the proposing organisation, and by those of the
recipient while it awaits their answer or once they accepted it. The continuity summary reads
the child's file: the organisation holding it, or the recipient while deciding (it needs to know
what it takes over); each read is in the child's access log.
"""

import uuid

from django.db.models import Q, QuerySet
from django.http import Http404

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import Case

from .models import Transfer, TransferStatus

# What the recipient still sees: the proposal to answer, and the transfer it accepted.
RECIPIENT_STATUSES = (TransferStatus.PROPOSED, TransferStatus.ACCEPTED)


def _coordinator(actor: Actor) -> User:
    user = actor.user
    if (
        user is None
        or user.organisation_id is None
        or not user.has_vigie_permission(Permission.TRANSFER_MANAGE)
    ):
        raise Http404
    return user


def _transfers() -> QuerySet[Transfer]:
    return Transfer.objects.select_related(
        "case", "case__organisation", "from_organisation", "to_organisation", "created_by"
    )


def _visible_to(user: User) -> Q:
    return Q(from_organisation_id=user.organisation_id) | Q(
        to_organisation_id=user.organisation_id, status__in=RECIPIENT_STATUSES
    )


def transfer_get_for_user(*, actor: Actor, transfer_uuid: uuid.UUID) -> Transfer:
    """One transfer the actor's organisation proposed or may answer (404 otherwise)."""
    user = _coordinator(actor)
    transfer = _transfers().filter(_visible_to(user), uuid=transfer_uuid).first()
    if transfer is None:
        raise Http404
    return transfer


def transfer_summary_allowed(*, user: User, transfer: Transfer) -> bool:
    """Whether ``user`` (who sees ``transfer``) may read the child's continuity summary."""
    case = transfer.case
    if case.archived_at is not None or user.organisation_id is None:
        return False
    if case.organisation_id == user.organisation_id:
        return True
    return (
        transfer.status == TransferStatus.PROPOSED
        and transfer.to_organisation_id == user.organisation_id
    )


def transfer_summary_for_user(
    *,
    actor: Actor,
    transfer_uuid: uuid.UUID,
    action: AuditAction = AuditAction.TRANSFER_SUMMARY_VIEW,
) -> Transfer:
    """The transfer with its case loaded for the continuity summary, the read audited with the
    case first (the child's access log). 404 out of scope."""
    user = _coordinator(actor)
    transfer = transfer_get_for_user(actor=actor, transfer_uuid=transfer_uuid)
    if not transfer_summary_allowed(user=user, transfer=transfer):
        raise Http404
    audit_record(actor=actor, action=action, objects=[transfer.case, transfer])
    return transfer


def transfers_outgoing(*, actor: Actor) -> QuerySet[Transfer]:
    user = _coordinator(actor)
    return _transfers().filter(from_organisation_id=user.organisation_id)


def transfers_incoming(*, actor: Actor) -> QuerySet[Transfer]:
    user = _coordinator(actor)
    return _transfers().filter(
        to_organisation_id=user.organisation_id, status__in=RECIPIENT_STATUSES
    )


def transfers_for_case(*, case: Case) -> QuerySet[Transfer]:
    """The transfers of a file already loaded (and audited) by case_get_for_user."""
    return Transfer.objects.filter(case=case).select_related("from_organisation", "to_organisation")
