"""Writing, verifying and purging the audit trail."""

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .chain import GENESIS_HASH, ChainProblem, event_hash
from .models import AuditAction, AuditChainHead, AuditEvent, AuditEventSubject, AuditPurgePermit

if TYPE_CHECKING:
    from vigie.accounts.models import User

__all__ = ["Actor", "AuditAction", "audit_purge", "audit_record", "audit_verify", "audit_via"]

# Objects every event written in this context also names: the API token a request came with, so
# that "what did this token do" is one look-up in the subjects index if a token leaks.
_VIA: ContextVar[tuple[uuid.UUID, ...]] = ContextVar("audit_via", default=())


@contextmanager
def audit_via(*object_uuids: uuid.UUID) -> Iterator[None]:
    """Every audit event recorded inside the block also names ``object_uuids``."""
    reset = _VIA.set(_VIA.get() + object_uuids)
    try:
        yield
    finally:
        _VIA.reset(reset)


class HasUuid(Protocol):
    uuid: uuid.UUID


@dataclass(frozen=True)
class Actor:
    """Who does something, from where: the user behind a request, or None for the system."""

    user: "User | None"
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Actor":
        from vigie.accounts.sessions import client_ip
        from vigie.core.http import signed_in_user

        user = signed_in_user(request) if request.user.is_authenticated else None
        return cls(user=user, ip_address=client_ip(request))


def _head_for_update() -> AuditChainHead:
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor_uuid": str(event.actor_uuid) if event.actor_uuid else None,
        "organisation_uuid": str(event.organisation_uuid) if event.organisation_uuid else None,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_uuids": list(event.object_uuids),
        "ip_address": event.ip_address,
        "reason_code": event.reason_code,
    }


@transaction.atomic
def audit_record(
    *,
    actor: Actor | None,
    action: AuditAction,
    objects: Iterable[HasUuid] = (),
    object_uuids: Iterable[uuid.UUID] = (),
    reason_code: str = "",
) -> AuditEvent:
    """Append one event. Runs in the caller's transaction: if it fails, the caller's work fails."""
    subjects = list(objects)
    uuids = sorted(
        {str(o.uuid) for o in subjects}
        | {str(u) for u in object_uuids}
        | {str(u) for u in _VIA.get()}
    )
    object_type = (
        subjects[0]._meta.label_lower if subjects and isinstance(subjects[0], models.Model) else ""
    )
    user = actor.user if actor else None
    organisation = getattr(user, "organisation", None)
    head = _head_for_update()
    event = AuditEvent(
        sequence=head.last_sequence + 1,
        occurred_at=timezone.now(),
        actor_uuid=user.uuid if user else None,
        organisation_uuid=organisation.uuid if organisation else None,
        role=user.role if user else "system",
        action=action,
        object_type=object_type,
        object_uuids=uuids,
        ip_address=actor.ip_address if actor else None,
        reason_code=reason_code,
        previous_hash=head.last_hash,
    )
    event.hash = event_hash(previous_hash=head.last_hash, fields=_hashed_fields(event))
    event.save()
    AuditEventSubject.objects.bulk_create(
        AuditEventSubject(event=event, object_uuid=uuid.UUID(u)) for u in uuids
    )
    head.last_sequence = event.sequence
    head.last_hash = event.hash
    head.save(update_fields=["last_sequence", "last_hash"])
    return event


def _events_in_order(batch_size: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(sequence__gt=last)
            .prefetch_related("subjects")
            .order_by("sequence")[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last = batch[-1].sequence


def audit_verify() -> list[ChainProblem]:
    """Recompute the chain: an edited, inserted or deleted event shows up as a problem."""
    head = AuditChainHead.objects.filter(pk=1).first()
    expected_sequence = (head.purged_through_sequence if head else 0) + 1
    previous_hash = head.purged_through_hash if head else GENESIS_HASH
    problems: list[ChainProblem] = []
    for event in _events_in_order():
        if event.sequence != expected_sequence:
            problems.append(
                ChainProblem(expected_sequence, f"missing events up to #{event.sequence - 1}")
            )
        if event.previous_hash != previous_hash:
            problems.append(ChainProblem(event.sequence, "link to the previous event is broken"))
        if (
            event_hash(previous_hash=event.previous_hash, fields=_hashed_fields(event))
            != event.hash
        ):
            problems.append(ChainProblem(event.sequence, "content does not match its hash"))
        indexed = sorted(str(s.object_uuid) for s in event.subjects.all())
        if indexed != sorted(event.object_uuids):
            problems.append(ChainProblem(event.sequence, "subject index does not match the event"))
        expected_sequence = event.sequence + 1
        previous_hash = event.hash
    last_sequence = head.last_sequence if head else 0
    if expected_sequence - 1 != last_sequence or (head and previous_hash != head.last_hash):
        problems.append(ChainProblem(last_sequence, "the newest events are missing"))
    return problems


@transaction.atomic
def audit_purge(*, now: datetime | None = None) -> int:
    """Delete events older than the retention period (oldest first, so the chain stays whole)."""
    cutoff = (now or timezone.now()) - settings.AUDIT_RETENTION
    head = _head_for_update()
    expired = AuditEvent.objects.filter(occurred_at__lt=cutoff).order_by("sequence")
    last = expired.last()
    if last is None:
        # Recorded all the same: the trail shows the retention job ran.
        audit_record(actor=None, action=AuditAction.AUDIT_PURGE, reason_code="nothing-expired")
        return 0
    # Only the prefix of the chain up to the last expired event goes.
    doomed = AuditEvent.objects.filter(sequence__lte=last.sequence)
    permit = AuditPurgePermit.objects.create()
    AuditEventSubject.objects.filter(event__in=doomed).delete()
    count, _by_model = doomed.delete()
    permit.delete()
    head.purged_through_sequence = last.sequence
    head.purged_through_hash = last.hash
    head.save(update_fields=["purged_through_sequence", "purged_through_hash"])
    audit_record(actor=None, action=AuditAction.AUDIT_PURGE, reason_code=f"through-{last.sequence}")
    return count
