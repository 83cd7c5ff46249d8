"""Editing a case file under an optimistic lock, and the record of which fields changed.

Two people may have the same file open: a caseworker after a visit, a coordinator after a call
from the juvenile court. Whoever saves second must see what the first saved, never overwrite it
without knowing (the issue: "no update is ever silently lost"). Each form carries the version it
was read at; the write happens only if the row is still at that version, checked and incremented
by the database itself.
"""

import copy
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import User
from vigie.accounts.roles import CASE_ROLES, Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.rights.services import rights_plan_refresh

from ..ages import majority_month
from ..models import Case, CaseChange, ExploitationForm, Substance
from .opening import _require, _require_owner, full_name_index

# The fields a person edits on the case page, in the order of the form. The status has its own
# state machine (status.py); the reference, organisation, dates of opening, closing and last
# contact, and the denormalised columns (name_index, majority_month, next_due_on) are derived or
# kept by other services.
EDITABLE_FIELDS: tuple[str, ...] = (
    # Identity
    "first_name",
    "last_name",
    "aliases",
    "gender",
    "nationality",
    "languages",
    # Age
    "birth_date",
    "birth_year",
    "age_disputed",
    # Family and legal status
    "unaccompanied",
    "legal_representative",
    "guardianship",
    "ad_hoc_administrator_requested_on",
    "ad_hoc_administrator_appointed_on",
    "ad_hoc_administrator_appointed_by",
    "ad_hoc_administrator_name",
    "disability",
    "pregnant",
    "children_count",
    # Care
    "care_status",
    "departement",
    "referral_source",
    "assigned_to",
    # Situation
    "exploitation_forms",
    "exploitation_places",
    "exploitation_started_on",
    "exploitation_ended_on",
    "substances",
    "health_notes",
    "schooling",
    "safety_notes",
)

_TEXT_FIELDS = frozenset(
    {
        "first_name",
        "last_name",
        "aliases",
        "nationality",
        "languages",
        "legal_representative",
        "ad_hoc_administrator_appointed_by",
        "ad_hoc_administrator_name",
        "departement",
        "exploitation_places",
        "health_notes",
        "safety_notes",
        "gender",
        "guardianship",
        "care_status",
        "referral_source",
        "schooling",
    }
)
_UPPERCASE_FIELDS = frozenset({"nationality", "departement"})  # ISO codes; "2A", "2B"
_BOOLEAN_FIELDS = frozenset({"age_disputed", "unaccompanied", "disability", "pregnant"})
# Dates of facts already past: a date in the future is a typing error.
_PAST_DATE_FIELDS = (
    "birth_date",
    "ad_hoc_administrator_requested_on",
    "ad_hoc_administrator_appointed_on",
    "exploitation_started_on",
    "exploitation_ended_on",
)
# Lists of codes, each checked against its vocabulary.
_CODE_LISTS: dict[str, type[TextChoices]] = {
    "exploitation_forms": ExploitationForm,
    "substances": Substance,
}


class CaseEditConflict(Exception):
    """The file changed since the form was read: ``current`` is the file as it is now."""

    def __init__(self, *, current: Case, expected_version: int) -> None:
        super().__init__(
            f"Case {current.uuid} is at version {current.version}, not {expected_version}."
        )
        self.current = current
        self.expected_version = expected_version


def case_locked_at_version(*, case: Case, expected_version: int) -> Case:
    """The file's row, locked until the transaction ends, if still at ``expected_version``.

    Raises CaseEditConflict otherwise. On PostgreSQL the row lock makes a second writer wait
    here and then see the first one's version; SQLite's write transactions are serialised
    (transaction_mode IMMEDIATE). case_version_write re-checks the version in its UPDATE anyway.
    """
    current = Case.objects.select_for_update().select_related("organisation").get(pk=case.pk)
    if current.version != expected_version:
        raise CaseEditConflict(current=current, expected_version=expected_version)
    return current


