"""The multi-label engine (numpy only): one-vs-rest confident learning on an (n, K) 0/1 matrix.

Modules, one job each:

* ``labels``: list-of-lists labels to an (n, K) indicator, and the input checks;
* ``binary``: the K one-vs-rest problems and their confident joints, computed together;
* ``prune``: prune counts and the prune masks;
* ``scores``: per-class label quality scores;
* ``aggregate``: row scores from per-class scores (exponential moving average, softmin);
* ``issues``: per-class and per-row label issues (every filter_by);
* ``stats``: the dataset tables (common issues, classes by label quality).

The cleanlab-compatible public face is :mod:`pdclean.multilabel_classification`.
"""

from pdclean.core.multilabel.aggregate import aggregate, exponential_moving_average, softmin
from pdclean.core.multilabel.issues import (
    FILTER_BY,
    aggregated_scores,
    class_issue_masks,
    find_issues,
    rank_class_issues,
)
from pdclean.core.multilabel.labels import (
    check_indicator,
    check_pred_probs,
    check_strict_format,
    labels_to_indicator,
)
from pdclean.core.multilabel.scores import SCORE_METHODS, class_scores
from pdclean.core.multilabel.stats import class_quality_table, common_issues_table

__all__ = [
    "FILTER_BY",
    "SCORE_METHODS",
    "aggregate",
    "aggregated_scores",
    "check_indicator",
    "check_pred_probs",
    "check_strict_format",
    "class_issue_masks",
    "class_quality_table",
    "class_scores",
    "common_issues_table",
    "exponential_moving_average",
    "find_issues",
    "labels_to_indicator",
    "rank_class_issues",
    "softmin",
]
