"""The mergeable passes of the Dask accessor: statistics, candidates, merges.

Each pass maps a function over the partitions and merges the outputs in a tree
(``SPLIT_EVERY`` at a time, in partition order); see :mod:`pdclean.dask.accessor` for the plan.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pdclean.core.blockstats import (
    CANDIDATES,
    EMPTY,
    Plan,
    block_joint,
    exact_sums,
    merge_candidates,
    merge_joint,
    merge_stats,
    thresholds_from_sums,
)
from pdclean.core.count import calibrate_counts
from pdclean.dask.inputs import Spec, match_classes, partition_problem, probability_columns
from pdclean.errors import InputError
from pdclean.frame.resolve_checks import column_not_found, has_column

SPLIT_EVERY = 8  #: fan-in of the merge trees


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


def _unique_part(part, spec, number):
    return part[spec.label].dropna().drop_duplicates()


def _merge_unique(*parts):
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def _stats_part(part, spec, number):
    k = len(spec.class_names)
    _, problem = partition_problem(part, spec, number)
    if problem is None:
        return [len(part)], np.zeros(k, dtype=np.int64), [0] * k
    sums = exact_sums(problem.self_confidence, problem.labels, k)
    return [len(part)], problem.class_counts, sums


def _joint_part(part, spec, number, thresholds, step):
    """Confident counts, guarded off-diagonal count, and every ``step``-th labelled row."""
    k = len(spec.class_names)
    _, problem = partition_problem(part, spec, number, thresholds)
    if problem is None:
        return np.zeros((k, k), dtype=np.int64, order="F"), 0, (EMPTY[0], np.empty((0, k)))
    return block_joint(problem, k, step)


def _candidates_part(part, spec, number, plan):
    has, problem = partition_problem(part, spec, number, plan.thresholds)
    if problem is None:
        return {kind: (EMPTY, np.zeros(q.size, dtype=np.int64)) for kind, q in plan.quotas.items()}
    rows = np.flatnonzero(has) + plan.offsets[number]
    return {kind: CANDIDATES[kind](problem, rows, plan) for kind in plan.quotas}


# ------------------------------------------------------------------------------ merges


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


def stats_pass(ddf, spec: Spec) -> Plan:
    """Pass 1: validate every row; rows per partition, class counts, thresholds."""
    lengths, counts, sums = _tree(_map(ddf, spec, _stats_part), merge_stats)
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
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    return Plan(
        n_rows=int(sum(lengths)),
        n_labelled=int(counts.sum()),
        offsets=offsets,
        class_counts=counts,
        thresholds=thresholds_from_sums(counts, sums),
    )


def joint_pass(ddf, spec: Spec, plan: Plan, sample_rows: int = 0):
    """Pass 2: the calibrated confident joint, the number of guarded off-diagonal rows,
    and a strided sample of about ``sample_rows`` labelled rows ``(labels, pred_probs)``."""
    step = max(1, plan.n_labelled // sample_rows) if sample_rows else plan.n_rows + 1
    tasks = _map(ddf, spec, _joint_part, plan.thresholds, step)
    counts, issues, sample = _tree(tasks, merge_joint)
    np.fill_diagonal(counts, np.maximum(np.diagonal(counts), 1))
    return calibrate_counts(counts, plan.class_counts), issues, sample


def candidates_pass(ddf, spec, plan) -> tuple[dict, dict]:
    """Pass 3: per kind, the selected rows of the cells whose cut let enough rows through,
    and the mask of the other ("short") cells."""
    merged = _tree(_map(ddf, spec, _candidates_part, plan), merge_candidates, plan.quotas)
    selected, short = {}, {}
    for kind, ((cells, _, rows), found) in merged.items():
        short[kind] = (found < plan.quotas[kind].ravel()) & np.isfinite(plan.cuts[kind].ravel())
        selected[kind] = rows[~short[kind][cells]]
    return selected, short
