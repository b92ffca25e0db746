"""Entry errors and outliers in a numeric target, from out-of-fold predictions (pdclean's own).

The reference (cleanlab's regression CleanLearning) flags a fixed fraction chosen by a costly
r² search and scores ``|residual| / uncertainty`` on the target's own scale. This detector:

1. **Scale-aware residuals.** A strictly positive target (prices, durations, amounts) is
   compared on the log scale, where an entry error (a value multiplied or divided by 2-10) is
   a shift of the same size at every level, *and* on the linear scale, where a gross additive
   outlier stands out; a row's z is the larger of the two. Other targets: the linear scale.
   ``scale="log"``/``"linear"`` forces one. (Measured on the benchmark: log alone misses
   additive outliers on noisy tables, linear alone misses entry errors on small values.)
2. **Robust local scale (heteroscedastic noise).** Rows are binned by their prediction (equal
   counts); in each bin the residuals' median (the model's local bias) and MAD x 1.4826 (the
   local noise) are taken robustly, interpolated along the prediction order, the spread floored
   at a fraction of the global one. ``z = (residual - local median) / local spread``.
3. **Calibrated flags.** A row is flagged when ``|z| > threshold`` (default 4.0, chosen on the
   regression detection benchmark, ``benchmarks/detection/regression.py``). The score is the
   two-sided Gaussian tail probability ``erfc(|z| / sqrt(2))`` in [0, 1] (low = suspicious);
   the suggested value is the prediction corrected by the local bias, on the original scale.

numpy and SciPy only; O(n log n).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.special import erfc

from pdclean.core.regression.validation import check_choice, check_pair
from pdclean.errors import InputError

__all__ = [
    "DEFAULT_THRESHOLD",
    "DetectScale",
    "TargetIssues",
    "choose_scale",
    "find_target_issues",
    "local_center_and_spread",
    "robust_z",
]

DetectScale = Literal["auto", "log", "linear"]

#: |robust z| above which a row is flagged (chosen on the regression detection benchmark).
DEFAULT_THRESHOLD = 4.0
#: MAD -> standard deviation of a Gaussian.
MAD_TO_SD = 1.482602218505602
#: Rows per prediction bin (at least) and the largest number of bins.
MIN_BIN_ROWS = 100
MAX_BINS = 20
#: The local spread is at least this fraction of the global one (bins of near-exact fits).
SPREAD_FLOOR = 0.1
#: Mean absolute deviation -> MAD of a Gaussian (used when the MAD is 0).
MEAN_AD_TO_MAD = 0.8453475393
#: Spreads are at least this fraction of the largest |residual| (or of 1): no division by 0.
RELATIVE_RESOLUTION = 1e-9


@dataclass(frozen=True)
class TargetIssues:
    """What :func:`find_target_issues` found (one entry per row, in the input order)."""

    is_issue: np.ndarray
    score: np.ndarray
    suggested: np.ndarray
    z: np.ndarray
    scale: str


def _skew(values: np.ndarray) -> float:
    """Sample skewness (the biased estimator, as ``scipy.stats.skew``)."""
    centred = values - values.mean()
    spread = np.mean(centred**2)
    return float(np.mean(centred**3) / spread**1.5) if spread > 0 else 0.0


def choose_scale(labels: np.ndarray) -> str:
    """Scale to *fit a model* in: ``"log"`` for a positive target whose log is less skewed.

    Examples
    --------
    >>> choose_scale(np.array([1.0, 2.0, 4.0, 8.0, 100.0]))
    'log'
    >>> choose_scale(np.array([-1.0, 2.0, 4.0]))
    'linear'
    """
    y = np.asarray(labels, dtype=np.float64)
    if y.min() <= 0 or np.ptp(y) == 0:
        return "linear"
    return "log" if abs(_skew(np.log(y))) < abs(_skew(y)) else "linear"


def local_center_and_spread(
    residual: np.ndarray, key: np.ndarray, *, min_bin_rows: int = MIN_BIN_ROWS
) -> tuple[np.ndarray, np.ndarray]:
    """Robust local median and spread (MAD x 1.4826) of ``residual`` along ``key``.

    Rows are split into equal-count bins by ``key`` (the prediction); each row gets the values
    interpolated between the centres of the bins around its rank.

    Examples
    --------
    >>> r = np.tile([-1.0, 1.0], 200) * np.repeat([1.0, 4.0], 200)
    >>> center, spread = local_center_and_spread(r, np.arange(400.0))
    >>> spread[[0, -1]].round(2).tolist()
    [1.48, 5.93]
    """
    n = len(residual)
    n_bins = int(np.clip(n // min_bin_rows, 1, MAX_BINS))
    order = np.argsort(key, kind="stable")
    bins = np.array_split(order, n_bins)
    centers = np.array([np.median(residual[b]) for b in bins])
    spreads = np.array([np.median(np.abs(residual[b] - c)) for b, c in zip(bins, centers)])
    deviation = np.abs(residual - np.median(residual))
    global_spread = np.median(deviation)
    if global_spread == 0:  # most residuals equal: fall back on the mean absolute deviation
        global_spread = np.mean(deviation) * MEAN_AD_TO_MAD
    resolution = RELATIVE_RESOLUTION * max(float(np.max(np.abs(residual))), 1.0)
    spreads = np.maximum(spreads, SPREAD_FLOOR * global_spread) * MAD_TO_SD
    spreads = np.maximum(spreads, resolution)
    bin_mid = np.array([(len(b) - 1) / 2 for b in bins]) + np.cumsum(
        [0] + [len(b) for b in bins[:-1]]
    )
    rank = np.empty(n)
    rank[order] = np.arange(n)
    return np.interp(rank, bin_mid, centers), np.interp(rank, bin_mid, spreads)


def robust_z(target: np.ndarray, prediction: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(robust z, bias-corrected prediction) of ``target`` against ``prediction``, one scale."""
    residual = target - prediction
    center, spread = local_center_and_spread(residual, prediction)
    return (residual - center) / spread, prediction + center


