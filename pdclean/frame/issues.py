"""The DataFrame face: confident learning on a table, as plain functions.

Each function takes a DataFrame and the name of its label column, resolves the inputs once
(:mod:`pdclean.frame.resolve`), gets out-of-sample pred_probs (given, or by cross-validation with
:mod:`pdclean.learning.cv`), calls the numpy-level algorithms on the rows that have a label,
and wraps the result in pandas:

* per-row results carry ``df.index`` in ``df``'s order. When every row has a label, the
  columns are plain ``bool`` / ``float64``; when some label is missing, those rows stay, with
  ``<NA>`` in nullable ``boolean`` / ``Float64`` columns, and take no part in estimation;
* ``given_label`` / ``predicted_label`` are in the label column's dtype (a categorical column
  stays categorical with the same categories);
* class-level results are labelled by class name.

The caller's frame is never modified. The ``.clean`` accessor (:mod:`pdclean.accessor`)
delegates to these functions; they also serve ``df.pipe(pdclean.find_label_issues, "y", ...)``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from pdclean.core import filter, rank
from pdclean.core.filter import FilterBy
from pdclean.core.rank import ScoreMethod
from pdclean.core.scores import SCORE_METHODS
from pdclean.core.validation import check_choice
from pdclean.frame.columns import (
    bool_column,
    counts_per_class,
    float_column,
    label_values,
    scatter_rows,
)
from pdclean.frame.dataset import (
    NoiseEstimates,
    class_health,
    health,
    noise_estimates,
    overlapping_classes,
)
from pdclean.frame.resolve import ResolvedInput, resolve
from pdclean.frame.signature import takes_table

__all__ = [
    "NoiseEstimates",
    "annotate",
    "class_health",
    "drop_label_issues",
    "find_label_issues",
    "health",
    "label_quality",
    "noise_estimates",
    "overlapping_classes",
    "pred_probs",
]

Weighting = Literal["accuracy", "uniform", "log_loss_search"]


# ------------------------------------------------------------------------------ per-row results


@takes_table()
def find_label_issues(
    r: ResolvedInput,
    *,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: Sequence[int] | Mapping[Any, int] | None = None,
    min_examples_per_class: int = 1,
    rank_by: ScoreMethod = "self_confidence",
) -> pd.DataFrame:
    """Flag the rows whose label is likely wrong, with a label quality score per row.

    Parameters
    ----------
    df : DataFrame
        One row per example; not modified.
    label : hashable
        Name of the label column (any hashable classes: ints, strings, bools, categories).
    pred_probs : ndarray (n, K), DataFrame, list of column names, or None
        Out-of-sample predicted probabilities; columns follow the class order (sorted values,
        or the categories of a categorical column). A DataFrame is matched by column name
        (classes) and index (rows). None: computed by ``cv``-fold cross-validation.
    features : list of column names, optional
        Columns the model learns from (default: all but the label). Only without pred_probs.
    model : scikit-learn classifier, optional
        Needs ``fit`` and ``predict_proba`` (default: see ``pdclean.learning.cv.default_model``).
    cv : int, default 5
        Cross-validation folds (StratifiedKFold, shuffled with ``random_state``).
    filter_by, frac_noise, num_to_remove_per_class, min_examples_per_class
        As in :func:`pdclean.filter.find_label_issues`; ``num_to_remove_per_class`` may also be
        a mapping {class: count}.
    rank_by : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}
        Method of the ``label_quality`` column.
    random_state : int, RandomState or None
        Seed of the fold shuffle (and of the default model).
    progress : bool, default True
        Progress bar over the folds (when tqdm is installed).

    Returns
    -------
    DataFrame
        Index ``df.index``; columns ``is_label_issue``, ``label_quality`` (low = suspicious),
        ``given_label``, ``predicted_label`` (both in the label column's dtype).

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "a", "b", "b", "b"]}, index=list("uvwxyz"))
    >>> P = np.array([[.9, .1], [.8, .2], [.1, .9], [.2, .8], [.3, .7], [.9, .1]])
    >>> out = find_label_issues(df, "y", pred_probs=P)
    >>> out[out.is_label_issue].index.tolist(), out.predicted_label.tolist()
    (['w', 'z'], ['a', 'a', 'b', 'b', 'b', 'a'])
    """
    check_choice("filter_by", filter_by, filter.FILTER_BY)
    check_choice("rank_by", rank_by, SCORE_METHODS)
    y, probs = r.labelled_codes, r.labelled_pred_probs
    mask = filter.find_label_issues(
        y,
        probs,
        filter_by=filter_by,
        frac_noise=frac_noise,
        num_to_remove_per_class=counts_per_class(
            r, "num_to_remove_per_class", num_to_remove_per_class
        ),
        min_examples_per_class=min_examples_per_class,
    )
    scores = rank.get_label_quality_scores(y, probs, method=rank_by)
    return pd.DataFrame(
        {
            "is_label_issue": bool_column(r, mask, "is_label_issue"),
            "label_quality": float_column(r, scores, "label_quality"),
            "given_label": r.labels,
            "predicted_label": label_values(r, probs.argmax(axis=1), "predicted_label"),
        }
    )


@takes_table(ensemble=True)
def label_quality(
    r: ResolvedInput,
    *,
    method: ScoreMethod = "self_confidence",
    adjust_pred_probs: bool = False,
    weight_ensemble_members_by: Weighting = "accuracy",
) -> pd.Series:
    """Label quality score of every row, in [0, 1] (low = likely mislabeled).

    Parameters
    ----------
    df, label, pred_probs, features, model, cv, random_state, progress
        As in :func:`find_label_issues`. ``pred_probs`` may also be a list of pred_probs (one
        per model): the score is then the ensemble score
        (:func:`pdclean.rank.get_label_quality_ensemble_scores`).
    method : {"self_confidence", "normalized_margin", "confidence_weighted_entropy"}
    adjust_pred_probs : bool, default False
        Subtract each class's confident threshold from pred_probs first.
    weight_ensemble_members_by : {"accuracy", "uniform", "log_loss_search"}
        How ensemble members are weighted (only with a list of pred_probs).

    Returns
    -------
    Series named ``label_quality``, index ``df.index``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [0, 0, 1, 1]})
    >>> P = np.array([[.9, .1], [.4, .6], [.2, .8], [.7, .3]])
    >>> label_quality(df, "y", pred_probs=P).round(2).tolist()
    [0.9, 0.4, 0.8, 0.3]
    """
    check_choice("method", method, SCORE_METHODS)
    y = r.labelled_codes
    if r.pred_probs_list is not None:
        scores = rank.get_label_quality_ensemble_scores(
            y,
            [r.labelled(p) for p in r.pred_probs_list],
            method=method,
            adjust_pred_probs=adjust_pred_probs,
            weight_ensemble_members_by=weight_ensemble_members_by,
        )
    else:
        scores = rank.get_label_quality_scores(
            y, r.labelled_pred_probs, method=method, adjust_pred_probs=adjust_pred_probs
        )
    return float_column(r, scores, "label_quality")


@takes_table()
def annotate(
    r: ResolvedInput,
    *,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: Sequence[int] | Mapping[Any, int] | None = None,
    min_examples_per_class: int = 1,
    rank_by: ScoreMethod = "self_confidence",
) -> pd.DataFrame:
    """A new frame: ``df`` with ``is_label_issue``, ``label_quality``, ``predicted_label`` added.

    Takes the keyword arguments of :func:`find_label_issues`. Existing columns of these
    names are replaced in the new frame (``df`` itself is not modified).

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "b", "b"], "x": [1, 2, 3, 4]})
    >>> P = np.array([[.9, .1], [.2, .8], [.1, .9], [.3, .7]])
    >>> annotate(df, "y", pred_probs=P).columns.tolist()
    ['y', 'x', 'is_label_issue', 'label_quality', 'predicted_label']
    """
    issues = find_label_issues.implementation(
        r,
        filter_by=filter_by,
        frac_noise=frac_noise,
        num_to_remove_per_class=num_to_remove_per_class,
        min_examples_per_class=min_examples_per_class,
        rank_by=rank_by,
    )
    return r.frame.assign(
        is_label_issue=issues["is_label_issue"],
        label_quality=issues["label_quality"],
        predicted_label=issues["predicted_label"],
    )


@takes_table()
def drop_label_issues(
    r: ResolvedInput,
    *,
    filter_by: FilterBy = "prune_by_noise_rate",
    frac_noise: float = 1.0,
    num_to_remove_per_class: Sequence[int] | Mapping[Any, int] | None = None,
    min_examples_per_class: int = 1,
) -> pd.DataFrame:
    """A new frame without the rows flagged as label issues (rows without a label stay).

    Takes the keyword arguments of :func:`find_label_issues` that choose the flagged rows.

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "b", "b"], "x": [1, 2, 3, 4]})
    >>> P = np.array([[.9, .1], [.2, .8], [.1, .9], [.3, .7]])
    >>> drop_label_issues(df, "y", pred_probs=P).x.tolist()
    [1, 3, 4]
    """
    flagged = find_label_issues.implementation(
        r,
        filter_by=filter_by,
        frac_noise=frac_noise,
        num_to_remove_per_class=num_to_remove_per_class,
        min_examples_per_class=min_examples_per_class,
    )["is_label_issue"]
    keep = ~flagged.to_numpy(dtype=bool, na_value=False)
    return r.frame.loc[keep]


def pred_probs(
    df: pd.DataFrame,
    label: Any,
    *,
    features: Sequence[Any] | None = None,
    model: Any = None,
    cv: int = 5,
    random_state: Any = None,
    progress: bool = True,
) -> pd.DataFrame:
    """Out-of-sample predicted probabilities by ``cv``-fold cross-validation.

    Rows with a missing label are not used and get NaN.

    Parameters
    ----------
    df, label, features, model, cv, random_state, progress
        As in :func:`find_label_issues`.

    Returns
    -------
    DataFrame, index ``df.index``, one float64 column per class (in class order).

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> df = pd.DataFrame({"x": [0.0, 0.1, 0.2, 1.0, 1.1, 1.2], "y": list("aaabbb")})
    >>> P = pred_probs(df, "y", model=LogisticRegression(), cv=3, random_state=0, progress=False)
    >>> P.columns.tolist(), P.idxmax(axis=1).tolist()
    (['a', 'b'], ['a', 'a', 'a', 'b', 'b', 'b'])
    """
    r = resolve(
        df, label, features=features, model=model, cv=cv, random_state=random_state,
        progress=progress,
    )  # fmt: skip
    probs = r.labelled_pred_probs
    values = probs if r.all_labelled else scatter_rows(r, probs, np.nan)
    return pd.DataFrame(values, index=r.index, columns=r.class_names.rename(label), copy=False)
