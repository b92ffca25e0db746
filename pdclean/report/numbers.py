"""Numbers formatted for people: 3 significant digits, never scientific notation.

* :func:`format_number`: any number (``0.000000056`` -> ``"< 0.001"``, ``1234.5`` -> ``"1,230"``);
* :func:`format_count`: a whole count with thousands separators (``12345`` -> ``"12,345"``);
* :func:`format_percent`: a fraction as a percentage (``0.216`` -> ``"21.6%"``).

Missing values (None, NaN, ``pd.NA``) are shown as an en dash.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

__all__ = ["MISSING", "format_count", "format_number", "format_percent"]

MISSING = "\u2013"  # en dash
SMALLEST = 0.001


def is_missing(value: Any) -> bool:
    """Whether ``value`` is None, NaN or a pandas missing marker.

    Examples
    --------
    >>> is_missing(None), is_missing(float("nan")), is_missing(0.0)
    (True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and pd.NA (whose comparison is not truthy)
    except TypeError:
        return True


def format_number(value: Any, *, digits: int = 3) -> str:
    """Format a number with ``digits`` significant digits, in positional notation.

    Magnitudes below 0.001 become ``"< 0.001"`` (``"> -0.001"`` when negative); exact zero is
    ``"0"``; whole numbers (integers) are written in full with thousands separators; floats of
    1,000 or more are rounded to ``digits`` significant digits and get separators too.

    Examples
    --------
    >>> [format_number(v) for v in (5.637318e-08, 0.0012345, 0.8, 0.34541, 0.0, 1)]
    ['< 0.001', '0.00123', '0.8', '0.345', '0', '1']
    >>> [format_number(v) for v in (999.7, 123456.7, 12345, -0.00002, float("inf"))]
    ['1,000', '123,000', '12,345', '> -0.001', '∞']
    """
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return format_count(value)
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    if x == 0:
        return "0"
    if abs(x) < SMALLEST:
        return f"< {SMALLEST:g}" if x > 0 else f"> -{SMALLEST:g}"
    text = np.format_float_positional(x, precision=digits, unique=False, fractional=False, trim="-")
    whole, dot, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{dot}{fraction}"


def format_count(value: Any) -> str:
    """A whole number with thousands separators.

    Examples
    --------
    >>> format_count(54), format_count(1234567), format_count(None)
    ('54', '1,234,567', '–')
    """
    if is_missing(value):
        return MISSING
    return f"{int(value):,}"


def format_percent(value: Any) -> str:
    """A fraction in [0, 1] as a percentage with 3 significant digits.

    Examples
    --------
    >>> format_percent(0.216), format_percent(1.0), format_percent(0.0), format_percent(2e-7)
    ('21.6%', '100%', '0%', '< 0.001%')
    """
    if is_missing(value):
        return MISSING
    return f"{format_number(100.0 * float(value))}%"
