import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.checks.conflicting_labels import find_conflicting_labels_issues


def test_hand_computed():
    X = np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [2.0], [3.0], [3.0]])
    labels = np.array([0, 0, 1, 1, 1, 0, 2, 0])
    r = find_conflicting_labels_issues(features=X, labels=labels)
    assert r.is_issue.tolist() == [True, True, True, False, False, False, True, True]
    np.testing.assert_allclose(r.score, [2 / 3, 2 / 3, 1 / 3, 1, 1, 1, 0.5, 0.5])
    assert r.details["group_ids"].tolist() == [0, 0, 0, -1, -1, -1, 2, 2]


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=1, max_size=40))
def test_equals_slow_loop(rows):
    X = np.array([[float(x)] for x, _ in rows])
    labels = np.array([y for _, y in rows])
    r = find_conflicting_labels_issues(features=X, labels=labels)
    for i, (x, y) in enumerate(rows):
        group = [yy for xx, yy in rows if xx == x]
        conflict = len(group) >= 2 and len(set(group)) > 1
        assert r.is_issue[i] == conflict
        expected = group.count(y) / len(group) if conflict else 1.0
        assert abs(r.score[i] - expected) < 1e-12
