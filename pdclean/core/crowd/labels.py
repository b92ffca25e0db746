"""The (n, m) annotation matrix: validation, integer codes, vote counts, packed distributions.

An annotation matrix has one row per example and one column per annotator; a cell holds the
class code (0..K-1) that annotator gave the example, or NaN where the annotator did not label
it. The engine works on two arrays derived from it: ``codes`` (int64, -1 where missing) and
``mask`` (bool, True where labelled).

The checks and their order follow cleanlab 2.9's ``validate_ma`` (SPEC-multi A.2); the
messages are pdclean's (argument, value received, fix). An annotator column with no label at
all is rejected, as cleanlab does (its issue #1156): the numpy module mirrors cleanlab, and a
frame face should drop such columns itself (and say so) before calling the engine.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "MISSING",
    "Annotations",
    "check_annotations",
    "check_crowd_pred_probs",
    "encode_annotations",
    "packed_distribution",
    "vote_counts",
    "warn_if_no_agreement",
]

MISSING = -1
"""The code of a missing cell in ``codes``."""

SHOWN = 10
"""How many offending rows or annotators an error message lists."""


@dataclass(frozen=True)
class Annotations:
    """A checked annotation matrix and the per-row facts every statistic uses.

    Attributes
    ----------
    codes : ndarray of int64, shape (n, m)
        Class codes, -1 where missing.
    mask : ndarray of bool, shape (n, m)
        True where labelled.
    counts : ndarray of int64, shape (n, K)
        Vote counts (:func:`vote_counts`).
    num_annotations : ndarray of int64, shape (n,)
        Labels per row.
    multi : ndarray of bool, shape (n,)
        Rows with at least two labels (cleanlab's "multiply annotated" examples).
    rows, cols, given : ndarray of int64, shape (number of labels,)
        The labelled cells in row-major order: row, annotator and class of each label.
    """

    codes: np.ndarray
    mask: np.ndarray
    counts: np.ndarray
    num_annotations: np.ndarray
    multi: np.ndarray
    rows: np.ndarray
    cols: np.ndarray
    given: np.ndarray

    @classmethod
    def build(cls, codes: np.ndarray, mask: np.ndarray, num_classes: int) -> Annotations:
        """Derive the counts from ``codes`` and ``mask`` (from :func:`encode_annotations`).

        Examples
        --------
        >>> ann = Annotations.build(*encode_annotations(np.array([[0, 1], [1, np.nan]])), 2)
        >>> ann.counts.tolist(), ann.num_annotations.tolist(), ann.num_classes
        ([[1, 1], [0, 1]], [2, 1], 2)
        """
        per_row = mask.sum(axis=1).astype(np.int64)
        rows, cols = np.nonzero(mask)
        given = codes[rows, cols]
        size = len(codes) * num_classes
        counts = np.bincount(rows * num_classes + given, minlength=size)
        counts = counts.reshape(len(codes), num_classes)
        return cls(codes, mask, counts, per_row, per_row >= 2, rows, cols, given)

    @property
    def num_classes(self) -> int:
        """K."""
        return self.counts.shape[1]

    @property
    def num_annotators(self) -> int:
        """m."""
        return self.codes.shape[1]


def encode_annotations(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Check the values of an annotation matrix and return ``(codes, mask)``.

    Parameters
    ----------
    labels : ndarray, shape (n, m)
        Class codes 0..K-1 as numbers, NaN where an annotator did not label an example.

    Returns
    -------
    codes : ndarray of int64, shape (n, m)
        The class codes, :data:`MISSING` (-1) in missing cells.
    mask : ndarray of bool, shape (n, m)
        True where a label was given.

    Examples
    --------
    >>> codes, mask = encode_annotations(np.array([[0, np.nan], [1, 1]]))
    >>> codes.tolist(), mask.tolist()
    ([[0, -1], [1, 1]], [[True, False], [True, True]])
    """
    check_shape(labels)
    values = check_no_strings(labels)
    mask = ~np.isnan(values)
    given = values[mask]
    bad = given[given != np.floor(given)]
    if bad.size:
        raise InputError(
            "labels_multiannotator must hold integer class codes 0..K-1 (NaN where missing); "
            f"got the non-integral value {float(bad[0])!r}. Encode the classes as integers."
        )
    if given.size and given.min() < 0:
        raise InputError(
            "labels_multiannotator must hold class codes 0..K-1 (NaN where missing); got the "
            f"negative value {float(given.min())!r}. Encode the classes as 0..K-1."
        )
    codes = np.full(values.shape, MISSING, dtype=np.int64)
    codes[mask] = given
    return codes, mask


def check_shape(labels: np.ndarray) -> None:
    """Raise unless ``labels`` is 2-D (A.2 check 1)."""
    if np.ndim(labels) != 2:
        raise InputError(
            "labels_multiannotator must be a 2-D array, one row per example and one column per "
            f"annotator; got an array of shape {np.shape(labels)}. Reshape it (one column per "
            "annotator)."
        )


def check_no_strings(labels: np.ndarray) -> np.ndarray:
    """The matrix as float64; strings raise (A.2 check 2)."""
    arr = np.asarray(labels)
    if arr.dtype.kind in "USO":
        strings = [x for x in arr.ravel() if isinstance(x, (str, np.str_))]
        if strings:
            raise InputError(
                "labels_multiannotator must hold integer class codes 0..K-1, not strings; got "
                f"{strings[0]!r}. Encode the labels first (e.g. pandas.factorize), or use "
                "df.clean.consensus, which takes labels of any dtype."
            )
    try:
        return np.asarray(arr, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputTypeError(
            "labels_multiannotator must hold numbers (class codes, NaN where missing); got "
            f"values of dtype {arr.dtype} that do not convert to float ({exc}). Encode them."
        ) from None


def check_annotations(
    mask: np.ndarray,
    codes: np.ndarray,
    *,
    allow_single_label: bool = False,
    annotator_ids: Sequence | None = None,
    warn_disagreement: bool = True,
) -> None:
    """Raise on rows or annotators without labels, and on matrices with nothing to compare.

    A.2 checks 3-5: a row nobody labelled, an annotator who labelled nothing, and (unless
    ``allow_single_label``) a single annotator column or every row labelled once. Warns
    (``UserWarning``) when no two annotators of any example agree (unless
    ``warn_disagreement`` is False: the caller then calls :func:`warn_if_no_agreement`).

    Examples
    --------
    >>> codes, mask = encode_annotations(np.array([[0.0, np.nan], [np.nan, np.nan]]))
    >>> check_annotations(mask, codes)
    Traceback (most recent call last):
    ...
    pdclean.errors.InputError: labels_multiannotator has 1 row(s) that no annotator labelled...
    """
    per_row = mask.sum(axis=1)
    empty_rows = np.flatnonzero(per_row == 0)
    if empty_rows.size:
        raise InputError(
            f"labels_multiannotator has {empty_rows.size} row(s) that no annotator labelled: "
            f"rows {empty_rows[:SHOWN].tolist()} (positions). Every example needs at least one "
            "label: drop these rows first."
        )
    empty_cols = np.flatnonzero(~mask.any(axis=0))
    if empty_cols.size:
        ids = list(range(mask.shape[1])) if annotator_ids is None else list(annotator_ids)
        raise InputError(
            f"labels_multiannotator has {empty_cols.size} annotator(s) who labelled no example: "
            f"{[ids[j] for j in empty_cols[:SHOWN]]}. Drop these annotator columns first."
        )
    if allow_single_label:
        return
    if mask.shape[1] <= 1:
        raise InputError(
            "labels_multiannotator must have more than one annotator column; got "
            f"{mask.shape[1]}. With a single annotator use pdclean.rank.get_label_quality_scores."
        )
    if (per_row == 1).all():
        raise InputError(
            "labels_multiannotator has exactly one label in every row; there is nothing to "
            "compare. Collapse it to one label per row and use "
            "pdclean.rank.get_label_quality_scores."
        )
    if warn_disagreement:
        warn_if_no_agreement(vote_counts(codes, mask, int(codes.max()) + 1))


def warn_if_no_agreement(counts: np.ndarray) -> None:
    """``UserWarning`` when no class was chosen twice for any example (A.2 check 5c)."""
    if counts.max() < 2:
        warnings.warn("Annotators do not agree on any example. Check input data.", stacklevel=4)


def check_crowd_pred_probs(
    pred_probs, num_rows: int, max_label: int, *, ensemble: bool = False
) -> np.ndarray:
    """Check pred_probs against the annotation matrix (A.2 checks 7-10); return it as float64.

    ``pred_probs`` is (n, K), or (E, n, K) when ``ensemble``.

    Examples
    --------
    >>> check_crowd_pred_probs(np.array([[0.5, 0.5]]), 1, 1).shape
    (1, 2)
    """
    if not isinstance(pred_probs, np.ndarray):
        raise InputTypeError(
            f"pred_probs must be a numpy ndarray; got {type(pred_probs).__name__}. Convert it "
            "with np.asarray(pred_probs)."
        )
    want, name = (3, "(E, n, K): one (n, K) matrix per model") if ensemble else (2, "(n, K)")
    if pred_probs.ndim != want:
        hint = {
            (False, 3): " For one matrix per model use the ensemble version of this function.",
            (True, 2): " For a single model use the non-ensemble version of this function.",
        }.get((ensemble, pred_probs.ndim), "")
        raise InputError(
            f"pred_probs must be a {want}-D array {name}; got shape {pred_probs.shape}.{hint}"
        )
    rows = pred_probs.shape[-2]
    if rows != num_rows:
        raise InputError(
            f"pred_probs has {rows} rows but labels_multiannotator has {num_rows}; both must "
            "describe the same examples, in the same order."
        )
    if pred_probs.shape[-1] < max_label + 1:
        raise InputError(
            f"pred_probs has {pred_probs.shape[-1]} columns but labels_multiannotator contains "
            f"the class {max_label}; pred_probs needs at least {max_label + 1} columns, one per "
            "class. (Perhaps some rarely annotated classes were lost from the consensus labels "
            "your classifier was trained on.)"
        )
    return np.asarray(pred_probs, dtype=np.float64)


def vote_counts(codes: np.ndarray, mask: np.ndarray, num_classes: int) -> np.ndarray:
    """``V[i, k]``: how many annotators gave example i the class k (int64, (n, K)).

    Examples
    --------
    >>> codes, mask = encode_annotations(np.array([[0, 1, 1], [2, np.nan, 2]]))
    >>> vote_counts(codes, mask, 3).tolist()
    [[1, 2, 0], [0, 0, 2]]
    """
    n = codes.shape[0]
    rows, cols = np.nonzero(mask)
    flat = rows * num_classes + codes[rows, cols]
    return np.bincount(flat, minlength=n * num_classes).reshape(n, num_classes)


def packed_distribution(counts: np.ndarray) -> np.ndarray:
    """cleanlab's "packed" empirical label distribution (SPEC-multi A.5.1, mirrored quirk).

    Row i holds the counts of the distinct labels of example i, in ascending class order,
    written to positions 0..d-1 (d = number of distinct labels) and divided by the number of
    labels. When every class occurs (d = K) this is the correct distribution; otherwise the
    counts sit in the wrong columns. cleanlab 2.9 computes it this way because it counts the
    labels of a float (NaN-capable) matrix; the temperature search (A.5.3) and the
    ``"agreement"`` quality method (A.6.3) use it, so parity needs it too.

    Examples
    --------
    >>> packed_distribution(np.array([[0, 0, 2], [1, 0, 2], [1, 1, 1]])).round(3).tolist()
    [[1.0, 0.0, 0.0], [0.333, 0.667, 0.0], [0.333, 0.333, 0.333]]
    """
    present = counts > 0
    position = np.cumsum(present, axis=1) - 1
    packed = np.zeros(counts.shape, dtype=np.float64)
    rows, cols = np.nonzero(present)
    packed[rows, position[rows, cols]] = counts[rows, cols]
    return packed / counts.sum(axis=1, keepdims=True)
