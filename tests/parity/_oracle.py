"""The cleanlab 2.9.0 oracle with its ties broken stably, and the comparison helpers.

Target (SPEC 1.3): "cleanlab 2.9.0 with its rounding ties broken stably". cleanlab sorts with
numpy's default (non-stable, platform-dependent) sort. Observed by tracing the calls cleanlab
makes on the paths tested here (sys.setprofile over every function of count/filter/rank/dataset):

* ``np.argsort(...)`` module function: round_preserving_sum (calibration, num_to_remove_per_class),
  prune_by_class, prune_by_noise_rate, the low_* filters, order_label_issues (ranked returns).
  -> patched: kind None/"quicksort" becomes "stable" during the oracle call.
* ``ndarray.argsort`` method: only ``rank.find_top_issues`` (on its input). ndarray methods cannot
  be patched, so the scores are passed as a view of :class:`StableArgsortArray`, whose
  ``argsort`` is stable (checked in test_rank_parity on an all-ties input).
* ``DataFrame.sort_values``: rank_classes_by_label_quality and find_overlapping_classes.
  -> patched the same way (pandas' descending sort keeps ties in original order when stable).
* no ``np.sort`` / ``np.lexsort`` / ``argpartition`` calls on these paths; ``argmax`` is
  deterministic (first maximum).

What stability cannot neutralise: values that are mathematically equal but differ in the last
bits because they come from different float expressions (e.g. J[a,b] + J[b,a] for different
pairs, adjusted pred_probs of permuted rows). Their order follows float noise in cleanlab; a
correct pdclean may order them differently. :func:`assert_same_ranking` and
:func:`assert_same_table` therefore accept a different order only between items whose sort keys
(as cleanlab computed them) agree within ``TIE_TOL`` and are *not* bitwise equal; exact ties must
come out in ascending original order, as cleanlab-with-stable-sorts gives.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest

FLOAT_TOL = 1e-9
TIE_TOL = 1e-9

_np_argsort = np.argsort
_df_sort_values = pd.DataFrame.sort_values
_series_sort_values = pd.Series.sort_values


def _stable(kind):
    return "stable" if kind in (None, "quicksort") else kind


def _stable_argsort(a, axis=-1, kind=None, order=None, **kwargs):
    return _np_argsort(a, axis=axis, kind=_stable(kind), order=order, **kwargs)


def _stable_df_sort_values(self, *args, kind="quicksort", **kwargs):
    return _df_sort_values(self, *args, kind=_stable(kind), **kwargs)


def _stable_series_sort_values(self, *args, kind="quicksort", **kwargs):
    return _series_sort_values(self, *args, kind=_stable(kind), **kwargs)


class StableArgsortArray(np.ndarray):
    """ndarray view whose ``.argsort()`` defaults to a stable sort (for find_top_issues)."""

    def argsort(self, axis=-1, kind=None, order=None, **kwargs):
        plain = self.view(np.ndarray)
        return np.ndarray.argsort(plain, axis=axis, kind=_stable(kind), order=order, **kwargs)


@contextlib.contextmanager
def stable_sorts(monkeypatch: pytest.MonkeyPatch):
    with monkeypatch.context() as m:
        m.setattr(np, "argsort", _stable_argsort)
        m.setattr(pd.DataFrame, "sort_values", _stable_df_sort_values)
        m.setattr(pd.Series, "sort_values", _stable_series_sort_values)
        yield


def _copy(x):
    """Fresh writable copies for cleanlab (the problems' arrays are read-only)."""
    if isinstance(x, np.ndarray):
        return np.array(x, subok=True)
    if isinstance(x, list):
        return [_copy(v) for v in x]
    return x


@contextlib.contextmanager
def silenced():
    """cleanlab (and pdclean) warn/print about e.g. tiny classes: not what these tests check."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        yield


def call_oracle(monkeypatch, fn, *args, **kwargs):
    """Call a cleanlab function with stable sorts, silently, on copies of the arrays."""
    args = [_copy(a) for a in args]
    kwargs = {k: _copy(v) for k, v in kwargs.items()}
    with stable_sorts(monkeypatch), silenced():
        return fn(*args, **kwargs)


def call_quiet(fn, *args, **kwargs):
    with silenced():
        return fn(*args, **kwargs)


def assert_exact(got, expected, what=""):
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    if not np.array_equal(got, expected):
        diff = np.flatnonzero(got.ravel() != expected.ravel())
        raise AssertionError(
            f"{what}: {len(diff)} entries differ; first at flat positions {diff[:10].tolist()}:"
            f" pdclean {got.ravel()[diff[:10]].tolist()} vs cleanlab"
            f" {expected.ravel()[diff[:10]].tolist()}"
        )


def assert_int_array(got, what=""):
    assert np.issubdtype(np.asarray(got).dtype, np.integer), f"{what}: dtype {got.dtype}"


def assert_close(got, expected, what="", atol=FLOAT_TOL):
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    assert got.shape == expected.shape, f"{what}: shape {got.shape} != {expected.shape}"
    np.testing.assert_allclose(got, expected, rtol=0, atol=atol, equal_nan=True, err_msg=what)


def assert_mask(got, expected, what=""):
    got = np.asarray(got)
    assert got.dtype == bool, f"{what}: pdclean mask dtype {got.dtype}"
    assert_exact(got, expected, what)


def _tolerated_swap(key_a: float, key_b: float) -> bool:
    """Two items may be ordered differently iff their keys tie only up to float noise."""
    return key_a != key_b and abs(key_a - key_b) <= TIE_TOL


def assert_same_ranking(got, expected, keys, what="", same_set=True):
    """Index orders equal, up to float-noise ties (see module docstring).

    ``keys[i]``: cleanlab's sort key of original item i (e.g. its quality score).
    """
    got, expected = np.asarray(got), np.asarray(expected)
    assert got.shape == expected.shape, f"{what}: {len(got)} items vs cleanlab {len(expected)}"
    if np.array_equal(got, expected):
        return
    keys = np.asarray(keys, dtype=float)
    if same_set:
        assert_exact(np.sort(got), np.sort(expected), f"{what} (as sets)")
    else:
        assert len(np.unique(got)) == len(got), f"{what}: repeated indices"
    assert_close(keys[got], keys[expected], f"{what}: key sequence")
    for pos in np.flatnonzero(got != expected):
        a, b = got[pos], expected[pos]
        assert _tolerated_swap(keys[a], keys[b]), (
            f"{what}: position {pos}: pdclean has item {a} (key {keys[a]!r}), cleanlab has item"
            f" {b} (key {keys[b]!r}); pdclean {got[max(pos - 3, 0) : pos + 4].tolist()} vs"
            f" cleanlab {expected[max(pos - 3, 0) : pos + 4].tolist()}"
        )


def assert_same_table(got: pd.DataFrame, expected: pd.DataFrame, columns: dict, key: str, ids):
    """Compare a pdclean table with cleanlab's (columns renamed by ``columns``: cleanlab -> ours).

    ``key``: cleanlab's sort column; ``ids``: cleanlab columns identifying a row. Rows must come in
    the same order up to float-noise ties of the key; every cell must match (ints and strings
    exactly, floats within FLOAT_TOL).
    """
    assert list(got.columns) == [columns[c] for c in expected.columns], list(got.columns)
    assert len(got) == len(expected), f"{len(got)} rows vs cleanlab {len(expected)}"
    assert list(got.index) == list(range(len(got))), "index should be a RangeIndex"
    exp_ids = [tuple(r) for r in expected[ids].itertuples(index=False)]
    got_ids = [tuple(r) for r in got[[columns[c] for c in ids]].itertuples(index=False)]
    position = {row: i for i, row in enumerate(exp_ids)}
    assert sorted(position) == sorted(got_ids), "different rows"
    order = np.array([position[r] for r in got_ids])
    assert_same_ranking(order, np.arange(len(order)), expected[key].to_numpy(float), "row order")
    aligned = expected.iloc[order].reset_index(drop=True)
    for col in expected.columns:
        g, e = got[columns[col]].to_numpy(), aligned[col].to_numpy()
        if np.issubdtype(e.dtype, np.floating):
            assert_close(g, e, col)
        elif np.issubdtype(e.dtype, np.integer):
            assert_int_array(g, col)
            assert_exact(g, e, col)
        else:
            assert g.tolist() == e.tolist(), col


RAISED = object()
"""Returned by :func:`compare_calls` when cleanlab raised (and pdclean did too)."""


def compare_calls(oracle, cl_fn, pd_fn, *args, **kwargs):
    """(cleanlab result, pdclean result); if cleanlab raises, pdclean must raise too.

    cleanlab's exceptions (ValueError, LinAlgError, AssertionError, ...) are not mirrored one to
    one: pdclean must raise a ValueError or TypeError. Returns (RAISED, None) in that case.
    """
    try:
        expected = oracle(cl_fn, *args, **kwargs)
    except Exception as exc:
        with pytest.raises((ValueError, TypeError)):
            call_quiet(pd_fn, *args, **kwargs)
        print(f"cleanlab raised {exc!r}; pdclean raised as well")
        return RAISED, None
    return expected, call_quiet(pd_fn, *args, **kwargs)
