import numpy as np
import pytest

from pdclean.checks.class_imbalance import find_class_imbalance_issues
from pdclean.errors import InputError
from tests.checks._helpers import DIMS, assert_check_matches, datalab, tutorial


def test_tutorial_numbers():
    t = tutorial()
    r = find_class_imbalance_issues(labels=t["labels"])
    assert r.num_issues == 0
    assert r.summary_score == pytest.approx(0.196, abs=1e-12)
    assert r.details["rarest_class"] == 3
    np.testing.assert_array_equal(r.score, t["w"]["issues"]["class_imbalance_score"])


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab(d):
    issues, summary, _, inputs = datalab("full", d)
    r = find_class_imbalance_issues(labels=inputs["labels"])
    assert_check_matches(r, issues, summary, "class_imbalance")


def test_rare_class_flagged_hand_computed():
    labels = np.array([0] * 50 + [1] * 48 + [2] * 2)  # f = 0.02 < 0.1 / 3
    r = find_class_imbalance_issues(labels=labels)
    np.testing.assert_array_equal(np.flatnonzero(r.is_issue), [98, 99])
    assert r.summary_score == 0.02
    assert r.score[0] == 1.0
    assert r.score[99] == 0.02


def test_ties_pick_lowest_class_and_bad_threshold():
    r = find_class_imbalance_issues(labels=np.array([2, 2, 1, 1, 0, 0, 0]), threshold=1.0)
    assert r.details["rarest_class"] == 1
    with pytest.raises(InputError, match="threshold must be a number in"):
        find_class_imbalance_issues(labels=np.array([0, 1]), threshold=-0.5)
