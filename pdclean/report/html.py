"""The audit as a self-contained HTML page: health, one card per check, tables and pictures.

:func:`render_html` formats what the audit computed (nothing is recomputed but the 2-D map's
projection). The page needs no network: CSS and the table-sorting script are inline, pictures
are inline SVG drawn by :mod:`pdclean.report.svg`, so it renders the same without matplotlib.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.report.charts import (
    confusion_heatmap,
    overlap_bars,
    score_histogram,
    separating_threshold,
)
from pdclean.report.descriptions import detail, meaning, title
from pdclean.report.inputs import (
    check_audit,
    check_top,
    class_names_of,
    feature_matrix,
    flag_masks,
    label_codes,
    row_names,
    table_rows,
)
from pdclean.report.maps import project, sample_rows, scatter_map
from pdclean.report.numbers import format_count, format_number, format_percent
from pdclean.report.severity import badness, colour, level
from pdclean.report.style import CSS, SCRIPT
from pdclean.report.tables import frame_table

__all__ = ["render_html"]

THRESHOLD_KEYS = ("score_threshold", "threshold", "issue_threshold")
HISTOGRAM_NOTE = "Scores of every row (low = worse), flagged rows in red."
THRESHOLD_NOTE = " The dashed line is the check's threshold."
HEATMAP_NOTE = (
    "Rows by given label (left) and likely true label (top): blue cells agree, red cells are "
    "rows that are probably mislabeled from one class to the other."
)
PAIRS_NOTE = "The class pairs the model confuses most (joint probability of the pair)."


def render_html(
    audit: Any,
    *,
    features: Any = None,
    labels: Any = None,
    class_names: Sequence[Any] | None = None,
    top: int = 20,
    compact: bool = False,
) -> str:
    """Render an audit as a single self-contained HTML page (or a notebook fragment).

    Parameters
    ----------
    audit : Audit
        The result of ``df.clean.audit(...)``; only its public attributes are read.
    features : array or DataFrame of shape (n, d), optional
        Numeric features aligned with the audit's rows, for the 2-D map (none without them).
    labels : array-like of length n, optional
        Given labels in the caller's dtype, colouring the map (default: the label check's).
    class_names : sequence, optional
        Class value of each label code (default: read from the label check).
    top : int, default 20
        Rows shown per issue table; the rest are counted in a note under the table.
    compact : bool, default False
        The notebook version (``_repr_html_``): header, cards and summary table only, as a
        ``<div>`` fragment without script.

    Returns
    -------
    str
        The page (``<!DOCTYPE html>...``), or the fragment when ``compact``.

    Examples
    --------
    >>> from pdclean.datasets import load_tutorial
    >>> train, _ = load_tutorial()
    >>> X = train[["x1", "x2"]]
    >>> P = pd.get_dummies(train["true_label"]).to_numpy(float) * 0.9 + 0.025
    >>> audit = train.clean.audit("label", features=["x1", "x2"], pred_probs=P)
    >>> page = render_html(audit, features=X)
    >>> page.startswith("<!DOCTYPE html>"), page.count("<svg") >= 3, "src=" in page
    (True, True, False)
    >>> render_html(audit, compact=True).startswith('<div class="pdclean-report compact">')
    True
    """
    check_audit(audit)
    top = check_top(top)
    names = class_names_of(audit, class_names)
    shown = [str(n) for n in names] if names is not None else []
    head = header(audit, features) + cards(audit, shown) + summary_section(audit)
    if compact:
        return f'<div class="pdclean-report compact"><style>{CSS}</style>{head}</div>'
    body = (
        head
        + map_section(audit, features, labels, names)
        + issue_sections(audit, top, shown)
        + footer()
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>pdclean audit: health {html.escape(format_number(audit.health))}</title>"
        f"<style>{CSS}</style></head><body class='pdclean-page pdclean-report'>"
        f"<div class='page'>{body}</div><script>{SCRIPT}</script></body></html>\n"
    )


def ordered(audit: Any, *, flagged: bool | None = None) -> list[str]:
    """Issue types, those with most flagged rows first (summary order among equals)."""
    summary = audit.summary.sort_values("num_issues", ascending=False, kind="stable")
    if flagged is not None:
        summary = summary[(summary["num_issues"] > 0) == flagged]
    return [str(t) for t in summary["issue_type"]]


def slug(issue_type: str) -> str:
    """An id-safe form of a name.

    Examples
    --------
    >>> slug("near_duplicate"), slug("a b<c>")
    ('near_duplicate', 'a-b-c-')
    """
    return re.sub(r"[^A-Za-z0-9_-]+", "-", issue_type)


def header(audit: Any, features: Any) -> str:
    """Title, dataset line and the health score with its meter."""
    summary, issues = audit.summary, audit.issues
    n = len(issues)
    label, other = flag_masks(audit)
    any_flag = int((label | other).sum())
    facts = [f"{format_count(n)} rows"]
    if features is not None:
        facts.append(
            f"{format_count(np.shape(features)[1] if np.ndim(features) > 1 else 1)} features"
        )
    facts.append(f"{len(summary)} checks run")
    if audit.skipped:
        facts.append(f"{len(audit.skipped)} skipped")
    share = format_percent(any_flag / n) if n else "0%"
    health = float(audit.health)
    state = level(health)
    return (
        "<header class='top'><div><h1>Data audit</h1>"
        f"<p class='sub'>{html.escape(' · '.join(facts))}</p>"
        f"<p class='sub'><b>{format_count(any_flag)}</b> rows ({html.escape(share)}) flagged by "
        "at least one check.</p></div>"
        f"<div class='health {state}'><div class='label'>Dataset health</div>"
        f"<div class='value' style='color:var(--{state})'>{html.escape(format_number(health))}"
        "</div><div class='meter'>"
        f"<span style='width:{100 * max(0.0, min(health, 1.0)):.1f}%;background:var(--{state})'>"
        "</span></div><div class='label'>mean check score, 1 = clean</div></div></header>"
    )


def cards(audit: Any, class_names: list[str]) -> str:
    """One card per check (flagging checks first), then one per skipped check."""
    summary = audit.summary.set_index("issue_type")
    parts = [card(audit, t, summary.loc[t], class_names) for t in ordered(audit)]
    for name, why in audit.skipped.items():
        parts.append(
            f"<div class='card skipped'><h3>{html.escape(title(str(name)))}</h3>"
            f"<div class='count'><small>skipped</small></div>"
            f"<p>{html.escape(str(why))}</p></div>"
        )
    errors = getattr(audit, "errors", None) or {}
    for name, why in errors.items():
        parts.append(
            f"<div class='card skipped bad'><h3>{html.escape(title(str(name)))}</h3>"
            f"<div class='count'><small>check failed</small></div>"
            f"<p>{html.escape(str(why))}</p></div>"
        )
    return f"<section class='cards' aria-label='checks'>{''.join(parts)}</section>"


def card(audit: Any, issue_type: str, row: pd.Series, class_names: list[str]) -> str:
    """A check's card: count, score pill, meaning, a detail; a link to its section."""
    count, score = int(row["num_issues"]), float(row["score"])
    state = level(score)
    noun = "row" if count == 1 else "rows"
    number = (
        f"{format_count(count)} <small>{noun} flagged</small>"
        if count
        else ("0 <small>rows flagged</small>")
    )
    extra = detail(issue_type, audit.info(issue_type), class_names)
    extra_html = f"<p><b>{html.escape(extra)}</b></p>" if extra else ""
    heading = html.escape(title(issue_type))
    if count:
        heading = f"<a href='#issue-{slug(issue_type)}'>{heading}</a>"
    return (
        f"<div class='card {state}{'' if count else ' clear'}' data-check='{slug(issue_type)}'>"
        f"<h3>{heading}</h3><div class='count'>{number}</div>"
        f"<span class='pill {state}'>score {html.escape(format_number(score))}</span>"
        f"<p>{html.escape(meaning(issue_type))}</p>{extra_html}</div>"
    )


