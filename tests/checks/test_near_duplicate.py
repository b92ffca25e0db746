import numpy as np
import pytest

from pdclean.checks.near_duplicate import find_near_duplicate_issues, split_sets
from pdclean.errors import InputError
from tests.checks._helpers import DIMS, assert_check_matches, datalab, our_graph, tutorial


def test_tutorial_numbers():
    r = find_near_duplicate_issues(knn=our_graph("tutorial"))
    assert sorted(np.flatnonzero(r.is_issue).tolist()) == [3, 58, 103, 119, 236, 238]
    assert round(r.summary_score, 4) == 0.6120
    assert r.details["median_distance_to_nearest_neighbor"] == pytest.approx(0.297339, abs=1e-6)
    sets = split_sets(*r.details["near_duplicate_sets"])
    expected = tutorial()["w"]["near_duplicate_sets"]
    assert {i: s.tolist() for i, s in enumerate(sets) if s.size} == {
        int(i): v for i, v in expected.items()
    }
    np.testing.assert_allclose(r.score[[3, 103, 238]], [0.023714, 0.107266, 0.119505], atol=5e-7)
    np.testing.assert_allclose(
        r.score, tutorial()["w"]["issues"]["near_duplicate_score"], rtol=0, atol=1e-9
    )


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab(d):
    issues, summary, lab, _ = datalab("full", d)
    r = find_near_duplicate_issues(knn=our_graph("full", d))
    assert_check_matches(r, issues, summary, "near_duplicate")
    ref_sets = lab.get_issues("near_duplicate")["near_duplicate_sets"].tolist()
    ours = split_sets(*r.details["near_duplicate_sets"])
    assert [sorted(s.tolist()) for s in ours] == [sorted(s) for s in ref_sets]
    # planted duplicates: the 15-row group are all flagged with score 0
    assert r.is_issue[200:215].all()
    assert (r.score[200:215] == 0).all()


def test_sets_are_symmetric_without_repeats():
    r = find_near_duplicate_issues(knn=our_graph("full", 5), threshold=0.5)
    sets = split_sets(*r.details["near_duplicate_sets"])
    for i, s in enumerate(sets):
        assert len(set(s.tolist())) == s.size
        assert i not in s
        for j in s:
            assert i in sets[j]


def test_negative_threshold():
    with pytest.raises(InputError, match=r"threshold must be a number >= 0\.0, got -0\.1"):
        find_near_duplicate_issues(knn=our_graph("tutorial"), threshold=-0.1)
