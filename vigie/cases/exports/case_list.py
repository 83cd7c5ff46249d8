"""The case list as a spreadsheet: the list's files with its filters, one row per file.

Same scope as the list, never wider: the list's own clauses (vigie/cases/selectors.py, imported
rather than copied, so that the two cannot drift apart) over the person's visible files (their
organisation's, archives left out), its search (a reference first, else an exact name through
the blind index) and its order. Pseudonymous by default: names, aliases and the birth date are
neither read nor decrypted unless "with identities" is chosen.

Built in memory from an ``.iterator()`` over plain rows (no model cache, chunks of
``ITERATOR_CHUNK``), then audited with every file it holds, then sent: nothing leaves unaudited
and an audit failure sends nothing.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vigie.accounts.models import User
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record

from ..models import CareStatus, Case, CaseStatus, ExploitationForm, Gender
from ..selectors import (
    AgeBand,
    CaseListFilters,
    case_list_queryset,
)
from .writers import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Cell, csv_bytes, xlsx_bytes

ITERATOR_CHUNK = 2000
# Older than the list's last band (18 to 21): a file kept after the young person's 22nd birthday.
OVER_21 = "over_21"


class ExportFormat(models.TextChoices):
    CSV = "csv", gettext_lazy("CSV (semicolon-separated, UTF-8)")
    XLSX = "xlsx", gettext_lazy("Excel (XLSX)")


class ExportIdentities(models.TextChoices):
    """Recorded as the audit event's reason: what the file discloses."""

    PSEUDONYMOUS = "pseudonymous", gettext_lazy("Pseudonymous: no name, no alias, no birth date")
    IDENTITIES = "identities", gettext_lazy("With identities: names, aliases and birth date")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str
    count: int


# The columns read for every row; the encrypted identity columns only when asked for.
_SITUATION_COLUMNS = (
    "uuid",
    "reference",
    "status",
    "identified_on",
    "last_contact_on",
    "closed_at",
    "exploitation_forms",
    "gender",
    "birth_year",
    "age_disputed",
    "majority_month",
    "nationality",
    "unaccompanied",
    "care_status",
    "departement",
    "next_due_on",
    "assigned_to__full_name",
)
_IDENTITY_COLUMNS = ("first_name", "last_name", "aliases", "birth_date")


def _require_exporter(actor: Actor) -> User:
    user = actor.user
    if user is None or not user.has_vigie_permission(Permission.CASE_LIST_EXPORT):
        raise PermissionDenied
    return user


def _month_start(day: date, years_later: int) -> date:
    return date(day.year + years_later, day.month, 1)


def age_band_of(*, majority_month: date | None, age_disputed: bool, today: date) -> str:
    """The list's age band of a file (``AgeBand`` value), or OVER_21.

    The same bounds as the list's filter (vigie/cases/selectors.py ``_age_band_filter``): a file
    exported under the filter "16 or 17" says "16 or 17" in this column. A disputed age counts
    as a minor (Civil Code art. 388).
    """
    if majority_month is None:
        return AgeBand.UNKNOWN
    if majority_month >= _month_start(today, 5):
        return AgeBand.UNDER_13
    if majority_month >= _month_start(today, 2):
        return AgeBand.FROM_13_TO_15
    if majority_month >= _month_start(today, 0) or age_disputed:
        return AgeBand.FROM_16_TO_17
    if majority_month >= _month_start(today, -4):
        return AgeBand.FROM_18_TO_21
    return OVER_21


def _header(identities: bool) -> list[str]:
    names = [_("Reference")]
    if identities:
        names += [_("First name"), _("Last name"), _("Aliases"), _("Birth date")]
    names += [
        _("Status"),
        _("Identified on"),
        _("Last contact"),
        _("Closed on"),
        _("Forms of exploitation"),
        _("Gender"),
        _("Age"),
        _("Year of birth"),
        _("Age disputed"),
        _("Nationality"),
        _("Unaccompanied minor"),
        _("Care status"),
        _("Département"),
        _("Assigned caseworker"),
        _("Next right due"),
    ]
    return names


