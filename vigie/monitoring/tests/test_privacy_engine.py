"""The release engine: calibration, consistency of what it publishes, errors, bad input."""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigie.monitoring.privacy import engine
from vigie.monitoring.privacy.engine import release_tables
from vigie.monitoring.privacy.mechanism import (
    SeededGaussianNoise,
    gaussian_epsilon,
    gaussian_rho,
    gaussian_scale,
    laplace_counts,
)

EPSILON, DELTA = 1.0, 1e-6


def correlated_codes(records: int, cardinalities: tuple[int, ...], seed: int = 3) -> np.ndarray:
    """Categorical records whose attributes follow a shared hidden class (so tables associate)."""
    generator = np.random.default_rng(seed)
    hidden = generator.integers(0, 3, size=records)
    columns = []
    for cardinality in cardinalities:
        # Each hidden class prefers its own values (Dirichlet rows, one per class).
        preferences = generator.dirichlet(np.full(cardinality, 0.5), size=3)
        draws = generator.random(records)
        cumulative = np.cumsum(preferences[hidden], axis=1)
        columns.append((draws[:, None] > cumulative).sum(axis=1).clip(0, cardinality - 1))
    return np.stack(columns, axis=1)


def all_tables(attributes: int) -> list[tuple[int, ...]]:
    return [(), *((a,) for a in range(attributes)), *itertools.combinations(range(attributes), 2)]


def exact(codes: np.ndarray, cardinalities: tuple[int, ...], table: tuple[int, ...]):
    shape = tuple(cardinalities[a] for a in table)
    flat = np.ravel_multi_index(tuple(codes[:, table].T), shape)
    return np.bincount(flat, minlength=math.prod(shape)).reshape(shape)


def test_the_noise_is_the_smallest_opendp_accepts_for_the_budget():
    sensitivity = math.sqrt(45)

    sigma = gaussian_scale(epsilon=EPSILON, delta=DELTA, l2_sensitivity=sensitivity)

    # OpenDP's own privacy map at that noise is within budget, and less noise exceeds it.
    assert gaussian_epsilon(scale=sigma, delta=DELTA, l2_sensitivity=sensitivity) <= EPSILON
    smaller = sigma * (1 - 1e-6)
    assert gaussian_epsilon(scale=smaller, delta=DELTA, l2_sensitivity=sensitivity) > EPSILON
    # The exact zCDP conversion beats the textbook bound sqrt(2 ln(1.25/δ)) Δ/ε.
    assert sigma < math.sqrt(2 * math.log(1.25 / DELTA)) * sensitivity / EPSILON
    assert gaussian_rho(scale=sigma, l2_sensitivity=sensitivity) == pytest.approx(
        sensitivity**2 / (2 * sigma**2)
    )


def test_one_gaussian_measures_only_the_maximal_tables():
    cardinalities = (3, 4, 2, 5)
    codes = correlated_codes(2000, cardinalities)
    tables = [(0,), (1, 0), (), (3,), (0, 2)]

    result = release_tables(
        codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA, noise=SeededGaussianNoise(1)
    )

    # (1, 0), (0, 2) and (3,) are measured; (0,) and the total are derived from them.
    assert [table.measured for table in result.tables] == [False, True, False, True, True]
    assert result.measured_tables == 3
    assert result.l2_sensitivity == pytest.approx(math.sqrt(3))
    assert result.sigma == gaussian_scale(epsilon=EPSILON, delta=DELTA, l2_sensitivity=math.sqrt(3))
    assert (result.epsilon, result.delta) == (EPSILON, DELTA)
    assert "OpenDP" in result.mechanism


@st.composite
def releases(draw):
    attributes = draw(st.integers(1, 4))
    cardinalities = tuple(
        draw(st.lists(st.integers(1, 5), min_size=attributes, max_size=attributes))
    )
    records = draw(st.integers(0, 300))
    candidates = all_tables(attributes)
    tables = draw(st.lists(st.sampled_from(candidates), min_size=1, unique=True))
    # Requested orientation is kept: sometimes ask for (b, a).
    tables = [table[::-1] if draw(st.booleans()) else table for table in tables]
    seed = draw(st.integers(0, 2**16))
    return correlated_codes(records, cardinalities, seed), cardinalities, tables, seed


