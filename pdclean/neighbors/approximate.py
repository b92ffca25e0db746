"""Approximate k-nearest neighbours for large, high-dimensional tables (issue 16).

Same contract as the exact graph: ``k`` neighbours per row, the row itself excluded (also when
it has exact duplicates), nearest first, distances in float64 recomputed exactly for the
returned pairs (cosine ``1 - <u_i, u_j>`` on unit rows, Euclidean from differences), equal
distances ordered by row index. Only *which* rows are returned is approximate.

1. Candidates come from an HNSW graph index (Malkov & Yashunin 2018) built by ``faiss``
   (``IndexHNSWFlat``, 16 links per node, search depth 100 when inserting and ``ef`` when
   querying; the optional extra ``pdclean[approximate]`` = ``faiss-cpu``, imported on first
   use), on float32 unit rows for cosine (inner product) or raw rows for Euclidean, added and
   queried in row blocks: each row asks for its ``k + 1`` nearest.
2. Exact duplicates: an HNSW graph may miss some of a large group of identical rows, so every
   row in a group also gets the first members of its group as candidates (the members the
   exact graph's duplicate rule of SPEC 9.3 would choose), at distance exactly 0.
3. Candidates are deduplicated, the row itself removed, distances recomputed in float64 and the
   ``k`` smallest kept by (distance, index). A row left with fewer than ``k`` candidates (an
   index that returned too few) is searched exactly.

The library was chosen by measurement (``benchmarks/bench_neighbors.py``, pdclean issue 16):
on clustered embedding-like tables, cosine, k = 10, every candidate (faiss, hnswlib, usearch,
pynndescent) reached recall@10 >= 0.99 at these settings; faiss was the fastest of the
maintained libraries with wheels (hnswlib, 1.1-1.4x faster, has no wheels and no release
since 2023; usearch was 2x slower; pynndescent compiles for ~1 minute at first use and peaks at
5x the memory).
"""

from __future__ import annotations

import importlib
from typing import Literal

import numpy as np
from sklearn.utils import check_random_state

from pdclean.errors import InputError, PdcleanError
from pdclean.neighbors.duplicates import duplicate_group_ids

__all__ = ["MissingDependencyError", "approximate_knn", "duplicate_groups"]

Metric = Literal["cosine", "euclidean"]
METRICS = ("cosine", "euclidean")
BLOCK = 65536  # rows converted to float32 and added / queried at once
CONNECTIVITY = 16  # HNSW links per node ("M")
EF_CONSTRUCTION = 100  # HNSW search depth while inserting
GATHER = 2**22  # float64 values gathered at once when recomputing distances (32 MB)
EXTRA = "approximate"


class MissingDependencyError(PdcleanError, ImportError):
    """An optional dependency of the requested feature is not installed."""


def check_inputs(X: object, k: object, metric: object) -> np.ndarray:
    """X as a finite float64 (n, d) array with n > k; k a positive int; a known metric."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise InputError(f"k must be a positive integer, got {k!r}; pass e.g. k=10.")
    if metric not in METRICS:
        raise InputError(f"metric must be one of {list(METRICS)}, got {metric!r}.")
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] == 0:
        raise InputError(
            f"X must be a 2-D array (n_rows, n_features), got shape {X.shape!r}; pass one row "
            "per example and at least one column."
        )
    if X.shape[0] <= k:
        raise InputError(
            f"k={k} neighbours need at least {k + 1} rows, X has {X.shape[0]}; pass a smaller k."
        )
    if not np.isfinite(X).all():
        bad = int((~np.isfinite(X)).any(axis=1).sum())
        raise InputError(
            f"X contains NaN or infinite values in {bad} rows; impute or drop those rows first."
        )
    return X


def row_scale(X: np.ndarray, metric: str) -> np.ndarray:
    """1 / norm of each row for cosine (zero rows keep norm 1), ones for Euclidean."""
    if metric == "euclidean":
        return np.ones(X.shape[0])
    norms = np.sqrt(np.einsum("ij,ij->i", X, X))
    norms[norms == 0] = 1.0
    return 1.0 / norms


def insertion_order(n: int, random_state: object) -> np.ndarray:
    """Rows in the order they enter the index: as given, or a seeded permutation."""
    if random_state is None:
        return np.arange(n)
    return check_random_state(random_state).permutation(n)


def import_backend():
    """The faiss module, or a MissingDependencyError naming the pip extra."""
    try:
        return importlib.import_module("faiss")
    except ImportError as exc:
        raise MissingDependencyError(
            "approximate neighbours need the faiss library, which is not installed; install "
            f'it with: pip install "pdclean[{EXTRA}]" (or pip install faiss-cpu).'
        ) from exc


def unit_block(X: np.ndarray, scale: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Rows ``rows`` of X scaled (unit rows for cosine) as C-contiguous float32."""
    return np.ascontiguousarray(X[rows] * scale[rows, None], dtype=np.float32)


