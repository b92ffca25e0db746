"""Numeric targets (regression): validation, label quality scores, CleanLearning, a detector.

numpy, SciPy and scikit-learn only (never pandas). Arrays in, arrays out:

* :func:`get_label_quality_scores` - cleanlab-compatible ``outre`` / ``residual`` scores;
* :func:`find_regression_issues` - cleanlab-compatible CleanLearning search (mask, quality,
  out-of-fold predictions, excluded fraction), drawing from a local ``RandomState``;
* :func:`find_target_issues` - pdclean's detector (entry errors, outliers; log/linear robust
  z with a local scale; mask, score, suggested value).
"""

from pdclean.core.regression.detect import TargetIssues, choose_scale, find_target_issues
from pdclean.core.regression.issues import RegressionIssues, find_regression_issues
from pdclean.core.regression.scores import get_label_quality_scores

__all__ = [
    "RegressionIssues",
    "TargetIssues",
    "choose_scale",
    "find_regression_issues",
    "find_target_issues",
    "get_label_quality_scores",
]
