"""pdclean.outlier.OutOfDistribution equals cleanlab 2.9.0's (spec R2) on seeded problems."""

import warnings

import numpy as np
import pytest
from _oracle import assert_close, silenced
from _problems import SMALL, make_problem, params
from cleanlab.outlier import OutOfDistribution as ClOOD
from sklearn.neighbors import NearestNeighbors

from pdclean.outlier import OutOfDistribution

# (seed, n, columns): 1-3 columns are Euclidean (SciPy's callable up to 100 rows, scikit-learn's
# above), more than 3 are cosine.
FEATURE_CASES = [
    (0, 5, 1), (1, 12, 2), (2, 60, 3), (3, 100, 2), (4, 101, 3), (5, 400, 2),
    (6, 8, 4), (7, 50, 6), (8, 150, 16), (9, 700, 32), (10, 2000, 5), (11, 300, 64),
]  # fmt: skip
KS = [None, 0, 1, 3, 7]


def features_problem(seed: int, n: int, d: int) -> np.ndarray:
    """Gaussian blobs with exact duplicates (small and large groups), zero and collinear rows."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(3, d))
    X = centers[rng.integers(0, 3, n)] + rng.normal(size=(n, d))
    if n >= 8:
        X[rng.choice(n, n // 5, replace=False)] = X[rng.integers(0, n)]  # one large group
        pairs = rng.choice(n, 4, replace=False)
        X[pairs[1]], X[pairs[3]] = X[pairs[0]], X[pairs[2]]
        X[rng.integers(0, n)] = 2.5 * X[rng.integers(0, n)]  # collinear (cosine distance 0)
    if n >= 50:
        X[rng.integers(0, n)] = 0.0
        X = np.round(X, 1) if seed % 2 else X  # rounded values: many equal distances
    return X


def cl_ood(params=None):
    return ClOOD(params=None if params is None else dict(params))


def quiet(fn, **kwargs):
    with silenced():
        return fn(**kwargs)


def new_rows(X: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed + 1000)
    fresh = rng.normal(scale=3.0, size=(7, X.shape[1]))
    return np.vstack([fresh, X[: min(5, len(X))]])


@pytest.mark.parametrize(
    ("seed", "n", "d", "k"),
    [(*case, k) for case in FEATURE_CASES for k in KS if k is None or k < case[1]],
)
def test_features_fit_score_then_score(seed, n, d, k):
    """fit_score, the stored scale, then score on new rows and on training rows (R2.3, R2.4).

    (k >= n is an error, tested in tests/ood.)
    """
    X = features_problem(seed, n, d)
    ours, theirs = OutOfDistribution({"k": k}), cl_ood({"k": k})
    assert_close(ours.fit_score(features=X, verbose=False), quiet(theirs.fit_score, features=X))
    assert ours.params["scaling_factor"] == pytest.approx(
        theirs.params["scaling_factor"], abs=1e-12
    )
    Q = new_rows(X, seed)
    if k == 0:  # cleanlab scores NaN (mean of no distance); pdclean uses the fitted k
        theirs = cl_ood({"k": None})
        quiet(theirs.fit, features=X)
    assert_close(ours.score(features=Q), quiet(theirs.score, features=Q), "score")


@pytest.mark.parametrize("t", [0.5, 2])
def test_features_temperature(t):
    X = features_problem(3, 200, 6)
    ours, theirs = OutOfDistribution({"t": t, "k": 4}), cl_ood({"t": t, "k": 4})
    assert_close(ours.fit_score(features=X, verbose=False), quiet(theirs.fit_score, features=X))
    assert_close(ours.score(features=X[:9]), quiet(theirs.score, features=X[:9]))


def test_features_fit_then_score_equals_fit_score_state():
    """fit (returns None) leaves the same state as fit_score."""
    X = features_problem(5, 400, 2)
    ours, theirs = OutOfDistribution(), cl_ood()
    assert ours.fit(features=X, verbose=False) is None
    quiet(theirs.fit, features=X)
    Q = new_rows(X, 5)
    assert_close(ours.score(features=Q), quiet(theirs.score, features=Q))


KNN_SETUPS = [
    ("euclidean", {}, True), ("euclidean", {}, False), ("cosine", {}, True),
    ("cosine", {}, False), ("minkowski", {"p": 3}, True), ("minkowski", {"p": 1}, False),
    ("manhattan", {}, True), ("chebyshev", {}, False),
]  # fmt: skip


@pytest.mark.parametrize("k", [None, 2, 5, 9])
@pytest.mark.parametrize(("metric", "extra", "prefit"), KNN_SETUPS)
def test_user_knn(metric, extra, prefit, k):
    """A user NearestNeighbors: score first (scale from this call), then fit_score warns."""
    X = features_problem(7, 120, 5)
    Q = new_rows(X, 7)

    def knn():
        nn = NearestNeighbors(n_neighbors=5, metric=metric, **extra)
        return nn.fit(X) if prefit else nn

    ours, theirs = OutOfDistribution({"knn": knn(), "k": k}), cl_ood({"knn": knn(), "k": k})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # k > n_neighbors warns: tested in tests/ood
        got = ours.score(features=Q if prefit else X)
    assert_close(got, quiet(theirs.score, features=Q if prefit else X), "score")
    assert ours.params["scaling_factor"] == pytest.approx(theirs.params["scaling_factor"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ours.fit_score(features=X[:30], verbose=False)
    assert_close(got, quiet(theirs.fit_score, features=X[:30]), "fit_score")


OOD_METHODS = ["entropy", "least_confidence", "gen"]


@pytest.mark.parametrize("adjust", [True, False])
@pytest.mark.parametrize("method", OOD_METHODS)
@pytest.mark.parametrize("spec", params(SMALL))
def test_pred_probs_fit_score_then_score(spec, method, adjust):
    """Every method, adjusted or not; thresholds learned on one half, re-used on the other."""
    p = make_problem(spec)
    half = p.n // 2
    fit_P, fit_y, new_P = p.pred_probs[:half], p.labels[:half], p.pred_probs[half:]
    prm = {"method": method, "adjust_pred_probs": adjust, "M": 3 if method == "gen" else 100}
    ours, theirs = OutOfDistribution(prm), cl_ood(prm)
    labels = fit_y if adjust else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GEN with K < M, nothing to fit: tested in tests/ood
        got = ours.fit_score(pred_probs=fit_P, labels=labels, verbose=False)
        assert_close(got, quiet(theirs.fit_score, pred_probs=fit_P, labels=labels), "fit_score")
        got = ours.score(pred_probs=new_P)
    assert_close(got, quiet(theirs.score, pred_probs=new_P), "score")
    if adjust:
        assert_close(ours.params["confident_thresholds"], theirs.params["confident_thresholds"])


@pytest.mark.parametrize("method", OOD_METHODS)
def test_pred_probs_user_thresholds(method):
    p = make_problem(SMALL[5])
    t = np.linspace(0.2, 0.6, p.K)
    prm = {"method": method, "confident_thresholds": t, "M": 2}
    ours, theirs = OutOfDistribution(prm), cl_ood(prm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ours.fit_score(pred_probs=p.pred_probs, labels=p.labels, verbose=False)
    assert_close(got, quiet(theirs.fit_score, pred_probs=p.pred_probs, labels=p.labels))


@pytest.mark.parametrize(("M", "gamma"), [(1, 0.1), (5, 0.5), (100, 0.1), (20, 1.0)])
def test_gen_hyperparameters(M, gamma):
    p = make_problem(SMALL[2])  # K = 100
    prm = {"method": "gen", "adjust_pred_probs": False, "M": M, "gamma": gamma}
    ours, theirs = OutOfDistribution(prm), cl_ood(prm)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ours.fit_score(pred_probs=p.pred_probs, verbose=False)
    assert_close(got, quiet(theirs.fit_score, pred_probs=p.pred_probs))


# R2.6: values recorded from cleanlab 2.9.0 in the spec.
X_EUCLID = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [5, 5], [0, 0], [0.5, 0.5]], dtype=float)
X_COSINE = np.array(
    [[1, 0, 0, 0], [0, 1, 0, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 1, 1], [2, 0, 0, 0],
     [1, 2, 3, 4]], dtype=float,
)  # fmt: skip
P_REF = np.array(
    [[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1], [0.2, 0.2, 0.6],
     [0.34, 0.33, 0.33]]
)  # fmt: skip
Y_REF = np.array([0, 1, 2, 0, 2, 1])


def test_reference_values_features():
    ood = OutOfDistribution()
    got = ood.fit_score(features=X_EUCLID, verbose=False)
    expected = [0.3678794412, 0.3571254857, 0.3571254857, 0.3678794412, 0.0307532652,
                0.3678794412, 0.4129269419]  # fmt: skip
    assert_close(got, expected, atol=1e-10)
    assert ood.params["scaling_factor"] == pytest.approx(1.8653980259041862, abs=1e-15)
    new = np.array([[0, 0], [2, 2], [10, 10]], dtype=float)
    assert_close(ood.score(features=new), [0.6919612741, 0.2949714997, 0.0013110102], atol=1e-10)
    ood3 = OutOfDistribution({"k": 3})
    expected = [0.5322713105, 0.3678794412, 0.3678794412, 0.3678794412, 0.0011073699,
                0.5322713105, 0.4567534068]  # fmt: skip
    assert_close(ood3.fit_score(features=X_EUCLID, verbose=False), expected, atol=1e-10)
    assert ood3.params["scaling_factor"] == pytest.approx(0.9023689270621825, abs=1e-15)


def test_reference_values_cosine():
    ood = OutOfDistribution({"k": 2})
    got = ood.fit_score(features=X_COSINE, verbose=False)
    expected = [1.0, 0.2052021846, 0.3678794412, 1.0, 0.1538914496, 1.0, 0.2980934698]
    assert_close(got, expected, atol=1e-10)
    assert ood.params["scaling_factor"] == pytest.approx(0.29289321881345254, abs=1e-15)


def test_reference_values_pred_probs():
    ood = OutOfDistribution()
    got = ood.fit_score(pred_probs=P_REF, labels=Y_REF, verbose=False)
    assert_close(ood.params["confident_thresholds"], [0.6, 0.565, 0.5], atol=1e-12)
    expected = [0.1534310074, 0.3211746065, 0.0233110798, 0.0582534605, 0.1534310074,
                0.0045121649]  # fmt: skip
    assert_close(got, expected, atol=1e-10)
    lc = OutOfDistribution({"method": "least_confidence"})
    expected = [0.6167400881, 0.7356828194, 0.4405286344, 0.4405286344, 0.6167400881,
                0.3788546256]  # fmt: skip
    assert_close(lc.fit_score(pred_probs=P_REF, labels=Y_REF, verbose=False), expected, atol=1e-10)
    raw = OutOfDistribution({"adjust_pred_probs": False})
    expected = [0.27015330084, 0.41832813428, 0.0088405285678, 0.14132728893, 0.13502647928,
                9.0725015930e-05]  # fmt: skip
    assert_close(raw.score(pred_probs=P_REF), expected, atol=1e-10)
    raw_lc = OutOfDistribution({"adjust_pred_probs": False, "method": "least_confidence"})
    assert_close(raw_lc.score(pred_probs=P_REF), P_REF.max(axis=1), atol=0)
    gen = OutOfDistribution({"adjust_pred_probs": False, "method": "gen", "M": 2})
    expected = [0.1388117576, 0.1418905071, 0.1390626911, 0.1356793666, 0.1390649446,
                0.1395725471]  # fmt: skip
    assert_close(gen.score(pred_probs=P_REF), expected, atol=1e-10)
