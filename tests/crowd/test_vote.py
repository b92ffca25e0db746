"""pdclean.core.crowd.vote: majority vote and its tie rules (SPEC-multi A.4)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.crowd.labels import encode_annotations
from pdclean.core.crowd.vote import annotator_reliability, majority_vote
from pdclean.errors import InputError

NAN = np.nan


def vote(matrix, num_classes, **kwargs):
    codes, mask = encode_annotations(np.asarray(matrix, dtype=float))
    return majority_vote(codes, mask, num_classes, **kwargs).tolist()


def test_unique_modes():
    assert vote([[0, 0, 1], [2, 2, NAN], [NAN, 1, NAN]], 3) == [0, 2, 1]


def test_stage_1_highest_probability():
    probs = np.array([[0.3, 0.3, 0.4], [0.1, 0.5, 0.4], [0.2, 0.7, 0.1]])
    assert vote([[0, 1], [1, 2], [1, 1]], 3, pred_probs=probs)[1] == 1


def test_stage_2_prefers_the_rarer_class():
    # SPEC A.4's example: P ties on classes 0 and 1, class 1 is rarer overall
    probs = np.array([[0.3, 0.3, 0.4], [0.5, 0.2, 0.3], [0.5, 0.2, 0.3]])
    assert vote([[0, 1], [0, 0], [0, 2]], 3, pred_probs=probs)[0] == 1
    assert vote([[0, 1], [1, 1], [1, 2]], 3, pred_probs=probs)[0] == 0


def test_stage_3_more_reliable_annotators():
    # class frequencies tie (0 and 1 three times each); annotator 0 always agrees with the
    # untied rows, annotator 1 never does: row 0 goes to annotator 0's class
    matrix = [[1, 0, NAN], [1, 0, 1], [0, 1, 0], [NAN, NAN, 2], [NAN, NAN, 2]]
    assert vote(matrix, 3) == [1, 1, 0, 2, 2]
    matrix = [[0, 1, NAN], [1, 0, 1], [0, 1, 0], [NAN, NAN, 2], [NAN, NAN, 2]]
    assert vote(matrix, 3) == [0, 1, 0, 2, 2]


def test_reliability_nan_replaced_by_mean():
    codes, mask = encode_annotations(np.array([[0, 0, NAN], [1, NAN, 1], [NAN, 0, 1]]))
    vote_ = np.array([0, 1, 0])
    untied = np.array([True, True, False])
    np.testing.assert_array_equal(
        annotator_reliability(codes, mask, vote_, untied), [1.0, 1.0, 1.0]
    )
    untied = np.array([True, False, False])
    np.testing.assert_array_equal(
        annotator_reliability(codes, mask, vote_, untied),
        [1.0, 1.0, 1.0],  # third: mean
    )


def test_random_stage_warns_and_is_reproducible():
    matrix = [[0, 0], [1, 1], [0, 1], [1, 0]]  # rows 2, 3 tie at every stage
    with pytest.warns(UserWarning, match=r"breaking ties of examples \[2, 3\] by random"):
        first = vote(matrix, 2, random_state=3)
    with pytest.warns(UserWarning, match=r"breaking ties"):
        assert vote(matrix, 2, random_state=3) == first
    assert first[:2] == [0, 1]


def test_no_reliability_cannot_break_ties():
    with pytest.raises(InputError, match=r"cannot break the ties of rows \[0, 1\]"):
        vote([[0, 1], [1, 0]], 2)


def slow_vote(matrix: np.ndarray, probs: np.ndarray) -> list[int]:
    """SPEC A.4 stages 1-3 row by row, written from the spec for this test."""
    n, k = probs.shape
    counts = np.array([[np.sum(row == c) for c in range(k)] for row in matrix])
    freq = counts.sum(axis=0)
    untied = [np.sum(c == c.max()) == 1 for c in counts]
    first = [int(np.argmax(c)) for c in counts]
    rel = []
    for m in range(matrix.shape[1]):
        rows = [i for i in range(n) if untied[i] and not np.isnan(matrix[i, m])]
        rel.append(np.mean([matrix[i, m] == first[i] for i in rows]) if rows else np.nan)
    rel = np.array(rel)
    if not np.isnan(rel).all():
        rel[np.isnan(rel)] = np.nanmean(rel)
    out = []
    for i in range(n):
        cand = [c for c in range(k) if counts[i, c] == counts[i].max()]
        stages = [
            lambda c, i=i: probs[i, c],
            lambda c: -freq[c],
            lambda c, i=i: np.mean([rel[m] for m in range(len(rel)) if matrix[i, m] == c]),
        ]
        for stage in stages:
            if len(cand) == 1:
                break
            best = max(stage(c) for c in cand)
            cand = [c for c in cand if stage(c) == best]
        out.append(cand[0])
    return out


@given(st.integers(0, 10_000), st.integers(3, 30), st.integers(2, 5), st.integers(2, 4))
def test_vote_equals_a_slow_loop(seed, n, m, k):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, k, (n, m)).astype(float)
    matrix[rng.random((n, m)) < 0.4] = np.nan
    matrix[np.arange(n), rng.integers(0, m, n)] = rng.integers(0, k, n)
    probs = rng.dirichlet(np.ones(k), n)
    assert vote(matrix, k, pred_probs=probs) == slow_vote(matrix, probs)


@given(st.integers(0, 10_000), st.integers(3, 30), st.integers(2, 5), st.integers(2, 4))
def test_vote_is_row_permutation_equivariant(seed, n, m, k):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, k, (n, m)).astype(float)
    matrix[rng.random((n, m)) < 0.4] = np.nan
    matrix[np.arange(n), rng.integers(0, m, n)] = rng.integers(0, k, n)
    probs = rng.dirichlet(np.ones(k), n)  # continuous: stage 1 settles every tie
    order = rng.permutation(n)
    full = np.array(vote(matrix, k, pred_probs=probs))
    assert vote(matrix[order], k, pred_probs=probs[order]) == full[order].tolist()


def test_random_state_none_draws_from_numpys_global_rng_like_cleanlab():
    matrix = [[0, 0], [1, 1], [0, 1], [1, 0], [1, 0], [0, 1]]
    state = np.random.get_state()  # noqa: NPY002  (restored below)
    try:
        np.random.seed(7)  # noqa: NPY002  (what cleanlab users do to reproduce its draws)
        with pytest.warns(UserWarning, match=r"breaking ties"):
            global_draw = vote(matrix, 2)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    with pytest.warns(UserWarning, match=r"breaking ties"):
        assert vote(matrix, 2, random_state=np.random.RandomState(7)) == global_draw


def test_bad_random_state():
    with pytest.raises(TypeError, match=r"random_state must be None, an int or a numpy"):
        vote([[0, 0]], 1, random_state="seed")
