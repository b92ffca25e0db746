import numpy as np
import pytest

from pdclean.checks.null import find_null_issues
from pdclean.checks.runner import run_audit


def test_hand_computed():
    mask = np.array(
        [[False, False, False], [True, False, False], [True, True, True], [True, False, False]]
    )
    r = find_null_issues(isnull=mask)
    assert r.is_issue.tolist() == [False, False, True, False]
    np.testing.assert_allclose(r.score, [1.0, 2 / 3, 0.0, 2 / 3])
    assert r.summary_score == pytest.approx(7 / 12, abs=1e-15)
    np.testing.assert_allclose(r.details["column_null_fraction"], [0.75, 0.25, 0.25])
    assert r.details["most_common_pattern"].tolist() == [True, False, False]
    assert r.details["num_partially_null"] == 2


def test_tutorial_has_no_nulls():
    r = find_null_issues(isnull=np.zeros((250, 2), dtype=bool))
    assert r.num_issues == 0
    assert r.summary_score == 1.0
    assert r.details["most_common_pattern"] is None


def test_nan_features_reported_through_runner():
    X = np.random.RandomState(0).normal(size=(30, 2))
    X[4] = np.nan
    X[7, 0] = np.nan
    run = run_audit(features=X, issue_types={"null": {}})
    r = run.results["null"]
    assert np.flatnonzero(r.is_issue).tolist() == [4]
    assert r.score[7] == 0.5
