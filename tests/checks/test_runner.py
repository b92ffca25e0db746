import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdclean.checks import registry
from pdclean.checks.base import CheckResult, register_check
from pdclean.checks.runner import DEFAULT_TYPES, REFERENCE_TYPES, run_audit
from pdclean.errors import InputError, InputTypeError
from tests.checks._helpers import DIMS, datalab, planted_table, tutorial

TUTORIAL_COUNTS = {
    "null": (0, 1.0),
    "label": (64, 0.7560),
    "outlier": (7, 0.3454),
    "near_duplicate": (6, 0.6120),
    "non_iid": (1, 0.0),
    "class_imbalance": (0, 0.196),
    "underperforming_group": (0, 0.7696),
}


def _tutorial_run():
    t = tutorial()
    return run_audit(features=t["X"], labels=t["labels"], pred_probs=t["pred_probs"])


def test_tutorial_numbers_and_every_score():
    run, w = _tutorial_run(), tutorial()["w"]
    assert list(run.results) == list(DEFAULT_TYPES)
    assert not run.skipped
    for name, (count, score) in TUTORIAL_COUNTS.items():
        r = run.results[name]
        assert (r.num_issues, round(r.summary_score, 4)) == (count, score), name
        np.testing.assert_array_equal(r.is_issue, w["issues"][f"is_{name}_issue"])
        np.testing.assert_allclose(r.score, w["issues"][f"{name}_score"], rtol=0, atol=1e-6)
    assert run.results["underperforming_group"].summary_score == pytest.approx(0.769580, abs=1e-6)
    assert run.health == pytest.approx(w["overall_health_score_mean_of_summary_scores"], abs=1e-12)
    assert round(run.health, 4) == 0.5256
    assert run.knn is not None
    assert run.knn.k == 10


@pytest.mark.parametrize("d", DIMS)
def test_parity_with_datalab_end_to_end(d):
    issues, summary, _, inputs = datalab("full", d)
    run = run_audit(
        features=inputs["features"], labels=inputs["labels"], pred_probs=inputs["pred_probs"]
    )
    assert [n for n in run.results if n in REFERENCE_TYPES] == list(summary)
    for name, r in run.results.items():
        if name in summary:
            np.testing.assert_array_equal(r.is_issue, issues[f"is_{name}_issue"], err_msg=name)
            np.testing.assert_allclose(r.score, issues[f"{name}_score"], rtol=0, atol=1e-6)
            assert r.summary_score == pytest.approx(summary[name], abs=1e-6)
    assert run.health == pytest.approx(np.mean(list(summary.values())), abs=1e-9)
    assert run.results["exact_duplicate"].num_issues == 21


def test_health_excludes_new_types():
    run = _tutorial_run()
    ref_scores = [run.results[n].summary_score for n in REFERENCE_TYPES]
    all_scores = [r.summary_score for r in run.results.values()]
    assert run.health == pytest.approx(np.mean(ref_scores))
    assert run.health_all == pytest.approx(np.mean(all_scores))


def test_missing_inputs_are_skipped_with_reason():
    t = tutorial()
    run = run_audit(labels=t["labels"], pred_probs=t["pred_probs"])
    assert list(run.results) == ["label", "outlier", "non_iid", "class_imbalance"]
    assert run.skipped["near_duplicate"] == "needs knn"
    assert "null" in run.skipped
    assert "exact_duplicate" in run.skipped
    assert run.results["outlier"].details["method"] == "pred_probs"


def test_issue_types_select_and_set_parameters():
    t = tutorial()
    run = run_audit(
        features=t["X"], issue_types={"near_duplicate": {"threshold": 0.5}, "outlier": None}
    )
    assert list(run.results) == ["outlier", "near_duplicate"]  # reference order
    assert run.results["near_duplicate"].num_issues > 6


