"""Tracking of signed-in sessions: list them, end one, end them all."""

from datetime import datetime

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import timezone

from vigie.core.http import signed_in_user

from .models import User, UserSession

LOGIN_AT_KEY = "vigie_login_at"
LAST_SEEN_KEY = "vigie_last_seen_at"
REAUTH_AT_KEY = "vigie_reauth_at"


def client_ip(request: HttpRequest) -> str | None:
    # Behind the load balancer the client address is the last hop it appended; REMOTE_ADDR
    # otherwise. Never trust the left-most, client-supplied X-Forwarded-For entries.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and request.META.get("VIGIE_TRUSTED_PROXY"):
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None


def session_start(request: HttpRequest, *, user: User) -> None:
    """Called right after django.contrib.auth.login (which already cycled the session key)."""
    now = timezone.now()
    request.session[LOGIN_AT_KEY] = now.isoformat()
    request.session[LAST_SEEN_KEY] = now.isoformat()
    request.session.save()
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
            "created_at": now,
            "last_seen_at": now,
        },
    )


def session_is_tracked(request: HttpRequest) -> bool:
    return UserSession.objects.filter(
        session_key=request.session.session_key, user=signed_in_user(request)
    ).exists()


def session_touch(request: HttpRequest, *, now: datetime) -> None:
    UserSession.objects.filter(session_key=request.session.session_key).update(last_seen_at=now)


def sessions_live(*, user: User) -> list[UserSession]:
    """The user's sessions that can still be used; rows of expired or ended ones are forgotten."""
    tracked = list(UserSession.objects.filter(user=user))
    live_keys = set(
        Session.objects.filter(
            session_key__in=[t.session_key for t in tracked], expire_date__gt=timezone.now()
        ).values_list("session_key", flat=True)
    )
    dead = [t.pk for t in tracked if t.session_key not in live_keys]
    if dead:
        UserSession.objects.filter(pk__in=dead).delete()
    return [t for t in tracked if t.session_key in live_keys]


def session_end(*, user: User, session_id: int) -> bool:
    tracked = UserSession.objects.filter(user=user, pk=session_id).first()
    if tracked is None:
        return False
    SessionStore(session_key=tracked.session_key).delete()
    tracked.delete()
    return True


def sessions_end_all(*, user: User) -> int:
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    deleted, _ = UserSession.objects.filter(user=user).delete()
    return deleted
