"""pred_probs given by the caller: an array, a DataFrame (matched by class name and row label),
the names of columns of the frame, or (for ensembles) a list of those, checked in one pass.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core.blocks import iter_blocks
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.resolve_checks import column_not_found, has_column, plain_index

__all__ = ["ROW_SUM_TOLERANCE", "pred_probs_kind", "resolve_pred_probs"]

#: Largest allowed deviation of a pred_probs row sum from 1.
ROW_SUM_TOLERANCE = 1e-4
#: Slack below 0 for a probability (float round-off in softmax outputs).
NEGATIVE_TOLERANCE = 1e-6


def pred_probs_kind(value: Any) -> str:
    """ "columns" (names of df columns), "ensemble" (one pred_probs per model) or "matrix"."""
    if not isinstance(value, (list, tuple)) or len(value) == 0:
        return "matrix"
    first = value[0]
    if isinstance(first, (str, bytes, tuple)) or np.ndim(first) == 0:
        return "columns"
    if isinstance(first, pd.DataFrame) or np.ndim(first) == 2:
        return "ensemble"
    return "matrix"


def resolve_pred_probs(
    df: pd.DataFrame,
    pred_probs: Any,
    classes: Any,
    has_label: np.ndarray,
    allow_ensemble: bool,
) -> tuple[np.ndarray | None, tuple[np.ndarray, ...] | None, tuple[Hashable, ...]]:
    """Return (pred_probs, list of pred_probs, names of df columns used as pred_probs)."""
    if pred_probs is None:
        return None, None, ()
    kind = pred_probs_kind(pred_probs)
    if kind == "columns":
        names = tuple(pred_probs)
        for name in names:
            if not has_column(df, name):
                raise column_not_found("pred_probs column", name, df.columns)
        values = df.loc[:, list(names)].to_numpy(dtype=np.float64, na_value=np.nan)
        probs = _from_array(values, classes, "pred_probs")
        _check_rows(probs, has_label, df.index, "pred_probs")
        return probs, None, names
    if kind == "ensemble":
        if not allow_ensemble:
            raise InputTypeError(
                "pred_probs must be an (n_rows, n_classes) array, a DataFrame with one column "
                "per class, or a list of column names of df; got a list of "
                f"{len(pred_probs)} matrices. A list of pred_probs (one per model) is accepted "
                "by label_quality only; pass one of them here."
            )
        members = tuple(
            _one_pred_probs(df, p, classes, has_label, f"pred_probs[{i}]")
            for i, p in enumerate(pred_probs)
        )
        return None, members, ()
    return _one_pred_probs(df, pred_probs, classes, has_label, "pred_probs"), None, ()


def _one_pred_probs(
    df: pd.DataFrame, value: Any, classes: Any, has_label: np.ndarray, name: str
) -> np.ndarray:
    if isinstance(value, pd.DataFrame):
        probs = _from_frame(df, value, classes, name)
    elif isinstance(value, (np.ndarray, list)) or hasattr(value, "__array__"):
        if isinstance(value, pd.Series):
            raise InputTypeError(
                f"{name} must be 2-D (one column per class); got a Series. Pass a DataFrame "
                "with one column per class, or an (n_rows, n_classes) array."
            )
        try:
            array = np.ascontiguousarray(value, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise InputTypeError(
                f"{name} must be a numeric (n_rows, n_classes) array; it could not be "
                f"converted to float ({exc})."
            ) from None
        probs = _from_array(array, classes, name)
    else:
        raise InputTypeError(
            f"{name} must be an (n_rows, n_classes) array, a DataFrame with one column per "
            f"class, or a list of column names of df; got {type(value).__name__}."
        )
    if probs.shape[0] != has_label.size:
        raise InputError(
            f"{name} must have one row per row of df ({has_label.size}); got shape "
            f"{probs.shape}. Compute it on the same rows, or pass a DataFrame indexed like df."
        )
    _check_rows(probs, has_label, df.index, name)
    return probs


def _from_array(array: np.ndarray, classes: Any, name: str) -> np.ndarray:
    k = len(classes)
    if array.ndim != 2 or array.shape[1] != k:
        shown = ", ".join(repr(c) for c in plain_index(classes)[:10].tolist())
        raise InputError(
            f"{name} must have shape (n_rows, n_classes) with n_classes = {k} (the classes, in "
            f"order: {shown}); got shape {array.shape}. Give one column per class in this "
            "order, or pass a DataFrame whose columns are the class names."
        )
    return array


def _from_frame(df: pd.DataFrame, frame: pd.DataFrame, classes: Any, name: str) -> np.ndarray:
    columns = frame.columns
    names = plain_index(classes)
    if columns.has_duplicates:
        dup = columns[columns.duplicated()].unique().tolist()
        raise InputError(f"{name} has duplicated columns {dup!r}; keep one column per class.")
    position = columns.get_indexer(names)
    missing = names[position < 0].tolist()
    unknown = columns[~columns.isin(names)].tolist()
    if missing or unknown:
        raise InputError(
            f"The columns of {name} must be the classes {names.tolist()!r}; missing class "
            f"columns: {missing!r}, unknown columns: {unknown!r}. Name each column after its "
            "class (e.g. pd.DataFrame(model.predict_proba(X), columns=model.classes_))."
        )
    rows = align_rows(df.index, frame.index, name)
    values = frame.to_numpy(dtype=np.float64, na_value=np.nan)
    if rows is not None:
        values = values[rows]
    if not np.array_equal(position, np.arange(position.size)):
        values = values[:, position]
    return np.ascontiguousarray(values)


def align_rows(target: pd.Index, index: pd.Index, name: str) -> np.ndarray | None:
    """Positions of ``target`` in ``index`` (None when already aligned), or raise.

    ``index`` may hold more rows than ``target`` (pred_probs of a whole table reused for a
    filtered view of it): the rows of ``target`` are selected by label.
    """
    if index.equals(target):
        return None
    if index.is_unique and target.is_unique:
        position = index.get_indexer(target)
        if (position >= 0).all():
            return position
    raise InputError(
        f"The index of {name} does not match df.index ({len(index)} vs {len(target)} rows"
        f"{'' if index.is_unique and target.is_unique else ', with duplicated labels'}): it "
        "must hold every row label of df (any order, or the same order when labels repeat). "
        "Build pred_probs from df (e.g. index=df.index) or pass a plain array in df's order."
    )


def _check_rows(probs: np.ndarray, has_label: np.ndarray, index: pd.Index, name: str) -> None:
    """Rows with a label: finite, non-negative, summing to 1. One blocked pass."""
    for rows in iter_blocks(probs.shape[0], probs.shape[1]):
        block = probs[rows]
        keep = has_label[rows]
        sums = np.einsum("ij->i", block)  # not BLAS: threaded gemv per block is slow under load
        bad = ~np.isfinite(sums) & keep
        if bad.any():
            _raise_bad_row(probs, rows, bad, index, name, "contains NaN or infinite values")
        if block.min() < -NEGATIVE_TOLERANCE:
            bad = (block < -NEGATIVE_TOLERANCE).any(axis=1) & keep
            if bad.any():
                _raise_bad_row(probs, rows, bad, index, name, "contains negative values")
        bad = (np.abs(sums - 1.0) > ROW_SUM_TOLERANCE) & keep
        if bad.any():
            _raise_bad_row(probs, rows, bad, index, name, "has rows that do not sum to 1")


def _raise_bad_row(
    probs: np.ndarray, rows: slice, bad: np.ndarray, index: pd.Index, name: str, why: str
) -> None:
    row = rows.start + int(np.flatnonzero(bad)[0])
    values = np.round(probs[row], 6).tolist()
    raise InputError(
        f"{name} {why}: the row for index {index[row]!r} (position {row}) is {values!r}"
        f"{f', summing to {float(np.sum(probs[row]))!r}' if 'sum' in why else ''}. pred_probs "
        "must be probabilities (finite, in [0, 1], each row summing to 1 within "
        f"{ROW_SUM_TOLERANCE}), e.g. a model's predict_proba or the softmax of logits."
    )
