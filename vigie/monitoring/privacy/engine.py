"""A statistics release: one- and two-way count tables under (ε, δ)-differential privacy.

Privacy unit: one record (one row of ``codes``, a case file); neighbouring datasets differ by
adding or removing one record.

Only the *maximal* requested tables are measured: a 1-way table whose attribute appears in a
requested 2-way table, and the grand total, are derived from the 2-way tables (their noise would
otherwise be spent on information the 2-way tables already carry). One record adds one to
exactly one cell of each measured table, so the concatenated vector of all measured cells has L2
sensitivity sqrt(number of measured tables), and a single Gaussian mechanism measures it all:
for many tables the Gaussian's budget grows with the square root of their number where a
per-table Laplace grows linearly.

The noisy tables are then made consistent and publishable (``consistency``): each attribute's
marginal and the total are estimated from every measured table that contains them, rounded to
non-negative integers with one common total; each 2-way table is projected onto its two integer
marginals, its small cells pulled towards what the marginals predict (empirical Bayes: measured
on the demo data, this is what brings the error well under half of the baselines'; see
``consistency.shrink_to_independence``), and rounded to integers that keep the marginals exactly.
"""

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import reduce
from numbers import Real

import numpy as np

from .consistency import fit_table, project_to_margins, project_to_simplex, round_to_total
from .mechanism import NoiseSource, OpenDPGaussianNoise, gaussian_rho, gaussian_scale

MECHANISM = "Gaussian (OpenDP make_gaussian), zCDP → (ε, δ)"

# Standard errors are computed exactly (the estimator applied to every unit noise vector) up to
# this many measured cells, a fraction of a second; beyond it, from this many simulated noise
# vectors (a relative precision of about 2 %), which keeps very large releases fast.
EXACT_ERROR_CELLS = 8192
SIMULATED_ERROR_DRAWS = 1000
_ERROR_BATCH_VALUES = 2_000_000  # noise values per batch: 16 MB, whatever the release's size

Table = tuple[int, ...]
Progress = Callable[[str, float], None]


@dataclass(frozen=True)
class PublishedTable:
    attributes: tuple[int, ...]  # column indices into codes, as requested; () for the grand total
    counts: np.ndarray  # int64, shape = tuple(cardinalities[a] for a in attributes)
    std_error: np.ndarray  # float64, same shape
    measured: bool  # measured directly or derived by post-processing

    def interval(self, z: float = 1.96) -> tuple[np.ndarray, np.ndarray]:
        """Each cell's confidence interval, ± z standard errors (95 % by default), floored at 0."""
        return np.maximum(self.counts - z * self.std_error, 0.0), self.counts + z * self.std_error


@dataclass(frozen=True)
class ReleaseResult:
    tables: list[PublishedTable]  # in the order requested
    total: int  # common total of every table
    mechanism: str
    epsilon: float
    delta: float
    rho: float  # zero-concentrated guarantee spent (rho-zCDP), before conversion
    sigma: float  # noise standard deviation added to every measured cell
    l2_sensitivity: float
    measured_tables: int


def release_tables(
    codes: np.ndarray,
    cardinalities: Sequence[int],
    tables: Sequence[tuple[int, ...]],
    *,
    epsilon: float,
    delta: float,
    noise: NoiseSource | None = None,
    progress: Progress | None = None,
) -> ReleaseResult:
    """Release ``tables`` (each 0, 1 or 2 attribute indices) counted over ``codes`` with
    (``epsilon``, ``delta``)-differential privacy.

    ``codes`` is an integer array of n records by d attributes, ``codes[i, a]`` in
    ``range(cardinalities[a])``. Every published table is a non-negative integer array, its
    marginals equal the published 1-way tables and every table sums to ``total``.

    ``std_error`` is the exact standard error of the linear part of the estimator (noise →
    combined marginals → projection onto them): the estimator is applied to each unit noise
    vector (Monte-Carlo noise beyond EXACT_ERROR_CELLS measured cells), which involves the noise
    scale and the tables' shapes only, never the data, so it costs no privacy. The non-linear
    steps are left out: shrinkage towards independence, clipping, raking and rounding make most
    cells more accurate than that, so ``interval()`` is conservative on average (on the
    benchmark, 95 % intervals cover about 95 % of the two-way cells of 11 and more; a cell far
    from independence and measured small can be missed more often).

    ``noise`` defaults to OpenDP's sampler; pass ``SeededGaussianNoise`` in tests only.
    ``progress(step, fraction_done)`` is called at each step. Raises ValueError naming the
    parameter for an invalid input.
    """
    report = progress or _no_progress
    _check_budget(epsilon, delta)
    columns, cards = _checked_codes(codes, cardinalities)
    requested = _checked_tables(tables, len(cards))
    normalised = [tuple(sorted(table)) for table in requested]
    measured = _maximal(normalised)

    report("counting", 0.0)
    true_counts = [_count(columns, cards, table) for table in measured]

    report("measuring", 0.2)
    l2_sensitivity = math.sqrt(len(measured))
    sigma = gaussian_scale(epsilon=epsilon, delta=delta, l2_sensitivity=l2_sensitivity)
    flat = np.concatenate([counts.ravel() for counts in true_counts]).astype(np.float64)
    noisy_flat = (noise or OpenDPGaussianNoise()).add_gaussian(flat, sigma)
    noisy = _split(noisy_flat[None, :], measured, cards)

    report("consistency", 0.4)
    estimate = _linear_estimate(measured, cards, noisy)
    total = max(0, round(float(estimate.total[0])))
    marginals = {
        attribute: round_to_total(project_to_simplex(values[0], total), total)
        for attribute, values in estimate.marginals.items()
    }

    report("rounding", 0.6)
    two_way: dict[Table, np.ndarray] = {
        table: fit_table(
            noisy[table][0], marginals[table[0]], marginals[table[1]], noise_scale=sigma
        )
        for table in measured
        if len(table) == 2
    }

    report("errors", 0.9)
    errors = _standard_errors(measured, cards, sigma)

    published = []
    for asked, table in zip(requested, normalised, strict=True):
        if not table:
            counts, std_error = np.array(total, dtype=np.int64), errors.total
        elif len(table) == 1:
            counts, std_error = marginals[table[0]], errors.marginals[table[0]]
        else:
            counts, std_error = two_way[table], errors.two_way[table]
            if asked != table:
                counts, std_error = counts.T, std_error.T
        published.append(
            PublishedTable(
                attributes=asked,
                counts=np.array(counts, dtype=np.int64),
                std_error=np.array(std_error, dtype=np.float64),
                measured=table in measured,
            )
        )
    report("done", 1.0)
    return ReleaseResult(
        tables=published,
        total=total,
        mechanism=MECHANISM,
        epsilon=epsilon,
        delta=delta,
        rho=gaussian_rho(scale=sigma, l2_sensitivity=l2_sensitivity),
        sigma=sigma,
        l2_sensitivity=l2_sensitivity,
        measured_tables=len(measured),
    )