def test_unknown_issue_type_and_parameter():
    with pytest.raises(InputError, match=r"unknown issue type 'outliers'.*'outlier'"):
        run_audit(features=np.zeros((20, 2)), issue_types={"outliers": {}})
    with pytest.raises(InputError, match=r"issue_types\['outlier'\]: unknown parameter.*'k'"):
        run_audit(features=np.zeros((20, 2)), issue_types={"outlier": {"k": 5}})
    with pytest.raises(InputTypeError, match="issue_types must be a dict"):
        run_audit(features=np.zeros((20, 2)), issue_types=["outlier"])


def test_nan_features_null_reports_knn_checks_skip():
    X, labels, P = planted_table(2)
    X[[3, 8]] = np.nan
    run = run_audit(features=X, labels=labels, pred_probs=P)
    assert np.flatnonzero(run.results["null"].is_issue).tolist() == [3, 8]
    for name in ("near_duplicate", "underperforming_group"):
        assert "NaN or infinite values in 2 rows" in run.skipped[name]
    assert run.results["outlier"].details["method"] == "pred_probs"
    assert "label" in run.results
    assert run.skipped["near_duplicate"].missing == {"knn"}


def test_fewer_rows_than_k_plus_one():
    rng = np.random.RandomState(0)
    run = run_audit(features=rng.normal(size=(10, 2)), labels=np.arange(10) % 2)
    assert "need more than k=10 rows" in run.skipped["outlier"]
    assert "need more than k=10 rows" in run.skipped["label"]
    assert "null" in run.results
    assert "class_imbalance" in run.results


def test_single_class_labels():
    X, _, P = planted_table(2)
    labels = np.zeros(X.shape[0], dtype=np.int64)
    run = run_audit(features=X, labels=labels, pred_probs=P)
    assert run.results["class_imbalance"].summary_score == 1.0
    assert run.results["class_imbalance"].num_issues == 0
    # a data problem the check cannot take is a skip with its reason, not a crash
    assert run.skipped["label"].startswith("InputError: labels must contain at least 2 classes")
    assert run.skipped["label"].missing == frozenset()
    assert "outlier" in run.results  # the other checks still ran


def test_length_mismatch():
    with pytest.raises(InputError, match="must have the same length"):
        run_audit(features=np.zeros((20, 2)), labels=np.zeros(19, dtype=int))


def test_programming_error_raises():
    @register_check("_boom", requires=("labels",))
    def _boom(*, labels=None):
        raise TypeError("bug in check")

    try:
        with pytest.raises(TypeError, match="bug in check"):
            run_audit(labels=np.array([0, 1, 0]), issue_types={"class_imbalance": {}, "_boom": {}})
    finally:
        del registry["_boom"]


def test_skips_name_the_missing_inputs():
    run = run_audit(features=np.random.RandomState(0).normal(size=(30, 2)))
    assert run.skipped["label"].missing == {"labels", "pred_probs"}
    assert str(run.skipped["label"]) == "needs labels+pred_probs or labels+features+knn"
    assert run.skipped["class_imbalance"].missing == {"labels"}


def test_progress_bar(capsys):
    t = tutorial()
    run = run_audit(labels=t["labels"], issue_types={"class_imbalance": {}}, progress=True)
    assert isinstance(run.results["class_imbalance"], CheckResult)
    assert "audit" in capsys.readouterr().err


@settings(max_examples=8)
@given(
    n=st.integers(12, 60),
    d=st.sampled_from([1, 2, 5]),
    seed=st.integers(0, 2**16),
)
def test_scores_in_unit_interval_and_masks_boolean(n, d, seed):
    rng = np.random.RandomState(seed)
    X = np.round(rng.normal(size=(n, d)), 1)  # rounding creates exact duplicates
    labels = np.arange(n) % 3
    P = rng.dirichlet(np.ones(3), n)
    run = run_audit(features=X, labels=labels, pred_probs=P)
    for name, r in run.results.items():
        assert r.is_issue.dtype == bool, name
        assert r.score.shape == (n,), name
        assert ((r.score >= 0) & (r.score <= 1)).all(), name
        assert 0 <= r.summary_score <= 1, name
