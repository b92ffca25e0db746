"""Label issues in multi-label data (each row carries a set of classes), cleanlab-compatible.

The modules keep the names, keywords and defaults of ``cleanlab.multilabel_classification``
(2.9): :mod:`~pdclean.multilabel_classification.filter` (``find_label_issues``,
``find_multilabel_issues_per_class``), :mod:`~pdclean.multilabel_classification.rank`
(``get_label_quality_scores``, ``get_label_quality_scores_per_class``) and
:mod:`~pdclean.multilabel_classification.dataset` (``common_multilabel_issues``,
``rank_classes_by_multilabel_quality``, ``overall_multilabel_health_score``,
``multilabel_health_summary``). Labels are lists of class indices per row; the numpy engine
underneath is :mod:`pdclean.core.multilabel`, which also takes an (n, K) 0/1 matrix.
"""

from pdclean.multilabel_classification import dataset, filter, rank

__all__ = ["dataset", "filter", "rank"]
