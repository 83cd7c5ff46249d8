"""Referrals: a child referred to another organisation for a service, with chosen sections of the
file shared (shared professional secrecy, CASF art. L.226-2-2), the young person's consent or a
coordinator's written override recorded, and the recipient's answer and services followed.

Every public function checks who may act (PermissionDenied), then what is sent (ValidationError
naming the field), writes, audits with the case first (so that the event is in the child's access
log) and notifies the other organisation. Notifications carry no child data (services/
notifications.py).
"""

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import ACTIVE_STATUSES, Case

from ..models import (
    ChildConsent,
    FileSection,
    Need,
    NotificationKind,
    Referral,
    ReferralStatus,
    ServiceRecord,
)
from .consent import Consent, consent_apply, consent_check
from .notifications import notify_organisation, notify_users

# A share is kept short: it is renewed, with a fresh consent, rather than left open (the CNIL's
# minimisation principle). A year at most; the form proposes three months.
MAX_DURATION_DAYS = 365
DEFAULT_DURATION_DAYS = 90
# Who dispatches an incoming referral in the recipient organisation: its coordinators.
DISPATCHERS = Permission.CONSENT_OVERRIDE


def _manager(actor: Actor) -> User:
    user = actor.user
    if user is None or user.organisation_id is None:
        raise PermissionDenied
    if not user.has_vigie_permission(Permission.REFERRAL_MANAGE):
        raise PermissionDenied
    return user


def _recipient(actor: Actor, referral: Referral) -> User:
    user = _manager(actor)
    if user.organisation_id != referral.to_organisation_id:
        raise PermissionDenied
    return user


def _referrer(actor: Actor, referral: Referral) -> User:
    """The organisation holding the file decides who reads it (after a transfer, the new one)."""
    user = _manager(actor)
    if user.organisation_id != referral.case.organisation_id:
        raise PermissionDenied
    return user


def _locked(referral: Referral) -> Referral:
    """Read again under lock: an answer and a revocation must not cross."""
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("case__organisation", "from_organisation", "to_organisation", "created_by")
        .get(pk=referral.pk)
    )
    return locked


def _detail_url(referral: Referral) -> str:
    return reverse("network:referral_detail", kwargs={"referral_uuid": referral.uuid})


def referral_end_of(day: date) -> datetime:
    """Access ends at the end of the day chosen, in Vigie's time zone."""
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _check_request(
    *,
    user: User,
    case: Case,
    to_organisation: Organisation,
    service: str,
    sections: Iterable[str],
    expires_on: date,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    chosen = list(sections)
    if case.status not in ACTIVE_STATUSES:
        errors["case"] = _("Only a file being worked on can be referred.")
    if not chosen:
        errors["sections"] = _("Choose at least one section: only what the service needs.")
    elif any(section not in FileSection.values for section in chosen):
        errors["sections"] = _("Unknown section of the file.")
    if service not in Need.values:
        errors["service"] = _("Unknown service.")
    if to_organisation.pk == user.organisation_id:
        errors["to_organisation"] = _("Refer the child to another organisation.")
    elif not to_organisation.is_active:
        errors["to_organisation"] = _("This organisation no longer uses Vigie.")
    today = timezone.localdate()
    if expires_on <= today:
        errors["expires_on"] = _("Access must end after today.")
    elif expires_on > today + timedelta(days=MAX_DURATION_DAYS):
        errors["expires_on"] = _("Access cannot last more than a year; renew it later.")
    return errors


@transaction.atomic
def referral_create(
    *,
    actor: Actor,
    case: Case,
    to_organisation: Organisation,
    service: str,
    sections: Iterable[str],
    message: str,
    consent: Consent,
    expires_on: date,
) -> Referral:
    """Refer the child of ``case`` (from case_get_for_user) to ``to_organisation``.

    Refused without the young person's consent or prior information, or a coordinator's override
    with a written reason (consent_check): the server never shares a file without one.
    """
    user = _manager(actor)
    if case.organisation_id != user.organisation_id:
        raise PermissionDenied
    chosen = list(dict.fromkeys(sections))
    errors = _check_request(
        user=user,
        case=case,
        to_organisation=to_organisation,
        service=service,
        sections=chosen,
        expires_on=expires_on,
    )
    try:
        # Raises PermissionDenied at once for an override by someone who may not decide one.
        consent_check(actor=actor, consent=consent)
    except ValidationError as error:
        errors |= {field: messages[0] for field, messages in error.message_dict.items()}
    if errors:
        raise ValidationError(errors)

    referral = Referral(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=to_organisation,
        service=service,
        sections=[s for s in FileSection.values if s in chosen],
        message=message.strip(),
        expires_at=referral_end_of(expires_on),
        created_by=user,
    )
    consent_apply(actor=actor, consent=consent, target=referral)
    referral.save()
    audit_record(actor=actor, action=AuditAction.REFERRAL_CREATE, objects=[case, referral])
    if referral.child_consent == ChildConsent.OVERRIDE:
        audit_record(
            actor=actor, action=AuditAction.REFERRAL_CONSENT_OVERRIDE, objects=[case, referral]
        )
    notify_organisation(
        organisation=to_organisation,
        permission=DISPATCHERS,
        kind=NotificationKind.REFERRAL_RECEIVED,
        counterpart=case.organisation.name,
        url=_detail_url(referral),
    )
    return referral


def _answerable(referral: Referral) -> None:
    if referral.status != ReferralStatus.PENDING:
        raise ValidationError({"status": _("This referral has already been answered.")})
    if referral.is_expired:
        raise ValidationError({"status": _("This referral has expired.")})


def _notify_creator(referral: Referral, kind: str) -> None:
    if referral.created_by is not None:
        notify_users(
            users=[referral.created_by],
            kind=kind,
            counterpart=referral.to_organisation.name,
            url=_detail_url(referral),
        )


@transaction.atomic
def referral_accept(*, actor: Actor, referral: Referral) -> Referral:
    user = _recipient(actor, referral)
    referral = _locked(referral)
    _answerable(referral)
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_at = timezone.now()
    referral.decided_by = user
    referral.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.REFERRAL_ACCEPT, objects=[referral.case, referral])
    _notify_creator(referral, NotificationKind.REFERRAL_ACCEPTED)
    return referral


