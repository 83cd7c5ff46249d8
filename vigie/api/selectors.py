"""Reading a person's own API tokens."""

import uuid
from datetime import datetime

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vigie.audit.services import Actor

from .models import ApiToken


def api_tokens_for_user(*, actor: Actor) -> QuerySet[ApiToken]:
    """The person's tokens, newest first (the secret is never among what a list shows)."""
    if actor.user is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor.user).order_by("-created_at")


def api_token_get_for_user(*, actor: Actor, token_uuid: uuid.UUID) -> ApiToken:
    """One of the person's own tokens; anyone else's is a 404."""
    token = api_tokens_for_user(actor=actor).filter(uuid=token_uuid).first()
    if token is None:
        raise Http404
    return token


class TokenState(models.TextChoices):
    ACTIVE = "active", _("active")
    EXPIRED = "expired", _("expired")
    REVOKED = "revoked", _("revoked")


def api_token_state(token: ApiToken, *, now: datetime | None = None) -> TokenState:
    """Whether the token still opens the API, as the lists show it (revoked wins over expired:
    it says what the person did)."""
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at <= (now or timezone.now()):
        return TokenState.EXPIRED
    return TokenState.ACTIVE
