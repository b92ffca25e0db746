"""Label issues in multi-label data, with the names and keywords of
``cleanlab.multilabel_classification.filter`` (SPEC-multi B.2, B.3).

``labels`` is a list with one list of class indices per row (``[[0, 2], [], [1]]``);
``pred_probs`` an (n, K) array of independent per-class probabilities. Results equal
cleanlab 2.9's, with ties broken stably. cleanlab's quirks are kept for parity:

* a class annotated on every row raises; a class annotated on no row raises with
  ``filter_by="predicted_neq_given"`` and with the per-class low_* filters;
* ``find_label_issues`` with ``low_self_confidence`` or ``low_normalized_margin`` flags the
  rows with the lowest exponential moving average of the per-class *self-confidence* (both
  options give the same rows), as many as ``confident_learning`` flags; its ranked output
  reproduces cleanlab's index mismatch (the subset's score order, computed in index order, is
  applied to the score-ordered selection);
* ``num_to_remove_per_class[k]`` is the number of rows *without* class k to flag.

Differences: class indices outside ``0..K-1`` raise instead of being dropped with a warning;
``n_jobs`` is accepted and ignored (the computation is vectorised over classes); ``verbose``
logs to the "pdclean" logger instead of printing.
"""

from __future__ import annotations

import logging
from typing import Literal

import numpy as np

from pdclean.core.multilabel import issues
from pdclean.core.multilabel.issues import LOW, FilterBy
from pdclean.core.multilabel.options import check_filter_inputs, check_rank_options
from pdclean.core.multilabel.scores import ScoreMethod
from pdclean.errors import InputError

__all__ = ["find_label_issues", "find_multilabel_issues_per_class"]

logger = logging.getLogger("pdclean")


def find_label_issues(
    labels,
    pred_probs,
    *,
    return_indices_ranked_by: ScoreMethod | None = None,
    rank_by_kwargs: dict | None = None,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class=None,
    min_examples_per_class: int = 1,
    confident_joint=None,
    n_jobs: int | None = None,
    verbose: bool = False,
    low_memory: Literal[False] = False,
) -> np.ndarray:
    """Flag the rows whose set of labels is likely wrong (wrong in any class).

    Parameters
    ----------
    labels : list of list of int
        Class indices annotated on each row (may be empty).
    pred_probs : array-like of float, shape (n, K)
        Out-of-sample probability that each class applies to each row.
    return_indices_ranked_by : {"self_confidence", "normalized_margin", \
"confidence_weighted_entropy"}, optional
        Return the flagged row indices, most likely wrong first, instead of a mask.
    rank_by_kwargs : dict, optional
        ``{"adjust_pred_probs": True}`` adjusts the ranking scores.
    filter_by : str, default "prune_by_noise_rate"
        One of ``prune_by_noise_rate``, ``prune_by_class``, ``both``, ``confident_learning``,
        ``predicted_neq_given``, ``low_normalized_margin``, ``low_self_confidence``.
    frac_noise, num_to_remove_per_class, min_examples_per_class, confident_joint
        Options of the prune filters; ``confident_joint`` has shape (K, 2, 2).
    n_jobs : int, optional
        Accepted for compatibility and ignored.
    verbose : bool, default False
        Log the number of issues per class (logger "pdclean").
    low_memory : False
        cleanlab's experimental batched mode is not supported.

    Returns
    -------
    ndarray of bool, shape (n,), or ndarray of int64

    Notes
    -----
    cleanlab 2.9's behaviour, kept for parity: a class annotated on every row raises (and a
    class annotated on no row raises with ``predicted_neq_given``). With
    ``low_self_confidence`` / ``low_normalized_margin``, the rows flagged are the
    lowest-scoring by the EMA of per-class *self-confidence* (both options alike), as many as
    ``confident_learning`` flags, and the ranked output applies the score order of the flagged
    subset taken in index order to the score-ordered selection (cleanlab's index mismatch;
    SPEC-multi B.3.2). There ``frac_noise`` is ignored with a warning and
    ``num_to_remove_per_class`` is rejected (cleanlab ignores both silently).

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> find_label_issues(labels, P).tolist()
    [False, False, False, False, True, True]
    >>> find_label_issues(labels, P, return_indices_ranked_by="self_confidence")
    array([4, 5])
    """
    if low_memory:
        raise InputError("low_memory=True (cleanlab's experimental batched mode) is not supported.")
    y, probs, options = check_filter_inputs(
        labels,
        pred_probs,
        filter_by,
        frac_noise,
        num_to_remove_per_class,
        min_examples_per_class,
        n_jobs,
        confident_joint,
    )
    ranked_by = return_indices_ranked_by
    if filter_by in LOW and isinstance(ranked_by, str):
        ranked_by = ranked_by.lower()  # scored by the case-insensitive aggregated scorer only
    kwargs = check_rank_options(ranked_by, rank_by_kwargs, only_true=filter_by in LOW)
    result = issues.find_issues(
        y,
        probs,
        filter_by=filter_by,
        ranked_by=ranked_by,
        adjust=kwargs.get("adjust_pred_probs", False) is True,
        **({} if filter_by in LOW else options),
    )
    if verbose:
        logger.info("find_label_issues: %d rows with label issues", np.count_nonzero(result))
    return result


