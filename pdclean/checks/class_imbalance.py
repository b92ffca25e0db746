"""Class-imbalance check (SPEC 9.8): is the rarest class much rarer than 1/K?"""

from __future__ import annotations

import numpy as np

from pdclean.checks.base import CheckResult, check_fraction, register_check

__all__ = ["find_class_imbalance_issues"]


@register_check("class_imbalance", requires=("labels",))
def find_class_imbalance_issues(
    *, labels: np.ndarray | None = None, threshold: float = 0.1
) -> CheckResult:
    """Flag every row of the rarest class when its fraction is below ``threshold / K``.

    K is the number of distinct labels. Score: the rarest class's fraction for its rows, 1
    elsewhere. Summary score = that fraction.

    Examples
    --------
    >>> r = find_class_imbalance_issues(labels=np.array([0] * 19 + [1]), threshold=1.0)
    >>> r.num_issues, r.summary_score
    (1, 0.05)
    """
    threshold = check_fraction("threshold", threshold)
    labels = np.asarray(labels)
    counts = np.bincount(labels)
    present = np.flatnonzero(counts)
    rarest = int(present[np.argmin(counts[present])])
    fraction = counts[rarest] / labels.shape[0]
    in_rarest = labels == rarest
    score = np.where(in_rarest, fraction, 1.0)
    is_issue = in_rarest & (fraction < threshold / present.shape[0])
    details = {"rarest_class": rarest, "threshold": threshold}
    return CheckResult("class_imbalance", is_issue, score, float(fraction), details)