def _no_progress(step: str, fraction: float) -> None:
    return None


def _check_budget(epsilon: float, delta: float) -> None:
    if not isinstance(epsilon, Real) or not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError(f"epsilon must be a positive number, not {epsilon!r}")
    if not isinstance(delta, Real) or not 0 < delta < 1:
        raise ValueError(f"delta must be strictly between 0 and 1, not {delta!r}")


def _checked_codes(
    codes: np.ndarray, cardinalities: Sequence[int]
) -> tuple[np.ndarray, tuple[int, ...]]:
    array = np.asarray(codes)
    if array.ndim != 2 or not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"codes must be a 2-D integer array, not {array.dtype} {array.shape}")
    cards = tuple(int(card) for card in cardinalities)
    if len(cards) != array.shape[1]:
        raise ValueError(
            f"cardinalities has {len(cards)} values for {array.shape[1]} attributes in codes"
        )
    if any(card < 1 for card in cards):
        raise ValueError(f"cardinalities must be at least 1: {cards}")
    if array.shape[0]:
        low, high = array.min(axis=0), array.max(axis=0)
        for attribute, card in enumerate(cards):
            if low[attribute] < 0 or high[attribute] >= card:
                raise ValueError(
                    f"codes of attribute {attribute} must lie in range({card}), "
                    f"found {low[attribute]}..{high[attribute]}"
                )
    # int64 so that combined codes (row · cardinality + column) cannot overflow.
    return array.astype(np.int64, copy=False), cards


def _checked_tables(tables: Sequence[tuple[int, ...]], attributes: int) -> list[Table]:
    if not tables:
        raise ValueError("tables must name at least one table")
    checked: list[Table] = []
    seen: set[Table] = set()
    for table in tables:
        table = tuple(int(attribute) for attribute in table)
        if len(table) > 2:
            raise ValueError(f"tables: {table} has more than two attributes")
        if len(set(table)) != len(table):
            raise ValueError(f"tables: {table} repeats an attribute")
        for attribute in table:
            if not 0 <= attribute < attributes:
                raise ValueError(f"tables: attribute {attribute} is not in range({attributes})")
        key = tuple(sorted(table))
        if key in seen:
            raise ValueError(f"tables: {table} is requested twice")
        seen.add(key)
        checked.append(table)
    return checked


def _maximal(tables: list[Table]) -> list[Table]:
    """The tables no other requested table contains, in request order."""
    return [
        table
        for table in tables
        if not any(set(table) < set(other) for other in tables if other != table)
    ]


def _count(columns: np.ndarray, cards: tuple[int, ...], table: Table) -> np.ndarray:
    if not table:
        return np.array([columns.shape[0]], dtype=np.int64)
    if len(table) == 1:
        return np.bincount(columns[:, table[0]], minlength=cards[table[0]])
    a, b = table
    combined = columns[:, a] * cards[b] + columns[:, b]
    return np.bincount(combined, minlength=cards[a] * cards[b]).reshape(cards[a], cards[b])


