"""Notifications: in the app, and a copy by e-mail. The text names the kind of event and the other
organisation, never a child: the link opens the object in Vigie, where access is checked."""

import functools
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation, User
from vigie.accounts.roles import ROLE_PERMISSIONS, Permission

from ..models import Notification, NotificationKind


def notification_text(*, kind: str, counterpart: str) -> str:
    """The message of a notification, in the active language."""
    texts = {
        NotificationKind.REFERRAL_RECEIVED: _("%(org)s referred a child to your organisation."),
        NotificationKind.REFERRAL_ACCEPTED: _("%(org)s accepted your referral."),
        NotificationKind.REFERRAL_DECLINED: _("%(org)s declined your referral."),
        NotificationKind.REFERRAL_REVOKED: _(
            "%(org)s revoked a referral: its file is closed to you."
        ),
        NotificationKind.SERVICE_RECORDED: _("%(org)s recorded a service for your referral."),
        NotificationKind.TRANSFER_RECEIVED: _(
            "%(org)s proposes to transfer a child's file to you."
        ),
        NotificationKind.TRANSFER_ACCEPTED: _(
            "%(org)s accepted the transfer: the file is theirs now."
        ),
        NotificationKind.TRANSFER_DECLINED: _("%(org)s declined the transfer."),
        NotificationKind.HOLD_EXPIRING: _("Your hold on a place at %(org)s expires within a day."),
        NotificationKind.HOLD_EXPIRED: _("Your hold on a place at %(org)s expired."),
    }
    return texts[NotificationKind(kind)] % {"org": counterpart}


def _email(notification: Notification) -> None:
    recipient = notification.recipient
    # Users have no language setting yet: French, the default language of Vigie.
    with translation.override(settings.LANGUAGE_CODE):
        body = "\n\n".join(
            [
                notification_text(kind=notification.kind, counterpart=notification.counterpart),
                _("Open it in Vigie: %(url)s")
                % {"url": settings.VIGIE_BASE_URL.rstrip("/") + notification.url},
                _("This message contains no information about the child, on purpose."),
            ]
        )
        subject = _("Vigie: %(kind)s") % {"kind": NotificationKind(notification.kind).label}
    EmailMessage(subject=str(subject), body=body, to=[recipient.email]).send()
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())


def notify_users(
    *, users: Iterable[User], kind: str, counterpart: str, url: str
) -> list[Notification]:
    """One notification per active user; e-mails leave once the transaction commits."""
    notifications = [
        Notification.objects.create(recipient=user, kind=kind, counterpart=counterpart, url=url)
        for user in {u.pk: u for u in users if u.is_active}.values()
    ]
    for notification in notifications:
        transaction.on_commit(functools.partial(_email, notification))
    return notifications


def notify_organisation(
    *, organisation: Organisation, permission: Permission, kind: str, counterpart: str, url: str
) -> list[Notification]:
    """Everyone of ``organisation`` whose role holds ``permission`` (e.g. the coordinators for an
    incoming transfer)."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]
    members = User.objects.filter(organisation=organisation, role__in=roles, is_active=True)
    return notify_users(users=members, kind=kind, counterpart=counterpart, url=url)


@transaction.atomic
def notification_open(*, user: User, notification: Notification) -> str:
    """Marks it read; the URL to go to. ``notification`` comes from notifications_for_user."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification.url


def notifications_mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
