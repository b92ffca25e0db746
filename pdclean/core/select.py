"""Selecting the ``c`` smallest values with stable ties (lowest position first), in O(n)."""

from __future__ import annotations

import numpy as np

__all__ = [
    "kth_smallest_per_group",
    "smallest_mask",
    "smallest_per_column",
    "smallest_per_group",
    "smallest_sorted",
]


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


def _bucket_counts(groups, values, counts, bins):
    """Each value's bucket, each group's boundary bucket and the room left in it.

    ``bins`` equal buckets over [-1, 1] (values outside go to the end buckets): a monotone
    map, so a lower bucket never holds a larger value. The boundary (``edge``) is the first
    bucket where the group's running count reaches ``counts``; ``bins`` when the group has
    too few values, -1 when it wants none.
    """
    n_groups = counts.size
    bucket = np.floor((values + 1.0) * (bins / 2.0)).astype(np.int64)
    np.clip(bucket, 0, bins - 1, out=bucket)
    key = groups.astype(np.int64, copy=False) * bins
    key += bucket
    cum = np.cumsum(np.bincount(key, minlength=n_groups * bins).reshape(n_groups, bins), axis=1)
    want = np.asarray(counts, dtype=np.int64)
    edge = np.argmax(cum >= want[:, None], axis=1)
    edge[cum[:, -1] < want] = bins
    edge[want <= 0] = -1
    below = np.where(edge > 0, cum[np.arange(n_groups), np.clip(edge - 1, 0, bins - 1)], 0)
    return bucket, edge, want - below


def _sort_border(border, groups, values, order, n_groups):
    """``border`` sorted by (group, value[, order]): stable sorts, the last one a radix sort."""
    if order is not None:
        border = border[np.argsort(order[border], kind="stable")]
    border = border[np.argsort(values[border], kind="stable")]
    key = groups[border].astype(np.min_scalar_type(max(n_groups - 1, 0)), copy=False)
    return border[np.argsort(key, kind="stable")]


def smallest_per_group(
    groups: np.ndarray, values: np.ndarray, order: np.ndarray, counts: np.ndarray, bins: int
) -> np.ndarray:
    """Positions of the ``counts[g]`` smallest ``values`` of each group ``g``, in O(n + G bins).

    Ties are taken by ascending ``order`` (e.g. row index; unique within a group). Values
    are counted per group in ``bins`` buckets (see ``_bucket_counts``); buckets below the
    one where the count is reached are kept whole, and only that boundary bucket is sorted,
    by (value, order). Returns the kept positions, ascending.

    Examples
    --------
    >>> g = np.array([0, 0, 0, 1, 1])
    >>> v = np.array([0.5, -0.2, 0.5, 0.1, 0.3])
    >>> smallest_per_group(g, v, np.arange(5), np.array([2, 1]), bins=8).tolist()
    [0, 1, 3]
    """
    bucket, edge, room = _bucket_counts(groups, values, counts, bins)
    group_edge = edge[groups]
    keep = bucket < group_edge
    border = np.flatnonzero(bucket == group_edge)
    if border.size:
        border = _sort_border(border, groups, values, order, counts.size)
        bg = groups[border]
        rank = np.arange(border.size) - np.searchsorted(bg, bg)
        keep[border[rank < room[bg]]] = True
    return np.flatnonzero(keep)


def kth_smallest_per_group(
    groups: np.ndarray, values: np.ndarray, counts: np.ndarray, bins: int
) -> np.ndarray:
    """Per group, its ``counts[g]``-th smallest value (+inf: fewer values; -inf: count <= 0).

    Examples
    --------
    >>> g = np.array([0, 0, 0, 1, 1])
    >>> v = np.array([0.5, -0.2, 0.5, 0.1, 0.3])
    >>> kth_smallest_per_group(g, v, np.array([2, 3, 0]), bins=8).tolist()
    [0.5, inf, -inf]
    """
    bucket, edge, room = _bucket_counts(groups, values, counts, bins)
    out = np.where(edge < 0, -np.inf, np.inf)
    border = np.flatnonzero(bucket == edge[groups])
    if border.size:
        border = _sort_border(border, groups, values, None, counts.size)
        bg = groups[border]
        first = np.searchsorted(bg, np.arange(counts.size))
        has = np.flatnonzero((edge >= 0) & (edge < bins))
        out[has] = values[border[first[has] + room[has] - 1]]
    return out
