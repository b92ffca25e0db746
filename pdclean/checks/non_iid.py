"""Non-IID check (SPEC 9.7): are neighbours in feature space also neighbours in row order?"""

from __future__ import annotations

import numpy as np
from scipy.stats import gaussian_kde

from pdclean.checks.base import CheckResult, check_fraction, register_check
from pdclean.neighbors.graph import KnnGraph, build_knn_graph

__all__ = ["find_non_iid_issues"]

_NUM_PERMUTATIONS = 25


def _background_cdf(n: int) -> np.ndarray:
    """CDF of |i - j| for a random pair of distinct rows, indexed by distance 0..n-1."""
    delta = np.arange(1, n, dtype=np.float64)
    pmf = (n - delta) / (n * (n - 1) / 2)
    return np.concatenate([[0.0], np.cumsum(pmf)])


def _ks_statistic(distances: np.ndarray, bcdf: np.ndarray) -> float:
    """max_r |r/M - bcdf(v_r)| over the sorted distances plus a final n-1 (counting sort)."""
    n = bcdf.shape[0]
    m = distances.size
    counts = np.bincount(distances.ravel(), minlength=n)
    counts[n - 1] += 1
    present = np.flatnonzero(counts)
    last = np.cumsum(counts)[present] - 1  # position of the last copy of each value
    first = last - counts[present] + 1
    b = bcdf[present]
    return float(max(np.abs(first / m - b).max(), np.abs(last / m - b).max()))


def _p_value(nbr: np.ndarray, bcdf: np.ndarray) -> float:
    n = nbr.shape[0]
    rows = np.arange(n)[:, None]
    observed = _ks_statistic(np.abs(rows - nbr), bcdf)
    rng = np.random.RandomState(0)
    stats = np.empty(_NUM_PERMUTATIONS)
    for p in range(_NUM_PERMUTATIONS):
        perm = rng.permutation(n)
        stats[p] = _ks_statistic(np.abs(perm[rows] - perm[nbr]), bcdf)
    return float(gaussian_kde(stats).integrate_box_1d(observed, 100))


def _background_area(x: np.ndarray, dd: np.ndarray, n: int) -> np.ndarray:
    """Area under the per-row background CDF from 0 up to index distance x."""
    low = x**2 / (n - 1)
    mid = dd**2 / (n - 1) + ((x + 3 * dd) * (x - dd)) / (2 * (n - 1))
    high = dd**2 / (n - 1) + ((2 * dd / (n - 1) + 1) / 2) * (n - 2 * dd - 1) + (x - (n - dd - 1))
    return np.where(x <= dd, low, np.where(x <= n - dd - 1, mid, high))


def _row_scores(nbr: np.ndarray) -> np.ndarray:
    n, k = nbr.shape
    i = np.arange(n)
    v = np.sort(np.abs(i[:, None] - nbr), axis=1).astype(np.float64)
    v = np.hstack([v, np.full((n, 1), n - 1.0)])
    dd = np.where(i <= (n - 1) // 2, i, np.abs(i - (n - 1))).astype(np.float64)[:, None]
    area = _background_area(v, dd, n)
    bg = np.diff(area, axis=1, prepend=0.0)
    fg = (np.arange(k + 1) / k) * np.diff(v, axis=1, prepend=0.0)
    stat = np.abs(fg - bg).sum(axis=1)
    return 1.0 - np.tanh(stat / np.maximum(i, n - i))


@register_check("non_iid", requires=(("knn",), ("pred_probs",)))
def find_non_iid_issues(
    *,
    knn: KnnGraph | None = None,
    pred_probs: np.ndarray | None = None,
    significance_threshold: float = 0.05,
) -> CheckResult:
    """Test whether the row order is independent of feature similarity.

    Summary score = the permutation-test p-value (25 permutations drawn by a local
    ``RandomState(0)``, KDE of the statistics). If p < ``significance_threshold`` the one row
    with the lowest score is flagged. Without a kNN graph, one is built on ``pred_probs``.

    Examples
    --------
    >>> from pdclean.neighbors.graph import build_knn_graph
    >>> X = np.repeat(np.arange(30.0), 2)[:, None] + np.tile([0.0, 0.1], 30)[:, None]
    >>> r = find_non_iid_issues(knn=build_knn_graph(X, k=3))
    >>> r.summary_score < 0.05, r.num_issues
    (True, 1)
    """
    alpha = check_fraction("significance_threshold", significance_threshold)
    if knn is None:
        knn = build_knn_graph(np.asarray(pred_probs, dtype=np.float64))
    n = knn.n
    p_value = _p_value(knn.indices, _background_cdf(n))
    score = _row_scores(knn.indices)
    is_issue = np.zeros(n, dtype=bool)
    if p_value < alpha:
        is_issue[np.argmin(score)] = True
    return CheckResult("non_iid", is_issue, score, p_value, {"p-value": p_value})
