"""pdclean.core.regression.detect: entry errors, outliers, heteroscedastic noise, bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean.core.regression.detect import (
    DEFAULT_THRESHOLD,
    choose_scale,
    find_target_issues,
    local_center_and_spread,
)
from pdclean.errors import InputError


def prices(n: int = 2000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A skewed positive target (log-normal prices) and predictions with 10% relative noise."""
    rng = np.random.default_rng(seed)
    truth = np.exp(rng.normal(8, 1, size=n))
    predictions = truth * np.exp(rng.normal(0, 0.1, size=n))
    return truth, predictions


def test_entry_errors_are_found_at_every_price_level():
    y, p = prices()
    rng = np.random.default_rng(1)
    bad = rng.choice(len(y), size=100, replace=False)
    noisy = y.copy()
    noisy[bad[:50]] *= 3.0
    noisy[bad[50:]] /= 3.0
    found = find_target_issues(noisy, p)
    assert found.scale == "linear+log"
    flagged = set(np.flatnonzero(found.is_issue).tolist())
    assert len(flagged & set(bad.tolist())) >= 95
    assert len(flagged - set(bad.tolist())) <= 5
    # the suggestion undoes the error within the prediction noise
    ratio = found.suggested[bad] / y[bad]
    assert np.median(np.abs(np.log(ratio))) < 0.1


def test_clean_data_gives_few_flags_and_high_scores():
    y, p = prices()
    found = find_target_issues(y, p)
    assert found.is_issue.mean() < 0.005
    assert np.median(found.score) > 0.4
    assert ((found.score >= 0) & (found.score <= 1)).all()


def test_heteroscedastic_noise_is_judged_locally():
    """The same residual is suspicious where the model is precise, not where it is noisy."""
    rng = np.random.default_rng(2)
    p = np.linspace(-10, 10, 2000)
    noise_sd = np.where(p < 0, 0.1, 3.0)
    y = p + rng.normal(size=2000) * noise_sd
    y[[100, 1900]] = p[[100, 1900]] + 2.0  # 20 sd where precise, 0.7 sd where noisy
    found = find_target_issues(y, p, scale="linear")
    assert found.is_issue[100]
    assert not found.is_issue[1900]
    assert found.z[100] > 10


def test_local_bias_of_the_model_is_removed():
    rng = np.random.default_rng(3)
    p = np.linspace(0, 100, 1000)
    y = p + 5.0 + rng.normal(size=1000)  # the model underpredicts by 5 everywhere
    found = find_target_issues(y, p, scale="linear")
    assert found.is_issue.sum() <= 2
    np.testing.assert_allclose(np.median(found.suggested - p), 5.0, atol=0.2)


def test_log_scale_catches_what_linear_misses_and_the_other_way_round():
    y, p = prices()
    noisy = y.copy()
    cheap = int(np.argmin(y))
    noisy[cheap] *= 4.0  # tiny in absolute terms: only the log scale sees it
    big = int(np.argsort(y)[len(y) // 2])
    noisy[big] += 20 * y[big]  # a gross additive outlier: both see it
    assert not find_target_issues(noisy, p, scale="linear").is_issue[cheap]
    found = find_target_issues(noisy, p)
    assert found.is_issue[cheap]
    assert found.is_issue[big]
    assert found.z[cheap] > 0


def test_non_positive_targets_use_the_linear_scale():
    y, p = prices()
    found = find_target_issues(np.log(y) - 8, np.log(p) - 8)
    assert found.scale == "linear"


def test_scale_choice():
    y, _ = prices()
    assert choose_scale(y) == "log"
    assert choose_scale(np.log(y)) == "linear"  # already symmetric
    assert choose_scale(np.r_[0.0, y]) == "linear"  # not strictly positive
    assert choose_scale(np.full(5, 3.0)) == "linear"


def test_local_spread_follows_the_noise():
    r = np.tile([-1.0, 1.0], 500) * np.repeat([1.0, 10.0], 500)
    center, spread = local_center_and_spread(r, np.arange(1000.0))
    np.testing.assert_allclose(center, 0.0, atol=1e-12)
    assert spread[0] == pytest.approx(1.482602218505602)
    assert spread[-1] == pytest.approx(14.82602218505602)


@given(
    st.lists(st.floats(0.1, 1e4), min_size=2, max_size=60),
    st.floats(0.5, 2.0),
    st.sampled_from(["auto", "linear", "log"]),
)
def test_properties(values, factor, scale):
    y = np.array(values)
    p = y * factor
    found = find_target_issues(y, p, scale=scale)
    assert found.is_issue.dtype == bool
    assert found.is_issue.shape == y.shape
    assert ((found.score >= 0) & (found.score <= 1)).all()
    assert np.isfinite(found.suggested).all()
    # flags are exactly the rows past the threshold, and the score is monotone in |z|
    np.testing.assert_array_equal(found.is_issue, np.abs(found.z) > DEFAULT_THRESHOLD)
    order = np.argsort(np.abs(found.z))
    assert (np.diff(found.score[order]) <= 1e-12).all()


@given(st.integers(0, 2**32 - 1))
def test_row_permutation_equivariance(seed):
    y, p = prices(300, seed % 1000)
    perm = np.random.default_rng(seed).permutation(300)
    whole = find_target_issues(y, p)
    part = find_target_issues(y[perm], p[perm])
    np.testing.assert_allclose(part.z, whole.z[perm], atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"scale": "sqrt"}, r"scale must be one of \['auto', 'log', 'linear'\]; got 'sqrt'"),
        ({"threshold": 0.0}, r"threshold must be a positive number; got 0.0"),
        ({"labels": [-1.0, 2.0, 3.0], "scale": "log"}, r"scale='log' needs positive labels"),
        ({"labels": [1.0, np.inf, 3.0]}, r"Input labels contains infinity"),
        ({"predictions": [1.0, 2.0]}, r"got 3 labels and 2 predictions"),
    ],
)
def test_bad_input(kwargs, match):
    call = {"labels": [1.0, 2.0, 3.0], "predictions": [1.0, 2.0, 3.0], **kwargs}
    with pytest.raises(InputError, match=match):
        find_target_issues(call.pop("labels"), call.pop("predictions"), **call)
