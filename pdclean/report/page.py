"""The HTML views of an audit: the notebook summary and a self-contained page (no network)."""

from __future__ import annotations

import base64
import html
import importlib.util
import io
from typing import Any

from pdclean.report.plots import plot_audit_summary
from pdclean.report.text import text_report

__all__ = ["html_page", "notebook_html"]


def notebook_html(audit: Any) -> str:
    """The compact view of ``_repr_html_``: title, summary table, skipped checks."""
    title = f"Audit of {audit.run.n} rows &mdash; health {audit.health:.4f}"
    notes = "".join(
        f"<li>{html.escape(n)} skipped: {html.escape(w)}</li>" for n, w in audit.run.skipped.items()
    )
    notes_html = f"<ul>{notes}</ul>" if notes else ""
    table = audit.summary.to_html(index=False, float_format=lambda v: f"{v:.4f}")
    return f"<div class='pdclean-audit'><p><b>{title}</b></p>{table}{notes_html}</div>"


def html_page(audit: Any, top: int = 5) -> str:
    """A self-contained HTML page: summary, chart (with matplotlib), report; no network."""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>pdclean audit</title><style>body{font-family:sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        "</style></head><body><h1>pdclean audit</h1>"
        f"{notebook_html(audit)}{_summary_chart(audit)}<h2>Report</h2>"
        f"<pre>{html.escape(text_report(audit, top=top))}</pre></body></html>\n"
    )


def _summary_chart(audit: Any) -> str:
    """The summary chart as an inline base64 PNG (empty without matplotlib)."""
    if importlib.util.find_spec("matplotlib") is None:
        return ""
    from matplotlib.figure import Figure  # no pyplot: no global figure state, no GUI backend

    figure = Figure(figsize=(7, 0.45 * len(audit.summary) + 1.5))
    plot_audit_summary(audit, ax=figure.subplots())
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"<p><img alt='audit summary chart' src='data:image/png;base64,{data}'></p>"
