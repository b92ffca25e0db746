"""Per-row passes over pred_probs and the small statistics they produce.

Every pass here is a map over row blocks whose output merges by concatenation (per-row
vectors) or by addition (per-class sums and counts, a K x K count matrix).
"""

from __future__ import annotations

import numpy as np

from pdclean.core.blocks import block_rows
from pdclean.core.validation import RANGE_TOLERANCE, ROW_SUM_TOLERANCE, class_code_dtype

__all__ = [
    "FUZZ",
    "MISSING_CLASS_THRESHOLD",
    "THRESHOLD_FLOOR",
    "class_order",
    "confident_counts",
    "confident_pass",
    "confident_thresholds",
    "guess_true_labels",
    "label_is_top",
    "off_diagonal",
    "self_confidence",
    "thresholds_from_self_confidence",
]

FUZZ = 1e-6
THRESHOLD_FLOOR = 2e-6
MISSING_CLASS_THRESHOLD = 2.0


def class_order(labels: np.ndarray, n_classes: int) -> tuple[np.ndarray, np.ndarray]:
    """Row indices grouped by label (ascending within a class) and the group boundaries.

    Rows of class ``k`` are ``order[starts[k]:starts[k + 1]]``. Labels are sorted as the
    narrowest unsigned type that holds them (a radix sort: one pass for up to 65,536 classes).
    """
    key = labels.astype(np.min_scalar_type(max(n_classes - 1, 0)), copy=False)
    order = np.argsort(key, kind="stable")
    starts = np.zeros(n_classes + 1, dtype=np.int64)
    np.cumsum(np.bincount(labels, minlength=n_classes), out=starts[1:])
    return order, starts


def self_confidence(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """``pred_probs[i, labels[i]]`` for every row (a gather: reads n values, not n x K)."""
    return pred_probs[np.arange(labels.size), labels]


def thresholds_from_self_confidence(
    self_conf: np.ndarray, order: np.ndarray, starts: np.ndarray
) -> np.ndarray:
    """Per-class mean self-confidence; 2.0 for classes absent from the labels; floor 2e-6.

    Each mean is numpy's pairwise mean over the class's rows in ascending row order (the
    reference's summation order, so thresholds agree to the last bit).
    """
    k = starts.size - 1
    conf = self_conf[order]
    out = np.full(k, MISSING_CLASS_THRESHOLD)
    for c in np.flatnonzero(np.diff(starts)):
        out[c] = conf[starts[c] : starts[c + 1]].mean()
    return np.maximum(out, THRESHOLD_FLOOR)


def confident_thresholds(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Per-class confident thresholds from labels and pred_probs (SPEC 3.1)."""
    order, starts = class_order(labels, pred_probs.shape[1])
    return thresholds_from_self_confidence(self_confidence(labels, pred_probs), order, starts)


def off_diagonal(labels: np.ndarray, guess: np.ndarray) -> np.ndarray:
    """Mask of counted rows whose guessed true label differs from the given one."""
    return (guess >= 0) & (guess != labels)


def guess_true_labels(block: np.ndarray, cut: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Guessed true label of each row of ``block`` given per-class cuts (``t - 1e-6``).

    One confident class: that class. Several: the row argmax ``top`` (over all classes, even
    if not confident). None: -1.
    """
    confident = block >= cut
    if block.shape[1] < 256:
        count = np.einsum("ij->i", confident.view(np.uint8))
    else:
        count = confident.sum(axis=1, dtype=np.int32)
    guess = np.where(count > 1, top, -1)
    single = np.flatnonzero(count == 1)
    at_top = confident[single, top[single]]
    guess[single[at_top]] = top[single[at_top]]
    other = single[~at_top]
    guess[other] = confident[other].argmax(axis=1)
    return guess


def confident_pass(
    pred_probs: np.ndarray,
    thresholds: np.ndarray,
    top: np.ndarray,
    row_max: np.ndarray,
) -> np.ndarray:
    """Guess each row's true label from the per-class thresholds (SPEC 3.2).

    A row is confidently class k when ``p[k] >= t[k] - 1e-6``; ``top`` is the row argmax and
    ``row_max`` its maximum (for a validated ``pred_probs``). Most rows are decided without
    reading ``pred_probs``: a row whose maximum reaches its argmax's cut is
    guessed as its argmax (alone or among several confident classes); another row can have
    a confident class only if its maximum reaches the smallest cut and the rest of the row
    can too (values besides the maximum are at most ``1 + slack - max``: rows sum to 1
    within 1e-4, values >= -1e-6). Only the rows left undecided are read.
    """
    k = pred_probs.shape[1]
    cut = np.asarray(thresholds, dtype=np.float64) - FUZZ
    sure = row_max >= cut[top]
    guess = np.where(sure, top, -1).astype(class_code_dtype(k))
    low = cut.min()
    slack = 2 * ROW_SUM_TOLERANCE + k * RANGE_TOLERANCE
    hard = np.flatnonzero(~sure & (row_max >= low) & ((1.0 + slack) - row_max >= low))
    step = block_rows(k)
    for start in range(0, hard.size, step):
        idx = hard[start : start + step]
        guess[idx] = guess_true_labels(pred_probs[idx], cut, top[idx])
    return guess


def label_is_top(problem) -> np.ndarray:
    """The guard: is the given label the first-index argmax once it gets a 1e-6 bonus?

    Decided from per-row facts (argmax, row max, self-confidence); only rows whose maximum
    equals the bonus value exactly are re-read for the first-index rule.
    """
    given = problem.labels
    bumped = problem.self_confidence + FUZZ
    high = problem.row_max
    top = (problem.argmax == given) | (high < bumped)
    tied = np.flatnonzero(~top & (high == bumped))
    if tied.size:
        sub = problem.pred_probs[tied]
        sub[np.arange(tied.size), given[tied]] = bumped[tied]
        top[tied] = sub.argmax(axis=1) == given[tied]
    return top


def confident_counts(labels: np.ndarray, guess: np.ndarray, n_classes: int) -> np.ndarray:
    """K x K counts of (given label, guessed label) over rows with a guess (no diagonal floor).

    The matrix is returned column-major (Fortran order), the layout in which the reference
    holds it: calibration sums it in memory order, and exact rounding ties depend on that
    summation order.
    """
    k = n_classes
    cells = (guess.astype(np.int64) + 1) * k + labels  # no guess (-1): the first k cells
    counts = np.bincount(cells, minlength=(k + 1) * k)[k:]
    return counts.reshape(k, k).T


def drop_guarded(mask: np.ndarray, problem) -> np.ndarray:
    """Return a copy of ``mask`` without the rows whose given label is the top prediction.

    This is the reference's guard: an example whose given label is (within 1e-6) the top
    prediction is never a label issue.
    """
    return mask & ~problem.label_is_top
