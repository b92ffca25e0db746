"""Crowd-labelled tables: one label column per annotator, most cells empty.

:func:`consensus` gives each row a consensus label, how sure it is, how much the annotators
agreed and how many labelled it (CROWDLAB, :mod:`pdclean.multiannotator`); :func:`annotator_stats`
rates each annotator; :func:`next_to_label` says which rows to send for another label
(ActiveLab); :func:`pivot_annotations` turns a long (item, annotator, label) table into the wide
form the others take.

What the frame face does that ``pdclean.multiannotator`` (cleanlab's numpy face) does not:

* labels of any hashable type (strings, categories); results in the labels' own dtype;
* an annotator column with no label at all is left out, with a warning naming it (cleanlab
  raises);
* a row that no annotator labelled stays, with ``<NA>`` consensus (cleanlab raises); its
  ActiveLab score comes from the model alone, as for unlabelled rows;
* pred_probs are given (an array or a frame named by class), or computed by cross-validation of
  ``model`` on the majority-vote labels of ``features`` (the CROWDLAB paper's recipe).
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pdclean import multiannotator
from pdclean.errors import InputError
from pdclean.frame.features import feature_matrix, model_capabilities
from pdclean.frame.pred_probs import resolve_pred_probs
from pdclean.frame.resolve_checks import check_frame, column_not_found, has_column, plain_index
from pdclean.frame.signature import INPUT_KEYWORDS, check_keywords, public_signature
from pdclean.learning.cv import cross_val_pred_probs, default_model

__all__ = ["annotator_stats", "consensus", "next_to_label", "pivot_annotations"]


@dataclass(frozen=True)
class Annotations:
    """Checked annotator columns: codes (NaN where empty), classes, labelled rows, pred_probs."""

    codes: pd.DataFrame
    classes: Any
    labelled: np.ndarray
    pred_probs: np.ndarray
    dtype: Any
    index: pd.Index
    random_state: Any = None


def _encode(df: pd.DataFrame, columns: Sequence[Hashable]) -> tuple[pd.DataFrame, Any, Any]:
    block = df.loc[:, list(columns)]
    empty = [c for c in columns if block[c].isna().all()]
    if empty:
        warnings.warn(
            f"annotator column(s) {empty!r} hold no label and are left out of the consensus.",
            UserWarning,
            stacklevel=4,
        )
        block = block.drop(columns=empty)
    if block.shape[1] == 0:
        raise InputError(f"no annotator column {list(columns)!r} holds a label.")
    stacked = block.stack(future_stack=True).dropna()
    dtype = (
        stacked.dtype
        if not isinstance(block.dtypes.iloc[0], pd.CategoricalDtype)
        else (block.dtypes.iloc[0])
    )
    classes = pd.Index(sorted(pd.unique(stacked.to_numpy(dtype=object)), key=_sort_key))
    codes = block.apply(lambda c: pd.Series(classes.get_indexer(c), index=c.index).where(c.notna()))
    return codes.astype("float64"), classes, dtype


def _sort_key(value: Any) -> Any:
    return (str(type(value)), value)


def _annotations(df, annotators, pred_probs, features, model, cv, random_state, progress):
    check_frame(df)
    if isinstance(annotators, (str, bytes)) or not isinstance(annotators, (list, tuple, pd.Index)):
        raise InputError(f"annotators must be a list of column names; got {annotators!r}.")
    for name in annotators:
        if not has_column(df, name):
            raise column_not_found("annotator column", name, df.columns)
    codes, classes, dtype = _encode(df, annotators)
    labelled = codes.notna().any(axis=1).to_numpy()
    if pred_probs is not None:
        probs, _, _ = resolve_pred_probs(df, pred_probs, classes, labelled, False)
    else:
        probs = _cross_validated(
            df, codes, labelled, list(annotators), features, model, cv, random_state, progress
        )
    return Annotations(codes, classes, labelled, probs, dtype, df.index, random_state)


def _cross_validated(df, codes, labelled, annotators, features, model, cv, seed, progress):
    """Out-of-fold pred_probs of the labelled rows on their majority-vote labels; rows no one
    labelled get the predictions of a model fitted on every labelled row."""
    from sklearn.base import clone  # scikit-learn is imported on first use, not with pdclean

    votes = multiannotator.get_majority_vote_label(codes[labelled], verbose=False, random_state=0)
    names = [c for c in df.columns if c not in annotators] if features is None else list(features)
    if not names:
        raise InputError("no feature column to learn from; pass pred_probs or features.")
    model = default_model(seed, n_rows=int(labelled.sum())) if model is None else model
    takes_nan, native = model_capabilities(model)
    X = feature_matrix(df, names, takes_nan=takes_nan, native_categorical=native)
    present = np.unique(votes)
    compact = np.searchsorted(present, votes)
    probs = np.zeros((len(df), codes.shape[1] and int(np.nanmax(codes.to_numpy())) + 1))
    train = _rows(X, labelled)
    probs[np.ix_(labelled, present)] = cross_val_pred_probs(
        train, compact, clf=model, cv_n_folds=cv, seed=seed, progress=progress
    )
    if not labelled.all():
        fitted = clone(model).fit(train, compact)
        probs[np.ix_(~labelled, present)] = fitted.predict_proba(_rows(X, ~labelled))
    return probs


def _rows(X: Any, mask: np.ndarray) -> Any:
    return X.loc[mask] if isinstance(X, pd.DataFrame) else X[mask]


def _values(a: Annotations, codes: np.ndarray, index: pd.Index | None = None) -> pd.Series:
    """Class values of ``codes`` (-1: missing) in the labels' own dtype."""
    values = plain_index(a.classes).take(np.where(codes >= 0, codes, 0)).to_numpy(dtype=object)
    values[codes < 0] = None
    return pd.Series(values, index=a.index if index is None else index).astype(a.dtype)


