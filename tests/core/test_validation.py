"""Bad input to the numpy-level core, and the input forms it must accept.

One test per condition of SPEC.md section 2 plus pdclean's own checks (finite values, rows
summing to 1, empty inputs, option values). Each asserts the builtin class a caller would catch
(ValueError / TypeError), that the error is a pdclean error, and that the message names the
argument and the fix.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
import pandas as pd
import pytest

from pdclean import count, dataset, rank
from pdclean import filter as pdfilter
from pdclean.errors import PdcleanError

FILTERS = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
)
METHODS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
LABELS = np.array([0, 0, 1, 1, 2, 2, 0, 1])
PROBS = np.array(
    [
        [0.7, 0.2, 0.1],
        [0.2, 0.5, 0.3],
        [0.1, 0.8, 0.1],
        [0.6, 0.3, 0.1],
        [0.1, 0.1, 0.8],
        [0.3, 0.3, 0.4],
        [0.5, 0.25, 0.25],
        [0.2, 0.6, 0.2],
    ]
)

# Every validating entry point, called with (labels, pred_probs).
ENTRY_POINTS = {
    "find_label_issues": pdfilter.find_label_issues,
    "find_predicted_neq_given": pdfilter.find_predicted_neq_given,
    "get_label_quality_scores": rank.get_label_quality_scores,
    "num_label_issues": count.num_label_issues,
    "compute_confident_joint": count.compute_confident_joint,
    "get_confident_thresholds": count.get_confident_thresholds,
    "estimate_joint": count.estimate_joint,
    "estimate_py_and_noise": count.estimate_py_and_noise_matrices_from_probabilities,
    "overall_label_health_score": dataset.overall_label_health_score,
    "order_label_issues": lambda y, p: rank.order_label_issues(np.ones(len(y), bool), y, p),
}
each_entry_point = pytest.mark.parametrize("func", ENTRY_POINTS.values(), ids=ENTRY_POINTS)


def has(*parts):
    """A regex matching text that contains every part, in any order."""
    return "(?s)" + "".join(f"(?=.*{part})" for part in parts)


@contextmanager
def raises(exc_type, pattern):
    """pytest.raises on the builtin class, plus: it is a pdclean error."""
    with pytest.raises(exc_type, match=pattern) as info:
        yield info
    assert isinstance(info.value, PdcleanError), type(info.value).__mro__


def with_row(probs, row, values):
    out = probs.copy()
    out[row] = values
    return out


# --------------------------------------------------------------------------------------------
# labels (SPEC 2)

BAD_LABELS = {
    "set": ({0, 1}, TypeError, r"labels.*array"),
    "strings": (np.array(list("aabbccab")), ValueError, r"labels.*integer"),
    "string_list": (["0", "0", "1", "1", "2", "2", "0", "1"], ValueError, r"labels.*integer"),
    "non_integral": (LABELS + 0.5, ValueError, r"labels.*integer.*0\.5"),
    "negative": (np.where(LABELS == 2, -1, LABELS), ValueError, r"labels.*0\.\.K-1.*-1"),
    "two_d": (np.stack([LABELS, LABELS], axis=1), ValueError, r"labels.*1-D"),
    "column": (LABELS[:, None], ValueError, r"labels.*1-D.*ravel"),
    "frame": (pd.DataFrame({"a": LABELS, "b": LABELS}), ValueError, r"labels.*1-D"),
    "too_large": (
        np.where(LABELS == 2, 3, LABELS),
        ValueError,
        has(r"labels.*0\.\.2", "label 3", "pred_probs one column per class"),
    ),
    "nan": (np.where(LABELS == 2, np.nan, LABELS), ValueError, r"labels.*NaN"),
}


@pytest.mark.parametrize(("labels", "exc", "pattern"), BAD_LABELS.values(), ids=BAD_LABELS)
@each_entry_point
def test_bad_labels(func, labels, exc, pattern):
    with raises(exc, pattern):
        func(labels, PROBS)


@each_entry_point
def test_length_mismatch(func):
    with raises(ValueError, r"same length.*7.*8"):
        func(LABELS, PROBS[:7])


@each_entry_point
def test_empty_inputs(func):
    with raises(ValueError, has("labels", "empty", "at least one")):
        func(np.array([], dtype=int), np.empty((0, 3)))


@pytest.mark.parametrize(
    "func",
    [count.num_label_issues, pdfilter.find_predicted_neq_given, dataset.overall_label_health_score],
)
@pytest.mark.parametrize("only", [0, 1])
def test_fewer_than_two_classes(func, only):
    with raises(ValueError, r"labels must contain at least 2 classes.*1 distinct"):
        func(np.full(8, only), PROBS)


def test_single_class_where_allowed():
    # SPEC 2: the filter (except the methods that call the strict validator again) and
    # order_label_issues allow the single class {0}; scores allow any single class.
    zeros = np.zeros(8, int)
    # Hand-computed: t = [2.7 / 8, 2, 2]; only rows 0, 3, 6 are confident (all as class 0), so
    # the calibrated joint is diag(8, 0, 0), nothing is pruned and nothing is off-diagonal.
    for filter_by in FILTERS[:4]:
        assert not pdfilter.find_label_issues(zeros, PROBS, filter_by=filter_by).any()
    for filter_by in FILTERS[4:]:
        with raises(ValueError, r"labels must contain at least 2 classes"):
            pdfilter.find_label_issues(zeros, PROBS, filter_by=filter_by)
    with raises(ValueError, r"labels must contain at least 2 classes"):
        pdfilter.find_label_issues(np.ones(8, int), PROBS)
    # self-confidences of rows 1, 2, 4, 5, 7: 0.2, 0.1, 0.1, 0.3, 0.2; ascending, ties by index
    mask = np.isin(np.arange(8), [1, 2, 4, 5, 7])
    assert rank.order_label_issues(mask, zeros, PROBS).tolist() == [2, 4, 1, 7, 5]
    scores = rank.get_label_quality_scores(np.ones(8, int), PROBS)
    assert scores.tolist() == PROBS[:, 1].tolist()


@pytest.mark.parametrize(
    "func", [pdfilter.find_label_issues, rank.get_label_quality_scores, count.num_label_issues]
)
def test_labels_none(func):
    with raises(TypeError, r"labels.*array"):
        func(None, PROBS)


# --------------------------------------------------------------------------------------------
# pred_probs

BAD_PROBS = {
    "nan": (with_row(PROBS, 3, [np.nan, 0.5, 0.5]), has("pred_probs", "NaN", "row 3", "finite")),
    "inf": (with_row(PROBS, 5, [np.inf, 0.0, 0.0]), r"pred_probs.*(NaN|infinite).*row 5"),
    "neg_inf": (with_row(PROBS, 0, [-np.inf, 0.5, 0.5]), r"pred_probs.*(NaN|infinite)"),
    "negative": (with_row(PROBS, 2, [-0.2, 0.6, 0.6]), r"pred_probs.*between 0 and 1.*-0\.2"),
    "above_one": (with_row(PROBS, 2, [1.5, 0.0, -0.5]), r"pred_probs.*between 0 and 1"),
    "logits": (np.log(PROBS) + 1.0, r"pred_probs.*between 0 and 1.*softmax"),
    "sum_above": (with_row(PROBS, 4, [0.5, 0.3, 0.3]), r"pred_probs.*sum to 1.*row 4.*softmax"),
    "sum_below": (PROBS * 0.9, r"pred_probs.*sum to 1.*row 0.*softmax"),
    "sum_off_1e-3": (with_row(PROBS, 7, [0.2, 0.6, 0.201]), r"pred_probs.*sum to 1.*softmax"),
    "no_columns": (PROBS[:, :0], has("pred_probs", "empty", r"\(8, 0\)")),
    "one_d": (PROBS[:, 0], r"pred_probs.*\(n_examples, n_classes\).*\(8,\)"),
    "three_d": (PROBS[:, :, None], r"pred_probs.*\(n_examples, n_classes\).*\(8, 3, 1\)"),
    "too_few_columns": (PROBS[:, :2] / PROBS[:, :2].sum(1, keepdims=True), r"labels.*0\.\.1.*2"),
}


@pytest.mark.parametrize(("probs", "pattern"), BAD_PROBS.values(), ids=BAD_PROBS)
@each_entry_point
def test_bad_pred_probs(func, probs, pattern):
    with raises(ValueError, pattern):
        func(LABELS, probs)


@pytest.mark.parametrize("probs", ["abc", None, {"a": 1}, [["a", "b", "c"]] * 8])
def test_pred_probs_of_wrong_type(probs):
    with raises(TypeError, r"pred_probs.*\(n_examples, n_classes\)"):
        pdfilter.find_label_issues(LABELS, probs)


def test_small_deviations_are_tolerated():
    # within 1e-4 of summing to 1 and 1e-6 outside [0, 1]: accepted, as probabilities
    probs = with_row(PROBS, 0, [0.7 + 5e-5, 0.2, 0.1])
    probs = with_row(probs, 1, [-5e-7, 0.5, 0.5 + 5e-7])
    expected = pdfilter.find_label_issues(LABELS, PROBS)
    assert pdfilter.find_label_issues(LABELS, probs).tolist() == expected.tolist()


# --------------------------------------------------------------------------------------------
# option values: an InputError that names the argument and lists the valid values

FILTER_BY = has("filter_by", *(f"'{f}'" for f in FILTERS), "'nope'")
SCORE_METHODS = has("{}", *(f"'{m}'" for m in METHODS), "'x'")
FRAC_NOISE = has("frac_noise", r"[\[(]0, 1\]", "got {}")
BAD_OPTIONS = {
    "filter_by": (pdfilter.find_label_issues, {"filter_by": "nope"}, FILTER_BY),
    "argmax_cm_filter_by": (
        pdfilter.find_label_issues_using_argmax_confusion_matrix,
        {"filter_by": "nope"},
        FILTER_BY,
    ),
    "method": (rank.get_label_quality_scores, {"method": "x"}, SCORE_METHODS.format("method")),
    "rank_by": (
        lambda y, p, **kw: rank.order_label_issues(np.ones(8, bool), y, p, **kw),
        {"rank_by": "x"},
        SCORE_METHODS.format("rank_by"),
    ),
    "return_indices_ranked_by": (
        pdfilter.find_label_issues,
        {"return_indices_ranked_by": "x"},
        SCORE_METHODS.format("return_indices_ranked_by"),
    ),
    "py_method": (
        count.estimate_py_and_noise_matrices_from_probabilities,
        {"py_method": "x"},
        has("py_method", "'cnt'", "'eqn'", "'marginal'", "'marginal_ps'", "'x'"),
    ),
    "estimation_method": (
        count.num_label_issues,
        {"estimation_method": "x"},
        has("estimation_method", *(f"'off_diagonal{x}'" for x in ("", "_calibrated", "_custom"))),
    ),
    "weighting": (
        lambda y, p, **kw: rank.get_label_quality_ensemble_scores(y, [p, p], **kw),
        {"weight_ensemble_members_by": "x"},
        has(
            "weight_ensemble_members_by",
            "'accuracy'",
            "'uniform'",
            "'log_loss_search'",
            "'custom'",
            "'x'",
        ),
    ),
    "n_jobs_zero": (pdfilter.find_label_issues, {"n_jobs": 0}, r"n_jobs.*(>= ?1|at least 1).*0"),
    "n_jobs_negative": (pdfilter.find_label_issues, {"n_jobs": -2}, r"n_jobs.*-2"),
    "frac_noise_big": (pdfilter.find_label_issues, {"frac_noise": 1.5}, FRAC_NOISE.format("1.5")),
    "frac_noise_neg": (pdfilter.find_label_issues, {"frac_noise": -0.1}, FRAC_NOISE.format("-0.1")),
    "min_examples": (
        pdfilter.find_label_issues,
        {"min_examples_per_class": -1},
        r"min_examples_per_class.*(>= ?0|non-negative).*-1",
    ),
}


@pytest.mark.parametrize(("func", "kwargs", "pattern"), BAD_OPTIONS.values(), ids=BAD_OPTIONS)
def test_bad_option_values(func, kwargs, pattern):
    with raises(ValueError, pattern):
        func(LABELS, PROBS, **kwargs)


def test_frac_noise_zero_flags_nothing():
    # all off-diagonal prune counts are scaled to 0 and moved to the diagonal (SPEC 5.3 step 4)
    for filter_by in FILTERS[:3]:
        assert not pdfilter.find_label_issues(
            LABELS, PROBS, filter_by=filter_by, frac_noise=0
        ).any()


def test_option_combinations():
    with raises(ValueError, r"adjust_pred_probs.*confidence_weighted_entropy"):
        rank.get_label_quality_scores(
            LABELS, PROBS, method="confidence_weighted_entropy", adjust_pred_probs=True
        )
    with raises(ValueError, r"off_diagonal_custom.*confident_joint"):
        count.num_label_issues(LABELS, PROBS, estimation_method="off_diagonal_custom")
    with raises(ValueError, r"custom_weights"):
        rank.get_label_quality_ensemble_scores(
            LABELS, [PROBS, PROBS], weight_ensemble_members_by="custom"
        )
    with raises(ValueError, r"custom_weights"):
        rank.get_label_quality_ensemble_scores(LABELS, [PROBS, PROBS], custom_weights=[1, 2])
    with raises(ValueError, r"num_to_remove_per_class.*confident_learning"):
        pdfilter.find_label_issues(
            LABELS, PROBS, filter_by="confident_learning", num_to_remove_per_class=[1, 1, 1]
        )
    with raises(TypeError, r"pred_probs_list.*list"):
        rank.get_label_quality_ensemble_scores(LABELS, PROBS)
    with raises(ValueError, r"pred_probs_list.*empty"):
        rank.get_label_quality_ensemble_scores(LABELS, [])


@pytest.mark.parametrize(
    "func",
    [
        dataset.overall_label_health_score,
        dataset.find_overlapping_classes,
        dataset.rank_classes_by_label_quality,
        dataset.health_summary,
    ],
)
def test_dataset_functions_without_inputs(func):
    # SPEC 11 Q16: the reference fails with an AttributeError here; pdclean says what to pass.
    with raises(ValueError, has("labels", "pred_probs", "confident_joint", "num_examples")):
        func()
    with raises(ValueError, has("labels", "pred_probs", "confident_joint")):
        func(labels=LABELS)  # labels alone are not enough


# --------------------------------------------------------------------------------------------
# accepted input forms: same answers, inputs untouched


def battery(labels, probs):
    """Outputs of the core functions on one problem."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {
            f: pdfilter.find_label_issues(labels, probs, filter_by=f)
            for f in ("prune_by_noise_rate", "both", "low_normalized_margin")
        }
        out["ranked"] = pdfilter.find_label_issues(
            labels, probs, return_indices_ranked_by="normalized_margin"
        )
    out.update(
        {
            m: rank.get_label_quality_scores(labels, probs, method=m)
            for m in ("self_confidence", "normalized_margin", "confidence_weighted_entropy")
        }
    )
    out["adjusted"] = rank.get_label_quality_scores(labels, probs, adjust_pred_probs=True)
    out["thresholds"] = count.get_confident_thresholds(labels, probs)
    out["cj"] = count.compute_confident_joint(labels, probs)
    out["num"] = count.num_label_issues(labels, probs)
    out["health"] = dataset.overall_label_health_score(labels, probs)
    out["joint"] = count.estimate_joint(labels, probs)
    out["neq"] = pdfilter.find_predicted_neq_given(labels, probs)
    out["ensemble"] = rank.get_label_quality_ensemble_scores(labels, [probs, probs])
    return out


