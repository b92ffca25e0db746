"""Tests of pdclean.noise: parity with cleanlab 2.9.0, the seed tutorial, invariants, errors."""

from __future__ import annotations

import contextlib
import json
import logging
import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.errors import InputError, InputTypeError
from pdclean.noise import (
    generate_n_rand_probabilities_that_sum_to_m,
    generate_noise_matrix_from_trace,
    generate_noisy_labels,
    noise_matrix_is_valid,
    randomly_distribute_N_balls_into_K_bins,
)
from tests._reference import SEED_REFERENCE

ng = pytest.importorskip("cleanlab.benchmarking.noise_generation")


@contextlib.contextmanager
def oracle_rng(seed=None):
    """Seed cleanlab's global RNG (optionally), silence its warnings, restore the state after."""
    state = np.random.get_state()  # noqa: NPY002 (oracle only)
    try:
        if seed is not None:
            np.random.seed(seed)  # noqa: NPY002 (oracle only)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        np.random.set_state(state)  # noqa: NPY002 (oracle only)


def run_both(oracle, mine):
    """Return (cleanlab result or its ValueError, pdclean result or its ValueError)."""
    out = []
    for fn in (oracle, mine):
        try:
            out.append(fn())
        except ValueError as err:
            out.append(err)
    return out


def assert_same_outcome(expected, actual):
    if isinstance(expected, ValueError):
        assert isinstance(actual, InputError), (expected, actual)
    elif expected is None:
        assert actual is None
    else:
        assert actual is not None
        assert actual.dtype == expected.dtype
        np.testing.assert_array_equal(actual, expected)


# --------------------------------------------------------------------------------------------
# parity with cleanlab 2.9.0


PARITY_GRID = [
    (K, frac_zero, valid, use_py)
    for K in range(2, 9)
    for frac_zero in (0.0, 0.3, 0.6)
    for valid in (True, False)
    for use_py in (True, False)
    if use_py or not valid or K == 2  # cleanlab requires py for a valid matrix with K > 2
]


@pytest.mark.parametrize(("K", "frac_zero", "valid", "use_py"), PARITY_GRID)
def test_noise_matrix_parity(K, frac_zero, valid, use_py):
    params = np.random.RandomState(100 * K + int(10 * frac_zero))
    compared = 0
    for seed in range(10):
        py = params.dirichlet(np.full(K, 4.0)) if use_py else None
        if valid:  # keep the redraw loop short: a low trace is rarely valid for large K
            trace = params.uniform(max(1.05, 0.5 * K), K - 0.1)
        else:
            trace = params.uniform(1.05 if K == 2 else 0.3, K - 0.1)
        kw = {"py": py, "frac_zero_noise_rates": frac_zero, "valid_noise_matrix": valid}
        with oracle_rng():
            expected = ng.generate_noise_matrix_from_trace(K, trace, seed=seed, **kw)
        actual = generate_noise_matrix_from_trace(K, trace, random_state=seed, **kw)
        assert_same_outcome(expected, actual)
        compared += expected is not None
    assert compared >= 8


@pytest.mark.parametrize("seed", range(6))
def test_noise_matrix_parity_with_bounds(seed):
    kw = {
        "max_trace_prob": 0.9,
        "min_trace_prob": 0.4,
        "max_noise_rate": 0.3,
        "min_noise_rate": 0.01,
        "py": [0.3, 0.2, 0.2, 0.15, 0.15],
        "frac_zero_noise_rates": 0.2,
    }
    with oracle_rng():
        expected = ng.generate_noise_matrix_from_trace(5, 3.6, seed=seed, **kw)
    assert_same_outcome(expected, generate_noise_matrix_from_trace(5, 3.6, random_state=seed, **kw))
    # K = 2 ignores the bounds in the reference; so does pdclean
    kw2 = {"max_trace_prob": 0.8, "min_trace_prob": 0.5, "valid_noise_matrix": False}
    with oracle_rng():
        expected2 = ng.generate_noise_matrix_from_trace(2, 1.5, seed=seed, **kw2)
    assert_same_outcome(
        expected2, generate_noise_matrix_from_trace(2, 1.5, random_state=seed, **kw2)
    )


