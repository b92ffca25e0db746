"""Checked inputs of the detector and the signals it combines (numpy only).

The detector reads one or more out-of-fold pred_probs (an ensemble of models, averaged) and,
optionally, the indices of each row's nearest rows, turned into a "label vote": the fraction of
a row's neighbours that carry each label.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = ["check_labels", "check_neighbors", "check_pred_probs", "combine", "neighbor_vote"]


def check_pred_probs(pred_probs: np.ndarray | Sequence[np.ndarray]) -> list[np.ndarray]:
    """One or more (n, K) probability arrays as a list of float64 arrays, checked."""
    members = [pred_probs] if isinstance(pred_probs, np.ndarray) else list(pred_probs)
    if not members:
        raise InputError("pred_probs must hold at least one (n, K) array; got an empty list.")
    out = []
    for i, P in enumerate(members):
        P = np.asarray(P, dtype=np.float64)
        name = "pred_probs" if len(members) == 1 else f"pred_probs[{i}]"
        if P.ndim != 2 or P.shape[1] < 2 or P.shape != np.shape(members[0]):
            raise InputError(
                f"{name} must be an (n, K) array with K >= 2 classes, the same shape for every "
                f"model; got shape {P.shape!r}. A one-class problem has no label to correct."
            )
        if not np.isfinite(P).all() or (P < 0).any():
            raise InputError(
                f"{name} must hold finite, non-negative probabilities; remove NaN/inf."
            )
        worst = float(np.abs(P.sum(axis=1) - 1).max()) if P.size else 0.0
        if worst > 1e-4:
            raise InputError(
                f"{name} rows must sum to 1; a row sums to 1 {worst:+.3g} off. Normalize each row."
            )
        out.append(P)
    return out


def check_labels(labels: np.ndarray, n_rows: int, n_classes: int) -> np.ndarray:
    """Integer labels in 0..K-1, one per row of pred_probs."""
    y = np.asarray(labels)
    if y.shape != (n_rows,) or not (np.issubdtype(y.dtype, np.integer) or y.size == 0):
        raise InputError(
            f"labels must be a 1-D integer array with one label per row of pred_probs ({n_rows}); "
            f"got dtype {y.dtype} and shape {y.shape!r}. Encode the classes as 0..K-1."
        )
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise InputError(
            f"labels must lie in 0..{n_classes - 1} (one column of pred_probs per class); got "
            f"values from {int(y.min())} to {int(y.max())}. Add the missing class columns."
        )
    return y.astype(np.intp, copy=False)


def check_neighbors(neighbors: np.ndarray | None, n_rows: int) -> np.ndarray | None:
    """An (n, k) integer index matrix of other rows, or None."""
    if neighbors is None:
        return None
    nb = np.asarray(neighbors)
    if nb.ndim != 2 or nb.shape[0] != n_rows or nb.shape[1] < 1:
        raise InputError(
            f"neighbors must be an (n, k) index matrix with n = {n_rows} rows and k >= 1; got "
            f"shape {nb.shape!r}. Pass the k nearest other rows of each row (self excluded)."
        )
    if not np.issubdtype(nb.dtype, np.integer):
        raise InputTypeError(f"neighbors must hold integer row indices; got dtype {nb.dtype}.")
    if nb.size and (nb.min() < 0 or nb.max() >= n_rows):
        raise InputError(
            f"neighbors must index rows 0..{n_rows - 1}; got values from {int(nb.min())} to "
            f"{int(nb.max())}. Pass positions, not index labels."
        )
    if (nb == np.arange(n_rows)[:, None]).any():
        raise InputError("neighbors must exclude the row itself; a row lists itself. Drop self.")
    return nb.astype(np.intp, copy=False)


def neighbor_vote(labels: np.ndarray, neighbors: np.ndarray, n_classes: int) -> np.ndarray:
    """The fraction of each row's neighbours that carry each label, shape (n, K).

    Examples
    --------
    >>> neighbor_vote(np.array([0, 0, 1]), np.array([[1, 2], [0, 2], [0, 1]]), 2).tolist()
    [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0]]
    """
    n, k = neighbors.shape
    vote = np.zeros((n, n_classes))
    np.add.at(vote, (np.repeat(np.arange(n), k), labels[neighbors].ravel()), 1.0)
    return vote / k


def combine(members: list[np.ndarray], vote: np.ndarray | None, vote_weight: float) -> np.ndarray:
    """The models' mean pred_probs, mixed with the neighbour vote at weight ``vote_weight``.

    Examples
    --------
    >>> combine([np.array([[0.8, 0.2]]), np.array([[0.6, 0.4]])], np.array([[0.0, 1.0]]), 0.5)
    array([[0.35, 0.65]])
    """
    mean = members[0] if len(members) == 1 else np.mean(members, axis=0)
    if vote is None:
        return mean
    return (1.0 - vote_weight) * mean + vote_weight * vote
