"""The checked problem: a validated (labels, pred_probs) pair and the facts derived from it.

:func:`check_problem` validates once (:mod:`pdclean.core.validation`) and returns a
:class:`Problem` whose per-class statistics (:mod:`pdclean.core.stats`) are computed on first use
and cached, so that every algorithm of one call shares them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np

from pdclean.core import stats, sweep
from pdclean.core.validation import check_labels, check_pred_probs, check_probability_rows
from pdclean.errors import InputError

__all__ = ["Problem", "check_problem"]


class Problem:
    """A validated (labels, pred_probs) pair and the per-class facts every algorithm needs.

    Derived values are computed once, on first use.
    """

    def __init__(self, labels, pred_probs, self_confidence, argmax, row_max):
        self.labels = labels
        self.pred_probs = pred_probs
        self.self_confidence = self_confidence  #: pred_probs[i, labels[i]]
        self.argmax = argmax  #: first index of each row's maximum (the predicted label)
        self.row_max = row_max  #: each row's maximum
        self.n, self.n_classes = pred_probs.shape

    def __iter__(self):
        """Unpack as ``labels, pred_probs``."""
        return iter((self.labels, self.pred_probs))

    @cached_property
    def class_counts(self) -> np.ndarray:
        return np.bincount(self.labels, minlength=self.n_classes)

    @cached_property
    def grouping(self) -> tuple[np.ndarray, np.ndarray]:
        """``(order, starts)``: rows of class k are ``order[starts[k]:starts[k + 1]]``."""
        return stats.class_order(self.labels, self.n_classes)

    @cached_property
    def thresholds(self) -> np.ndarray:
        return stats.thresholds_from_self_confidence(self.self_confidence, *self.grouping)

    def confident_pass(self, thresholds=None) -> np.ndarray:
        """Guessed true labels from ``thresholds`` (default: the per-class thresholds, cached)."""
        if thresholds is None:
            return self.guess
        return stats.confident_pass(self.pred_probs, thresholds, self.argmax, self.row_max)

    @cached_property
    def guess(self) -> np.ndarray:
        """Guessed true label per row from the default thresholds (-1: none confident)."""
        return stats.confident_pass(self.pred_probs, self.thresholds, self.argmax, self.row_max)

    @cached_property
    def runners_up(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(rows, second, second_class)`` of the rows whose argmax is not the given label."""
        return sweep.runners_up(self.pred_probs, self.labels, self.argmax)

    @cached_property
    def label_is_top(self) -> np.ndarray:
        """Per row: is the given label the argmax once it gets a 1e-6 bonus (the guard)?"""
        return stats.label_is_top(self)


def check_problem(
    labels: Any,
    pred_probs: Any,
    *,
    min_classes: int = 2,
    allow_single_zero: bool = False,
    runners_up: bool = False,
) -> Problem:
    """Validate a (labels, pred_probs) pair into a :class:`Problem`.

    ``min_classes`` distinct labels are required, except that ``allow_single_zero`` accepts
    labels that are all 0 (as the reference's filter does). ``runners_up`` computes
    :attr:`Problem.runners_up` in the validation pass (the same result as on demand; the
    matrix is read once instead of twice).
    """
    y = check_labels(labels)
    probs = check_pred_probs(pred_probs, n_rows=y.size, check_rows=False)
    k = probs.shape[1]
    top = int(y.max())
    if top >= k:
        raise InputError(
            f"labels must be class indices 0..{k - 1} for pred_probs with {k} columns; got "
            f"the label {top}. Give pred_probs one column per class (at least {top + 1})."
        )
    if runners_up:
        problem = _swept_problem(y, probs)
    else:
        problem = Problem(y, probs, *check_probability_rows(probs, "pred_probs", y))
    if min_classes > 1:
        present = np.count_nonzero(problem.class_counts)
        single_zero_ok = allow_single_zero and top == 0
        if present < min_classes and not single_zero_ok:
            raise InputError(
                f"labels must contain at least {min_classes} classes; got {present} "
                f"distinct value(s). Label quality needs examples of several classes."
            )
    return problem


def _swept_problem(y: np.ndarray, probs: np.ndarray) -> Problem:
    """Validate and take the runners-up in the same pass (see :mod:`pdclean.core.sweep`)."""
    facts = sweep.BlockFacts(y)
    problem = Problem(y, probs, *check_probability_rows(probs, "pred_probs", y, facts))
    problem.__dict__["runners_up"] = facts.runners_up(problem.argmax.dtype)  # cached property
    return problem
