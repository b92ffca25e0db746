"""pdclean.regression equals cleanlab 2.9.0's regression module (SPEC R1, R3).

Scores to 1e-9, masks and the chosen fraction exactly, on seeded problems that are pure
functions of their id. cleanlab's CleanLearning reseeds numpy's *global* generator in its
constructor; the oracle calls construct it right before the call (the protocol of SPEC R5) and
restore the global state afterwards. pdclean draws the same permutations from a local
``RandomState(seed)``.
"""

from __future__ import annotations

import contextlib
import math

import cleanlab.regression.learn as cl_learn
import cleanlab.regression.rank as cl_rank
import numpy as np
import pandas as pd
import pytest
from _oracle import RAISED, assert_close, assert_exact, assert_mask, compare_calls
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.tree import DecisionTreeRegressor

import pdclean.regression.learn as pd_learn
import pdclean.regression.rank as pd_rank
from pdclean.errors import InputError

METHODS = ["outre", "residual"]


# ------------------------------------------------------------------------------ problems


def make_scores_problem(kind: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(labels, predictions) of one kind; a pure function of (kind, n, seed)."""
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n) * 3 + 1
    p = y + rng.normal(size=n) * 0.5
    edits = {
        "gauss": lambda: (y, p),
        "perfect": lambda: (y, y.copy()),
        "constant_labels": lambda: (np.full(n, 2.5), p),
        "constant_offset": lambda: (y, y + 0.1),
        "both_constant": lambda: (np.full(n, 1.0), np.full(n, 3.0)),
        "ties": lambda: (np.round(y), np.round(p)),
        "integers": lambda: (np.round(y * 10).astype(np.int64), np.round(p * 10).astype(np.int64)),
        "large": lambda: (y * 1e6 + 1e9, p * 1e6 + 1e9),
        "tiny_scale": lambda: (y * 1e-8, p * 1e-8),
        "heavy_tail": lambda: (y, y + rng.standard_t(1.5, size=n)),
        "outliers": lambda: (y, np.where(rng.random(n) < 0.05, p + 40, p)),
        "duplicates": lambda: (
            np.repeat(y[: (n + 1) // 2], 2)[:n],
            np.repeat(p[: (n + 1) // 2], 2)[:n],
        ),
    }
    labels, preds = edits[kind]()
    return np.array(labels), np.array(preds)


KINDS = [
    "gauss",
    "perfect",
    "constant_labels",
    "constant_offset",
    "both_constant",
    "ties",
    "integers",
    "large",
    "tiny_scale",
    "heavy_tail",
    "outliers",
    "duplicates",
]
SIZES = [2, 3, 4, 5, 7, 20, 101, 150, 1000]
SCORE_CASES = [
    pytest.param(kind, n, 100 * i + n, id=f"{kind}-n{n}")
    for i, kind in enumerate(KINDS)
    for n in SIZES
] + [
    pytest.param("gauss", 2500, 7, id="gauss-n2500"),
    pytest.param("ties", 3000, 8, id="ties-n3000"),
]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(("kind", "n", "seed"), SCORE_CASES)
def test_get_label_quality_scores(kind, n, seed, method, oracle):
    labels, preds = make_scores_problem(kind, n, seed)
    expected, got = compare_calls(
        oracle,
        cl_rank.get_label_quality_scores,
        pd_rank.get_label_quality_scores,
        labels,
        preds,
        method=method,
    )
    assert expected is not RAISED
    assert got.dtype == np.float64
    assert_close(got, expected, f"{kind} {method}")


def test_reference_values_of_the_spec():
    """SPEC R1.4 / R1.5 numbers (cleanlab 2.9.0)."""
    got = pd_rank.get_label_quality_scores([1, 2, 3, 4], [2, 2, 5, 4.1])
    assert_close(got, [0.2162406049, 0.6258550899, 0.2027510388, 0.6258550899], atol=1e-10)
    got = pd_rank.get_label_quality_scores([1, 2, 3, 4], [2, 2, 5, 4.1], method="residual")
    assert_close(got, [0.3678794412, 1.0, 0.1353352832, 0.904837418], atol=1e-10)
    got = pd_rank.get_label_quality_scores([1, 2, 3], [2, 5, 3])
    assert_close(got, [0.3678794412, 0.1779173139, 0.3678794412], atol=1e-10)
    got = pd_rank.get_label_quality_scores(np.arange(10), np.r_[np.arange(9), 30])
    expected = [0.21471117234, 0.34064204416] + [0.39729471320] * 5
    expected += [0.34064204416, 0.21471117234, 1.5313754733e-13]
    assert_close(got, expected, atol=1e-10)
    perfect = [0.2231301601, 0.3678794412, 0.3678794412, 0.3678794412, 0.2231301601]
    assert_close(
        pd_rank.get_label_quality_scores(np.arange(1, 6), np.arange(1, 6)), perfect, atol=1e-10
    )
    assert_close(pd_rank.get_label_quality_scores(np.ones(5), np.arange(1, 6)), perfect, atol=1e-10)
    assert pd_rank.get_label_quality_scores([1.0, 5.0], [3.0, -2.0]).tolist() == [1.0, 1.0]


BAD_INPUTS = [
    pytest.param([1.0], [1.0], "outre", id="n1"),
    pytest.param(5.0, 5.0, "outre", id="scalar"),
    pytest.param([], [], "outre", id="empty"),
    pytest.param([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], "outre", id="2d"),
    pytest.param(["a", "b"], [1.0, 2.0], "outre", id="strings"),
    pytest.param([True, False], [1.0, 2.0], "residual", id="bool"),
    pytest.param([1.0, np.nan, 2.0], [1.0, 2.0, 3.0], "residual", id="nan-labels"),
    pytest.param([1.0, 2.0, 3.0], [1.0, 2.0, np.nan], "outre", id="nan-predictions"),
    pytest.param([1.0, 2.0, 3.0], [1.0, 2.0], "outre", id="lengths"),
    pytest.param([1.0, 2.0, 3.0], [1.0, np.inf, 2.0], "outre", id="inf-outre"),
    pytest.param([1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "nope", id="method"),
]


@pytest.mark.parametrize(("labels", "preds", "method"), BAD_INPUTS)
def test_both_reject_bad_input(labels, preds, method, oracle):
    """Where cleanlab raises, pdclean raises a pdclean error (a ValueError) too."""
    with pytest.raises((ValueError, AssertionError)):
        oracle(cl_rank.get_label_quality_scores, labels, preds, method=method)
    with pytest.raises(InputError):
        pd_rank.get_label_quality_scores(labels, preds, method=method)


def test_inf_is_rejected_where_cleanlab_scores_it_zero(oracle):
    """Deliberate difference: cleanlab's residual method gives inf a score of 0; pdclean raises."""
    expected = oracle(
        cl_rank.get_label_quality_scores, [1.0, 2.0, 3.0], [1.0, np.inf, 2.0], method="residual"
    )
    assert expected[1] == 0.0
    with pytest.raises(InputError, match=r"Input predictions contains infinity"):
        pd_rank.get_label_quality_scores([1.0, 2.0, 3.0], [1.0, np.inf, 2.0], method="residual")


def test_inputs_of_any_array_like_kind(oracle):
    y = pd.Series([1.0, 2.0, 3.0, 4.0, 7.0])
    p = (2.0, 2.0, 5.0, 4.1, 6.0)
    expected = oracle(cl_rank.get_label_quality_scores, y, p)
    assert_close(pd_rank.get_label_quality_scores(y, p), expected)
    column = np.array([[1.0], [2.0], [3.0], [4.0], [7.0]])
    assert_close(pd_rank.get_label_quality_scores(column, np.array([p])), expected)


# ------------------------------------------------------------------------------ CleanLearning


def make_learning_problem(kind: str, n: int, d: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(X, y) of one kind; a pure function of its arguments."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = X @ w + 0.3 + rng.normal(size=n) * 0.3
    bad = rng.choice(n, size=max(1, n // 12), replace=False)
    noisy = y.copy()
    noisy[bad] += rng.choice([-1, 1], size=len(bad)) * rng.uniform(2, 6, size=len(bad))
    kinds = {
        "noisy": lambda: (X, noisy),
        "clean": lambda: (X, y),
        "perfect_linear": lambda: (X, X @ w + 0.3),
        "int64": lambda: (X, np.round(noisy * 3).astype(np.int64)),
        "rounded_ties": lambda: (X, np.round(noisy)),
        "duplicated_rows": lambda: (
            np.repeat(X[: (n + 1) // 2], 2, axis=0)[:n],
            np.repeat(noisy[: (n + 1) // 2], 2)[:n],
        ),
        "heavy_tail": lambda: (X, y + rng.standard_t(1.5, size=n)),
    }
    return kinds[kind]()


@contextlib.contextmanager
def global_rng_restored():
    """cleanlab reseeds numpy's global generator: put the caller's state back afterwards."""
    state = np.random.get_state()  # noqa: NPY002  (saving the global state cleanlab changes)
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002  (restoring it)


def cleanlab_issues(X, y, model, params, kwargs):
    """cleanlab's find_label_issues, constructed (and so seeded) right before the call."""
    with global_rng_restored():
        return cl_learn.CleanLearning(model, **params).find_label_issues(X, y, **kwargs)


def assert_same_issues(got: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    assert list(got.columns) == list(expected.columns), what
    assert_mask(got["is_label_issue"].to_numpy(), expected["is_label_issue"].to_numpy(), what)
    assert_close(got["label_quality"], expected["label_quality"], f"{what} label_quality")
    assert got["given_label"].dtype == expected["given_label"].dtype, what
    assert got["predicted_label"].dtype == expected["predicted_label"].dtype, what
    assert_close(got["predicted_label"], expected["predicted_label"], f"{what} predicted_label")


LEARNING_CASES = [
    ("noisy", 60, 2, 0),
    ("noisy", 8, 1, 1),
    ("noisy", 30, 3, 2),
    ("noisy", 400, 5, 3),
    ("clean", 100, 2, 4),
    ("perfect_linear", 40, 2, 5),
    ("int64", 80, 2, 6),
    ("rounded_ties", 120, 1, 7),
    ("duplicated_rows", 90, 2, 8),
    ("heavy_tail", 150, 3, 9),
    ("noisy", 2000, 4, 10),
]
PARAMS = [
    {"n_boot": 0, "include_aleatoric_uncertainty": False},
    {"n_boot": 0},
    {},
    {"cv_n_folds": 3, "n_boot": 2},
    {"cv_n_folds": 2, "n_boot": 0},
]


@pytest.mark.parametrize(
    "params", PARAMS, ids=lambda p: "-".join(f"{k}{v}" for k, v in p.items()) or "defaults"
)
@pytest.mark.parametrize(("kind", "n", "d", "seed"), LEARNING_CASES, ids=lambda v: str(v))
def test_find_label_issues(kind, n, d, seed, params, oracle):
    X, y = make_learning_problem(kind, n, d, seed)
    if n < 10 and params.get("cv_n_folds", 5) > 2:
        params = {**params, "cv_n_folds": 2}
    expected = oracle(cleanlab_issues, X, y, LinearRegression(), {"seed": seed, **params}, {})
    cl = pd_learn.CleanLearning(LinearRegression(), seed=seed, **params)
    got = cl.find_label_issues(X, y)
    assert_same_issues(got, expected, f"{kind} {params}")
    assert cl.k_ == 0 or 0.01 <= cl.k_ <= 0.2
    assert int(got["is_label_issue"].sum()) == math.ceil(n * cl.k_)


SEARCH_VARIANTS = [
    {"coarse_search_range": [0.1]},
    {"coarse_search_range": [0.2, 0.05, 0.1]},
    {"coarse_search_range": [0.0, 0.02, 0.3]},
    {"fine_search_size": 0},
    {"fine_search_size": 5},
    {"uncertainty": 0.7},
    {"uncertainty": "array"},
]


@pytest.mark.parametrize("kwargs", SEARCH_VARIANTS, ids=str)
def test_find_label_issues_arguments(kwargs, oracle):
    X, y = make_learning_problem("noisy", 200, 2, 11)
    if kwargs.get("uncertainty") == "array":
        kwargs = {"uncertainty": np.random.default_rng(3).uniform(0.1, 2.0, size=200)}
    params = {"seed": 4, "n_boot": 2}
    expected = oracle(cleanlab_issues, X, y, LinearRegression(), params, kwargs)
    got = pd_learn.CleanLearning(LinearRegression(), **params).find_label_issues(X, y, **kwargs)
    assert_same_issues(got, expected, str(kwargs))


@pytest.mark.parametrize(
    "model",
    [DecisionTreeRegressor(max_depth=4, random_state=0), Ridge(alpha=2.0)],
    ids=["tree", "ridge"],
)
def test_other_deterministic_models(model, oracle):
    X, y = make_learning_problem("noisy", 300, 3, 12)
    params = {"seed": 1, "n_boot": 1}
    expected = oracle(cleanlab_issues, X, y, model, params, {})
    got = pd_learn.CleanLearning(model, **params).find_label_issues(X, y)
    assert_same_issues(got, expected, type(model).__name__)


def test_reference_values_of_the_spec_r310():
    """SPEC R3.10 (cleanlab 2.9.0)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    y = X @ [1, -2] + 0.3 + rng.normal(size=60) * 0.2
    y[[3, 17, 40]] += [4, -5, 3]
    flagged = [3, 16, 17, 18, 19, 26, 39, 40, 44, 48, 56, 58]
    for aleatoric in (False, True):
        cl = pd_learn.CleanLearning(seed=0, n_boot=0, include_aleatoric_uncertainty=aleatoric)
        got = cl.find_label_issues(X, y)
        assert cl.k_ == 0.1875
        assert np.flatnonzero(got["is_label_issue"]).tolist() == flagged
        q = got["label_quality"].to_numpy()
        assert_close(
            q[:4], [0.36138775831, 0.32935971274, 0.72364615048, 1.8081335053e-11], atol=1e-10
        )
        assert_close(
            q[[3, 17, 40]], [1.8081335053e-11, 2.4748947581e-14, 1.8896119047e-09], atol=1e-10
        )
        assert got["predicted_label"][0] == 0.6931132834453068
    cl = pd_learn.CleanLearning(seed=0)
    got = cl.find_label_issues(X, y)
    assert cl.k_ == 0.1875
    assert np.flatnonzero(got["is_label_issue"]).tolist() == [
        3,
        15,
        16,
        17,
        18,
        20,
        26,
        35,
        39,
        40,
        44,
        56,
    ]
    q = got["label_quality"].to_numpy()[:4]
    assert_close(q, [0.36671945457, 0.25431783747, 0.58154903575, 1.7664334242e-11], atol=1e-10)
    fitted = pd_learn.CleanLearning(seed=0).fit(X, y)
    assert_close(fitted.model_.coef_, [1.0133849825, -2.0405714303], atol=1e-10)
    assert fitted.model_.intercept_ == 0.3041204399645233
    assert fitted.score(X, y) == 0.8461581164388748


def cleanlab_fitted(X, y, params, fit_kwargs):
    with global_rng_restored():
        return cl_learn.CleanLearning(LinearRegression(), **params).fit(X, y, **fit_kwargs)


@pytest.mark.parametrize("weighted", [False, True])
def test_fit_predict_score(weighted, oracle):
    X, y = make_learning_problem("noisy", 150, 3, 13)
    Xt, yt = make_learning_problem("clean", 50, 3, 13)
    w = np.random.default_rng(5).uniform(0.5, 2.0, size=150) if weighted else None
    params = {"seed": 2, "n_boot": 1}
    expected = oracle(cleanlab_fitted, X, y, params, {"sample_weight": w})
    got = pd_learn.CleanLearning(LinearRegression(), **params).fit(X, y, sample_weight=w)
    assert_mask(got.label_issues_mask_, np.asarray(expected.label_issues_mask), "mask")
    assert_close(got.model_.coef_, expected.model.coef_, "coef")
    assert_close(got.predict(Xt), expected.predict(Xt), "predict")
    wt = np.linspace(1, 2, 50)
    assert_close(
        got.score(Xt, yt, sample_weight=wt), expected.score(Xt, yt, sample_weight=wt), "score"
    )


def test_fit_with_given_label_issues(oracle):
    X, y = make_learning_problem("noisy", 100, 2, 14)
    mask = np.zeros(100, dtype=bool)
    mask[[1, 5, 50]] = True
    expected = oracle(cleanlab_fitted, X, y, {"seed": 0}, {"label_issues": mask})
    got = pd_learn.CleanLearning(LinearRegression(), seed=0).fit(X, y, label_issues=mask)
    assert_close(got.model_.coef_, expected.model.coef_, "coef")
    assert_exact(got.predict(X[:5]), expected.predict(X[:5]), "predict")


def test_uncertainty_helpers(oracle):
    X, y = make_learning_problem("noisy", 120, 2, 15)
    p = X[:, 0]

    def cl_helpers():
        with global_rng_restored():
            epi = cl_learn.CleanLearning(
                LinearRegression(), seed=3, n_boot=3
            ).get_epistemic_uncertainty(X, y, p)
            ale = cl_learn.CleanLearning(LinearRegression(), seed=3).get_aleatoric_uncertainty(
                X, y - p
            )
            return epi, ale

    epi, ale = oracle(cl_helpers)
    got = pd_learn.CleanLearning(LinearRegression(), seed=3, n_boot=3)
    assert_close(got.get_epistemic_uncertainty(X, y, p), epi, "epistemic")
    assert_close(
        pd_learn.CleanLearning(LinearRegression(), seed=3).get_aleatoric_uncertainty(X, y - p),
        ale,
        "aleatoric",
    )
