"""pdclean.multiannotator against cleanlab 2.9 (SPEC-multi part A): every public function.

Problems are seeded random annotation matrices (several annotators, missing cells, an annotator
who labelled a single row, sometimes a class nobody used) with pred_probs that are continuous,
rounded to 0.1 (exact ties), or contain zeros and duplicated rows. Frames are compared with
their index, columns and dtypes; floats to 1e-9, integers exactly. cleanlab draws its last
majority-vote tie-break from numpy's global RNG: those tests seed it and pass pdclean a
RandomState in the same state.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _oracle import FLOAT_TOL, RAISED, assert_close, assert_exact, call_quiet, compare_calls
from cleanlab import multiannotator as cl

from pdclean import multiannotator as ma

SIZES = [(5, 2, 2), (40, 3, 3), (150, 4, 5), (600, 6, 6), (2000, 4, 8), (300, 5, 2)]  # n, K, M
PROBS_KINDS = ["continuous", "rounded", "zeros"]


def make_crowd(seed: int, n: int, K: int, M: int, probs_kind: str = "continuous"):
    """(labels (n, M) float with NaN, pred_probs (n, K)), every row and annotator labelled."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, K, n)
    accuracy = rng.uniform(0.3, 0.95, M)
    noisy = rng.integers(0, K, (n, M))
    labels = np.where(rng.random((n, M)) < accuracy, true[:, None], noisy).astype(float)
    if rng.random() < 0.3 and K > 2:  # a class that no annotator uses
        labels[labels == K - 1] = 0
    keep = rng.random((n, M)) < rng.uniform(0.3, 0.7)
    regular = M - 1 if M > 2 and n > 5 else M
    lonely = rng.integers(1, n)
    if regular < M:  # the last annotator labelled a single row
        keep[:, -1] = False
        keep[lonely, -1] = True
    keep[np.arange(n), rng.integers(0, regular, n)] = True
    keep[0, :2] = True  # some row has two labels
    if regular < M and seed % 2:  # ... and shares it with nobody (alpha from the others)
        keep[lonely, :-1] = False
    labels[~keep] = np.nan
    return labels, make_probs(rng, true, K, probs_kind)


