"""Aggregators: one label quality score per row from its K per-class scores (SPEC-multi B.4.2).

Each works on an (n, K) matrix, row-wise, vectorised over rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, get_args

import numpy as np

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "AGGREGATORS",
    "Aggregator",
    "aggregate",
    "exponential_moving_average",
    "softmin",
]

Aggregator = Literal["exponential_moving_average", "softmin"]
AGGREGATORS: tuple[str, ...] = get_args(Aggregator)
DEFAULT_ALPHA = 0.8
TEMPERATURE_FLOOR = 1e-6


def exponential_moving_average(
    scores: np.ndarray, *, alpha: float | None = None, axis: int = 1
) -> np.ndarray:
    """Exponential moving average of each row's scores, sorted from highest to lowest.

    ``e = s(1)``, then ``e = alpha * s(t) + (1 - alpha) * e`` for t = 2..K: the lowest score
    weighs ``alpha``. ``alpha=None`` means ``2 / (K + 1)``.

    Examples
    --------
    >>> exponential_moving_average(np.array([[0.011, 0.977, 0.98]]), alpha=0.8).round(5).tolist()
    [0.20432]
    """
    s = np.moveaxis(np.asarray(scores, dtype=np.float64), axis, -1)
    k = s.shape[-1]
    if alpha is None:
        alpha = 2 / (k + 1)
    if not 0 <= alpha <= 1:
        raise InputError(f"alpha must be in the interval [0, 1]; got {alpha!r}.")
    ascending = np.sort(s, axis=-1)
    e = ascending[..., k - 1].copy()
    step = np.empty_like(e)
    for t in range(k - 2, -1, -1):  # K steps of vector work, highest score first (float order)
        np.multiply(ascending[..., t], alpha, out=step)
        e *= 1 - alpha
        e += step  # = alpha * s(t) + (1 - alpha) * e, bit for bit
    return e


def softmin(scores: np.ndarray, *, temperature: float = 0.1, axis: int = 1) -> np.ndarray:
    """Softmin-weighted mean of each row's scores: low scores dominate.

    Examples
    --------
    >>> softmin(np.array([[0.011, 0.977, 0.98]])).round(6).tolist()
    [0.011122]
    """
    s = np.moveaxis(np.asarray(scores, dtype=np.float64), axis, -1)
    x = (1 - s) / max(temperature, TEMPERATURE_FLOOR)
    x = x - x.max(axis=-1, keepdims=True)
    w = np.exp(x)
    w = w / w.sum(axis=-1, keepdims=True)
    return (s * w).sum(axis=-1)


_BY_NAME: dict[str, Callable[..., np.ndarray]] = {
    "exponential_moving_average": exponential_moving_average,
    "softmin": softmin,
}


def aggregate(scores: np.ndarray, aggregator_kwargs: dict | None) -> np.ndarray:
    """Apply the aggregator configured by ``aggregator_kwargs`` to an (n, K) score matrix.

    Empty or None: EMA with alpha 0.8. Else ``"method"`` (a name in :data:`AGGREGATORS` or a
    callable ``f(scores, axis=1, **rest)``) plus its keyword arguments; unknown keywords are
    ignored by the named aggregators, as in cleanlab.

    Examples
    --------
    >>> aggregate(np.array([[0.9, 0.9, 0.9], [0.4, 0.9, 0.9]]), None).round(4).tolist()
    [0.9, 0.5]
    """
    if not aggregator_kwargs:
        return exponential_moving_average(scores, alpha=DEFAULT_ALPHA)
    options = dict(aggregator_kwargs)
    if "method" not in options:
        raise InputTypeError(
            f"aggregator_kwargs must name a 'method' (one of {list(AGGREGATORS)} or a "
            f"callable); got keys {sorted(options)!r}."
        )
    method = options.pop("method")
    if isinstance(method, str):
        if method not in _BY_NAME:
            raise InputError(
                f"aggregator_kwargs['method'] must be one of {list(AGGREGATORS)} or a "
                f"callable; got {method!r}."
            )
        known = {"alpha"} if method == "exponential_moving_average" else {"temperature"}
        return _BY_NAME[method](scores, **{k: v for k, v in options.items() if k in known})
    if not callable(method):
        raise InputTypeError(
            f"aggregator_kwargs['method'] must be a name or a callable; got "
            f"{type(method).__name__}: {method!r}."
        )
    return np.asarray(method(scores, axis=1, **options), dtype=np.float64)