def log_pair(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Logs of a positive target and of its predictions (non-positive ones clipped)."""
    return np.log(y), np.log(np.maximum(p, y.min() / 2))


SCALES = {
    "linear": (lambda y, p: (y, p), lambda t: t),
    "log": (log_pair, np.exp),
}


def find_target_issues(
    labels: object,
    predictions: object,
    *,
    scale: DetectScale = "auto",
    threshold: float = DEFAULT_THRESHOLD,
) -> TargetIssues:
    """Flag entry errors and outliers in a numeric target from out-of-fold predictions.

    Parameters
    ----------
    labels : array-like, shape (n,)
        Given targets (finite real numbers, n >= 2).
    predictions : array-like, shape (n,)
        Out-of-fold predictions of the targets (on the original scale).
    scale : {"auto", "log", "linear"}, default "auto"
        Scale of the residuals. "auto": both scales for a strictly positive target (a row's z
        is the larger of the two), the linear scale otherwise; "log" needs positive targets.
    threshold : float, default 4.0
        Flag rows whose robust |z| exceeds this.

    Returns
    -------
    TargetIssues
        ``is_issue`` (bool), ``score`` (in [0, 1], low = suspicious), ``suggested`` (a
        corrected value), ``z`` (signed robust z) and the ``scale`` used.

    Examples
    --------
    >>> y = np.array([10.0, 12, 11, 13, 9, 10, 12, 11, 130, 10, 11, 12])
    >>> p = np.array([10.5, 11.5, 11, 12.5, 9.5, 10.2, 11.8, 11.1, 12.9, 10.1, 11.2, 11.9])
    >>> found = find_target_issues(y, p)
    >>> found.scale, np.flatnonzero(found.is_issue).tolist(), round(float(found.suggested[8]), 1)
    ('linear+log', [8], 12.9)
    """
    y, p = check_pair(labels, predictions)
    scale = check_choice("scale", scale, ("auto", "log", "linear"))
    if not np.isfinite(threshold) or threshold <= 0:
        raise InputError(f"threshold must be a positive number; got {threshold!r}.")
    y, p = y.astype(np.float64), p.astype(np.float64)
    if scale == "log" and y.min() <= 0:
        raise InputError(
            f"scale='log' needs positive labels; got a minimum of {y.min()!r}. Use"
            " scale='linear' or 'auto'."
        )
    auto = ("linear", "log") if y.min() > 0 else ("linear",)
    names = {"auto": auto, "linear": ("linear",), "log": ("log",)}[scale]
    zs, suggestions = [], []
    for name in names:
        to_scale, back = SCALES[name]
        z, fitted = robust_z(*to_scale(y, p))
        zs.append(z)
        suggestions.append(back(fitted))
    pick = np.argmax(np.abs(np.stack(zs)), axis=0)
    rows = np.arange(len(y))
    z = np.stack(zs)[pick, rows]
    suggested = np.stack(suggestions)[pick, rows]
    score = erfc(np.abs(z) / np.sqrt(2))
    return TargetIssues(np.abs(z) > threshold, score, suggested, z, "+".join(names))
