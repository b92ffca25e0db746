"""Tests of pdclean.CleanLearning (pdclean.learning.classification).

Against the seed tutorial's reference numbers (seed_reference.json, key "reference": workflows
2, 4, 5 and 7.1), against cleanlab 2.9.0 on a tie-free problem, the scikit-learn estimator
contract (``parametrize_with_checks``, clone, params, Pipeline, GridSearchCV), label
encodings, bad input and the global random state.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.estimator_checks import parametrize_with_checks
from threadpoolctl import threadpool_limits

import pdclean
from pdclean import CleanLearning
from pdclean import filter as pdfilter
from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial
from pdclean.errors import InputError, InputTypeError
from tests._reference import reference

F = ["x1", "x2"]


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """BLAS threads oversubscribe the 2 CI cores: small fits run 10x slower without this."""
    with threadpool_limits(limits=1):
        yield


def lr():
    return LogisticRegression(random_state=0)


@pytest.fixture(scope="module")
def ref():
    return reference()


@pytest.fixture(scope="module")
def tutorial():
    return load_tutorial()


@pytest.fixture(scope="module")
def fitted(tutorial):
    """Workflow 2: CleanLearning(LogisticRegression(random_state=0), seed 0) on the train set."""
    train, _ = tutorial
    return CleanLearning(lr(), random_state=0).fit(train[F], train["label"])


def codes(series):
    return series.cat.codes.to_numpy().astype(np.int64)


# ---------------------------------------------------------------------------------- reference


def test_fold_assignment_and_pred_probs_reproduce_the_reference(tutorial, ref, fitted):
    """Same folds as the reference (StratifiedKFold on codes 0..3 in category order)."""
    train, _ = tutorial
    P = np.array(ref["workflow7_1_count"]["cv_pred_probs"])
    y = codes(train["label"])
    np.testing.assert_allclose(
        fitted.label_issues_["label_quality"], P[np.arange(250), y], atol=1e-6
    )
    expected = np.array(TUTORIAL_CLASS_NAMES, dtype=object)[P.argmax(axis=1)]
    assert fitted.label_issues_["predicted_label"].astype(str).tolist() == expected.tolist()
    # the folds themselves: each row's holdout fold is the reference split of the codes
    folds = StratifiedKFold(5, shuffle=True, random_state=0).split(np.zeros(250), y)
    ours = np.empty(250, dtype=int)
    for i, (_, holdout) in enumerate(folds):
        ours[holdout] = i
    refit = np.empty((250, 4))
    for i in range(5):
        model = lr().fit(train[F].to_numpy()[ours != i], y[ours != i])
        refit[ours == i] = model.predict_proba(train[F].to_numpy()[ours == i])
    np.testing.assert_allclose(refit, P, atol=1e-6)


def test_workflow2_accuracy_and_label_issues(tutorial, ref, fitted):
    train, test = tutorial
    w = ref["workflow2_cleanlearning"]
    baseline = lr().fit(train[F], codes(train["label"])).score(test[F], codes(test["true_label"]))
    assert baseline == pytest.approx(w["accuracy_baseline"]) == pytest.approx(0.828)
    assert fitted.score(test[F], test["true_label"]) == pytest.approx(0.864)
    assert fitted.score(test[F], test["true_label"]) == pytest.approx(w["accuracy_cleanlearning"])
    issues = fitted.label_issues_
    assert issues.columns.tolist() == w["label_issues_df"]["columns"]
    head = issues.head(5)
    assert head["is_label_issue"].tolist() == [False, False, True, False, False]
    np.testing.assert_allclose(
        head["label_quality"], [0.695223, 0.523015, 0.013720, 0.675727, 0.646521], atol=1e-6
    )
    assert head["given_label"].astype(str).tolist() == ["purple"] * 2 + ["yellow"] + ["purple"] * 2
    assert head["predicted_label"].astype(str).tolist() == ["purple"] * 5
    data = np.array(w["label_issues_df"]["data"], dtype=object)
    assert issues["is_label_issue"].tolist() == data[:, 0].tolist()
    np.testing.assert_allclose(issues["label_quality"], data[:, 1].astype(float), atol=1e-6)
    assert codes(issues["given_label"]).tolist() == data[:, 2].tolist()
    assert codes(issues["predicted_label"]).tolist() == data[:, 3].tolist()
    np.testing.assert_allclose(issues["sample_weight"], data[:, 4].astype(float), atol=1e-6)
    assert int(issues["is_label_issue"].sum()) == w["num_label_issues"] == 54
    assert np.flatnonzero(issues["is_label_issue"]).tolist() == w["label_issue_indices"]
    assert issues["sample_weight"].iloc[0] == pytest.approx(1.323529, abs=1e-6)
    assert issues["sample_weight"].iloc[0] == pytest.approx(90 / 68, abs=1e-12)


def test_workflow2_latent_estimates(ref, fitted):
    w = ref["workflow2_cleanlearning"]
    assert fitted.confident_joint_.tolist() == w["confident_joint"]
    np.testing.assert_allclose(fitted.py_, w["py"], atol=1e-9)
    np.testing.assert_allclose(fitted.noise_matrix_, w["noise_matrix"], atol=1e-9)
    np.testing.assert_allclose(fitted.inverse_noise_matrix_, w["inverse_noise_matrix"], atol=1e-9)
    assert fitted.classes_.tolist() == list(TUTORIAL_CLASS_NAMES)
    assert fitted.n_features_in_ == 2
    assert fitted.feature_names_in_.tolist() == F


def test_workflow4_merged_classes(tutorial, ref):
    """Merge yellow (3) into seafoam green (2): 0.94 without, 0.964 with CleanLearning."""
    train, test = tutorial
    w = ref["workflow4_overlap"]
    merged = pd.CategoricalDtype(list(TUTORIAL_CLASS_NAMES[:3]))

    def merge(s):
        return s.astype(object).replace("yellow", "seafoam green").astype(merged)

    y, y_test = merge(train["label"]), merge(test["true_label"])
    base = lr().fit(train[F], codes(y)).score(test[F], codes(y_test))
    cl = CleanLearning(lr(), random_state=0).fit(train[F], y)
    assert base == pytest.approx(w["accuracy_merged"]) == pytest.approx(0.94)
    assert cl.score(test[F], y_test) == pytest.approx(w["accuracy_merged_cleanlearning"])
    assert cl.score(test[F], y_test) == pytest.approx(0.964)


def test_workflow5_test_set(tutorial, ref, fitted):
    train, test = tutorial
    w = ref["workflow5_test_set"]
    base = lr().fit(train[F], codes(train["label"]))
    test_probs = base.predict_proba(test[F])
    preds = test_probs.argmax(axis=1)
    assert np.mean(preds == codes(test["label"])) == pytest.approx(w["noisy_acc_base"])
    assert np.mean(preds == codes(test["true_label"])) == pytest.approx(w["actual_acc_base"])
    assert fitted.score(test[F], test["label"]) == pytest.approx(w["noisy_acc_cl"])
    assert fitted.score(test[F], test["true_label"]) == pytest.approx(w["actual_acc_cl"])
    assert (w["noisy_acc_base"], w["noisy_acc_cl"]) == (0.692, 0.708)
    issues = CleanLearning(lr(), random_state=0).find_label_issues(
        None, test["label"], pred_probs=test_probs
    )
    assert np.flatnonzero(issues["is_label_issue"]).tolist() == w["test_issue_indices"]
    assert int(issues["is_label_issue"].sum()) == 61
    np.testing.assert_allclose(issues["label_quality"], w["test_label_quality"], atol=1e-6)


def test_workflow7_1_latent_estimates_and_true_noise_matrix(tutorial, ref, fitted):
    train, test = tutorial
    w = ref["workflow7_1_count"]
    for key in ("py", "noise_matrix", "inverse_noise_matrix"):
        np.testing.assert_allclose(
            getattr(fitted, key + "_"), w["from_probabilities"][key], atol=1e-9
        )
    assert fitted.confident_joint_.tolist() == w["calibrated_confident_joint"]
    assert np.trace(fitted.confident_joint_) / 250 == pytest.approx(w["joint_trace"])
    assert np.trace(fitted.noise_matrix_) == pytest.approx(w["noise_matrix_trace"], abs=1e-9)
    nm_true = np.array(ref["data"]["noise_matrix_true"])
    cl = CleanLearning(lr(), random_state=0).fit(train[F], train["label"], noise_matrix=nm_true)
    expected = w["cl_with_true_noise_matrix"]
    assert (
        np.flatnonzero(cl.label_issues_["is_label_issue"]).tolist()
        == expected["label_issue_indices"]
    )
    assert cl.score(test[F], test["true_label"]) == pytest.approx(expected["test_accuracy"])
    assert cl.score(test[F], test["true_label"]) == pytest.approx(0.844)
    np.testing.assert_array_equal(cl.noise_matrix_, nm_true)
    weights = cl.label_issues_["sample_weight"].to_numpy()
    kept = ~cl.label_issues_["is_label_issue"].to_numpy()
    y = codes(train["label"])
    np.testing.assert_allclose(weights[kept], 1 / np.diagonal(nm_true)[y[kept]], rtol=1e-12)
    assert (weights[~kept] == 0).all()


# ---------------------------------------------------------------------------------- cleanlab


def _blobs(n=300, k=3, seed=7):
    rng = np.random.default_rng(seed)
    true = np.arange(n) % k
    means = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])[:k]
    X = rng.normal(size=(n, 2)) + means[true]
    y = np.where(rng.random(n) < 0.2, rng.integers(0, k, n), true)
    return X, y


def _cleanlab_fit(X, y, **kwargs):
    from cleanlab.classification import CleanLearning as Reference

    state = np.random.get_state()  # noqa: NPY002 (restored below)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return Reference(lr(), seed=0, cv_n_folds=3).fit(X, y, **kwargs)
    finally:
        np.random.set_state(state)  # noqa: NPY002 (cleanlab reseeds the global generator)


@pytest.mark.parametrize("matrices", ["none", "noise_matrix", "inverse_noise_matrix"])
def test_equals_cleanlab_on_a_tie_free_problem(matrices):
    X, y = _blobs()
    given = {}
    if matrices != "none":
        nm = np.array([[0.8, 0.1, 0.15], [0.1, 0.75, 0.05], [0.1, 0.15, 0.8]])
        given = {matrices: nm}
    theirs = _cleanlab_fit(X, y, **given)
    ours = CleanLearning(lr(), cv=3, random_state=0).fit(X, y, **given)
    df = theirs.get_label_issues()
    assert ours.label_issues_["is_label_issue"].tolist() == df["is_label_issue"].tolist()
    assert 10 < int(df["is_label_issue"].sum()) < 100
    np.testing.assert_allclose(ours.label_issues_["label_quality"], df["label_quality"], atol=1e-9)
    np.testing.assert_allclose(ours.label_issues_["sample_weight"], df["sample_weight"], atol=1e-9)
    assert ours.label_issues_["predicted_label"].tolist() == df["predicted_label"].tolist()
    np.testing.assert_array_equal(ours.confident_joint_, theirs.confident_joint)
    np.testing.assert_allclose(ours.noise_matrix_, theirs.noise_matrix, atol=1e-12)
    np.testing.assert_allclose(ours.inverse_noise_matrix_, theirs.inverse_noise_matrix, atol=1e-12)
    if theirs.py is not None:  # cleanlab leaves py unset when given an inverse noise matrix
        np.testing.assert_allclose(ours.py_, theirs.py, atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), theirs.predict_proba(X), atol=1e-6)


# ---------------------------------------------------------------------------------- behaviour


def test_labels_of_any_kind_give_the_same_issues(tutorial, fitted):
    """ints not starting at 0, strings, categories: same folds when the class order agrees."""
    train, test = tutorial
    y = codes(train["label"])
    expected = fitted.label_issues_["is_label_issue"].tolist()
    for labels, classes in [
        (y * 10 + 5, [5, 15, 25, 35]),
        (np.array(["c0", "c1", "c2", "c3"])[y], ["c0", "c1", "c2", "c3"]),
        (pd.Series(y, index=train.index).astype("Int64"), [0, 1, 2, 3]),
    ]:
        cl = CleanLearning(lr(), random_state=0).fit(train[F], labels)
        assert cl.label_issues_["is_label_issue"].tolist() == expected
        assert cl.classes_.tolist() == classes
        pred = cl.predict(test[F])
        assert set(pred.tolist()) <= set(classes)
        np.testing.assert_array_equal(pred, cl.classes_[cl.predict_proba(test[F]).argmax(axis=1)])
    assert fitted.label_issues_["given_label"].dtype == train["label"].dtype
    assert fitted.label_issues_["predicted_label"].dtype == train["label"].dtype


def test_unused_category_and_index(tutorial):
    train, _ = tutorial
    X = train[F].set_axis([f"r{i}" for i in range(250)])
    y = train["label"].cat.add_categories(["unused"]).set_axis(X.index)
    cl = CleanLearning(lr(), random_state=0).fit(X, y)
    assert cl.classes_.tolist() == list(TUTORIAL_CLASS_NAMES)
    assert cl.label_issues_.index.equals(X.index)
    assert cl.predict_proba(X).shape == (250, 4)
    issues = cl.find_label_issues(X, y)
    assert issues.index.equals(X.index)
    assert issues["given_label"].dtype == y.dtype


def test_find_label_issues_recomputes_every_call(tutorial, ref):
    """No stale confident joint (SPEC 7.6): the second call equals a fresh instance's."""
    train, _ = tutorial
    P = np.array(ref["workflow7_1_count"]["cv_pred_probs"])
    y_a = codes(train["label"])
    y_b = codes(train["true_label"])
    cl = CleanLearning(lr(), random_state=0).fit(train[F], y_a)
    first = cl.find_label_issues(None, y_a, pred_probs=P)
    second = cl.find_label_issues(None, y_b, pred_probs=P)
    fresh = CleanLearning(lr(), random_state=0).find_label_issues(None, y_b, pred_probs=P)
    pd.testing.assert_frame_equal(second, fresh)
    stale = pdfilter.find_label_issues(
        y_b, P, confident_joint=cl.confident_joint_, min_examples_per_class=10
    )
    assert stale.tolist() != second["is_label_issue"].tolist()
    assert first["is_label_issue"].tolist() == cl.label_issues_["is_label_issue"].tolist()


