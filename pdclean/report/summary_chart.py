"""The audit summary bar chart (matplotlib, an optional extra: ``pip install 'pdclean[plot]'``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import InputTypeError
from pdclean.report.numbers import format_count, format_number
from pdclean.report.severity import badness, colour

__all__ = ["MIN_BAR", "plot_audit_summary"]

MIN_BAR = 0.02
"""Shortest bar drawn for a check that flagged rows, so that it is never invisible."""


def pyplot() -> Any:
    """matplotlib.pyplot, or an ImportError that says how to install it."""
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "plot_audit_summary needs matplotlib, which is not installed: "
            "pip install 'pdclean[plot]'"
        ) from None
    return plt


def summary_frame(audit: Any) -> pd.DataFrame:
    """The ``issue_type, num_issues, score`` frame of an Audit (or the frame itself)."""
    summary = audit if isinstance(audit, pd.DataFrame) else getattr(audit, "summary", None)
    if not isinstance(summary, pd.DataFrame):
        raise InputTypeError(
            "audit must be an Audit (df.clean.audit(...)) or its summary DataFrame; got "
            f"{type(audit).__name__}."
        )
    return summary


def bar_lengths(scores: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``1 - score`` per check, at least :data:`MIN_BAR` for a check that flagged rows.

    Examples
    --------
    >>> bar_lengths(np.array([0.0, 1.0, 1.0, 0.8]), np.array([1, 0, 3, 54])).tolist()
    [1.0, 0.0, 0.02, 0.2]
    """
    lengths = np.array([badness(s) for s in scores], dtype=np.float64)
    return np.where(counts > 0, np.maximum(lengths, MIN_BAR), lengths)


def plot_audit_summary(audit: Any, *, ax: Any = None) -> Any:
    """Bars of how bad each check of an audit is, annotated with its count and score.

    Length and colour follow one number, the check's score (1 = clean, 0 = worst):

    * bar length = ``1 - score``, so a longer bar is worse and a check with issues and score 0
      is a full bar; a check that flagged rows is never shorter than 0.02 (never invisible);
    * hue from the score: green when ``score >= 0.9``, amber when ``0.5 <= score < 0.9``, red
      below 0.5 (grey when the score is missing);
    * a check that flagged rows is solid, one that flagged none is the pale tint of its hue.

    Parameters
    ----------
    audit : Audit or DataFrame
        An audit (``df.clean.audit(...)``) or its ``.summary`` frame
        (``issue_type, num_issues, score``).
    ax : matplotlib Axes, optional
        Where to draw (a new figure when None).

    Returns
    -------
    matplotlib Axes; its bar patches are in the order of the summary's rows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> s = pd.DataFrame({"issue_type": ["label", "non_iid", "null"], "num_issues": [3, 1, 0],
    ...                   "score": [0.7, 0.0, 1.0]})
    >>> ax = plot_audit_summary(s)
    >>> [round(float(p.get_width()), 3) for p in ax.patches]
    [0.3, 1.0, 0.0]
    >>> [t.get_text() for t in ax.texts]
    ['3 issues · score 0.7', '1 issue · score 0', 'no issues · score 1']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    summary = summary_frame(audit)
    counts = summary["num_issues"].to_numpy(dtype=np.int64)
    scores = summary["score"].to_numpy(dtype=np.float64)
    if ax is None:
        _, ax = pyplot().subplots(figsize=(7.5, 0.45 * len(summary) + 1.5))
    positions = np.arange(len(summary))
    lengths = bar_lengths(scores, counts)
    colours = [colour(s, int(c)) for s, c in zip(scores, counts)]
    ax.barh(positions, lengths, color=colours, edgecolor="#555555", linewidth=0.4)
    ax.set_yticks(positions, summary["issue_type"].astype(str).tolist())
    ax.invert_yaxis()  # the first check on top
    ax.set_xlim(0, 1.45)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    for position, length, score, count in zip(positions, lengths, scores, counts):
        ax.text(length + 0.015, position, annotation(int(count), score), va="center", fontsize=9)
    ax.set_xlabel("1 \u2212 score (longer = worse)")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    health = getattr(audit, "health", None)
    title = "Audit summary" if health is None else f"Audit summary: health {format_number(health)}"
    ax.set_title(title, loc="left")
    return ax


def annotation(count: int, score: float) -> str:
    """The text beside a bar: ``"54 issues · score 0.8"``.

    Examples
    --------
    >>> annotation(1, 5.6e-8), annotation(0, 1.0)
    ('1 issue · score < 0.001', 'no issues · score 1')
    """
    if count == 0:
        amount = "no issues"
    else:
        amount = f"{format_count(count)} issue{'' if count == 1 else 's'}"
    return f"{amount} · score {format_number(score)}"
