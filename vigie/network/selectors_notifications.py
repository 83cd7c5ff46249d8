"""Reads of a person's notifications: each person sees only their own."""

from django.db.models import QuerySet
from django.http import Http404

from vigie.accounts.models import User

from .models import Notification

NOTIFICATIONS_SHOWN = 100


def notifications_for_user(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    notification = notifications_for_user(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


def notifications_unread_count(*, user: User) -> int:
    return notifications_for_user(user=user).filter(read_at__isnull=True).count()


__all__ = [
    "NOTIFICATIONS_SHOWN",
    "notification_get_for_user",
    "notifications_for_user",
    "notifications_unread_count",
]
