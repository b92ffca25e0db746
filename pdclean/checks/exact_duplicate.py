"""Exact-duplicate check (not in the reference): rows with identical feature values."""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, register_check
from pdclean.neighbors.duplicates import duplicate_group_ids

__all__ = ["find_exact_duplicate_issues"]


@register_check("exact_duplicate", requires=(("features",), ("group_ids",)))
def find_exact_duplicate_issues(
    *, features: np.ndarray | None = None, group_ids: np.ndarray | None = None
) -> CheckResult:
    """Flag every member of a group of two or more rows with identical features.

    Score 0 for members, 1 otherwise; summary score = fraction of rows that are not members.
    ``details["group_ids"]`` holds the group of each row (-1 when unique), numbered in the
    order of each group's first row. NaN cells compare equal to NaN here.

    Examples
    --------
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [1.0, 2.0]])
    >>> r = find_exact_duplicate_issues(features=X)
    >>> r.is_issue.tolist(), r.details["group_ids"].tolist()
    ([True, False, True], [0, -1, 0])
    """
    gid = duplicate_group_ids(features) if group_ids is None else np.asarray(group_ids)
    is_issue = gid >= 0
    score = np.where(is_issue, 0.0, 1.0)
    details = {"group_ids": gid, "num_groups": int(gid.max(initial=-1) + 1)}
    return CheckResult("exact_duplicate", is_issue, score, float(score.mean()), details)