def hnsw_candidates(
    X: np.ndarray,
    scale: np.ndarray,
    k: int,
    metric: str,
    *,
    order: np.ndarray,
    ef: int,
    n_jobs: int,
) -> np.ndarray:
    """(n, k + 1) candidate rows from an HNSW index (-1 where the index found fewer).

    faiss numbers the rows in the order they were added (``order``); its OpenMP thread count
    is a process-wide setting, set to ``n_jobs`` for the call and restored afterwards.
    """
    faiss = import_backend()
    n, d = X.shape
    kind = faiss.METRIC_INNER_PRODUCT if metric == "cosine" else faiss.METRIC_L2
    index = faiss.IndexHNSWFlat(d, CONNECTIVITY, kind)
    index.hnsw.efConstruction = max(EF_CONSTRUCTION, ef)
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n_jobs)
    try:
        for start in range(0, n, BLOCK):
            index.add(unit_block(X, scale, order[start : start + BLOCK]))
        index.hnsw.efSearch = ef
        found = np.empty((n, k + 1), dtype=np.int64)
        for start in range(0, n, BLOCK):
            rows = np.arange(start, min(start + BLOCK, n))
            labels = index.search(unit_block(X, scale, rows), k + 1)[1]
            found[rows] = np.where(labels >= 0, order[np.maximum(labels, 0)], -1)
    finally:
        faiss.omp_set_num_threads(threads)
    return found


def duplicate_groups(X: np.ndarray) -> np.ndarray:
    """Group id of each row among exactly equal rows (``-0.0 == 0.0``); -1 for unique rows.

    A 64-bit hash of each row (its float64 words times fixed odd multipliers, summed modulo
    2**64, in row blocks) finds the candidates in O(n d) time and O(n) extra memory; only rows
    sharing a hash are then compared exactly, so a hash collision never merges two rows.

    Examples
    --------
    >>> duplicate_groups(np.array([[0.0, -0.0], [1.0, 2.0], [-0.0, 0.0], [3.0, 3.0]])).tolist()
    [0, -1, 0, -1]
    """
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    mult = np.random.RandomState(0).randint(1, 2**62, size=d, dtype=np.uint64) | np.uint64(1)
    hashes = np.empty(n, dtype=np.uint64)
    for start in range(0, n, BLOCK):
        words = np.ascontiguousarray(X[start : start + BLOCK] + 0.0).view(np.uint64)
        hashes[start : start + BLOCK] = (words * mult).sum(axis=1, dtype=np.uint64)
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    candidates = np.flatnonzero(counts[inverse.ravel()] >= 2)
    gid = np.full(n, -1, dtype=np.int64)
    if candidates.size:
        gid[candidates] = duplicate_group_ids(X[candidates])
    return gid


def group_mates(gid: np.ndarray, k: int) -> np.ndarray:
    """(n, k): for a duplicate row, the first members of its group other than itself (SPEC 9.3:
    the first min(g, k + 1) members, or the first k for later members); -1 elsewhere."""
    mates = np.full((gid.shape[0], k), -1, dtype=np.int64)
    rows = np.flatnonzero(gid >= 0)
    if rows.size == 0:
        return mates
    order = rows[np.argsort(gid[rows], kind="stable")]  # members by (group, index)
    sizes = np.bincount(gid[rows])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    where = np.empty(gid.shape[0], dtype=np.int64)
    where[order] = np.arange(order.size)
    g, start = sizes[gid[rows]][:, None], starts[gid[rows]][:, None]
    rank = where[rows][:, None] - start
    cols = np.arange(k)[None, :]
    member = np.where(rank <= k, cols + (cols >= rank), cols)
    mates[rows] = np.where(member < g, order[start + np.minimum(member, g - 1)], -1)
    return mates


