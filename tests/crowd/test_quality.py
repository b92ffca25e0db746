"""pdclean.core.crowd.quality / ensemble / consensus: CROWDLAB statistics (SPEC-multi A.6-A.10)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.crowd.consensus import ensemble_consensus, lost_classes, multi_consensus
from pdclean.core.crowd.ensemble import ensemble_posterior
from pdclean.core.crowd.labels import Annotations, encode_annotations
from pdclean.core.crowd.quality import (
    annotator_alpha,
    best_quality_consensus,
    consensus_stats,
    crowdlab_posterior,
    most_likely_class_error,
)

NAN = np.nan


def crowd_problem(seed: int, n: int, m: int, k: int):
    """(annotations, continuous pred_probs): every row labelled, some rows twice or more."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, k, n)
    matrix = np.where(rng.random((n, m)) < 0.7, truth[:, None], rng.integers(0, k, (n, m)))
    matrix = matrix.astype(float)
    matrix[rng.random((n, m)) < 0.5] = NAN
    matrix[np.arange(n), rng.integers(0, m, n)] = truth
    matrix[0, :2] = truth[0]
    probs = rng.dirichlet(np.ones(k), n)
    return matrix, probs


def annotations(matrix, k):
    return Annotations.build(*encode_annotations(np.asarray(matrix, dtype=float)), k)


problems = st.tuples(
    st.integers(0, 10_000), st.integers(5, 40), st.integers(2, 5), st.integers(2, 5)
)


def test_alpha_and_isolated_annotator():
    # annotator 0 agrees with 1 out of 2 others on row 0 and with 1 of 1 on row 1
    ann = annotations([[0, 0, 1, NAN], [1, 1, NAN, NAN], [NAN, NAN, NAN, 2], [0, NAN, 0, NAN]], 3)
    alpha, isolated = annotator_alpha(ann)
    assert isolated.tolist() == [3]
    np.testing.assert_allclose(alpha[:3], [3 / 4, 2 / 3, 1 / 3], rtol=0, atol=1e-15)
    assert alpha[3] == np.mean(alpha[:3])


def test_most_likely_class_error_uses_multi_rows_and_is_clipped():
    ann = annotations([[0, 0], [1, NAN], [1, 1], [2, 2]], 3)
    assert most_likely_class_error(ann, np.array([0, 1, 1, 2])) == 2 / 3
    ann = annotations([[0, 0], [1, NAN], [0, 0]], 3)
    assert most_likely_class_error(ann, np.array([0, 1, 0])) == 1e-6


def test_agreement_method_uses_the_packed_quirk():
    """K = 3, a row labelled {2, 2}: cleanlab's packed posterior makes its consensus 0."""
    ann = annotations([[2, 2], [0, 1], [0, 0]], 3)
    probs = np.full((3, 3), 1 / 3)
    stats = consensus_stats(ann, probs, np.array([2, 0, 0]), quality_method="agreement")
    np.testing.assert_array_equal(stats.posterior[0], [1.0, 0.0, 0.0])
    assert best_quality_consensus(stats.posterior, np.array([2, 0, 0]))[0] == 0
    assert stats.model_weight is None
    np.testing.assert_array_equal(stats.quality, stats.agreement)


def slow_posterior(ann, probs, cl, ncl, w, weight):
    """A.6.2 step 6 entry by entry, in cleanlab's summation order (written from the spec)."""
    n, k = probs.shape
    out = np.empty((n, k))
    for i in range(n):
        for c in range(k):
            num, den = weight * probs[i, c], 0.0
            for m in np.flatnonzero(ann.mask[i]):
                num += w[m] * (cl if ann.codes[i, m] == c else ncl)
                den += w[m]
            out[i, c] = num / (den + weight)
    return out


def slow_ensemble_posterior(ann, stack, cl, ncl, w, weights):
    """A.10 step 4 entry by entry with numpy's average (written from the spec)."""
    n, k = stack.shape[1:]
    out = np.empty((n, k))
    for i in range(n):
        who = np.flatnonzero(ann.mask[i])
        for c in range(k):
            values = list(stack[:, i, c]) + [cl if ann.codes[i, m] == c else ncl for m in who]
            out[i, c] = np.average(values, weights=list(weights) + list(w[who]))
    return out


