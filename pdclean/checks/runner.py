"""Run the audit checks on arrays, sharing one kNN graph (SPEC 9.2).

Health: the mean of the summary scores of the reference's issue types that ran
(``REFERENCE_TYPES``), so that it is comparable with the reference's dataset health. The two
checks the reference lacks (``exact_duplicate``, ``conflicting_labels``) run by default and are
reported, but do not enter ``health``; ``health_all`` includes them.
"""

from __future__ import annotations

import importlib.util
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import numpy as np

from pdclean.checks.base import CheckResult, CheckSpec, Skip, get_check
from pdclean.core.validation import check_choice
from pdclean.errors import InputError, InputTypeError, PdcleanError
from pdclean.neighbors.duplicates import duplicate_group_ids
from pdclean.neighbors.graph import KnnGraph, build_knn_graph

__all__ = ["DEFAULT_TYPES", "EXTRA_TYPES", "REFERENCE_TYPES", "AuditRun", "run_audit"]

logger = logging.getLogger("pdclean.audit")

REFERENCE_TYPES = (
    "null",
    "label",
    "outlier",
    "near_duplicate",
    "non_iid",
    "class_imbalance",
    "underperforming_group",
)
EXTRA_TYPES = ("exact_duplicate", "conflicting_labels")
DEFAULT_TYPES = REFERENCE_TYPES + EXTRA_TYPES
K_NEIGHBORS = 10
Neighbors = Literal["exact", "approximate"]
NEIGHBORS = get_args(Neighbors)


@dataclass
class AuditRun:
    """What :func:`run_audit` returns.

    Attributes
    ----------
    results : dict of str to CheckResult
        The checks that ran, in run order.
    skipped : dict of str to Skip
        Checks not run, with the reason: missing inputs (``Skip.missing`` names them), or data
        the check cannot take (a :class:`~pdclean.errors.PdcleanError` it raised).
    n : int
        Number of rows.
    knn : KnnGraph or None
        The shared neighbour graph, if one was built or given.
    timings : dict of str to float
        Seconds per check that ran (the first kNN check includes building the graph), and
        ``"knn_graph"``: seconds spent building the graph.
    """

    results: dict[str, CheckResult]
    skipped: dict[str, Skip] = field(default_factory=dict)
    n: int = 0
    knn: KnnGraph | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def health(self) -> float:
        """Mean summary score of the reference's issue types that ran (NaN if none)."""
        scores = [r.summary_score for name, r in self.results.items() if name in REFERENCE_TYPES]
        return float(np.mean(scores)) if scores else float("nan")

    @property
    def health_all(self) -> float:
        """Mean summary score of every check that ran (NaN if none)."""
        scores = [r.summary_score for r in self.results.values()]
        return float(np.mean(scores)) if scores else float("nan")


def _as_2d(name: str, value: Any, dtype: type) -> np.ndarray:
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim != 2:
        raise InputError(f"{name} must be 2-D (n_rows, n_columns), got shape {arr.shape!r}.")
    return arr


