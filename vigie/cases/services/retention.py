"""Retention: files without contact for two years leave the active lists.

CNIL deliberation 2022-008 (reference framework for social and medico-social care) keeps a
file while the person is followed, then for two years after the last contact; past that the
file is archived: out of every list, alert and case page, readable only by a coordinator of its
organisation, one file at a time, with a logged reason (vigie/cases/selectors_archive.py). The
period is the setting ``VIGIE_RETENTION_DAYS`` (730 by default).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from vigie.audit.services import AuditAction, audit_record

from ..models import Case

RETENTION_REASON = "retention"
RETENTION_BATCH = 500


def retention_cutoff(*, today: date) -> date:
    """Files whose last contact is before this day are due for archiving."""
    return today - timedelta(days=settings.VIGIE_RETENTION_DAYS)


def retention_due(*, today: date) -> QuerySet[Case]:
    """Files not archived yet whose last contact, or closing when later, is past the period.

    Every status counts, transferred files too: a file nobody has touched for two years is no
    longer needed for the child's care, whatever became of it.
    """
    cutoff = retention_cutoff(today=today)
    cutoff_moment = datetime.combine(cutoff, time.min, tzinfo=timezone.get_current_timezone())
    return Case.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__lt=cutoff_moment),
        archived_at__isnull=True,
        last_contact_on__lt=cutoff,
    )


@dataclass(frozen=True)
class RetentionReport:
    cutoff: date
    # Organisation name -> references of its files due for archiving, sorted.
    references: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(references) for references in self.references.values())


def retention_report(*, today: date) -> RetentionReport:
    """The dry run: which files would be archived, by organisation (references only)."""
    due = retention_due(today=today)
    references: dict[str, list[str]] = defaultdict(list)
    rows = due.order_by("organisation__name", "reference").values_list(
        "organisation__name", "reference"
    )
    for organisation, reference in rows.iterator(chunk_size=2000):
        references[organisation].append(reference)
    return RetentionReport(cutoff=retention_cutoff(today=today), references=dict(references))


def retention_archive(*, today: date, batch_size: int = RETENTION_BATCH) -> int:
    """Archive every file due, one transaction (and one audit event) per batch.

    The batch's rows are locked while chosen and archived: a note written at the same moment
    waits for the batch, so no file is archived on a decision already out of date.
    """
    archived = 0
    while True:
        with transaction.atomic():
            batch = list(
                retention_due(today=today)
                .select_for_update(of=("self",))
                .only("pk", "uuid")
                .order_by("pk")[:batch_size]
            )
            if not batch:
                return archived
            now = timezone.now()
            # An archived file chases nothing any more (as the rights plan treats it).
            Case.objects.filter(pk__in=[case.pk for case in batch]).update(
                archived_at=now, updated_at=now, next_due_on=None
            )
            audit_record(
                actor=None,
                action=AuditAction.CASE_ARCHIVE,
                objects=batch,
                reason_code=RETENTION_REASON,
            )
        archived += len(batch)