@dataclass(frozen=True)
class _Labels:
    """Every label in the active language, worked out once per export rather than per cell."""

    statuses: dict[str, str]
    forms: dict[str, str]
    genders: dict[str, str]
    care: dict[str, str]
    ages: dict[str, str]
    yes: str
    no: str

    @classmethod
    def current(cls) -> "_Labels":
        def of(choices: Any) -> dict[str, str]:
            return {value: str(label) for value, label in choices}

        return cls(
            statuses=of(CaseStatus.choices),
            forms=of(ExploitationForm.choices),
            genders=of(Gender.choices),
            care=of(CareStatus.choices),
            ages={**of(AgeBand.choices), OVER_21: _("22 or older")},
            yes=_("Yes"),
            no=_("No"),
        )


def _row(case: dict[str, Any], labels: _Labels, *, identities: bool, today: date) -> list[Cell]:
    row: list[Cell] = [case["reference"]]
    if identities:
        row += [case["first_name"], case["last_name"], case["aliases"], case["birth_date"]]
    band = age_band_of(
        majority_month=case["majority_month"], age_disputed=case["age_disputed"], today=today
    )
    closed_at = case["closed_at"]
    row += [
        labels.statuses.get(case["status"], case["status"]),
        case["identified_on"],
        case["last_contact_on"],
        timezone.localdate(closed_at) if closed_at else None,
        ", ".join(labels.forms.get(code, code) for code in case["exploitation_forms"]),
        labels.genders.get(case["gender"], case["gender"]),
        labels.ages[band],
        case["birth_year"],
        labels.yes if case["age_disputed"] else labels.no,
        case["nationality"],
        labels.yes if case["unaccompanied"] else labels.no,
        labels.care.get(case["care_status"], case["care_status"]),
        case["departement"],
        case["assigned_to__full_name"] or "",
        case["next_due_on"],
    ]
    return row


def _export_cases(user: User, filters: CaseListFilters, today: date) -> tuple[QuerySet[Case], bool]:
    return case_list_queryset(user=user, filters=filters, today=today)


def case_list_export_count(
    *, actor: Actor, filters: CaseListFilters, today: date | None = None
) -> int:
    """How many files the export would hold: a count only (no file content), not audited.

    Raises ValidationError({field: message}) for a filter value the list does not know.
    """
    user = _require_exporter(actor)
    cases, _by_name = _export_cases(user, filters, today or timezone.localdate())
    return cases.count()


def case_list_export(
    *,
    actor: Actor,
    filters: CaseListFilters,
    export_format: str,
    identities: str,
    today: date | None = None,
) -> ExportFile:
    """The list's files as CSV or XLSX, audited: one CASE_LIST_EXPORT event naming every file
    exported, its reason saying whether identities went out ("identities" / "pseudonymous"),
    and a CASE_SEARCH event when the search term was looked up as a name (as the list writes).

    Raises ValidationError({field: message}) for a filter value the list does not know,
    PermissionDenied for someone who may not export the list.
    """
    user = _require_exporter(actor)
    if export_format not in ExportFormat.values or identities not in ExportIdentities.values:
        raise ValueError("unknown export format or identities choice")
    with_identities = identities == ExportIdentities.IDENTITIES
    day = today or timezone.localdate()
    cases, searched_by_name = _export_cases(user, filters, day)
    columns = _SITUATION_COLUMNS + (_IDENTITY_COLUMNS if with_identities else ())
    # Plain values, no model instances (the encrypted columns are still decrypted by their
    # field): a third of the time of 20,000 rows otherwise.
    rows_query = cases.order_by("-identified_on", "-uuid").values(*columns)
    labels = _Labels.current()
    exported: list[uuid.UUID] = []

    def rows() -> Iterator[list[Cell]]:
        for case in rows_query.iterator(chunk_size=ITERATOR_CHUNK):
            exported.append(case["uuid"])
            yield _row(case, labels, identities=with_identities, today=day)

    header = _header(with_identities)
    if export_format == ExportFormat.XLSX:
        content = xlsx_bytes(header=header, rows=rows(), title=_("Case files"))
        content_type = XLSX_CONTENT_TYPE
    else:
        content = csv_bytes(header=header, rows=rows())
        content_type = CSV_CONTENT_TYPE
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.CASE_LIST_EXPORT,
            object_uuids=exported,
            reason_code=identities,
        )
        if searched_by_name:
            audit_record(actor=actor, action=AuditAction.CASE_SEARCH, object_uuids=exported)
    suffix = "-identites" if with_identities else ""
    return ExportFile(
        content=content,
        filename=f"dossiers-{day.isoformat()}{suffix}.{export_format}",
        content_type=content_type,
        count=len(exported),
    )
