"""pdclean.filter equals cleanlab 2.9.0 (stable ties) on seeded random problems (SPEC 5).

cleanlab is always called with n_jobs=1: with a process pool its workers would not see the
stable-argsort patch (results never depend on n_jobs, SPEC 5.1).
"""

import functools
import itertools

import cleanlab.count as cl_count
import cleanlab.filter as cl_filter
import cleanlab.rank as cl_rank
import numpy as np
import pytest
from _oracle import (
    RAISED,
    assert_mask,
    assert_same_ranking,
    call_quiet,
    compare_calls,
)
from _problems import LARGE, SINGLE0, SMALL, STANDARD, make_problem, params

import pdclean.filter as pd_filter
from pdclean.core.scores import SCORE_METHODS

FILTER_BY = list(pd_filter.FILTER_BY)
PRUNE = FILTER_BY[:3]
RANK_BY = list(SCORE_METHODS)


def _compare_find(oracle, p, **kw):
    """Both masks (or both raise); returns cleanlab's mask or RAISED."""
    expected, got = compare_calls(
        oracle,
        cl_filter.find_label_issues,
        pd_filter.find_label_issues,
        p.labels,
        p.pred_probs,
        n_jobs=1,
        **kw,
    )
    if expected is not RAISED:
        assert_mask(got, expected, f"find_label_issues({kw})")
    return expected


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(STANDARD))
def test_find_label_issues_grid(spec, filter_by, oracle):
    """Each filter_by x min_examples_per_class {1, 10} x frac_noise {1.0, 0.6}."""
    p = make_problem(spec)
    for min_examples_per_class, frac_noise in itertools.product([1, 10], [1.0, 0.6]):
        kw = {"min_examples_per_class": min_examples_per_class, "frac_noise": frac_noise}
        expected = _compare_find(oracle, p, filter_by=filter_by, **kw)
        assert expected is not RAISED, "cleanlab accepts these options"


LARGE_FILTERS = [(s, f) for s in LARGE[:2] for f in FILTER_BY] + [
    (s, f) for s in LARGE[2:] for f in ("prune_by_noise_rate", "both", "low_self_confidence")
]


@pytest.mark.parametrize(
    ("spec", "filter_by"), [pytest.param(s, f, id=f"{s.id}-{f}") for s, f in LARGE_FILTERS]
)
def test_find_label_issues_large(spec, filter_by, oracle):
    _compare_find(oracle, make_problem(spec), filter_by=filter_by)


@pytest.mark.parametrize("spec", params(SMALL))
def test_find_label_issues_frac_noise(spec, oracle):
    p = make_problem(spec)
    for filter_by, frac_noise in itertools.product(PRUNE, [0.05, 0.3, 0.5]):
        _compare_find(oracle, p, filter_by=filter_by, frac_noise=frac_noise)


@pytest.mark.parametrize("min_examples_per_class", [0, 3, 45, 10_000])
@pytest.mark.parametrize("spec", params(SMALL))
def test_find_label_issues_min_examples(spec, min_examples_per_class, oracle):
    p = make_problem(spec)
    for filter_by in PRUNE:
        _compare_find(oracle, p, filter_by=filter_by, min_examples_per_class=min_examples_per_class)


def _num_to_remove(p, scale):
    rng = np.random.default_rng(p.spec.seed + 3000)
    n_k = np.bincount(p.labels, minlength=p.K)
    return rng.integers(0, np.maximum(n_k // scale, 1) + 1)


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(SMALL))
def test_find_label_issues_num_to_remove_per_class(spec, filter_by, oracle):
    """Prune methods follow the (odd) override formula; the others must raise (SPEC 5.1, 5.3)."""
    p = make_problem(spec)
    for scale in (3, 10):
        r = _num_to_remove(p, scale)
        expected = _compare_find(oracle, p, filter_by=filter_by, num_to_remove_per_class=r)
        assert (expected is RAISED) == (filter_by not in PRUNE)


def _user_joint(oracle, p, source):
    if source == "argmax_confusion":
        pred = p.pred_probs.argmax(axis=1)
        C = np.zeros((p.K, p.K), dtype=np.int64)
        np.add.at(C, (p.labels, pred), 1)
        return C
    if source == "random":
        rng = np.random.default_rng(p.spec.seed + 4000)
        C = rng.integers(0, 9, size=(p.K, p.K)) * (rng.random((p.K, p.K)) < 0.5)
        np.fill_diagonal(C, rng.integers(1, 40, p.K))
        return C.astype(np.int64)
    calibrate = source == "calibrated"
    return oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=calibrate)


@pytest.mark.parametrize("source", ["raw", "calibrated", "argmax_confusion", "random"])
@pytest.mark.parametrize("spec", params(SMALL))
def test_find_label_issues_user_confident_joint(spec, source, oracle):
    """A supplied C is used as given (uncalibrated) except by confident_learning (SPEC 5.2)."""
    p = make_problem(spec)
    C = _user_joint(oracle, p, source)
    for filter_by in FILTER_BY:
        _compare_find(oracle, p, filter_by=filter_by, confident_joint=C)
    for filter_by in PRUNE:
        _compare_find(
            oracle,
            p,
            filter_by=filter_by,
            confident_joint=C,
            frac_noise=0.6,
            min_examples_per_class=10,
        )


