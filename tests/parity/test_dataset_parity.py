"""pdclean.dataset equals cleanlab 2.9.0 (stable ties) on seeded random problems (SPEC 6).

pdclean returns snake_case columns; cleanlab's are mapped by RANK_COLUMNS / OVERLAP_COLUMNS.
Without class_names, pdclean's class_a / class_b hold the class indices (cleanlab has no such
columns: they are added to cleanlab's table before comparing). cleanlab is called with
verbose=False (it prints otherwise).
"""

import cleanlab.count as cl_count
import cleanlab.dataset as cl_dataset
import numpy as np
import pytest
from _oracle import assert_close, assert_same_table, call_quiet
from _problems import LARGE, SMALL, STANDARD, make_problem, params

import pdclean.dataset as pd_dataset

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
MODES = ["labels_pred_probs", "labels_confident_joint", "confident_joint", "joint"]


def _names(K):
    return [f"class {k:03d}" for k in range(K)]


def _inputs(oracle, p, mode):
    """Keyword inputs for each of the accepted input combinations (SPEC 6)."""
    if mode == "labels_pred_probs":
        return {"labels": p.labels, "pred_probs": p.pred_probs}
    C = oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=False)
    if mode == "labels_confident_joint":
        return {"labels": p.labels, "confident_joint": C}
    if mode == "confident_joint":
        return {"confident_joint": C}
    rng = np.random.default_rng(p.spec.seed + 7000)
    counts = rng.random((p.K, p.K)) * (rng.random((p.K, p.K)) < 0.5) + np.eye(p.K)
    return {"joint": counts / counts.sum(), "num_examples": int(rng.integers(10, 5000))}


def _rank_expected(oracle, names, **kw):
    if set(kw) == {"confident_joint"}:
        # cleanlab 2.9.0 raises "num_examples is None" here although SPEC 6 (and its other
        # dataset functions) default num_examples to sum(confident_joint): pass it explicitly.
        kw["num_examples"] = int(kw["confident_joint"].sum())
    return oracle(cl_dataset.rank_classes_by_label_quality, class_names=names, **kw)


def _overlap_expected(oracle, names, asymmetric, **kw):
    df = oracle(cl_dataset.find_overlapping_classes, class_names=names, asymmetric=asymmetric, **kw)
    return _with_index_names(df) if names is None else df


def _with_index_names(df):
    df = df.copy()
    df.insert(0, "Class Name A", df["Class Index A"])
    df.insert(1, "Class Name B", df["Class Index B"])
    return df


def _check_rank(got, expected):
    assert_same_table(got, expected, RANK_COLUMNS, "Label Quality Score", ["Class Index"])


def _check_overlap(got, expected):
    ids = ["Class Index A", "Class Index B"]
    assert_same_table(got, expected, OVERLAP_COLUMNS, "Joint Probability", ids)


@pytest.mark.parametrize("with_names", [False, True])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("spec", params(STANDARD))
def test_rank_classes_by_label_quality(spec, mode, with_names, oracle):
    p = make_problem(spec)
    kw = _inputs(oracle, p, mode)
    names = _names(p.K) if with_names else None
    expected = _rank_expected(oracle, names, **kw)
    got = call_quiet(pd_dataset.rank_classes_by_label_quality, class_names=names, **kw)
    _check_rank(got, expected)


@pytest.mark.parametrize("asymmetric", [False, True])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("spec", params(STANDARD))
def test_find_overlapping_classes(spec, mode, asymmetric, oracle):
    p = make_problem(spec)
    kw = _inputs(oracle, p, mode)
    for names in (None, _names(p.K)):
        expected = _overlap_expected(oracle, names, asymmetric, **kw)
        got = call_quiet(
            pd_dataset.find_overlapping_classes, class_names=names, asymmetric=asymmetric, **kw
        )
        _check_overlap(got, expected)


@pytest.mark.parametrize("mode", [*MODES, "labels_pred_probs_confident_joint"])
@pytest.mark.parametrize("spec", params(STANDARD + LARGE))
def test_overall_label_health_score(spec, mode, oracle):
    """Both formulas: 1 - off_diagonal/N with labels + pred_probs, trace(joint) otherwise."""
    p = make_problem(spec)
    if mode == "labels_pred_probs_confident_joint":  # the C is ignored (with a warning)
        kw = {**_inputs(oracle, p, "labels_pred_probs"), **_inputs(oracle, p, "confident_joint")}
    else:
        kw = _inputs(oracle, p, mode)
    expected = oracle(cl_dataset.overall_label_health_score, verbose=False, **kw)
    got = call_quiet(pd_dataset.overall_label_health_score, **kw)
    assert isinstance(got, float)
    assert_close(got, expected, "health score")


def _health_summary_expected(oracle, names, asymmetric, mode, **kw):
    if mode.startswith("labels"):
        d = oracle(
            cl_dataset.health_summary, class_names=names, asymmetric=asymmetric, verbose=False, **kw
        )
        overlap = d["overlapping_classes"]
        d["overlapping_classes"] = _with_index_names(overlap) if names is None else overlap
        return d
    # Without labels cleanlab 2.9.0's health_summary raises "num_examples is None" (its inner
    # calls drop num_examples/joint). Expected value: SPEC 6.4's composition of the parts.
    joint = kw["joint"] if mode == "joint" else kw["confident_joint"] / kw["confident_joint"].sum()
    return {
        "overall_label_health_score": oracle(
            cl_dataset.overall_label_health_score, verbose=False, **kw
        ),
        "joint": joint,
        "classes_by_label_quality": _rank_expected(oracle, names, **kw),
        "overlapping_classes": _overlap_expected(oracle, names, asymmetric, **kw),
    }


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("spec", params(SMALL + LARGE[:1]))
def test_health_summary(spec, mode, oracle):
    p = make_problem(spec)
    kw = _inputs(oracle, p, mode)
    for names, asymmetric in ((None, False), (_names(p.K), True)):
        expected = _health_summary_expected(oracle, names, asymmetric, mode, **kw)
        got = call_quiet(pd_dataset.health_summary, class_names=names, asymmetric=asymmetric, **kw)
        assert_close(got.overall_label_health_score, expected["overall_label_health_score"])
        assert_close(got.joint, expected["joint"], "joint")
        _check_rank(got.classes_by_label_quality, expected["classes_by_label_quality"])
        _check_overlap(got.overlapping_classes, expected["overlapping_classes"])
