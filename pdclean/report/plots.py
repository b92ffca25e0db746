"""Plots of pdclean results (matplotlib, an optional extra: ``pip install 'pdclean[plot]'``).

Every function draws on ``ax`` (a new figure when None) and returns the matplotlib Axes; none
calls ``show``, so they work headless (``matplotlib.use("Agg")``) and in notebooks.

* :func:`plot_label_issues`: the tutorial's scatter, flagged rows circled in red;
* :func:`plot_matrix`: a joint / noise matrix as an annotated heatmap;
* :func:`plot_class_quality`: label quality per class (``df.clean.class_health``);
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
import pandas as pd

from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError

__all__ = ["plot_class_quality", "plot_label_issues", "plot_matrix"]

_INSTALL = "pip install 'pdclean[plot]'"


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            f"pdclean.plot needs matplotlib, which is not installed: {_INSTALL}"
        ) from None
    return plt


def _axes(ax: Any, figsize: tuple[float, float]) -> Any:
    if ax is not None:
        return ax
    _, ax = _pyplot().subplots(figsize=figsize)
    return ax


def _column(df: pd.DataFrame, name: Hashable, what: str) -> pd.Series:
    if name not in df.columns:
        raise ColumnNotFoundError(
            f"{what} {name!r} is not a column of df; the columns are {df.columns.tolist()!r}."
        )
    return df[name]


def _issue_mask(df: pd.DataFrame, issues: Any) -> np.ndarray:
    """Boolean mask over df's rows from a mask, an issues frame, or a list of row labels."""
    if isinstance(issues, pd.DataFrame):
        flags = [
            c for c in issues.columns if str(c).startswith("is_") and str(c).endswith("_issue")
        ]
        if not flags:
            raise InputError(
                "issues is a DataFrame without an is_<type>_issue column; pass the output of "
                "df.clean.find_label_issues(...) or a boolean mask. Columns: "
                f"{issues.columns.tolist()!r}"
            )
        issues = issues["is_label_issue" if "is_label_issue" in issues else flags[0]]
    if isinstance(issues, pd.Series) and pd.api.types.is_bool_dtype(issues.dtype):
        if not issues.index.equals(df.index):
            issues = issues.reindex(df.index)
        return issues.to_numpy(dtype=bool, na_value=False)
    values = np.asarray(issues)
    if values.dtype == bool:
        if values.shape != (len(df),):
            raise InputError(
                f"issues as a boolean mask must have one value per row of df ({len(df)}); got "
                f"shape {values.shape}."
            )
        return values
    return np.asarray(df.index.isin(values))