def nearest_k(idx: np.ndarray, dist: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k smallest distinct candidates of each row, by (distance, index)."""
    by_index = np.argsort(idx, axis=1, kind="stable")
    idx, dist = np.take_along_axis(idx, by_index, 1), np.take_along_axis(dist, by_index, 1)
    repeat = np.zeros(idx.shape, dtype=bool)
    repeat[:, 1:] = idx[:, 1:] == idx[:, :-1]
    dist[repeat] = np.inf
    order = np.argsort(dist, axis=1, kind="stable")[:, :k]  # ties stay by index
    return np.take_along_axis(idx, order, 1), np.take_along_axis(dist, order, 1)


def pair_distances(
    X: np.ndarray,
    scale: np.ndarray,
    rows: np.ndarray,
    idx: np.ndarray,
    metric: str,
    gid: np.ndarray,
) -> np.ndarray:
    """Exact float64 distance of row rows[i] to each idx[i, j] (inf where -1 or itself)."""
    width = idx.shape[1]
    out = np.empty(idx.shape)
    step = max(1, GATHER // (width * X.shape[1]))
    for start in range(0, rows.size, step):
        stop = min(start + step, rows.size)
        i, j = rows[start:stop], np.maximum(idx[start:stop], 0)
        xi = (X[i] * scale[i, None])[:, None, :]
        xj = X[j] * scale[j][:, :, None]
        if metric == "cosine":
            out[start:stop] = np.clip(1.0 - np.einsum("ikd,ikd->ik", xi, xj), 0.0, 2.0)
        else:
            delta = xi - xj
            out[start:stop] = np.sqrt(np.einsum("ikd,ikd->ik", delta, delta))
    same = (gid[rows][:, None] >= 0) & (gid[np.maximum(idx, 0)] == gid[rows][:, None])
    out[same] = 0.0  # exact duplicates: exactly 0 (1 - <u, u> can round to 1e-16)
    out[(idx < 0) | (idx == rows[:, None])] = np.inf
    return out


def exact_rows(
    X: np.ndarray, scale: np.ndarray, rows: np.ndarray, k: int, metric: str, gid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest of a few rows: brute force over every row, in column blocks."""
    n = X.shape[0]
    best_i = np.full((rows.size, k), -1, dtype=np.int64)
    best_d = np.full((rows.size, k), np.inf)
    step = max(k, GATHER // max(rows.size * X.shape[1], 1))
    for start in range(0, n, step):
        block = np.arange(start, min(start + step, n))
        cand = np.hstack([best_i, np.broadcast_to(block, (rows.size, block.size))])
        best_i, best_d = nearest_k(cand, pair_distances(X, scale, rows, cand, metric, gid), k)
    return best_i, best_d


def approximate_knn(
    X: np.ndarray,
    k: int = 10,
    *,
    metric: Metric = "cosine",
    random_state: int | np.random.RandomState | None = None,
    ef: int = 64,
    n_jobs: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Approximate k nearest neighbours of every row (itself excluded), nearest first.

    Parameters
    ----------
    X : array-like of shape (n, d)
        Numeric features, finite, n > k.
    k : int, default 10
        Neighbours per row.
    metric : {"cosine", "euclidean"}, default "cosine"
        Cosine distance ``1 - <u_i, u_j>`` of unit rows (a zero row is at distance 1 from
        every row), or Euclidean distance.
    random_state : int, RandomState or None
        Seeds the order in which rows enter the index (None: row order). The index is then
        deterministic with ``n_jobs=1``.
    ef : int, default 64
        Search depth of the HNSW graph (higher: better recall, slower).
    n_jobs : int, default 1
        Threads used to build and query the index.

    Returns
    -------
    indices : ndarray of int64, shape (n, k)
    distances : ndarray of float64, shape (n, k), ascending along each row, exact for each pair

    Raises
    ------
    MissingDependencyError
        When faiss is not installed (``pip install "pdclean[approximate]"``).

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9], [1.0, 0.0], [1.0, 1.0]])
    >>> idx, dist = approximate_knn(X, 2)
    >>> idx.tolist()
    [[4, 1], [0, 4], [3, 5], [2, 5], [0, 1], [1, 3]]
    >>> dist[:2].round(4).tolist()
    [[0.0, 0.0061], [0.0061, 0.0061]]
    """
    X = check_inputs(X, k, metric)
    for name, value in (("ef", ef), ("n_jobs", n_jobs)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be a positive integer, got {value!r}.")
    k = int(k)
    scale = row_scale(X, metric)
    gid = duplicate_groups(X)
    cand = hnsw_candidates(
        X, scale, k, metric, order=insertion_order(X.shape[0], random_state), ef=ef, n_jobs=n_jobs
    )
    cand = np.hstack([cand, group_mates(gid, k)])
    rows = np.arange(X.shape[0])
    idx, dist = nearest_k(cand, pair_distances(X, scale, rows, cand, metric, gid), k)
    short = np.flatnonzero(~np.isfinite(dist[:, -1]))
    if short.size:
        idx[short], dist[short] = exact_rows(X, scale, short, k, metric, gid)
    return idx, dist
