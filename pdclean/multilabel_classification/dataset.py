"""Dataset-level label health of multi-label data, with the names and keywords of
``cleanlab.multilabel_classification.dataset`` (SPEC-multi B.5).

Tables are DataFrames with snake_case columns (cleanlab's "Class Index" is ``class_index``,
"Issue Probability" is ``issue_probability``, ...), sorted stably. Parity notes (cleanlab 2.9
behaviour, mirrored): :func:`rank_classes_by_multilabel_quality` uses its ``joint`` argument
as the (K, 2, 2) confident joint and ignores ``confident_joint``; its counts are
``trunc(count / n * n)`` in floating point (1 of 49 becomes 0); its noise rates are relative
to all n rows.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from pdclean.core.multilabel import issues
from pdclean.core.multilabel.options import check_filter_inputs
from pdclean.core.multilabel.stats import class_quality_table, common_issues_table
from pdclean.errors import InputError
from pdclean.multilabel_classification.filter import find_label_issues

__all__ = [
    "common_multilabel_issues",
    "multilabel_health_summary",
    "overall_multilabel_health_score",
    "rank_classes_by_multilabel_quality",
]

logger = logging.getLogger("pdclean")


def _require(labels, pred_probs) -> None:
    if labels is None or pred_probs is None:
        raise InputError(
            "labels and pred_probs are both required (a confident joint alone does not give "
            f"the per-row flags); got labels={type(labels).__name__}, "
            f"pred_probs={type(pred_probs).__name__}."
        )


def _frame(table: dict, class_names, k: int) -> pd.DataFrame:
    frame = pd.DataFrame(table)
    if class_names is not None:
        names = list(class_names)
        if len(names) != k:
            raise InputError(
                f"class_names must name each of the {k} classes (pred_probs columns); got "
                f"{len(names)} names: {names!r:.200}."
            )
        frame.insert(0, "class_name", [names[c] for c in table["class_index"]])
    return frame


def _common_table(labels, pred_probs, confident_joint):
    _require(labels, pred_probs)
    y, probs, options = check_filter_inputs(
        labels, pred_probs, "prune_by_noise_rate", 1.0, None, 1, None, confident_joint
    )
    masks = issues.class_issue_masks(y, probs, **options)
    return common_issues_table(masks, y), y.shape[0], y.shape[1]


def common_multilabel_issues(
    labels=None, pred_probs=None, *, class_names=None, confident_joint=None
) -> pd.DataFrame:
    """How often each class is wrongly present / wrongly missing, most frequent first.

    Two rows per class: ``in_given_label=True`` counts rows flagged for the class that carry
    it, ``False`` rows flagged that lack it. Columns ``class_name`` (with ``class_names``),
    ``class_index``, ``in_given_label``, ``in_suggested_label``, ``num_examples``,
    ``issue_probability`` (``num_examples / n``).

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> common_multilabel_issues(labels, P)[["class_index", "in_given_label", "num_examples"]]
       class_index  in_given_label  num_examples
    0            0            True             1
    1            0           False             1
    2            1            True             1
    3            1           False             1
    """
    table, _, k = _common_table(labels, pred_probs, confident_joint)
    return _frame(table, class_names, k)


def _class_quality(labels, pred_probs, class_names, joint) -> pd.DataFrame:
    table, n, k = _common_table(labels, pred_probs, joint)
    return _frame(class_quality_table(table, n), class_names, k)


def rank_classes_by_multilabel_quality(
    labels=None, pred_probs=None, *, class_names=None, joint=None, confident_joint=None
) -> pd.DataFrame:
    """One row per class, lowest label quality first.

    Columns ``class_name`` (with ``class_names``), ``class_index``, ``label_issues``,
    ``inverse_label_issues``, ``label_noise``, ``inverse_label_noise``, ``label_quality``
    (``1 - label_noise``). As in cleanlab 2.9, ``joint`` is the (K, 2, 2) confident joint
    used and ``confident_joint`` is ignored (a warning says so).

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3], [.8, .3],
    ...               [.3, .7]])
    >>> rank_classes_by_multilabel_quality(labels, P)[["class_index", "label_issues"]]
       class_index  label_issues
    0            0             1
    1            1             1
    """
    if confident_joint is not None:
        warnings.warn(
            "confident_joint is ignored by rank_classes_by_multilabel_quality (as in cleanlab "
            "2.9); pass the (K, 2, 2) confident joint as joint= instead.",
            UserWarning,
            stacklevel=2,
        )
    return _class_quality(labels, pred_probs, class_names, joint)


def overall_multilabel_health_score(
    labels=None, pred_probs=None, *, confident_joint=None
) -> np.float64:
    """The fraction of rows without a label issue (default ``find_label_issues``).

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> float(overall_multilabel_health_score(labels, P))
    0.6666666666666667
    """
    _require(labels, pred_probs)
    mask = find_label_issues(labels, pred_probs, confident_joint=confident_joint)
    return np.float64(1 - np.count_nonzero(mask) / mask.size)


def multilabel_health_summary(
    labels=None,
    pred_probs=None,
    *,
    class_names=None,
    num_examples: int | None = None,
    confident_joint=None,
    verbose: bool = True,
) -> dict:
    """The three results above in one dict; ``verbose`` logs them (logger "pdclean", INFO).

    Keys ``overall_multilabel_health_score``, ``classes_by_multilabel_quality``,
    ``common_multilabel_issues``. As in cleanlab 2.9 the class table ignores
    ``confident_joint``; the other two use it. ``num_examples`` only labels the log banner.

    Examples
    --------
    >>> labels = [[0], [0], [1], [1], [0], [1]]
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.1, .9], [.7, .3]])
    >>> summary = multilabel_health_summary(labels, P, verbose=False)
    >>> round(float(summary["overall_multilabel_health_score"]), 4)
    0.6667
    """
    _require(labels, pred_probs)
    classes = _class_quality(labels, pred_probs, class_names, None)
    common = common_multilabel_issues(
        labels, pred_probs, class_names=class_names, confident_joint=confident_joint
    )
    health = overall_multilabel_health_score(labels, pred_probs, confident_joint=confident_joint)
    if verbose:
        n = len(labels) if num_examples is None else num_examples
        logger.info("Multi-label dataset health summary for %s examples", f"{n:,}")
        logger.info("Classes by label quality:\n%s", classes.to_string(index=False))
        logger.info("Common multi-label issues:\n%s", common.to_string(index=False))
        logger.info("Overall multi-label health score: %.4f", health)
    return {
        "overall_multilabel_health_score": health,
        "classes_by_multilabel_quality": classes,
        "common_multilabel_issues": common,
    }
