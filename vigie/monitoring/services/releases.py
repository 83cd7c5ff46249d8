"""Statistics releases: request (budget charged), compute (differential privacy), publish.

The only numbers that leave an organisation. A release is computed over every participating
organisation's files, through the OpenDP engine (vigie/monitoring/privacy/engine.py); what is
stored and shown is the engine's post-processed output, never a row or an exact count. Cells
below the threshold are stored without their number, so no page, file or API can show them.
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vigie.accounts.models import Organisation
from vigie.accounts.roles import Permission
from vigie.audit.models import AuditAction
from vigie.audit.services import Actor, audit_record

from ..dataset import Microdata, case_rows, dimensions_for, encode, statistics_cases
from ..dimensions import Dimension
from ..models import Release, ReleaseStatus
from ..privacy.engine import ReleaseResult, release_tables
from ..privacy.mechanism import NoiseSource, SeededGaussianNoise
from ..tables_spec import Table, TableSpecError, tables_format, tables_normalise
from .ledger import budget_charge

# 95% interval from the per-cell standard error (normal approximation of the Gaussian noise).
Z_95 = 1.959964
DELTA_MAX = 1e-5  # δ above this is not "cryptographically small" for thousands of files
EPSILON_MAX = 10.0
_LOAD_SHARE = 0.6  # share of the progress bar for reading the files (the slow part)
_PROGRESS_EVERY = 20_000  # rows between two progress updates while reading

Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class ReleaseRequest:
    name: str
    epsilon: float
    delta: float
    tables: tuple[Table, ...]
    threshold: int = 11
    followed_in: int | None = None


def _validated(request: ReleaseRequest) -> ReleaseRequest:
    errors: dict[str, str] = {}
    if not request.name.strip():
        errors["name"] = _("Give the release a name.")
    if not (math.isfinite(request.epsilon) and 0 < request.epsilon <= EPSILON_MAX):
        errors["epsilon"] = _("ε must be greater than 0 and at most %(max)s.") % {
            "max": f"{EPSILON_MAX:g}"
        }
    if not (math.isfinite(request.delta) and 0 < request.delta <= DELTA_MAX):
        errors["delta"] = _("δ must be greater than 0 and at most %(max)s.") % {
            "max": f"{DELTA_MAX:g}"
        }
    if request.threshold < 1:
        errors["threshold"] = _("The threshold must be at least 1.")
    this_year = timezone.localdate().year
    if request.followed_in is not None and not (2000 <= request.followed_in <= this_year):
        errors["followed_in"] = _("Choose a year between 2000 and %(year)s.") % {"year": this_year}
    try:
        tables = tables_normalise(request.tables)
    except TableSpecError as problem:
        errors["tables"] = str(problem)
        tables = ()
    if errors:
        raise ValidationError(errors)
    return ReleaseRequest(
        name=request.name.strip(),
        epsilon=request.epsilon,
        delta=request.delta,
        tables=tables,
        threshold=request.threshold,
        followed_in=request.followed_in,
    )


def _seed_allowed(seed: int | None) -> None:
    if seed is not None and not settings.VIGIE_ALLOW_SEEDED_RELEASES:
        # Seeded noise is numpy's, reproducible by anyone who knows the seed: never published.
        raise ValidationError({"seed": _("A seeded release is for tests only.")})


@transaction.atomic
def release_request(
    *, actor: Actor | None, request: ReleaseRequest, seed: int | None = None
) -> Release:
    """Create the release and charge its budget to this year's ledger, or refuse both.

    ``actor`` None is the command line (`vigie release create`), run by whoever runs the server.
    The computation runs later (release_compute): the budget is charged now, so two requests
    cannot both pass the check and overspend together. A failed release keeps its charge: noise
    may already have been drawn.
    """
    if actor is not None and not (
        actor.user and actor.user.has_vigie_permission(Permission.RELEASE_CREATE)
    ):
        raise PermissionDenied
    _seed_allowed(seed)
    checked = _validated(request)
    today = timezone.localdate()
    release = Release.objects.create(
        name=checked.name,
        created_by=actor.user if actor else None,
        epsilon=checked.epsilon,
        delta=checked.delta,
        threshold=checked.threshold,
        followed_in=checked.followed_in,
        spec=[list(table) for table in checked.tables],
        reference_date=today,
        metadata={"seed": seed} if seed is not None else {},
    )
    budget_charge(release=release, year=today.year)
    audit_record(actor=actor, action=AuditAction.RELEASE_CREATE, objects=[release])
    return release


def _progress_saver(release: Release) -> Progress:
    def save(step: str, fraction: float) -> None:
        percent = max(0, min(100, int(fraction * 100)))
        Release.objects.filter(pk=release.pk).update(
            progress=percent, progress_step=step[:100], updated_at=timezone.now()
        )

    return save


def _microdata(
    release: Release,
    dimensions: tuple[Dimension, ...],
    progress: Progress,
    organisation: Organisation | None,
) -> Microdata:
    cases = statistics_cases(organisation, followed_in=release.followed_in)
    total = max(cases.count(), 1)

    def rows() -> Iterator[Any]:
        for number, row in enumerate(case_rows(cases, dimensions), start=1):
            if number % _PROGRESS_EVERY == 0:
                progress(_("Reading the files"), _LOAD_SHARE * number / total)
            yield row

    progress(_("Reading the files"), 0.0)
    return encode(rows(), dimensions)


def _engine_step(step: str) -> str:
    """The engine's step names (English codes) in the interface's words."""
    steps = {
        "counting": _("Counting"),
        "measuring": _("Adding the noise (OpenDP)"),
        "consistency": _("Making the tables consistent"),
        "rounding": _("Rounding"),
        "errors": _("Computing the intervals"),
        "done": _("Done"),
    }
    return str(steps.get(step, step))


def _cell(count: int, se: float, key: list[str], threshold: int) -> dict[str, Any]:
    if count < threshold:
        return {"key": key, "count": None, "low": None, "high": None, "se": round(se, 2)}
    return {
        "key": key,
        "count": count,
        "low": max(0, math.floor(count - Z_95 * se)),
        "high": math.ceil(count + Z_95 * se),
        "se": round(se, 2),
    }


def published_tables(
    result: ReleaseResult, tables: tuple[Table, ...], dims: dict[str, Dimension], threshold: int
) -> list[dict[str, Any]]:
    """The engine's tables as stored: value codes, counts at or above the threshold only."""
    published = []
    for names, table in zip(tables, result.tables, strict=True):
        cells = []
        for index in np.ndindex(table.counts.shape):
            key = [dims[name].values[i] for name, i in zip(names, index, strict=True)]
            cells.append(
                _cell(int(table.counts[index]), float(table.std_error[index]), key, threshold)
            )
        published.append({"attributes": list(names), "measured": table.measured, "cells": cells})
    return published


