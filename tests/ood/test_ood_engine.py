"""pdclean.core.ood: the engine under OutOfDistribution (properties against slow loops)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pdclean.core.ood import (
    adjust_pred_probs,
    confident_thresholds,
    distance_scores,
    fit_features,
    ood_pred_scores,
    score_features,
)

small_tables = arrays(
    np.float64,
    st.tuples(st.integers(3, 30), st.integers(1, 3)),
    elements=st.integers(-2, 2).map(float),  # few values: many duplicates and ties
)


def slow_fit_scores(X: np.ndarray, k: int) -> np.ndarray:
    """Spec R2.3 as a loop: mean distance to the k nearest others, duplicates counted at 0
    first (h = min(g - 1, k) of them), then the nearest rows outside the group."""
    n = len(X)
    avg = np.empty(n)
    for i in range(n):
        dup = [j for j in range(n) if j != i and (X[j] == X[i]).all()]
        others = sorted(
            float(np.sqrt(((X[j] - X[i]) ** 2).sum())) for j in range(n) if (X[j] != X[i]).any()
        )
        h = min(len(dup), k)
        avg[i] = (sum(others[: k - h])) / k
    scale = max(float(np.median(avg)), 100 * np.finfo(float).eps)
    scores = np.exp(-avg / max(scale, 1e-6))
    scores[avg < np.sqrt(100 * np.finfo(float).eps)] = 1.0
    return scores


@given(X=small_tables, k=st.integers(1, 5))
def test_euclidean_fit_scores_equal_slow_loop(X, k):
    k = min(k, len(X) - 1)
    _, scores, _ = fit_features(X, k=k)
    np.testing.assert_allclose(scores, slow_fit_scores(X, k), rtol=0, atol=1e-12)


@given(X=small_tables, seed=st.integers(0, 2**16))
def test_fit_scores_permutation_equivariant_and_in_unit_interval(X, seed):
    perm = np.random.default_rng(seed).permutation(len(X))
    _, scores, scale = fit_features(X)
    _, permuted, permuted_scale = fit_features(X[perm])
    np.testing.assert_allclose(permuted, scores[perm], rtol=0, atol=1e-12)
    assert permuted_scale == pytest.approx(scale, abs=1e-12)
    assert ((scores >= 0) & (scores <= 1)).all()


@given(X=small_tables)
def test_score_on_fitted_rows_is_at_least_fit_score(X):
    """score() counts each row as its own neighbour: mean distances shrink, scores grow."""
    knn, fitted, scale = fit_features(X)
    again, used = score_features(knn, X, scale=scale)
    assert used == scale
    assert (again >= fitted - 1e-12).all()


def test_distance_scores_precision_fix_by_metric():
    avg = np.array([1e-15, 1e-8, 1.0])
    assert distance_scores(avg, scale=1.0, metric_name="cosine")[:2].tolist() == [
        1.0,
        float(np.exp(-1e-8)),
    ]
    assert distance_scores(avg, scale=1.0, metric_name="euclidean")[:2].tolist() == [1.0, 1.0]
    minkowski = distance_scores(avg, scale=1.0, metric_name="minkowski", p=3)  # tol 2.8e-5
    assert minkowski[:2].tolist() == [1.0, 1.0]
    assert distance_scores(avg, scale=1.0, metric_name="manhattan")[0] == float(np.exp(-1e-15))


def test_tiny_scale_floor():
    """More than half the rows at distance 0: the divisor is 1e-6, far rows score 0."""
    X = np.array([[0.0], [0.0], [0.0], [0.0], [1.0]])
    _, scores, scale = fit_features(X, k=1)
    assert scale == 100 * np.finfo(float).eps
    assert scores.tolist() == [1.0, 1.0, 1.0, 1.0, 0.0]


prob_rows = arrays(
    np.float64, st.tuples(st.integers(2, 30), st.integers(2, 6)), elements=st.floats(0.01, 1)
).map(lambda a: a / a.sum(axis=1, keepdims=True))


@given(P=prob_rows, method=st.sampled_from(["entropy", "least_confidence", "gen"]))
def test_pred_scores_in_unit_interval(P, method):
    labels = np.arange(len(P)) % P.shape[1]
    scores, t = ood_pred_scores(P, labels=labels, method=method, M=P.shape[1])
    assert ((scores >= -1e-12) & (scores <= 1 + 1e-12)).all()
    np.testing.assert_allclose(t, confident_thresholds(labels, P), rtol=0, atol=0)


@given(P=prob_rows)
def test_adjusted_rows_sum_to_one_and_entropy_equals_loop(P):
    labels = np.arange(len(P)) % P.shape[1]
    t = confident_thresholds(labels, P)
    A = adjust_pred_probs(P, t)
    np.testing.assert_allclose(A.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    scores, _ = ood_pred_scores(P, labels=labels)
    K = P.shape[1]
    loop = [1 + sum(a * np.log(a) for a in row if a > 0) / np.log(K) for row in A]
    np.testing.assert_allclose(scores, loop, rtol=0, atol=1e-12)


def test_confident_thresholds_absent_class_and_floor():
    P = np.array([[0.1, 0.9, 0.0], [0.2, 0.8, 0.0], [0.3, 0.7, 0.0]])
    np.testing.assert_allclose(
        confident_thresholds(np.array([0, 1, 0]), P), [0.2, 0.8, 2.0], rtol=0, atol=1e-15
    )
    P[0, 0] = 1e-9
    assert confident_thresholds(np.array([0, 1, 1]), P)[0] == 2e-6
