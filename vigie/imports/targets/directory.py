"""Importing directory entries: each field checked by the directory's own cleaners
(vigie/network/services/directory.py), so that a file and the form accept the same values.

A row whose (département, kind, name) matches an entry of the importing organisation updates
it, so importing the same file twice changes nothing; one matching another organisation's entry
is an error for that row (the directory is shared, each organisation keeps its own entries).
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction
from vigie.network.models import ContactKind, DirectoryEntry, Need
from vigie.network.services.directory import (
    CSV_COLUMNS,
    address_clean,
    email_clean,
    hours_clean,
    name_clean,
    phone_clean,
    role_clean,
)

from ..fields import (
    HELP_DEPARTEMENT,
    HELP_TEXT,
    ImportField,
    choice_display,
    choice_parser,
    departement_parse,
    list_parser,
)
from ..models import ImportTarget
from .base import Row, Target, WriteConflict, WriteResult

LOOKUP_CHUNK = 900
KEY_SEPARATOR = "\x1f"

FIELDS = (
    ImportField(
        "name",
        gettext_lazy("Name"),
        True,
        gettext_lazy("The service's or person's name."),
        parse=name_clean,
        synonyms=("nom", "service", "structure"),
    ),
    ImportField(
        "kind",
        gettext_lazy("Kind"),
        True,
        gettext_lazy("The kind of service: its code or its name (e.g. uaped, SIAO / 115)."),
        parse=choice_parser(ContactKind),
        display=choice_display(ContactKind),
        synonyms=("type", "categorie"),
    ),
    ImportField(
        "departement",
        gettext_lazy("Département"),
        True,
        HELP_DEPARTEMENT,
        parse=departement_parse,
        synonyms=("dept", "dep"),
    ),
    ImportField(
        "needs",
        gettext_lazy("Needs answered"),
        False,
        gettext_lazy("One or several, separated by “|”, “;” or “,” (e.g. health|legal)."),
        parse=list_parser(choice_parser(Need), ordered=False),
        default=[],
        display=choice_display(Need),
        synonyms=("besoins",),
    ),
    ImportField(
        "role",
        gettext_lazy("Role"),
        False,
        HELP_TEXT,
        parse=role_clean,
        synonyms=("role", "missions"),
    ),
    ImportField(
        "hours", gettext_lazy("Hours"), False, HELP_TEXT, parse=hours_clean, synonyms=("horaires",)
    ),
    ImportField(
        "phone",
        gettext_lazy("Phone"),
        False,
        gettext_lazy("01 23 45 67 89, or with its country code: +33 1 23 45 67 89."),
        parse=phone_clean,
        synonyms=("telephone", "tel"),
    ),
    ImportField(
        "email",
        gettext_lazy("Email"),
        False,
        gettext_lazy("An email address."),
        parse=email_clean,
        synonyms=("courriel", "mail", "e-mail", "adresse electronique"),
    ),
    ImportField(
        "address",
        gettext_lazy("Address"),
        False,
        HELP_TEXT,
        parse=address_clean,
        synonyms=("adresse",),
    ),
)


class DirectoryTarget(Target):
    name = ImportTarget.DIRECTORY
    permission = Permission.DIRECTORY_MANAGE
    audit_action = AuditAction.DIRECTORY_IMPORT
    fields = FIELDS
    on_match = "update"
    repeat_is_error = True

    def row_check(self, values: dict[str, Any]) -> dict[str, str]:
        return {}

    def row_key(self, values: dict[str, Any]) -> str:
        return KEY_SEPARATOR.join((values["departement"], values["kind"], values["name"]))

    def repeat_message(self, first_line: int) -> tuple[str, str]:
        return "name", _("Same département, kind and name as line %(line)s.") % {"line": first_line}

    def matches(self, organisation: Organisation, keys: list[str]) -> dict[str, Any]:
        wanted = set(keys)
        names = sorted({key.split(KEY_SEPARATOR, 2)[2] for key in keys})
        found: dict[str, Any] = {}
        for start in range(0, len(names), LOOKUP_CHUNK):
            for entry in DirectoryEntry.objects.filter(
                name__in=names[start : start + LOOKUP_CHUNK]
            ):
                key = KEY_SEPARATOR.join((entry.departement, entry.kind, entry.name))
                if key not in wanted:
                    continue
                if entry.maintained_by_id != organisation.pk:
                    found[key] = (
                        "name",
                        _(
                            "Another organisation keeps an entry with this département, kind and "
                            "name: ask it to change that one."
                        ),
                    )
                else:
                    found[key] = entry
        return found

    def batch(self, *, actor: Actor, organisation: Organisation, job: Any) -> "DirectoryBatch":
        return DirectoryBatch(actor=actor, organisation=organisation)


class DirectoryBatch:
    def __init__(self, *, actor: Actor, organisation: Organisation) -> None:
        self.actor = actor
        self.organisation = organisation
        self.created: list[DirectoryEntry] = []
        self.updated: list[DirectoryEntry] = []

    def add_new(self, rows: list[Row]) -> None:
        self.created.extend(
            DirectoryEntry(
                **row.values, maintained_by=self.organisation, created_by=self.actor.user
            )
            for row in rows
        )

    def add_matches(self, rows: list[tuple[Row, Any]]) -> None:
        for row, entry in rows:
            for attribute, value in row.values.items():
                setattr(entry, attribute, value)
            self.updated.append(entry)

    def close(self) -> None:
        """Nothing held but the rows."""

    def write(self) -> WriteResult:
        now = timezone.now()
        for entry in self.updated:
            entry.updated_at = now  # bulk_update skips auto_now
        try:
            with transaction.atomic():
                DirectoryEntry.objects.bulk_create(self.created, batch_size=500)
                DirectoryEntry.objects.bulk_update(
                    self.updated, [*CSV_COLUMNS, "updated_at"], batch_size=500
                )
        except IntegrityError as problem:
            raise WriteConflict(
                _("Someone changed the directory meanwhile: import the file again.")
            ) from problem
        return WriteResult(
            created=[e.uuid for e in self.created], updated=[e.uuid for e in self.updated]
        )
