"""Short retention of advertisements (issue 10: six months unless linked to a case file).

An ad is a trace of a person who has not asked for help: keeping it longer than the outreach
work needs would build a register of people in prostitution. ``vigie retention --apply``
deletes every ad not linked to a case file whose last activity (seen, contacted, reported) is
older than ``VIGIE_OUTREACH_RETENTION_DAYS`` (183 by default), with its identifiers, contacts and
the reports that named only deleted ads; the networks of the organisations touched are rebuilt.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet

from vigie.accounts.models import Organisation
from vigie.audit.services import AuditAction, audit_record

from ..models import Advertisement, AuthorityReport
from .clusters import clusters_refresh

OUTREACH_RETENTION_REASON = "outreach_retention"
OUTREACH_RETENTION_BATCH = 500


def outreach_retention_cutoff(*, today: date) -> date:
    return today - timedelta(days=settings.VIGIE_OUTREACH_RETENTION_DAYS)


def ad_deleted_after(ad: Advertisement) -> date | None:
    """The last day the ad is kept without new activity; None while linked to a case file."""
    if ad.case_id is not None:
        return None
    return ad.last_activity_on + timedelta(days=settings.VIGIE_OUTREACH_RETENTION_DAYS)


def outreach_retention_due(*, today: date) -> QuerySet[Advertisement]:
    """Ads not linked to a case file and without activity since before the cutoff."""
    return Advertisement.objects.filter(
        case__isnull=True, last_activity_on__lt=outreach_retention_cutoff(today=today)
    )


@dataclass(frozen=True)
class OutreachRetentionReport:
    cutoff: date
    # Organisation name -> references of its ads due for deletion, sorted.
    references: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(references) for references in self.references.values())


def outreach_retention_report(*, today: date) -> OutreachRetentionReport:
    """The dry run: which ads would be deleted, by organisation (references only)."""
    references: dict[str, list[str]] = defaultdict(list)
    rows = (
        outreach_retention_due(today=today)
        .order_by("organisation__name", "reference")
        .values_list("organisation__name", "reference")
    )
    for organisation, reference in rows.iterator(chunk_size=2000):
        references[organisation].append(reference)
    return OutreachRetentionReport(
        cutoff=outreach_retention_cutoff(today=today), references=dict(references)
    )


def outreach_retention_purge(*, today: date, batch_size: int = OUTREACH_RETENTION_BATCH) -> int:
    """Delete every ad due, one transaction and one audit event per batch; returns the count."""
    deleted = 0
    organisations: set[int] = set()
    while True:
        with transaction.atomic():
            batch = list(
                outreach_retention_due(today=today)
                .select_for_update(of=("self",))
                .only("pk", "uuid", "organisation_id")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            pks = [ad.pk for ad in batch]
            report_pks = list(
                AuthorityReport.objects.filter(ads__pk__in=pks).values_list("pk", flat=True)
            )
            audit_record(
                actor=None,
                action=AuditAction.OUTREACH_AD_PURGE,
                objects=batch,
                reason_code=OUTREACH_RETENTION_REASON,
            )
            Advertisement.objects.filter(pk__in=pks).delete()
            # A report keeps living while it still names a kept ad (linked to a case file).
            AuthorityReport.objects.filter(pk__in=report_pks).annotate(
                remaining=Count("ads")
            ).filter(remaining=0).delete()
            organisations.update(ad.organisation_id for ad in batch)
        deleted += len(batch)
    for organisation in Organisation.objects.filter(pk__in=organisations):
        clusters_refresh(organisation=organisation)
    return deleted
