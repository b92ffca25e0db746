"""Consensus labels and their statistics, for one model or an ensemble (SPEC-multi A.7, A.10).

``"majority_vote"`` takes the vote (with its tie rules); ``"best_quality"`` takes the argmax of
the majority vote's posterior where it is unique, else the vote, and recomputes every statistic
for that consensus. With several methods the first one is the main one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from pdclean.core.crowd.annotators import annotator_order, annotator_table, detailed_quality
from pdclean.core.crowd.ensemble import ensemble_stats
from pdclean.core.crowd.labels import Annotations
from pdclean.core.crowd.quality import (
    ConsensusStats,
    QualityMethod,
    annotator_alpha,
    best_quality_consensus,
    consensus_stats,
)
from pdclean.core.crowd.temperature import best_temperature, temp_scale
from pdclean.core.crowd.vote import majority_vote

__all__ = [
    "CONSENSUS_METHODS",
    "ConsensusMethod",
    "calibrate",
    "ensemble_consensus",
    "lost_classes",
    "multi_consensus",
    "summarise",
]

ConsensusMethod = Literal["majority_vote", "best_quality"]
CONSENSUS_METHODS = ("majority_vote", "best_quality")


def calibrate(ann: Annotations, pred_probs: np.ndarray) -> tuple[np.ndarray, float]:
    """``(temp_scale(P, T), T)`` with T the best temperature for these annotations (A.5)."""
    temperature = best_temperature(ann.counts, pred_probs)
    return temp_scale(pred_probs, temperature), temperature


def multi_consensus(
    ann: Annotations,
    pred_probs: np.ndarray,
    methods: Sequence[str],
    *,
    quality_method: QualityMethod = "crowdlab",
    score_kwargs: dict | None = None,
    random_state=None,
) -> tuple[list[ConsensusStats], np.ndarray]:
    """The statistics of each consensus method, in order, and the isolated annotators.

    ``isolated``: positions of annotators who share no row with another annotator (their
    agreement alpha is the mean of the others'; cleanlab prints a notice about them).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]])
    >>> stats, isolated = multi_consensus(ann, P, ["best_quality", "majority_vote"])
    >>> [s.consensus.tolist() for s in stats], isolated.tolist()
    ([[0, 1, 1], [0, 1, 1]], [])
    """
    alpha, isolated = annotator_alpha(ann)
    out: list[ConsensusStats] = []
    if not methods:
        return out, isolated
    vote = majority_vote(
        ann.codes,
        ann.mask,
        ann.num_classes,
        pred_probs=pred_probs,
        random_state=random_state,
        counts=ann.counts,
    )
    options = {"quality_method": quality_method, "alpha": alpha, "score_kwargs": score_kwargs}
    voted = consensus_stats(ann, pred_probs, vote, **options)
    for method in methods:
        if method == "majority_vote":
            out.append(voted)
        else:
            best = best_quality_consensus(voted.posterior, vote)
            out.append(consensus_stats(ann, pred_probs, best, **options))
    return out, isolated


def ensemble_consensus(
    ann: Annotations, pred_probs: np.ndarray, *, random_state=None
) -> tuple[ConsensusStats, np.ndarray]:
    """best_quality consensus and crowdlab statistics for an (E, n, K) stack (A.10 steps 3-5).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 0], [1, 0], [1, 1]])), 2)
    >>> P = np.array([[[0.8, 0.2], [0.4, 0.6], [0.3, 0.7]]] * 2)
    >>> ensemble_consensus(ann, P)[0].consensus.tolist()
    [0, 1, 1]
    """
    alpha, isolated = annotator_alpha(ann)
    mean_probs = pred_probs.mean(axis=0)
    vote = majority_vote(
        ann.codes,
        ann.mask,
        ann.num_classes,
        pred_probs=mean_probs,
        random_state=random_state,
        counts=ann.counts,
    )
    voted = ensemble_stats(ann, pred_probs, vote, alpha)
    best = best_quality_consensus(voted.posterior, vote)
    return ensemble_stats(ann, pred_probs, best, alpha), isolated


def summarise(
    ann: Annotations,
    stats: ConsensusStats,
    *,
    detailed: bool = True,
    annotators: bool = True,
    score_kwargs: dict | None = None,
) -> tuple[np.ndarray | None, dict[str, np.ndarray] | None]:
    """The detailed (n, m) quality matrix and the sorted annotator table of the main method.

    Either is None when not asked for. The table's ``"annotator"`` entry holds the annotator
    positions in the table's (sorted) order.
    """
    matrix = detailed_quality(ann, stats.posterior, score_kwargs) if detailed else None
    if not annotators:
        return matrix, None
    weight = stats.model_weight
    if weight is not None:
        weight = float(np.mean(weight))
    table = annotator_table(ann, stats, matrix, weight)
    order = annotator_order(table)
    table = {name: column[order] for name, column in table.items()}
    table["annotator"] = order
    return matrix, table


def lost_classes(ann: Annotations, consensus: np.ndarray) -> list[int]:
    """Classes some annotator used that no consensus label has (cleanlab's A.3 notice).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> ann = Annotations.build(*encode_annotations(np.array([[0, 2], [1, 1]])), 3)
    >>> lost_classes(ann, np.array([0, 1]))
    [2]
    """
    used = ann.counts.sum(axis=0) > 0
    used[np.unique(consensus)] = False
    return np.flatnonzero(used).tolist()
