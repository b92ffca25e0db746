"""Outlier check (SPEC 9.5): far from the k nearest neighbours, or an uncertain prediction."""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, check_fraction, register_check
from pdclean.core.count import get_confident_thresholds
from pdclean.neighbors.graph import KnnGraph

__all__ = ["find_outlier_issues"]

_EPS = np.finfo(np.float64).eps
_EPSNEG = np.finfo(np.float64).epsneg
_PRECISION_FLOOR = {"euclidean": np.sqrt(100 * _EPS), "cosine": 100 * _EPSNEG}


def _from_knn(knn: KnnGraph, threshold: float, t: float) -> CheckResult:
    avg = knn.distances.mean(axis=1)
    scale = max(float(np.median(avg)), 100 * _EPS)
    score = np.exp(-t * avg / max(scale, 1e-6))
    score[avg < _PRECISION_FLOOR.get(knn.metric, 0.0)] = 1.0
    q1, q3 = np.percentile(avg, [25, 75])
    cut = np.inf if threshold == 0 else q3 + (1.0 / threshold - 1.0) * (q3 - q1)
    details = {
        "method": "knn",
        "scaling_factor": scale,
        "issue_threshold": float(cut),
        "average_distance": avg,
        "metric": knn.metric,
    }
    return CheckResult("outlier", avg > cut, score, float(score.mean()), details)


def _from_pred_probs(labels: np.ndarray, pred_probs: np.ndarray, threshold: float) -> CheckResult:
    thresholds = get_confident_thresholds(labels, pred_probs)
    adjusted = pred_probs - thresholds + thresholds.max()
    adjusted /= adjusted.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(adjusted > 0, adjusted * np.log(adjusted), 0.0)
    score = 1.0 - (-plogp.sum(axis=1) / np.log(pred_probs.shape[1]))
    cut = threshold * float(np.median(score))
    details = {"method": "pred_probs", "issue_threshold": cut, "confident_thresholds": thresholds}
    return CheckResult("outlier", score < cut, score, float(score.mean()), details)


@register_check("outlier", requires=(("knn",), ("labels", "pred_probs")))
def find_outlier_issues(
    *,
    knn: KnnGraph | None = None,
    labels: np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    threshold: float | None = None,
    t: float = 1.0,
) -> CheckResult:
    """Flag rows far from their neighbours (kNN graph) or with uncertain pred_probs.

    With a kNN graph: ``a_i`` = mean distance to the k neighbours, score
    ``exp(-t·a_i / median(a))``, flagged when ``a_i > Q3 + (1/threshold - 1)·IQR`` (threshold
    default 0.37037, in [0, 1]). Without one: score ``1 - normalised entropy`` of the
    threshold-adjusted pred_probs, flagged below ``threshold · median`` (default 0.13, >= 0).
    Summary score = mean score.

    Examples
    --------
    >>> from pdclean.neighbors.graph import build_knn_graph
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [0.4], [5.0]])
    >>> r = find_outlier_issues(knn=build_knn_graph(X, k=2))
    >>> r.is_issue.tolist()
    [False, False, False, False, False, True]
    """
    t = check_fraction("t", t, low=0.0, high=None)
    if knn is not None:
        threshold = check_fraction("threshold", 0.37037 if threshold is None else threshold)
        return _from_knn(knn, threshold, t)
    threshold = check_fraction("threshold", 0.13 if threshold is None else threshold, high=None)
    return _from_pred_probs(np.asarray(labels), np.asarray(pred_probs, dtype=np.float64), threshold)
