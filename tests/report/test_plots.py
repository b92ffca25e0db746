"""pdclean.plot under a non-interactive backend, and the audit's self-contained HTML page."""

from __future__ import annotations

import io
import json
import re
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)

from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial  # noqa: E402
from pdclean.plot import (  # noqa: E402
    plot_class_quality,
    plot_label_issues,
    plot_matrix,
)

_JSON = Path(__file__).parents[1] / "data" / "seed_reference.json"
_SHARED = Path("/work/shared/reference/seed_reference.json")
PNG = b"\x89PNG\r\n\x1a\n"


@cache
def _reference() -> dict:
    path = _JSON if _JSON.exists() else _SHARED
    return json.loads(path.read_text())["reference"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return load_tutorial()[0][["x1", "x2", "label"]]


@pytest.fixture(scope="module")
def P() -> np.ndarray:
    return np.array(_reference()["workflow1_datalab"]["pred_probs"])


@pytest.fixture(scope="module")
def audit(train, P):
    return train.clean.audit("label", pred_probs=P, features=["x1", "x2"])


def _png(ax) -> bytes:
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    return buffer.getvalue()


def test_label_issues_scatter_circles_each_flagged_row(train, audit):
    issues = audit.get("label")
    ax = plot_label_issues(train, "x1", "x2", "label", issues)
    circles = ax.lines[-1]
    flagged = issues["is_label_issue"].to_numpy()
    assert flagged.sum() == 64  # the reference's number of label issues
    np.testing.assert_array_equal(circles.get_xdata(), train["x1"].to_numpy()[flagged])
    np.testing.assert_array_equal(circles.get_ydata(), train["x2"].to_numpy()[flagged])
    assert circles.get_markersize() == 14
    assert circles.get_markeredgewidth() == 2.5
    assert circles.get_markerfacecolor() == "none"
    assert circles.get_markeredgecolor() == "red"
    assert len(ax.collections[0].get_offsets()) == 250
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(TUTORIAL_CLASS_NAMES)
    assert _png(ax).startswith(PNG)


def test_label_issues_from_row_labels_on_a_string_index(train, audit):
    frame = train.set_axis([f"r{i}" for i in range(len(train))])
    lowest = audit.issues["label_score"].to_numpy().argsort(kind="stable")[:20]
    _, given = plt.subplots()
    ax = plot_label_issues(frame, "x1", "x2", "label", frame.index[lowest].tolist(), ax=given)
    assert ax is given
    assert len(ax.lines[-1].get_xdata()) == 20
    assert ax.get_title() == "20 flagged rows circled in red"


def test_label_issues_bad_mask_length(train):
    with pytest.raises(ValueError, match=r"one value per row of df \(250\); got shape \(3,\)"):
        plot_label_issues(train, "x1", "x2", "label", np.array([True, False, True]))
    with pytest.raises(KeyError, match="x 'x9' is not a column of df"):
        plot_label_issues(train, "x9", "x2", "label", [])


def test_matrix_heatmap_annotations_are_the_values():
    joint = _reference()["workflow7_1_count"]["joint"]
    names = list(TUTORIAL_CLASS_NAMES)
    frame = pd.DataFrame(
        joint,
        index=pd.Index(names, name="given_label"),
        columns=pd.Index(names, name="true_label"),
    )
    ax = plot_matrix(frame, title="joint")
    texts = [t.get_text() for t in ax.texts]
    assert texts == [format(v, ".3f") for row in joint for v in row]
    assert texts[:4] == ["0.272", "0.000", "0.032", "0.032"]
    assert [t.get_text() for t in ax.get_xticklabels()] == names
    assert [t.get_text() for t in ax.get_yticklabels()] == names
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == (
        "true_label",
        "given_label",
        "joint",
    )
    assert _png(ax).startswith(PNG)


def test_matrix_from_the_noise_estimates(train, P):
    noise = train.clean.noise_estimates("label", pred_probs=P)
    ax = plot_matrix(noise.noise_matrix, fmt=".2f")
    assert len(ax.texts) == 16
    assert [float(t.get_text()) for t in ax.texts] == pytest.approx(
        noise.noise_matrix.to_numpy().ravel(), abs=0.005
    )


def test_class_quality_bars(train, P):
    health = train.clean.class_health("label", pred_probs=P)
    ax = plot_class_quality(health)
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths, health["label_quality"].to_numpy())
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(c) for c in health.index]
    assert _png(ax).startswith(PNG)


def test_missing_matplotlib_names_the_extra(monkeypatch, train):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'pdclean\[plot\]'"):
        plot_label_issues(train, "x1", "x2", "label", [])


# ------------------------------------------------------------------------------ HTML page


def test_to_html_writes_the_full_report_with_the_map(audit, tmp_path):
    path = tmp_path / "audit.html"
    page = audit.to_html(path)
    assert path.read_text(encoding="utf-8") == page
    found = int((audit.summary["num_issues"] > 0).sum())
    assert page.count("<table") == found + 1  # one per issue type found, plus the summary
    assert page.count("<svg") >= 3  # the map of the rows, the confusion heatmap, histograms
    assert not re.search(r"(src|href)=[\"']?https?:", page)  # nothing loaded from a network
    assert audit.features.shape == (250, 2)  # the map was drawn from the audited features


def test_notebook_view_is_the_compact_report(audit):
    fragment = audit._repr_html_()
    assert fragment.startswith("<div")
    assert "<script" not in fragment
    assert "0.526" in fragment  # the dataset health, 3 significant digits


def test_report_draws_the_overlapping_pairs(audit):
    page = audit.to_html()
    pairs = audit.info("label")["overlapping_classes"]
    start = page.index('aria-label="Overlapping classes"')
    chart = page[start : page.index("</svg>", start)]
    assert chart.count("<rect") == len(pairs["class_a"]) == 6  # every pair with joint > 0
    assert "seafoam green ↔ yellow" in chart  # the most overlapping pair of the tutorial
