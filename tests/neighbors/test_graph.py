import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from pdclean.errors import InputError
from pdclean.neighbors import blas, graph
from pdclean.neighbors.blas import blas_cosine_knn
from pdclean.neighbors.duplicates import duplicate_group_ids
from pdclean.neighbors.graph import build_knn_graph
from tests.checks._helpers import DIMS, datalab, planted_table, ref_graph, tutorial


def test_tutorial_nearest_neighbour_matches_reference():
    t = tutorial()
    g = build_knn_graph(t["X"])
    assert g.metric == "euclidean"
    assert g.indices.shape == (250, 10)
    assert g.indices.dtype == np.int64
    np.testing.assert_array_equal(g.indices[:, 0], t["w"]["knn_nearest_neighbor"])
    np.testing.assert_allclose(
        g.distances[:, 0], t["w"]["knn_distance_to_nearest_neighbor"], rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("d", DIMS)
def test_graph_equals_datalab_graph(d):
    X = planted_table(d)[0]
    _, _, lab, _ = datalab("full", d)
    idx, dist = ref_graph(lab, X.shape[0])
    g = build_knn_graph(X)
    assert g.metric == ("cosine" if d > 3 else "euclidean")
    np.testing.assert_array_equal(g.indices, idx)
    np.testing.assert_allclose(g.distances, dist, rtol=0, atol=1e-12)


@pytest.mark.parametrize("d", [5, 20])
def test_fast_cosine_search_same_distances_ties_aside(d):
    X = planted_table(d)[0]
    _, _, lab, _ = datalab("full", d)
    idx, dist = ref_graph(lab, X.shape[0])
    g = build_knn_graph(X, tie_order="fast")
    np.testing.assert_allclose(g.distances, dist, rtol=0, atol=1e-12)
    differ = np.flatnonzero([set(a) != set(b) for a, b in zip(g.indices, idx)])
    # every row whose neighbour set differs has a tie at the k-th distance: the swapped-in
    # neighbours are exactly as far as the last one the reference kept
    for i in differ:
        ours_only = np.setdiff1d(g.indices[i], idx[i])
        x = X / np.linalg.norm(X, axis=1, keepdims=True)
        d_ours = 1 - x[ours_only] @ x[i]
        np.testing.assert_allclose(d_ours, dist[i, -1], rtol=0, atol=1e-12)
    assert differ.size < 0.1 * X.shape[0]


def test_duplicate_correction_small_and_large_groups():
    # group {0, 3} (size 2) and group of 13 identical rows (size >= k + 1 = 11)
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2)) * 10
    X[3] = X[0]
    big = np.arange(20, 33)
    X[big] = X[20]
    g = build_knn_graph(X)
    assert g.indices[0, 0] == 3
    assert g.indices[3, 0] == 0
    assert g.distances[0, 0] == 0.0
    assert g.distances[0, 1] > 0
    assert not np.isin(g.indices[0, 1:], [0, 3]).any()
    # first k+1 members: the other k of the first k+1, ascending; later members: first k
    np.testing.assert_array_equal(g.indices[20], big[1:11])
    np.testing.assert_array_equal(g.indices[25], np.r_[big[:5], big[6:11]])
    np.testing.assert_array_equal(g.indices[31], big[:10])
    np.testing.assert_array_equal(g.distances[big], 0.0)


def test_duplicate_group_ids_numbering():
    X = np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0], [-0.0, 1.0], [5.0, 5.0]])
    assert duplicate_group_ids(X).tolist() == [0, 1, 0, 1, -1]


def test_too_few_rows():
    with pytest.raises(InputError, match=r"k=10 cannot exceed the number of examples N=10"):
        build_knn_graph(np.arange(20.0).reshape(10, 2))


def test_non_finite_features():
    X = np.arange(40.0).reshape(20, 2)
    X[3, 1] = np.nan
    with pytest.raises(InputError, match=r"NaN or infinite values in 1 rows"):
        build_knn_graph(X)


def test_bad_metric_and_k():
    X = np.arange(40.0).reshape(20, 2)
    with pytest.raises(InputError, match="metric must be one of"):
        build_knn_graph(X, metric="manhattan")
    with pytest.raises(InputError, match="k must be a positive integer, got 0"):
        build_knn_graph(X, k=0)


