"""Everything that changes organisations, accounts and their credentials."""

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.http import signed_in_user

from .models import BackupCode, BackupCodeDevice, Organisation, User, normalise_backup_code
from .roles import Role
from .sessions import sessions_end_all

if TYPE_CHECKING:
    from django.http import HttpRequest

BACKUP_CODE_COUNT = 10
# 10 characters from a 32-symbol alphabet: 50 bits each, beyond reach of online guessing.
_BACKUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, departements: Sequence[str] = (), actor: Actor | None = None
) -> Organisation:
    if kind not in Organisation.Kind.values:
        raise ValidationError({"kind": _("Unknown organisation kind: %(kind)s") % {"kind": kind}})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("An organisation with this name already exists.")})
    organisation = Organisation.objects.create(
        name=name, kind=kind, departements=list(departements)
    )
    audit_record(actor=actor, action=AuditAction.ORGANISATION_CREATE, objects=[organisation])
    return organisation


@transaction.atomic
def user_create(
    *,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation | None,
    password: str | None,
    actor: Actor | None = None,
) -> User:
    """Create an account. Without a password, the account can only be used after set-up by link."""
    errors: dict[str, Any] = {}
    if role not in Role.values:
        errors["role"] = _("Unknown role: %(role)s") % {"role": role}
    if role != Role.PLATFORM_ADMIN and organisation is None:
        errors["organisation"] = _("This role requires an organisation.")
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = _("An account with this email address already exists.")
    candidate = User(email=email.lower(), full_name=full_name, role=role, organisation=organisation)
    if password is not None:
        try:
            validate_password(password, user=candidate)
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    candidate.save()
    audit_record(actor=actor, action=AuditAction.USER_CREATE, objects=[candidate])
    return candidate


@transaction.atomic
def user_disable(*, user: User, actor: Actor | None = None) -> User:
    user.is_active = False
    user.disabled_at = timezone.now()
    user.credentials_changed_at = timezone.now()
    user.save(update_fields=["is_active", "disabled_at", "credentials_changed_at", "updated_at"])
    sessions_end_all(user=user)
    audit_record(actor=actor, action=AuditAction.USER_DISABLE, objects=[user])
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str, actor: Actor | None = None) -> None:
    validate_password(password, user=user)
    user.set_password(password)
    user.credentials_changed_at = timezone.now()
    user.save(update_fields=["password", "credentials_changed_at", "updated_at"])
    sessions_end_all(user=user)
    audit_record(actor=actor, action=AuditAction.CREDENTIALS_CHANGE, objects=[user])


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for enrolment; replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def totp_device_confirm(
    *, user: User, device: TOTPDevice, token: str, actor: Actor | None = None
) -> list[str] | None:
    """Confirm enrolment with a first code; returns the new backup codes, or None if wrong."""
    if device.user_id != user.pk or not device.verify_token(token):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_regenerate(user=user)
    user.credentials_changed_at = timezone.now()
    user.save(update_fields=["credentials_changed_at", "updated_at"])
    audit_record(actor=actor, action=AuditAction.CREDENTIALS_CHANGE, objects=[user])
    return codes


@transaction.atomic
def backup_codes_regenerate(*, user: User, actor: Actor | None = None) -> list[str]:
    """New one-time backup codes; earlier ones stop working. Shown once, stored hashed.

    With an ``actor`` (the person asked for new codes) the change is audited; during enrolment
    the enclosing credentials change is.
    """
    device, _created = BackupCodeDevice.objects.get_or_create(
        user=user, defaults={"name": "backup", "confirmed": True}
    )
    device.codes.all().delete()
    codes = [
        "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(10))
        for _ in range(BACKUP_CODE_COUNT)
    ]
    BackupCode.objects.bulk_create(
        BackupCode(device=device, code_hash=make_password(normalise_backup_code(code)))
        for code in codes
    )
    if actor is not None:
        audit_record(actor=actor, action=AuditAction.CREDENTIALS_CHANGE, objects=[user])
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def totp_demo_device_ensure(*, user: User, key_hex: str) -> TOTPDevice:
    """Demo accounts are enrolled with a known secret so that `make run` can print it."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name="TOTP", defaults={"key": key_hex, "confirmed": True}
    )
    return device


def otp_code_allowed() -> bool:
    return bool(getattr(settings, "VIGIE_ALLOW_OTP_CODE_COMMAND", False))


def sessions_end_all_but_current(request: "HttpRequest") -> None:
    from django.contrib.sessions.models import Session

    from .models import UserSession

    others = UserSession.objects.filter(user=signed_in_user(request)).exclude(
        session_key=request.session.session_key
    )
    Session.objects.filter(session_key__in=others.values("session_key")).delete()
    others.delete()


def set_password_link_send(*, user: User) -> str:
    """Email a one-time link to choose a password (Django's reset tokens: single use, expiring)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "accounts:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = settings.VIGIE_BASE_URL.rstrip("/") + path
    send_mail(
        subject=_("Your Vigie account"),
        message=_(
            "An account has been created for you on Vigie. Choose your password here "
            "(the link works once, for %(days)s days): %(link)s"
        )
        % {"days": settings.PASSWORD_RESET_TIMEOUT // 86400, "link": link},
        from_email=None,
        recipient_list=[user.email],
    )
    return link


def _credentials_changed_keep_this_session(*, request: "HttpRequest", actor: Actor | None) -> None:
    """A second factor was added or removed: every other session ends, this one goes on."""
    from .sessions import LOGIN_AT_KEY

    user = signed_in_user(request)
    now = timezone.now()
    user.credentials_changed_at = now
    user.save(update_fields=["credentials_changed_at", "updated_at"])
    sessions_end_all_but_current(request)
    request.session[LOGIN_AT_KEY] = timezone.now().isoformat()
    audit_record(actor=actor, action=AuditAction.CREDENTIALS_CHANGE, objects=[user])


@transaction.atomic
def security_key_added(*, request: "HttpRequest", actor: Actor | None) -> None:
    _credentials_changed_keep_this_session(request=request, actor=actor)


@transaction.atomic
def security_key_remove(*, request: "HttpRequest", credential_id: int, actor: Actor | None) -> bool:
    from django_otp_webauthn.models import WebAuthnCredential

    deleted, _by_model = WebAuthnCredential.objects.filter(
        user=signed_in_user(request), pk=credential_id
    ).delete()
    if deleted:
        _credentials_changed_keep_this_session(request=request, actor=actor)
    return bool(deleted)
