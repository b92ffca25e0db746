"""Latent-distribution algebra: class prior, noise matrix and inverse noise matrix (SPEC 3.5).

Conventions: ``noise_matrix[j, k] = P(given = j | true = k)`` (columns sum to 1);
``inverse_noise_matrix[k, j] = P(true = k | given = j)`` (columns sum to 1);
``ps`` the given-label prior, ``py`` the true-label prior.
"""

from __future__ import annotations

import numpy as np

from pdclean.errors import InputError

__all__ = [
    "PY_METHODS",
    "clip_noise_rates",
    "clip_values",
    "compute_py",
    "converge_estimates",
    "inv_from_noise_matrix",
    "latent_from_joint_counts",
    "noise_matrix_from_inv",
    "py_and_inv_from_noise_matrix",
]

TINY = 1e-100
NOISE_RATE_CAP = 0.9999
PY_METHODS = ("cnt", "eqn", "marginal", "marginal_ps")


def clip_noise_rates(matrix: np.ndarray) -> np.ndarray:
    """Clip off-diagonal rates to [0, 0.9999], keep the diagonal, renormalise columns."""
    diag = np.diagonal(matrix).copy()
    out = np.clip(matrix, 0.0, NOISE_RATE_CAP)
    np.fill_diagonal(out, diag)
    return out / np.maximum(out.sum(axis=0), TINY)


def clip_values(x: np.ndarray, low: float, high: float, new_sum: float | None = None):
    """Clip ``x`` to [low, high] and rescale it to sum to ``new_sum`` (default: its old sum)."""
    total = float(np.sum(x)) if new_sum is None else new_sum
    clipped = np.clip(x, low, high)
    return clipped * (total / max(float(np.sum(clipped)), TINY))


def _py_cnt(ps, nm, inv, counts):
    return np.diagonal(inv) / np.maximum(np.diagonal(nm), TINY) * ps


def _py_eqn(ps, nm, inv, counts):
    return np.linalg.inv(nm).dot(ps)


def _py_marginal(ps, nm, inv, counts):
    if counts is None:
        raise InputError('py_method="marginal" requires the true-label class counts.')
    counts = np.asarray(counts, dtype=np.float64)
    return counts / max(float(counts.sum()), TINY)


def _py_marginal_ps(ps, nm, inv, counts):
    return inv.dot(ps)


_PY = {"cnt": _py_cnt, "eqn": _py_eqn, "marginal": _py_marginal, "marginal_ps": _py_marginal_ps}


def compute_py(ps, noise_matrix, inverse_noise_matrix, py_method="cnt", true_counts=None):
    """Estimate the true-label prior ``py`` by one of :data:`PY_METHODS`, clipped to sum 1."""
    if py_method not in _PY:
        raise InputError(
            f"py_method must be one of {', '.join(map(repr, PY_METHODS))}; got {py_method!r}."
        )
    py = _PY[py_method](ps, noise_matrix, inverse_noise_matrix, true_counts)
    return clip_values(py, 1e-6, 1.0, new_sum=1.0)


def inv_from_noise_matrix(py, noise_matrix, ps):
    """Inverse noise matrix from the noise matrix and both priors (Bayes' rule), clipped."""
    joint = noise_matrix * py  # joint[j, k] = P(given j, true k)
    return clip_noise_rates((joint / np.maximum(ps, TINY)[:, None]).T)


def noise_matrix_from_inv(ps, inverse_noise_matrix, py=None):
    """Noise matrix from the inverse noise matrix and both priors (Bayes' rule), clipped."""
    if py is None:
        py = inverse_noise_matrix.dot(ps)
    joint = inverse_noise_matrix * ps  # joint[k, j] = P(true k, given j)
    return clip_noise_rates((joint / np.maximum(py, TINY)[:, None]).T)


def py_and_inv_from_noise_matrix(ps, noise_matrix):
    """``(py, inverse_noise_matrix)`` implied by a noise matrix and the given-label prior."""
    py = clip_values(np.linalg.inv(noise_matrix).dot(ps), 1e-6, 1.0, new_sum=1.0)
    return py, inv_from_noise_matrix(py, noise_matrix, ps)


def converge_estimates(ps, py, noise_matrix, inverse_noise_matrix, *, outer=3, inner=5):
    """Alternate the prior and the two matrices until they agree (3 x 5 fixed iterations)."""
    nm, inv = noise_matrix, inverse_noise_matrix
    for _ in range(outer):
        for _ in range(inner):
            inv = inv_from_noise_matrix(py, nm, ps)
            py = compute_py(ps, nm, inv, "cnt")
        nm = noise_matrix_from_inv(ps, inv, py)
    return py, nm, inv


def latent_from_joint_counts(confident_joint, class_counts, *, py_method="cnt", converge=False):
    """``(py, noise_matrix, inverse_noise_matrix)`` from a K x K count matrix (SPEC 3.5)."""
    c = np.asarray(confident_joint, dtype=np.float64)
    counts = np.asarray(class_counts, dtype=np.float64)
    ps = counts / counts.sum()
    row, col = c.sum(axis=1), c.sum(axis=0)
    nm = c / np.maximum(col, TINY)
    inv = (c / np.maximum(row, TINY)[:, None]).T
    py = compute_py(ps, nm, inv, py_method, col)
    nm, inv = clip_noise_rates(nm), clip_noise_rates(inv)
    if converge:
        py, nm, inv = converge_estimates(ps, py, nm, inv)
        py = clip_values(py, 1e-5, 1.0, new_sum=1.0)
        nm, inv = clip_noise_rates(nm), clip_noise_rates(inv)
    return py, nm, inv
