"""Multi-label label issues: per class (one-vs-rest) and per row (SPEC-multi B.2, B.3).

Inputs are an (n, K) 0/1 indicator ``y`` and (n, K) pred_probs; outputs are numpy arrays.
Parity notes (cleanlab 2.9 behaviour, mirrored on purpose):

* a class annotated on **every** row always raises (its binary problem has a single class);
  a class annotated on no row is fine for the prune filters and confident_learning but raises
  for predicted_neq_given and the per-class low_* filters;
* ``low_self_confidence`` and ``low_normalized_margin`` at the row level (B.3.2) both flag the
  rows with the lowest EMA(0.8) of the per-class **self-confidence**, as many as
  confident_learning flags; their ranked output applies the order of the scores of the flagged
  subset *in index order* to the *score-ordered* selection (an index mismatch in cleanlab).
"""

from __future__ import annotations

from typing import Literal, get_args

import numpy as np

from pdclean.core.multilabel import binary, prune
from pdclean.core.multilabel.aggregate import exponential_moving_average
from pdclean.core.multilabel.labels import check_strict_format
from pdclean.core.multilabel.scores import ScoreMethod, class_scores
from pdclean.errors import InputError

__all__ = [
    "FILTER_BY",
    "FilterBy",
    "aggregated_scores",
    "class_issue_masks",
    "find_issues",
    "rank_class_issues",
]

FilterBy = Literal[
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
]
FILTER_BY: tuple[str, ...] = get_args(FilterBy)
PRUNE = FILTER_BY[:3]
LOW = ("low_normalized_margin", "low_self_confidence")
ALPHA = 0.8


def check_binary_problems(ovr: binary.OneVsRest, filter_by: str) -> None:
    """Raise for the classes whose one-vs-rest problem has a single binary class.

    Examples
    --------
    >>> ovr = binary.one_vs_rest(np.array([[1, 0], [1, 1]], bool), np.full((2, 2), 0.5))
    >>> check_binary_problems(ovr, "both")
    Traceback (most recent call last):
    ...
    pdclean.errors.InputError: classes [0] are annotated on every row; ...
    """
    counts = ovr.counts
    full = np.flatnonzero(counts[:, 0] == 0)
    if full.size:
        raise InputError(
            f"classes {full.tolist()!r} are annotated on every row; their one-vs-rest problem "
            "has a single class (cleanlab raises 'Labels must contain at least 2 classes.'). "
            "Drop these always-present classes from labels and pred_probs."
        )
    absent = np.flatnonzero(counts[:, 1] == 0)
    if absent.size and filter_by not in (*PRUNE, "confident_learning"):
        raise InputError(
            f"classes {absent.tolist()!r} are annotated on no row, which "
            f"filter_by={filter_by!r} does not support (as in cleanlab); use a prune filter or "
            "confident_learning, or drop the absent classes."
        )


def _prune_mask(ovr, filter_by, frac_noise, to_remove, min_examples, joints):
    if joints is None:
        joints = binary.calibrate_joints(binary.confident_joints(ovr), ovr.counts)
    pc = prune.prune_counts(joints, min_examples, frac_noise)
    if to_remove is not None:
        pc = prune.override_counts(pc, np.asarray(to_remove), ovr.counts)
    skip = prune.skipped_classes(ovr.counts, min_examples)
    if filter_by == "prune_by_class":
        return prune.prune_by_class_mask(ovr, pc, skip)
    mask = prune.prune_by_noise_rate_mask(ovr, pc, skip)
    if filter_by == "both":
        mask &= prune.prune_by_class_mask(ovr, pc, skip)
    return mask


def _low_mask(ovr: binary.OneVsRest, filter_by: str) -> np.ndarray:
    scores = class_scores(ovr, filter_by[len("low_") :])
    counts = np.count_nonzero(binary.guarded(binary.confident_off_diagonal(ovr), ovr), axis=1)
    out = np.zeros(ovr.y.shape, dtype=bool)
    for k in range(ovr.y.shape[0]):  # a different number of rows per class
        out[k, prune.smallest_stable(scores[k], int(counts[k]))] = True
    return out


