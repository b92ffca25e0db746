import numpy as np
import pandas as pd
import pytest

from pdclean.checks.runner import run_audit
from pdclean.errors import InputError
from pdclean.frame.audit_result import Audit
from tests.checks._helpers import tutorial

CLASSES = ["purple", "blue", "seafoam green", "yellow"]


@pytest.fixture(scope="module")
def audit():
    t = tutorial()
    run = run_audit(features=t["X"], labels=t["labels"], pred_probs=t["pred_probs"])
    index = pd.Index([f"r{i}" for i in range(250)], name="row")
    return Audit(run, index=index, class_names=CLASSES, feature_names=["x1", "x2"])


def test_summary_and_health(audit):
    s = audit.summary
    assert s.columns.tolist() == ["issue_type", "num_issues", "score"]
    w = tutorial()["w"]
    ref = pd.DataFrame(w["issue_summary"]["data"], columns=w["issue_summary"]["columns"])
    np.testing.assert_array_equal(s["num_issues"][:7], ref["num_issues"])
    np.testing.assert_allclose(s["score"][:7], ref["score"], atol=1e-9)
    assert round(audit.health, 4) == 0.5256


def test_issues_frame_on_callers_index(audit):
    issues = audit.issues
    assert issues.index.equals(audit.index)
    first = ["is_null_issue", "null_score", "is_label_issue", "label_score"]
    assert issues.columns[:4].tolist() == first
    assert issues.shape == (250, 18)
    np.testing.assert_allclose(
        issues["outlier_score"].to_numpy(), tutorial()["w"]["issues"]["outlier_score"], atol=1e-9
    )


def test_get_label_and_near_duplicate(audit):
    label = audit.get("label")
    assert label.loc["r99", "given_label"] == "blue"
    assert label.loc["r99", "predicted_label"] == "purple"
    nd = audit.get("near_duplicate")
    assert nd.loc["r3", "near_duplicate_sets"] == ["r58"]
    assert nd.loc["r0", "near_duplicate_sets"] == []
    assert nd.loc["r238", "distance_to_nearest_neighbor"] == pytest.approx(0.037843, abs=1e-6)


def test_report_shape(audit):
    text = audit.report(top=5)
    assert text.startswith("Here is a summary of the different kinds of issues found in the data:")
    assert "Dataset Information: num_examples: 250, num_classes: 4" in text
    headers = [line for line in text.splitlines() if line.startswith("---")]
    assert headers == [
        " label issues ".center(60, "-"),
        " outlier issues ".center(60, "-"),
        " near_duplicate issues ".center(60, "-"),
        " non_iid issues ".center(60, "-"),
    ]
    for score in ("0.7560", "0.3454", "0.6120", "0.0000"):
        assert f"Overall dataset quality in terms of this issue: {score}" in text
    outlier_block = text.split(" outlier issues ")[1].split("most severe instances")[1]
    # after the header line and the index-name line come the five rows
    rows = [line.split()[0] for line in outlier_block.splitlines()[3:8]]
    assert rows == ["r147", "r10", "r249", "r132", "r189"]
    assert "p-value: 0.0" in text


def test_report_without_issues():
    X = np.random.RandomState(0).normal(size=(20, 2))
    a = Audit(run_audit(features=X, issue_types={"null": {}}))
    assert a.report().startswith("No issues found in the data. Good job!")


def test_get_unknown_or_skipped(audit):
    t = tutorial()
    a = Audit(run_audit(labels=t["labels"], pred_probs=t["pred_probs"]))
    with pytest.raises(InputError, match=r"'near_duplicate' has no result: it was skipped"):
        a.get("near_duplicate")
    with pytest.raises(InputError, match=r"'typo' has no result: it was not run"):
        audit.get("typo")


def test_index_length_mismatch():
    run = run_audit(labels=np.array([0, 1, 0]), issue_types={"class_imbalance": {}})
    with pytest.raises(InputError, match="index has 2 labels but the audit has 3 rows"):
        Audit(run, index=pd.Index([1, 2]))


def test_repr_and_html(audit):
    assert repr(audit).startswith("<Audit: 250 rows, health 0.5256; issues: null=0, label=64")
    html = audit._repr_html_()
    assert "<table" in html
    assert "0.756" in html  # the label score, 3 significant digits (the report's rule)
    assert "0.526" in html  # the dataset health
    assert "src=" not in html
    assert "<script" not in html
