"""Every read of case files for a person. Each one writes its audit event: reading is audited."""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from vigie.accounts.models import User
from vigie.audit.services import Actor, AuditAction, audit_record

from .models import ACTIVE_STATUSES, Case, CaseNote, CaseStatus

CASE_LIST_PAGE_SIZE = 50


def _require_user(actor: Actor) -> User:
    if actor.user is None:
        raise Http404
    return actor.user


def case_get_for_user(
    *,
    actor: Actor,
    case_uuid: uuid.UUID,
    action: AuditAction = AuditAction.CASE_VIEW,
    owner_only: bool = False,
) -> Case:
    """The only way to load one case from request input: out of scope is a 404.

    ``owner_only``: a share lets another organisation read a file, never change it nor see who
    else accessed it; such uses pass owner_only=True.
    """
    user = _require_user(actor)
    cases = Case.objects.visible_to(user)
    if owner_only:
        cases = cases.filter(organisation=user.organisation)
    case = cases.select_related("organisation", "assigned_to").filter(uuid=case_uuid).first()
    if case is None:
        raise Http404
    audit_record(actor=actor, action=action, objects=[case])
    return case


def case_list_for_user(
    *, actor: Actor, status: str | None = CaseStatus.OPEN, page: int = 1
) -> list[Case]:
    user = _require_user(actor)
    queryset: QuerySet[Case] = Case.objects.visible_to(user).select_related("assigned_to")
    if status:
        queryset = queryset.filter(status=status)
    start = (max(page, 1) - 1) * CASE_LIST_PAGE_SIZE
    cases = list(
        queryset.order_by("-identified_on", "reference")[start : start + CASE_LIST_PAGE_SIZE]
    )
    audit_record(actor=actor, action=AuditAction.CASE_LIST, objects=cases)
    return cases


def case_count_for_user(*, actor: Actor) -> int:
    """A count only (no file content): not an access to any file."""
    user = _require_user(actor)
    return Case.objects.visible_to(user).filter(status__in=ACTIVE_STATUSES).count()


def case_notes(*, case: Case) -> QuerySet[CaseNote]:
    """Notes of a case already obtained (and audited) through case_get_for_user."""
    return case.notes.select_related("created_by")
