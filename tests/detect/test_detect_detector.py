"""pdclean.core.detect.detector: exact values on hand-made problems, properties, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.detect import LabelIssues, detect_label_issues
from pdclean.errors import InputError, InputTypeError

P4 = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.2, 0.8]])
Y4 = np.array([0, 1, 1, 1])
NB4 = np.array([[1], [0], [3], [2]])


def test_hand_made_with_neighbours():
    out = detect_label_issues(Y4, P4, NB4)
    # q = 2/3 P + 1/3 vote; vote of row 1 (label 1) is its neighbour row 0's label 0.
    assert out.is_label_issue.tolist() == [False, True, False, False]
    assert out.suggested_label.tolist() == [1, 0, 0, 0]
    # binary: quality = (1 + q[given] - q[other]) / 2 = q[given]
    np.testing.assert_allclose(out.label_quality, [0.6, 2 / 15, 0.8, 13 / 15], atol=1e-12)
    np.testing.assert_allclose(out.prob_suggested, [0.1, 0.8, 0.3, 0.2], atol=1e-12)
    np.testing.assert_allclose(out.prob_given, [0.9, 0.2, 0.7, 0.8], atol=1e-12)
    assert out.neighbors_suggested.tolist() == [1, 1, 0, 0]
    assert out.n_neighbors == 1


def test_hand_made_three_classes_without_neighbours():
    P = np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]])
    out = detect_label_issues(np.array([1, 1, 0]), P)
    assert out.is_label_issue.tolist() == [True, False, True]
    assert out.suggested_label.tolist() == [0, 2, 2]
    np.testing.assert_allclose(out.label_quality, [0.4, 0.65, 0.3], atol=1e-12)
    assert out.neighbors_suggested.tolist() == [0, 0, 0]
    assert out.n_neighbors == 0


def test_margin_and_vote_weight():
    P = np.array([[0.45, 0.55], [0.3, 0.7]])
    y = np.array([0, 0])
    assert detect_label_issues(y, P).is_label_issue.tolist() == [True, True]
    assert detect_label_issues(y, P, margin=0.2).is_label_issue.tolist() == [False, True]
    nb = np.array([[1], [0]])  # both neighbours say 0: full vote weight clears both rows
    out = detect_label_issues(y, P, nb, vote_weight=1.0)
    assert out.is_label_issue.tolist() == [False, False]


def test_members_are_averaged():
    A = np.array([[0.9, 0.1], [0.2, 0.8]])
    B = np.array([[0.5, 0.5], [0.6, 0.4]])
    y = np.array([0, 1])
    both = detect_label_issues(y, [A, B])
    mean = detect_label_issues(y, (A + B) / 2)
    np.testing.assert_allclose(both.label_quality, mean.label_quality, atol=1e-15)
    np.testing.assert_allclose(both.prob_given, [0.7, 0.6], atol=1e-15)


def test_result_is_a_named_tuple():
    assert isinstance(detect_label_issues(Y4, P4), LabelIssues)


def test_hundreds_of_classes():
    K, n = 300, 900
    rng = np.random.default_rng(0)
    y = np.arange(n) % K
    P = np.full((n, K), 0.1 / (K - 1))
    P[np.arange(n), y] = 0.9
    flip = np.arange(0, n, 9)
    P[flip] = P[flip][:, ::-1]  # these rows put 0.9 on class K-1-y
    nb = (np.arange(n)[:, None] + rng.integers(1, n, (n, 5))) % n
    out = detect_label_issues(y, P, nb, vote_weight=0.0)
    assert out.is_label_issue.sum() == flip.size
    assert np.array_equal(out.suggested_label[flip], K - 1 - y[flip])


def test_tiny_class_of_one_row():
    P = np.array([[0.6, 0.3, 0.1], [0.7, 0.2, 0.1], [0.1, 0.1, 0.8]])
    out = detect_label_issues(np.array([0, 0, 2]), P)
    assert out.is_label_issue.tolist() == [False, False, False]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"pred_probs": np.ones((3, 1))}, r"K >= 2 classes.*got shape \(3, 1\).*one-class"),
        ({"pred_probs": []}, "at least one"),
        ({"pred_probs": [P4, P4[:, ::-1][:3]]}, r"pred_probs\[1\] must be an \(n, K\) array"),
        ({"pred_probs": P4 * 2}, "rows must sum to 1; a row sums to 1 \\+1 off"),
        ({"pred_probs": np.where(P4 > 0.85, np.nan, P4)}, "finite, non-negative"),
        ({"labels": np.array([0, 1, 2, 1])}, r"labels must lie in 0..1.*from 0 to 2"),
        ({"labels": np.array([0.0, 1, 1, 1])}, "1-D integer array.*float64"),
        ({"labels": np.array([0, 1])}, r"one label per row of pred_probs \(4\)"),
        ({"neighbors": np.array([[0], [0], [3], [2]])}, "exclude the row itself"),
        ({"neighbors": np.array([[1], [0], [4], [2]])}, r"index rows 0..3; got values from 0 to 4"),
        ({"neighbors": np.ones((3, 1), int)}, r"n = 4 rows.*\(3, 1\)"),
        ({"vote_weight": 1.5}, r"vote_weight must lie in \[0, 1\]; got 1.5"),
        ({"margin": 1.0}, r"margin must lie in \[-1, 1\); got 1.0"),
    ],
)
def test_bad_input(kwargs, match):
    args = {"labels": Y4, "pred_probs": P4, "neighbors": None} | kwargs
    with pytest.raises(InputError, match=match):
        detect_label_issues(
            args.pop("labels"), args.pop("pred_probs"), args.pop("neighbors"), **args
        )


def test_float_neighbours_are_a_type_error():
    with pytest.raises(InputTypeError, match="integer row indices; got dtype float64"):
        detect_label_issues(Y4, P4, NB4.astype(float))


def problem(seed: int, n: int, K: int, k: int):
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.ones(K) * 0.7, size=n)
    y = rng.integers(0, K, n)
    nb = (np.arange(n)[:, None] + rng.integers(1, n, (n, k))) % n
    return y, P, nb


sizes = st.tuples(st.integers(0, 10**6), st.integers(3, 40), st.integers(2, 6), st.integers(1, 2))


@given(sizes, st.floats(0, 1), st.floats(-0.5, 0.5))
def test_properties(size, w, margin):
    y, P, nb = problem(*size)
    out = detect_label_issues(y, P, nb, vote_weight=w, margin=margin)
    assert ((out.label_quality >= 0) & (out.label_quality <= 1)).all()
    assert ((out.suggestion_confidence >= 0) & (out.suggestion_confidence <= 1)).all()
    assert (out.suggested_label != y).all()
    gap = 1 - 2 * out.label_quality
    assert np.array_equal(out.is_label_issue, gap > margin + 1e-12) or np.allclose(
        gap[out.is_label_issue != (gap > margin)], margin
    )
    assert ((out.neighbors_suggested >= 0) & (out.neighbors_suggested <= nb.shape[1])).all()


@given(sizes)
def test_equals_a_slow_loop(size):
    y, P, nb = problem(*size)
    out = detect_label_issues(y, P, nb)
    K = P.shape[1]
    for i in range(y.size):
        vote = np.bincount(y[nb[i]], minlength=K) / nb.shape[1]
        q = (2 / 3) * P[i] + (1 / 3) * vote
        others = [j for j in range(K) if j != y[i]]
        best = max(others, key=lambda j: (q[j], -j))
        assert out.suggested_label[i] == best
        assert out.label_quality[i] == pytest.approx((1 + q[y[i]] - q[best]) / 2, abs=1e-12)
        assert out.neighbors_suggested[i] == int((y[nb[i]] == best).sum())


@given(sizes)
def test_row_permutation_equivariance(size):
    y, P, nb = problem(*size)
    perm = np.random.default_rng(size[0]).permutation(y.size)
    inverse = np.argsort(perm)
    base = detect_label_issues(y, P, nb)
    moved = detect_label_issues(y[perm], P[perm], inverse[nb[perm]])
    assert np.array_equal(moved.is_label_issue, base.is_label_issue[perm])
    np.testing.assert_allclose(moved.label_quality, base.label_quality[perm], atol=1e-12)


@given(sizes)
def test_class_relabelling_invariance(size):
    y, P, nb = problem(*size)
    K = P.shape[1]
    new = np.random.default_rng(size[0] + 1).permutation(K)  # class c becomes new[c]
    Q = np.empty_like(P)
    Q[:, new] = P
    base = detect_label_issues(y, P, nb)
    moved = detect_label_issues(new[y], Q, nb)
    assert np.array_equal(moved.is_label_issue, base.is_label_issue)
    assert np.array_equal(moved.suggested_label, new[base.suggested_label])


@given(st.integers(0, 10**6), st.integers(2, 8))
def test_perfect_pred_probs_give_no_issues(seed, K):
    y = np.random.default_rng(seed).integers(0, K, 30)
    assert not detect_label_issues(y, np.eye(K)[y]).is_label_issue.any()
