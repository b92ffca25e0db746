"""Label quality scores for multi-label data, with the names and keywords of
``cleanlab.multilabel_classification.rank`` (SPEC-multi B.4).

A row's score aggregates its K per-class scores (each the score of the one-vs-rest binary
problem of that class); low means the row's set of labels is probably wrong. Parity notes:
``method`` is matched case-insensitively, and ``adjust_pred_probs`` takes effect only when it
is the object ``True`` (``1`` or ``np.True_`` mean no adjustment), as in cleanlab 2.9.
"""

from __future__ import annotations

import numpy as np

from pdclean.core.multilabel import issues
from pdclean.core.multilabel.aggregate import aggregate
from pdclean.core.multilabel.binary import one_vs_rest
from pdclean.core.multilabel.labels import check_pred_probs, labels_to_indicator
from pdclean.core.multilabel.scores import SCORE_METHODS, ScoreMethod, class_scores
from pdclean.errors import InputError

__all__ = ["get_label_quality_scores", "get_label_quality_scores_per_class"]


def _method(method) -> ScoreMethod:
    name = method.lower() if isinstance(method, str) else method
    if name not in SCORE_METHODS:
        raise InputError(f"method must be one of {list(SCORE_METHODS)}; got {method!r}.")
    return name


def _inputs(labels, pred_probs) -> tuple[np.ndarray, np.ndarray]:
    probs = check_pred_probs(pred_probs, len(labels) if hasattr(labels, "__len__") else None)
    y = labels_to_indicator(labels, probs.shape[1])
    if not y.any():
        raise InputError(
            "labels must annotate at least one class somewhere; every row's label list is "
            "empty. Scores need some annotated class."
        )
    return y, probs


def get_label_quality_scores(
    labels,
    pred_probs,
    *,
    method: ScoreMethod = "self_confidence",
    adjust_pred_probs: bool = False,
    aggregator_kwargs: dict | None = None,
) -> np.ndarray:
    """One label quality score per row, in [0, 1]: low means the row's labels are suspicious.

    Parameters
    ----------
    labels : list of list of int
        Class indices annotated on each row.
    pred_probs : array-like of float, shape (n, K)
        Out-of-sample probability that each class applies to each row.
    method : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}
        Per-class score (case-insensitive).
    adjust_pred_probs : bool, default False
        Shift the binary pred_probs by their class thresholds first (only if ``True`` itself).
    aggregator_kwargs : dict, optional
        ``{"method": "exponential_moving_average" | "softmin" | callable, **its options}``;
        default (None or empty) exponential moving average with ``alpha=0.8``. With a method
        and no alpha, the moving average uses ``alpha = 2 / (K + 1)``.

    Returns
    -------
    ndarray of float64, shape (n,)

    Examples
    --------
    >>> P = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
    >>> get_label_quality_scores([[1], [0, 2]], P).round(4).tolist()
    [0.9, 0.5]
    >>> get_label_quality_scores([[1], [0, 2]], P,
    ...     aggregator_kwargs={"method": "softmin", "temperature": 0.1}).round(4).tolist()
    [0.9, 0.4066]
    """
    y, probs = _inputs(labels, pred_probs)
    return issues.aggregated_scores(
        y,
        probs,
        _method(method),
        adjust=adjust_pred_probs is True,
        aggregator=lambda scores: aggregate(scores, aggregator_kwargs),
    )


def get_label_quality_scores_per_class(
    labels,
    pred_probs,
    *,
    method: ScoreMethod = "self_confidence",
    adjust_pred_probs: bool = False,
) -> np.ndarray:
    """The (n, K) matrix of per-class label quality scores (one-vs-rest, per class).

    Examples
    --------
    >>> P = np.array([[0.1, 0.9, 0.1], [0.4, 0.1, 0.9]])
    >>> get_label_quality_scores_per_class([[1], [0, 2]], P).round(2).tolist()
    [[0.9, 0.9, 0.9], [0.4, 0.9, 0.9]]
    """
    y, probs = _inputs(labels, pred_probs)
    ovr = one_vs_rest(y, probs)
    return np.ascontiguousarray(
        class_scores(ovr, _method(method), adjust=adjust_pred_probs is True).T
    )
