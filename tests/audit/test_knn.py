import numpy as np
import pytest
from _helpers import DIMS, datalab, planted_table, ref_graph, tutorial

from pdclean._audit._groups import duplicate_group_ids
from pdclean._audit.knn import build_knn_graph
from pdclean._exceptions import InputError


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
