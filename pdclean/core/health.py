"""Dataset-level label health from the joint distribution of given and true labels (SPEC 6).

Numpy only, from a joint already estimated; ``pdclean.dataset`` estimates the joint and wraps
these results in DataFrames.
"""

from __future__ import annotations

import numpy as np

__all__ = ["class_quality", "health_from_joint", "overlap_pairs"]

EPS = 1e-6


def class_quality(joint: np.ndarray, num_examples: int) -> dict[str, np.ndarray]:
    """Per-class issue counts and noise rates, in class order (SPEC 6.1)."""
    diag = np.diagonal(joint)
    given, true = joint.sum(axis=1), joint.sum(axis=0)
    noise = (given - diag) / np.maximum(given, EPS)
    return {
        "label_issues": np.round((given - diag) * num_examples).astype(np.int64),
        "inverse_label_issues": np.round((true - diag) * num_examples).astype(np.int64),
        "label_noise": noise,
        "inverse_label_noise": (true - diag) / np.maximum(true, EPS),
        "label_quality": 1 - noise,
    }


def overlap_pairs(joint: np.ndarray, num_examples: int, asymmetric: bool = False):
    """Class pairs ``(a, b, num_overlapping, joint_probability)``, most overlapping first.

    Symmetric: pairs a < b with ``J[a, b] + J[b, a]``; asymmetric: ordered pairs a != b with
    ``J[a, b]``. Equal probabilities keep pair order (stable).
    """
    k = joint.shape[0]
    if asymmetric:
        a, b = np.nonzero(~np.eye(k, dtype=bool))
        p = joint[a, b]
    else:
        a, b = np.triu_indices(k, 1)
        p = joint[a, b] + joint[b, a]
    order = np.argsort(-p, kind="stable")
    a, b, p = a[order], b[order], p[order]
    return a, b, np.round(p * num_examples).astype(np.int64), p


def health_from_joint(joint: np.ndarray) -> float:
    """The trace formula of the overall label health score."""
    return float(np.trace(joint))
