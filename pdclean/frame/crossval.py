"""Out-of-sample pred_probs of a resolved table, by the cross-validation of :mod:`pdclean.learning`.

The feature matrix is built for the model (native missing values and categories where the model
takes them, :mod:`pdclean.frame.features`); classes absent from the labelled rows get 0.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.learning.cv import cross_val_pred_probs, default_model

__all__ = ["cross_validated_pred_probs", "leaking_columns"]

logger = logging.getLogger("pdclean")

#: A default feature column that gives the label in this share of the rows is a leak.
LEAK_AGREEMENT = 0.98


def cross_validated_pred_probs(r: Any) -> np.ndarray:
    """Out-of-sample pred_probs of ``r``'s labelled rows (rows x K classes); unused classes get 0.

    ``r`` is a :class:`~pdclean.frame.resolve.ResolvedInput` whose features, model, folds, seed
    and progress setting were checked by the resolver.
    """
    df, cv, random_state, progress = r.frame, r.cv, r.random_state, r.progress
    rows = df if r.all_labelled else df.loc[r.has_label]
    model = default_model(random_state, n_rows=len(rows)) if r.model is None else r.model
    logger.info(
        "pred_probs by %d-fold cross-validation of %s on %d feature column(s): %s",
        cv, type(model).__name__, len(r.features), ", ".join(map(repr, r.features)),
    )  # fmt: skip
    if r.default_features:
        _warn_leaks(rows, r)
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


def leaking_columns(
    df: pd.DataFrame, columns: Sequence[Hashable], codes: np.ndarray, n_classes: int
) -> list[Hashable]:
    """Columns with at most ``2 K`` distinct values that give the label in 98% of the rows.

    Such a column is a copy or a recoding of the label (``true_label``, a class name in
    another language), not a feature: a model learns the label from it and finds no issue.
    Columns with many distinct values (measurements, identifiers) are never reported.

    Examples
    --------
    >>> df = pd.DataFrame({"copy": list("xxyy"), "x": [0.1, 0.4, 0.3, 0.9]})
    >>> leaking_columns(df, ["copy", "x"], np.array([0, 0, 1, 1]), 2)
    ['copy']
    """
    leaks = []
    for name in columns:
        values, levels = pd.factorize(df[name], use_na_sentinel=True)
        if len(levels) > 2 * n_classes or len(levels) * 2 > len(values):
            continue
        known = values >= 0
        pairs = np.bincount(
            values[known] * n_classes + codes[known], minlength=len(levels) * n_classes
        ).reshape(len(levels), n_classes)
        if pairs.max(axis=1).sum() >= LEAK_AGREEMENT * len(values):
            leaks.append(name)
    return leaks


def _warn_leaks(rows: pd.DataFrame, r: Any) -> None:
    leaks = leaking_columns(rows, r.features, r.labelled_codes, r.n_classes)
    if leaks:
        warnings.warn(
            f"feature column(s) {leaks!r} give the label {r.label!r} in at least "
            f"{LEAK_AGREEMENT:.0%} of the rows: a copy of the label leaks into the model, "
            "which then finds almost no label issue. Pass features=[...] without them.",
            UserWarning,
            stacklevel=4,
        )
