"""CROWDLAB consensus statistics for a given consensus label (SPEC-multi A.6).

For a consensus vector ``c`` the statistics are: the per-row annotator agreement ``a``, a
posterior ``Q`` over the classes, the consensus quality ``q`` and, for ``"crowdlab"``, the model
weight ``W`` and the annotator weights ``w``:

* ``"crowdlab"`` (Goh, Tkachenko & Mueller, "CROWDLAB: Supervised learning to infer consensus
  labels and quality scores for data with multiple annotators", 2022): ``Q`` is a weighted
  average of pred_probs and of each annotator's vote (likelihood CL for the chosen class, NCL
  for the others), the weights measuring how much better than always predicting the most
  common consensus class the model and each annotator are;
* ``"agreement"``: ``Q`` is cleanlab's *packed* vote distribution (a mirrored quirk: the counts
  sit in the wrong columns for rows that do not contain every class, so best_quality consensus
  can pick a class nobody chose) and ``q = a``.

Bit-level order of the crowdlab posterior (it decides exact ties in best_quality consensus):
numerator ``W·P[i,k]`` plus the annotator terms in ascending annotator order, denominator the
annotator weights summed in ascending order plus ``W``, one division, as cleanlab evaluates it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from pdclean.core.crowd.labels import Annotations, packed_distribution
from pdclean.core.rank import get_label_quality_scores

__all__ = [
    "QUALITY_METHODS",
    "ConsensusStats",
    "QualityMethod",
    "annotator_alpha",
    "best_quality_consensus",
    "consensus_stats",
    "crowdlab_weights",
    "label_scores",
    "most_likely_class_error",
]

QualityMethod = Literal["crowdlab", "agreement"]
CLIP = 1e-6


@dataclass(frozen=True)
class ConsensusStats:
    """The statistics of one consensus: c, a, q, Q, W (None or float / (E,) array), w."""

    consensus: np.ndarray
    agreement: np.ndarray
    quality: np.ndarray
    posterior: np.ndarray
    model_weight: float | np.ndarray | None = None
    annotator_weight: np.ndarray | None = None


def label_scores(
    labels: np.ndarray,
    probs: np.ndarray,
    *,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """SPEC §4.1 label quality scores; the default (``probs[i, labels[i]]``) without a copy.

    Examples
    --------
    >>> label_scores(np.array([1, 0]), np.array([[0.3, 0.7], [0.6, 0.4]])).tolist()
    [0.7, 0.6]
    """
    if method == "self_confidence" and not adjust_pred_probs:
        return np.take_along_axis(probs, labels[:, None], axis=1)[:, 0]
    return get_label_quality_scores(
        labels, probs, method=method, adjust_pred_probs=adjust_pred_probs
    )


def agreement_with(ann: Annotations, consensus: np.ndarray) -> np.ndarray:
    """``a_i``: the fraction of row i's annotators who gave the consensus label."""
    return ann.counts[np.arange(consensus.size), consensus] / ann.num_annotations


def most_likely_class_error(ann: Annotations, consensus: np.ndarray) -> float:
    """MLCE: error of always predicting the most common consensus class, on multi rows."""
    multi = consensus[ann.multi]
    mode = np.argmax(np.bincount(multi, minlength=ann.num_classes))
    return max(float(np.mean(multi != mode)), CLIP)


def annotator_alpha(ann: Annotations) -> tuple[np.ndarray, np.ndarray]:
    """Each annotator's pooled agreement with the other annotators of their rows (A.6.2 step 3).

    Returns ``(alpha, isolated)``: annotators who share no row with anyone (``isolated``, their
    positions) get the mean alpha of the others.
    """
    m = ann.num_annotators
    same = ann.counts[ann.rows, ann.given] - 1  # other annotators agreeing, per label
    shared = ann.num_annotations[ann.rows] - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        g = np.where(shared > 0, same / shared, 0.0)
    weight_sum = np.bincount(ann.cols, weights=shared, minlength=m)
    alpha = np.divide(
        np.bincount(ann.cols, weights=g * shared, minlength=m),
        weight_sum,
        out=np.full(m, np.nan),
        where=weight_sum > 0,
    )
    isolated = np.flatnonzero(np.isnan(alpha))
    if isolated.size and isolated.size < alpha.size:
        alpha[isolated] = alpha[~np.isnan(alpha)].mean()
    return alpha, isolated


