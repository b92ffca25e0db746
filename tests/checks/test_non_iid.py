import numpy as np
import pytest

from pdclean.checks.non_iid import find_non_iid_issues
from pdclean.errors import InputError
from pdclean.neighbors.graph import build_knn_graph
from tests.checks._helpers import DIMS, assert_check_matches, datalab, our_graph, tutorial


def test_tutorial_numbers():
    r = find_non_iid_issues(knn=our_graph("tutorial"))
    assert np.flatnonzero(r.is_issue).tolist() == [222]
    assert r.summary_score == 0.0
    assert np.argsort(r.score, kind="stable")[:5].tolist() == [222, 122, 126, 119, 118]
    assert r.score[222] == pytest.approx(0.614915, abs=5e-7)
    assert r.score[122] == pytest.approx(0.624422, abs=5e-7)
    np.testing.assert_allclose(r.score, tutorial()["w"]["issues"]["non_iid_score"], atol=1e-9)


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab(d):
    issues, summary, _, _ = datalab("full", d)
    assert_check_matches(find_non_iid_issues(knn=our_graph("full", d)), issues, summary, "non_iid")


def test_parity_pred_probs_only():
    issues, summary, _, inputs = datalab("probs", 5)
    r = find_non_iid_issues(pred_probs=inputs["pred_probs"])
    assert_check_matches(r, issues, summary, "non_iid")


def test_shuffled_rows_are_iid():
    rng = np.random.RandomState(3)
    X = np.sort(rng.normal(size=300))[:, None]  # sorted: strongly ordered
    ordered = find_non_iid_issues(knn=build_knn_graph(X))
    shuffled = find_non_iid_issues(knn=build_knn_graph(X[rng.permutation(300)]))
    assert ordered.summary_score < 0.05
    assert ordered.num_issues == 1
    assert shuffled.summary_score > 0.05
    assert shuffled.num_issues == 0
    assert ((ordered.score >= 0) & (ordered.score <= 1)).all()


def test_bad_significance():
    with pytest.raises(InputError, match="significance_threshold must be a number"):
        find_non_iid_issues(knn=our_graph("tutorial"), significance_threshold=2)
