"""pred_probs path of OutOfDistribution (cleanlab 2.9, spec R2.5).

A row is in-distribution when the model is confident about it: scores from the (optionally
threshold-adjusted) predicted probabilities by normalised entropy, the largest probability, or
GEN (Liu et al. 2023, generalized entropy of the softmax of the top ``M`` entries). Adjusting
subtracts each class's confident threshold (mean self-confidence of its labelled rows, learned
at fit time and re-used on new rows) and renormalises.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Literal

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "OOD_METHODS",
    "OodMethod",
    "adjust_pred_probs",
    "check_labels_pred_probs",
    "confident_thresholds",
    "ood_pred_scores",
]

OodMethod = Literal["entropy", "least_confidence", "gen"]
OOD_METHODS = ("entropy", "least_confidence", "gen")
RANGE_TOL = 1e-6
THRESHOLD_FLOOR = 2e-6
ABSENT_THRESHOLD = 2.0


def check_labels(labels: object) -> np.ndarray:
    """Labels as a 1-D array of class indices, checked as cleanlab does (SPEC 2)."""
    y = np.asarray(labels)
    if y.ndim != 1:
        raise InputError(f"Labels must be 1D numpy array. labels has shape {y.shape!r}.")
    if y.dtype.kind in "USO" and any(isinstance(v, str) for v in y.tolist()):
        raise InputError(
            "Labels cannot be strings, they must be zero-indexed integers corresponding to class "
            "indices. Encode labels as 0..K-1 (e.g. with pandas.factorize) first."
        )
    values = y.astype(np.float64)
    if not np.array_equal(values, np.round(values)):
        raise InputError("Labels must be zero-indexed integers corresponding to class indices.")
    if y.size and values.min() < 0:
        raise InputError("Labels must be positive integers corresponding to class indices.")
    if np.unique(values).size < 2:
        raise InputError("Labels must contain at least 2 classes.")
    return values.astype(np.int64)


def check_labels_pred_probs(labels: object, pred_probs: object) -> tuple[np.ndarray, np.ndarray]:
    """Check labels and pred_probs together, in cleanlab's order and with its messages."""
    y = check_labels(labels)
    if not isinstance(pred_probs, np.ndarray):
        raise InputTypeError(
            f"pred_probs must be a numpy array. Got {type(pred_probs).__name__}; pass "
            "np.asarray(pred_probs)."
        )
    if len(pred_probs) != len(y):
        raise InputError("pred_probs and labels must have same length.")
    if pred_probs.ndim != 2:
        raise InputError("pred_probs array must have shape: num_examples x num_classes.")
    if pred_probs.shape[1] < y.max() + 1:
        raise InputError(
            f"pred_probs must have at least {y.max() + 1} columns, based on the largest class "
            "index which appears in labels."
        )
    if (pred_probs < -RANGE_TOL).any() or (pred_probs > 1 + RANGE_TOL).any():
        raise InputError("Values in pred_probs must be between 0 and 1.")
    return y, pred_probs


