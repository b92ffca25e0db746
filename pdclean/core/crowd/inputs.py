"""Checks of the options and of the ActiveLab inputs (messages name the argument and the fix)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pdclean.core.crowd.labels import (
    Annotations,
    check_annotations,
    check_crowd_pred_probs,
    encode_annotations,
    warn_if_no_agreement,
)
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "SCORE_KEYWORDS",
    "check_active_inputs",
    "check_option",
    "require",
    "score_keywords",
    "validated_annotations",
]

SCORE_KEYWORDS = ("method", "adjust_pred_probs")


def validated_annotations(
    matrix: np.ndarray,
    pred_probs,
    *,
    annotator_ids: Sequence | None = None,
    ensemble: bool = False,
    allow_single_label: bool | None = False,
) -> tuple[Annotations, np.ndarray | None]:
    """Validate an annotation matrix and its pred_probs (SPEC-multi A.2, in cleanlab's order).

    K is pred_probs' number of columns, else the largest label + 1. ``allow_single_label=None``
    allows one label per row exactly when no row has more (ActiveLab's single-label case).

    Examples
    --------
    >>> ann, probs = validated_annotations(np.array([[0, 1], [1, 1]]), np.full((2, 3), 1 / 3))
    >>> ann.counts.tolist()
    [[1, 1, 0], [0, 2, 0]]
    """
    codes, mask = encode_annotations(matrix)
    if allow_single_label is None:
        allow_single_label = bool(mask.sum(axis=1).max() <= 1)
    options = {"allow_single_label": allow_single_label, "annotator_ids": annotator_ids}
    check_annotations(mask, codes, warn_disagreement=False, **options)
    top = int(codes.max())
    probs = None
    if pred_probs is not None:
        probs = check_crowd_pred_probs(pred_probs, len(codes), top, ensemble=ensemble)
    num_classes = top + 1 if probs is None else probs.shape[-1]
    ann = Annotations.build(codes, mask, num_classes)
    if not allow_single_label:
        warn_if_no_agreement(ann.counts)
    return ann, probs


def require(pred_probs):
    """Raise if pred_probs is None (for the functions that cannot do without it)."""
    if pred_probs is None:
        raise InputTypeError("pred_probs must be a numpy ndarray of probabilities; got None.")
    return pred_probs


def check_option(name: str, value, allowed: Sequence[str]) -> None:
    """Raise unless ``value`` is one of ``allowed``."""
    if not isinstance(value, str) or value not in allowed:
        raise InputError(f"{name} must be one of {list(allowed)}; got {value!r}.")


def score_keywords(label_quality_score_kwargs) -> dict:
    """The label-quality keywords (``method``, ``adjust_pred_probs``) as a checked dict."""
    kwargs = dict(label_quality_score_kwargs or {})
    unknown = sorted(set(kwargs) - set(SCORE_KEYWORDS))
    if unknown:
        raise InputTypeError(
            f"label_quality_score_kwargs got unknown keyword(s) {unknown}; the keywords of "
            f"pdclean.rank.get_label_quality_scores are {list(SCORE_KEYWORDS)}."
        )
    return kwargs


def check_active_inputs(pred_probs, pred_probs_unlabeled, ndim: int) -> None:
    """A.11 validation of the two pred_probs arguments (2-D, or 3-D for ensembles)."""
    if pred_probs is None and pred_probs_unlabeled is None:
        raise InputError(
            "pred_probs and pred_probs_unlabeled cannot both be None; pass at least one."
        )
    for name, probs in (("pred_probs", pred_probs), ("pred_probs_unlabeled", pred_probs_unlabeled)):
        if probs is None:
            continue
        if not isinstance(probs, np.ndarray):
            raise InputTypeError(
                f"{name} must be a numpy ndarray; got {type(probs).__name__}. Use np.asarray."
            )
        if probs.ndim != ndim:
            other = "ensemble" if ndim == 2 else "non-ensemble"
            raise InputError(
                f"{name} must be a {ndim}-D array; got shape {probs.shape}. For "
                f"{probs.ndim}-D input use the {other} version of this function."
            )
    both = pred_probs is not None and pred_probs_unlabeled is not None
    if both and pred_probs.shape[-1] != pred_probs_unlabeled.shape[-1]:
        raise InputError(
            "pred_probs and pred_probs_unlabeled must have the same number of classes; got "
            f"{pred_probs.shape[-1]} and {pred_probs_unlabeled.shape[-1]} columns."
        )
