"""Out-of-distribution and outlier scores for new rows, against reference rows.

``OutOfDistribution`` has the API of ``cleanlab.outlier.OutOfDistribution`` (cleanlab 2.9) and
gives the same scores: fit on reference rows (``features`` or ``pred_probs`` with ``labels``),
then score new rows against them. Scores are in [0, 1]; low means atypical (out of
distribution). The numpy engine lives in :mod:`pdclean.core.ood`.

Differences from cleanlab (none changes a score): errors are :mod:`pdclean.errors` exceptions
(subclasses of the same builtin); ``verbose`` and the GEN caution go to :mod:`logging` instead
of stdout; array-likes (lists) are accepted where cleanlab needs numpy arrays.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np

from pdclean.core.ood import fit_features, ood_pred_scores, score_features
from pdclean.errors import InputError

__all__ = ["OutOfDistribution"]

logger = logging.getLogger(__name__)

DEFAULT_PARAMS: dict[str, Any] = {
    "k": None,
    "t": 1,
    "knn": None,
    "method": "entropy",
    "adjust_pred_probs": True,
    "confident_thresholds": None,
    "M": 100,
    "gamma": 0.1,
}


def check_inputs(features: object, pred_probs: object) -> np.ndarray | None:
    """Exactly one of features / pred_probs; features as a 2-D float array."""
    if features is None and pred_probs is None:
        raise InputError(
            "Not enough information to compute scores. Pass in either features or pred_probs."
        )
    if features is not None and pred_probs is not None:
        raise InputError(
            "Cannot fit to OOD Estimator to both features and pred_probs. Pass in either one or "
            "the other."
        )
    if features is None:
        return None
    X = np.asarray(features, dtype=np.float64)
    if X.ndim != 2:
        raise InputError(
            "Feature array needs to be of shape (N, M), where N is the number of examples and M "
            f"is the number of features used to represent each example. Got shape {X.shape!r}."
        )
    return X


class OutOfDistribution:
    """Score how out-of-distribution rows are, relative to the rows the estimator was fit on.

    Parameters
    ----------
    params : dict, optional
        Feature path: ``k`` (neighbours, default min(10, N - 1)), ``t`` (score temperature, 1),
        ``knn`` (a scikit-learn ``NearestNeighbors`` to use instead of fitting one).
        pred_probs path: ``method`` ("entropy", "least_confidence" or "gen"),
        ``adjust_pred_probs`` (True: subtract per-class confident thresholds learned at fit),
        ``confident_thresholds`` (given instead of learned), ``M`` (100) and ``gamma`` (0.1)
        for GEN. The state lives in ``self.params`` (also ``scaling_factor``), as in cleanlab.

    Examples
    --------
    >>> X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
    >>> ood = OutOfDistribution(params={"k": 2})
    >>> ood.fit_score(features=X, verbose=False).round(4).tolist()
    [0.3679, 0.3679, 0.3679, 0.3679, 0.0024]
    >>> ood.score(features=np.array([[0.5, 0.5], [9.0, 9.0]])).round(4).tolist()
    [0.4931, 0.0002]
    """

    def __init__(self, params: dict | None = None) -> None:
        params = {} if params is None else params
        bad = [key for key in params if key not in DEFAULT_PARAMS]
        if bad:
            raise InputError(
                f"Passed in params dict can only contain {DEFAULT_PARAMS}. Remove {bad} from "
                "params dict."
            )
        self.params: dict[str, Any] = {**DEFAULT_PARAMS, **params, "scaling_factor": None}
        if self.params["adjust_pred_probs"] and self.params["method"] == "gen":
            logger.warning(
                "CAUTION: GEN method is not recommended for use with adjusted pred_probs. To use "
                "GEN, we recommend setting: params['adjust_pred_probs'] = False"
            )

    def fit_score(
        self,
        *,
        features: object = None,
        pred_probs: object = None,
        labels: object = None,
        verbose: bool = True,
    ) -> np.ndarray:
        """Fit on these rows and return their scores (each row's neighbours exclude itself).

        If the estimator was already fitted (or given a ``knn`` / ``confident_thresholds``),
        warn and return :meth:`score` on these rows instead.
        """
        scores = self._fit(features, pred_probs, labels, verbose)
        if scores is None:
            return self.score(features=features, pred_probs=pred_probs)
        return scores

    def fit(
        self,
        *,
        features: object = None,
        pred_probs: object = None,
        labels: object = None,
        verbose: bool = True,
    ) -> None:
        """Fit on reference rows (features, or pred_probs with labels). Returns None."""
        self._fit(features, pred_probs, labels, verbose)

    def score(self, *, features: object = None, pred_probs: object = None) -> np.ndarray:
        """Scores of new rows against the fitted state (a fitted row is its own neighbour)."""
        X = check_inputs(features, pred_probs)
        if X is not None:
            return self._score_features(X)
        params = self.params
        if params["adjust_pred_probs"] and params["confident_thresholds"] is None:
            raise InputError(
                "OOD estimator needs to be fit on pred_probs first since "
                "params['adjust_pred_probs']=True. Call `fit()` or `fit_scores()` before this "
                "function."
            )
        return self._pred_scores(pred_probs, None, params["confident_thresholds"])[0]

    def _score_features(self, X: np.ndarray) -> np.ndarray:
        params = self.params
        if params["knn"] is None:
            raise InputError(
                "OOD estimator needs to be fit on features first. Call `fit()` or "
                "`fit_scores()` before this function."
            )
        scores, scale = score_features(
            params["knn"], X, k=params["k"], t=params["t"], scale=params["scaling_factor"]
        )
        params["scaling_factor"] = scale
        return scores

    def _pred_scores(self, pred_probs, labels, thresholds):
        params = self.params
        return ood_pred_scores(
            pred_probs, labels=labels, thresholds=thresholds,
            adjust=params["adjust_pred_probs"], method=params["method"],
            M=params["M"], gamma=params["gamma"],
        )  # fmt: skip

    def _fit(self, features, pred_probs, labels, verbose) -> np.ndarray | None:
        """Fit and return the scores of the fitted rows; None when already fitted."""
        X = check_inputs(features, pred_probs)
        params = self.params
        if X is not None:
            if params["knn"] is not None:
                warnings.warn(
                    "A KNN estimator has previously already been fit, call score() to apply it "
                    "to data, or create a new OutOfDistribution object to fit a different "
                    "estimator.",
                    UserWarning,
                    stacklevel=3,
                )
                return None
            if verbose:
                logger.info("Fitting OOD estimator based on provided features ...")
            knn, scores, scale = fit_features(X, k=params["k"], t=params["t"])
            params["knn"], params["scaling_factor"] = knn, scale
            return scores
        if params["confident_thresholds"] is not None:
            warnings.warn(
                "Confident thresholds have previously already been fit, call score() to apply "
                "them to data, or create a new OutOfDistribution object to fit a different "
                "estimator.",
                UserWarning,
                stacklevel=3,
            )
            return None
        if verbose:
            logger.info("Fitting OOD estimator based on provided pred_probs ...")
        scores, thresholds = self._pred_scores(pred_probs, labels, None)
        if thresholds is None:
            warnings.warn(
                "No estimates need to be be fit under the provided params, so you could directly "
                "call score() as an alternative.",
                UserWarning,
                stacklevel=3,
            )
        else:
            params["confident_thresholds"] = thresholds
        return scores
