"""Keeping the directory of institutional contacts: one entry at a time, or a whole CSV file.

The 2016 national protocol for trafficked minors was never generalised for want of shared contact
lists: every entry is readable by every organisation, and each organisation keeps its own entries
(DIRECTORY_MANAGE, on entries ``maintained_by`` it). Entries hold no child data: the audit trail
records who changed which entry, nothing else.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from ..csv_io import Column, CsvFileError, RowError, csv_read, csv_write
from ..departements import departement_get
from ..models import ContactKind, DirectoryEntry, Need
from ..selectors_directory import DirectoryFilters, directory_entries_filtered

PHONE_REGION = "FR"
NEEDS_SEPARATOR = "|"
# The file's columns, in the order the export writes them (documented on the import page).
CSV_COLUMNS = ("name", "kind", "departement", "needs", "role", "hours", "phone", "email", "address")
ROLE_MAX_LENGTH = 2000
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000


# --- Validation of one field, shared by the forms' services and the CSV import ------------------


def _length(value: str, limit: int) -> str:
    if len(value) > limit:
        raise ValidationError(
            _("At most %(limit)s characters (%(count)s given).")
            % {"limit": limit, "count": len(value)}
        )
    return value


def name_clean(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError(_("Give the name of the service or person."))
    return _length(value, 200)


def kind_clean(value: str) -> str:
    value = value.strip()
    if value not in ContactKind.values:
        raise ValidationError(
            _("Unknown kind “%(value)s”. Use one of: %(allowed)s.")
            % {"value": value, "allowed": ", ".join(ContactKind.values)}
        )
    return value


def departement_clean(value: str) -> str:
    value = value.strip()
    # Spreadsheets turn "06" into 6: a single digit is a département code that lost its zero.
    if len(value) == 1 and value.isdigit():
        value = "0" + value
    departement = departement_get(value) if value else None
    if departement is None:
        raise ValidationError(
            _("Unknown département “%(value)s”: give its code, e.g. 75, 2A or 974.")
            % {"value": value}
        )
    return departement.code


def needs_clean(values: Iterable[str]) -> list[str]:
    needs: list[str] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        if value not in Need.values:
            raise ValidationError(
                _("Unknown need “%(value)s”. Use one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(Need.values)}
            )
        if value not in needs:
            needs.append(value)
    return needs


def needs_parse(cell: str) -> list[str]:
    return needs_clean(cell.split(NEEDS_SEPARATOR))


def phone_clean(value: str) -> str:
    """E.164. A French number may be written nationally ("01 23 45 67 89"); any other country's
    needs its "+" prefix (a partner abroad, seed §I transnational protocol)."""
    value = value.strip()
    if not value:
        return ""
    invalid = ValidationError(
        _(
            "“%(value)s” is not a valid phone number. Write a French number as "
            "01 23 45 67 89, or any number with its country code, as +33 1 23 45 67 89."
        )
        % {"value": value}
    )
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException as problem:
        raise invalid from problem
    if not phonenumbers.is_valid_number(number):
        raise invalid
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email_clean(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as problem:
        raise ValidationError(
            _("“%(value)s” is not a valid email address.") % {"value": value}
        ) from problem
    return _length(value, 254)


def hours_clean(value: str) -> str:
    return _length(value.strip(), 200)


def role_clean(value: str) -> str:
    return _length(value.strip(), ROLE_MAX_LENGTH)


def address_clean(value: str) -> str:
    return _length(value.strip(), 300)


def _fields_clean(data: dict[str, Any]) -> dict[str, Any]:
    """Every field checked; all the problems at once, each under its field's name."""
    cleaners = {
        "name": name_clean,
        "kind": kind_clean,
        "departement": departement_clean,
        "needs": needs_clean,
        "role": role_clean,
        "hours": hours_clean,
        "phone": phone_clean,
        "email": email_clean,
        "address": address_clean,
    }
    cleaned: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, clean in cleaners.items():
        try:
            cleaned[name] = clean(data[name])
        except ValidationError as error:
            problems[name] = error.messages
    if problems:
        raise ValidationError(problems)
    return cleaned


