"""pdclean.core.crowd.labels: validation of the annotation matrix, vote counts, packed rows."""

import numpy as np
import pytest

from pdclean.core.crowd.labels import (
    Annotations,
    check_annotations,
    check_crowd_pred_probs,
    encode_annotations,
    packed_distribution,
    vote_counts,
)
from pdclean.errors import InputError, InputTypeError

NAN = np.nan


def test_encode_codes_and_mask():
    codes, mask = encode_annotations(np.array([[0, NAN, 2], [1.0, 1, NAN]]))
    assert codes.tolist() == [[0, -1, 2], [1, 1, -1]]
    assert mask.tolist() == [[True, False, True], [True, True, False]]
    assert codes.dtype == np.int64


def test_integer_matrix_without_missing_cells():
    codes, mask = encode_annotations(np.array([[0, 1], [2, 2]]))
    assert codes.tolist() == [[0, 1], [2, 2]]
    assert mask.all()


@pytest.mark.parametrize(
    ("labels", "error", "match"),
    [
        (np.array([0.0, 1.0]), InputError, r"must be a 2-D array.*got an array of shape \(2,\)"),
        (np.array([[0, "cat"]], dtype=object), InputError, r"not strings; got 'cat'"),
        (np.array([["a", "b"]]), InputError, r"not strings; got np.str_\('a'\)"),
        (np.array([[0.5, 1.0]]), InputError, r"non-integral value 0.5\. Encode"),
        (np.array([[-1.0, 1.0]]), InputError, r"negative value -1.0\. Encode the classes"),
        (np.array([[object(), 1]], dtype=object), InputTypeError, r"do not convert to float"),
    ],
)
def test_bad_values(labels, error, match):
    with pytest.raises(error, match=match):
        encode_annotations(labels)


def check(matrix, **kwargs):
    codes, mask = encode_annotations(np.asarray(matrix, dtype=float))
    check_annotations(mask, codes, **kwargs)


def test_row_without_labels():
    with pytest.raises(InputError, match=r"1 row\(s\) that no annotator labelled: rows \[1\]"):
        check([[0, 1], [NAN, NAN], [1, 1]])


def test_annotator_without_labels_named_by_id():
    """cleanlab raises here (its #1156); the engine mirrors it and names the annotator."""
    matrix = [[0, NAN, 1], [1, NAN, 1]]
    with pytest.raises(InputError, match=r"1 annotator\(s\) who labelled no example: \[1\]"):
        check(matrix)
    with pytest.raises(InputError, match=r"who labelled no example: \['bob'\]\. Drop"):
        check(matrix, annotator_ids=["ann", "bob", "cy"])


def test_single_column_and_single_labels():
    with pytest.raises(InputError, match=r"more than one annotator column; got 1\."):
        check([[0], [1]])
    with pytest.raises(InputError, match=r"exactly one label in every row"):
        check([[0, NAN], [NAN, 1]])
    check([[0, NAN], [NAN, 1]], allow_single_label=True)
    check([[0], [1]], allow_single_label=True)


def test_warns_when_no_two_annotators_agree():
    with pytest.warns(UserWarning, match=r"Annotators do not agree on any example"):
        check([[0, 1], [1, 0]])


@pytest.mark.parametrize(
    ("probs", "ensemble", "error", "match"),
    [
        ([[0.5, 0.5]] * 2, False, InputTypeError, r"numpy ndarray; got list\. Convert"),
        (
            np.full((1, 2, 2), 0.5),
            False,
            InputError,
            r"2-D array \(n, K\); got shape \(1, 2, 2\)\. For one matrix per model",
        ),
        (
            np.full((2, 2), 0.5),
            True,
            InputError,
            r"3-D array .*got shape \(2, 2\)\. For a single model use",
        ),
        (
            np.full((3, 2), 0.5),
            False,
            InputError,
            r"pred_probs has 3 rows but labels_multiannotator has 2",
        ),
        (np.full((1, 3, 2), 0.5), True, InputError, r"pred_probs has 3 rows"),
        (np.full((2, 1), 1.0), False, InputError, r"has 1 columns but .* contains the class 1"),
    ],
)
def test_bad_pred_probs(probs, ensemble, error, match):
    with pytest.raises(error, match=match):
        check_crowd_pred_probs(probs, 2, 1, ensemble=ensemble)


def test_vote_counts_and_annotations():
    matrix = np.array([[0, 1, 1], [2, NAN, 2], [NAN, NAN, 0]])
    codes, mask = encode_annotations(matrix)
    assert vote_counts(codes, mask, 4).tolist() == [[1, 2, 0, 0], [0, 0, 2, 0], [1, 0, 0, 0]]
    ann = Annotations.build(codes, mask, 4)
    assert ann.counts.tolist() == vote_counts(codes, mask, 4).tolist()
    assert ann.num_annotations.tolist() == [3, 2, 1]
    assert ann.multi.tolist() == [True, True, False]
    assert ann.rows.tolist() == [0, 0, 0, 1, 1, 2]
    assert ann.cols.tolist() == [0, 1, 2, 0, 2, 2]
    assert ann.given.tolist() == [0, 1, 1, 2, 2, 0]
    assert (ann.num_classes, ann.num_annotators) == (4, 3)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [  # SPEC-multi A.5.1's examples (K = 3), and K = 2
        ([0, 0, 2], [1, 0, 0]),
        ([1, 0, 2], [1 / 3, 2 / 3, 0]),
        ([1, 1, 1], [1 / 3, 1 / 3, 1 / 3]),
        ([0, 3, 0], [1, 0, 0]),
        ([2, 1, 0], [2 / 3, 1 / 3, 0]),
    ],
)
def test_packed_distribution_quirk(counts, expected):
    got = packed_distribution(np.array([counts]))
    np.testing.assert_allclose(got, [expected], rtol=0, atol=1e-15)


def test_packed_distribution_is_correct_when_every_class_occurs():
    counts = np.array([[1, 3, 2, 2]])
    np.testing.assert_array_equal(packed_distribution(counts), counts / 8)
    np.testing.assert_array_equal(packed_distribution(np.array([[0, 2]])), [[1.0, 0.0]])
