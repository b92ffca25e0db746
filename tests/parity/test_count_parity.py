"""pdclean.count equals cleanlab 2.9.0 (stable ties) on seeded random problems (SPEC 3)."""

import cleanlab.count as cl_count
import cleanlab.filter as cl_filter
import numpy as np
import pytest
from _oracle import (
    RAISED,
    assert_close,
    assert_exact,
    assert_int_array,
    call_quiet,
    compare_calls,
)
from _problems import LARGE, SMALL, STANDARD, ProblemSpec, make_problem, params

import pdclean.count as pd_count
import pdclean.filter as pd_filter

PY_METHODS = ["cnt", "eqn", "marginal", "marginal_ps"]


def _thresholds(p):
    """User thresholds: random, one exactly equal to a probability, one that nobody reaches."""
    rng = np.random.default_rng(p.spec.seed + 1000)
    t = rng.uniform(0.02, 0.9, p.K)
    j = int(rng.integers(0, p.K))
    t[j] = p.pred_probs[int(rng.integers(0, p.n)), j]
    t[(j + 1) % p.K] = 1.5
    return t


def _random_counts(p, zero_rows=True):
    """A K x K count matrix unrelated to the data (zero rows/cols where classes are absent)."""
    rng = np.random.default_rng(p.spec.seed + 2000)
    C = rng.integers(0, 12, size=(p.K, p.K)) * (rng.random((p.K, p.K)) < 0.6)
    np.fill_diagonal(C, rng.integers(1, 30, p.K))
    if zero_rows:
        C[np.bincount(p.labels, minlength=p.K) == 0] = 0
    return C.astype(np.int64)


def _confident_joint(oracle, p, calibrate):
    return oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=calibrate)


@pytest.mark.parametrize("spec", params(STANDARD + LARGE))
def test_get_confident_thresholds(spec, oracle):
    p = make_problem(spec)
    expected = oracle(cl_count.get_confident_thresholds, p.labels, p.pred_probs)
    got = call_quiet(pd_count.get_confident_thresholds, p.labels, p.pred_probs)
    assert_close(got, expected, "thresholds")


@pytest.mark.parametrize("calibrate", [True, False])
@pytest.mark.parametrize("spec", params(STANDARD + LARGE))
def test_compute_confident_joint(spec, calibrate, oracle):
    p = make_problem(spec)
    kw = {"calibrate": calibrate, "return_indices_of_off_diagonals": True}
    C, idx = oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, **kw)
    got_C, got_idx = call_quiet(pd_count.compute_confident_joint, p.labels, p.pred_probs, **kw)
    assert_int_array(got_C, "C")
    assert_exact(got_C, C, "confident joint")
    assert_int_array(got_idx, "off-diagonal indices")
    assert_exact(got_idx, idx, "off-diagonal indices")
    alone = call_quiet(
        pd_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=calibrate
    )
    assert_exact(alone, C, "confident joint without indices")


@pytest.mark.parametrize("calibrate", [True, False])
@pytest.mark.parametrize("spec", params(SMALL))
def test_compute_confident_joint_user_thresholds(spec, calibrate, oracle):
    p = make_problem(spec)
    kw = {"thresholds": _thresholds(p), "calibrate": calibrate}
    kw["return_indices_of_off_diagonals"] = True
    C, idx = oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, **kw)
    got_C, got_idx = call_quiet(pd_count.compute_confident_joint, p.labels, p.pred_probs, **kw)
    assert_exact(got_C, C, "confident joint")
    assert_exact(got_idx, idx, "off-diagonal indices")


@pytest.mark.parametrize("source", ["raw", "random", "calibrated"])
@pytest.mark.parametrize("spec", params(STANDARD))
def test_calibrate_confident_joint(spec, source, oracle):
    p = make_problem(spec)
    if source == "random":
        C = _random_counts(p, zero_rows=False)
    else:
        C = _confident_joint(oracle, p, calibrate=source == "calibrated")
    expected = oracle(cl_count.calibrate_confident_joint, C, p.labels)
    got = call_quiet(pd_count.calibrate_confident_joint, C, p.labels)
    assert_int_array(got, "calibrated C")
    assert_exact(got, expected, "calibrated C")


@pytest.mark.parametrize(
    ("row", "n_j"),
    [
        ([1, 1, 1, 1], 6),  # every residual -0.5: lower the first two (stable)
        ([1, 1, 1, 1], 10),  # every residual +0.5 after rounding down to even: raise ...
        ([3, 3, 1, 1], 4),
        ([5, 0, 5, 0, 2], 11),
        ([7, 1, 1, 1, 1, 1], 13),
        ([1, 2, 3, 4, 5, 6, 7], 6),
    ],
)
def test_calibrate_confident_joint_half_ties(row, n_j, oracle):
    """Rows whose rescaled entries end in .5: the rounding fix-up order decides (SPEC 1.2)."""
    K = len(row)
    C = np.eye(K, dtype=np.int64) * 3
    C[0] = row
    C[0, 0] = max(C[0, 0], 1)
    labels = np.concatenate([np.zeros(n_j, np.int64), np.repeat(np.arange(1, K), 3)])
    expected = oracle(cl_count.calibrate_confident_joint, C, labels)
    got = call_quiet(pd_count.calibrate_confident_joint, C, labels)
    assert_exact(got, expected, "calibrated C")


@pytest.mark.parametrize("source", [None, "raw", "random"])
@pytest.mark.parametrize("spec", params(STANDARD + LARGE[:1]))
def test_estimate_joint(spec, source, oracle):
    p = make_problem(spec)
    C = {None: None, "random": _random_counts(p)}.get(source)
    if source == "raw":
        C = _confident_joint(oracle, p, calibrate=False)
    kw = {"confident_joint": C}
    expected = oracle(cl_count.estimate_joint, p.labels, p.pred_probs, **kw)
    got = call_quiet(pd_count.estimate_joint, p.labels, p.pred_probs, **kw)
    assert_close(got, expected, "joint")


