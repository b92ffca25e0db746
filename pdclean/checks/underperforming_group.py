"""Underperforming-group check (SPEC 9.9): a cluster of rows the model predicts badly."""

from __future__ import annotations

import numpy as np
from sklearn.cluster import DBSCAN

from pdclean.checks.base import CheckResult, check_fraction, register_check
from pdclean.errors import InputError
from pdclean.neighbors.graph import KnnGraph

__all__ = ["find_underperforming_group_issues"]


def _cluster(knn: KnnGraph, eps: float, min_samples: int) -> np.ndarray:
    graph = knn.to_csr(include_self=True)  # each point is its own neighbour, rows sorted
    return DBSCAN(eps=eps, min_samples=min_samples, metric="precomputed").fit_predict(graph)


def _worst_cluster(perf: np.ndarray, mean: float) -> tuple[float, int]:
    """Scan clusters in id order like the reference (raw perf compared to the worst *ratio*)."""
    worst_ratio, worst, start = 1.0, -1, 0
    below = perf < mean
    while True:
        hits = np.flatnonzero(below[start:] & (perf[start:] < worst_ratio))
        if hits.size == 0:
            return worst_ratio, worst
        c = start + int(hits[0])
        worst_ratio, worst, start = float(perf[c] / mean), c, c + 1


@register_check(
    "underperforming_group",
    requires=(("labels", "pred_probs", "knn"), ("labels", "pred_probs", "cluster_ids")),
)
def find_underperforming_group_issues(
    *,
    knn: KnnGraph | None = None,
    labels: np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    threshold: float = 0.1,
    cluster_ids: np.ndarray | None = None,
    min_cluster_samples: int = 5,
    eps: float = 0.5,
    min_samples: int = 5,
) -> CheckResult:
    """Flag the cluster whose mean self-confidence, relative to the overall mean, is worst.

    Clusters: ``cluster_ids`` if given, else DBSCAN(``eps``, ``min_samples``) on the kNN graph.
    Clusters with id -1 or fewer than ``min_cluster_samples`` rows are ignored. Score: the
    cluster's ratio for rows of clusters below the mean, 1 elsewhere. Summary = worst ratio.

    Examples
    --------
    >>> labels = np.array([0, 0, 0, 1, 1, 1])
    >>> P = np.array([[0.9, 0.1]] * 3 + [[0.95, 0.05]] * 3)
    >>> r = find_underperforming_group_issues(
    ...     labels=labels, pred_probs=P, cluster_ids=np.array([0, 0, 0, 1, 1, 1]),
    ...     min_cluster_samples=3, threshold=0.5)
    >>> r.is_issue.tolist(), round(r.summary_score, 4)
    ([False, False, False, True, True, True], 0.1053)
    """
    threshold = check_fraction("threshold", threshold)
    labels = np.asarray(labels)
    pred_probs = np.asarray(pred_probs, dtype=np.float64)
    if cluster_ids is None:
        if knn is None:
            raise InputError("underperforming_group needs cluster_ids or a kNN graph (features).")
        cluster_ids = _cluster(knn, eps, min_samples)
    cluster_ids = np.asarray(cluster_ids, dtype=np.int64)
    confidence = pred_probs[np.arange(labels.shape[0]), labels]
    ids = np.where(cluster_ids < 0, 0, cluster_ids + 1)  # shift so that noise is bin 0
    sizes = np.bincount(ids)
    kept = (sizes >= min_cluster_samples) & (np.arange(sizes.shape[0]) > 0)
    if not kept.any():
        raise InputError(
            "No meaningful clusters were generated for determining underperforming group."
        )
    in_kept = kept[ids]
    mean = float(confidence[in_kept].mean())
    perf = np.bincount(ids, weights=confidence) / np.maximum(sizes, 1)
    perf = np.where(kept, perf, np.inf)
    worst_ratio, worst = _worst_cluster(perf, mean)
    ratio = np.where(perf < mean, perf / mean, 1.0)
    score = ratio[ids]
    is_issue = (ids == worst) if worst_ratio < threshold else np.zeros(ids.shape, dtype=bool)
    details = {
        "cluster_ids": cluster_ids,
        "worst_cluster_id": worst - 1 if worst >= 0 else None,
        "threshold": threshold,
    }
    return CheckResult("underperforming_group", is_issue, score, worst_ratio, details)