def assert_same(got, expected, atol=0.0):
    for key, value in expected.items():
        value = np.asarray(value)
        if value.dtype.kind == "f":
            np.testing.assert_allclose(got[key], value, rtol=0, atol=atol, err_msg=key)
        else:
            assert np.asarray(got[key]).tolist() == value.tolist(), key


def problem(n=400, k=5, seed=0):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    raw = rng.dirichlet(np.ones(k), n) + 2 * np.eye(k)[true]
    labels = np.where(rng.random(n) < 0.2, rng.integers(0, k, n), true)
    return labels, raw / raw.sum(axis=1, keepdims=True)


def test_accepts_lists_int32_series_and_fortran_order():
    labels, probs = problem()
    expected = battery(labels, probs)
    assert_same(battery(labels.tolist(), probs.tolist()), expected)
    assert_same(battery(labels.astype(np.int32), probs), expected)
    assert_same(battery(labels.astype(np.uint8), probs), expected)
    assert_same(battery(labels.astype(float), probs), expected)  # integral floats
    assert_same(battery(pd.Series(labels, index=labels[::-1] * 7), probs), expected)
    assert_same(battery(labels, np.asfortranarray(probs)), expected)
    assert_same(battery(labels[::-1][::-1], probs[::-1][::-1]), expected)  # negative strides
    wide = np.hstack([probs, probs])
    assert_same(battery(labels, wide[:, : probs.shape[1]]), expected)  # non-contiguous view


