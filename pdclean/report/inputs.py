"""What the HTML report reads from an audit and from the caller, checked once.

Only the audit's public face is read: ``summary``, ``issues``, ``get(issue_type)``,
``info(issue_type)``, ``health`` and ``skipped``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputError, InputTypeError

__all__ = [
    "check_audit",
    "check_top",
    "class_names_of",
    "feature_matrix",
    "flag_masks",
    "label_codes",
    "row_names",
    "table_rows",
]

DETAIL_COLUMNS = ("given_label", "predicted_label", "suggested_label", "suggestion_confidence")


def check_audit(audit: Any) -> None:
    """Raise InputTypeError unless ``audit`` looks like an Audit (summary, issues, get, info)."""
    needed = ("summary", "issues", "get", "info", "health", "skipped")
    missing = [name for name in needed if not hasattr(audit, name)]
    if missing:
        raise InputTypeError(
            f"audit must be an Audit (df.clean.audit(...)); got {type(audit).__name__}, which "
            f"has no {', '.join(missing)}."
        )


def check_top(top: Any) -> int:
    """``top`` as a positive int, or an InputError that shows the value received.

    Examples
    --------
    >>> check_top(5)
    5
    """
    if isinstance(top, (bool, np.bool_)) or not isinstance(top, (int, np.integer)) or top < 1:
        raise InputError(f"top must be a positive integer (rows per table); got {top!r}.")
    return int(top)


def ran(audit: Any, issue_type: str) -> bool:
    """Whether ``issue_type`` has a result in the audit's summary."""
    return issue_type in set(audit.summary["issue_type"])


def class_names_of(audit: Any, class_names: Sequence[Any] | None) -> list[Any] | None:
    """Class values by label code: given, else read from the label check (None without one).

    The label check's info holds integer codes and its ``get`` frame the same rows as class
    values; the pairing of the two names each code. Codes seen in neither column are named by
    their number.
    """
    if class_names is not None:
        return list(class_names)
    if not ran(audit, "label"):
        return None
    info, frame = audit.info("label"), audit.get("label")
    if np.asarray(info.get("given_label", [])).dtype.kind not in "iub":
        return None  # a numeric target (regression): no classes to name
    size = 0
    for key in ("confident_joint", "joint", "pred_probs"):
        if key in info and np.ndim(info[key]) == 2:
            size = int(np.shape(info[key])[1])
            break
    names: dict[int, Any] = {}
    for column in ("given_label", "predicted_label"):
        if column not in info or column not in frame:
            continue
        for code, value in zip(np.asarray(info[column]).tolist(), frame[column].tolist()):
            if isinstance(code, int) and code >= 0:
                names.setdefault(code, value)
    size = max(size, max(names, default=-1) + 1)
    return [names.get(code, code) for code in range(size)]


def label_codes(
    audit: Any, labels: Any, names: list[Any] | None
) -> tuple[np.ndarray, list[Any]] | None:
    """Class code per row (-1 when missing) and the class names, for colouring the map."""
    n = len(audit.issues)
    if labels is None:
        if not ran(audit, "label") or names is None:
            return None
        codes = np.asarray(audit.info("label")["given_label"])
        return np.where(codes >= 0, codes, -1).astype(np.int64), names
    series = pd.Series(labels.to_numpy() if isinstance(labels, pd.Series) else labels)
    if series.ndim != 1 or len(series) != n:
        raise InputError(
            f"labels must hold one given label per audited row ({n}); got {len(series)} "
            "values. Pass the label column of the audited frame."
        )
    if names is None:
        codes, uniques = pd.factorize(series, sort=True)
        return codes.astype(np.int64), list(uniques)
    position = {value: code for code, value in enumerate(names)}
    codes = np.array([position.get(v, -1) if not pd.isna(v) else -1 for v in series.tolist()])
    return codes.astype(np.int64), names


def feature_matrix(features: Any, n: int) -> tuple[np.ndarray, list[str] | None]:
    """The (n, d) float matrix of ``features`` and its column names (None for an array)."""
    names = None
    if isinstance(features, pd.DataFrame):
        names = [str(c) for c in features.columns]
        raw: Any = features.to_numpy()
    else:
        raw = features
    try:
        values = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        raise InputTypeError(
            "features must be numeric (an (n, d) array or frame of numbers); got "
            f"{type(features).__name__} with non-numeric values. Pass the numeric columns."
        ) from None
    values = values.reshape(-1, 1) if values.ndim == 1 else values
    if values.ndim != 2 or values.shape[0] != n or values.shape[1] == 0:
        raise InputError(
            f"features must have one row per audited row and at least one column, shape "
            f"({n}, d); got shape {values.shape}. Pass the features of the audited frame."
        )
    return values, names


def flag_masks(audit: Any) -> tuple[np.ndarray, np.ndarray]:
    """(rows flagged by the label check, rows flagged by any other check)."""
    issues = audit.issues
    n = len(issues)
    label, other = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    for column in issues.columns:
        name = str(column)
        if not (name.startswith("is_") and name.endswith("_issue")):
            continue
        mask = issues[column].to_numpy(dtype=bool, na_value=False)
        if name == "is_label_issue":
            label |= mask
        else:
            other |= mask
    return label, other


def row_names(index: pd.Index) -> list[str]:
    """Each row's index label as text (MultiIndex levels joined by commas).

    Examples
    --------
    >>> row_names(pd.MultiIndex.from_tuples([("a", 1), ("b", 2)]))
    ['a, 1', 'b, 2']
    """
    if index.nlevels > 1:
        return [", ".join(str(v) for v in label) for label in index]
    return [str(v) for v in index]


def table_rows(audit: Any, issue_type: str, top: int) -> tuple[pd.DataFrame, int]:
    """The ``top`` most severe flagged rows of a check (score first), and how many are hidden.

    Without flagged rows (a check of the whole table) the lowest scores are shown instead.
    Columns: the score, then given / predicted / suggested labels and the reason when the
    check or ``audit.issues`` has them, then the check's other details.
    """
    frame = audit.get(issue_type).copy()
    flag, score = f"is_{issue_type}_issue", f"{issue_type}_score"
    issues = audit.issues
    for column in ("suggested_label", "suggestion_confidence", "reason"):
        for name in (f"{issue_type}_{column}", column if issue_type == "label" else None):
            if name and name in issues.columns and name not in frame.columns:
                frame[name] = issues[name].to_numpy()
    scores = frame[score].to_numpy(dtype=np.float64, na_value=np.nan)
    flagged = frame[flag].to_numpy(dtype=bool, na_value=False)
    candidates = np.flatnonzero(flagged) if flagged.any() else np.arange(len(frame))
    order = candidates[np.argsort(scores[candidates], kind="stable")]
    first = [score, *(c for c in frame.columns if any(c.endswith(d) for d in DETAIL_COLUMNS))]
    reason = [c for c in frame.columns if str(c).endswith("reason")]
    rest = [c for c in frame.columns if c not in (flag, *first, *reason)]
    shown = frame.iloc[order[:top]][[*first, *reason, *rest]]
    hidden = int(flagged.sum()) - len(shown) if flagged.any() else 0
    return shown, max(hidden, 0)
