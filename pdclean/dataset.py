"""Dataset-level label health: per-class quality, overlapping classes, one health score.

Functions with the names and keyword arguments of ``cleanlab.dataset``, returning tidy
snake_case DataFrames (class names used when given) and a small result object; nothing is
printed unless ``verbose=True``. Each accepts labels + pred_probs, or a confident_joint
(optionally with labels), or a joint with num_examples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core import health
from pdclean.core.count import estimate_joint, num_label_issues
from pdclean.core.problem import check_problem
from pdclean.errors import InputError

__all__ = [
    "HealthSummary",
    "find_overlapping_classes",
    "health_summary",
    "overall_label_health_score",
    "rank_classes_by_label_quality",
]


def _resolve_joint(labels, pred_probs, num_examples, joint, confident_joint):
    """Return ``(joint, num_examples)`` from whichever inputs were given (SPEC 6)."""
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


def _names(class_names, k: int):
    if class_names is None:
        return None
    names = list(class_names)
    if len(names) != k:
        raise InputError(f"class_names must name each of the {k} classes; got {len(names)} names.")
    return names


def _inputs(labels, pred_probs):
    if labels is not None and pred_probs is not None:
        return tuple(check_problem(labels, pred_probs, min_classes=1))
    return labels, pred_probs


def rank_classes_by_label_quality(
    labels=None,
    pred_probs=None,
    *,
    class_names=None,
    num_examples: int | None = None,
    joint=None,
    confident_joint=None,
) -> pd.DataFrame:
    """One row per class, the least trustworthy labels first.

    Columns: ``class_name`` (only with ``class_names``), ``class_index``, ``label_issues``,
    ``inverse_label_issues``, ``label_noise``, ``inverse_label_noise``, ``label_quality``.

    Examples
    --------
    >>> cj = np.array([[8, 2], [1, 9]])
    >>> ranked = rank_classes_by_label_quality(confident_joint=cj, class_names=["cat", "dog"])
    >>> ranked[["class_name", "label_issues", "label_noise", "label_quality"]]
      class_name  label_issues  label_noise  label_quality
    0        cat             2          0.2            0.8
    1        dog             1          0.1            0.9
    """
    labels, pred_probs = _inputs(labels, pred_probs)
    joint, n = _resolve_joint(labels, pred_probs, num_examples, joint, confident_joint)
    return _class_frame(joint, n, class_names)


def _class_frame(joint, n, class_names) -> pd.DataFrame:
    k = joint.shape[0]
    names = _names(class_names, k)
    frame = pd.DataFrame({"class_index": np.arange(k), **health.class_quality(joint, n)})
    if names is not None:
        frame.insert(0, "class_name", names)
    return frame.sort_values("label_quality", kind="stable").reset_index(drop=True)


def find_overlapping_classes(
    labels=None,
    pred_probs=None,
    *,
    asymmetric: bool = False,
    class_names=None,
    num_examples: int | None = None,
    joint=None,
    confident_joint=None,
) -> pd.DataFrame:
    """Pairs of classes that the labels confuse, most overlapping first.

    Columns: ``class_a``, ``class_b`` (names when ``class_names`` is given, else indices),
    ``class_index_a``, ``class_index_b``, ``num_overlapping``, ``joint_probability``.
    Symmetric by default (``J[a, b] + J[b, a]``); ``asymmetric=True`` lists ordered pairs
    (given a, true b).

    Examples
    --------
    >>> cj = np.array([[8, 2, 0], [1, 9, 0], [0, 1, 9]])
    >>> find_overlapping_classes(confident_joint=cj)[["class_a", "class_b", "num_overlapping"]]
       class_a  class_b  num_overlapping
    0        0        1                3
    1        1        2                1
    2        0        2                0
    """
    labels, pred_probs = _inputs(labels, pred_probs)
    joint, n = _resolve_joint(labels, pred_probs, num_examples, joint, confident_joint)
    return _overlap_frame(joint, n, asymmetric, class_names)


def _overlap_frame(joint, n, asymmetric, class_names) -> pd.DataFrame:
    a, b, num, p = health.overlap_pairs(joint, n, asymmetric)
    names = _names(class_names, joint.shape[0])
    shown = (
        (a, b)
        if names is None
        else (np.array(names, dtype=object)[a], np.array(names, dtype=object)[b])
    )
    return pd.DataFrame(
        {
            "class_a": shown[0],
            "class_b": shown[1],
            "class_index_a": a,
            "class_index_b": b,
            "num_overlapping": num,
            "joint_probability": p,
        }
    )


def _health_and_count(labels, pred_probs, num_examples, joint, confident_joint):
    """(score, number of issues, n): 1 - issues/n from pred_probs, else trace(joint)."""
    if labels is not None and pred_probs is not None:
        y, probs = check_problem(labels, pred_probs)
        issues = num_label_issues(y, probs, confident_joint=confident_joint)
        return 1.0 - issues / y.size, issues, y.size
    joint, n = _resolve_joint(labels, pred_probs, num_examples, joint, confident_joint)
    score = health.health_from_joint(joint)
    return score, int(np.round(n * (1 - score))), n


def _health_lines(score: float, issues: int, n: int) -> str:
    return (
        f" * Overall, about {1 - score:.0%} ({issues:,} of the {n:,}) labels in your dataset "
        "have potential issues.\n"
        f" ** The overall label health score for this dataset is: {score:.2f}."
    )


def overall_label_health_score(
    labels=None,
    pred_probs=None,
    *,
    num_examples: int | None = None,
    confident_joint=None,
    joint=None,
    verbose: bool = False,
) -> float:
    """One number in [0, 1]: the estimated fraction of correct labels.

    With labels and pred_probs it is ``1 - num_label_issues / n``; from a confident joint or a
    joint it is the trace of the joint (the reference's two formulas).

    Examples
    --------
    >>> round(overall_label_health_score(confident_joint=np.array([[8, 2], [1, 9]])), 4)
    0.85
    """
    score, issues, n = _health_and_count(labels, pred_probs, num_examples, joint, confident_joint)
    if verbose:
        print(_health_lines(score, issues, n))
    return score


@dataclass(frozen=True)
class HealthSummary:
    """The label health of a dataset: score, joint, per-class table, overlapping classes."""

    overall_label_health_score: float
    joint: np.ndarray
    classes_by_label_quality: pd.DataFrame
    overlapping_classes: pd.DataFrame
    num_examples: int
    num_label_issues: int

    def report(self) -> str:
        """A text report (what ``verbose=True`` prints)."""
        rule = "-" * 60
        return "\n".join(
            [
                rule,
                "|  Generating a Cleanlab-style dataset health summary  |",
                rule,
                "Overall class quality and noise across the dataset (least trustworthy first):",
                self.classes_by_label_quality.to_string(index=False),
                "",
                "Class overlap (most overlapping first; consider merging these classes):",
                self.overlapping_classes.to_string(index=False),
                "",
                _health_lines(
                    self.overall_label_health_score, self.num_label_issues, self.num_examples
                ),
            ]
        )

    def __getitem__(self, key: str) -> Any:
        """Dict-style access, for code written against the reference's dict result."""
        if key == "joint" or key in self.__dataclass_fields__:
            return getattr(self, key)
        raise KeyError(key)


def health_summary(
    labels=None,
    pred_probs=None,
    *,
    asymmetric: bool = False,
    class_names=None,
    num_examples: int | None = None,
    joint=None,
    confident_joint=None,
    verbose: bool = False,
) -> HealthSummary:
    """Everything about the label health of a dataset in one result.

    The joint is computed once; the health score follows :func:`overall_label_health_score`
    on the inputs (so with labels and pred_probs it is ``1 - num_label_issues / n``).

    Examples
    --------
    >>> s = health_summary(confident_joint=np.array([[8, 2], [1, 9]]), class_names=["a", "b"])
    >>> round(s.overall_label_health_score, 4), s.classes_by_label_quality["class_name"].tolist()
    (0.85, ['a', 'b'])
    """
    labels, pred_probs = _inputs(labels, pred_probs)
    j, n = _resolve_joint(labels, pred_probs, num_examples, joint, confident_joint)
    score, issues, _ = _health_and_count(labels, pred_probs, num_examples, joint, confident_joint)
    summary = HealthSummary(
        overall_label_health_score=score,
        joint=j,
        classes_by_label_quality=_class_frame(j, n, class_names),
        overlapping_classes=_overlap_frame(j, n, asymmetric, class_names),
        num_examples=n,
        num_label_issues=issues,
    )
    if verbose:
        print(summary.report())
    return summary
