"""Numeric targets: the frame functions on a regression label (a price, a duration...).

``task="auto"`` (:func:`choose_task`) sends a float column with many distinct non-integer
values here; ``task="regression"`` forces it. The sibling implementations below take a checked
:class:`RegressionInput`: the target of the labelled rows and their out-of-fold predictions
(from ``features`` + ``model`` by shuffled K-fold cross-validation; the default model is
``HistGradientBoostingRegressor``, which takes missing values and categories natively), then
call the scale-aware detector :func:`pdclean.core.regression.detect.find_target_issues`
(robust z of the residual on the log and linear scales, per-level spread, |z| > 4).

Rows whose target is missing (NaN) stay in every result with ``<NA>``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core.regression.detect import TargetIssues, find_target_issues
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.frame.resolve_checks import check_frame, get_label_column, resolve_features

__all__ = ["SIBLINGS", "RegressionInput", "choose_task", "resolve_regression"]

logger = logging.getLogger("pdclean")

#: ``task="auto"``: a float column with at least this many distinct values, some not whole
#: numbers, is a regression target.
MIN_DISTINCT = 20


def choose_task(df: pd.DataFrame, label: Any) -> str:
    """``"regression"`` for a float column with many distinct non-integer values, else
    ``"classification"`` (the choice is logged).

    Examples
    --------
    >>> df = pd.DataFrame({"price": np.linspace(1.5, 99.5, 40), "kind": ["a", "b"] * 20})
    >>> choose_task(df, "price"), choose_task(df, "kind")
    ('regression', 'classification')
    """
    column = get_label_column(df, label)
    values = column.to_numpy(dtype=np.float64, na_value=np.nan) if _is_float(column) else None
    task = "classification"
    if values is not None:
        known = values[np.isfinite(values)]
        if np.unique(known).size >= MIN_DISTINCT and (known != np.round(known)).any():
            task = "regression"
    logger.info("task='auto': label %r is treated as %s", label, task)
    return task


def _is_float(column: pd.Series) -> bool:
    return pd.api.types.is_float_dtype(column.dtype) and not isinstance(
        column.dtype, pd.CategoricalDtype
    )


@dataclass(frozen=True)
class RegressionInput:
    """A checked regression table: the target, which rows have one, out-of-fold predictions."""

    label: Any
    index: pd.Index
    target: np.ndarray
    has_label: np.ndarray
    predictions: np.ndarray
    frame: pd.DataFrame
    dtype: Any

    def issues(self) -> TargetIssues:
        """The detector's findings on the labelled rows."""
        return find_target_issues(self.target[self.has_label], self.predictions)


def resolve_regression(
    df: pd.DataFrame, label: Any, *, pred_probs: Any = None, features: Any = None,
    model: Any = None, cv: int = 5, random_state: Any = None, progress: bool = True,
) -> RegressionInput:  # fmt: skip
    """Check the target and compute out-of-fold predictions of its labelled rows."""
    check_frame(df)
    if pred_probs is not None:
        raise InputError(
            "pred_probs are class probabilities; a regression target needs predictions: pass "
            "features (and a model) to compute out-of-fold predictions."
        )
    column = get_label_column(df, label)
    target = _target(column, label)
    has = ~np.isnan(target)
    names = resolve_features(df, label, features, ())
    predictions = _cross_validated(df.loc[has], names, target[has], model, cv, random_state)
    return RegressionInput(label, df.index, target, has, predictions, df, column.dtype)


def _target(column: pd.Series, label: Any) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(column):
        raise InputTypeError(
            f"label column {label!r} has dtype {column.dtype}; a regression target must be "
            "numeric. Convert it (pd.to_numeric) or use task='classification'."
        )
    target = column.to_numpy(dtype=np.float64, na_value=np.nan)
    infinite = np.isinf(target)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise InputError(
            f"label column {label!r} holds an infinite value in the row {column.index[row]!r}; "
            "replace it with a number or a missing value."
        )
    known = target[~np.isnan(target)]
    if known.size < 2 or np.all(known == known[0]):
        raise InputError(
            f"label column {label!r} is constant ({known[:1].tolist()!r} on {known.size} rows): "
            "there is nothing to check in a target that never varies."
        )
    return target


def _cross_validated(rows, names, y, model, cv, random_state) -> np.ndarray:
    from sklearn.base import clone  # scikit-learn is imported on first use, not with pdclean
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.model_selection import KFold

    model = HistGradientBoostingRegressor(random_state=random_state) if model is None else model
    takes_nan, native = model_capabilities(model)
    X = feature_matrix(rows, names, takes_nan=takes_nan, native_categorical=native)
    out = np.empty(y.size)
    folds = KFold(n_splits=cv, shuffle=True, random_state=random_state)
    for train, test in folds.split(np.zeros(y.size)):
        fitted = clone(model).fit(_take(X, train), y[train])
        out[test] = fitted.predict(_take(X, test))
    return out


def _take(X: Any, rows: np.ndarray) -> Any:
    return X.iloc[rows] if isinstance(X, pd.DataFrame) else X[rows]


# ------------------------------------------------------------------------------ the results


def _column(r: RegressionInput, values: np.ndarray, name: str) -> pd.Series:
    if r.has_label.all():
        return pd.Series(values, index=r.index, name=name)
    full = np.zeros(r.has_label.size, dtype=values.dtype)
    full[r.has_label] = values
    kind = pd.arrays.BooleanArray if values.dtype == bool else pd.arrays.FloatingArray
    return pd.Series(kind(full, ~r.has_label), index=r.index, name=name)


def find_label_issues(r: RegressionInput, **_: Any) -> pd.DataFrame:
    """Rows whose numeric target looks wrong: ``is_label_issue``, ``label_quality``,
    ``given_label``, ``predicted_label`` (the out-of-fold prediction) and ``suggested_label``."""
    found = r.issues()
    return pd.DataFrame(
        {
            "is_label_issue": _column(r, found.is_issue, "is_label_issue"),
            "label_quality": _column(r, found.score, "label_quality"),
            "given_label": r.frame[r.label],
            "predicted_label": _column(r, r.predictions, "predicted_label"),
            "suggested_label": _column(r, found.suggested, "suggested_label"),
        }
    )


def label_quality(r: RegressionInput, **_: Any) -> pd.Series:
    """Per-row quality of the target in [0, 1] (low = suspicious)."""
    return _column(r, r.issues().score, "label_quality")


def annotate(r: RegressionInput, **_: Any) -> pd.DataFrame:
    """The frame with ``is_label_issue``, ``label_quality`` and ``predicted_label`` added."""
    issues = find_label_issues(r)
    return r.frame.assign(
        is_label_issue=issues["is_label_issue"],
        label_quality=issues["label_quality"],
        predicted_label=issues["predicted_label"],
    )


def drop_label_issues(r: RegressionInput, **_: Any) -> pd.DataFrame:
    """The frame without its flagged rows (rows without a target stay)."""
    flagged = find_label_issues(r)["is_label_issue"]
    return r.frame.loc[~flagged.to_numpy(dtype=bool, na_value=False)]


def health(r: RegressionInput, **_: Any) -> float:
    """The fraction of labelled rows whose target is not flagged."""
    return float(1 - r.issues().is_issue.mean())


#: frame function name -> its regression sibling
SIBLINGS = {
    "find_label_issues": find_label_issues,
    "label_quality": label_quality,
    "annotate": annotate,
    "drop_label_issues": drop_label_issues,
    "health": health,
}
