"""pdclean.learning.detect: feature scaling, neighbours, out-of-fold fits, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.errors import InputError, InputTypeError
from pdclean.learning.detect import (
    check_exclude,
    detector_inputs,
    nearest_rows,
    out_of_fold_pred_probs,
    scaled_features,
)


def blobs(n_per_class: int = 20, K: int = 2, seed: int = 0):
    rng = np.random.RandomState(seed)
    X = np.vstack([rng.normal(4 * k, 1, (n_per_class, 2)) for k in range(K)])
    return X, np.repeat(np.arange(K), n_per_class)


def test_scaled_features_exact():
    X = np.array([[1.0, 2.0, np.nan], [3.0, 0.0, np.nan], [np.nan, 2.0, np.nan], [5.0, 1.0, 7.0]])
    Z = scaled_features(X, categorical=[False, True, False])
    # column 0: NaN -> median 3, then standardized; column 2: only one value -> constant -> 0
    sd = np.std([1.0, 3, 3, 5])
    np.testing.assert_allclose(Z[:, 0], (np.array([1.0, 3, 3, 5]) - 3) / sd)
    np.testing.assert_allclose(Z[:, 1], 0.0)
    h = 1 / np.sqrt(2)
    np.testing.assert_allclose(Z[:, 2:], [[0, 0, h], [h, 0, 0], [0, 0, h], [0, h, 0]])


def test_all_missing_column_becomes_zeros():
    X = np.array([[np.nan, 1.0], [np.nan, 2.0], [np.nan, 3.0]])
    np.testing.assert_array_equal(scaled_features(X)[:, 0], 0.0)


def test_nearest_rows_exact_and_self_excluded_with_duplicates():
    X = np.array([[0.0], [0.0], [0.0], [10.0], [11.0]])
    nb = nearest_rows(X, n_neighbors=2)
    assert not (nb == np.arange(5)[:, None]).any()
    assert [sorted(r) for r in nb[:3].tolist()] == [[1, 2], [0, 2], [0, 1]]
    assert nb[3, 0] == 4
    assert nb[4, 0] == 3


@given(st.integers(0, 10**6), st.integers(12, 40), st.integers(1, 5))
def test_nearest_rows_never_self(seed, n, k):
    X = np.round(np.random.default_rng(seed).normal(size=(n, 2)), 1)  # rounding makes duplicates
    nb = nearest_rows(X, n_neighbors=k)
    assert nb.shape == (n, k)
    assert not (nb == np.arange(n)[:, None]).any()


def test_out_of_fold_pred_probs_shapes_and_quality():
    X, y = blobs(100)
    probs = out_of_fold_pred_probs(X, y, random_state=0)
    assert len(probs) == 2
    for P in probs:
        assert P.shape == (200, 2)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        assert (P.argmax(axis=1) == y).mean() >= 0.95


def test_native_categories_and_missing_values():
    rng = np.random.RandomState(0)
    cat = rng.randint(0, 3, 300).astype(float)
    X = np.c_[cat, rng.normal(size=300), np.full(300, np.nan)]
    X[::7, 1] = np.nan
    y = (cat == 2).astype(int)
    (P,) = out_of_fold_pred_probs(
        X, y, categorical=[True, False, False], models=["hist_gradient_boosting"], random_state=0
    )
    assert (P.argmax(axis=1) == y).mean() == 1.0


def test_same_seed_same_answer():
    X, y = blobs()
    a = out_of_fold_pred_probs(X, y, models=["random_forest"], random_state=3)[0]
    b = out_of_fold_pred_probs(X, y, models=["random_forest"], random_state=3)[0]
    np.testing.assert_array_equal(a, b)


def test_check_exclude_keeps_every_class():
    y = np.array([0, 0, 1, 1, 2])
    drop = check_exclude(np.array([True, False, True, True, True]), y)
    assert drop.tolist() == [True, False, False, False, False]


def test_detector_inputs_two_rounds_and_tiny_tables():
    X, y = blobs(30)
    probs, nb = detector_inputs(X, y, random_state=0, rounds=1)
    assert len(probs) == 2
    assert nb.shape == (60, 10)
    probs, nb = detector_inputs(X[:10], y[:10] * 0 + np.arange(10) % 2, cv=2, random_state=0)
    assert len(probs) == 4
    assert nb is None


def test_hundreds_of_classes():
    X, y = blobs(n_per_class=5, K=200)
    (P,) = out_of_fold_pred_probs(X, y, models=["logistic_regression"], random_state=0)
    assert P.shape == (1000, 200)


@pytest.mark.parametrize(
    ("X", "y", "kwargs", "error", "match"),
    [
        (np.ones((6, 1)), np.zeros(6, int), {}, InputError, r"at least two classes.*\[0\]"),
        (
            np.ones((7, 1)),
            np.array([0, 0, 0, 0, 0, 1, 1]),
            {},
            InputError,
            "class 1 has 2 rows, fewer than cv=5 folds",
        ),
        (
            np.full((6, 2), np.nan),
            np.array([0, 1] * 3),
            {"cv": 2},
            InputError,
            "all 2 columns are entirely missing",
        ),
        (
            np.ones((6, 1)),
            np.array([0, 1] * 3),
            {"cv": 2, "categorical": [True, False]},
            InputError,
            r"one boolean per column of X \(1\)",
        ),
        (
            np.full((6, 1), 0.5),
            np.array([0, 1] * 3),
            {"cv": 2, "categorical": [True]},
            InputError,
            "non-negative integer codes",
        ),
        (
            np.array([["a"]] * 6),
            np.array([0, 1] * 3),
            {"cv": 2},
            InputTypeError,
            "numeric 2-D array",
        ),
        (
            np.ones((6, 1)),
            np.array([0, 1] * 3),
            {"cv": 2, "models": ["svm"]},
            InputError,
            "models must be a non-empty list",
        ),
        (
            np.ones((6, 1)),
            np.array([0.0, 1] * 3),
            {"cv": 2},
            InputError,
            "non-negative integer codes, one per row of X",
        ),
        (
            np.ones((6, 1)),
            np.array([0, 1] * 3),
            {"cv": 2, "exclude": np.ones(6)},
            InputError,
            "exclude must be a boolean mask",
        ),
    ],
)
def test_bad_input(X, y, kwargs, error, match):
    with pytest.raises(error, match=match):
        out_of_fold_pred_probs(X, y, **kwargs)


def test_bad_n_neighbors():
    with pytest.raises(InputError, match=r"n_neighbors must be between 1 and .* \(2\); got 3"):
        nearest_rows(np.ones((3, 1)), n_neighbors=3)


def test_bad_rounds():
    with pytest.raises(InputError, match="rounds must be 1 or 2; got 3"):
        detector_inputs(np.ones((10, 1)), np.arange(10) % 2, rounds=3)
