"""The K one-vs-rest binary problems of a multi-label dataset, all at once (SPEC-multi B.0).

Problem k has binary labels ``b_k = Y[:, k]`` and the two-column matrix ``[1 - p_k, p_k]``.
cleanlab builds each (n, 2) problem and runs the single-label confident-learning code on it,
one class at a time; here every statistic of SPEC §3 (thresholds, confident guesses, the 2 x 2
confident joints and their calibration) is computed for the K problems together on (K, n)
arrays. Binary class 0 means "k not annotated", 1 means "k annotated".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = [
    "ABSENT_THRESHOLD",
    "OneVsRest",
    "calibrate_joints",
    "confident_joints",
    "confident_off_diagonal",
    "guarded",
    "one_vs_rest",
    "round_rows_keep_sum",
    "thresholds",
]

FUZZ = 1e-6
THRESHOLD_FLOOR = 2e-6
ABSENT_THRESHOLD = 2.0
TINY = 1e-100


@dataclass(frozen=True)
class OneVsRest:
    """The K binary problems as (K, n) arrays: ``y`` (bool), ``p`` and ``q = 1 - p``.

    The arrays are transposed views of the (n, K) inputs (no copy): elementwise work keeps
    the inputs' memory layout, and ``.T`` of a result is a C-ordered (n, K) array again.
    """

    y: np.ndarray
    p: np.ndarray

    @cached_property
    def q(self) -> np.ndarray:
        """``1 - p`` (computed once, when first needed)."""
        return 1.0 - self.p

    @property
    def counts(self) -> np.ndarray:
        """(K, 2) number of rows without / with each class."""
        n1 = np.count_nonzero(self.y, axis=1)
        return np.stack([self.y.shape[1] - n1, n1], axis=1)

    def column(self, c: int) -> np.ndarray:
        """Binary pred_probs column ``c`` (0: ``1 - p``, 1: ``p``), shape (K, n)."""
        return self.q if c == 0 else self.p


def one_vs_rest(y: np.ndarray, pred_probs: np.ndarray, *, by_class: bool = False) -> OneVsRest:
    """Build the binary problems from an (n, K) indicator and (n, K) pred_probs.

    ``by_class=True`` copies the arrays class-major ((K, n) C-ordered) for per-class work
    (thresholds, selections); the default keeps transposed views for elementwise scores.

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1, 0], [0, 1]], bool), np.array([[0.9, 0.2], [0.3, 0.6]]))
    >>> ovr.counts.tolist()
    [[1, 1], [1, 1]]
    """
    p = np.asarray(pred_probs, dtype=np.float64).T
    y = np.asarray(y, dtype=bool).T
    if by_class:
        p, y = np.ascontiguousarray(p), np.ascontiguousarray(y)
    return OneVsRest(y=y, p=p)


def _class_mean(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Mean of ``values[k]`` over ``members[k]`` per row k; 2.0 where there is none."""
    out = np.full(values.shape[0], ABSENT_THRESHOLD)
    for k in range(values.shape[0]):  # numpy's pairwise mean, as the reference computes it
        chosen = values[k][members[k]]
        if chosen.size:
            out[k] = chosen.mean()
    return out


def thresholds(ovr: OneVsRest) -> np.ndarray:
    """(K, 2) confident thresholds of the binary problems (SPEC §3.1).

    Column 0: mean of ``1 - p`` over rows without the class; column 1: mean of ``p`` over rows
    with it; 2.0 for an absent binary class; clipped below at 2e-6.

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1], [0], [1]], bool), np.array([[0.8], [0.4], [0.6]]))
    >>> thresholds(ovr).round(6).tolist()
    [[0.6, 0.7]]
    """
    t = np.stack([_class_mean(ovr.q, ~ovr.y), _class_mean(ovr.p, ovr.y)], axis=1)
    return np.maximum(t, THRESHOLD_FLOOR)


