"""Which tables a release publishes: parsing the `--tables` specification and the presets.

A specification is a list of parts separated by ";":
- ``form,gender``: one table (one or two dimension codes); ``total``: the number of files;
- ``pairs:form,gender,year``: every one- and two-way table over these dimensions;
- ``preset:NAME``: a named set (PRESETS).
The engine publishes tables of at most two dimensions: a three-way table over a few thousand
files would be mostly cells below the threshold, and the two-way tables it would be summed from
are more accurate for the same budget.
"""

import itertools
from collections.abc import Iterable, Sequence

from .dataset import BENCH_ATTRIBUTES
from .dimensions import build_dimensions

Table = tuple[str, ...]
MAX_DIMENSIONS = 2


class TableSpecError(ValueError):
    """A specification that names an unknown dimension or preset, or an impossible table."""


def all_pairs(names: Sequence[str]) -> tuple[Table, ...]:
    """Every one-way then every two-way table over ``names``."""
    return (*((name,) for name in names), *itertools.combinations(names, 2))


def presets() -> dict[str, tuple[Table, ...]]:
    from .exports.ctdc import CTDC_TABLES
    from .exports.survey import SURVEY_TABLES

    return {
        # The ten dimensions of the quality benchmark (issue 7): 55 tables.
        "standard": all_pairs(BENCH_ATTRIBUTES),
        # Access to rights across organisations (issue 7's indicators): shares and duration
        # bands as counts, crossed with what advocacy asks about most.
        "rights": (
            ("ad_hoc_administrator",),
            ("ad_hoc_administrator", "year"),
            ("hotel",),
            ("hotel", "unaccompanied"),
            ("age_appeal",),
            ("health_coverage",),
            ("psychological_care",),
            ("schooling",),
            ("schooling_right",),
            ("bank_account",),
            ("compensation",),
            ("prosecution",),
            ("form", "prosecution"),
        ),
        "ctdc": tuple(CTDC_TABLES),
        "survey": tuple(SURVEY_TABLES),
    }


def _known_dimensions() -> set[str]:
    from django.utils import timezone

    return set(build_dimensions(timezone.localdate()))


def tables_normalise(tables: Iterable[Sequence[str]]) -> tuple[Table, ...]:
    """Tables in a canonical form (dimensions sorted), duplicates dropped, order kept."""
    known = _known_dimensions()
    seen: dict[Table, None] = {}
    for table in tables:
        names = tuple(table)
        unknown = [name for name in names if name not in known]
        if unknown:
            raise TableSpecError(f"unknown dimension: {', '.join(unknown)}")
        if len(set(names)) != len(names):
            raise TableSpecError(f"a dimension is repeated in table {','.join(names)}")
        if len(names) > MAX_DIMENSIONS:
            raise TableSpecError(
                f"table {','.join(names)}: at most {MAX_DIMENSIONS} dimensions per table"
            )
        seen.setdefault(tuple(sorted(names)), None)
    if not seen:
        raise TableSpecError("no table requested")
    return tuple(seen)


def tables_parse(text: str) -> tuple[Table, ...]:
    """The tables of a specification; TableSpecError naming the faulty part."""
    tables: list[Table] = []
    parts = [part.strip() for part in text.split(";")]
    if not any(parts):
        raise TableSpecError("empty specification")
    for part in parts:
        if not part:
            continue
        if part.startswith("preset:"):
            name = part.removeprefix("preset:").strip()
            known = presets()
            if name not in known:
                raise TableSpecError(f"unknown preset {name!r} (known: {', '.join(sorted(known))})")
            tables.extend(known[name])
        elif part.startswith("pairs:"):
            names = [n.strip() for n in part.removeprefix("pairs:").split(",") if n.strip()]
            if not names:
                raise TableSpecError(f"{part!r}: no dimension after pairs:")
            tables.extend(all_pairs(names))
        elif part == "total":
            tables.append(())
        else:
            tables.append(tuple(name.strip() for name in part.split(",")))
    return tables_normalise(tables)


def tables_format(tables: Iterable[Sequence[str]]) -> str:
    """The explicit specification of ``tables`` (what a release's metadata records)."""
    return ";".join(",".join(table) if table else "total" for table in tables)
