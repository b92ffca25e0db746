"""The kNN average-distance score (cleanlab 2.9 OutOfDistribution, spec R0.4).

Given each row's distances to its nearest neighbours, the score is
``exp(-t * a_i / max(s, 1e-6))`` with ``a_i`` the mean distance to the ``kk`` nearest and ``s``
a scale learned once (``max(median(a), 100 * eps)``); rows whose mean distance is below the
metric's precision tolerance score exactly 1.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "EPS64",
    "SCALE_FLOOR",
    "average_distance",
    "distance_scores",
    "learn_scale",
    "precision_tolerance",
]

EPS64 = float(np.finfo(np.float64).eps)
EPSNEG64 = float(np.finfo(np.float64).epsneg)
SCALE_FLOOR = 1e-6


def average_distance(distances: np.ndarray, kk: int) -> np.ndarray:
    """Mean of the first ``kk`` columns of a (n, k) ascending distance array.

    Examples
    --------
    >>> average_distance(np.array([[1.0, 2.0, 6.0], [0.0, 0.0, 3.0]]), 2).tolist()
    [1.5, 0.0]
    """
    return np.mean(distances[:, :kk], axis=1)


def learn_scale(avg: np.ndarray) -> float:
    """The stored scale: ``max(median(avg), 100 * eps)`` as a Python float.

    Examples
    --------
    >>> learn_scale(np.array([0.0, 1.0, 3.0]))
    1.0
    >>> learn_scale(np.zeros(3))
    2.220446049250313e-14
    """
    return max(float(np.median(avg)), 100 * EPS64)


def precision_tolerance(metric_name: str, p: float | None = None) -> float | None:
    """Mean distance below which a row scores exactly 1 (None: no fix for this metric).

    Examples
    --------
    >>> precision_tolerance("euclidean")
    1.4901161193847656e-07
    >>> precision_tolerance("manhattan") is None
    True
    """
    if metric_name == "euclidean":
        return float(np.sqrt(100 * EPS64))
    if metric_name == "cosine":
        return 100 * EPSNEG64
    if metric_name == "minkowski" and p is not None:
        return float((100 * EPS64) ** (1.0 / p))
    return None


def distance_scores(
    avg: np.ndarray, *, scale: float, t: float = 1, metric_name: str, p: float | None = None
) -> np.ndarray:
    """``exp(-t * avg / max(scale, 1e-6))``, with the precision fix of the metric.

    Examples
    --------
    >>> distance_scores(np.array([0.0, 1.0, 2.0]), scale=1.0, metric_name="euclidean").round(6)
    array([1.      , 0.367879, 0.135335])
    """
    scores = np.exp((-t * avg) / max(scale, SCALE_FLOOR))
    tol = precision_tolerance(metric_name, p)
    if tol is not None:
        scores[avg < tol] = 1.0
    return scores
