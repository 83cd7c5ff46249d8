"""Case files as statistics rows: one row per file, one small integer per dimension.

The rows never leave the process: dashboards count them for one organisation, releases hand them
to the differential-privacy engine (vigie/monitoring/privacy). No identifying field is read (the
encrypted columns are not selected), and only the dimensions' fields are.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from vigie.accounts.models import Organisation
from vigie.cases.models import Case
from vigie.identification.models import Screening

from .dimensions import ROW_FIELDS, Dimension, Row, build_dimensions
from .rights_dimensions import ANNOTATIONS

# The ten attributes of the quality benchmark (issue 7): all one- and two-way tables over these.
BENCH_ATTRIBUTES = (
    "form",
    "age_band",
    "gender",
    "nationality_group",
    "unaccompanied",
    "care_status",
    "disability",
    "region",
    "year",
    "referral_source",
)

_CHUNK = 5000


@dataclass(frozen=True)
class Microdata:
    """``codes[i, j]`` is row i's position in ``dimensions[j].values``."""

    codes: np.ndarray
    dimensions: tuple[Dimension, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dim.code for dim in self.dimensions)

    @property
    def cardinalities(self) -> tuple[int, ...]:
        return tuple(dim.cardinality for dim in self.dimensions)

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def position(self, name: str) -> int:
        """The column of dimension ``name``; ValueError naming it when absent."""
        try:
            return self.names.index(name)
        except ValueError:
            raise ValueError(f"unknown dimension: {name}") from None


def dimensions_for(names: Sequence[str], today: date | None = None) -> tuple[Dimension, ...]:
    """The dimensions called ``names``, in that order; ValueError naming an unknown one."""
    available = build_dimensions(today or timezone.localdate())
    unknown = [name for name in names if name not in available]
    if unknown:
        raise ValueError(f"unknown dimension: {', '.join(unknown)}")
    return tuple(available[name] for name in names)


def encode(rows: Iterable[Row], dimensions: Sequence[Dimension]) -> Microdata:
    dims = tuple(dimensions)
    # int16 holds every dimension (the largest, nationality, has about 250 values) and keeps a
    # million rows of sixteen dimensions at 32 MB.
    columns: list[list[int]] = [[] for _ in dims]
    for row in rows:
        for column, dim in zip(columns, dims, strict=True):
            column.append(dim.encode(row))
    codes = np.array(columns, dtype=np.int16).reshape(len(dims), -1).T
    return Microdata(codes=np.ascontiguousarray(codes), dimensions=dims)


def case_rows(
    cases: QuerySet[Case], dimensions: Sequence[Dimension] = ()
) -> Iterable[dict[str, Any]]:
    """The dimensions' fields of ``cases``: the case's own columns, the latest screening's
    assessment, and the event and rights-plan annotations the ``dimensions`` need."""
    latest_assessment = Subquery(
        Screening.objects.filter(case=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("assessment")[:1]
    )
    needed = sorted({name for dim in dimensions for name in dim.needs})
    annotations = {name: ANNOTATIONS[name]() for name in needed}
    return (
        cases.order_by()
        .annotate(assessment=latest_assessment, **annotations)
        .values(*ROW_FIELDS, *needed)
        .iterator(chunk_size=_CHUNK)
    )


def statistics_cases(
    organisation: Organisation | None = None, *, followed_in: int | None = None
) -> QuerySet[Case]:
    """The files statistics count: one organisation's, or every participating organisation's;
    with ``followed_in``, only those followed during that year (opened before its end, not
    closed before its start).

    A transferred file moves whole to its new organisation (vigie/network/services/transfers.py),
    so a child followed in turn by two organisations is one file, counted once.
    """
    cases = Case.objects.all()
    if organisation is not None:
        cases = cases.filter(organisation=organisation)
    else:
        cases = cases.filter(organisation__in_statistics=True, organisation__is_active=True)
    if followed_in is not None:
        cases = cases.filter(identified_on__year__lte=followed_in).filter(
            Q(closed_at__isnull=True) | Q(closed_at__year__gte=followed_in)
        )
    return cases


def microdata_load(
    names: Sequence[str], *, organisation: Organisation | None = None, today: date | None = None
) -> Microdata:
    dimensions = dimensions_for(names, today)
    return encode(case_rows(statistics_cases(organisation), dimensions), dimensions)


def demo_microdata(cases: int, seed: int = 7, names: Sequence[str] = BENCH_ATTRIBUTES) -> Microdata:
    """The demo generator's files (those `make run` loads), encoded without a database.

    For benchmarks at a million files, where writing them first would take longer than
    everything measured. File i is the same as in the demo database of the same seed.
    """
    from vigie.demo import data
    from vigie.demo.generate import FileDrawer, Holder

    holders = [
        Holder(pk=number, departements=org.departements, worker_pks=(1,))
        for number, org in enumerate(data.ORGANISATIONS, start=1)
        if org.holds_cases
    ]
    today = timezone.localdate()
    drawer = FileDrawer(seed=seed, holders=holders, today=today)

    def rows() -> Iterable[Row]:
        for index in range(cases):
            row = drawer.draw(index).case
            row.setdefault("assessment", None)  # the demo records no screening
            yield row

    return encode(rows(), dimensions_for(names, today))
