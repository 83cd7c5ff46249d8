"""Who calls the API: a personal token in ``Authorization: Bearer …``, and what it may reach.

Every operation declares its scope through ``token(scope)``; an operation that declares none
cannot be registered (``vigie.api.routing.ScopedRouter``). Sessions never open the API: a page's
cookie in a browser cannot be used by a script on another site to call it (no CSRF surface).
"""

from typing import Any, cast

from django.http import HttpRequest
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer

from vigie.accounts.sessions import client_ip
from vigie.audit.services import Actor

from .models import ApiToken
from .scopes import SCOPE_PERMISSION, ApiScope, scopes_granted
from .services import api_token_authenticate


class InsufficientScope(AuthorizationError):
    def __init__(self, scope: str) -> None:
        super().__init__(403, scope)
        self.scope = scope


class TokenAuth(HttpBearer):
    def __init__(self, scope: ApiScope) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = api_token_authenticate(secret=token, ip_address=client_ip(request))
        if found is None:
            raise AuthenticationError
        if self.scope not in scopes_granted(found.scopes):
            raise InsufficientScope(self.scope)
        # The role may have changed since the token was made: it never grants more than the
        # person's permissions of today (the services check them again where they write).
        if not found.user.has_vigie_permission(SCOPE_PERMISSION[self.scope]):
            raise InsufficientScope(self.scope)
        # The services and selectors read the person from the actor; request.user is set too so
        # that nothing downstream ever sees the anonymous user of a cookie-less request.
        request.user = found.user
        return found

    def __call__(self, request: HttpRequest) -> Any:
        result = super().__call__(request)
        if result is None:
            # No "Authorization: Bearer" header at all: the same 401 as a wrong token.
            raise AuthenticationError
        return result


def token(scope: ApiScope) -> TokenAuth:
    return TokenAuth(scope)


def actor_of(request: HttpRequest) -> Actor:
    """The person behind the request's token, as the services expect them."""
    api_token = cast(ApiToken, request.auth)  # type: ignore[attr-defined]
    return Actor(user=api_token.user, ip_address=client_ip(request))
