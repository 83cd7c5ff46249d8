"""Reads of archived files (retention, CNIL 2022-008), for coordinators of the owning organisation.

Archived files are outside ``Case.objects.visible_to`` on purpose: this module is their only way
in. A coordinator sees the list (references and dates), and opens one file at a time after
giving a reason, which the audit trail keeps as a code (never free text: see AuditEvent).
"""

import uuid
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from .models import Case

ARCHIVE_LIST_PAGE_SIZE = 50


class ArchiveReason(models.TextChoices):
    LEGAL_REQUEST = "legal_request", _("Request from an authority under a legal obligation")
    ACCESS_REQUEST = "access_request", _("The young person's request to access their file")
    COURT_REQUEST = "court_request", _("Request from a court")
    CONTINUITY_OF_CARE = "continuity_of_care", _("Continuity of care: the young person is back")
    OTHER = "other", _("Other reason")


def _coordinator(actor: Actor) -> User:
    """Out of scope is a 404 here too: an archive answers as if the file did not exist."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_ARCHIVE_VIEW):
        raise Http404
    return user


def _archived(user: User) -> QuerySet[Case]:
    # The owning organisation only: a share never reaches an archived file.
    if user.organisation_id is None:
        return Case.objects.none()
    return Case.objects.filter(organisation_id=user.organisation_id, archived_at__isnull=False)


def archived_case_list_for_coordinator(*, actor: Actor, page: int = 1) -> list[Case]:
    """One page of the organisation's archived files, the most recently archived first."""
    user = _coordinator(actor)
    start = (max(page, 1) - 1) * ARCHIVE_LIST_PAGE_SIZE
    cases = list(
        _archived(user)
        .only("uuid", "reference", "archived_at", "last_contact_on", "status", "organisation")
        .order_by("-archived_at", "reference")[start : start + ARCHIVE_LIST_PAGE_SIZE]
    )
    audit_record(actor=actor, action=AuditAction.CASE_LIST, objects=cases)
    return cases


def archived_case_find(*, actor: Actor, case_uuid: uuid.UUID) -> Case:
    """The reference and archiving date of one archived file, for the page asking the reason.

    Nothing of the file is read (no identity, no content), so nothing is audited yet: the
    reading happens in archived_case_get_for_coordinator.
    """
    user = _coordinator(actor)
    case = (
        _archived(user)
        .only("uuid", "reference", "archived_at", "organisation")
        .filter(uuid=case_uuid)
        .first()
    )
    if case is None:
        raise Http404
    return case


def archived_case_get_for_coordinator(
    *, actor: Actor, case_uuid: uuid.UUID, reason: ArchiveReason
) -> Case:
    """Open one archived file, read-only; the reason's code goes into the audit trail."""
    user = _coordinator(actor)
    case = (
        _archived(user).select_related("organisation", "assigned_to").filter(uuid=case_uuid).first()
    )
    if case is None:
        raise Http404
    audit_record(
        actor=actor,
        action=AuditAction.CASE_ARCHIVE_VIEW,
        objects=[case],
        reason_code=ArchiveReason(reason).value,
    )
    return case


def archived_case_parts(*, case: Case) -> dict[str, Any]:
    """What the read-only page shows of a file already opened (and audited) above."""
    from vigie.rights.selectors import rights_plan_for_case

    return {
        "rights": rights_plan_for_case(case=case),
        "placements": case.placements.all(),
        "age_appeals": case.age_appeals.all(),
        "notes": case.notes.select_related("created_by"),
    }
