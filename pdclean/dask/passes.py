"""The mergeable passes of the Dask accessor: statistics, candidates, merges.

Each pass maps a function over the partitions and merges the outputs in a tree
(``SPLIT_EVERY`` at a time, in partition order); see :mod:`pdclean.dask.accessor` for the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core import prune, stats
from pdclean.core.count import calibrate_counts
from pdclean.core.scores import label_scores
from pdclean.dask.inputs import Spec, match_classes, partition_problem, probability_columns
from pdclean.errors import InputError
from pdclean.frame.resolve_checks import column_not_found, has_column

SPLIT_EVERY = 8  #: fan-in of the merge trees
_EMIN = -1073  #: smallest binary exponent of np.frexp (of the smallest subnormal)
_NBINS = 1 - _EMIN + 1  #: exponents _EMIN..1 (pred_probs are <= 1 + 1e-6)
_CHUNK = 1 << 25  #: rows per exact bincount (limbs < 2**27: sums stay below 2**53)


def make_spec(ddf: Any, label: Any, pred_probs: Any) -> Spec:
    """Check names against ``ddf.columns`` and find the classes (no pass over pred_probs)."""
    if not has_column(ddf, label):
        raise column_not_found("label column", label, ddf.columns)
    columns = probability_columns(ddf, pred_probs)
    column = ddf[label]
    categorical = isinstance(column.dtype, pd.CategoricalDtype)
    if categorical:
        dtype = column.dtype if column.cat.known else column.cat.as_known().dtype  # a pass
        classes = pd.Categorical.from_codes(np.arange(len(dtype.categories)), dtype=dtype)
    else:
        values = _tree(_map(ddf, Spec(label, (), None, False), _unique_part), _merge_unique)
        classes = pd.factorize(values, sort=True)[1].array
    return Spec(label, match_classes(columns, pred_probs, classes), classes, categorical)


def _exact_sums(values: np.ndarray, groups: np.ndarray, k: int) -> list[int]:
    """Per-group sums of float64 values, exactly, as Python ints in units of 2**(_EMIN-53)."""
    mant, exp = np.frexp(values)
    m = (mant * 2.0**53).astype(np.int64)  # exact: values == m * 2**(exp - 53)
    hi = m >> 26
    lo = m - (hi << 26)
    key = groups * _NBINS + (exp - _EMIN)
    size = k * _NBINS
    limbs = np.zeros((2, size), dtype=np.int64)
    for start in range(0, values.size, _CHUNK):
        part = slice(start, start + _CHUNK)
        for limb, w in enumerate((hi, lo)):
            sums = np.bincount(key[part], weights=w[part], minlength=size)
            limbs[limb] += sums.astype(np.int64)  # integers below 2**53: exact
    out = [0] * k
    for b in np.flatnonzero(limbs.any(axis=0)):
        g, e = divmod(int(b), _NBINS)
        out[g] += ((int(limbs[0, b]) << 26) + int(limbs[1, b])) << e
    return out


def _unique_part(part, spec, number):
    return part[spec.label].dropna().drop_duplicates()


def _merge_unique(*parts):
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _stats_part(part, spec, number):
    k = len(spec.class_names)
    _, problem = partition_problem(part, spec, number)
    if problem is None:
        return [len(part)], np.zeros(k, dtype=np.int64), [0] * k
    sums = _exact_sums(problem.self_confidence, problem.labels, k)
    return [len(part)], problem.class_counts, sums


def _joint_part(part, spec, number, thresholds, step):
    """Confident counts, guarded off-diagonal count, and every ``step``-th labelled row."""
    k = len(spec.class_names)
    _, problem = partition_problem(part, spec, number, thresholds)
    if problem is None:
        return np.zeros((k, k), dtype=np.int64, order="F"), 0, (_EMPTY[0], np.empty((0, k)))
    counts = stats.confident_counts(problem.labels, problem.guess, k)
    issues = stats.off_diagonal(problem.labels, problem.guess) & ~problem.label_is_top
    sample = (problem.labels[::step].copy(), problem.pred_probs[::step].copy())  # no views
    return counts, int(np.count_nonzero(issues)), sample


_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64))


def _below_cut(groups, values, rows, cut, quota):
    """Rows at or below their group's cut: the local best ``quota`` of each, and the count."""
    keep = values <= cut[groups]
    found = np.bincount(groups[keep], minlength=quota.size)
    return prune.select_candidates(groups[keep], values[keep], rows[keep], quota), found


