import numpy as np
import pytest

from pdclean.checks.label import find_label_check_issues, knn_pred_probs
from pdclean.errors import InputError
from tests.checks._helpers import DIMS, assert_check_matches, datalab, tutorial


def test_tutorial_numbers():
    t = tutorial()
    r = find_label_check_issues(labels=t["labels"], pred_probs=t["pred_probs"])
    assert r.num_issues == 64
    assert r.summary_score == pytest.approx(0.756, abs=1e-12)
    assert sorted(np.flatnonzero(r.is_issue).tolist()) == t["w"]["info"]["label"]["flagged_indices"]
    np.testing.assert_allclose(r.score, t["w"]["issues"]["label_score"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(r.details["predicted_label"], t["w"]["label_predicted_label"])
    assert np.argsort(r.score, kind="stable")[:5].tolist() == [99, 8, 64, 107, 10]


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab(d):
    issues, summary, _, inputs = datalab("full", d)
    r = find_label_check_issues(labels=inputs["labels"], pred_probs=inputs["pred_probs"])
    assert_check_matches(r, issues, summary, "label")


def test_parity_features_only_knn_probabilities():
    issues, summary, _, inputs = datalab("features", 2)
    X, labels = inputs["features"], inputs["labels"]
    r = find_label_check_issues(labels=labels, features=X)
    np.testing.assert_allclose(r.score, issues["label_score"], rtol=0, atol=1e-12)
    assert r.summary_score == pytest.approx(summary["label"], abs=1e-12)
    ref = issues["is_label_issue"].to_numpy()
    assert r.num_issues == ref.sum()
    # kNN probabilities are multiples of 1/10: rows may tie exactly, and the reference picks
    # among tied rows with an unstable sort (SPEC 1.3); every disagreement must be such a tie
    P = knn_pred_probs(X, labels)
    ours_only, ref_only = np.flatnonzero(r.is_issue & ~ref), np.flatnonzero(~r.is_issue & ref)
    key = np.column_stack([labels, P])
    for i in ours_only:
        assert any((key[j] == key[i]).all() for j in ref_only)


def test_features_only_with_duplicates_errors_like_reference():
    # row 209 (in the 15-row duplicate group) is not among its own 11 nearest rows, so its
    # kNN probability goes negative; the reference's label check fails on it too
    _, summary, _, inputs = datalab("features", 5)
    assert "label" not in summary
    with pytest.raises(InputError, match="pred_probs must be between 0 and 1"):
        find_label_check_issues(labels=inputs["labels"], features=inputs["features"])


def test_knn_pred_probs_hand_computed():
    X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    P = knn_pred_probs(X, np.array([0, 0, 1, 1, 1, 1]), k=2)
    np.testing.assert_allclose(P, [[0.5, 0.5], [0.5, 0.5], [1, 0], [0, 1], [0, 1], [0, 1]])


def test_details_carry_the_overlapping_class_pairs():
    from pdclean import dataset

    t = tutorial()
    r = find_label_check_issues(labels=t["labels"], pred_probs=t["pred_probs"])
    pairs = r.details["overlapping_classes"]
    ref = dataset.find_overlapping_classes(t["labels"], t["pred_probs"])
    ref = ref[ref["joint_probability"] > 0].head(10)
    np.testing.assert_array_equal(pairs["class_a"], ref["class_index_a"])
    np.testing.assert_array_equal(pairs["class_b"], ref["class_index_b"])
    np.testing.assert_allclose(pairs["joint_probability"], ref["joint_probability"], atol=1e-12)
