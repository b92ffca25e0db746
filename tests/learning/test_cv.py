"""Tests of cross-validated pred_probs (pdclean.learning.cv) against the reference and cleanlab."""

from __future__ import annotations

import json
import logging
import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from pdclean.errors import InputError, InputTypeError
from pdclean.learning.cv import cross_val_pred_probs
from pdclean.learning.cv_estimates import (
    estimate_confident_joint_and_cv_pred_proba,
    estimate_cv_predicted_probabilities,
    estimate_noise_matrices,
    estimate_py_noise_matrices_and_cv_pred_proba,
)
from tests._reference import SEED_REFERENCE as REFERENCE


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """BLAS threads oversubscribe the 2 CI cores: small fits run 10x slower without this."""
    with threadpool_limits(limits=1):
        yield


@pytest.fixture(scope="module")
def seed():
    ref = json.loads(REFERENCE.read_text())["reference"]
    return (
        np.array(ref["data"]["X_train"]),
        np.array(ref["data"]["labels"]),
        ref["workflow7_1_count"],
    )


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


def _problem(n, k, seed, rare_class=None):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, k, n)
    if rare_class is not None:
        y[y == rare_class] = 0
        y[5] = rare_class  # one row: absent from the training part of its holdout fold
    X = rng.normal(size=(n, 3)) + y[:, None] * 0.7
    return X, y


# ------------------------------------------------------------------------------ reference numbers


def test_reproduces_reference_5_fold_pred_probs(seed):
    X, y, ref = seed
    probs = cross_val_pred_probs(X, y, clf=LogisticRegression(random_state=0), seed=0)
    np.testing.assert_allclose(probs, np.array(ref["cv_pred_probs"]), rtol=0, atol=1e-12)


def test_reference_helpers_reproduce_workflow_7_1(seed):
    X, y, ref = seed
    clf = LogisticRegression(random_state=0)
    py, nm, inv, cj, probs = estimate_py_noise_matrices_and_cv_pred_proba(X, y, clf, seed=0)
    np.testing.assert_allclose(probs, np.array(ref["cv_pred_probs"]), rtol=0, atol=1e-12)
    assert cj.tolist() == [[68, 0, 8, 8], [5, 46, 3, 0], [15, 3, 31, 14], [2, 1, 12, 34]]
    np.testing.assert_allclose(py, ref["py"], atol=1e-12)
    np.testing.assert_allclose(nm, ref["noise_matrix"], atol=1e-12)
    np.testing.assert_allclose(inv, ref["inverse_noise_matrix"], atol=1e-12)
    raw, probs2 = estimate_confident_joint_and_cv_pred_proba(X, y, clf, seed=0, calibrate=False)
    assert raw.tolist() == ref["uncalibrated_confident_joint"]
    np.testing.assert_array_equal(probs2, probs)


# ------------------------------------------------------------------------------ cleanlab parity


@pytest.mark.parametrize(("n", "k", "rs"), [(60, 2, 0), (90, 3, 1), (120, 5, 2)])
def test_parity_estimate_cv_predicted_probabilities(n, k, rs):
    from cleanlab.count import estimate_cv_predicted_probabilities as reference

    X, y = _problem(n, k, rs)
    clf = LogisticRegression(random_state=0)
    expected = _quiet(reference, X, y, clf=clf, cv_n_folds=4, seed=rs)
    got = estimate_cv_predicted_probabilities(X, y, clf, cv_n_folds=4, seed=rs)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


def test_parity_with_missing_class_duplication():
    from cleanlab.count import estimate_cv_predicted_probabilities as reference

    X, y = _problem(80, 4, 3, rare_class=3)
    clf = DecisionTreeClassifier(random_state=0, max_depth=3)
    expected = _quiet(reference, X, y, clf=clf, cv_n_folds=5, seed=7)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = cross_val_pred_probs(X, y, clf=clf, cv_n_folds=5, seed=7)
    ours = [w for w in caught if "copied from the holdout part" in str(w.message)]
    assert len(ours) == 1
    assert issubclass(ours[0].category, UserWarning)
    assert "Classes: [3]" in str(ours[0].message)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert got[5].tolist() == [0.0, 0.0, 0.0, 1.0]