@settings(max_examples=15, deadline=None)
@given(case=releases())
def test_published_tables_are_consistent_non_negative_integers(case):
    codes, cardinalities, tables, seed = case

    result = release_tables(
        codes,
        cardinalities,
        tables,
        epsilon=0.5,
        delta=DELTA,
        noise=SeededGaussianNoise(seed),
    )

    margins: dict[int, np.ndarray] = {}
    for asked, table in zip(tables, result.tables, strict=True):
        assert table.attributes == asked
        assert table.counts.shape == tuple(cardinalities[a] for a in asked)
        assert table.counts.dtype == np.int64
        assert table.std_error.shape == table.counts.shape
        assert (table.counts >= 0).all()
        assert table.counts.sum() == result.total
        # Every table shows the same counts for an attribute it shares with another.
        for axis, attribute in enumerate(asked):
            margin = table.counts.sum(axis=tuple(a for a in range(len(asked)) if a != axis))
            np.testing.assert_array_equal(margins.setdefault(attribute, margin), margin)


def test_a_two_way_table_asked_both_ways_is_the_same_table():
    cardinalities = (3, 4, 2)
    codes = correlated_codes(3000, cardinalities)
    tables = [(0, 1), (2, 1)]
    forward = release_tables(
        codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA, noise=SeededGaussianNoise(4)
    )
    backward = release_tables(
        codes,
        cardinalities,
        [(1, 0), (1, 2)],
        epsilon=EPSILON,
        delta=DELTA,
        noise=SeededGaussianNoise(4),
    )

    for ahead, behind in zip(forward.tables, backward.tables, strict=True):
        np.testing.assert_array_equal(ahead.counts, behind.counts.T)
        np.testing.assert_allclose(ahead.std_error, behind.std_error.T)


def test_a_seeded_release_is_reproducible_and_opendp_releases_differ():
    cardinalities = (4, 5, 3)
    codes = correlated_codes(5000, cardinalities)
    tables = all_tables(3)

    def release(noise=None):
        result = release_tables(
            codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA, noise=noise
        )
        return np.concatenate([table.counts.ravel() for table in result.tables])

    np.testing.assert_array_equal(release(SeededGaussianNoise(9)), release(SeededGaussianNoise(9)))
    assert not np.array_equal(release(SeededGaussianNoise(9)), release(SeededGaussianNoise(10)))
    assert not np.array_equal(release(), release())


def test_the_release_is_more_accurate_than_one_laplace_release_per_table():
    cardinalities = (6, 4, 8, 3, 5, 7)
    codes = correlated_codes(20_000, cardinalities)
    tables = all_tables(6)[1:]  # the 6 one-way and 15 two-way tables
    two_way = [table for table in tables if len(table) == 2]

    result = release_tables(
        codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA, noise=SeededGaussianNoise(2)
    )

    published = {table.attributes: table.counts for table in result.tables}
    per_table = EPSILON / len(tables)
    truth = {table: exact(codes, cardinalities, table) for table in two_way}
    ours = np.mean([np.abs(published[t] - truth[t]).mean() for t in two_way])
    laplace = np.mean(
        [
            np.abs(np.maximum(laplace_counts(truth[t], epsilon=per_table), 0) - truth[t]).mean()
            for t in two_way
        ]
    )
    # About 0.6 here (15 two-way tables); the margin covers the Laplace draw's own variation.
    assert ours < 0.8 * laplace


