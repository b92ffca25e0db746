"""The shared k-nearest-neighbour graph of an audit (SPEC 9.3).

One graph per audit, ``k`` neighbours per row excluding the row itself, never an N x N matrix.
Cosine neighbours of many rows with more than 6 columns come from
:func:`~pdclean.neighbors.pruned.pruned_cosine_knn`: the rows are clustered, and whole
clusters that a bound ``<q, c> + ||q|| r`` proves too far are skipped; on the rest, blocked
float32 products of unit-normalised rows screen candidates with a proven error bound, and the
candidates' distances are recomputed exactly as ``1 - <u_i, u_j>`` in float64 like the
reference, so values agree to ~1e-16 and the neighbour lists are exact.
:func:`~pdclean.neighbors.blas.blas_cosine_knn` (``search="blas"``) is the same search
without the clusters and gives the same result bit for bit. Up to 6 columns (and with
``search="tree"``) the earlier search runs: Euclidean neighbours of the unit rows,
``d_cos = d_euc**2 / 2``, by a KD-tree or scikit-learn's chunked search.

Residual difference from the reference: neighbours at exactly equal distance (ties at the k-th
position, e.g. a point next to a group of identical rows) are taken by lowest index (by tree
search order on the tree path), which may differ from the reference's selection on cosine
graphs; the distances of the k neighbours are the same, the identity of tied neighbours may
differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
from scipy import sparse
from sklearn.neighbors import BallTree, KDTree, NearestNeighbors
from sklearn.preprocessing import normalize

from pdclean.errors import InputError
from pdclean.neighbors.approximate import approximate_knn
from pdclean.neighbors.blas import blas_cosine_knn
from pdclean.neighbors.duplicates import duplicate_group_ids
from pdclean.neighbors.pruned import pruned_cosine_knn

__all__ = ["KnnGraph", "build_knn_graph"]

Metric = Literal["euclidean", "cosine"]
TieOrder = Literal["auto", "reference", "fast"]
Search = Literal["auto", "blas", "pruned", "tree", "approximate"]
SEARCHES = get_args(Search)
_KD_TREE_MAX_DIM = 15  # scikit-learn's own "auto" rule: trees pay off up to ~15 dimensions
_TREE_BEATS_BLAS_MAX_DIM = 6  # 100,000 x 5: KD-tree 1.6 s, pruned 3.0-3.9 s, BLAS 4.4-5.1 s
_BLOCK = 8192
_REFERENCE_TIES_MAX_N = 4096  # below this, scikit-learn's chunked cosine search is cheap


@dataclass(frozen=True)
class KnnGraph:
    """k nearest neighbours of every row (self excluded), nearest first.

    Attributes
    ----------
    indices : ndarray of int64, shape (n, k)
    distances : ndarray of float64, shape (n, k), ascending along each row
    metric : {"euclidean", "cosine"}
    """

    indices: np.ndarray
    distances: np.ndarray
    metric: str

    @property
    def n(self) -> int:
        """Number of rows."""
        return self.indices.shape[0]

    @property
    def k(self) -> int:
        """Number of neighbours per row."""
        return self.indices.shape[1]

    def to_csr(self, *, include_self: bool = False) -> sparse.csr_matrix:
        """The graph as an (n, n) CSR distance matrix (explicit zeros kept).

        With ``include_self`` each row also stores itself at distance 0 (first), so that
        DBSCAN on a precomputed graph counts each point as its own neighbour.
        """
        n = self.indices.shape[0]
        idx, dist = self.indices, self.distances
        if include_self:
            idx = np.hstack([np.arange(n, dtype=np.int64)[:, None], idx])
            dist = np.hstack([np.zeros((n, 1)), dist])
        width = idx.shape[1]
        indptr = np.arange(0, n * width + 1, width, dtype=np.int64)
        return sparse.csr_matrix((dist.ravel(), idx.ravel(), indptr), shape=(n, n))


def _check_features(X: object, k: int) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] == 0:
        raise InputError(
            f"features must be a 2-D array (n_rows, n_features), got shape {X.shape!r}; "
            "pass one row per example and at least one column."
        )
    if not np.isfinite(X).all():
        bad = int((~np.isfinite(X)).any(axis=1).sum())
        raise InputError(
            f"features contain NaN or infinite values in {bad} rows; impute or drop those "
            "rows before building the nearest-neighbour graph."
        )
    n = X.shape[0]
    if n <= k:
        raise InputError(
            f"Number of nearest neighbors k={k} cannot exceed the number of examples N={n} "
            f"passed into the estimator (knn); features needs at least {k + 1} rows."
        )
    return X


def _rowwise_dot(Z: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """dot(Z[i], Z[idx[i, j]]) for every (i, j), in row blocks (no (n, k, d) temporary)."""
    out = np.empty(idx.shape, dtype=np.float64)
    for start in range(0, Z.shape[0], _BLOCK):
        stop = start + _BLOCK
        zi = Z[start:stop]
        for j in range(idx.shape[1]):
            out[start:stop, j] = np.einsum("ij,ij->i", zi, Z[idx[start:stop, j]])
    return out


#: The trees scikit-learn's NearestNeighbors builds, with its leaf size.
_TREES = {"kd_tree": KDTree, "ball_tree": BallTree}
_LEAF_SIZE = 30


def tree_algorithm(n: int, d: int, k: int) -> str:
    """scikit-learn's ``algorithm="auto"`` choice for euclidean neighbours of (n, d) rows."""
    return "kd_tree" if d <= _KD_TREE_MAX_DIM and k < n // 2 else "brute"


