"""Model-ready feature matrices from DataFrame columns.

What a user would otherwise write by hand before cross-validating a model on a table. One rule
per column kind:

==========================  ===============================================================
column                      becomes
==========================  ===============================================================
numbers (any int / float,   float64; a missing value is NaN
nullable Int64 / Float64)
booleans (bool, boolean)    0.0 / 1.0; a missing value is NaN
datetimes (tz-aware too)    days since the column's earliest value, float64; NaT is NaN
                            (small numbers, so that linear models need no scaling)
timedeltas                  days, float64; NaT is NaN
anything else (strings,     categorical: the ``max_categories`` most frequent values (ties:
categories, objects)        first seen first) keep their own level, the rest share one
                            "other" level; one-hot columns (a missing value is a row of
                            zeros), or a pandas ``category`` column for models that handle
                            categories natively
==========================  ===============================================================

Missing values. A model "takes NaN" when its scikit-learn tags say so
(``sklearn.utils.get_tags(model).input_tags.allow_nan``, e.g. HistGradientBoostingClassifier):
then NaN are left in place. Otherwise they are imputed: numbers (and datetimes, timedeltas)
with the column median, booleans with the most frequent value; a column with no value at all
becomes 0. A model "takes categories natively" when it has a ``categorical_features`` parameter
set to ``"from_dtype"`` (HistGradientBoostingClassifier's default): then categorical columns
are passed as a pandas ``category`` column (at most 255 levels, the most frequent ones) in a
DataFrame, else one-hot encoded in a float64 array.

Statistics (medians, frequent levels) come from the rows passed in, which never include the
labels: the encoding is unsupervised and the same for every cross-validation fold.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError, InputTypeError

__all__ = ["MAX_NATIVE_LEVELS", "MAX_ONE_HOT_LEVELS", "feature_matrix", "model_capabilities"]

#: Levels kept per categorical column when one-hot encoding (the rest share one "other" level).
MAX_ONE_HOT_LEVELS = 30
#: Levels kept per categorical column for models with native categorical support.
MAX_NATIVE_LEVELS = 254


def model_capabilities(model: Any) -> tuple[bool, bool]:
    """Return ``(takes_nan, native_categorical)`` for a scikit-learn style classifier.

    Examples
    --------
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> model_capabilities(HistGradientBoostingClassifier())
    (True, True)
    >>> model_capabilities(LogisticRegression())
    (False, False)
    """
    try:
        from sklearn.utils import get_tags  # scikit-learn >= 1.6

        takes_nan = bool(get_tags(model).input_tags.allow_nan)
    except (ImportError, AttributeError, TypeError, ValueError):  # older or not sklearn
        takes_nan = False
    try:
        params = model.get_params(deep=False)
    except (AttributeError, TypeError):
        params = {}
    native = isinstance(params.get("categorical_features"), str) and (
        params["categorical_features"] == "from_dtype"
    )
    return takes_nan, native


def feature_matrix(
    df: pd.DataFrame,
    columns: Sequence[Hashable],
    *,
    takes_nan: bool = False,
    native_categorical: bool = False,
    allow_inf: bool = False,
) -> np.ndarray | pd.DataFrame:
    """Encode ``df[columns]`` for a model (see the module docstring for the rules).

    Parameters
    ----------
    df : DataFrame
        The rows to encode (not modified).
    columns : sequence of column names
        The feature columns.
    takes_nan : bool, default False
        Leave missing values as NaN instead of imputing them.
    native_categorical : bool, default False
        Return a DataFrame whose categorical columns have the ``category`` dtype instead of a
        one-hot encoded array.
    allow_inf : bool, default False
        Keep infinite values (the audit reports them); otherwise an infinite value raises an
        :class:`~pdclean.errors.InputError` naming the column and the row.

    Returns
    -------
    ndarray of float64, shape (n, n_encoded), or DataFrame (``native_categorical``)

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, None, 3.0], "b": ["x", "y", "x"], "c": [True, False, True]})
    >>> feature_matrix(df, ["a", "b", "c"]).tolist()
    [[1.0, 1.0, 0.0, 1.0], [2.0, 0.0, 1.0, 0.0], [3.0, 1.0, 0.0, 1.0]]
    """
    blocks: list[Any] = []
    names: list[str] = []
    for position, name in enumerate(columns):
        series = df[name]
        numbers = _as_numbers(series, name)
        if numbers is not None:
            if not allow_inf:
                _check_finite(numbers, df.index, name)
            if not takes_nan:
                numbers = _impute(numbers, most_frequent=_is_bool(series))
            blocks.append(numbers)
            names.append(f"x{position}")
        elif native_categorical:
            blocks.append(_as_category(series, name))
            names.append(f"x{position}")
        else:
            one_hot = _one_hot(series, name)
            blocks.extend(one_hot.T)
            names.extend(f"x{position}_{level}" for level in range(one_hot.shape[1]))
    if native_categorical:
        return pd.DataFrame(dict(zip(names, blocks)), index=pd.RangeIndex(len(df)))
    if not blocks:
        return np.zeros((len(df), 0))
    return np.column_stack(blocks).astype(np.float64, copy=False)


def _check_finite(values: np.ndarray, index: pd.Index, name: Hashable) -> None:
    infinite = np.isinf(values)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise InputError(
            f"feature column {name!r} holds an infinite value ({float(values[row])}) in the row "
            f"{index[row]!r} (and {int(infinite.sum()) - 1} more rows); models cannot learn "
            "from it. Replace it (e.g. df.replace([np.inf, -np.inf], np.nan)) or leave the "
            "column out of features."
        )


def _is_bool(series: pd.Series) -> bool:
    return pd.api.types.is_bool_dtype(series.dtype)


def _as_numbers(series: pd.Series, name: Any) -> np.ndarray | None:
    """float64 values of a numeric / boolean / datetime / timedelta column, else None."""
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return None
    if _is_bool(series) or (
        pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype)
    ):
        return series.to_numpy(dtype=np.float64, na_value=np.nan)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        start = series.min()
        series = series - (
            start if pd.notna(start) else pd.Timestamp(0, tz=getattr(dtype, "tz", None))
        )
    if pd.api.types.is_timedelta64_dtype(series.dtype):
        days = series / pd.Timedelta(days=1)
        return days.to_numpy(dtype=np.float64, na_value=np.nan)
    return None


def _impute(values: np.ndarray, *, most_frequent: bool) -> np.ndarray:
    missing = np.isnan(values)
    if not missing.any():
        return values
    present = values[~missing]
    if present.size == 0:
        fill = 0.0
    elif most_frequent:
        levels, counts = np.unique(present, return_counts=True)
        fill = float(levels[np.argmax(counts)])
    else:
        fill = float(np.median(present))
    return np.where(missing, fill, values)


def _levels(series: pd.Series, name: Any, max_levels: int) -> tuple[np.ndarray, int]:
    """Level of every row (-1 missing; ``max_levels`` = "other") and the number of levels."""
    try:
        codes, _ = pd.factorize(series, use_na_sentinel=True)
    except TypeError as exc:
        raise InputTypeError(
            f"feature column {name!r} holds values that cannot be hashed ({exc}); convert it "
            "(e.g. to strings), or leave it out of features."
        ) from None
    counts = np.bincount(codes[codes >= 0], minlength=int(codes.max()) + 1 if codes.size else 0)
    order = np.argsort(-counts, kind="stable")
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.minimum(np.arange(order.size), max_levels)
    levels = np.where(codes >= 0, rank[np.maximum(codes, 0)], -1) if order.size else codes
    return levels, min(order.size, max_levels + 1)


def _one_hot(series: pd.Series, name: Any) -> np.ndarray:
    levels, n_levels = _levels(series, name, MAX_ONE_HOT_LEVELS)
    out = np.zeros((levels.size, n_levels), dtype=np.float64)
    rows = np.flatnonzero(levels >= 0)
    out[rows, levels[rows]] = 1.0
    return out


def _as_category(series: pd.Series, name: Any) -> pd.Categorical:
    levels, n_levels = _levels(series, name, MAX_NATIVE_LEVELS)
    return pd.Categorical.from_codes(levels, categories=np.arange(n_levels))
