"""Inline SVG drawn by hand: the primitives and axes the report's pictures are built from.

Every function returns SVG markup as a string; every piece of text goes through
:func:`html.escape`; coordinates are written with one decimal (never scientific notation).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

import numpy as np

from pdclean.report.numbers import format_number

__all__ = [
    "PALETTE",
    "axes",
    "class_colour",
    "coord",
    "nice_ticks",
    "rect",
    "svg",
    "text",
    "truncate",
]

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#b07aa1",
    "#edc948",
    "#76b7b2",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#3b3b8f",
)
"""Class colours (Tableau 10, reordered so that red stays free for flagged rows)."""


def class_colour(code: int) -> str:
    """Colour of class ``code`` (the palette repeats past ten classes).

    Examples
    --------
    >>> class_colour(0), class_colour(10)
    ('#4e79a7', '#4e79a7')
    """
    return PALETTE[code % len(PALETTE)]


def coord(value: float) -> str:
    """A coordinate with one decimal, positional.

    Examples
    --------
    >>> coord(3.14159), coord(1e-9), coord(-0.04)
    ('3.1', '0', '0')
    """
    out = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def svg(width: float, height: float, body: str, *, label: str, css_class: str = "chart") -> str:
    """Wrap ``body`` in an ``<svg>`` element with a viewBox and an accessible label.

    Examples
    --------
    >>> svg(10, 5, "", label="a <b>")[:60]
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 5" w'
    """
    w, h = coord(width), coord(height)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        f'height="{h}" role="img" aria-label="{html.escape(label)}" class="{css_class}">'
        f"<title>{html.escape(label)}</title>{body}</svg>"
    )


def text(x: float, y: float, content: str, *, anchor: str = "start", cls: str = "") -> str:
    """An escaped ``<text>`` element.

    Examples
    --------
    >>> text(1, 2, "<x>", anchor="end")
    '<text x="1" y="2" text-anchor="end">&lt;x&gt;</text>'
    """
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<text x="{coord(x)}" y="{coord(y)}" text-anchor="{anchor}"{klass}>'
        f"{html.escape(content)}</text>"
    )


def rect(x: float, y: float, w: float, h: float, fill: str, *, tip: str = "") -> str:
    """A filled ``<rect>``, with an escaped tooltip when ``tip`` is given.

    Examples
    --------
    >>> rect(0, 0, 2, 3, "#fff", tip="a&b")
    '<rect x="0" y="0" width="2" height="3" fill="#fff"><title>a&amp;b</title></rect>'
    """
    head = (
        f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(w)}" height="{coord(h)}" fill="{fill}"'
    )
    return f"{head}><title>{html.escape(tip)}</title></rect>" if tip else f"{head}/>"


def truncate(name: str, limit: int = 18) -> str:
    """Shorten a long label with an ellipsis.

    Examples
    --------
    >>> truncate("seafoam green"), truncate("a very long class name indeed", 10)
    ('seafoam green', 'a very lo…')
    """
    return name if len(name) <= limit else name[: limit - 1] + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high] (steps of 1, 2, 2.5 or 5 times a power of ten).

    Examples
    --------
    >>> nice_ticks(0, 1)
    [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    >>> nice_ticks(0, 37)
    [0.0, 10.0, 20.0, 30.0]
    """
    if not math.isfinite(low) or not math.isfinite(high) or high <= low:
        return [low] if math.isfinite(low) else []
    raw = (high - low) / max(count, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [round(k * step, 12) for k in range(first, last + 1)]


def axes(
    box: tuple[float, float, float, float],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    *,
    xlabel: str,
    ylabel: str,
    xticks: Sequence[float] | None = None,
    yticks: Sequence[float] | None = None,
) -> str:
    """Grid lines, tick labels and axis titles of a plot area ``box = (left, top, w, h)``."""
    left, top, width, height = box
    parts = [
        f'<rect x="{coord(left)}" y="{coord(top)}" width="{coord(width)}" '
        f'height="{coord(height)}" class="frame"/>'
    ]
    xs = nice_ticks(*xlim) if xticks is None else list(xticks)
    ys = nice_ticks(*ylim) if yticks is None else list(yticks)
    for value in xs:
        x = left + width * scale(value, xlim)
        parts.append(
            f'<line x1="{coord(x)}" y1="{coord(top)}" x2="{coord(x)}" '
            f'y2="{coord(top + height)}" class="grid"/>'
        )
        parts.append(text(x, top + height + 14, format_number(value), anchor="middle", cls="tick"))
    for value in ys:
        y = top + height * (1 - scale(value, ylim))
        parts.append(
            f'<line x1="{coord(left)}" y1="{coord(y)}" x2="{coord(left + width)}" '
            f'y2="{coord(y)}" class="grid"/>'
        )
        parts.append(text(left - 5, y + 4, format_number(value), anchor="end", cls="tick"))
    parts.append(text(left + width / 2, top + height + 32, xlabel, anchor="middle", cls="axis"))
    mid = top + height / 2
    parts.append(
        f'<text transform="translate({coord(left - 40)},{coord(mid)}) rotate(-90)" '
        f'text-anchor="middle" class="axis">{html.escape(ylabel)}</text>'
    )
    return "".join(parts)


def scale(value: float | np.ndarray, limits: tuple[float, float]) -> float | np.ndarray:
    """Position of ``value`` in ``limits`` as a fraction (0 at the low end).

    Examples
    --------
    >>> scale(5.0, (0.0, 10.0)), scale(1.0, (1.0, 1.0))
    (0.5, 0.5)
    """
    low, high = limits
    if high <= low:
        return value * 0 + 0.5
    return (value - low) / (high - low)
