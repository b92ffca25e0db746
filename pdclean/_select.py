"""Selecting the ``c`` smallest values with stable ties (lowest position first), in O(n)."""

from __future__ import annotations

import numpy as np

__all__ = ["smallest_mask", "smallest_per_column", "smallest_sorted"]


def smallest_per_column(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Mask of the ``counts[j]`` smallest entries of each column ``j`` of a 2-D array.

    Equal values are taken in ascending row order, exactly as the first ``counts[j]`` entries
    of a stable ascending sort of the column would be.
    """
    b, q = values.shape
    want = np.minimum(np.asarray(counts, dtype=np.int64), b)
    mask = np.zeros((b, q), dtype=bool)
    live = np.flatnonzero(want > 0)
    if live.size == 0:
        return mask
    sub = values[:, live]
    kth = want[live] - 1
    part = np.partition(sub, np.unique(kth), axis=0)
    cut = part[kth, np.arange(live.size)]
    below = sub < cut
    tied = sub == cut
    room = want[live] - np.count_nonzero(below, axis=0)
    mask[:, live] = below | (tied & (np.cumsum(tied, axis=0) <= room))
    return mask


def smallest_mask(values: np.ndarray, count: int) -> np.ndarray:
    """Mask of the ``count`` smallest entries of a 1-D array (ties: lowest index first)."""
    return smallest_per_column(values[:, None], np.array([count]))[:, 0]


def smallest_sorted(values: np.ndarray, count: int | None = None) -> np.ndarray:
    """Indices of the ``count`` smallest values in ascending order, ties by ascending index."""
    if count is None or count >= values.size:
        return np.argsort(values, kind="stable")
    picked = np.flatnonzero(smallest_mask(values, max(int(count), 0)))
    return picked[np.argsort(values[picked], kind="stable")]
