"""The organisation's own statistics: exact counts of its files, filtered and disaggregated.

Exact numbers stay inside the organisation (coordinators, each view audited); anything that
leaves it goes through a release and its differential privacy (releases). The counts come from
the same encoded rows as the releases (dataset.py), so a dimension means the same thing in both.

The indicators panel reads events and rights plans in aggregate queries: the same filters are
applied to the files as a QuerySet too (conditions.py, ``dashboard_cases``).
"""

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import numpy as np
from django.db.models import (
    Expression,
    F,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.services import Actor, AuditAction, audit_record
from vigie.cases.models import Case

from .conditions import dimension_condition
from .dataset import microdata_load, statistics_cases
from .dimensions import UNKNOWN, Dimension, build_dimensions
from .indicators import Indicator, rights_indicators

MAX_GROUP_BY = 2
# Dimensions with more values than this (nationality, département, région) show only the values
# that have files: 250 empty rows would hide the few that count. Smaller ones show every value,
# zeros included: "no file" is information too.
SHOW_EMPTY_UP_TO = 20

Filters = Mapping[str, Collection[str]]
# Where a dimension's raw value is read: a column, or an expression over columns.
Source = Callable[[], Expression | F]


# --- Validation -------------------------------------------------------------------------------


def dashboard_dimensions(today: date | None = None) -> dict[str, Dimension]:
    """The dimensions the dashboard offers: exactly those of dimensions.py, in their order."""
    return build_dimensions(today or timezone.localdate())


def value_labels(dimension: Dimension, values: Sequence[str]) -> list[str]:
    """The labels of ``values``, as ``Dimension.value_label`` gives them, reading the
    dimension's labels once (250 nationalities: once, not once per value)."""
    labels = dimension.labels()
    return [
        str(labels[value]) if value != UNKNOWN and value in labels else dimension.value_label(value)
        for value in values
    ]


def _group_by_checked(
    group_by: Sequence[str], dimensions: Mapping[str, Dimension]
) -> tuple[str, ...]:
    """ValueError naming the dimension that does not exist (or is named twice)."""
    if not 1 <= len(group_by) <= MAX_GROUP_BY:
        raise ValueError(f"disaggregate by one or two dimensions, not {len(group_by)}")
    for name in group_by:
        if name not in dimensions:
            raise ValueError(f"unknown dimension: {name}")
    if len(set(group_by)) != len(group_by):
        raise ValueError(f"dimension named twice: {group_by[0]}")
    return tuple(group_by)


def _filters_checked(
    filters: Filters, dimensions: Mapping[str, Dimension]
) -> dict[str, tuple[str, ...]]:
    """The filters that select something; ValueError naming an unknown dimension or value."""
    for name in filters:
        if name not in dimensions:
            raise ValueError(f"unknown dimension: {name}")
    checked: dict[str, tuple[str, ...]] = {}
    for name, values in filters.items():
        chosen = tuple(dict.fromkeys(values))
        if not chosen:
            continue
        wrong = [value for value in chosen if value not in dimensions[name].index]
        if wrong:
            raise ValueError(f"unknown value of {name}: {', '.join(wrong)}")
        checked[name] = chosen
    return checked


# --- Counting the encoded rows ----------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    count: int
    # Of the line's total (two dimensions) or of the whole (one dimension); None when that is 0.
    share: float | None


@dataclass(frozen=True)
class Line:
    value: str
    label: str
    cells: tuple[Cell, ...]
    total: Cell


@dataclass(frozen=True)
class DashboardTable:
    """Counts of ``rows`` by ``columns`` values (one column, the total, with one dimension)."""

    rows: Dimension
    columns: Dimension | None
    row_values: tuple[str, ...]
    column_values: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    row_totals: tuple[int, ...]
    column_totals: tuple[int, ...]
    total: int
    # The organisation's files before filters.
    files: int

    @cached_property
    def row_labels(self) -> list[str]:
        return value_labels(self.rows, self.row_values)

    @cached_property
    def column_labels(self) -> list[str]:
        if self.columns is None:
            return []
        return value_labels(self.columns, self.column_values)

    def lines(self) -> list[Line]:
        """The table as the page shows it: each row's cells with their shares."""
        result = []
        lines = zip(self.row_values, self.row_labels, self.counts, self.row_totals, strict=True)
        for value, label, counts, line_total in lines:
            of = line_total if self.columns is not None else self.total
            result.append(
                Line(
                    value=value,
                    label=label,
                    cells=tuple(Cell(count, _share(count, of)) for count in counts),
                    total=Cell(line_total, _share(line_total, self.total)),
                )
            )
        return result

    def column_total_cells(self) -> list[Cell]:
        return [Cell(count, _share(count, self.total)) for count in self.column_totals]


def _share(count: int, of: int) -> float | None:
    return count / of if of else None


def _shown(dimension: Dimension, totals: np.ndarray) -> np.ndarray:
    if dimension.cardinality <= SHOW_EMPTY_UP_TO:
        return np.arange(dimension.cardinality)
    return np.flatnonzero(totals)


def dashboard_table(
    *,
    organisation: Organisation,
    group_by: Sequence[str],
    filters: Filters,
    today: date | None = None,
) -> DashboardTable:
    """Exact counts of the organisation's files matching ``filters`` (every value listed for a
    dimension is accepted, dimensions combine with "and"), by one or two dimensions."""
    today = today or timezone.localdate()
    dimensions = dashboard_dimensions(today)
    group_by = _group_by_checked(group_by, dimensions)
    chosen = _filters_checked(filters, dimensions)
    names = tuple(dict.fromkeys((*group_by, *chosen)))
    data = microdata_load(names, organisation=organisation, today=today)
    keep = np.ones(len(data), dtype=bool)
    for name, values in chosen.items():
        dimension = data.dimensions[data.position(name)]
        positions = [dimension.index[value] for value in values]
        keep &= np.isin(data.codes[:, data.position(name)], positions)
    rows_dim = data.dimensions[data.position(group_by[0])]
    columns_dim = data.dimensions[data.position(group_by[1])] if len(group_by) > 1 else None
    row_codes = data.codes[keep, data.position(group_by[0])].astype(np.int64)
    if columns_dim is None:
        width, combined = 1, row_codes
    else:
        width = columns_dim.cardinality
        combined = row_codes * width + data.codes[keep, data.position(group_by[1])]
    matrix = np.bincount(combined, minlength=rows_dim.cardinality * width).reshape(-1, width)
    shown_rows = _shown(rows_dim, matrix.sum(axis=1))
    shown_columns = np.arange(1) if columns_dim is None else _shown(columns_dim, matrix.sum(axis=0))
    counts = matrix[np.ix_(shown_rows, shown_columns)]
    # Hidden rows and columns are empty ones: the totals of what is shown are the totals.
    row_totals = matrix.sum(axis=1)[shown_rows]
    column_totals = matrix.sum(axis=0)[shown_columns]
    return DashboardTable(
        rows=rows_dim,
        columns=columns_dim,
        row_values=tuple(rows_dim.values[i] for i in shown_rows),
        column_values=()
        if columns_dim is None
        else tuple(columns_dim.values[i] for i in shown_columns),
        counts=tuple(tuple(int(count) for count in line) for line in counts),
        row_totals=tuple(int(count) for count in row_totals),
        column_totals=tuple(int(count) for count in column_totals),
        total=int(keep.sum()),
        files=len(data),
    )


def dashboard_cases(
    *, organisation: Organisation, filters: Filters, today: date | None = None
) -> QuerySet[Case]:
    """The organisation's files matching ``filters``: those ``dashboard_table`` counts."""
    today = today or timezone.localdate()
    dimensions = dashboard_dimensions(today)
    chosen = _filters_checked(filters, dimensions)
    cases = statistics_cases(organisation)
    for name, values in chosen.items():
        cases = cases.filter(dimension_condition(dimensions[name], values))
    return cases


# --- The page's read, audited -----------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    organisation: Organisation
    table: DashboardTable
    indicators: list[Indicator]


def _reason(group_by: Sequence[str], filters: Filters) -> str:
    # The audit keeps what was looked at (codes only, at most 60 characters).
    reason = "by:" + ",".join(group_by)
    if any(filters.values()):
        reason += ";filtered:" + ",".join(name for name, values in filters.items() if values)
    return reason[:60]


def organisation_dashboard(
    *,
    actor: Actor,
    group_by: Sequence[str],
    filters: Filters,
    today: date | None = None,
) -> Dashboard:
    """The coordinator's own organisation's table and indicators, with its STATS_VIEW event."""
    user = actor.user
    if (
        user is None
        or user.organisation is None
        or not user.has_vigie_permission(Permission.STATS_ORG_VIEW)
    ):
        raise Http404
    organisation = user.organisation
    today = today or timezone.localdate()
    table = dashboard_table(
        organisation=organisation, group_by=group_by, filters=filters, today=today
    )
    cases = dashboard_cases(organisation=organisation, filters=filters, today=today)
    indicators = rights_indicators(cases)
    audit_record(
        actor=actor,
        action=AuditAction.STATS_VIEW,
        objects=[organisation],
        reason_code=_reason(group_by, filters),
    )
    return Dashboard(organisation=organisation, table=table, indicators=indicators)
