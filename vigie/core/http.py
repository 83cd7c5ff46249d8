"""Request and response helpers: typing for requests that passed the sign-in and second-factor
middleware, and file downloads."""

from typing import TYPE_CHECKING, cast

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from vigie.accounts.models import User


def signed_in_user(request: HttpRequest) -> "User":
    """The request's user, for code that only runs behind LoginRequiredMiddleware."""
    return cast("User", request.user)


def is_verified(request: HttpRequest) -> bool:
    """Whether the signed-in user completed the second factor (django-otp's OTPMiddleware)."""
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def attachment_response(content: bytes | str, filename: str, content_type: str) -> HttpResponse:
    """A file to download: never cached (exports can be sensitive), never sniffed as another
    type. ``filename`` is ASCII (the callers build it from slugs)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
