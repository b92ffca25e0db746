"""Random draws under constraints: probabilities that sum to m, balls into bins (SPEC 8.2, 8.3).

The building blocks of :func:`pdclean.noise.generate_noise_matrix_from_trace`, with the
reference's names, arguments and sequence of draws (from ``random_state``, never the global
generator).
"""

from __future__ import annotations

import numpy as np

from pdclean.core.noise_checks import (
    FPC,
    check_bounds,
    check_int,
    check_real,
    make_rng,
)
from pdclean.errors import InputError

__all__ = [
    "balls_into_bins",
    "generate_n_rand_probabilities_that_sum_to_m",
    "rand_probs",
    "randomly_distribute_N_balls_into_K_bins",
]


def rand_probs(
    n: int,
    m: float,
    max_prob: float,
    min_prob: float,
    rng: np.random.RandomState,
    names: tuple[str, str] = ("max_prob", "min_prob"),
) -> np.ndarray:
    """``n`` random values in [min_prob, max_prob] summing to ``m`` (reference draw order)."""
    if n == 0:
        return np.array([])
    if max_prob + FPC < m / n:
        raise InputError(
            f"{names[0]}={max_prob!r} is too small: {n} values summing to {m!r} need "
            f"{names[0]} >= {m / n!r}. Raise {names[0]} (or lower the total)."
        )
    if min_prob > (m + FPC) / n:
        raise InputError(
            f"{names[1]}={min_prob!r} is too large: {n} values summing to {m!r} need "
            f"{names[1]} <= {m / n!r}. Lower {names[1]} (or raise the total)."
        )
    r = rng.dirichlet(np.ones(n)) * m
    while r.max() > max_prob + FPC:
        new_min = r.min() + (r.max() - max_prob)
        a = (max_prob - new_min) * rng.rand()
        r[r.argmin()] = new_min + a
        r[r.argmax()] = max_prob - a
    while r.min() < min_prob - FPC:
        new_max = r.max() - (min_prob - r.min())
        a = (new_max - min_prob) * rng.rand()
        r[r.argmax()] = new_max - a
        r[r.argmin()] = min_prob + a
    return r


def generate_n_rand_probabilities_that_sum_to_m(
    n: int,
    m: float,
    *,
    max_prob: float = 1.0,
    min_prob: float = 0.0,
    random_state: int | np.random.RandomState | None = None,
) -> np.ndarray:
    """Draw ``n`` random values in ``[min_prob, max_prob]`` that sum to ``m``.

    A flat Dirichlet draw scaled by ``m``; values above ``max_prob`` (then below ``min_prob``)
    are moved back in range by random transfers between the largest and smallest values.

    Parameters
    ----------
    n : int
        Number of values (0 gives an empty array, without drawing).
    m : float
        Their sum.
    max_prob, min_prob : float, default 1.0 and 0.0
        Bounds of each value (1e-6 slack); ``m / n`` must lie between them.
    random_state : int, numpy.random.RandomState or None, default None
        Seed or generator (``None``: a fresh, unseeded generator).

    Returns
    -------
    ndarray of shape (n,)

    Examples
    --------
    >>> r = generate_n_rand_probabilities_that_sum_to_m(4, 2.0, max_prob=0.6, random_state=0)
    >>> round(float(r.sum()), 9), bool(r.max() <= 0.6 + 1e-6)
    (2.0, True)
    """
    n = check_int(n, "n", 0)
    m = check_real(m, "m", 0.0, np.inf)
    max_prob = check_real(max_prob, "max_prob", 0.0, np.inf)
    min_prob = check_real(min_prob, "min_prob", 0.0, np.inf)
    check_bounds(min_prob, max_prob, ("max_prob", "min_prob"))
    return rand_probs(n, m, max_prob, min_prob, make_rng(random_state))


def balls_into_bins(
    N: int, K: int, max_balls: int | None, min_balls: int | None, rng: np.random.RandomState
) -> np.ndarray:
    """Integer counts per bin summing to N (reference draw order)."""
    if N == 0:
        return np.zeros(K, dtype=int)
    max_b = N if max_balls is None else min(max_balls, N)
    min_b = 0 if min_balls is None else min(min_balls, N / K)
    if max_b < N / K:
        N = max_b * K
    arr = np.round(rand_probs(K, 1, max_b / N, min_b / N, rng) * N).astype(int)
    while arr.sum() > N:
        arr[arr.argmax()] -= 1
    while arr.sum() < N:
        arr[arr.argmin()] += 1
    return arr


def randomly_distribute_N_balls_into_K_bins(
    N: int,
    K: int,
    *,
    max_balls_per_bin: int | None = None,
    min_balls_per_bin: int | None = None,
    random_state: int | np.random.RandomState | None = None,
) -> np.ndarray:
    """Randomly split ``N`` balls into ``K`` bins.

    If ``N / K`` exceeds ``max_balls_per_bin``, only ``max_balls_per_bin * K`` balls are
    placed (every bin full), as in the reference.

    Parameters
    ----------
    N : int
        Number of balls (0 gives ``K`` zeros, without drawing).
    K : int
        Number of bins (>= 1).
    max_balls_per_bin, min_balls_per_bin : int or None, default None
        Bounds per bin (``None``: ``N`` and 0).
    random_state : int, numpy.random.RandomState or None, default None
        Seed or generator (``None``: a fresh, unseeded generator).

    Returns
    -------
    ndarray of int, shape (K,)

    Examples
    --------
    >>> bins = randomly_distribute_N_balls_into_K_bins(10, 3, max_balls_per_bin=4, random_state=0)
    >>> int(bins.sum()), bool(bins.max() <= 4)
    (10, True)
    """
    N = check_int(N, "N", 0)
    K = check_int(K, "K", 1)
    if max_balls_per_bin is not None:
        max_balls_per_bin = check_int(max_balls_per_bin, "max_balls_per_bin", 1)
    if min_balls_per_bin is not None:
        min_balls_per_bin = check_int(min_balls_per_bin, "min_balls_per_bin", 0)
        if max_balls_per_bin is not None:
            check_bounds(
                min_balls_per_bin,
                max_balls_per_bin,
                names=("max_balls_per_bin", "min_balls_per_bin"),
            )
    return balls_into_bins(N, K, max_balls_per_bin, min_balls_per_bin, make_rng(random_state))
