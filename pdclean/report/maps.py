"""The 2-D map of the rows: a projection of the features (numpy), drawn as an inline SVG scatter.

The one computation of the report beyond layout: features with more than two columns are
standardised and projected on their first two principal components (SVD); one or two columns
are drawn as they are, on their own axes.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import numpy as np

from pdclean.report.svg import axes, class_colour, coord, scale, svg, text, truncate

__all__ = ["MAX_POINTS", "project", "sample_rows", "scatter_map"]

MAX_POINTS = 4000
LABEL_RING = "#d64541"
OTHER_RING = "#222222"
MISSING_CLASS = "#c8c8c8"


def impute(values: np.ndarray) -> np.ndarray:
    """Replace non-finite values by their column's mean of finite values (0 if none).

    Examples
    --------
    >>> impute(np.array([[1.0, np.nan], [3.0, 4.0]])).tolist()
    [[1.0, 4.0], [3.0, 4.0]]
    """
    finite = np.isfinite(values)
    counts = finite.sum(axis=0)
    sums = np.where(finite, values, 0.0).sum(axis=0)
    means = np.divide(sums, counts, out=np.zeros(values.shape[1]), where=counts > 0)
    return np.where(finite, values, means)


def project(values: np.ndarray, names: Sequence[str] | None = None) -> tuple[np.ndarray, str, str]:
    """Two coordinates per row and the two axis titles.

    One or two columns are returned as they are (a zero second coordinate for one column);
    more columns are standardised and projected on the first two principal components, whose
    titles give the share of variance they explain.

    Examples
    --------
    >>> xy, xt, yt = project(np.array([[0.0, 1.0], [2.0, 3.0]]), ["a", "b"])
    >>> xy.tolist(), xt, yt
    ([[0.0, 1.0], [2.0, 3.0]], 'a', 'b')
    >>> X = np.random.default_rng(0).normal(size=(50, 4))
    >>> xy, xt, yt = project(X)
    >>> xy.shape, xt.startswith("PC1 ("), yt.startswith("PC2 (")
    ((50, 2), True, True)
    """
    values = impute(np.asarray(values, dtype=np.float64))
    d = values.shape[1]
    names = [f"feature {j}" for j in range(d)] if names is None else [str(n) for n in names]
    if d == 1:
        return np.column_stack([values[:, 0], np.zeros(len(values))]), names[0], ""
    if d == 2:
        return values, names[0], names[1]
    centred = values - values.mean(axis=0)
    spread = centred.std(axis=0)
    standard = centred / np.where(spread > 0, spread, 1.0)
    _, singular, vt = np.linalg.svd(standard, full_matrices=False)
    share = singular**2 / max(float((singular**2).sum()), 1e-300)
    xy = standard @ vt[:2].T
    titles = [f"PC{k + 1} ({100 * share[k]:.0f}% of variance)" for k in range(2)]
    return xy, titles[0], titles[1]


def sample_rows(flagged: np.ndarray, *, limit: int = MAX_POINTS, seed: int = 0) -> np.ndarray:
    """Positions of the rows to draw: every flagged row, then others at random up to ``limit``.

    Examples
    --------
    >>> flagged = np.zeros(10_000, dtype=bool); flagged[[5, 9_999]] = True
    >>> rows = sample_rows(flagged, limit=100)
    >>> len(rows), bool(flagged[rows].sum() == 2), bool(np.all(np.diff(rows) > 0))
    (100, True, True)
    """
    n = len(flagged)
    if n <= limit:
        return np.arange(n)
    keep = np.flatnonzero(flagged)
    others = np.flatnonzero(~flagged)
    room = max(limit - len(keep), 0)
    chosen = np.random.default_rng(seed).choice(others, size=min(room, len(others)), replace=False)
    return np.sort(np.concatenate([keep, chosen]))


def scatter_map(
    xy: np.ndarray,
    codes: np.ndarray,
    class_names: Sequence[str],
    *,
    label_flag: np.ndarray,
    other_flag: np.ndarray,
    row_names: Sequence[str],
    titles: tuple[str, str],
    total: int,
) -> str:
    """The scatter of ``xy`` coloured by class code, label issues ringed red, others black."""
    width, height = 780.0, 540.0
    box = (56.0, 34.0, width - 56.0 - 150.0, height - 34.0 - 48.0)
    xlim, ylim = padded(xy[:, 0]), padded(xy[:, 1])
    px = box[0] + box[2] * scale(xy[:, 0], xlim)
    py = box[1] + box[3] * (1 - scale(xy[:, 1], ylim))
    flagged = label_flag | other_flag
    body = [axes(box, xlim, ylim, xlabel=titles[0], ylabel=titles[1])]
    for i in np.concatenate([np.flatnonzero(~flagged), np.flatnonzero(flagged)]):
        body.append(point(px[i], py[i], int(codes[i]), class_names, row_names[i]))
    for i in np.flatnonzero(other_flag & ~label_flag):
        body.append(
            f'<rect x="{coord(px[i] - 5)}" y="{coord(py[i] - 5)}" width="10" '
            f'height="10" class="ring other"/>'
        )
    for i in np.flatnonzero(label_flag):
        body.append(f'<circle cx="{coord(px[i])}" cy="{coord(py[i])}" r="6.5" class="ring label"/>')
    shown = f"{len(xy):,} of {total:,} rows" if len(xy) < total else f"{total:,} rows"
    body.append(text(box[0], 20, f"{shown}, coloured by given label", cls="caption"))
    body.append(legend(box[0] + box[2] + 14, box[1] + 4, class_names, label_flag, other_flag))
    return svg(width, height, "".join(body), label="Map of the rows", css_class="chart map")


def point(x: float, y: float, code: int, class_names: Sequence[str], row: str) -> str:
    """One dot with its row name and class as a tooltip."""
    fill = class_colour(code) if code >= 0 else MISSING_CLASS
    name = class_names[code] if code >= 0 else "missing label"
    return (
        f'<circle cx="{coord(x)}" cy="{coord(y)}" r="3.2" fill="{fill}">'
        f"<title>{html.escape(f'row {row}: {name}')}</title></circle>"
    )


def legend(
    x: float,
    y: float,
    class_names: Sequence[str],
    label_flag: np.ndarray,
    other_flag: np.ndarray,
) -> str:
    """Class swatches, then the two ring markers with their counts."""
    parts = []
    for code, name in enumerate(class_names[:20]):
        cy = y + 18 * code
        parts.append(
            f'<circle cx="{coord(x + 5)}" cy="{coord(cy)}" r="5" fill="{class_colour(code)}"/>'
        )
        parts.append(text(x + 15, cy + 4, truncate(str(name)), cls="legend"))
    cy = y + 18 * min(len(class_names), 20) + 14
    if label_flag.any():
        parts.append(f'<circle cx="{coord(x + 5)}" cy="{coord(cy)}" r="6" class="ring label key"/>')
        parts.append(text(x + 15, cy + 4, f"label issue ({int(label_flag.sum()):,})", cls="legend"))
        cy += 20
    other = other_flag & ~label_flag
    if other.any():
        parts.append(
            f'<rect x="{coord(x)}" y="{coord(cy - 5)}" width="10" height="10" '
            'class="ring other key"/>'
        )
        parts.append(text(x + 15, cy + 4, f"other issue ({int(other.sum()):,})", cls="legend"))
    return "".join(parts)


def padded(values: np.ndarray) -> tuple[float, float]:
    """Axis limits: the data range plus 4% on each side (a unit range around a constant).

    Examples
    --------
    >>> padded(np.array([0.0, 10.0])), padded(np.array([2.0, 2.0]))
    ((-0.4, 10.4), (1.5, 2.5))
    """
    low, high = float(np.min(values)), float(np.max(values))
    if high - low <= 0:
        return low - 0.5, high + 0.5
    pad = 0.04 * (high - low)
    return low - pad, high + pad
