"""Validation of regression inputs: targets, predictions, features, options (SPEC R1.1, R3.2).

Every check raises a :mod:`pdclean.errors` exception whose message names the argument, shows
what was received and says how to fix it. Compared with the reference (cleanlab 2.9), the same
inputs are rejected, plus ``inf`` and complex values (the reference lets ``inf`` through to a
NaN score or to a scikit-learn error deep inside the kNN search), and a length mismatch raises
an :class:`~pdclean.errors.InputError` instead of an ``AssertionError``.
"""

from __future__ import annotations

import numbers
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "check_2d",
    "check_X_y",
    "check_choice",
    "check_features",
    "check_fit_kwargs",
    "check_pair",
    "check_target",
    "issues_mask",
    "make_rng",
    "rows",
]


def check_choice(name: str, value: Any, valid: Iterable[str]) -> str:
    """Return ``value`` if it is one of ``valid``, else raise an `InputError`.

    Examples
    --------
    >>> check_choice("method", "outre", ["outre", "residual"])
    'outre'
    """
    valid = tuple(valid)
    if not isinstance(value, str) or value not in valid:
        raise InputError(f"{name} must be one of {list(valid)!r}; got {value!r}.")
    return value


def check_target(values: Any, *, name: str = "y") -> np.ndarray:
    """Return ``values`` as a 1-D array of finite real numbers (length-1 axes squeezed away).

    Parameters
    ----------
    values : array-like
        A list, tuple, array or Series of numbers; shape (n,), (n, 1) or (1, n) with n >= 2.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    ndarray
        The squeezed array, in its own numeric dtype (integers stay integers).

    Examples
    --------
    >>> check_target([[1.5], [2.0], [3]]).tolist()
    [1.5, 2.0, 3.0]
    """
    arr = as_array(values, name)
    squeezed = np.squeeze(arr)
    if squeezed.ndim == 0:
        raise InputError(
            f"{name} has 1 sample ({values!r}); at least 2 values are needed to score a"
            " numeric target. Pass the whole column."
        )
    if squeezed.ndim != 1:
        raise InputError(
            f"{name} must be 1-dimensional (one value per row); got shape {arr.shape}. Pass a"
            " single column."
        )
    check_numeric(squeezed, name)
    check_finite(squeezed, name)
    return squeezed


def as_array(values: Any, name: str) -> np.ndarray:
    """``np.asarray(values)``, non-empty, else an error naming ``name``."""
    if values is None:
        raise InputError(
            f"{name} is None: this requires y to be passed, but the target y is None. Pass an"
            f" array of numbers as {name}."
        )
    try:
        arr = np.asarray(values)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"{name} must be array-like (a list, array or Series of numbers); got a"
            f" {type(values).__name__} that numpy cannot convert ({exc})."
        ) from exc
    if arr.size == 0:
        raise InputError(f"{name} is empty (shape {arr.shape}); pass at least 2 values.")
    return arr


def check_numeric(arr: np.ndarray, name: str) -> None:
    """Raise an `InputError` unless ``arr`` holds real numbers (booleans excluded)."""
    kind = arr.dtype.kind
    if kind == "c":
        raise InputError(
            f"{name} contains complex numbers (Complex data not supported); pass real numbers,"
            " e.g. np.real(values) if the imaginary parts are 0."
        )
    if kind not in "iuf":
        raise InputError(
            f"{name} must contain real numbers (Unknown label type: dtype {arr.dtype}, first"
            f" value {arr.flat[0]!r}). Convert the column to a numeric dtype, e.g. astype(float)."
        )


def check_finite(arr: np.ndarray, name: str) -> None:
    """Raise an `InputError` naming the first NaN or infinite entry of ``arr``."""
    if arr.dtype.kind != "f":
        return
    finite = np.isfinite(arr)
    if finite.all():
        return
    bad = np.flatnonzero(~finite)
    first = int(bad[0])
    if np.isnan(arr[first]):
        raise InputError(
            f"Input {name} contains NaN: {bad.size} missing value(s), first at row {first}."
            f" Drop or impute the rows whose {name} is missing."
        )
    raise InputError(
        f"Input {name} contains infinity or a value too large for dtype('float64'):"
        f" {bad.size} value(s), first at row {first} ({arr[first]!r}). Replace or drop them."
    )


def check_pair(labels: Any, predictions: Any) -> tuple[np.ndarray, np.ndarray]:
    """Checked ``(labels, predictions)``: 1-D, numeric, finite, the same length (SPEC R1.1).

    Examples
    --------
    >>> y, p = check_pair([1, 2, 3], [1.5, 2.0, 2.5])
    >>> y.dtype.kind, p.dtype.kind
    ('i', 'f')
    """
    y = check_target(labels, name="labels")
    p = check_target(predictions, name="predictions")
    if y.shape != p.shape:
        raise InputError(
            f"labels and predictions must have the same length; got {y.size} labels and"
            f" {p.size} predictions. Pass one out-of-sample prediction per label."
        )
    return y, p