def test_noise_matrix_parity_infeasible_noise_rate_raises():
    # the reference fails mid-draw when a column's noise mass cannot fit under max_noise_rate
    # (K = 3, trace 1.5: a column's noise mass averages 0.5 over 2 rows, above 0.1)
    kw = {"max_noise_rate": 0.1, "py": [0.4, 0.3, 0.3]}
    with oracle_rng(), pytest.raises(ValueError, match="max_prob"):
        ng.generate_noise_matrix_from_trace(3, 1.5, seed=0, **kw)
    with pytest.raises(InputError, match=r"max_noise_rate=0\.1 is too small"):
        generate_noise_matrix_from_trace(3, 1.5, random_state=0, **kw)


@pytest.mark.parametrize("seed", range(4))
def test_noise_matrix_none_after_max_iter(seed, caplog):
    kw = {"py": [1 / 3] * 3, "max_iter": 3}
    with oracle_rng():
        assert ng.generate_noise_matrix_from_trace(3, 1.05, seed=seed, **kw) is None
    with caplog.at_level(logging.WARNING, logger="pdclean.core.noise"):
        assert generate_noise_matrix_from_trace(3, 1.05, random_state=seed, **kw) is None
    assert "max_iter=3" in caplog.text


def test_noise_matrix_max_iter_zero_returns_none(caplog):
    with oracle_rng():
        assert ng.generate_noise_matrix_from_trace(2, 1.5, max_iter=0) is None
    with caplog.at_level(logging.WARNING, logger="pdclean.core.noise"):
        assert generate_noise_matrix_from_trace(2, 1.5, max_iter=0) is None
    assert "max_iter=0" in caplog.text


def test_seed_alias_and_default():
    kw = {"py": [0.4, 0.3, 0.3]}
    with oracle_rng():
        expected = ng.generate_noise_matrix_from_trace(3, 2.2, seed=7, **kw)
        expected_default = ng.generate_noise_matrix_from_trace(3, 2.2, **kw)
    np.testing.assert_array_equal(generate_noise_matrix_from_trace(3, 2.2, seed=7, **kw), expected)
    np.testing.assert_array_equal(generate_noise_matrix_from_trace(3, 2.2, **kw), expected_default)
    rs = np.random.RandomState(7)
    np.testing.assert_array_equal(generate_noise_matrix_from_trace(3, 2.2, seed=rs, **kw), expected)


def test_noise_matrix_random_state_none_is_fresh_entropy():
    # like the reference's seed=None (np.random.seed(None)): unseeded, so two draws differ
    kw = {"py": [0.25] * 4, "random_state": None}
    first = generate_noise_matrix_from_trace(4, 2.8, **kw)
    second = generate_noise_matrix_from_trace(4, 2.8, **kw)
    assert not np.array_equal(first, second)
    assert abs(np.trace(first) - 2.8) < 1e-9


