"""Creating, revoking and checking personal API tokens."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record

from .models import ApiToken
from .scopes import ApiScope, scopes_available_to

# Recognisable in logs and by secret scanners; the rest is 256 random bits.
# A public marker, not a secret.
TOKEN_PREFIX = "vigie_"  # noqa: S105  # nosec B105
_PREFIX_SHOWN = len(TOKEN_PREFIX) + 6
# last_used_at is written at most this often: a busy integration must not write on every call.
_LAST_USED_WRITE_INTERVAL = timedelta(minutes=1)


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _max_days() -> int:
    return int(getattr(settings, "VIGIE_API_TOKEN_MAX_DAYS", 365))


@dataclass(frozen=True)
class CreatedToken:
    token: ApiToken
    # Shown once, to the person who created it; never stored.
    secret: str


@transaction.atomic
def api_token_create(
    *,
    actor: Actor,
    user: User,
    name: str,
    scopes: Sequence[str],
    expires_on: datetime,
) -> CreatedToken:
    """A new token for ``user``: created by the person themselves (after re-authentication, which
    the page checks) or provisioned from the command line (``actor`` without a user)."""
    if actor.user is not None and actor.user.pk != user.pk:
        raise PermissionDenied
    if not user.is_active:
        raise ValidationError({"user": _("This account is disabled.")})
    errors: dict[str, str] = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Give the token a name that says which system uses it.")
    elif len(name) > 100:
        errors["name"] = _("The name is at most 100 characters long.")
    chosen = list(dict.fromkeys(scopes))
    unknown = [s for s in chosen if s not in ApiScope.values]
    refused = [s for s in chosen if s in ApiScope.values and s not in scopes_available_to(user)]
    if not chosen:
        errors["scopes"] = _("Choose at least one scope.")
    elif unknown:
        errors["scopes"] = _("Unknown scope: %(scopes)s") % {"scopes": ", ".join(unknown)}
    elif refused:
        errors["scopes"] = _("This person's role does not allow: %(scopes)s") % {
            "scopes": ", ".join(refused)
        }
    now = timezone.now()
    if expires_on <= now:
        errors["expires_on"] = _("The expiry date must be in the future.")
    elif expires_on > now + timedelta(days=_max_days()):
        errors["expires_on"] = _("A token lasts at most %(days)s days.") % {"days": _max_days()}
    if errors:
        raise ValidationError(errors)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        created_by=actor.user,
        name=name,
        prefix=secret[:_PREFIX_SHOWN],
        secret_hash=_secret_hash(secret),
        scopes=[s for s in ApiScope.values if s in chosen],
        expires_at=expires_on,
    )
    audit_record(actor=actor, action=AuditAction.API_TOKEN_CREATE, objects=[token])
    return CreatedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the person's own tokens (``token`` from api_token_get_for_user)."""
    if actor.user is not None and actor.user.pk != token.user_id:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.API_TOKEN_REVOKE, objects=[token])
    return token


def api_token_authenticate(*, secret: str, ip_address: str | None) -> ApiToken | None:
    """The live token this secret opens, or None (unknown, revoked, expired, account disabled).

    The lookup is by hash, an exact match on a unique index: no comparison of secrets in
    Python, so nothing to time.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__organisation")
        .filter(secret_hash=_secret_hash(secret))
        .first()
    )
    now = timezone.now()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_WRITE_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip_address)
        token.last_used_at = now
        token.last_used_ip = ip_address
    return token
