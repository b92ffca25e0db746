"""Near-duplicate check (SPEC 9.6): rows much closer to a neighbour than is typical."""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, check_fraction, register_check
from pdclean.neighbors.graph import KnnGraph

__all__ = ["find_near_duplicate_issues", "split_sets"]


def _symmetric_sets(knn: KnnGraph, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """CSR (indptr, indices) of each row's near-duplicate set, symmetrised.

    A row's set holds its own close neighbours in neighbour order, then the rows that have it
    as a close neighbour (ascending), without repeats.
    """
    n, k = knn.indices.shape
    close = knn.distances < radius
    src = np.repeat(np.arange(n, dtype=np.int64), k)[close.ravel()]
    dst = knn.indices.ravel()[close.ravel()]
    col = np.tile(np.arange(k), n)[close.ravel()]
    # forward pairs (i -> j, in neighbour order) then backward pairs (j -> i, ascending i)
    rows = np.concatenate([src, dst])
    members = np.concatenate([dst, src])
    rank = np.concatenate([col, k + src])
    # drop backward pairs already present forward
    key = rows * n + members
    _, first = np.unique(key, return_index=True)
    keep = np.zeros(key.size, dtype=bool)
    keep[first] = True
    rows, members, rank = rows[keep], members[keep], rank[keep]
    order = np.lexsort((rank, rows))
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)
    return indptr, members[order]


def split_sets(indptr: np.ndarray, indices: np.ndarray) -> list[np.ndarray]:
    """One index array per row from the CSR form of the near-duplicate sets.

    Examples
    --------
    >>> [a.tolist() for a in split_sets(np.array([0, 1, 1, 2]), np.array([2, 0]))]
    [[2], [], [0]]
    """
    return np.split(indices, indptr[1:-1])


@register_check("near_duplicate", requires=("knn",))
def find_near_duplicate_issues(
    *, knn: KnnGraph | None = None, threshold: float = 0.13
) -> CheckResult:
    """Flag rows with a neighbour closer than ``threshold`` x the median nearest distance.

    Score ``1 - exp(-d_i / m)`` with ``d_i`` the nearest-neighbour distance and
    ``m = max(median(d), 1e-6)`` (0 when ``d_i`` is ~0). Summary score = mean score.
    ``details["near_duplicate_sets"]`` is the (indptr, indices) CSR form of each row's set
    (see :func:`split_sets`).

    Examples
    --------
    >>> from pdclean.neighbors.graph import build_knn_graph
    >>> X = np.array([[0.0], [1.0], [2.0], [2.01], [4.0], [5.0]])
    >>> r = find_near_duplicate_issues(knn=build_knn_graph(X, k=2))
    >>> r.is_issue.tolist()
    [False, False, True, True, False, False]
    """
    threshold = check_fraction("threshold", threshold, high=None)
    nearest = knn.distances[:, 0]
    m = max(float(np.median(nearest)), 1e-6)
    radius = threshold * m
    indptr, indices = _symmetric_sets(knn, radius)
    score = 1.0 - np.exp(-nearest / m)
    score[np.isclose(nearest, 0.0, rtol=1e-05, atol=1e-08)] = 0.0
    details = {
        "near_duplicate_sets": (indptr, indices),
        "distance_to_nearest_neighbor": nearest,
        "median_distance_to_nearest_neighbor": m,
        "threshold": threshold,
    }
    return CheckResult("near_duplicate", np.diff(indptr) > 0, score, float(score.mean()), details)
