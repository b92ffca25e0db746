"""pdclean.plot under a non-interactive backend, and the audit's self-contained HTML page."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import re
import shutil
import subprocess
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
    plot_audit_summary,
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


def test_audit_summary_chart(audit):
    ax = plot_audit_summary(audit)
    summary = audit.summary
    assert len(ax.patches) == len(summary) == 9
    np.testing.assert_allclose([p.get_width() for p in ax.patches], summary["score"])
    texts = [t.get_text() for t in ax.texts]
    assert texts[:5] == ["0 issues", "64 issues", "7 issues", "6 issues", "1 issue"]
    assert ax.get_title() == "Audit summary: health 0.5256"
    assert _png(ax).startswith(PNG)


def test_missing_matplotlib_names_the_extra(monkeypatch, train):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"pip install 'pdclean\[plot\]'"):
        plot_label_issues(train, "x1", "x2", "label", [])


# ------------------------------------------------------------------------------ HTML page


def test_html_page_is_self_contained_with_the_chart(audit, tmp_path):
    path = tmp_path / "audit.html"
    page = audit.to_html(path)
    assert path.read_text(encoding="utf-8") == page
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)
    assert len(images) == 1
    assert base64.b64decode(images[0]).startswith(PNG)
    assert "Overall dataset quality in terms of this issue: 0.7560" in page
    assert "http" not in page
    assert "<script" not in page
    assert "<link" not in page


def test_html_page_without_matplotlib(audit, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "matplotlib" else real(name, *a),
    )
    page = audit.to_html()
    assert "<img" not in page
    assert "Overall dataset quality in terms of this issue: 0.3454" in page


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.mark.skipif(_browser() is None, reason="no Chromium / Chrome installed")
def test_html_page_opens_in_headless_chromium_without_console_errors(audit, tmp_path):
    path = tmp_path / "audit.html"
    audit.to_html(path)
    done = subprocess.run(
        [
            _browser(), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
            "--v=0", "--dump-dom", path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "pdclean audit" in done.stdout
    assert "data:image/png;base64," in done.stdout
    console = [line for line in done.stderr.splitlines() if "CONSOLE" in line]
    assert not [line for line in console if "error" in line.lower()], console
    assert "Uncaught" not in done.stderr
