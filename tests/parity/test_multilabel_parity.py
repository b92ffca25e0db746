"""pdclean.multilabel_classification equals cleanlab 2.9.0 (stable ties) (SPEC-multi B, C).

Random multi-label problems (n = 10..3000, K = 2..20) with rare classes, a class absent from
every row, rows with empty label sets, flipped annotations, and pred_probs that are
continuous, rounded (exact ties) or have duplicated rows. cleanlab is called with n_jobs=1 (a
process pool's workers would not see the stable-sort patch; results never depend on n_jobs).
Where cleanlab raises (e.g. predicted_neq_given with an absent class), pdclean must raise a
ValueError or TypeError too (``compare_calls``).

pdclean's dataset tables use snake_case columns (mapped by COMMON_COLUMNS / CLASS_COLUMNS).
"""

from __future__ import annotations

from dataclasses import dataclass

import cleanlab.count as cl_count
import cleanlab.multilabel_classification.dataset as cl_dataset
import cleanlab.multilabel_classification.filter as cl_filter
import cleanlab.multilabel_classification.rank as cl_rank
import numpy as np
import psutil
import pytest
from _oracle import (
    RAISED,
    assert_close,
    assert_exact,
    assert_int_array,
    assert_mask,
    assert_same_ranking,
    assert_same_table,
    compare_calls,
)

import pdclean.multilabel_classification.dataset as pd_dataset
import pdclean.multilabel_classification.filter as pd_filter
import pdclean.multilabel_classification.rank as pd_rank

FILTER_BY = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
]
PRUNE = FILTER_BY[:3]
LOW = FILTER_BY[5:]
METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
COMMON_COLUMNS = {
    "Class Name": "class_name",
    "Class Index": "class_index",
    "In Given Label": "in_given_label",
    "In Suggested Label": "in_suggested_label",
    "Num Examples": "num_examples",
    "Issue Probability": "issue_probability",
}
CLASS_COLUMNS = {
    "Class Name": "class_name",
    "Class Index": "class_index",
    "Label Issues": "label_issues",
    "Inverse Label Issues": "inverse_label_issues",
    "Label Noise": "label_noise",
    "Inverse Label Noise": "inverse_label_noise",
    "Label Quality Score": "label_quality",
}


@dataclass(frozen=True)
class Spec:
    """One random multi-label problem; ``id`` is a complete repro."""

    seed: int
    n: int
    K: int
    rounding: int | None = None  # round pred_probs to this many decimals (exact ties)
    duplicates: bool = False  # copy 10 % of the pred_probs rows onto others
    absent: bool = True  # one class annotated on no row (K > 2)

    @property
    def id(self) -> str:
        extra = f"-r{self.rounding}" if self.rounding else ""
        extra += "-dup" if self.duplicates else ""
        extra += "" if self.absent else "-noabsent"
        return f"s{self.seed}-n{self.n}-K{self.K}{extra}"


