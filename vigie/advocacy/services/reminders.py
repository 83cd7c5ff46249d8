"""Reminders of the tracker's measures: an e-mail to each advocacy editor when measures are
overdue or due within 30 days (run daily with `vigie advocacy remind`, next to `vigie alerts`).

The message names measures and recommendations only: no child data exists in the tracker.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from vigie.accounts.models import User
from vigie.accounts.roles import ROLE_PERMISSIONS, Permission

from ..models import Measure
from .tracker import measures_due


@dataclass(frozen=True)
class Reminder:
    user: User
    overdue: list[Measure]
    due_soon: list[Measure]

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_soon)


def measure_reminders_build(*, today: date) -> list[Reminder]:
    """One reminder per active advocacy editor; none when no measure is due."""
    measures = list(measures_due(today=today))
    if not measures:
        return []
    overdue = [m for m in measures if m.due_on is not None and m.due_on < today]
    due_soon = [m for m in measures if m not in overdue]
    editors = [
        role for role, perms in ROLE_PERMISSIONS.items() if Permission.ADVOCACY_EDIT in perms
    ]
    users = User.objects.filter(role__in=editors, is_active=True).order_by("email")
    return [Reminder(user=user, overdue=overdue, due_soon=due_soon) for user in users]


def _message(reminder: Reminder) -> EmailMessage:
    context = {
        "reminder": reminder,
        "url": settings.VIGIE_BASE_URL.rstrip("/") + reverse("advocacy:measures_due"),
    }
    # Accounts carry no language preference yet: French, Vigie's first language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("advocacy/email/reminder_subject.txt", context)
        body = render_to_string("advocacy/email/reminder.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[reminder.user.email])


def measure_reminders_send(*, reminders: list[Reminder]) -> int:
    messages = [_message(reminder) for reminder in reminders]
    return (get_connection(fail_silently=False).send_messages(messages) or 0) if messages else 0