def summary_section(audit: Any) -> str:
    """The summary table: check, rows flagged, score and a ``1 - score`` bar in the card colour."""
    summary = audit.summary
    frame = pd.DataFrame(
        {
            "rows flagged": summary["num_issues"].to_numpy(),
            "score": summary["score"].to_numpy(dtype=np.float64),
        },
        index=pd.Index(summary["issue_type"].astype(str).tolist(), name="check"),
    )
    bars = [
        (badness(s), colour(s, int(c)))
        for s, c in zip(frame["score"].to_numpy(), frame["rows flagged"].to_numpy())
    ]
    table = frame_table(
        frame,
        table_id="table-summary",
        caption="Score 1 = clean, 0 = worst. Bar length is 1 \u2212 score; pale bars flagged "
        "no rows.",
        bars=bars,
    )
    return f"<h2 id='summary'>Summary</h2><div class='panel'>{table}</div>"


def map_section(audit: Any, features: Any, labels: Any, names: list[Any] | None) -> str:
    """The 2-D map of the rows (nothing without features)."""
    if features is None:
        return ""
    n = len(audit.issues)
    values, feature_names = feature_matrix(features, n)
    coloured = label_codes(audit, labels, names)
    codes, classes = coloured if coloured is not None else (np.zeros(n, dtype=np.int64), ["row"])
    label_flag, other_flag = flag_masks(audit)
    rows = sample_rows(label_flag | other_flag)
    names_of_rows = row_names(audit.issues.index)
    xy, xtitle, ytitle = project(values[rows], feature_names)
    picture = scatter_map(
        xy,
        codes[rows],
        [str(c) for c in classes],
        label_flag=label_flag[rows],
        other_flag=other_flag[rows],
        row_names=[names_of_rows[i] for i in rows],
        titles=(xtitle, ytitle),
        total=n,
    )
    how = (
        "the features as they are"
        if values.shape[1] <= 2
        else "the first two principal components of the standardised features"
    )
    return (
        "<h2 id='map'>Where the problems are</h2><div class='panel'><figure class='map'>"
        f"{picture}<figcaption>Each dot is a row, placed by {how} and coloured by its given "
        "label. Red rings mark label issues, black squares rows flagged by another check. "
        "Hover a dot for its row.</figcaption></figure></div>"
    )


