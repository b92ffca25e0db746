"""The shared inputs of every method: noisy labels, out-of-fold pred_probs and neighbours.

For each (table, noise kind): the noisy labels, the mask of truly flipped rows, and out-of-fold
predicted probabilities (5 folds, fixed seed) of histogram gradient boosting (the shared
pred_probs every method gets), of a scaled logistic regression (an extra ensemble member for the
candidates) and the 10 nearest rows of each row (self excluded) in the scaled feature space. The
times of each part are kept, so that a method's time includes the signals it needs beyond the
shared pred_probs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from benchmarks.detection.noise import make_noisy
from pdclean.learning.detect import nearest_rows, out_of_fold_pred_probs

SEED = 0
N_NEIGHBORS = 10


def encode(X: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """A float matrix (category codes for categorical columns, NaN for missing) and the mask."""
    cols, mask = [], []
    for name in X.columns:
        s = X[name]
        if isinstance(s.dtype, pd.CategoricalDtype):
            codes = s.cat.codes.to_numpy().astype(float)
            cols.append(np.where(codes < 0, np.nan, codes))
            mask.append(True)
        else:
            cols.append(s.to_numpy(dtype=float, na_value=np.nan))
            mask.append(False)
    return np.column_stack(cols), np.array(mask)


@dataclass
class Problem:
    table: str
    noise: str
    true_labels: np.ndarray
    labels: np.ndarray
    probs: dict[str, np.ndarray]
    neighbors: np.ndarray
    features: np.ndarray
    categorical: np.ndarray
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def is_error(self) -> np.ndarray:
        return self.labels != self.true_labels


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - start


def problems_for_table(table: str, X: pd.DataFrame, y: np.ndarray, kinds) -> list[Problem]:
    """One :class:`Problem` per noise kind of one table."""
    M, mask = encode(X)
    neighbors, t_knn = timed(nearest_rows, M, categorical=mask, n_neighbors=N_NEIGHBORS)
    clean = out_of_fold_pred_probs(M, y, categorical=mask, random_state=SEED)[0]
    out = []
    for i, kind in enumerate(kinds):
        noisy = make_noisy(kind, y, clean, seed=SEED + i)
        (hgb,), t_hgb = timed(
            out_of_fold_pred_probs,
            M,
            noisy,
            categorical=mask,
            models=["hist_gradient_boosting"],
            random_state=SEED,
        )
        (lr,), t_lr = timed(
            out_of_fold_pred_probs,
            M,
            noisy,
            categorical=mask,
            models=["logistic_regression"],
            random_state=SEED,
        )
        out.append(
            Problem(
                table,
                kind,
                y,
                noisy,
                {"hgb": hgb, "lr": lr},
                neighbors,
                M,
                mask,
                {"hgb": t_hgb, "lr": t_lr, "knn": t_knn},
            )
        )
    return out
