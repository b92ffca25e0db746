"""Label quality scores: how likely each given label is to be correct (low = suspicious).

The public, cleanlab-compatible path of :mod:`pdclean.rank` (where the implementation lives).
"""

from __future__ import annotations

from pdclean.core.rank import (
    find_top_issues,
    get_confidence_weighted_entropy_for_each_label,
    get_label_quality_ensemble_scores,
    get_label_quality_scores,
    get_normalized_margin_for_each_label,
    get_self_confidence_for_each_label,
    order_label_issues,
)

__all__ = [
    "find_top_issues",
    "get_confidence_weighted_entropy_for_each_label",
    "get_label_quality_ensemble_scores",
    "get_label_quality_scores",
    "get_normalized_margin_for_each_label",
    "get_self_confidence_for_each_label",
    "order_label_issues",
]
