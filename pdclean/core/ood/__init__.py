"""Out-of-distribution scores of rows (cleanlab 2.9's OutOfDistribution, numpy engine).

Two sibling paths: ``features`` (mean distance to the k nearest reference rows, turned into a
score by :mod:`~pdclean.core.ood.transform`) and ``pred_probs`` (confidence of the model,
optionally adjusted by per-class confident thresholds).
"""

from pdclean.core.ood.features import fit_features, score_features
from pdclean.core.ood.pred_probs import (
    OOD_METHODS,
    OodMethod,
    adjust_pred_probs,
    confident_thresholds,
    ood_pred_scores,
)
from pdclean.core.ood.transform import average_distance, distance_scores, learn_scale

__all__ = [
    "OOD_METHODS",
    "OodMethod",
    "adjust_pred_probs",
    "average_distance",
    "confident_thresholds",
    "distance_scores",
    "fit_features",
    "learn_scale",
    "ood_pred_scores",
    "score_features",
]