def _checked(
    df, annotators, *, pred_probs=None, features=None, model=None, cv=5, random_state=None,
    progress=True,
):  # fmt: skip
    a = _annotations(df, annotators, pred_probs, features, model, cv, random_state, progress)
    if a.pred_probs.shape[1] != len(a.classes):
        raise InputError(
            f"pred_probs must have one column per class ({len(a.classes)}: "
            f"{list(a.classes)[:10]!r}); got {a.pred_probs.shape[1]}."
        )
    return a


#: The input keywords of the annotator functions (those of the frame functions, but task).
CROWD_KEYWORDS = tuple((name, d) for name, d in INPUT_KEYWORDS if name != "task")


def takes_annotations(impl: Callable[..., Any]) -> Callable[..., Any]:
    """Decorate ``impl(annotations, *, options)`` into
    ``public(df, annotators, *, pred_probs, features, model, cv, random_state, progress, options)``
    (the input keywords written once, as :func:`pdclean.frame.signature.takes_table` does)."""
    signature = public_signature(impl, ("df", "annotators"), CROWD_KEYWORDS)
    valid = [p for p in signature.parameters if p not in ("df", "annotators")]
    shared = {name for name, _ in CROWD_KEYWORDS}

    @functools.wraps(impl)
    def public(df: Any, annotators: Any, *extra: Any, **kwargs: Any) -> Any:
        check_keywords(impl.__name__, kwargs, valid, extra)
        inputs = {k: kwargs.pop(k) for k in list(kwargs) if k in shared}
        return impl(_checked(df, annotators, **inputs), **kwargs)

    public.__signature__ = signature  # type: ignore[attr-defined]
    del public.__wrapped__  # type: ignore[attr-defined]
    return public


@takes_annotations
def consensus(a: Annotations, *, quality_method: str = "crowdlab") -> pd.DataFrame:
    """Consensus label of every row from several annotators, and how sure it is (CROWDLAB).

    Parameters
    ----------
    df : DataFrame
        One row per item; not modified.
    annotators : list of column names
        One column per annotator, holding that annotator's labels (missing where they gave
        none). Labels may be strings, ints, categories.
    pred_probs, features, model, cv, random_state, progress
        As in :func:`pdclean.find_label_issues`; without pred_probs the model is
        cross-validated on the majority-vote labels of the rows.
    quality_method : {"crowdlab", "agreement"}
        How consensus quality is scored (as in
        :func:`pdclean.multiannotator.get_label_quality_multiannotator`).

    Returns
    -------
    DataFrame on ``df.index``: ``consensus_label`` (the labels' dtype), ``consensus_quality``
    (in [0, 1], low = unsure), ``annotator_agreement``, ``num_annotations``. Rows nobody
    labelled have ``<NA>`` (and 0 annotations).

    Examples
    --------
    >>> df = pd.DataFrame({"ann1": ["cat", "dog", "dog", None],
    ...                    "ann2": ["cat", "cat", "dog", "cat"]}, index=list("wxyz"))
    >>> P = np.array([[.8, .2], [.3, .7], [.1, .9], [.6, .4]])
    >>> consensus(df, ["ann1", "ann2"], pred_probs=P)["consensus_label"].tolist()
    ['cat', 'dog', 'dog', 'cat']
    """
    quality = multiannotator.get_label_quality_multiannotator(
        a.codes[a.labelled], a.pred_probs[a.labelled], quality_method=quality_method,
        return_detailed_quality=False, return_annotator_stats=False, verbose=False,
        random_state=a.random_state,
    )["label_quality"]  # fmt: skip
    codes = np.full(len(a.index), -1)
    codes[a.labelled] = quality["consensus_label"].to_numpy()
    return pd.DataFrame(
        {
            "consensus_label": _values(a, codes),
            "consensus_quality": _on_rows(a, quality["consensus_quality_score"]),
            "annotator_agreement": _on_rows(a, quality["annotator_agreement"]),
            "num_annotations": a.codes.notna().sum(axis=1).to_numpy(),
        },
        index=a.index,
    )


