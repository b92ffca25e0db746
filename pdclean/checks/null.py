"""Null check (SPEC 9.10): rows whose feature values are missing."""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, register_check

__all__ = ["find_null_issues"]


@register_check("null", requires=("isnull",))
def find_null_issues(*, isnull: np.ndarray | None = None) -> CheckResult:
    """Score = fraction of non-null cells of the row; flag rows where every cell is null.

    ``isnull`` is the (n, d) boolean mask of the original feature columns.

    Examples
    --------
    >>> r = find_null_issues(isnull=np.array([[False, False], [True, False], [True, True]]))
    >>> r.is_issue.tolist(), r.score.tolist()
    ([False, False, True], [1.0, 0.5, 0.0])
    """
    isnull = np.asarray(isnull, dtype=bool)
    d = isnull.shape[1]
    score = 1.0 - isnull.sum(axis=1) / d
    is_issue = isnull.all(axis=1)
    patterns, counts = np.unique(isnull[~is_issue & isnull.any(axis=1)], axis=0, return_counts=True)
    details = {
        "column_null_fraction": isnull.mean(axis=0),
        "most_common_pattern": patterns[np.argmax(counts)] if counts.size else None,
        "num_partially_null": int((isnull.any(axis=1) & ~is_issue).sum()),
    }
    return CheckResult("null", is_issue, score, float(score.mean()), details)
