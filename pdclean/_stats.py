"""Per-row passes over pred_probs and the small statistics they produce.

Every pass here is a map over row blocks whose output merges by concatenation (per-row
vectors) or by addition (per-class sums and counts, a K x K count matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pdclean._blocks import iter_blocks

__all__ = [
    "FUZZ",
    "MISSING_CLASS_THRESHOLD",
    "THRESHOLD_FLOOR",
    "ConfidentPass",
    "class_order",
    "confident_counts",
    "confident_pass",
    "confident_thresholds",
    "self_confidence",
]

FUZZ = 1e-6
THRESHOLD_FLOOR = 2e-6
MISSING_CLASS_THRESHOLD = 2.0


def class_order(labels: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices grouped by label (ascending within a class) and the group boundaries.

    Rows of class ``k`` are ``order[starts[k]:starts[k + 1]]``.
    """
    order = np.argsort(labels, kind="stable")
    starts = np.zeros(n_classes + 1, dtype=np.int64)
    np.cumsum(np.bincount(labels, minlength=n_classes), out=starts[1:])
    return order, starts


def self_confidence(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """``pred_probs[i, labels[i]]`` for every row (a gather: reads n values, not n x K)."""
    return pred_probs[np.arange(labels.size), labels]


def confident_thresholds(
    labels: np.ndarray,
    pred_probs: np.ndarray,
    order: np.ndarray | None = None,
    starts: np.ndarray | None = None,
) -> np.ndarray:
    """Per-class mean self-confidence; 2.0 for classes absent from ``labels``; floor 2e-6.

    Each mean is numpy's pairwise mean over the class's rows in ascending row order.
    """
    k = pred_probs.shape[1]
    if order is None or starts is None:
        order, starts = class_order(labels, k)
    conf = self_confidence(labels, pred_probs)[order]
    out = np.full(k, MISSING_CLASS_THRESHOLD)
    for c in range(k):
        if starts[c + 1] > starts[c]:
            out[c] = conf[starts[c] : starts[c + 1]].mean()
    return np.maximum(out, THRESHOLD_FLOOR)


@dataclass(frozen=True)
class ConfidentPass:
    """Per-row results of the confident-joint pass.

    ``guess`` is the guessed true label, -1 for rows where no class is confident (they are
    left out of the confident joint); ``argmax`` is the first index of each row's maximum.
    """

    guess: np.ndarray
    argmax: np.ndarray

    def off_diagonal(self, labels: np.ndarray) -> np.ndarray:
        """Mask of counted rows whose guessed true label differs from the given one."""
        return (self.guess >= 0) & (self.guess != labels)


def confident_pass(pred_probs: np.ndarray, thresholds: np.ndarray) -> ConfidentPass:
    """Guess each row's true label from the per-class confident thresholds (SPEC 3.2).

    A row is confidently class k when ``p[k] >= t[k] - 1e-6``. One confident class: that
    class. Several: the row argmax (over all classes). None: -1.
    """
    n, k = pred_probs.shape
    cut = np.asarray(thresholds, dtype=np.float64) - FUZZ
    guess = np.empty(n, dtype=np.int64)
    top = np.empty(n, dtype=np.int64)
    for rows in iter_blocks(n, k):
        block = pred_probs[rows]
        confident = block >= cut
        count = np.count_nonzero(confident, axis=1)
        am = block.argmax(axis=1)
        g = am.copy()
        single = np.flatnonzero(count == 1)
        if single.size:
            g[single] = confident[single].argmax(axis=1)
        g[count == 0] = -1
        guess[rows] = g
        top[rows] = am
    return ConfidentPass(guess=guess, argmax=top)


def confident_counts(labels: np.ndarray, guess: np.ndarray, n_classes: int) -> np.ndarray:
    """K x K counts of (given label, guessed label) over rows with a guess (no diagonal floor).

    The matrix is returned column-major (Fortran order), the layout in which the reference
    holds it: calibration sums it in memory order, and exact rounding ties depend on that
    summation order.
    """
    kept = guess >= 0
    cells = guess[kept] * n_classes + labels[kept]
    return np.bincount(cells, minlength=n_classes * n_classes).reshape(n_classes, n_classes).T


def given_label_is_top(rows: np.ndarray, labels: np.ndarray, pred_probs: np.ndarray):
    """For the given ``rows``: is the given label the argmax once it gets a 1e-6 bonus?

    This is the reference's guard: an example whose given label is (within 1e-6) the top
    prediction is never a label issue. Only the listed rows are read.
    """
    sub = pred_probs[rows]
    given = labels[rows]
    sub[np.arange(rows.size), given] += FUZZ
    return sub.argmax(axis=1) == given


def drop_guarded(mask: np.ndarray, labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Return a copy of ``mask`` without the rows that the argmax guard clears."""
    rows = np.flatnonzero(mask)
    out = mask.copy()
    out[rows[given_label_is_top(rows, labels, pred_probs)]] = False
    return out
