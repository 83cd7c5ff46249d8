"""Post-processing of noisy tables: projections, rounding, raking, the whole fit."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from vigie.monitoring.privacy.consistency import (
    controlled_round,
    fit_table,
    project_to_margins,
    project_to_simplex,
    rake,
    round_to_total,
    shrink_to_independence,
)

FAST = settings(max_examples=25, deadline=None)
floats = st.floats(-1000, 1000, allow_nan=False, allow_infinity=False)


def integer_margins(draw, n_rows: int, n_columns: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column sums of a random non-negative integer table (so they share a total)."""
    cells = draw(arrays(np.int64, (n_rows, n_columns), elements=st.integers(0, 60)))
    if draw(st.booleans()):
        cells[draw(st.integers(0, n_rows - 1)), :] = 0  # an empty row, as structural zeros give
    return cells.sum(axis=1), cells.sum(axis=0)


@st.composite
def noisy_tables(draw):
    n_rows, n_columns = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    noisy = draw(arrays(np.float64, (n_rows, n_columns), elements=floats))
    rows, columns = integer_margins(draw, n_rows, n_columns)
    return noisy, rows, columns


@FAST
@given(
    values=arrays(np.float64, st.integers(1, 12), elements=floats),
    total=st.floats(0, 5000),
    seed=st.integers(0, 2**32 - 1),
)
def test_simplex_projection_is_the_nearest_non_negative_vector_with_the_total(values, total, seed):
    projected = project_to_simplex(values, total)

    assert (projected >= 0).all()
    assert projected.sum() == pytest.approx(total, abs=1e-6)
    # Any other non-negative vector with that total is at least as far.
    others = np.random.default_rng(seed).dirichlet(np.ones(values.size), size=20) * total
    distance = np.linalg.norm(projected - values)
    assert (np.linalg.norm(others - values, axis=1) >= distance - 1e-6).all()


@FAST
@given(
    shares=arrays(np.float64, st.integers(1, 12), elements=st.floats(0, 1)),
    total=st.integers(0, 10**6),
)
def test_largest_remainder_keeps_the_total_and_moves_each_cell_by_less_than_one(shares, total):
    values = project_to_simplex(shares, total)

    rounded = round_to_total(values, total)

    assert rounded.dtype == np.int64
    assert rounded.sum() == total
    assert (rounded >= 0).all()
    assert (np.abs(rounded - values) < 1).all()


@FAST
@given(case=noisy_tables(), seed=st.integers(0, 2**32 - 1))
def test_margin_projection_meets_the_margins_and_is_orthogonal(case, seed):
    noisy, rows, columns = case

    projected = project_to_margins(noisy, rows.astype(float), columns.astype(float))

    np.testing.assert_allclose(projected.sum(axis=1), rows, atol=1e-6)
    np.testing.assert_allclose(projected.sum(axis=0), columns, atol=1e-6)
    # Orthogonal projection: the correction is orthogonal to every zero-margin direction.
    direction = np.random.default_rng(seed).normal(size=noisy.shape)
    direction = project_to_margins(direction, np.zeros(len(rows)), np.zeros(len(columns)))
    assert np.sum((noisy - projected) * direction) == pytest.approx(0, abs=1e-6)


def test_margin_projection_works_on_a_batch():
    tables = np.arange(24, dtype=float).reshape(2, 3, 4)
    rows = np.array([[10.0, 20, 30], [0, 0, 60]])
    columns = np.array([[15.0, 15, 15, 15], [60, 0, 0, 0]])

    projected = project_to_margins(tables, rows, columns)

    for index in range(2):
        alone = project_to_margins(tables[index], rows[index], columns[index])
        np.testing.assert_allclose(projected[index], alone)


def test_raking_keeps_zeros_and_reaches_feasible_margins():
    table = np.array([[4.0, -2.0, 1.0], [1.0, 3.0, 0.0]])
    rows, columns = np.array([10, 5]), np.array([6, 4, 5])

    raked = rake(table, rows, columns)

    assert raked[0, 1] == 0 and raked[1, 2] == 0
    np.testing.assert_allclose(raked.sum(axis=1), rows, atol=1e-6)
    np.testing.assert_allclose(raked.sum(axis=0), columns, atol=1e-6)


@FAST
@given(case=noisy_tables())
def test_controlled_rounding_of_a_table_with_integer_margins_stays_within_one(case):
    _, rows, columns = case
    if rows.sum() == 0:
        return
    # A real table with exactly these margins: the independence table.
    table = np.outer(rows, columns) / rows.sum()

    rounded = controlled_round(table, rows, columns)

    assert rounded.dtype == np.int64
    np.testing.assert_array_equal(rounded.sum(axis=1), rows)
    np.testing.assert_array_equal(rounded.sum(axis=0), columns)
    assert (np.abs(rounded - table) < 1 + 1e-9).all()


def test_controlled_rounding_fills_a_row_raking_could_not():
    # The second row has a positive margin but no positive cell.
    table = np.array([[2.5, 2.5], [0.0, 0.0]])

    rounded = controlled_round(table, np.array([5, 3]), np.array([4, 4]))

    np.testing.assert_array_equal(rounded.sum(axis=1), [5, 3])
    np.testing.assert_array_equal(rounded.sum(axis=0), [4, 4])
    assert (rounded >= 0).all()


@FAST
@given(case=noisy_tables(), scale=st.floats(0.1, 100))
def test_fitted_tables_are_non_negative_integers_with_the_margins(case, scale):
    noisy, rows, columns = case

    fitted = fit_table(noisy, rows, columns, noise_scale=scale)

    assert fitted.dtype == np.int64
    assert (fitted >= 0).all()
    np.testing.assert_array_equal(fitted.sum(axis=1), rows)
    np.testing.assert_array_equal(fitted.sum(axis=0), columns)


def test_shrinkage_follows_the_noise_level():
    rows, columns = np.array([600, 400]), np.array([300, 700])
    independence = np.outer(rows, columns) / 1000
    # A strong association: more on the diagonal than independence predicts.
    projected = independence + np.array([[120.0, -120.0], [-120.0, 120.0]])

    quiet = shrink_to_independence(projected, rows, columns, noise_variance=1.0)
    loud = shrink_to_independence(projected, rows, columns, noise_variance=1e8)

    np.testing.assert_allclose(quiet, projected, atol=1.0)
    np.testing.assert_allclose(loud, independence, atol=1.0)
    # In between, each cell lies between what was measured and what the margins predict.
    middle = shrink_to_independence(projected, rows, columns, noise_variance=120.0**2)
    assert (np.minimum(projected, independence) <= middle + 1e-9).all()
    assert (middle <= np.maximum(projected, independence) + 1e-9).all()
    assert not np.allclose(middle, projected, atol=1.0)
