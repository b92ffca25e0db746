"""df.clean.audit() on frames: the tutorial's workflow 1 numbers, the caller's index, bad input."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

import pdclean
from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial
from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError

_JSON = Path(__file__).parents[1] / "data" / "seed_reference.json"
_SHARED = Path("/work/shared/reference/seed_reference.json")

# The most severe rows of each issue type as printed by the reference in seed-tutorial.txt
# (index, flag, score as printed, extra columns as printed).
SEED_TOP = {
    "label": [
        ("99", "True", "5.637318e-08", 1, 0),
        ("8", "True", "3.896262e-07", 1, 0),
        ("64", "True", "3.548391e-05", 1, 0),
        ("107", "True", "7.923417e-05", 3, 1),
        ("10", "True", "9.375075e-05", 2, 1),
    ],
    "outlier": [
        ("147", "True", "0.014051"),
        ("10", "True", "0.020451"),
        ("249", "True", "0.042594"),
        ("132", "True", "0.043859"),
        ("189", "True", "0.045954"),
    ],
    "near_duplicate": [
        ("3", "True", "0.023714", "[58]", "0.007136"),
        ("58", "True", "0.023714", "[3]", "0.007136"),
        ("119", "True", "0.107266", "[103]", "0.033738"),
        ("103", "True", "0.107266", "[119]", "0.033738"),
        ("238", "True", "0.119505", "[236]", "0.037843"),
    ],
    "non_iid": [
        ("222", "True", "0.614915"),
        ("122", "False", "0.624422"),
        ("126", "False", "0.625965"),
        ("119", "False", "0.626079"),
        ("118", "False", "0.627675"),
    ],
}


@cache
def _workflow1() -> dict:
    path = _JSON if _JSON.exists() else _SHARED
    return json.loads(path.read_text())["reference"]["workflow1_datalab"]


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return load_tutorial()[0][["x1", "x2", "label"]]


@pytest.fixture(scope="module")
def P() -> np.ndarray:
    return np.array(_workflow1()["pred_probs"], dtype=np.float64)


@pytest.fixture(scope="module")
def result(train, P):
    return train.clean.audit("label", pred_probs=P, features=["x1", "x2"])


def _top_rows(report: str, issue_type: str, top: int = 5) -> list[list[str]]:
    """Token rows of the 'most severe instances' table of one section of a report."""
    section = report.split(f" {issue_type} issues ")[1]
    lines = section.split("most severe instances of this issue:\n")[1].splitlines()
    return [line.split() for line in lines[1 : 1 + top]]


# ------------------------------------------------------------------------------ tutorial numbers


def test_tutorial_counts_and_scores(result):
    s = result.summary.set_index("issue_type")
    expected = {"label": 64, "outlier": 7, "near_duplicate": 6, "non_iid": 1}
    for name, count in expected.items():
        assert s.loc[name, "num_issues"] == count
    assert int(s["num_issues"].sum()) == 78
    scores = {name: round(float(s.loc[name, "score"]), 4) for name in expected}
    assert scores == {"label": 0.7560, "outlier": 0.3454, "near_duplicate": 0.6120, "non_iid": 0.0}
    ref = _workflow1()["score_by_type"]
    for name, value in ref.items():
        assert s.loc[name, "score"] == pytest.approx(value, abs=1e-9)


def test_tutorial_per_row_results_equal_reference(result):
    ref = _workflow1()["issues"]
    issues = result.issues
    for name in ("label", "outlier", "near_duplicate", "non_iid", "null"):
        np.testing.assert_array_equal(issues[f"is_{name}_issue"], ref[f"is_{name}_issue"])
        np.testing.assert_allclose(issues[f"{name}_score"], ref[f"{name}_score"], atol=1e-9)


@pytest.mark.parametrize("issue_type", list(SEED_TOP))
def test_tutorial_most_severe_rows_as_printed(result, issue_type):
    ref_scores = np.array(_workflow1()["issues"][f"{issue_type}_score"])
    rows = _top_rows(result.report(top=5), issue_type)
    for ours, seed in zip(rows, SEED_TOP[issue_type], strict=True):
        if ours[0] != seed[0]:  # only exactly tied scores may swap places
            assert ref_scores[int(ours[0])] == ref_scores[int(seed[0])]
        assert ours[1:3] == list(seed[1:3])
        if issue_type == "near_duplicate" and ours[0] == seed[0]:
            assert ours[3:] == list(seed[3:])
        if issue_type == "label":  # the seed printed class codes; pdclean prints class names
            names = [TUTORIAL_CLASS_NAMES[c] for c in seed[3:]]
            assert " ".join(ours[3:]) == " ".join(names)


def test_tutorial_report_text(result):
    text = result.report()
    assert "Dataset Information: num_examples: 250, num_classes: 4" in text
    for score in ("0.7560", "0.3454", "0.6120", "0.0000"):
        assert f"Overall dataset quality in terms of this issue: {score}" in text
    lines = {" ".join(line.split()) for line in text.splitlines()}
    for row in SEED_TOP["outlier"] + SEED_TOP["non_iid"] + SEED_TOP["near_duplicate"][:2]:
        assert " ".join(row) in lines


def test_label_details_in_class_names(result):
    label = result.get("label")
    assert label.loc[99, "given_label"] == "blue"
    assert label.loc[99, "predicted_label"] == "purple"
    assert result.class_names == list(TUTORIAL_CLASS_NAMES)


def test_function_and_accessor_agree_and_frame_untouched(train, P):
    before = train.copy()
    a = pdclean.audit(train, "label", pred_probs=P)  # features default: x1, x2
    pd.testing.assert_frame_equal(train, before)
    assert a.feature_names == ["x1", "x2"]
    assert isinstance(a, pdclean.Audit)
    assert a.summary.set_index("issue_type")["num_issues"]["near_duplicate"] == 6


# ------------------------------------------------------------------------------ index


@pytest.mark.parametrize("kind", ["string", "duplicate"])
def test_results_line_up_with_any_index(train, P, result, kind):
    n = len(train)
    index = (
        pd.Index([f"r{i}" for i in range(n)], name="row")
        if kind == "string"
        else pd.Index(np.arange(n) // 2)
    )
    frame = train.set_axis(index)
    a = frame.clean.audit("label", pred_probs=P, features=["x1", "x2"])
    assert a.issues.index.equals(index)
    np.testing.assert_array_equal(a.issues.to_numpy(), result.issues.to_numpy())
    sets = a.get("near_duplicate")["near_duplicate_sets"].to_numpy()
    assert sets[3] == [index[58]]
    assert sets[58] == [index[3]]


def test_pred_probs_frame_matched_by_index(train, P, result):
    shuffled = pd.DataFrame(P, index=train.index, columns=list(TUTORIAL_CLASS_NAMES)).iloc[::-1]
    a = train.clean.audit("label", pred_probs=shuffled, features=["x1", "x2"])
    np.testing.assert_array_equal(a.issues.to_numpy(), result.issues.to_numpy())


# ------------------------------------------------------------------------------ other inputs


def test_cross_validated_pred_probs_are_the_accessors(train):
    model = LogisticRegression()
    a = train.clean.audit("label", features=["x1", "x2"], model=model, cv=3, random_state=0)
    P = train.clean.pred_probs(
        "label", features=["x1", "x2"], model=model, cv=3, random_state=0, progress=False
    )
    b = train.clean.audit("label", pred_probs=P, features=["x1", "x2"])
    pd.testing.assert_frame_equal(a.issues, b.issues)


def test_without_label_label_checks_are_skipped(train):
    a = train.clean.audit(features=["x1", "x2"])
    ran = a.summary["issue_type"].tolist()
    assert ran == ["null", "outlier", "near_duplicate", "non_iid", "exact_duplicate"]
    for name in ("label", "class_imbalance", "underperforming_group", "conflicting_labels"):
        assert "no label column was given" in a.skipped[name]
    ref = _workflow1()["issues"]
    np.testing.assert_array_equal(
        a.issues["is_near_duplicate_issue"], ref["is_near_duplicate_issue"]
    )


def test_missing_labels_run_label_checks_on_the_labelled_rows(train, P):
    frame = train.assign(label=train["label"].where(np.arange(len(train)) != 4))
    a = frame.clean.audit("label", pred_probs=P)
    assert "label" in a.summary["issue_type"].tolist()
    assert a.issues["is_label_issue"].isna().tolist() == [i == 4 for i in range(len(train))]
    assert a.summary.set_index("issue_type")["num_issues"]["near_duplicate"] == 6


def test_model_or_pred_probs_without_label(train, P):
    with pytest.raises(InputError, match="pred_probs was given without a label column"):
        train.clean.audit(pred_probs=P)
    with pytest.raises(InputError, match="model was given without a label column"):
        train.clean.audit(model=LogisticRegression())
    with pytest.raises(InputError, match="either pred_probs or model"):
        train.clean.audit("label", pred_probs=P, model=LogisticRegression())


# ------------------------------------------------------------------------------ bad input


def test_features_with_nan(train, P):
    frame = train.copy()
    frame.loc[5, "x1"] = np.nan
    frame.loc[9, ["x1", "x2"]] = np.nan
    a = frame.clean.audit("label", pred_probs=P, features=["x1", "x2"])
    null = a.get("null")
    assert null["is_null_issue"].sum() == 1
    assert bool(null.loc[9, "is_null_issue"])
    assert null.loc[5, "null_score"] == 0.5
    assert null.loc[9, "null_score"] == 0.0
    for name in ("near_duplicate", "underperforming_group"):
        assert "features contain NaN or infinite values in 2 rows" in a.skipped[name]
    # the label check needs pred_probs only: unchanged
    ref = _workflow1()["issues"]
    np.testing.assert_array_equal(a.issues["is_label_issue"], ref["is_label_issue"])


def test_non_numeric_feature_column_is_encoded():
    rng = np.random.RandomState(0)
    df = pd.DataFrame(
        {
            "x": rng.normal(size=30),
            "color": pd.array(["red", "blue", "green"] * 10, dtype="string"),
            "y": ["a", "b"] * 15,
        }
    )
    df.loc[1, "x"] = df.loc[0, "x"]  # same x, different color: not a duplicate
    df.loc[6, ["x", "color"]] = df.loc[3, ["x", "color"]].to_numpy()  # a true duplicate
    a = df.clean.audit("y", features=["x", "color"], issue_types={"exact_duplicate": {}})
    assert a.issues.index[a.issues["is_exact_duplicate_issue"]].tolist() == [3, 6]
    assert a.feature_names == ["x", "color"]


def test_unencodable_feature_column_named():
    df = pd.DataFrame({"bad": [[1], [2], [3], [4]] * 4, "y": [0, 1] * 8})
    with pytest.raises(InputTypeError, match="feature column 'bad'"):
        df.clean.audit("y", pred_probs=np.full((16, 2), 0.5))


def test_fewer_rows_than_k_plus_one():
    df = pd.DataFrame({"x": np.arange(8.0), "y": [0, 1] * 4})
    P = np.tile([0.6, 0.4], (8, 1))
    a = df.clean.audit("y", pred_probs=P)
    reason = "features has 8 rows; the kNN-based checks need more than k=10 rows"
    assert reason in a.skipped["near_duplicate"]
    assert a.summary.set_index("issue_type")["num_issues"]["label"] >= 0
    assert "label" in a.summary["issue_type"].tolist()


def test_single_class_label():
    df = pd.DataFrame({"x": np.arange(20.0), "y": ["a"] * 20})
    with pytest.raises(InputError, match=r"label column 'y' has a single class \('a'\)"):
        df.clean.audit("y")


def test_unknown_columns():
    df = pd.DataFrame({"x": np.arange(20.0), "y": [0, 1] * 10})
    with pytest.raises(ColumnNotFoundError, match="label column 'z'"):
        df.clean.audit("z")
    with pytest.raises(ColumnNotFoundError, match="feature column 'w'"):
        df.clean.audit("y", features=["w"], pred_probs=np.full((20, 2), 0.5))


def test_issue_types_select_checks(train, P):
    a = train.clean.audit("label", pred_probs=P, issue_types={"outlier": {}, "label": {}})
    assert a.summary["issue_type"].tolist() == ["label", "outlier"]


# ------------------------------------------------------------------------------ defects


def _tutorial_with_pred_probs():
    train, _ = load_tutorial()
    train = train.drop(columns="true_label")
    P = train.clean.pred_probs(
        "label", features=["x1", "x2"], model=LogisticRegression(), random_state=0, progress=False
    )
    return train, P


def test_issues_keep_a_multiindex_so_that_join_works():
    train, P = _tutorial_with_pred_probs()
    frame = train.set_index([train.index % 3, train.index.astype(str)])
    result = frame.clean.audit("label", pred_probs=P.set_axis(frame.index), features=["x1", "x2"])
    assert isinstance(result.issues.index, pd.MultiIndex)
    assert result.issues.index.equals(frame.index)
    joined = frame.join(result.issues)
    assert joined.shape == (250, frame.shape[1] + result.issues.shape[1])
    assert result.get("label").index.equals(frame.index)


def test_one_missing_label_keeps_every_label_check():
    train, P = _tutorial_with_pred_probs()
    frame = train.copy()
    frame.loc[5, "label"] = None
    result = frame.clean.audit("label", pred_probs=P, features=["x1", "x2"])
    ran = result.summary["issue_type"].tolist()
    assert ran == [
        "null", "label", "outlier", "near_duplicate", "non_iid", "class_imbalance",
        "underperforming_group", "exact_duplicate", "conflicting_labels",
    ]  # fmt: skip
    assert result.skipped == {}
    row = result.issues.loc[5]
    for name in ("label", "class_imbalance", "underperforming_group", "conflicting_labels"):
        assert pd.isna(row[f"is_{name}_issue"]), name
        assert pd.isna(row[f"{name}_score"]), name
    assert result.issues["is_label_issue"].dtype == "boolean"
    # the label checks on the other rows equal an audit of the labelled rows alone
    alone = train.drop(index=5).clean.audit(
        "label", pred_probs=P.drop(index=5), features=["x1", "x2"],
        issue_types={"label": {}, "class_imbalance": {}},
    )  # fmt: skip
    ours = result.issues.drop(index=5)
    for column in ("is_label_issue", "label_score", "class_imbalance_score"):
        np.testing.assert_array_equal(
            ours[column].to_numpy(dtype=float), alone.issues[column].to_numpy(dtype=float)
        )
    given = result.get("label")["given_label"]
    assert pd.isna(given.loc[5])
    assert given.loc[6] == train.loc[6, "label"]
    assert "label issues" in result.report()


def test_approximate_neighbours_agree_with_exact_on_embedding_like_data():
    pytest.importorskip("faiss")
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(20, 8)) @ rng.normal(size=(8, 64))
    X = centres[rng.integers(0, 20, 3000)] + rng.normal(scale=0.3, size=(3000, 64))
    X[100:110] = X[5]  # exact copies
    X[-5:] += rng.normal(scale=8.0, size=(5, 64))  # outliers
    df = pd.DataFrame(X, columns=[f"e{i}" for i in range(64)])
    kinds = {"outlier": {}, "near_duplicate": {}}
    exact = df.clean.audit(issue_types=kinds)
    approx = df.clean.audit(issue_types=kinds, neighbors="approximate")
    for name in kinds:
        a = exact.issues[f"is_{name}_issue"].to_numpy()
        b = approx.issues[f"is_{name}_issue"].to_numpy()
        jaccard = (a & b).sum() / max((a | b).sum(), 1)
        assert jaccard >= 0.95, (name, jaccard)
    assert approx.run.knn.indices.shape == (3000, 10)
    with pytest.raises(InputError, match="neighbors must be one of"):
        df.clean.audit(issue_types=kinds, neighbors="fast")
