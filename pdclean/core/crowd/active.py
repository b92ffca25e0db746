"""ActiveLab scores: which examples to (re)label next (SPEC-multi A.11).

Goh & Mueller, "ActiveLab: Active Learning with Re-Labeling by Multiple Annotators", 2023.
Low scores mean "label this next". A labelled example's score mixes its consensus quality
(weighted by its annotators' weights plus the model weight) with the uniform prior 1/K (weighted
by the mean annotator weight); an unlabelled example's score mixes the model's confidence with
the same prior.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.crowd.consensus import ensemble_consensus, multi_consensus
from pdclean.core.crowd.labels import Annotations, check_annotations, encode_annotations
from pdclean.core.crowd.temperature import best_temperature, temp_scale
from pdclean.core.crowd.vote import majority_vote

__all__ = [
    "active_learning_scores",
    "active_learning_scores_ensemble",
    "labelled_scores",
    "unlabelled_scores",
    "unlabelled_scores_ensemble",
]

EMPTY = np.empty(0, dtype=np.float64)


def active_learning_scores(
    ann: Annotations | None,
    pred_probs: np.ndarray | None,
    pred_probs_unlabeled: np.ndarray | None,
    *,
    random_state=None,
) -> tuple[np.ndarray, np.ndarray]:
    """ActiveLab scores of the labelled rows (``ann``, ``pred_probs``) and of unlabelled ones.

    Rows labelled once each: no temperature, the label's own probability, unit weights.
    Otherwise the temperature of :func:`best_temperature`, then best_quality consensus with
    crowdlab weights. Either part may be None (its scores are then an empty array).

    Examples
    --------
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])
    >>> scores, unlabelled = active_learning_scores(ann, P, None)
    >>> scores.shape, unlabelled.shape
    ((3,), (0,))
    """
    temperature, weight, mean_weight, scores = 1.0, 1.0, 1.0, EMPTY
    if pred_probs is not None:
        k = pred_probs.shape[1]
        if (ann.num_annotations == 1).all():
            vote = majority_vote(ann.codes, ann.mask, k, pred_probs=pred_probs)
            quality = pred_probs[np.arange(vote.size), vote]
            w = np.ones(ann.num_annotators)
        else:
            temperature = best_temperature(ann.counts, pred_probs)
            scaled = temp_scale(pred_probs, temperature)
            stats = multi_consensus(ann, scaled, ["best_quality"], random_state=random_state)
            (best,), _ = stats
            quality, weight, w = best.quality, float(best.model_weight), best.annotator_weight
            mean_weight = float(np.mean(w))
        scores = labelled_scores(ann, quality, w, weight, k)
    unlabelled = EMPTY
    if pred_probs_unlabeled is not None:
        scaled = temp_scale(pred_probs_unlabeled, temperature)
        unlabelled = unlabelled_scores(scaled, weight, mean_weight)
    return scores, unlabelled


def active_learning_scores_ensemble(
    ann: Annotations | None,
    pred_probs: np.ndarray | None,
    pred_probs_unlabeled: np.ndarray | None,
    *,
    random_state=None,
) -> tuple[np.ndarray, np.ndarray]:
    """The ensemble version of :func:`active_learning_scores` ((E, n, K) stacks, A.11.2).

    Examples
    --------
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]]] * 2)
    >>> scores, unlabelled = active_learning_scores_ensemble(ann, P, P[:, :2])
    >>> scores.shape, unlabelled.shape
    ((3,), (2,))
    """
    temperatures, weights, mean_weight, scores = None, None, 1.0, EMPTY
    if pred_probs is not None:
        temperatures, weights, mean_weight, scores = ensemble_labelled(
            ann, pred_probs, random_state=random_state
        )
    unlabelled = EMPTY
    if pred_probs_unlabeled is not None:
        count = pred_probs_unlabeled.shape[0]
        temperatures = np.ones(count) if temperatures is None else temperatures
        weights = np.ones(count) if weights is None else weights
        scaled = np.stack([temp_scale(p, t) for p, t in zip(pred_probs_unlabeled, temperatures)])
        codes, mask = encode_annotations(np.argmax(scaled, axis=2).T)
        check_annotations(mask, codes)  # as cleanlab: the models' vote needs two models
        vote = majority_vote(codes, mask, scaled.shape[2], pred_probs=scaled.mean(axis=0))
        unlabelled = unlabelled_scores_ensemble(scaled, vote, weights, mean_weight)
    return scores, unlabelled


def ensemble_labelled(ann: Annotations, pred_probs: np.ndarray, *, random_state=None) -> tuple:
    """(temperatures, model weights, mean annotator weight, scores) of the labelled part."""
    count, k = pred_probs.shape[0], pred_probs.shape[2]
    if (ann.num_annotations == 1).all():
        mean_probs = pred_probs.mean(axis=0)
        vote = majority_vote(ann.codes, ann.mask, k, pred_probs=mean_probs)
        quality = mean_probs[np.arange(vote.size), vote]
        weights, w = np.ones(count), np.ones(ann.num_annotators)
        temperatures = np.ones(count)
    else:
        temperatures = np.array([best_temperature(ann.counts, p) for p in pred_probs])
        scaled = np.stack([temp_scale(p, t) for p, t in zip(pred_probs, temperatures)])
        best, _ = ensemble_consensus(ann, scaled, random_state=random_state)
        quality, weights, w = best.quality, best.model_weight, best.annotator_weight
    mean_weight = float(np.mean(w))
    scores = labelled_scores(ann, quality, w, float(np.sum(weights)), k)
    return temperatures, weights, mean_weight, scores


def labelled_scores(
    ann: Annotations,
    quality: np.ndarray,
    annotator_weight: np.ndarray,
    model_weight: float,
    num_classes: int,
) -> np.ndarray:
    """``(q·(sum of the row's annotator weights + W) + wbar/K) / (that sum + W + wbar)``.

    ``model_weight`` is W (the sum of the model weights for an ensemble).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 1], [1, np.nan]])), 2)
    >>> labelled_scores(ann, np.array([0.5, 0.9]), np.ones(2), 1.0, 2).round(4).tolist()
    [0.5, 0.7667]
    """
    row_weight = np.where(ann.mask, annotator_weight, 0.0).sum(axis=1)
    mean_weight = float(np.mean(annotator_weight))
    total = row_weight + model_weight
    return (quality * total + mean_weight / num_classes) / (total + mean_weight)


def unlabelled_scores(
    scaled_probs: np.ndarray, model_weight: float, mean_weight: float
) -> np.ndarray:
    """``(max_k P[i,k]·W + wbar/K) / (W + wbar)`` for temperature-scaled pred_probs.

    Examples
    --------
    >>> unlabelled_scores(np.array([[0.8, 0.2], [0.5, 0.5]]), 1.0, 1.0).tolist()
    [0.65, 0.5]
    """
    k = scaled_probs.shape[1]
    top = scaled_probs.max(axis=1)
    return (top * model_weight + mean_weight / k) / (model_weight + mean_weight)


def unlabelled_scores_ensemble(
    scaled_probs: np.ndarray, model_vote: np.ndarray, weights: np.ndarray, mean_weight: float
) -> np.ndarray:
    """The mixture's probability of the models' majority-vote class (A.11.2, unlabelled part).

    ``scaled_probs``: (E, n, K) temperature-scaled; ``model_vote``: majority vote of the models'
    argmax labels; ``weights``: the E model weights.

    Examples
    --------
    >>> P = np.array([[[0.8, 0.2]], [[0.6, 0.4]]])
    >>> unlabelled_scores_ensemble(P, np.array([0]), np.ones(2), 1.0).round(4).tolist()
    [0.6333]
    """
    k = scaled_probs.shape[2]
    mixed = np.tensordot(weights, scaled_probs, axes=1) + mean_weight / k
    mixed /= np.sum(weights) + mean_weight
    return mixed[np.arange(model_vote.size), model_vote]