def test_parity_confident_joint_and_noise_helpers():
    from cleanlab import count as cl

    X, y = _problem(150, 3, 4)
    clf = LogisticRegression(random_state=0)
    c_ref, p_ref = _quiet(cl.estimate_confident_joint_and_cv_pred_proba, X, y, clf=clf, seed=1)
    c, p = estimate_confident_joint_and_cv_pred_proba(X, y, clf, seed=1)
    np.testing.assert_array_equal(c, c_ref)
    np.testing.assert_allclose(p, p_ref, rtol=0, atol=1e-12)
    nm_ref, inv_ref = _quiet(cl.estimate_noise_matrices, X, y, clf=clf, seed=1)
    nm, inv = estimate_noise_matrices(X, y, clf, seed=1)
    np.testing.assert_allclose(nm, nm_ref, atol=1e-12)
    np.testing.assert_allclose(inv, inv_ref, atol=1e-12)


# ------------------------------------------------------------------------------ protocol details


class Recorder(ClassifierMixin, BaseEstimator):
    """Predicts the class frequencies of its training rows; records fit kwargs."""

    calls: list = []  # noqa: RUF012  (shared on purpose: clones record into the same list)

    def fit(self, X, y, **kwargs):
        self.classes_ = np.unique(y)
        self.freq_ = np.bincount(y) / y.size
        Recorder.calls.append((len(X), type(X).__name__, sorted(kwargs)))
        return self

    def predict_proba(self, X):
        return np.tile(self.freq_, (len(X), 1))


def test_clf_kwargs_validation_func_and_dataframe_rows():
    Recorder.calls = []
    X, y = _problem(40, 2, 5)
    frame = pd.DataFrame(X, index=np.arange(100, 140))
    seen = []

    def validation(X_holdout, y_holdout):
        seen.append((type(X_holdout).__name__, len(y_holdout)))
        return {"eval_set": (X_holdout, y_holdout)}

    probs = cross_val_pred_probs(
        frame, y, clf=Recorder(), cv_n_folds=4, seed=0, clf_kwargs={"tag": 1},
        validation_func=validation,
    )  # fmt: skip
    assert [c[1] for c in Recorder.calls] == ["DataFrame"] * 4
    assert [c[2] for c in Recorder.calls] == [["eval_set", "tag"]] * 4
    assert [s[1] for s in seen] == [10, 10, 10, 10]
    assert sum(c[0] for c in Recorder.calls) == 3 * 40
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)


def test_progress_and_logging(caplog):
    X, y = _problem(30, 2, 6)
    with caplog.at_level(logging.INFO, logger="pdclean.learning.cv"):
        cross_val_pred_probs(X, y, clf=Recorder(), cv_n_folds=3, seed=0, progress=True)
    messages = [r.getMessage() for r in caplog.records]
    assert [m.split(":")[0] for m in messages] == ["fold 1/3", "fold 2/3", "fold 3/3"]


def test_seed_makes_folds_reproducible():
    X, y = _problem(60, 3, 8)
    clf = LogisticRegression()
    a = cross_val_pred_probs(X, y, clf=clf, seed=3)
    b = cross_val_pred_probs(X, y, clf=clf, seed=3)
    c = cross_val_pred_probs(X, y, clf=clf, seed=4)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not hasattr(clf, "coef_")  # the given clf is never fitted, only its clones


# ------------------------------------------------------------------------------ errors


def test_errors():
    X, y = _problem(30, 2, 9)
    with pytest.raises(InputError, match="cv_n_folds must be an integer >= 2; got 1"):
        cross_val_pred_probs(X, y, clf=LogisticRegression(), cv_n_folds=1)
    with pytest.raises(InputTypeError, match="cv_n_folds must be an integer"):
        cross_val_pred_probs(X, y, clf=LogisticRegression(), cv_n_folds=2.0)
    with pytest.raises(InputTypeError, match="validation_func must be callable"):
        cross_val_pred_probs(X, y, clf=LogisticRegression(), validation_func=3)
    with pytest.raises(InputTypeError, match="has no predict_proba"):
        cross_val_pred_probs(X, y, clf=SVC())
    with pytest.raises(InputError, match="X and labels must have the same length"):
        cross_val_pred_probs(X[:-1], y, clf=LogisticRegression())
    with pytest.raises(InputError, match=r"every class 0..K-1.*got the classes \[0, 2\]"):
        cross_val_pred_probs(X, y * 2, clf=LogisticRegression())


def test_unclonable_clf():
    class NoClone:
        def fit(self, X, y):
            return self

        def predict_proba(self, X):
            return np.ones((len(X), 2)) / 2

    X, y = _problem(30, 2, 10)
    with pytest.raises(InputError, match=r"clf must be clonable with sklearn.base.clone"):
        cross_val_pred_probs(X, y, clf=NoClone())
