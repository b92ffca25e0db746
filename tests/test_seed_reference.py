"""The tutorial's reference numbers (seed_reference.json, key "reference") from pdclean's core.

Every number of the JSON that count / filter / rank / dataset produce is recomputed here by
pdclean from the pred_probs stored in the JSON (3-fold cross_val_predict pred_probs for
workflows 1, 7.2, 7.3, 8; the 5-fold CleanLearning pred_probs for workflows 2, 3, 4, 6, 7.1) -
no cross-validation is run. The JSON values are cleanlab 2.9.0 with stable tie-breaking
(SPEC 1.3, 10); tables are stored rounded to 10 decimals.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest

from pdclean import count, dataset, filter, rank
from tests._reference import SEED_REFERENCE

REFERENCE = SEED_REFERENCE

NAMES = ["purple", "blue", "seafoam green", "yellow"]
SEED_CONFIDENT_JOINT = [[68, 0, 8, 8], [5, 46, 3, 0], [15, 3, 31, 14], [2, 1, 12, 34]]
FILTER_BY = list(filter.FILTER_BY)
RANK_COLUMNS = {
    "Class Name": "class_name",
    "Class Index": "class_index",
    "Label Issues": "label_issues",
    "Inverse Label Issues": "inverse_label_issues",
    "Label Noise": "label_noise",
    "Inverse Label Noise": "inverse_label_noise",
    "Label Quality Score": "label_quality",
}
OVERLAP_COLUMNS = {
    "Class Name A": "class_a",
    "Class Name B": "class_b",
    "Class Index A": "class_index_a",
    "Class Index B": "class_index_b",
    "Num Overlapping Examples": "num_overlapping",
    "Joint Probability": "joint_probability",
}


@pytest.fixture(scope="module")
def ref():
    with open(REFERENCE) as f:
        return json.load(f)["reference"]


@pytest.fixture(scope="module")
def labels(ref):
    return np.array(ref["data"]["labels"])


@pytest.fixture(scope="module")
def p3(ref):
    """3-fold cross_val_predict pred_probs (workflows 1, 7.2, 7.3, 8)."""
    return np.array(ref["workflow7_2_filter"]["cv3_pred_probs"])


@pytest.fixture(scope="module")
def p5(ref):
    """5-fold CleanLearning pred_probs (workflows 2, 3, 4, 6, 7.1)."""
    return np.array(ref["workflow7_1_count"]["cv_pred_probs"])


@pytest.fixture(scope="module")
def C5(labels, p5):
    return count.compute_confident_joint(labels, p5)


def close(got, expected, atol=1e-9):
    np.testing.assert_allclose(
        np.asarray(got, float), np.asarray(expected, float), rtol=0, atol=atol
    )


def indices(mask):
    return np.flatnonzero(mask).tolist()


def assert_table(got: pd.DataFrame, stored: dict, columns: dict):
    """A pdclean table equals a stored cleanlab table (orient="split"), row order included."""
    assert list(got.columns) == [columns[c] for c in stored["columns"]]
    assert list(got.index) == stored["index"]
    expected = pd.DataFrame(stored["data"], columns=stored["columns"])
    for col in stored["columns"]:
        g, e = got[columns[col]].tolist(), expected[col].tolist()
        if isinstance(e[0], float):
            close(g, e)
        else:
            assert g == e, col


def test_confident_joint_from_5fold_pred_probs(ref, labels, p5, C5):
    assert C5.tolist() == SEED_CONFIDENT_JOINT
    w71 = ref["workflow7_1_count"]
    assert w71["calibrated_confident_joint"] == SEED_CONFIDENT_JOINT
    assert C5.tolist() == w71["confident_joint"]
    raw = count.compute_confident_joint(labels, p5, calibrate=False)
    assert raw.tolist() == w71["uncalibrated_confident_joint"]
    assert count.calibrate_confident_joint(raw, labels).tolist() == SEED_CONFIDENT_JOINT
    for key in ("workflow2_cleanlearning", "workflow3_find_label_issues", "workflow6_health"):
        assert C5.tolist() == ref[key]["confident_joint"]


def test_confident_joint_from_3fold_pred_probs(labels, p3):
    """SPEC 3.2 (numbers not in the JSON): raw, calibrated and 94 off-diagonal rows."""
    raw, off = count.compute_confident_joint(
        labels, p3, calibrate=False, return_indices_of_off_diagonals=True
    )
    assert raw.tolist() == [[48, 1, 25, 8], [5, 34, 4, 0], [17, 4, 25, 14], [3, 1, 12, 31]]
    assert len(off) == 94
    C = count.compute_confident_joint(labels, p3)
    assert C.tolist() == [[49, 1, 26, 8], [6, 43, 5, 0], [18, 4, 26, 15], [3, 1, 13, 32]]
    close(
        count.get_confident_thresholds(labels, p3),
        [0.587745, 0.671261, 0.238528, 0.497080],
        atol=1e-6,
    )


def test_workflow7_1_latent_estimates(ref, labels, p5, C5):
    w71 = ref["workflow7_1_count"]
    py, nm, inv, C = count.estimate_py_and_noise_matrices_from_probabilities(labels, p5)
    fp = w71["from_probabilities"]
    assert C.tolist() == fp["confident_joint"]
    close(py, fp["py"])
    close(nm, fp["noise_matrix"])
    close(inv, fp["inverse_noise_matrix"])
    # estimate_py_noise_matrices_and_cv_pred_proba = estimate_latent on the calibrated C
    py, nm, inv = count.estimate_latent(C5, labels)
    close(py, w71["py"])
    close(nm, w71["noise_matrix"])
    close(inv, w71["inverse_noise_matrix"])
    close(np.trace(nm), w71["noise_matrix_trace"])
    joint = count.estimate_joint(labels, p5, confident_joint=C5)
    close(joint, w71["joint"])
    close(np.trace(joint), w71["joint_trace"])
    assert round(float(np.trace(nm)), 2) == 2.86


def test_workflow7_1_flagged_with_true_noise_matrix(ref, labels, p5, C5):
    """A supplied noise matrix does not change what CleanLearning flags (SPEC Q10)."""
    expected = ref["workflow7_1_count"]["cl_with_true_noise_matrix"]
    mask = filter.find_label_issues(labels, p5, confident_joint=C5, min_examples_per_class=10)
    assert indices(mask) == expected["label_issue_indices"]
    assert mask.sum() == expected["num_label_issues"]


@pytest.mark.parametrize("key", ["workflow2_cleanlearning", "workflow3_find_label_issues"])
def test_workflow2_3_cleanlearning_core(ref, labels, p5, C5, key):
    """CleanLearning's numbers that come from the core: issues (prune_by_noise_rate, min 10,
    calibrated C), label quality (self_confidence), predicted label, latent estimates."""
    w = ref[key]
    mask = filter.find_label_issues(labels, p5, confident_joint=C5, min_examples_per_class=10)
    assert indices(mask) == w["label_issue_indices"]
    assert int(mask.sum()) == w["num_label_issues"] == 54
    df = w["label_issues_df" if key.startswith("workflow2") else "issues_df"]
    data = np.array(df["data"])
    assert df["columns"][:4] == [
        "is_label_issue",
        "label_quality",
        "given_label",
        "predicted_label",
    ]
    assert data[:, 0].astype(bool).tolist() == mask.tolist()
    quality = rank.get_label_quality_scores(labels, p5)
    close(quality, data[:, 1])
    assert data[:, 2].astype(int).tolist() == labels.tolist()
    assert data[:, 3].astype(int).tolist() == p5.argmax(axis=1).tolist()
    if key.startswith("workflow2"):
        py, nm, inv = count.estimate_latent(C5, labels)
        close(py, w["py"])
        close(nm, w["noise_matrix"])
        close(inv, w["inverse_noise_matrix"])
    else:
        close(quality, w["label_quality"])
        assert rank.find_top_issues(quality, top=20).tolist() == w["lowest_quality_20"]
        assert w["find_label_issues_kwargs"]["confident_joint"] == SEED_CONFIDENT_JOINT


def test_workflow4_overlap(ref, labels, C5):
    got = dataset.find_overlapping_classes(labels=labels, confident_joint=C5, class_names=NAMES)
    assert_table(got, ref["workflow4_overlap"]["overlapping_classes"], OVERLAP_COLUMNS)


def test_workflow6_health(ref, labels, C5):
    w6 = ref["workflow6_health"]
    score = dataset.overall_label_health_score(labels, confident_joint=C5)
    close(score, w6["health_score"])
    assert round(score, 2) == 0.72
    close((1 - score) - w6["true_error_rate"], w6["offset"])
    summary = dataset.health_summary(labels, confident_joint=C5, class_names=NAMES)
    hs = w6["health_summary"]
    close(summary.overall_label_health_score, hs["overall_label_health_score"])
    close(summary.joint, hs["joint"])
    assert_table(summary.classes_by_label_quality, hs["classes_by_label_quality"], RANK_COLUMNS)
    assert_table(summary.overlapping_classes, hs["overlapping_classes"], OVERLAP_COLUMNS)


def test_workflow1_datalab_label_issues(ref, labels, p3):
    """Datalab's label check = prune_by_noise_rate with min 10 + self_confidence; its summary
    score 0.756 = 1 - off_diagonal count / N (SPEC 9.4, Q3)."""
    w1 = ref["workflow1_datalab"]
    mask = filter.find_label_issues(labels, p3, min_examples_per_class=10)
    assert mask.tolist() == w1["issues"]["is_label_issue"]
    assert indices(mask) == w1["info"]["label"]["flagged_indices"]
    assert int(mask.sum()) == w1["num_issues_by_type"]["label"] == 64
    scores = rank.get_label_quality_scores(labels, p3)
    close(scores, w1["issues"]["label_score"])
    close(scores.mean(), w1["info"]["label"]["scalars"]["average_label_quality"])
    close(1 - count.num_label_issues(labels, p3) / len(labels), w1["score_by_type"]["label"])
    assert p3.argmax(axis=1).tolist() == w1["label_predicted_label"]


@pytest.mark.parametrize("filter_by", FILTER_BY)
def test_workflow7_2_filter_by(ref, labels, p3, filter_by):
    w72 = ref["workflow7_2_filter"]
    mask = filter.find_label_issues(labels, p3, filter_by=filter_by)
    assert indices(mask) == w72["filter_by_flagged_indices"][filter_by]
    # the filter_by table: precision / recall / f1 / accuracy against the true errors
    table = w72["filter_by_table"]
    row = next(r for r in table["data"] if r[0] == filter_by)
    truth = np.array(ref["data"]["true_labels"]) != labels
    tp = int((mask & truth).sum())
    precision, recall = tp / mask.sum(), tp / truth.sum()
    f1 = 2 * precision * recall / (precision + recall)
    close([precision, recall, f1, (mask == truth).mean()], row[1:5])
    assert int(mask.sum()) == row[5]


def test_workflow7_2_ranked_and_variants(ref, labels, p3):
    """The JSON's variant keys say "both", but they were produced with the default filter_by
    (prune_by_noise_rate; num_to_remove with prune_by_class), checked against cleanlab."""
    w72 = ref["workflow7_2_filter"]
    ranked = filter.find_label_issues(
        labels,
        p3,
        filter_by="both",
        return_indices_ranked_by="self_confidence",
        rank_by_kwargs={"adjust_pred_probs": True},
    )
    assert ranked.tolist() == w72["ranked_indices_both_sc_adjusted"]
    assert ranked[:8].tolist() == [99, 8, 64, 45, 83, 213, 212, 218]
    v = w72["variants"]
    nm = filter.find_label_issues(labels, p3, return_indices_ranked_by="normalized_margin")
    assert nm.tolist() == v["both_ranked_normalized_margin"]
    cwe = filter.find_label_issues(
        labels, p3, return_indices_ranked_by="confidence_weighted_entropy"
    )
    assert cwe.tolist() == v["both_ranked_cwe"]
    assert indices(filter.find_label_issues(labels, p3, frac_noise=0.5)) == v["both_frac_noise_0.5"]
    two = filter.find_label_issues(
        labels, p3, filter_by="prune_by_class", num_to_remove_per_class=[2, 2, 2, 2]
    )
    assert indices(two) == v["both_num_to_remove_per_class_2"]
    m45 = filter.find_label_issues(labels, p3, min_examples_per_class=45)
    assert indices(m45) == v["both_min_examples_per_class_45"]


def test_workflow7_3_rank(ref, labels, p3):
    w73 = ref["workflow7_3_rank"]
    n = len(labels)
    assert count.num_label_issues(labels, p3) == w73["num_label_issues_off_diagonal"] == 61
    calibrated = count.num_label_issues(labels, p3, estimation_method="off_diagonal_calibrated")
    assert calibrated == w73["num_label_issues_off_diagonal_calibrated"] == 100
    C3 = count.compute_confident_joint(labels, p3)
    custom = count.num_label_issues(
        labels, p3, confident_joint=C3, estimation_method="off_diagonal_custom"
    )
    assert custom == w73["num_label_issues_off_diagonal_custom"]
    for method in ("self_confidence", "normalized_margin", "confidence_weighted_entropy"):
        close(rank.get_label_quality_scores(labels, p3, method=method), w73[method])
    adjusted = rank.get_label_quality_scores(labels, p3, adjust_pred_probs=True)
    close(adjusted, w73["self_confidence_adjusted"])
    scores = rank.get_label_quality_scores(labels, p3)
    assert rank.find_top_issues(scores, top=61).tolist() == w73["ranked_indices_top_count"]
    assert np.argsort(scores, kind="stable")[:61].tolist() == w73["ranked_indices_top_count"]
    got = dataset.rank_classes_by_label_quality(labels, p3, class_names=NAMES)
    assert_table(got, w73["rank_classes_by_label_quality"], RANK_COLUMNS)
    got = dataset.find_overlapping_classes(labels, p3, class_names=NAMES)
    assert_table(got, w73["find_overlapping_classes_from_pred_probs"], OVERLAP_COLUMNS)
    health = dataset.overall_label_health_score(labels, p3)
    close(health, w73["overall_label_health_score_from_pred_probs"])
    assert math.isclose(health, 1 - 61 / n)


@pytest.mark.parametrize(
    ("key", "kwargs"),
    [
        ("ensemble_scores_default", {}),
        ("ensemble_scores_accuracy", {"weight_ensemble_members_by": "accuracy"}),
        ("ensemble_scores_uniform", {"weight_ensemble_members_by": "uniform"}),
        ("ensemble_scores_log_loss_search", {"weight_ensemble_members_by": "log_loss_search"}),
        (
            "ensemble_scores_custom_1_2_3",
            {"weight_ensemble_members_by": "custom", "custom_weights": np.array([1, 2, 3])},
        ),
        ("ensemble_scores_nm_accuracy", {"method": "normalized_margin"}),
    ],
)
def test_workflow8_ensemble(ref, labels, key, kwargs):
    w8 = ref["workflow8_ensemble"]
    members = [np.array(m) for m in w8["pred_probs_list"]]
    got = rank.get_label_quality_ensemble_scores(labels, members, verbose=False, **kwargs)
    close(got, w8[key])


def test_workflow8_averaged_predictor(ref, labels):
    w8 = ref["workflow8_ensemble"]
    members = [np.array(m) for m in w8["pred_probs_list"]]
    got = rank.get_label_quality_scores(labels, np.mean(members, axis=0))
    close(got, w8["single_ensemble_predictor_scores"])


def test_workflow5_test_set(ref):
    """Test-set issues from a LogisticRegression fitted on the training data (deterministic
    lbfgs; floats compared to 1e-6 since they depend on scikit-learn's solver)."""
    from sklearn.linear_model import LogisticRegression

    data, w5 = ref["data"], ref["workflow5_test_set"]
    model = LogisticRegression(random_state=0).fit(np.array(data["X_train"]), data["labels"])
    test_pred_probs = model.predict_proba(np.array(data["X_test"]))
    noisy = np.array(data["noisy_test_labels"])
    close(rank.get_label_quality_scores(noisy, test_pred_probs), w5["test_label_quality"], 1e-6)
    mask = filter.find_label_issues(noisy, test_pred_probs, min_examples_per_class=10)
    assert indices(mask) == w5["test_issue_indices"]