def self_excluded_kneighbors(
    X: np.ndarray, k: int, *, algorithm: str
) -> tuple[np.ndarray, np.ndarray]:
    """``NearestNeighbors(algorithm=...).fit(X).kneighbors()`` (self excluded), the same output.

    With a tree, the rows are queried in the tree's own order (neighbouring queries walk the
    same nodes: the time grows as n log n instead of degrading with cache misses) and put
    back; each query's answer does not depend on the order. The row itself is then removed
    by scikit-learn's rule: the entry equal to the row, else (more duplicates than
    neighbours) the first entry. Only public scikit-learn API is used (the tree classes).
    """
    if algorithm not in _TREES:
        dist, idx = NearestNeighbors(n_neighbors=k, algorithm="brute").fit(X).kneighbors()
        return dist, idx.astype(np.int64, copy=False)
    tree = _TREES[algorithm](X, leaf_size=_LEAF_SIZE)
    perm = np.asarray(tree.get_arrays()[1], dtype=np.int64)
    found_dist, found_idx = tree.query(X[perm], k + 1)
    dist, idx = np.empty_like(found_dist), np.empty_like(found_idx)
    dist[perm], idx[perm] = found_dist, found_idx
    keep = idx != np.arange(X.shape[0])[:, None]
    keep[keep.all(axis=1), 0] = False
    shape = (X.shape[0], k)
    return dist[keep].reshape(shape), idx[keep].reshape(shape).astype(np.int64, copy=False)


