"""Per-class label quality scores of the one-vs-rest problems (SPEC-multi B.4.1, SPEC §4.1).

Column k of the result is the single-label score of binary problem k, for every row. The
methods are a dict of functions on the binary "given" and "other" probabilities.
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

from pdclean.core.multilabel.binary import OneVsRest, thresholds
from pdclean.errors import InputError

__all__ = ["SCORE_METHODS", "ScoreMethod", "adjusted_columns", "class_scores"]

ScoreMethod = Literal["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
SCORE_METHODS: tuple[str, ...] = get_args(ScoreMethod)
CLIP = 1e-6


def adjusted_columns(ovr: OneVsRest) -> tuple[np.ndarray, np.ndarray]:
    """Binary pred_probs shifted by the binary confident thresholds, rows renormalised (§4.2).

    An absent binary class has threshold 2.0, which flattens the scores: a cleanlab artefact
    mirrored for parity.

    Examples
    --------
    >>> from pdclean.core.multilabel.binary import one_vs_rest
    >>> ovr = one_vs_rest(np.array([[1], [0]], bool), np.array([[0.8], [0.4]]))
    >>> [a.round(4).tolist() for a in adjusted_columns(ovr)]
    [[[0.3333, 0.6667]], [[0.6667, 0.3333]]]
    """
    t = thresholds(ovr)
    top = t.max(axis=1)[:, None]
    a0 = ovr.q - t[:, :1] + top
    a1 = ovr.p - t[:, 1:] + top
    total = a0 + a1
    return a0 / total, a1 / total


def _given_other(b0: np.ndarray, b1: np.ndarray, y: np.ndarray):
    return np.where(y, b1, b0), np.where(y, b0, b1)


def _self_confidence(b0, b1, y):
    return np.where(y, b1, b0)


def _normalized_margin(b0, b1, y):
    given, other = _given_other(b0, b1, y)
    return (given - other + 1) / 2


def _xlogx(x: np.ndarray) -> np.ndarray:
    return x * np.log(np.where(x > 0, x, 1.0))


def _confidence_weighted_entropy(b0, b1, y):
    if not (np.all((b0 >= 0) & (b0 <= 1)) and np.all((b1 >= 0) & (b1 <= 1))):
        raise InputError(
            "confidence_weighted_entropy needs every probability in [0, 1] exactly (1 - p too); "
            "clip pred_probs to [0, 1] first."
        )
    entropy = -(_xlogx(b0) + _xlogx(b1)) / np.log(2)
    q = entropy / np.maximum(np.where(y, b1, b0), CLIP)
    return np.log(q + 1) / np.maximum(q, CLIP)


_METHODS = {
    "self_confidence": _self_confidence,
    "normalized_margin": _normalized_margin,
    "confidence_weighted_entropy": _confidence_weighted_entropy,
}


def class_scores(ovr: OneVsRest, method: ScoreMethod, *, adjust: bool = False) -> np.ndarray:
    """(K, n) per-class scores of ``method``; ``adjust`` applies SPEC §4.2 per binary problem.

    Examples
    --------
    >>> from pdclean.core.multilabel.binary import one_vs_rest
    >>> ovr = one_vs_rest(np.array([[0, 1, 0], [1, 0, 1]], bool),
    ...                   np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]]))
    >>> class_scores(ovr, "self_confidence").T.round(2).tolist()
    [[0.9, 0.9, 0.9], [0.4, 0.9, 0.9]]
    """
    if adjust and method == "confidence_weighted_entropy":
        raise InputError(
            "adjust_pred_probs is not supported with method='confidence_weighted_entropy'; "
            "use self_confidence or normalized_margin, or adjust_pred_probs=False."
        )
    if method == "self_confidence" and not adjust:  # the default: one pass, one array
        out = 1.0 - ovr.p
        np.copyto(out, ovr.p, where=ovr.y)
        return out
    b0, b1 = adjusted_columns(ovr) if adjust else (ovr.q, ovr.p)
    return _METHODS[method](b0, b1, ovr.y)