@given(problems)
def test_posteriors_equal_slow_loops_bit_for_bit(problem):
    seed, n, m, k = problem
    matrix, probs = crowd_problem(seed, n, m + 6, k)  # up to 11 terms: numpy's 8-way sums
    ann = annotations(matrix, k)
    rng = np.random.default_rng(seed)
    w = rng.uniform(1e-6, 1, ann.num_annotators)
    w[rng.random(w.size) < 0.3] = 1e-6
    cl, ncl = 0.7, 0.3 / (k - 1)
    np.testing.assert_array_equal(
        crowdlab_posterior(ann, probs, cl, ncl, w, 1.3), slow_posterior(ann, probs, cl, ncl, w, 1.3)
    )
    stack = np.stack([probs, rng.dirichlet(np.ones(k), n)])
    weights = np.array([1.3, 0.4])
    np.testing.assert_array_equal(
        ensemble_posterior(ann, stack, cl, ncl, w, weights),
        slow_ensemble_posterior(ann, stack, cl, ncl, w, weights),
    )


@given(problems, st.sampled_from(["crowdlab", "agreement"]))
def test_scores_in_unit_interval_and_posterior_rows_sum_to_one(problem, quality_method):
    seed, n, m, k = problem
    matrix, probs = crowd_problem(seed, n, m, k)
    ann = annotations(matrix, k)
    stats, _ = multi_consensus(
        ann, probs, ["best_quality", "majority_vote"], quality_method=quality_method
    )
    for result in stats:
        assert ((result.quality >= 0) & (result.quality <= 1)).all()
        assert ((result.agreement > 0) | (result.consensus != stats[1].consensus)).all()
        np.testing.assert_allclose(result.posterior.sum(axis=1), 1.0, rtol=0, atol=1e-12)
        assert ((result.consensus >= 0) & (result.consensus < k)).all()


@given(problems)
def test_consensus_is_row_permutation_equivariant(problem):
    seed, n, m, k = problem
    matrix, probs = crowd_problem(seed, n, m, k)
    order = np.random.default_rng(seed).permutation(n)
    (full,), _ = multi_consensus(annotations(matrix, k), probs, ["best_quality"])
    (perm,), _ = multi_consensus(annotations(matrix[order], k), probs[order], ["best_quality"])
    np.testing.assert_array_equal(perm.consensus, full.consensus[order])
    np.testing.assert_allclose(perm.quality, full.quality[order], rtol=0, atol=1e-12)


@given(problems)
def test_crowdlab_consensus_is_class_relabelling_equivariant(problem):
    """With continuous pred_probs every tie rule that could favour a class index is unused
    (the vote's stage 1 settles ties, MLCE does not depend on which tied mode is taken).
    "agreement" is not equivariant: its packed posterior favours low class indices."""
    seed, n, m, k = problem
    matrix, probs = crowd_problem(seed, n, m, k)
    relabel = np.random.default_rng(seed).permutation(k)
    renamed = np.where(np.isnan(matrix), NAN, relabel[np.nan_to_num(matrix).astype(int)])
    new_probs = np.empty_like(probs)
    new_probs[:, relabel] = probs
    (full,), _ = multi_consensus(annotations(matrix, k), probs, ["best_quality"])
    (moved,), _ = multi_consensus(annotations(renamed, k), new_probs, ["best_quality"])
    np.testing.assert_array_equal(moved.consensus, relabel[full.consensus])
    np.testing.assert_allclose(moved.quality, full.quality, rtol=0, atol=1e-12)


def test_ensemble_of_one_model_matches_single_model():
    matrix, probs = crowd_problem(3, 60, 4, 3)
    ann = annotations(matrix, 3)
    single, _ = multi_consensus(ann, probs, ["best_quality"])
    ensemble, _ = ensemble_consensus(ann, probs[None])
    np.testing.assert_array_equal(ensemble.consensus, single[0].consensus)
    np.testing.assert_allclose(ensemble.quality, single[0].quality, rtol=0, atol=1e-12)


def test_best_quality_keeps_the_vote_on_posterior_ties():
    posterior = np.array([[0.4, 0.4, 0.2], [0.1, 0.6, 0.3], [0.5, 0.5, 0.0]])
    np.testing.assert_array_equal(best_quality_consensus(posterior, np.array([1, 0, 0])), [1, 1, 0])


def test_lost_classes():
    ann = annotations([[0, 2], [1, 1], [0, 0]], 4)
    assert lost_classes(ann, np.array([0, 1, 0])) == [2]
    assert lost_classes(ann, np.array([2, 1, 0])) == []


@pytest.mark.parametrize("method", ["crowdlab", "agreement"])
def test_unknown_quality_method_is_a_key_error_inside_the_engine(method):
    ann = annotations([[0, 0], [1, 1]], 2)
    stats = consensus_stats(ann, np.eye(2), np.array([0, 1]), quality_method=method)
    np.testing.assert_array_equal(stats.consensus, [0, 1])
    with pytest.raises(KeyError):
        consensus_stats(ann, np.eye(2), np.array([0, 1]), quality_method="bogus")
