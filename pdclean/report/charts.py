"""Inline SVG charts of the report: class confusion heatmap, score histogram, overlapping pairs."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from pdclean.report.numbers import format_count, format_number
from pdclean.report.svg import axes, coord, rect, scale, svg, text, truncate

__all__ = ["confusion_heatmap", "overlap_bars", "score_histogram", "separating_threshold"]

DIAGONAL = (78, 121, 167)
OFF_DIAGONAL = (214, 69, 65)
FLAGGED = "#d64541"
UNFLAGGED = "#b9c2cc"


def tint(rgb: tuple[int, int, int], strength: float) -> str:
    """``rgb`` blended with white; ``strength`` 0 is white, 1 the full colour.

    Examples
    --------
    >>> tint((255, 0, 0), 1.0), tint((255, 0, 0), 0.0)
    ('#ff0000', '#ffffff')
    """
    s = min(1.0, max(0.0, strength))
    r, g, b = (round(255 - (255 - c) * s) for c in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def confusion_heatmap(
    counts: np.ndarray, class_names: Sequence[str], *, row_title: str, col_title: str
) -> str:
    """K x K counts as a heatmap: agreement in blue, disagreement in red, counts written in.

    Off-diagonal cells are shaded against the largest off-diagonal count, so the few
    confusions stay visible beside a large diagonal.

    Examples
    --------
    >>> page = confusion_heatmap(np.array([[5, 1], [0, 4]]), ["a", "b"],
    ...                          row_title="given", col_title="true")
    >>> page.startswith("<svg"), page.count("<rect")
    (True, 4)
    """
    k = len(class_names)
    cell = float(np.clip(360 / max(k, 1), 16, 56))
    names = [truncate(str(c), 16) for c in class_names]
    left = 24 + 7.0 * max(len(n) for n in names)
    top = 40.0
    width = left + cell * k + 20
    height = top + cell * k + 14 + 3.8 * max(len(n) for n in names)
    diag_max = max(float(np.max(np.diag(counts))), 1.0)
    off = counts * (1 - np.eye(k))
    off_max = max(float(off.max()), 1.0)
    body = [text(left, 16, f"{col_title} →", cls="caption")]
    for i in range(k):
        for j in range(k):
            body.append(heat_cell(counts, i, j, (left, top, cell), (diag_max, off_max)))
            if cell >= 24:
                dark = (i == j and counts[i, j] > 0.6 * diag_max) or counts[i, j] > 0.6 * off_max
                cls = "cell dark" if dark and counts[i, j] > 0 else "cell"
                label = format_count(counts[i, j]) if counts[i, j] else "·"
                cx, cy = left + cell * (j + 0.5), top + cell * (i + 0.5) + 4
                body.append(text(cx, cy, label, anchor="middle", cls=cls))
        body.append(text(left - 6, top + cell * (i + 0.5) + 4, names[i], anchor="end", cls="tick"))
        x = left + cell * (i + 0.5)
        y = top + cell * k + 8
        body.append(
            f'<text transform="translate({coord(x)},{coord(y)}) rotate(40)" class="tick">'
            f"{text_escape(names[i])}</text>"
        )
    body.append(
        f'<text transform="translate(12,{coord(top + cell * k / 2)}) rotate(-90)" '
        f'text-anchor="middle" class="axis">{text_escape(row_title)}</text>'
    )
    return svg(width, height, "".join(body), label="Class confusion", css_class="chart heat")


def heat_cell(
    counts: np.ndarray,
    i: int,
    j: int,
    geometry: tuple[float, float, float],
    maxima: tuple[float, float],
) -> str:
    """One heatmap cell with its tooltip."""
    left, top, cell = geometry
    value = float(counts[i, j])
    if i == j:
        fill = tint(DIAGONAL, 0.12 + 0.88 * value / maxima[0])
    else:
        fill = tint(OFF_DIAGONAL, 0.85 * value / maxima[1]) if value else "#fafafa"
    tip = f"{format_count(value)} rows (row {i + 1}, column {j + 1})"
    return rect(left + cell * j + 1, top + cell * i + 1, cell - 2, cell - 2, fill, tip=tip)


def text_escape(content: str) -> str:
    """Escaped text content (the transform-positioned labels build their own element)."""
    return content.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def separating_threshold(
    scores: np.ndarray, flagged: np.ndarray, candidate: float | None
) -> float | None:
    """``candidate`` when it is a score threshold of this check, else None.

    A check's recorded threshold is drawn on its score axis only when it separates the
    flagged rows (score below it) from the others (score at or above it); thresholds stated in
    other units (distances, class fractions) fail that test and are not drawn.

    Examples
    --------
    >>> s = np.array([0.1, 0.2, 0.7]); f = np.array([True, True, False])
    >>> separating_threshold(s, f, 0.5), separating_threshold(s, f, 1.8)
    (0.5, None)
    """
    if candidate is None or not 0.0 < float(candidate) < 1.0:
        return None
    finite = np.isfinite(scores)
    below, above = scores[finite & flagged], scores[finite & ~flagged]
    if below.size and below.max() >= candidate:
        return None
    if above.size and above.min() < candidate:
        return None
    return float(candidate)


def score_histogram(
    scores: np.ndarray, flagged: np.ndarray, *, threshold: float | None, name: str
) -> str:
    """Stacked histogram of a check's scores on [0, 1]: flagged rows red, the rest grey."""
    width, height = 420.0, 230.0
    box = (52.0, 28.0, width - 52.0 - 16.0, height - 28.0 - 46.0)
    edges = np.linspace(0.0, 1.0, 26)
    finite = np.isfinite(scores)
    hit, _ = np.histogram(np.clip(scores[finite & flagged], 0, 1), bins=edges)
    rest, _ = np.histogram(np.clip(scores[finite & ~flagged], 0, 1), bins=edges)
    top = max(int((hit + rest).max()), 1)
    ylim = (0.0, float(top) * 1.08)
    body = [axes(box, (0.0, 1.0), ylim, xlabel=f"{name} score (low = worse)", ylabel="rows")]
    bar = box[2] / (len(edges) - 1)
    for b in range(len(edges) - 1):
        x = box[0] + bar * b + 0.5
        base = box[1] + box[3]
        for count, fill, kind in (
            (rest[b], UNFLAGGED, "not flagged"),
            (hit[b], FLAGGED, "flagged"),
        ):
            if count == 0:
                continue
            h = box[3] * scale(float(count), ylim)
            tip = f"{format_count(count)} {kind} rows, score {format_number(edges[b])} to "
            tip += format_number(edges[b + 1])
            body.append(rect(x, base - h, bar - 1, h, fill, tip=tip))
            base -= h
    if threshold is not None:
        x = box[0] + box[2] * threshold
        body.append(
            f'<line x1="{coord(x)}" y1="{coord(box[1] - 6)}" x2="{coord(x)}" '
            f'y2="{coord(box[1] + box[3])}" class="threshold"/>'
        )
        body.append(text(x + 4, box[1] + 4, f"threshold {format_number(threshold)}", cls="legend"))
    body.append(rect(box[0], 8, 10, 10, FLAGGED) + text(box[0] + 14, 17, "flagged", cls="legend"))
    body.append(rect(box[0] + 72, 8, 10, 10, UNFLAGGED))
    body.append(text(box[0] + 86, 17, "not flagged", cls="legend"))
    label = f"Distribution of {name} scores"
    return svg(width, height, "".join(body), label=label, css_class="chart hist")


def overlap_bars(pairs: Sequence[tuple[str, str, float]]) -> str:
    """Horizontal bars of the most overlapping class pairs (``(a, b, joint probability)``).

    Examples
    --------
    >>> overlap_bars([("a", "b", 0.05), ("b", "c", 0.01)]).count("<rect")
    2
    """
    shown = list(pairs)[:10]
    width, row = 520.0, 24.0
    left = 230.0
    height = 20 + row * len(shown) + 10
    biggest = max((p for _, _, p in shown), default=1.0) or 1.0
    body = []
    for r, (a, b, p) in enumerate(shown):
        y = 16 + row * r
        name = f"{truncate(str(a), 14)} ↔ {truncate(str(b), 14)}"
        body.append(text(left - 8, y + 15, name, anchor="end", cls="tick"))
        w = (width - left - 70) * float(p) / biggest
        body.append(rect(left, y + 3, max(w, 1.0), row - 8, "#b07aa1", tip=f"{a} and {b}"))
        body.append(text(left + w + 6, y + 15, format_number(p), cls="legend"))
    return svg(width, height, "".join(body), label="Overlapping classes", css_class="chart pairs")
