"""The API's router: every operation declares its scope and runs in one transaction.

Deny by default, as ``ProtectedView`` does for pages: registering an operation without a
``token(scope)`` auth is a programming error caught at start-up. Every audit event an operation
writes also names the token (``audit_via``). Each operation's body runs in its own transaction,
so that an error rolls back everything it wrote before ninja turns the error into a JSON answer
(the API's views are excluded from ATOMIC_REQUESTS so that the rate limiter's counts, written
before the body runs, survive a refused request).
"""

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpRequest
from ninja import Router

from vigie.audit.services import audit_via

from .auth import TokenAuth


class ScopedRouter(Router):
    def add_api_operation(
        self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any
    ) -> None:
        auth = kwargs.get("auth")
        if not isinstance(auth, TokenAuth):
            raise ImproperlyConfigured(
                f"API operation {view_func.__qualname__} declares no token scope."
            )

        @functools.wraps(view_func)
        def in_transaction(request: HttpRequest, *args: Any, **view_kwargs: Any) -> Any:
            # Every audit event the operation writes also names the token it came with.
            api_token = request.auth  # type: ignore[attr-defined]
            with audit_via(api_token.uuid), transaction.atomic():
                return view_func(request, *args, **view_kwargs)

        in_transaction.required_scope = auth.scope  # type: ignore[attr-defined]
        # The scope in the schema too, for the documentation page and for clients.
        extra = dict(kwargs.get("openapi_extra") or {})
        extra["x-vigie-scope"] = str(auth.scope)
        kwargs["openapi_extra"] = extra
        super().add_api_operation(path, methods, in_transaction, **kwargs)
