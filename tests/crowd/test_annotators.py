"""pdclean.core.crowd.annotators: detailed quality, annotator table, worst class (A.7.2, A.8)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.crowd.annotators import (
    annotator_order,
    detailed_quality,
    kahan_means,
    worst_class,
)
from pdclean.core.crowd.labels import Annotations, encode_annotations

NAN = np.nan


def annotations(matrix, k):
    return Annotations.build(*encode_annotations(np.asarray(matrix, dtype=float)), k)


def slow_kahan_mean(values):
    total = comp = 0.0
    kept = [v for v in values if not np.isnan(v)]
    for v in kept:
        y = v - comp
        t = total + y
        comp = (t - total) - y
        total = t
    return total / len(kept) if kept else np.nan


@given(st.integers(0, 10_000), st.integers(1, 200), st.integers(1, 6))
def test_kahan_means_equal_a_python_loop_bit_for_bit(seed, n, groups):
    rng = np.random.default_rng(seed)
    values = rng.choice([1 / 3, 2 / 3, 0.1, 0.7, 1e-6, NAN], n)
    labels = rng.integers(0, groups, n)
    got = kahan_means(values, labels, groups)
    expected = [slow_kahan_mean(values[labels == g]) for g in range(groups)]
    np.testing.assert_array_equal(got, expected)


def test_detailed_quality_default_and_adjusted():
    ann = annotations([[0, NAN], [1, 0], [NAN, 1]], 2)
    posterior = np.array([[0.9, 0.1], [0.3, 0.7], [0.4, 0.6]])
    np.testing.assert_array_equal(
        detailed_quality(ann, posterior), [[0.9, NAN], [0.7, 0.3], [NAN, 0.6]]
    )
    margin = detailed_quality(ann, posterior, {"method": "normalized_margin"})
    np.testing.assert_allclose(
        margin, [[0.9, NAN], [0.7, 0.3], [NAN, 0.6]], rtol=0, atol=1e-15
    )  # for K = 2 the normalized margin (p - other + 1) / 2 equals p


def test_worst_class_rules():
    # annotator 0: class 0 always right (acc 1), class 1 right once in 2 (acc 0.5) -> 1
    # annotator 1: classes 0 and 1 always wrong (acc 0); class 1 used twice -> 1
    # annotator 2: classes 0 and 1 wrong once each: tie on acc and count -> the class whose
    # examples have the highest mean consensus quality
    ann = annotations([[0, 1, 1], [1, 1, NAN], [1, 0, 0], [0, NAN, NAN]], 2)
    consensus = np.array([0, 0, 1, 0])
    quality = np.array([0.9, 0.2, 0.5, 0.8])
    assert worst_class(ann, consensus, quality).tolist() == [1, 1, 1]
    quality = np.array([0.2, 0.9, 0.5, 0.8])
    assert worst_class(ann, consensus, quality).tolist() == [1, 1, 0]


def test_annotator_order_is_stable_and_puts_nan_last():
    table = {
        "annotator_quality": np.array([0.5, NAN, 0.2, 0.5, 0.5]),
        "agreement_with_consensus": np.array([0.9, 0.1, 0.3, 0.9, 0.4]),
    }
    assert annotator_order(table).tolist() == [2, 4, 0, 3, 1]
