"""Dataset statistics of multi-label issues (SPEC-multi B.5), as numpy arrays.

Tables are described by their rows' order and column arrays; the public ``dataset`` module
turns them into DataFrames. Sorts are stable (SPEC §1.3), as in the rest of pdclean.
"""

from __future__ import annotations

import numpy as np

__all__ = ["class_quality_table", "common_issues_table"]


def common_issues_table(class_masks: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Two rows per class, most frequent issue first (B.5.1).

    Row ``(k, in_given_label=True)`` counts rows flagged for class k that carry k (k should
    probably be removed), row ``(k, False)`` those that lack it (k should probably be added).
    ``issue_probability`` is the count over all n rows.

    Examples
    --------
    >>> masks = np.array([[True, False], [False, False], [False, True]])
    >>> y = np.array([[1, 0], [1, 0], [1, 0]], bool)
    >>> t = common_issues_table(masks, y)
    >>> t["class_index"].tolist(), t["num_examples"].tolist()
    ([0, 1, 0, 1], [1, 1, 0, 0])
    """
    n, k = y.shape
    removed = np.count_nonzero(class_masks & y, axis=0)
    added = np.count_nonzero(class_masks & ~y, axis=0)
    counts = np.stack([removed, added], axis=1).ravel()
    probability = counts / n
    order = np.argsort(-probability, kind="stable")
    in_given = np.tile([True, False], k)
    return {
        "class_index": np.repeat(np.arange(k), 2)[order],
        "in_given_label": in_given[order],
        "in_suggested_label": ~in_given[order],
        "num_examples": counts[order].astype(np.int64),
        "issue_probability": probability[order],
    }


def class_quality_table(common: dict[str, np.ndarray], n: int) -> dict[str, np.ndarray]:
    """One row per class, lowest label quality first (B.5.2), from :func:`common_issues_table`.

    Mirrors cleanlab: counts are ``trunc(issue_probability * n)`` in floating point (so 1 of
    49 becomes 0), noise is relative to all n rows, and classes tied in quality keep the order
    of their first row in the common-issues table.

    Examples
    --------
    >>> masks = np.array([[True, False], [False, False], [False, True]])
    >>> y = np.array([[1, 0], [1, 0], [1, 0]], bool)
    >>> t = class_quality_table(common_issues_table(masks, y), 3)
    >>> t["class_index"].tolist(), t["label_issues"].tolist(), t["inverse_label_issues"].tolist()
    ([0, 1], [1, 0], [0, 1])
    """
    cls, given, prob = common["class_index"], common["in_given_label"], common["issue_probability"]
    k = int(cls.max()) + 1 if cls.size else 0
    noise, inverse = np.zeros(k), np.zeros(k)
    noise[cls[given]] = prob[given]
    inverse[cls[~given]] = prob[~given]
    first = np.full(k, cls.size)
    np.minimum.at(first, cls, np.arange(cls.size))
    appearance = np.argsort(first, kind="stable")
    quality = 1 - noise
    order = appearance[np.argsort(quality[appearance], kind="stable")]
    return {
        "class_index": order.astype(np.int64),
        "label_issues": (noise * n).astype(np.int64)[order],
        "inverse_label_issues": (inverse * n).astype(np.int64)[order],
        "label_noise": noise[order],
        "inverse_label_noise": inverse[order],
        "label_quality": quality[order],
    }