def _compare_latent(got, expected):
    assert len(got) == len(expected)
    for name, g, e in zip(("py", "noise_matrix", "inverse_noise_matrix", "C"), got, expected):
        if name == "C":
            assert_exact(g, e, name)
        else:
            assert_close(g, e, name)


@pytest.mark.parametrize("converge", [False, True])
@pytest.mark.parametrize("py_method", PY_METHODS)
@pytest.mark.parametrize("source", ["calibrated", "raw", "random"])
@pytest.mark.parametrize("spec", params(SMALL))
def test_estimate_latent(spec, source, py_method, converge, oracle):
    p = make_problem(spec)
    if source == "random":
        C = _random_counts(p)
    else:
        C = _confident_joint(oracle, p, calibrate=source == "calibrated")
    kw = {"py_method": py_method, "converge_latent_estimates": converge}
    expected, got = compare_calls(
        oracle, cl_count.estimate_latent, pd_count.estimate_latent, C, p.labels, **kw
    )
    if expected is not RAISED:
        _compare_latent(got, expected)


def test_estimate_latent_default_converge_is_false(oracle):
    """The default of estimate_latent is converge=False (it matters for a raw C: SPEC 3.5)."""
    p = make_problem(SMALL[5])
    C = _confident_joint(oracle, p, calibrate=False)
    expected = oracle(cl_count.estimate_latent, C, p.labels)
    _compare_latent(call_quiet(pd_count.estimate_latent, C, p.labels), expected)


@pytest.mark.parametrize("converge", [False, True])
@pytest.mark.parametrize("py_method", PY_METHODS)
@pytest.mark.parametrize("spec", params(STANDARD + LARGE[:2]))
def test_estimate_py_and_noise_matrices_from_probabilities(spec, py_method, converge, oracle):
    p = make_problem(spec)
    kw = {"py_method": py_method, "converge_latent_estimates": converge}
    expected, got = compare_calls(
        oracle,
        cl_count.estimate_py_and_noise_matrices_from_probabilities,
        pd_count.estimate_py_and_noise_matrices_from_probabilities,
        p.labels,
        p.pred_probs,
        **kw,
    )
    if expected is not RAISED:
        _compare_latent(got, expected)


@pytest.mark.parametrize("calibrate", [True, False])
@pytest.mark.parametrize("spec", params(SMALL))
def test_estimate_py_and_noise_matrices_thresholds_calibrate(spec, calibrate, oracle):
    """Defaults (converge=True, cnt) with user thresholds and calibrate on/off."""
    p = make_problem(spec)
    kw = {"thresholds": _thresholds(p), "calibrate": calibrate}
    expected, got = compare_calls(
        oracle,
        cl_count.estimate_py_and_noise_matrices_from_probabilities,
        pd_count.estimate_py_and_noise_matrices_from_probabilities,
        p.labels,
        p.pred_probs,
        **kw,
    )
    if expected is not RAISED:
        _compare_latent(got, expected)


@pytest.mark.parametrize("method", ["off_diagonal", "off_diagonal_calibrated"])
@pytest.mark.parametrize("spec", params(STANDARD + LARGE))
def test_num_label_issues(spec, method, oracle):
    p = make_problem(spec)
    kw = {"estimation_method": method}
    expected = oracle(cl_count.num_label_issues, p.labels, p.pred_probs, **kw)
    got = call_quiet(pd_count.num_label_issues, p.labels, p.pred_probs, **kw)
    assert int(got) == int(expected)
    assert isinstance(got, (int, np.integer))


@pytest.mark.parametrize("source", ["raw", "calibrated", "random"])
@pytest.mark.parametrize("spec", params(STANDARD))
def test_num_label_issues_custom(spec, source, oracle):
    p = make_problem(spec)
    if source == "random":
        C = _random_counts(p)
    else:
        C = _confident_joint(oracle, p, calibrate=source == "calibrated")
    kw = {"confident_joint": C, "estimation_method": "off_diagonal_custom"}
    expected = oracle(cl_count.num_label_issues, p.labels, p.pred_probs, **kw)
    got = call_quiet(pd_count.num_label_issues, p.labels, p.pred_probs, **kw)
    assert int(got) == int(expected)


@pytest.mark.parametrize("spec", params(SMALL[:6]))
def test_num_label_issues_ignores_confident_joint_for_off_diagonal(spec, oracle):
    """A confident_joint passed with the default method is ignored (with a warning)."""
    p = make_problem(spec)
    kw = {"confident_joint": _random_counts(p)}
    expected = oracle(cl_count.num_label_issues, p.labels, p.pred_probs, **kw)
    got = call_quiet(pd_count.num_label_issues, p.labels, p.pred_probs, **kw)
    assert int(got) == int(expected)


@pytest.mark.parametrize(
    "spec", params([ProblemSpec(300, 3_000, 200), ProblemSpec(301, 2_000, 300, "clean")])
)
def test_many_classes(spec, oracle):
    """K > 181: class codes are stored narrow (int16); their products with K must not wrap."""
    p = make_problem(spec)
    for calibrate in (False, True):
        want = oracle(cl_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=calibrate)
        got = call_quiet(
            pd_count.compute_confident_joint, p.labels, p.pred_probs, calibrate=calibrate
        )
        assert_exact(got, want, f"confident joint, K={p.K}, calibrate={calibrate}")
    want = oracle(cl_filter.find_label_issues, p.labels, p.pred_probs, n_jobs=1)
    assert_exact(pd_filter.find_label_issues(p.labels, p.pred_probs), want, "mask")
