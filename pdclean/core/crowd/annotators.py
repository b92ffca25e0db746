"""Per-annotator statistics (SPEC-multi A.7.2 and A.8): detailed scores, quality, worst class.

Quirks of cleanlab 2.9 mirrored here:

* without the detailed matrix, the crowdlab annotator quality uses the default
  self-confidence scores, whatever ``label_quality_score_kwargs`` say;
* the agreement term of the annotator quality counts only rows with two or more labels, while
  ``agreement_with_consensus`` counts all of the annotator's rows;
* the worst class's last tie-break compares mean consensus qualities computed as pandas
  computes a group mean (Kahan-compensated, ascending rows), because the comparison is exact.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.crowd.labels import Annotations
from pdclean.core.crowd.quality import ConsensusStats, label_scores

__all__ = [
    "annotator_means",
    "annotator_order",
    "annotator_table",
    "detailed_quality",
    "kahan_means",
    "worst_class",
]


def detailed_quality(
    ann: Annotations, posterior: np.ndarray, score_kwargs: dict | None = None
) -> np.ndarray:
    """(n, m) score of each given label against the posterior, NaN where missing (A.7.2).

    Each annotator's labels are scored on the annotator's own rows (which matters for
    ``adjust_pred_probs``, whose thresholds then come from those rows).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, np.nan], [1, 0]])), 2)
    >>> detailed_quality(ann, np.array([[0.9, 0.1], [0.3, 0.7]])).tolist()
    [[0.9, nan], [0.7, 0.3]]
    """
    score_kwargs = score_kwargs or {}
    out = np.full(ann.codes.shape, np.nan)
    if not score_kwargs or score_kwargs == {"method": "self_confidence"}:
        out[ann.rows, ann.cols] = posterior[ann.rows, ann.given]
        return out
    for m in range(ann.num_annotators):  # scores depend on each annotator's subset
        rows = np.flatnonzero(ann.mask[:, m])
        out[rows, m] = label_scores(ann.codes[rows, m], posterior[rows], **score_kwargs)
    return out


def annotator_means(ann: Annotations, values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Per annotator, the mean of ``values`` (one per label) over the labels in ``keep``.

    NaN for an annotator with no kept label.
    """
    m = ann.num_annotators
    total = np.bincount(ann.cols, weights=keep, minlength=m)
    sums = np.bincount(ann.cols, weights=np.where(keep, values, 0.0), minlength=m)
    return np.divide(sums, total, out=np.full(m, np.nan), where=total > 0)


def annotator_quality(
    ann: Annotations, stats: ConsensusStats, detailed: np.ndarray | None, weight: float | None
) -> np.ndarray:
    """A.8 step 1: crowdlab mixes label quality and agreement; ``weight=None`` is "agreement"."""
    agrees = ann.given == stats.consensus[ann.rows]
    agr = annotator_means(ann, agrees, ann.multi[ann.rows])
    if weight is None:
        return agr
    if detailed is not None:
        scores = detailed[ann.rows, ann.cols]
        lqs = annotator_means(ann, scores, ~np.isnan(scores))
    else:
        scores = stats.posterior[ann.rows, ann.given]
        lqs = annotator_means(ann, scores, np.ones(scores.size, dtype=bool))
    w = stats.annotator_weight
    mean_weight = np.sum(w) * np.mean(ann.num_annotations) / ann.num_annotators
    omega = weight / (weight + mean_weight)
    return omega * lqs + (1 - omega) * agr


def kahan_means(values: np.ndarray, groups: np.ndarray, num_groups: int) -> np.ndarray:
    """Per-group NaN-skipping mean with Kahan-compensated sums in input order (pandas' way).

    All groups advance together, one element of each per step, so the loop runs over the
    largest group's size; it is used only on the rare exact ties of :func:`worst_class`.

    Examples
    --------
    >>> kahan_means(np.array([0.1, 0.2, np.nan, 0.3]), np.array([0, 1, 0, 0]), 2).tolist()
    [0.2, 0.2]
    """
    keep = ~np.isnan(values)
    values, groups = values[keep], groups[keep]
    order = np.argsort(groups, kind="stable")
    values, groups = values[order], groups[order]
    sizes = np.bincount(groups, minlength=num_groups)
    starts = np.cumsum(sizes) - sizes
    total, comp = np.zeros(num_groups), np.zeros(num_groups)
    for step in range(int(sizes.max(initial=0))):
        live = np.flatnonzero(sizes > step)
        y = values[starts[live] + step] - comp[live]
        t = total[live] + y
        comp[live] = (t - total[live]) - y
        total[live] = t
    return np.divide(total, sizes, out=np.full(num_groups, np.nan), where=sizes > 0)


def worst_class(ann: Annotations, consensus: np.ndarray, quality: np.ndarray) -> np.ndarray:
    """Each annotator's worst class (A.8 step 3): lowest accuracy, then most used, then best q."""
    k, m = ann.num_classes, ann.num_annotators
    rows, cols, given = ann.rows, ann.cols, ann.given
    cell = cols * k + given
    used = np.bincount(cell, minlength=m * k).reshape(m, k)
    right = np.bincount(cell, weights=consensus[rows] == given, minlength=m * k).reshape(m, k)
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.where(used > 0, right / used, np.inf)
    cand = acc == acc.min(axis=1, keepdims=True)
    cand &= np.where(cand, used, -1) == np.where(cand, used, -1).max(axis=1, keepdims=True)
    tied = np.flatnonzero(cand.sum(axis=1) > 1)
    if tied.size:
        pick = np.isin(cols, tied)
        means = kahan_means(quality[rows[pick]], cell[pick], m * k).reshape(m, k)[tied]
        sub = np.where(cand[tied], means, -np.inf)
        cand[tied] &= sub == sub.max(axis=1, keepdims=True)
    return np.argmax(cand, axis=1).astype(np.int64)


def annotator_table(
    ann: Annotations, stats: ConsensusStats, detailed: np.ndarray | None, weight: float | None
) -> dict[str, np.ndarray]:
    """The four columns of cleanlab's ``annotator_stats``, in annotator order (unsorted).

    ``weight``: the model weight W (the mean over models for an ensemble), None for the
    ``"agreement"`` quality method.
    """
    agrees = ann.given == stats.consensus[ann.rows]
    return {
        "annotator_quality": annotator_quality(ann, stats, detailed, weight),
        "agreement_with_consensus": annotator_means(ann, agrees, np.ones(agrees.size, bool)),
        "worst_class": worst_class(ann, stats.consensus, stats.quality),
        "num_examples_labeled": ann.mask.sum(axis=0).astype(np.int64),
    }


def annotator_order(table: dict[str, np.ndarray]) -> np.ndarray:
    """Stable ascending order by (annotator_quality, agreement_with_consensus), NaN last.

    Examples
    --------
    >>> annotator_order({"annotator_quality": np.array([0.5, np.nan, 0.2, 0.5]),
    ...                  "agreement_with_consensus": np.array([0.9, 0.1, 0.3, 0.9])}).tolist()
    [2, 0, 3, 1]
    """
    return np.lexsort((table["agreement_with_consensus"], table["annotator_quality"]))
