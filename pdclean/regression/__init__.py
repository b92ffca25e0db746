"""Numeric targets, cleanlab's names: ``rank.get_label_quality_scores``, ``learn.CleanLearning``.

Migrating from ``cleanlab.regression`` is changing the import; see SPEC R1 and R3 for the
behaviour and :mod:`pdclean.learning.regression` for the (documented) differences.
"""

from pdclean.regression import learn, rank

__all__ = ["learn", "rank"]
