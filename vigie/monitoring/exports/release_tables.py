"""Reading a published release's tables: find a table, look a cell up, add cells up.

A cell below the threshold is stored without its number (``count`` None). Everything read here
is a ``Count``: the interval [low, high] known to hold the published count. A published cell is
exact (low == high), a suppressed one is [0, threshold - 1]. A sum of cells stays an interval,
narrowed by the margins the release publishes (its tables are consistent: a two-way table's cells
add up to the cells of the one-way tables, and every table to the same total), so a group of
cells whose suppressed members are all in it is known exactly, as anyone could work out from the
release itself. No number is ever made up: a writer shows an exact count, the suppression mark,
or the bounds (``CountStyle``).
"""

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from ..models import Release, ReleaseStatus

Table = tuple[str, ...]
Group = TypeVar("Group")


def table_name(attributes: Sequence[str]) -> str:
    return " x ".join(attributes) if attributes else "total"


class ReleaseTablesError(ValueError):
    """The stored tables are malformed or contradict each other (a bug, never bad input)."""


class ReleaseNotPublishedError(ValueError):
    """Only a published release has tables to export."""


class MissingTables(ValueError):
    """The release does not publish every table an export is built from."""

    def __init__(self, missing: Iterable[Sequence[str]]) -> None:
        self.missing: tuple[Table, ...] = tuple(tuple(table) for table in missing)
        names = ", ".join(table_name(table) for table in self.missing)
        super().__init__(f"the release does not publish these tables: {names}")


@dataclass(frozen=True)
class Count:
    """A count known to lie in [low, high]; exact when the two are equal."""

    low: int
    high: int

    def __post_init__(self) -> None:
        if self.low < 0 or self.high < self.low:
            raise ReleaseTablesError(f"impossible count bounds [{self.low}, {self.high}]")

    @property
    def exact(self) -> int | None:
        return self.low if self.low == self.high else None

    def __add__(self, other: "Count") -> "Count":
        return Count(self.low + other.low, self.high + other.high)


ZERO = Count(0, 0)


@dataclass(frozen=True)
class CountStyle:
    """How a file writes a count: the suppression mark, and the words for bounds.

    Each is a ``str.format`` pattern: ``below`` with ``{threshold}``, ``between`` with ``{low}``
    and ``{high}``, ``at_most`` with ``{high}``. Words rather than "12-25": spreadsheets read that
    as a date.
    """

    below: str
    between: str
    at_most: str

    def text(self, count: Count, threshold: int) -> str:
        if count.high < threshold:
            # Below the threshold, even when known exactly: no small number is ever written.
            return self.below.format(threshold=threshold)
        if count.exact is not None:
            return str(count.exact)
        if count.low < threshold:
            return self.at_most.format(high=count.high)
        return self.between.format(low=count.low, high=count.high)


@dataclass(frozen=True)
class _Table:
    attributes: Table
    cells: dict[Table, Count]

    def value_of(self, key: Table, attribute: str) -> str:
        return key[self.attributes.index(attribute)]


