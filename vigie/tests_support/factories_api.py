"""API tokens for tests, in any state, for any person (even one whose role allows no scope)."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone

from vigie.api.models import ApiToken


def api_token_for_tests(user, *, scopes=None, days: int = 30, revoked: bool = False, **fields):
    """A token of ``user`` written directly (the service's checks are tested with the service):
    expired with days <= 0, revoked with revoked=True."""
    secret = "vigie_" + secrets.token_urlsafe(32)
    now = timezone.now()
    return ApiToken.objects.create(
        user=user,
        name=fields.pop("name", "Test integration"),
        prefix=secret[:12],
        secret_hash=hashlib.sha256(secret.encode()).hexdigest(),
        scopes=list(scopes if scopes is not None else []),
        expires_at=now + timedelta(days=days),
        revoked_at=now if revoked else None,
        **fields,
    )