def plot_label_issues(
    df: pd.DataFrame,
    x: Hashable,
    y: Hashable,
    label: Hashable,
    issues: Any,
    *,
    title: str | None = None,
    ax: Any = None,
) -> Any:
    """Scatter ``df[x]`` against ``df[y]`` colored by label, flagged rows circled in red.

    Parameters
    ----------
    df : DataFrame
    x, y, label : column names
        The two coordinates and the (given) label that colors the points.
    issues : boolean mask, DataFrame, or list of row labels
        Rows to circle: a boolean array / Series (aligned on ``df.index``), the output of
        ``df.clean.find_label_issues`` (its ``is_label_issue`` column) or of an audit's
        ``.get(issue_type)``, or the index labels of the rows.
    title : str, optional
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes (the circles are its last line).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> df = pd.DataFrame({"a": [0, 1, 2, 3], "b": [1, 0, 1, 0], "y": list("ppqq")})
    >>> ax = plot_label_issues(df, "a", "b", "y", [False, True, False, False])
    >>> len(ax.lines[-1].get_xdata())
    1
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    xs, ys = _column(df, x, "x").to_numpy(), _column(df, y, "y").to_numpy()
    labels = _column(df, label, "label")
    mask = _issue_mask(df, issues)
    if isinstance(labels.dtype, pd.CategoricalDtype):
        codes, classes = labels.cat.codes.to_numpy(), labels.cat.categories
    else:
        codes, classes = pd.factorize(labels, sort=True)
    ax = _axes(ax, (14, 5))
    points = ax.scatter(xs, ys, c=codes, s=60)
    handles = points.legend_elements()[0]
    if len(handles) == len(classes):
        ax.legend(handles, [str(c) for c in classes], title=str(label), loc="best")
    ax.plot(
        xs[mask],
        ys[mask],
        "o",
        markerfacecolor="none",
        markeredgecolor="red",
        markersize=14,
        markeredgewidth=2.5,
        linestyle="none",
    )
    ax.set_xlabel(str(x))
    ax.set_ylabel(str(y))
    ax.set_title(title or f"{int(mask.sum())} flagged rows circled in red")
    return ax


def plot_matrix(
    matrix: pd.DataFrame | np.ndarray,
    *,
    title: str | None = None,
    fmt: str = ".3f",
    cmap: str = "Blues",
    ax: Any = None,
) -> Any:
    """An annotated heatmap of a K x K matrix (joint distribution, noise matrix, ...).

    Rows and columns are labelled by the frame's index and columns (and their names).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> m = pd.DataFrame([[0.4, 0.1], [0.0, 0.5]], index=["a", "b"], columns=["a", "b"])
    >>> [t.get_text() for t in plot_matrix(m).texts]
    ['0.400', '0.100', '0.000', '0.500']
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    frame = matrix if isinstance(matrix, pd.DataFrame) else pd.DataFrame(np.asarray(matrix))
    values = frame.to_numpy(dtype=np.float64)
    if values.ndim != 2 or values.size == 0:
        raise InputError(f"matrix must be a non-empty 2-D table; got shape {values.shape}.")
    ax = _axes(ax, (1.2 * values.shape[1] + 2.5, 1.0 * values.shape[0] + 1.5))
    image = ax.imshow(values, cmap=cmap, vmin=min(0.0, np.nanmin(values)))
    middle = (np.nanmax(values) + np.nanmin(values)) / 2
    rows, cols = np.indices(values.shape)
    for i, j, v in zip(rows.ravel(), cols.ravel(), values.ravel()):
        ax.text(
            j, i, format(v, fmt), ha="center", va="center", color="white" if v > middle else "black"
        )
    ax.set_xticks(
        np.arange(values.shape[1]), [str(c) for c in frame.columns], rotation=30, ha="right"
    )
    ax.set_yticks(np.arange(values.shape[0]), [str(c) for c in frame.index])
    if frame.columns.name is not None:
        ax.set_xlabel(str(frame.columns.name))
    if frame.index.name is not None:
        ax.set_ylabel(str(frame.index.name))
    ax.figure.colorbar(image, ax=ax)
    if title:
        ax.set_title(title)
    return ax


def plot_class_quality(
    class_health: pd.DataFrame, *, column: str = "label_quality", ax: Any = None
) -> Any:
    """Horizontal bars of label quality per class (worst first), from ``df.clean.class_health``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ch = pd.DataFrame({"label_quality": [0.6, 0.9]}, index=pd.Index(["a", "b"], name="y"))
    >>> [float(p.get_width()) for p in plot_class_quality(ch).patches]
    [0.6, 0.9]
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if not isinstance(class_health, pd.DataFrame):
        raise InputTypeError(
            f"class_health must be the DataFrame of df.clean.class_health(...); got "
            f"{type(class_health).__name__}."
        )
    values = _column(class_health, column, "column").to_numpy(dtype=np.float64)
    names = [str(c) for c in class_health.index]
    ax = _axes(ax, (7, 0.5 * len(names) + 1.5))
    positions = np.arange(len(names))
    ax.barh(positions, values, color="tab:blue")
    ax.set_yticks(positions, names)
    ax.invert_yaxis()  # first row (worst class) on top
    ax.set_xlim(0, 1)
    for position, value in zip(positions, values):
        ax.text(min(value, 1.0) + 0.01, position, f"{value:.3f}", va="center")
    ax.set_xlabel(column)
    if class_health.index.name is not None:
        ax.set_ylabel(str(class_health.index.name))
    ax.set_title("Label quality per class")
    return ax
