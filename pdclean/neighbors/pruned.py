"""Exact cosine k-nearest neighbours that skip whole clusters of rows (pdclean issue 5).

Same contract and same result, bit for bit, as :func:`~pdclean.neighbors.blas.blas_cosine_knn`
(read its module docstring first); the difference is which rows a query block is screened
against. For a cluster ``C`` of rows with any center ``c`` and radius
``r_C = max_{j in C} ||z_j - c||``, Cauchy-Schwarz gives for every vector ``q``::

    <q, z_j> = <q, c> + <q, z_j - c> <= <q, c> + ||q|| r_C     for every j in C.

1. The rows are partitioned by a few seeded Lloyd (k-means) steps on a sample, zero rows in a
   cluster of their own, then permuted so that every cluster is a contiguous range. The
   partition only decides the speed, never the result.
2. Queries are taken cluster by cluster, in blocks. The float32 similarities of a block to a
   window of its own cluster give ``t``, the (k+1)-th largest of each query: k+1 different rows,
   at most one of them the query itself, reach ``t`` in float32, so the k-th best exact
   similarity is at least ``t - eps`` (``eps`` of :mod:`~pdclean.neighbors.blas`).
3. Only the clusters whose bound reaches ``t - eps - 1e-9`` for some query of the block are
   screened (the margin covers the float64 rounding of the bound itself); every row among the
   k nearest of a query of the block, ties included, lies in one of them. On the groups of rows
   overlapping them the search of :mod:`~pdclean.neighbors.blas` runs: float32 group maxima,
   the groups that can hold a neighbour, their exact float64 similarities (same code, hence
   the same bits) and the k smallest distances, equal distances ordered by the original row
   index.

Cost: the float32 products of each query with the rows of the clusters its block cannot
exclude, plus O(n x n_clusters x d) for the partition and the bounds (at most
``_MAX_CLUSTERS`` clusters). Memory O(n d) plus per-thread buffers as in the BLAS search (the
rows to screen are contiguous runs, read in place). How much is pruned depends on the data:
well separated groups of rows are skipped, while inside a cloud of high intrinsic dimension
every cluster radius is comparable to the neighbour distance and no bound of this kind
excludes anything (e.g. isotropic Gaussian blobs: roughly the query's own blob is screened).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from pdclean.neighbors.blas import (
    error_bound,
    exact_candidates,
    group_max,
    group_size,
    n_threads,
    nearest_k,
    open_groups,
)

__all__ = ["pruned_cosine_knn"]

_BLOCK = 256  # query rows per block (a block never spans two clusters)
_CLUSTER_ROWS = 256  # target rows per cluster
_MAX_CLUSTERS = 1024  # partition and bounds cost O(n x clusters x d)
_SAMPLE = 16  # sampled rows per cluster for the Lloyd steps
_LLOYD_STEPS = 6
_PROBE = 2048  # at most this many rows of its own cluster give a block its first bound
_GAP_FLOATS = 2048  # runs of rows to screen closer than this many floats are merged
_ASSIGN_ELEMS = 2**22  # row-center products at once in the assignment
_MARGIN = 1e-9  # rounding of the float64 bound <q, c> + ||q|| r_C
_ONE_PARTITION = 1024  # up to this many live groups one partition gives t, else super-groups


def _assign(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Nearest center (Euclidean, in float32: it only steers the speed) of every row."""
    c32 = centers.astype(np.float32)
    half = 0.5 * np.einsum("cd,cd->c", c32, c32)
    step = max(1, _ASSIGN_ELEMS // max(1, centers.shape[0]))
    out = np.empty(X.shape[0], dtype=np.int64)
    for start in range(0, X.shape[0], step):
        x32 = X[start : start + step].astype(np.float32)
        out[start : start + step] = np.argmax(x32 @ c32.T - half, axis=1)
    return out


def _means(X: np.ndarray, lab: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """Mean of the rows of each cluster (the old center for an empty cluster)."""
    order = np.argsort(lab, kind="stable")
    sizes = np.bincount(lab, minlength=centers.shape[0])
    full = np.flatnonzero(sizes)
    out = centers.copy()
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])[full]
    out[full] = np.add.reduceat(X[order], starts, axis=0) / sizes[full][:, None]
    return out


