"""Multi-label tables: a column of tag lists (sets, tuples), or one boolean column per tag.

The frame functions send such a label here (:func:`is_multilabel` decides, once, in
:mod:`pdclean.frame.signature`); the sibling implementations below take a checked
:class:`MultiLabelInput` and call the multi-label engine (:mod:`pdclean.core.multilabel`).

What differs from ``pdclean.multilabel_classification`` (cleanlab's numpy face), on purpose:

* tags are any hashable values (strings...), rows are the caller's, and results are frames;
* a tag that every labelled row carries (or none does) has no second class to confuse it
  with: it takes no part in estimation and its per-tag results are "no issue" (cleanlab
  raises on such data);
* rows whose label is missing (``None``/``NaN`` instead of a list, or ``<NA>`` in a tag
  column) stay in every result with ``<NA>``; an empty list is a row with no tag.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pdclean.core.multilabel import (
    aggregated_scores,
    class_issue_masks,
    class_quality_table,
    common_issues_table,
)
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.frame.pred_probs import align_rows
from pdclean.frame.resolve_checks import check_frame, column_not_found, has_column
from pdclean.learning.cv import cross_val_pred_probs, default_model

__all__ = ["SIBLINGS", "MultiLabelInput", "is_multilabel", "resolve_multilabel"]

LIST_LIKE = (list, tuple, set, frozenset, np.ndarray)


@dataclass(frozen=True)
class MultiLabelInput:
    """A checked multi-label table: tags, the (n, K) indicator, pred_probs of labelled rows."""

    label: Any
    index: pd.Index
    tags: pd.Index
    y: np.ndarray
    has_label: np.ndarray
    pred_probs: np.ndarray
    frame: pd.DataFrame

    @property
    def varying(self) -> np.ndarray:
        """Tags some labelled rows carry and some do not (the ones that can be estimated)."""
        carried = self.y[self.has_label]
        return carried.any(axis=0) & ~carried.all(axis=0)

    def tag_lists(self, indicator: np.ndarray) -> list:
        """Per row, the list of tags of ``indicator`` (None for rows without a label)."""
        names = self.tags.to_numpy()
        out: list = [None] * indicator.shape[0]
        for i in np.flatnonzero(self.has_label):
            out[i] = names[indicator[i]].tolist()
        return out


def is_multilabel(df: Any, label: Any) -> bool:
    """A list of tag columns, or a column whose values are lists (sets, tuples) of tags."""
    if isinstance(label, list):
        return True
    if not isinstance(df, pd.DataFrame) or not has_column(df, label):
        return False
    column = df[label]
    if isinstance(column, pd.DataFrame) or column.dtype != object:
        return False
    first = column.dropna().head(1)
    return len(first) > 0 and isinstance(first.iloc[0], LIST_LIKE)


def resolve_multilabel(
    df: pd.DataFrame, label: Any, *, pred_probs: Any = None, features: Any = None,
    model: Any = None, cv: int = 5, random_state: Any = None, progress: bool = True,
) -> MultiLabelInput:  # fmt: skip
    """Check and encode a multi-label table (see the module docstring)."""
    check_frame(df)
    y, has, tags = (
        _from_tag_columns(df, label) if isinstance(label, list) else _from_lists(df, label)
    )
    if not has.any():
        raise InputError(f"label {label!r} has no labelled row; fill in the tags.")
    if pred_probs is not None:
        if features is not None or model is not None:
            raise InputError("Pass either pred_probs or features/model, not both.")
        probs = _given_pred_probs(df, pred_probs, tags)[has]
    else:
        names = _features(df, label, features)
        probs = _cross_validated(df.loc[has], names, y[has], model, cv, random_state, progress)
    return MultiLabelInput(label, df.index, tags, y, has, probs, df)


def _from_lists(df: pd.DataFrame, label: Hashable) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    column = df[label]
    has = column.map(lambda v: isinstance(v, LIST_LIKE)).to_numpy(dtype=bool)
    bad = ~has & column.notna().to_numpy()
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputTypeError(
            f"label column {label!r} mixes tag lists with other values: the row "
            f"{df.index[row]!r} holds {column.iloc[row]!r}. Give every row a list of tags "
            "(an empty list for none), or a missing value."
        )
    rows = [list(v) for v in column[has]]
    try:
        tags = pd.Index(sorted({t for tags in rows for t in tags}))
    except TypeError as exc:
        raise InputTypeError(
            f"the tags of {label!r} cannot be sorted ({exc}); use one type."
        ) from None
    y = np.zeros((len(df), len(tags)), dtype=bool)
    positions = np.flatnonzero(has)
    for row, tags_of_row in zip(positions, rows):
        y[row, tags.get_indexer(tags_of_row)] = True
    return y, has, tags


def _from_tag_columns(df: pd.DataFrame, label: list) -> tuple[np.ndarray, np.ndarray, pd.Index]:
    if len(label) < 2:
        raise InputError(f"label names {len(label)} tag column(s); a multi-label table needs 2+.")
    for name in label:
        if not has_column(df, name):
            raise column_not_found("tag column", name, df.columns)
    block = df.loc[:, label]
    missing = block.isna().to_numpy()
    values = block.astype("float64").fillna(0).to_numpy()
    if not np.isin(values, (0.0, 1.0)).all():
        raise InputTypeError(f"tag columns {label!r} must be boolean (or 0/1), one per tag.")
    return values.astype(bool), ~missing.any(axis=1), pd.Index(label)


def _given_pred_probs(df: pd.DataFrame, pred_probs: Any, tags: pd.Index) -> np.ndarray:
    if isinstance(pred_probs, pd.DataFrame):
        missing = tags[~tags.isin(pred_probs.columns)].tolist()
        if missing:
            raise InputError(f"pred_probs has no column for the tags {missing!r}; one per tag.")
        rows = align_rows(df.index, pred_probs.index, "pred_probs")
        values = pred_probs.loc[:, list(tags)].to_numpy(dtype=np.float64)
        probs = values if rows is None else values[rows]
    else:
        probs = np.asarray(pred_probs, dtype=np.float64)
    if probs.shape != (len(df), len(tags)):
        raise InputError(
            f"pred_probs must have shape (n_rows, n_tags) = {(len(df), len(tags))} (tags in "
            f"order {tags[:10].tolist()!r}); got {probs.shape}."
        )
    if not np.isfinite(probs).all() or probs.min() < 0 or probs.max() > 1:
        raise InputError("pred_probs of a multi-label table must be probabilities in [0, 1].")
    return probs


def _features(df: pd.DataFrame, label: Any, features: Any) -> list:
    excluded = label if isinstance(label, list) else [label]
    if features is None:
        return [c for c in df.columns if c not in excluded]
    for name in features:
        if not has_column(df, name):
            raise column_not_found("feature column", name, df.columns)
    return list(features)


def _cross_validated(rows, names, y, model, cv, random_state, progress) -> np.ndarray:
    """One-vs-rest out-of-sample probabilities, one cross-validation per tag."""
    from sklearn.base import clone  # scikit-learn is imported on first use, not with pdclean

    model = default_model(random_state, n_rows=len(rows)) if model is None else model
    takes_nan, native = model_capabilities(model)
    X = feature_matrix(rows, names, takes_nan=takes_nan, native_categorical=native)
    probs = y.astype(np.float64)  # a tag every row carries (or none): its own constant
    for k in np.flatnonzero(y.any(axis=0) & ~y.all(axis=0)):
        binary = cross_val_pred_probs(
            X, y[:, k].astype(np.int64), clf=clone(model), cv_n_folds=cv, seed=random_state,
            progress=progress,
        )  # fmt: skip
        probs[:, k] = binary[:, 1]
    return probs


# ------------------------------------------------------------------------------ the results


def _scored(m: MultiLabelInput, rank_by: str) -> tuple[np.ndarray, np.ndarray]:
    """(per-tag issue masks (labelled rows x K), row quality) on the tags that vary."""
    y, probs, varying = m.y[m.has_label], m.pred_probs, m.varying
    masks = np.zeros(y.shape, dtype=bool)
    quality = np.ones(y.shape[0])
    if varying.sum() >= 1:
        sub_y, sub_p = y[:, varying], probs[:, varying]
        masks[:, varying] = class_issue_masks(sub_y, sub_p)
        if varying.sum() >= 2:
            quality = aggregated_scores(sub_y, sub_p, rank_by)
        else:  # one tag to judge: its own score
            own = np.where(sub_y[:, 0], sub_p[:, 0], 1 - sub_p[:, 0])
            quality = (
                own
                if rank_by == "self_confidence"
                else aggregated_scores(
                    np.column_stack([sub_y, ~sub_y]), np.column_stack([sub_p, 1 - sub_p]), rank_by
                )
            )
    return masks, quality


def _column(m: MultiLabelInput, values: np.ndarray, name: str) -> pd.Series:
    if m.has_label.all():
        return pd.Series(values, index=m.index, name=name)
    full = np.zeros(m.has_label.size, dtype=values.dtype)
    full[m.has_label] = values
    array = (pd.arrays.BooleanArray if values.dtype == bool else pd.arrays.FloatingArray)(
        full, ~m.has_label
    )
    return pd.Series(array, index=m.index, name=name)


def find_label_issues(m: MultiLabelInput, *, rank_by: str = "self_confidence", **_: Any):
    """Multi-label rows whose tags are likely wrong: ``is_label_issue``, ``label_quality``,
    ``given_label`` and ``predicted_label`` (lists of tags; predicted = probability >= 0.5)."""
    masks, quality = _scored(m, rank_by)
    predicted = np.zeros_like(m.y)
    predicted[m.has_label] = m.pred_probs >= 0.5
    return pd.DataFrame(
        {
            "is_label_issue": _column(m, masks.any(axis=1), "is_label_issue"),
            "label_quality": _column(m, quality, "label_quality"),
            "given_label": pd.Series(m.tag_lists(m.y), index=m.index, dtype=object),
            "predicted_label": pd.Series(m.tag_lists(predicted), index=m.index, dtype=object),
        }
    )


def label_quality(m: MultiLabelInput, *, method: str = "self_confidence", **_: Any) -> pd.Series:
    """Per-row label quality of a multi-label table (EMA of the per-tag scores, worst first)."""
    return _column(m, _scored(m, method)[1], "label_quality")


def annotate(m: MultiLabelInput, **options: Any) -> pd.DataFrame:
    """The frame with ``is_label_issue``, ``label_quality`` and ``predicted_label`` added."""
    issues = find_label_issues(m, **options)
    return m.frame.assign(
        is_label_issue=issues["is_label_issue"],
        label_quality=issues["label_quality"],
        predicted_label=issues["predicted_label"],
    )


def drop_label_issues(m: MultiLabelInput, **options: Any) -> pd.DataFrame:
    """The frame without its flagged rows (rows without a label stay)."""
    flagged = find_label_issues(m, **options)["is_label_issue"]
    return m.frame.loc[~flagged.to_numpy(dtype=bool, na_value=False)]


def health(m: MultiLabelInput, **_: Any) -> float:
    """The fraction of labelled rows without a label issue."""
    masks, _ = _scored(m, "self_confidence")
    return float(1 - masks.any(axis=1).mean())


def class_health(m: MultiLabelInput, **_: Any) -> pd.DataFrame:
    """Per tag: rows that should probably lose it / gain it, noise and quality, worst first."""
    masks, _ = _scored(m, "self_confidence")
    y = m.y[m.has_label]
    table = class_quality_table(common_issues_table(masks, y), y.shape[0])
    index = m.tags.take(np.asarray(table.pop("class_index"))).rename("tag")
    return pd.DataFrame(table, index=index)


#: frame function name -> its multi-label sibling
SIBLINGS = {
    "find_label_issues": find_label_issues,
    "label_quality": label_quality,
    "annotate": annotate,
    "drop_label_issues": drop_label_issues,
    "health": health,
    "class_health": class_health,
}
