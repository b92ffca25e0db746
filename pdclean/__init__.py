"""pdclean: find label errors and other data issues in classification tables, inside pandas.

``import pdclean`` registers the ``DataFrame.clean`` accessor::

    issues = df.clean.find_label_issues("label", pred_probs=P)
    df.clean.health("label", pred_probs=P)

The same operations are plain functions (``pdclean.find_label_issues(df, "label", ...)``),
and the confident-learning algorithms are importable at the numpy level with cleanlab's names:
:mod:`pdclean.count`, :mod:`pdclean.filter`, :mod:`pdclean.rank`, :mod:`pdclean.dataset`,
:mod:`pdclean.noise`.
"""

from __future__ import annotations

import importlib
import logging

from pdclean import (
    count,
    dataset,
    datasets,
    errors,
    filter,
    multiannotator,
    multilabel_classification,
    noise,
    plot,
    rank,
)
from pdclean.accessor import CleanAccessor
from pdclean.dask.lazy import register_when_imported
from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError, PdcleanError
from pdclean.frame.annotators import (
    annotator_stats,
    consensus,
    next_to_label,
    pivot_annotations,
)
from pdclean.frame.audit import audit
from pdclean.frame.issues import (
    NoiseEstimates,
    annotate,
    class_health,
    drop_label_issues,
    find_label_issues,
    health,
    label_quality,
    noise_estimates,
    overlapping_classes,
    pred_probs,
)
from pdclean.frame.noise import inject_label_noise
from pdclean.frame.reference import compare_to_reference

__version__ = "0.1.0"

#: Public modules loaded on first use (they import scikit-learn).
LAZY_MODULES = ("outlier", "regression")

__all__ = [
    "Audit",
    "CleanAccessor",
    "CleanLearning",
    "ColumnNotFoundError",
    "InputError",
    "InputTypeError",
    "NoiseEstimates",
    "PdcleanError",
    "annotate",
    "annotator_stats",
    "audit",
    "class_health",
    "compare_to_reference",
    "consensus",
    "count",
    "dataset",
    "datasets",
    "drop_label_issues",
    "errors",
    "filter",
    "find_label_issues",
    "health",
    "inject_label_noise",
    "label_quality",
    "multiannotator",
    "multilabel_classification",
    "next_to_label",
    "noise",
    "noise_estimates",
    "outlier",
    "overlapping_classes",
    "pivot_annotations",
    "plot",
    "pred_probs",
    "rank",
    "regression",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

# The same .clean accessor on Dask DataFrames: registered when dask.dataframe is imported
# (now if it already is), so that `import pdclean` never pays for importing Dask.
register_when_imported()


def __getattr__(name: str):
    """``Audit``, ``CleanLearning`` and the modules of ``LAZY_MODULES`` load on first use."""
    if name == "Audit":
        from pdclean.frame.audit_result import Audit

        return Audit
    if name in LAZY_MODULES:  # they import scikit-learn
        return importlib.import_module(f"pdclean.{name}")
    if name == "CleanLearning":
        from pdclean.learning.classification import CleanLearning

        return CleanLearning
    raise AttributeError(f"module 'pdclean' has no attribute {name!r}")
