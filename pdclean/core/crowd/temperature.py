"""Temperature scaling of pred_probs towards the annotators' labels (SPEC-multi A.5).

The temperature minimises the soft cross-entropy between the scaled probabilities and the
annotators' empirical label distribution, over a coarse grid and then a finer grid around the
best coarse value. Two cleanlab 2.9 quirks are mirrored for parity:

* the empirical distribution is cleanlab's "packed" one (:func:`packed_distribution`), wrong
  for rows that do not contain every class;
* the fine grid around the coarse optimum 8 does not include 8, so the result is at most 7.25.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.crowd.labels import packed_distribution

__all__ = ["COARSE_GRID", "best_temperature", "soft_cross_entropy", "temp_scale"]

COARSE_GRID = (0.1, 0.2, 0.5, 0.8, 1.0, 2.0, 3.0, 5.0, 8.0)
FINE_STEPS = 4
SMALL = 1e-30
T_FLOOR = 1e-6


def soft_cross_entropy(target: np.ndarray, probs: np.ndarray) -> float:
    """Mean over rows of ``-sum_k target·ln(max(probs, 1e-30)) / ln K``.

    Examples
    --------
    >>> soft_cross_entropy(np.array([[1.0, 0.0]]), np.array([[0.5, 0.5]]))
    1.0
    """
    logs = np.log(np.maximum(probs, SMALL))
    per_row = -np.sum(target * logs, axis=1) / np.log(probs.shape[1])
    return float(np.mean(per_row))


def scaled_from_logs(logs: np.ndarray, temperature: float) -> np.ndarray:
    """``softmax(logs / max(T, 1e-6))`` without the max shift (zeros stay exactly zero)."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        expo = np.exp(logs / max(temperature, T_FLOOR))
        return expo / expo.sum(axis=1, keepdims=True)


def best_temperature(counts: np.ndarray, pred_probs: np.ndarray) -> float:
    """The temperature that best fits pred_probs to the annotators' labels (A.5.3).

    Parameters
    ----------
    counts : ndarray of int, shape (n, K)
        Vote counts (``vote_counts``); their packed distribution is the target.
    pred_probs : ndarray, shape (n, K)

    Examples
    --------
    The worked example of SPEC-multi A.9 (coarse optimum 8, so the fine grid tops at 7.25):

    >>> counts = np.array([[0, 0, 2], [1, 2, 0], [0, 1, 1], [2, 0, 1], [0, 2, 0], [2, 0, 0]])
    >>> P = np.array([[.1, .2, .7], [.3, .4, .3], [.2, .2, .6], [.8, .1, .1], [.1, .8, .1],
    ...               [.5, .3, .2]])
    >>> best_temperature(counts, P)
    7.25
    """
    target = packed_distribution(counts)
    with np.errstate(divide="ignore"):
        logs = np.log(pred_probs)  # log(0) = -inf; no clipping in the search
    logs[~(pred_probs > 0)] = -np.inf

    def loss(temperature: float) -> float:
        with np.errstate(invalid="ignore"):
            return soft_cross_entropy(target, scaled_from_logs(logs, temperature))

    grid = np.array(COARSE_GRID)
    best = int(np.argmin([loss(t) for t in grid]))
    fine = []
    if best > 0:
        fine.append(np.linspace(grid[best - 1], grid[best], FINE_STEPS, endpoint=False))
    if best < grid.size - 1:
        fine.append(np.linspace(grid[best], grid[best + 1], FINE_STEPS + 1))
    fine_grid = np.concatenate(fine)
    return float(fine_grid[int(np.argmin([loss(t) for t in fine_grid]))])


def temp_scale(pred_probs: np.ndarray, temperature: float) -> np.ndarray:
    """Rescale pred_probs by a temperature (A.5.4); a new (n, K) array.

    Probabilities are floored at 1e-30 and renormalised first, so the result differs from the
    input even at T = 1 when rows do not sum to 1 or contain zeros.

    Examples
    --------
    >>> temp_scale(np.array([[0.8, 0.2]]), 2.0).round(4).tolist()
    [[0.6667, 0.3333]]
    """
    floored = np.maximum(pred_probs, SMALL)
    floored = floored / floored.sum(axis=1, keepdims=True)
    scaled = scaled_from_logs(np.log(floored), temperature)
    return scaled / scaled.sum(axis=1, keepdims=True)
