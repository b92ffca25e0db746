"""Multi-label inputs: list-of-lists labels to an (n, K) 0/1 matrix, and the input checks.

SPEC-multi B.0/B.1. ``K`` always comes from ``pred_probs`` (classes never annotated are
"absent" classes). Unlike cleanlab, which silently drops class indices outside ``0..K-1``
with a warning on some paths, pdclean rejects them: an unknown tag is a bug in the caller's
encoding, not something to ignore.
"""

from __future__ import annotations

import array
import contextlib
import itertools

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "check_indicator",
    "check_pred_probs",
    "check_strict_format",
    "labels_to_indicator",
]

FUZZ = 1e-6
"""Slack of cleanlab's probability range check (SPEC 1.1)."""

_FORMAT_FIX = "labels must be a list with one list of class indices per row, e.g. [[0, 2], [], [1]]"


def _row_lengths(labels) -> np.ndarray:
    try:
        return np.fromiter(map(len, labels), dtype=np.int64, count=len(labels))
    except TypeError:
        bad = next(x for x in labels if not hasattr(x, "__len__") or isinstance(x, str))
        raise InputTypeError(
            f"{_FORMAT_FIX}; got an element {bad!r} of type {type(bad).__name__}. Wrap single "
            "labels in a list ([[3], [1]] rather than [3, 1])."
        ) from None


def _is_bool(x) -> bool:
    return isinstance(x, (bool, np.bool_))


def _is_code(x) -> bool:
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.integer, np.floating)):
        return False
    return bool(np.isfinite(x)) and float(x) == round(float(x))


def _flat_codes(labels) -> np.ndarray:
    flat = list(itertools.chain.from_iterable(labels))
    with contextlib.suppress(TypeError, OverflowError):  # fast path: Python / numpy ints
        codes = np.frombuffer(array.array("q", flat), dtype=np.int64)
        # booleans pass as 0 / 1: look for them only when every code is 0 or 1
        if not (codes.size and codes.max() <= 1 and any(map(_is_bool, flat))):
            return codes
    numeric = (int, float, np.integer, np.floating)
    types = set(map(type, flat))
    if all(issubclass(t, numeric) and not issubclass(t, (bool, np.bool_)) for t in types):
        values = np.array(flat, dtype=np.float64)
        if np.all(values == np.round(values)):  # integral floats (2.0) are class 2
            return np.where(np.abs(values) < 2**53, values, -1).astype(np.int64)
    bad = next(x for x in flat if not _is_code(x))
    raise InputTypeError(
        f"labels must hold integer class indices 0..K-1; got {bad!r} of type "
        f"{type(bad).__name__}. Encode class names as integer codes first."
    )


def labels_to_indicator(labels, n_classes: int) -> np.ndarray:
    """Convert list-of-lists labels to a boolean indicator matrix of shape (n, n_classes).

    Parameters
    ----------
    labels : list of list of int
        ``labels[i]`` holds the class indices of row ``i`` (any order; duplicates allowed;
        may be empty). Tuples, sets and 1-D integer arrays are accepted as rows.
    n_classes : int
        Number of classes K (the number of pred_probs columns).

    Returns
    -------
    ndarray of bool, shape (n, n_classes)

    Examples
    --------
    >>> labels_to_indicator([[0, 2], [], [1, 1]], 3).astype(int).tolist()
    [[1, 0, 1], [0, 0, 0], [0, 1, 0]]
    """
    if isinstance(labels, (str, bytes, dict)) or not hasattr(labels, "__len__"):
        raise InputTypeError(f"{_FORMAT_FIX}; got {type(labels).__name__}: {labels!r:.80}.")
    if isinstance(labels, np.ndarray) and labels.ndim != 1:
        raise InputTypeError(
            f"{_FORMAT_FIX}; got a {labels.ndim}-D array of shape {labels.shape}. For a 0/1 "
            "indicator matrix use pdclean.core.multilabel directly, or convert it with "
            "[list(np.flatnonzero(row)) for row in matrix]."
        )
    lengths = _row_lengths(labels)
    codes = _flat_codes(labels)
    bad = (codes < 0) | (codes >= n_classes)
    if bad.any():
        unknown = sorted(set(codes[bad].tolist()))
        raise InputError(
            f"labels contain class indices {unknown[:10]!r} outside 0..{n_classes - 1} "
            f"(pred_probs has {n_classes} columns). Give pred_probs one column per class, or "
            "remove the unknown class indices."
        )
    out = np.zeros((lengths.size, n_classes), dtype=bool)
    out.ravel()[np.repeat(np.arange(lengths.size) * n_classes, lengths) + codes] = True
    return out


def check_pred_probs(pred_probs, n_rows: int | None = None) -> np.ndarray:
    """pred_probs as a float64 (n, K) array with values in [0, 1] (within 1e-6).

    Rows need not sum to 1: each column is an independent probability.

    Examples
    --------
    >>> check_pred_probs([[0.2, 0.9]], 1).dtype
    dtype('float64')
    """
    try:
        probs = np.asarray(pred_probs, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputTypeError(
            f"pred_probs must be a numeric (n, K) array; got {type(pred_probs).__name__}."
        ) from None
    if probs.ndim != 2:
        raise InputError(
            f"pred_probs must be a 2-D array of shape (n_examples, n_classes); got shape "
            f"{probs.shape}."
        )
    if n_rows is not None and probs.shape[0] != n_rows:
        raise InputError(
            f"pred_probs and labels must have the same length; got {probs.shape[0]} rows of "
            f"pred_probs for {n_rows} labels. Pass one pred_probs row per example."
        )
    if not np.all((probs >= -FUZZ) & (probs <= 1 + FUZZ)):
        bad = probs[~((probs >= -FUZZ) & (probs <= 1 + FUZZ))][:5].tolist()
        raise InputError(
            f"pred_probs values must be probabilities in [0, 1] (NaN not allowed); got {bad!r}."
        )
    return np.ascontiguousarray(probs)


def check_indicator(labels, n_classes: int) -> np.ndarray:
    """A 0/1 (n, K) indicator matrix as bool, checked (the engine's own label format).

    Examples
    --------
    >>> check_indicator([[1, 0], [0, 1]], 2).tolist()
    [[True, False], [False, True]]
    """
    y = np.asarray(labels)
    if y.ndim != 2 or y.shape[1] != n_classes:
        raise InputError(
            f"labels must be an (n, {n_classes}) 0/1 matrix, one column per pred_probs column; "
            f"got shape {y.shape}."
        )
    if y.dtype != bool and not np.isin(y, (0, 1)).all():
        raise InputError(
            f"labels must be a 0/1 matrix; got values {np.unique(y)[:5].tolist()!r}. Use 1 "
            "for 'class annotated' and 0 otherwise."
        )
    return y.astype(bool, copy=False)


def check_strict_format(y: np.ndarray) -> None:
    """cleanlab's "strict multi-label format" check before aggregating scores (B.1).

    Needs K >= 2 and both a 0 and a 1 somewhere in the indicator matrix.

    Examples
    --------
    >>> check_strict_format(np.array([[True, False]]))
    """
    if y.ndim != 2 or y.shape[1] < 2 or y.size == 0 or y.all() or not y.any():
        raise InputError(
            "labels must be in multi-label format for aggregated scores: at least 2 classes, "
            f"some class annotated somewhere and some class missing somewhere; got {y.shape[0]} "
            f"rows x {y.shape[1]} classes with {int(y.sum())} annotations. (cleanlab raises "
            "'Labels must be in multi-label format.' here too.)"
        )
