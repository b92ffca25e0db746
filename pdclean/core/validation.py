"""Validation of the numpy-level inputs: integer labels and a pred_probs matrix.

The numpy-level functions (``pdclean.count``, ``filter``, ``rank``, ``dataset``) validate their
inputs here, once, at the public boundary, and call private implementations with the checked
arrays. Messages name the argument, show what was received and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from pdclean.core.blocks import block_rows, iter_blocks
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "ROW_SUM_TOLERANCE",
    "check_choice",
    "check_labels",
    "check_pred_probs",
    "check_probability_rows",
]

#: Largest allowed deviation of a pred_probs row sum from 1.
ROW_SUM_TOLERANCE = 1e-4
#: Slack on the [0, 1] range of a probability (the reference's fuzzy compare).
RANGE_TOLERANCE = 1e-6


def check_choice(name: str, value: Any, valid: Iterable[str]) -> str:
    """Raise an `InputError` unless ``value`` is one of ``valid``."""
    valid = tuple(valid)
    if not isinstance(value, str) or value not in valid:
        raise InputError(
            f"{name} must be one of {', '.join(repr(v) for v in valid)}; got {value!r}."
        )
    return value


def check_labels(labels: Any, *, name: str = "labels") -> np.ndarray:
    """Return ``labels`` as a 1-D int64 array of class indices (>= 0), or raise.

    Accepts lists, tuples, numpy arrays (any integer dtype, bool, integral floats) and
    pandas Series of integers.
    """
    if labels is None or isinstance(labels, (str, bytes, dict, set)):
        raise InputTypeError(
            f"{name} must be a 1-D array-like of integer class indices 0..K-1; got "
            f"{type(labels).__name__}. Pass e.g. a numpy array of ints "
            "(encode string classes first, or use the DataFrame accessor df.clean)."
        )
    arr = np.asarray(labels)
    if arr.ndim == 2 and 1 in arr.shape and arr.size > 1:
        raise InputError(
            f"{name} must be 1-D; got shape {arr.shape}. Flatten it with np.ravel({name})."
        )
    if arr.ndim != 1:
        raise InputError(f"{name} must be 1-D; got an array of shape {arr.shape}.")
    if arr.size == 0:
        raise InputError(f"{name} is empty: pass at least one labelled example.")
    return _as_int_codes(arr, name)


def _as_int_codes(arr: np.ndarray, name: str) -> np.ndarray:
    kind = arr.dtype.kind
    if kind in "iu":
        codes = arr.astype(np.int64, copy=False)
    elif kind == "b":
        codes = arr.astype(np.int64)
    elif kind == "f":
        if not np.isfinite(arr).all():
            raise InputError(
                f"{name} contains NaN or infinite values; every example needs an integer "
                "class index 0..K-1 (drop or impute rows with a missing label)."
            )
        if (arr != np.floor(arr)).any():
            bad = arr[arr != np.floor(arr)][0]
            raise InputError(
                f"{name} must hold integer class indices 0..K-1; got the non-integral "
                f"value {bad!r}."
            )
        codes = arr.astype(np.int64)
    else:
        raise InputError(
            f"{name} must hold integer class indices 0..K-1, not {arr.dtype} values "
            f"(first: {arr[0]!r}). Encode the classes as integers first (e.g. with "
            "pandas.factorize), or use the DataFrame accessor df.clean, which does it."
        )
    if codes.min() < 0:
        raise InputError(
            f"{name} must hold integer class indices 0..K-1; got the negative value "
            f"{int(codes.min())}."
        )
    return codes


def check_pred_probs(
    pred_probs: Any,
    *,
    name: str = "pred_probs",
    n_rows: int | None = None,
    check_rows: bool = True,
) -> np.ndarray:
    """Return ``pred_probs`` as a float64 C-contiguous (n, K) array of probabilities, or raise.

    No copy is made when the input already is float64 and C-contiguous. Rows must be
    finite, within [0, 1] (1e-6 slack) and sum to 1 within 1e-4.
    """
    if pred_probs is None or isinstance(pred_probs, (str, bytes, dict)):
        raise InputTypeError(
            f"{name} must be a 2-D numeric array of shape (n_examples, n_classes); got "
            f"{type(pred_probs).__name__}."
        )
    if hasattr(pred_probs, "to_numpy"):  # a DataFrame: columns are taken in their order
        pred_probs = pred_probs.to_numpy()
    try:
        arr = np.ascontiguousarray(pred_probs, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(
            f"{name} must be a 2-D numeric array of shape (n_examples, n_classes); it could "
            f"not be converted to float ({exc})."
        ) from None
    if arr.ndim != 2:
        raise InputError(
            f"{name} must be 2-D with shape (n_examples, n_classes); got shape {arr.shape}."
        )
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise InputError(f"{name} is empty (shape {arr.shape}): pass at least one row and class.")
    if n_rows is not None and arr.shape[0] != n_rows:
        raise InputError(
            f"{name} and labels must have the same length; got {arr.shape[0]} rows of "
            f"{name} and {n_rows} labels."
        )
    if check_rows:
        check_probability_rows(arr, name)
    return arr


def class_code_dtype(n_classes: int) -> np.dtype:
    """The narrowest signed integer type holding class codes 0..K-1 and -1 (saves memory)."""
    return np.dtype(np.int16 if n_classes < 2**15 else np.int32)


def check_probability_rows(
    arr: np.ndarray, name: str, labels: np.ndarray | None = None, visit=None
):
    """One blocked pass: finite values, range [0, 1], rows summing to 1.

    With ``labels``, the same pass (the block is in cache then) also returns per-row facts
    that the algorithms need: ``(self_confidence, argmax, row_max)``, and calls
    ``visit(rows, block, argmax, row_max)`` on each block once its values are finite (the
    pass raises before returning if a later check fails). Otherwise None.
    """
    n, k = arr.shape
    rows_out = None
    if labels is not None:
        rows_out = (np.empty(n), np.empty(n, dtype=class_code_dtype(k)), np.empty(n))
    starts = np.arange(min(n, block_rows(k))) * k  # flat offsets of a block's rows
    for rows in iter_blocks(n, k):
        # argmax first: it reads the block from memory; the other reductions find it cached
        block = arr[rows]
        flat, first = block.reshape(-1), starts[: block.shape[0]]
        top = block.argmax(axis=1)
        high = np.take(flat, first + top)
        sums = np.einsum("ij->i", block)
        if not 1.0 - ROW_SUM_TOLERANCE <= sums.min() <= sums.max() <= 1.0 + ROW_SUM_TOLERANCE:
            _raise_bad_block(name, block, high, sums, rows.start)  # NaN and inf included
        if visit is not None:
            visit(rows, block, top, high)
        _check_range(name, block, high)
        if rows_out is not None:
            rows_out[0][rows] = np.take(flat, first + labels[rows])
            rows_out[1][rows] = top
            rows_out[2][rows] = high
    return rows_out


def _check_range(name: str, block: np.ndarray, high: np.ndarray) -> None:
    low, top_value = block.min(), high.max()
    if low < -RANGE_TOLERANCE or top_value > 1 + RANGE_TOLERANCE:
        value = low if low < -RANGE_TOLERANCE else top_value
        raise InputError(
            f"Values in {name} must be between 0 and 1; got {value!r}. Pass "
            "probabilities, e.g. the softmax of logits or a model's predict_proba."
        )


def _raise_bad_block(name: str, block, high, sums: np.ndarray, offset: int) -> None:
    """Raise the first error of a block whose row sums are not all finite and near 1."""
    if not np.isfinite(sums).all():
        bad = offset + int(np.flatnonzero(~np.isfinite(sums))[0])
        raise InputError(
            f"{name} contains NaN or infinite values (first in row {bad}); pass finite "
            "probabilities."
        )
    _check_range(name, block, high)
    bad = int(np.flatnonzero(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE)[0])
    raise InputError(
        f"Rows of {name} must sum to 1 (within {ROW_SUM_TOLERANCE}); row {offset + bad} sums "
        f"to {sums[bad]!r}. Pass probabilities, e.g. the softmax of logits or a model's "
        "predict_proba, not scores or logits."
    )