def issue_section(audit: Any, issue_type: str, top: int, class_names: list[str]) -> str:
    """A check's section: meaning, the table of its worst rows, its pictures."""
    row = audit.summary.set_index("issue_type").loc[issue_type]
    count, n = int(row["num_issues"]), len(audit.issues)
    shown, hidden = table_rows(audit, issue_type, top)
    caption = f"The {len(shown)} most severe rows, lowest score first (click a header to sort)."
    table = frame_table(shown, table_id=f"table-{slug(issue_type)}", caption=caption, hidden=hidden)
    pictures = [histogram_figure(audit, issue_type)]
    if issue_type == "label":
        pictures += label_pictures(audit, class_names)
    figures = "".join(
        f"<figure>{svg}<figcaption>{html.escape(note)}</figcaption></figure>"
        for svg, note in pictures
    )
    share = format_percent(count / n) if n else "0%"
    fact = detail(issue_type, audit.info(issue_type), class_names)
    fact = f", {fact}" if fact else ""
    return (
        f"<section class='issue' id='issue-{slug(issue_type)}'>"
        f"<h2>{html.escape(title(issue_type))} · {format_count(count)} "
        f"{'row' if count == 1 else 'rows'} ({html.escape(share)})</h2>"
        f"<p class='note'>{html.escape(meaning(issue_type))} Score "
        f"{html.escape(format_number(float(row['score'])))} (1 = clean){html.escape(fact)}.</p>"
        f"<div class='panel section-body'>{table}<div class='pictures'>{figures}</div></div>"
        "</section>"
    )


