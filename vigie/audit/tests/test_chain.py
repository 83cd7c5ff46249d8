"""The audit trail is append-only and tamper-evident (CNIL 2021 logging recommendation, ASVS 16).

Given events recorded through the services, when someone with raw database access edits, deletes
or re-indexes rows, then `vigie audit verify` reports it. The database triggers that refuse such
writes are dropped (SQLite) or disabled (PostgreSQL) inside the test's own transaction to play
that attacker; the test transaction's rollback restores them.
"""

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from vigie.audit.models import (
    AuditAction,
    AuditChainHead,
    AuditEvent,
    AuditEventSubject,
    AuditPurgePermit,
)
from vigie.audit.services import Actor, audit_purge, audit_record, audit_verify
from vigie.cases.services import case_note_add, case_open

pytestmark = pytest.mark.django_db

APPEND_ONLY_TABLES = ("audit_auditevent", "audit_auditeventsubject")


def act_as_database_attacker() -> None:
    """Remove the append-only triggers, as someone holding the database owner's password could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in APPEND_ONLY_TABLES:
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            else:
                cursor.execute(f"DROP TRIGGER {table}_no_update")
                cursor.execute(f"DROP TRIGGER {table}_no_delete")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditchainhead DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditchainhead_forward_only")
            cursor.execute("DROP TRIGGER audit_auditchainhead_no_delete")


def record_events(count: int, *, actor: Actor | None = None) -> list[AuditEvent]:
    return [
        audit_record(
            actor=actor,
            action=AuditAction.CASE_VIEW,
            object_uuids=[uuid.uuid4()],
            reason_code=f"test-{n}",
        )
        for n in range(count)
    ]


def verify_command_fails() -> str:
    """Run `vigie audit verify`, expect it to refuse, and return what it printed."""
    stderr = StringIO()
    with pytest.raises(CommandError, match="tampered"):
        call_command("audit", "verify", stdout=StringIO(), stderr=stderr)
    return stderr.getvalue()


@pytest.fixture
def actor(users):
    return Actor(user=users[("caseworker", "a")], ip_address="203.0.113.7")


# --- An untouched chain ---------------------------------------------------------------------


def test_an_intact_chain_verifies(actor):
    events = record_events(5, actor=actor)

    assert audit_verify() == []
    stdout = StringIO()
    call_command("audit", "verify", stdout=stdout, stderr=StringIO())
    assert "Audit trail intact" in stdout.getvalue()
    # The chain links each event to its predecessor.
    assert [e.sequence for e in events] == list(range(1, 6))
    assert all(b.previous_hash == a.hash for a, b in itertools.pairwise(events))


def test_events_carry_who_and_what_as_identifiers(actor):
    subject = uuid.uuid4()
    event = audit_record(actor=actor, action=AuditAction.CASE_VIEW, object_uuids=[subject])

    event.refresh_from_db()
    assert event.actor_uuid == actor.user.uuid
    assert event.organisation_uuid == actor.user.organisation.uuid
    assert event.role == "caseworker"
    assert event.ip_address == "203.0.113.7"
    assert event.object_uuids == [str(subject)]
    indexed = AuditEventSubject.objects.filter(event=event).values_list("object_uuid", flat=True)
    assert list(indexed) == [subject]


# --- The database itself refuses changes ------------------------------------------------------


def test_the_database_refuses_to_update_an_event():
    event = record_events(1)[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(role="coordinator")

    event.refresh_from_db()
    assert event.role == "system"


def test_the_database_refuses_to_delete_an_event():
    event = record_events(1)[0]

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert audit_verify() == []


def test_the_database_refuses_to_change_the_subject_index():
    event = record_events(1)[0]
    subject = AuditEventSubject.objects.get(event=event)

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEventSubject.objects.filter(pk=subject.pk).update(object_uuid=uuid.uuid4())
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEventSubject.objects.filter(pk=subject.pk).delete()

    assert AuditEventSubject.objects.get(pk=subject.pk).object_uuid == subject.object_uuid


# --- Tampering by someone who bypasses the triggers is detected --------------------------------


def test_an_edited_event_is_detected():
    events = record_events(4)
    act_as_database_attacker()

    AuditEvent.objects.filter(pk=events[1].pk).update(role="coordinator")

    problems = audit_verify()
    assert [(p.sequence, p.problem) for p in problems] == [
        (events[1].sequence, "content does not match its hash")
    ]
    assert f"event #{events[1].sequence}: content does not match its hash" in (
        verify_command_fails()
    )


def test_the_chain_head_cannot_be_rewound_or_deleted():
    """Hiding the newest events would need the head moved back: the database refuses."""
    record_events(3)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(last_sequence=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(last_hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).delete()
    assert AuditChainHead.objects.get(pk=1).last_sequence == 3
    assert audit_verify() == []


def test_an_edited_event_with_a_recomputed_plain_hash_is_detected():
    """Without the chain key, a forger cannot produce a hash that verifies."""
    import hashlib

    events = record_events(3)
    act_as_database_attacker()
    forged = hashlib.sha256(b"forged").hexdigest()
    AuditEvent.objects.filter(pk=events[2].pk).update(reason_code="nothing-to-see", hash=forged)
    AuditChainHead.objects.filter(pk=1).update(last_hash=forged)

    problems = audit_verify()
    assert (events[2].sequence, "content does not match its hash") in [
        (p.sequence, p.problem) for p in problems
    ]
    verify_command_fails()


def test_a_deleted_event_in_the_middle_is_detected():
    events = record_events(5)
    act_as_database_attacker()

    AuditEvent.objects.filter(pk=events[2].pk).delete()

    problems = [(p.sequence, p.problem) for p in audit_verify()]
    assert (events[2].sequence, f"missing events up to #{events[2].sequence}") in problems
    assert (events[3].sequence, "link to the previous event is broken") in problems
    assert "missing events" in verify_command_fails()


def test_a_deleted_newest_event_is_detected():
    events = record_events(3)
    act_as_database_attacker()

    AuditEvent.objects.filter(pk=events[-1].pk).delete()

    problems = [(p.sequence, p.problem) for p in audit_verify()]
    assert problems == [(events[-1].sequence, "the newest events are missing")]
    assert "the newest events are missing" in verify_command_fails()


def test_a_subject_added_to_the_index_is_detected():
    """Inserting is allowed by the triggers (it is how events are written): the chain catches it."""
    events = record_events(3)

    AuditEventSubject.objects.create(event=events[1], object_uuid=uuid.uuid4())

    problems = [(p.sequence, p.problem) for p in audit_verify()]
    assert problems == [(events[1].sequence, "subject index does not match the event")]
    assert "subject index does not match" in verify_command_fails()


def test_a_subject_removed_from_the_index_is_detected():
    events = record_events(3)
    act_as_database_attacker()

    AuditEventSubject.objects.filter(event=events[0]).delete()

    problems = [(p.sequence, p.problem) for p in audit_verify()]
    assert problems == [(events[0].sequence, "subject index does not match the event")]
    verify_command_fails()


# --- Retention ------------------------------------------------------------------------------


def test_purge_removes_expired_events_and_keeps_the_chain_verifiable():
    now = timezone.now()
    old_moment = now - settings.AUDIT_RETENTION - timedelta(days=2)
    recent_moment = now - settings.AUDIT_RETENTION + timedelta(days=2)
    with time_machine.travel(old_moment, tick=False):
        expired = record_events(3)
    with time_machine.travel(recent_moment, tick=False):
        kept_old = record_events(2)
    kept_new = record_events(2)

    stdout = StringIO()
    call_command("audit", "purge", stdout=stdout)

    assert "Purged 3 expired audit events" in stdout.getvalue()
    remaining = list(AuditEvent.objects.order_by("sequence"))
    assert [e.pk for e in remaining[:-1]] == [e.pk for e in kept_old + kept_new]
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in expired]).exists()
    assert not AuditEventSubject.objects.filter(event_id__in=[e.pk for e in expired]).exists()
    purge_event = remaining[-1]
    assert purge_event.action == AuditAction.AUDIT_PURGE
    assert purge_event.reason_code == f"through-{expired[-1].sequence}"
    assert purge_event.role == "system"
    assert audit_verify() == []
    call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())
    # The permission to delete lasted only for the purge's transaction.
    assert not AuditPurgePermit.objects.exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=kept_old[0].pk).delete()


def test_purge_with_nothing_expired_deletes_nothing_but_records_that_it_ran():
    events = record_events(2)

    assert audit_purge() == 0

    assert set(AuditEvent.objects.exclude(action=AuditAction.AUDIT_PURGE)) == set(events)
    run = AuditEvent.objects.get(action=AuditAction.AUDIT_PURGE)
    assert run.reason_code == "nothing-expired"
    assert audit_verify() == []


def test_tampering_after_a_purge_is_still_detected():
    with time_machine.travel(datetime(2020, 1, 1, 12, tzinfo=UTC), tick=False):
        record_events(2)
    kept = record_events(3)
    assert audit_purge() == 2
    act_as_database_attacker()

    # Deleting the oldest surviving event looks like a purge that never happened.
    AuditEvent.objects.filter(pk=kept[0].pk).delete()

    problems = [(p.sequence, p.problem) for p in audit_verify()]
    assert (kept[0].sequence, f"missing events up to #{kept[0].sequence}") in problems


# --- Pseudonymous content ---------------------------------------------------------------------


def test_no_name_or_free_text_reaches_the_audit_trail(users):
    caseworker = users[("caseworker", "a")]
    sentinel = f"Sentinel{uuid.uuid4().hex}"
    actor = Actor(user=caseworker, ip_address="198.51.100.4")

    case = case_open(
        actor=actor,
        first_name=f"{sentinel}First",
        last_name=f"{sentinel}Last",
        aliases=f"{sentinel}Alias",
        nationality="ng",
    )
    case_note_add(actor=actor, case=case, text=f"Note mentioning {sentinel}")

    rows = list(AuditEvent.objects.values()) + list(AuditEventSubject.objects.values())
    assert {row["action"] for row in rows if "action" in row} >= {
        AuditAction.CASE_CREATE,
        AuditAction.CASE_NOTE_ADD,
    }
    for row in rows:
        for value in row.values():
            text = str(value)
            assert sentinel not in text
            assert caseworker.full_name not in text
            assert caseworker.email not in text
    # The events still say which case they concern, by UUID.
    created = AuditEvent.objects.get(action=AuditAction.CASE_CREATE)
    assert created.object_uuids == [str(case.uuid)]
