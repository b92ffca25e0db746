"""Several annotators per example: consensus labels, their quality, annotator quality, ActiveLab.

The numpy engine of :mod:`pdclean.multiannotator` (and of the frame face to come). Labels are an
(n, m) matrix of class codes 0..K-1 with NaN where an annotator did not label an example; the
results are arrays. It mirrors cleanlab 2.9 (SPEC-multi part A), quirks included, and never
imports pandas.
"""

from pdclean.core.crowd.active import active_learning_scores, active_learning_scores_ensemble
from pdclean.core.crowd.consensus import (
    CONSENSUS_METHODS,
    ConsensusMethod,
    calibrate,
    ensemble_consensus,
    lost_classes,
    multi_consensus,
    summarise,
)
from pdclean.core.crowd.inputs import (
    check_active_inputs,
    check_option,
    require,
    score_keywords,
    validated_annotations,
)
from pdclean.core.crowd.labels import (
    Annotations,
    check_annotations,
    check_crowd_pred_probs,
    encode_annotations,
)
from pdclean.core.crowd.quality import QUALITY_METHODS, ConsensusStats, QualityMethod
from pdclean.core.crowd.temperature import best_temperature, temp_scale
from pdclean.core.crowd.vote import majority_vote

__all__ = [
    "CONSENSUS_METHODS",
    "QUALITY_METHODS",
    "Annotations",
    "ConsensusMethod",
    "ConsensusStats",
    "QualityMethod",
    "active_learning_scores",
    "active_learning_scores_ensemble",
    "best_temperature",
    "calibrate",
    "check_active_inputs",
    "check_annotations",
    "check_crowd_pred_probs",
    "check_option",
    "encode_annotations",
    "ensemble_consensus",
    "lost_classes",
    "majority_vote",
    "multi_consensus",
    "require",
    "score_keywords",
    "summarise",
    "temp_scale",
    "validated_annotations",
]
