"""Data checks of ``df.clean.audit()`` (numpy level; one module per check).

Importing this package registers every check in :data:`pdclean.checks.base.registry`.
"""

from __future__ import annotations

from pdclean.checks import (  # noqa: F401  (imported to register the checks)
    class_imbalance,
    conflicting_labels,
    exact_duplicate,
    label,
    near_duplicate,
    non_iid,
    null,
    outlier,
    underperforming_group,
)
from pdclean.checks.base import CheckResult, register_check, registry
from pdclean.checks.runner import AuditRun, run_audit
from pdclean.neighbors.graph import KnnGraph, build_knn_graph

__all__ = [
    "AuditRun",
    "CheckResult",
    "KnnGraph",
    "build_knn_graph",
    "register_check",
    "registry",
    "run_audit",
]
