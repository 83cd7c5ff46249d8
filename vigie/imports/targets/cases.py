"""Importing children's case files from an organisation's former tool or spreadsheet.

The target itself: who may import, the checks of a row beyond its cells, and how duplicates are
recognised. The columns and their vocabularies are in cases_fields.py; the new files and their
rights plans are prepared and written by cases_batch.py.

Duplicates: every imported row leaves a fingerprint (ImportedRecord): the organisation's own
reference for the child (``external_id``) when the file has one, otherwise a keyed digest of the
normalised identity (names, aliases, birth, gender, nationality, day identified). A row whose
fingerprint exists is skipped, so a file imported twice, or one that repeats earlier rows, makes
each file once.
"""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction
from vigie.core.crypto import blind_index

from ..models import ImportedRecord, ImportTarget
from .base import Target
from .cases_batch import LOOKUP_CHUNK, CasesBatch
from .cases_fields import FIELDS

EXTERNAL_ID_PURPOSE = "imports.cases.external_id"
IDENTITY_PURPOSE = "imports.cases.identity"
IDENTIFYING = ("external_id", "first_name", "last_name", "aliases", "birth_date", "birth_year")


def _identity(values: dict[str, Any]) -> str:
    born = (
        values["birth_date"].isoformat()
        if values["birth_date"]
        else str(values["birth_year"] or "")
    )
    identified = values["identified_on"].isoformat() if values["identified_on"] else ""
    parts = (
        values["first_name"],
        values["last_name"],
        values["aliases"],
        born,
        values["gender"],
        values["nationality"],
        identified,
    )
    return "\x1f".join(parts)


class CasesTarget(Target):
    name = ImportTarget.CASES
    permission = Permission.CASE_IMPORT
    audit_action = AuditAction.CASE_IMPORT
    fields = FIELDS
    on_match = "skip"
    repeat_is_error = False
    identifying = IDENTIFYING

    def row_check(self, values: dict[str, Any]) -> dict[str, str]:
        problems: dict[str, str] = {}
        today = timezone.localdate()
        identified: date | None = values["identified_on"]
        born: date | None = values["birth_date"]
        if identified is not None and identified > today:
            problems["identified_on"] = _("This date is in the future.")
        if born is not None and born > (identified or today):
            problems["birth_date"] = (
                _("The birth date is after the day the child was identified.")
                if identified
                else _("This date is in the future.")
            )
        year = values["birth_year"]
        if born is not None and year is not None and born.year != year:
            problems["birth_year"] = _("%(year)s is not the year of the birth date (%(date)s).") % {
                "year": year,
                "date": born.isoformat(),
            }
        if not problems and not any(values[name] for name in IDENTIFYING):
            problems[""] = _(
                "Nothing identifies the child: give at least a name, an alias, a birth date or "
                "your reference."
            )
        return problems

    def row_key(self, values: dict[str, Any]) -> str:
        if values["external_id"]:
            return "ref:" + blind_index(values["external_id"], purpose=EXTERNAL_ID_PURPOSE)
        return "id:" + blind_index(_identity(values), purpose=IDENTITY_PURPOSE)

    def matches(self, organisation: Organisation, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for start in range(0, len(keys), LOOKUP_CHUNK):
            found.update(
                ImportedRecord.objects.filter(
                    organisation=organisation,
                    target=ImportTarget.CASES,
                    key__in=keys[start : start + LOOKUP_CHUNK],
                ).values_list("key", "object_uuid")
            )
        return found

    def batch(self, *, actor: Actor, organisation: Organisation, job: Any) -> CasesBatch:
        return CasesBatch(actor=actor, organisation=organisation, job=job)
