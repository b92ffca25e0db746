"""The default label-error detector (numpy only): ensemble pred_probs plus a neighbour label vote.

Public names: :func:`detect_label_issues` and its result :class:`LabelIssues`,
:func:`neighbor_vote`, :func:`suggestion_confidence`.
"""

from pdclean.core.detect.confidence import suggestion_confidence
from pdclean.core.detect.detector import LabelIssues, detect_label_issues
from pdclean.core.detect.signals import neighbor_vote

__all__ = ["LabelIssues", "detect_label_issues", "neighbor_vote", "suggestion_confidence"]
