"""The notification centre."""

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from vigie.accounts.roles import Permission
from vigie.core.views import ProtectedView

from .models import NotificationKind
from .selectors_notifications import (
    NOTIFICATIONS_SHOWN,
    notification_get_for_user,
    notifications_for_user,
)
from .services.notifications import (
    notification_open,
    notification_text,
    notifications_mark_all_read,
)


@dataclass(frozen=True)
class NotificationRow:
    id: int
    kind: str
    text: str
    created_at: datetime
    unread: bool


class NotificationListView(ProtectedView):
    permission = Permission.NOTIFICATIONS_VIEW

    def get(self, request: HttpRequest) -> HttpResponse:
        rows = [
            NotificationRow(
                id=n.pk,
                kind=str(NotificationKind(n.kind).label),
                text=notification_text(kind=n.kind, counterpart=n.counterpart),
                created_at=n.created_at,
                unread=n.read_at is None,
            )
            for n in notifications_for_user(user=self.user)[:NOTIFICATIONS_SHOWN]
        ]
        return render(request, "network/notifications/list.html", {"rows": rows})


class NotificationOpenView(ProtectedView):
    permission = Permission.NOTIFICATIONS_VIEW

    def post(self, request: HttpRequest, notification_id: int) -> HttpResponse:
        notification = notification_get_for_user(user=self.user, notification_id=notification_id)
        url = notification_open(user=self.user, notification=notification)
        # Stored by Vigie itself, but checked anyway: never an open redirect.
        if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
            url = "/"
        return redirect(url)


class NotificationsReadAllView(ProtectedView):
    permission = Permission.NOTIFICATIONS_VIEW

    def post(self, request: HttpRequest) -> HttpResponse:
        notifications_mark_all_read(user=self.user)
        return redirect("network:notifications")
