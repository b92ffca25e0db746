"""pdclean.learning.regression.CleanLearning: the scikit-learn contract, bad input, state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LinearRegression
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from pdclean.errors import InputError, InputTypeError
from pdclean.learning.regression import CleanLearning

_EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "rows are flagged by cross-validation on the unweighted rows; repeating a row changes "
        "the folds, so weights cannot equal repetitions (sample_weight only weighs the final "
        "fit, as in the reference)"
    ),
    "check_sample_weight_equivalence_on_sparse_data": "same as on dense data",
}


@parametrize_with_checks(
    [CleanLearning(LinearRegression(), cv_n_folds=3, n_boot=1, seed=0)],
    expected_failed_checks=lambda estimator: _EXPECTED_FAILURES,
)
def test_sklearn_conformance(estimator, check):
    check(estimator)


def problem(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = X @ [1.0, -2.0] + rng.normal(size=n) * 0.1
    y[[3, 11]] += [6.0, -7.0]
    return X, y


def test_finds_the_entry_errors_and_refits_without_them():
    X, y = problem()
    cl = CleanLearning(seed=0, n_boot=0).fit(X, y)
    assert {3, 11} <= set(np.flatnonzero(cl.label_issues_mask_).tolist())
    np.testing.assert_allclose(cl.model_.coef_, [1.0, -2.0], atol=0.1)
    frame = cl.get_label_issues()
    assert list(frame.columns) == [
        "is_label_issue",
        "label_quality",
        "given_label",
        "predicted_label",
    ]
    assert frame["label_quality"].to_numpy()[[3, 11]].max() < frame["label_quality"].median()


def test_the_global_random_state_is_never_used():
    X, y = problem()
    np.random.seed(123)  # noqa: NPY002  (setting the state this test checks is left alone)
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    cl = CleanLearning(seed=None)
    cl.fit(X, y)
    cl.get_epistemic_uncertainty(X, y)
    assert np.array_equal(np.random.get_state()[1], before)  # noqa: NPY002


def test_same_seed_same_answer_and_clone_keeps_it():
    X, y = problem(60, 1)
    a = CleanLearning(seed=3).find_label_issues(X, y)
    cl = CleanLearning(seed=3)
    b = cl.find_label_issues(X, y)
    c = cl.find_label_issues(X, y)  # repeated calls do not continue a stream
    d = clone(cl).find_label_issues(X, y)
    for other in (b, c, d):
        pd.testing.assert_frame_equal(a, other)


def test_int64_targets_give_int64_predictions():
    X, y = problem()
    frame = CleanLearning(seed=0, n_boot=0).find_label_issues(X, np.round(y * 10).astype(np.int64))
    assert frame["predicted_label"].dtype == np.int64
    assert frame["given_label"].dtype == np.int64


def test_dataframe_X_and_given_label_issues():
    X, y = problem()
    frame = pd.DataFrame(X, columns=["a", "b"])
    mask = np.zeros(len(y), dtype=bool)
    mask[[3, 11]] = True
    cl = CleanLearning().fit(frame, y, label_issues=mask)
    np.testing.assert_allclose(cl.model_.coef_, [1.0, -2.0], atol=0.1)
    assert cl.feature_names_in_.tolist() == ["a", "b"]
    assert not hasattr(cl, "label_issues_")
    issues = CleanLearning(seed=0).find_label_issues(frame, y)
    cl2 = CleanLearning().fit(frame, y, label_issues=issues)
    assert cl2.predict(frame.iloc[:2]).shape == (2,)


def test_get_label_issues_warns_before_fitting_and_save_space_forgets():
    cl = CleanLearning()
    with pytest.warns(UserWarning, match=r"Label issues have not yet been computed"):
        assert cl.get_label_issues() is None
    X, y = problem()
    cl.fit(X, y, find_label_issues_kwargs={"save_space": True})
    assert not hasattr(cl, "label_issues_")
    cl.find_label_issues(X, y)
    cl.save_space()
    assert (cl.label_issues_, cl.label_issues_mask_, cl.k_) == (None, None, None)


def test_uncertainty_is_constant_free():
    """A constant uncertainty leaves the scores exp(-|r| / median|r|) (SPEC R3.5 step 9)."""
    X, y = problem()
    a = CleanLearning(seed=0, n_boot=0).find_label_issues(X, y, uncertainty=0.5)
    b = CleanLearning(seed=0, n_boot=0).find_label_issues(X, y, uncertainty=3.0)
    np.testing.assert_allclose(a["label_quality"], b["label_quality"], atol=1e-12)
    r = np.abs(a["predicted_label"] - y)
    np.testing.assert_allclose(a["label_quality"], np.exp(-r / np.median(r)), atol=1e-12)


@pytest.mark.parametrize(
    ("params", "call", "error", "match"),
    [
        ({"cv_n_folds": 1}, {}, InputError, r"cv_n_folds must be an integer >= 2; got 1\."),
        ({"n_boot": -1}, {}, InputError, r"n_boot must be an integer >= 0; got -1\."),
        ({"n_boot": 1.5}, {}, InputTypeError, r"n_boot must be an integer"),
        ({"model": object()}, {}, InputTypeError, r"model must define a \.fit\(\) method"),
        ({"seed": "0"}, {}, InputTypeError, r"seed must be None, an int or a numpy RandomState"),
        ({}, {"y": np.r_[np.nan, np.ones(39)]}, InputError, r"Input y contains NaN"),
        ({}, {"y": np.r_[np.inf, np.ones(39)]}, InputError, r"Input y contains infinity"),
        ({}, {"y": np.array(["a"] * 40)}, InputError, r"y must contain real numbers"),
        ({}, {"y": np.ones(39)}, InputError, r"X with 40 rows and y with 39 values"),
        ({}, {"y": None}, InputError, r"requires y to be passed"),
        ({}, {"X": None}, InputError, r"X is None"),
        ({}, {"label_issues": [True] * 40}, InputTypeError, r"label_issues must be a DataFrame"),
        ({}, {"label_issues": np.zeros(40)}, InputTypeError, r"must be boolean .* float64"),
        ({}, {"label_issues": np.zeros(3, bool)}, InputError, r"one entry per row of y \(40\)"),
        ({}, {"model_kwargs": {"sample_weight": 1}}, InputError, r"pass sample_weight to fit"),
        ({}, {"find_label_issues_kwargs": {"k": 1}}, InputError, r"unknown keys \['k'\]"),
        (
            {"model": KNeighborsRegressor()},
            {"sample_weight": np.ones(40)},
            InputError,
            r"KNeighborsRegressor.fit\(\) takes no sample_weight",
        ),
    ],
)
def test_bad_input(params, call, error, match):
    X, y = problem()
    call = {"X": X, "y": y, **call}
    with pytest.raises(error, match=match):
        CleanLearning(**params).fit(call.pop("X"), call.pop("y"), **call)


def test_bad_search_arguments():
    X, y = problem()
    cl = CleanLearning(seed=0, n_boot=0)
    with pytest.raises(InputError, match=r"coarse_search_range must have at least 1 value"):
        cl.find_label_issues(X, y, coarse_search_range=[])
    with pytest.raises(InputError, match=r"fine_search_size must be at least 0; got -1"):
        cl.find_label_issues(X, y, fine_search_size=-1)
    with pytest.raises(InputError, match=r"too few examples to conduct 5-fold"):
        cl.find_label_issues(X[:5], y[:5], coarse_search_range=[0.5])
    with pytest.raises(InputError, match=r"uncertainty as an array must have one value per row"):
        cl.find_label_issues(X, y, uncertainty=np.ones(3))
    with pytest.raises(NotFittedError):
        cl.predict(X)
    label_issues = pd.DataFrame({"flag": np.zeros(40, bool)})
    with pytest.raises(InputError, match=r"must have an 'is_label_issue' column; got columns"):
        cl.fit(X, y, label_issues=label_issues)
    other = pd.DataFrame({"is_label_issue": np.zeros(40, bool), "given_label": y + 1})
    with pytest.raises(InputError, match=r"label_issues\['given_label'\] differs from y"):
        cl.fit(X, y, label_issues=other)


def test_get_params_and_pipeline():
    cl = CleanLearning(LinearRegression(), cv_n_folds=3, seed=1)
    params = cl.get_params()
    assert (params["cv_n_folds"], params["seed"], params["model__fit_intercept"]) == (3, 1, True)
    assert repr(CleanLearning()) == "CleanLearning()"
    X, y = problem()
    pipe = Pipeline([("scale", StandardScaler()), ("cl", CleanLearning(seed=0, n_boot=0))])
    clean = np.ones(len(y), dtype=bool)
    clean[[3, 11]] = False
    assert pipe.fit(X, y).score(X[clean], y[clean]) > 0.99
