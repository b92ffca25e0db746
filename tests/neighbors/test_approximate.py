"""pdclean.neighbors.approximate: the exact graph's contract, recall, duplicates, errors."""

import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.neighbors import NearestNeighbors

from pdclean.errors import InputError, PdcleanError
from pdclean.neighbors.approximate import MissingDependencyError, approximate_knn


def clustered(n: int, d: int, seed: int = 0, intrinsic: int = 8) -> np.ndarray:
    """Clusters in a low-dimensional space mapped linearly to d columns, plus noise."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(scale=3.0, size=(20, intrinsic))
    low = centers[rng.integers(0, 20, n)] + rng.normal(size=(n, intrinsic))
    return low @ rng.normal(size=(intrinsic, d)) + rng.normal(scale=0.1, size=(n, d))


def slow_distance(x: np.ndarray, y: np.ndarray, metric: str) -> float:
    """Distance of two rows; exact duplicates (zero rows too) at 0, as the exact graph."""
    if (x == y).all():
        return 0.0
    if metric == "euclidean":
        return float(np.sqrt(sum((a - b) ** 2 for a, b in zip(x, y))))
    nx, ny = np.sqrt(x @ x), np.sqrt(y @ y)
    u = x / (nx if nx else 1.0)
    v = y / (ny if ny else 1.0)
    return min(max(1.0 - float(u @ v), 0.0), 2.0)


def brute_kth(X: np.ndarray, rows: np.ndarray, k: int, metric: str) -> np.ndarray:
    """Exact k-th neighbour distance (self excluded) of some rows, by scikit-learn brute force."""
    nn = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(X)
    dist, idx = nn.kneighbors(X[rows])
    own = idx == rows[:, None]
    own[~own.any(axis=1), -1] = True  # self not listed (duplicates): drop the farthest
    return dist[~own].reshape(len(rows), k)[:, -1]


def check_contract(X, idx, dist, k, metric, rows=None):
    n = X.shape[0]
    assert idx.shape == dist.shape == (n, k)
    assert idx.dtype == np.int64
    assert dist.dtype == np.float64
    assert ((idx >= 0) & (idx < n)).all()
    assert (idx != np.arange(n)[:, None]).all(), "a row is its own neighbour"
    assert all(len(set(r)) == k for r in idx.tolist()), "a neighbour listed twice"
    assert (np.diff(dist, axis=1) >= 0).all(), "not ascending"
    for i in range(n) if rows is None else rows:
        expected = [slow_distance(X[i], X[j], metric) for j in idx[i]]
        np.testing.assert_allclose(dist[i], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_recall_and_contract_on_clustered_table(metric):
    X = clustered(5000, 32)
    idx, dist = approximate_knn(X, 10, metric=metric)
    check_contract(X, idx, dist, 10, metric, rows=range(0, 5000, 50))
    rows = np.arange(0, 5000, 5)
    kth = brute_kth(X, rows, 10, metric)
    # a returned neighbour is correct if it is no farther than the exact 10th (ties count)
    recall = (dist[rows] <= kth[:, None] + 1e-9).mean()
    assert recall >= 0.95, recall


def test_duplicates():
    """A pair and a group larger than k + 1: the exact graph's duplicate rule (SPEC 9.3)."""
    X = clustered(600, 16, seed=1)
    X[[10, 20]] = X[5]  # group {5, 10, 20}
    big = np.arange(100, 400, 20)  # 15 identical rows (> k + 1 = 6)
    X[big] = X[big[0]]
    X[500] = 0.0
    X[501] = 0.0
    k = 5
    idx, dist = approximate_knn(X, k)
    check_contract(X, idx, dist, k, "cosine")
    assert idx[5, :2].tolist() == [10, 20]
    assert idx[20, :2].tolist() == [5, 10]
    assert dist[5, :2].tolist() == [0.0, 0.0]
    assert dist[5, 2] > 0
    for r, row in enumerate(big):  # first k+1 members: the others of the first k+1
        expected = [m for m in big[: k + 1] if m != row][:k] if r <= k else big[:k].tolist()
        assert idx[row].tolist() == list(expected), row
        assert dist[row].tolist() == [0.0] * k
    assert idx[500, 0] == 501
    assert dist[500, 0] == 0.0
    assert dist[500, 1] == 1.0  # a zero row is at cosine distance 1 from any other row


def test_random_state_is_deterministic():
    X = clustered(3000, 24, seed=2)
    a = approximate_knn(X, 8, random_state=3)
    b = approximate_knn(X, 8, random_state=3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@given(
    X=arrays(
        np.float64,
        st.tuples(st.integers(8, 40), st.integers(1, 5)),
        elements=st.integers(-3, 3).map(float),
    ),
    k=st.integers(1, 6),
    metric=st.sampled_from(["cosine", "euclidean"]),
)
def test_small_tables_match_brute_force(X, k, metric):
    """On small integer tables (many ties and duplicates) the search is exhaustive: the k
    distances equal the exact ones, and the contract holds."""
    if X.shape[0] <= k:
        k = X.shape[0] - 1
    idx, dist = approximate_knn(X, k, metric=metric)
    check_contract(X, idx, dist, k, metric)
    exact = np.sort(
        [
            [slow_distance(X[i], X[j], metric) for j in range(len(X)) if j != i]
            for i in range(len(X))
        ],
        axis=1,
    )[:, :k]
    np.testing.assert_allclose(dist, exact, rtol=0, atol=1e-12)


def test_missing_library(monkeypatch):
    monkeypatch.setitem(sys.modules, "faiss", None)
    with pytest.raises(MissingDependencyError, match=r'pip install "pdclean\[approximate\]"'):
        approximate_knn(clustered(50, 4), 3)
    assert issubclass(MissingDependencyError, ImportError)
    assert issubclass(MissingDependencyError, PdcleanError)


@pytest.mark.parametrize(
    ("X", "k", "metric", "match"),
    [
        (np.ones((5, 2)), 0, "cosine", r"^k must be a positive integer, got 0; pass e\.g\. k=10"),
        (np.ones((5, 2)), True, "cosine", r"^k must be a positive integer, got True"),
        (np.ones((5, 2)), 2, "l1", r"^metric must be one of \['cosine', 'euclidean'\], got 'l1'"),
        (np.ones(5), 2, "cosine", r"^X must be a 2-D array .*got shape \(5,\)"),
        (np.ones((3, 2)), 3, "cosine", r"^k=3 neighbours need at least 4 rows, X has 3"),
        (np.array([[1.0, np.nan]] * 5), 2, "cosine", r"NaN or infinite values in 5 rows"),
    ],
)
def test_bad_input(X, k, metric, match):
    with pytest.raises(InputError, match=match):
        approximate_knn(X, k, metric=metric)


@pytest.mark.parametrize(("name", "value"), [("ef", 0), ("n_jobs", 1.5), ("ef", True)])
def test_bad_search_options(name, value):
    with pytest.raises(InputError, match=rf"^{name} must be a positive integer, got {value!r}\."):
        approximate_knn(np.eye(5), 2, **{name: value})
