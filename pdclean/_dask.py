"""The ``.clean`` accessor on Dask DataFrames: the pandas results, exactly, past one machine.

``import pdclean`` calls :func:`register_dask` when Dask is installed; this module imports
Dask only inside functions, so it costs nothing without it. The pred_probs are columns of the
Dask DataFrame (a list of names in class order, or a prefix such as ``"proba_"`` whose
columns are ``f"{prefix}{class}"``). Every method runs on Dask's own scheduler (threads,
processes or a ``distributed`` cluster) as a few passes over the partitions, each a map whose
outputs merge in a tree:

1. statistics: validation of every row (the core's messages), rows per partition, class
   counts, and the exact per-class sums of self-confidence;
2. the confident joint: a K x K count matrix per partition, summed (and a strided sample of
   rows, from which pass 3 sets per-cell cuts);
3. for the prune and low-score methods, per partition the exact per-cell best candidates
   (cell, value, global row) among the rows at or below the cell's cut, merged by keeping the
   best of each cell (ties: lowest row). A cell whose cut let fewer rows through than its
   quota (the sample misled) is redone without a cut, so the cut only affects speed;
4. a lazy per-row map (masks, scores, labels), partitioned like the input.

The merges keep at most ``SPLIT_EVERY`` x (rows to flag) candidates in one task.

Dataset-level results are computed values; per-row results are lazy Dask objects. The frame
is read once per pass, so its partitions must come out the same each time (persist a frame
built from non-deterministic sources first).

Exactness: every step equals the single-machine step except the mean of the thresholds,
which the single-machine path takes with numpy's pairwise sum. Here the per-class sums are
exact (each float split into integer limbs per binary exponent, merged as Python ints) and the
mean is correctly rounded, so a threshold can differ from numpy's in the last bit; masks only
change if a probability sits within that bit of ``threshold - 1e-6`` (tests check equality).

Class list: the categories of a categorical label column with known categories; otherwise
the sorted unique labels, computed once, before the other passes, by one pass over the label
column (each partition's unique values, merged in a tree: like ``.unique()``, without a
shuffle). Categorical labels therefore save a pass.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from pdclean import _prune, _stats, dataset
from pdclean._exceptions import InputError, InputTypeError
from pdclean._frame_api import NoiseEstimates
from pdclean._latent import latent_from_joint_counts
from pdclean._resolve import _has_column, _not_found, _plain_index
from pdclean._scoring import SCORE_METHODS, label_scores
from pdclean._validation import check_choice, check_problem
from pdclean.count import TINY, _calibrate
from pdclean.filter import _PRUNE, FILTER_BY, _check_options

__all__ = ["DaskCleanAccessor", "register_dask"]

logger = logging.getLogger(__name__)

SPLIT_EVERY = 8  #: fan-in of the merge trees
_EMIN = -1073  #: smallest binary exponent of np.frexp (of the smallest subnormal)
_NBINS = 1 - _EMIN + 1  #: exponents _EMIN..1 (pred_probs are <= 1 + 1e-6)
_CHUNK = 1 << 25  #: rows per exact bincount (limbs < 2**27: sums stay below 2**53)
SAMPLE_ROWS = 1 << 16  #: rows sampled in pass 2 to set the candidate cuts of pass 3 ...
SAMPLE_ELEMENTS = 1 << 22  #: ... at most this many pred_probs values


# ------------------------------------------------------------------------------ inputs


@dataclass(frozen=True)
class _Spec:
    """Resolved column names and class list (small: shipped with every task)."""

    label: Any
    columns: tuple
    classes: Any
    categorical: bool

    @property
    def class_names(self) -> pd.Index:
        return _plain_index(self.classes)


def _spec(ddf: Any, label: Any, pred_probs: Any) -> _Spec:
    """Check names against ``ddf.columns`` and find the classes (no pass over pred_probs)."""
    if not _has_column(ddf, label):
        raise _not_found("label column", label, ddf.columns)
    columns = _probability_columns(ddf, pred_probs)
    column = ddf[label]
    categorical = isinstance(column.dtype, pd.CategoricalDtype)
    if categorical:
        dtype = column.dtype if column.cat.known else column.cat.as_known().dtype  # a pass
        classes = pd.Categorical.from_codes(np.arange(len(dtype.categories)), dtype=dtype)
    else:
        values = _tree(_map(ddf, _Spec(label, (), None, False), _unique_part), _merge_unique)
        classes = pd.factorize(values, sort=True)[1].array
    return _Spec(label, _match_classes(columns, pred_probs, classes), classes, categorical)


def _probability_columns(ddf: Any, pred_probs: Any) -> list:
    if pred_probs is None:
        raise InputError(
            "pred_probs is required on a Dask DataFrame (pdclean does not cross-validate a "
            "model there): pass the names of the pred_probs columns in class order, or their "
            "prefix, e.g. pred_probs='proba_' for columns proba_<class>."
        )
    if isinstance(pred_probs, str):
        columns = [c for c in ddf.columns if isinstance(c, str) and c.startswith(pred_probs)]
        if not columns:
            raise _not_found("pred_probs column prefix", pred_probs, ddf.columns)
    elif isinstance(pred_probs, (list, tuple, pd.Index)):
        columns = list(pred_probs)
        for name in columns:
            if not _has_column(ddf, name):
                raise _not_found("pred_probs column", name, ddf.columns)
    else:
        raise InputTypeError(
            "pred_probs must be a list of column names (in class order) or a column prefix "
            f"string on a Dask DataFrame; got {type(pred_probs).__name__}."
        )
    not_numeric = [c for c in columns if ddf[c].dtype.kind not in "fiu"]
    if not_numeric:
        raise InputTypeError(
            f"pred_probs columns must be numeric; {not_numeric!r} are not (dtypes "
            f"{[str(ddf[c].dtype) for c in not_numeric]!r}). Pass the probability columns."
        )
    return columns


def _match_classes(columns: list, pred_probs: Any, classes: Any) -> tuple:
    """The pred_probs columns in class order (by name after a prefix, else by position)."""
    names = _plain_index(classes)
    if isinstance(pred_probs, str):
        by_class = {c[len(pred_probs) :]: c for c in columns}
        missing = [k for k in names if str(k) not in by_class]
        unknown = sorted(set(by_class) - {str(k) for k in names})
        if missing or unknown:
            raise InputError(
                f"pred_probs columns {pred_probs!r}<class> must match the classes "
                f"{names.tolist()!r}; classes without a column: {missing!r}, columns of unknown "
                f"classes: {[pred_probs + u for u in unknown]!r}. Name one column per class."
            )
        return tuple(by_class[str(k)] for k in names)
    if len(columns) != len(names):
        raise InputError(
            f"pred_probs must name one column per class, in class order ({len(names)} "
            f"classes: {names[:10].tolist()!r}); got {len(columns)} columns {columns[:10]!r}."
        )
    return tuple(columns)


# ------------------------------------------------------------------------------ per partition


def _codes(column: pd.Series, spec: _Spec) -> np.ndarray:
    """Class index of each label (-1: missing); unknown labels raise."""
    if spec.categorical and column.cat.categories.equals(spec.class_names):
        return column.cat.codes.to_numpy().astype(np.int64)
    codes = spec.class_names.get_indexer(column)
    unknown = (codes < 0) & column.notna().to_numpy()
    if unknown.any():
        raise InputError(
            f"label column {spec.label!r} holds {column[unknown].iloc[0]!r}, not among the "
            f"classes {spec.class_names[:10].tolist()!r} found before: was the data modified?"
        )
    return codes.astype(np.int64, copy=False)


def _problem(part: pd.DataFrame, spec: _Spec, number: int, thresholds=None):
    """``(has_label, Problem of the labelled rows or None)`` of one partition."""
    codes = _codes(part[spec.label], spec)
    has = codes >= 0
    if not has.any():
        return has, None
    probs = part[list(spec.columns)].to_numpy(dtype=np.float64, na_value=np.nan)
    if not has.all():
        probs, codes = probs[has], codes[has]
    try:
        problem = check_problem(codes, probs, min_classes=1)
    except InputError as exc:
        raise InputError(
            f"{exc} (In partition {number} of the Dask DataFrame; rows counted from 0 within "
            "its labelled rows.)"
        ) from None
    if thresholds is not None:
        problem.thresholds = thresholds  # the global thresholds, not this partition's
    return has, problem


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
    _, problem = _problem(part, spec, number)
    if problem is None:
        return [len(part)], np.zeros(k, dtype=np.int64), [0] * k
    sums = _exact_sums(problem.self_confidence, problem.labels, k)
    return [len(part)], problem.class_counts, sums


def _joint_part(part, spec, number, thresholds, step):
    """Confident counts, guarded off-diagonal count, and every ``step``-th labelled row."""
    k = len(spec.class_names)
    _, problem = _problem(part, spec, number, thresholds)
    if problem is None:
        return np.zeros((k, k), dtype=np.int64, order="F"), 0, (_EMPTY[0], np.empty((0, k)))
    counts = _stats.confident_counts(problem.labels, problem.guess, k)
    issues = _stats.off_diagonal(problem.labels, problem.guess) & ~problem.label_is_top
    sample = (problem.labels[::step].copy(), problem.pred_probs[::step].copy())  # no views
    return counts, int(np.count_nonzero(issues)), sample


_EMPTY = (np.empty(0, dtype=np.int64), np.empty(0), np.empty(0, dtype=np.int64))


def _below_cut(groups, values, rows, cut, quota):
    """Rows at or below their group's cut: the local best ``quota`` of each, and the count."""
    keep = values <= cut[groups]
    found = np.bincount(groups[keep], minlength=quota.size)
    return _prune.select_candidates(groups[keep], values[keep], rows[keep], quota), found


