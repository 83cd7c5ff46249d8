"""Everything that writes imports: an uploaded file, its mapping, its preview, its import.

The path of a file through the pages (and `vigie import`): ``import_upload`` keeps it encrypted
and reads its header; ``import_preview`` checks every row against a mapping and counts what
would be created, updated or skipped as already imported; ``import_commit_request`` queues the
import; ``import_run`` (the background task) checks every row again and writes all of them, or
nothing. ``import_direct`` does the same in one call for small files (the directory's page).

Progress, all or nothing, on SQLite and PostgreSQL alike: the rows are checked and prepared
(parsed, encrypted, rights plans evaluated) outside any transaction, saving ``rows_done`` every
few thousand rows in its own autocommitted update, which any other connection sees at once.
Then everything is written in ONE transaction with the audit event and the job's DONE status.
SQLite allows a single writer, so no progress could be saved from inside that transaction
anyway; the job says it is writing (``phase``) meanwhile, and the writing is the short part.
"""

import hashlib
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor, audit_record
from vigie.core.crypto import decrypt_bytes, encrypt_bytes

from .fields import normalised
from .models import ImportJob, ImportMapping, ImportPhase, ImportStatus
from .readers import FileUnreadable, Table, table_read
from .targets import target_get
from .targets.base import (
    Batch,
    CheckResult,
    Progress,
    RowError,
    Target,
    WriteConflict,
    WriteResult,
    columns_check,
    rows_check,
)

logger = logging.getLogger(__name__)

MAPPING_NAME_MAX_LENGTH = 100

__all__ = [
    "ImportOutcome",
    "ImportPreview",
    "RowError",
    "import_commit_request",
    "import_direct",
    "import_discard",
    "import_headers",
    "import_mapping_save",
    "import_mapping_suggest",
    "import_preview",
    "import_run",
    "import_upload",
    "import_uploads_purge",
]


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


@dataclass
class ImportOutcome:
    """``import_direct``'s result: the check, and what was written (None: nothing)."""

    check: CheckResult
    written: WriteResult | None = None
    errors: list[RowError] = field(default_factory=list)


# --- Checks ------------------------------------------------------------------------------------


def _organisation(actor: Actor, target: Target) -> Organisation:
    user = actor.user
    if (
        user is None
        or user.organisation is None
        or not user.is_active
        or not user.has_vigie_permission(target.permission)
    ):
        raise PermissionDenied
    return user.organisation


def _job_organisation(actor: Actor, job: ImportJob) -> tuple[Target, Organisation]:
    """``job`` comes from import_job_get_for_user; checked again here (deny by default)."""
    target = target_get(job.target)
    organisation = _organisation(actor, target)
    if job.organisation_id != organisation.pk:
        raise PermissionDenied
    return target, organisation


def _table(filename: str, content: bytes) -> Table:
    try:
        return table_read(filename=filename, content=content)
    except FileUnreadable as problem:
        raise ValidationError({"file": problem.message}) from problem


def _columns_checked(target: Target, headers: list[str], columns: dict[str, str]) -> dict[str, str]:
    columns = {name: (header or "").strip() for name, header in columns.items()}
    columns = {name: header for name, header in columns.items() if header}
    problems: dict[str, Any] = columns_check(fields=target.fields, headers=headers, columns=columns)
    identifying = getattr(target, "identifying", ())
    if identifying and not any(columns.get(name) for name in identifying):
        labels = [str(f.label) for f in target.fields if f.name in identifying]
        problems[NON_FIELD_ERRORS] = _(
            "Choose at least one column that identifies the child among: %(fields)s."
        ) % {"fields": ", ".join(labels)}
    if problems:
        raise ValidationError(problems)
    return columns


def _check(
    target: Target,
    organisation: Organisation,
    table: Table,
    columns: dict[str, str],
    batch: Batch | None = None,
    progress: Progress | None = None,
) -> CheckResult:
    try:
        return rows_check(
            target=target,
            organisation=organisation,
            table=table,
            columns=columns,
            batch=batch,
            progress=progress,
        )
    except FileUnreadable as problem:
        raise ValidationError({"file": problem.message}) from problem


def _audit(actor: Actor, target: Target, written: WriteResult, duplicates: int) -> None:
    # One event for the whole file, naming every record it created or changed.
    audit_record(
        actor=actor,
        action=target.audit_action,
        object_uuids=[*written.created, *written.updated],
        reason_code=(
            f"created-{len(written.created)}-updated-{len(written.updated)}-skipped-{duplicates}"
        ),
    )


