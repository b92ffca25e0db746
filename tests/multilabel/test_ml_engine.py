"""pdclean.core.multilabel: rounding, calibration, selection and aggregators, against slow
loops written here from the spec (SPEC 1.2, 3.3; SPEC-multi B.4.2)."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from pdclean.core.multilabel.aggregate import aggregate, exponential_moving_average, softmin
from pdclean.core.multilabel.binary import calibrate_joints, round_rows_keep_sum
from pdclean.core.multilabel.prune import smallest_stable
from pdclean.errors import InputError, InputTypeError


def slow_round_keep_sum(v):
    """SPEC 1.2, one vector, written literally."""
    v = np.asarray(v, dtype=float)
    r = np.round(v)
    target, cur = round(v.sum()), round(r.sum())
    while abs(cur - target) > 1e-6:
        d = round(target - cur)
        step = -1 if d < 0 else 1
        m = min(abs(d), len(v))
        order = list(np.argsort(v - r, kind="stable"))
        if step == 1:
            order = order[::-1]
        for i in order[:m]:
            r[i] += step
        cur = round(r.sum())
    return r.astype(int)


halves = st.integers(0, 400).map(lambda x: x / 4)


@given(st.lists(st.tuples(halves, halves), min_size=1, max_size=20))
def test_round_rows_keep_sum_equals_the_spec_loop(pairs):
    values = np.array(pairs, dtype=float)
    expected = np.array([slow_round_keep_sum(row) for row in values])
    np.testing.assert_array_equal(round_rows_keep_sum(values), expected)


@given(arrays(np.int64, (4, 2, 2), elements=st.integers(0, 50)), st.integers(1, 200))
def test_calibrated_rows_sum_to_the_class_counts(joints, n):
    rng = np.random.default_rng(n)
    n1 = rng.integers(0, n + 1, 4)
    counts = np.stack([n - n1, n1], axis=1)
    joints[:, 0, 0] = np.maximum(joints[:, 0, 0], 1)
    joints[:, 1, 1] = np.maximum(joints[:, 1, 1], 1)
    calibrated = calibrate_joints(joints, counts)
    np.testing.assert_array_equal(calibrated.sum(axis=2), counts)


@given(
    arrays(np.float64, st.integers(0, 40), elements=st.sampled_from([0.1, 0.2, 0.3, 0.5])),
    st.integers(-1, 45),
)
def test_smallest_stable_equals_a_stable_sort(keys, count):
    expected = np.argsort(keys, kind="stable")[: max(count, 0)]
    got = smallest_stable(keys, count)
    assert sorted(got.tolist()) == sorted(expected.tolist())


@given(arrays(np.float64, (7, 5), elements=st.floats(0, 1)), st.floats(0, 1))
def test_ema_equals_its_closed_form(scores, alpha):
    k = scores.shape[1]
    s = -np.sort(-scores, axis=1)  # descending
    weights = np.array([(1 - alpha) ** (k - 1)] + [alpha * (1 - alpha) ** (k - t)
                                                   for t in range(2, k + 1)])  # fmt: skip
    expected = s @ weights
    np.testing.assert_allclose(exponential_moving_average(scores, alpha=alpha), expected,
                               atol=1e-12)  # fmt: skip


def test_ema_defaults_and_errors():
    s = np.array([[0.2, 0.6, 0.9]])
    # alpha None -> 2 / (K + 1) = 0.5: 0.9 -> 0.5*0.6 + 0.5*0.9 = 0.75 -> 0.5*0.2 + 0.5*0.75
    assert exponential_moving_average(s).tolist() == [0.475]
    assert exponential_moving_average(np.array([[0.3]]), alpha=0.8).tolist() == [0.3]
    with pytest.raises(InputError, match=r"alpha must be in the interval \[0, 1\]; got 1\.5"):
        exponential_moving_average(s, alpha=1.5)


@given(arrays(np.float64, (6, 4), elements=st.floats(0, 1)), st.floats(1e-3, 10))
def test_softmin_is_a_weighted_mean_pulled_to_the_minimum(scores, temperature):
    got = softmin(scores, temperature=temperature)
    assert np.all(got >= scores.min(axis=1) - 1e-12)
    assert np.all(got <= scores.mean(axis=1) + 1e-12)


def test_aggregate_configurations():
    s = np.array([[0.9, 0.9, 0.9], [0.4, 0.9, 0.9]])
    assert aggregate(s, None).round(10).tolist() == [0.9, 0.5]
    assert aggregate(s, {}).round(10).tolist() == [0.9, 0.5]
    assert aggregate(s, {"method": np.min}).tolist() == [0.9, 0.4]
    ignored = aggregate(s, {"method": "softmin", "temperature": 0.1, "unused": 1})
    np.testing.assert_allclose(ignored, softmin(s, temperature=0.1))
    with pytest.raises(InputTypeError, match=r"must name a 'method'.*got keys \['alpha'\]"):
        aggregate(s, {"alpha": 0.3})
    with pytest.raises(
        InputError, match=r"one of \['exponential_moving_average', 'softmin'\].*'max'"
    ):
        aggregate(s, {"method": "max"})
    with pytest.raises(InputTypeError, match=r"a name or a callable; got int: 3"):
        aggregate(s, {"method": 3})