@pytest.mark.parametrize("rank_by", RANK_BY)
@pytest.mark.parametrize("spec", params(STANDARD + LARGE[:1]))
def test_find_label_issues_ranked(spec, rank_by, oracle):
    """return_indices_ranked_by x rank_by_kwargs adjust_pred_probs, for three filter_by."""
    p = make_problem(spec)
    for adjust in (False, True):
        scores = None
        for filter_by in ("prune_by_noise_rate", "both", "confident_learning"):
            kw = {
                "filter_by": filter_by,
                "return_indices_ranked_by": rank_by,
                "rank_by_kwargs": {"adjust_pred_probs": adjust},
            }
            expected, got = compare_calls(
                oracle,
                cl_filter.find_label_issues,
                pd_filter.find_label_issues,
                p.labels,
                p.pred_probs,
                n_jobs=1,
                **kw,
            )
            if expected is RAISED:  # adjust_pred_probs is not supported with CWE
                assert rank_by == "confidence_weighted_entropy"
                assert adjust
                continue
            assert np.issubdtype(np.asarray(got).dtype, np.integer)
            if scores is None:
                scores = oracle(
                    cl_rank.get_label_quality_scores,
                    p.labels,
                    p.pred_probs,
                    method=rank_by,
                    adjust_pred_probs=adjust,
                )
            assert_same_ranking(got, expected, scores, f"{kw}")


@pytest.mark.parametrize("rank_by", RANK_BY)
@pytest.mark.parametrize("spec", params(SMALL[:8]))
def test_find_label_issues_ranked_default_kwargs(spec, rank_by, oracle):
    """rank_by_kwargs omitted (None) behaves like {}."""
    p = make_problem(spec)
    kw = {"return_indices_ranked_by": rank_by}
    expected = oracle(cl_filter.find_label_issues, p.labels, p.pred_probs, n_jobs=1, **kw)
    got = call_quiet(pd_filter.find_label_issues, p.labels, p.pred_probs, **kw)
    scores = oracle(cl_rank.get_label_quality_scores, p.labels, p.pred_probs, method=rank_by)
    assert_same_ranking(got, expected, scores, f"ranked by {rank_by}")


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(SINGLE0))
def test_find_label_issues_single_class_zero(spec, filter_by, oracle):
    """Labels all 0 are allowed (SPEC 2); where cleanlab still raises, pdclean must raise."""
    _compare_find(oracle, make_problem(spec), filter_by=filter_by)


@pytest.mark.parametrize("n_jobs", [None, 2])
@pytest.mark.parametrize("spec", params(SMALL[-3:]))
def test_find_label_issues_n_jobs_does_not_matter(spec, n_jobs, oracle):
    p = make_problem(spec)
    for filter_by in PRUNE:
        expected = oracle(
            cl_filter.find_label_issues, p.labels, p.pred_probs, n_jobs=1, filter_by=filter_by
        )
        got = call_quiet(
            pd_filter.find_label_issues, p.labels, p.pred_probs, n_jobs=n_jobs, filter_by=filter_by
        )
        assert_mask(got, expected, f"n_jobs={n_jobs}")


@pytest.mark.parametrize("spec", params(STANDARD + LARGE))
def test_find_predicted_neq_given(spec, oracle):
    p = make_problem(spec)
    expected = oracle(cl_filter.find_predicted_neq_given, p.labels, p.pred_probs)
    got = call_quiet(pd_filter.find_predicted_neq_given, p.labels, p.pred_probs)
    assert_mask(got, expected, "find_predicted_neq_given")


@pytest.mark.parametrize("filter_by", FILTER_BY)
@pytest.mark.parametrize("spec", params(STANDARD))
def test_find_label_issues_using_argmax_confusion_matrix(spec, filter_by, oracle, monkeypatch):
    # cleanlab calls its find_label_issues with n_jobs=None (a process pool: slow, and outside
    # the stable-sort patch under a non-fork start method): force n_jobs=1 inside it.
    serial = functools.partial(cl_filter.find_label_issues, n_jobs=1)
    monkeypatch.setattr(cl_filter, "find_label_issues", serial)
    p = make_problem(spec)
    for calibrate in (True, False):
        expected = _argmax_confusion_oracle(oracle, serial, p, calibrate, filter_by)
        got = call_quiet(
            pd_filter.find_label_issues_using_argmax_confusion_matrix,
            p.labels,
            p.pred_probs,
            calibrate=calibrate,
            filter_by=filter_by,
        )
        assert_mask(got, expected, f"argmax confusion matrix, calibrate={calibrate}")


def _argmax_confusion_oracle(oracle, serial, p, calibrate, filter_by):
    cl_fn = cl_filter.find_label_issues_using_argmax_confusion_matrix
    pred = p.pred_probs.argmax(axis=1)
    if len(np.union1d(p.labels, pred)) == p.K:
        return oracle(cl_fn, p.labels, p.pred_probs, calibrate=calibrate, filter_by=filter_by)
    # cleanlab builds the confusion matrix with scikit-learn over the classes seen in labels or
    # predictions only: when some class is in neither, the matrix is smaller than K x K and
    # cleanlab crashes (IndexError / ValueError) or misreads it. Expected value there: SPEC 5.7
    # literally, with a K x K confusion matrix (rows given label, columns argmax).
    C = np.zeros((p.K, p.K), dtype=np.int64)
    np.add.at(C, (p.labels, pred), 1)
    if calibrate:
        C = oracle(cl_count.calibrate_confident_joint, C, p.labels)
    return oracle(serial, p.labels, p.pred_probs, confident_joint=C, filter_by=filter_by)
