"""CleanLearning: a scikit-learn classifier that trains on the rows it trusts (SPEC 7).

``fit`` gets out-of-sample predicted probabilities by stratified K-fold cross-validation
(:mod:`pdclean._cv`), estimates the confident joint and the latent noise (:mod:`pdclean.count`),
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
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, has_fit_parameter

from pdclean import count, filter, rank
from pdclean._cv import _n_rows, cross_val_pred_probs, default_model
from pdclean._exceptions import InputError, InputTypeError
from pdclean._latent import noise_matrix_from_inv, py_and_inv_from_noise_matrix
from pdclean._scoring import SCORE_METHODS
from pdclean._validation import check_choice
from pdclean.filter import FilterBy
from pdclean.rank import ScoreMethod

try:  # scikit-learn >= 1.6
    from sklearn.utils.validation import validate_data
except ImportError:  # pragma: no cover  (scikit-learn 1.4 and 1.5: the method of the time)

    def validate_data(estimator: Any, X: Any, *, reset: bool = True, skip_check_array=False):
        return estimator._validate_data(X, reset=reset, cast_to_ndarray=not skip_check_array)


__all__ = ["CleanLearning"]

#: Floor of ``noise_matrix[k, k]`` in the sample weight ``1 / noise_matrix[k, k]``.
MIN_DIAGONAL_FOR_WEIGHT = 1e-3


@dataclass(frozen=True)
class _Labels:
    """Encoded labels: codes 0..K-1, class values in code order, dtype of label columns."""

    codes: np.ndarray
    classes: np.ndarray
    dtype: Any

    def values(self, codes: np.ndarray, index: pd.Index, name: str) -> pd.Series:
        return pd.Series(self.classes[codes], index=index, dtype=self.dtype, name=name)


@dataclass(frozen=True)
class _Estimates:
    """Out-of-sample pred_probs and the latent estimates derived from them."""

    pred_probs: np.ndarray | None
    confident_joint: np.ndarray | None
    py: np.ndarray | None
    noise_matrix: np.ndarray | None
    inverse_noise_matrix: np.ndarray | None


class CleanLearning(ClassifierMixin, BaseEstimator):
    """Train any scikit-learn classifier on the rows whose labels it can trust.

    Parameters
    ----------
    clf : classifier, optional
        Needs ``fit``, ``predict`` and ``predict_proba``; cloned, never modified. Default:
        :func:`pdclean._cv.default_model` (a random forest; X with more than 2 dimensions is
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
        fit_kwargs = _check_clf_kwargs(clf_kwargs)
        weights = _check_sample_weight(clf, sample_weight, n)
        given = _check_matrices(noise_matrix, inverse_noise_matrix, labels.classes.size)
        if label_issues is None:
            est = self._estimate(X, labels, pred_probs, *given, clf, fit_kwargs, rs)
            issues = self._issues_frame(labels, est, index)
        else:
            est = _from_matrices(labels, *given, _check_pred_probs(pred_probs, labels))
            issues = _given_issues_frame(label_issues, labels, index, est.pred_probs)
        keep = ~issues["is_label_issue"].to_numpy(dtype=bool)
        if weights is None:
            weights = _noise_weights(clf, est.noise_matrix, labels.codes)
            if weights is not None:
                issues["sample_weight"] = np.where(keep, weights, 0.0)
        if weights is not None:
            fit_kwargs["sample_weight"] = weights[keep]
        rows = np.flatnonzero(keep)
        self.estimator_ = clone(clf).fit(_rows(X, rows), labels.codes[rows], **fit_kwargs)
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
        X = _indexable(X, flatten=self.clf is None)
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
        labels = _encode_labels(y)
        n = labels.codes.size
        if X is None:
            if need_X:
                raise InputError("X is None: pass the features (one row per label), or pred_probs.")
            return None, None, labels, pd.RangeIndex(n), None
        X = _indexable(X, flatten=self.clf is None)
        n_x = _n_rows(X)
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

    def _estimate(self, X, labels, pred_probs, nm, inv, clf, fit_kwargs, rs) -> _Estimates:
        """SPEC 7.2 steps 3-9: pred_probs, confident joint and latent estimates."""
        y = labels.codes
        probs = _check_pred_probs(pred_probs, labels)
        if probs is None:
            _check_class_sizes(labels, self.cv)
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
            return replace(_from_matrices(labels, nm, inv, probs), confident_joint=joint)
        py, nm, inv, joint = count.estimate_py_and_noise_matrices_from_probabilities(
            y, probs, converge_latent_estimates=self.converge_latent_estimates
        )
        return _Estimates(probs, joint, py, nm, inv)

    def _issues_frame(self, labels: _Labels, est: _Estimates, index: pd.Index) -> pd.DataFrame:
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


# ---------------------------------------------------------------------------------- input checks


def _encode_labels(y: Any) -> _Labels:
    """Encode ``y`` as codes 0..K-1 (see the module docstring); raise on bad labels."""
    if y is None:
        raise InputError(
            "CleanLearning requires y to be passed, but the target y is None: pass the given "
            "labels, one per row of X."
        )
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InputError(f"y must be 1-D (one label per row); got a {y.shape} DataFrame.")
        y = y.iloc[:, 0]
    if not isinstance(y, pd.Series):
        y = np.asarray(y)
        y = column_or_1d(y, warn=True) if y.ndim == 2 and y.shape[1] == 1 else y
        if y.ndim != 1:
            raise InputError(f"y must be 1-D (one label per row); got shape {y.shape}.")
    missing = np.asarray(pd.isna(y), dtype=bool)
    if missing.any():
        raise InputError(
            f"y has {int(missing.sum())} missing labels (NaN/None), e.g. at row "
            f"{int(np.argmax(missing))}; drop those rows (or fill in their labels) first."
        )
    if len(y) == 0:
        raise InputError("y is empty: pass at least one labelled row.")
    labels = _categorical_codes(y) if isinstance(y.dtype, pd.CategoricalDtype) else _codes(y)
    present = labels.classes.size
    if present < 2:
        raise InputError(
            f"y has one class only ({_show(labels.classes[0])!r}); CleanLearning needs at least 2 "
            "classes. Check the label column or the rows selected."
        )
    return labels


def _categorical_codes(y: pd.Series) -> _Labels:
    raw = y.cat.codes.to_numpy().astype(np.int64)
    used = np.flatnonzero(np.bincount(raw, minlength=len(y.cat.categories)))
    lookup = np.full(len(y.cat.categories), -1, dtype=np.int64)
    lookup[used] = np.arange(used.size)
    classes = np.asarray(y.cat.categories.take(used), dtype=object)
    return _Labels(lookup[raw], classes, y.dtype)


def _codes(y: Any) -> _Labels:
    if np.asarray(y).dtype.kind == "f" and not np.isfinite(np.asarray(y)).all():
        raise InputError(
            "y contains infinity: labels must be classes (ints, strings, bools or categories)."
        )
    kind = type_of_target(y, input_name="y")
    if kind not in ("binary", "multiclass"):
        raise InputError(
            f"Unknown label type: {kind!r}. y must hold class labels (ints, strings, bools "
            "or categories); for a numeric target use a regressor, or bin it into classes."
        )
    try:
        if isinstance(y, pd.Series):
            codes, uniques = pd.factorize(y, sort=True)
            dtype = y.dtype
        else:
            uniques, codes = np.unique(y, return_inverse=True)
            dtype = uniques.dtype
    except TypeError as exc:
        raise InputTypeError(
            f"y holds labels that cannot be sorted ({exc}); use one type of label."
        ) from None
    return _Labels(np.asarray(codes, dtype=np.int64), np.asarray(uniques), dtype)


def _show(value: Any) -> Any:
    """A class value as the user wrote it (numpy scalars as Python scalars)."""
    return value.item() if isinstance(value, np.generic) else value


def _check_class_sizes(labels: _Labels, cv: int) -> None:
    sizes = np.bincount(labels.codes, minlength=labels.classes.size)
    small = np.flatnonzero(sizes < cv)
    if small.size:
        k = small[0]
        raise InputError(
            f"y has a class with fewer rows than cv={cv} folds: class "
            f"{_show(labels.classes[k])!r} has {sizes[k]} rows (each needs at least one per "
            "fold). Lower cv (e.g. cv=2 or 3), or drop or merge the rarest classes."
        )


def _indexable(X: Any, *, flatten: bool) -> Any:
    """X in a form whose rows can be selected by an index array."""
    if hasattr(X, "iloc"):
        return X
    if hasattr(X, "tocsr") and hasattr(X, "format"):
        return X if X.format in ("csr", "csc") else X.tocsr()
    if not hasattr(X, "shape"):
        X = np.asarray(X)
    if flatten and X.ndim > 2:
        X = X.reshape(X.shape[0], -1)
    return X


def _rows(X: Any, index: np.ndarray) -> Any:
    return X.iloc[index] if hasattr(X, "iloc") else X[index]


def _check_pred_probs(pred_probs: Any, labels: _Labels) -> np.ndarray | None:
    if pred_probs is None:
        return None
    probs = np.asarray(pred_probs, dtype=np.float64)
    expected = (labels.codes.size, labels.classes.size)
    if probs.shape != expected:
        raise InputError(
            f"pred_probs must have shape (n_rows, n_classes) = {expected}, one column per class "
            f"of y in order {labels.classes.tolist()!r}; got shape {probs.shape}."
        )
    return probs


def _check_matrices(nm: Any, inv: Any, k: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    out = []
    for name, matrix in (("noise_matrix", nm), ("inverse_noise_matrix", inv)):
        if matrix is None:
            out.append(None)
            continue
        m = np.asarray(matrix, dtype=np.float64)
        if m.shape != (k, k) or not np.isfinite(m).all():
            raise InputError(
                f"{name} must be a finite {k} x {k} array (one row and column per class of y); "
                f"got shape {m.shape}."
            )
        if np.trace(m) <= 1:
            raise InputError(
                f"{name} has trace {np.trace(m):.2f}, but the trace must exceed 1 (more correct "
                "than flipped labels); check the matrix (columns are true classes)."
            )
        out.append(m)
    return out[0], out[1]


def _check_clf_kwargs(clf_kwargs: Any) -> dict[str, Any]:
    kwargs = dict(clf_kwargs or {})
    if "sample_weight" in kwargs:
        raise InputError(
            "clf_kwargs must not hold sample_weight (it would be split across folds); pass "
            "sample_weight=... to fit() directly."
        )
    return kwargs


def _check_sample_weight(clf: Any, sample_weight: Any, n: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    if not has_fit_parameter(clf, "sample_weight"):
        raise InputError(
            f"sample_weight was given but {type(clf).__name__}.fit takes no sample_weight; "
            "drop it or use a classifier that supports it."
        )
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.ndim == 0:
        weights = np.full(n, float(weights))
    if weights.shape != (n,):
        raise InputError(
            f"sample_weight must have shape ({n},), one weight per row; got {weights.shape}."
        )
    return weights


def _noise_weights(clf: Any, noise_matrix: np.ndarray | None, y: np.ndarray) -> np.ndarray | None:
    """``1 / max(nm[k, k], 1e-3)`` per row of class k, if ``clf.fit`` takes sample_weight."""
    if noise_matrix is None or not has_fit_parameter(clf, "sample_weight"):
        return None
    return 1.0 / np.maximum(np.diagonal(noise_matrix), MIN_DIAGONAL_FOR_WEIGHT)[y]


def _from_matrices(labels: _Labels, nm, inv, pred_probs) -> _Estimates:
    """Latent estimates from supplied matrices (SPEC 7.2 step 7); all None without them."""
    ps = np.bincount(labels.codes, minlength=labels.classes.size) / labels.codes.size
    py = None
    if nm is not None:
        py, derived_inv = py_and_inv_from_noise_matrix(ps, nm)
        inv = derived_inv if inv is None else inv
    elif inv is not None:
        py = inv.dot(ps)
        nm = noise_matrix_from_inv(ps, inv, py)
    return _Estimates(pred_probs, None, py, nm, inv)


def _given_issues_frame(
    label_issues: Any, labels: _Labels, index: pd.Index, pred_probs: np.ndarray | None
) -> pd.DataFrame:
    """The frame of user-supplied label issues (SPEC 7.3 step 3)."""
    n = labels.codes.size
    if isinstance(label_issues, pd.DataFrame):
        if "is_label_issue" not in label_issues.columns or len(label_issues) != n:
            raise InputError(
                "label_issues as a DataFrame must have an 'is_label_issue' column and one row "
                f"per row of y ({n}); got columns {label_issues.columns.tolist()!r} and "
                f"{len(label_issues)} rows. Pass the frame from find_label_issues(X, y)."
            )
        mask = label_issues["is_label_issue"].to_numpy(dtype=bool)
        if "given_label" in label_issues.columns:
            given = labels.values(labels.codes, index, "given_label").to_numpy()
            if not np.array_equal(label_issues["given_label"].to_numpy(), given):
                raise InputError(
                    "label_issues['given_label'] differs from y: the label issues were found "
                    "for other labels. Recompute them with find_label_issues(X, y)."
                )
    else:
        mask = _mask_from_array(label_issues, n)
    frame = pd.DataFrame({"is_label_issue": mask}, index=index)
    if pred_probs is not None:
        frame["label_quality"] = rank.get_label_quality_scores(labels.codes, pred_probs)
    return frame


def _mask_from_array(label_issues: Any, n: int) -> np.ndarray:
    arr = np.asarray(label_issues) if isinstance(label_issues, (list, np.ndarray)) else None
    if arr is not None and arr.dtype == bool and arr.shape == (n,):
        return arr
    if arr is not None and arr.ndim == 1 and (arr.dtype.kind in "iu" or arr.size == 0):
        if arr.size and (arr.min() < 0 or arr.max() >= n or np.unique(arr).size != arr.size):
            raise InputError(
                f"label_issues as indices must be unique row positions in 0..{n - 1}; got "
                f"{label_issues!r}."
            )
        mask = np.zeros(n, dtype=bool)
        mask[arr.astype(np.int64)] = True
        return mask
    raise InputTypeError(
        f"label_issues must be a DataFrame with 'is_label_issue', a bool mask of length {n} or "
        f"an array of row indices; got {type(label_issues).__name__}."
    )
