"""A new batch of rows checked against a reference table (rows already audited or trained on).

:func:`compare_to_reference` answers three questions about each new row, on the new frame's
index: is it unlike the reference (out of distribution: :class:`pdclean.outlier.OutOfDistribution`
fitted on the reference's features), is it a near copy of a reference row (leakage between
train and test), and, with a label and a model (fitted on the reference) or pred_probs, is its
label likely wrong (the frame's :func:`~pdclean.frame.issues.find_label_issues` on the new rows).

Thresholds come from the reference itself: a new row is an outlier when its score is below the
reference rows' own ``outlier_quantile`` (1%) score, and a near duplicate when it lies closer to
a reference row than ``near_duplicate_factor`` (0.13, Datalab's) times the reference's median
nearest-neighbour distance.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError
from pdclean.frame.features import feature_matrix
from pdclean.frame.issues import find_label_issues
from pdclean.frame.resolve_checks import check_frame, column_not_found, has_column

__all__ = ["compare_to_reference"]


def _features(new: pd.DataFrame, reference: pd.DataFrame, label: Any, features: Any) -> list:
    if features is None:
        features = [c for c in reference.columns if c != label and c in new.columns]
    for frame, what in ((new, "the new frame"), (reference, "reference")):
        for name in features:
            if not has_column(frame, name):
                raise column_not_found(f"feature column (of {what})", name, frame.columns)
    if not features:
        raise InputError("the new frame and the reference share no feature column.")
    return list(features)


def _matrices(new, reference, names) -> tuple[np.ndarray, np.ndarray]:
    """Both frames encoded together (the same one-hot levels), finite."""
    both = pd.concat([reference[names], new[names]], ignore_index=True)
    X = feature_matrix(both, names)
    if not np.isfinite(X).all():
        raise InputError("features hold infinite values; replace them before comparing.")
    return X[len(reference) :], X[: len(reference)]


def compare_to_reference(
    df: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    features: Sequence[Hashable] | None = None,
    label: Hashable | None = None,
    model: Any = None,
    pred_probs: Any = None,
    k: int = 10,
    outlier_quantile: float = 0.01,
    near_duplicate_factor: float = 0.13,
) -> pd.DataFrame:
    """Check new rows against a reference table: outliers, near copies, label issues.

    Parameters
    ----------
    df : DataFrame
        The new rows; not modified.
    reference : DataFrame
        The rows already audited or trained on (not modified).
    features : list of column names, optional
        Columns compared (default: the reference's columns that ``df`` has, but the label).
        Missing values are imputed; strings and categories one-hot encoded on both frames.
    label : hashable, optional
        The label column (in both frames) for the label check.
    model : scikit-learn classifier, optional
        Fitted on the reference rows to give the new rows' pred_probs (label check).
    pred_probs : array or DataFrame, optional
        The new rows' out-of-sample pred_probs, instead of ``model``.
    k : int, default 10
        Neighbours of the outlier score.
    outlier_quantile, near_duplicate_factor : float
        The thresholds (see the module docstring).

    Returns
    -------
    DataFrame on ``df.index``: ``is_outlier_issue``, ``outlier_score`` (in [0, 1], low = unlike
    the reference), ``is_near_duplicate_issue``, ``nearest_reference_row`` (the reference's
    index label), ``distance_to_reference``; with a label also ``is_label_issue``,
    ``label_quality``, ``given_label``, ``predicted_label``.

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> ref = pd.DataFrame(rng.normal(size=(200, 2)), columns=["a", "b"])
    >>> new = pd.DataFrame({"a": [0.1, 9.0, ref.a[3]], "b": [0.0, 9.0, ref.b[3]]},
    ...                    index=list("xyz"))
    >>> out = compare_to_reference(new, ref)
    >>> out["is_outlier_issue"].tolist(), out["is_near_duplicate_issue"].tolist()
    ([False, True, False], [False, False, True])
    >>> int(out.loc["z", "nearest_reference_row"])
    3
    """
    from pdclean.outlier import OutOfDistribution  # scikit-learn: loaded on use

    check_frame(df)
    check_frame(reference)
    names = _features(df, reference, label, features)
    X_new, X_ref = _matrices(df, reference, names)
    ood = OutOfDistribution(params={"k": min(k, len(reference) - 1)})
    reference_scores = ood.fit_score(features=X_ref, verbose=False)
    scores = ood.score(features=X_new)
    cut = np.quantile(reference_scores, outlier_quantile)
    nearest, distance, typical = _nearest(X_new, X_ref)
    out = pd.DataFrame(
        {
            "is_outlier_issue": scores < cut,
            "outlier_score": scores,
            "is_near_duplicate_issue": distance < near_duplicate_factor * typical,
            "nearest_reference_row": reference.index.take(nearest),
            "distance_to_reference": distance,
        },
        index=df.index,
    )
    if label is not None:
        out = out.join(_label_check(df, reference, label, names, model, pred_probs))
    return out


def _nearest(X_new: np.ndarray, X_ref: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Nearest reference row of each new row, its distance, and the reference's typical
    nearest-neighbour distance (median over the reference rows, self excluded)."""
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=2).fit(X_ref)
    distance, index = nn.kneighbors(X_new, n_neighbors=1)
    own = nn.kneighbors(X_ref, n_neighbors=2, return_distance=True)[0][:, 1]
    return index[:, 0], distance[:, 0], float(np.median(own))


def _label_check(df, reference, label, names, model, pred_probs) -> pd.DataFrame:
    for frame, what in ((df, "the new frame"), (reference, "reference")):
        if not has_column(frame, label):
            raise column_not_found(f"label column (of {what})", label, frame.columns)
    if pred_probs is None:
        if model is None:
            raise InputError(
                "the label check needs model= (fitted on the reference) or pred_probs=."
            )
        from sklearn.base import clone

        labelled = reference[label].notna().to_numpy()
        X_ref = feature_matrix(reference.loc[labelled], names)
        fitted = clone(model).fit(X_ref, reference.loc[labelled, label].to_numpy())
        probs = fitted.predict_proba(feature_matrix(df, names))
        pred_probs = pd.DataFrame(probs, index=df.index, columns=fitted.classes_)
    return find_label_issues(df, label, pred_probs=pred_probs)