def _arrays(features, isnull, labels, pred_probs) -> dict[str, np.ndarray]:
    arrays: dict[str, np.ndarray] = {}
    if features is not None:
        arrays["features"] = _as_2d("features", features, np.float64)
        if isnull is None:
            isnull = np.isnan(arrays["features"])
    if isnull is not None:
        arrays["isnull"] = _as_2d("isnull", isnull, bool)
    if labels is not None:
        arrays["labels"] = np.asarray(labels)
        if arrays["labels"].ndim != 1:
            raise InputError(f"labels must be 1-D, got shape {arrays['labels'].shape!r}.")
    if pred_probs is not None:
        arrays["pred_probs"] = _as_2d("pred_probs", pred_probs, np.float64)
    lengths = {k: v.shape[0] for k, v in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise InputError(
            f"features, isnull, labels and pred_probs must have the same length, got {lengths}."
        )
    return arrays


def _selection(issue_types: dict | None) -> dict[str, dict[str, Any]]:
    if issue_types is None:
        return {name: {} for name in DEFAULT_TYPES}
    if not isinstance(issue_types, dict):
        raise InputTypeError(
            f"issue_types must be a dict {{name: {{param: value}}}} or None, got {issue_types!r}."
        )
    selected: dict[str, dict[str, Any]] = {}
    for name in sorted(issue_types, key=lambda t: (*DEFAULT_TYPES, t).index(t)):
        spec = get_check(name)
        params = dict(issue_types[name] or {})
        unknown = sorted(set(params) - set(spec.params))
        if unknown:
            raise InputError(
                f"issue_types[{name!r}]: unknown parameter(s) {unknown}; valid parameters are "
                f"{sorted(spec.params)}."
            )
        selected[name] = params
    return selected


def _knn_blocker(arrays: dict[str, np.ndarray]) -> str | None:
    """Why no kNN graph can be built from the features (None if it can)."""
    if "features" not in arrays:
        return "no features"
    X = arrays["features"]
    bad = ~np.isfinite(X).all(axis=1)
    if bad.any():
        return (
            f"features contain NaN or infinite values in {int(bad.sum())} rows (e.g. row "
            f"{int(np.flatnonzero(bad)[0])}); impute or drop them to run the kNN-based checks"
        )
    if X.shape[0] <= K_NEIGHBORS:
        return (
            f"features has {X.shape[0]} rows; the kNN-based checks need more than "
            f"k={K_NEIGHBORS} rows"
        )
    return None


class _Inputs:
    """Inputs shared by the checks; the kNN graph and duplicate groups are built on first use."""

    def __init__(
        self, arrays: dict[str, np.ndarray], knn: KnnGraph | None, search: str = "auto"
    ) -> None:
        self.arrays = arrays
        self.knn = knn
        self.search = search
        self.knn_seconds = 0.0
        self.knn_blocker = None if knn is not None else _knn_blocker(arrays)
        self.available = set(arrays)
        if "features" in arrays:
            self.available.add("group_ids")
        if self.knn_blocker is None:
            self.available.add("knn")

    def get(self, name: str) -> Any:
        if name == "knn":
            if self.knn is None and self.knn_blocker is None:
                X, groups = self.arrays["features"], self.get("group_ids")
                start = time.perf_counter()
                self.knn = build_knn_graph(X, K_NEIGHBORS, group_ids=groups, search=self.search)
                self.knn_seconds = time.perf_counter() - start
            return self.knn
        if name == "group_ids" and "group_ids" not in self.arrays and "features" in self.arrays:
            self.arrays["group_ids"] = duplicate_group_ids(self.arrays["features"])
        return self.arrays.get(name)


def _run_one(spec: CheckSpec, inputs: _Inputs, params: dict[str, Any]) -> CheckResult:
    kwargs = {name: inputs.get(name) for name in spec.inputs if name in inputs.available}
    return spec.func(**kwargs, **params)


def _iterate(names: list[str], progress: bool):
    if progress and importlib.util.find_spec("tqdm") is not None:
        from tqdm.auto import tqdm

        return tqdm(names, desc="audit", unit="check")
    return names


def run_audit(
    *,
    features: np.ndarray | None = None,
    isnull: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    issue_types: dict[str, dict[str, Any]] | None = None,
    progress: bool = False,
    knn: KnnGraph | None = None,
    neighbors: Neighbors = "exact",
) -> AuditRun:
    """Run the selected checks (default: all, in the reference's order then the new ones).

    Parameters
    ----------
    features : ndarray (n, d), optional
        Numeric features (NaN allowed: the null check reports them, kNN checks are skipped).
    isnull : ndarray of bool (n, d_original), optional
        Missing-value mask of the original feature columns (default: ``isnan(features)``).
    labels : ndarray of int (n,), optional
        Integer class codes 0..K-1.
    pred_probs : ndarray (n, K), optional
        Out-of-sample predicted probabilities.
    issue_types : dict, optional
        ``{name: {param: value}}`` selects checks and sets their parameters.
    progress : bool, default False
        Show a tqdm progress bar (if tqdm is installed); progress is always logged at DEBUG.
    knn : KnnGraph, optional
        A prebuilt neighbour graph to share instead of building one from ``features``.
    neighbors : {"exact", "approximate"}, default "exact"
        How the shared graph is built: exactly (equal to the reference's), or by an
        approximate index for large embedding tables (the ``approximate`` extra).

    Returns
    -------
    AuditRun

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> run = run_audit(features=rng.normal(size=(40, 2)), labels=np.arange(40) % 2)
    >>> list(run.results)[:4], sorted(run.skipped)
    (['null', 'label', 'outlier', 'near_duplicate'], ['underperforming_group'])
    """
    arrays = _arrays(features, isnull, labels, pred_probs)
    selected = _selection(issue_types)
    check_choice("neighbors", neighbors, NEIGHBORS)
    inputs = _Inputs(arrays, knn, "auto" if neighbors == "exact" else "approximate")
    n = next(iter(arrays.values())).shape[0] if arrays else 0
    run = AuditRun(results={}, n=n)
    for name in _iterate(list(selected), progress):
        spec, params = get_check(name), selected[name]
        given = {p for p, v in params.items() if v is not None}
        reason = spec.missing_inputs(inputs.available | given)
        if reason is not None:
            if "knn" in reason.missing and inputs.knn_blocker is not None and "features" in arrays:
                reason = reason.extend(inputs.knn_blocker)
            run.skipped[name] = reason
            logger.info("audit: skipping %s (%s)", name, reason)
            continue
        logger.debug("audit: finding %s issues", name)
        start = time.perf_counter()
        try:
            run.results[name] = _run_one(spec, inputs, params)
            run.timings[name] = time.perf_counter() - start
        except PdcleanError as exc:  # data the check cannot take; anything else is a bug: raise
            run.skipped[name] = Skip(f"{type(exc).__name__}: {exc}")
            logger.warning("audit: skipping %s: %s", name, exc)
    run.knn = inputs.knn
    if inputs.knn_seconds:
        run.timings["knn_graph"] = inputs.knn_seconds
    return run


def run_audit_some_labelled(
    *,
    features: np.ndarray | None,
    isnull: np.ndarray | None,
    labels: np.ndarray,
    pred_probs: np.ndarray | None,
    issue_types: dict[str, dict[str, Any]] | None = None,
    progress: bool = False,
    neighbors: Neighbors = "exact",
) -> AuditRun:
    """Run the label-free checks on every row and the label checks on the labelled rows.

    ``labels`` holds -1 for rows without a label; ``pred_probs`` has one row per labelled row.
    Rows without a label stay in every result: :attr:`CheckResult.rows` gives the rows a label
    check ran on, and the pandas face shows ``<NA>`` elsewhere.

    Examples
    --------
    >>> X = np.random.RandomState(0).normal(size=(40, 2))
    >>> y = np.where(np.arange(40) == 3, -1, np.arange(40) % 2)
    >>> run = run_audit_some_labelled(features=X, isnull=None, labels=y, pred_probs=None)
    >>> run.results["class_imbalance"].rows.size, run.n
    (39, 40)
    """
    run = run_audit(
        features=features, isnull=isnull, issue_types=issue_types, progress=progress,
        neighbors=neighbors,
    )  # fmt: skip
    need = [n for n, skip in run.skipped.items() if {"labels", "pred_probs"} & skip.missing]
    rows = np.flatnonzero(np.asarray(labels) >= 0)
    if not need or rows.size == 0:
        return run
    labelled = run_audit(
        features=None if features is None else np.asarray(features)[rows],
        isnull=None if isnull is None else np.asarray(isnull)[rows],
        labels=np.asarray(labels)[rows],
        pred_probs=pred_probs,
        issue_types={n: (issue_types or {}).get(n) or {} for n in need},
        progress=progress,
        neighbors=neighbors,
    )
    for name in need:
        del run.skipped[name]
        if name in labelled.skipped:
            run.skipped[name] = labelled.skipped[name]
    for name, result in labelled.results.items():
        result.rows = rows
        run.results[name] = result
    ordered = [n for n in DEFAULT_TYPES if n in run.results]
    run.results = {n: run.results[n] for n in ordered + sorted(set(run.results) - set(ordered))}
    logger.info("audit: label checks on the %d labelled of %d rows", rows.size, run.n)
    return run
