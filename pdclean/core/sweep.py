"""Runners-up: facts taken while a block of pred_probs is in cache.

The validation pass reads every block of ``pred_probs`` once. For each row whose argmax
differs from its given label, the prune pass needs the second largest value and its class
(first index among equal values: the argmax once the top entry is set aside); taking them in
the same pass spares a second read of those rows. A map over row blocks whose outputs
concatenate.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.blocks import iter_blocks

__all__ = ["BlockFacts", "runners_up", "runners_up_block"]


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
    facts = BlockFacts(labels)
    for rows in iter_blocks(*pred_probs.shape):
        facts(rows, pred_probs[rows], top[rows], None)
    return facts.runners_up(top.dtype)


class BlockFacts:
    """The block visitor of the validation pass that collects the runners-up.

    Called as ``facts(rows, block, top, high)`` for consecutive row slices.
    """

    def __init__(self, labels: np.ndarray):
        self.labels = labels
        self.parts = ([], [], [])

    def __call__(self, rows: slice, block: np.ndarray, top: np.ndarray, high=None):
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
