"""Inputs of CleanLearning: label encoding, argument checks, sample weights, given estimates.

Labels may be any classes (ints, strings, bools, categories): :func:`encode_fit_labels` encodes
them as codes 0..K-1 (the categories in use of a categorical Series, in category order; else
the sorted unique values). Every check raises the package's input errors, naming the argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d, has_fit_parameter

from pdclean.core import rank
from pdclean.core.latent import noise_matrix_from_inv, py_and_inv_from_noise_matrix
from pdclean.errors import InputError, InputTypeError

#: Floor of ``noise_matrix[k, k]`` in the sample weight ``1 / noise_matrix[k, k]``.
MIN_DIAGONAL_FOR_WEIGHT = 1e-3


@dataclass(frozen=True)
class Labels:
    """Encoded labels: codes 0..K-1, class values in code order, dtype of label columns."""

    codes: np.ndarray
    classes: np.ndarray
    dtype: Any

    def values(self, codes: np.ndarray, index: pd.Index, name: str) -> pd.Series:
        return pd.Series(self.classes[codes], index=index, dtype=self.dtype, name=name)


@dataclass(frozen=True)
class Estimates:
    """Out-of-sample pred_probs and the latent estimates derived from them."""

    pred_probs: np.ndarray | None
    confident_joint: np.ndarray | None
    py: np.ndarray | None
    noise_matrix: np.ndarray | None
    inverse_noise_matrix: np.ndarray | None


def encode_fit_labels(y: Any) -> Labels:
    """Encode ``y`` as codes 0..K-1 (see the module docstring); raise on bad labels."""
    if y is None:
        raise InputError(
            "CleanLearning requires y to be passed, but the target y is None: pass the given "
            "labels, one per row of X."
        )
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InputError(f"y must be 1-D (one label per row); got a {y.shape} DataFrame.")
        y = y.iloc[:, 0]
    if not isinstance(y, pd.Series):
        y = np.asarray(y)
        y = column_or_1d(y, warn=True) if y.ndim == 2 and y.shape[1] == 1 else y
        if y.ndim != 1:
            raise InputError(f"y must be 1-D (one label per row); got shape {y.shape}.")
    missing = np.asarray(pd.isna(y), dtype=bool)
    if missing.any():
        raise InputError(
            f"y has {int(missing.sum())} missing labels (NaN/None), e.g. at row "
            f"{int(np.argmax(missing))}; drop those rows (or fill in their labels) first."
        )
    if len(y) == 0:
        raise InputError("y is empty: pass at least one labelled row.")
    labels = _categorical_codes(y) if isinstance(y.dtype, pd.CategoricalDtype) else _codes(y)
    present = labels.classes.size
    if present < 2:
        raise InputError(
            f"y has one class only ({_show(labels.classes[0])!r}); CleanLearning needs at least 2 "
            "classes. Check the label column or the rows selected."
        )
    return labels


def _categorical_codes(y: pd.Series) -> Labels:
    raw = y.cat.codes.to_numpy().astype(np.int64)
    used = np.flatnonzero(np.bincount(raw, minlength=len(y.cat.categories)))
    lookup = np.full(len(y.cat.categories), -1, dtype=np.int64)
    lookup[used] = np.arange(used.size)
    classes = np.asarray(y.cat.categories.take(used), dtype=object)
    return Labels(lookup[raw], classes, y.dtype)


def _codes(y: Any) -> Labels:
    if np.asarray(y).dtype.kind == "f" and not np.isfinite(np.asarray(y)).all():
        raise InputError(
            "y contains infinity: labels must be classes (ints, strings, bools or categories)."
        )
    kind = type_of_target(y, input_name="y")
    if kind not in ("binary", "multiclass"):
        raise InputError(
            f"Unknown label type: {kind!r}. y must hold class labels (ints, strings, bools "
            "or categories); for a numeric target use a regressor, or bin it into classes."
        )
    try:
        if isinstance(y, pd.Series):
            codes, uniques = pd.factorize(y, sort=True)
            dtype = y.dtype
        else:
            uniques, codes = np.unique(y, return_inverse=True)
            dtype = uniques.dtype
    except TypeError as exc:
        raise InputTypeError(
            f"y holds labels that cannot be sorted ({exc}); use one type of label."
        ) from None
    return Labels(np.asarray(codes, dtype=np.int64), np.asarray(uniques), dtype)


def _show(value: Any) -> Any:
    """A class value as the user wrote it (numpy scalars as Python scalars)."""
    return value.item() if isinstance(value, np.generic) else value


def check_class_sizes(labels: Labels, cv: int) -> None:
    sizes = np.bincount(labels.codes, minlength=labels.classes.size)
    small = np.flatnonzero(sizes < cv)
    if small.size:
        k = small[0]
        raise InputError(
            f"y has a class with fewer rows than cv={cv} folds: class "
            f"{_show(labels.classes[k])!r} has {sizes[k]} rows (each needs at least one per "
            "fold). Lower cv (e.g. cv=2 or 3), or drop or merge the rarest classes."
        )


def indexable(X: Any, *, flatten: bool) -> Any:
    """X in a form whose rows can be selected by an index array."""
    if hasattr(X, "iloc"):
        return X
    if hasattr(X, "tocsr") and hasattr(X, "format"):
        return X if X.format in ("csr", "csc") else X.tocsr()
    if not hasattr(X, "shape"):
        X = np.asarray(X)
    if flatten and X.ndim > 2:
        X = X.reshape(X.shape[0], -1)
    return X


def take_rows(X: Any, index: np.ndarray) -> Any:
    return X.iloc[index] if hasattr(X, "iloc") else X[index]


def check_clf_pred_probs(pred_probs: Any, labels: Labels) -> np.ndarray | None:
    if pred_probs is None:
        return None
    probs = np.asarray(pred_probs, dtype=np.float64)
    expected = (labels.codes.size, labels.classes.size)
    if probs.shape != expected:
        raise InputError(
            f"pred_probs must have shape (n_rows, n_classes) = {expected}, one column per class "
            f"of y in order {labels.classes.tolist()!r}; got shape {probs.shape}."
        )
    return probs


def check_matrices(nm: Any, inv: Any, k: int) -> tuple[np.ndarray | None, np.ndarray | None]:
    out = []
    for name, matrix in (("noise_matrix", nm), ("inverse_noise_matrix", inv)):
        if matrix is None:
            out.append(None)
            continue
        m = np.asarray(matrix, dtype=np.float64)
        if m.shape != (k, k) or not np.isfinite(m).all():
            raise InputError(
                f"{name} must be a finite {k} x {k} array (one row and column per class of y); "
                f"got shape {m.shape}."
            )
        if np.trace(m) <= 1:
            raise InputError(
                f"{name} has trace {np.trace(m):.2f}, but the trace must exceed 1 (more correct "
                "than flipped labels); check the matrix (columns are true classes)."
            )
        out.append(m)
    return out[0], out[1]


def check_clf_kwargs(clf_kwargs: Any) -> dict[str, Any]:
    kwargs = dict(clf_kwargs or {})
    if "sample_weight" in kwargs:
        raise InputError(
            "clf_kwargs must not hold sample_weight (it would be split across folds); pass "
            "sample_weight=... to fit() directly."
        )
    return kwargs


def check_sample_weight(clf: Any, sample_weight: Any, n: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    if not has_fit_parameter(clf, "sample_weight"):
        raise InputError(
            f"sample_weight was given but {type(clf).__name__}.fit takes no sample_weight; "
            "drop it or use a classifier that supports it."
        )
    weights = np.asarray(sample_weight, dtype=np.float64)
    if weights.ndim == 0:
        weights = np.full(n, float(weights))
    if weights.shape != (n,):
        raise InputError(
            f"sample_weight must have shape ({n},), one weight per row; got {weights.shape}."
        )
    return weights


def noise_weights(clf: Any, noise_matrix: np.ndarray | None, y: np.ndarray) -> np.ndarray | None:
    """``1 / max(nm[k, k], 1e-3)`` per row of class k, if ``clf.fit`` takes sample_weight."""
    if noise_matrix is None or not has_fit_parameter(clf, "sample_weight"):
        return None
    return 1.0 / np.maximum(np.diagonal(noise_matrix), MIN_DIAGONAL_FOR_WEIGHT)[y]


def from_matrices(labels: Labels, nm, inv, pred_probs) -> Estimates:
    """Latent estimates from supplied matrices (SPEC 7.2 step 7); all None without them."""
    ps = np.bincount(labels.codes, minlength=labels.classes.size) / labels.codes.size
    py = None
    if nm is not None:
        py, derived_inv = py_and_inv_from_noise_matrix(ps, nm)
        inv = derived_inv if inv is None else inv
    elif inv is not None:
        py = inv.dot(ps)
        nm = noise_matrix_from_inv(ps, inv, py)
    return Estimates(pred_probs, None, py, nm, inv)


def given_issues_frame(
    label_issues: Any, labels: Labels, index: pd.Index, pred_probs: np.ndarray | None
) -> pd.DataFrame:
    """The frame of user-supplied label issues (SPEC 7.3 step 3)."""
    n = labels.codes.size
    if isinstance(label_issues, pd.DataFrame):
        if "is_label_issue" not in label_issues.columns or len(label_issues) != n:
            raise InputError(
                "label_issues as a DataFrame must have an 'is_label_issue' column and one row "
                f"per row of y ({n}); got columns {label_issues.columns.tolist()!r} and "
                f"{len(label_issues)} rows. Pass the frame from find_label_issues(X, y)."
            )
        mask = label_issues["is_label_issue"].to_numpy(dtype=bool)
        if "given_label" in label_issues.columns:
            given = labels.values(labels.codes, index, "given_label").to_numpy()
            if not np.array_equal(label_issues["given_label"].to_numpy(), given):
                raise InputError(
                    "label_issues['given_label'] differs from y: the label issues were found "
                    "for other labels. Recompute them with find_label_issues(X, y)."
                )
    else:
        mask = _mask_from_array(label_issues, n)
    frame = pd.DataFrame({"is_label_issue": mask}, index=index)
    if pred_probs is not None:
        frame["label_quality"] = rank.get_label_quality_scores(labels.codes, pred_probs)
    return frame


def _mask_from_array(label_issues: Any, n: int) -> np.ndarray:
    arr = np.asarray(label_issues) if isinstance(label_issues, (list, np.ndarray)) else None
    if arr is not None and arr.dtype == bool and arr.shape == (n,):
        return arr
    if arr is not None and arr.ndim == 1 and (arr.dtype.kind in "iu" or arr.size == 0):
        if arr.size and (arr.min() < 0 or arr.max() >= n or np.unique(arr).size != arr.size):
            raise InputError(
                f"label_issues as indices must be unique row positions in 0..{n - 1}; got "
                f"{label_issues!r}."
            )
        mask = np.zeros(n, dtype=bool)
        mask[arr.astype(np.int64)] = True
        return mask
    raise InputTypeError(
        f"label_issues must be a DataFrame with 'is_label_issue', a bool mask of length {n} or "
        f"an array of row indices; got {type(label_issues).__name__}."
    )