@transaction.atomic
def referral_decline(*, actor: Actor, referral: Referral, reason: str) -> Referral:
    """The reason is required: the referring worker must know where to turn next."""
    user = _recipient(actor, referral)
    referral = _locked(referral)
    _answerable(referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so that the child is referred elsewhere.")})
    referral.status = ReferralStatus.DECLINED
    referral.decided_at = timezone.now()
    referral.decided_by = user
    referral.decline_reason = reason.strip()
    referral.save(
        update_fields=["status", "decided_at", "decided_by", "decline_reason", "updated_at"]
    )
    audit_record(
        actor=actor, action=AuditAction.REFERRAL_DECLINE, objects=[referral.case, referral]
    )
    _notify_creator(referral, NotificationKind.REFERRAL_DECLINED)
    return referral


@transaction.atomic
def service_record(
    *, actor: Actor, referral: Referral, delivered_on: date, description: str
) -> ServiceRecord:
    """What the recipient did for the child, for the referrer to follow."""
    user = _recipient(actor, referral)
    referral = _locked(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"status": _("Accept the referral before recording a service.")})
    if referral.is_expired:
        raise ValidationError({"status": _("This referral has expired.")})
    if delivered_on > timezone.localdate():
        raise ValidationError({"delivered_on": _("This date is in the future.")})
    if delivered_on < timezone.localdate(referral.created_at):
        raise ValidationError({"delivered_on": _("This date is before the referral.")})
    if not description.strip():
        raise ValidationError({"description": _("Describe the service delivered.")})
    record = ServiceRecord.objects.create(
        referral=referral,
        delivered_on=delivered_on,
        description=description.strip(),
        created_by=user,
    )
    audit_record(
        actor=actor,
        action=AuditAction.REFERRAL_SERVICE_RECORD,
        objects=[referral.case, referral, record],
    )
    _notify_creator(referral, NotificationKind.SERVICE_RECORDED)
    return record


@transaction.atomic
def referral_revoke(*, actor: Actor, referral: Referral) -> Referral:
    """Access ends at once: the recipient's selectors read the status on every request."""
    user = _referrer(actor, referral)
    referral = _locked(referral)
    if referral.status not in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED):
        raise ValidationError({"status": _("Only a pending or accepted referral can be revoked.")})
    referral.status = ReferralStatus.REVOKED
    referral.revoked_at = timezone.now()
    referral.revoked_by = user
    referral.save(update_fields=["status", "revoked_at", "revoked_by", "updated_at"])
    audit_record(actor=actor, action=AuditAction.REFERRAL_REVOKE, objects=[referral.case, referral])
    notify_organisation(
        organisation=referral.to_organisation,
        permission=DISPATCHERS,
        kind=NotificationKind.REFERRAL_REVOKED,
        counterpart=referral.case.organisation.name,
        # The referral's page is closed to them now: their list says it was revoked.
        url=reverse("network:referrals"),
    )
    return referral
