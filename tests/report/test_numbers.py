"""pdclean.report.numbers: numbers for people, never scientific notation."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.report.numbers import MISSING, format_count, format_number, format_percent

SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5.637318e-08, "< 0.001"),
        (0.000999, "< 0.001"),
        (-2e-5, "> -0.001"),
        (0.001, "0.001"),
        (0.0012345, "0.00123"),
        (0.00999, "0.00999"),
        (0.8, "0.8"),
        (0.34541927, "0.345"),
        (0.6119783, "0.612"),
        (0.99951, "1"),
        (1.0, "1"),
        (0.0, "0"),
        (-0.0, "0"),
        (12.3456, "12.3"),
        (999.7, "1,000"),
        (1234.5, "1,230"),
        (123456.7, "123,000"),
        (-98765.4, "-98,800"),
        (1e20, "100,000,000,000,000,000,000"),
        (float("inf"), "∞"),
        (float("-inf"), "-∞"),
        (float("nan"), MISSING),
        (None, MISSING),
        (pd.NA, MISSING),
        (np.float32(0.25), "0.25"),
        (np.float64(3.0e-9), "< 0.001"),
    ],
)
def test_format_number_cases(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (7, "7"), (54, "54"), (12345, "12,345"), (np.int64(1234567), "1,234,567")],
)
def test_integers_are_written_in_full(value, expected):
    assert format_number(value) == expected
    assert format_count(value) == expected


def test_booleans_and_missing_counts():
    assert MISSING == "\u2013"  # an en dash
    assert format_number(True) == "True"
    assert format_count(None) == MISSING


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.216, "21.6%"), (0.0, "0%"), (1.0, "100%"), (2e-7, "< 0.001%"), (0.02444, "2.44%")],
)
def test_format_percent(value, expected):
    assert format_percent(value) == expected


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e30, max_value=1e30))
def test_never_scientific_and_three_significant_digits(x):
    text = format_number(x)
    assert not SCIENTIFIC.search(text)
    assert "e" not in text.lower()
    if x == 0:
        assert text == "0"
    elif abs(x) < 0.001:
        assert text in ("< 0.001", "> -0.001")
    else:
        parsed = float(text.replace(",", ""))
        # three significant digits: within half a unit of the third digit
        unit = 10.0 ** (math.floor(math.log10(abs(x))) - 2)
        assert abs(parsed - x) <= 0.5 * unit * (1 + 1e-9) + 1e-12
        digits = text.replace(",", "").replace("-", "").replace(".", "").lstrip("0").rstrip("0")
        assert len(digits) <= 3
