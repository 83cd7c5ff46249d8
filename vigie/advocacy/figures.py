"""Figures from statistics releases, for evidence and reports: only published numbers enter.

A figure names a table (dimension codes) and a cell (value codes) of a release; [] and [] is the
release's total. Read from a given release (pinned) or from the latest published release that
has the table (live: it changes when a new release is published). A cell below the threshold
has no number: the figure says "< 11", never a value.
"""

from dataclasses import dataclass
from typing import Any

from vigie.monitoring.dimensions import build_dimensions
from vigie.monitoring.models import Release, ReleaseStatus


class FigureUnavailable(LookupError):
    """No published release has this table, or the table has no such cell."""


@dataclass(frozen=True)
class Figure:
    count: int | None  # None: below the threshold
    low: int | None
    high: int | None
    release: Release
    table: tuple[str, ...]
    cell: tuple[str, ...]

    @property
    def suppressed(self) -> bool:
        return self.count is None

    def text(self) -> str:
        return f"< {self.release.threshold}" if self.count is None else str(self.count)

    def source(self) -> str:
        """Which release and privacy budget the figure comes from (for footnotes and exports)."""
        release = self.release
        table = " x ".join(self.table) or "total"
        return (
            f"{release.name} ({release.reference_date.isoformat()}, ε = {release.epsilon:g}, "
            f"δ = {release.delta:g}), table {table}"
        )

    def description(self) -> str:
        """The cell in words: each dimension's label and the value's label."""
        dims = build_dimensions(self.release.reference_date)
        parts = [
            f"{dims[name].label}: {dims[name].value_label(value)}"
            for name, value in zip(self.table, self.cell, strict=True)
        ]
        return ", ".join(parts)


def _find(release: Release, table: list[str], cell: list[str]) -> dict[str, Any] | None:
    for stored in release.tables:
        if sorted(stored["attributes"]) == sorted(table):
            order = [stored["attributes"].index(name) for name in table]
            for entry in stored["cells"]:
                if [entry["key"][i] for i in order] == list(cell):
                    return dict(entry)
            return None
    return None


def figure_read(table: list[str], cell: list[str], release: Release | None = None) -> Figure:
    """The figure from ``release`` (published), or from the latest published release having it."""
    if len(table) != len(cell):
        raise FigureUnavailable("a figure names one value per dimension of its table")
    if release is not None:
        candidates = [release] if release.status == ReleaseStatus.PUBLISHED else []
    else:
        candidates = list(
            Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-published_at", "-id")
        )
    for candidate in candidates:
        entry = _find(candidate, table, cell)
        if entry is not None:
            return Figure(
                count=entry["count"],
                low=entry["low"],
                high=entry["high"],
                release=candidate,
                table=tuple(table),
                cell=tuple(cell),
            )
    raise FigureUnavailable(f"no published release has the cell {cell} of table {table}")
