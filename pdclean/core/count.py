"""Counting in confident learning: thresholds, the confident joint, noise estimates.

Numpy-level functions on integer labels ``0..K-1`` and an ``(n, K)`` array of out-of-sample
predicted probabilities, with the names and keyword arguments of ``cleanlab.count`` so that a
cleanlab user migrates by changing an import.
"""

from __future__ import annotations

import warnings
from typing import Literal

import numpy as np

from pdclean.core import latent, stats
from pdclean.core.problem import Problem, check_problem
from pdclean.core.rounding import round_keep_row_totals
from pdclean.core.validation import check_choice, check_labels
from pdclean.errors import InputError

__all__ = [
    "calibrate_confident_joint",
    "compute_confident_joint",
    "estimate_joint",
    "estimate_latent",
    "estimate_py_and_noise_matrices_from_probabilities",
    "get_confident_thresholds",
    "num_label_issues",
]

PyMethod = Literal["cnt", "eqn", "marginal", "marginal_ps"]
EstimationMethod = Literal["off_diagonal", "off_diagonal_calibrated", "off_diagonal_custom"]
ESTIMATION_METHODS = ("off_diagonal", "off_diagonal_calibrated", "off_diagonal_custom")
TINY = 1e-100


def get_confident_thresholds(labels, pred_probs) -> np.ndarray:
    """Per-class confident thresholds: the mean predicted probability of each class's own rows.

    A class absent from ``labels`` gets 2.0 (no probability reaches it); all thresholds are at
    least 2e-6.

    Examples
    --------
    >>> get_confident_thresholds([0, 0, 1], [[0.8, 0.2], [0.6, 0.4], [0.3, 0.7]]).tolist()
    [0.7, 0.7]
    """
    return check_problem(labels, pred_probs, min_classes=1).thresholds.copy()


def calibrate_counts(confident_joint: np.ndarray, class_counts: np.ndarray) -> np.ndarray:
    """Rescale each row to its class count, the total to n, then round keeping row totals."""
    c = np.asarray(confident_joint, dtype=np.float64)
    counts = np.asarray(class_counts, dtype=np.float64)
    rows = c / np.maximum(c.sum(axis=1), TINY)[:, None] * counts[:, None]
    scaled = rows / max(float(rows.sum()), TINY) * counts.sum()
    return round_keep_row_totals(scaled)


def _class_counts(labels: np.ndarray, n_classes: int) -> np.ndarray:
    return np.bincount(labels, minlength=n_classes)


def calibrate_confident_joint(confident_joint, labels) -> np.ndarray:
    """Calibrate a K x K count matrix so row j sums to the count of label j and the total is n.

    Examples
    --------
    >>> calibrate_confident_joint(np.array([[2, 1], [1, 1]]), [0, 0, 0, 0, 0, 0, 1, 1]).tolist()
    [[4, 2], [1, 1]]
    """
    c = _check_square(confident_joint, "confident_joint")
    y = check_labels(labels)
    _check_labels_fit(y, c.shape[0], "confident_joint")
    return calibrate_counts(c, _class_counts(y, c.shape[0]))


def _check_square(matrix, name: str) -> np.ndarray:
    m = np.asarray(matrix)
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise InputError(f"{name} must be a square K x K matrix; got shape {m.shape}.")
    if not np.isfinite(m).all() or (m < 0).any():
        raise InputError(f"{name} must hold finite, non-negative counts.")
    return m


def _check_labels_fit(labels: np.ndarray, n_classes: int, name: str) -> None:
    if labels.max() >= n_classes:
        raise InputError(
            f"labels must be class indices 0..{n_classes - 1} for a {n_classes} x "
            f"{n_classes} {name}; got the label {int(labels.max())}."
        )


def _guesses(problem: Problem, thresholds=None) -> np.ndarray:
    """Guessed true labels, from the default thresholds (cached) or the user's."""
    if thresholds is None:
        return problem.guess
    t = np.asarray(thresholds, dtype=np.float64).ravel()
    if t.shape != (problem.n_classes,):
        raise InputError(
            f"thresholds must have one value per class ({problem.n_classes}); got shape {t.shape}."
        )
    return problem.confident_pass(t)


def joint_counts(problem: Problem, guess: np.ndarray, calibrate: bool = True) -> np.ndarray:
    """The confident joint from guessed labels: diagonal floored at 1, optionally calibrated."""
    counts = stats.confident_counts(problem.labels, guess, problem.n_classes)
    np.fill_diagonal(counts, np.maximum(np.diagonal(counts), 1))
    return calibrate_counts(counts, problem.class_counts) if calibrate else counts


def compute_confident_joint(
    labels,
    pred_probs,
    *,
    thresholds=None,
    calibrate: bool = True,
    return_indices_of_off_diagonals: bool = False,
):
    """Count the examples of each given label confidently belonging to each true label.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels, class indices 0..K-1.
    pred_probs : array-like of float, shape (n, K)
        Out-of-sample predicted probabilities.
    thresholds : array-like of float, shape (K,), optional
        Per-class thresholds; default :func:`get_confident_thresholds`.
    calibrate : bool, default True
        Rescale so row j sums to the count of label j (see :func:`calibrate_confident_joint`).
    return_indices_of_off_diagonals : bool, default False
        Also return the indices of the counted rows whose guessed true label differs from the
        given label (from the raw guesses, ascending).

    Returns
    -------
    confident_joint : ndarray of int64, shape (K, K)
        Rows are given labels, columns guessed true labels.
    off_diagonal_indices : ndarray of int64
        Only when ``return_indices_of_off_diagonals``.

    Examples
    --------
    >>> P = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8], [0.9, 0.1]]
    >>> compute_confident_joint([0, 0, 1, 1, 1], P).tolist()
    [[2, 0], [1, 2]]
    """
    problem = check_problem(labels, pred_probs, min_classes=1)
    guess = _guesses(problem, thresholds)
    counts = joint_counts(problem, guess, calibrate)
    if return_indices_of_off_diagonals:
        return counts, np.flatnonzero(stats.off_diagonal(problem.labels, guess))
    return counts


