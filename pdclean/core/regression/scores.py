"""Label quality scores of a numeric target from its predictions (SPEC R0.4, R1.2, R1.3).

* ``residual``: ``exp(-|p - y|)`` (not scale-free).
* ``outre``: each row is a point (standardised label, 5 x standardised residual) in the plane;
  its score is ``exp(-a / max(median(a), 1e-6))`` where ``a`` is the average Euclidean distance
  to its ``ceil(n / 2)`` nearest points (itself included), 1 when ``a`` is below 1.49e-7.

The neighbour search uses scikit-learn's ``NearestNeighbors`` in the same configuration as the
reference (a difference-based tree search for n <= 100, brute force on the squared-norm
expansion above), so scores agree with cleanlab 2.9 to rounding; queries go in row blocks so
the (block, k) distance matrix stays small.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from sklearn.neighbors import NearestNeighbors

from pdclean.core.regression.validation import check_choice, check_pair

__all__ = [
    "SCORE_METHODS",
    "RegressionScoreMethod",
    "get_label_quality_scores",
    "knn_average_distance_score",
    "outre_scores",
    "residual_scores",
]

RegressionScoreMethod = Literal["outre", "residual"]

#: Standard deviations get this added before dividing (both axes of outre).
TINY = 1e-100
#: Floor of the stored kNN scale (100 float64 machine epsilons).
SCALE_STORE_FLOOR = 100 * float(np.finfo(np.float64).eps)
#: The score transform divides by at least this.
SCALE_FLOOR = 1e-6
#: Average distances below this score exactly 1 (Euclidean precision fix).
TOL_EUCLID = math.sqrt(SCALE_STORE_FLOOR)
#: Weight of the residual axis of outre.
OUTRE_RESIDUAL_SCALE = 5.0
#: outre averages over ceil(this x n) neighbours.
OUTRE_FRAC_NEIGHBORS = 0.5
#: Largest n searched with the exact (difference-based) tree distances, as in the reference.
SMALL_N_CUTOFF = 100
#: Query rows per block of the neighbour search (bounds the (block, k) distance matrix).
QUERY_BLOCK = 2048


def residual_scores(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """``exp(-|predictions - labels|)`` (SPEC R1.2), on checked arrays.

    Examples
    --------
    >>> residual_scores(np.array([1.0, 2.0]), np.array([1.0, 3.0])).round(4).tolist()
    [1.0, 0.3679]
    """
    return np.exp(-np.abs(predictions - labels))


def outre_points(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """The (n, 2) points of outre: standardised label, 5 x standardised residual (SPEC R1.3)."""
    residual = predictions - labels
    u = (labels - np.mean(labels)) / (np.std(labels) + TINY)
    v = OUTRE_RESIDUAL_SCALE * ((residual - np.mean(residual)) / (np.std(residual) + TINY))
    return np.column_stack([u, v])


def average_knn_distance(points: np.ndarray, k: int) -> np.ndarray:
    """Mean distance of each point to its ``k`` nearest points, itself included (SPEC R1.3)."""
    small = len(points) <= SMALL_N_CUTOFF
    nn = NearestNeighbors(n_neighbors=k, algorithm="kd_tree" if small else "brute")
    nn.fit(points)
    out = np.empty(len(points))
    for start in range(0, len(points), QUERY_BLOCK):
        stop = min(start + QUERY_BLOCK, len(points))
        dist, _ = nn.kneighbors(points[start:stop], return_distance=True)
        out[start:stop] = np.mean(dist, axis=1)
    return out


def knn_average_distance_score(avg_distance: np.ndarray, *, t: float = 1.0) -> np.ndarray:
    """Scores in [0, 1] from average kNN distances, with a fresh scale (SPEC R0.4).

    ``exp(-t·a / max(median(a), 1e-6))``, and 1 where ``a`` < 1.49e-7 (Euclidean precision).

    Examples
    --------
    >>> knn_average_distance_score(np.array([0.0, 1.0, 2.0])).round(4).tolist()
    [1.0, 0.3679, 0.1353]
    """
    scale = max(float(np.median(avg_distance)), SCALE_STORE_FLOOR)
    scores = np.exp((-t * avg_distance) / max(scale, SCALE_FLOOR))
    scores[avg_distance < TOL_EUCLID] = 1.0
    return scores


def outre_scores(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    """The outre score of each row (SPEC R1.3), on checked arrays of n >= 2 values.

    Examples
    --------
    >>> outre_scores(np.array([1, 2, 3]), np.array([2, 5, 3])).round(6).tolist()
    [0.367879, 0.177917, 0.367879]
    """
    k = math.ceil(OUTRE_FRAC_NEIGHBORS * len(labels))
    points = outre_points(labels, predictions)
    return knn_average_distance_score(average_knn_distance(points, k))


SCORE_METHODS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "outre": outre_scores,
    "residual": residual_scores,
}


def get_label_quality_scores(
    labels: object, predictions: object, *, method: RegressionScoreMethod = "outre"
) -> np.ndarray:
    """Label quality score of each numeric label from its (out-of-sample) prediction.

    Parameters
    ----------
    labels : array-like, shape (n,)
        Given targets (n >= 2, finite real numbers).
    predictions : array-like, shape (n,)
        Out-of-sample predictions of the targets.
    method : {"outre", "residual"}, default "outre"
        ``"outre"``: a kNN outlier score in (standardised label, residual) space (scale-free);
        ``"residual"``: ``exp(-|prediction - label|)``.

    Returns
    -------
    ndarray of float64, shape (n,)
        Scores in [0, 1]; low = the label looks wrong.

    Examples
    --------
    >>> get_label_quality_scores([1, 2, 3, 4], [2, 2, 5, 4.1]).round(4).tolist()
    [0.2162, 0.6259, 0.2028, 0.6259]
    >>> get_label_quality_scores([1, 2, 3, 4], [2, 2, 5, 4.1], method="residual").round(4).tolist()
    [0.3679, 1.0, 0.1353, 0.9048]
    """
    y, p = check_pair(labels, predictions)
    score = SCORE_METHODS[check_choice("method", method, SCORE_METHODS)]
    return np.asarray(score(y, p), dtype=np.float64)
