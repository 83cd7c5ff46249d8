"""Screening a child's situation: the engine decides, this module records and audits."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import Case
from vigie.rights.services import rights_plan_refresh

from .catalogue import load_catalogue
from .engine import ScreeningInputError, screen
from .models import Screening


@transaction.atomic
def screening_record(*, actor: Actor, case: Case, data: Mapping[str, Any]) -> Screening:
    """``case`` comes from case_get_for_user; writing needs CASE_EDIT."""
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_EDIT):
        raise PermissionDenied
    if user.organisation_id != case.organisation_id:
        raise PermissionDenied
    catalogue = load_catalogue()
    try:
        result = screen(data, catalogue=catalogue)
    except ScreeningInputError as error:
        raise ValidationError({error.field: str(error)}) from error
    screening = Screening.objects.create(
        case=case,
        created_by=user,
        catalogue_version=catalogue.version,
        input=dict(data),
        result=result,
        assessment=result["assessment"],
        minor=result["minor"],
    )
    audit_record(actor=actor, action=AuditAction.CASE_SCREENING, objects=[case, screening])
    # The screening's actions open the matching rights (issue 4: they feed the rights plan).
    rights_plan_refresh(case=case, actor=actor)
    return screening