def _noise_candidates(problem, rows, plan):
    cut, quota = plan.cuts["noise"], plan.quotas["noise"]
    loosest = cut.max(axis=1)[problem.labels]  # a row's smallest value is p[given] - max p
    alive = np.flatnonzero(problem.self_confidence - problem.row_max <= loosest)
    cells, values, local = _prune.noise_rate_candidates(problem, cut, alive)
    found = np.bincount(cells, minlength=quota.size)
    cells, values, local = _prune.select_candidates(cells, values, local, quota.ravel())
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
    has, problem = _problem(part, spec, number, plan.thresholds)
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
        out[kind] = (_prune.select_candidates(*columns, quota.ravel()), found)
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


def _parts(ddf, spec: _Spec) -> list:
    return ddf[[spec.label, *spec.columns]].to_delayed()


def _map(ddf, spec, func, *args) -> Any:
    import dask

    parts = _parts(ddf, spec)
    return [dask.delayed(func)(p, spec, i, *args) for i, p in enumerate(parts)]


# ------------------------------------------------------------------------------ global passes


@dataclass(frozen=True)
class _Plan:
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


def _stats_pass(ddf, spec: _Spec) -> _Plan:
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
    thresholds = np.full(counts.size, _stats.MISSING_CLASS_THRESHOLD)
    for c in present:  # exact sum / count, rounded once (see the module docstring)
        thresholds[c] = float(Fraction(sums[c], int(counts[c]) << (53 - _EMIN)))
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return _Plan(
        n_rows=int(sum(lengths)),
        n_labelled=int(counts.sum()),
        offsets=offsets,
        class_counts=counts,
        thresholds=np.maximum(thresholds, _stats.THRESHOLD_FLOOR),
    )


