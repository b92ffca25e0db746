"""pdclean.core.crowd.active: ActiveLab scores (SPEC-multi A.11)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.crowd.active import (
    active_learning_scores,
    active_learning_scores_ensemble,
    labelled_scores,
    unlabelled_scores,
    unlabelled_scores_ensemble,
)
from pdclean.core.crowd.labels import Annotations, encode_annotations

NAN = np.nan


def annotations(matrix, k):
    return Annotations.build(*encode_annotations(np.asarray(matrix, dtype=float)), k)


def test_labelled_scores_formula():
    ann = annotations([[0, 1, NAN], [1, NAN, NAN], [0, 0, 0]], 2)
    w = np.array([0.5, 0.25, 1.0])
    quality = np.array([0.4, 0.9, 0.8])
    wbar = w.mean()
    own = np.array([0.75, 0.5, 1.75])
    expected = (quality * (own + 2.0) + wbar / 2) / (own + 2.0 + wbar)
    np.testing.assert_allclose(labelled_scores(ann, quality, w, 2.0, 2), expected, atol=1e-15)


def test_unlabelled_scores_formula():
    probs = np.array([[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]])
    expected = (np.array([0.5, 0.9]) * 2.0 + 0.5 / 3) / 2.5
    np.testing.assert_allclose(unlabelled_scores(probs, 2.0, 0.5), expected, atol=1e-15)


def test_ensemble_unlabelled_uses_the_models_vote_class():
    stack = np.array([[[0.6, 0.4]], [[0.3, 0.7]], [[0.55, 0.45]]])
    vote = np.array([0])
    weights = np.array([1.0, 2.0, 1.0])
    expected = (0.6 + 2 * 0.3 + 0.55 + 1.0 / 2) / (4.0 + 1.0)
    got = unlabelled_scores_ensemble(stack, vote, weights, 1.0)
    np.testing.assert_allclose(got, [expected], rtol=0, atol=1e-15)


def test_single_label_rows_use_pred_probs_unscaled():
    ann = annotations([[0, NAN], [NAN, 1], [1, NAN]], 2)
    probs = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4]])
    scores, unlabelled = active_learning_scores(ann, probs, probs[:1])
    np.testing.assert_allclose(scores, ([0.7, 0.8, 0.4] * np.array(2.0) + 0.5) / 3, atol=1e-15)
    np.testing.assert_allclose(unlabelled, [(0.7 + 0.5) / 2], rtol=0, atol=1e-12)


@given(st.integers(0, 10_000), st.integers(5, 30), st.integers(2, 4))
def test_scores_in_unit_interval(seed, n, k):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(0, k, (n, 3)).astype(float)
    matrix[rng.random((n, 3)) < 0.4] = NAN
    matrix[:, 0] = rng.integers(0, k, n)
    matrix[0, 1] = matrix[0, 0]
    matrix[1, 2] = matrix[1, 0]
    ann = annotations(matrix, k)
    probs = rng.dirichlet(np.ones(k), n)
    scores, unlabelled = active_learning_scores(ann, probs, probs[:4], random_state=seed)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert ((unlabelled >= 0) & (unlabelled <= 1)).all()
    stack = np.stack([probs, 0.9 * probs + 0.1 / k])  # same argmax: the two models agree
    scores, unlabelled = active_learning_scores_ensemble(ann, stack, stack[:, :4])
    assert ((scores >= 0) & (scores <= 1)).all()
    assert ((unlabelled >= 0) & (unlabelled <= 1)).all()
