"""Exact cosine k-nearest neighbours by blocked float32 BLAS with a proven error bound.

Rows are unit vectors ``z`` (float64). The float32 dot product of two of them differs from the
float64 one by at most ``eps = (d + 4) * 2**-23`` (input rounding plus accumulation, about
``(d + 2) * 2**-24`` in the worst case, doubled for safety). The rows are cut into ``G``
contiguous groups of ``g`` rows. For a block of query rows:

1. float32 products against one tile of rows at a time (the tile stays in cache, never n x n)
   are reduced at once to each group's maximum similarity ``m_c``;
2. ``t = `` the (k+1)-th largest ``m_c``: k+1 different rows, at most one of them the query
   itself, reach ``t`` in float32, so the k-th best exact similarity is at least ``t - eps``;
3. every row that can be among the k nearest (ties included) has exact similarity at least
   ``t - 2 eps`` and float32 similarity at least ``t - 3 eps``, so its group has
   ``m_c >= t - 3 eps``: only those groups are opened, their similarities recomputed exactly in
   float64 (``1 - <z_i, z_j>``, as the reference), and the k smallest distances kept, ordered
   by (distance, index).

The bound needs rows of norm <= 1 (unit rows, or zero rows). Cost: O(n² d) float32 flops
(compute-bound BLAS), O(n d) memory plus per-thread buffers of a few MB.

The result is the exact float64 neighbour list whatever the float32 rounding; rows at exactly
equal distance are taken by lowest index. Work is split over threads (one BLAS thread each).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["blas_cosine_knn"]

_BLOCK = 256  # query rows per block
_TILE = 2048  # rows per float32 tile: _TILE x _BLOCK x 4 bytes = 2 MB, cache resident
_MAX_ELEMS = 2**22  # float64 values gathered at once in the exact step (32 MB)


def error_bound(d: int) -> float:
    return (d + 4) * 2.0**-23 + 1e-15


def group_size(n: int, d: int, k: int) -> int:
    """Rows per group: ~512 floats per group, and at least 16 (k + 1) groups."""
    return int(max(1, min(512 // d if d < 512 else 1, n // (16 * (k + 1)), _TILE)))


def group_max(Z32: np.ndarray, q: np.ndarray, g: int) -> np.ndarray:
    """(G8, b) maximum float32 similarity of each group of g rows to each query row.

    G8 is the number of groups rounded up to a multiple of 8; the extra rows are -inf.
    """
    n, b = Z32.shape[0], q.shape[0]
    full, n_groups = n // g, -(-n // g)
    out = np.full((-(-n_groups // 8) * 8, b), -np.inf, dtype=np.float32)
    tile = max(g, (_TILE // g) * g)
    buf = np.empty((tile, b), dtype=np.float32)
    qt = np.ascontiguousarray(q.T)
    for start in range(0, full * g, tile):
        stop = min(start + tile, full * g)
        s = buf[: stop - start]
        np.matmul(Z32[start:stop], qt, out=s)
        np.max(s.reshape(-1, g, b), axis=1, out=out[start // g : stop // g])
    if full < n_groups:
        out[full] = (Z32[full * g :] @ qt).max(axis=0)
    return out


def _ragged_kth(rows: np.ndarray, values: np.ndarray, b: int, k: int) -> np.ndarray:
    """k-th largest of ``values`` for each row id 0..b-1 (each id present >= k times)."""
    order = np.lexsort((-values, rows))
    starts = np.searchsorted(rows, np.arange(b), sorter=order)
    return values[order[starts + k - 1]]


def open_groups(gm: np.ndarray, k: int, eps: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Query row, group and threshold ``t - 2 eps`` of every group to open (module docstring).

    Groups are screened 8 at a time through the maxima of super-groups, whose (k+1)-th largest
    is a lower bound of ``t``; only super-groups reaching a bound are expanded.
    """
    n_super, b = gm.shape[0] // 8, gm.shape[1]
    if n_super <= k:
        t = np.partition(gm, gm.shape[0] - k - 1, axis=0)[gm.shape[0] - k - 1]
        c, r = np.nonzero(gm >= (t - 3 * eps)[None, :])
        return r, c, t - 2 * eps
    gm3 = gm.reshape(n_super, 8, b)
    sup = gm3.max(axis=1)
    low = np.partition(sup, n_super - k - 1, axis=0)[n_super - k - 1]
    sc, sr = np.nonzero(sup >= low[None, :])
    t = _ragged_kth(np.repeat(sr, 8), gm3[sc, :, sr].ravel(), b, k + 1)
    thr = t - 3 * eps
    sc, sr = np.nonzero(sup >= thr[None, :])
    pi, gi = np.nonzero(gm3[sc, :, sr] >= thr[sr][:, None])
    return sr[pi], sc[pi] * 8 + gi, t - 2 * eps


