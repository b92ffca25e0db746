"""Dataset-level label health from the joint distribution of given and true labels (SPEC 6).

Numpy only; ``pdclean.dataset`` wraps these results in DataFrames.
"""

from __future__ import annotations

import numpy as np

from pdclean.errors import InputError

__all__ = ["class_quality", "health_from_joint", "overlap_pairs", "resolve_joint"]

EPS = 1e-6


def resolve_joint(labels, pred_probs, num_examples, joint, confident_joint):
    """Return ``(joint, num_examples)`` from whichever inputs were given (SPEC 6)."""
    from pdclean.count import estimate_joint  # count imports nothing from here

    if num_examples is None:
        if labels is not None:
            num_examples = len(labels)
        elif confident_joint is not None:
            num_examples = int(np.sum(confident_joint))
        else:
            raise InputError(
                "num_examples is unknown: pass labels and pred_probs, or a confident_joint, "
                "or a joint together with num_examples."
            )
    if joint is None:
        if confident_joint is None and (labels is None or pred_probs is None):
            raise InputError(
                "Pass labels and pred_probs, or a confident_joint (optionally with labels), "
                "or a joint with num_examples."
            )
        joint = estimate_joint(labels, pred_probs, confident_joint=confident_joint)
    joint = np.asarray(joint, dtype=np.float64)
    if joint.ndim != 2 or joint.shape[0] != joint.shape[1]:
        raise InputError(f"joint must be a square K x K matrix; got shape {joint.shape}.")
    return joint, int(num_examples)


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