def _noise_candidates(problem, rows, plan):
    cut, quota = plan.cuts["noise"], plan.quotas["noise"]
    loosest = cut.max(axis=1)[problem.labels]  # a row's smallest value is p[given] - max p
    alive = np.flatnonzero(problem.self_confidence - problem.row_max <= loosest)
    cells, values, local = prune.noise_rate_candidates(problem, cut, alive)
    found = np.bincount(cells, minlength=quota.size)
    cells, values, local = prune.select_candidates(cells, values, local, quota.ravel())
    return (cells, values, rows[local]), found


def _class_candidates(problem, rows, plan):
    sc = problem.self_confidence
    return _below_cut(problem.labels, sc, rows, plan.cuts["class"], plan.quotas["class"])


def _low_candidates(problem, rows, plan):
    scores = label_scores(problem, plan.low_method)
    zeros = np.zeros(rows.size, dtype=np.int64)
    return _below_cut(zeros, scores, rows, plan.cuts["low"], plan.quotas["low"])


_CANDIDATES = {"noise": _noise_candidates, "class": _class_candidates, "low": _low_candidates}


def _candidates_part(part, spec, number, plan):
    has, problem = partition_problem(part, spec, number, plan.thresholds)
    if problem is None:
        return {kind: (_EMPTY, np.zeros(q.size, dtype=np.int64)) for kind, q in plan.quotas.items()}
    rows = np.flatnonzero(has) + plan.offsets[number]
    return {kind: _CANDIDATES[kind](problem, rows, plan) for kind in plan.quotas}


# ------------------------------------------------------------------------------ merges


def _merge_stats(*parts):
    lengths = [n for p in parts for n in p[0]]
    counts = sum(p[1] for p in parts)
    sums = [sum(col) for col in zip(*(p[2] for p in parts))]
    return lengths, counts, sums


def _merge_joint(*parts):
    counts = np.asfortranarray(sum(p[0] for p in parts))
    sample = tuple(np.concatenate(a) for a in zip(*(p[2] for p in parts)))
    return counts, sum(p[1] for p in parts), sample


def _merge_candidates(quotas, *parts):
    out = {}
    for kind, quota in quotas.items():
        found = sum(p[kind][1] for p in parts)
        columns = (np.concatenate(a) for a in zip(*(p[kind][0] for p in parts)))
        out[kind] = (prune.select_candidates(*columns, quota.ravel()), found)
    return out


def _tree(tasks: list, combine, *args):
    """Merge delayed results in partition order, ``SPLIT_EVERY`` at a time; compute."""
    import dask

    while len(tasks) > 1:
        tasks = [
            dask.delayed(combine)(*args, *tasks[i : i + SPLIT_EVERY])
            for i in range(0, len(tasks), SPLIT_EVERY)
        ]
    return dask.delayed(combine)(*args, *tasks).compute()


def _parts(ddf, spec: Spec) -> list:
    return ddf[[spec.label, *spec.columns]].to_delayed()


def _map(ddf, spec, func, *args) -> Any:
    import dask

    parts = _parts(ddf, spec)
    return [dask.delayed(func)(p, spec, i, *args) for i, p in enumerate(parts)]


# ------------------------------------------------------------------------------ global passes


@dataclass(frozen=True)
class Plan:
    """What the per-row tasks need: offsets, thresholds, quotas and the selected rows."""

    n_rows: int
    n_labelled: int
    offsets: np.ndarray
    class_counts: np.ndarray
    thresholds: np.ndarray
    quotas: dict | None = None
    cuts: dict | None = None
    low_method: str = "self_confidence"
    selected: dict | None = None


def stats_pass(ddf, spec: Spec) -> Plan:
    """Pass 1: validate every row; rows per partition, class counts, thresholds."""
    lengths, counts, sums = _tree(_map(ddf, spec, _stats_part), _merge_stats)
    counts = np.asarray(counts, dtype=np.int64)
    present = np.flatnonzero(counts)
    if present.size == 0:
        raise InputError(
            f"label column {spec.label!r} has no non-missing value (all {sum(lengths)} rows "
            "are missing); fill in labels or pick the right column."
        )
    if present.size < 2:
        raise InputError(
            f"label column {spec.label!r} has a single class "
            f"({spec.class_names[present[0]]!r}); finding label issues needs at least 2 "
            "classes. Check the column, or the rows selected."
        )
    thresholds = np.full(counts.size, stats.MISSING_CLASS_THRESHOLD)
    for c in present:  # exact sum / count, rounded once (see the module docstring)
        thresholds[c] = float(Fraction(sums[c], int(counts[c]) << (53 - _EMIN)))
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return Plan(
        n_rows=int(sum(lengths)),
        n_labelled=int(counts.sum()),
        offsets=offsets,
        class_counts=counts,
        thresholds=np.maximum(thresholds, stats.THRESHOLD_FLOOR),
    )


