"""Noise matrices and noisy labels, for benchmarking label-error detection.

A noise matrix ``nm`` holds ``nm[s, y] = p(given label = s | true label = y)``: column ``y`` is
the distribution of the given label for examples of true class ``y``, so every column sums to 1
and the trace measures how clean the labels are (``K`` means no noise).

The functions keep the names, arguments and draws of the reference implementation (cleanlab's
``benchmarking.noise_generation``), with one difference: randomness comes from the
``random_state`` argument (an int seed, a ``numpy.random.RandomState`` or ``None``), never from
numpy's global generator. Given the same seed, the results are bit-for-bit those of the
reference, and one ``RandomState`` passed to successive calls reproduces the reference's
successive draws from the global generator.
"""

from __future__ import annotations

import logging

import numpy as np

from pdclean.core.draws import (
    balls_into_bins,
    generate_n_rand_probabilities_that_sum_to_m,
    rand_probs,
    randomly_distribute_N_balls_into_K_bins,
)
from pdclean.core.noise_checks import (
    DEFAULT_SEED,
    FPC,
    check_column_stochastic,
    check_int,
    check_matrix_args,
    check_noise_labels,
    check_square,
    make_rng,
    resolve_seed,
)
from pdclean.errors import InputError

__all__ = [
    "generate_n_rand_probabilities_that_sum_to_m",
    "generate_noise_matrix_from_trace",
    "generate_noisy_labels",
    "noise_matrix_is_valid",
    "randomly_distribute_N_balls_into_K_bins",
]

logger = logging.getLogger(__name__)


def noise_matrix_is_valid(
    noise_matrix: np.ndarray, py: np.ndarray, *, verbose: bool = False
) -> bool:
    """Whether a noise matrix keeps every class learnable under the prior ``py``.

    With the joint ``J[s, y] = nm[s, y] · py[y]`` and the given-label prior ``ps = nm @ py``,
    the matrix is valid when ``J`` sums to 1 (within 1e-6) and, for every class ``k``,
    ``ps[k] · py[k] < J[k, k]``: given label ``k`` is more likely to be correct than chance.

    Parameters
    ----------
    noise_matrix : ndarray of shape (K, K)
        ``p(given label | true label)``; columns sum to 1.
    py : array-like of shape (K,)
        Prior of the true labels.
    verbose : bool, default False
        Log the per-class comparison at INFO level (logger ``pdclean.noise``).

    Returns
    -------
    bool

    Examples
    --------
    >>> noise_matrix_is_valid([[0.8, 0.3], [0.2, 0.7]], [0.5, 0.5])
    True
    >>> noise_matrix_is_valid([[0.4, 0.7], [0.6, 0.3]], [0.5, 0.5])
    False
    """
    nm = check_square(noise_matrix)
    K = nm.shape[0]
    prior = np.asarray(py, dtype=float)
    if prior.shape != (K,):
        raise InputError(f"py must hold one prior probability per class ({K} values), got {py!r}.")
    joint = nm * prior
    ps = nm @ prior
    if abs(joint.sum() - 1) >= FPC:
        if verbose:
            logger.info("joint sums to %r, not 1: invalid noise matrix", joint.sum())
        return False
    lhs = ps * prior
    rhs = np.diag(joint)
    if verbose:
        for k in range(K):
            logger.info("class %d: ps*py = %r < joint[k, k] = %r", k, lhs[k], rhs[k])
    return bool(np.all(lhs < rhs))


def _two_class_matrix(trace: float, frac_zero: float, rng: np.random.RandomState) -> np.ndarray:
    """K = 2: no validity check and no rate bounds, as in the reference."""
    if frac_zero >= 0.5:
        nm = np.array([[1.0, 1 - (trace - 1)], [0.0, trace - 1]])
        return nm[::-1, ::-1].copy() if rng.rand() <= 0.5 else nm
    d = rand_probs(2, trace, 1.0, 0.0, rng, names=("max_trace_prob", "min_trace_prob"))
    return np.array([[d[0], 1 - d[1]], [1 - d[0], d[1]]])


def _draw_matrix(
    K: int,
    trace: float,
    bounds: tuple[float, float, float, float],
    frac_zero: float,
    rng: np.random.RandomState,
) -> np.ndarray:
    """One candidate noise matrix for K > 2 (steps 1-4 of the reference)."""
    max_trace, min_trace, max_rate, min_rate = bounds
    diag = rand_probs(K, trace, max_trace, min_trace, rng, ("max_trace_prob", "min_trace_prob"))
    nm = np.diag(diag)
    noisy_cols = np.flatnonzero(diag != 1)
    c = noisy_cols.size
    n_zero = max(int(K * (K - 1) * frac_zero) - (K - c) * (K - 1), 0)
    zeros_per_col = balls_into_bins(n_zero, c, K - 2, 0, rng)
    for col, zeros in zip(noisy_cols, zeros_per_col):
        q = K - 1 - zeros
        rates = rand_probs(
            q, 1 - diag[col], max_rate, min_rate, rng, ("max_noise_rate", "min_noise_rate")
        )
        rows = rng.choice(np.delete(np.arange(K), col), q, replace=False)
        nm[rows, col] = rates[::-1]
    return nm


