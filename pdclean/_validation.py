"""Validation of the numpy-level inputs: integer labels and a pred_probs matrix.

The numpy-level functions (``pdclean.count``, ``filter``, ``rank``, ``dataset``) validate their
inputs here, once, at the public boundary, and call private implementations with the checked
arrays. Messages name the argument, show what was received and say how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

import numpy as np

from pdclean._blocks import block_rows, iter_blocks
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "ROW_SUM_TOLERANCE",
    "Problem",
    "check_choice",
    "check_labels",
    "check_pred_probs",
    "check_problem",
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
        _check_probability_rows(arr, name)
    return arr


def class_code_dtype(n_classes: int) -> np.dtype:
    """The narrowest signed integer type holding class codes 0..K-1 and -1 (saves memory)."""
    return np.dtype(np.int16 if n_classes < 2**15 else np.int32)


def _check_probability_rows(
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


class Problem:
    """A validated (labels, pred_probs) pair and the per-class facts every algorithm needs.

    Derived values are computed once, on first use.
    """

    def __init__(self, labels, pred_probs, self_confidence, argmax, row_max):
        self.labels = labels
        self.pred_probs = pred_probs
        self.self_confidence = self_confidence  #: pred_probs[i, labels[i]]
        self.argmax = argmax  #: first index of each row's maximum (the predicted label)
        self.row_max = row_max  #: each row's maximum
        self.n, self.n_classes = pred_probs.shape

    def __iter__(self):
        """Unpack as ``labels, pred_probs``."""
        return iter((self.labels, self.pred_probs))

    @cached_property
    def class_counts(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.n_classes)

    @cached_property
    def grouping(self) -> tuple[np.ndarray, np.ndarray]:
        """``(order, starts)``: rows of class k are ``order[starts[k]:starts[k + 1]]``."""
        from pdclean._stats import class_order

        return class_order(self.labels, self.n_classes)

    @cached_property
    def thresholds(self) -> np.ndarray:
        from pdclean._stats import thresholds_from_self_confidence

        return thresholds_from_self_confidence(self.self_confidence, *self.grouping)

    def confident_pass(self, thresholds=None) -> np.ndarray:
        """Guessed true labels from ``thresholds`` (default: the per-class thresholds, cached)."""
        from pdclean._stats import confident_pass

        if thresholds is None:
            return self.guess
        return confident_pass(self.pred_probs, thresholds, self.argmax, self.row_max)

    @cached_property
    def guess(self) -> np.ndarray:
        """Guessed true label per row from the default thresholds (-1: none confident)."""
        from pdclean._stats import confident_pass

        return confident_pass(self.pred_probs, self.thresholds, self.argmax, self.row_max)

    @cached_property
    def runners_up(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(rows, second, second_class)`` of the rows whose argmax is not the given label."""
        from pdclean._sweep import runners_up

        return runners_up(self.pred_probs, self.labels, self.argmax)

    @cached_property
    def label_is_top(self) -> np.ndarray:
        """Per row: is the given label the argmax once it gets a 1e-6 bonus (the guard)?"""
        from pdclean._stats import label_is_top

        return label_is_top(self)


def check_problem(
    labels: Any,
    pred_probs: Any,
    *,
    min_classes: int = 2,
    allow_single_zero: bool = False,
    runners_up: bool = False,
) -> Problem:
    """Validate a (labels, pred_probs) pair into a :class:`Problem`.

    ``min_classes`` distinct labels are required, except that ``allow_single_zero`` accepts
    labels that are all 0 (as the reference's filter does). ``runners_up`` computes
    :attr:`Problem.runners_up` in the validation pass (the same result as on demand; the
    matrix is read once instead of twice).
    """
    y = check_labels(labels)
    probs = check_pred_probs(pred_probs, n_rows=y.size, check_rows=False)
    k = probs.shape[1]
    top = int(y.max())
    if top >= k:
        raise InputError(
            f"labels must be class indices 0..{k - 1} for pred_probs with {k} columns; got "
            f"the label {top}. Give pred_probs one column per class (at least {top + 1})."
        )
    if runners_up:
        problem = _swept_problem(y, probs)
    else:
        problem = Problem(y, probs, *_check_probability_rows(probs, "pred_probs", y))
    if min_classes > 1:
        present = np.count_nonzero(problem.class_counts)
        single_zero_ok = allow_single_zero and top == 0
        if present < min_classes and not single_zero_ok:
            raise InputError(
                f"labels must contain at least {min_classes} classes; got {present} "
                f"distinct value(s). Label quality needs examples of several classes."
            )
    return problem


def _swept_problem(y: np.ndarray, probs: np.ndarray) -> Problem:
    """Validate and take the runners-up in the same pass (see :mod:`pdclean._sweep`)."""
    from pdclean._sweep import BlockFacts

    facts = BlockFacts(y)
    problem = Problem(y, probs, *_check_probability_rows(probs, "pred_probs", y, facts))
    problem.__dict__["runners_up"] = facts.runners_up(problem.argmax.dtype)  # cached property
    return problem