def check_features(X: Any, n_rows: int) -> np.ndarray:
    """``np.asarray(X)`` with ``n_rows`` rows (SPEC R3.2), else an error naming ``X``.

    Examples
    --------
    >>> check_features([[0.0], [1.0]], 2).shape
    (2, 1)
    """
    if X is None:
        raise InputError("X is None; pass the feature matrix (one row per value of y).")
    if hasattr(X, "tocsr"):
        raise InputTypeError(
            f"X is a sparse matrix ({type(X).__name__}); sparse input is not supported. Pass a"
            " dense array, e.g. X.toarray()."
        )
    try:
        arr = np.asarray(X)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"X must be array-like (an array, DataFrame or list of rows); got a"
            f" {type(X).__name__} that numpy cannot convert ({exc})."
        ) from exc
    if arr.dtype.kind == "c":
        raise InputError("X contains complex numbers (Complex data not supported); pass reals.")
    if arr.ndim == 0 or len(arr) != n_rows:
        got = "a scalar" if arr.ndim == 0 else f"{len(arr)} rows"
        raise InputError(
            f"X and y must have the same number of rows; got X with {got} and y with {n_rows}"
            " values. Pass one row of features per target value."
        )
    return arr


def check_2d(X: Any) -> None:
    """Raise an `InputError` if X is 1-D or a scalar (prediction input)."""
    if hasattr(X, "tocsr"):
        raise InputTypeError(
            f"X is a sparse matrix ({type(X).__name__}); sparse input is not supported. Pass a"
            " dense array, e.g. X.toarray()."
        )
    shape = X.shape if hasattr(X, "shape") else np.asarray(X).shape
    if len(shape) < 2:
        raise InputError(
            f"X must be 2-dimensional (one row per example); got shape {shape}. Reshape"
            " your data with X.reshape(-1, 1) for a single feature or X.reshape(1, -1) for a"
            " single example."
        )


def make_rng(seed: Any) -> np.random.RandomState:
    """A local ``RandomState`` from ``seed`` (None: fresh and unseeded; never the global one)."""
    if seed is None or isinstance(seed, numbers.Integral):
        return np.random.RandomState(seed)
    if isinstance(seed, np.random.RandomState):
        return seed
    raise InputTypeError(
        f"seed must be None, an int or a numpy RandomState; got {seed!r}. Pass an int seed."
    )


def check_X_y(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Checked (features as an array, 1-D finite numeric target) (SPEC R3.2).

    A column vector y (shape (n, 1)) is accepted with scikit-learn's ``DataConversionWarning``.
    """
    y = as_array(y, "y")
    if y.ndim == 2 and y.shape[1] == 1:
        from sklearn.exceptions import DataConversionWarning  # on use: import cost

        warnings.warn(
            "A column-vector y was passed when a 1d array was expected. Please change the shape"
            " of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
            stacklevel=3,
        )
    target = check_target(y, name="y")
    return check_features(X, len(target)), target


def check_fit_kwargs(name: str, kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """A dict of extra ``fit`` keywords without ``sample_weight``."""
    kwargs = {} if kwargs is None else kwargs
    if not isinstance(kwargs, dict):
        raise InputTypeError(f"{name} must be a dict or None; got {kwargs!r}.")
    if "sample_weight" in kwargs:
        raise InputError(
            f"{name} must not contain 'sample_weight'; pass sample_weight to fit() directly."
        )
    return kwargs


def issues_mask(label_issues: Any, y: np.ndarray) -> np.ndarray:
    """The boolean mask of a user's ``label_issues`` (DataFrame, Series or bool array)."""
    if hasattr(label_issues, "columns"):  # a DataFrame (duck-typed: no pandas here)
        if "is_label_issue" not in label_issues.columns:
            raise InputError(
                "label_issues (a DataFrame) must have an 'is_label_issue' column; got columns"
                f" {list(label_issues.columns)!r}. Pass the frame of find_label_issues()."
            )
        given = label_issues.get("given_label")
        if len(label_issues) == len(y) and given is not None and not np.array_equal(given, y):
            raise InputError(
                "label_issues['given_label'] differs from y; pass the label issues found on this y."
            )
        mask = np.asarray(label_issues["is_label_issue"])
    elif isinstance(label_issues, np.ndarray) or hasattr(label_issues, "to_numpy"):
        mask = np.asarray(label_issues)
        if mask.dtype != bool:
            raise InputTypeError(
                f"label_issues as an array must be boolean (one flag per row); got dtype"
                f" {mask.dtype}. Pass a mask such as frame['is_label_issue']."
            )
    else:
        raise InputTypeError(
            "label_issues must be a DataFrame, Series or numpy bool array; got a"
            f" {type(label_issues).__name__}."
        )
    if mask.shape != y.shape:
        raise InputError(
            f"label_issues must have one entry per row of y ({len(y)}); got {len(mask)}."
        )
    return mask.astype(bool)


def rows(X: Any, keep: np.ndarray) -> Any:
    """The rows ``keep`` (bool) of X, keeping a DataFrame a DataFrame."""
    if hasattr(X, "iloc"):
        return X.iloc[keep]
    return np.asarray(X)[keep]
