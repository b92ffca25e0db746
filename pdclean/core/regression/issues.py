"""Label issues of a numeric target by cross-validation (regression CleanLearning, SPEC R3.5).

Arrays in, arrays out: :func:`find_regression_issues` returns the issue mask, the label quality,
the out-of-fold predictions and the chosen excluded fraction ``k``. The estimator in
:mod:`pdclean.learning.regression` and the frame face wrap it.

Randomness: the reference draws its fold permutations from numpy's *global* generator, seeded
once in its constructor. Here every draw comes from the ``RandomState`` passed in, in the same
sequence (R3.9), so ``RandomState(seed)`` created just before the call reproduces the reference
constructed with ``seed`` just before the call, without touching the global generator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pdclean.core.regression.crossval import cross_val_predict_excluding, r2, search_fraction
from pdclean.errors import InputError

__all__ = [
    "DEFAULT_COARSE_SEARCH_RANGE",
    "RegressionIssues",
    "aleatoric_uncertainty",
    "epistemic_uncertainty",
    "find_regression_issues",
    "residual_quality",
]

DEFAULT_COARSE_SEARCH_RANGE = (0.01, 0.05, 0.1, 0.15, 0.2)
#: Added to the uncertainty before dividing, and the floor of the median (SPEC R0.1 TINY).
TINY = 1e-100


@dataclass(frozen=True)
class RegressionIssues:
    """What :func:`find_regression_issues` found (one entry per row, in the input order)."""

    is_label_issue: np.ndarray
    label_quality: np.ndarray
    predictions: np.ndarray
    k: float


def epistemic_uncertainty(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_boot: int,
    rng: np.random.RandomState,
    predictions: np.ndarray | None = None,
) -> np.ndarray:
    """Per-row std over ``n_boot`` 2-fold CV predictions (+ ``predictions``) (SPEC R3.8).

    Examples
    --------
    >>> epistemic_uncertainty(None, np.zeros((3, 1)), np.zeros(3), n_boot=0,
    ...     rng=np.random.RandomState(0)).tolist()
    [0.0, 0.0, 0.0]
    """
    if n_boot == 0:
        return np.zeros(len(y))
    identity = np.arange(len(y))
    columns = [
        cross_val_predict_excluding(model, X, y, order=identity, frac=0.0, n_folds=2, rng=rng)
        for _ in range(n_boot)
    ]
    if predictions is not None:
        columns.append(np.squeeze(np.asarray(predictions, dtype=np.float64)))
    return np.sqrt(np.var(np.column_stack(columns), axis=1))


def aleatoric_uncertainty(
    model: Any, X: np.ndarray, residual: np.ndarray, *, n_folds: int, rng: np.random.RandomState
) -> float:
    """Std of the out-of-fold predictions of the residuals (one scalar, SPEC R3.5 step 8)."""
    identity = np.arange(len(residual))
    pred = cross_val_predict_excluding(
        model, X, residual, order=identity, frac=0.0, n_folds=n_folds, rng=rng
    )
    return float(np.sqrt(np.var(pred)))


def residual_quality(residual: np.ndarray, uncertainty: Any) -> np.ndarray:
    """``exp(-adj / max(median(adj), 1e-100))`` with ``adj = |r / (u + 1e-100)|`` (R3.5 step 9).

    Examples
    --------
    >>> residual_quality(np.array([0.0, 1.0, -2.0]), 0.0).round(4).tolist()
    [1.0, 0.3679, 0.1353]
    """
    adjusted = np.abs(residual / (uncertainty + TINY))
    return np.exp(-adjusted / max(float(np.median(adjusted)), TINY))


def check_uncertainty(uncertainty: Any, n: int) -> Any:
    """A float, or an array of length ``n``."""
    if isinstance(uncertainty, np.ndarray) and len(uncertainty) != n:
        raise InputError(
            f"uncertainty as an array must have one value per row of y ({n}); got"
            f" {len(uncertainty)} values. Pass a float or an array of length {n}."
        )
    return uncertainty


def find_regression_issues(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_folds: int = 5,
    n_boot: int = 5,
    include_aleatoric_uncertainty: bool = True,
    uncertainty: Any = None,
    coarse_search_range: Sequence[float] = DEFAULT_COARSE_SEARCH_RANGE,
    fine_search_size: int = 3,
    fit_kwargs: dict[str, Any] | None = None,
    rng: np.random.RandomState,
) -> RegressionIssues:
    """Flag the ``ceil(n·k)`` lowest-quality rows, ``k`` chosen by cross-validated r² (R3.5).

    Parameters
    ----------
    model : regressor
        Cloned for every fold; never fitted itself.
    X : ndarray, shape (n, ...)
        Features (row-indexable).
    y : ndarray, shape (n,)
        Checked numeric target (see :func:`~pdclean.core.regression.validation.check_target`).
    n_folds, n_boot, include_aleatoric_uncertainty, uncertainty, coarse_search_range, \
fine_search_size
        As ``cv_n_folds`` and the others in :class:`pdclean.regression.learn.CleanLearning`.
    fit_kwargs : dict, optional
        Passed to ``fit`` in the first and final CV only (as the reference does).
    rng : numpy.random.RandomState
        Source of the fold permutations.

    Returns
    -------
    RegressionIssues

    Examples
    --------
    >>> from sklearn.linear_model import LinearRegression
    >>> X = np.arange(12.0).reshape(-1, 1)
    >>> y = 2 * X[:, 0] + np.r_[0.1, -0.1].repeat(6)
    >>> y[5] += 30
    >>> found = find_regression_issues(LinearRegression(), X, y, n_folds=3, n_boot=0,
    ...     rng=np.random.RandomState(0))
    >>> np.flatnonzero(found.is_label_issue).tolist(), found.k
    ([5, 11], 0.125)
    """
    n = len(y)
    identity = np.arange(n)
    first = cross_val_predict_excluding(
        model, X, y, order=identity, frac=0.0, n_folds=n_folds, rng=rng, fit_kwargs=fit_kwargs
    )
    order = np.argsort(np.abs(first - y), kind="stable")
    k, best_r2 = search_fraction(
        model,
        X,
        y,
        order,
        coarse_search_range=coarse_search_range,
        fine_search_size=fine_search_size,
        n_folds=n_folds,
        rng=rng,
    )
    if r2(y, first) >= best_r2:
        k = 0
    pred = cross_val_predict_excluding(
        model, X, y, order=order, frac=k, n_folds=n_folds, rng=rng, fit_kwargs=fit_kwargs
    )
    residual = pred - y
    if uncertainty is None:
        epistemic = epistemic_uncertainty(model, X, y, n_boot=n_boot, rng=rng, predictions=pred)
        aleatoric = 0.0
        if include_aleatoric_uncertainty:
            aleatoric = aleatoric_uncertainty(model, X, residual, n_folds=n_folds, rng=rng)
        uncertainty = epistemic + aleatoric
    quality = residual_quality(residual, check_uncertainty(uncertainty, n))
    mask = np.zeros(n, dtype=bool)
    mask[np.argsort(quality, kind="stable")[: math.ceil(n * k)]] = True
    return RegressionIssues(mask, quality, pred, k)