def joint_pass(ddf, spec: Spec, plan: Plan, sample_rows: int = 0):
    """Pass 2: the calibrated confident joint, the number of guarded off-diagonal rows,
    and a strided sample of about ``sample_rows`` labelled rows ``(labels, pred_probs)``."""
    step = max(1, plan.n_labelled // sample_rows) if sample_rows else plan.n_rows + 1
    tasks = _map(ddf, spec, _joint_part, plan.thresholds, step)
    counts, issues, sample = _tree(tasks, _merge_joint)
    np.fill_diagonal(counts, np.maximum(np.diagonal(counts), 1))
    return calibrate_counts(counts, plan.class_counts), issues, sample


def pack(rows: np.ndarray, n: int) -> np.ndarray:
    """Sorted global rows (int64), or a bitmap of all ``n`` rows (uint8) when smaller."""
    if rows.size * 64 <= n:
        return rows
    bits = np.zeros((n + 7) // 8, dtype=np.uint8)
    np.bitwise_or.at(bits, rows >> 3, (128 >> (rows & 7)).astype(np.uint8))
    return bits


def unpack(packed: np.ndarray, offset: int, n: int) -> np.ndarray:
    """Mask of rows ``offset .. offset + n - 1`` in a :func:`pack` result."""
    if packed.dtype == np.uint8:
        bits = np.unpackbits(packed[offset >> 3 : (offset + n + 7) >> 3])
        return bits[offset & 7 : (offset & 7) + n].astype(bool)
    lo, hi = np.searchsorted(packed, [offset, offset + n])
    out = np.zeros(n, dtype=bool)
    out[packed[lo:hi] - offset] = True
    return out


def candidates_pass(ddf, spec, plan) -> tuple[dict, dict]:
    """Pass 3: per kind, the selected rows of the cells whose cut let enough rows through,
    and the mask of the other ("short") cells."""
    merged = _tree(_map(ddf, spec, _candidates_part, plan), _merge_candidates, plan.quotas)
    selected, short = {}, {}
    for kind, ((cells, _, rows), found) in merged.items():
        short[kind] = (found < plan.quotas[kind].ravel()) & np.isfinite(plan.cuts[kind].ravel())
        selected[kind] = rows[~short[kind][cells]]
    return selected, short


def _group_cuts(values, groups, quota, totals) -> np.ndarray:
    """Per group, a sample value with a bit more than the group's expected quota below it."""
    cuts = np.where(quota > 0, np.inf, -np.inf)
    for g in np.flatnonzero(quota):
        v = values[groups == g]
        expected = quota[g] * v.size / max(int(totals[g]), 1)
        rank = int(np.ceil(1.2 * expected + 3 * np.sqrt(expected))) + 1
        if rank < v.size:
            cuts[g] = np.partition(v, rank)[rank]
    return cuts


def noise_cuts(sampled, plan):
    quota = plan.quotas["noise"]
    if sampled is None:
        return np.where(quota > 0, np.inf, -np.inf)
    m = sampled.class_counts
    scaled = quota * (m / np.maximum(plan.class_counts, 1))[:, None]  # expected in sample
    cuts = prune.sample_cuts(sampled, scaled, sample_rows=sampled.n)
    return np.where((quota > 0) & (scaled == 0), np.inf, cuts)


def class_cuts(sampled, plan):
    if sampled is None:
        return np.where(plan.quotas["class"] > 0, np.inf, -np.inf)
    sc = sampled.self_confidence
    return _group_cuts(sc, sampled.labels, plan.quotas["class"], plan.class_counts)


def low_cuts(sampled, plan):
    if sampled is None:
        return np.where(plan.quotas["low"] > 0, np.inf, -np.inf)
    scores = label_scores(sampled, plan.low_method)
    zeros = np.zeros(scores.size, dtype=np.int64)
    return _group_cuts(scores, zeros, plan.quotas["low"], [plan.n_labelled])