def test_fit_with_given_label_issues(tutorial, fitted):
    train, test = tutorial
    issues = fitted.label_issues_[["is_label_issue", "label_quality", "given_label"]]
    mask = issues["is_label_issue"].to_numpy()
    expected = fitted.predict_proba(test[F])
    for given in (issues, mask, np.flatnonzero(mask).astype(np.int32)):
        cl = CleanLearning(lr(), random_state=0).fit(
            train[F], train["label"], label_issues=given, noise_matrix=fitted.noise_matrix_
        )
        np.testing.assert_allclose(cl.predict_proba(test[F]), expected, atol=1e-12)
    plain = CleanLearning(lr()).fit(train[F], train["label"], label_issues=mask)
    assert "sample_weight" not in plain.label_issues_.columns
    assert plain.noise_matrix_ is None
    assert plain.confident_joint_ is None
    manual = lr().fit(train[F][~mask], codes(train["label"])[~mask])
    np.testing.assert_allclose(plain.predict_proba(test[F]), manual.predict_proba(test[F]))


class _Recorder(LogisticRegression):
    """LogisticRegression that remembers the sample_weight of its last fit."""

    def fit(self, X, y, sample_weight=None):
        self.seen_weight_ = sample_weight
        return super().fit(X, y, sample_weight=sample_weight)


