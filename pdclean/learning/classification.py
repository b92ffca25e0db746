"""CleanLearning: a scikit-learn classifier that trains on the rows it trusts (SPEC 7).

``fit`` gets out-of-sample predicted probabilities by stratified K-fold cross-validation
(:mod:`pdclean.learning.cv`), estimates the confident joint and the latent noise
(:mod:`pdclean.count`),
flags the likely label errors (:func:`pdclean.filter.find_label_issues`), drops them and fits a
clone of ``clf`` on the remaining rows, weighting each kept row of given class ``k`` by
``1 / max(noise_matrix[k, k], 1e-3)`` when ``clf.fit`` takes ``sample_weight``.

Labels may be any classes (ints, strings, bools, categories): they are encoded as codes
0..K-1 (the categories in use of a categorical Series, in category order; else the sorted
unique values); ``classes_`` holds the original values and predictions come back in them.
No state is kept between calls other than the fitted attributes, and randomness comes only
from ``random_state`` (numpy's global generator is never used).
"""

from __future__ import annotations

import numbers
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from pdclean.core import count, filter, rank
from pdclean.core.filter import FilterBy
from pdclean.core.rank import ScoreMethod
from pdclean.core.scores import SCORE_METHODS
from pdclean.core.validation import check_choice
from pdclean.errors import InputError, InputTypeError
from pdclean.learning.cv import count_rows, cross_val_pred_probs, default_model
from pdclean.learning.inputs import (
    MIN_DIAGONAL_FOR_WEIGHT,  # noqa: F401 (re-exported: the documented constant)
    Estimates,
    Labels,
    check_class_sizes,
    check_clf_kwargs,
    check_clf_pred_probs,
    check_matrices,
    check_sample_weight,
    encode_fit_labels,
    from_matrices,
    given_issues_frame,
    indexable,
    noise_weights,
    take_rows,
)

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover  (scikit-learn 1.4 and 1.5: the method of the time)

    def validate_data(estimator: Any, X: Any, *, reset: bool = True, skip_check_array=False):
        return estimator._validate_data(X, reset=reset, cast_to_ndarray=not skip_check_array)


__all__ = ["CleanLearning"]


