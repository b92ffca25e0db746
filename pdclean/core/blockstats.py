"""Per-block statistics and their merges: confident learning as a map over row blocks.

A pass over many blocks (the partitions of a Dask DataFrame) maps a function of this module
over the blocks' checked problems and merges the small outputs: exact per-class sums of the
self-confidences (thresholds rounded once, as one block gives them), the confident-joint
counts, the per-cell best candidates of the prune methods. The Dask face only schedules these
maps and merges; one block gives the same numbers as :mod:`pdclean.core.filter` on the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from pdclean.core import prune, stats
from pdclean.core.scores import label_scores

EMIN = -1073  #: smallest binary exponent of np.frexp (of the smallest subnormal)
_NBINS = 1 - EMIN + 1  #: exponents EMIN..1 (pred_probs are <= 1 + 1e-6)
_CHUNK = 1 << 25  #: rows per exact bincount (limbs < 2**27: sums stay below 2**53)


def exact_sums(values: np.ndarray, groups: np.ndarray, k: int) -> list[int]:
    """Per-group sums of float64 values, exactly, as Python ints in units of 2**(EMIN-53)."""
    mant, exp = np.frexp(values)
    m = (mant * 2.0**53).astype(np.int64)  # exact: values == m * 2**(exp - 53)
    hi = m >> 26
    lo = m - (hi << 26)
    key = groups * _NBINS + (exp - EMIN)
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


EMPTY = (np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64))


def below_cut(groups, values, rows, cut, quota):
    """Rows at or below their group's cut: the local best ``quota`` of each, and the count."""
    keep = values <= cut[groups]
    found = np.bincount(groups[keep], minlength=quota.size)
    return prune.select_candidates(groups[keep], values[keep], rows[keep], quota), found


def noise_candidates(problem, rows, plan):
    cut, quota = plan.cuts["noise"], plan.quotas["noise"]
    loosest = cut.max(axis=1)[problem.labels]  # a row's smallest value is p[given] - max p
    alive = np.flatnonzero(problem.self_confidence - problem.row_max <= loosest)
    cells, values, local = prune.noise_rate_candidates(problem, cut, alive)
    found = np.bincount(cells, minlength=quota.size)
    cells, values, local = prune.select_candidates(cells, values, local, quota.ravel())
    return (cells, values, rows[local]), found


def class_candidates(problem, rows, plan):
    sc = problem.self_confidence
    return below_cut(problem.labels, sc, rows, plan.cuts["class"], plan.quotas["class"])


def low_candidates(problem, rows, plan):
    scores = label_scores(problem, plan.low_method)
    zeros = np.zeros(rows.size, dtype=np.int64)
    return below_cut(zeros, scores, rows, plan.cuts["low"], plan.quotas["low"])


CANDIDATES = {"noise": noise_candidates, "class": class_candidates, "low": low_candidates}


def merge_stats(*parts):
    lengths = [n for p in parts for n in p[0]]
    counts = sum(p[1] for p in parts)
    sums = [sum(col) for col in zip(*(p[2] for p in parts))]
    return lengths, counts, sums


def merge_joint(*parts):
    counts = np.asfortranarray(sum(p[0] for p in parts))
    sample = tuple(np.concatenate(a) for a in zip(*(p[2] for p in parts)))
    return counts, sum(p[1] for p in parts), sample


def merge_candidates(quotas, *parts):
    out = {}
    for kind, quota in quotas.items():
        found = sum(p[kind][1] for p in parts)
        columns = (np.concatenate(a) for a in zip(*(p[kind][0] for p in parts)))
        out[kind] = (prune.select_candidates(*columns, quota.ravel()), found)
    return out


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


def group_cuts(values, groups, quota, totals) -> np.ndarray:
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
    return group_cuts(sc, sampled.labels, plan.quotas["class"], plan.class_counts)


def low_cuts(sampled, plan):
    if sampled is None:
        return np.where(plan.quotas["low"] > 0, np.inf, -np.inf)
    scores = label_scores(sampled, plan.low_method)
    zeros = np.zeros(scores.size, dtype=np.int64)
    return group_cuts(scores, zeros, plan.quotas["low"], [plan.n_labelled])


def thresholds_from_sums(counts: np.ndarray, sums: list[int]) -> np.ndarray:
    """Per-class thresholds from merged exact sums: each mean rounded once, like one block.

    Examples
    --------
    >>> sc = np.array([0.9, 0.7, 0.4])
    >>> thresholds_from_sums(np.array([2, 1]), exact_sums(sc, np.array([0, 0, 1]), 2)).tolist()
    [0.8, 0.4]
    """
    thresholds = np.full(counts.size, stats.MISSING_CLASS_THRESHOLD)
    for c in np.flatnonzero(counts):
        thresholds[c] = float(Fraction(sums[c], int(counts[c]) << (53 - EMIN)))
    return np.maximum(thresholds, stats.THRESHOLD_FLOOR)


def block_joint(problem, n_classes: int, step: int):
    """Confident counts, guarded off-diagonal count, and every ``step``-th labelled row."""
    counts = stats.confident_counts(problem.labels, problem.guess, n_classes)
    issues = stats.off_diagonal(problem.labels, problem.guess) & ~problem.label_is_top
    sample = (problem.labels[::step].copy(), problem.pred_probs[::step].copy())  # no views
    return counts, int(np.count_nonzero(issues)), sample