def case_version_write(*, case: Case, expected_version: int, values: Mapping[str, Any]) -> int:
    """``UPDATE ... SET ..., version = expected + 1 WHERE pk = .. AND version = expected``.

    Returns the new version; raises CaseEditConflict when no row was at the expected version.
    """
    new_version = expected_version + 1
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        **values, version=new_version, updated_at=timezone.now()
    )
    if updated != 1:
        raise CaseEditConflict(
            current=Case.objects.get(pk=case.pk), expected_version=expected_version
        )
    return new_version


def _normalised(name: str, value: Any, errors: dict[str, list[str]]) -> Any:
    """The value as the file stores it; type errors are collected in ``errors`` by field."""
    if name in _TEXT_FIELDS:
        if value is None:
            return ""
        if not isinstance(value, str):
            errors.setdefault(name, []).append(_("Enter a text."))
            return value
        value = value.strip()
        return value.upper() if name in _UPPERCASE_FIELDS else value
    if name in _BOOLEAN_FIELDS:
        if not isinstance(value, bool):
            errors.setdefault(name, []).append(_("Answer yes or no."))
        return value
    if name in _PAST_DATE_FIELDS:
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            errors.setdefault(name, []).append(_("Enter a valid date."))
        return value
    if name in _CODE_LISTS:
        if isinstance(value, str) or not isinstance(value, Sequence):
            errors.setdefault(name, []).append(_("Choose from the list."))
            return value
        return sorted(set(value))
    if name == "assigned_to":
        if value is not None and not isinstance(value, User):
            errors.setdefault(name, []).append(_("Choose a person from the list."))
        return value
    return value  # integers: checked by the model field (full_clean)


def _comparable(name: str, value: Any) -> Any:
    if name == "assigned_to":
        return value.pk if value is not None else None
    return value


def case_edit_values(case: Case) -> dict[str, Any]:
    """The editable fields of ``case`` (decrypted), as a form starts from and a diff compares."""
    values = {name: getattr(case, name) for name in EDITABLE_FIELDS}
    for name in _CODE_LISTS:
        values[name] = sorted(set(values[name] or []))
    return values


def case_edit_differences(*, current: Case, changes: Mapping[str, Any]) -> list[str]:
    """Fields whose value in ``changes`` differs from the file as it is (after normalisation and
    the birth year derived from a birth date), in the order of EDITABLE_FIELDS."""
    proposed = _proposal(current, changes, errors={})
    before = case_edit_values(current)
    return [
        name
        for name in EDITABLE_FIELDS
        if _comparable(name, getattr(proposed, name)) != _comparable(name, before[name])
    ]


def _proposal(current: Case, changes: Mapping[str, Any], errors: dict[str, list[str]]) -> Case:
    """A copy of ``current`` with ``changes`` applied and the birth year derived (not saved)."""
    proposed = copy.copy(current)
    for name, value in changes.items():
        setattr(proposed, name, _normalised(name, value, errors))
    if isinstance(proposed.birth_date, date):
        # The year alone is kept in clear for statistics (see Case.birth_year).
        proposed.birth_year = proposed.birth_date.year
    return proposed


