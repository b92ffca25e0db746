"""The DataFrame face of the audit: ``df.clean.audit()`` / ``pdclean.audit(df, ...)``.

One call runs every data check of :mod:`pdclean.checks` on a table and returns an
:class:`~pdclean.frame.audit_result.Audit` on the caller's index. This module only turns the frame
into the arrays the checks take:

* labels and pred_probs through the resolver (:mod:`pdclean.frame.resolve`); without pred_probs
  and with feature columns, pred_probs come from the same cross-validation as the accessor;
* the feature matrix of the kNN-based checks: numbers, booleans, dates as float64 (missing
  values stay NaN, so that those checks are skipped with the reason), strings and categories
  one-hot encoded (:func:`pdclean.frame.features.feature_matrix`);
* the missing-value mask of the null check, from the original feature columns.

Without a label column (or with a label missing in some rows) the label-dependent checks are
skipped, and the reason is recorded in ``Audit.skipped``.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from pdclean.errors import InputError
from pdclean.frame.features import feature_matrix
from pdclean.frame.pred_probs import pred_probs_kind
from pdclean.frame.regression import choose_task, resolve_regression
from pdclean.frame.resolve import ResolvedInput, resolve
from pdclean.frame.resolve_checks import (
    check_frame,
    get_label_column,
    has_column,
    resolve_features,
)

if TYPE_CHECKING:  # pragma: no cover
    from pdclean.frame.audit_result import Audit

__all__ = ["audit"]

logger = logging.getLogger("pdclean.audit")


def audit(
    df: pd.DataFrame,
    label: Hashable | None = None,
    *,
    features: Sequence[Hashable] | None = None,
    pred_probs: Any = None,
    model: Any = None,
    cv: int = 5,
    issue_types: dict[str, dict[str, Any]] | None = None,
    random_state: Any = None,
    progress: bool = False,
    neighbors: Literal["exact", "approximate"] = "exact",
) -> Audit:
    """Find every kind of data issue of a table in one call.

    Parameters
    ----------
    df : DataFrame
        One row per example; not modified.
    label : hashable, optional
        Name of the label column. Without it, the label-dependent checks (label,
        class_imbalance, underperforming_group, conflicting_labels, outlier from pred_probs)
        are skipped and the reason is recorded.
    features : list of column names, optional
        Columns for the feature-based checks and for the model (default: every column except
        the label and pred_probs columns). Strings and categories are one-hot encoded.
    pred_probs : ndarray (n, K), DataFrame, list of column names, or None
        Out-of-sample predicted probabilities (as in :func:`pdclean.find_label_issues`). None
        with a label and feature columns: computed by ``cv``-fold cross-validation.
    model : scikit-learn classifier, optional
        Model of the cross-validation (default: the accessor's default model).
    cv : int, default 5
        Cross-validation folds (only without pred_probs).
    issue_types : dict, optional
        ``{issue_type: {parameter: value}}``: the checks to run and their parameters
        (default: every check, default parameters).
    random_state : int, RandomState or None
        Seed of the cross-validation (and of the default model).
    progress : bool, default False
        Progress bars (tqdm, when installed) over the checks and the folds.
    neighbors : {"exact", "approximate"}, default "exact"
        The neighbour graph of the kNN-based checks (outlier, near_duplicate, non_iid,
        underperforming_group): exact, the same as the reference's; or approximate (an HNSW
        index, ``pip install "pdclean[approximate]"``), for embeddings at millions of rows.

    Returns
    -------
    Audit
        ``.summary``, ``.issues`` (on ``df.index``), ``.get(issue_type)``, ``.report()``,
        ``.skipped`` (checks not run, with the reason).

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=30), "b": rng.normal(size=30)},
    ...                   index=[f"r{i}" for i in range(30)])
    >>> df.loc["r7", "a"] = np.nan
    >>> result = audit(df)
    >>> result.summary["issue_type"].tolist()
    ['null', 'exact_duplicate']
    >>> float(result.issues.loc["r7", "null_score"]), result.issues.index.equals(df.index)
    (0.5, True)
    >>> print(result.skipped["outlier"])  # doctest: +ELLIPSIS
    needs knn or labels+pred_probs; features contain NaN or infinite values in 1 rows ...
    """
    # The checks pull in scikit-learn and scipy: import them when an audit runs, not with pdclean.
    from pdclean.checks.runner import run_audit, run_audit_some_labelled
    from pdclean.frame.audit_result import Audit

    check_frame(df)
    if label is not None and pred_probs is None and _is_regression(df, label):
        return _regression_audit(
            df, label, features, model, cv, random_state, progress, issue_types, neighbors
        )
    if label is None:
        _check_unlabelled(pred_probs, model)
        names = _feature_columns(df, None, features, ())
        resolved, probs = None, None
    else:
        resolved, names, probs = _labelled_inputs(
            df, label, features, pred_probs, model, cv, random_state, progress,
            needs_probs=_needs_pred_probs(issue_types),
        )  # fmt: skip
    X, isnull = _feature_arrays(df, names)
    if resolved is None or resolved.all_labelled:
        codes = None if resolved is None else resolved.codes
        run = run_audit(
            features=X, isnull=isnull, labels=codes, pred_probs=probs, issue_types=issue_types,
            progress=progress, neighbors=neighbors,
        )  # fmt: skip
    else:
        run = run_audit_some_labelled(
            features=X, isnull=isnull, labels=resolved.codes, pred_probs=probs,
            issue_types=issue_types, progress=progress, neighbors=neighbors,
        )  # fmt: skip
    if label is None:
        _explain_skips(run.skipped)
    class_names = None if resolved is None else resolved.class_names.tolist()
    labels = None if resolved is None else resolved.labels.to_numpy()
    return Audit(
        run, index=df.index, class_names=class_names, feature_names=names, features=X,
        labels=labels,
    )  # fmt: skip


def _check_unlabelled(pred_probs: Any, model: Any) -> None:
    for name, value in (("pred_probs", pred_probs), ("model", model)):
        if value is not None:
            raise InputError(
                f"{name} was given without a label column ({name}={type(value).__name__}); "
                "pred_probs and model only serve the label checks. Pass label='<column>', or "
                f"drop {name} to audit the features only."
            )


def _labelled_inputs(
    df: pd.DataFrame,
    label: Hashable,
    features: Any,
    pred_probs: Any,
    model: Any,
    cv: int,
    random_state: Any,
    progress: bool,
    *,
    needs_probs: bool,
) -> tuple[ResolvedInput, tuple[Hashable, ...], np.ndarray | None]:
    """Resolve the label (and pred_probs); return (resolved, feature names, pred_probs)."""
    _check_two_classes(get_label_column(df, label), label)
    if pred_probs is not None:
        if model is not None:
            raise InputError(
                "Pass either pred_probs or model, not both: model only serves to compute "
                f"pred_probs by cross-validation. Got pred_probs and model={model!r}."
            )
        resolved = resolve(df, label, pred_probs=pred_probs)
        used = tuple(pred_probs) if pred_probs_kind(pred_probs) == "columns" else ()
        names = _feature_columns(df, label, features, used)
        return resolved, names, resolved.labelled_pred_probs
    names = _feature_columns(df, label, features, ())
    if not names:
        if model is not None:
            raise InputError(
                f"model={model!r} was given but df has no feature column besides the label "
                f"{label!r} to train it on; add feature columns or pass pred_probs."
            )
        return resolve(df, label), names, None
    resolved = resolve(
        df, label, features=list(names), model=model, cv=cv, random_state=random_state,
        progress=progress,
    )  # fmt: skip
    if not needs_probs:
        return resolved, names, None
    logger.info("audit: computing pred_probs by %d-fold cross-validation", cv)
    return resolved, names, resolved.labelled_pred_probs


def _needs_pred_probs(issue_types: Any) -> bool:
    """Whether a selected check takes pred_probs (no cross-validation otherwise)."""
    if not isinstance(issue_types, dict):
        return True
    from pdclean.checks import registry

    specs = [registry.get(name) for name in issue_types]
    return any(spec is None or "pred_probs" in spec.inputs for spec in specs)


def _check_two_classes(column: pd.Series, label: Hashable) -> None:
    present = column.dropna().unique()
    if len(present) < 2:
        shown = "no value" if len(present) == 0 else f"a single class ({present[0]!r})"
        raise InputError(
            f"label column {label!r} has {shown}; the label checks need at least 2 classes. "
            "Check the column, or audit the features only with label=None."
        )


def _feature_columns(
    df: pd.DataFrame, label: Hashable | None, features: Any, used: tuple[Hashable, ...]
) -> tuple[Hashable, ...]:
    """Checked feature column names (default: all but the label and pred_probs columns)."""
    if features is not None:
        return resolve_features(df, label, features, used)
    excluded = pd.Index([*([] if label is None else [label]), *used], tupleize_cols=False)
    return tuple(df.columns[~df.columns.isin(excluded)])


def _feature_arrays(
    df: pd.DataFrame, names: tuple[Hashable, ...]
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """(numeric feature matrix with NaN kept, missing mask of the original columns)."""
    if not names:
        return None, None
    isnull = df.loc[:, list(names)].isna().to_numpy(dtype=bool)
    X = feature_matrix(df, names, takes_nan=True, allow_inf=True)
    return X, isnull


def _is_regression(df: pd.DataFrame, label: Hashable) -> bool:
    return (
        not isinstance(label, list)
        and has_column(df, label)
        and choose_task(df, label) == ("regression")
    )


def _regression_audit(df, label, features, model, cv, random_state, progress, types, neighbors):
    """The audit of a table with a numeric target: the label check in regression form (the
    scale-aware detector on out-of-fold predictions); the class checks are skipped."""
    from pdclean.checks.base import CheckResult, Skip
    from pdclean.checks.runner import DEFAULT_TYPES, run_audit
    from pdclean.frame.audit_result import Audit

    r = resolve_regression(
        df, label, features=features, model=model, cv=cv, random_state=random_state,
        progress=progress,
    )  # fmt: skip
    names = _feature_columns(df, label, features, ())
    X, isnull = _feature_arrays(df, names)
    run = run_audit(
        features=X, isnull=isnull, issue_types=types, progress=progress, neighbors=neighbors
    )
    why = f"the label {label!r} is a regression target; this check is for classes"
    for name, skip in list(run.skipped.items()):
        if "labels" in skip.missing:
            run.skipped[name] = Skip(why, skip.missing)
    if types is None or "label" in types:
        found = r.issues()
        details = {"given_label": r.target[r.has_label], "predicted_label": r.predictions}
        rows = None if r.has_label.all() else np.flatnonzero(r.has_label)
        run.skipped.pop("label", None)
        run.results["label"] = CheckResult(
            "label", found.is_issue, found.score, float(1 - found.is_issue.mean()), details, rows
        )
        order = [n for n in DEFAULT_TYPES if n in run.results]
        run.results = {n: run.results[n] for n in order + sorted(set(run.results) - set(order))}
    return Audit(run, index=df.index, feature_names=names, features=X)


def _explain_skips(skipped: dict[str, Any]) -> None:
    """Say that no label column was given in the reasons of the checks that needed one."""
    why = "no label column was given (pass label='<column>' to run the label checks)"
    for name, skip in skipped.items():
        if "labels" in skip.missing:
            skipped[name] = skip.extend(why)
