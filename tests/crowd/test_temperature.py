"""pdclean.core.crowd.temperature: the temperature search and scaling (SPEC-multi A.5)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.crowd.temperature import (
    COARSE_GRID,
    best_temperature,
    soft_cross_entropy,
    temp_scale,
)

# every value the search can return: the fine grids around each coarse optimum (A.5.3)
REACHABLE = set()
for j in range(len(COARSE_GRID)):
    if j > 0:
        REACHABLE.update(np.linspace(COARSE_GRID[j - 1], COARSE_GRID[j], 4, endpoint=False))
    if j < len(COARSE_GRID) - 1:
        REACHABLE.update(np.linspace(COARSE_GRID[j], COARSE_GRID[j + 1], 5))


def test_soft_cross_entropy_by_hand():
    target = np.array([[1.0, 0.0], [0.5, 0.5]])
    probs = np.array([[0.25, 0.75], [0.5, 0.5]])
    expected = (-np.log(0.25) / np.log(2) + 1.0) / 2  # row 2: -ln(1/2)/ln 2 = 1
    assert soft_cross_entropy(target, probs) == expected


def test_zero_probabilities_are_floored():
    value = soft_cross_entropy(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]]))
    assert value == -np.log(1e-30) / np.log(2)


def test_confident_correct_model_gets_the_lowest_temperature():
    counts = np.array([[3, 0]] * 20)
    sharp = np.array([[0.6, 0.4]] * 20)
    assert best_temperature(counts, sharp) == 0.1  # sharpen as much as the grid allows


def test_packed_target_quirk_flattens_a_correct_model_and_8_is_never_returned():
    """Rows labelled only 1 (K = 2) are packed to the target [1, 0] (A.5.1): the model that
    agrees with the annotators looks wrong, so the search flattens it as much as it can, and
    the coarse optimum 8 yields 7.25 (A.5.3)."""
    counts = np.array([[0, 3]] * 20)
    agreeing = np.array([[0.4, 0.6]] * 20)
    assert best_temperature(counts, agreeing) == 7.25


@given(st.integers(0, 10_000), st.integers(2, 6))
def test_search_returns_a_grid_value(seed, k):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 3, (20, k))
    counts[:, 0] += 1
    probs = rng.dirichlet(np.ones(k) * 0.5, 20)
    assert best_temperature(counts, probs) in REACHABLE


@given(st.integers(0, 10_000), st.integers(2, 6), st.sampled_from([0.1, 0.5, 1.0, 2.5, 7.25]))
def test_temp_scale_rows_sum_to_one_and_keep_the_order(seed, k, temperature):
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(k), 15)
    scaled = temp_scale(probs, temperature)
    np.testing.assert_allclose(scaled.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(np.argsort(scaled, axis=1), np.argsort(probs, axis=1))


def test_temp_scale_at_one_renormalises_and_floors():
    probs = np.array([[0.2, 0.2, 0.6], [0.5, 0.5, 0.0], [1.0, 1.0, 2.0]])
    scaled = temp_scale(probs, 1.0)
    np.testing.assert_allclose(scaled[0], probs[0], rtol=0, atol=1e-15)
    assert 0 < scaled[1, 2] < 1e-29
    np.testing.assert_allclose(scaled[2], [0.25, 0.25, 0.5], rtol=0, atol=1e-15)


def test_temperature_is_floored():
    probs = np.array([[0.4, 0.6]])
    np.testing.assert_array_equal(temp_scale(probs, 0.0), temp_scale(probs, 1e-6))
