"""Finding label issues: which examples are likely mislabeled (SPEC 5).

The public, cleanlab-compatible path of :mod:`pdclean.filter` (where the implementation lives).
"""

from __future__ import annotations

from pdclean.core.filter import (
    FILTER_BY,
    find_label_issues,
    find_label_issues_using_argmax_confusion_matrix,
    find_predicted_neq_given,
)

__all__ = [
    "FILTER_BY",
    "find_label_issues",
    "find_label_issues_using_argmax_confusion_matrix",
    "find_predicted_neq_given",
]
