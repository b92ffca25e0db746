"""Label quality scores: how likely each given label is to be correct (low = suspicious).

Numpy-level functions with the names and keyword arguments of ``cleanlab.rank``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

import numpy as np

from pdclean.core.blocks import iter_blocks
from pdclean.core.problem import check_problem
from pdclean.core.scores import SCORE_METHODS, label_scores
from pdclean.core.select import smallest_sorted
from pdclean.core.validation import check_choice
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "find_top_issues",
    "get_confidence_weighted_entropy_for_each_label",
    "get_label_quality_ensemble_scores",
    "get_label_quality_scores",
    "get_normalized_margin_for_each_label",
    "get_self_confidence_for_each_label",
    "order_label_issues",
]

logger = logging.getLogger(__name__)

ScoreMethod = Literal["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
Weighting = Literal["accuracy", "uniform", "log_loss_search", "custom"]
WEIGHTINGS = ("accuracy", "uniform", "log_loss_search", "custom")
LOG_LOSS_SEARCH_T_VALUES = (1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 200)


def get_label_quality_scores(
    labels,
    pred_probs,
    *,
    method: ScoreMethod = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """Score each example's given label in [0, 1]; lower means more likely mislabeled.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels, class indices 0..K-1.
    pred_probs : array-like of float, shape (n, K)
        Out-of-sample predicted probabilities.
    method : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}
        ``self_confidence`` is ``p[given]``; ``normalized_margin`` is
        ``(p[given] - max other p + 1) / 2``; ``confidence_weighted_entropy`` is
        ``log(q + 1) / q`` with ``q = entropy / p[given]`` (note: a one-hot correct prediction
        has zero entropy and scores 0, as in the reference).
    adjust_pred_probs : bool, default False
        Subtract each class's confident threshold first (not with the entropy method).

    Returns
    -------
    ndarray of float, shape (n,)

    Examples
    --------
    >>> P = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]]
    >>> get_label_quality_scores([0, 0, 1], P).tolist()
    [0.9, 0.4, 0.8]
    >>> get_label_quality_scores([0, 0, 1], P, method="normalized_margin").round(2).tolist()
    [0.9, 0.4, 0.8]
    """
    problem = check_problem(labels, pred_probs, min_classes=1)
    check_choice("method", method, SCORE_METHODS)
    return label_scores(problem, method, adjust_pred_probs)


def get_self_confidence_for_each_label(labels, pred_probs) -> np.ndarray:
    """``pred_probs[i, labels[i]]``.

    Examples
    --------
    >>> get_self_confidence_for_each_label([1, 0], [[0.3, 0.7], [0.6, 0.4]]).tolist()
    [0.7, 0.6]
    """
    return get_label_quality_scores(labels, pred_probs, method="self_confidence")


def get_normalized_margin_for_each_label(labels, pred_probs) -> np.ndarray:
    """``(p[given] - max_{k != given} p[k] + 1) / 2``.

    Examples
    --------
    >>> get_normalized_margin_for_each_label([1, 0], [[0.3, 0.7], [0.6, 0.4]]).round(2).tolist()
    [0.7, 0.6]
    """
    return get_label_quality_scores(labels, pred_probs, method="normalized_margin")


def get_confidence_weighted_entropy_for_each_label(labels, pred_probs) -> np.ndarray:
    """``log(q + 1) / q`` with ``q`` = normalised entropy / ``p[given]``.

    Examples
    --------
    >>> s = get_confidence_weighted_entropy_for_each_label([1, 0], [[0.3, 0.7], [0.6, 0.4]])
    >>> s.round(3).tolist()
    [0.647, 0.595]
    """
    return get_label_quality_scores(labels, pred_probs, method="confidence_weighted_entropy")


def check_rank_kwargs(rank_by_kwargs) -> bool:
    """The only supported ranking option is ``adjust_pred_probs``; return its value."""
    kwargs = dict(rank_by_kwargs or {})
    unknown = set(kwargs) - {"adjust_pred_probs"}
    if unknown:
        raise InputError(
            f"rank_by_kwargs accepts only 'adjust_pred_probs'; got {sorted(unknown)!r}."
        )
    return bool(kwargs.get("adjust_pred_probs", False))


def _check_mask(mask, n: int) -> np.ndarray:
    arr = np.asarray(mask)
    if (
        arr.shape != (n,)
        or arr.dtype.kind not in "biu"
        or (arr.dtype.kind != "b" and arr.max(initial=0) > 1)
    ):
        raise InputError(
            f"label_issues_mask must be a boolean array of length {n} (one flag per example); "
            f"got dtype {arr.dtype} and shape {arr.shape}."
        )
    return arr.astype(bool, copy=False)


def order_label_issues(
    label_issues_mask,
    labels,
    pred_probs,
    *,
    rank_by: ScoreMethod = "self_confidence",
    rank_by_kwargs=None,
) -> np.ndarray:
    """Indices of the flagged examples, most likely mislabeled first.

    Scores are computed as in :func:`get_label_quality_scores` (adjustment uses every row);
    equal scores keep ascending index order.

    Examples
    --------
    >>> P = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]]
    >>> order_label_issues([False, True, False, True], [0, 0, 1, 1], P).tolist()
    [3, 1]
    """
    problem = check_problem(labels, pred_probs, allow_single_zero=True)
    check_choice("rank_by", rank_by, SCORE_METHODS)
    adjust = check_rank_kwargs(rank_by_kwargs)
    rows = np.flatnonzero(_check_mask(label_issues_mask, problem.n))
    return rank_rows(problem, rows, rank_by, adjust)


def rank_rows(problem, rows, rank_by="self_confidence", adjust=False) -> np.ndarray:
    """Order ``rows`` of a validated problem by ascending label quality (stable)."""
    scores = label_scores(problem, rank_by, adjust, rows=rows)
    return rows[np.argsort(scores, kind="stable")]


def find_top_issues(quality_scores, *, top: int | None = 10) -> np.ndarray:
    """Indices of the ``top`` lowest scores, lowest first (ties: ascending index).

    Examples
    --------
    >>> find_top_issues(np.array([0.9, 0.1, 0.5, 0.1]), top=3).tolist()
    [1, 3, 2]
    """
    scores = np.asarray(quality_scores, dtype=np.float64)
    if scores.ndim != 1:
        raise InputError(f"quality_scores must be 1-D; got shape {scores.shape}.")
    if top is not None and (not isinstance(top, (int, np.integer)) or top < 0):
        raise InputError(f"top must be a non-negative integer or None; got {top!r}.")
    return smallest_sorted(scores, top)


def _check_members(labels, pred_probs_list) -> list:
    if isinstance(pred_probs_list, np.ndarray) or not isinstance(pred_probs_list, Sequence):
        raise InputTypeError(
            "pred_probs_list must be a list of (n, K) pred_probs arrays, one per model; got "
            f"{type(pred_probs_list).__name__}."
        )
    if len(pred_probs_list) == 0:
        raise InputError("pred_probs_list is empty: pass one pred_probs array per model.")
    members = [check_problem(labels, p) for p in pred_probs_list]
    if len(members) == 1:
        logger.info("Only one model in pred_probs_list: get_label_quality_scores is simpler.")
    return members


def _log_loss(labels: np.ndarray, prob_of_given: np.ndarray) -> float:
    eps = np.finfo(np.float64).eps
    return float(np.mean(-np.log(np.clip(prob_of_given, eps, 1 - eps))))


def _clipped_prob_of_given(problem) -> np.ndarray:
    """``Q[i, y_i]`` with ``Q`` = pred_probs clipped below at 1e-6, rows renormalised."""
    probs = problem.pred_probs
    sums = np.empty(problem.n)
    for rows in iter_blocks(problem.n, problem.n_classes):
        sums[rows] = np.maximum(probs[rows], 1e-6).sum(axis=1)
    return np.maximum(problem.self_confidence, 1e-6) / sums


def _log_loss_search_weights(labels, members, t_values) -> np.ndarray:
    losses = np.array([_log_loss(labels, _clipped_prob_of_given(m)) for m in members])
    own = np.stack([m.self_confidence for m in members])
    best, best_loss = None, np.inf
    for t in t_values:
        v = np.exp(-t * losses)
        w = v / v.sum()
        loss = _log_loss(labels, np.sum(w[:, None] * own, axis=0))
        if loss < best_loss:
            best, best_loss = w, loss
    return best


def _ensemble_weights(labels, members, scheme, custom_weights, t_values) -> np.ndarray | None:
    if scheme == "uniform":
        return None
    if scheme == "accuracy":
        acc = np.array([np.mean(m.argmax == labels) for m in members])
        return acc / acc.sum()
    if scheme == "log_loss_search":
        absent = np.flatnonzero(members[0].class_counts == 0)
        if absent.size:
            raise InputError(
                "weight_ensemble_members_by='log_loss_search' needs every class of pred_probs "
                "to appear in labels (as the reference's log loss does); classes "
                f"{absent.tolist()} do not. Use 'accuracy' or 'uniform' weights."
            )
        return _log_loss_search_weights(labels, members, t_values)
    weights = np.asarray(custom_weights, dtype=np.float64) if custom_weights is not None else None
    if weights is None or weights.shape != (len(members),):
        raise InputError(
            "weight_ensemble_members_by='custom' needs custom_weights with one weight per "
            f"model ({len(members)}); got {custom_weights!r}."
        )
    return weights


def get_label_quality_ensemble_scores(
    labels,
    pred_probs_list,
    *,
    method: ScoreMethod = "self_confidence",
    adjust_pred_probs: bool = False,
    weight_ensemble_members_by: Weighting = "accuracy",
    custom_weights=None,
    log_loss_search_T_values: Sequence[float] = LOG_LOSS_SEARCH_T_VALUES,
    verbose: bool = False,
) -> np.ndarray:
    """Label quality scores from several models' pred_probs, combined by a weighted mean.

    ``weight_ensemble_members_by``: ``"accuracy"`` (weights proportional to each model's
    accuracy on the given labels), ``"uniform"``, ``"log_loss_search"`` (softmax of
    ``-T * log_loss`` for the T giving the best ensemble log loss) or ``"custom"``
    (``custom_weights``, used as given, not normalised).

    Examples
    --------
    >>> P1 = [[0.9, 0.1], [0.4, 0.6], [0.2, 0.8]]
    >>> P2 = [[0.7, 0.3], [0.2, 0.8], [0.4, 0.6]]
    >>> get_label_quality_ensemble_scores([0, 0, 1], [P1, P2], weight_ensemble_members_by="uniform")
    array([0.8, 0.3, 0.7])
    """
    members = _check_members(labels, pred_probs_list)
    y = members[0].labels
    check_choice("method", method, SCORE_METHODS)
    check_choice("weight_ensemble_members_by", weight_ensemble_members_by, WEIGHTINGS)
    if custom_weights is not None and weight_ensemble_members_by != "custom":
        raise InputError(
            "custom_weights is only used with weight_ensemble_members_by='custom'; got "
            f"weight_ensemble_members_by={weight_ensemble_members_by!r}."
        )
    scores = np.stack([label_scores(m, method, adjust_pred_probs) for m in members], axis=1)
    weights = _ensemble_weights(
        y, members, weight_ensemble_members_by, custom_weights, log_loss_search_T_values
    )
    if verbose:
        shown = "uniform" if weights is None else np.round(weights, 4).tolist()
        print(f"Ensemble weighting: {weight_ensemble_members_by}; weights: {shown}")
    return scores.mean(axis=1) if weights is None else scores @ weights