def crowdlab_weights(
    ann: Annotations, consensus: np.ndarray, alpha: np.ndarray, model_labels: Sequence
) -> tuple[float, float, np.ndarray, np.ndarray]:
    """``(CL, NCL, w, W)``: likelihoods, annotator weights and one model weight per model.

    ``model_labels``: each model's argmax labels (one array per model).
    """
    multi = ann.multi
    cl = float(np.mean(agreement_with(ann, consensus)[multi]))
    ncl = (1.0 - cl) / (ann.num_classes - 1)
    mlce = most_likely_class_error(ann, consensus)
    w = np.maximum(1.0 - (1.0 - alpha) / mlce, CLIP)
    root = np.sqrt(np.mean(ann.num_annotations))
    errors = [float(np.mean(pred[multi] != consensus[multi])) for pred in model_labels]
    weights = np.array([max(1.0 - err / mlce, CLIP) * root for err in errors])
    return cl, ncl, w, weights


def crowdlab_posterior(
    ann: Annotations, pred_probs: np.ndarray, cl: float, ncl: float, w: np.ndarray, weight: float
) -> np.ndarray:
    """``Q``: pred_probs and the annotators' votes averaged with weights W and w (A.6.2 step 6)."""
    classes = np.arange(ann.num_classes)
    num = weight * pred_probs
    den = np.zeros(pred_probs.shape[0])
    chosen = classes[:, None] == classes  # row c of a table: the terms of the label c
    for m in range(ann.num_annotators):  # ascending annotator order: cleanlab's bits
        rows = np.flatnonzero(ann.mask[:, m])
        table = np.where(chosen, w[m] * cl, w[m] * ncl)
        num[rows] += np.take(table, ann.codes[rows, m], axis=0)
        den[rows] += w[m]
    return num / (den + weight)[:, None]


def crowdlab_stats(
    ann: Annotations,
    pred_probs: np.ndarray,
    consensus: np.ndarray,
    alpha: np.ndarray,
    score_kwargs: dict,
) -> ConsensusStats:
    """A.6.2: CROWDLAB statistics of ``consensus`` with one model."""
    model_labels = [np.argmax(pred_probs, axis=1)]
    cl, ncl, w, weights = crowdlab_weights(ann, consensus, alpha, model_labels)
    weight = weights[0]
    posterior = crowdlab_posterior(ann, pred_probs, cl, ncl, w, weight)
    quality = label_scores(consensus, posterior, **score_kwargs)
    agreement = agreement_with(ann, consensus)
    return ConsensusStats(consensus, agreement, quality, posterior, weight, w)


def agreement_stats(
    ann: Annotations,
    pred_probs: np.ndarray,
    consensus: np.ndarray,
    alpha: np.ndarray,
    score_kwargs: dict,
) -> ConsensusStats:
    """A.6.3: the packed vote distribution as posterior, the agreement as quality."""
    agreement = agreement_with(ann, consensus)
    posterior = packed_distribution(ann.counts)
    return ConsensusStats(consensus, agreement, agreement, posterior)


QUALITY_METHODS: dict[str, Callable[..., ConsensusStats]] = {
    "crowdlab": crowdlab_stats,
    "agreement": agreement_stats,
}


def consensus_stats(
    ann: Annotations,
    pred_probs: np.ndarray,
    consensus: np.ndarray,
    *,
    quality_method: QualityMethod = "crowdlab",
    alpha: np.ndarray | None = None,
    score_kwargs: dict | None = None,
) -> ConsensusStats:
    """The statistics of ``consensus`` by ``quality_method`` (A.6).

    ``alpha`` (from :func:`annotator_alpha`, it depends on the labels only) may be passed to
    avoid recomputing it; ``score_kwargs`` are the keywords of the consensus quality score.

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])
    >>> stats = consensus_stats(ann, P, np.array([0, 1, 1]))
    >>> stats.quality.round(4).tolist(), stats.agreement.tolist()  # w = 1e-6: Q is about P
    ([0.8, 0.6, 0.7], [1.0, 0.5, 1.0])
    >>> bool(stats.model_weight == np.sqrt(2))  # no model error, 2 labels per row
    True
    """
    if alpha is None:
        alpha = annotator_alpha(ann)[0]
    compute = QUALITY_METHODS[quality_method]
    return compute(ann, pred_probs, consensus, alpha, score_kwargs or {})


def best_quality_consensus(posterior: np.ndarray, vote: np.ndarray) -> np.ndarray:
    """The posterior's argmax where exactly one class attains the row maximum, else the vote.

    Examples
    --------
    >>> best_quality_consensus(np.array([[0.2, 0.8], [0.5, 0.5]]), np.array([0, 0])).tolist()
    [1, 0]
    """
    top = posterior.max(axis=1, keepdims=True)
    unique = (posterior == top).sum(axis=1) == 1
    return np.where(unique, np.argmax(posterior, axis=1), vote).astype(np.int64)
