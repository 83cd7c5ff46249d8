"""Session lifetime and the mandatory second factor, enforced for every request in one place."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import resolve
from django.utils import timezone

from vigie.core.http import is_verified, signed_in_user

from . import sessions

# URL names a signed-in user may reach before completing the second factor.
MFA_EXEMPT_URL_NAMES = frozenset(
    {
        "accounts:mfa_verify",
        "accounts:mfa_enrol",
        "accounts:logout",
        "core:set_language",
        "core:healthz",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
)
_LAST_SEEN_WRITE_INTERVAL = timedelta(minutes=1)


class SessionLifetimeMiddleware:
    """Ends a session after the absolute timeout, or when the user's credentials changed.

    The idle timeout is the server-side expiry that SESSION_SAVE_EVERY_REQUEST slides forward;
    this middleware checks it again from the session's own clock so that a stale cookie can never
    outlive it, whatever the session backend.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            user = signed_in_user(request)
            now = timezone.now()
            login_at = _session_time(request, sessions.LOGIN_AT_KEY)
            last_seen = _session_time(request, sessions.LAST_SEEN_KEY)
            expired = (
                login_at is None
                or last_seen is None
                or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or user.credentials_changed_at > login_at
                or not sessions.session_is_tracked(request)
            )
            if expired:
                logout(request)
                return redirect(settings.LOGIN_URL)
            request.session[sessions.LAST_SEEN_KEY] = now.isoformat()
            if last_seen is None or now - last_seen > _LAST_SEEN_WRITE_INTERVAL:
                sessions.session_touch(request, now=now)
        return self.get_response(request)


class MfaRequiredMiddleware:
    """No page but the second-factor pages is reachable until the second factor is verified."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., HttpResponse], *args: object
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or is_verified(request):
            return None
        user = signed_in_user(request)
        match = resolve(request.path_info)
        if match.view_name in MFA_EXEMPT_URL_NAMES:
            return None
        from django_otp import user_has_device

        target = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_enrol"
        return redirect(target)


def _session_time(request: HttpRequest, key: str) -> datetime | None:
    raw = request.session.get(key)
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw)
    except ValueError:
        return None
