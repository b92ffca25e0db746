"""The prune methods of confident learning (SPEC 5.3, 5.4) on validated arrays.

``prune_counts`` turns a confident joint into the number of examples to flag per (true,
given) cell. The selections then pick, per cell, the examples with the largest margins
(``prune_by_noise_rate``) or, per class, the smallest self-confidences (``prune_by_class``).
Both run as a map over bounded chunks of each class's rows that yields per-cell candidates,
and a merge that keeps, per cell, the best candidates: the same statistics a partitioned
(cluster) run would merge. Ties go to the lowest row index.
"""

from __future__ import annotations

import numpy as np

from pdclean._blocks import block_rows
from pdclean._rounding import round_keep_row_totals
from pdclean._select import smallest_mask, smallest_per_column

__all__ = [
    "noise_rate_candidates",
    "override_with_num_to_remove",
    "prune_by_class_mask",
    "prune_by_noise_rate_mask",
    "prune_counts",
    "select_candidates",
    "skipped_classes",
]


def prune_counts(confident_joint, min_examples_per_class: int, frac_noise: float) -> np.ndarray:
    """``PC[j, k]``: examples given label ``k`` to flag as truly ``j`` (``PC[k, k]``: to keep).

    Works on the transpose of the confident joint (rows true, columns given).
    """
    m = np.asarray(confident_joint, dtype=np.float64).T.copy()
    k = m.shape[0]
    diag = np.diagonal(m).copy()
    kept = np.maximum(diag, min_examples_per_class)
    extra = kept - diag
    nonzero = np.maximum(np.count_nonzero(m, axis=0) - 1, 1)
    m = np.maximum(m - extra / nonzero, 0.0)
    np.fill_diagonal(m, kept)
    if frac_noise != 1.0:
        off = ~np.eye(k, dtype=bool)
        removed = np.where(off, m * (1.0 - frac_noise), 0.0).sum(axis=0)
        m = np.where(off, m * frac_noise, m)
        np.fill_diagonal(m, np.diagonal(m) + removed)
    return round_keep_row_totals(m.astype(np.int64))


def override_with_num_to_remove(pc: np.ndarray, num_to_remove, class_counts) -> np.ndarray:
    """Replace the prune counts by a per-class number to remove (the reference's formula)."""
    r = np.asarray(num_to_remove, dtype=np.float64)
    q = pc / pc.sum(axis=1)  # q[a, b] = pc[a, b] / rowsum_b: the reference's broadcasting
    z = q.sum(axis=1) - np.diagonal(q)
    t = q * (r / z)[:, None]
    np.fill_diagonal(t, np.asarray(class_counts, dtype=np.float64) - r)
    return round_keep_row_totals(t)


def skipped_classes(class_counts: np.ndarray, min_examples_per_class: int) -> np.ndarray:
    """Classes too small to prune: ``n_k <= min_examples_per_class`` or ``n_k <= 1``."""
    return (class_counts <= min_examples_per_class) | (class_counts <= 1)


def _class_chunks(order, starts, k, chunk):
    rows = order[starts[k] : starts[k + 1]]
    for start in range(0, rows.size, chunk):
        yield rows[start : start + chunk]


def prune_by_class_mask(labels, pred_probs, pc, skip, order, starts) -> np.ndarray:
    """Flag, per class k, the ``n_k - PC[k, k]`` rows with the smallest ``p[k]``."""
    mask = np.zeros(labels.size, dtype=bool)
    for k in np.flatnonzero(~skip):
        rows = order[starts[k] : starts[k + 1]]
        quota = rows.size - int(pc[k, k])
        if quota >= 1:
            mask[rows[smallest_mask(pred_probs[rows, k], quota)]] = True
    return mask


def noise_rate_candidates(pred_probs, rows, k, quota):
    """Per needed cell (j, k): the ``quota[j]`` largest margins ``p[j] - p[k]`` among ``rows``.

    Returns ``(cell, margin, row)`` arrays, ``cell`` being the column j of each candidate.
    """
    cols = np.flatnonzero(quota > 0)
    block = pred_probs[rows]
    margins = block[:, cols] - block[:, [k]]
    picked = smallest_per_column(-margins, quota[cols])
    r, c = np.nonzero(picked)
    return cols[c], margins[r, c], rows[r]


def select_candidates(cells, margins, rows, quota) -> np.ndarray:
    """Merge candidates: per cell the ``quota`` largest margins, ties by lowest row index."""
    order = np.lexsort((rows, -margins, cells))
    cells, rows = cells[order], rows[order]
    first = np.searchsorted(cells, cells, side="left")
    rank = np.arange(cells.size) - first
    return rows[rank < quota[cells]]


def prune_by_noise_rate_mask(labels, pred_probs, pc, skip, order, starts) -> np.ndarray:
    """Flag, per cell (j, k), the ``PC[j, k]`` rows of class k with the largest ``p[j] - p[k]``."""
    n, n_classes = pred_probs.shape
    mask = np.zeros(n, dtype=bool)
    chunk = block_rows(n_classes)
    for k in np.flatnonzero(~skip):
        quota = pc[:, k].astype(np.int64)
        quota[k] = 0
        if not quota.any():
            continue
        parts = [
            noise_rate_candidates(pred_probs, rows, k, quota)
            for rows in _class_chunks(order, starts, k, chunk)
        ]
        if len(parts) == 1:
            mask[parts[0][2]] = True
        else:
            cells, margins, rows = (np.concatenate(a) for a in zip(*parts))
            mask[select_candidates(cells, margins, rows, quota)] = True
    return mask