def test_sample_weights(tutorial, fitted):
    train, _ = tutorial
    kept = ~fitted.label_issues_["is_label_issue"].to_numpy()
    auto = CleanLearning(_Recorder(random_state=0), random_state=0).fit(train[F], train["label"])
    np.testing.assert_allclose(
        auto.estimator_.seen_weight_, fitted.label_issues_["sample_weight"].to_numpy()[kept]
    )
    user = np.arange(250, dtype=float)
    cl = CleanLearning(_Recorder(random_state=0), random_state=0)
    cl.fit(train[F], train["label"], sample_weight=user)
    np.testing.assert_array_equal(cl.estimator_.seen_weight_, user[kept])
    knn = CleanLearning(KNeighborsClassifier(), random_state=0).fit(train[F], train["label"])
    assert "sample_weight" not in knn.label_issues_.columns
    piped = CleanLearning(make_pipeline(StandardScaler(), lr()), random_state=0)
    assert "sample_weight" not in piped.fit(train[F], train["label"]).label_issues_.columns


def test_sparse_and_list_inputs_equal_dense(tutorial, fitted):
    train, _ = tutorial
    X = train[F].to_numpy()
    for data in (sp.csr_matrix(X), sp.coo_array(X), X.tolist()):
        cl = CleanLearning(lr(), random_state=0).fit(data, train["label"])
        assert (
            cl.label_issues_["is_label_issue"].tolist()
            == fitted.label_issues_["is_label_issue"].tolist()
        )


