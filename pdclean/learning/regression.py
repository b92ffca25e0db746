"""CleanLearning for numeric targets: a scikit-learn regressor trained on the rows it trusts.

Same parameters, methods and answers as cleanlab 2.9's ``cleanlab.regression.learn.CleanLearning``
(SPEC R3) with a deterministic model and the same ``seed``; the algorithm lives in
:mod:`pdclean.core.regression.issues`. Differences, all deliberate:

* **Randomness is local.** The reference reseeds numpy's global generator in its constructor and
  then draws its fold permutations from it. Here ``__init__`` only stores ``seed``; every
  ``fit``/``find_label_issues``/uncertainty call draws from a fresh ``RandomState(seed)`` in the
  reference's sequence, so each call equals the reference *constructed with the same seed just
  before that call*, and repeated calls give the same answer. numpy's global generator is never
  touched (``seed=None`` draws from a fresh unseeded generator).
* **Estimator contract.** Fitted state ends with ``_``: ``model_`` (a fitted clone of ``model``;
  the reference fits ``model`` itself), ``label_issues_`` (the reference's ``label_issues_df``),
  ``label_issues_mask_``, ``k_`` (the chosen excluded fraction, reference ``k``).
* **Errors** are :mod:`pdclean.errors` exceptions (``ValueError``/``TypeError`` subclasses) that
  name the argument and show the value; ``inf`` in ``y`` is rejected. ``verbose`` logs through
  :mod:`logging` instead of printing.
"""

from __future__ import annotations

import inspect
import logging
import numbers
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted, has_fit_parameter

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover  (scikit-learn 1.4 and 1.5: the method of the time)

    def validate_data(estimator: Any, X: Any, *, reset: bool = True, skip_check_array=False):
        return estimator._validate_data(X, reset=reset, cast_to_ndarray=not skip_check_array)


from pdclean.core.regression.issues import (
    DEFAULT_COARSE_SEARCH_RANGE,
    aleatoric_uncertainty,
    check_uncertainty,
    epistemic_uncertainty,
    find_regression_issues,
)
from pdclean.core.regression.validation import (
    check_2d,
    check_fit_kwargs,
    check_X_y,
    issues_mask,
    make_rng,
    rows,
)
from pdclean.errors import InputError, InputTypeError

__all__ = ["CleanLearning"]

logger = logging.getLogger(__name__)

FIND_KWARGS = ("uncertainty", "coarse_search_range", "fine_search_size", "save_space")