def guesses(ovr: OneVsRest, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(kept, guess): rows confident in some binary class, and their guessed binary label.

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1], [0], [1]], bool), np.array([[0.8], [0.4], [0.6]]))
    >>> [a.tolist() for a in guesses(ovr, thresholds(ovr))]
    [[[True, True, False]], [[True, False, False]]]
    """
    above0 = ovr.q >= (t[:, 0] - FUZZ)[:, None]
    above1 = ovr.p >= (t[:, 1] - FUZZ)[:, None]
    guess = np.where(above0 & above1, ovr.p > ovr.q, above1)
    return above0 | above1, guess


def confident_joints(ovr: OneVsRest) -> np.ndarray:
    """(K, 2, 2) raw confident joints (rows: given binary label, columns: guess), diagonal >= 1.

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1], [0], [1]], bool), np.array([[0.8], [0.4], [0.6]]))
    >>> confident_joints(ovr).tolist()
    [[[1, 0], [0, 1]]]
    """
    kept, guess = guesses(ovr, thresholds(ovr))
    out = np.empty((ovr.y.shape[0], 2, 2), dtype=np.int64)
    for j, given in enumerate((~ovr.y, ovr.y)):
        for g, guessed in enumerate((~guess, guess)):
            out[:, j, g] = np.count_nonzero(kept & given & guessed, axis=1)
    out[:, 0, 0] = np.maximum(out[:, 0, 0], 1)
    out[:, 1, 1] = np.maximum(out[:, 1, 1], 1)
    return out


def confident_off_diagonal(ovr: OneVsRest) -> np.ndarray:
    """(K, n) rows counted off the diagonal of their confident joint (SPEC §3.2 step 7).

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1], [0], [1], [0]], bool),
    ...                   np.array([[0.8], [0.4], [0.6], [0.9]]))
    >>> confident_off_diagonal(ovr).tolist()
    [[False, False, True, True]]
    """
    kept, guess = guesses(ovr, thresholds(ovr))
    return kept & (guess != ovr.y)


def guarded(mask: np.ndarray, ovr: OneVsRest) -> np.ndarray:
    """Un-flag rows whose given binary label is (within 1e-6) the argmax (SPEC §5.4 guard).

    Given 1: un-flagged when ``p + 1e-6 > 1 - p``; given 0: when ``(1 - p) + 1e-6 >= p``
    (the first index wins argmax ties).

    Examples
    --------
    >>> ovr = one_vs_rest(np.array([[1], [0]], bool), np.array([[0.5], [0.9]]))
    >>> guarded(np.array([[True, True]]), ovr).tolist()
    [[False, True]]
    """
    k, i = np.nonzero(mask)  # flags are few: test only them
    y, p, q = ovr.y[k, i], ovr.p[k, i], ovr.q[k, i]
    safe = np.where(y, p + FUZZ > q, q + FUZZ >= p)
    out = np.zeros(mask.shape, dtype=bool)
    out[k[~safe], i[~safe]] = True
    return out


def round_rows_keep_sum(values: np.ndarray) -> np.ndarray:
    """SPEC §1.2 ``round_keep_sum`` on every length-2 row of ``values`` (shape (..., 2)).

    Residual ties are broken stably: when raising, the higher index first; when lowering,
    the lower index first. Rows holding NaN are only rounded (NaN becomes 0).

    Examples
    --------
    >>> round_rows_keep_sum(np.array([[14.5, 3.5], [0.5, 0.5]])).tolist()
    [[14, 4], [0, 1]]
    """
    v = values.reshape(-1, 2)
    with np.errstate(invalid="ignore"):
        r = np.round(v)
        target = np.round(v[:, 0] + v[:, 1])
        current = np.round(r[:, 0] + r[:, 1])
        todo = np.abs(current - target) > 1e-6
        while todo.any():
            diff = np.round(target - current)
            step = np.where(diff < 0, -1.0, 1.0)
            both = np.abs(diff) >= 2
            e = v - r
            # stable ascending order of residuals, reversed when raising
            first = np.where(step > 0, np.where(e[:, 1] >= e[:, 0], 1, 0), e[:, 1] < e[:, 0])
            rows = np.flatnonzero(todo)
            r[rows, first[rows].astype(np.int64)] += step[rows]
            two = rows[both[rows]]
            r[two, 1 - first[two].astype(np.int64)] += step[two]
            current = np.round(r[:, 0] + r[:, 1])
            todo = np.abs(current - target) > 1e-6
    return np.nan_to_num(r, nan=0.0).astype(np.int64).reshape(values.shape)


def calibrate_joints(joints: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Calibrate (K, 2, 2) confident joints to the binary class counts (SPEC §3.3).

    Examples
    --------
    >>> calibrate_joints(np.array([[[3, 1], [1, 1]]]), np.array([[8, 2]])).tolist()
    [[[6, 2], [1, 1]]]
    """
    c = joints.astype(np.float64)
    rowsum = np.maximum(c[:, :, 0] + c[:, :, 1], TINY)
    c1 = c / rowsum[:, :, None] * counts[:, :, None]
    total = np.maximum(((c1[:, 0, 0] + c1[:, 0, 1]) + c1[:, 1, 0]) + c1[:, 1, 1], TINY)
    c2 = c1 / total[:, None, None] * counts.sum(axis=1)[:, None, None]
    return round_rows_keep_sum(c2)