def exact_candidates(
    Z: np.ndarray, g: int, qrows: np.ndarray, r: np.ndarray, c: np.ndarray, low: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact float64 dots of the query rows ``qrows[r]`` with every row of group ``c``.

    Returns (r, column, dot) of the rows whose dot reaches ``low[r]`` (self and the columns
    past the last row excluded), in chunks of at most _MAX_ELEMS gathered values.
    """
    n, d = Z.shape
    step = max(1, _MAX_ELEMS // (g * d))
    out_r, out_c, out_s = [], [], []
    for start in range(0, r.size, step):
        rr, cc = r[start : start + step], c[start : start + step]
        cols = cc[:, None] * g + np.arange(g)[None, :]
        dots = np.einsum("pd,pgd->pg", Z[qrows[rr]], Z[np.minimum(cols, n - 1)])
        ok = (dots >= low[rr][:, None]) & (cols < n) & (cols != qrows[rr][:, None])
        pi, gi = np.nonzero(ok)
        out_r.append(rr[pi])
        out_c.append(cols[pi, gi])
        out_s.append(dots[pi, gi])
    return np.concatenate(out_r), np.concatenate(out_c), np.concatenate(out_s)


def _block_knn(
    Z: np.ndarray, Z32: np.ndarray, g: int, qrows: np.ndarray, k: int, eps: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest (distance, index) of the query rows ``qrows``."""
    gm = group_max(Z32, Z32[qrows], g)
    r, c, low = open_groups(gm, k, eps)
    r, cols, dots = exact_candidates(Z, g, qrows, r, c, low)
    return nearest_k(r, cols, dots, qrows.size, k)


def nearest_k(
    r: np.ndarray, cols: np.ndarray, dots: np.ndarray, b: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The k smallest ``clip(1 - dot, 0, 2)`` of each query 0..b-1, ties by lowest ``cols``.

    ``(r, cols, dots)`` are the candidates of :func:`exact_candidates` (at least k per query).
    """
    dist = np.clip(1.0 - dots, 0.0, 2.0)
    order = np.lexsort((cols, dist, r))
    starts = np.searchsorted(r, np.arange(b), sorter=order)
    take = order[starts[:, None] + np.arange(k)[None, :]]
    return dist[take], cols[take].astype(np.int64, copy=False)


def n_threads() -> int:
    blas = [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]
    return max(1, max(blas, default=1))


def blas_cosine_knn(Z: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact k nearest neighbours (self excluded) of unit rows ``Z`` by cosine distance.

    Parameters
    ----------
    Z : ndarray of float64, shape (n, d)
        Unit-normalised rows (zero rows allowed), n > k.
    k : int
        Neighbours per row.

    Returns
    -------
    distances : ndarray of float64, shape (n, k)
        ``clip(1 - <z_i, z_j>, 0, 2)`` in float64, ascending.
    indices : ndarray of int64, shape (n, k)
        Neighbours; equal distances are ordered by index.

    Examples
    --------
    >>> Z = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8], [0.8, 0.6]])
    >>> dist, idx = blas_cosine_knn(Z, 2)
    >>> idx.tolist()
    [[3, 2], [2, 3], [3, 1], [2, 0]]
    >>> np.round(dist[0], 2).tolist()
    [0.2, 0.4]
    """
    Z = np.ascontiguousarray(Z, dtype=np.float64)
    n, d = Z.shape
    g = group_size(n, d, k)
    Z32 = Z.astype(np.float32)
    eps = error_bound(d)
    dist = np.empty((n, k), dtype=np.float64)
    idx = np.empty((n, k), dtype=np.int64)

    def run(start: int) -> None:
        q = np.arange(start, min(start + _BLOCK, n))
        dist[q], idx[q] = _block_knn(Z, Z32, g, q, k, eps)

    workers = n_threads()
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(workers) as pool:
        list(pool.map(run, range(0, n, _BLOCK)))
    return dist, idx
