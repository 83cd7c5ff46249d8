"""The import itself: the request to import a previewed file, the background run that checks
every row again and writes all of them or none, and the direct import of small files."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigie.audit.services import Actor
from vigie.core.crypto import decrypt_bytes

from ..models import ImportJob, ImportPhase, ImportStatus
from ..targets import target_get
from ..targets.base import CheckResult, Progress, RowError, WriteConflict, WriteResult
from ._common import (
    _audit,
    _check,
    _columns_checked,
    _job_organisation,
    _organisation,
    _table,
    _uploaded,
)

# The name the log had before services.py became a package.
logger = logging.getLogger("vigie.imports.services")


@dataclass
class ImportOutcome:
    """``import_direct``'s result: the check, and what was written (None: nothing)."""

    check: CheckResult
    written: WriteResult | None = None
    errors: list[RowError] = field(default_factory=list)


@transaction.atomic
def import_commit_request(*, actor: Actor, job: ImportJob, enqueue: bool = True) -> ImportJob:
    """Queue the import of a previewed file without errors. ``enqueue`` False: the caller runs
    ``import_run`` itself (the command line)."""
    _job_organisation(actor, job)
    _uploaded(job)
    if job.previewed_at is None:
        raise ValidationError({"file": _("Check the file (preview) before importing it.")})
    if job.error_count:
        raise ValidationError(
            {
                "file": ngettext(
                    "The file has %(count)s error: correct it and upload the file again.",
                    "The file has %(count)s errors: correct them and upload the file again.",
                    job.error_count,
                )
                % {"count": job.error_count}
            }
        )
    if job.rows_total == 0:
        raise ValidationError({"file": _("The file has no row to import.")})
    # One request wins when the button is pressed twice.
    if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.UPLOADED).update(
        status=ImportStatus.QUEUED, rows_done=0, updated_at=timezone.now()
    ):
        raise ValidationError({"file": _("This import was already requested.")})
    job.status = ImportStatus.QUEUED
    job.rows_done = 0
    if enqueue:
        from ..tasks import import_run_task

        job_uuid = str(job.uuid)
        transaction.on_commit(lambda: import_run_task.enqueue(job_uuid))
    return job


def _failed(job: ImportJob, errors: list[RowError], error_count: int | None = None) -> ImportJob:
    job.status = ImportStatus.FAILED
    job.phase = ""
    job.errors = [e.as_dict() for e in errors]
    job.error_count = len(errors) if error_count is None else error_count
    job.created_count = 0
    job.updated_count = 0
    job.content = b""  # the children's identities leave with the import
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "phase",
            "errors",
            "error_count",
            "created_count",
            "updated_count",
            "content",
            "finished_at",
            "updated_at",
        ]
    )
    return job


def _file_error(message: str) -> list[RowError]:
    return [RowError(0, "", "", message)]


def import_run(job: ImportJob, *, progress: Progress | None = None) -> ImportJob:
    """The import itself (the background task's body): every row checked again, then all of
    them written in one transaction, or none. On any problem the job is FAILED with the reason
    (the rows' errors, or why writing failed) and the database is as it was."""
    if job.status != ImportStatus.QUEUED:
        return job
    job.status, job.phase, job.rows_done = ImportStatus.RUNNING, ImportPhase.CHECKING, 0
    job.save(update_fields=["status", "phase", "rows_done", "updated_at"])
    actor = Actor(user=job.created_by)
    try:
        target, organisation = _job_organisation(actor, job)
    except PermissionDenied:
        return _failed(job, _file_error(_("The person who asked for this import may no longer.")))

    def saved(rows_done: int) -> None:
        # Autocommitted (no transaction is open here): the page polling the job sees it at once.
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows_done)
        job.rows_done = rows_done
        if progress is not None:
            progress(rows_done)

    if not job.content:
        return _failed(job, _file_error(_("The file is no longer kept: upload it again.")))
    batch = target.batch(actor=actor, organisation=organisation, job=job)
    try:
        table = _table(job.filename, decrypt_bytes(job.content))
        check = _check(target, organisation, table, dict(job.columns), batch, saved)
    except ValidationError as problem:
        batch.close()
        return _failed(job, _file_error(" ".join(problem.messages)))
    except Exception as problem:
        batch.close()
        return _failed(job, _unexpected(job, problem))
    if not check.ok:
        batch.close()
        return _failed(job, check.errors, check.error_count)
    ImportJob.objects.filter(pk=job.pk).update(phase=ImportPhase.WRITING)
    try:
        with transaction.atomic():
            written = batch.write()
            _audit(actor, target, written, check.duplicate_count)
            job.status = ImportStatus.DONE
            job.phase = ""
            job.rows_total = check.rows_total
            job.rows_done = check.rows_total
            job.created_count = len(written.created)
            job.updated_count = len(written.updated)
            job.duplicate_count = check.duplicate_count
            job.errors, job.error_count = [], 0
            job.content = b""
            job.finished_at = timezone.now()
            job.save()
    except WriteConflict as problem:
        return _failed(job, _file_error(problem.message))
    except Exception as problem:
        return _failed(job, _unexpected(job, problem))
    finally:
        batch.close()
    return job


def _unexpected(job: ImportJob, problem: Exception) -> list[RowError]:
    logger.exception("Import %s failed", job.uuid)
    message = _("The import failed, nothing was imported (%(error)s).") % {
        "error": f"{type(problem).__name__}: {problem}"[:500]
    }
    return _file_error(message)


@transaction.atomic
def import_direct(
    *,
    actor: Actor,
    target: str,
    filename: str,
    content: bytes,
    columns: dict[str, str],
    dry_run: bool,
    max_rows: int | None = None,
) -> ImportOutcome:
    """Check and (unless ``dry_run``, and only when no row is bad) write a file at once, in the
    caller's request: for small files (the directory page) and the command line's dry runs. No
    job is kept: a dry run writes nothing at all."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    table = _table(filename, content)
    cleaned = _columns_checked(spec, table.headers, columns)
    batch = None if dry_run else spec.batch(actor=actor, organisation=organisation, job=None)
    try:
        check = _check(spec, organisation, table, cleaned, batch)
    except Exception:
        if batch is not None:
            batch.close()
        raise
    if max_rows is not None and check.rows_total > max_rows:
        raise ValidationError(
            {"file": _("The file has too many rows: %(count)s at most.") % {"count": max_rows}}
        )
    outcome = ImportOutcome(check=check, errors=list(check.errors))
    if batch is None or not check.ok:
        if batch is not None:
            batch.close()
        return outcome
    try:
        outcome.written = batch.write()
    except WriteConflict as problem:
        raise ValidationError({"file": problem.message}) from problem
    finally:
        batch.close()
    _audit(actor, spec, outcome.written, check.duplicate_count)
    return outcome
