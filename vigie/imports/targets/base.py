"""The import machinery every target shares: cells to values, rows checked, duplicates told
apart, then everything written in one transaction or nothing at all.

A target (cases, directory, places) declares its fields and four things: the checks across a
row's fields, a row's key (what makes two rows the same record), which keys exist already, and
how new (and, for some, matching) rows are prepared and written. ``rows_check`` streams the
file once: memory holds the prepared rows of a run, never the file's cells.
"""

import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction

from ..fields import ImportField
from ..readers import FileUnreadable, Table

MAX_REPORTED_ERRORS = 1000
SAMPLE_ROWS = 10
CHUNK_ROWS = 2000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    """A problem in one cell (``column`` the file's header, ``field`` the field it maps to), in a
    whole row (both empty), or with the file as a whole (line 0)."""

    line: int
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        line = formats.number_format(self.line, force_grouping=True)
        if not self.column:
            return _("Line %(line)s: %(message)s") % {"line": line, "message": self.message}
        return _("Line %(line)s, column “%(column)s”: %(message)s") % {
            "line": line,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class WriteConflict(Exception):
    """The database changed between checking and writing (another import, an edit): nothing is
    written, and the message says so to the person importing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]
    key: str


@dataclass
class WriteResult:
    created: list[uuid.UUID] = field(default_factory=list)
    updated: list[uuid.UUID] = field(default_factory=list)


class Batch(Protocol):
    """What a target prepares while the rows are checked, then writes."""

    def add_new(self, rows: list[Row]) -> None: ...

    def add_matches(self, rows: list[tuple[Row, Any]]) -> None: ...

    def write(self) -> WriteResult: ...

    def close(self) -> None:
        """Free what the batch holds when it will not be written (write() closes it too)."""


class Target(ABC):
    """What can be imported (see the module's docstring)."""

    name: str
    permission: Permission
    audit_action: AuditAction
    # True when the target's write goes through a service that writes its own audit event
    # naming every record (the ads): the machinery then adds no second event.
    audited_by_service: bool = False
    fields: Sequence[ImportField]
    # A row matching an existing record: "skip" it (a duplicate) or "update" the record.
    on_match: str = "skip"
    # Two rows of one file with the same key: an error (True) or a duplicate skipped (False).
    repeat_is_error: bool = False
    # Fields of which a mapping must give at least one (empty: no such rule).
    identifying: tuple[str, ...] = ()

    @abstractmethod
    def row_check(self, values: dict[str, Any]) -> dict[str, str]:
        """Problems across the row's fields, by field name ("" for the row as a whole)."""

    @abstractmethod
    def row_key(self, values: dict[str, Any]) -> str:
        """What makes two rows the same record."""

    def repeat_message(self, first_line: int) -> tuple[str, str]:
        """(field, message) for a row repeating an earlier one's key (repeat_is_error)."""
        return "", _("Same record as line %(line)s.") % {"line": first_line}

    @abstractmethod
    def matches(self, organisation: Organisation, keys: list[str]) -> dict[str, Any]:
        """The existing records of these keys; a (field, message) pair is an error for the
        row (a record it may not change)."""

    @abstractmethod
    def batch(self, *, actor: Actor, organisation: Organisation, job: Any) -> Batch:
        """A new, empty batch for one run."""


@dataclass
class CheckResult:
    rows_total: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    new_count: int = 0
    match_count: int = 0
    duplicate_count: int = 0
    sample: list[dict[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, error: RowError) -> None:
        self.error_count += 1
        self.errors.append(error)
        if len(self.errors) > 2 * MAX_REPORTED_ERRORS:
            self._trim()

    def finish(self, order: dict[str, int]) -> None:
        self._trim(order)

    def _trim(self, order: dict[str, int] | None = None) -> None:
        positions = order or {}
        self.errors.sort(key=lambda e: (e.line, positions.get(e.field, -1), e.message))
        del self.errors[MAX_REPORTED_ERRORS:]


def columns_check(
    *, fields: Sequence[ImportField], headers: Sequence[str], columns: dict[str, str]
) -> dict[str, str]:
    """The mapping's problems, by field name (empty when it can be used on this file)."""
    known = {f.name: f for f in fields}
    problems: dict[str, str] = {}
    used: dict[str, str] = {}
    for name, header in columns.items():
        if name not in known:
            problems[name] = _("“%(name)s” is not a field of this import.") % {"name": name}
        elif header and header not in headers:
            problems[name] = _("The file has no column “%(header)s”.") % {"header": header}
        elif header and header in used:
            problems[name] = _("The column “%(header)s” is already used for %(field)s.") % {
                "header": header,
                "field": known[used[header]].label,
            }
        elif header:
            used[header] = name
    for f in fields:
        if f.required and not columns.get(f.name) and f.name not in problems:
            problems[f.name] = _("Choose the column holding “%(field)s”: it is required.") % {
                "field": f.label
            }
    return problems


class _Mapped:
    """How the file's cells reach the fields: each field's position in a row, or None."""

    def __init__(
        self, fields: Sequence[ImportField], headers: Sequence[str], columns: dict[str, str]
    ):
        self.fields = list(fields)
        self.headers = {f.name: columns.get(f.name, "") for f in fields}
        self.positions = [
            headers.index(columns[f.name]) if columns.get(f.name) else None for f in fields
        ]
        self.width = len(headers)

    def parse(self, line: int, cells: list[str]) -> tuple[dict[str, Any], list[RowError]]:
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for spec, position in zip(self.fields, self.positions, strict=True):
            cell = cells[position] if position is not None else ""
            if not cell:
                if spec.required:
                    errors.append(
                        RowError(
                            line, self.headers[spec.name], spec.name, _("This cell is required.")
                        )
                    )
                values[spec.name] = spec.default
                continue
            try:
                values[spec.name] = spec.parse(cell)
            except ValidationError as error:
                errors.extend(
                    RowError(line, self.headers[spec.name], spec.name, message)
                    for message in error.messages
                )
        return values, errors

    def shown(self, values: dict[str, Any], cells: list[str]) -> dict[str, str]:
        row: dict[str, str] = {}
        for spec, position in zip(self.fields, self.positions, strict=True):
            if spec.name in values:
                row[spec.name] = spec.display(values[spec.name])
            else:
                row[spec.name] = cells[position] if position is not None else ""
        return row


def rows_check(
    *,
    target: Target,
    organisation: Organisation,
    table: Table,
    columns: dict[str, str],
    batch: Batch | None = None,
    progress: Progress | None = None,
) -> CheckResult:
    """Every row checked; with a ``batch`` (a run), the good ones prepared for writing.

    Raises FileUnreadable when the file cannot be read to its end.
    """
    mapped = _Mapped(target.fields, table.headers, columns)
    result = CheckResult()
    first_lines: dict[str, int] = {}
    pending: list[Row] = []
    for raw in _rows(table):
        result.rows_total += 1
        if raw.width_mismatch:
            found = mapped.width + raw.width_mismatch
            result.add_error(
                RowError(
                    raw.line,
                    "",
                    "",
                    _("This line has %(found)s cells, the first line %(expected)s.")
                    % {"found": found, "expected": mapped.width},
                )
            )
            continue
        values, errors = mapped.parse(raw.line, raw.cells)
        if not errors:
            errors = [
                RowError(raw.line, mapped.headers.get(name, ""), name, message)
                for name, message in target.row_check(values).items()
            ]
        if len(result.sample) < SAMPLE_ROWS:
            result.sample.append(mapped.shown(values, raw.cells))
        if errors:
            for error in errors:
                result.add_error(error)
            continue
        key = target.row_key(values)
        first = first_lines.get(key)
        if first is not None:
            if target.repeat_is_error:
                name, message = target.repeat_message(first)
                result.add_error(RowError(raw.line, mapped.headers.get(name, ""), name, message))
            else:
                result.duplicate_count += 1
            continue
        first_lines[key] = raw.line
        pending.append(Row(raw.line, values, key))
        if len(pending) >= CHUNK_ROWS:
            _classify(target, organisation, mapped, pending, result, batch)
            pending = []
            if progress is not None:
                progress(result.rows_total)
    _classify(target, organisation, mapped, pending, result, batch)
    if progress is not None:
        progress(result.rows_total)
    result.finish({f.name: position for position, f in enumerate(target.fields)})
    return result


def _rows(table: Table) -> Iterator[Any]:
    try:
        yield from table.rows()
    except FileUnreadable:
        raise
    except (ValueError, KeyError, OSError) as problem:  # a damaged workbook, read lazily
        raise FileUnreadable(_("The workbook is damaged: it cannot be read.")) from problem


def _classify(
    target: Target,
    organisation: Organisation,
    mapped: _Mapped,
    rows: list[Row],
    result: CheckResult,
    batch: Batch | None,
) -> None:
    if not rows:
        return
    found = target.matches(organisation, [row.key for row in rows])
    new: list[Row] = []
    matched: list[tuple[Row, Any]] = []
    for row in rows:
        match = found.get(row.key)
        if match is None:
            new.append(row)
        elif isinstance(match, tuple):  # (field, message): this row may not touch that record
            name, message = match
            result.add_error(RowError(row.line, mapped.headers.get(name, ""), name, message))
        elif target.on_match == "skip":
            result.duplicate_count += 1
        else:
            matched.append((row, match))
    result.new_count += len(new)
    result.match_count += len(matched)
    # Once a row is bad nothing will be written: preparing more would be wasted work.
    if batch is not None and result.ok:
        batch.add_new(new)
        batch.add_matches(matched)