def test_to_csr_with_self():
    g = build_knn_graph(np.array([[0.0], [1.0], [3.0], [6.0]]), k=2)
    m = g.to_csr(include_self=True).toarray()
    np.testing.assert_array_equal(np.diag(m), 0.0)
    assert m[0, 1] == 1.0
    assert m[0, 2] == 3.0
    assert m[0, 3] == 0.0


def test_forced_euclidean_in_high_dimension_has_exact_distances():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(300, 20))
    g = build_knn_graph(X, metric="euclidean")
    full = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    np.fill_diagonal(full, np.inf)
    expected = np.sort(full, axis=1)[:, :10]
    np.testing.assert_allclose(g.distances, expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(g.indices, np.argsort(full, axis=1, kind="stable")[:, :10])


# --- the blocked float32 BLAS search (pdclean.neighbors.blas) ------------------------------


def brute_cosine(X, k):
    """Float64 brute force without BLAS (einsum loops): all n x n distances, ties by index."""
    Z = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)
    D = np.clip(1.0 - np.einsum("id,jd->ij", Z, Z), 0.0, 2.0)
    np.fill_diagonal(D, np.inf)
    n = X.shape[0]
    order = np.lexsort((np.broadcast_to(np.arange(n), (n, n)), D), axis=1)[:, :k]
    return D, np.take_along_axis(D, order, 1), order


def assert_exact_knn(dist, idx, D, exp_dist, exp_idx, atol=1e-12):
    """Same distances; same neighbours except near-ties (within atol of the k-th distance)."""
    np.testing.assert_allclose(dist, exp_dist, rtol=0, atol=atol)
    np.testing.assert_allclose(np.take_along_axis(D, idx, 1), dist, rtol=0, atol=atol)
    assert (np.diff(dist, axis=1) >= 0).all()
    assert not (idx == np.arange(idx.shape[0])[:, None]).any()
    for i in np.flatnonzero((np.sort(idx, 1) != np.sort(exp_idx, 1)).any(axis=1)):
        swapped = np.setdiff1d(idx[i], exp_idx[i])
        np.testing.assert_allclose(D[i, swapped], exp_dist[i, -1], rtol=0, atol=atol)


def hard_table(n, d, seed):
    """Blobs with exact duplicates, scalar multiples (cosine ties), near ties and a zero row."""
    rng = np.random.RandomState(seed)
    X = rng.normal(scale=3.0, size=(8, d))[rng.randint(0, 8, n)] + rng.normal(size=(n, d))
    X[5] = X[17]
    X[40] = X[41] = X[99]
    X[200:215] = X[350]
    X[300:306] = X[301] * np.arange(1, 7)[:, None]  # identical direction, different lengths
    X[400:430] = X[401] + 1e-6 * rng.normal(size=(30, d))  # ties at float32 resolution
    X[7] = 0.0
    return X


@pytest.mark.parametrize(("n", "d"), [(2500, 4), (2000, 16), (1500, 64), (60, 5), (12, 4)])
def test_blas_search_equals_float64_brute_force(n, d):
    X = hard_table(n, d, seed=d) if n >= 500 else np.random.RandomState(d).normal(size=(n, d))
    D, exp_dist, exp_idx = brute_cosine(X, 10)
    Z = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)
    dist, idx = blas_cosine_knn(Z, 10)
    assert idx.dtype == np.int64
    assert_exact_knn(dist, idx, D, exp_dist, exp_idx)
    # exact ties (identical rows are equidistant) are taken by lowest index
    if n >= 500:
        np.testing.assert_array_equal(idx[7], np.r_[0:7, 8:11])  # zero row: distance 1 to all
        np.testing.assert_allclose(dist[7], 1.0, rtol=0, atol=0)
        np.testing.assert_array_equal(idx[350], np.r_[200:210])


