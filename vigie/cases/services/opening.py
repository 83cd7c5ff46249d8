"""Everything that writes case files."""

import secrets
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.core.crypto import blind_index
from vigie.rights.services import rights_plan_refresh

from ..ages import majority_month
from ..models import Case, CaseNote, ExploitationForm
from .contact import case_contact_record

NAME_INDEX_PURPOSE = "case.full_name"


def full_name_index(first_name: str, last_name: str) -> str:
    full = f"{first_name} {last_name}".strip()
    return blind_index(full, purpose=NAME_INDEX_PURPOSE) if full else ""


def case_reference_new(*, organisation: Organisation, on: date) -> str:
    """Pseudonymous reference: year and random letters, never derived from the child's identity."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        reference = f"{on.year}-" + "".join(secrets.choice(alphabet) for _ in range(6))
        if not Case.objects.filter(organisation=organisation, reference=reference).exists():
            return reference


def _require(actor: Actor, permission: Permission) -> None:
    if actor.user is None or not actor.user.has_vigie_permission(permission):
        raise PermissionDenied


def _require_owner(actor: Actor, case: Case) -> None:
    """A share grants reading only: changes belong to the organisation holding the file."""
    if actor.user is None or actor.user.organisation_id != case.organisation_id:
        raise PermissionDenied


@transaction.atomic
def case_open(
    *,
    actor: Actor,
    first_name: str = "",
    last_name: str = "",
    aliases: str = "",
    birth_date: date | None = None,
    birth_year: int | None = None,
    gender: str = "unknown",
    nationality: str = "",
    unaccompanied: bool = False,
    age_disputed: bool = False,
    care_status: str = "none",
    departement: str = "",
    exploitation_forms: Sequence[str] = (),
    referral_source: str = "",
    identified_on: date | None = None,
) -> Case:
    _require(actor, Permission.CASE_EDIT)
    assert actor.user is not None and actor.user.organisation is not None  # noqa: S101
    unknown = sorted(set(exploitation_forms) - set(ExploitationForm.values))
    if unknown:
        raise ValidationError(
            {
                "exploitation_forms": _("Unknown form of exploitation: %(forms)s")
                % {"forms": ", ".join(unknown)}
            }
        )
    identified = identified_on or timezone.localdate()
    if identified > timezone.localdate():
        raise ValidationError({"identified_on": _("This date cannot be in the future.")})
    if birth_date is not None and birth_date > identified:
        raise ValidationError({"birth_date": _("The birth date cannot be in the future.")})
    case = Case(
        organisation=actor.user.organisation,
        reference=case_reference_new(organisation=actor.user.organisation, on=identified),
        created_by=actor.user,
        # The worker who opens a file is its first referent: it appears in their daily view
        # from the first day, until a coordinator assigns it to someone else.
        assigned_to=actor.user,
        first_name=first_name,
        last_name=last_name,
        aliases=aliases,
        birth_date=birth_date,
        birth_year=birth_date.year if birth_date else birth_year,
        majority_month=majority_month(
            birth_date=birth_date,
            birth_year=birth_date.year if birth_date else birth_year,
            disputed=age_disputed,
        ),
        name_index=full_name_index(first_name, last_name),
        gender=gender,
        nationality=nationality.upper(),
        unaccompanied=unaccompanied,
        age_disputed=age_disputed,
        care_status=care_status,
        departement=departement,
        exploitation_forms=sorted(set(exploitation_forms)),
        referral_source=referral_source,
        identified_on=identified,
        last_contact_on=identified,
    )
    case.full_clean()
    case.save()
    audit_record(actor=actor, action=AuditAction.CASE_CREATE, objects=[case])
    # The plan opens with the file: the rights its facts call for, with their deadlines.
    rights_plan_refresh(case=case, actor=actor)
    return case


@transaction.atomic
def case_note_add(
    *, actor: Actor, case: Case, text: str, written_on: date | None = None
) -> CaseNote:
    """``case`` must come from case_get_for_user (scoped); writing needs CASE_EDIT."""
    _require(actor, Permission.CASE_EDIT)
    _require_owner(actor, case)
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    note = CaseNote.objects.create(
        case=case,
        text=text.strip(),
        written_on=written_on or timezone.localdate(),
        created_by=actor.user,
    )
    case_contact_record(case=case, on=note.written_on)
    audit_record(actor=actor, action=AuditAction.CASE_NOTE_ADD, objects=[case, note])
    return note
