"""Plots of pdclean results (matplotlib, an optional extra: ``pip install 'pdclean[plot]'``).

The public, cleanlab-compatible path of :mod:`pdclean.plot` (where the implementation lives).
"""

from __future__ import annotations

from pdclean.report.plots import (
    plot_class_quality,
    plot_label_issues,
    plot_matrix,
)
from pdclean.report.summary_chart import plot_audit_summary

__all__ = [
    "plot_audit_summary",
    "plot_class_quality",
    "plot_label_issues",
    "plot_matrix",
]