def test_text_pipeline_with_1d_input():
    from sklearn.feature_extraction.text import CountVectorizer

    docs = np.array(["good fine nice", "bad awful poor"] * 15 + ["good nice", "bad poor"] * 5)
    y = np.array(["pos", "neg"] * 20)
    cl = CleanLearning(make_pipeline(CountVectorizer(), lr()), cv=3, random_state=0)
    cl.fit(docs, y)
    assert cl.predict(np.array(["nice good", "awful"])).tolist() == ["pos", "neg"]
    assert not hasattr(cl, "n_features_in_")


def test_default_classifier_and_3d_input():
    X, y = _blobs(n=90)
    cl = CleanLearning(cv=3, random_state=0).fit(X.reshape(90, 2, 1), y)
    assert isinstance(cl.estimator_, RandomForestClassifier)
    assert cl.predict(X.reshape(90, 1, 2)).shape == (90,)


def test_global_random_state_untouched(tutorial):
    train, _ = tutorial
    X, y = _blobs(n=60)
    before = np.random.get_state()[1].copy()  # noqa: NPY002 (what is checked)
    CleanLearning(lr(), cv=3).fit(X, y)
    CleanLearning(cv=2).fit(X, y)  # default random forest, random_state=None
    CleanLearning(lr(), random_state=np.random.RandomState(3)).find_label_issues(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002
    a = CleanLearning(lr(), random_state=0).fit(train[F], train["label"]).label_issues_
    b = CleanLearning(lr(), random_state=0).fit(train[F], train["label"]).label_issues_
    pd.testing.assert_frame_equal(a, b)


# ---------------------------------------------------------------------------------- bad input


def _small():
    X, y = _blobs(n=30)
    return X, y


@pytest.mark.parametrize(
    ("kwargs", "fit_kwargs", "error", "match"),
    [
        ({"cv": 5}, {"y": np.r_[np.zeros(27), [1, 1, 1]]}, InputError, r"fewer rows than cv=5"),
        ({}, {"y": np.ones(30)}, InputError, r"one class only"),
        ({}, {"y": np.arange(29) % 2}, InputError, r"X and y must have the same length"),
        ({"clf": SVC()}, {}, InputTypeError, r"clf .*predict_proba"),
        ({}, {"y": np.r_[np.nan, np.arange(29) % 2]}, InputError, r"y has 1 missing labels"),
        ({}, {"y": [None] + ["a", "b"] * 14 + ["a"]}, InputError, r"missing labels"),
        ({}, {"y": None}, InputError, r"requires y to be passed"),
        ({}, {"y": np.linspace(0, 1, 30)}, InputError, r"Unknown label type"),
        ({}, {"y": np.r_[np.inf, np.arange(29) % 2]}, InputError, r"y contains infinity"),
        ({"cv": 1}, {}, InputError, r"cv must be an integer >= 2 \(folds\); got 1\."),
        ({"cv": 2.5}, {}, InputTypeError, r"cv must be an integer"),
        ({"filter_by": "nope"}, {}, InputError, r"filter_by must be one of"),
        ({"label_quality_method": "x"}, {}, InputError, r"label_quality_method"),
        ({"random_state": "0"}, {}, InputTypeError, r"random_state"),
        ({}, {"noise_matrix": np.eye(2) * 0.5}, InputError, r"noise_matrix has trace 1.00"),
        ({}, {"inverse_noise_matrix": np.eye(3)}, InputError, r"inverse_noise_matrix must be"),
        ({}, {"pred_probs": np.full((30, 3), 1 / 3)}, InputError, r"pred_probs must have shape"),
        ({}, {"label_issues": "rows"}, InputTypeError, r"label_issues must be"),
        ({}, {"label_issues": np.array([0, 30])}, InputError, r"unique row positions"),
        ({}, {"clf_kwargs": {"sample_weight": 1}}, InputError, r"clf_kwargs must not"),
        ({"clf": KNeighborsClassifier()}, {"sample_weight": 1.0}, InputError, r"sample_weight"),
    ],
)
def test_bad_input(kwargs, fit_kwargs, error, match):
    X, y = _small()
    fit_kwargs = {"y": y % 2, **fit_kwargs}
    params = {"clf": lr(), "cv": 2, **kwargs}
    with pytest.raises(error, match=match):
        CleanLearning(**params).fit(X, **fit_kwargs)


def test_bad_input_messages_name_the_value():
    X, y = _small()
    with pytest.raises(ValueError, match=r"class 1.0 has 3 rows"):
        CleanLearning(lr(), cv=5).fit(X, np.r_[np.zeros(27), [1, 1, 1]])
    frame = pd.DataFrame({"is_label_issue": np.zeros(30, bool), "given_label": 1 - y % 2})
    with pytest.raises(InputError, match=r"label_issues\['given_label'\] differs from y"):
        CleanLearning(lr(), cv=2).fit(X, y % 2, label_issues=frame)
    with pytest.raises(NotFittedError):
        CleanLearning(lr()).predict(X)
    with pytest.raises(InputError, match=r"X is None"):
        CleanLearning(lr()).find_label_issues(None, y)


# ---------------------------------------------------------------------------------- scikit-learn

_EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "rows are flagged by cross-validation on the unweighted rows; repeating a row changes "
        "the folds, so weights cannot equal repetitions (sample_weight only weighs the final "
        "fit, as in the reference)"
    ),
    "check_sample_weight_equivalence_on_sparse_data": "same as on dense data",
}


