"""Typing help for requests that passed the sign-in and second-factor middleware."""

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest

if TYPE_CHECKING:
    from vigie.accounts.models import User


def signed_in_user(request: HttpRequest) -> "User":
    """The request's user, for code that only runs behind LoginRequiredMiddleware."""
    return cast("User", request.user)


def is_verified(request: HttpRequest) -> bool:
    """Whether the signed-in user completed the second factor (django-otp's OTPMiddleware)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())