class ReleaseTables:
    """The tables of one release, by the set of their attributes (their order does not matter)."""

    def __init__(self, tables: Iterable[Mapping[str, Any]], *, threshold: int) -> None:
        if threshold < 1:
            raise ReleaseTablesError(f"threshold {threshold}: at least 1")
        self.threshold = threshold
        suppressed = Count(0, threshold - 1)
        self._tables: dict[frozenset[str], _Table] = {}
        for raw in tables:
            attributes = tuple(str(name) for name in raw["attributes"])
            index = frozenset(attributes)
            if len(index) != len(attributes) or index in self._tables:
                raise ReleaseTablesError(f"table {table_name(attributes)} is stored twice")
            cells: dict[Table, Count] = {}
            for cell in raw["cells"]:
                key = tuple(str(value) for value in cell["key"])
                if len(key) != len(attributes):
                    raise ReleaseTablesError(f"table {table_name(attributes)}: bad key {key}")
                count = cell["count"]
                if count is not None and count < threshold:
                    # A stored number below the threshold would be a leak waiting to happen.
                    raise ReleaseTablesError(
                        f"table {table_name(attributes)}: {key} is below the threshold"
                    )
                cells[key] = suppressed if count is None else Count(int(count), int(count))
            self._tables[index] = _Table(attributes, cells)

    @classmethod
    def from_release(cls, release: Release) -> "ReleaseTables":
        return cls(release.tables or [], threshold=release.threshold)

    def has(self, attributes: Sequence[str]) -> bool:
        return frozenset(attributes) in self._tables

    def require(self, needed: Iterable[Sequence[str]]) -> None:
        """MissingTables naming every needed table the release does not publish."""
        missing = [tuple(table) for table in needed if not self.has(table)]
        if missing:
            raise MissingTables(missing)

    def _table(self, attributes: Iterable[str]) -> _Table:
        wanted = frozenset(attributes)
        try:
            return self._tables[wanted]
        except KeyError:
            raise MissingTables([tuple(sorted(wanted))]) from None

    def values(self, attribute: str) -> tuple[str, ...]:
        """The values of ``attribute`` in the order the release lists them."""
        table = self._table([attribute])
        return tuple(key[0] for key in table.cells)

    def cells(self, attributes: Sequence[str]) -> Iterator[tuple[dict[str, str], Count]]:
        """Every cell of a table, as ({attribute: value}, count), in the release's order."""
        table = self._table(attributes)
        for key, count in table.cells.items():
            yield dict(zip(table.attributes, key, strict=True)), count

    def cell(self, values: Mapping[str, str]) -> Count:
        """One cell: ``cell({})`` is the total, ``cell({"gender": "girl"})`` a one-way cell."""
        table = self._table(values)
        key = tuple(values[attribute] for attribute in table.attributes)
        try:
            return table.cells[key]
        except KeyError:
            raise ReleaseTablesError(
                f"table {table_name(table.attributes)} has no cell {dict(values)}"
            ) from None

    def group(self, attribute: str, members: Collection[str], fixed: Mapping[str, str]) -> Count:
        """The number of files whose ``attribute`` is one of ``members``, among those matching
        ``fixed`` (e.g. the forms of exploitation grouped as "sexual exploitation", for girls).

        Read from the table over ``fixed`` and ``attribute``: the sum of the members' cells, an
        interval when some are suppressed, narrowed by the slice's published total (the cell of
        the table over ``fixed`` alone, the grand total when nothing is fixed).
        """
        if attribute in fixed:
            raise ReleaseTablesError(f"{attribute} is both grouped and fixed")
        table = self._table([*fixed, attribute])
        known = {table.value_of(key, attribute) for key in table.cells}
        unknown = sorted(set(members) - known)
        if unknown:
            raise ReleaseTablesError(f"{attribute} has no value {', '.join(unknown)}")
        inside, outside = ZERO, ZERO
        for key, count in table.cells.items():
            if any(table.value_of(key, name) != value for name, value in fixed.items()):
                continue
            if table.value_of(key, attribute) in members:
                inside += count
            else:
                outside += count
        whole = inside + outside
        if self.has(list(fixed)):
            margin = self.cell(fixed)
            whole = _intersection(whole, margin, f"{table_name(table.attributes)} at {fixed}")
        low = max(inside.low, whole.low - outside.high)
        high = min(inside.high, whole.high - outside.low)
        if high < low:
            raise ReleaseTablesError(
                f"table {table_name(table.attributes)} does not add up to its margin at {fixed}"
            )
        return Count(low, high)

    def counts(
        self,
        table: Sequence[str],
        grouped: str,
        groups: Sequence[tuple[Group, Collection[str]]],
    ) -> Iterator[tuple[dict[str, str], Group | None, Count]]:
        """Every count of ``table`` as (values of its attributes, group, count).

        A table crossing ``grouped`` gives one count per group of its values (``groups``: the
        group, then its members), in each slice of the other attribute; any other table gives
        its cells as they are (group None).
        """
        if grouped not in table:
            for values, count in self.cells(table):
                yield values, None, count
            return
        others = [name for name in table if name != grouped]
        if len(others) > 1:
            raise ReleaseTablesError(f"table {table_name(table)}: at most two attributes")
        slices = [{others[0]: value} for value in self.values(others[0])] if others else [{}]
        for fixed in slices:
            for group, members in groups:
                yield fixed, group, self.group(grouped, members, fixed)


def _intersection(first: Count, second: Count, where: str) -> Count:
    low, high = max(first.low, second.low), min(first.high, second.high)
    if high < low:
        raise ReleaseTablesError(f"inconsistent release: {where}")
    return Count(low, high)


def published_tables(release: Release, needed: Iterable[Sequence[str]]) -> ReleaseTables:
    """The tables of a published release that publishes every ``needed`` table; else
    ReleaseNotPublishedError, or MissingTables naming the absent ones."""
    if release.status != ReleaseStatus.PUBLISHED:
        raise ReleaseNotPublishedError(f"release {release.uuid} is {release.status}")
    tables = ReleaseTables.from_release(release)
    tables.require(needed)
    return tables