# --- Permission --------------------------------------------------------------------------------


def _manager_organisation(actor: Actor) -> Organisation:
    user = actor.user
    if (
        user is None
        or user.organisation is None
        or not user.has_vigie_permission(Permission.DIRECTORY_MANAGE)
    ):
        raise PermissionDenied
    return user.organisation


def _require_maintainer(actor: Actor, entry: DirectoryEntry) -> None:
    if _manager_organisation(actor).pk != entry.maintained_by_id:
        raise PermissionDenied


def _duplicate_error() -> ValidationError:
    return ValidationError(
        {"name": _("This département already has an entry of this kind with this name.")}
    )


def _key_taken(cleaned: dict[str, Any], *, excluding: DirectoryEntry | None = None) -> bool:
    same_key = DirectoryEntry.objects.filter(
        departement=cleaned["departement"], kind=cleaned["kind"], name=cleaned["name"]
    )
    if excluding is not None:
        same_key = same_key.exclude(pk=excluding.pk)
    return same_key.exists()


def _saved(entry: DirectoryEntry) -> None:
    # The constraint decides in the end (two people saving the same key at once).
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as problem:
        raise _duplicate_error() from problem


# --- One entry ---------------------------------------------------------------------------------


@transaction.atomic
def directory_entry_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    departement: str,
    needs: Iterable[str] = (),
    role: str = "",
    hours: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> DirectoryEntry:
    organisation = _manager_organisation(actor)
    cleaned = _fields_clean(
        {
            "name": name,
            "kind": kind,
            "departement": departement,
            "needs": list(needs),
            "role": role,
            "hours": hours,
            "phone": phone,
            "email": email,
            "address": address,
        }
    )
    if _key_taken(cleaned):
        raise _duplicate_error()
    entry = DirectoryEntry(
        **cleaned,
        maintained_by=organisation,
        created_by=actor.user,
    )
    _saved(entry)
    audit_record(actor=actor, action=AuditAction.DIRECTORY_CHANGE, objects=[entry])
    return entry


@transaction.atomic
def directory_entry_update(
    *,
    actor: Actor,
    entry: DirectoryEntry,
    name: str,
    kind: str,
    departement: str,
    needs: Iterable[str] = (),
    role: str = "",
    hours: str = "",
    phone: str = "",
    email: str = "",
    address: str = "",
) -> DirectoryEntry:
    _require_maintainer(actor, entry)
    cleaned = _fields_clean(
        {
            "name": name,
            "kind": kind,
            "departement": departement,
            "needs": list(needs),
            "role": role,
            "hours": hours,
            "phone": phone,
            "email": email,
            "address": address,
        }
    )
    if _key_taken(cleaned, excluding=entry):
        raise _duplicate_error()
    for attribute, value in cleaned.items():
        setattr(entry, attribute, value)
    _saved(entry)
    audit_record(actor=actor, action=AuditAction.DIRECTORY_CHANGE, objects=[entry])
    return entry


@transaction.atomic
def directory_entry_delete(*, actor: Actor, entry: DirectoryEntry) -> None:
    _require_maintainer(actor, entry)
    # Recorded before the row goes: the event names the entry's UUID, which stays meaningful.
    audit_record(actor=actor, action=AuditAction.DIRECTORY_CHANGE, objects=[entry])
    entry.delete()


# --- A whole file ------------------------------------------------------------------------------


def _import_columns() -> list[Column]:
    return [
        Column("name", name_clean, required=True),
        Column("kind", kind_clean, required=True),
        Column("departement", departement_clean, required=True),
        Column("needs", needs_parse),
        Column("role", role_clean),
        Column("hours", hours_clean),
        Column("phone", phone_clean),
        Column("email", email_clean),
        Column("address", address_clean),
    ]