# --- Upload and mapping ------------------------------------------------------------------------


@transaction.atomic
def import_upload(*, actor: Actor, target: str, filename: str, content: bytes) -> ImportJob:
    """Keep the file (encrypted) and read its header. ValidationError on "file" when it cannot
    be read: unknown format, not UTF-8, too large, empty, header missing or repeated."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    table = _table(filename, content)
    return ImportJob.objects.create(
        organisation=organisation,
        created_by=actor.user,
        target=spec.name,
        filename=os.path.basename(filename)[:255],
        file_sha256=hashlib.sha256(content).hexdigest(),
        content=encrypt_bytes(content),
        headers=table.headers,
    )


def import_headers(job: ImportJob) -> list[str]:
    return list(job.headers)


def import_mapping_suggest(*, target: str, headers: list[str]) -> dict[str, str]:
    """field -> header, for the headers that name a field (its name, its label in French or
    English, or a usual synonym); each header used once, required fields first."""
    spec = target_get(target)
    named = [(normalised(header), header) for header in headers if header]
    suggestion: dict[str, str] = {}
    used: set[str] = set()
    for spec_field in sorted(spec.fields, key=lambda f: not f.required):
        words = {normalised(spec_field.name), *(normalised(s) for s in spec_field.synonyms)}
        for language in ("fr", "en"):
            with translation.override(language):
                words.add(normalised(str(spec_field.label)))
        # The first matching column in the file's order: the same file, the same suggestion.
        header = next((h for word, h in named if word in words and h not in used), None)
        if header is not None:
            suggestion[spec_field.name] = header
            used.add(header)
    return {f.name: suggestion[f.name] for f in spec.fields if f.name in suggestion}


@transaction.atomic
def import_mapping_save(
    *, actor: Actor, target: str, name: str, columns: dict[str, str]
) -> ImportMapping:
    """Save (or replace) the organisation's mapping of that name."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the mapping a name.")})
    if len(name) > MAPPING_NAME_MAX_LENGTH:
        raise ValidationError(
            {"name": _("At most %(limit)s characters.") % {"limit": MAPPING_NAME_MAX_LENGTH}}
        )
    if not all(isinstance(h, str) for h in columns.values()):
        raise ValidationError({NON_FIELD_ERRORS: _("Each field is mapped to a column's name.")})
    headers = [h.strip() for h in columns.values() if h and h.strip()]
    cleaned = _columns_checked(spec, headers, columns)
    mapping, _created = ImportMapping.objects.update_or_create(
        organisation=organisation,
        target=spec.name,
        name=name,
        defaults={"columns": cleaned, "created_by": actor.user},
    )
    return mapping


# --- Preview -----------------------------------------------------------------------------------


def _previous_import(organisation: Organisation, target: str, sha256: str, job: ImportJob | None):  # type: ignore[no-untyped-def]
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


def _uploaded(job: ImportJob) -> None:
    if job.status != ImportStatus.UPLOADED:
        raise ValidationError(
            {
                "file": _(
                    "This file was already imported, or its import has failed: upload it again."
                )
            }
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


# --- Import ------------------------------------------------------------------------------------


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
        from .tasks import import_run_task

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


def import_previous(*, actor: Actor, target: str, content: bytes) -> ImportJob | None:
    """The organisation's last completed import of the same file (the command line's dry run)."""
    spec = target_get(target)
    organisation = _organisation(actor, spec)
    return _previous_import(organisation, spec.name, hashlib.sha256(content).hexdigest(), None)


@transaction.atomic
def import_discard(*, actor: Actor, job: ImportJob) -> None:
    """Forget an uploaded file that will not be imported (its content goes with it)."""
    _job_organisation(actor, job)
    _uploaded(job)
    job.delete()


# An uploaded file nobody imported is forgotten after this long (its content is children's data).
UPLOAD_KEPT_FOR = timedelta(hours=24)


@transaction.atomic
def import_uploads_purge(*, now: datetime | None = None) -> int:
    """Delete the files uploaded more than UPLOAD_KEPT_FOR ago and never imported; empty the
    content of any job that kept it while not waiting to run. Returns the jobs deleted."""
    moment = now or timezone.now()
    deleted, _by_model = ImportJob.objects.filter(
        status=ImportStatus.UPLOADED, created_at__lt=moment - UPLOAD_KEPT_FOR
    ).delete()
    ImportJob.objects.filter(status__in=(ImportStatus.DONE, ImportStatus.FAILED)).exclude(
        content=b""
    ).update(content=b"")
    return deleted
