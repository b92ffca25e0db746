"""Label quality scores on validated arrays, computed over row blocks (SPEC 4.1, 4.2)."""

from __future__ import annotations

import numpy as np

from pdclean.core.blocks import iter_blocks
from pdclean.core.problem import Problem
from pdclean.errors import InputError

__all__ = ["SCORE_METHODS", "adjust_block", "label_scores"]

SCORE_METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")


def _self_confidence(given: np.ndarray, block: np.ndarray) -> np.ndarray:
    return block[np.arange(given.size), given]


def _normalized_margin(given: np.ndarray, block: np.ndarray) -> np.ndarray:
    rows = np.arange(given.size)
    own = block[rows, given]
    others = block.copy()
    others[rows, given] = -np.inf
    best_other = others.max(axis=1) if block.shape[1] > 1 else np.zeros(given.size)
    return (own - best_other + 1) / 2


def _normalized_entropy(block: np.ndarray) -> np.ndarray:
    if (block < 0).any() or (block > 1).any():
        raise InputError(
            "confidence_weighted_entropy needs every probability in [0, 1]; pred_probs has "
            "values outside it (clip tiny negative or >1 values first)."
        )
    logs = np.zeros_like(block)
    np.log(block, out=logs, where=block > 0)
    return -np.sum(block * logs, axis=1) / np.log(block.shape[1])


def _confidence_weighted_entropy(given: np.ndarray, block: np.ndarray) -> np.ndarray:
    own = block[np.arange(given.size), given]
    ratio = _normalized_entropy(block) / np.maximum(own, 1e-6)
    return np.log(ratio + 1) / np.maximum(ratio, 1e-6)


_SCORERS = {
    "self_confidence": _self_confidence,
    "normalized_margin": _normalized_margin,
    "confidence_weighted_entropy": _confidence_weighted_entropy,
}


def adjust_block(block: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Subtract each class's threshold, add back the largest, renormalise rows (SPEC 4.2)."""
    shifted = block - thresholds + thresholds.max()
    return shifted / shifted.sum(axis=1)[:, None]


def label_scores(
    problem: Problem,
    method: str = "self_confidence",
    adjust: bool = False,
    rows: np.ndarray | None = None,
) -> np.ndarray:
    """Scores of ``rows`` (default: all rows); adjustment thresholds always use every row."""
    if adjust and method == "confidence_weighted_entropy":
        raise InputError(
            "adjust_pred_probs=True is not supported with method='confidence_weighted_entropy'; "
            "use another method or adjust_pred_probs=False."
        )
    if method == "self_confidence" and not adjust:
        sc = problem.self_confidence
        return sc.copy() if rows is None else sc[rows]
    scorer = _SCORERS[method]
    thresholds = problem.thresholds if adjust else None
    labels, probs = problem.labels, problem.pred_probs
    n = labels.size if rows is None else rows.size
    out = np.empty(n, dtype=np.float64)
    for part in iter_blocks(n, problem.n_classes):
        idx = part if rows is None else rows[part]
        block = probs[idx]
        if adjust:
            block = adjust_block(block, thresholds)
        out[part] = scorer(labels[idx], block)
    return out