def confident_thresholds(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    """Mean self-confidence of each class's labelled rows (2.0 if absent), at least 2e-6.

    Examples
    --------
    >>> P = np.array([[0.8, 0.2, 0.0], [0.6, 0.4, 0.0], [0.3, 0.7, 0.0]])
    >>> confident_thresholds(np.array([0, 0, 1]), P).tolist()
    [0.7, 0.7, 2.0]
    """
    n_classes = pred_probs.shape[1]
    t = np.full(n_classes, ABSENT_THRESHOLD)
    for c in np.unique(labels):  # one pass per present class, numpy's mean as the reference
        t[c] = np.mean(pred_probs[labels == c, c])
    return np.clip(t, THRESHOLD_FLOOR, None)


def adjust_pred_probs(pred_probs: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """``(P - t) + max(t)``, each row then divided by its sum (SPEC 4.2).

    Examples
    --------
    >>> adjust_pred_probs(np.array([[0.5, 0.5]]), np.array([0.5, 0.3])).round(4).tolist()
    [[0.4167, 0.5833]]
    """
    A = (pred_probs - thresholds) + thresholds.max()
    return A / A.sum(axis=1, keepdims=True)


def entropy_scores(A: np.ndarray, M: int, gamma: float) -> np.ndarray:
    """1 - normalised entropy of each row (0 ln 0 = 0)."""
    if (A < 0).any() or (A > 1).any():
        raise InputError("All probabilities are required to be in the interval [0, 1].")
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(A > 0, A * np.log(A), 0.0)
    return 1 - (-np.sum(terms, axis=1)) / np.log(A.shape[1])


def least_confidence_scores(A: np.ndarray, M: int, gamma: float) -> np.ndarray:
    """The largest entry of each row."""
    return A.max(axis=1)


def gen_scores(A: np.ndarray, M: int, gamma: float) -> np.ndarray:
    """1 - sum over the top min(M, K) softmax entries q of q^gamma (1 - q)^gamma, / M."""
    n_classes = A.shape[1]
    if n_classes < M:
        warnings.warn(
            f"GEN with the default hyperparameter settings is intended for datasets with at "
            f"least {M} classes. You can adjust params['M'] according to the number of classes "
            "in your dataset.",
            UserWarning,
            stacklevel=4,
        )
    E = np.exp(A)
    Q = E / E.sum(axis=1, keepdims=True)
    top = np.sort(Q, axis=1)[:, -min(M, n_classes) :]
    return 1 - np.sum(top**gamma * (1 - top) ** gamma, axis=1) / M


SCORERS: dict[str, Callable[[np.ndarray, int, float], np.ndarray]] = {
    "entropy": entropy_scores,
    "least_confidence": least_confidence_scores,
    "gen": gen_scores,
}


def thresholds_for(labels: object, pred_probs: object, thresholds: object) -> np.ndarray:
    """The thresholds to adjust with: the given ones, else learned from labels."""
    if thresholds is not None:
        return np.asarray(thresholds, dtype=np.float64)
    if labels is None:
        raise InputError(
            "Cannot calculate adjust_pred_probs without labels. Either pass in labels parameter "
            "or set params['adjusted_pred_probs'] = False. "
        )
    y, P = check_labels_pred_probs(labels, pred_probs)
    return confident_thresholds(y, P)


def ood_pred_scores(
    pred_probs: object,
    *,
    labels: object = None,
    thresholds: object = None,
    adjust: bool = True,
    method: OodMethod = "entropy",
    M: int = 100,
    gamma: float = 0.1,
) -> tuple[np.ndarray, np.ndarray | None]:
    """OOD scores of rows from predicted probabilities; return (scores, thresholds used).

    Examples
    --------
    >>> P = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8]])
    >>> scores, t = ood_pred_scores(P, labels=[0, 1, 1], method="least_confidence")
    >>> scores.round(4).tolist(), t.round(4).tolist()
    ([0.72, 0.6, 0.84], [0.9, 0.65])
    """
    if (thresholds is not None or labels is not None) and not adjust:
        warnings.warn(
            "OOD scores are not adjusted with confident thresholds. If scores need to be "
            "adjusted set params['adjusted_pred_probs'] = True. Otherwise passing in "
            "confident_thresholds and/or labels does not change score calculation.",
            UserWarning,
            stacklevel=3,
        )
    used = None
    A = pred_probs
    if adjust:
        used = thresholds_for(labels, pred_probs, thresholds)
        A = adjust_pred_probs(np.asarray(pred_probs, dtype=np.float64), used)
    A = np.asarray(A, dtype=np.float64)
    if method not in SCORERS:
        raise InputError(
            f"{method} is not a valid OOD scoring method!\n Please choose a valid "
            f"scoring_method: {OOD_METHODS}"
        )
    return SCORERS[method](A, M, gamma), used