def _validate(
    *, actor: Actor, current: Case, proposed: Case, touched: set[str], changed: set[str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        proposed.full_clean(
            exclude=[f.name for f in Case._meta.fields if f.name not in touched],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    today = timezone.localdate()
    for name, vocabulary in _CODE_LISTS.items():
        unknown = sorted(set(getattr(proposed, name)) - set(vocabulary.values))
        if name in touched and unknown:
            errors.setdefault(name, []).append(
                _("Unknown value: %(values)s") % {"values": ", ".join(map(str, unknown))}
            )
    for name in _PAST_DATE_FIELDS:
        value = getattr(proposed, name)
        if name in changed and isinstance(value, date) and value > today:
            errors.setdefault(name, []).append(_("This date cannot be in the future."))
    if (
        "birth_date" in changed
        and proposed.birth_date
        and proposed.birth_date > current.identified_on
    ):
        errors.setdefault("birth_date", []).append(
            _("The birth date cannot be after the day the young person was identified.")
        )
    if "birth_year" in changed and proposed.birth_year and proposed.birth_year > today.year:
        errors.setdefault("birth_year", []).append(_("The birth year cannot be in the future."))
    started, ended = proposed.exploitation_started_on, proposed.exploitation_ended_on
    if (
        {"exploitation_started_on", "exploitation_ended_on"} & changed
        and isinstance(started, date)
        and isinstance(ended, date)
        and ended < started
    ):
        errors.setdefault("exploitation_ended_on", []).append(
            _("The end of the exploitation cannot be before its start.")
        )
    if "assigned_to" in changed:
        _check_assignment(actor=actor, case=current, worker=proposed.assigned_to, errors=errors)
    return errors


def _check_assignment(
    *, actor: Actor, case: Case, worker: User | None, errors: dict[str, list[str]]
) -> None:
    """Assigning a file is a coordinator's decision (Permission.CASE_ASSIGN), to someone who
    works on children's files in the file's own organisation."""
    assert actor.user is not None  # noqa: S101 (checked by _require)
    if not actor.user.has_vigie_permission(Permission.CASE_ASSIGN):
        raise PermissionDenied
    if worker is None:
        return
    if (
        worker.organisation_id != case.organisation_id
        or worker.role not in CASE_ROLES
        or not worker.is_active
    ):
        errors.setdefault("assigned_to", []).append(
            _(
                "A file can only be assigned to an active caseworker or coordinator "
                "of its organisation."
            )
        )


@transaction.atomic
def case_update(
    *, actor: Actor, case: Case, expected_version: int, changes: Mapping[str, Any]
) -> Case:
    """Apply ``changes`` (field name -> new value) to the file read at ``expected_version``.

    ``case`` must come from case_get_for_user. Raises PermissionDenied,
    ValidationError({field: [messages]}) or CaseEditConflict (with the current file). Values
    equal to the stored ones are not changes: when nothing differs, nothing is written and the
    version stays. Returns the file as saved.
    """
    _require(actor, Permission.CASE_EDIT)
    _require_owner(actor, case)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            {name: _("This field cannot be changed by editing the file.") for name in unknown}
        )
    current = case_locked_at_version(case=case, expected_version=expected_version)
    before = case_edit_values(current)

    errors: dict[str, list[str]] = {}
    proposed = _proposal(current, changes, errors)
    touched = set(changes) | ({"birth_year"} if "birth_date" in changes else set())
    changed = {
        name
        for name in touched
        if name not in errors
        and _comparable(name, getattr(proposed, name)) != _comparable(name, before[name])
    }
    if not errors:
        errors = _validate(
            actor=actor, current=current, proposed=proposed, touched=touched, changed=changed
        )
        # full_clean may have converted values (e.g. "3" to 3 children): compare again.
        changed = {
            name
            for name in touched
            if _comparable(name, getattr(proposed, name)) != _comparable(name, before[name])
        }
    if errors:
        raise ValidationError(errors)
    if not changed:
        return current

    values: dict[str, Any] = {name: getattr(proposed, name) for name in changed}
    if {"first_name", "last_name"} & changed:
        values["name_index"] = full_name_index(proposed.first_name, proposed.last_name)
    if {"birth_date", "birth_year", "age_disputed"} & changed:
        values["majority_month"] = majority_month(
            birth_date=proposed.birth_date,
            birth_year=proposed.birth_year,
            disputed=proposed.age_disputed,
        )
    new_version = case_version_write(case=current, expected_version=expected_version, values=values)
    fields = [name for name in EDITABLE_FIELDS if name in changed]
    change = CaseChange.objects.create(
        case=current, fields=fields, version=new_version, created_by=actor.user
    )
    current.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.CASE_UPDATE, objects=[current, change])
    rights_plan_refresh(case=current, actor=actor)
    return current
