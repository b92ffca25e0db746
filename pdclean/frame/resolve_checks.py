"""Checks of the input resolver (:mod:`pdclean.frame.resolve`): frame, label column, features,
model and cv, and the column look-ups they share (with "did you mean" suggestions).
"""

from __future__ import annotations

import difflib
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError

# ------------------------------------------------------------------------------ frame & labels


def check_frame(df: Any) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputTypeError(
            f"df must be a pandas DataFrame; got {type(df).__name__}. Build one with "
            "pandas.DataFrame(...) (or use the numpy-level functions in pdclean.filter)."
        )
    if len(df) == 0:
        raise InputError(
            f"df is empty (shape {df.shape}): pass a DataFrame with at least one labelled row."
        )


def column_not_found(what: str, name: Any, columns: pd.Index) -> ColumnNotFoundError:
    names = [str(c) for c in columns]
    close = difflib.get_close_matches(str(name), names, n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    shown = ", ".join(repr(c) for c in columns[:20]) + (", ..." if len(columns) > 20 else "")
    return ColumnNotFoundError(
        f"{what} {name!r} is not a column of df.{hint} The columns are: {shown}."
    )


def has_column(df: pd.DataFrame, name: Any) -> bool:
    try:
        return name in df.columns
    except TypeError:  # unhashable
        return False


def get_label_column(df: pd.DataFrame, label: Any) -> pd.Series:
    if not has_column(df, label):
        raise column_not_found("label column", label, df.columns)
    column = df[label]
    if isinstance(column, pd.DataFrame):
        raise InputError(
            f"label column {label!r} is not unique in df ({column.shape[1]} columns have this "
            "name); rename the duplicates, e.g. with df.loc[:, ~df.columns.duplicated()]."
        )
    return column


def encode_labels(column: pd.Series, label: Any) -> tuple[np.ndarray, Any]:
    """Return (int64 codes with -1 for missing, class values in the column's dtype)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.int64)
        categories = column.cat.categories
        classes = pd.Categorical.from_codes(np.arange(len(categories)), dtype=column.dtype)
        return codes, classes
    try:
        codes, uniques = pd.factorize(column, sort=True, use_na_sentinel=True)
    except TypeError as exc:
        raise InputTypeError(
            f"label column {label!r} holds values that cannot be sorted or hashed ({exc}); "
            "use one type of hashable labels (ints, strings, bools) or a categorical column."
        ) from None
    return codes.astype(np.int64, copy=False), uniques.array


def check_label_content(codes: np.ndarray, has_label: np.ndarray, classes: Any, label: Any) -> None:
    if not has_label.any():
        raise InputError(
            f"label column {label!r} has no non-missing value (all {codes.size} rows are "
            "missing); fill in labels or pick the right column."
        )
    present = np.flatnonzero(np.bincount(codes[has_label], minlength=len(classes)))
    if present.size < 2:
        raise InputError(
            f"label column {label!r} has a single class ({plain_index(classes)[present[0]]!r}); "
            "finding label issues needs at least 2 classes. Check the column, or the rows selected."
        )


def plain_index(classes: Any) -> pd.Index:
    if isinstance(classes, pd.Categorical):
        classes = classes.categories
    return pd.Index(classes, tupleize_cols=False)


# ------------------------------------------------------------------------------ features etc.


def resolve_features(
    df: pd.DataFrame, label: Any, features: Any, prob_columns: Sequence[Hashable]
) -> tuple[Hashable, ...]:
    if features is None:
        excluded = pd.Index([label, *prob_columns], tupleize_cols=False)
        names = tuple(df.columns[~df.columns.isin(excluded)])
        if not names:
            raise InputError(
                f"df has no column besides the label {label!r} to learn from; pass pred_probs "
                "or add feature columns."
            )
        return names
    if isinstance(features, (str, bytes)) or not isinstance(features, (list, tuple, pd.Index)):
        features = [features]
    names = tuple(features)
    if not names:
        raise InputError("features is empty; name at least one column, or pass features=None.")
    for name in names:
        if not has_column(df, name):
            raise column_not_found("feature column", name, df.columns)
    if any(_same(name, label) for name in names):
        raise InputError(
            f"features include the label column {label!r}; a model that sees the label "
            "cannot find label issues. Remove it from features."
        )
    return names


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def check_model(model: Any) -> None:
    if model is None:
        return
    missing = [m for m in ("fit", "predict_proba") if not callable(getattr(model, m, None))]
    if missing:
        raise InputTypeError(
            f"model must be a scikit-learn style classifier with fit and predict_proba; "
            f"{model!r} has no {' or '.join(missing)}. Use a probabilistic classifier (e.g. "
            "LogisticRegression(), or SVC(probability=True)), or pass pred_probs."
        )


def check_cv(cv: Any, codes: np.ndarray, classes: Any, label: Any) -> None:
    if isinstance(cv, bool) or not isinstance(cv, (int, np.integer)) or cv < 2:
        raise InputError(f"cv must be an integer >= 2 (number of folds); got {cv!r}.")
    counts = np.bincount(codes, minlength=len(classes))
    small = np.flatnonzero((counts > 0) & (counts < cv))
    if small.size:
        names = plain_index(classes)[small[:10]].tolist()
        shown = dict(zip(names, counts[small[:10]].tolist()))
        raise InputError(
            f"label column {label!r}: some classes have fewer rows than cv={cv} folds "
            f"(rows per class: {shown!r}); every class needs at least cv rows to appear in "
            "each training fold. Lower cv, drop or merge these classes, or pass pred_probs."
        )