def _lloyd(
    X: np.ndarray, rows: np.ndarray, n_clusters: int, rng: np.random.RandomState
) -> np.ndarray:
    """Centers after a few Lloyd steps on a sample of ``X[rows]``, started from sampled rows."""
    sample = X[rng.choice(rows, min(rows.size, _SAMPLE * n_clusters), replace=False)]
    centers = sample[:n_clusters].copy()
    for _ in range(_LLOYD_STEPS):
        centers = _means(sample, _assign(sample, centers), centers)
    return centers


def _radii(Zp: np.ndarray, starts: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """max ||z_j - c|| over the rows j of each cluster (contiguous rows of Zp), in row chunks."""
    lab = np.repeat(np.arange(centers.shape[0]), np.diff(starts))
    spread = np.empty(Zp.shape[0])
    step = max(1, _ASSIGN_ELEMS // Zp.shape[1])
    for start in range(0, Zp.shape[0], step):
        stop = start + step
        spread[start:stop] = np.linalg.norm(Zp[start:stop] - centers[lab[start:stop]], axis=1)
    return np.maximum.reduceat(spread, starts[:-1])


def _partition(
    Z: np.ndarray, norms: np.ndarray, rng: np.random.RandomState
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Permutation, permuted rows, cluster starts (C + 1), centers (C, d) and radii (C).

    Clusters are contiguous in the permuted rows and ordered by a coarser clustering of their
    centers, so that the clusters a block cannot exclude tend to be adjacent (fewer, longer
    runs of rows to screen).
    """
    zero = norms == 0  # zero rows: a cluster of their own
    live = np.flatnonzero(~zero)
    n_clusters = int(np.clip(live.size // _CLUSTER_ROWS, 1, _MAX_CLUSTERS))
    lab = np.full(Z.shape[0], n_clusters, dtype=np.int64)
    if live.size:
        centers = _lloyd(Z, live, n_clusters, rng)
        coarse = _lloyd(centers, np.arange(n_clusters), max(1, int(n_clusters**0.5)), rng)
        rank = np.empty(n_clusters, dtype=np.int64)
        rank[np.argsort(_assign(centers, coarse), kind="stable")] = np.arange(n_clusters)
        lab = np.where(zero, n_clusters, rank[_assign(Z, centers)])
    perm = np.argsort(lab, kind="stable")
    sizes = np.bincount(lab, minlength=n_clusters + 1)
    sizes = sizes[sizes > 0]
    starts = np.concatenate([[0], np.cumsum(sizes)])
    Zp = Z[perm]
    centers = np.add.reduceat(Zp, starts[:-1], axis=0) / sizes[:, None]
    return perm, Zp, starts, centers, _radii(Zp, starts, centers)


def _probe_bound(Z32: np.ndarray, q32: np.ndarray, lo: int, hi: int, k: int) -> np.ndarray:
    """(k+1)-th largest float32 similarity of each query to a window of rows [lo, hi)."""
    n = Z32.shape[0]
    m = min(max(min(hi - lo, _PROBE), k + 1), n)
    lo = min(lo, n - m)
    sims = q32 @ Z32[lo : lo + m].T
    return np.partition(sims, m - k - 1, axis=1)[:, m - k - 1]


def _live_runs(
    starts: np.ndarray, alive: np.ndarray, g: int, n_groups: int, k: int, gap: int
) -> tuple[np.ndarray, np.ndarray]:
    """First and end group of the runs of groups (g rows) that overlap a live cluster.

    Runs closer than ``gap`` groups are merged (screening a few more rows is cheaper than
    another call); the runs hold at least k + 1 groups.
    """
    cover = np.zeros(n_groups + 1, dtype=np.int64)
    np.add.at(cover, starts[:-1][alive] // g, 1)
    np.add.at(cover, (starts[1:][alive] - 1) // g + 1, -1)
    live = np.cumsum(cover[:-1]) > 0
    if live.sum() <= k:
        live[: k + 1] = True
    edges = np.flatnonzero(np.diff(np.concatenate([[0], live, [0]]).astype(np.int8)))
    first, end = edges[0::2], edges[1::2]
    keep = np.concatenate([[True], first[1:] - end[:-1] > gap])
    return first[keep], np.concatenate([end[:-1][keep[1:]], end[-1:]])


def _runs_group_max(
    Z32: np.ndarray, q32: np.ndarray, first: np.ndarray, end: np.ndarray, g: int
) -> np.ndarray:
    """Group maxima (as :func:`group_max`) of the runs of groups, padded to a multiple of 8."""
    n = Z32.shape[0]
    parts = [
        group_max(Z32[a * g : min(b * g, n)], q32, g)[: b - a]
        for a, b in zip(first.tolist(), end.tolist())
    ]
    parts.append(np.full((-int((end - first).sum()) % 8, q32.shape[0]), -np.inf, np.float32))
    return np.concatenate(parts)


def _open(gm: np.ndarray, k: int, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As :func:`open_groups`: query, group and threshold of every group to open."""
    if gm.shape[0] > _ONE_PARTITION:
        return open_groups(gm, k, eps)
    top = gm.shape[0] - k - 1  # the runs hold at least k + 1 groups
    t = np.partition(gm, top, axis=0)[top]
    c, r = np.nonzero(gm >= (t - 3 * eps)[None, :])
    return r, c, t - 2 * eps


def _blocks(starts: np.ndarray) -> list[tuple[int, int, int, int]]:
    """(first query, end, cluster start, cluster end) of every block, blocks inside clusters."""
    out = []
    for lo, hi in zip(starts[:-1].tolist(), starts[1:].tolist()):
        out += [(q, min(q + _BLOCK, hi), lo, hi) for q in range(lo, hi, _BLOCK)]
    return out


def pruned_cosine_knn(
    Z: np.ndarray, k: int, *, random_state: int | np.random.RandomState | None = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours (self excluded) of unit rows ``Z`` by cosine distance.

    The result equals :func:`~pdclean.neighbors.blas.blas_cosine_knn` bit for bit; whole
    clusters of rows that cannot hold a neighbour are never screened (module docstring).

    Parameters
    ----------
    Z : ndarray of float64, shape (n, d)
        Unit-normalised rows (zero rows allowed), n > k.
    k : int
        Neighbours per row.
    random_state : int, RandomState or None, default 0
        Seeds the sample of the clustering; it changes the speed, never the result.

    Returns
    -------
    distances, indices : ndarray of shape (n, k)
        Those of :func:`~pdclean.neighbors.blas.blas_cosine_knn`, bit for bit.

    Examples
    --------
    >>> Z = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6], [0.0, 0.0]])
    >>> dist, idx = pruned_cosine_knn(Z, 2)
    >>> idx.tolist()
    [[3, 2], [2, 3], [3, 1], [2, 0], [0, 1]]
    >>> dist[4].tolist()  # a zero row is at distance 1 from every row
    [1.0, 1.0]
    """
    Z = np.ascontiguousarray(Z, dtype=np.float64)
    n, d = Z.shape
    norms = np.sqrt(np.einsum("ij,ij->i", Z, Z))
    perm, Zp, starts, centers, radii = _partition(Z, norms, check_random_state(random_state))
    norms = norms[perm]
    Z32 = Zp.astype(np.float32)
    g, eps = group_size(n, d, k), error_bound(d)
    n_groups, gap = -(-n // g), max(1, _GAP_FLOATS // (d * g))
    dist = np.empty((n, k), dtype=np.float64)
    idx = np.empty((n, k), dtype=np.int64)

    def run(block: tuple[int, int, int, int]) -> None:
        qs, qe, lo, hi = block
        q32 = Z32[qs:qe]
        need = _probe_bound(Z32, q32, lo, hi, k) - eps - _MARGIN
        bound = Zp[qs:qe] @ centers.T + norms[qs:qe, None] * radii[None, :]
        alive = (bound >= need[:, None]).any(axis=0)
        first, end = _live_runs(starts, alive, g, n_groups, k, gap)
        r, c, low = _open(_runs_group_max(Z32, q32, first, end, g), k, eps)
        groups = np.concatenate([np.arange(a, b) for a, b in zip(first.tolist(), end.tolist())])
        r, cols, dots = exact_candidates(Zp, g, np.arange(qs, qe), r, groups[c], low)
        rows = perm[qs:qe]
        dist[rows], idx[rows] = nearest_k(r, perm[cols], dots, qe - qs, k)

    workers = n_threads()
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, _blocks(starts)))
    return dist, idx