@pytest.mark.parametrize("seed", range(40))
def test_sequence_of_unseeded_functions_parity(seed):
    params = np.random.RandomState(seed)
    K = int(params.randint(2, 9))
    n = int(params.randint(3 * K, 3000))
    y = np.concatenate([np.arange(K), params.randint(0, K, n)])
    trace = params.uniform(0.5, K - 0.2) if K > 2 else params.uniform(1.0, 1.9)
    frac = float(params.choice([0.0, 0.3, 0.6]))
    nm = generate_noise_matrix_from_trace(
        K, trace, valid_noise_matrix=False, frac_zero_noise_rates=frac, random_state=seed
    )
    max_prob = 0.5 if K > 2 else 1.0
    cap = n // K + 3
    with oracle_rng(seed):
        expected = [
            ng.generate_noisy_labels(y, nm),
            ng.generate_noisy_labels(y, nm),
            ng.generate_n_rand_probabilities_that_sum_to_m(
                K, 1.0, max_prob=max_prob, min_prob=0.05
            ),
            ng.randomly_distribute_N_balls_into_K_bins(
                n, K, max_balls_per_bin=cap, min_balls_per_bin=1
            ),
            ng.randomly_distribute_N_balls_into_K_bins(0, K),
            ng.generate_n_rand_probabilities_that_sum_to_m(0, 1.0),
            ng.randomly_distribute_N_balls_into_K_bins(5 * K, K, max_balls_per_bin=3),
            ng.generate_noisy_labels(y, nm),
        ]
    rs = np.random.RandomState(seed)
    actual = [
        generate_noisy_labels(y, nm, random_state=rs),
        generate_noisy_labels(y, nm, random_state=rs),
        generate_n_rand_probabilities_that_sum_to_m(
            K, 1.0, max_prob=max_prob, min_prob=0.05, random_state=rs
        ),
        randomly_distribute_N_balls_into_K_bins(
            n, K, max_balls_per_bin=cap, min_balls_per_bin=1, random_state=rs
        ),
        randomly_distribute_N_balls_into_K_bins(0, K, random_state=rs),
        generate_n_rand_probabilities_that_sum_to_m(0, 1.0, random_state=rs),
        randomly_distribute_N_balls_into_K_bins(5 * K, K, max_balls_per_bin=3, random_state=rs),
        generate_noisy_labels(y, nm, random_state=rs),
    ]
    for exp, act in zip(expected, actual):
        assert_same_outcome(exp, act)
    assert int(actual[6].sum()) == 3 * K  # N / K > max_balls_per_bin: only max * K balls placed


@pytest.mark.parametrize("dtype", [np.int32, np.int64, np.uint8])
def test_noisy_labels_parity_int_seed_and_dtype(dtype):
    y = np.repeat(np.arange(3), [500, 300, 200]).astype(dtype)
    nm = [[0.7, 0.1, 0.25], [0.2, 0.8, 0.05], [0.1, 0.1, 0.7]]
    with oracle_rng(5):
        expected = ng.generate_noisy_labels(y, nm)
    before = y.copy()
    actual = generate_noisy_labels(y, nm, random_state=5)
    assert actual.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(actual, expected)
    np.testing.assert_array_equal(y, before)  # input untouched


def test_noise_matrix_is_valid_parity():
    rs = np.random.RandomState(3)
    outcomes = []
    for _ in range(300):
        K = int(rs.randint(2, 7))
        nm = rs.rand(K, K) + np.eye(K) * rs.uniform(0, 3)
        nm /= nm.sum(axis=0)
        py = rs.dirichlet(np.ones(K))
        if rs.rand() < 0.1:
            py = py * 1.01  # joint no longer sums to 1
        with oracle_rng():
            expected = ng.noise_matrix_is_valid(nm, py)
        assert noise_matrix_is_valid(nm, py) is bool(expected)
        outcomes.append(expected)
    assert 30 < sum(outcomes) < 270  # both outcomes exercised


def test_noise_matrix_is_valid_by_hand(caplog):
    # ps = [0.55, 0.45]; ps*py = [0.275, 0.225] < diag(J) = [0.4, 0.35]
    assert noise_matrix_is_valid([[0.8, 0.3], [0.2, 0.7]], [0.5, 0.5]) is True
    # class 0: ps0 = 0.5*0.4 + 0.5*0.7 = 0.55, ps0*py0 = 0.275 > J00 = 0.2
    assert noise_matrix_is_valid([[0.4, 0.7], [0.6, 0.3]], [0.5, 0.5]) is False
    with caplog.at_level(logging.INFO, logger="pdclean.core.noise"):
        assert noise_matrix_is_valid([[0.8, 0.3], [0.2, 0.7]], [0.6, 0.6], verbose=True) is False
    assert "not 1" in caplog.text


def test_pdclean_never_touches_the_global_rng():
    state = np.random.get_state()  # noqa: NPY002
    generate_noise_matrix_from_trace(4, 3.0, py=[0.25] * 4, random_state=None)
    generate_noise_matrix_from_trace(4, 3.0, py=[0.25] * 4)
    generate_noisy_labels(np.arange(4).repeat(50), np.eye(4) * 0.6 + 0.1)
    generate_n_rand_probabilities_that_sum_to_m(5, 1.0)
    randomly_distribute_N_balls_into_K_bins(20, 4)
    after = np.random.get_state()  # noqa: NPY002
    assert after[1].tolist() == state[1].tolist()
    assert after[2:] == state[2:]