def generate_noise_matrix_from_trace(
    K: int,
    trace: float,
    *,
    max_trace_prob: float = 1.0,
    min_trace_prob: float = 1e-5,
    max_noise_rate: float = 1 - 1e-5,
    min_noise_rate: float = 0.0,
    valid_noise_matrix: bool = True,
    py: np.ndarray | None = None,
    frac_zero_noise_rates: float = 0.0,
    random_state: int | np.random.RandomState | None = DEFAULT_SEED,
    max_iter: int = 10000,
    seed: int | np.random.RandomState | None = None,
) -> np.ndarray | None:
    """Draw a random K x K noise matrix ``p(given label | true label)`` with a given trace.

    The diagonal (probabilities of keeping the true label) is drawn to sum to ``trace``; each
    column's remaining mass ``1 - nm[k, k]`` is spread over randomly chosen rows, leaving a
    fraction ``frac_zero_noise_rates`` of the off-diagonal entries at zero. With
    ``valid_noise_matrix`` (and K > 2), draws repeat until :func:`noise_matrix_is_valid`.

    Parameters
    ----------
    K : int
        Number of classes (>= 2).
    trace : float
        Sum of the diagonal, in (1, K) for a valid matrix (in [0, K) otherwise).
    max_trace_prob, min_trace_prob : float, default 1.0 and 1e-5
        Bounds of each diagonal entry.
    max_noise_rate, min_noise_rate : float, default 1 - 1e-5 and 0.0
        Bounds of each non-zero off-diagonal entry.
    valid_noise_matrix : bool, default True
        Redraw until the matrix is valid under ``py`` (required when K > 2).
    py : array-like of shape (K,), optional
        Prior of the true labels, summing to 1.
    frac_zero_noise_rates : float, default 0.0
        Fraction of off-diagonal entries set to zero (at most K - 2 per column).
    random_state : int, numpy.random.RandomState or None, default 0
        Seed or generator; ``None`` gives a fresh, unseeded generator.
    max_iter : int, default 10000
        Number of draws before giving up.
    seed : int, numpy.random.RandomState or None, default None
        The reference's name for ``random_state``; pass one or the other.

    Returns
    -------
    ndarray of shape (K, K), or None
        None when no valid matrix was found in ``max_iter`` draws (or ``max_iter < 1``), as in
        the reference; a warning is logged (logger ``pdclean.noise``).

    Notes
    -----
    For K = 2 (as in the reference) the matrix is returned without a validity check and
    without the trace-probability or noise-rate bounds; ``frac_zero_noise_rates >= 0.5`` gives
    ``[[1, 2 - trace], [0, trace - 1]]`` or its 180° rotation. Stricter than the reference:
    ``trace >= K`` is rejected (the reference then returns entries outside [0, 1]).

    Examples
    --------
    >>> nm = generate_noise_matrix_from_trace(3, 2.4, py=[0.5, 0.25, 0.25], random_state=0)
    >>> round(float(np.trace(nm)), 6), np.round(nm.sum(axis=0), 6).tolist()
    (2.4, [1.0, 1.0, 1.0])
    >>> noise_matrix_is_valid(nm, [0.5, 0.25, 0.25])
    True
    """
    K, trace, bounds, frac_zero, py = check_matrix_args(
        K,
        trace,
        (max_trace_prob, min_trace_prob, max_noise_rate, min_noise_rate),
        valid_noise_matrix,
        py,
        frac_zero_noise_rates,
    )
    max_iter = check_int(max_iter, "max_iter", None)
    rng = resolve_seed(random_state, seed)
    if max_iter < 1:
        logger.warning("max_iter=%r < 1: no noise matrix drawn, returning None", max_iter)
        return None
    if K == 2:
        return _two_class_matrix(trace, frac_zero, rng)
    for _ in range(max_iter):
        nm = _draw_matrix(K, trace, bounds, frac_zero, rng)
        if not valid_noise_matrix or noise_matrix_is_valid(nm, py):
            return nm
    logger.warning(
        "no valid noise matrix found in max_iter=%d draws (K=%d, trace=%r); returning None. "
        "Raise max_iter or trace.",
        max_iter,
        K,
        trace,
    )
    return None


def generate_noisy_labels(
    true_labels: np.ndarray,
    noise_matrix: np.ndarray,
    *,
    random_state: int | np.random.RandomState | None = None,
) -> np.ndarray:
    """Flip true labels according to a noise matrix.

    For each true class ``k`` exactly ``trunc(nm[s, k] · py[k] · N)`` examples (``py`` = class
    frequencies of ``true_labels``) get the label ``s != k``; which ones is random. Counts are
    truncated, so the observed flip rates fall short of ``nm`` by less than ``1 / n_k``.

    Parameters
    ----------
    true_labels : array-like of int, shape (N,)
        Class codes in 0..K-1. Not modified.
    noise_matrix : ndarray of shape (K, K)
        ``p(given label | true label)``; columns sum to 1.
    random_state : int, numpy.random.RandomState or None, default None
        Seed or generator (``None``: a fresh, unseeded generator).

    Returns
    -------
    ndarray of shape (N,)
        The noisy labels, with the dtype of ``true_labels``.

    Examples
    --------
    >>> y = np.repeat([0, 1], 10)
    >>> noisy = generate_noisy_labels(y, [[0.8, 0.1], [0.2, 0.9]], random_state=0)
    >>> int((noisy[y == 0] == 1).sum()), int((noisy[y == 1] == 0).sum())
    (2, 1)
    """
    nm = check_column_stochastic(noise_matrix)
    K = nm.shape[0]
    y = check_noise_labels(true_labels, K)
    rng = make_rng(random_state)
    noisy = y.copy()
    n = y.size
    if n == 0:
        return noisy
    py = np.bincount(y, minlength=K) / n
    flips = (nm * py * n).astype(int)
    np.fill_diagonal(flips, 0)
    classes = np.arange(K)
    for k in range(K):
        new_labels = np.repeat(classes, flips[:, k])
        candidates = np.flatnonzero(y == k)
        if new_labels.size and candidates.size >= new_labels.size:
            chosen = rng.choice(candidates, new_labels.size, replace=False)
            noisy[chosen] = new_labels
    return noisy