def test_float32_pred_probs_give_float64_answers():
    labels, probs = problem(seed=1)
    probs32 = probs.astype(np.float32)
    expected = battery(labels, probs32.astype(np.float64))
    assert_same(battery(labels, probs32), expected, atol=1e-6)
    assert_same(battery(labels, np.asfortranarray(probs32)), expected, atol=1e-6)
    scores = rank.get_label_quality_scores(labels, probs32)
    assert scores.dtype == np.float64


def test_inputs_are_not_modified():
    labels, probs = problem(seed=2)
    labels_before, probs_before = labels.copy(), probs.copy()
    labels.flags.writeable = False  # an in-place write anywhere would raise
    probs.flags.writeable = False
    battery(labels, probs)
    for filter_by in ("prune_by_class", "confident_learning", "predicted_neq_given"):
        pdfilter.find_label_issues(labels, probs, filter_by=filter_by)
    mask = pdfilter.find_label_issues(labels, probs)
    mask_before = mask.copy()
    rank.order_label_issues(mask, labels, probs, rank_by="self_confidence")
    assert np.array_equal(labels, labels_before)
    assert np.array_equal(probs, probs_before)
    assert np.array_equal(mask, mask_before)
    as_list = probs_before.tolist()
    pdfilter.find_label_issues(labels_before.tolist(), as_list)
    assert as_list == probs_before.tolist()


def test_errors_subclass_pdclean_error_and_builtin():
    with pytest.raises(PdcleanError) as info:
        pdfilter.find_label_issues(LABELS, PROBS, filter_by="nope")
    assert isinstance(info.value, ValueError)
    with pytest.raises(PdcleanError) as info:
        pdfilter.find_label_issues({0, 1}, PROBS)
    assert isinstance(info.value, TypeError)
