import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.checks.exact_duplicate import find_exact_duplicate_issues
from tests.checks._helpers import planted_table


def test_planted_groups():
    X = planted_table(5)[0]
    r = find_exact_duplicate_issues(features=X)
    assert sorted(np.flatnonzero(r.is_issue).tolist()) == sorted(
        [5, 17, 40, 41, 99, *range(200, 215), 350]
    )
    gid = r.details["group_ids"]
    assert gid[5] == gid[17] == 0
    assert gid[40] == gid[41] == gid[99] == 1
    assert (gid[200:215] == 2).all()
    assert gid[350] == 2
    assert r.details["num_groups"] == 3
    assert r.summary_score == (400 - 21) / 400
    assert r.score[5] == 0.0
    assert r.score[0] == 1.0


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2)), min_size=1, max_size=40))
def test_equals_slow_loop(rows):
    X = np.array(rows, dtype=np.float64)
    r = find_exact_duplicate_issues(features=X)
    first_seen: dict = {}
    expected_gid = []
    for row in rows:
        if rows.count(row) >= 2:
            expected_gid.append(first_seen.setdefault(row, len(first_seen)))
        else:
            expected_gid.append(-1)
    assert r.details["group_ids"].tolist() == expected_gid
    assert r.is_issue.tolist() == [g >= 0 for g in expected_gid]
    assert ((r.score == 0) == r.is_issue).all()


def test_nan_rows_compare_equal():
    X = np.array([[np.nan, 1.0], [np.nan, 1.0], [0.0, 1.0]])
    assert find_exact_duplicate_issues(features=X).is_issue.tolist() == [True, True, False]
