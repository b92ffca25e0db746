"""The building blocks of the prune pass, against obvious (sort-based, loop-based) versions.

- ``smallest_per_group`` (bucketed per-group selection) equals "stable sort each group by
  (value, order), keep the first ``count``", for any bucket count, values outside [-1, 1]
  and many ties;
- ``select_candidates`` gives the same selection on its bucketed and per-cell paths, in any
  arrival order;
- the runners-up taken in the validation pass, and the guesses decided from argmax and
  maximum, equal a direct computation;
- ``find_label_issues`` does not depend on which selection path or bucket resolution runs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdclean import filter as pdfilter
from pdclean.core import blocks, prune, stats, sweep
from pdclean.core.problem import check_problem
from pdclean.core.select import kth_smallest_per_group, smallest_per_group


def sorted_reference(groups, values, order, counts):
    """Positions kept by a stable sort of each group by (value, order)."""
    keep = []
    for g in np.unique(groups):
        pos = np.flatnonzero(groups == g)
        pos = pos[np.lexsort((order[pos], values[pos]))]
        keep.extend(pos[: max(int(counts[g]), 0)].tolist())
    return sorted(keep)


@st.composite
def grouped_values(draw):
    n_groups = draw(st.integers(1, 6))
    n = draw(st.integers(0, 60))
    groups = np.array(draw(st.lists(st.integers(0, n_groups - 1), min_size=n, max_size=n)))
    # eighths in [-1.5, 1.5]: many exact ties, some outside [-1, 1]
    values = np.array(draw(st.lists(st.integers(-12, 12), min_size=n, max_size=n))) / 8.0
    order = np.array(draw(st.permutations(range(n)))) if n else np.empty(0, dtype=np.int64)
    counts = np.array(draw(st.lists(st.integers(-1, 12), min_size=n_groups, max_size=n_groups)))
    return groups.astype(np.int64), values.astype(np.float64), order.astype(np.int64), counts


@settings(max_examples=300)
@given(grouped_values(), st.sampled_from([1, 2, 3, 16, 1024]))
def test_smallest_per_group_equals_stable_sort(data, bins):
    groups, values, order, counts = data
    got = smallest_per_group(groups, values, order, counts, bins)
    assert got.tolist() == sorted_reference(groups, values, order, counts)


@settings(max_examples=300)
@given(grouped_values(), st.sampled_from([1, 2, 3, 16, 1024]))
def test_kth_smallest_per_group_equals_sorting(data, bins):
    groups, values, _, counts = data
    got = kth_smallest_per_group(groups, values, counts, bins)
    for g, count in enumerate(counts):
        mine = np.sort(values[groups == g])
        expected = -np.inf if count <= 0 else (mine[count - 1] if count <= mine.size else np.inf)
        assert got[g] == expected, (g, count, mine)


@pytest.mark.parametrize(("seed", "n_cells", "n"), [(0, 4, 50), (1, 30, 400), (2, 100, 3000)])
def test_known_cuts_paths_agree(monkeypatch, seed, n_cells, n):
    cells, values, rows, quota = _candidates(seed, n_cells, n)
    quota[0], quota[1] = n + 1, 0  # a cell with too few values, one with no quota
    bucketed = prune.known_cuts(cells, values, rows, quota.reshape(1, -1))
    monkeypatch.setattr(prune, "MAX_BUCKETED_CELLS", 0)
    looped = prune.known_cuts(cells, values, rows, quota.reshape(1, -1))
    assert bucketed.tolist() == looped.tolist()
    assert np.isposinf(bucketed[0, 0])
    assert np.isneginf(bucketed[0, 1])


def test_smallest_per_group_hand_example():
    groups = np.array([1, 0, 1, 0, 1, 1])
    values = np.array([0.25, 0.5, 0.25, -3.0, 0.1, 0.25])
    order = np.array([5, 0, 2, 1, 3, 4])
    # group 0 keeps its smallest (-3.0, outside [-1, 1]); group 1 keeps 0.1 and the tied
    # 0.25 with the lowest order (position 2, order 2), not positions 0 (order 5) or 5 (4)
    got = smallest_per_group(groups, values, order, np.array([1, 2]), bins=4)
    assert got.tolist() == [2, 3, 4]


def _candidates(seed, n_cells, n):
    rng = np.random.default_rng(seed)
    cells = rng.integers(0, n_cells, n)
    values = np.round(rng.uniform(-1, 1, n) * 16) / 16  # ties
    rows = rng.permutation(10 * n)[:n]
    quota = rng.integers(0, 8, n_cells)
    return cells, values, rows, quota


@pytest.mark.parametrize(("seed", "n_cells", "n"), [(0, 4, 50), (1, 30, 400), (2, 100, 3000)])
def test_select_candidates_paths_agree_in_any_order(monkeypatch, seed, n_cells, n):
    cells, values, rows, quota = _candidates(seed, n_cells, n)
    expected = sorted_reference(cells, values, rows, quota)
    want = sorted(zip(cells[expected].tolist(), rows[expected].tolist()))
    for max_cells, buckets in [(10**9, 2**20), (10**9, 16 * n_cells), (0, 2**20)]:
        monkeypatch.setattr(prune, "MAX_BUCKETED_CELLS", max_cells)
        monkeypatch.setattr(prune, "BUCKETS", buckets)
        got_cells, got_values, got_rows = prune.select_candidates(cells, values, rows, quota)
        assert np.all(np.diff(got_cells) >= 0)  # grouped by cell
        assert sorted(zip(got_cells.tolist(), got_rows.tolist())) == want
        pos = {(c, r): v for c, r, v in zip(cells, rows, values)}
        assert got_values.tolist() == [pos[c, r] for c, r in zip(got_cells, got_rows)]


def _problem(seed, n, k, dyadic=False):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    raw = rng.dirichlet(np.full(k, 0.5), n) + rng.uniform(0, 2, n)[:, None] * np.eye(k)[true]
    probs = raw / raw.sum(axis=1, keepdims=True)
    if dyadic:  # exact ties between the maximum and the runner-up
        probs = np.floor(probs * 8) / 8
        probs[np.arange(n), probs.argmax(axis=1)] += 1 - probs.sum(axis=1)
        probs[::7] = 0.0
        probs[::7, 1:3] = 0.5  # two equal maxima: argmax 1, runner-up 2 at the same value
    labels = np.where(rng.random(n) < 0.3, rng.integers(0, k, n), true)
    return labels, probs


@pytest.mark.parametrize("dyadic", [False, True])
@pytest.mark.parametrize("block_elements", [5, 1 << 19])
def test_runners_up_from_the_pass_and_guesses_equal_direct_computation(
    monkeypatch, dyadic, block_elements
):
    labels, probs = _problem(3, 500, 6, dyadic)
    monkeypatch.setattr(blocks, "BLOCK_ELEMENTS", block_elements)
    swept = check_problem(labels, probs, runners_up=True)
    rows, second, second_class = swept.runners_up
    top = probs.argmax(axis=1)
    assert rows.tolist() == np.flatnonzero(top != labels).tolist()
    masked = probs[rows].copy()
    masked[np.arange(rows.size), top[rows]] = -np.inf
    assert second_class.tolist() == masked.argmax(axis=1).tolist()
    assert second.tolist() == masked.max(axis=1).tolist()
    if dyadic:
        assert (second == probs[rows, top[rows]]).any()  # ties with the maximum occur
    direct = stats.guess_true_labels(probs, swept.thresholds - stats.FUZZ, top)  # all rows read
    assert swept.guess.tolist() == direct.tolist()  # most rows decided from argmax and max
    lazy = check_problem(labels, probs)
    assert all(a.tolist() == b.tolist() for a, b in zip(lazy.runners_up, swept.runners_up))
    assert sweep.runners_up(probs, labels, top)[2].dtype == top.dtype


@pytest.mark.parametrize(("seed", "k"), [(0, 3), (1, 12), (2, 40)])
@pytest.mark.parametrize("dyadic", [False, True])
def test_find_label_issues_same_on_every_selection_path(monkeypatch, seed, k, dyadic):
    labels, probs = _problem(seed, 1500, k, dyadic)
    expected = {
        f: pdfilter.find_label_issues(labels, probs, filter_by=f)
        for f in ("prune_by_noise_rate", "both")
    }
    for max_cells, buckets in [(0, 2**20), (10**9, 16 * k * k)]:
        monkeypatch.setattr(prune, "MAX_BUCKETED_CELLS", max_cells)
        monkeypatch.setattr(prune, "BUCKETS", buckets)
        for f, mask in expected.items():
            got = pdfilter.find_label_issues(labels, probs, filter_by=f)
            assert got.tolist() == mask.tolist(), (f, max_cells, buckets)
    assert expected["prune_by_noise_rate"].sum() > 0
