"""Per-row results back on the caller's index: nullable where a label is missing.

The frame functions compute on the labelled rows only; these helpers put the results on
``df.index`` in ``df``'s order (``<NA>`` in nullable ``boolean`` / ``Float64`` columns for rows
without a label) and give class codes back in the label column's dtype.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError
from pdclean.frame.resolve import ResolvedInput

__all__ = ["bool_column", "counts_per_class", "float_column", "label_values", "scatter_rows"]


def scatter_rows(r: ResolvedInput, values: np.ndarray, fill: Any) -> np.ndarray:
    """Full-length array: ``values`` on labelled rows, ``fill`` elsewhere."""
    out = np.full((r.has_label.size, *values.shape[1:]), fill, dtype=values.dtype)
    out[r.has_label] = values
    return out


def bool_column(r: ResolvedInput, values: np.ndarray, name: str) -> pd.Series:
    if not r.all_labelled:
        values = pd.arrays.BooleanArray(scatter_rows(r, values, False), ~r.has_label)
    return pd.Series(values, index=r.index, name=name, copy=False)


def float_column(r: ResolvedInput, values: np.ndarray, name: str) -> pd.Series:
    if not r.all_labelled:
        values = pd.arrays.FloatingArray(scatter_rows(r, values, np.nan), ~r.has_label)
    return pd.Series(values, index=r.index, name=name, copy=False)


def label_values(r: ResolvedInput, codes: np.ndarray, name: str) -> pd.Series:
    """Class values of ``codes`` (labelled rows) in the label column's dtype, on df.index."""
    values = r.class_values(codes if r.all_labelled else scatter_rows(r, codes, -1))
    return pd.Series(values, index=r.index, dtype=r.labels.dtype, name=name, copy=False)


def counts_per_class(r: ResolvedInput, name: str, counts: Any) -> list[int] | None:
    """``num_to_remove_per_class`` as one count per class, in class order."""
    if counts is None or not isinstance(counts, Mapping):
        return counts
    names = r.class_names
    unknown = [c for c in counts if c not in names]
    if unknown:
        raise InputError(
            f"{name} names unknown classes {unknown!r}; the classes are {names.tolist()!r}."
        )
    return [int(counts.get(c, 0)) for c in names]
