"""What the import services share: who may import, reading the file, checking the mapping and
the rows, refusing a job no longer waiting to be imported, and the audit event of an import."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.audit.services import Actor, audit_record

from ..models import ImportJob, ImportStatus
from ..readers import FileUnreadable, Table, table_read
from ..targets import target_get
from ..targets.base import (
    Batch,
    CheckResult,
    Progress,
    Target,
    WriteResult,
    columns_check,
    rows_check,
)


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
    if target.audited_by_service:
        return
    audit_record(
        actor=actor,
        action=target.audit_action,
        object_uuids=[*written.created, *written.updated],
        reason_code=(
            f"created-{len(written.created)}-updated-{len(written.updated)}-skipped-{duplicates}"
        ),
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
