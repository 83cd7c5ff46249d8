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
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from ..csv_io import Column, CsvFileError, csv_header_check, csv_write
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


@dataclass
class ImportReport:
    """What an import found and did. ``written`` is False on a dry run and whenever any row is
    bad: then ``errors`` says which line and column, and nothing was written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[Any] = field(default_factory=list)  # vigie.imports RowError: line, column…
    dry_run: bool = True
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _header_columns(headers: list[str]) -> dict[str, str]:
    """The directory's file names its columns as the export writes them (the page documents
    them): field -> header, or ValidationError on "file" saying what is wrong."""
    try:
        names = csv_header_check(headers, [Column(name) for name in CSV_COLUMNS])
    except CsvFileError as problem:
        raise ValidationError({"file": problem.message}) from problem
    return dict(zip(names, headers, strict=True))


@transaction.atomic
def directory_import_csv(*, actor: Actor, file: bytes | str, dry_run: bool) -> ImportReport:
    """All or nothing: every row is checked first, and only a file without a single bad row is
    written (in this one transaction). A row whose (département, kind, name) matches an entry of
    the importing organisation updates it, so importing the same file twice changes nothing; one
    matching another organisation's entry is an error for that row.

    The import machinery of vigie/imports does the work (its "directory" target), as for the
    case files and the places; this keeps the directory page's fixed columns and its limits.
    Raises ValidationError on "file" when the file cannot be read at all (size, encoding,
    header)."""
    from vigie.imports.readers import FileUnreadable, table_read
    from vigie.imports.services import import_direct

    _manager_organisation(actor)
    content = file.encode("utf-8") if isinstance(file, str) else file
    if len(content) > IMPORT_MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is too large: %(size)s MB at most.")
                % {"size": f"{IMPORT_MAX_BYTES / (1024 * 1024):g}"}
            }
        )
    try:
        table = table_read(filename="directory.csv", content=content)
    except FileUnreadable as problem:
        raise ValidationError({"file": problem.message}) from problem
    outcome = import_direct(
        actor=actor,
        target="directory",
        filename="directory.csv",
        content=content,
        columns=_header_columns(table.headers),
        dry_run=dry_run,
        max_rows=IMPORT_MAX_ROWS,
    )
    return ImportReport(
        rows=outcome.check.rows_total,
        created=outcome.check.new_count,
        updated=outcome.check.match_count,
        errors=outcome.errors,
        dry_run=dry_run,
        written=outcome.written is not None,
    )


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
