"""Label check (SPEC 9.4): given labels that confident learning finds likely wrong."""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from pdclean.checks.base import CheckResult, register_check
from pdclean.core.count import compute_confident_joint, estimate_joint, num_label_issues
from pdclean.core.filter import find_label_issues
from pdclean.core.health import overlap_pairs
from pdclean.core.rank import get_label_quality_scores
from pdclean.errors import InputError

__all__ = ["find_label_check_issues", "knn_pred_probs"]


def knn_pred_probs(features: np.ndarray, labels: np.ndarray, *, k: int = 10) -> np.ndarray:
    """Out-of-sample class probabilities from the k nearest other rows (Euclidean).

    The votes of the k + 1 nearest rows (the row itself included, as a classifier fitted and
    evaluated on the same rows sees it) minus the row's own vote, rescaled by (k + 1) / k.
    With exact duplicates the row may not be among its own k + 1 nearest and an entry can be
    negative; the label check then reports an error, like the reference.

    Examples
    --------
    >>> X = np.array([[0.0], [0.1], [0.2], [1.0], [1.1], [1.2]])
    >>> knn_pred_probs(X, np.array([0, 0, 1, 1, 1, 1]), k=2).round(2).tolist()
    [[0.5, 0.5], [0.5, 0.5], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]
    """
    features = np.asarray(features, dtype=np.float64)
    labels = np.asarray(labels, dtype=np.int64)
    if features.shape[0] <= k:
        raise InputError(
            f"Number of nearest neighbors k={k + 1} cannot exceed the number of examples "
            f"N={features.shape[0]}; features needs at least {k + 2} rows."
        )
    num_classes = int(labels.max()) + 1
    nbr = NearestNeighbors(n_neighbors=k + 1).fit(features).kneighbors(features)[1]
    votes = np.zeros((labels.shape[0], num_classes))
    np.add.at(votes, (np.arange(labels.shape[0])[:, None], labels[nbr]), 1.0)
    votes /= k + 1
    votes[np.arange(labels.shape[0]), labels] -= 1.0 / (k + 1)
    return votes * ((k + 1) / k)


#: Most overlapping class pairs kept in the details (the report draws them).
OVERLAP_PAIRS = 10


@register_check("label", requires=(("labels", "pred_probs"), ("labels", "features", "knn")))
def find_label_check_issues(
    *,
    labels: np.ndarray | None = None,
    pred_probs: np.ndarray | None = None,
    features: np.ndarray | None = None,
    k: int = 10,
) -> CheckResult:
    """Flag rows whose given label is likely wrong (prune_by_noise_rate, 10 rows per class).

    Score = self-confidence ``P[i, y_i]``. Summary score =
    ``1 - num_label_issues(labels, P) / n`` (the off-diagonal estimate, not the flagged
    count). Without ``pred_probs``, P comes from :func:`knn_pred_probs` on ``features``.

    Examples
    --------
    >>> labels = np.array([0] * 12 + [1] * 12)
    >>> P = np.tile([[0.9, 0.1]], (24, 1)); P[12:] = [0.1, 0.9]; P[0] = [0.05, 0.95]
    >>> r = find_label_check_issues(labels=labels, pred_probs=P)
    >>> np.flatnonzero(r.is_issue).tolist(), round(r.summary_score, 4)
    ([0], 0.9583)
    """
    labels = np.asarray(labels, dtype=np.int64)
    if pred_probs is None:
        pred_probs = knn_pred_probs(features, labels, k=k)
    pred_probs = np.asarray(pred_probs, dtype=np.float64)
    is_issue = find_label_issues(
        labels, pred_probs, filter_by="prune_by_noise_rate", min_examples_per_class=10
    )
    score = get_label_quality_scores(labels, pred_probs, method="self_confidence")
    n = labels.shape[0]
    summary = 1.0 - num_label_issues(labels, pred_probs) / n
    confident_joint = compute_confident_joint(labels, pred_probs)
    a, b, _, joint_p = overlap_pairs(
        estimate_joint(labels, pred_probs, confident_joint=confident_joint), n
    )
    top = np.flatnonzero(joint_p > 0)[:OVERLAP_PAIRS]
    details = {
        "given_label": labels,
        "predicted_label": np.argmax(pred_probs, axis=1),
        "num_label_issues": int(np.count_nonzero(is_issue)),
        "average_label_quality": float(score.mean()),
        "confident_joint": confident_joint,
        "pred_probs": pred_probs,
        "overlapping_classes": {
            "class_a": a[top], "class_b": b[top], "joint_probability": joint_p[top],
        },
    }  # fmt: skip
    return CheckResult("label", np.asarray(is_issue, dtype=bool), score, summary, details)
