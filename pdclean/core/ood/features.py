"""Feature path of OutOfDistribution (cleanlab 2.9, spec R2.3 and R2.4).

Fitting stores a scikit-learn ``NearestNeighbors`` index on the reference rows and scores each
of them by its mean distance to its ``k`` nearest *other* rows (exact duplicates at distance
0); scoring new rows queries the stored index (no self-exclusion) and applies the stored scale.
The metric is cosine for more than 3 columns, else Euclidean (SciPy's exact ``euclidean`` up to
100 rows, scikit-learn's above), as the reference.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.spatial.distance import euclidean
from sklearn.neighbors import NearestNeighbors

from pdclean.core.ood.transform import average_distance, distance_scores, learn_scale
from pdclean.errors import InputError
from pdclean.neighbors.approximate import duplicate_groups

__all__ = [
    "DEFAULT_K",
    "fit_features",
    "knn_metric_name",
    "score_features",
]

DEFAULT_K = 10
COSINE_DIM_CUTOFF = 3
SMALL_N_CUTOFF = 100


def knn_metric_name(knn: NearestNeighbors) -> str:
    """The metric name of a kNN object: its ``metric`` string or the callable's ``__name__``."""
    metric = knn.metric
    return metric if isinstance(metric, str) else getattr(metric, "__name__", repr(metric))


def corrected_distances(dist: np.ndarray, idx: np.ndarray, gid: np.ndarray) -> np.ndarray:
    """Self-excluded neighbour distances with exact duplicates moved to the front at 0.

    A row of a duplicate group of size g gets h = min(g - 1, k) zeros, then the distances of
    its first k - h neighbours that are not in its group (spec R2.3 step 5).
    """
    rows = np.flatnonzero(gid >= 0)
    if rows.size == 0:
        return dist
    k = dist.shape[1]
    sizes = np.bincount(gid[rows])
    h = np.minimum(sizes[gid[rows]] - 1, k)[:, None]
    member = gid[idx[rows]] == gid[rows][:, None]
    outside = np.argsort(member, axis=1, kind="stable")  # non-members first, in their order
    cols = np.arange(k)[None, :]
    take = np.take_along_axis(outside, np.clip(cols - h, 0, k - 1), 1)
    out = dist.copy()
    out[rows] = np.where(cols < h, 0.0, np.take_along_axis(dist[rows], take, 1))
    return out


def check_k(k: object, n: int) -> int:
    """The neighbour count of a fit: ``k`` if truthy, else min(10, n - 1); needs k < n."""
    if k is not None and (isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0):
        raise InputError(
            f"params['k'] must be None or a non-negative integer, got {k!r}; pass e.g. k=10."
        )
    if k is not None and k >= n:
        raise InputError(
            f"Number of nearest neighbors k={k} cannot exceed the number of examples N={n} "
            "passed into the estimator (knn)."
        )
    kn = int(k) if k else min(DEFAULT_K, n - 1)
    if kn < 1:
        raise InputError(
            f"features has {n} row; fitting the OOD estimator needs at least 2 rows (each row "
            "is scored by its distance to the others)."
        )
    return kn


def fit_features(
    features: np.ndarray, *, k: int | None = None, t: float = 1
) -> tuple[NearestNeighbors, np.ndarray, float]:
    """Fit the kNN index on reference rows; return (index, their scores, the learned scale).

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
    >>> knn, scores, scale = fit_features(X, k=2)
    >>> scores.round(4).tolist(), scale
    ([0.3679, 0.3679, 0.3679, 0.3679, 0.0024], 1.0)
    """
    n, n_cols = features.shape
    kn = check_k(k, n)
    if n_cols > COSINE_DIM_CUTOFF:
        metric = "cosine"
    else:
        metric = euclidean if n <= SMALL_N_CUTOFF else "euclidean"
    knn = NearestNeighbors(n_neighbors=kn, metric=metric).fit(features)
    dist, idx = knn.kneighbors()
    dist = corrected_distances(dist, idx, duplicate_groups(features))
    avg = average_distance(dist, kn)
    scale = learn_scale(avg)
    scores = distance_scores(avg, scale=scale, t=t, metric_name=knn_metric_name(knn))
    return knn, scores, scale


def is_fitted(knn: NearestNeighbors) -> bool:
    """Whether a kNN object has been fitted (scikit-learn sets ``n_samples_fit_``)."""
    return hasattr(knn, "n_samples_fit_")


def score_features(
    knn: NearestNeighbors,
    features: np.ndarray,
    *,
    k: int | None = None,
    t: float = 1,
    scale: float | None = None,
) -> tuple[np.ndarray, float]:
    """Score rows by their mean distance to the fitted rows; return (scores, scale used).

    The row itself is not excluded (a fitted row finds itself at distance 0). A kNN object
    not fitted yet is fitted on ``features`` first; without a ``scale`` the median of this
    call's averages is learned.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
    >>> knn, _, scale = fit_features(X, k=2)
    >>> scores, _ = score_features(knn, np.array([[0.5, 0.5], [9.0, 9.0]]), scale=scale)
    >>> scores.round(4).tolist()
    [0.4931, 0.0002]
    """
    n_neighbors = knn.n_neighbors
    kk = k if k else n_neighbors  # k = 0 means the default, as at fit (cleanlab: NaN scores)
    if kk > n_neighbors:
        warnings.warn(
            f"Chosen k={kk} cannot be greater than n_neighbors={n_neighbors} which was used "
            f"when fitting NearestNeighbors object! Value of k changed to k={n_neighbors}.",
            UserWarning,
            stacklevel=3,
        )
        kk = n_neighbors
    if not is_fitted(knn):
        knn.fit(features)
    dist, _ = knn.kneighbors(features)
    avg = average_distance(dist, kk)
    if scale is None:
        scale = learn_scale(avg)
    p = getattr(knn, "p", None)
    scores = distance_scores(avg, scale=scale, t=t, metric_name=knn_metric_name(knn), p=p)
    return scores, scale
