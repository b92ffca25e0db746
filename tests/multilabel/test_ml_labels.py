"""pdclean.core.multilabel.labels: list-of-lists to indicator, and the input checks."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.multilabel.labels import (
    check_indicator,
    check_pred_probs,
    check_strict_format,
    labels_to_indicator,
)
from pdclean.errors import InputError, InputTypeError

rows = st.lists(st.lists(st.integers(0, 5), max_size=6), min_size=0, max_size=30)


@given(rows)
def test_indicator_equals_a_slow_loop(labels):
    expected = np.zeros((len(labels), 6), dtype=bool)
    for i, row in enumerate(labels):
        for c in row:
            expected[i, c] = True
    got = labels_to_indicator(labels, 6)
    assert got.dtype == bool
    np.testing.assert_array_equal(got, expected)


def test_rows_may_be_tuples_sets_arrays_or_integral_floats():
    got = labels_to_indicator([(0, 2), {1}, np.array([2]), [1.0], []], 3)
    assert got.astype(int).tolist() == [[1, 0, 1], [0, 1, 0], [0, 0, 1], [0, 1, 0], [0, 0, 0]]


@pytest.mark.parametrize(
    ("labels", "match"),
    [
        ([0, 1, 2], r"got an element 0 of type int\. Wrap single labels in a list"),
        ("abc", r"got str: 'abc'"),
        (np.zeros((3, 2), dtype=int), r"got a 2-D array of shape \(3, 2\)"),
        ([[0], ["a"]], r"got 'a' of type str\. Encode class names as integer codes"),
        ([[0.5]], r"got 0\.5 of type float"),
        ([[True]], r"got True of type bool"),
        (None, r"got NoneType"),
    ],
)
def test_labels_not_a_list_of_lists_of_ints(labels, match):
    with pytest.raises(InputTypeError, match=match):
        labels_to_indicator(labels, 3)


@pytest.mark.parametrize("bad", [3, -1, 7])
def test_unknown_class_index(bad):
    with pytest.raises(
        InputError, match=rf"class indices \[{bad}\] outside 0\.\.2 \(pred_probs has 3"
    ):
        labels_to_indicator([[0], [1, bad]], 3)


def test_pred_probs_checks():
    with pytest.raises(InputError, match=r"same length; got 3 rows of pred_probs for 2 labels"):
        check_pred_probs(np.full((3, 2), 0.5), 2)
    with pytest.raises(InputError, match=r"2-D array .* got shape \(4,\)"):
        check_pred_probs(np.full(4, 0.5))
    with pytest.raises(InputError, match=r"probabilities in \[0, 1\] .*got \[1\.5\]"):
        check_pred_probs([[0.5, 1.5]])
    with pytest.raises(InputError, match=r"got \[nan\]"):
        check_pred_probs([[0.5, np.nan]])
    with pytest.raises(InputTypeError, match="numeric"):
        check_pred_probs([["a", "b"]])
    assert check_pred_probs([[1 + 1e-7, -1e-7]]).tolist() == [[1 + 1e-7, -1e-7]]


def test_check_indicator():
    assert check_indicator(np.array([[0, 1], [1, 1]]), 2).dtype == bool
    with pytest.raises(InputError, match=r"\(n, 3\) 0/1 matrix.*got shape \(2, 2\)"):
        check_indicator(np.zeros((2, 2)), 3)
    with pytest.raises(InputError, match=r"0/1 matrix; got values \[0, 2\]"):
        check_indicator(np.array([[0, 2]]), 2)


@pytest.mark.parametrize(
    "y", [np.zeros((3, 2), bool), np.ones((3, 2), bool), np.array([[True], [False]])]
)
def test_strict_format(y):
    with pytest.raises(InputError, match="must be in multi-label format"):
        check_strict_format(y)
