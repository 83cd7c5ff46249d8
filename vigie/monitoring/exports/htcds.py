"""The organisation's case files in IOM's Human Trafficking Case Data Standard (HTCDS) 2.0.

One record per file of the organisation (the files it holds, archived ones excepted), for IOM
and CTDC partners: the file leaves the organisation, so it carries pseudonymous, coded fields
only. Never a name, a birth date, a date of any kind, a place, the internal reference or a text a
person wrote: the age in years, gender, citizenship and the coded situation (forms of
exploitation, methods of control, trafficking status, case status).

The columns and what fills them: htcds_columns.py; the field list: htcds_fields.py.

The record identifier: HTCDS has no field for one (the template numbers its lines in an unnamed
column), so the file adds ``cas_CaseNumber``, the Case object's standard number in the Salesforce
model HTCDS is built on. It is drawn at random for each export and kept nowhere: two exports
cannot be linked to each other (a partner receiving one each year cannot follow a child from one
to the next), and nobody, Vigie included, can trace a record back to a file. An HMAC of the uuid
with a per-export salt would do the same only as long as the salt is thrown away; a random draw
says so by construction.

``htcds_validate`` checks every column and value against the field list (and that no free text or
identifying field is filled); ``htcds_export`` refuses to write a file that does not pass.
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.audit.services import Actor, audit_record
from vigie.cases.models import Case
from vigie.identification.models import Screening
from vigie.network.csv_io import csv_write

from ..countries import countries_load
from .htcds_columns import FIXED_TEXTS, HEADER, HTCDS_COLUMNS, CaseFacts
from .htcds_fields import MULTIPLE_SEPARATOR, RECORD_KEY, HtcdsField, htcds_fields_load

__all__ = ["HEADER", "HtcdsExport", "HtcdsInvalid", "htcds_export", "htcds_validate"]


class HtcdsInvalid(Exception):
    """The export does not validate against the field list: a bug, the file is not written."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


def _value_problems(field: HtcdsField, value: str) -> list[str]:
    if field.is_picklist:
        parts = value.split(MULTIPLE_SEPARATOR) if field.is_multiple else [value]
        if len(set(parts)) != len(parts):
            return [_("“%(value)s” repeats a value.") % {"value": value}]
        allowed: set[str] | frozenset[str]
        if field.standard == "ISO 3166":
            codes = countries_load().countries.values()
            allowed = {c.alpha3 for c in codes} | {c.code for c in codes}
        elif field.standard:
            return [
                _("No list of %(standard)s codes to check against.") % {"standard": field.standard}
            ]
        else:
            allowed = set(field.values)
        return [
            _("“%(value)s” is not in the picklist.") % {"value": part}
            for part in parts
            if part not in allowed
        ]
    if field.type == "Number":
        return [] if value.isdigit() else [_("“%(value)s” is not a number.") % {"value": value}]
    if field.type in ("Text", "Long Text"):
        if all(part in FIXED_TEXTS for part in value.split("; ")):
            return []
        return [_("Free text is never exported.")]
    return [_("Vigie never fills this field.")]


def htcds_validate(
    rows: Sequence[Mapping[str, str]], *, columns: Sequence[str] | None = None
) -> list[str]:
    """Every problem of ``rows`` against the HTCDS 2.0 field list; [] when they validate.

    Every column must be an HTCDS field in use (or the record key), every value of a picklist
    one of its values, a number a number; identifying and free-text fields stay empty (text
    fields hold only Vigie's fixed words). ``columns`` defaults to the first row's.
    """
    fields = htcds_fields_load()
    names = list(columns if columns is not None else (rows[0] if rows else ()))
    problems: list[str] = []
    for name in sorted({name for name in names if names.count(name) > 1}):
        problems.append(_("Column %(column)s is given twice.") % {"column": name})
    if RECORD_KEY not in names:
        problems.append(_("The record identifier %(column)s is missing.") % {"column": RECORD_KEY})
    usable: dict[str, HtcdsField] = {}
    for name in names:
        field = fields.get(name)
        if name == RECORD_KEY:
            continue
        if field is None:
            problems.append(_("Column %(column)s is not an HTCDS 2.0 field.") % {"column": name})
        elif field.status == "DEPRECATED":
            problems.append(_("Column %(column)s is a deprecated field.") % {"column": name})
        else:
            usable[name] = field
    keys: set[str] = set()
    for number, row in enumerate(rows, start=1):
        if list(row) != names:
            problems.append(_("Record %(number)s has other columns.") % {"number": number})
            continue
        key = row.get(RECORD_KEY, "")
        if not key or key in keys:
            problems.append(
                _("Record %(number)s: its identifier is empty or repeated.") % {"number": number}
            )
        keys.add(key)
        for name, field in usable.items():
            value = row[name]
            if value:
                problems.extend(
                    _("Record %(number)s, %(column)s: %(problem)s")
                    % {"number": number, "column": name, "problem": problem}
                    for problem in _value_problems(field, value)
                )
    return problems