@parametrize_with_checks(
    [CleanLearning(LogisticRegression(), cv=3, random_state=0)],
    expected_failed_checks=lambda estimator: _EXPECTED_FAILURES,
)
def test_sklearn_conformance(estimator, check):
    check(estimator)


def test_clone_get_and_set_params():
    cl = CleanLearning(lr(), cv=3, random_state=1, filter_by="both")
    params = cl.get_params()
    assert (params["cv"], params["filter_by"], params["clf__C"]) == (3, "both", 1.0)
    twin = clone(cl)
    assert twin is not cl
    assert twin.clf is not cl.clf
    assert twin.get_params()["random_state"] == 1
    twin.set_params(clf__C=0.5, min_examples_per_class=2)
    assert (twin.clf.C, twin.min_examples_per_class, cl.clf.C) == (0.5, 2, 1.0)
    assert repr(CleanLearning()) == "CleanLearning()"


def test_in_pipeline_and_grid_search(tutorial):
    train, test = tutorial
    pipe = Pipeline([("scale", StandardScaler()), ("cl", CleanLearning(lr(), random_state=0))])
    pipe.fit(train[F], train["label"])
    assert pipe.score(test[F], test["true_label"]) > 0.8
    assert (
        pipe.predict(test[F]).tolist()[:3]
        == pipe[-1].predict(pipe[0].transform(test[F])).tolist()[:3]
    )
    grid = GridSearchCV(
        CleanLearning(lr(), cv=3, random_state=0), {"clf__C": [0.01, 1.0]}, cv=2
    ).fit(train[F], train["label"])
    assert grid.best_params_ in ({"clf__C": 0.01}, {"clf__C": 1.0})
    assert isinstance(grid.best_estimator_, CleanLearning)
    assert set(grid.predict(test[F])) <= set(TUTORIAL_CLASS_NAMES)


def test_exported():
    assert pdclean.CleanLearning is CleanLearning
    assert "CleanLearning" in pdclean.__all__
