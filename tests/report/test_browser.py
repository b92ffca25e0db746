"""The tutorial's HTML report opened in a real browser (headless Chromium): DOM and screenshot.

Chromium is found on the PATH (``chromium`` or ``chromium-browser``; CI installs Debian's
``chromium`` in ``.ci/run``). Without it the tests skip with the reason, except when the ``CI``
environment variable is set: CI must run them, so there they fail.

Run as a script, this module writes the tutorial's screenshot to ``docs/report.png`` by the
same code path as the tests::

    .venv/bin/python tests/report/test_browser.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import pdclean
from pdclean.report.html import render_html

ROOT = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH, HEIGHT = 1280, 2400
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


def find_chromium() -> str | None:
    """Path of the Chromium binary, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def require_chromium() -> str:
    """Chromium's path; skip without it, but fail when the CI variable is set."""
    binary = find_chromium()
    if binary is None:
        reason = (
            "Chromium is not installed (neither `chromium` nor `chromium-browser` is on the "
            "PATH); install it with `apt-get install -y chromium` to run the browser test."
        )
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    return binary


def tutorial_page(path: Path) -> object:
    """Audit the tutorial as the README does, write its HTML report to ``path``, return it."""
    train, _ = pdclean.datasets.load_tutorial()
    probs = train.clean.pred_probs(
        "label", features=["x1", "x2"], model=LogisticRegression(), random_state=0
    )
    audit = train.clean.audit("label", pred_probs=probs, features=["x1", "x2"])
    path.write_text(
        render_html(audit, features=train[["x1", "x2"]], labels=train["label"]), encoding="utf-8"
    )
    return audit


def chromium(binary: str, url: str, *extra: str, profile: Path) -> str:
    """Run headless Chromium on ``url`` with the test flags; return its stdout."""
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, f"chromium exited {done.returncode}: {done.stderr[-2000:]}"
    return done.stdout


def screenshot(binary: str, page: Path, png: Path, *, height: int = HEIGHT) -> None:
    """Write a PNG screenshot of ``page`` (1280 pixels wide) to ``png``."""
    with tempfile.TemporaryDirectory() as profile:
        chromium(
            binary,
            page.as_uri(),
            f"--screenshot={png}",
            f"--window-size={WIDTH},{height}",
            profile=Path(profile),
        )


def dump_dom(binary: str, url: str) -> str:
    """The page's DOM after load (scripts run) as serialised by Chromium."""
    with tempfile.TemporaryDirectory() as profile:
        return chromium(binary, url, "--dump-dom", profile=Path(profile))


class Elements(HTMLParser):
    """Collects every start tag with its attributes, and the text under <title>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_title = tag == "title"  # the first <title> is the page's, in <head>

    def handle_endtag(self, tag):
        self.in_title = False

    def handle_data(self, data):
        if self.in_title and not self.title:
            self.title = data


def elements(dom: str) -> Elements:
    parser = Elements()
    parser.feed(dom)
    return parser


def table_keys(dom: str, table_id: str, column: int) -> list[float]:
    """``data-v`` of one column of a table's body rows, in DOM order."""
    keys, inside, position = [], False, -1
    for tag, attrs in elements(dom).tags:
        if tag == "table":
            inside = attrs.get("id") == table_id
        elif inside and tag == "tr":
            position = -1
        elif inside and tag in ("td", "th"):
            position += 1
            if position == column and attrs.get("data-v") is not None and "scope" not in attrs:
                keys.append(float(attrs["data-v"]))
    return keys


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    binary = require_chromium()
    folder = tmp_path_factory.mktemp("report")
    page = folder / "report.html"
    audit = tutorial_page(page)
    return binary, page, audit


def test_browser_renders_the_key_elements(rendered):
    binary, page, audit = rendered
    dom = dump_dom(binary, page.as_uri())
    found = elements(dom)
    assert found.title.startswith("pdclean audit: health 0.526")
    cards = [a for t, a in found.tags if t == "div" and "card" in (a.get("class") or "").split()]
    assert sorted(a["data-check"] for a in cards) == sorted(audit.summary["issue_type"])
    flagged = audit.summary.loc[audit.summary["num_issues"] > 0, "issue_type"]
    tables = sorted(a["id"] for t, a in found.tags if t == "table")
    assert tables == sorted(["table-summary", *(f"table-{t}" for t in flagged)])
    pictures = [a.get("aria-label") for t, a in found.tags if t == "svg"]
    expected = [
        "Map of the rows",
        "Class confusion",
        "Overlapping classes",
        *(f"Distribution of {t} scores" for t in flagged),
    ]
    assert sorted(pictures) == sorted(expected)
    assert all(a.get("data-sorted") is None for t, a in found.tags if t == "table")


def test_browser_runs_the_sorting_script(rendered):
    binary, page, audit = rendered
    scores = audit.get("label")
    flagged = np.sort(scores.loc[scores["is_label_issue"], "label_score"].to_numpy())[:20]
    dom = dump_dom(binary, page.as_uri() + "?sort=table-label:1:desc")
    keys = table_keys(dom, "table-label", 1)
    np.testing.assert_allclose(keys, flagged[::-1], rtol=1e-12)
    sorted_tables = [a for t, a in elements(dom).tags if t == "table" and a.get("data-sorted")]
    assert [(a["id"], a["data-sorted"]) for a in sorted_tables] == [("table-label", "1:desc")]
    plain = table_keys(dump_dom(binary, page.as_uri()), "table-label", 1)
    np.testing.assert_allclose(plain, flagged, rtol=1e-12)


def test_browser_screenshot_is_a_non_blank_png(rendered, tmp_path):
    binary, page, _ = rendered
    png = tmp_path / "report.png"
    screenshot(binary, page, png)
    data = png.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (WIDTH, HEIGHT)
    image = pytest.importorskip("PIL.Image")
    pixels = np.asarray(image.open(png).convert("RGB"), dtype=np.int16)
    background = pixels[5, 5]
    inked = np.any(np.abs(pixels - background) > 24, axis=-1)
    assert inked.mean() > 0.05  # text, cards, tables and pictures, not an empty page
    colours = {tuple(c) for c in pixels[::8, ::8].reshape(-1, 3).tolist()}
    assert len(colours) > 100


def main() -> int:
    """Write the tutorial's report screenshot to docs/report.png (the tests' code path)."""
    binary = find_chromium()
    if binary is None:
        print("Chromium is not installed: apt-get install -y chromium", file=sys.stderr)
        return 1
    docs = ROOT / "docs"
    docs.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "report.html"
        tutorial_page(page)
        screenshot(binary, page, docs / "report.png", height=int(os.environ.get("HEIGHT", "3700")))
    print(f"wrote {docs / 'report.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
