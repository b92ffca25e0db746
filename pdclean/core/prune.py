"""The prune methods of confident learning (SPEC 5.3, 5.4) on validated arrays.

``prune_counts`` turns a confident joint into the number of examples to flag per (true,
given) cell. The selections then pick, per cell, the examples with the largest margins
(``prune_by_noise_rate``) or, per class, the smallest self-confidences (``prune_by_class``).
For the margins, each row whose argmax is not its label brings two values known from the
validation pass (toward its argmax and its runner-up); they bound every cell's cut-off, and
only rows these bounds cannot rule out are read again. Candidates are selected per cell by
counting them in value buckets (no loop over cells), a merge that a partitioned (cluster) run
repeats on the union of its partitions' candidates. Ties go to the lowest row index.
"""

from __future__ import annotations

import logging

import numpy as np

from pdclean.core.blocks import block_rows
from pdclean.core.rounding import round_keep_row_totals
from pdclean.core.select import kth_smallest_per_group, smallest_mask, smallest_per_group

SAMPLE_ROWS = 1 << 16
BUCKETS = 1 << 19  # (cell, value bucket) counters of a bucketed selection (measured best)
MAX_BUCKETED_CELLS = 1 << 16  # more cells (K > 256): one partition per cell
logger = logging.getLogger("pdclean.filter")

__all__ = [
    "cell_quotas",
    "known_cuts",
    "known_values",
    "noise_rate_candidates",
    "noise_rate_top",
    "override_with_num_to_remove",
    "prune_by_class_mask",
    "prune_by_noise_rate_mask",
    "prune_counts",
    "prune_plan",
    "sample_cuts",
    "select_candidates",
    "skipped_classes",
]


def prune_counts(confident_joint, min_examples_per_class: int, frac_noise: float) -> np.ndarray:
    """``PC[j, k]``: examples given label ``k`` to flag as truly ``j`` (``PC[k, k]``: to keep).

    Works on the transpose of the confident joint (rows true, columns given).
    """
    m = np.asarray(confident_joint, dtype=np.float64).T.copy()
    k = m.shape[0]
    diag = np.diagonal(m).copy()
    kept = np.maximum(diag, min_examples_per_class)
    extra = kept - diag
    nonzero = np.maximum(np.count_nonzero(m, axis=0) - 1, 1)
    m = np.maximum(m - extra / nonzero, 0.0)
    np.fill_diagonal(m, kept)
    if frac_noise != 1.0:
        off = ~np.eye(k, dtype=bool)
        removed = np.where(off, m * (1.0 - frac_noise), 0.0).sum(axis=0)
        m = np.where(off, m * frac_noise, m)
        np.fill_diagonal(m, np.diagonal(m) + removed)
    return round_keep_row_totals(m.astype(np.int64))


def override_with_num_to_remove(pc: np.ndarray, num_to_remove, class_counts) -> np.ndarray:
    """Replace the prune counts by a per-class number to remove (the reference's formula)."""
    r = np.asarray(num_to_remove, dtype=np.float64)
    q = pc / pc.sum(axis=1)  # q[a, b] = pc[a, b] / rowsum_b: the reference's broadcasting
    z = q.sum(axis=1) - np.diagonal(q)
    t = q * (r / z)[:, None]
    np.fill_diagonal(t, np.asarray(class_counts, dtype=np.float64) - r)
    return round_keep_row_totals(t)


def prune_plan(confident_joint, class_counts, min_examples_per_class, frac_noise, num_to_remove):
    """``(PC, skip)``: the prune counts (with any per-class override) and the skipped classes.

    Logs a warning for each present class too small to prune.
    """
    pc = prune_counts(confident_joint, min_examples_per_class, frac_noise)
    if num_to_remove is not None:
        pc = override_with_num_to_remove(pc, num_to_remove, class_counts)
    skip = skipped_classes(class_counts, min_examples_per_class)
    for c in np.flatnonzero(skip & (class_counts > 0)):
        logger.warning(
            "May not flag all label issues in class %d: it has too few examples "
            "(see min_examples_per_class).",
            c,
        )
    return pc, skip


