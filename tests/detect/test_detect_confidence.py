"""pdclean.core.detect.confidence: the calibrated, monotone confidence of a suggestion."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.detect import suggestion_confidence
from pdclean.core.detect.confidence import CONFIDENCE_KNOTS


def test_exact_at_the_knots_and_between():
    x, p = np.array(CONFIDENCE_KNOTS).T
    np.testing.assert_array_equal(suggestion_confidence(x), p)
    mid = (x[1:] + x[:-1]) / 2
    np.testing.assert_allclose(suggestion_confidence(mid), (p[1:] + p[:-1]) / 2)


def test_knots_are_monotone_and_cover_the_margins():
    x, p = np.array(CONFIDENCE_KNOTS).T
    assert x[0] == -1.0
    assert x[-1] == 1.0
    assert (np.diff(x) > 0).all()
    assert (np.diff(p) >= 0).all()
    assert p[0] >= 0.0
    assert p[-1] <= 1.0


@given(st.lists(st.floats(-1, 1), min_size=1, max_size=20))
def test_monotone_in_the_margin(margins):
    m = np.sort(np.array(margins))
    c = suggestion_confidence(m)
    assert (np.diff(c) >= 0).all()
    assert ((c >= 0) & (c <= 1)).all()
