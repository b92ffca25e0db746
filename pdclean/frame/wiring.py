"""Shared wiring of the DataFrame functions: resolved inputs, pred_probs, result columns.

:func:`labelled_problem` resolves a table once and returns the labels and out-of-sample
pred_probs of its labelled rows (cross-validating a model when no pred_probs are given); the
column helpers put per-row results back on ``df.index`` (nullable where some label is missing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError
from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.frame.resolve import ResolvedInput, resolve
from pdclean.learning.cv import cross_val_pred_probs, default_model


def labelled_problem(
    df: Any,
    label: Any,
    *,
    pred_probs: Any,
    features: Any,
    model: Any,
    cv: Any,
    random_state: Any,
    progress: bool,
) -> tuple[ResolvedInput, np.ndarray, np.ndarray]:
    """Resolve; return (resolved, labels of labelled rows, pred_probs of labelled rows)."""
    r = resolve(df, label, pred_probs=pred_probs, features=features, model=model, cv=cv)
    if r.pred_probs is not None:
        return r, r.labelled_codes, r.labelled(r.pred_probs)
    probs = cross_validated_pred_probs(df, r, model, cv, random_state, progress)
    return r, r.labelled_codes, probs


def cross_validated_pred_probs(
    df: pd.DataFrame, r: ResolvedInput, model: Any, cv: int, random_state: Any, progress: bool
) -> np.ndarray:
    """Out-of-sample pred_probs (labelled rows x K classes); unused classes get 0."""
    rows = df if r.all_labelled else df.loc[r.has_label]
    model = default_model(random_state, n_rows=len(rows)) if model is None else model
    takes_nan, native = model_capabilities(model)
    X = feature_matrix(rows, r.features, takes_nan=takes_nan, native_categorical=native)
    y = r.labelled_codes
    present = np.flatnonzero(np.bincount(y, minlength=r.n_classes))
    if present.size == r.n_classes:
        return cross_val_pred_probs(
            X, y, clf=model, cv_n_folds=cv, seed=random_state, progress=progress
        )
    compact = np.full(r.n_classes, -1, dtype=np.int64)
    compact[present] = np.arange(present.size)
    probs = cross_val_pred_probs(
        X, compact[y], clf=model, cv_n_folds=cv, seed=random_state, progress=progress
    )
    out = np.zeros((y.size, r.n_classes))
    out[:, present] = probs
    return out


def scatter_rows(r: ResolvedInput, values: np.ndarray, fill: Any) -> np.ndarray:
    """Full-length array: ``values`` on labelled rows, ``fill`` elsewhere."""
    out = np.full((r.has_label.size, *values.shape[1:]), fill, dtype=values.dtype)
    out[r.has_label] = values
    return out


def bool_column(r: ResolvedInput, values: np.ndarray, name: str) -> pd.Series:
    if not r.all_labelled:
        values = pd.arrays.BooleanArray(scatter_rows(r, values, False), ~r.has_label)
    return pd.Series(values, index=r.index, name=name, copy=False)


def float_column(r: ResolvedInput, values: np.ndarray, name: str) -> pd.Series:
    if not r.all_labelled:
        values = pd.arrays.FloatingArray(scatter_rows(r, values, np.nan), ~r.has_label)
    return pd.Series(values, index=r.index, name=name, copy=False)


def label_values(r: ResolvedInput, codes: np.ndarray, name: str) -> pd.Series:
    """Class values of ``codes`` (labelled rows) in the label column's dtype, on df.index."""
    values = r.class_values(codes if r.all_labelled else scatter_rows(r, codes, -1))
    return pd.Series(values, index=r.index, dtype=r.labels.dtype, name=name, copy=False)


def counts_per_class(r: ResolvedInput, name: str, counts: Any) -> list[int] | None:
    """``num_to_remove_per_class`` as one count per class, in class order."""
    if counts is None or not isinstance(counts, Mapping):
        return counts
    names = r.class_names
    unknown = [c for c in counts if c not in names]
    if unknown:
        raise InputError(
            f"{name} names unknown classes {unknown!r}; the classes are {names.tolist()!r}."
        )
    return [int(counts.get(c, 0)) for c in names]