# --------------------------------------------------------------------------------------------
# the seed tutorial (SPEC 8 last paragraph, SPEC 10 make_data)

TUTORIAL_MEANS = [[3, 2], [7, 7], [0, 8], [0, 10]]
TUTORIAL_COVS = [
    [[5, -1.5], [-1.5, 1]],
    [[1, 0.5], [0.5, 4]],
    [[5, 1], [1, 5]],
    [[3, 1], [1, 1]],
]
TUTORIAL_SIZES = [100, 50, 50, 50]


@pytest.fixture(scope="module")
def reference_data():
    return json.loads(SEED_REFERENCE.read_text())["reference"]["data"]


def test_tutorial_noise_matrix(reference_data):
    nm = generate_noise_matrix_from_trace(
        4, 3.2, py=[0.4, 0.2, 0.2, 0.2], valid_noise_matrix=True, random_state=0
    )
    np.testing.assert_allclose(nm, reference_data["noise_matrix_true"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(
        np.round(nm, 4),
        [
            [0.6769, 0.0191, 0.2019, 0.0891],
            [0.0874, 0.8889, 0.0057, 0.0043],
            [0.1872, 0.0621, 0.7853, 0.0577],
            [0.0485, 0.0298, 0.0071, 0.8489],
        ],
        rtol=0,
        atol=1e-12,
    )


def test_tutorial_make_data(reference_data):
    rs = np.random.RandomState(0)  # replaces the tutorial's np.random.seed(0)
    train, test = [], []
    for mean, cov, size in zip(TUTORIAL_MEANS, TUTORIAL_COVS, TUTORIAL_SIZES):
        train.append(rs.multivariate_normal(mean=mean, cov=cov, size=size))
        test.append(rs.multivariate_normal(mean=mean, cov=cov, size=size))
    y = np.repeat(np.arange(4), TUTORIAL_SIZES)
    np.testing.assert_array_equal(np.vstack(train), reference_data["X_train"])
    np.testing.assert_array_equal(np.vstack(test), reference_data["X_test"])
    np.testing.assert_array_equal(y, reference_data["true_labels"])
    py_true = np.bincount(y) / len(y)
    # generate_noise_matrix_from_trace(seed=0) reseeds; the labels continue from that state
    rs = np.random.RandomState(0)
    nm = generate_noise_matrix_from_trace(4, 0.8 * 4, py=py_true, random_state=rs)
    labels = generate_noisy_labels(y, nm, random_state=rs)
    noisy_test_labels = generate_noisy_labels(y, nm, random_state=rs)
    np.testing.assert_array_equal(labels, reference_data["labels"])
    np.testing.assert_array_equal(noisy_test_labels, reference_data["noisy_test_labels"])
    assert int((labels != y).sum()) == reference_data["num_true_label_errors_train"] == 50
    assert int((noisy_test_labels != y).sum()) == reference_data["num_true_label_errors_test"] == 50
    np.testing.assert_allclose(np.bincount(labels) / 250, reference_data["ps"], rtol=0, atol=1e-15)


def test_tutorial_noisy_labels_match_cleanlab(reference_data):
    y = np.asarray(reference_data["true_labels"])
    nm = np.asarray(reference_data["noise_matrix_true"])
    with oracle_rng(123):
        expected = [ng.generate_noisy_labels(y, nm), ng.generate_noisy_labels(y, nm)]
    rs = np.random.RandomState(123)
    for exp in expected:
        np.testing.assert_array_equal(generate_noisy_labels(y, nm, random_state=rs), exp)


# --------------------------------------------------------------------------------------------
# invariants


def _expected_zero_count(nm, K, frac):
    """Zero off-diagonal entries dictated by SPEC 8.4 step 2 (and the K - 2 per-column cap)."""
    c = int(np.sum(np.diag(nm) != 1))
    z = max(int(K * (K - 1) * frac) - (K - c) * (K - 1), 0)
    return (K - c) * (K - 1) + min(z, (K - 2) * c)


@given(
    K=st.integers(2, 8),
    trace_frac=st.floats(0.0, 1.0),
    frac=st.floats(0.0, 1.0),
    valid=st.booleans(),
    seed=st.integers(0, 2**31 - 1),
)
def test_noise_matrix_invariants(K, trace_frac, frac, valid, seed):
    if K == 2:
        trace = 1.05 + 0.9 * trace_frac if (valid or frac >= 0.5) else 0.1 + 1.8 * trace_frac
    elif valid:
        low = max(1.2, 0.5 * K)
        trace = low + (K - 0.1 - low) * trace_frac
    else:
        trace = 0.2 + (K - 0.3) * trace_frac
    py = np.full(K, 1 / K)
    nm = generate_noise_matrix_from_trace(
        K, trace, py=py, valid_noise_matrix=valid, frac_zero_noise_rates=frac, random_state=seed
    )
    assert nm is not None
    assert nm.shape == (K, K)
    assert abs(np.trace(nm) - trace) < 1e-6
    np.testing.assert_allclose(nm.sum(axis=0), 1.0, rtol=0, atol=1e-9)
    assert np.all(nm >= 0)
    assert np.all(nm <= 1 + 1e-6)
    if valid:
        assert noise_matrix_is_valid(nm, py)
    off_diagonal = nm[~np.eye(K, dtype=bool)]
    assert int(np.sum(off_diagonal == 0)) == _expected_zero_count(nm, K, frac)


@given(
    n=st.integers(1, 12),
    mean=st.floats(0.05, 0.95),
    slack=st.floats(0.0, 1.0),
    seed=st.integers(0, 2**31 - 1),
)
def test_rand_probabilities_invariants(n, mean, slack, seed):
    m = mean * n
    max_prob = mean + (1 - mean) * slack
    min_prob = mean * (1 - slack)
    r = generate_n_rand_probabilities_that_sum_to_m(
        n, m, max_prob=max_prob, min_prob=min_prob, random_state=seed
    )
    assert r.shape == (n,)
    assert abs(r.sum() - m) < 1e-9
    assert r.max() <= max_prob + 1e-6
    assert r.min() >= min_prob - 1e-6


@given(
    N=st.integers(0, 200),
    K=st.integers(1, 10),
    cap=st.integers(1, 60),
    seed=st.integers(0, 2**31 - 1),
)
def test_balls_invariants(N, K, cap, seed):
    bins = randomly_distribute_N_balls_into_K_bins(N, K, max_balls_per_bin=cap, random_state=seed)
    assert bins.shape == (K,)
    assert np.issubdtype(bins.dtype, np.integer)
    assert int(bins.sum()) == (N if cap * K >= N else cap * K)
    assert bins.min() >= 0
    assert bins.max() <= cap


@given(K=st.integers(2, 6), seed=st.integers(0, 2**31 - 1))
def test_noisy_labels_flip_at_requested_rates(K, seed):
    n = 100_000
    params = np.random.RandomState(seed)
    y = params.choice(K, size=n, p=params.dirichlet(np.full(K, 5.0)))
    trace = params.uniform(0.3 * K, K - 0.1) if K > 2 else params.uniform(1.0, 1.9)
    nm = generate_noise_matrix_from_trace(
        K, trace, valid_noise_matrix=False, frac_zero_noise_rates=0.3, random_state=seed
    )
    noisy = generate_noisy_labels(y, nm, random_state=seed)
    observed = np.zeros((K, K), dtype=int)
    np.add.at(observed, (noisy, y), 1)
    n_k = np.bincount(y, minlength=K)
    for k in range(K):
        for s in range(K):
            if s == k:
                continue
            # SPEC 8.5: exactly trunc(nm[s, k] * py_k * N) rows of class k get label s
            assert observed[s, k] == math.trunc(nm[s, k] * (n_k[k] / n) * n)
            rate = observed[s, k] / n_k[k]
            se = math.sqrt(nm[s, k] * (1 - nm[s, k]) / n_k[k])
            assert abs(rate - nm[s, k]) < 5 * se + 1 / n_k[k]
        assert observed[:, k].sum() == n_k[k]
    assert noisy.dtype == y.dtype


def test_noisy_labels_rows_chosen_at_random():
    y = np.repeat([0, 1], 1000)
    nm = [[0.7, 0.2], [0.3, 0.8]]
    a = generate_noisy_labels(y, nm, random_state=1)
    b = generate_noisy_labels(y, nm, random_state=2)
    assert int((a != y).sum()) == int((b != y).sum()) == 300 + 200
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(a, generate_noisy_labels(y, nm, random_state=1))


def test_noisy_labels_empty_and_two_class_special_case():
    out = generate_noisy_labels(np.array([], dtype=np.int64), np.eye(3), random_state=0)
    assert out.shape == (0,)
    assert out.dtype == np.int64
    nm = generate_noise_matrix_from_trace(2, 1.3, frac_zero_noise_rates=0.5, random_state=0)
    expected = np.array([[1.0, 0.7], [0.0, 0.3]])
    assert np.allclose(nm, expected) or np.allclose(nm, expected[::-1, ::-1])


# --------------------------------------------------------------------------------------------
# invalid requests

PY4 = [0.4, 0.2, 0.2, 0.2]

NOISE_MATRIX_ERRORS = [
    ({"K": 4, "trace": 4.5, "py": PY4}, r"trace must be < K=4"),
    ({"K": 4, "trace": 4, "py": PY4}, r"trace must be < K=4"),
    ({"K": 4, "trace": 1.0, "py": PY4}, r"trace must be > 1"),
    ({"K": 4, "trace": -0.5, "valid_noise_matrix": False}, r"trace must be between"),
    ({"K": 2, "trace": 0.5, "valid_noise_matrix": False, "frac_zero_noise_rates": 0.5}, "trace"),
    ({"K": 1, "trace": 0.5}, r"K must be >= 2, got 1"),
    ({"K": 4, "trace": 3.0, "py": [0.5, 0.3, 0.3, 0.1]}, r"py must be non-negative and sum to 1"),
    ({"K": 4, "trace": 3.0, "py": [0.5, 0.6, 0.0, -0.1]}, r"py must be non-negative"),
    ({"K": 4, "trace": 3.0, "py": [0.5, 0.5]}, r"py must hold one prior probability per class"),
    ({"K": 4, "trace": 3.0}, r"py \(the prior of the true labels\) is required"),
    ({"K": 4, "trace": 3.0, "py": PY4, "max_noise_rate": -0.1}, r"max_noise_rate must be between"),
    ({"K": 4, "trace": 3.0, "py": PY4, "min_noise_rate": -0.1}, r"min_noise_rate must be between"),
    ({"K": 4, "trace": 3.0, "py": PY4, "max_trace_prob": -0.1}, r"max_trace_prob must be between"),
    ({"K": 4, "trace": 3.0, "py": PY4, "min_trace_prob": -1.0}, r"min_trace_prob must be between"),
    (
        {"K": 4, "trace": 3.0, "py": PY4, "min_noise_rate": 0.5, "max_noise_rate": 0.4},
        "min_noise_rate",
    ),
    ({"K": 4, "trace": 3.2, "py": PY4, "max_trace_prob": 0.5}, r"max_trace_prob=0.5 is too small"),
    ({"K": 4, "trace": 1.2, "py": PY4, "min_trace_prob": 0.9}, r"min_trace_prob=0.9 is too large"),
    ({"K": 4, "trace": 3.0, "py": PY4, "frac_zero_noise_rates": 1.5}, "frac_zero_noise_rates"),
    ({"K": 4, "trace": 3.0, "py": PY4, "seed": 1, "random_state": 0}, r"seed is an alias"),
    ({"K": 4, "trace": 3.0, "py": PY4, "seed": 1, "random_state": 2}, r"pass only one"),
]


@pytest.mark.parametrize(("kwargs", "match"), NOISE_MATRIX_ERRORS)
def test_noise_matrix_errors(kwargs, match):
    kwargs = dict(kwargs)
    K, trace = kwargs.pop("K"), kwargs.pop("trace")
    with pytest.raises(InputError, match=match):
        generate_noise_matrix_from_trace(K, trace, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"K": 4.0, "trace": 3.0}, r"K must be an int"),
        ({"K": 4, "trace": "3"}, r"trace must be a real number"),
        ({"K": 4, "trace": 3.0, "py": PY4, "random_state": "abc"}, r"random_state must be None"),
        ({"K": 4, "trace": 3.0, "py": PY4, "seed": 1.5}, r"seed must be None"),
        ({"K": 4, "trace": 3.0, "py": PY4, "valid_noise_matrix": "yes"}, "valid_noise_matrix"),
        ({"K": 4, "trace": 3.0, "py": PY4, "max_iter": 2.5}, r"max_iter must be an int"),
    ],
)
def test_noise_matrix_type_errors(kwargs, match):
    kwargs = dict(kwargs)
    K, trace = kwargs.pop("K"), kwargs.pop("trace")
    with pytest.raises(InputTypeError, match=match):
        generate_noise_matrix_from_trace(K, trace, **kwargs)


