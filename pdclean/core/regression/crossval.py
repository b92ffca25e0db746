"""Cross-validated predictions and the excluded-fraction search of regression CleanLearning.

SPEC R3.3-R3.6. ``cross_val_predict_excluding`` is the CV primitive: out-of-fold predictions
of a target after excluding the last fraction of an order of rows (the excluded rows get the
mean prediction of the fold models). ``search_fraction`` picks the fraction that maximises the
r² of those predictions over a coarse then a fine grid. Every random draw is one
``rng.permutation(n)`` on the caller's ``RandomState``, in the reference's sequence (R3.9).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import clone

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "R2_SENTINEL",
    "cross_val_predict_excluding",
    "fold_positions",
    "r2",
    "search_fraction",
]

#: r² recorded for a candidate fraction that leaves too few rows to cross-validate.
R2_SENTINEL = -1e30


def fold_positions(perm: np.ndarray, n_folds: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, holdout) positions of each fold, both ascending (KFold with shuffle, R3.3).

    Examples
    --------
    >>> [h.tolist() for _, h in fold_positions(np.array([3, 0, 4, 1, 2]), 2)]
    [[0, 3, 4], [1, 2]]
    """
    n = len(perm)
    sizes = np.full(n_folds, n // n_folds)
    sizes[: n % n_folds] += 1
    folds = []
    start = 0
    for size in sizes:
        holdout_mask = np.zeros(n, dtype=bool)
        holdout_mask[perm[start : start + size]] = True
        folds.append((np.flatnonzero(~holdout_mask), np.flatnonzero(holdout_mask)))
        start += size
    return folds


def clone_model(model: Any) -> Any:
    """``sklearn.base.clone(model)``, with an error that says what to do when it fails."""
    try:
        return clone(model)
    except (TypeError, RuntimeError) as exc:
        raise InputTypeError(
            f"model must be clonable with sklearn.base.clone(model); got {model!r} ({exc})."
            " Wrap it in a scikit-learn compatible estimator (get_params/set_params)."
        ) from exc


def split_order(order: np.ndarray, frac: float, n_folds: int) -> tuple[np.ndarray, np.ndarray]:
    """(kept, excluded) rows: the last ``ceil(len(order)·frac)`` entries of ``order`` go out."""
    if frac < 0 or frac > 1:
        raise InputError(f"the excluded fraction k must be between 0 and 1; got {frac!r}.")
    cut = len(order) - math.ceil(len(order) * frac) if frac != 0 else len(order)
    kept, excluded = order[:cut], order[cut:]
    if len(kept) < n_folds:
        raise InputError(
            f"There are too few examples to conduct {n_folds}-fold cross validation: {len(kept)}"
            f" rows are left after excluding a fraction {frac!r}. Reduce cv_n_folds or"
            " exclude less data."
        )
    return kept, excluded


def cross_val_predict_excluding(
    model: Any,
    X: np.ndarray,
    z: np.ndarray,
    *,
    order: np.ndarray,
    frac: float,
    n_folds: int,
    rng: np.random.RandomState,
    fit_kwargs: dict[str, Any] | None = None,
) -> np.ndarray:
    """Out-of-fold predictions of ``z``; the rows excluded by ``frac`` get the fold models' mean.

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.arange(6.0).reshape(-1, 1)
    >>> p = cross_val_predict_excluding(LinearRegression(), X, 2 * X[:, 0], order=np.arange(6),
    ...     frac=0.0, n_folds=2, rng=np.random.RandomState(0))
    >>> bool(np.allclose(p, 2 * X[:, 0]))
    True
    """
    kept, excluded = split_order(order, frac, n_folds)
    perm = rng.permutation(len(kept))
    out = np.zeros(len(z), dtype=np.float64)
    excluded_preds = np.empty((len(excluded), n_folds))
    for f, (train, holdout) in enumerate(fold_positions(perm, n_folds)):
        fitted = clone_model(model)
        fitted.fit(X[kept[train]], z[kept[train]], **(fit_kwargs or {}))
        out[kept[holdout]] = np.ravel(fitted.predict(X[kept[holdout]]))
        if len(excluded):
            excluded_preds[:, f] = np.ravel(fitted.predict(X[excluded]))
    if len(excluded):
        out[excluded] = np.mean(excluded_preds, axis=1)
    return out


def r2(y: np.ndarray, q: np.ndarray) -> float:
    """Coefficient of determination, as scikit-learn's ``r2_score`` computes it (SPEC R3.4).

    Examples
    --------
    >>> r2(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 4.0]))
    0.5
    """
    num = np.sum((y - q) ** 2)
    if num == 0:
        return 1.0
    den = np.sum((y - np.mean(y)) ** 2)
    if den == 0:
        return 0.0
    return float(1 - num / den)


def evaluate_fraction(model, X, y, order, frac, n_folds, rng) -> float:
    """r² of the CV predictions that exclude ``frac`` of ``order`` (or the sentinel)."""
    if math.floor(len(y) * (1 - frac)) < n_folds:
        return R2_SENTINEL
    pred = cross_val_predict_excluding(
        model, X, y, order=order, frac=frac, n_folds=n_folds, rng=rng
    )
    return r2(y, pred)


def fine_grid(coarse: list[float], best: int, size: int) -> list[float]:
    """The ``size`` points strictly inside each interval beside ``coarse[best]`` (R3.6 step 3)."""
    pairs = []
    if best > 0:
        pairs.append((coarse[best - 1], coarse[best]))
    if best < len(coarse) - 1:
        pairs.append((coarse[best], coarse[best + 1]))
    grid = []
    for a, b in pairs:
        delta = (b - a) / (size + 1)
        grid.extend((j * delta) + a for j in range(1, size + 1))
    return grid


def search_fraction(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    order: np.ndarray,
    *,
    coarse_search_range: Sequence[float],
    fine_search_size: int,
    n_folds: int,
    rng: np.random.RandomState,
) -> tuple[float, float]:
    """(fraction, r²) maximising the r² of CV predictions that exclude the worst rows (R3.6)."""
    coarse = sorted(coarse_search_range)
    if not coarse:
        raise InputError("coarse_search_range must have at least 1 value; got [].")
    if len(coarse) == 1:
        frac = coarse[0]
        if math.floor(len(y) * (1 - frac)) < n_folds:
            raise InputError(
                f"There are too few examples to conduct {n_folds}-fold cross validation after"
                f" excluding a fraction {frac!r} of {len(y)} rows. Reduce cv_n_folds or"
                " exclude less data."
            )
        return frac, evaluate_fraction(model, X, y, order, frac, n_folds, rng)
    r2_coarse = [evaluate_fraction(model, X, y, order, c, n_folds, rng) for c in coarse]
    best = int(np.argmax(r2_coarse))
    if fine_search_size < 0:
        raise InputError(f"fine_search_size must be at least 0; got {fine_search_size!r}.")
    if fine_search_size == 0:
        return coarse[best], r2_coarse[best]
    fine = fine_grid(coarse, best, fine_search_size)
    r2_fine = [evaluate_fraction(model, X, y, order, c, n_folds, rng) for c in fine]
    if max(r2_coarse) > max(r2_fine):
        return coarse[best], r2_coarse[best]
    best_fine = int(np.argmax(r2_fine))
    return fine[best_fine], r2_fine[best_fine]