def skipped_classes(class_counts: np.ndarray, min_examples_per_class: int) -> np.ndarray:
    """Classes too small to prune: ``n_k <= min_examples_per_class`` or ``n_k <= 1``."""
    return (class_counts <= min_examples_per_class) | (class_counts <= 1)


def prune_by_class_mask(problem, pc, skip) -> np.ndarray:
    """Flag, per class k, the ``n_k - PC[k, k]`` rows with the smallest ``p[k]``."""
    order, starts = problem.grouping
    conf = problem.self_confidence[order]
    mask = np.zeros(problem.n, dtype=bool)
    for k in np.flatnonzero(~skip):
        lo, hi = starts[k], starts[k + 1]
        quota = int(hi - lo) - int(pc[k, k])
        if quota >= 1:
            mask[order[lo:hi][smallest_mask(conf[lo:hi], quota)]] = True
    return mask


def cell_quotas(pc: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """``Q[k, j]``: rows given label k to flag for the margin toward class j (0 on the diagonal)."""
    quota = np.asarray(pc, dtype=np.int64).T.copy()
    np.fill_diagonal(quota, 0)
    quota[skip] = 0
    return np.maximum(quota, 0)


def sample_cuts(problem, quota: np.ndarray, sample_rows: int = SAMPLE_ROWS) -> np.ndarray:
    """Per-cell cutoffs on ``p[k] - p[j]`` that let through at least the needed rows.

    From a strided sample of rows, ``cuts[k, j]`` is a sample quantile chosen so that a bit
    more than the quota of cell (k, j) lies at or below it (1.2x plus three standard errors;
    ``+inf``: take every row; ``-inf``: no quota). Candidates are verified after the pass,
    so the cut only affects speed.
    """
    n = problem.n
    cuts = np.where(quota > 0, np.inf, -np.inf)
    step = max(1, n // sample_rows)
    picked = np.arange(0, n, step)
    y = problem.labels[picked]
    picked = picked[
        np.argsort(y.astype(np.min_scalar_type(quota.shape[0]), copy=False), kind="stable")
    ]
    bounds = np.zeros(quota.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(y, minlength=quota.shape[0]), out=bounds[1:])
    for c in np.flatnonzero(quota.any(axis=1)):
        rows = picked[bounds[c] : bounds[c + 1]]
        m, n_c = rows.size, int(problem.class_counts[c])
        if m == 0:
            continue  # no sampled row: the cut stays +inf (every row of the class)
        need = np.flatnonzero(quota[c])
        expected = quota[c, need] * (m / n_c)
        rank = np.ceil(1.2 * expected + 3 * np.sqrt(expected)).astype(np.int64) + 1
        bounded = need[rank < m]
        if bounded.size == 0:
            continue
        rank = rank[rank < m]
        neg = problem.self_confidence[rows][:, None] - problem.pred_probs[rows][:, bounded]
        part = np.partition(neg, np.unique(rank), axis=0)
        cuts[c, bounded] = part[rank, np.arange(bounded.size)]
    return cuts


def noise_rate_candidates(problem, cuts, rows):
    """Rows whose ``p[given] - p[j]`` is at or below the cell's cut: ``(cell, value, row)``.

    ``cell = given * K + j``. ``rows`` (ascending) are read in order, in bounded chunks; each
    row is compared with the row of ``cuts`` of its given label.
    """
    k = problem.n_classes
    probs, conf, labels = problem.pred_probs, problem.self_confidence, problem.labels
    out = []
    for start in range(0, rows.size, block_rows(k)):
        idx = rows[start : start + block_rows(k)]
        given = labels[idx]
        neg = probs[idx]
        np.subtract(conf[idx][:, None], neg, out=neg)
        hit = np.flatnonzero(neg <= np.take(cuts, given, axis=0))
        r = hit // k
        out.append((given[r] * k + (hit - r * k), neg.ravel()[hit], idx[r]))
    if not out:
        empty = np.empty(0, dtype=np.int64)
        return empty, np.empty(0), empty
    return tuple(np.concatenate(a) for a in zip(*out))


def _bins(n_cells: int) -> int:
    """Value buckets per cell of a bucketed selection: 8 to 1024, about BUCKETS in all."""
    return int(min(1024, max(8, BUCKETS // n_cells)))


def select_candidates(cells, values, rows, quota_flat):
    """Per cell, the ``quota`` smallest values (largest margins), ties by lowest row index.

    Candidates may arrive in any order (each (cell, row) at most once). They are grouped by
    cell with a stable (radix) sort; each crowded cell's cut-off value is found by one
    partition, and ties at the cut-off go to the lowest rows. Returns the selected
    ``(cells, values, rows)``, grouped by cell (in arrival order within a cell): the
    mergeable statistic of the prune pass (select again after concatenating several).
    """
    n_cells = quota_flat.size
    if n_cells <= MAX_BUCKETED_CELLS:  # counts per (cell, value bucket): no loop over cells
        bins = _bins(n_cells)
        keep = smallest_per_group(cells, values, rows, quota_flat, bins)
        keep = keep[np.argsort(cells[keep].astype(np.min_scalar_type(n_cells)), kind="stable")]
        return cells[keep], values[keep], rows[keep]
    order = np.argsort(cells.astype(np.min_scalar_type(n_cells), copy=False), kind="stable")
    cells, values = cells[order], values[order]
    counts = np.bincount(cells, minlength=n_cells)
    starts = np.cumsum(counts) - counts
    cut = np.full(n_cells, np.inf)
    crowded = np.flatnonzero(counts > quota_flat)
    cut[crowded[quota_flat[crowded] <= 0]] = -np.inf
    crowded = crowded[quota_flat[crowded] > 0]
    lows, highs, ranks = starts[crowded], starts[crowded] + counts[crowded], quota_flat[crowded] - 1
    found = [
        np.partition(values[lo:hi], w)[w]
        for lo, hi, w in zip(lows.tolist(), highs.tolist(), ranks.tolist())
    ]
    cut[crowded] = found
    cell_cut = cut[cells]
    keep = values < cell_cut
    tied = np.flatnonzero(values == cell_cut)
    if tied.size:  # the ``room`` lowest rows among each cell's tied candidates
        room = quota_flat - np.bincount(cells[keep], minlength=n_cells)
        tied = tied[np.lexsort((rows[order[tied]], cells[tied]))]
        tied_cells = cells[tied]
        rank = np.arange(tied.size) - np.searchsorted(tied_cells, tied_cells)
        keep[tied[rank < room[tied_cells]]] = True
    keep = np.flatnonzero(keep)
    return cells[keep], values[keep], rows[order[keep]]


def prune_by_noise_rate_mask(problem, pc, skip) -> np.ndarray:
    """Flag, per cell (j, k), the ``PC[j, k]`` rows of class k with the largest ``p[j] - p[k]``."""
    mask = np.zeros(problem.n, dtype=bool)
    mask[noise_rate_top(problem, cell_quotas(pc, skip))[2]] = True
    return mask


def noise_rate_top(problem, quota: np.ndarray):
    """Exact per-cell top candidates ``(cells, values, rows)`` of one problem (row range).

    ``quota[k, j]`` rows given label k with the largest ``p[j] - p[k]`` (``values`` hold
    ``p[k] - p[j]``). Row indices are local to ``problem``; add the range's offset before
    merging ranges with :func:`select_candidates`.

    Every row whose argmax is not its label has two values known without reading
    ``pred_probs`` again: toward its argmax and toward its runner-up (:mod:`pdclean.core.sweep`).
    They bound each cell's cut-off (:func:`known_cuts`); every other value of such a row is
    at least ``p[k] - second``, and every value of a row whose label is its argmax is at
    least 0. Only the rows that these bounds cannot rule out are read.
    """
    if not quota.any():
        empty = np.empty(0, dtype=np.int64)
        return empty, np.empty(0), empty
    cells, values, rows = known_values(problem)
    cuts = known_cuts(cells, values, rows, quota)
    unbounded = np.isposinf(cuts)
    if unbounded.any():
        cuts[unbounded] = sample_cuts(problem, np.where(unbounded, quota, 0))[unbounded]
    alive = rows_to_read(problem, cuts.max(axis=1))
    read = np.zeros(problem.n, dtype=bool)
    read[alive] = True
    known = ~read[rows] & (values <= cuts.ravel()[cells])
    found = [a[known] for a in (cells, values, rows)]
    extra = noise_rate_candidates(problem, cuts, alive)
    cells, values, rows = (np.concatenate([a, b]) for a, b in zip(found, extra))
    counts = np.bincount(cells, minlength=quota.size).reshape(quota.shape)
    short = (counts < quota) & np.isfinite(cuts)
    if short.any():  # the sample under-estimated these cells: take all their rows
        redo = np.where(short, np.inf, -np.inf)
        order, starts = problem.grouping
        classes = np.flatnonzero(short.any(axis=1))
        picked = np.concatenate([order[starts[c] : starts[c + 1]] for c in classes])
        extra = noise_rate_candidates(problem, redo, np.sort(picked))
        keep = ~short.ravel()[cells]
        cells, values, rows = (
            np.concatenate([a[keep], b]) for a, b in zip((cells, values, rows), extra)
        )
    return select_candidates(cells, values, rows, quota.ravel())


def rows_to_read(problem, loosest: np.ndarray) -> np.ndarray:
    """Rows (ascending) that may have a value at or below ``loosest[label]`` beyond those known.

    A row whose argmax is not its label k has its other values at least ``p[k] - second``;
    a row whose label is its argmax has every value at least 0.
    """
    mis, second, _ = problem.runners_up
    given = problem.labels[mis]
    alive = mis[problem.self_confidence[mis] - second <= loosest[given]]
    open_classes = np.flatnonzero(loosest >= 0)
    if open_classes.size == 0:
        return alive
    order, starts = problem.grouping
    rows = np.concatenate([order[starts[c] : starts[c + 1]] for c in open_classes])
    rows = rows[problem.argmax[rows] == problem.labels[rows]]
    return np.union1d(alive, rows)


def known_values(problem):
    """``(cells, values, rows)`` known from the validation pass, no read of pred_probs.

    For each row whose argmax is not its label k: the value toward its argmax
    (``p[k] - max``) and toward its runner-up (``p[k] - second``; a diagonal cell, which has
    no quota, when the runner-up is k).
    """
    mis, second, second_class = problem.runners_up
    m = mis.size
    base = problem.labels[mis] * problem.n_classes
    conf = problem.self_confidence[mis]
    cells, values = np.empty(2 * m, dtype=np.int64), np.empty(2 * m)
    np.add(base, problem.argmax[mis], out=cells[:m])
    np.add(base, second_class, out=cells[m:])
    np.subtract(conf, problem.row_max[mis], out=values[:m])
    np.subtract(conf, second, out=values[m:])
    return cells, values, np.concatenate([mis, mis])


def known_cuts(cells, values, rows, quota: np.ndarray) -> np.ndarray:
    """Per-cell cut-offs from known values: the ``quota``-th smallest, when there are enough.

    A cut-off with at least ``quota`` known values at or below it bounds the cell's exact
    cut-off from the safe side. Cells with fewer get ``+inf``; cells without quota ``-inf``.
    """
    flat = quota.ravel()
    if flat.size <= MAX_BUCKETED_CELLS:
        bins = _bins(flat.size)
        return kth_smallest_per_group(cells, values, flat, bins).reshape(quota.shape)
    cuts = np.where(quota > 0, np.inf, -np.inf)
    cells, values, _ = select_candidates(cells, values, rows, flat)
    found = np.bincount(cells, minlength=quota.size)
    full = np.flatnonzero((found >= flat) & (flat > 0))
    if full.size:  # the selection is grouped by cell (ascending): one reduction per cell
        worst = np.full(quota.size, -np.inf)
        present = np.flatnonzero(found)
        worst[present] = np.maximum.reduceat(values, (np.cumsum(found) - found)[present])
        cuts.ravel()[full] = worst[full]
    return cuts
