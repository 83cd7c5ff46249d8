"""What happened to a file: its opening, status moves and edits, newest first.

For a case already loaded (and its read audited) through case_get_for_user. Values are not
shown: CaseChange keeps field names only (see its docstring).
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from vigie.accounts.models import User

from .models import Case, CaseChange, CaseStatus
from .services.status import CloseReason


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    by: User | None
    kind: str  # "opened", "status" or "edit"
    fields: list[str] = field(default_factory=list)  # verbose names, for an edit
    version: int | None = None
    from_status: str = ""  # labels, for a status move
    to_status: str = ""
    reason: str = ""


def field_label(name: str) -> str:
    """A field's verbose name (a field since removed keeps its bare name)."""
    try:
        field = Case._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(capfirst(getattr(field, "verbose_name", name)))


def _edit_entry(change: CaseChange) -> HistoryEntry:
    return HistoryEntry(
        at=change.created_at,
        by=change.created_by,
        kind="edit",
        fields=[field_label(name) for name in change.fields],
        version=change.version,
    )


def case_history(*, case: Case) -> list[HistoryEntry]:
    """Status moves and edits merged by date, newest first, the opening last."""
    reasons = dict(CloseReason.choices)
    statuses = dict(CaseStatus.choices)
    entries = [
        HistoryEntry(
            at=move.created_at,
            by=move.created_by,
            kind="status",
            from_status=str(statuses.get(move.from_status, move.from_status)),
            to_status=str(statuses.get(move.to_status, move.to_status)),
            reason=str(reasons.get(move.reason, move.reason)),
        )
        for move in case.status_changes.select_related("created_by")
    ]
    entries += [_edit_entry(change) for change in case.changes.select_related("created_by")]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    entries.append(HistoryEntry(at=case.created_at, by=case.created_by, kind="opened"))
    return entries


def case_edits_since(*, case: Case, version: int) -> list[HistoryEntry]:
    """The edits saved after ``version``, oldest first (the conflict page lists them)."""
    changes = case.changes.filter(version__gt=version).select_related("created_by")
    return [_edit_entry(change) for change in changes.order_by("version")]
