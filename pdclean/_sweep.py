"""Per-row facts gathered while a block of pred_probs is in cache.

The validation pass reads every block of ``pred_probs`` once. Facts the confident-learning
algorithms need later are taken in the same pass, so that they do not read the matrix again:

- the guessed true label of each row (the confident pass, SPEC 3.2), when the thresholds are
  known before the pass (they depend only on the self-confidences, a gather of n values);
- the runner-up of each row whose argmax differs from its given label: the second largest
  value and its class (first index among equal values, the argmax once the top is masked).

Both are maps over row blocks whose outputs concatenate.
"""

from __future__ import annotations

import numpy as np

from pdclean._blocks import iter_blocks
from pdclean._validation import RANGE_TOLERANCE, ROW_SUM_TOLERANCE, class_code_dtype

__all__ = ["BlockFacts", "guess_block", "guess_true_labels", "runners_up", "runners_up_block"]


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


def guess_block(block: np.ndarray, cut: np.ndarray, top: np.ndarray, high: np.ndarray):
    """Guessed true labels of the rows of ``block`` (``cut = thresholds - 1e-6``; -1: none).

    ``top`` and ``high`` are the rows' argmax and maximum. A row whose maximum reaches its
    argmax's cut is guessed as its argmax (alone or among several confident classes). Of
    the others, a row can have a confident class only if its maximum reaches the smallest
    cut and the rest of the row can too: values besides the maximum are at most
    ``1 + slack - max`` (rows sum to 1 within 1e-4, values >= -1e-6). Only rows left
    undecided are compared column by column.
    """
    k = block.shape[1]
    sure = high >= cut[top]  # the argmax is confident: it is the guess, whatever else is
    guess = np.where(sure, top, -1).astype(class_code_dtype(k))
    low = cut.min()
    slack = 2 * ROW_SUM_TOLERANCE + k * RANGE_TOLERANCE
    hard = np.flatnonzero(~sure & (high >= low) & ((1.0 + slack) - high >= low))
    if hard.size:
        guess[hard] = guess_true_labels(block[hard], cut, top[hard])
    return guess


def runners_up_block(block: np.ndarray, labels: np.ndarray, top: np.ndarray):
    """``(rows, second, second_class)`` for the rows of ``block`` whose argmax is not the label.

    ``rows`` are local to the block (ascending); ``second`` is the largest value once the
    argmax entry is set aside (it may equal the maximum), ``second_class`` its first index.
    """
    rows = np.flatnonzero(top != labels)
    sub = block[rows]
    ar = np.arange(rows.size)
    sub[ar, top[rows]] = -np.inf
    second_class = sub.argmax(axis=1)
    return rows, sub[ar, second_class], second_class.astype(top.dtype, copy=False)


def _concat(parts, dtype):
    return np.concatenate(parts) if parts else np.empty(0, dtype=dtype)


def runners_up(pred_probs: np.ndarray, labels: np.ndarray, top: np.ndarray):
    """:func:`runners_up_block` over all rows (row indices global), reading ``pred_probs``."""
    facts = BlockFacts(labels, pred_probs.shape[1], runners=True)
    for rows in iter_blocks(*pred_probs.shape):
        facts(rows, pred_probs[rows], top[rows], None)
    return facts.runners_up(top.dtype)


class BlockFacts:
    """The block visitor of the validation pass: guesses and/or runners-up, per block.

    Called as ``facts(rows, block, top, high)`` for consecutive row slices.
    """

    def __init__(self, labels: np.ndarray, n_classes: int, cut=None, runners: bool = False):
        self.labels = labels
        self.cut = cut
        self.guess = None
        if cut is not None:
            self.guess = np.empty(labels.size, dtype=class_code_dtype(n_classes))
        self.parts = ([], [], []) if runners else None

    def __call__(self, rows: slice, block: np.ndarray, top: np.ndarray, high: np.ndarray):
        if self.guess is not None:
            self.guess[rows] = guess_block(block, self.cut, top, high)
        if self.parts is not None:
            local, second, cls = runners_up_block(block, self.labels[rows], top)
            for part, value in zip(self.parts, (local + rows.start, second, cls)):
                part.append(value)

    def runners_up(self, dtype) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The concatenated ``(rows, second, second_class)`` of all blocks."""
        parts = self.parts
        return (
            _concat(parts[0], np.int64),
            _concat(parts[1], np.float64),
            _concat(parts[2], dtype),
        )
