"""The cluster-pruned exact cosine kNN (pdclean.neighbors.pruned) against the BLAS search."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.preprocessing import normalize

from pdclean.neighbors import blas, graph, pruned
from pdclean.neighbors.blas import blas_cosine_knn
from pdclean.neighbors.graph import build_knn_graph
from pdclean.neighbors.pruned import pruned_cosine_knn
from tests.neighbors.test_graph import assert_exact_knn, brute_cosine, hard_table


def _unit(X):
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)


def _blobs(n, d, seed=0):
    """10 Gaussian blobs as in benchmarks/bench_audit.py: centers N(0, 3²), noise N(0, 1)."""
    rng = np.random.RandomState(seed)
    return rng.normal(scale=3.0, size=(10, d))[rng.randint(0, 10, n)] + rng.normal(size=(n, d))


def _assert_same_as_blas(Z, k, got):
    dist, idx = blas_cosine_knn(Z, k)
    assert got[1].dtype == np.int64
    np.testing.assert_array_equal(got[1], idx)
    np.testing.assert_array_equal(got[0], dist)  # bit for bit, not to a tolerance


@pytest.fixture
def screened(monkeypatch):
    """Count the (query, row) pairs screened in float32 by the pruned search."""
    count = [0]
    original = pruned._runs_group_max

    def spy(Z32, q32, first, end, g):
        count[0] += q32.shape[0] * min(int((end - first).sum()) * g, Z32.shape[0])
        return original(Z32, q32, first, end, g)

    monkeypatch.setattr(pruned, "_runs_group_max", spy)
    return count


@pytest.mark.parametrize(("n", "d"), [(2500, 4), (2000, 16), (1500, 64), (1200, 128)])
def test_pruned_equals_blas_and_brute_force_on_hard_tables(monkeypatch, screened, n, d):
    monkeypatch.setattr(pruned, "_CLUSTER_ROWS", 40)  # many small clusters
    X = hard_table(n, d, seed=d)
    Z = _unit(X)
    got = pruned_cosine_knn(Z, 10)
    _assert_same_as_blas(Z, 10, got)
    D, exp_dist, exp_idx = brute_cosine(X, 10)
    assert_exact_knn(*got, D, exp_dist, exp_idx)
    np.testing.assert_array_equal(got[1][7], np.r_[0:7, 8:11])  # zero row: all at distance 1
    np.testing.assert_allclose(got[0][7], 1.0, rtol=0, atol=0)
    np.testing.assert_array_equal(got[1][350], np.r_[200:210])  # identical rows: lowest index
    assert screened[0] < 0.75 * n * n  # whole clusters were skipped


@pytest.mark.parametrize("d", [16, 128])
def test_pruned_skips_the_other_blobs(screened, d):
    X = _blobs(6000, d)
    Z = normalize(X)
    got = pruned_cosine_knn(Z, 10)
    _assert_same_as_blas(Z, 10, got)
    # a query's own blob is ~1/10 of the rows (measured 0.26 at d = 16, 0.10 at d = 128);
    # the BLAS search screens all n² pairs
    assert screened[0] < {16: 0.35, 128: 0.15}[d] * 6000**2


def test_probe_bound_is_the_k_plus_first_largest_similarity(monkeypatch):
    sims = np.array([1.0, 0.5, 0.875, 0.25, 0.75, -0.5, 0.625, 0.0])
    Z32 = np.column_stack([sims, np.sqrt(1 - sims**2)]).astype(np.float32)
    q32 = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    # rows 2..5: 0.875, 0.25, 0.75, -0.5 -> the 3rd largest (k = 2) is 0.25
    got = pruned._probe_bound(Z32, q32, 2, 6, 2)
    np.testing.assert_allclose(got, [0.25, np.sqrt(1 - 0.75**2)], rtol=1e-6)
    # a window shorter than k + 1 rows is widened (rows 6, 7 -> rows 5, 6, 7)
    np.testing.assert_allclose(pruned._probe_bound(Z32, q32, 6, 8, 2)[0], -0.5)
    monkeypatch.setattr(pruned, "_PROBE", 4)  # rows 0..3 only
    np.testing.assert_allclose(pruned._probe_bound(Z32, q32, 0, 8, 2)[0], 0.5)


def test_live_runs():
    starts = np.array([0, 10, 25, 26, 60, 64])  # 5 clusters, groups of 4 rows, 16 groups
    alive = np.array([True, False, True, False, True])
    first, end = pruned._live_runs(starts, alive, 4, 16, 1, 1)
    # cluster 0 -> groups 0..2, cluster 2 (row 25) -> group 6, cluster 4 -> groups 15
    assert first.tolist() == [0, 6, 15]
    assert end.tolist() == [3, 7, 16]
    first, end = pruned._live_runs(starts, alive, 4, 16, 1, 3)  # gaps <= 3 merged
    assert (first.tolist(), end.tolist()) == ([0, 15], [7, 16])
    first, end = pruned._live_runs(starts, alive, 4, 16, 6, 1)  # at least k + 1 groups
    assert (first.tolist(), end.tolist()) == ([0, 15], [7, 16])


def test_pruned_with_many_zero_rows():
    X = _blobs(900, 8, seed=3)
    zero = np.r_[0, 13:60, 400, 899]
    X[zero] = 0.0
    Z = _unit(X)
    got = pruned_cosine_knn(Z, 10)
    _assert_same_as_blas(Z, 10, got)
    D, exp_dist, exp_idx = brute_cosine(X, 10)
    assert_exact_knn(*got, D, exp_dist, exp_idx)
    np.testing.assert_array_equal(got[1][0], np.arange(1, 11))
    np.testing.assert_array_equal(got[1][899], np.arange(10))
    np.testing.assert_array_equal(got[1][400], np.arange(10))
    np.testing.assert_allclose(got[0][zero], 1.0, rtol=0, atol=0)


@pytest.mark.parametrize("cluster_rows", [256, 7])
def test_pruned_all_rows_tied(monkeypatch, cluster_rows):
    monkeypatch.setattr(pruned, "_CLUSTER_ROWS", cluster_rows)
    Z = normalize(np.tile([[1.0, 2.0, 3.0, 4.0]], (300, 1)))
    dist, idx = pruned_cosine_knn(Z, 10)
    _assert_same_as_blas(Z, 10, (dist, idx))
    np.testing.assert_allclose(dist, 0.0, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(idx[0], np.arange(1, 11))
    np.testing.assert_array_equal(idx[5], np.r_[0:5, 6:11])
    np.testing.assert_array_equal(idx[299], np.arange(10))


@pytest.mark.parametrize("d", [4, 9, 33, 130])
@pytest.mark.parametrize(("n", "k"), [(11, 10), (12, 10), (2, 1), (40, 10)])
def test_pruned_with_few_rows(n, k, d):
    X = np.random.RandomState(n + d).normal(size=(n, d))
    Z = _unit(X)
    got = pruned_cosine_knn(Z, k)
    _assert_same_as_blas(Z, k, got)
    assert_exact_knn(*got, *brute_cosine(X, k))


def test_pruned_resolves_differences_below_float32_precision(monkeypatch):
    monkeypatch.setattr(pruned, "_CLUSTER_ROWS", 50)
    rng = np.random.RandomState(3)
    X = rng.normal(size=(3000, 16))
    X[:40] = X[0] + 1e-6 * np.arange(40)[:, None] * rng.normal(size=16)
    Z = normalize(X)
    dist, idx = pruned_cosine_knn(Z, 10)
    np.testing.assert_array_equal(idx[0], np.arange(1, 11))
    assert (np.diff(dist[0]) > 0).all()
    np.testing.assert_array_equal(idx[39], np.arange(38, 28, -1))
    _assert_same_as_blas(Z, 10, (dist, idx))


def test_pruned_chunking_threads_and_seed_do_not_change_the_result(monkeypatch):
    Z = normalize(hard_table(700, 6, seed=1))
    monkeypatch.setattr(pruned, "n_threads", lambda: 1)
    expected = pruned_cosine_knn(Z, 7)
    for name, value in [
        ("_BLOCK", 7), ("_PROBE", 5), ("_GAP_FLOATS", 1), ("_CLUSTER_ROWS", 9),
        ("_MAX_CLUSTERS", 50), ("_ONE_PARTITION", 0), ("_SAMPLE", 2), ("_LLOYD_STEPS", 1),
        ("_ASSIGN_ELEMS", 100), ("n_threads", lambda: 2),
    ]:  # fmt: skip
        monkeypatch.setattr(pruned, name, value)
    monkeypatch.setattr(blas, "_TILE", 40)
    monkeypatch.setattr(blas, "_MAX_ELEMS", 500)
    got = pruned_cosine_knn(Z, 7, random_state=np.random.RandomState(5))
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[0], expected[0])
    _assert_same_as_blas(Z, 7, got)


def test_build_knn_graph_pruned_search(monkeypatch):
    X = hard_table(5000, 20, seed=7)
    pruned = build_knn_graph(X, tie_order="fast", search="pruned")
    blas = build_knn_graph(X, tie_order="fast", search="blas")
    np.testing.assert_array_equal(pruned.indices, blas.indices)
    np.testing.assert_array_equal(pruned.distances, blas.distances)
    np.testing.assert_array_equal(pruned.indices[350], np.r_[200:210])  # duplicate correction
    # "auto" takes the pruned search above 6 columns, the tree search up to 6
    calls, real = [], graph.pruned_cosine_knn
    monkeypatch.setattr(
        graph, "pruned_cosine_knn", lambda Z, k: calls.append(Z.shape) or real(Z, k)
    )
    build_knn_graph(X[:1000, :7], tie_order="fast")
    build_knn_graph(X[:1000, :6], tie_order="fast")
    assert calls == [(1000, 7)]


@given(
    X=st.integers(11, 60).flatmap(
        lambda n: arrays(np.float64, (n, 5), elements=st.integers(-1, 2).map(float))
    ),
    k=st.integers(1, 10),
)
def test_pruned_equals_blas_on_tied_integer_rows(X, k):
    Z = _unit(X)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pruned, "_CLUSTER_ROWS", 4)
        mp.setattr(pruned, "_BLOCK", 3)
        got = pruned_cosine_knn(Z, k)
    _assert_same_as_blas(Z, k, got)
    assert_exact_knn(*got, *brute_cosine(X, k))
