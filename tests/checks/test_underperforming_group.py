import numpy as np
import pytest

from pdclean.checks.underperforming_group import find_underperforming_group_issues
from pdclean.errors import InputError
from tests.checks._helpers import (
    DIMS,
    assert_check_matches,
    datalab,
    our_graph,
    planted_table,
    tutorial,
)


def test_tutorial_numbers():
    t = tutorial()
    r = find_underperforming_group_issues(
        knn=our_graph("tutorial"), labels=t["labels"], pred_probs=t["pred_probs"]
    )
    assert r.num_issues == 0
    assert r.summary_score == pytest.approx(0.7695798906844702, abs=1e-12)
    np.testing.assert_allclose(
        r.score, t["w"]["issues"]["underperforming_group_score"], rtol=0, atol=1e-12
    )


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab(d):
    issues, summary, _, inputs = datalab("full", d)
    r = find_underperforming_group_issues(
        knn=our_graph("full", d), labels=inputs["labels"], pred_probs=inputs["pred_probs"]
    )
    assert_check_matches(r, issues, summary, "underperforming_group")


def test_cluster_ids_override_flags_worst_cluster():
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 0])
    P = np.array([[0.9, 0.1]] * 3 + [[0.95, 0.05]] * 3 + [[0.2, 0.8], [0.6, 0.4]])
    cluster_ids = np.array([0, 0, 0, 1, 1, 1, -1, -1])
    r = find_underperforming_group_issues(
        labels=labels,
        pred_probs=P,
        cluster_ids=cluster_ids,
        min_cluster_samples=3,
        threshold=0.2,
    )
    # mean over kept clusters = (2.7 + 0.15) / 6 = 0.475; cluster 1: 0.05 / 0.475
    np.testing.assert_array_equal(r.is_issue, [0, 0, 0, 1, 1, 1, 0, 0])
    assert r.summary_score == pytest.approx(0.05 / 0.475, abs=1e-12)
    np.testing.assert_allclose(r.score, [1, 1, 1, *[0.05 / 0.475] * 3, 1, 1], atol=1e-12)
    assert r.details["worst_cluster_id"] == 1


def test_no_meaningful_cluster():
    _X, labels, P = planted_table(2)
    with pytest.raises(InputError, match="No meaningful clusters"):
        find_underperforming_group_issues(
            labels=labels, pred_probs=P, cluster_ids=np.full(labels.shape, -1)
        )