def class_issue_masks(
    y: np.ndarray,
    pred_probs: np.ndarray,
    *,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: np.ndarray | None = None,
    min_examples_per_class: int = 1,
    confident_joint: np.ndarray | None = None,
) -> np.ndarray:
    """(n, K) mask: row i looks mis-annotated for class k (B.2), options checked upstream.

    ``confident_joint`` (K, 2, 2) replaces the calibrated binary confident joints of the prune
    filters (used as given).

    Examples
    --------
    >>> y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]], bool)
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> class_issue_masks(y, P).nonzero()[0].tolist()
    [4, 4, 5, 5]
    """
    ovr = binary.one_vs_rest(y, pred_probs, by_class=True)
    check_binary_problems(ovr, filter_by)
    if filter_by in LOW:
        return _low_mask(ovr, filter_by).T
    if filter_by == "confident_learning":
        mask = binary.confident_off_diagonal(ovr)
    elif filter_by == "predicted_neq_given":
        mask = (ovr.p > ovr.q) != ovr.y
    else:
        mask = _prune_mask(
            ovr,
            filter_by,
            frac_noise,
            num_to_remove_per_class,
            min_examples_per_class,
            confident_joint,
        )
    return binary.guarded(mask, ovr).T


def rank_class_issues(
    y: np.ndarray, pred_probs: np.ndarray, mask: np.ndarray, method: ScoreMethod, *, adjust: bool
) -> list[np.ndarray]:
    """Per class, the flagged rows of ``mask`` (n, K) by ascending binary score (stable).

    Examples
    --------
    >>> y = np.array([[1, 0], [0, 1], [0, 1]], bool)
    >>> P = np.array([[.2, .9], [.6, .1], [.1, .3]])
    >>> [a.tolist() for a in rank_class_issues(y, P, ~y, "self_confidence", adjust=False)]
    [[1, 2], [0]]
    """
    scores = class_scores(binary.one_vs_rest(y, pred_probs), method, adjust=adjust)
    out = []
    for k in range(y.shape[1]):  # one ranked array per class (the returned list)
        rows = np.flatnonzero(mask[:, k])
        out.append(rows[np.argsort(scores[k, rows], kind="stable")])
    return out


def aggregated_scores(
    y: np.ndarray,
    pred_probs: np.ndarray,
    method: ScoreMethod = "self_confidence",
    *,
    adjust: bool = False,
    aggregator=None,
) -> np.ndarray:
    """(n,) aggregated label quality (B.4.3): strict format check, per-class scores, then
    ``aggregator(scores)`` (default: EMA with alpha 0.8).

    Examples
    --------
    >>> y = np.array([[0, 1, 0], [1, 0, 1]], bool)
    >>> aggregated_scores(y, np.array([[.1, .9, .1], [.4, .1, .9]])).round(4).tolist()
    [0.9, 0.5]
    """
    check_strict_format(y)
    scores = class_scores(binary.one_vs_rest(y, pred_probs), method, adjust=adjust).T
    if aggregator is None:
        return exponential_moving_average(scores, alpha=ALPHA)
    return aggregator(scores)


def find_issues(
    y: np.ndarray,
    pred_probs: np.ndarray,
    *,
    filter_by: FilterBy = "prune_by_noise_rate",
    ranked_by: ScoreMethod | None = None,
    adjust: bool = False,
    **class_options,
) -> np.ndarray:
    """Rows with a label issue in any class (B.3): a mask, or indices ranked by ``ranked_by``.

    Ranked output orders the flagged rows by the EMA(0.8) of their per-class ``ranked_by``
    scores over the full data. ``class_options`` are the prune options of
    :func:`class_issue_masks`.

    Examples
    --------
    >>> y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]], bool)
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> find_issues(y, P, ranked_by="self_confidence").tolist()
    [4, 5]
    """
    if filter_by in LOW:
        return _low_score_issues(y, pred_probs, ranked_by, adjust)
    mask = class_issue_masks(y, pred_probs, filter_by=filter_by, **class_options).any(axis=1)
    if ranked_by is None:
        return mask
    rows = np.flatnonzero(mask)
    scores = aggregated_scores(y, pred_probs, ranked_by, adjust=adjust)
    return rows[np.argsort(scores[rows], kind="stable")]


def _low_score_issues(y, pred_probs, ranked_by, adjust) -> np.ndarray:
    count = int(class_issue_masks(y, pred_probs, filter_by="confident_learning").any(axis=1).sum())
    scores = aggregated_scores(y, pred_probs, "self_confidence")
    selected = prune.smallest_stable(scores, count)
    selected = selected[np.argsort(scores[selected], kind="stable")]
    if ranked_by is None:
        mask = np.zeros(y.shape[0], dtype=bool)
        mask[selected] = True
        return mask
    by_index = np.sort(selected)
    subset = aggregated_scores(y[by_index], pred_probs[by_index], ranked_by, adjust=adjust)
    return selected[np.argsort(subset, kind="stable")]  # cleanlab's index mismatch, mirrored