def htcds_cases(organisation: Organisation) -> QuerySet[Case]:
    """The files an HTCDS export covers: the organisation's own, archived ones excepted (an
    archived file is opened one at a time, with a reason: never in bulk)."""
    return Case.objects.filter(organisation=organisation, archived_at__isnull=True)


def _facts(organisation: Organisation) -> list[tuple[Any, CaseFacts]]:
    """(uuid, facts) of every file, in two queries. No encrypted column is selected."""
    cases = list(
        htcds_cases(organisation)
        .order_by()
        .values(
            "id",
            "uuid",
            "gender",
            "nationality",
            "exploitation_forms",
            "majority_month",
            "identified_on",
            "exploitation_started_on",
            "status",
        )
    )
    latest: dict[int, Any] = {}
    screenings = (
        Screening.objects.filter(case__in=htcds_cases(organisation))
        .order_by("case_id", "-created_at", "-id")
        .values("case_id", "assessment", "input")
    )
    for screening in screenings.iterator(chunk_size=2000):
        latest.setdefault(screening["case_id"], screening)
    result = []
    for case in cases:
        screening = latest.get(case["id"], {})
        indicators = (screening.get("input") or {}).get("indicators") or []
        result.append(
            (
                case["uuid"],
                CaseFacts(
                    gender=case["gender"] or "unknown",
                    nationality=case["nationality"] or "",
                    forms=tuple(str(form) for form in case["exploitation_forms"] or []),
                    majority_month=case["majority_month"],
                    identified_on=case["identified_on"],
                    exploitation_started_on=case["exploitation_started_on"],
                    status=case["status"],
                    assessment=screening.get("assessment"),
                    indicators=tuple(str(indicator) for indicator in indicators),
                    organisation_kind=organisation.kind,
                ),
            )
        )
    return result


def htcds_record(facts: CaseFacts, record_key: str) -> dict[str, str]:
    """One file's record: column name to text, in the columns' order."""
    return {
        column.name: record_key
        if column.name == RECORD_KEY
        else (column.fill(facts) if column.fill else "")
        for column in HTCDS_COLUMNS
    }


def _random_keys(count: int) -> list[str]:
    """``count`` distinct random identifiers (64 bits each), in the order they were drawn.

    Prefixed with letters: a spreadsheet would read a bare "123e4567..." as a number.
    """
    keys: dict[str, None] = {}
    while len(keys) < count:
        keys[f"VIG-{secrets.token_hex(8)}"] = None
    return list(keys)


@dataclass(frozen=True)
class HtcdsExport:
    content: str
    records: int
    filename: str


def htcds_export(*, actor: Actor) -> HtcdsExport:
    """The HTCDS file of the actor's organisation, audited (STATS_HTCDS_EXPORT, naming the files
    and the number of records). HtcdsInvalid, and nothing written, when it does not validate."""
    user = actor.user
    if (
        user is None
        or user.organisation is None
        or not user.has_vigie_permission(Permission.STATS_CASE_EXPORT)
    ):
        raise PermissionDenied
    files = _facts(user.organisation)
    rows = [
        htcds_record(facts, key)
        for (_uuid, facts), key in zip(files, _random_keys(len(files)), strict=True)
    ]
    # In the order of their random identifiers: nothing of the files' order is left either.
    rows.sort(key=lambda row: row[RECORD_KEY])
    problems = htcds_validate(rows, columns=HEADER)
    if problems:
        raise HtcdsInvalid(problems)
    content = csv_write(
        header=HEADER, rows=([row[name] for name in HEADER] for row in rows), separator=","
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.STATS_HTCDS_EXPORT,
            object_uuids=[uuid for uuid, _facts in files],
            reason_code=f"records-{len(rows)}",
        )
    return HtcdsExport(
        content=content,
        records=len(rows),
        filename=f"htcds-{timezone.localdate().isoformat()}.csv",
    )