def _shape(table: Table, cards: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(cards[attribute] for attribute in table)


def _split(
    flat: np.ndarray, measured: list[Table], cards: tuple[int, ...]
) -> dict[Table, np.ndarray]:
    """Batch rows of concatenated measured cells → each table as (batch, *shape)."""
    tables: dict[Table, np.ndarray] = {}
    start = 0
    for table in measured:
        shape = _shape(table, cards)
        size = math.prod(shape)
        tables[table] = flat[:, start : start + size].reshape(flat.shape[0], *shape)
        start += size
    return tables


@dataclass(frozen=True)
class _Estimate:
    """The linear estimator's output, each with a leading batch axis."""

    total: np.ndarray
    marginals: dict[int, np.ndarray]
    two_way: dict[Table, np.ndarray]


def _linear_estimate(
    measured: list[Table], cards: tuple[int, ...], noisy: dict[Table, np.ndarray]
) -> _Estimate:
    """Least-squares-style combination of the measured tables.

    Each measured table gives an estimate of the total and of the marginal of each of its
    attributes, whose noise variance is sigma squared times the number of cells summed; they
    are combined with inverse-variance weights (the best linear unbiased combination of
    independent estimates). Each marginal is then shifted evenly to the combined total, and
    each 2-way table projected onto its two marginals.
    """
    batch = next(iter(noisy.values())).shape[0]
    total_sum, total_weight = np.zeros(batch), 0.0
    sums: dict[int, np.ndarray] = {}
    weights: dict[int, float] = {}
    for table in measured:
        values = noisy[table]
        cells = math.prod(_shape(table, cards))
        total_sum = total_sum + values.reshape(batch, -1).sum(axis=1) / cells
        total_weight += 1.0 / cells
        for axis, attribute in enumerate(table):
            # The marginal sums cells / cards[attribute] noisy cells per value.
            weight = cards[attribute] / cells
            other_axes = tuple(1 + other for other in range(len(table)) if other != axis)
            marginal = values.sum(axis=other_axes) * weight
            sums[attribute] = sums[attribute] + marginal if attribute in sums else marginal
            weights[attribute] = weights.get(attribute, 0.0) + weight
    total = total_sum / total_weight
    marginals = {}
    for attribute, weighted in sums.items():
        combined = weighted / weights[attribute]
        shortfall = total - combined.sum(axis=1)
        marginals[attribute] = combined + shortfall[:, None] / cards[attribute]
    two_way: dict[Table, np.ndarray] = {
        table: project_to_margins(noisy[table], marginals[table[0]], marginals[table[1]])
        for table in measured
        if len(table) == 2
    }
    return _Estimate(total=total, marginals=marginals, two_way=two_way)


def _noise_batches(cells: int, sigma: float) -> Iterator[tuple[np.ndarray, int]]:
    """Noise vectors to push through the linear estimator, with the number they stand for.

    Exact: sigma times each unit vector (the estimator's variance is sigma squared times the
    squared norm of its row). Beyond EXACT_ERROR_CELLS: simulated Gaussian noise from a fixed
    seed; the data are never involved, so neither is privacy.
    """
    chunk = max(1, _ERROR_BATCH_VALUES // cells)
    if cells <= EXACT_ERROR_CELLS:
        for start in range(0, cells, chunk):
            stop = min(cells, start + chunk)
            unit = np.zeros((stop - start, cells))
            unit[np.arange(stop - start), np.arange(start, stop)] = sigma
            yield unit, 1
        return
    generator = np.random.default_rng(0)
    for start in range(0, SIMULATED_ERROR_DRAWS, chunk):
        draws = min(chunk, SIMULATED_ERROR_DRAWS - start)
        yield generator.normal(0.0, sigma, size=(draws, cells)), SIMULATED_ERROR_DRAWS


def _standard_errors(measured: list[Table], cards: tuple[int, ...], sigma: float) -> _Estimate:
    """Per-cell standard errors of the linear estimator, from sigma and the tables' shapes only."""
    cells = sum(math.prod(_shape(table, cards)) for table in measured)
    squares = reduce(
        _add,
        (
            _squares(_linear_estimate(measured, cards, _split(batch, measured, cards)), draws)
            for batch, draws in _noise_batches(cells, sigma)
        ),
    )
    return _Estimate(
        total=np.sqrt(squares.total),
        marginals={a: np.sqrt(v) for a, v in squares.marginals.items()},
        two_way={t: np.sqrt(v) for t, v in squares.two_way.items()},
    )


def _squares(estimate: _Estimate, draws: int) -> _Estimate:
    return _Estimate(
        total=(estimate.total**2).sum(axis=0) / draws,
        marginals={a: (v**2).sum(axis=0) / draws for a, v in estimate.marginals.items()},
        two_way={t: (v**2).sum(axis=0) / draws for t, v in estimate.two_way.items()},
    )


def _add(left: _Estimate, right: _Estimate) -> _Estimate:
    return _Estimate(
        total=left.total + right.total,
        marginals={a: v + right.marginals[a] for a, v in left.marginals.items()},
        two_way={t: v + right.two_way[t] for t, v in left.two_way.items()},
    )