def estimate_joint(labels, pred_probs=None, *, confident_joint=None) -> np.ndarray:
    """Estimate the joint distribution of (given label, true label) as a K x K array summing to 1.

    With ``confident_joint`` and ``labels``, the matrix is (re-)calibrated to the labels first;
    with ``labels=None`` it is used as is.

    Examples
    --------
    >>> estimate_joint([0, 0, 1, 1], [[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.3, 0.7]]).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    if confident_joint is None:
        if labels is None or pred_probs is None:
            raise InputError(
                "estimate_joint needs labels and pred_probs, or a confident_joint; got neither."
            )
        problem = check_problem(labels, pred_probs, min_classes=1)
        counts = joint_counts(problem, problem.guess)
    else:
        counts = _check_square(confident_joint, "confident_joint")
        if labels is not None:
            y = check_labels(labels)
            _check_labels_fit(y, counts.shape[0], "confident_joint")
            counts = calibrate_counts(counts, _class_counts(y, counts.shape[0]))
    return counts / max(float(np.sum(counts)), TINY)


def estimate_latent(
    confident_joint,
    labels,
    *,
    py_method: PyMethod = "cnt",
    converge_latent_estimates: bool = False,
):
    """Estimate ``(py, noise_matrix, inverse_noise_matrix)`` from a confident joint.

    ``noise_matrix[j, k]`` is P(given j | true k) and ``inverse_noise_matrix[k, j]`` is
    P(true k | given j); both have columns summing to 1. ``py`` is the true-label prior.

    Examples
    --------
    >>> py, nm, inv = estimate_latent(np.array([[3, 1], [1, 3]]), [0, 0, 0, 0, 1, 1, 1, 1])
    >>> py.tolist(), nm.tolist()
    ([0.5, 0.5], [[0.75, 0.25], [0.25, 0.75]])
    """
    counts = _check_square(confident_joint, "confident_joint")
    y = check_labels(labels)
    _check_labels_fit(y, counts.shape[0], "confident_joint")
    check_choice("py_method", py_method, latent.PY_METHODS)
    return latent.latent_from_joint_counts(
        counts,
        _class_counts(y, counts.shape[0]),
        py_method=py_method,
        converge=converge_latent_estimates,
    )


def estimate_py_and_noise_matrices_from_probabilities(
    labels,
    pred_probs,
    *,
    thresholds=None,
    converge_latent_estimates: bool = True,
    py_method: PyMethod = "cnt",
    calibrate: bool = True,
):
    """Return ``(py, noise_matrix, inverse_noise_matrix, confident_joint)`` from pred_probs.

    Examples
    --------
    >>> P = [[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8]]
    >>> py, nm, inv, cj = estimate_py_and_noise_matrices_from_probabilities([0, 0, 1, 1], P)
    >>> cj.tolist(), py.round(3).tolist()
    ([[2, 0], [0, 2]], [0.5, 0.5])
    """
    problem = check_problem(labels, pred_probs, min_classes=1)
    check_choice("py_method", py_method, latent.PY_METHODS)
    counts = joint_counts(problem, _guesses(problem, thresholds), calibrate)
    py, nm, inv = latent.latent_from_joint_counts(
        counts,
        problem.class_counts,
        py_method=py_method,
        converge=converge_latent_estimates,
    )
    return py, nm, inv, counts


def off_diagonal_issues(problem: Problem) -> np.ndarray:
    """Mask of confident off-diagonal rows that survive the argmax guard."""
    mask = stats.off_diagonal(problem.labels, problem.guess)
    return stats.drop_guarded(mask, problem)


def count_off_diagonal(problem: Problem) -> int:
    return int(np.count_nonzero(off_diagonal_issues(problem)))


def num_label_issues(
    labels,
    pred_probs,
    *,
    confident_joint=None,
    estimation_method: EstimationMethod = "off_diagonal",
) -> int:
    """Estimate how many examples are mislabeled.

    ``"off_diagonal"`` counts the confidently off-diagonal examples whose given label is not
    the top prediction; ``"off_diagonal_calibrated"`` is ``round((1 - trace(joint)) * n)`` from
    the calibrated joint; ``"off_diagonal_custom"`` does the same with your ``confident_joint``.

    Examples
    --------
    >>> P = [[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.3, 0.7], [0.1, 0.9]]
    >>> num_label_issues([0, 0, 1, 1, 0], P)
    1
    """
    problem = check_problem(labels, pred_probs)
    check_choice("estimation_method", estimation_method, ESTIMATION_METHODS)
    if confident_joint is not None and estimation_method != "off_diagonal_custom":
        warnings.warn(
            "The supplied confident_joint is ignored: it is only used with "
            'estimation_method="off_diagonal_custom".',
            UserWarning,
            stacklevel=2,
        )
    if estimation_method == "off_diagonal":
        return count_off_diagonal(problem)
    if estimation_method == "off_diagonal_custom":
        if confident_joint is None:
            raise InputError(
                'estimation_method="off_diagonal_custom" needs a confident_joint; pass '
                "confident_joint=... (e.g. from compute_confident_joint)."
            )
        joint = estimate_joint(problem.labels, confident_joint=confident_joint)
    else:
        counts = joint_counts(problem, problem.guess)
        joint = counts / max(float(counts.sum()), TINY)
    return int(np.rint((1.0 - np.trace(joint)) * problem.n))
