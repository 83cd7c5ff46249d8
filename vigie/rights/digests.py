"""The daily `vigie alerts` run: rights plans refreshed where the date changes them, then one
digest email per person working on case files (the daily view in counts and references)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from vigie.accounts.models import User
from vigie.accounts.roles import CASE_ROLES
from vigie.audit.services import AuditAction, audit_record
from vigie.cases.models import ACTIVE_STATUSES, AgeAppeal, Case, Placement

from .alerts import DailyView, add_months, daily_view_compute
from .selectors import DUE_SOON_DAYS

REFRESH_BATCH = 200


def alerts_refresh_candidates(*, today: date) -> QuerySet[Case]:
    """Active files whose rights depend on today's date.

    A 16th, 17th or 18th birthday this month or last (bank account from 16, transition prepared
    from 17, majority: the catalogue's age rules), found through the month of majority; open
    rights overdue or due within the alert window (the digest reports them); undecided age
    appeals (the appeal follow-up depends on their duration); a placement starting or ending
    since yesterday (the current accommodation decides the safe-accommodation right).
    """
    this_month = today.replace(day=1)
    months = {
        add_months(month, 12 * years)
        for month in (add_months(this_month, -1), this_month)
        for years in (0, 1, 2)
    }
    since = today - timedelta(days=1)
    pending_appeals = AgeAppeal.objects.filter(decided_on__isnull=True).values("case_id")
    moving = Placement.objects.filter(
        Q(started_on__range=(since, today)) | Q(ended_on__range=(since, today))
    ).values("case_id")
    return Case.objects.filter(
        Q(majority_month__in=sorted(months))
        | Q(next_due_on__lte=today + timedelta(days=DUE_SOON_DAYS))
        | Q(pk__in=pending_appeals)
        | Q(pk__in=moving),
        status__in=ACTIVE_STATUSES,
        archived_at__isnull=True,
    )


def alerts_rights_refresh(*, today: date, batch_size: int = REFRESH_BATCH) -> int:
    """Refresh the candidates' rights plans, one transaction per batch (keyset on the primary
    key, so that a plan moving a case out of the candidates never skips another)."""
    from .services import rights_plans_refresh_many

    refreshed = 0
    last_pk = 0
    candidates = alerts_refresh_candidates(today=today)
    while True:
        batch = list(candidates.filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return refreshed
        with transaction.atomic():
            refreshed += rights_plans_refresh_many(cases=batch, today=today)
        last_pk = batch[-1].pk


@dataclass(frozen=True)
class Digest:
    user: User
    view: DailyView


def alerts_digests_build(*, today: date) -> list[Digest]:
    """One digest per active person working on case files who has something to act on."""
    recipients = (
        User.objects.filter(
            is_active=True, role__in=sorted(CASE_ROLES), organisation__is_active=True
        )
        .exclude(email="")
        .select_related("organisation")
        .order_by("pk")
    )
    digests = []
    for user in recipients.iterator(chunk_size=200):
        view = daily_view_compute(user=user, today=today)
        if view.alert_count:
            digests.append(Digest(user=user, view=view))
    return digests


def _digest_language(user: User) -> str:
    # Accounts carry no language preference yet: French, Vigie's first language, until they do.
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def _digest_message(digest: Digest) -> EmailMessage:
    """Counts and pseudonymous references only.

    Email is not a safe channel for a child's identity (it crosses servers Vigie does not
    control and stays in mailboxes): no name, birth date or any decrypted field ever goes into
    a digest, only what the reader needs to go and look in Vigie itself.
    """
    context = {
        "view": digest.view,
        "sections": [section for section in digest.view.sections if section.total],
        "home_url": settings.VIGIE_BASE_URL.rstrip("/") + reverse("core:home"),
    }
    with translation.override(_digest_language(digest.user)):
        subject = render_to_string("rights/email/alerts_digest_subject.txt", context)
        body = render_to_string("rights/email/alerts_digest.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[digest.user.email])


def alerts_digests_send(*, digests: Sequence[Digest]) -> int:
    """Send the digests and record one audit event naming every file they referred to."""
    messages = [_digest_message(digest) for digest in digests]
    sent = get_connection(fail_silently=False).send_messages(messages) if messages else 0
    referenced = [case for digest in digests for case in digest.view.cases]
    audit_record(
        actor=None,
        action=AuditAction.ALERTS_DIGEST_SEND,
        objects=referenced,
        reason_code=f"digests-{sent or 0}",
    )
    return sent or 0
