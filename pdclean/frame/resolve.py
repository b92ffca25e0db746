"""The input resolver: (DataFrame, label column, pred_probs | features + model) -> one object.

Every face (the ``.clean`` accessor and the frame functions, the audit, noise injection, the
command line) turns its inputs into a :class:`ResolvedInput` here, by the same code, so the
same frame is accepted (or refused, with the same message) everywhere:

* ``codes``: the label column encoded as int64 class indices 0..K-1, -1 where it is missing;
* ``classes``: the class values in class order, in the label column's dtype. A categorical
  column gives its categories (unused ones included); any other column gives its sorted
  unique non-missing values;
* ``pred_probs``: a float64 C-contiguous (n, K) array whose columns follow ``classes``
  (:mod:`pdclean.frame.pred_probs`), or None when they are to be computed;
* ``features``: the names of the feature columns (default: every column except the label and
  the pred_probs columns);
* :attr:`ResolvedInput.labelled_pred_probs`: the pred_probs of the labelled rows, given or
  computed once by cross-validation (:mod:`pdclean.frame.crossval`) with the model, folds,
  seed and progress setting the caller gave.

Nothing here modifies the caller's frame, and nothing is half-done: every check runs before
any result is built.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError
from pdclean.frame.crossval import cross_validated_pred_probs
from pdclean.frame.pred_probs import resolve_pred_probs
from pdclean.frame.resolve_checks import (
    check_cv,
    check_frame,
    check_label_content,
    check_model,
    encode_labels,
    get_label_column,
    plain_index,
    resolve_features,
)

__all__ = ["ResolvedInput", "resolve"]


@dataclass(frozen=True)
class ResolvedInput:
    """Checked, encoded inputs of one DataFrame-level call (see the module docstring)."""

    label: Hashable
    index: pd.Index
    labels: pd.Series
    codes: np.ndarray
    has_label: np.ndarray
    classes: Any
    pred_probs: np.ndarray | None
    pred_probs_list: tuple[np.ndarray, ...] | None
    features: tuple[Hashable, ...]
    frame: pd.DataFrame = field(repr=False)
    default_features: bool = False
    model: Any = None
    cv: int = 5
    random_state: Any = None
    progress: bool = True

    @property
    def n_classes(self) -> int:
        """Number of classes K (unused categories included)."""
        return len(self.classes)

    @property
    def all_labelled(self) -> bool:
        """True when no row has a missing label."""
        return bool(self.has_label.all())

    @property
    def class_names(self) -> pd.Index:
        """The classes as a plain pandas Index (for labelling frames), in class order."""
        return plain_index(self.classes)

    @property
    def labelled_codes(self) -> np.ndarray:
        """Codes of the rows with a label (no copy when every row has one)."""
        return self.codes if self.all_labelled else self.codes[self.has_label]

    def labelled(self, pred_probs: np.ndarray) -> np.ndarray:
        """Rows of an (n, K) array that have a label (no copy when every row has one)."""
        return pred_probs if self.all_labelled else pred_probs[self.has_label]

    @cached_property
    def labelled_pred_probs(self) -> np.ndarray:
        """pred_probs of the labelled rows: as given, or by cross-validation (computed once)."""
        if self.pred_probs is not None:
            return self.labelled(self.pred_probs)
        if self.pred_probs_list is not None:
            raise InputError(
                "A list of pred_probs (one per model) is accepted by label_quality only; "
                "pass one of them here."
            )
        return cross_validated_pred_probs(self)

    def class_values(self, codes: np.ndarray) -> Any:
        """Class values for ``codes`` (-1 gives a missing value), in the label column's dtype."""
        return self.classes.take(codes, allow_fill=True)


def resolve(
    df: Any,
    label: Any,
    *,
    pred_probs: Any = None,
    features: Any = None,
    model: Any = None,
    cv: Any = 5,
    random_state: Any = None,
    progress: bool = True,
    allow_ensemble: bool = False,
) -> ResolvedInput:
    """Validate and encode the inputs of a DataFrame-level call.

    Parameters
    ----------
    df : pandas.DataFrame
        The table, one row per example. Never modified.
    label : hashable
        Name of the label column.
    pred_probs : ndarray, DataFrame, list of column names, or None
        Out-of-sample predicted probabilities: an (n, K) array whose columns follow the class
        order; a DataFrame matched to the classes by column name and to ``df`` by index; or
        the names of K columns of ``df`` (in class order). With ``allow_ensemble``, a list of
        arrays / DataFrames (one per model) is accepted too.
    features : list of column names, or None
        Columns to learn from when pred_probs must be computed (default: every column
        except the label and the pred_probs columns).
    model : scikit-learn classifier or None
        Checked for ``fit`` and ``predict_proba`` when given.
    cv : int
        Number of cross-validation folds; every class present must have at least ``cv`` rows
        when pred_probs are to be computed.
    random_state : int, RandomState or None
        Seed of the cross-validation (and of the default model).
    progress : bool
        Progress bar over the folds (when tqdm is installed).
    allow_ensemble : bool
        Accept a list of pred_probs (one per model).

    Returns
    -------
    ResolvedInput

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["b", "a", None, "b", "a"], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
    >>> r = resolve(df, "y", cv=2)
    >>> r.codes.tolist(), list(r.classes), r.features
    ([1, 0, -1, 1, 0], ['a', 'b'], ('x',))
    """
    check_frame(df)
    column = get_label_column(df, label)
    codes, classes = encode_labels(column, label)
    has_label = codes >= 0
    check_label_content(codes, has_label, classes, label)
    probs, probs_list, prob_columns = resolve_pred_probs(
        df, pred_probs, classes, has_label, allow_ensemble
    )
    computed = probs is None and probs_list is None
    if not computed and (features is not None or model is not None):
        raise InputError(
            "Pass either pred_probs or features/model, not both: pred_probs are used as given, "
            "features and model only serve to compute pred_probs by cross-validation. "
            f"Got pred_probs and features={features!r}, model={model!r}."
        )
    feature_names: tuple[Hashable, ...] = ()
    if computed:
        feature_names = resolve_features(df, label, features, prob_columns)
        check_model(model)
        check_cv(cv, codes[has_label], classes, label)
    return ResolvedInput(
        label=label,
        index=df.index,
        labels=column,
        codes=codes,
        has_label=has_label,
        classes=classes,
        pred_probs=probs,
        pred_probs_list=probs_list,
        features=feature_names,
        frame=df,
        default_features=features is None,
        model=model,
        cv=cv,
        random_state=random_state,
        progress=progress,
    )
