"""HTML tables of the report: cells formatted for people, sortable by the page's script.

A table is ``<table class="sortable">`` with one header cell per index level and column; a
numeric cell carries its exact value in ``data-v`` (positional notation) so that the script
sorts by value, not by the formatted text.
"""

from __future__ import annotations

import html
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from pdclean.report.numbers import MISSING, format_number, is_missing

__all__ = ["cell_text", "frame_table", "sort_key"]

LIST_ITEMS = 5


def cell_text(value: Any) -> str:
    """A table cell's text: numbers for people, lists shortened, missing as a dash.

    Examples
    --------
    >>> [cell_text(v) for v in (5.6e-08, True, [3, 58], None, "<b>x</b>", list(range(7)))]
    ['< 0.001', 'yes', '3, 58', '–', '<b>x</b>', '0, 1, 2, 3, 4, … (7)']
    """
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [cell_text(v) for v in list(value)[:LIST_ITEMS]]
        more = f", … ({len(value)})" if len(value) > LIST_ITEMS else ""
        return ", ".join(items) + more if items else MISSING
    if is_missing(value):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, numbers.Number):
        return format_number(value)
    return str(value)


def sort_key(value: Any) -> str | None:
    """The exact numeric value of a cell for sorting (positional), None for text.

    Examples
    --------
    >>> sort_key(5.637318e-08), sort_key(3), sort_key("a"), sort_key(float("nan"))
    ('0.00000005637318', '3', None, None)
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return None
    if is_missing(value) or not np.isfinite(float(value)):
        return None
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return np.format_float_positional(float(value), trim="-")


def cell(value: Any, *, tag: str = "td", cls: str = "") -> str:
    """One escaped ``<td>`` (or row header ``<th>``) with its sort key."""
    key = sort_key(value)
    attrs = f' data-v="{key}"' if key is not None else ""
    attrs += ' scope="row"' if tag == "th" else ""
    attrs += f' class="{cls}"' if cls else (' class="num"' if key is not None else "")
    full = str(value) if isinstance(value, str) and len(value) > 80 else ""
    attrs += f' title="{html.escape(full)}"' if full else ""
    shown = cell_text(value)
    shown = shown if len(shown) <= 80 else shown[:79] + "…"
    return f"<{tag}{attrs}>{html.escape(shown)}</{tag}>"


def index_levels(index: pd.Index) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Header names of the index levels and each row's level values.

    A MultiIndex, or an index whose labels are all tuples of one length (a flattened
    MultiIndex), gives one level per tuple position; unnamed levels are ``row`` / ``level i``.

    Examples
    --------
    >>> index_levels(pd.RangeIndex(2))
    (['row'], [(0,), (1,)])
    >>> index_levels(pd.Index([("a", 1), ("b", 2)], tupleize_cols=False))
    (['level 0', 'level 1'], [('a', 1), ('b', 2)])
    """
    labels = list(index)
    if index.nlevels > 1:
        names = [str(n) if n is not None else f"level {i}" for i, n in enumerate(index.names)]
        return names, [tuple(v) for v in labels]
    sizes = {len(v) if isinstance(v, tuple) else 0 for v in labels}
    if len(sizes) == 1 and 0 not in sizes:
        return [f"level {i}" for i in range(sizes.pop())], labels
    return [str(index.name) if index.name is not None else "row"], [(v,) for v in labels]


def frame_table(
    frame: pd.DataFrame,
    *,
    table_id: str,
    caption: str = "",
    hidden: int = 0,
    bars: Sequence[tuple[float, str]] | None = None,
) -> str:
    """A sortable ``<table>`` of ``frame``, its index as row headers.

    ``hidden`` rows not shown are announced under the table ("N more rows not shown");
    ``bars`` adds a last column of (length in [0, 1], colour) bars, one per row.

    Examples
    --------
    >>> f = pd.DataFrame({"score": [5.6e-08, 0.25]}, index=pd.Index(["r1", "<r2>"], name="id"))
    >>> page = frame_table(f, table_id="t", hidden=3)
    >>> "&lt;r2&gt;" in page, "3 more rows not shown" in page, page.count("<tr")
    (True, True, 3)
    """
    names, levels = index_levels(frame.index)
    heads = [*names, *(str(c) for c in frame.columns)]
    if bars is not None:
        heads.append("1 \u2212 score")
    header = "".join(f'<th tabindex="0" aria-sort="none">{html.escape(h)}</th>' for h in heads)
    rows = []
    for position, (label, values) in enumerate(zip(levels, frame.itertuples(index=False))):
        cells = [cell(v, tag="th") for v in label] + [cell(v) for v in values]
        if bars is not None:
            cells.append(bar_cell(*bars[position]))
        rows.append(f"<tr>{''.join(cells)}</tr>")
    caption_html = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    table = (
        f'<table class="sortable" id="{html.escape(table_id)}">{caption_html}'
        f"<thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if hidden > 0:
        noun = "row" if hidden == 1 else "rows"
        table += f'<p class="more">{hidden:,} more {noun} not shown</p>'
    return f'<div class="table-wrap">{table}</div>'


def bar_cell(length: float, colour: str) -> str:
    """A cell holding a horizontal bar of ``length`` (0..1) in ``colour``, sortable by length."""
    width = f"{100 * min(max(length, 0.0), 1.0):.1f}%"
    key = np.format_float_positional(float(length), trim="-")
    return (
        f'<td data-v="{key}" class="barcell"><span class="bar" '
        f'style="width:{width};background:{colour}"></span></td>'
    )
