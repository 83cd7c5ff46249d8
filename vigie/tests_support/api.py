"""API clients for tests: a personal token for a person, and a client that sends it."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from vigie.api.scopes import ApiScope, scopes_available_to
from vigie.api.services import api_token_create
from vigie.audit.services import Actor


def token_for(user, scopes=None, days: int = 30, name: str = "Test integration"):
    """(token, secret) for ``user``; every scope their role allows unless ``scopes`` is given."""
    chosen = scopes if scopes is not None else scopes_available_to(user)
    created = api_token_create(
        actor=Actor(user=None),
        user=user,
        name=name,
        scopes=[ApiScope(s) for s in chosen],
        expires_on=timezone.now() + timedelta(days=days),
    )
    return created.token, created.secret


def api_client(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def api_client_for(user, scopes=None) -> Client:
    return api_client(token_for(user, scopes)[1])


def without_tokens(object_uuids) -> list[str]:
    """An audit event's subjects but the API tokens (every event written through the API also
    names its token: see vigie.api.routing)."""
    from vigie.api.models import ApiToken

    tokens = {str(u) for u in ApiToken.objects.values_list("uuid", flat=True)}
    return [u for u in object_uuids if u not in tokens]