class CleanLearning(ClassifierMixin, BaseEstimator):
    """Train any scikit-learn classifier on the rows whose labels it can trust.

    Parameters
    ----------
    clf : classifier, optional
        Needs ``fit``, ``predict`` and ``predict_proba``; cloned, never modified. Default:
        :func:`pdclean.learning.cv.default_model` (a random forest; X with more than 2 dimensions is
        then flattened to 2).
    cv : int, default 5
        Cross-validation folds (``StratifiedKFold(shuffle=True, random_state=random_state)``).
    random_state : int, RandomState or None
        Seed of the fold shuffle (and of the default model). None: a fresh unseeded generator.
    filter_by, min_examples_per_class, frac_noise
        As in :func:`pdclean.filter.find_label_issues` (``min_examples_per_class`` defaults
        to 10 here, as in the reference).
    converge_latent_estimates : bool, default False
        Iterate the prior and noise matrices to mutual consistency.
    label_quality_method : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}
        Method of the ``label_quality`` column.
    progress : bool, default False
        Progress bar over the folds (needs tqdm).

    Attributes
    ----------
    estimator_ : classifier
        The clone of ``clf`` fitted on the kept rows (on the label codes 0..K-1).
    classes_ : ndarray
        The class values, in code order.
    label_issues_ : DataFrame
        On X's index: ``is_label_issue``, ``label_quality``, ``given_label``,
        ``predicted_label`` (as :meth:`find_label_issues`), plus ``sample_weight`` (0 for the
        dropped rows) when noise-based weights were used.
    confident_joint_, py_, noise_matrix_, inverse_noise_matrix_ : ndarray or None
        The latent estimates (rows/columns in code order); None when ``label_issues`` were
        given without noise matrices.
    n_features_in_, feature_names_in_
        As in scikit-learn (``feature_names_in_`` only for a DataFrame X).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [1.0], [1.1], [1.2], [1.3]])
    >>> y = np.array(["a", "a", "a", "a", "b", "b", "b", "b"])
    >>> cl = CleanLearning(LogisticRegression(), cv=2, min_examples_per_class=1, random_state=0)
    >>> cl.fit(X, y).predict([[0.05], [1.25]]).tolist()
    ['a', 'b']
    >>> int(cl.label_issues_.is_label_issue.sum())
    0
    """

    def __init__(
        self,
        clf: Any = None,
        *,
        cv: int = 5,
        random_state: Any = None,
        filter_by: FilterBy = "prune_by_noise_rate",
        min_examples_per_class: int = 10,
        frac_noise: float = 1.0,
        converge_latent_estimates: bool = False,
        label_quality_method: ScoreMethod = "self_confidence",
        progress: bool = False,
    ) -> None:
        self.clf = clf
        self.cv = cv
        self.random_state = random_state
        self.filter_by = filter_by
        self.min_examples_per_class = min_examples_per_class
        self.frac_noise = frac_noise
        self.converge_latent_estimates = converge_latent_estimates
        self.label_quality_method = label_quality_method
        self.progress = progress

    def __sklearn_tags__(self):
        """Input tags (sparse, NaN, ...) follow those of ``clf``."""
        from sklearn.utils import get_tags  # scikit-learn >= 1.6, the only caller

        tags = super().__sklearn_tags__()
        inner = get_tags(self.clf if self.clf is not None else default_model())
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.allow_nan = inner.input_tags.allow_nan
        tags.input_tags.categorical = inner.input_tags.categorical
        tags.input_tags.string = inner.input_tags.string
        return tags

    # ------------------------------------------------------------------------------ fitting

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        pred_probs: Any = None,
        label_issues: Any = None,
        noise_matrix: Any = None,
        inverse_noise_matrix: Any = None,
        sample_weight: Any = None,
        clf_kwargs: dict[str, Any] | None = None,
    ) -> CleanLearning:
        """Find the label issues, drop them, fit a clone of ``clf`` on the rest.

        Parameters
        ----------
        X : array-like, sparse matrix or DataFrame, shape (n, ...)
            Features.
        y : array-like or Series, shape (n,)
            Given labels (any classes).
        pred_probs : array-like (n, K), optional
            Out-of-sample predicted probabilities (columns in ``classes_`` order); skips the
            cross-validation.
        label_issues : DataFrame (with ``is_label_issue``), bool mask or int indices, optional
            Rows to drop, e.g. from :meth:`find_label_issues`; skips finding them. Sample
            weights are then used only if ``noise_matrix`` or ``inverse_noise_matrix`` is given.
        noise_matrix : array (K, K), optional
            Known P(given = j | true = k) (columns sum to 1, trace > 1). Does not change which
            rows are flagged; sets ``py_``, ``inverse_noise_matrix_`` and the sample weights.
        inverse_noise_matrix : array (K, K), optional
            Known P(true = k | given = j) (stored with rows = true).
        sample_weight : array-like (n,), optional
            Weights for the final fit (of the kept rows), instead of the noise-based ones.
        clf_kwargs : dict, optional
            Extra keyword arguments for every ``clf.fit`` (cross-validation and final fit).

        Returns
        -------
        self
        """
        clf, X, labels, index, rs = self._inputs(X, y, need_X=True)
        validate_data(self, X, skip_check_array=True)
        n = labels.codes.size
        fit_kwargs = check_clf_kwargs(clf_kwargs)
        weights = check_sample_weight(clf, sample_weight, n)
        given = check_matrices(noise_matrix, inverse_noise_matrix, labels.classes.size)
        if label_issues is None:
            est = self._estimate(X, labels, pred_probs, *given, clf, fit_kwargs, rs)
            issues = self._issues_frame(labels, est, index)
        else:
            est = from_matrices(labels, *given, check_clf_pred_probs(pred_probs, labels))
            issues = given_issues_frame(label_issues, labels, index, est.pred_probs)
        keep = ~issues["is_label_issue"].to_numpy(dtype=bool)
        if weights is None:
            weights = noise_weights(clf, est.noise_matrix, labels.codes)
            if weights is not None:
                issues["sample_weight"] = np.where(keep, weights, 0.0)
        if weights is not None:
            fit_kwargs["sample_weight"] = weights[keep]
        rows = np.flatnonzero(keep)
        self.estimator_ = clone(clf).fit(take_rows(X, rows), labels.codes[rows], **fit_kwargs)
        self.classes_ = labels.classes
        self.label_issues_ = issues
        self.confident_joint_ = est.confident_joint
        self.py_ = est.py
        self.noise_matrix_ = est.noise_matrix
        self.inverse_noise_matrix_ = est.inverse_noise_matrix
        return self

    def find_label_issues(self, X: Any, y: Any, *, pred_probs: Any = None) -> pd.DataFrame:
        """Flag the rows whose label is likely wrong (computed afresh on every call).

        Parameters
        ----------
        X : array-like, sparse matrix, DataFrame or None
            Features (None only when ``pred_probs`` is given).
        y : array-like or Series
            Given labels.
        pred_probs : array-like (n, K), optional
            Out-of-sample predicted probabilities (columns in class order); skips the
            cross-validation.

        Returns
        -------
        DataFrame
            On X's index (else 0..n-1): ``is_label_issue`` (bool), ``label_quality`` (float,
            low = suspicious), ``given_label``, ``predicted_label`` (class values, in y's dtype).

        Examples
        --------
        >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.3, .7], [.9, .1]])
        >>> cl = CleanLearning(min_examples_per_class=1)
        >>> cl.find_label_issues(None, ["a", "a", "a", "b", "b", "b"], pred_probs=P)
           is_label_issue  label_quality given_label predicted_label
        0           False            0.9           a               a
        1           False            0.8           a               a
        2            True            0.1           a               b
        3           False            0.8           b               b
        4           False            0.7           b               b
        5            True            0.1           b               a
        """
        clf, X, labels, index, rs = self._inputs(X, y, need_X=pred_probs is None)
        est = self._estimate(X, labels, pred_probs, None, None, clf, {}, rs)
        return self._issues_frame(labels, est, index)

    # ------------------------------------------------------------------------------ prediction

    def predict(self, X: Any) -> np.ndarray:
        """Predicted class values (in ``classes_``) of the fitted classifier."""
        X = self._predict_input(X)
        codes = self.estimator_.predict(X)
        return self.classes_[np.asarray(codes, dtype=np.int64)]

    def predict_proba(self, X: Any) -> np.ndarray:
        """Predicted probabilities, one column per class of ``classes_``."""
        X = self._predict_input(X)
        probs = np.asarray(self.estimator_.predict_proba(X), dtype=np.float64)
        seen = np.asarray(self.estimator_.classes_, dtype=np.int64)
        if seen.size == self.classes_.size:
            return probs
        out = np.zeros((probs.shape[0], self.classes_.size))
        out[:, seen] = probs
        return out

    # ------------------------------------------------------------------------------ internals

    def _predict_input(self, X: Any) -> Any:
        check_is_fitted(self, "estimator_")
        if X is None:
            raise InputError("X is None: pass the features of the rows to predict.")
        X = indexable(X, flatten=self.clf is None)
        if getattr(X, "ndim", 2) == 1 and hasattr(self, "n_features_in_"):
            raise InputError(
                f"X must be 2-D (one row per example), got a 1-D array of shape {X.shape}. "
                "Reshape your data with X.reshape(-1, 1) for one feature or X.reshape(1, -1) "
                "for one row."
            )
        validate_data(self, X, reset=False, skip_check_array=True)
        return X

    def _inputs(self, X: Any, y: Any, *, need_X: bool) -> tuple:
        """Check parameters and inputs; return (clf, X, labels, output index, random state)."""
        self._check_params()
        labels = encode_fit_labels(y)
        n = labels.codes.size
        if X is None:
            if need_X:
                raise InputError("X is None: pass the features (one row per label), or pred_probs.")
            return None, None, labels, pd.RangeIndex(n), None
        X = indexable(X, flatten=self.clf is None)
        n_x = count_rows(X)
        if n_x != n:
            raise InputError(
                f"X and y must have the same length; got {n_x} rows of X and {n} labels in y."
            )
        index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else pd.RangeIndex(n)
        rs = self._random_state()
        return self._checked_clf(n, rs), X, labels, index, rs

    def _check_params(self) -> None:
        if isinstance(self.cv, bool) or not isinstance(self.cv, numbers.Integral):
            raise InputTypeError(f"cv must be an integer >= 2 (folds); got {self.cv!r}.")
        if self.cv < 2:
            raise InputError(f"cv must be an integer >= 2 (folds); got {self.cv!r}.")
        check_choice("filter_by", self.filter_by, filter.FILTER_BY)
        check_choice("label_quality_method", self.label_quality_method, SCORE_METHODS)
        rs = self.random_state
        if not (rs is None or isinstance(rs, np.random.RandomState)) and (
            isinstance(rs, bool) or not isinstance(rs, numbers.Integral)
        ):
            raise InputTypeError(
                f"random_state must be None, an int or a numpy.random.RandomState; got {rs!r}."
            )

    def _random_state(self) -> Any:
        """``random_state``, or a fresh generator for None (never numpy's global one)."""
        return np.random.RandomState() if self.random_state is None else self.random_state

    def _checked_clf(self, n_rows: int, rs: Any) -> Any:
        clf = default_model(rs, n_rows) if self.clf is None else self.clf
        missing = [m for m in ("fit", "predict_proba", "predict") if not hasattr(clf, m)]
        if missing:
            raise InputTypeError(
                f"clf must be a classifier with fit, predict and predict_proba; {clf!r} has no "
                f"{' or '.join(missing)}. Use a probabilistic classifier (e.g. "
                "SVC(probability=True)) or wrap it in sklearn.calibration.CalibratedClassifierCV."
            )
        return clf

    def _estimate(self, X, labels, pred_probs, nm, inv, clf, fit_kwargs, rs) -> Estimates:
        """SPEC 7.2 steps 3-9: pred_probs, confident joint and latent estimates."""
        y = labels.codes
        probs = check_clf_pred_probs(pred_probs, labels)
        if probs is None:
            check_class_sizes(labels, self.cv)
            probs = cross_val_pred_probs(
                X,
                y,
                clf=clf,
                cv_n_folds=self.cv,
                seed=rs,
                clf_kwargs=fit_kwargs,
                progress=self.progress,
            )
        if nm is not None or inv is not None:
            joint = count.compute_confident_joint(y, probs)
            return replace(from_matrices(labels, nm, inv, probs), confident_joint=joint)
        py, nm, inv, joint = count.estimate_py_and_noise_matrices_from_probabilities(
            y, probs, converge_latent_estimates=self.converge_latent_estimates
        )
        return Estimates(probs, joint, py, nm, inv)

    def _issues_frame(self, labels: Labels, est: Estimates, index: pd.Index) -> pd.DataFrame:
        """SPEC 7.2 steps 11-14: the mask, the scores and the frame."""
        y, probs = labels.codes, est.pred_probs
        own_joint = self.filter_by != "confident_learning"
        mask = filter.find_label_issues(
            y,
            probs,
            filter_by=self.filter_by,
            frac_noise=self.frac_noise,
            min_examples_per_class=self.min_examples_per_class,
            confident_joint=est.confident_joint if own_joint else None,
        )
        scores = rank.get_label_quality_scores(y, probs, method=self.label_quality_method)
        return pd.DataFrame(
            {
                "is_label_issue": pd.Series(mask, index=index),
                "label_quality": pd.Series(scores, index=index),
                "given_label": labels.values(y, index, "given_label"),
                "predicted_label": labels.values(probs.argmax(axis=1), index, "predicted_label"),
            }
        )
