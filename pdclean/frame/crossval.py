"""Out-of-sample pred_probs of a resolved table, by the cross-validation of :mod:`pdclean.learning`.

The feature matrix is built for the model (native missing values and categories where the model
takes them, :mod:`pdclean.frame.features`); classes absent from the labelled rows get 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.learning.cv import cross_val_pred_probs, default_model

__all__ = ["cross_validated_pred_probs"]


def cross_validated_pred_probs(r: Any) -> np.ndarray:
    """Out-of-sample pred_probs of ``r``'s labelled rows (rows x K classes); unused classes get 0.

    ``r`` is a :class:`~pdclean.frame.resolve.ResolvedInput` whose features, model, folds, seed
    and progress setting were checked by the resolver.
    """
    df, cv, random_state, progress = r.frame, r.cv, r.random_state, r.progress
    rows = df if r.all_labelled else df.loc[r.has_label]
    model = default_model(random_state, n_rows=len(rows)) if r.model is None else r.model
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