def make(spec: Spec) -> tuple[list[list[int]], np.ndarray]:
    """(labels as a list of lists, pred_probs (n, K)); a pure function of the spec."""
    rng = np.random.default_rng(spec.seed)
    n, k = spec.n, spec.K
    prevalence = rng.uniform(0.1, 0.5, k)
    if k > 2:
        prevalence[rng.choice(k, max(1, k // 5), replace=False)] = rng.uniform(0.005, 0.03)
    truth = rng.random((n, k)) < prevalence
    truth[rng.random(n) < 0.1] = False  # empty label sets
    logits = (2 * truth - 1) * rng.uniform(0.5, 3) + rng.normal(0, 1.5, (n, k))
    probs = 1 / (1 + np.exp(-logits))
    given = truth ^ (rng.random((n, k)) < rng.uniform(0.01, 0.1))
    if spec.absent and k > 2:
        given[:, rng.integers(k)] = False
    if spec.rounding:
        probs = np.round(probs, spec.rounding)
    if spec.duplicates:
        probs[rng.integers(0, n, n // 10)] = probs[rng.integers(0, n, n // 10)]
    probs.setflags(write=False)
    return [np.flatnonzero(row).tolist() for row in given], probs


SPECS = [
    Spec(0, 10, 2, absent=False),
    Spec(1, 10, 5),
    Spec(2, 40, 3, rounding=1),
    Spec(3, 40, 20),
    Spec(4, 200, 5, rounding=1),
    Spec(5, 200, 10, duplicates=True),
    Spec(6, 300, 4, absent=False),
    Spec(7, 1000, 2, rounding=2, absent=False),
    Spec(8, 1000, 10),
    Spec(9, 1000, 6, rounding=1, duplicates=True, absent=False),
    Spec(10, 3000, 5, rounding=2, duplicates=True),
    Spec(11, 3000, 20),
]
SMALL = [s for s in SPECS if s.n * s.K <= 10_000]


@pytest.fixture(autouse=True)
def _one_cleanlab_process(monkeypatch):
    """cleanlab's dataset functions take no n_jobs and default to one worker process per
    physical core (found with psutil, SPEC 5.1); workers would not see the oracle's stable-sort
    patch and cost seconds to start. Results never depend on n_jobs: run cleanlab in-process.
    """
    monkeypatch.setattr(psutil, "cpu_count", lambda *args, **kwargs: 1)


def params(specs):
    return [pytest.param(s, id=s.id) for s in specs]


def _filter_both(oracle, fn_name, labels, probs, **kw):
    cl_fn, pd_fn = getattr(cl_filter, fn_name), getattr(pd_filter, fn_name)
    return compare_calls(oracle, cl_fn, pd_fn, labels, probs, n_jobs=1, **kw)


def _check_per_class(got, expected, what):
    if isinstance(expected, tuple):
        for k, (g, e) in enumerate(zip(got[0], expected[0])):
            assert_int_array(g, f"{what} class {k}")
            assert_exact(g, e, f"{what} class {k}")
        for k in range(len(expected[1])):
            assert_exact(got[1][k], expected[1][k], f"{what} binary labels {k}")
            assert_close(got[2][k], expected[2][k], f"{what} binary pred_probs {k}")
    else:
        assert_mask(got, expected, what)


# --- filter -------------------------------------------------------------------------------


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(SPECS))
def test_find_label_issues_mask(spec, filter_by, oracle):
    labels, probs = make(spec)
    expected, got = _filter_both(oracle, "find_label_issues", labels, probs, filter_by=filter_by)
    absent = len(set().union(*labels)) < spec.K
    if filter_by != "predicted_neq_given" or not absent:
        assert expected is not RAISED, "cleanlab accepts this problem"
    if expected is not RAISED:
        assert_mask(got, expected, filter_by)


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(SPECS))
def test_find_label_issues_ranked(spec, filter_by, oracle):
    """Ranked output; the ranking method and adjustment rotate with the problem."""
    labels, probs = make(spec)
    method = METHODS[(spec.seed + FILTER_BY.index(filter_by)) % 3]
    adjust = method != "confidence_weighted_entropy" and spec.seed % 2 == 1
    kw = {"return_indices_ranked_by": method, "rank_by_kwargs": {"adjust_pred_probs": adjust}}
    expected, got = _filter_both(
        oracle, "find_label_issues", labels, probs, filter_by=filter_by, **kw
    )
    if expected is RAISED:
        return
    assert_int_array(got, "ranked")
    if filter_by in LOW:  # cleanlab's index-mismatched order: a permutation, not a sort
        assert_exact(got, expected, "low_* ranked order")
        return
    keys = oracle(cl_rank.get_label_quality_scores, labels, probs, method=method,
                  adjust_pred_probs=adjust)  # fmt: skip
    assert_same_ranking(got, expected, keys, f"ranked by {method}")


@pytest.mark.parametrize("adjust", [True, 1], ids=["True", "one"])
@pytest.mark.parametrize("filter_by", ["both", "low_self_confidence"])
@pytest.mark.parametrize("spec", params(SMALL))
def test_find_label_issues_adjust_identity(spec, filter_by, adjust, oracle):
    """adjust_pred_probs=1 adjusts per class but not the aggregated ranking (B.3.1)."""
    labels, probs = make(spec)
    kw = {"return_indices_ranked_by": "normalized_margin",
          "rank_by_kwargs": {"adjust_pred_probs": adjust}}  # fmt: skip
    expected, got = _filter_both(
        oracle, "find_label_issues", labels, probs, filter_by=filter_by, **kw
    )
    if expected is not RAISED:
        assert_exact(got, expected, "ranked")


OPTIONS = {
    "min10": {"min_examples_per_class": 10},
    "frac0.6": {"frac_noise": 0.6},
    "frac0.3-min5": {"frac_noise": 0.3, "min_examples_per_class": 5},
    "min0": {"min_examples_per_class": 0},
    "remove": "num_to_remove_per_class",
    "joint": "confident_joint",
}


def _options(name, labels, probs, oracle, spec):
    options = OPTIONS[name]
    if options == "num_to_remove_per_class":
        rng = np.random.default_rng(spec.seed)
        return {options: rng.integers(0, 5, spec.K)}
    if options == "confident_joint":
        joint = oracle(cl_count.compute_confident_joint, labels, probs, multi_label=True)
        joint[:, 0, 1] += np.arange(spec.K) % 3  # not the one pdclean would compute
        return {options: joint}
    return options


@pytest.mark.parametrize("fn_name", ["find_label_issues", "find_multilabel_issues_per_class"])
@pytest.mark.parametrize("option", list(OPTIONS))
@pytest.mark.parametrize("filter_by", PRUNE)
@pytest.mark.parametrize("spec", params(SPECS[:10]))
def test_prune_options(spec, filter_by, option, fn_name, oracle):
    labels, probs = make(spec)
    kw = _options(option, labels, probs, oracle, spec)
    expected, got = _filter_both(oracle, fn_name, labels, probs, filter_by=filter_by, **kw)
    assert expected is not RAISED
    _check_per_class(got, expected, f"{fn_name} {option}")


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(SPECS))
def test_per_class_mask(spec, filter_by, oracle):
    labels, probs = make(spec)
    expected, got = _filter_both(
        oracle, "find_multilabel_issues_per_class", labels, probs, filter_by=filter_by
    )
    if expected is not RAISED:
        _check_per_class(got, expected, filter_by)


@pytest.mark.parametrize("adjust", [False, True])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("spec", params(SPECS))
def test_per_class_ranked(spec, method, adjust, oracle):
    labels, probs = make(spec)
    filter_by = FILTER_BY[spec.seed % len(FILTER_BY)]
    expected, got = _filter_both(
        oracle,
        "find_multilabel_issues_per_class",
        labels,
        probs,
        filter_by=filter_by,
        return_indices_ranked_by=method,
        rank_by_kwargs={"adjust_pred_probs": adjust},
    )
    if expected is not RAISED:
        _check_per_class(got, expected, f"{filter_by} ranked by {method}")


def test_square_confident_joint_is_ignored_with_a_warning(oracle):
    labels, probs = make(SPECS[4])
    square = np.ones((5, 5), dtype=int)
    expected = oracle(cl_filter.find_label_issues, labels, probs, confident_joint=square, n_jobs=1)
    with pytest.warns(UserWarning, match=r"shape \(5, 5\) is the single-label format"):
        got = pd_filter.find_label_issues(labels, probs, confident_joint=square)
    assert_mask(got, expected, "K x K confident_joint")


# --- rank ---------------------------------------------------------------------------------

AGGREGATORS = {
    "default": None,
    "empty": {},
    "ema-no-alpha": {"method": "exponential_moving_average"},
    "ema-0.3": {"method": "exponential_moving_average", "alpha": 0.3},
    "ema-1": {"method": "exponential_moving_average", "alpha": 1.0},
    "ema-0": {"method": "exponential_moving_average", "alpha": 0.0},
    "softmin": {"method": "softmin"},
    "softmin-0.5": {"method": "softmin", "temperature": 0.5},
    "softmin-tiny": {"method": "softmin", "temperature": 1e-9},
    "min": {"method": np.min},
    "mean": {"method": np.mean},
}


@pytest.mark.parametrize("aggregator", list(AGGREGATORS))
@pytest.mark.parametrize("adjust", [False, True])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("spec", params(SPECS[::2]))
def test_get_label_quality_scores(spec, method, adjust, aggregator, oracle):
    labels, probs = make(spec)
    kw = {"method": method, "adjust_pred_probs": adjust}
    if AGGREGATORS[aggregator] is not None:
        kw["aggregator_kwargs"] = AGGREGATORS[aggregator]
    expected, got = compare_calls(
        oracle, cl_rank.get_label_quality_scores, pd_rank.get_label_quality_scores,
        labels, probs, **kw,
    )  # fmt: skip
    assert (expected is RAISED) == (adjust and method == "confidence_weighted_entropy")
    if expected is not RAISED:
        assert got.dtype == np.float64
        assert_close(got, expected, f"{method} {aggregator}")


@pytest.mark.parametrize("adjust", [False, True])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("spec", params(SPECS))
def test_get_label_quality_scores_per_class(spec, method, adjust, oracle):
    labels, probs = make(spec)
    expected, got = compare_calls(
        oracle, cl_rank.get_label_quality_scores_per_class,
        pd_rank.get_label_quality_scores_per_class, labels, probs,
        method=method, adjust_pred_probs=adjust,
    )  # fmt: skip
    if expected is not RAISED:
        assert got.shape == (spec.n, spec.K)
        assert_close(got, np.asarray(expected), method)


def test_method_name_is_case_insensitive(oracle):
    labels, probs = make(SPECS[2])
    expected = oracle(cl_rank.get_label_quality_scores, labels, probs, method="Normalized_Margin")
    got = pd_rank.get_label_quality_scores(labels, probs, method="Normalized_Margin")
    assert_close(got, expected, "Normalized_Margin")


# --- dataset ------------------------------------------------------------------------------


def _names(spec):
    return [f"tag {k:02d}" for k in range(spec.K)]


@pytest.mark.parametrize("with_joint", [False, True])
@pytest.mark.parametrize("spec", params(SPECS))
def test_common_multilabel_issues(spec, with_joint, oracle):
    labels, probs = make(spec)
    kw = _options("joint", labels, probs, oracle, spec) if with_joint else {}
    for names in (None, _names(spec)):
        expected, got = compare_calls(
            oracle, cl_dataset.common_multilabel_issues, pd_dataset.common_multilabel_issues,
            labels, probs, class_names=names, **kw,
        )  # fmt: skip
        assert expected is not RAISED
        assert_same_table(
            got, expected, COMMON_COLUMNS, "Issue Probability", ["Class Index", "In Given Label"]
        )


@pytest.mark.parametrize("with_joint", [False, True])
@pytest.mark.parametrize("spec", params(SPECS))
def test_rank_classes_by_multilabel_quality(spec, with_joint, oracle):
    labels, probs = make(spec)
    kw = {"joint": _options("joint", labels, probs, oracle, spec)["confident_joint"]}
    kw = kw if with_joint else {}
    for names in (None, _names(spec)):
        expected, got = compare_calls(
            oracle, cl_dataset.rank_classes_by_multilabel_quality,
            pd_dataset.rank_classes_by_multilabel_quality, labels, probs, class_names=names, **kw,
        )  # fmt: skip
        assert expected is not RAISED
        assert_same_table(got, expected, CLASS_COLUMNS, "Label Quality Score", ["Class Index"])


@pytest.mark.parametrize("spec", params(SPECS))
def test_health_score_and_summary(spec, oracle):
    labels, probs = make(spec)
    joint = _options("joint", labels, probs, oracle, spec)["confident_joint"]
    for kw in ({}, {"confident_joint": joint}):
        expected = oracle(cl_dataset.overall_multilabel_health_score, labels, probs, **kw)
        got = pd_dataset.overall_multilabel_health_score(labels, probs, **kw)
        assert isinstance(got, np.float64)
        assert_close(got, expected, "health")
        expected = oracle(cl_dataset.multilabel_health_summary, labels, probs, **kw)
        got = pd_dataset.multilabel_health_summary(labels, probs, verbose=False, **kw)
        assert list(got) == list(expected)
        assert_close(got["overall_multilabel_health_score"],
                     expected["overall_multilabel_health_score"], "summary health")  # fmt: skip
        for key, columns, sort_key, ids in (
            ("classes_by_multilabel_quality", CLASS_COLUMNS, "Label Quality Score",
             ["Class Index"]),
            ("common_multilabel_issues", COMMON_COLUMNS, "Issue Probability",
             ["Class Index", "In Given Label"]),
        ):  # fmt: skip
            assert_same_table(got[key], expected[key], columns, sort_key, ids)


def test_rank_classes_ignores_confident_joint_like_cleanlab(oracle):
    """B.5.2 quirk: ``confident_joint`` is not used (``joint`` is)."""
    spec = SPECS[8]
    labels, probs = make(spec)
    joint = _options("joint", labels, probs, oracle, spec)["confident_joint"]
    expected = oracle(
        cl_dataset.rank_classes_by_multilabel_quality, labels, probs, confident_joint=joint
    )
    with pytest.warns(UserWarning, match="confident_joint is ignored"):
        got = pd_dataset.rank_classes_by_multilabel_quality(labels, probs, confident_joint=joint)
    assert_same_table(got, expected, CLASS_COLUMNS, "Label Quality Score", ["Class Index"])


# --- the worked example of SPEC-multi B.6 ---------------------------------------------------

B6_LABELS = [[0, 1, 2], [], [2], [0, 2], [0, 1, 2], [2], [0], [0], [], [], [2], [2], [0, 1, 2],
             [2], [], []]  # fmt: skip
B6_P = np.array([
    [.989, .945, .955], [.214, .208, .276], [.017, .084, .93], [.011, .023, .98],
    [.675, .809, .921], [.071, .046, .799], [.816, .063, .144], [.981, .919, .487],
    [.247, .27, .215], [.086, .183, .163], [.034, .249, .937], [.174, .065, .006],
    [.977, .872, .351], [.228, .055, .944], [.107, .346, .152], [.159, .139, .372],
])  # fmt: skip
B6_EMA = [0.94836, 0.73664, 0.92092, 0.20432, 0.70628, 0.826, 0.82724, 0.18612, 0.73588,
          0.82408, 0.78936, 0.17436, 0.4594, 0.80644, 0.6946, 0.6714]  # fmt: skip


def test_worked_example_scores():
    per_class = pd_rank.get_label_quality_scores_per_class(B6_LABELS, B6_P)
    assert_close(per_class[3], [0.011, 0.977, 0.98])
    assert_close(pd_rank.get_label_quality_scores(B6_LABELS, B6_P), B6_EMA, atol=1e-12)
    softmin = pd_rank.get_label_quality_scores(
        B6_LABELS, B6_P, aggregator_kwargs={"method": "softmin", "temperature": 0.1}
    )
    assert round(float(softmin[3]), 6) == 0.011122


@pytest.mark.parametrize("filter_by", ["prune_by_noise_rate", "prune_by_class", "both",
                                       "confident_learning"])  # fmt: skip
def test_worked_example_prune_filters(filter_by):
    mask = pd_filter.find_label_issues(B6_LABELS, B6_P, filter_by=filter_by)
    assert np.flatnonzero(mask).tolist() == [3, 7, 11]
    per_class = pd_filter.find_multilabel_issues_per_class(B6_LABELS, B6_P, filter_by=filter_by)
    assert [np.flatnonzero(per_class[:, k]).tolist() for k in range(3)] == [[3], [7], [11]]
    ranked = pd_filter.find_label_issues(
        B6_LABELS, B6_P, filter_by=filter_by, return_indices_ranked_by="self_confidence"
    )
    assert ranked.tolist() == [11, 7, 3]


def test_worked_example_other_filters():
    neq = pd_filter.find_label_issues(B6_LABELS, B6_P, filter_by="predicted_neq_given")
    assert np.flatnonzero(neq).tolist() == [3, 7, 11, 12]
    ranked = pd_filter.find_label_issues(
        B6_LABELS, B6_P, filter_by="predicted_neq_given", return_indices_ranked_by="self_confidence"
    )
    assert ranked.tolist() == [11, 7, 3, 12]
    for low in LOW:
        mask = pd_filter.find_label_issues(B6_LABELS, B6_P, filter_by=low)
        assert np.flatnonzero(mask).tolist() == [3, 7, 11]
        ranked = pd_filter.find_label_issues(
            B6_LABELS, B6_P, filter_by=low, return_indices_ranked_by="self_confidence"
        )
        assert ranked.tolist() == [3, 7, 11]  # the index-mismatch quirk (a sort gives 11, 7, 3)


def test_worked_example_dataset():
    common = pd_dataset.common_multilabel_issues(B6_LABELS, B6_P)
    rows = [tuple(r) for r in common.itertuples(index=False)]
    assert rows == [
        (0, True, False, 1, 0.0625),
        (1, False, True, 1, 0.0625),
        (2, True, False, 1, 0.0625),
        (0, False, True, 0, 0.0),
        (1, True, False, 0, 0.0),
        (2, False, True, 0, 0.0),
    ]
    classes = pd_dataset.rank_classes_by_multilabel_quality(B6_LABELS, B6_P)
    assert [tuple(r) for r in classes.itertuples(index=False)] == [
        (0, 1, 0, 0.0625, 0.0, 0.9375),
        (2, 1, 0, 0.0625, 0.0, 0.9375),
        (1, 0, 1, 0.0, 0.0625, 1.0),
    ]
    assert pd_dataset.overall_multilabel_health_score(B6_LABELS, B6_P) == 0.8125


def test_worked_example_matches_cleanlab(oracle):
    """The example's numbers above are cleanlab's too (guards the spec's transcription)."""
    expected = oracle(cl_rank.get_label_quality_scores, B6_LABELS, B6_P)
    assert_close(expected, B6_EMA, atol=1e-12)
    expected = oracle(cl_filter.find_label_issues, B6_LABELS, B6_P, filter_by="low_self_confidence",
                      return_indices_ranked_by="self_confidence", n_jobs=1)  # fmt: skip
    assert expected.tolist() == [3, 7, 11]
    assert oracle(cl_dataset.overall_multilabel_health_score, B6_LABELS, B6_P) == 0.8125


@pytest.mark.parametrize(
    "kw",
    [
        {"return_indices_ranked_by": "confidence_weighted_entropy",
         "rank_by_kwargs": {"adjust_pred_probs": 1}},
        {"return_indices_ranked_by": "confidence_weighted_entropy",
         "rank_by_kwargs": {"adjust_pred_probs": True}},
        {"return_indices_ranked_by": "Self_Confidence"},
    ],
)  # fmt: skip
@pytest.mark.parametrize("filter_by", ["both", "low_normalized_margin"])
def test_rank_option_edge_cases(filter_by, kw, oracle):
    """The low_* path ranks only with the aggregated scorer (case-insensitive, adjusts only for
    ``True``); the other filters also rank each class (case-sensitive, adjusts when truthy)."""
    labels, probs = make(SPECS[5])
    expected, got = _filter_both(oracle, "find_label_issues", labels, probs, filter_by=filter_by,
                                 **kw)  # fmt: skip
    if expected is not RAISED:
        assert_exact(got, expected, str(kw))