def issue_sections(audit: Any, top: int, class_names: list[str]) -> str:
    """One section per check that flagged rows (a sentence when none did)."""
    found = ordered(audit, flagged=True)
    if not found:
        return "<h2>Issues</h2><p class='note'>No check flagged any row.</p>"
    return "".join(issue_section(audit, t, top, class_names) for t in found)


def histogram_figure(audit: Any, issue_type: str) -> tuple[str, str]:
    """The check's score distribution, with its threshold when it is one on the score axis."""
    frame, info = audit.get(issue_type), audit.info(issue_type)
    scores = frame[f"{issue_type}_score"].to_numpy(dtype=np.float64, na_value=np.nan)
    flagged = frame[f"is_{issue_type}_issue"].to_numpy(dtype=bool, na_value=False)
    threshold = None
    for key in THRESHOLD_KEYS:
        value = info.get(key)
        if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool):
            threshold = separating_threshold(scores, flagged, float(value))
            if threshold is not None:
                break
    picture = score_histogram(scores, flagged, threshold=threshold, name=issue_type)
    return picture, HISTOGRAM_NOTE + (THRESHOLD_NOTE if threshold is not None else "")


def label_pictures(audit: Any, class_names: list[str]) -> list[tuple[str, str]]:
    """The class confusion heatmap and, when the label info has them, the overlapping pairs."""
    info = audit.info("label")
    k = len(class_names)
    matrix, source = None, ""
    for key, what in (("confident_joint", "confident joint"), ("joint", "joint")):
        if key in info and np.shape(info[key]) == (k, k):
            matrix, source = np.asarray(info[key], dtype=np.float64), what
            break
    if matrix is None and {"given_label", "predicted_label"} <= set(info) and k:
        given, predicted = np.asarray(info["given_label"]), np.asarray(info["predicted_label"])
        ok = (given >= 0) & (predicted >= 0)
        matrix = np.zeros((k, k))
        np.add.at(matrix, (given[ok], predicted[ok]), 1)
        source = "given vs predicted counts"
    out = []
    if matrix is not None and source != "joint":
        matrix = np.rint(matrix)
    if matrix is not None:
        heat = confusion_heatmap(
            matrix, class_names, row_title="given label", col_title=f"likely true label ({source})"
        )
        out.append((heat, HEATMAP_NOTE))
    pairs = overlapping_pairs(info.get("overlapping_classes"), class_names)
    if pairs:
        out.append((overlap_bars(pairs), PAIRS_NOTE))
    return out


def overlapping_pairs(value: Any, class_names: list[str]) -> list[tuple[str, str, float]]:
    """Pairs ``(class a, class b, joint probability)`` from the label info (empty if absent).

    ``value`` is a DataFrame or a mapping of equal-length columns (class codes or names).
    """
    if isinstance(value, Mapping) and not isinstance(value, pd.DataFrame):
        value = pd.DataFrame({key: np.asarray(column) for key, column in value.items()})
    if not isinstance(value, pd.DataFrame) or not {"class_a", "class_b"} <= set(value.columns):
        return []
    weight = next((c for c in ("joint_probability", "num_overlapping") if c in value), None)
    if weight is None:
        return []

    def name(v: Any) -> str:
        if isinstance(v, (int, np.integer)) and 0 <= int(v) < len(class_names):
            return class_names[int(v)]
        return str(v)

    rows = value[["class_a", "class_b", weight]].itertuples(index=False)
    return [(name(a), name(b), float(w)) for a, b, w in rows]


def footer() -> str:
    """How to read the page."""
    return (
        "<footer>Generated by pdclean. Scores are in [0, 1], lower is worse; a check's colour "
        "follows its score (green from 0.9, amber from 0.5, red below) and is pale when it "
        "flagged no rows. This page is self-contained: it loads nothing from the network.</footer>"
    )
