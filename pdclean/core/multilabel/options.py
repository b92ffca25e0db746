"""Checks of the filter options of the multi-label functions (SPEC-multi B.2, B.3, SPEC §5.1).

One place for the checks that ``filter.find_label_issues``,
``filter.find_multilabel_issues_per_class`` and the dataset functions share.
"""

from __future__ import annotations

import warnings

import numpy as np

from pdclean.core.multilabel.issues import FILTER_BY, PRUNE
from pdclean.core.multilabel.labels import check_pred_probs, labels_to_indicator
from pdclean.core.multilabel.scores import SCORE_METHODS
from pdclean.errors import InputError, InputTypeError

__all__ = ["check_filter_inputs", "check_rank_options"]


def _check_choice(name: str, value, choices) -> None:
    if value not in choices:
        raise InputError(f"{name} must be one of {list(choices)}; got {value!r}.")


def check_rank_options(ranked_by, rank_by_kwargs, *, only_true: bool = False) -> dict:
    """Validate ``return_indices_ranked_by`` and ``rank_by_kwargs``; return the kwargs.

    ``only_true``: adjustment is enabled only by the object ``True`` (cleanlab's aggregated
    scorer); otherwise by any truthy value (its per-class scorer).

    Examples
    --------
    >>> check_rank_options("self_confidence", None)
    {}
    """
    if ranked_by is not None:
        _check_choice("return_indices_ranked_by", ranked_by, SCORE_METHODS)
    kwargs = dict(rank_by_kwargs or {})
    unknown = sorted(set(kwargs) - {"adjust_pred_probs"})
    if unknown:
        raise InputTypeError(
            f"rank_by_kwargs accepts only 'adjust_pred_probs'; got unknown keys {unknown!r}."
        )
    adjust = kwargs.get("adjust_pred_probs", False)
    adjust = adjust is True if only_true else bool(adjust)
    if ranked_by == "confidence_weighted_entropy" and adjust:
        raise InputError(
            "adjust_pred_probs is not supported with confidence_weighted_entropy ranking; "
            "set rank_by_kwargs={'adjust_pred_probs': False} or rank by another method."
        )
    return kwargs


def _check_numbers(filter_by, frac_noise, to_remove, min_examples, n_jobs, k):
    if not (isinstance(frac_noise, (int, float)) and 0 <= frac_noise <= 1):
        raise InputError(f"frac_noise must be a number in [0, 1]; got {frac_noise!r}.")
    if not isinstance(min_examples, (int, np.integer)) or min_examples < 0:
        raise InputError(
            f"min_examples_per_class must be a non-negative integer; got {min_examples!r}."
        )
    if n_jobs is not None and (not isinstance(n_jobs, (int, np.integer)) or n_jobs < 1):
        raise InputError(f"n_jobs must be None or an integer >= 1; got {n_jobs!r}.")
    if to_remove is None:
        return None
    if filter_by not in PRUNE:
        raise InputError(
            f"num_to_remove_per_class is only supported with filter_by in {list(PRUNE)}; got "
            f"filter_by={filter_by!r}. Drop num_to_remove_per_class or change filter_by."
        )
    r = np.asarray(to_remove)
    if r.shape != (k,) or r.dtype.kind not in "iu" or (r < 0).any():
        raise InputError(
            f"num_to_remove_per_class must hold one non-negative integer per class ({k}); got "
            f"{to_remove!r}."
        )
    return r


def _check_joint(confident_joint, filter_by: str, k: int):
    if confident_joint is None:
        return None
    cj = np.asarray(confident_joint)
    if cj.shape == (k, k):
        warnings.warn(
            f"confident_joint of shape ({k}, {k}) is the single-label format and is ignored; "
            f"multi-label needs one 2 x 2 confident joint per class, shape ({k}, 2, 2).",
            UserWarning,
            stacklevel=4,
        )
        return None
    if cj.shape != (k, 2, 2):
        raise InputError(
            f"confident_joint must have shape (num_classes, 2, 2) = ({k}, 2, 2); got {cj.shape}."
        )
    if filter_by not in PRUNE:
        warnings.warn(
            f"confident_joint is ignored with filter_by={filter_by!r} (only the prune filters "
            "use it).",
            UserWarning,
            stacklevel=4,
        )
        return None
    return cj


def check_filter_inputs(
    labels, pred_probs, filter_by, frac_noise, to_remove, min_examples, n_jobs, cj
):
    """Checked ``(y, pred_probs, engine options)`` for the public filter functions.

    Examples
    --------
    >>> y, probs, options = check_filter_inputs(
    ...     [[0], [1]], [[0.9, 0.2], [0.1, 0.8]], "both", 1.0, None, 1, None, None)
    >>> y.tolist(), options["frac_noise"], options["confident_joint"]
    ([[True, False], [False, True]], 1.0, None)
    """
    _check_choice("filter_by", filter_by, FILTER_BY)
    probs = check_pred_probs(pred_probs, len(labels) if hasattr(labels, "__len__") else None)
    y = labels_to_indicator(labels, probs.shape[1])
    k = probs.shape[1]
    if frac_noise != 1.0 and filter_by not in PRUNE:
        warnings.warn(
            f"frac_noise is only used with filter_by in {list(PRUNE)}; ignored for "
            f"filter_by={filter_by!r}.",
            UserWarning,
            stacklevel=3,
        )
    options = {
        "frac_noise": frac_noise,
        "num_to_remove_per_class": _check_numbers(
            filter_by, frac_noise, to_remove, min_examples, n_jobs, k
        ),
        "min_examples_per_class": min_examples,
        "confident_joint": _check_joint(cj, filter_by, k),
    }
    return y, probs, options
