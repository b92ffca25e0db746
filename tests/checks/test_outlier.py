import numpy as np
import pytest

from pdclean.checks.outlier import find_outlier_issues
from pdclean.errors import InputError
from tests.checks._helpers import DIMS, assert_check_matches, datalab, our_graph, tutorial


def test_tutorial_numbers():
    r = find_outlier_issues(knn=our_graph("tutorial"))
    assert sorted(np.flatnonzero(r.is_issue).tolist()) == [10, 132, 147, 189, 194, 225, 249]
    assert round(r.summary_score, 4) == 0.3454
    assert np.argsort(r.score, kind="stable")[:5].tolist() == [147, 10, 249, 132, 189]
    np.testing.assert_allclose(
        r.score[[147, 10, 249, 132, 189]],
        [0.014051, 0.020451, 0.042594, 0.043859, 0.045954],
        atol=5e-7,
    )
    assert r.details["scaling_factor"] == pytest.approx(0.7010556459654109, abs=1e-12)
    assert r.details["issue_threshold"] == pytest.approx(1.782367572897092, abs=1e-12)
    np.testing.assert_allclose(r.score, tutorial()["w"]["issues"]["outlier_score"], atol=1e-9)


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab_features(d):
    issues, summary, _, _ = datalab("full", d)
    assert_check_matches(find_outlier_issues(knn=our_graph("full", d)), issues, summary, "outlier")


def test_parity_with_datalab_pred_probs_only():
    issues, summary, _, inputs = datalab("probs", 5)
    r = find_outlier_issues(labels=inputs["labels"], pred_probs=inputs["pred_probs"])
    assert r.num_issues > 0
    assert_check_matches(r, issues, summary, "outlier")


def test_threshold_zero_flags_nothing_and_bad_threshold():
    g = our_graph("tutorial")
    assert find_outlier_issues(knn=g, threshold=0).num_issues == 0
    assert find_outlier_issues(knn=g, threshold=1.0).num_issues > 7
    with pytest.raises(InputError, match=r"threshold must be a number in \[0.0, 1.0\], got 1.5"):
        find_outlier_issues(knn=g, threshold=1.5)
    t = tutorial()
    with pytest.raises(InputError, match=r"threshold must be a number >= 0\.0, got -1"):
        find_outlier_issues(labels=t["labels"], pred_probs=t["pred_probs"], threshold=-1)
