"""Inputs of the Dask accessor's partition tasks: columns, class list, per-partition checks.

:class:`Spec` is the small description of the resolved columns and classes that ships with
every task; :func:`partition_problem` turns one partition into the core's checked problem
(the core's messages, with the partition named).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core.problem import check_problem
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.resolve_checks import column_not_found, has_column, plain_index


@dataclass(frozen=True)
class Spec:
    """Resolved column names and class list (small: shipped with every task)."""

    label: Any
    columns: tuple
    classes: Any
    categorical: bool

    @property
    def class_names(self) -> pd.Index:
        return plain_index(self.classes)


def probability_columns(ddf: Any, pred_probs: Any) -> list:
    if pred_probs is None:
        raise InputError(
            "pred_probs is required on a Dask DataFrame (pdclean does not cross-validate a "
            "model there): pass the names of the pred_probs columns in class order, or their "
            "prefix, e.g. pred_probs='proba_' for columns proba_<class>."
        )
    if isinstance(pred_probs, str):
        columns = [c for c in ddf.columns if isinstance(c, str) and c.startswith(pred_probs)]
        if not columns:
            raise column_not_found("pred_probs column prefix", pred_probs, ddf.columns)
    elif isinstance(pred_probs, (list, tuple, pd.Index)):
        columns = list(pred_probs)
        for name in columns:
            if not has_column(ddf, name):
                raise column_not_found("pred_probs column", name, ddf.columns)
    else:
        raise InputTypeError(
            "pred_probs must be a list of column names (in class order) or a column prefix "
            f"string on a Dask DataFrame; got {type(pred_probs).__name__}."
        )
    not_numeric = [c for c in columns if ddf[c].dtype.kind not in "fiu"]
    if not_numeric:
        raise InputTypeError(
            f"pred_probs columns must be numeric; {not_numeric!r} are not (dtypes "
            f"{[str(ddf[c].dtype) for c in not_numeric]!r}). Pass the probability columns."
        )
    return columns


def match_classes(columns: list, pred_probs: Any, classes: Any) -> tuple:
    """The pred_probs columns in class order (by name after a prefix, else by position)."""
    names = plain_index(classes)
    if isinstance(pred_probs, str):
        by_class = {c[len(pred_probs) :]: c for c in columns}
        missing = [k for k in names if str(k) not in by_class]
        unknown = sorted(set(by_class) - {str(k) for k in names})
        if missing or unknown:
            raise InputError(
                f"pred_probs columns {pred_probs!r}<class> must match the classes "
                f"{names.tolist()!r}; classes without a column: {missing!r}, columns of unknown "
                f"classes: {[pred_probs + u for u in unknown]!r}. Name one column per class."
            )
        return tuple(by_class[str(k)] for k in names)
    if len(columns) != len(names):
        raise InputError(
            f"pred_probs must name one column per class, in class order ({len(names)} "
            f"classes: {names[:10].tolist()!r}); got {len(columns)} columns {columns[:10]!r}."
        )
    return tuple(columns)


# ------------------------------------------------------------------------------ per partition


def _codes(column: pd.Series, spec: Spec) -> np.ndarray:
    """Class index of each label (-1: missing); unknown labels raise."""
    if spec.categorical and column.cat.categories.equals(spec.class_names):
        return column.cat.codes.to_numpy().astype(np.int64)
    codes = spec.class_names.get_indexer(column)
    unknown = (codes < 0) & column.notna().to_numpy()
    if unknown.any():
        raise InputError(
            f"label column {spec.label!r} holds {column[unknown].iloc[0]!r}, not among the "
            f"classes {spec.class_names[:10].tolist()!r} found before: was the data modified?"
        )
    return codes.astype(np.int64, copy=False)


def partition_problem(part: pd.DataFrame, spec: Spec, number: int, thresholds=None):
    """``(has_label, Problem of the labelled rows or None)`` of one partition."""
    codes = _codes(part[spec.label], spec)
    has = codes >= 0
    if not has.any():
        return has, None
    probs = part[list(spec.columns)].to_numpy(dtype=np.float64, na_value=np.nan)
    if not has.all():
        probs, codes = probs[has], codes[has]
    try:
        problem = check_problem(codes, probs, min_classes=1)
    except InputError as exc:
        raise InputError(
            f"{exc} (In partition {number} of the Dask DataFrame; rows counted from 0 within "
            "its labelled rows.)"
        ) from None
    if thresholds is not None:
        problem.thresholds = thresholds  # the global thresholds, not this partition's
    return has, problem
