"""Referral services: who may refer, answer, record and revoke, and every refusal by name."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from vigie.audit.models import AuditAction, AuditEvent
from vigie.audit.services import Actor
from vigie.network.models import (
    ChildConsent,
    Notification,
    NotificationKind,
    Referral,
    ReferralStatus,
    ServiceRecord,
)
from vigie.network.services.consent import Consent
from vigie.network.services.referrals import (
    referral_accept,
    referral_create,
    referral_decline,
    referral_revoke,
    service_record,
)
from vigie.tests_support.factories import OrganisationFactory
from vigie.tests_support.factories_referrals import ReferralFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _consent(**changes) -> Consent:
    values = {
        "child_consent": ChildConsent.CONSENTED,
        "parents_consent": "informed",
        "recorded_on": TODAY(),
        "override_reason": "",
    } | changes
    return Consent(**values)


def _create(users, case, to, role="caseworker", **changes):
    arguments = {
        "actor": Actor(user=users[(role, "a")]),
        "case": case,
        "to_organisation": to,
        "service": "health",
        "sections": ["identity", "health"],
        "message": "Suivi médical.",
        "consent": _consent(),
        "expires_on": TODAY() + timedelta(days=90),
    } | changes
    return referral_create(**arguments)


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))


def _field_of(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


# --- Creating -----------------------------------------------------------------------------------


def test_a_caseworker_refers_a_child_with_consent(users, case_a, org_b):
    """Given consent recorded, when A's caseworker refers the child to B, then the referral
    is pending, ends at the end of the day chosen, is audited case first, and B's
    coordinators are notified with no child data."""
    expires_on = TODAY() + timedelta(days=90)
    referral = _create(users, case_a, org_b, expires_on=expires_on)

    assert referral.status == ReferralStatus.PENDING
    assert referral.from_organisation == case_a.organisation
    assert referral.sections == ["identity", "health"]
    local_end = timezone.localtime(referral.expires_at)
    assert local_end.date() == expires_on and local_end.hour == 23
    assert referral.override_by is None
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_CREATE)
    assert event.object_uuids == sorted([str(case_a.uuid), str(referral.uuid)])
    notified = Notification.objects.filter(kind=NotificationKind.REFERRAL_RECEIVED)
    assert {n.recipient for n in notified} == {users[("coordinator", "b")]}
    assert notified.get().counterpart == case_a.organisation.name
    assert str(referral.uuid) in notified.get().url


def test_a_referral_without_consent_or_override_is_refused(users, case_a, org_b):
    with pytest.raises(ValidationError) as error:
        _create(users, case_a, org_b, consent=_consent(child_consent="", parents_consent=""))
    assert {"child_consent", "parents_consent"} <= _field_of(error)
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.REFERRAL_CREATE).exists()


def test_an_override_by_a_caseworker_is_refused(users, case_a, org_b):
    consent = _consent(child_consent=ChildConsent.OVERRIDE, override_reason="Danger immédiat.")
    with pytest.raises(PermissionDenied):
        _create(users, case_a, org_b, consent=consent)
    assert not Referral.objects.exists()


def test_an_override_without_reason_is_refused(users, case_a, org_b):
    with pytest.raises(ValidationError) as error:
        _create(
            users,
            case_a,
            org_b,
            role="coordinator",
            consent=_consent(child_consent=ChildConsent.OVERRIDE, override_reason="  "),
        )
    assert "override_reason" in _field_of(error)
    assert not Referral.objects.exists()


def test_a_coordinators_override_with_a_reason_is_recorded_and_audited(users, case_a, org_b):
    consent = _consent(child_consent=ChildConsent.OVERRIDE, override_reason="Danger immédiat.")
    referral = _create(users, case_a, org_b, role="coordinator", consent=consent)

    assert referral.override_by == users[("coordinator", "a")]
    assert referral.override_reason == "Danger immédiat."
    assert _actions()[-2:] == [AuditAction.REFERRAL_CREATE, AuditAction.REFERRAL_CONSENT_OVERRIDE]
    # The reason is encrypted with the referral, never in the audit trail.
    assert "Danger" not in str(list(AuditEvent.objects.values()))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sections": []}, "sections"),
        ({"sections": ["identity", "bank_details"]}, "sections"),
        ({"service": "hotel"}, "service"),
        ({"expires_on": TODAY()}, "expires_on"),
        ({"expires_on": TODAY() + timedelta(days=366)}, "expires_on"),
    ],
    ids=["no-section", "unknown-section", "unknown-service", "expiry-today", "over-a-year"],
)
def test_invalid_requests_are_refused_by_field(users, case_a, org_b, changes, field):
    with pytest.raises(ValidationError) as error:
        _create(users, case_a, org_b, **changes)
    assert field in _field_of(error)
    assert not Referral.objects.exists()


def test_the_recipient_must_be_another_active_organisation(users, case_a, org_a):
    with pytest.raises(ValidationError) as error:
        _create(users, case_a, org_a)
    assert "to_organisation" in _field_of(error)
    closed = OrganisationFactory(name="Closed association", is_active=False)
    with pytest.raises(ValidationError) as error:
        _create(users, case_a, closed)
    assert "to_organisation" in _field_of(error)


def test_a_closed_file_is_not_referred(users, case_a, org_b):
    case_a.status = "closed"
    case_a.save()
    with pytest.raises(ValidationError) as error:
        _create(users, case_a, org_b)
    assert "case" in _field_of(error)


@pytest.mark.parametrize("role", ["org_admin", "analyst"])
def test_roles_without_referral_rights_cannot_refer(users, case_a, org_b, role):
    with pytest.raises(PermissionDenied):
        _create(users, case_a, org_b, role=role)


def test_another_organisations_case_cannot_be_referred(users, case_b, org_a):
    with pytest.raises(PermissionDenied):
        _create(users, case_b, org_a)


# --- Answering and following ---------------------------------------------------------------------


@pytest.fixture
def received(users, case_a, org_b):
    """A pending referral of A's case to B, created by A's caseworker."""
    return ReferralFactory(
        case=case_a, to_organisation=org_b, created_by=users[("caseworker", "a")]
    )


def test_the_recipient_accepts_and_the_referrer_is_notified(users, received):
    referral = referral_accept(actor=Actor(user=users[("caseworker", "b")]), referral=received)

    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decided_by == users[("caseworker", "b")]
    assert referral.decided_at is not None
    assert _actions()[-1] == AuditAction.REFERRAL_ACCEPT
    notification = Notification.objects.get(kind=NotificationKind.REFERRAL_ACCEPTED)
    assert notification.recipient == users[("caseworker", "a")]


def test_the_referrer_cannot_answer_its_own_referral(users, received):
    with pytest.raises(PermissionDenied):
        referral_accept(actor=Actor(user=users[("coordinator", "a")]), referral=received)


def test_declining_needs_a_reason(users, received):
    actor = Actor(user=users[("caseworker", "b")])
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=actor, referral=received, reason=" ")
    assert "reason" in _field_of(error)

    referral = referral_decline(actor=actor, referral=received, reason="Pas de place.")
    assert referral.status == ReferralStatus.DECLINED
    assert referral.decline_reason == "Pas de place."
    assert Notification.objects.filter(kind=NotificationKind.REFERRAL_DECLINED).exists()


def test_an_answered_or_expired_referral_cannot_be_answered(users, received):
    actor = Actor(user=users[("caseworker", "b")])
    referral_accept(actor=actor, referral=received)
    with pytest.raises(ValidationError) as error:
        referral_decline(actor=actor, referral=received, reason="Finalement non.")
    assert "status" in _field_of(error)

    expired = ReferralFactory(
        case=received.case,
        to_organisation=received.to_organisation,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    with pytest.raises(ValidationError):
        referral_accept(actor=actor, referral=expired)


def test_a_service_is_recorded_once_accepted(users, received):
    actor = Actor(user=users[("caseworker", "b")])
    with pytest.raises(ValidationError) as error:
        service_record(actor=actor, referral=received, delivered_on=TODAY(), description="Vu.")
    assert "status" in _field_of(error)

    referral_accept(actor=actor, referral=received)
    with pytest.raises(ValidationError) as error:
        service_record(
            actor=actor,
            referral=received,
            delivered_on=TODAY() + timedelta(days=1),
            description="x",
        )
    assert "delivered_on" in _field_of(error)
    with pytest.raises(ValidationError) as error:
        service_record(actor=actor, referral=received, delivered_on=TODAY(), description=" ")
    assert "description" in _field_of(error)

    record = service_record(
        actor=actor, referral=received, delivered_on=TODAY(), description="Consultation."
    )
    assert ServiceRecord.objects.get() == record
    event = AuditEvent.objects.get(action=AuditAction.REFERRAL_SERVICE_RECORD)
    assert str(received.case.uuid) in event.object_uuids
    assert Notification.objects.filter(kind=NotificationKind.SERVICE_RECORDED).exists()


def test_the_referrer_revokes_and_the_recipient_is_told(users, received):
    with pytest.raises(PermissionDenied):
        referral_revoke(actor=Actor(user=users[("caseworker", "b")]), referral=received)

    referral = referral_revoke(actor=Actor(user=users[("caseworker", "a")]), referral=received)

    assert referral.status == ReferralStatus.REVOKED
    assert referral.revoked_by == users[("caseworker", "a")]
    assert not referral.is_readable
    assert _actions()[-1] == AuditAction.REFERRAL_REVOKE
    notified = Notification.objects.get(kind=NotificationKind.REFERRAL_REVOKED)
    assert notified.recipient == users[("coordinator", "b")]
    with pytest.raises(ValidationError):
        referral_revoke(actor=Actor(user=users[("caseworker", "a")]), referral=received)


def test_a_declined_referral_cannot_be_revoked(users, received):
    referral_decline(actor=Actor(user=users[("caseworker", "b")]), referral=received, reason="Non.")
    with pytest.raises(ValidationError) as error:
        referral_revoke(actor=Actor(user=users[("caseworker", "a")]), referral=received)
    assert "status" in _field_of(error)
