"""Invariants of pdclean.multilabel_classification (hypothesis), and the vectorised per-class
filter against a slow loop over the one-vs-rest problems through pdclean.filter."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pdclean.filter as single_filter
from pdclean.multilabel_classification import filter as ml_filter
from pdclean.multilabel_classification import rank as ml_rank

FILTERS = ["prune_by_noise_rate", "prune_by_class", "both", "confident_learning"]
ALL_FILTERS = [*FILTERS, "predicted_neq_given", "low_normalized_margin", "low_self_confidence"]
METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]


@st.composite
def problems(draw, all_present=False):
    """(labels, pred_probs, y): continuous pred_probs (no exact ties), no class on every row."""
    n, k, seed = draw(st.integers(6, 60)), draw(st.integers(2, 6)), draw(st.integers(0, 2**32))
    rng = np.random.default_rng(seed)
    y = rng.random((n, k)) < rng.uniform(0.05, 0.6, k)
    y[rng.integers(n), :] = False  # no class is on every row
    if all_present:
        y[rng.choice(n, k, replace=False), np.arange(k)] = True
    probs = np.clip(np.where(y, 0.7, 0.3) + rng.normal(0, 0.25, (n, k)), 0, 1)
    return [np.flatnonzero(r).tolist() for r in y], probs, y


def _labels(y):
    return [np.flatnonzero(r).tolist() for r in y]


@given(problems(), st.sampled_from(FILTERS))
def test_per_class_mask_equals_a_loop_over_binary_problems(problem, filter_by):
    labels, probs, y = problem
    expected = np.column_stack([
        single_filter.find_label_issues(
            y[:, k].astype(int), np.column_stack([1 - probs[:, k], probs[:, k]]),
            filter_by=filter_by,
        )
        for k in range(y.shape[1])
    ])  # fmt: skip
    got = ml_filter.find_multilabel_issues_per_class(labels, probs, filter_by=filter_by)
    np.testing.assert_array_equal(got, expected)
    np.testing.assert_array_equal(
        ml_filter.find_label_issues(labels, probs, filter_by=filter_by), expected.any(axis=1)
    )


@given(problems(all_present=True), st.sampled_from(METHODS), st.booleans())
def test_scores_are_in_unit_interval(problem, method, adjust):
    labels, probs, _ = problem
    adjust = adjust and method != "confidence_weighted_entropy"
    per_class = ml_rank.get_label_quality_scores_per_class(
        labels, probs, method=method, adjust_pred_probs=adjust
    )
    scores = ml_rank.get_label_quality_scores(
        labels, probs, method=method, adjust_pred_probs=adjust
    )
    for s in (per_class, scores):
        assert np.all((s >= 0) & (s <= 1))
    assert scores.shape == (len(labels),)


@given(problems(all_present=True), st.sampled_from(ALL_FILTERS), st.integers(0, 2**32))
def test_row_permutation_equivariance(problem, filter_by, seed):
    labels, probs, y = problem
    perm = np.random.default_rng(seed).permutation(len(labels))
    mask = ml_filter.find_label_issues(labels, probs, filter_by=filter_by)
    permuted = ml_filter.find_label_issues(_labels(y[perm]), probs[perm], filter_by=filter_by)
    np.testing.assert_array_equal(permuted, mask[perm])
    scores = ml_rank.get_label_quality_scores(labels, probs)
    np.testing.assert_allclose(
        ml_rank.get_label_quality_scores(_labels(y[perm]), probs[perm]), scores[perm], atol=1e-12
    )


@given(problems(all_present=True), st.sampled_from(ALL_FILTERS))
def test_perfect_pred_probs_give_no_issues(problem, filter_by):
    labels, _, y = problem
    perfect = y.astype(float)
    assert not ml_filter.find_label_issues(labels, perfect, filter_by=filter_by).any()
    assert not ml_filter.find_multilabel_issues_per_class(
        labels, perfect, filter_by=filter_by
    ).any()
    np.testing.assert_array_equal(ml_rank.get_label_quality_scores(labels, perfect), 1.0)


@given(problems(), st.sampled_from(FILTERS))
def test_ranked_output_is_the_mask_sorted_by_score(problem, filter_by):
    labels, probs, y = problem
    if not y.any():
        return
    mask = ml_filter.find_label_issues(labels, probs, filter_by=filter_by)
    ranked = ml_filter.find_label_issues(
        labels, probs, filter_by=filter_by, return_indices_ranked_by="self_confidence"
    )
    assert sorted(ranked.tolist()) == np.flatnonzero(mask).tolist()
    scores = ml_rank.get_label_quality_scores(labels, probs)
    assert np.all(np.diff(scores[ranked]) >= 0)


@pytest.mark.parametrize("num_to_remove", [[2, 0, 1], [0, 0, 0]])
def test_num_to_remove_per_class_counts_rows_without_the_class(num_to_remove):
    """prune_by_class flags exactly r_k rows *without* class k (B.7.2)."""
    rng = np.random.default_rng(0)
    y = rng.random((200, 3)) < 0.3
    probs = np.clip(np.where(y, 0.7, 0.3) + rng.normal(0, 0.3, y.shape), 0, 1)
    mask = ml_filter.find_multilabel_issues_per_class(
        _labels(y), probs, filter_by="prune_by_class", num_to_remove_per_class=num_to_remove
    )
    guard_free = mask.sum(axis=0)
    assert np.all(guard_free <= num_to_remove)
    assert not (mask & y).any()


@given(problems(all_present=True), st.sampled_from(ALL_FILTERS), st.integers(0, 2**32))
def test_class_relabelling_invariance(problem, filter_by, seed):
    """Renumbering the classes permutes the per-class columns and changes no row result."""
    labels, probs, y = problem
    perm = np.random.default_rng(seed).permutation(y.shape[1])
    relabelled = _labels(y[:, perm])
    per_class = ml_filter.find_multilabel_issues_per_class(labels, probs, filter_by=filter_by)
    np.testing.assert_array_equal(
        ml_filter.find_multilabel_issues_per_class(relabelled, probs[:, perm], filter_by=filter_by),
        per_class[:, perm],
    )
    np.testing.assert_array_equal(
        ml_rank.get_label_quality_scores(relabelled, probs[:, perm]),
        ml_rank.get_label_quality_scores(labels, probs),
    )
