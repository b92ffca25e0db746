"""Sum-preserving rounding (SPEC 1.2), with stable tie order (SPEC 1.3)."""

from __future__ import annotations

import numpy as np

__all__ = ["round_keep_row_totals", "round_keep_sum"]


def round_keep_sum(values: np.ndarray) -> np.ndarray:
    """Round ``values`` to integers whose total is ``round(sum(values))``.

    Elements are rounded half-to-even; the total is then repaired one unit at a time on the
    elements with the largest residuals in the direction of the repair. Residual ties are
    broken stably: ascending index when lowering, descending index when raising.

    Examples
    --------
    >>> round_keep_sum(np.array([14.625, 3.375, 31.5, 13.5])).tolist()
    [15, 3, 31, 14]
    """
    v = np.asarray(values, dtype=np.float64)
    r = np.round(v)
    target = np.round(v.sum())
    current = np.round(r.sum())
    while abs(current - target) > 1e-6:
        diff = np.round(target - current)
        step = -1.0 if diff < 0 else 1.0
        m = int(min(abs(diff), v.size))
        order = np.argsort(v - r, kind="stable")
        if step > 0:
            order = order[::-1]
        r[order[:m]] += step
        current = np.round(r.sum())
    return r.astype(np.int64)


def round_keep_row_totals(matrix: np.ndarray) -> np.ndarray:
    """Apply :func:`round_keep_sum` to each row of a 2-D array (K rows, so a short loop)."""
    m = np.asarray(matrix, dtype=np.float64)
    out = np.empty(m.shape, dtype=np.int64)
    for j in range(m.shape[0]):
        out[j] = round_keep_sum(m[j])
    return out
