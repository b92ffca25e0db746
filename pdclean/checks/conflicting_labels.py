"""Conflicting-labels check (not in the reference): identical features, different labels."""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, register_check
from pdclean.neighbors.duplicates import duplicate_group_ids

__all__ = ["find_conflicting_labels_issues"]


@register_check("conflicting_labels", requires=(("features", "labels"), ("group_ids", "labels")))
def find_conflicting_labels_issues(
    *,
    features: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    group_ids: np.ndarray | None = None,
) -> CheckResult:
    """Flag members of groups of identical feature rows that carry more than one label.

    Score = fraction of the row's group that shares its label (1 outside such groups); summary
    score = mean score. ``details["group_ids"]`` is the conflicting group of each row, -1 for
    rows in no conflicting group (numbered like the exact-duplicate groups).

    Examples
    --------
    >>> X = np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [2.0]])
    >>> r = find_conflicting_labels_issues(features=X, labels=np.array([0, 0, 1, 1, 1, 0]))
    >>> r.is_issue.tolist(), r.score.round(3).tolist()
    ([True, True, True, False, False, False], [0.667, 0.667, 0.333, 1.0, 1.0, 1.0])
    """
    labels = np.asarray(labels, dtype=np.int64)
    gid = duplicate_group_ids(features) if group_ids is None else np.asarray(group_ids)
    num_classes = int(labels.max()) + 1
    member = gid >= 0
    pair = np.where(member, gid * num_classes + labels, -1)
    pair_count = np.bincount(pair[member], minlength=1)
    group_size = np.bincount(gid[member], minlength=1)
    distinct = np.bincount(np.flatnonzero(pair_count) // num_classes, minlength=group_size.size)
    conflicting = np.zeros(gid.shape, dtype=bool)
    conflicting[member] = distinct[gid[member]] > 1
    score = np.ones(gid.shape, dtype=np.float64)
    score[conflicting] = pair_count[pair[conflicting]] / group_size[gid[conflicting]]
    details = {"group_ids": np.where(conflicting, gid, -1)}
    return CheckResult("conflicting_labels", conflicting, score, float(score.mean()), details)
