"""The pandas face of an audit: :class:`Audit` wraps :func:`run_audit`'s output.

Its text and HTML views are formatted by :mod:`pdclean.report`.
"""

from __future__ import annotations

import os
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pdclean.checks.near_duplicate import split_sets
from pdclean.checks.runner import AuditRun, run_audit
from pdclean.errors import InputError
from pdclean.report.html import render_html
from pdclean.report.text import text_report

__all__ = ["Audit"]


class Audit:
    """The result of a data audit, indexed like the caller's frame.

    Parameters
    ----------
    run : AuditRun
        The output of :func:`pdclean.checks.runner.run_audit`.
    index : pandas.Index, optional
        The caller's row index (default: ``RangeIndex(n)``).
    class_names : sequence, optional
        Class value of each label code 0..K-1.
    feature_names : sequence, optional
        Names of the feature columns that were audited.
    features : ndarray (n, d), optional
        The audited numeric feature matrix (the report draws its map of the rows from it).
    labels : array-like (n,), optional
        The given labels in the caller's dtype (the map's colours).

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(30, 2))
    >>> audit = Audit.from_arrays(features=X, index=pd.RangeIndex(100, 130))
    >>> audit.summary["issue_type"].tolist()[:3]
    ['null', 'outlier', 'near_duplicate']
    >>> audit.issues.index[0], audit.issues.shape[0]
    (100, 30)
    """

    def __init__(
        self,
        run: AuditRun,
        *,
        index: pd.Index | None = None,
        class_names: Sequence[Any] | None = None,
        feature_names: Sequence[Hashable] | None = None,
        features: np.ndarray | None = None,
        labels: Any = None,
    ) -> None:
        self._run = run
        #: The audited numeric feature matrix and the given labels (for the report's map).
        self.features, self.labels = features, labels
        if index is None:
            index = pd.RangeIndex(run.n)
        # pd.Index(a MultiIndex) would flatten it into tuples: keep an Index as it is.
        self.index = index if isinstance(index, pd.Index) else pd.Index(index)
        if len(self.index) != run.n:
            raise InputError(
                f"index has {len(self.index)} labels but the audit has {run.n} rows; pass the "
                "index of the audited frame."
            )
        self.class_names = None if class_names is None else list(class_names)
        self.feature_names = None if feature_names is None else list(feature_names)

    @classmethod
    def from_arrays(
        cls,
        *,
        index: pd.Index | None = None,
        class_names: Sequence[Any] | None = None,
        feature_names: Sequence[Hashable] | None = None,
        features: np.ndarray | None = None,
        isnull: np.ndarray | None = None,
        labels: np.ndarray | None = None,
        pred_probs: np.ndarray | None = None,
        issue_types: dict[str, dict[str, Any]] | None = None,
        progress: bool = False,
    ) -> Audit:
        """Run the audit on resolved arrays and wrap it (see :func:`run_audit`)."""
        run = run_audit(
            features=features,
            isnull=isnull,
            labels=labels,
            pred_probs=pred_probs,
            issue_types=issue_types,
            progress=progress,
        )
        return cls(
            run, index=index, class_names=class_names, feature_names=feature_names,
            features=features,
        )  # fmt: skip

    # -- tables -------------------------------------------------------------------------
    @property
    def run(self) -> AuditRun:
        """The numpy-level results."""
        return self._run

    @property
    def health(self) -> float:
        """Mean summary score of the reference's issue types that ran (the dataset health)."""
        return self._run.health

    @property
    def skipped(self) -> dict[str, str]:
        """Issue types not run, with the reason."""
        return dict(self._run.skipped)

    @property
    def summary(self) -> pd.DataFrame:
        """One row per issue type that ran: ``issue_type``, ``num_issues``, ``score``."""
        rows = [(n, r.num_issues, r.summary_score) for n, r in self._run.results.items()]
        frame = pd.DataFrame(rows, columns=["issue_type", "num_issues", "score"])
        return frame.astype({"num_issues": "int64", "score": "float64"})

    @property
    def issues(self) -> pd.DataFrame:
        """One row per input row: ``is_<type>_issue`` and ``<type>_score`` per issue type."""
        columns: dict[str, Any] = {}
        for name, r in self._run.results.items():
            columns[f"is_{name}_issue"] = self.on_every_row(r, r.is_issue)
            columns[f"{name}_score"] = self.on_every_row(r, r.score)
        return pd.DataFrame(columns, index=self.index)

    def info(self, issue_type: str) -> dict[str, Any]:
        """The check's extra results (arrays by row position, scalars)."""
        return dict(self._result(issue_type).details)

    def get(self, issue_type: str) -> pd.DataFrame:
        """Per-row frame of one issue type, with its details as extra columns."""
        r = self._result(issue_type)
        frame = pd.DataFrame(
            {
                f"is_{issue_type}_issue": self.on_every_row(r, r.is_issue),
                f"{issue_type}_score": self.on_every_row(r, r.score),
            },
            index=self.index,
        )
        extra = _EXTRA_COLUMNS.get(issue_type)
        if extra is not None:
            for column, values in extra(self, r.details).items():
                frame[column] = self.on_every_row(r, values)
        return frame

    def on_every_row(self, result: Any, values: Any) -> Any:
        """Per-row values of a check on every audited row: ``<NA>`` where it did not run.

        A label check runs on the labelled rows only (``result.rows``); booleans, floats and
        integers become nullable arrays there, anything else an object array with ``<NA>``.
        """
        if result.rows is None:
            return values
        values, n = np.asarray(values), self._run.n
        missing = np.ones(n, dtype=bool)
        missing[result.rows] = False
        kinds = {"b": (bool, pd.arrays.BooleanArray), "f": (float, pd.arrays.FloatingArray)}
        kinds.update(dict.fromkeys("iu", (np.int64, pd.arrays.IntegerArray)))
        if values.ndim == 1 and values.dtype.kind in kinds:
            dtype, array = kinds[values.dtype.kind]
            full = np.zeros(n, dtype=dtype)
            full[result.rows] = values
            return array(full, missing)
        full = np.full(n, pd.NA, dtype=object)
        full[result.rows] = list(values)
        return full

    def _result(self, issue_type: str):
        if issue_type in self._run.results:
            return self._run.results[issue_type]
        if issue_type in self._run.skipped:
            why = f"it was skipped ({self._run.skipped[issue_type]})"
        else:
            why = "it was not run"
        ran = list(self._run.results)
        raise InputError(f"issue_type {issue_type!r} has no result: {why}; available: {ran}.")

    def _class_values(self, codes: np.ndarray) -> Any:
        if self.class_names is None:
            return codes
        return pd.Series(self.class_names).to_numpy()[codes]

    # -- views (formatted by pdclean.report) ------------------------------------------------
    def report(self, top: int = 5) -> str:
        """Text report: issue types by count, then the ``top`` most severe rows of each."""
        return text_report(self, top=top)

    def __repr__(self) -> str:
        counts = ", ".join(f"{n}={r.num_issues}" for n, r in self._run.results.items())
        return f"<Audit: {self._run.n} rows, health {self.health:.4f}; issues: {counts}>"

    def _repr_html_(self) -> str:
        return render_html(self, compact=True)

    def to_html(self, path: str | os.PathLike | None = None, *, top: int = 20) -> str:
        """A self-contained HTML report (one file, no network): cards, tables, pictures.

        The 2-D map of the rows uses the audited feature matrix and the given labels when the
        audit came from a frame (``df.clean.audit``). Written to ``path`` (UTF-8) when given;
        the page is returned either way. ``top`` rows are shown per issue table.

        Examples
        --------
        >>> X = np.random.RandomState(0).normal(size=(30, 2))
        >>> page = Audit.from_arrays(features=X).to_html()
        >>> page.startswith('<!DOCTYPE html>'), 'src="http' in page, page.count('<svg') > 1
        (True, False, True)
        """
        page = render_html(self, features=self.features, labels=self.labels, top=top)
        if path is not None:
            Path(path).write_text(page, encoding="utf-8")
        return page


def _label_columns(audit: Audit, details: dict) -> dict[str, Any]:
    return {
        "given_label": audit._class_values(details["given_label"]),
        "predicted_label": audit._class_values(details["predicted_label"]),
    }


def _near_duplicate_columns(audit: Audit, details: dict) -> dict[str, Any]:
    labels = audit.index.to_numpy()
    sets = [labels[s].tolist() for s in split_sets(*details["near_duplicate_sets"])]
    return {
        "near_duplicate_sets": sets,
        "distance_to_nearest_neighbor": details["distance_to_nearest_neighbor"],
    }


def _cluster_columns(audit: Audit, details: dict) -> dict[str, Any]:
    return {"cluster_id": details["cluster_ids"]}


def _group_columns(audit: Audit, details: dict) -> dict[str, Any]:
    return {"group_id": details["group_ids"]}


_EXTRA_COLUMNS = {
    "label": _label_columns,
    "near_duplicate": _near_duplicate_columns,
    "underperforming_group": _cluster_columns,
    "exact_duplicate": _group_columns,
    "conflicting_labels": _group_columns,
}