GOOD_NM = [[0.8, 0.3], [0.2, 0.7]]


@pytest.mark.parametrize(
    ("labels", "nm", "match"),
    [
        ([0, 1], [[0.8, 0.3, 0.0], [0.2, 0.7, 1.0]], r"noise_matrix must be a square"),
        ([0, 1], [0.5, 0.5], r"noise_matrix must be a square"),
        ([0, 1], [[0.8, 0.3], [0.1, 0.7]], r"noise_matrix columns must each sum to 1"),
        ([0, 1], [[1.2, 0.3], [-0.2, 0.7]], r"noise_matrix entries must be probabilities"),
        ([0, 2], GOOD_NM, r"true_labels must lie in 0\.\.1"),
        ([-1, 1], GOOD_NM, r"true_labels must lie in 0\.\.1"),
        ([[0, 1]], GOOD_NM, r"true_labels must be one-dimensional"),
    ],
)
def test_noisy_labels_errors(labels, nm, match):
    with pytest.raises(InputError, match=match):
        generate_noisy_labels(labels, nm, random_state=0)


def test_noisy_labels_type_errors():
    with pytest.raises(InputTypeError, match=r"true_labels must hold integer class codes"):
        generate_noisy_labels([0.0, 1.0], GOOD_NM)
    with pytest.raises(InputTypeError, match=r"random_state must be None"):
        generate_noisy_labels([0, 1], GOOD_NM, random_state=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: generate_n_rand_probabilities_that_sum_to_m(-1, 1.0), r"n must be >= 0"),
        (lambda: generate_n_rand_probabilities_that_sum_to_m(2, 1.0, max_prob=0.4), "max_prob=0.4"),
        (lambda: generate_n_rand_probabilities_that_sum_to_m(2, 1.0, min_prob=0.6), "min_prob=0.6"),
        (lambda: generate_n_rand_probabilities_that_sum_to_m(2, 1.0, max_prob=-1.0), "max_prob"),
        (lambda: generate_n_rand_probabilities_that_sum_to_m(2, -1.0), r"m must be between"),
        (lambda: randomly_distribute_N_balls_into_K_bins(-1, 3), r"N must be >= 0"),
        (lambda: randomly_distribute_N_balls_into_K_bins(5, 0), r"K must be >= 1"),
        (
            lambda: randomly_distribute_N_balls_into_K_bins(5, 2, max_balls_per_bin=0),
            "max_balls_per_bin",
        ),
        (
            lambda: randomly_distribute_N_balls_into_K_bins(
                5, 2, max_balls_per_bin=2, min_balls_per_bin=3
            ),
            "min_balls_per_bin=3",
        ),
        (lambda: noise_matrix_is_valid(GOOD_NM, [1.0]), r"py must hold one prior"),
        (lambda: noise_matrix_is_valid([[1.0, 0.0]], [1.0]), r"noise_matrix must be a square"),
    ],
)
def test_building_block_errors(call, match):
    with pytest.raises(InputError, match=match):
        call()
