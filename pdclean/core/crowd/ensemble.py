"""CROWDLAB with several models (SPEC-multi A.10): one weight per model, one posterior.

``Q[i, k]`` is the weighted average of ``[P_0[i,k], ..., P_{E-1}[i,k], then CL or NCL for each
annotator of row i in ascending order]`` with weights ``[W_0, ..., W_{E-1}, w_m, ...]``. cleanlab
evaluates it per entry with numpy's ``average``, whose sums are numpy's pairwise sums; the same
order is reproduced here (rows grouped by their number of labels, every (row, class) a
contiguous vector summed by numpy along the last axis), because it decides exact posterior
ties, hence best_quality consensus labels.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.crowd.labels import Annotations
from pdclean.core.crowd.quality import (
    ConsensusStats,
    agreement_with,
    crowdlab_weights,
    label_scores,
)

__all__ = ["ensemble_posterior", "ensemble_stats"]

BLOCK_ROWS = 8192


def ensemble_posterior(
    ann: Annotations,
    pred_probs: np.ndarray,
    cl: float,
    ncl: float,
    w: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """The (n, K) posterior of an (E, n, K) stack of pred_probs (A.10 step 4).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 1], [1, 1]])), 2)
    >>> P = np.array([[[0.6, 0.4], [0.3, 0.7]], [[0.8, 0.2], [0.1, 0.9]]])
    >>> Q = ensemble_posterior(ann, P, 0.75, 0.25, np.array([1.0, 1.0]), np.array([1.0, 1.0]))
    >>> Q.round(3).tolist()
    [[0.6, 0.4], [0.225, 0.775]]
    """
    posterior = np.empty(pred_probs.shape[1:])
    for size in np.unique(ann.num_annotations):
        group = np.flatnonzero(ann.num_annotations == size)
        for start in range(0, group.size, BLOCK_ROWS):
            rows = group[start : start + BLOCK_ROWS]
            posterior[rows] = group_posterior(
                ann, pred_probs, rows, int(size), (cl, ncl, w, weights)
            )
    return posterior


def group_posterior(
    ann: Annotations, pred_probs: np.ndarray, rows: np.ndarray, size: int, params: tuple
) -> np.ndarray:
    """Posterior rows of ``rows``, which all have ``size`` labels."""
    cl, ncl, w, weights = params
    num_models, k = pred_probs.shape[0], pred_probs.shape[2]
    who = np.nonzero(ann.mask[rows])[1].reshape(rows.size, size)  # ascending annotators
    given = np.take_along_axis(ann.codes[rows], who, axis=1)
    values = np.empty((rows.size, k, num_models + size))
    values[:, :, :num_models] = np.moveaxis(pred_probs[:, rows, :], 0, -1)
    values[:, :, num_models:] = np.where(given[:, None, :] == np.arange(k)[None, :, None], cl, ncl)
    gains = np.empty((rows.size, num_models + size))
    gains[:, :num_models] = weights
    gains[:, num_models:] = w[who]
    numerator = np.sum(values * gains[:, None, :], axis=2)
    return numerator / np.sum(gains, axis=1)[:, None]


def ensemble_stats(
    ann: Annotations, pred_probs: np.ndarray, consensus: np.ndarray, alpha: np.ndarray
) -> ConsensusStats:
    """CROWDLAB statistics of ``consensus`` for an (E, n, K) stack (A.10 step 4).

    The consensus quality is the default self-confidence score on the posterior: cleanlab's
    ensemble function does not pass ``label_quality_score_kwargs`` to its scoring step.

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]]] * 2)
    >>> stats = ensemble_stats(ann, P, np.array([0, 1, 1]), np.array([2 / 3, 2 / 3]))
    >>> stats.quality.round(4).tolist()  # annotator weights clipped to 1e-6: Q is about P
    [0.8, 0.6, 0.7]
    """
    model_labels = [np.argmax(p, axis=1) for p in pred_probs]
    cl, ncl, w, weights = crowdlab_weights(ann, consensus, alpha, model_labels)
    posterior = ensemble_posterior(ann, pred_probs, cl, ncl, w, weights)
    quality = label_scores(consensus, posterior)
    agreement = agreement_with(ann, consensus)
    return ConsensusStats(consensus, agreement, quality, posterior, weights, w)