def _on_rows(a: Annotations, values: pd.Series) -> pd.arrays.FloatingArray:
    full = np.zeros(len(a.index))
    full[a.labelled] = values.to_numpy(dtype=np.float64)
    return pd.arrays.FloatingArray(full, ~a.labelled)


@takes_annotations
def annotator_stats(a: Annotations) -> pd.DataFrame:
    """One row per annotator: quality, agreement with the consensus, number of labels, and the
    class they label worst, worst annotator first (arguments as in :func:`consensus`).

    Examples
    --------
    >>> df = pd.DataFrame({"ann1": ["cat", "dog", "dog", None],
    ...                    "ann2": ["cat", "cat", "dog", "cat"]})
    >>> P = np.array([[.8, .2], [.3, .7], [.1, .9], [.6, .4]])
    >>> annotator_stats(df, ["ann1", "ann2"], pred_probs=P).index.tolist()
    ['ann2', 'ann1']
    """
    table = multiannotator.get_label_quality_multiannotator(
        a.codes[a.labelled], a.pred_probs[a.labelled], return_detailed_quality=False,
        verbose=False, random_state=a.random_state,
    )["annotator_stats"]  # fmt: skip
    worst = table["worst_class"].to_numpy(dtype=np.int64)
    table["worst_class"] = _values(a, worst, table.index).to_numpy()
    return table.rename_axis("annotator")


@takes_annotations
def next_to_label(a: Annotations) -> pd.Series:
    """ActiveLab score of every row: the lowest are the rows to label next (another label
    helps them most); rows nobody labelled are scored from the model alone.

    Examples
    --------
    >>> df = pd.DataFrame({"ann1": ["cat", "dog", "dog", None],
    ...                    "ann2": ["cat", "cat", "dog", None]})
    >>> P = np.array([[.8, .2], [.3, .7], [.1, .9], [.6, .4]])
    >>> next_to_label(df, ["ann1", "ann2"], pred_probs=P).idxmin()
    3
    """
    unlabelled = a.pred_probs[~a.labelled] if not a.labelled.all() else None
    scores, scores_unlabelled = multiannotator.get_active_learning_scores(
        a.codes[a.labelled], a.pred_probs[a.labelled], unlabelled, random_state=a.random_state
    )
    out = np.empty(len(a.index))
    out[a.labelled] = scores
    if unlabelled is not None:
        out[~a.labelled] = scores_unlabelled
    return pd.Series(out, index=a.index, name="active_learning_score")


def pivot_annotations(
    long: pd.DataFrame, *, item: Hashable = "item", annotator: Hashable = "annotator",
    label: Hashable = "label",
) -> pd.DataFrame:  # fmt: skip
    """A long table of (item, annotator, label) rows as one row per item and one column per
    annotator (missing where that annotator gave no label).

    Examples
    --------
    >>> long = pd.DataFrame({"item": [1, 1, 2], "annotator": ["a", "b", "a"],
    ...                      "label": ["cat", "dog", "dog"]})
    >>> pivot_annotations(long).to_dict("index")
    {1: {'a': 'cat', 'b': 'dog'}, 2: {'a': 'dog', 'b': nan}}
    """
    for name in (item, annotator, label):
        if not has_column(long, name):
            raise column_not_found("column", name, long.columns)
    repeated = long.duplicated([item, annotator])
    if repeated.any():
        row = long.loc[repeated, [item, annotator]].astype(object).iloc[0]
        first = (row[item].item() if hasattr(row[item], "item") else row[item], row[annotator])
        raise InputError(
            f"the pair (item, annotator) = ({first[0]!r}, {first[1]!r}) has several labels; "
            "keep one per pair."
        )
    wide = long.pivot(index=item, columns=annotator, values=label)
    wide.columns.name = None
    return wide
