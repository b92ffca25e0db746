"""The default label-error detector: an ensemble's pred_probs plus the labels of the nearest rows.

For each row the detector mixes the mean out-of-fold pred_probs of one or more models with the
row's neighbour label vote (the fraction of its k nearest rows carrying each label):

    q = (1 - w) · mean(pred_probs) + w · vote      (w = ``vote_weight``; no neighbours: q = mean)

The suggested label is the most probable class other than the given one, and the row is flagged
when ``q[suggested] - q[given] > margin``. The quality score is
``(1 + q[given] - q[suggested]) / 2`` in [0, 1] (low = suspicious). ``suggestion_confidence``
maps the winning margin through a monotone table measured on ``benchmarks/detection`` (see
:mod:`pdclean.core.detect.confidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from pdclean.core.detect.confidence import suggestion_confidence
from pdclean.core.detect.signals import (
    check_labels,
    check_neighbors,
    check_pred_probs,
    combine,
    neighbor_vote,
)
from pdclean.errors import InputError

__all__ = ["DEFAULT_MARGIN", "DEFAULT_VOTE_WEIGHT", "LabelIssues", "detect_label_issues"]

DEFAULT_VOTE_WEIGHT = 1 / 3
DEFAULT_MARGIN = 0.0


class LabelIssues(NamedTuple):
    """Per-row results of :func:`detect_label_issues` (each an array of length n)."""

    is_label_issue: np.ndarray
    label_quality: np.ndarray
    suggested_label: np.ndarray
    suggestion_confidence: np.ndarray
    prob_suggested: np.ndarray
    prob_given: np.ndarray
    neighbors_suggested: np.ndarray
    n_neighbors: int


def check_options(vote_weight: float, margin: float) -> None:
    """``vote_weight`` in [0, 1] and ``margin`` in [-1, 1)."""
    if not 0.0 <= vote_weight <= 1.0:
        raise InputError(f"vote_weight must lie in [0, 1]; got {vote_weight!r}. Use e.g. 1/3.")
    if not -1.0 <= margin < 1.0:
        raise InputError(f"margin must lie in [-1, 1); got {margin!r}. Use 0 for 'argmax differs'.")


def runner_up(q: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """The most probable class other than the given one (first on ties)."""
    rows = np.arange(labels.size)
    others = q.copy()
    others[rows, labels] = -np.inf
    return others.argmax(axis=1)


def detect_label_issues(
    labels: np.ndarray,
    pred_probs: np.ndarray | Sequence[np.ndarray],
    neighbors: np.ndarray | None = None,
    *,
    vote_weight: float = DEFAULT_VOTE_WEIGHT,
    margin: float = DEFAULT_MARGIN,
) -> LabelIssues:
    """Flag likely label errors, suggest the right label and keep the numbers of a reason.

    Parameters
    ----------
    labels : ndarray of int, shape (n,)
        Given labels, codes 0..K-1.
    pred_probs : ndarray (n, K) or sequence of them
        Out-of-fold predicted probabilities of one or more models (averaged).
    neighbors : ndarray of int, shape (n, k), optional
        The k nearest other rows of each row (self excluded), e.g. from
        :func:`pdclean.learning.detect.nearest_rows`. Without it the vote is left out.
    vote_weight : float, default 1/3
        Weight of the neighbour label vote in the mixture (ignored without ``neighbors``).
    margin : float, default 0.0
        A row is flagged when the suggestion beats the given label by more than this.

    Returns
    -------
    LabelIssues
        ``is_label_issue`` (bool), ``label_quality`` (float in [0, 1], low = suspicious),
        ``suggested_label`` (int), ``suggestion_confidence`` (float in [0, 1]),
        ``prob_suggested`` / ``prob_given`` (the models' mean probability of each),
        ``neighbors_suggested`` (how many neighbours carry the suggested label; 0 without
        neighbours) and ``n_neighbors`` (k; 0 without neighbours).

    Notes
    -----
    Edge cases: pred_probs with one column (a one-class problem) raise ``InputError``; classes
    of any size, including a single row, and hundreds of classes need no special case here
    (the fitting step, :func:`pdclean.learning.detect.out_of_fold_pred_probs`, is the one that
    needs ``cv`` rows per class). Ties between classes go to the lowest class code.

    Examples
    --------
    >>> P = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8]])
    >>> nb = np.array([[1], [0], [3], [2]])
    >>> out = detect_label_issues(np.array([0, 1, 1, 1]), P, nb)
    >>> out.is_label_issue.tolist(), out.suggested_label.tolist()
    ([False, True, False, False], [1, 0, 0, 0])
    >>> float(out.prob_suggested[1]), int(out.neighbors_suggested[1])
    (0.8, 1)
    """
    check_options(vote_weight, margin)
    members = check_pred_probs(pred_probs)
    n, K = members[0].shape
    y = check_labels(labels, n, K)
    nb = check_neighbors(neighbors, n)
    vote = None if nb is None else neighbor_vote(y, nb, K)
    q = combine(members, vote, vote_weight)
    suggested = runner_up(q, y)
    rows = np.arange(n)
    gap = q[rows, suggested] - q[rows, y]
    mean = combine(members, None, 0.0)
    votes = np.zeros(n, np.intp) if nb is None else (y[nb] == suggested[:, None]).sum(axis=1)
    return LabelIssues(
        is_label_issue=gap > margin,
        label_quality=np.clip((1.0 - gap) / 2.0, 0.0, 1.0),
        suggested_label=suggested,
        suggestion_confidence=suggestion_confidence(gap),
        prob_suggested=mean[rows, suggested],
        prob_given=mean[rows, y],
        neighbors_suggested=votes,
        n_neighbors=0 if nb is None else nb.shape[1],
    )