def _joint_pass(ddf, spec: _Spec, plan: _Plan, sample_rows: int = 0):
    """Pass 2: the calibrated confident joint, the number of guarded off-diagonal rows,
    and a strided sample of about ``sample_rows`` labelled rows ``(labels, pred_probs)``."""
    step = max(1, plan.n_labelled // sample_rows) if sample_rows else plan.n_rows + 1
    tasks = _map(ddf, spec, _joint_part, plan.thresholds, step)
    counts, issues, sample = _tree(tasks, _merge_joint)
    np.fill_diagonal(counts, np.maximum(np.diagonal(counts), 1))
    return _calibrate(counts, plan.class_counts), issues, sample


def _joint(confident_joint: np.ndarray) -> np.ndarray:
    return confident_joint / max(float(np.sum(confident_joint)), TINY)


def _prune_quotas(cj, plan, filter_by, frac_noise, num_to_remove, min_examples) -> dict:
    """Per cell (noise rate) and per class (by class) numbers of rows to flag."""
    class_counts = plan.class_counts
    pc = _prune.prune_counts(cj, min_examples, frac_noise)
    if num_to_remove is not None:
        pc = _prune.override_with_num_to_remove(pc, num_to_remove, class_counts)
    skip = _prune.skipped_classes(class_counts, min_examples)
    for c in np.flatnonzero(skip & (class_counts > 0)):
        logger.warning(
            "May not flag all label issues in class %d: it has too few examples "
            "(see min_examples_per_class).",
            c,
        )
    quotas = {}
    if filter_by != "prune_by_class":
        quotas["noise"] = _prune.cell_quotas(pc, skip)
    if filter_by != "prune_by_noise_rate":
        quotas["class"] = np.where(skip, 0, np.maximum(class_counts - np.diagonal(pc), 0))
    return quotas


def _select(ddf, spec, plan, filter_by, frac_noise, num_to_remove, min_examples) -> _Plan:
    """Passes 2 and 3 when ``filter_by`` needs them: the globally selected rows.

    Pass 3 keeps, per partition, only rows at or below a per-cell cut estimated from a
    sample of pass 2 (so candidates stay near the quotas); a cell where fewer than its quota
    passed the cut is redone without a cut, so the result is exact either way.
    """
    if filter_by in ("predicted_neq_given", "confident_learning"):
        return plan
    k = len(spec.class_names)
    cj, issues, sample = _joint_pass(ddf, spec, plan, min(SAMPLE_ROWS, SAMPLE_ELEMENTS // k))
    if filter_by in _PRUNE:
        quotas = _prune_quotas(cj, plan, filter_by, frac_noise, num_to_remove, min_examples)
        plan = replace(plan, quotas=quotas)
    else:
        plan = replace(plan, quotas={"low": np.array([issues])}, low_method=filter_by[4:])
    sampled = check_problem(*sample, min_classes=1) if sample[0].size else None
    plan = replace(plan, cuts={kind: _SAMPLE_CUTS[kind](sampled, plan) for kind in plan.quotas})
    selected, short = _candidates_pass(ddf, spec, plan)
    if any(s.any() for s in short.values()):  # the sample under-estimated these cells
        quotas = {kind: np.where(s, plan.quotas[kind].ravel(), 0) for kind, s in short.items()}
        cuts = {
            kind: np.where(s, np.inf, -np.inf).reshape(plan.cuts[kind].shape)
            for kind, s in short.items()
        }
        again, _ = _candidates_pass(ddf, spec, replace(plan, quotas=quotas, cuts=cuts))
        selected = {kind: np.concatenate([rows, again[kind]]) for kind, rows in selected.items()}
    packed = {kind: _pack(np.unique(rows), plan.n_rows) for kind, rows in selected.items()}
    return replace(plan, selected=packed)


def _pack(rows: np.ndarray, n: int) -> np.ndarray:
    """Sorted global rows (int64), or a bitmap of all ``n`` rows (uint8) when smaller."""
    if rows.size * 64 <= n:
        return rows
    bits = np.zeros((n + 7) // 8, dtype=np.uint8)
    np.bitwise_or.at(bits, rows >> 3, (128 >> (rows & 7)).astype(np.uint8))
    return bits


def _unpack(packed: np.ndarray, offset: int, n: int) -> np.ndarray:
    """Mask of rows ``offset .. offset + n - 1`` in a :func:`_pack` result."""
    if packed.dtype == np.uint8:
        bits = np.unpackbits(packed[offset >> 3 : (offset + n + 7) >> 3])
        return bits[offset & 7 : (offset & 7) + n].astype(bool)
    lo, hi = np.searchsorted(packed, [offset, offset + n])
    out = np.zeros(n, dtype=bool)
    out[packed[lo:hi] - offset] = True
    return out


def _candidates_pass(ddf, spec, plan) -> tuple[dict, dict]:
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


def _noise_cuts(sampled, plan):
    quota = plan.quotas["noise"]
    if sampled is None:
        return np.where(quota > 0, np.inf, -np.inf)
    m = sampled.class_counts
    scaled = quota * (m / np.maximum(plan.class_counts, 1))[:, None]  # expected in sample
    cuts = _prune.sample_cuts(sampled, scaled, sample_rows=sampled.n)
    return np.where((quota > 0) & (scaled == 0), np.inf, cuts)


def _class_cuts(sampled, plan):
    if sampled is None:
        return np.where(plan.quotas["class"] > 0, np.inf, -np.inf)
    sc = sampled.self_confidence
    return _group_cuts(sc, sampled.labels, plan.quotas["class"], plan.class_counts)


def _low_cuts(sampled, plan):
    if sampled is None:
        return np.where(plan.quotas["low"] > 0, np.inf, -np.inf)
    scores = label_scores(sampled, plan.low_method)
    zeros = np.zeros(scores.size, dtype=np.int64)
    return _group_cuts(scores, zeros, plan.quotas["low"], [plan.n_labelled])


_SAMPLE_CUTS = {"noise": _noise_cuts, "class": _class_cuts, "low": _low_cuts}


# ------------------------------------------------------------------------------ per-row map


def _guarded(mask: np.ndarray, problem) -> np.ndarray:
    return mask & ~problem.label_is_top


_MASKS = {
    "prune_by_noise_rate": lambda p, s: _guarded(s("noise"), p),
    "prune_by_class": lambda p, s: _guarded(s("class"), p),
    "both": lambda p, s: _guarded(s("noise") & s("class"), p),
    "confident_learning": lambda p, s: _guarded(_stats.off_diagonal(p.labels, p.guess), p),
    "predicted_neq_given": lambda p, s: _guarded(p.argmax != p.labels, p),
    "low_self_confidence": lambda p, s: s("low"),
    "low_normalized_margin": lambda p, s: s("low"),
}


def _output(part, spec, plan, mode, has, mask, scores, predicted):
    """The partition's result, shaped like the pandas accessor's (nullable if labels miss)."""
    if plan.n_labelled < plan.n_rows:
        mask = pd.arrays.BooleanArray(mask, ~has)
        scores = pd.arrays.FloatingArray(np.where(has, scores, np.nan), ~has)
    quality = pd.Series(scores, index=part.index, name="label_quality", copy=False)
    if mode == "quality":
        return quality
    dtype = part[spec.label].dtype
    columns = {
        "is_label_issue": pd.Series(mask, index=part.index, copy=False),
        "label_quality": quality,
        "predicted_label": pd.Series(
            spec.classes.take(predicted, allow_fill=True), index=part.index, dtype=dtype
        ),
    }
    if mode == "annotate":
        return part.assign(**columns)
    columns["given_label"] = part[spec.label]
    order = ["is_label_issue", "label_quality", "given_label", "predicted_label"]
    return pd.DataFrame({name: columns[name] for name in order})


def _rows_part(part, spec, plan, number, filter_by, method, adjust, mode):
    n = len(part)
    has, problem = _problem(part, spec, number, plan.thresholds)
    mask, scores = np.zeros(n, dtype=bool), np.full(n, np.nan)
    predicted = np.full(n, -1, dtype=np.int64)
    if problem is not None:
        offset = int(plan.offsets[number])

        def selected(kind):
            return _unpack(plan.selected[kind], offset, n)[has]

        scores[has] = label_scores(problem, method, adjust)
        predicted[has] = problem.argmax
        if filter_by is not None:
            mask[has] = _MASKS[filter_by](problem, selected)
    return _output(part, spec, plan, mode, has, mask, scores, predicted)


def _per_row(ddf, spec, plan, mode, filter_by=None, method="self_confidence", adjust=False):
    """The lazy per-row result, one output partition per input partition (same index)."""
    import dask
    import dask.dataframe as dd

    frame = ddf if mode == "annotate" else ddf[[spec.label, *spec.columns]]
    meta_in = frame._meta
    empty = np.zeros(0, dtype=bool)
    meta = _output(meta_in, spec, plan, mode, empty, empty, np.zeros(0), np.zeros(0, int))
    shared = dask.delayed(plan)  # one key for the plan, not a copy per task
    options = (filter_by, method, adjust, mode)
    # Each task is bound to its partition number here (not via partition_info, which a
    # later partition selection such as result.partitions[3] renumbers).
    tasks = [
        dask.delayed(_rows_part)(part, spec, shared, number, *options)
        for number, part in enumerate(frame.to_delayed())
    ]
    return dd.from_delayed(tasks, meta=meta, divisions=frame.divisions, verify_meta=False)


# ------------------------------------------------------------------------------ the methods


def _issues(ddf, label, pred_probs, mode, filter_by, frac_noise, num_to_remove, min_ex, rank_by):
    from pdclean._frame_api import _per_class

    check_choice("filter_by", filter_by, FILTER_BY)  # option checks first: no pass yet
    check_choice("rank_by", rank_by, SCORE_METHODS)
    spec = _spec(ddf, label, pred_probs)
    counts = _per_class(spec, "num_to_remove_per_class", num_to_remove)
    _check_options(filter_by, frac_noise, counts, min_ex, None, len(spec.class_names))
    plan = _stats_pass(ddf, spec)
    plan = _select(ddf, spec, plan, filter_by, frac_noise, counts, min_ex)
    return _per_row(ddf, spec, plan, mode, filter_by, rank_by)


def find_label_issues(
    ddf: Any,
    label: Any,
    *,
    pred_probs: Any,
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: Any = None,
    min_examples_per_class: int = 1,
    rank_by: str = "self_confidence",
) -> Any:
    """Flag rows whose label is likely wrong: a lazy frame like the pandas accessor's.

    Options as in :func:`pdclean.find_label_issues`; ``pred_probs`` names columns of ``ddf``
    (a list in class order, or a prefix). The global passes run now; the per-row frame
    (``is_label_issue``, ``label_quality``, ``given_label``, ``predicted_label``) is lazy and
    partitioned like ``ddf`` (same divisions).
    """
    return _issues(
        ddf, label, pred_probs, "issues", filter_by, frac_noise, num_to_remove_per_class,
        min_examples_per_class, rank_by,
    )  # fmt: skip


def annotate(
    ddf: Any,
    label: Any,
    *,
    pred_probs: Any,
    filter_by: str = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: Any = None,
    min_examples_per_class: int = 1,
    rank_by: str = "self_confidence",
) -> Any:
    """``ddf`` with ``is_label_issue``, ``label_quality``, ``predicted_label`` added (lazy).

    Options as in :func:`find_label_issues`.
    """
    return _issues(
        ddf, label, pred_probs, "annotate", filter_by, frac_noise, num_to_remove_per_class,
        min_examples_per_class, rank_by,
    )  # fmt: skip


def label_quality(
    ddf: Any,
    label: Any,
    *,
    pred_probs: Any,
    method: str = "self_confidence",
    adjust_pred_probs: bool = False,
) -> Any:
    """Label quality score of every row in [0, 1] (low = suspicious): a lazy Series.

    Options as in :func:`pdclean.label_quality` (one pred_probs, no ensemble). The statistics
    pass runs now (it checks every row and gives the global thresholds that
    ``adjust_pred_probs`` uses); the scores are lazy, partitioned like ``ddf``.
    """
    check_choice("method", method, SCORE_METHODS)
    label_scores(check_problem([0, 1], np.eye(2)), method, adjust_pred_probs)  # option errors
    spec = _spec(ddf, label, pred_probs)
    plan = _stats_pass(ddf, spec)
    return _per_row(ddf, spec, plan, "quality", None, method, adjust_pred_probs)


def _confident_joint(ddf, label, pred_probs):
    spec = _spec(ddf, label, pred_probs)
    plan = _stats_pass(ddf, spec)
    return spec, plan, _joint_pass(ddf, spec, plan)[0]


def health(ddf: Any, label: Any, *, pred_probs: Any) -> float:
    """Overall label health score in [0, 1] (computed), as :func:`pdclean.health`."""
    _, plan, cj = _confident_joint(ddf, label, pred_probs)
    return float(np.trace(_joint(_calibrate(cj, plan.class_counts))))


def class_health(ddf: Any, label: Any, *, pred_probs: Any) -> pd.DataFrame:
    """Label quality per class, worst first (computed), as :func:`pdclean.class_health`."""
    spec, plan, cj = _confident_joint(ddf, label, pred_probs)
    table = dataset.rank_classes_by_label_quality(joint=_joint(cj), num_examples=plan.n_labelled)
    index = spec.class_names.take(table["class_index"].to_numpy()).rename(label)
    columns = ["label_issues", "inverse_label_issues", "label_noise", "inverse_label_noise"]
    return table[[*columns, "label_quality"]].set_axis(index, axis=0)


def overlapping_classes(
    ddf: Any, label: Any, *, pred_probs: Any, asymmetric: bool = False
) -> pd.DataFrame:
    """Pairs of classes the labels confuse (computed), as :func:`pdclean.overlapping_classes`."""
    spec, plan, cj = _confident_joint(ddf, label, pred_probs)
    table = dataset.find_overlapping_classes(
        joint=_joint(cj), num_examples=plan.n_labelled, asymmetric=asymmetric
    )
    return pd.DataFrame(
        {
            "class_a": spec.classes.take(table["class_index_a"].to_numpy()),
            "class_b": spec.classes.take(table["class_index_b"].to_numpy()),
            "num_overlapping": table["num_overlapping"].to_numpy(),
            "joint_probability": table["joint_probability"].to_numpy(),
        }
    )


def noise(ddf: Any, label: Any, *, pred_probs: Any) -> NoiseEstimates:
    """Class prior, noise matrices and joints (computed), as :func:`pdclean.noise`."""
    spec, plan, cj = _confident_joint(ddf, label, pred_probs)
    py, nm, inv = latent_from_joint_counts(cj, plan.class_counts, py_method="cnt")
    joint = _joint(_calibrate(cj, plan.class_counts))
    given = spec.class_names.rename(f"given_{label}")
    true = spec.class_names.rename(f"true_{label}")
    return NoiseEstimates(
        py=pd.Series(py, index=true, name="py"),
        noise_matrix=pd.DataFrame(nm, index=given, columns=true),
        inverse_noise_matrix=pd.DataFrame(inv, index=true, columns=given),
        confident_joint=pd.DataFrame(cj, index=given, columns=true),
        joint=pd.DataFrame(joint, index=given, columns=true),
    )


# ------------------------------------------------------------------------------ the accessor


def _method(func):
    def method(self, *args, **kwargs):
        return func(self._obj, *args, **kwargs)

    method.__name__ = method.__qualname__ = func.__name__
    method.__doc__ = func.__doc__
    return method


class DaskCleanAccessor:
    """Confident learning on a Dask DataFrame: ``ddf.clean.<method>("label", pred_probs=...)``.

    The same methods and results as the pandas accessor, with pred_probs given as columns of
    the frame (a list of names in class order, or a prefix such as ``"proba_"``). Per-row
    results are lazy Dask objects partitioned like ``ddf``; dataset-level results are
    computed. See :mod:`pdclean._dask` for the passes and the class list.

    Examples
    --------
    >>> import dask.dataframe as dd
    >>> register_dask()
    >>> df = pd.DataFrame({"y": list("aabb"), "p_a": [.9, .2, .1, .3], "p_b": [.1, .8, .9, .7]})
    >>> ddf = dd.from_pandas(df, npartitions=2)
    >>> ddf.clean.find_label_issues("y", pred_probs="p_").is_label_issue.compute().tolist()
    [False, True, False, False]
    """

    def __init__(self, dask_obj: Any) -> None:
        self._obj = dask_obj

    find_label_issues = _method(find_label_issues)
    label_quality = _method(label_quality)
    health = _method(health)
    class_health = _method(class_health)
    overlapping_classes = _method(overlapping_classes)
    noise = _method(noise)
    annotate = _method(annotate)


def register_dask(name: str = "clean") -> None:
    """Register :class:`DaskCleanAccessor` as ``dask.dataframe.DataFrame.<name>``.

    Raises ImportError when dask.dataframe is not installed.
    """
    from dask.dataframe.extensions import register_dataframe_accessor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # re-registration on reload
        register_dataframe_accessor(name)(DaskCleanAccessor)