class CleanLearning(RegressorMixin, BaseEstimator):
    """Find the label errors of a numeric target, drop them and fit ``model`` on the rest.

    Parameters
    ----------
    model : regressor, optional
        Any scikit-learn regressor (``fit`` and ``predict``); cloned, never modified.
        Default: ``LinearRegression()``.
    cv_n_folds : int, default 5
        Cross-validation folds (>= 2).
    n_boot : int, default 5
        Repeated 2-fold CV runs for the epistemic uncertainty (0: none).
    include_aleatoric_uncertainty : bool, default True
        Add the std of the out-of-fold predictions of the residuals to the uncertainty.
    verbose : bool, default False
        Log progress at INFO level (logger ``pdclean.learning.regression``).
    seed : int, RandomState or None
        Seed of the fold permutations (a fresh ``RandomState(seed)`` per call, see above).

    Attributes
    ----------
    model_ : regressor
        The clone of ``model`` fitted on the rows not flagged.
    label_issues_ : DataFrame or None
        ``is_label_issue``, ``label_quality``, ``given_label``, ``predicted_label``.
    label_issues_mask_ : ndarray of bool or None
    k_ : float or None
        The fraction of rows excluded by the search (0 when excluding none fits best).
    n_features_in_, feature_names_in_
        As in scikit-learn.

    Examples
    --------
    >>> X = np.arange(10.0).reshape(-1, 1)
    >>> y = 2 * X[:, 0] + np.tile([0.1, -0.1], 5)
    >>> y[6] += 9.0  # an entry error
    >>> cl = CleanLearning(cv_n_folds=2, n_boot=0, seed=0).fit(X, y)
    >>> np.flatnonzero(cl.label_issues_mask_).tolist(), cl.k_
    ([6], 0.01)
    >>> cl.predict([[10.0]]).round(2).tolist()
    [19.94]
    """

    def __init__(
        self,
        model: Any = None,
        *,
        cv_n_folds: int = 5,
        n_boot: int = 5,
        include_aleatoric_uncertainty: bool = True,
        verbose: bool = False,
        seed: Any = None,
    ) -> None:
        self.model = model
        self.cv_n_folds = cv_n_folds
        self.n_boot = n_boot
        self.include_aleatoric_uncertainty = include_aleatoric_uncertainty
        self.verbose = verbose
        self.seed = seed

    def __sklearn_tags__(self):
        """Input tags (NaN) follow those of ``model`` when it is a scikit-learn estimator."""
        from sklearn.utils import get_tags  # scikit-learn >= 1.6, the only caller

        tags = super().__sklearn_tags__()
        model = LinearRegression() if self.model is None else self.model
        if hasattr(model, "__sklearn_tags__"):
            tags.input_tags.allow_nan = get_tags(model).input_tags.allow_nan
        return tags

    # --------------------------------------------------------------------- parameters

    def checked_model(self) -> Any:
        """``model`` (or the default), after checking it has ``fit`` and ``predict``."""
        model = LinearRegression() if self.model is None else self.model
        for method in ("fit", "predict"):
            if not callable(getattr(model, method, None)):
                raise InputTypeError(
                    f"model must define a .{method}() method; got {model!r}. Pass a"
                    " scikit-learn regressor."
                )
        return model

    def checked_params(self) -> Any:
        """The model, after checking ``cv_n_folds`` and ``n_boot``."""
        model = self.checked_model()
        for name, low in (("cv_n_folds", 2), ("n_boot", 0)):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool):
                raise InputTypeError(f"{name} must be an integer >= {low}; got {value!r}.")
            if value < low:
                raise InputError(f"{name} must be an integer >= {low}; got {value!r}.")
        return model

    # --------------------------------------------------------------------- label issues

    def find_label_issues(
        self,
        X: Any,
        y: Any,
        *,
        uncertainty: Any = None,
        coarse_search_range: Sequence[float] = DEFAULT_COARSE_SEARCH_RANGE,
        fine_search_size: int = 3,
        save_space: bool = False,
        model_kwargs: dict[str, Any] | None = None,
    ) -> pd.DataFrame:
        """Flag the rows whose target looks wrong, by cross-validation (SPEC R3.5).

        Parameters
        ----------
        X : array-like, shape (n, ...)
            Features (converted with ``np.asarray``).
        y : array-like, shape (n,)
            Numeric target (finite; integers allowed).
        uncertainty : float or ndarray (n,), optional
            Known uncertainty of each target; skips the epistemic/aleatoric estimates.
        coarse_search_range : sequence of float
            Candidate fractions of rows to exclude.
        fine_search_size : int, default 3
            Points of the fine grid on each side of the best coarse fraction.
        save_space : bool, default False
            Do not store the result on the estimator.
        model_kwargs : dict, optional
            Extra ``model.fit`` keywords (first and final CV only).

        Returns
        -------
        DataFrame
            Index 0..n-1: ``is_label_issue``, ``label_quality`` (low = suspicious),
            ``given_label``, ``predicted_label`` (out-of-fold; truncated to int64 for int64 y).
        """
        model = self.checked_params()
        X_arr, target = check_X_y(X, y)
        uncertainty = check_uncertainty(uncertainty, len(target))
        logger.log(self.log_level(), "Identifying label issues ...")
        found = find_regression_issues(
            model,
            X_arr,
            target,
            n_folds=self.cv_n_folds,
            n_boot=self.n_boot,
            include_aleatoric_uncertainty=self.include_aleatoric_uncertainty,
            uncertainty=uncertainty,
            coarse_search_range=coarse_search_range,
            fine_search_size=fine_search_size,
            fit_kwargs=check_fit_kwargs("model_kwargs", model_kwargs),
            rng=make_rng(self.seed),
        )
        predicted = found.predictions
        if target.dtype == np.dtype(int):
            predicted = predicted.astype(int)
        frame = pd.DataFrame(
            {
                "is_label_issue": found.is_label_issue,
                "label_quality": found.label_quality,
                "given_label": target,
                "predicted_label": predicted,
            }
        )
        logger.log(self.log_level(), "Identified %d examples with label issues.", frame.shape[0])
        if not save_space:
            self.label_issues_ = frame
            self.label_issues_mask_ = found.is_label_issue
            self.k_ = found.k
        return frame

    def log_level(self) -> int:
        """INFO when verbose, else DEBUG."""
        return logging.INFO if self.verbose else logging.DEBUG

    # --------------------------------------------------------------------- fitting

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        label_issues: Any = None,
        sample_weight: Any = None,
        find_label_issues_kwargs: dict[str, Any] | None = None,
        model_kwargs: dict[str, Any] | None = None,
        model_final_kwargs: dict[str, Any] | None = None,
    ) -> CleanLearning:
        """Find the label issues (or take ``label_issues``), drop them, fit a clone of ``model``.

        Parameters
        ----------
        X, y
            As in :meth:`find_label_issues`. A DataFrame X stays a DataFrame for the final fit.
        label_issues : DataFrame (with ``is_label_issue``), Series or bool ndarray, optional
            The rows to drop; skips finding them.
        sample_weight : array-like (n,), optional
            Weights of the final fit (of the kept rows); never used in cross-validation.
        find_label_issues_kwargs : dict, optional
            Keywords of :meth:`find_label_issues` (``uncertainty``, ``coarse_search_range``,
            ``fine_search_size``, ``save_space``).
        model_kwargs, model_final_kwargs : dict, optional
            Extra ``model.fit`` keywords: the first for the CV and the final fit, the second
            for the final fit only.

        Returns
        -------
        self
        """
        model = self.checked_params()
        X_arr, target = check_X_y(X, y)
        validate_data(self, X, skip_check_array=True)
        final_kwargs = {
            **check_fit_kwargs("model_kwargs", model_kwargs),
            **check_fit_kwargs("model_final_kwargs", model_final_kwargs),
        }
        weights = self.checked_sample_weight(model, sample_weight, len(target))
        if label_issues is None:
            frame = self.find_label_issues(
                X_arr,
                target,
                model_kwargs=model_kwargs,
                **self.find_kwargs(find_label_issues_kwargs),
            )
            mask = frame["is_label_issue"].to_numpy()
        else:
            mask = issues_mask(label_issues, target)
        keep = ~mask
        if weights is not None:
            final_kwargs["sample_weight"] = weights[keep]
        self.model_ = clone(model).fit(rows(X, keep), target[keep], **final_kwargs)
        logger.log(self.log_level(), "Fitted the model on %d clean rows.", int(keep.sum()))
        return self

    @staticmethod
    def find_kwargs(kwargs: dict[str, Any] | None) -> dict[str, Any]:
        """``find_label_issues_kwargs`` after checking its keys."""
        kwargs = {} if kwargs is None else dict(kwargs)
        unknown = sorted(set(kwargs) - set(FIND_KWARGS))
        if unknown:
            raise InputError(
                f"find_label_issues_kwargs has unknown keys {unknown!r}; valid keys:"
                f" {list(FIND_KWARGS)!r} (model_kwargs is a fit() argument)."
            )
        return kwargs

    @staticmethod
    def checked_sample_weight(model: Any, sample_weight: Any, n: int) -> np.ndarray | None:
        """``sample_weight`` as an array of n weights, if the model's fit takes it."""
        if sample_weight is None:
            return None
        if not has_fit_parameter(model, "sample_weight"):
            raise InputError(
                f"sample_weight was given but {type(model).__name__}.fit() takes no"
                " sample_weight; use a model that does or drop sample_weight."
            )
        weights = np.broadcast_to(np.asarray(sample_weight, dtype=np.float64), (n,)).copy()
        if weights.ndim != 1 or len(weights) != n:
            raise InputError(f"sample_weight must have one weight per row ({n}).")
        return weights

    # --------------------------------------------------------------------- predicting

    def predict(self, X: Any) -> np.ndarray:
        """Predictions of the model fitted on the kept rows."""
        check_is_fitted(self, "model_")
        check_2d(X)
        validate_data(self, X, reset=False, skip_check_array=True)
        return self.model_.predict(X)

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """``model_.score`` (r² for scikit-learn regressors), else ``r2_score`` (SPEC R3.8)."""
        check_is_fitted(self, "model_")
        if not callable(getattr(self.model_, "score", None)):
            return float(r2_score(y, self.predict(X), sample_weight=sample_weight))
        if takes_parameter(self.model_.score, "sample_weight"):
            return float(self.model_.score(X, y, sample_weight=sample_weight))
        return float(self.model_.score(X, y))

    def get_label_issues(self) -> pd.DataFrame | None:
        """The frame of the last :meth:`find_label_issues`/:meth:`fit` (warns if none)."""
        frame = getattr(self, "label_issues_", None)
        if frame is None:
            warnings.warn(
                "Label issues have not yet been computed. Run `self.find_label_issues()` or"
                " `self.fit()` first.",
                UserWarning,
                stacklevel=2,
            )
        return frame

    def get_epistemic_uncertainty(self, X: Any, y: Any, predictions: Any = None) -> np.ndarray:
        """Per-row std over ``n_boot`` 2-fold CV predictions (and ``predictions``) (SPEC R3.8)."""
        model = self.checked_params()
        X_arr, target = check_X_y(X, y)
        return epistemic_uncertainty(
            model,
            X_arr,
            target,
            n_boot=self.n_boot,
            rng=make_rng(self.seed),
            predictions=predictions,
        )

    def get_aleatoric_uncertainty(self, X: Any, residual: Any) -> float:
        """Std of the out-of-fold predictions of ``residual`` (one scalar, SPEC R3.8)."""
        model = self.checked_params()
        X_arr, target = check_X_y(X, residual)
        return aleatoric_uncertainty(
            model, X_arr, target, n_folds=self.cv_n_folds, rng=make_rng(self.seed)
        )

    def save_space(self) -> None:
        """Forget the stored label issues (``label_issues_``, ``label_issues_mask_``, ``k_``)."""
        self.label_issues_ = None
        self.label_issues_mask_ = None
        self.k_ = None


def takes_parameter(method: Any, name: str) -> bool:
    """Whether callable ``method`` takes a parameter ``name``."""
    return name in inspect.signature(method).parameters
