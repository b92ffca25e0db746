"""Groups of identical feature rows (exact equality of the float64 values)."""

from __future__ import annotations

import numpy as np

__all__ = ["duplicate_group_ids"]


def duplicate_group_ids(X: np.ndarray) -> np.ndarray:
    """Group id of each row among rows with identical values, -1 for a unique row.

    Groups are numbered 0, 1, ... in the order of their first member. ``-0.0`` equals ``0.0``;
    NaN equals NaN (rows are compared as bytes).

    Examples
    --------
    >>> X = np.array([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0], [0.0, 1.0], [5.0, 5.0]])
    >>> duplicate_group_ids(X).tolist()
    [0, 1, 0, 1, -1]
    """
    X = np.ascontiguousarray(np.asarray(X, dtype=np.float64) + 0.0)  # + 0.0 maps -0.0 to 0.0
    n = X.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = X.reshape(n, -1).view(np.dtype((np.void, X.itemsize * max(X.shape[1], 1)))).ravel()
    _, first, inverse, counts = np.unique(
        rows, return_index=True, return_inverse=True, return_counts=True
    )
    dup_unique = np.flatnonzero(counts >= 2)
    order = np.argsort(first[dup_unique], kind="stable")
    gid_of_unique = np.full(counts.shape[0], -1, dtype=np.int64)
    gid_of_unique[dup_unique[order]] = np.arange(dup_unique.shape[0], dtype=np.int64)
    return gid_of_unique[inverse.ravel()]
