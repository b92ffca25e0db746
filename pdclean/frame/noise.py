"""The DataFrame face of noise generation: corrupt a label column on purpose.

:func:`inject_label_noise` flips the labels of a frame with a noise matrix (given, or drawn
with a requested trace by :func:`pdclean.noise.generate_noise_matrix_from_trace`) through
:func:`pdclean.noise.generate_noisy_labels`, and returns a new frame whose label column is
noisy, with the original labels kept in ``true_<label>``. One generator, built once from
``random_state``, serves both draws (so a seed reproduces the reference's sequence of draws).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pdclean.core import noise
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.resolve_checks import encode_labels, get_label_column

__all__ = ["inject_label_noise"]


def inject_label_noise(
    df: pd.DataFrame,
    label: Any,
    *,
    noise_matrix: Any = None,
    trace: float | None = None,
    random_state: Any = None,
) -> pd.DataFrame:
    """A new frame whose label column is noisy, with the original in ``true_<label>``.

    Parameters
    ----------
    df : DataFrame
        The table; not modified.
    label : hashable
        Name of the label column (classes as in every pdclean function: the categories of a
        categorical column, else the sorted unique values).
    noise_matrix : ndarray (K, K) or DataFrame, optional
        ``noise_matrix[s, k] = p(noisy label = s | true label = k)`` (columns sum to 1), rows
        and columns in class order; a DataFrame is matched to the classes by index and columns.
    trace : float, optional
        Instead of ``noise_matrix``: draw a valid random noise matrix with this trace (in
        (1, K); K means no noise), using the class frequencies of ``df`` as the prior.
    random_state : int, numpy.random.RandomState or None
        Seed or generator of the draws (None: a fresh, unseeded generator).

    Returns
    -------
    DataFrame
        A copy of ``df`` whose label column holds the noisy labels (same dtype) and, right
        after it, ``true_<label>`` with the original labels. Rows with a missing label keep it.

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a"] * 5 + ["b"] * 5, "x": range(10)})
    >>> out = inject_label_noise(df, "y", noise_matrix=[[0.6, 0.0], [0.4, 1.0]], random_state=0)
    >>> out.columns.tolist()
    ['y', 'true_y', 'x']
    >>> int((out["y"] != out["true_y"]).sum()), out["y"].value_counts().to_dict()
    (2, {'b': 7, 'a': 3})
    """
    if not isinstance(df, pd.DataFrame):
        raise InputTypeError(f"df must be a pandas DataFrame; got {type(df).__name__}.")
    column = get_label_column(df, label)
    codes, classes = encode_labels(column, label)
    true_name = f"true_{label}"
    if true_name in df.columns:
        raise InputError(
            f"df already has a column {true_name!r}; rename or drop it first (it would receive "
            "the original labels)."
        )
    has_label = codes >= 0
    rng = _generator(random_state)
    nm = _noise_matrix(noise_matrix, trace, codes[has_label], classes, label, rng)
    noisy = codes.copy()
    noisy[has_label] = noise.generate_noisy_labels(codes[has_label], nm, random_state=rng)
    values = classes.take(noisy, allow_fill=True)
    out = df.copy()
    out[label] = pd.Series(values, index=df.index, dtype=column.dtype, name=label)
    out.insert(df.columns.get_loc(label) + 1, true_name, column)
    return out


def _generator(random_state: Any) -> np.random.RandomState:
    if random_state is None:
        return np.random.RandomState()
    if isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise InputTypeError(
            f"random_state must be None, an int or a numpy.random.RandomState; got "
            f"{random_state!r}."
        )
    return np.random.RandomState(random_state)


def _noise_matrix(
    noise_matrix: Any,
    trace: Any,
    codes: np.ndarray,
    classes: Any,
    label: Any,
    rng: np.random.RandomState,
) -> np.ndarray:
    """The K x K noise matrix: given (aligned to the classes) or drawn with ``trace``."""
    k = len(classes)
    if (noise_matrix is None) == (trace is None):
        raise InputError(
            "pass exactly one of noise_matrix (a K x K matrix p(noisy | true)) or trace (the "
            f"trace of a random one); got noise_matrix={noise_matrix!r} and trace={trace!r}."
        )
    if noise_matrix is not None:
        if isinstance(noise_matrix, pd.DataFrame):
            names = pd.Index(np.asarray(classes, dtype=object))
            if not (set(noise_matrix.index) == set(names) == set(noise_matrix.columns)):
                raise InputError(
                    f"noise_matrix as a DataFrame must have the classes {names.tolist()!r} as "
                    f"index and columns; got {noise_matrix.index.tolist()!r} and "
                    f"{noise_matrix.columns.tolist()!r}."
                )
            noise_matrix = noise_matrix.loc[names, names].to_numpy(dtype=np.float64)
        nm = np.asarray(noise_matrix, dtype=np.float64)
        if nm.shape != (k, k):
            raise InputError(
                f"noise_matrix must be {k} x {k} (one row and column per class of {label!r}); "
                f"got shape {nm.shape}."
            )
        return nm
    py = np.bincount(codes, minlength=k) / codes.size
    if (py == 0).any():
        absent = [classes[i] for i in np.flatnonzero(py == 0)]
        raise InputError(
            f"trace needs every class of {label!r} to occur, but {absent!r} do not; drop unused "
            "categories (Series.cat.remove_unused_categories()) or pass a noise_matrix."
        )
    nm = noise.generate_noise_matrix_from_trace(k, trace, py=py, random_state=rng)
    if nm is None:
        raise InputError(
            f"no valid noise matrix with trace={trace!r} was found for the class prior "
            f"{np.round(py, 4).tolist()!r}; raise trace (closer to K={k}) or pass a noise_matrix."
        )
    return nm
