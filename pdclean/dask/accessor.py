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

import warnings
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from pdclean import dataset
from pdclean.core import prune
from pdclean.core.blockstats import Plan, class_cuts, low_cuts, noise_cuts, pack, unpack
from pdclean.core.count import TINY, calibrate_counts
from pdclean.core.filter import FILTER_BY, MASK_RULES, PRUNE_METHODS, check_filter_options
from pdclean.core.latent import latent_from_joint_counts
from pdclean.core.problem import check_problem
from pdclean.core.scores import SCORE_METHODS, label_scores
from pdclean.core.validation import check_choice
from pdclean.dask.inputs import partition_problem
from pdclean.dask.passes import candidates_pass, joint_pass, make_spec, stats_pass
from pdclean.frame.columns import counts_per_class
from pdclean.frame.dataset import NoiseEstimates

__all__ = ["DaskCleanAccessor", "register_dask"]


SAMPLE_ROWS = 1 << 16  #: rows sampled in pass 2 to set the candidate cuts of pass 3 ...
SAMPLE_ELEMENTS = 1 << 22  #: ... at most this many pred_probs values


# ------------------------------------------------------------------------------ selection


def _joint(confident_joint: np.ndarray) -> np.ndarray:
    return confident_joint / max(float(np.sum(confident_joint)), TINY)


def _prune_quotas(cj, plan, filter_by, frac_noise, num_to_remove, min_examples) -> dict:
    """Per cell (noise rate) and per class (by class) numbers of rows to flag."""
    class_counts = plan.class_counts
    pc, skip = prune.prune_plan(cj, class_counts, min_examples, frac_noise, num_to_remove)
    quotas = {}
    if filter_by != "prune_by_class":
        quotas["noise"] = prune.cell_quotas(pc, skip)
    if filter_by != "prune_by_noise_rate":
        quotas["class"] = np.where(skip, 0, np.maximum(class_counts - np.diagonal(pc), 0))
    return quotas


def _select(ddf, spec, plan, filter_by, frac_noise, num_to_remove, min_examples) -> Plan:
    """Passes 2 and 3 when ``filter_by`` needs them: the globally selected rows.

    Pass 3 keeps, per partition, only rows at or below a per-cell cut estimated from a
    sample of pass 2 (so candidates stay near the quotas); a cell where fewer than its quota
    passed the cut is redone without a cut, so the result is exact either way.
    """
    if filter_by in ("predicted_neq_given", "confident_learning"):
        return plan
    k = len(spec.class_names)
    cj, issues, sample = joint_pass(ddf, spec, plan, min(SAMPLE_ROWS, SAMPLE_ELEMENTS // k))
    if filter_by in PRUNE_METHODS:
        quotas = _prune_quotas(cj, plan, filter_by, frac_noise, num_to_remove, min_examples)
        plan = replace(plan, quotas=quotas)
    else:
        plan = replace(plan, quotas={"low": np.array([issues])}, low_method=filter_by[4:])
    sampled = check_problem(*sample, min_classes=1) if sample[0].size else None
    plan = replace(plan, cuts={kind: _SAMPLE_CUTS[kind](sampled, plan) for kind in plan.quotas})
    selected, short = candidates_pass(ddf, spec, plan)
    if any(s.any() for s in short.values()):  # the sample under-estimated these cells
        quotas = {kind: np.where(s, plan.quotas[kind].ravel(), 0) for kind, s in short.items()}
        cuts = {
            kind: np.where(s, np.inf, -np.inf).reshape(plan.cuts[kind].shape)
            for kind, s in short.items()
        }
        again, _ = candidates_pass(ddf, spec, replace(plan, quotas=quotas, cuts=cuts))
        selected = {kind: np.concatenate([rows, again[kind]]) for kind, rows in selected.items()}
    packed = {kind: pack(np.unique(rows), plan.n_rows) for kind, rows in selected.items()}
    return replace(plan, selected=packed)


_SAMPLE_CUTS = {"noise": noise_cuts, "class": class_cuts, "low": low_cuts}


# ------------------------------------------------------------------------------ per-row map


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
    has, problem = partition_problem(part, spec, number, plan.thresholds)
    mask, scores = np.zeros(n, dtype=bool), np.full(n, np.nan)
    predicted = np.full(n, -1, dtype=np.int64)
    if problem is not None:
        offset = int(plan.offsets[number])

        def selected(kind):
            return unpack(plan.selected[kind], offset, n)[has]

        scores[has] = label_scores(problem, method, adjust)
        predicted[has] = problem.argmax
        if filter_by is not None:
            mask[has] = MASK_RULES[filter_by](problem, selected)
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
    check_choice("filter_by", filter_by, FILTER_BY)  # option checks first: no pass yet
    check_choice("rank_by", rank_by, SCORE_METHODS)
    spec = make_spec(ddf, label, pred_probs)
    counts = counts_per_class(spec, "num_to_remove_per_class", num_to_remove)
    check_filter_options(filter_by, frac_noise, counts, min_ex, None, len(spec.class_names))
    plan = stats_pass(ddf, spec)
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
    spec = make_spec(ddf, label, pred_probs)
    plan = stats_pass(ddf, spec)
    return _per_row(ddf, spec, plan, "quality", None, method, adjust_pred_probs)


def _confident_joint(ddf, label, pred_probs):
    spec = make_spec(ddf, label, pred_probs)
    plan = stats_pass(ddf, spec)
    return spec, plan, joint_pass(ddf, spec, plan)[0]


def health(ddf: Any, label: Any, *, pred_probs: Any) -> float:
    """Overall label health score in [0, 1] (computed), as :func:`pdclean.health`."""
    _, plan, cj = _confident_joint(ddf, label, pred_probs)
    return float(np.trace(_joint(calibrate_counts(cj, plan.class_counts))))


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


def noise_estimates(ddf: Any, label: Any, *, pred_probs: Any) -> NoiseEstimates:
    """Class prior, noise matrices and joints (computed), as :func:`pdclean.noise`."""
    spec, plan, cj = _confident_joint(ddf, label, pred_probs)
    py, nm, inv = latent_from_joint_counts(cj, plan.class_counts, py_method="cnt")
    joint = _joint(calibrate_counts(cj, plan.class_counts))
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
    computed. See :mod:`pdclean.dask.accessor` for the passes and the class list.

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
    noise_estimates = _method(noise_estimates)

    annotate = _method(annotate)


def register_dask(name: str = "clean") -> None:
    """Register :class:`DaskCleanAccessor` as ``dask.dataframe.DataFrame.<name>``.

    Raises ImportError when dask.dataframe is not installed.
    """
    from dask.dataframe.extensions import register_dataframe_accessor

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # re-registration on reload
        register_dataframe_accessor(name)(DaskCleanAccessor)
