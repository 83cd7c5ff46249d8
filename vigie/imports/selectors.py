"""Everything that reads imports for a person: scoped to their organisation and to the targets
their role may import (anything else is a 404, which confirms nothing)."""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from vigie.audit.services import Actor

from .models import ImportJob, ImportMapping
from .targets import target_get

RECENT_JOBS = 20


def _allowed(actor: Actor, target: str) -> bool:
    user = actor.user
    try:
        spec = target_get(target)
    except Exception:  # an unknown target allows nothing
        return False
    return bool(
        user is not None
        and user.organisation_id is not None
        and user.has_vigie_permission(spec.permission)
    )


def _organisation_id(actor: Actor) -> int:
    organisation_id = actor.user.organisation_id if actor.user is not None else None
    if organisation_id is None:
        raise PermissionDenied
    return organisation_id


def import_job_get_for_user(*, actor: Actor, job_uuid: uuid.UUID | str) -> ImportJob:
    user = actor.user
    if user is None or user.organisation_id is None:
        raise Http404
    try:
        key = uuid.UUID(str(job_uuid))
    except ValueError as problem:
        raise Http404 from problem
    job = (
        ImportJob.objects.select_related("created_by")
        .filter(uuid=key, organisation_id=user.organisation_id)
        .first()
    )
    if job is None or not _allowed(actor, job.target):
        raise Http404
    return job


def jobs_recent_for_user(*, actor: Actor, target: str) -> list[ImportJob]:
    """The organisation's latest imports of that kind, newest first (without their content)."""
    if not _allowed(actor, target):
        raise PermissionDenied
    jobs: Any = (
        ImportJob.objects.filter(organisation_id=_organisation_id(actor), target=target)
        .select_related("created_by")
        .defer("content")
        .order_by("-created_at")
    )
    return list(jobs[:RECENT_JOBS])


def import_mappings_for_user(*, actor: Actor, target: str) -> list[ImportMapping]:
    if not _allowed(actor, target):
        raise PermissionDenied
    return list(
        ImportMapping.objects.filter(organisation_id=_organisation_id(actor), target=target)
    )