def make_probs(rng: np.random.Generator, true: np.ndarray, K: int, kind: str) -> np.ndarray:
    n = true.size
    alpha = np.ones(K) * rng.uniform(0.3, 3)
    probs = rng.dirichlet(alpha, n) + 2 * np.eye(K)[true] * rng.uniform(0, 1, (n, 1))
    if kind == "rounded":
        probs = np.round(probs / probs.sum(axis=1, keepdims=True), 1) + 1e-3
    if kind == "zeros":
        probs[rng.random((n, K)) < 0.2] = 0.0
        probs[np.arange(n), true] += 0.05
        copies = rng.integers(0, n, n // 5)
        probs[rng.integers(0, n, n // 5)] = probs[copies]
    return probs / probs.sum(axis=1, keepdims=True)


def problems(max_rows: int = 2000):
    for seed, (n, K, M) in enumerate(SIZES):
        for kind in PROBS_KINDS:
            if n <= max_rows:
                yield pytest.param(seed, n, K, M, kind, id=f"s{seed}-n{n}-K{K}-M{M}-{kind}")


def assert_frames(got: pd.DataFrame, expected: pd.DataFrame, what: str) -> None:
    pd.testing.assert_frame_equal(
        got, expected, check_exact=False, rtol=0, atol=FLOAT_TOL, obj=what
    )
    for column in expected.columns:
        if np.issubdtype(expected[column].dtype, np.integer):
            assert_exact(got[column], expected[column], f"{what}.{column}")


def assert_results(got: dict, expected: dict) -> None:
    assert list(got) == list(expected)
    for key, value in expected.items():
        if isinstance(value, pd.DataFrame):
            assert_frames(got[key], value, key)
        else:
            assert_close(got[key], value, key)


def seeded(oracle, seed: int, fn, *args, **kwargs):
    """cleanlab with its global RNG seeded (its only randomness: majority-vote ties)."""
    np.random.seed(seed)  # noqa: NPY002  (cleanlab draws from the global RNG; mirror it)
    return oracle(fn, *args, **kwargs)


def both(oracle, cl_fn, ma_fn, *args, seed: int = 0, **kwargs):
    """(cleanlab's result, pdclean's) with the random tie-breaks in the same state."""
    expected = seeded(oracle, seed, cl_fn, *args, **kwargs)
    got = call_quiet(ma_fn, *args, random_state=np.random.RandomState(seed), **kwargs)
    return got, expected


# ---------------------------------------------------------------- worked example (A.9)

NAN = np.nan
EXAMPLE_L = np.array(
    [[2, 2, NAN], [0, 1, 1], [2, NAN, 1], [0, 0, 2], [1, 1, NAN], [NAN, 0, 0]], dtype=float
)
EXAMPLE_P = np.array(
    [[0.1, 0.2, 0.7], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.8, 0.1, 0.1], [0.1, 0.8, 0.1],
     [0.5, 0.3, 0.2]]
)  # fmt: skip


def test_worked_example_default():
    result = ma.get_label_quality_multiannotator(EXAMPLE_L, EXAMPLE_P, return_weights=True)
    quality = result["label_quality"]
    assert quality["consensus_label"].tolist() == [2, 1, 2, 0, 1, 0]
    assert_close(
        quality["consensus_quality_score"],
        [0.733632, 0.484080, 0.617580, 0.801770, 0.801770, 0.583186],
        atol=1e-6,
    )
    assert_close(quality["annotator_agreement"], [1, 2 / 3, 1 / 2, 2 / 3, 1, 1])
    assert_exact(quality["num_annotations"], [2, 3, 2, 3, 2, 2])
    stats = result["annotator_stats"]
    assert stats.index.tolist() == [2, 0, 1]
    assert_close(stats["annotator_quality"], [0.382230, 0.687846, 0.765995], atol=1e-6)
    assert_close(stats["agreement_with_consensus"], [0.5, 0.8, 1.0])
    assert_exact(stats["worst_class"], [2, 0, 0])
    assert_exact(stats["num_examples_labeled"], [4, 5, 5])
    assert result["model_weight"] == pytest.approx(1.5275252316519468, abs=1e-15)
    assert_close(result["annotator_weight"], [1 / 7, 4 / 7, 1e-6], atol=1e-12)


def test_worked_example_calibrated_active_and_agreement():
    calibrated = ma.get_label_quality_multiannotator(EXAMPLE_L, EXAMPLE_P, calibrate_probs=True)
    assert_close(
        calibrated["label_quality"]["consensus_quality_score"],
        [0.518141, 0.444703, 0.405249, 0.529077, 0.529077, 0.477997],
        atol=1e-6,
    )
    assert_close(
        calibrated["annotator_stats"]["annotator_quality"],
        [0.400186, 0.548003, 0.633202],
        atol=1e-6,
    )
    scores, unlabeled = ma.get_active_learning_scores(EXAMPLE_L, EXAMPLE_P, EXAMPLE_P[:3])
    assert_close(scores, [0.500398, 0.434010, 0.396277, 0.510284, 0.510284, 0.463259], atol=1e-6)
    assert_close(unlabeled, [0.376945, 0.341012, 0.363163], atol=1e-6)
    agreement = ma.get_label_quality_multiannotator(
        EXAMPLE_L, EXAMPLE_P, quality_method="agreement"
    )
    assert agreement["label_quality"]["consensus_label"].tolist() == [0, 1, 2, 0, 0, 0]


def test_worked_example_matches_oracle(oracle):
    expected = oracle(cl.get_label_quality_multiannotator, EXAMPLE_L, EXAMPLE_P)
    assert_results(call_quiet(ma.get_label_quality_multiannotator, EXAMPLE_L, EXAMPLE_P), expected)


# ---------------------------------------------------------------- get_label_quality_multiannotator

CONSENSUS = ["best_quality", "majority_vote", ["best_quality", "majority_vote", "majority_vote"]]


@pytest.mark.parametrize(("seed", "n", "K", "M", "kind"), list(problems()))
@pytest.mark.parametrize("quality_method", ["crowdlab", "agreement"])
@pytest.mark.parametrize("calibrate_probs", [False, True])
def test_label_quality(oracle, seed, n, K, M, kind, quality_method, calibrate_probs):
    labels, probs = make_crowd(seed, n, K, M, kind)
    for position, consensus in enumerate(CONSENSUS):
        kwargs = {
            "consensus_method": consensus,
            "quality_method": quality_method,
            "calibrate_probs": calibrate_probs,
            "return_weights": quality_method == "crowdlab",
        }
        expected = seeded(
            oracle, position, cl.get_label_quality_multiannotator, labels, probs, **kwargs
        )
        rng = np.random.RandomState(position)
        got = call_quiet(
            ma.get_label_quality_multiannotator, labels, probs, random_state=rng, **kwargs
        )
        assert_results(got, expected)


SCORE_KWARGS = [
    {"method": "normalized_margin"},
    {"adjust_pred_probs": True},
    {"method": "self_confidence", "adjust_pred_probs": True},
]


@pytest.mark.parametrize(("seed", "n", "K", "M"), [(11, 60, 3, 4), (12, 500, 5, 6), (13, 30, 2, 3)])
@pytest.mark.parametrize("score_kwargs", SCORE_KWARGS)
@pytest.mark.parametrize(("detailed", "annotators"), [(True, True), (False, True), (True, False)])
def test_label_quality_score_kwargs_and_flags(
    oracle, seed, n, K, M, score_kwargs, detailed, annotators
):
    labels, probs = make_crowd(seed, n, K, M)
    kwargs = {
        "label_quality_score_kwargs": score_kwargs,
        "return_detailed_quality": detailed,
        "return_annotator_stats": annotators,
    }
    expected = oracle(cl.get_label_quality_multiannotator, labels, probs, **kwargs)
    assert_results(
        call_quiet(ma.get_label_quality_multiannotator, labels, probs, **kwargs), expected
    )


@pytest.mark.parametrize("seed", [20, 21, 22])
def test_label_quality_dataframe_ids_and_index(oracle, seed):
    labels, probs = make_crowd(seed, 120, 4, 5)
    frame = pd.DataFrame(
        labels, columns=["ann", "bob", "cy", "dee", "eve"], index=pd.Index(np.arange(120) * 3 + 7)
    ).astype("Int64")
    expected = oracle(cl.get_label_quality_multiannotator, frame, probs, return_weights=True)
    got = call_quiet(ma.get_label_quality_multiannotator, frame, probs, return_weights=True)
    assert_results(got, expected)
    assert got["annotator_stats"].index.tolist() == expected["annotator_stats"].index.tolist()


def test_empty_method_list(oracle):
    labels, probs = make_crowd(3, 50, 3, 4)
    flags = {"return_detailed_quality": False, "return_annotator_stats": False}
    expected = oracle(
        cl.get_label_quality_multiannotator, labels, probs, consensus_method=[], **flags
    )
    got = call_quiet(
        ma.get_label_quality_multiannotator, labels, probs, consensus_method=[], **flags
    )
    assert_results(got, expected)


# ---------------------------------------------------------------- ensemble


@pytest.mark.parametrize(("seed", "n", "K", "M", "kind"), list(problems(max_rows=600)))
@pytest.mark.parametrize("num_models", [1, 2, 3])
@pytest.mark.parametrize("calibrate_probs", [False, True])
def test_label_quality_ensemble(oracle, seed, n, K, M, kind, num_models, calibrate_probs):
    labels, probs = make_crowd(seed, n, K, M, kind)
    rng = np.random.default_rng(seed + 100)
    stack = np.stack(
        [probs] + [make_probs(rng, probs.argmax(1), K, kind) for _ in range(num_models - 1)]
    )
    kwargs = {"calibrate_probs": calibrate_probs, "return_weights": True}
    before = stack.copy()
    got, expected = both(
        oracle, cl.get_label_quality_multiannotator_ensemble,
        ma.get_label_quality_multiannotator_ensemble, labels, stack, **kwargs,
    )  # fmt: skip
    assert_results(got, expected)
    assert_exact(stack, before, "pdclean must not modify pred_probs")


# ---------------------------------------------------------------- majority vote


@pytest.mark.parametrize(("seed", "n", "K", "M", "kind"), list(problems()))
def test_majority_vote(oracle, seed, n, K, M, kind):
    labels, probs = make_crowd(seed, n, K, M, kind)
    for with_probs in (False, True):
        given = probs if with_probs else None
        expected = seeded(oracle, seed, cl.get_majority_vote_label, labels, given)
        rng = np.random.RandomState(seed)
        got = call_quiet(ma.get_majority_vote_label, labels, given, random_state=rng)
        assert got.dtype == np.int64
        assert_exact(got, expected, f"with_probs={with_probs}")


def tie_heavy(seed: int, n: int, K: int, M: int) -> np.ndarray:
    """Rows either unanimous or split evenly, every class equally frequent (all stages tie)."""
    rng = np.random.default_rng(seed)
    base = np.full((n, M), np.nan)
    for i in range(n):  # test data construction, not the code under test
        if rng.random() < 0.5:
            base[i] = rng.integers(0, K)
        else:
            a, b = rng.choice(K, 2, replace=False)
            base[i, : M // 2 * 2] = np.tile([a, b], M // 2)
    shifts = [np.where(np.isnan(base), np.nan, (base + s) % K) for s in range(K)]
    return np.concatenate(shifts)


@pytest.mark.parametrize(("seed", "n", "K", "M"), [(1, 10, 2, 2), (2, 30, 3, 4), (3, 80, 4, 3)])
def test_majority_vote_random_ties(oracle, seed, n, K, M):
    labels = tie_heavy(seed, n, K, M)
    for draw in range(5):
        expected = seeded(oracle, draw, cl.get_majority_vote_label, labels, None, verbose=False)
        got = call_quiet(
            ma.get_majority_vote_label,
            labels,
            verbose=False,
            random_state=np.random.RandomState(draw),
        )
        assert_exact(got, expected, f"draw {draw}")
    with pytest.warns(UserWarning, match="breaking ties of examples"):
        ma.get_majority_vote_label(labels, verbose=False, random_state=0)


@pytest.mark.parametrize(("seed", "n", "K", "M"), [(4, 40, 3, 4), (5, 100, 2, 3)])
def test_label_quality_on_tie_heavy_matrix(oracle, seed, n, K, M):
    labels = tie_heavy(seed, n, K, M)
    probs = np.full((len(labels), K), 1 / K)
    for draw in range(3):
        expected = seeded(oracle, draw, cl.get_label_quality_multiannotator, labels, probs)
        got = call_quiet(
            ma.get_label_quality_multiannotator,
            labels,
            probs,
            random_state=np.random.RandomState(draw),
        )
        assert_results(got, expected)


# ---------------------------------------------------------------- active learning


@pytest.mark.parametrize(("seed", "n", "K", "M", "kind"), list(problems()))
def test_active_learning(oracle, seed, n, K, M, kind):
    labels, probs = make_crowd(seed, n, K, M, kind)
    rng = np.random.default_rng(seed + 7)
    unlabeled = make_probs(rng, rng.integers(0, K, 37), K, kind)
    for args in ((labels, probs, unlabeled), (labels, probs, None), (None, None, unlabeled)):
        got, expected = both(
            oracle, cl.get_active_learning_scores, ma.get_active_learning_scores, *args
        )
        assert_close(got[0], expected[0], "labelled")
        assert_close(got[1], expected[1], "unlabelled")


@pytest.mark.parametrize(("seed", "n", "K", "M"), [(30, 50, 3, 1), (31, 200, 4, 3), (32, 8, 2, 2)])
def test_active_learning_single_label(oracle, seed, n, K, M):
    _, probs = make_crowd(seed, n, K, M)
    rng = np.random.default_rng(seed)
    single = np.full((n, M), np.nan)
    single[np.arange(n), rng.integers(0, M, n)] = rng.integers(0, K, n)
    single[:M, :] = np.nan
    single[np.arange(M), np.arange(M)] = 0  # every annotator labelled something
    expected = oracle(cl.get_active_learning_scores, single, probs, probs[:5])
    got = call_quiet(ma.get_active_learning_scores, single, probs, probs[:5])
    assert_close(got[0], expected[0], "labelled")
    assert_close(got[1], expected[1], "unlabelled")


@pytest.mark.parametrize(("seed", "n", "K", "M", "kind"), list(problems(max_rows=600)))
@pytest.mark.parametrize("num_models", [2, 3])
def test_active_learning_ensemble(oracle, seed, n, K, M, kind, num_models):
    labels, probs = make_crowd(seed, n, K, M, kind)
    rng = np.random.default_rng(seed + 9)
    stack = np.stack(
        [probs] + [make_probs(rng, probs.argmax(1), K, kind) for _ in range(num_models - 1)]
    )
    truth = rng.integers(0, K, 25)
    unlabeled = np.stack([make_probs(rng, truth, K, kind) for _ in range(num_models)])
    for args in ((labels, stack, unlabeled), (labels, stack, None), (None, None, unlabeled)):
        copies = [None if a is None else a.copy() for a in args]
        got, expected = both(
            oracle, cl.get_active_learning_scores_ensemble,
            ma.get_active_learning_scores_ensemble, *args,
        )  # fmt: skip
        assert_close(got[0], expected[0], "labelled")
        assert_close(got[1], expected[1], "unlabelled")
        for before, after in zip(copies, args):
            if before is not None:
                np.testing.assert_array_equal(after, before, "pdclean must not modify its inputs")


def test_active_learning_ensemble_single_label(oracle):
    labels, probs = make_crowd(40, 60, 3, 3)
    single = np.full(labels.shape, np.nan)
    single[:, 0] = probs.argmax(1)
    single[:3, 0] = np.nan
    single[[0, 1, 2], [0, 1, 2]] = [0, 1, 2]
    stack = np.stack([probs, probs[:, ::-1]])
    expected = oracle(cl.get_active_learning_scores_ensemble, single, stack, stack[:, :9])
    got = call_quiet(ma.get_active_learning_scores_ensemble, single, stack, stack[:, :9])
    assert_close(got[0], expected[0], "labelled")
    assert_close(got[1], expected[1], "unlabelled")


# ---------------------------------------------------------------- long to wide


@pytest.mark.parametrize("missing", [False, True])
def test_convert_long_to_wide(oracle, missing):
    rng = np.random.default_rng(int(missing))
    pairs = [
        (t, a) for t in range(30) for a in ["x", "y", "z"] if not missing or rng.random() < 0.6
    ]
    long = pd.DataFrame(pairs, columns=["task", "annotator"]).sample(frac=1, random_state=0)
    long["label"] = rng.integers(0, 4, len(long))
    expected = oracle(cl.convert_long_to_wide_dataset, long)
    got = ma.convert_long_to_wide_dataset(long)
    pd.testing.assert_frame_equal(got, expected)


# ---------------------------------------------------------------- bad input: both raise


def bad_inputs():
    labels, probs = make_crowd(50, 20, 3, 3)
    empty_row = labels.copy()
    empty_row[4] = np.nan
    empty_col = labels.copy()
    empty_col[:, 1] = np.nan
    half = labels.copy()
    half[0, 0] = 0.5
    negative = labels.copy()
    negative[0, 0] = -1
    strings = labels.astype(object)
    strings[0, 0] = "cat"
    single = np.full_like(labels, np.nan)
    single[np.arange(20), np.arange(20) % 3] = 1
    labels[0, 0] = 2  # so that two columns of pred_probs are too few
    return {
        "empty_row": (empty_row, probs),
        "empty_column": (empty_col, probs),
        "non_integral": (half, probs),
        "negative": (negative, probs),
        "strings": (strings, probs),
        "one_column": (labels[:, :1], probs),
        "all_single": (single, probs),
        "1d": (labels[:, 0], probs),
        "list_labels": (labels.tolist(), probs),
        "probs_list": (labels, probs.tolist()),
        "probs_3d": (labels, probs[None]),
        "probs_short": (labels, probs[:-1]),
        "probs_few_classes": (labels, probs[:, :2]),
    }


@pytest.mark.parametrize("case", list(bad_inputs()))
def test_bad_input_raises_like_cleanlab(oracle, case):
    labels, probs = bad_inputs()[case]
    expected, _ = compare_calls(
        oracle,
        cl.get_label_quality_multiannotator,
        ma.get_label_quality_multiannotator,
        labels,
        probs,
    )
    assert expected is RAISED


@pytest.mark.parametrize(("models", "unlabeled_models"), [(3, 2), (2, 3), (2, 1)])
def test_active_learning_ensemble_model_counts_raise_like_cleanlab(
    oracle, models, unlabeled_models
):
    labels, probs = make_crowd(60, 40, 3, 3)
    stack = np.stack([probs, probs[:, ::-1], probs][:models])
    unlabeled = np.stack([probs[:5], probs[:5, ::-1], probs[:5]][:unlabeled_models])
    expected, _ = compare_calls(
        oracle,
        cl.get_active_learning_scores_ensemble,
        ma.get_active_learning_scores_ensemble,
        labels,
        stack,
        unlabeled,
    )
    assert expected is RAISED