def _euclidean(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    algorithm = tree_algorithm(*X.shape, k)
    dist, idx = self_excluded_kneighbors(X, k, algorithm=algorithm)
    if algorithm == "brute":  # BLAS distances are approximate: recompute the k exactly
        dist = np.empty(idx.shape)
        for start in range(0, X.shape[0], _BLOCK):
            stop = start + _BLOCK
            for j in range(k):
                delta = X[start:stop] - X[idx[start:stop, j]]
                dist[start:stop, j] = np.sqrt(np.einsum("ij,ij->i", delta, delta))
        order = np.argsort(dist, axis=1, kind="stable")
        dist, idx = np.take_along_axis(dist, order, 1), np.take_along_axis(idx, order, 1)
    return dist, idx


def _cosine_reference(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's chunked brute cosine search: the reference's choice among tied rows."""
    dist, idx = NearestNeighbors(n_neighbors=k, metric="cosine").fit(X).kneighbors()
    return dist, idx.astype(np.int64, copy=False)


def _cosine_blas(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    return blas_cosine_knn(normalize(X), k)


def _cosine_pruned(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    return pruned_cosine_knn(normalize(X), k)


def _cosine_tree(X: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    Z = normalize(X)
    algorithm = "kd_tree" if X.shape[1] <= _KD_TREE_MAX_DIM else "brute"
    idx = self_excluded_kneighbors(Z, k, algorithm=algorithm)[1]
    dist = np.clip(1.0 - _rowwise_dot(Z, idx), 0.0, 2.0)
    order = np.argsort(dist, axis=1, kind="stable")
    return np.take_along_axis(dist, order, 1), np.take_along_axis(idx, order, 1)


_SEARCH = {
    "reference": {"euclidean": _euclidean, "cosine": _cosine_reference},
    "blas": {"euclidean": _euclidean, "cosine": _cosine_blas},
    "pruned": {"euclidean": _euclidean, "cosine": _cosine_pruned},
    "tree": {"euclidean": _euclidean, "cosine": _cosine_tree},
}


def _correct_duplicates(
    idx: np.ndarray, dist: np.ndarray, gid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Apply the exact-duplicate correction of SPEC 9.3 (vectorised over all duplicate rows)."""
    rows = np.flatnonzero(gid >= 0)  # ascending
    if rows.size == 0:
        return idx, dist
    k = idx.shape[1]
    order = rows[np.argsort(gid[rows], kind="stable")]  # members by (group, index)
    sizes = np.bincount(gid[rows])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    where = np.empty(idx.shape[0], dtype=np.int64)
    where[order] = np.arange(order.size)
    g, start = sizes[gid[rows]][:, None], starts[gid[rows]][:, None]
    rank = where[rows][:, None] - start  # position of the row inside its group
    cols = np.arange(k)[None, :]
    # members of the first min(g, k+1) skip themselves; later members take the first k
    member = np.where(rank <= k, cols + (cols >= rank), cols)
    dup_nbr = order[start + np.minimum(member, g - 1)]
    # the original non-duplicate neighbours, in their order, fill the slots after h
    h = np.minimum(g - 1, k)
    outside = np.argsort(gid[idx[rows]] == gid[rows][:, None], axis=1, kind="stable")
    src = np.clip(cols - h, 0, k - 1)
    take = np.take_along_axis(outside, src, 1)
    use_dup = cols < h
    idx, dist = idx.copy(), dist.copy()
    idx[rows] = np.where(use_dup, dup_nbr, np.take_along_axis(idx[rows], take, 1))
    dist[rows] = np.where(use_dup, 0.0, np.take_along_axis(dist[rows], take, 1))
    return idx, dist


def build_knn_graph(
    X: np.ndarray,
    k: int = 10,
    metric: Metric | None = None,
    *,
    group_ids: np.ndarray | None = None,
    tie_order: TieOrder = "auto",
    search: Search = "auto",
) -> KnnGraph:
    """Build the k-nearest-neighbour graph the kNN-based checks share.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Numeric features, finite.
    k : int, default 10
        Neighbours per row (self excluded); needs n > k.
    metric : {"euclidean", "cosine"} or None
        None chooses cosine when X has more than 3 columns, else Euclidean (as the reference).
    group_ids : ndarray of int64, optional
        Precomputed :func:`~pdclean.neighbors.duplicates.duplicate_group_ids` of X.
    tie_order : {"auto", "reference", "fast"}, default "auto"
        "reference" searches cosine neighbours like the reference (chunked brute force over all
        pairs, O(n²) time, O(n) memory per chunk), so that equidistant neighbours are chosen
        identically; "fast" uses the exact fast cosine search (same distances, equidistant
        neighbours taken by lowest index); "auto" is "reference" up to 4096 rows, else "fast".
    search : {"auto", "blas", "pruned", "tree", "approximate"}, default "auto"
        The fast cosine search: "blas" = blocked float32 screening with an error bound and
        exact float64 re-ranking (:mod:`pdclean.neighbors.blas`); "pruned" = the same on
        clustered rows, skipping the clusters a bound proves too far (same result bit for bit,
        :mod:`pdclean.neighbors.pruned`); "tree" = the earlier Euclidean search on unit rows
        (KD-tree up to 15 columns, ties by tree order); "auto" = "tree" up to 6 columns (a
        KD-tree is faster there), else "pruned". "approximate" = an HNSW index
        (:mod:`pdclean.neighbors.approximate`, the ``approximate`` extra): the same contract,
        exact distances of the pairs it returns, but a small share of true neighbours may be
        missed; for embeddings at millions of rows.

    Returns
    -------
    KnnGraph

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [3.0], [3.0], [7.0]])
    >>> g = build_knn_graph(X, k=2)
    >>> g.indices[:4].tolist()
    [[1, 2], [0, 2], [3, 1], [2, 1]]
    >>> g.distances.tolist()
    [[1.0, 3.0], [1.0, 2.0], [0.0, 2.0], [0.0, 2.0], [4.0, 4.0]]
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}; pass e.g. k=10.")
    X = _check_features(X, int(k))
    if metric is None:
        metric = "cosine" if X.shape[1] > 3 else "euclidean"
    if metric not in ("euclidean", "cosine"):
        raise InputError(f"metric must be one of ['cosine', 'euclidean'] or None, got {metric!r}.")
    if tie_order not in ("auto", "reference", "fast"):
        raise InputError(f"tie_order must be 'auto', 'reference' or 'fast', got {tie_order!r}.")
    if search not in SEARCHES:
        raise InputError(f"search must be one of {list(SEARCHES)}, got {search!r}.")
    if search == "auto":
        search = "tree" if X.shape[1] <= _TREE_BEATS_BLAS_MAX_DIM else "pruned"
    if search == "approximate":
        idx, dist = approximate_knn(X, int(k), metric=metric, random_state=0)
        return KnnGraph(np.ascontiguousarray(idx), np.ascontiguousarray(dist), metric)
    ref = tie_order == "reference" or (tie_order == "auto" and X.shape[0] <= _REFERENCE_TIES_MAX_N)
    dist, idx = _SEARCH["reference" if ref else search][metric](X, int(k))
    gid = duplicate_group_ids(X) if group_ids is None else group_ids
    idx, dist = _correct_duplicates(idx, dist, gid)
    return KnnGraph(np.ascontiguousarray(idx), np.ascontiguousarray(dist), metric)