@dataclass
class ImportReport:
    """What an import found and did. ``written`` is False on a dry run and whenever any row is
    bad: then ``errors`` says which line and column, and nothing was written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _entries_by_key(keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], DirectoryEntry]:
    if not keys:
        return {}
    departements = {k[0] for k in keys}
    existing = DirectoryEntry.objects.filter(departement__in=departements).select_for_update()
    return {
        (e.departement, e.kind, e.name): e
        for e in existing
        if (e.departement, e.kind, e.name) in keys
    }


@transaction.atomic
def directory_import_csv(*, actor: Actor, file: bytes | str, dry_run: bool) -> ImportReport:
    """All or nothing: every row is checked first, and only a file without a single bad row is
    written (in this one transaction). A row whose (département, kind, name) matches an entry of
    the importing organisation updates it, so importing the same file twice changes nothing; one
    matching another organisation's entry is an error for that row.

    Raises ValidationError on "file" when the file cannot be read at all (size, encoding,
    header)."""
    organisation = _manager_organisation(actor)
    try:
        read = csv_read(
            content=file,
            columns=_import_columns(),
            max_bytes=IMPORT_MAX_BYTES,
            max_rows=IMPORT_MAX_ROWS,
        )
    except CsvFileError as problem:
        raise ValidationError({"file": problem.message}) from problem
    report = ImportReport(rows=len(read.rows) + len({e.line for e in read.errors}), dry_run=dry_run)
    report.errors = list(read.errors)

    first_line: dict[tuple[str, str, str], int] = {}
    keyed_rows = []
    for row in read.rows:
        key = (row.values["departement"], row.values["kind"], row.values["name"])
        if key in first_line:
            report.errors.append(
                RowError(
                    row.line,
                    "name",
                    _("Same département, kind and name as line %(line)s.")
                    % {"line": first_line[key]},
                )
            )
            continue
        first_line[key] = row.line
        keyed_rows.append((key, row))

    existing = _entries_by_key(set(first_line))
    to_create: list[DirectoryEntry] = []
    to_update: list[DirectoryEntry] = []
    for key, row in keyed_rows:
        entry = existing.get(key)
        if entry is None:
            to_create.append(
                DirectoryEntry(**row.values, maintained_by=organisation, created_by=actor.user)
            )
        elif entry.maintained_by_id != organisation.pk:
            report.errors.append(
                RowError(
                    row.line,
                    "name",
                    _(
                        "Another organisation keeps an entry with this département, kind and "
                        "name: ask it to change that one."
                    ),
                )
            )
        else:
            for attribute, value in row.values.items():
                setattr(entry, attribute, value)
            to_update.append(entry)

    report.errors.sort(key=lambda e: (e.line, CSV_COLUMNS.index(e.column) if e.column else -1))
    report.created, report.updated = len(to_create), len(to_update)
    if dry_run or report.errors:
        return report
    now = timezone.now()
    for entry in to_update:
        entry.updated_at = now  # bulk_update skips auto_now
    try:
        with transaction.atomic():
            DirectoryEntry.objects.bulk_create(to_create, batch_size=500)
            DirectoryEntry.objects.bulk_update(
                to_update, [*CSV_COLUMNS, "updated_at"], batch_size=500
            )
    except IntegrityError as problem:
        raise ValidationError(
            {"file": _("Someone changed the directory meanwhile: import the file again.")}
        ) from problem
    # Once per file, not per row (20,000 rows would bury the trail); the counts as a code.
    audit_record(
        actor=actor,
        action=AuditAction.DIRECTORY_IMPORT,
        reason_code=f"created-{report.created}-updated-{report.updated}",
    )
    report.written = True
    return report


def _export_row(entry: DirectoryEntry) -> list[str]:
    return [
        entry.name,
        entry.kind,
        entry.departement,
        NEEDS_SEPARATOR.join(entry.needs),
        entry.role,
        entry.hours,
        entry.phone,
        entry.email,
        entry.address,
    ]


def directory_export_csv(*, actor: Actor, filters: DirectoryFilters | None = None) -> str:
    """The entries the search would show, in the import's columns (an export imports back
    unchanged), every cell neutralised against formula injection."""
    entries = directory_entries_filtered(actor=actor, filters=filters or DirectoryFilters())
    return csv_write(header=CSV_COLUMNS, rows=(_export_row(e) for e in entries.iterator()))
