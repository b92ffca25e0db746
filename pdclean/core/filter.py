"""Finding label issues: which examples are likely mislabeled (SPEC 5).

Numpy-level functions with the names and keyword arguments of ``cleanlab.filter``.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from typing import Literal, get_args

import numpy as np

from pdclean.core import prune, stats
from pdclean.core.count import (
    calibrate_counts,
    count_off_diagonal,
    joint_counts,
    off_diagonal_issues,
)
from pdclean.core.problem import Problem, check_problem
from pdclean.core.rank import check_rank_kwargs, rank_rows
from pdclean.core.scores import SCORE_METHODS, label_scores
from pdclean.core.select import smallest_mask
from pdclean.core.validation import check_choice
from pdclean.errors import InputError

__all__ = [
    "FILTER_BY",
    "MASK_RULES",
    "find_label_issues",
    "find_label_issues_using_argmax_confusion_matrix",
    "find_predicted_neq_given",
]

logger = logging.getLogger(__name__)

FilterBy = Literal[
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
]
FILTER_BY = get_args(FilterBy)
PRUNE_METHODS = FILTER_BY[:3]
_NEED_TWO_CLASSES = ("predicted_neq_given", "low_normalized_margin", "low_self_confidence")


def check_filter_options(filter_by, frac_noise, num_to_remove_per_class, min_examples, n_jobs, k):
    check_choice("filter_by", filter_by, FILTER_BY)
    if not (isinstance(frac_noise, (int, float)) and 0 <= frac_noise <= 1):
        raise InputError(f"frac_noise must be a number in [0, 1]; got {frac_noise!r}.")
    if not isinstance(min_examples, (int, np.integer)) or min_examples < 0:
        raise InputError(
            f"min_examples_per_class must be a non-negative integer; got {min_examples!r}."
        )
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1):
        raise InputError(
            f"n_jobs must be None or an integer >= 1 (pdclean runs serially and ignores it); "
            f"got {n_jobs!r}."
        )
    if filter_by in PRUNE_METHODS:
        if num_to_remove_per_class is not None:
            r = np.asarray(num_to_remove_per_class)
            if r.shape != (k,) or (r < 0).any():
                raise InputError(
                    f"num_to_remove_per_class must hold one non-negative count per class ({k}); "
                    f"got {num_to_remove_per_class!r}."
                )
        return
    if num_to_remove_per_class is not None:
        raise InputError(
            f"num_to_remove_per_class is only supported with filter_by in {PRUNE_METHODS}; got "
            f"filter_by={filter_by!r}."
        )
    if frac_noise != 1.0:
        warnings.warn(
            f"frac_noise is only used with filter_by in {PRUNE_METHODS}; it is ignored for "
            f"filter_by={filter_by!r}.",
            UserWarning,
            stacklevel=3,
        )


def _low_score_mask(problem, method):
    scores = label_scores(problem, method)
    return smallest_mask(scores, count_off_diagonal(problem))


def find_label_issues(
    labels,
    pred_probs,
    *,
    return_indices_ranked_by: Literal[
        "self_confidence", "normalized_margin", "confidence_weighted_entropy"
    ]
    | None = None,
    rank_by_kwargs=None,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class=None,
    min_examples_per_class: int = 1,
    confident_joint=None,
    n_jobs: int | None = None,
    verbose: bool = False,
):
    """Flag the examples whose given label is likely wrong.

    Parameters
    ----------
    labels : array-like of int, shape (n,)
        Given labels, class indices 0..K-1.
    pred_probs : array-like of float, shape (n, K)
        Out-of-sample predicted probabilities (rows sum to 1).
    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, optional
        Return the flagged indices, most likely mislabeled first, instead of a mask.
    rank_by_kwargs : dict, optional
        ``{"adjust_pred_probs": bool}`` for the ranking.
    filter_by : str, default "prune_by_noise_rate"
        One of ``prune_by_noise_rate``, ``prune_by_class``, ``both``, ``confident_learning``,
        ``predicted_neq_given``, ``low_normalized_margin``, ``low_self_confidence``.
    frac_noise : float in [0, 1], default 1.0
        Flag only this fraction of the estimated issues (prune methods).
    num_to_remove_per_class : array-like of int, shape (K,), optional
        Flag this many examples per class instead (prune methods).
    min_examples_per_class : int, default 1
        Keep at least this many examples of each class.
    confident_joint : ndarray (K, K), optional
        Use this confident joint (as given, not recalibrated) for the prune counts.
    n_jobs : int, optional
        Accepted for compatibility; pdclean is vectorised and runs serially.
    verbose : bool, default False
        Log progress at INFO level.

    Returns
    -------
    ndarray of bool, shape (n,), or ndarray of int64
        A mask, or the ranked indices when ``return_indices_ranked_by`` is set.

    Examples
    --------
    >>> P = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.95, 0.05]])
    >>> find_label_issues([0, 0, 1, 1, 1], P).tolist()
    [False, False, False, False, True]
    >>> find_label_issues([0, 0, 1, 1, 1], P, return_indices_ranked_by="self_confidence")
    array([4])
    """
    single_ok = filter_by not in _NEED_TWO_CLASSES  # the reference's own rule
    problem = check_problem(
        labels,
        pred_probs,
        allow_single_zero=single_ok,
        runners_up=filter_by in ("prune_by_noise_rate", "both"),
    )
    k = problem.n_classes
    check_filter_options(
        filter_by, frac_noise, num_to_remove_per_class, min_examples_per_class, n_jobs, k
    )
    if return_indices_ranked_by is not None:
        check_choice("return_indices_ranked_by", return_indices_ranked_by, SCORE_METHODS)
    adjust = check_rank_kwargs(rank_by_kwargs)
    if verbose:
        logger.info("find_label_issues: n=%d, K=%d, filter_by=%s", problem.n, k, filter_by)
    mask = _mask(
        problem,
        filter_by,
        frac_noise,
        num_to_remove_per_class,
        min_examples_per_class,
        confident_joint,
    )
    if return_indices_ranked_by is None:
        return mask
    return rank_rows(problem, np.flatnonzero(mask), return_indices_ranked_by, adjust)


#: filter_by -> the mask of one block of rows, from ``selected(kind)``: the rows that a selection
#: chose, ``"noise"`` (prune by noise rate), ``"class"`` (prune by class) or ``"low"`` (the
#: lowest scores). This module (one block) and the Dask face (many blocks) share this table.
MASK_RULES: dict[str, Callable[[Problem, Callable[[str], np.ndarray]], np.ndarray]] = {
    "prune_by_noise_rate": lambda p, s: stats.drop_guarded(s("noise"), p),
    "prune_by_class": lambda p, s: stats.drop_guarded(s("class"), p),
    "both": lambda p, s: stats.drop_guarded(s("noise") & s("class"), p),
    "confident_learning": lambda p, s: off_diagonal_issues(p),
    "predicted_neq_given": lambda p, s: stats.drop_guarded(p.argmax != p.labels, p),
    "low_self_confidence": lambda p, s: s("low"),
    "low_normalized_margin": lambda p, s: s("low"),
}


def _mask(problem, filter_by, frac_noise, num_to_remove, min_examples, confident_joint):
    if filter_by == "confident_learning" and confident_joint is not None:
        warnings.warn(
            "confident_joint is ignored with filter_by='confident_learning' (it uses the "
            "off-diagonal examples of its own confident joint).",
            UserWarning,
            stacklevel=3,
        )
    plan: list = []

    def selected(kind: str) -> np.ndarray:
        if kind == "low":
            return _low_score_mask(problem, filter_by[len("low_") :])
        if not plan:
            counts = _counts(problem, confident_joint)
            plan.extend(
                prune.prune_plan(
                    counts, problem.class_counts, min_examples, frac_noise, num_to_remove
                )
            )
        if kind == "class":
            return prune.prune_by_class_mask(problem, *plan)
        return prune.prune_by_noise_rate_mask(problem, *plan)

    return MASK_RULES[filter_by](problem, selected)


def _counts(problem, confident_joint) -> np.ndarray:
    """The confident joint the prune methods use: the given one (uncalibrated), or computed."""
    if confident_joint is None:
        return joint_counts(problem, problem.guess)
    counts = np.asarray(confident_joint)
    k = problem.pred_probs.shape[1]
    if counts.shape != (k, k):
        raise InputError(
            f"confident_joint must be {k} x {k} (one row and column per pred_probs column); "
            f"got shape {counts.shape}."
        )
    return counts


def find_predicted_neq_given(labels, pred_probs) -> np.ndarray:
    """Flag the examples whose given label is not the argmax prediction.

    Examples
    --------
    >>> find_predicted_neq_given([0, 1], [[0.9, 0.1], [0.7, 0.3]]).tolist()
    [False, True]
    """
    problem = check_problem(labels, pred_probs)
    return problem.argmax != problem.labels


def find_label_issues_using_argmax_confusion_matrix(
    labels, pred_probs, *, calibrate: bool = True, filter_by: FilterBy = "prune_by_noise_rate"
) -> np.ndarray:
    """Like :func:`find_label_issues`, from the confusion matrix of argmax predictions.

    Examples
    --------
    >>> P = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.95, 0.05]])
    >>> find_label_issues_using_argmax_confusion_matrix([0, 0, 1, 1, 1], P).tolist()
    [False, False, False, False, True]
    """
    problem = check_problem(labels, pred_probs)
    y, probs, k = problem.labels, problem.pred_probs, problem.n_classes
    confusion = np.bincount(y * k + problem.argmax, minlength=k * k).reshape(k, k)
    if calibrate:
        confusion = calibrate_counts(confusion, np.bincount(y, minlength=k))
    return find_label_issues(y, probs, confident_joint=confusion, filter_by=filter_by)