def test_blas_search_resolves_differences_below_float32_precision():
    rng = np.random.RandomState(3)
    X = rng.normal(size=(3000, 16))
    w = rng.normal(size=16)
    X[:40] = X[0] + 1e-6 * np.arange(40)[:, None] * w  # float32 sees 40 equal rows
    Z = normalize(X)
    dist, idx = blas_cosine_knn(Z, 10)
    np.testing.assert_array_equal(idx[0], np.arange(1, 11))
    assert (np.diff(dist[0]) > 0).all()
    np.testing.assert_array_equal(idx[39], np.arange(38, 28, -1))


def test_blas_search_chunking_and_threads_do_not_change_the_result(monkeypatch):
    X = hard_table(700, 6, seed=1)
    Z = normalize(X)
    monkeypatch.setattr(blas, "n_threads", lambda: 1)
    expected = blas_cosine_knn(Z, 7)
    monkeypatch.setattr(blas, "_TILE", 40)
    monkeypatch.setattr(blas, "_BLOCK", 33)
    monkeypatch.setattr(blas, "_MAX_ELEMS", 500)
    monkeypatch.setattr(blas, "n_threads", lambda: 2)
    got = blas_cosine_knn(Z, 7)
    np.testing.assert_array_equal(got[1], expected[1])
    np.testing.assert_array_equal(got[0], expected[0])


def test_blas_search_all_rows_tied():
    Z = normalize(np.tile([[1.0, 2.0, 3.0, 4.0]], (300, 1)))
    dist, idx = blas_cosine_knn(Z, 10)
    np.testing.assert_allclose(dist, 0.0, rtol=0, atol=1e-15)
    np.testing.assert_array_equal(idx[0], np.arange(1, 11))
    np.testing.assert_array_equal(idx[5], np.r_[0:5, 6:11])
    np.testing.assert_array_equal(idx[299], np.arange(10))


@pytest.mark.parametrize("d", [5, 20])
def test_blas_graph_equals_tree_graph(d):
    X = hard_table(5000, d, seed=7)
    blas = build_knn_graph(X, tie_order="fast", search="blas")
    tree = build_knn_graph(X, tie_order="fast", search="tree")
    D = np.clip(1.0 - normalize(X) @ normalize(X).T, 0.0, 2.0)
    np.fill_diagonal(D, np.inf)
    assert_exact_knn(blas.distances, blas.indices, D, tree.distances, tree.indices)
    # the duplicate correction still applies on top of the new search
    np.testing.assert_array_equal(blas.indices[350], np.r_[200:210])
    np.testing.assert_array_equal(blas.distances[200:215], 0.0)


def test_bad_search():
    message = (
        r"search must be one of \['auto', 'blas', 'pruned', 'tree', 'approximate'\], "
        r"got 'ball'"
    )
    with pytest.raises(InputError, match=message):
        build_knn_graph(np.arange(80.0).reshape(20, 4), search="ball")


@given(
    X=st.integers(11, 60).flatmap(
        lambda n: arrays(np.float64, (n, 5), elements=st.integers(-1, 2).map(float))
    ),
    k=st.integers(1, 10),
)
def test_blas_search_equals_brute_force_on_tied_integer_rows(X, k):
    D, exp_dist, exp_idx = brute_cosine(X, k)
    Z = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-300)
    dist, idx = blas_cosine_knn(Z, k)
    assert_exact_knn(dist, idx, D, exp_dist, exp_idx)


@pytest.mark.parametrize("algorithm", ["kd_tree", "ball_tree", "brute"])
@pytest.mark.parametrize("d", [2, 5])
def test_tree_order_queries_equal_scikit_learn_kneighbors(algorithm, d):
    rng = np.random.RandomState(d)
    X = np.round(rng.normal(size=(3000, d)), 1)  # many exact ties in distance
    X[100:130] = X[5]  # a duplicate group larger than k + 1
    X[200:203] = X[7]
    nn = NearestNeighbors(n_neighbors=10, algorithm=algorithm).fit(X)
    exp_dist, exp_idx = nn.kneighbors()
    dist, idx = graph.self_excluded_kneighbors(X, 10, algorithm=algorithm)
    assert idx.dtype == np.int64
    np.testing.assert_array_equal(idx, exp_idx)
    np.testing.assert_array_equal(dist, exp_dist)
    assert (idx[100:130] != np.arange(100, 130)[:, None]).all()  # never itself
