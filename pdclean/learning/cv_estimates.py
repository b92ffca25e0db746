"""cleanlab's cross-validation composites: pred_probs, confident joint and noise matrices.

Each function runs :func:`pdclean.learning.cv.cross_val_pred_probs` and then the numpy core, with
the names and keywords of ``cleanlab.count`` (re-exported by :mod:`pdclean.count`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from pdclean.core.count import compute_confident_joint, estimate_latent
from pdclean.learning.cv import cross_val_pred_probs

__all__ = [
    "estimate_confident_joint_and_cv_pred_proba",
    "estimate_cv_predicted_probabilities",
    "estimate_noise_matrices",
    "estimate_py_noise_matrices_and_cv_pred_proba",
]


def _default_clf(clf: Any) -> Any:
    if clf is not None:
        return clf
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression()


def estimate_cv_predicted_probabilities(
    X: Any,
    labels: Any,
    clf: Any = None,
    *,
    cv_n_folds: int = 5,
    seed: Any = None,
    clf_kwargs: Mapping[str, Any] | None = None,
    validation_func: Callable[[Any, np.ndarray], Mapping[str, Any]] | None = None,
) -> np.ndarray:
    """Out-of-sample pred_probs by cross-validation (the reference's helper; see the module).

    Parameters
    ----------
    X : array-like or DataFrame
        Features, one row per example.
    labels : array-like of int
        Class indices 0..K-1, every class present.
    clf : scikit-learn classifier, default LogisticRegression()
        Cloned for every fold.
    cv_n_folds, seed, clf_kwargs, validation_func
        As in :func:`cross_val_pred_probs`.

    Returns
    -------
    ndarray of float64, shape (n, K)

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> P = estimate_cv_predicted_probabilities(X, [0, 0, 0, 1, 1, 1], cv_n_folds=3, seed=0)
    >>> P.argmax(axis=1).tolist()
    [0, 0, 0, 1, 1, 1]
    """
    return cross_val_pred_probs(
        X,
        labels,
        clf=_default_clf(clf),
        cv_n_folds=cv_n_folds,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )


def estimate_confident_joint_and_cv_pred_proba(
    X: Any,
    labels: Any,
    clf: Any = None,
    *,
    cv_n_folds: int = 5,
    thresholds: Any = None,
    seed: Any = None,
    calibrate: bool = True,
    clf_kwargs: Mapping[str, Any] | None = None,
    validation_func: Callable[[Any, np.ndarray], Mapping[str, Any]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cross-validated pred_probs and the confident joint computed from them.

    Parameters
    ----------
    X, labels, clf, cv_n_folds, seed, clf_kwargs, validation_func
        As in :func:`estimate_cv_predicted_probabilities`.
    thresholds : array-like of shape (K,), optional
        Per-class confident thresholds (default: the average self-confidence per class).
    calibrate : bool, default True
        Calibrate the confident joint to the label counts.

    Returns
    -------
    confident_joint : ndarray of int64, shape (K, K)
    pred_probs : ndarray of float64, shape (n, K)

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> C, P = estimate_confident_joint_and_cv_pred_proba(X, [0, 0, 0, 1, 1, 1], cv_n_folds=3,
    ...                                                   seed=0)
    >>> C.tolist()
    [[3, 0], [0, 3]]
    """

    pred_probs = estimate_cv_predicted_probabilities(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )
    y = np.asarray(labels)
    confident_joint = compute_confident_joint(
        y, pred_probs, thresholds=thresholds, calibrate=calibrate
    )
    return confident_joint, pred_probs


def estimate_py_noise_matrices_and_cv_pred_proba(
    X: Any,
    labels: Any,
    clf: Any = None,
    *,
    cv_n_folds: int = 5,
    thresholds: Any = None,
    converge_latent_estimates: bool = False,
    py_method: str = "cnt",
    seed: Any = None,
    clf_kwargs: Mapping[str, Any] | None = None,
    validation_func: Callable[[Any, np.ndarray], Mapping[str, Any]] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cross-validated pred_probs, confident joint and the latent estimates from them.

    Parameters
    ----------
    X, labels, clf, cv_n_folds, thresholds, seed, clf_kwargs, validation_func
        As in :func:`estimate_confident_joint_and_cv_pred_proba` (the joint is calibrated).
    converge_latent_estimates : bool, default False
        Iterate the latent estimates to mutual consistency.
    py_method : {"cnt", "eqn", "marginal", "marginal_ps"}, default "cnt"
        How the prior of the true labels is estimated.

    Returns
    -------
    py, noise_matrix, inverse_noise_matrix, confident_joint, pred_probs

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> py, nm, inv, C, P = estimate_py_noise_matrices_and_cv_pred_proba(
    ...     X, [0, 0, 0, 1, 1, 1], cv_n_folds=3, seed=0)
    >>> py.tolist(), nm.tolist()
    ([0.5, 0.5], [[1.0, 0.0], [0.0, 1.0]])
    """

    confident_joint, pred_probs = estimate_confident_joint_and_cv_pred_proba(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        thresholds=thresholds,
        seed=seed,
        calibrate=True,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )
    py, noise_matrix, inverse_noise_matrix = estimate_latent(
        confident_joint,
        np.asarray(labels),
        py_method=py_method,
        converge_latent_estimates=converge_latent_estimates,
    )
    return py, noise_matrix, inverse_noise_matrix, confident_joint, pred_probs


def estimate_noise_matrices(
    X: Any,
    labels: Any,
    clf: Any = None,
    *,
    cv_n_folds: int = 5,
    thresholds: Any = None,
    converge_latent_estimates: bool = True,
    seed: Any = None,
    clf_kwargs: Mapping[str, Any] | None = None,
    validation_func: Callable[[Any, np.ndarray], Mapping[str, Any]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Noise matrix and inverse noise matrix estimated from cross-validated pred_probs.

    Parameters
    ----------
    X, labels, clf, cv_n_folds, thresholds, seed, clf_kwargs, validation_func
        As in :func:`estimate_py_noise_matrices_and_cv_pred_proba`.
    converge_latent_estimates : bool, default True
        Iterate the latent estimates to mutual consistency.

    Returns
    -------
    noise_matrix : ndarray, shape (K, K)
        P(given label = j | true label = k), columns sum to 1.
    inverse_noise_matrix : ndarray, shape (K, K)
        P(true label = k | given label = j), stored with rows = true label.

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> nm, inv = estimate_noise_matrices(X, [0, 0, 0, 1, 1, 1], cv_n_folds=3, seed=0)
    >>> np.round(nm, 6).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    _, noise_matrix, inverse_noise_matrix, _, _ = estimate_py_noise_matrices_and_cv_pred_proba(
        X,
        labels,
        clf,
        cv_n_folds=cv_n_folds,
        thresholds=thresholds,
        converge_latent_estimates=converge_latent_estimates,
        seed=seed,
        clf_kwargs=clf_kwargs,
        validation_func=validation_func,
    )
    return noise_matrix, inverse_noise_matrix
