"""Published statistics releases built from plain counts, for every test that reads releases.

    release_published(tables={("form", "gender"): {("forced_begging", "girl"): 40, ...}})
    release_published(tables={("form",): {"forced_begging": 40}, (): {(): 52}})

stores a published Release whose tables are what the engine publishes, minus the noise: each
given table filled out to every cell of its dimensions (a cell not given is 0), the one-way table
of every attribute and the total added (``margins=True``) from the given tables, and every count
below the threshold suppressed (count, low and high None). The given tables must agree with each
other on their margins and total: ValueError naming the first disagreement otherwise.

``without`` leaves tables out (a release lacking what an export needs); ``release_build`` is the
same, unsaved; ``counts_from_records`` counts tables over a list of made-up files, so that many
tables sharing dimensions are consistent without working their margins out by hand.

Attributes are stored in the canonical order (sorted, as tables_spec.py does) and keys reordered
to match, whatever order the test wrote them in.
"""

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.utils import timezone

from vigie.monitoring.dimensions import build_dimensions
from vigie.monitoring.models import Release, ReleaseStatus

Table = tuple[str, ...]
Counts = Mapping[tuple[str, ...], int]

# What the published bounds are made of: a plausible standard error, never used as data.
STANDARD_ERROR = 1.0
Z_95 = 1.96


def _canonical(
    attributes: Sequence[str], counts: Counts, values: Mapping[str, tuple[str, ...]]
) -> tuple[Table, dict[Table, int]]:
    table = tuple(sorted(attributes))
    if len(set(table)) != len(table) or len(table) > 2:
        raise ValueError(f"table {attributes}: zero, one or two distinct dimensions")
    order = [list(attributes).index(name) for name in table]
    full = dict.fromkeys(itertools.product(*(values[name] for name in table)), 0)
    for key, count in counts.items():
        key = (key,) if isinstance(key, str) else tuple(key)  # a one-way table's bare value
        if len(key) != len(table):
            raise ValueError(f"table {attributes}: key {key} has not {len(table)} values")
        ordered = tuple(key[position] for position in order)
        if ordered not in full:
            raise ValueError(f"table {attributes}: {key} is not a combination of known values")
        if count < 0:
            raise ValueError(f"table {attributes}: {key} has a negative count")
        full[ordered] += int(count)
    return table, full


def _margin(table: Table, counts: dict[Table, int], keep: Table) -> dict[Table, int]:
    positions = [table.index(name) for name in keep]
    margin: dict[Table, int] = {}
    for key, count in counts.items():
        sub = tuple(key[position] for position in positions)
        margin[sub] = margin.get(sub, 0) + count
    return margin


def release_tables_from_counts(
    tables: Mapping[Sequence[str], Counts],
    *,
    reference_date: date,
    threshold: int = 11,
    margins: bool = True,
    without: Iterable[Sequence[str]] = (),
) -> list[dict[str, Any]]:
    """The ``Release.tables`` list for these counts (see the module's docstring)."""
    dims = build_dimensions(reference_date)
    unknown = sorted({name for table in tables for name in table if name not in dims})
    if unknown:
        raise ValueError(f"unknown dimension: {', '.join(unknown)}")
    values = {name: dim.values for name, dim in dims.items()}
    given: dict[Table, dict[Table, int]] = {}
    for attributes, counts in tables.items():
        table, full = _canonical(attributes, counts, values)
        if table in given:
            raise ValueError(f"table {table} given twice")
        given[table] = full
    published: dict[Table, tuple[dict[Table, int], bool]] = {
        table: (counts, True) for table, counts in given.items()
    }
    if margins:
        derived: dict[Table, tuple[Table, dict[Table, int]]] = {}
        for table, counts in given.items():
            for keep in [(), *((name,) for name in table)]:
                if keep == table:
                    continue
                margin = _margin(table, counts, keep)
                if keep in given and given[keep] != margin:
                    raise ValueError(f"table {table} disagrees with the given table {keep}")
                if keep in derived and derived[keep][1] != margin:
                    raise ValueError(
                        f"tables {table} and {derived[keep][0]} disagree on {keep or 'the total'}"
                    )
                derived.setdefault(keep, (table, margin))
        for keep, (_source, margin) in derived.items():
            published.setdefault(keep, (margin, False))
    left_out = {tuple(sorted(table)) for table in without}
    ordered = sorted(published, key=lambda table: (len(table), table))
    return [
        {
            "attributes": list(table),
            "measured": measured,
            "cells": [_cell(list(key), count, threshold) for key, count in counts.items()],
        }
        for table in ordered
        if table not in left_out
        for counts, measured in [published[table]]
    ]


def _cell(key: list[str], count: int, threshold: int) -> dict[str, Any]:
    if count < threshold:
        return {"key": key, "count": None, "low": None, "high": None, "se": STANDARD_ERROR}
    margin = Z_95 * STANDARD_ERROR
    return {
        "key": key,
        "count": count,
        "low": max(0, int(count - margin)),
        "high": int(count + margin + 1),
        "se": STANDARD_ERROR,
    }


def counts_from_records(
    records: Iterable[Mapping[str, str]], tables: Iterable[Sequence[str]]
) -> dict[Table, dict[Table, int]]:
    """Each table's counts over ``records`` (one mapping dimension -> value per file)."""
    wanted = [tuple(table) for table in tables]
    counts: dict[Table, dict[Table, int]] = {table: {} for table in wanted}
    for record in records:
        for table in wanted:
            key = tuple(record[name] for name in table)
            counts[table][key] = counts[table].get(key, 0) + 1
    return counts


def release_build(
    *,
    tables: Mapping[Sequence[str], Counts],
    threshold: int = 11,
    reference_date: date | None = None,
    margins: bool = True,
    without: Iterable[Sequence[str]] = (),
    **fields: Any,
) -> Release:
    """An unsaved published Release with these tables (see the module's docstring)."""
    reference_date = reference_date or timezone.localdate()
    stored = release_tables_from_counts(
        tables,
        reference_date=reference_date,
        threshold=threshold,
        margins=margins,
        without=without,
    )
    defaults: dict[str, Any] = {
        "name": "Test release",
        "status": ReleaseStatus.PUBLISHED,
        "epsilon": 1.0,
        "delta": 1e-6,
        "published_at": timezone.now(),
        "spec": [table["attributes"] for table in stored],
    }
    return Release(
        **(defaults | fields),
        threshold=threshold,
        reference_date=reference_date,
        tables=stored,
    )


def release_published(**kwargs: Any) -> Release:
    """A stored published Release (arguments of ``release_build``)."""
    release = release_build(**kwargs)
    release.save()
    return release
