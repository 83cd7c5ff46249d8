"""The preview of an import: every row checked against a mapping, nothing written, and what
importing the file would create, update or skip (with the last completed import of the same
file, if any)."""

import hashlib
from dataclasses import dataclass

from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor
from vigie.core.crypto import decrypt_bytes

from ..models import ImportJob, ImportStatus
from ..targets import target_get
from ..targets.base import CheckResult, RowError
from ._common import _check, _columns_checked, _job_organisation, _organisation, _table, _uploaded


@dataclass(frozen=True)
class ImportPreview:
    """What importing the file with this mapping would do. ``errors`` holds the first
    MAX_REPORTED_ERRORS problems in file order, ``error_count`` counts them all."""

    rows_total: int
    errors: list[RowError]
    new_count: int
    duplicate_count: int
    sample: list[dict[str, str]]
    previous_import: ImportJob | None
    error_count: int = 0
    update_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.rows_total > 0


def _previous_import(
    organisation: Organisation, target: str, sha256: str, job: ImportJob | None
) -> ImportJob | None:
    jobs = ImportJob.objects.filter(
        organisation=organisation, target=target, file_sha256=sha256, status=ImportStatus.DONE
    )
    if job is not None:
        jobs = jobs.exclude(pk=job.pk)
    return jobs.order_by("-finished_at").first()


def _preview_of(check: CheckResult, previous: ImportJob | None) -> ImportPreview:
    return ImportPreview(
        rows_total=check.rows_total,
        errors=list(check.errors),
        error_count=check.error_count,
        new_count=check.new_count,
        update_count=check.match_count,
        duplicate_count=check.duplicate_count,
        sample=check.sample,
        previous_import=previous,
    )


def import_preview(*, actor: Actor, job: ImportJob, columns: dict[str, str]) -> ImportPreview:
    """Check every row with this mapping; nothing is imported. The job keeps the mapping and
    the preview's counts and first errors (import_commit_request reads them)."""
    target, organisation = _job_organisation(actor, job)
    _uploaded(job)
    cleaned = _columns_checked(target, list(job.headers), columns)
    table = _table(job.filename, decrypt_bytes(job.content))
    check = _check(target, organisation, table, cleaned)
    job.columns = cleaned
    job.rows_total = check.rows_total
    job.duplicate_count = check.duplicate_count
    job.errors = [e.as_dict() for e in check.errors]
    job.error_count = check.error_count
    job.previewed_at = timezone.now()
    job.save(
        update_fields=[
            "columns",
            "rows_total",
            "duplicate_count",
            "errors",
            "error_count",
            "previewed_at",
            "updated_at",
        ]
    )
    return _preview_of(check, _previous_import(organisation, target.name, job.file_sha256, job))


def import_previous(*, actor: Actor, target: str, content: bytes) -> ImportJob | None:
    """The organisation's last completed import of the same file (the command line's dry run)."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    return _previous_import(organisation, spec.name, hashlib.sha256(content).hexdigest(), None)