def test_standard_errors_match_the_estimator():
    codes = correlated_codes(1000, (5, 3))

    total_only = release_tables(codes, (5, 3), [()], epsilon=EPSILON, delta=DELTA)
    one_way = release_tables(codes, (5, 3), [(0,)], epsilon=EPSILON, delta=DELTA)
    two_way = release_tables(codes, (5, 3), [(0, 1), (0,), ()], epsilon=EPSILON, delta=DELTA)

    # Measured alone, a table's cells carry exactly the noise's standard deviation.
    assert total_only.tables[0].std_error == pytest.approx(total_only.sigma)
    np.testing.assert_allclose(one_way.tables[0].std_error, one_way.sigma)
    # Derived from the 5-by-3 table: the total sums 15 noisy cells, each margin 3.
    cells, margin, total = two_way.tables
    assert total.std_error == pytest.approx(two_way.sigma * math.sqrt(15))
    np.testing.assert_allclose(margin.std_error, two_way.sigma * math.sqrt(3))
    # Projecting onto exact margins would leave sigma² (1 - 1/5)(1 - 1/3); the margins' own
    # noise adds back 1/5 + 1/3 - 1/15 of it (the projection is then the identity).
    np.testing.assert_allclose(cells.std_error, two_way.sigma)
    low, high = cells.interval()
    assert (low >= 0).all()
    np.testing.assert_allclose(high - cells.counts, 1.96 * cells.std_error)


def test_simulated_standard_errors_agree_with_the_exact_ones(monkeypatch):
    cardinalities = (4, 3, 5, 2)
    codes = correlated_codes(500, cardinalities)
    tables = all_tables(4)

    exact_errors = release_tables(codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA)
    monkeypatch.setattr(engine, "EXACT_ERROR_CELLS", 0)
    simulated = release_tables(codes, cardinalities, tables, epsilon=EPSILON, delta=DELTA)

    for ours, theirs in zip(exact_errors.tables, simulated.tables, strict=True):
        np.testing.assert_allclose(theirs.std_error, ours.std_error, rtol=0.1)


def test_progress_is_reported_up_to_done():
    steps = []

    release_tables(
        correlated_codes(100, (3, 3)),
        (3, 3),
        [(0, 1)],
        epsilon=EPSILON,
        delta=DELTA,
        noise=SeededGaussianNoise(0),
        progress=lambda step, fraction: steps.append((step, fraction)),
    )

    fractions = [fraction for _, fraction in steps]
    assert len(steps) >= 4
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0


GOOD = {"codes": np.array([[0, 1], [1, 2]]), "cardinalities": (2, 3), "tables": [(0, 1)]}


@pytest.mark.parametrize(
    ("changes", "parameter"),
    [
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": -1.0}, "epsilon"),
        ({"epsilon": math.nan}, "epsilon"),
        ({"epsilon": math.inf}, "epsilon"),
        ({"delta": 0.0}, "delta"),
        ({"delta": 1.0}, "delta"),
        ({"delta": -0.5}, "delta"),
        ({"tables": [(0, 2)]}, "tables"),
        ({"tables": [(-1,)]}, "tables"),
        ({"tables": [(0, 1, 1)]}, "tables"),
        ({"tables": [(0, 0)]}, "tables"),
        ({"tables": [(0, 1), (1, 0)]}, "tables"),
        ({"tables": [(1,), (1,)]}, "tables"),
        ({"tables": []}, "tables"),
        ({"codes": np.array([[0, 3], [1, 2]])}, "codes"),
        ({"codes": np.array([[0, -1], [1, 2]])}, "codes"),
        ({"codes": np.array([0, 1])}, "codes"),
        ({"codes": np.array([[0.0, 1.0]])}, "codes"),
        ({"cardinalities": (2,)}, "cardinalities"),
        ({"cardinalities": (2, 0)}, "cardinalities"),
    ],
)
def test_bad_input_is_refused_naming_the_parameter(changes, parameter):
    arguments = {**GOOD, "epsilon": EPSILON, "delta": DELTA, **changes}
    codes, cardinalities, tables = (arguments.pop(k) for k in ("codes", "cardinalities", "tables"))

    with pytest.raises(ValueError, match=f"^{parameter}"):
        release_tables(codes, cardinalities, tables, **arguments)