def find_multilabel_issues_per_class(
    labels,
    pred_probs,
    *,
    return_indices_ranked_by: ScoreMethod | None = None,
    rank_by_kwargs: dict | None = None,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class=None,
    min_examples_per_class: int = 1,
    confident_joint=None,
    n_jobs: int | None = None,
    verbose: bool = False,
    low_memory: Literal[False] = False,
):
    """Flag, for each class separately, the rows whose annotation of that class looks wrong.

    Each class k is a one-vs-rest binary problem (labels ``k in labels[i]``, pred_probs
    ``[1 - p_k, p_k]``) filtered as by :func:`pdclean.filter.find_label_issues`. Parameters as
    :func:`find_label_issues`.

    Returns
    -------
    ndarray of bool, shape (n, K)
        When ``return_indices_ranked_by`` is None: ``[i, k]`` is True if row i looks
        mis-annotated for class k.
    tuple of three lists of length K
        Otherwise ``(issues, binary_labels, binary_pred_probs)``: the flagged rows of class k
        ranked by their binary score, the binary labels (int64) and the (n, 2) binary
        pred_probs of class k.

    Notes
    -----
    As in cleanlab 2.9: a class annotated on every row raises; a class annotated on no row
    raises with ``predicted_neq_given`` and the low_* filters; ``num_to_remove_per_class[k]``
    is the number of rows *without* class k to flag (SPEC-multi B.2).

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> find_multilabel_issues_per_class(labels, P).astype(int).tolist()
    [[0, 0], [0, 0], [0, 0], [0, 0], [1, 1], [1, 1]]
    >>> ranked, _, _ = find_multilabel_issues_per_class(
    ...     labels, P, return_indices_ranked_by="self_confidence")
    >>> [r.tolist() for r in ranked]
    [[4, 5], [4, 5]]
    """
    if low_memory:
        raise InputError("low_memory=True (cleanlab's experimental batched mode) is not supported.")
    y, probs, options = check_filter_inputs(
        labels,
        pred_probs,
        filter_by,
        frac_noise,
        num_to_remove_per_class,
        min_examples_per_class,
        n_jobs,
        confident_joint,
    )
    kwargs = check_rank_options(return_indices_ranked_by, rank_by_kwargs)
    mask = issues.class_issue_masks(y, probs, filter_by=filter_by, **options)
    if verbose:
        for k, count in enumerate(np.count_nonzero(mask, axis=0)):
            logger.info("class %d: number of label issues found: %d", k, count)
    if return_indices_ranked_by is None:
        return mask
    adjust = bool(kwargs.get("adjust_pred_probs", False))
    ranked = issues.rank_class_issues(y, probs, mask, return_indices_ranked_by, adjust=adjust)
    binary_labels = [y[:, k].astype(np.int64) for k in range(y.shape[1])]
    binary_probs = [np.column_stack([1 - probs[:, k], probs[:, k]]) for k in range(y.shape[1])]
    return ranked, binary_labels, binary_probs