def _metadata(release: Release, result: ReleaseResult, files: int) -> dict[str, Any]:
    seeded = "seed" in release.metadata
    return {
        **release.metadata,
        "name": release.name,
        "reference_date": release.reference_date.isoformat(),
        "published_at": timezone.now().isoformat(),
        "query": {
            "population": "case files of participating organisations, one record per file"
            + (
                f", followed during {release.followed_in} (opened by its end, not closed before)"
                if release.followed_in
                else ""
            ),
            "followed_in": release.followed_in,
            "tables": tables_format(release.spec),
            "main_form": "a file's first recorded form of exploitation",
        },
        "privacy_unit": "one case file (add/remove one file)",
        "mechanism": result.mechanism,
        "noise": "numpy, seeded: TEST ONLY, not for publication" if seeded else "OpenDP",
        "epsilon": release.epsilon,
        "delta": release.delta,
        "rho": result.rho,
        "sigma": result.sigma,
        "l2_sensitivity": result.l2_sensitivity,
        "measured_tables": result.measured_tables,
        "threshold": release.threshold,
        "suppressed_as": f"< {release.threshold}",
        "interval": "95% interval: count ± 1.96 x standard error of the estimator, from 0",
        "post_processing": (
            "one-way tables and the total estimated from every measured table (inverse-variance "
            "least squares); two-way tables fitted to their margins and shrunk towards "
            "independence by a strength fitted on the noisy table (empirical Bayes: no privacy "
            "cost); non-negative integers by controlled rounding: every table adds up to the "
            "same total and its margins equal the one-way tables"
        ),
        "standard_error": (
            "of the linear part of the estimator (before shrinkage, clipping and rounding), "
            "computed from the noise scale and table shapes only"
        ),
        "total": result.total,
        "organisations": Organisation.objects.filter(in_statistics=True, is_active=True).count()
        if files
        else 0,
    }


def release_compute(
    release: Release,
    *,
    progress: Progress | None = None,
    organisation: Organisation | None = None,
    noise: NoiseSource | None = None,
) -> Release:
    """Compute and publish ``release``; on error, mark it failed and re-raise.

    ``organisation`` limits the files (tests only); ``noise`` overrides the noise source (tests:
    a seeded release uses SeededGaussianNoise).
    """
    save = _progress_saver(release)

    def report(step: str, fraction: float) -> None:
        save(step, fraction)
        if progress:
            progress(step, fraction)

    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.RUNNING)
    try:
        tables = tuple(tuple(table) for table in release.spec)
        names = sorted({name for table in tables for name in table})
        dimensions = dimensions_for(names, release.reference_date)
        microdata = _microdata(release, dimensions, report, organisation)
        seed = release.metadata.get("seed")
        if noise is None and seed is not None:
            _seed_allowed(seed)
            noise = SeededGaussianNoise(int(seed))
        result = release_tables(
            microdata.codes,
            microdata.cardinalities,
            [tuple(microdata.position(name) for name in table) for table in tables],
            epsilon=release.epsilon,
            delta=release.delta,
            noise=noise,
            progress=lambda step, fraction: report(
                _engine_step(step), _LOAD_SHARE + (1 - _LOAD_SHARE) * fraction
            ),
        )
        dims = {dim.code: dim for dim in dimensions}
        with transaction.atomic():
            release.tables = published_tables(result, tables, dims, release.threshold)
            release.metadata = _metadata(release, result, len(microdata))
            release.status = ReleaseStatus.PUBLISHED
            release.published_at = timezone.now()
            release.progress = 100
            release.progress_step = ""
            release.save()
            audit_record(actor=None, action=AuditAction.RELEASE_PUBLISH, objects=[release])
    except Exception as problem:
        Release.objects.filter(pk=release.pk).update(
            status=ReleaseStatus.FAILED, error=f"{type(problem).__name__}: {problem}"[:2000]
        )
        raise
    return release
