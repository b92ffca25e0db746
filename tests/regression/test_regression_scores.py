"""pdclean.core.regression.scores and pdclean.regression.rank: values, properties, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pdclean.core.regression.scores import (
    knn_average_distance_score,
    outre_points,
    outre_scores,
    residual_scores,
)
from pdclean.errors import InputError
from pdclean.regression.rank import get_label_quality_scores


def slow_outre(y: np.ndarray, p: np.ndarray) -> np.ndarray:
    """outre written as SPEC R1.3 states it, with a Python loop over rows."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    r = p - y
    u = (y - y.mean()) / (y.std() + 1e-100)
    v = 5 * (r - r.mean()) / (r.std() + 1e-100)
    k = math.ceil(len(y) / 2)
    avg = []
    for i in range(len(y)):
        d = sorted(math.hypot(u[i] - u[j], v[i] - v[j]) for j in range(len(y)))
        avg.append(sum(d[:k]) / k)
    avg = np.array(avg)
    scale = max(float(np.median(avg)), 1e-6)
    return np.where(avg < 1.4901161193847656e-07, 1.0, np.exp(-avg / scale))


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def pairs(draw, min_size=2, max_size=40):
    n = draw(st.integers(min_size, max_size))
    y = draw(arrays(np.float64, n, elements=finite))
    p = draw(arrays(np.float64, n, elements=finite))
    return y, p


@given(pairs())
def test_outre_equals_the_slow_loop(pair):
    y, p = pair
    np.testing.assert_allclose(outre_scores(y, p), slow_outre(y, p), rtol=0, atol=1e-9)


@given(pairs(), st.sampled_from(["outre", "residual"]))
def test_scores_are_in_unit_interval(pair, method):
    scores = get_label_quality_scores(*pair, method=method)
    assert scores.shape == pair[0].shape
    assert ((scores >= 0) & (scores <= 1)).all()


@given(pairs(), st.randoms(use_true_random=False), st.sampled_from(["outre", "residual"]))
def test_row_permutation_equivariance(pair, rnd, method):
    y, p = pair
    perm = np.array(rnd.sample(range(len(y)), len(y)))
    whole = get_label_quality_scores(y, p, method=method)
    np.testing.assert_allclose(
        get_label_quality_scores(y[perm], p[perm], method=method), whole[perm], atol=1e-9
    )


@given(pairs(min_size=5), st.floats(0.01, 100), st.floats(-1e3, 1e3))
def test_outre_is_invariant_to_the_target_units(pair, scale, shift):
    y, p = pair
    r = p - y
    if np.ptp(r) < 1e-3 * (np.abs(r).max() + 1) or np.ptp(y) < 1e-3 * (np.abs(y).max() + 1):
        return  # near-constant axes: standardising amplifies rounding noise (SPEC R1.3)
    got = outre_scores(y * scale + shift, p * scale + shift)
    np.testing.assert_allclose(got, outre_scores(y, p), atol=1e-6)


def test_perfect_predictions_give_a_top_residual_score():
    y = np.array([3.0, -1.0, 7.5])
    assert residual_scores(y, y.copy()).tolist() == [1.0, 1.0, 1.0]
    assert get_label_quality_scores(y, y, method="residual").tolist() == [1.0, 1.0, 1.0]


def test_constant_labels_and_residuals_score_one():
    assert get_label_quality_scores(np.full(6, 2.0), np.full(6, 5.0)).tolist() == [1.0] * 6


def test_the_worst_row_scores_lowest():
    y = np.arange(20.0)
    p = y + np.tile([0.1, -0.1], 10)
    p[13] += 9
    assert int(np.argmin(get_label_quality_scores(y, p))) == 13
    assert int(np.argmin(get_label_quality_scores(y, p, method="residual"))) == 13


def test_majority_of_duplicates_sends_the_rest_to_zero():
    """More than half the points coincide: the divisor is 1e-6 (SPEC R1.4)."""
    y = np.array([1.0] * 6 + [2.0, 3.0])
    p = np.array([1.0] * 6 + [5.0, -1.0])
    scores = get_label_quality_scores(y, p)
    assert scores[:6].tolist() == [1.0] * 6
    assert scores[6:].tolist() == [0.0, 0.0]


def test_knn_transform():
    assert knn_average_distance_score(np.array([0.0, 1e-7, 2.0])).tolist()[:2] == [1.0, 1.0]
    got = knn_average_distance_score(np.array([1.0, 2.0, 4.0]), t=2.0)
    np.testing.assert_allclose(got, np.exp(-2 * np.array([1.0, 2.0, 4.0]) / 2.0), atol=1e-15)


def test_outre_points_weigh_the_residual_five_times():
    pts = outre_points(np.array([0.0, 2.0]), np.array([1.0, 1.0]))
    np.testing.assert_allclose(pts, [[-1.0, 5.0], [1.0, -5.0]], atol=1e-12)


def test_integers_score_as_floats():
    y, p = np.array([1, 2, 3, 4, 9]), np.array([1, 3, 3, 5, 4])
    for method in ("outre", "residual"):
        np.testing.assert_array_equal(
            get_label_quality_scores(y, p, method=method),
            get_label_quality_scores(y.astype(float), p.astype(float), method=method),
        )


@pytest.mark.parametrize(
    ("labels", "predictions", "method", "match"),
    [
        ([1.0], [1.0], "outre", r"labels has 1 sample \(\[1.0\]\); at least 2 values"),
        ([], [], "outre", r"labels is empty \(shape \(0,\)\); pass at least 2 values"),
        ([[1, 2], [3, 4]], [1, 2], "outre", r"labels must be 1-dimensional .* shape \(2, 2\)"),
        (["a", "b"], [1, 2], "outre", r"labels must contain real numbers .*dtype <U1"),
        ([True, False], [1, 2], "outre", r"labels must contain real numbers .*dtype bool"),
        ([1, 2], [1j, 2], "outre", r"predictions contains complex numbers"),
        ([1.0, np.nan, 3.0], [1, 2, 3], "outre", r"Input labels contains NaN: 1 missing .* row 1"),
        ([1, 2, 3], [1, np.inf, 3], "residual", r"Input predictions contains infinity.* row 1"),
        ([1, 2, 3], [1, 2], "outre", r"same length; got 3 labels and 2 predictions"),
        ([1, 2, 3], [1, 2, 3], "median", r"method must be one of \['outre', 'residual'\]; got"),
        ([[1, 2], [3]], [1, 2], "outre", r"labels must be array-like .* got a list"),
        (None, [1, 2], "outre", r"labels is None"),
    ],
)
def test_bad_input_messages(labels, predictions, method, match):
    with pytest.raises(InputError, match=match):
        get_label_quality_scores(labels, predictions, method=method)


def test_method_is_keyword_only():
    with pytest.raises(TypeError):
        get_label_quality_scores([1, 2], [1, 2], "residual")
