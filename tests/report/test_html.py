"""pdclean.report.html: the self-contained audit page, read back with html.parser."""

from __future__ import annotations

import re
import subprocess
import sys
from functools import cache
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from sklearn.decomposition import PCA
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

import pdclean
from pdclean.errors import InputError, InputTypeError
from pdclean.report.charts import separating_threshold
from pdclean.report.html import render_html
from pdclean.report.maps import project, sample_rows

SCIENTIFIC = re.compile(r"\d(\.\d+)?[eE][+-]?\d")


class Node:
    """An element of the parsed page: tag, attributes, children, text."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        found = [n for n in self.walk() if n.tag == tag]
        return [n for n in found if cls is None or cls in (n.attrs.get("class") or "").split()]

    def by_id(self, ident: str) -> Node:
        (node,) = [n for n in self.walk() if n.attrs.get("id") == ident]
        return node


class Tree(HTMLParser):
    """A DOM built by html.parser (self-closing SVG elements handled)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in ("meta", "br", "img", "input", "link", "hr", "col", "wbr"):
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None, f"unmatched </{tag}>"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str) -> Node:
    (tree := Tree()).feed(page)
    tree.close()
    assert tree.current is tree.root, f"unclosed <{tree.current.tag}>"
    return tree.root


def visible_text(root: Node) -> str:
    parts = []
    for node in root.walk():
        if node.tag in ("script", "style"):
            continue
        parts += [c for c in node.children if isinstance(c, str)]
    return " ".join(parts)


def body_rows(table: Node) -> list[Node]:
    return table.find_all("tbody")[0].find_all("tr")


def pictures(root: Node, label: str) -> list[Node]:
    return [s for s in root.find_all("svg") if s.attrs.get("aria-label") == label]


def row_header_texts(table: Node) -> list[list[str]]:
    return [[th.text() for th in tr.find_all("th")] for tr in body_rows(table)]


@cache
def tutorial():
    train, _ = pdclean.datasets.load_tutorial()
    probs = train.clean.pred_probs(
        "label", features=["x1", "x2"], model=LogisticRegression(), random_state=0
    )
    return train, probs.to_numpy()


def tutorial_audit(index: pd.Index | None = None):
    train, probs = tutorial()
    frame = train if index is None else train.set_axis(index)
    return frame, frame.clean.audit("label", pred_probs=probs, features=["x1", "x2"])


def most_severe(audit, issue_type: str, top: int) -> tuple[list, int]:
    """Index labels of the flagged rows by score (stable), written independently of the page."""
    frame = audit.get(issue_type)
    flagged = frame[frame[f"is_{issue_type}_issue"]]
    ordered = flagged.sort_values(f"{issue_type}_score", kind="stable")
    return ordered.index[:top].tolist(), max(len(flagged) - top, 0)


@pytest.fixture(scope="module")
def page_and_audit():
    frame, audit = tutorial_audit()
    page = render_html(audit, features=frame[["x1", "x2"]], labels=frame["label"])
    return page, audit


def test_one_table_per_issue_type_found_plus_the_summary(page_and_audit):
    page, audit = page_and_audit
    root = parse(page)
    found = audit.summary.loc[audit.summary["num_issues"] > 0, "issue_type"].tolist()
    ids = sorted(t.attrs["id"] for t in root.find_all("table"))
    assert ids == sorted(["table-summary", *(f"table-{t}" for t in found)])
    assert len(found) == 4  # label, outlier, near_duplicate, non_iid on the tutorial
    summary = root.by_id("table-summary")
    assert [r[0] for r in row_header_texts(summary)] == audit.summary["issue_type"].tolist()


def test_issue_tables_list_the_most_severe_rows_with_a_note_of_the_rest(page_and_audit):
    page, audit = page_and_audit
    root = parse(page)
    for issue_type in ("label", "outlier", "near_duplicate", "non_iid"):
        expected, hidden = most_severe(audit, issue_type, 20)
        table = root.by_id(f"table-{issue_type}")
        assert [r[0] for r in row_header_texts(table)] == [str(i) for i in expected]
        note = f"{hidden} more rows not shown"
        assert (note in page) == (hidden > 0)
    assert "34 more rows not shown" in page  # 54 label issues, 20 shown


def test_label_table_has_given_and_predicted_labels_and_human_scores(page_and_audit):
    page, audit = page_and_audit
    table = parse(page).by_id("table-label")
    heads = [th.text() for th in table.find_all("thead")[0].find_all("th")]
    assert heads == ["row", "label_score", "given_label", "predicted_label"]
    frame = audit.get("label")
    for tr in body_rows(table):
        cells = [c.text() for c in tr.children if isinstance(c, Node)]
        row = frame.loc[int(cells[0])]
        assert cells[2:] == [str(row["given_label"]), str(row["predicted_label"])]
        score = float(row["label_score"])
        if score < 0.001:
            assert cells[1] == "< 0.001"
        else:
            assert float(cells[1]) == pytest.approx(score, rel=5e-3)
    assert min(frame["label_score"]) < 0.001  # the case the issue complained about occurs


def test_no_scientific_notation_in_the_text(page_and_audit):
    page, _ = page_and_audit
    text = visible_text(parse(page))
    assert not SCIENTIFIC.search(text), SCIENTIFIC.search(text)
    assert "e-0" not in text and "e+0" not in text  # noqa: PT018


def test_no_external_resources(page_and_audit):
    page, _ = page_and_audit
    root = parse(page)
    links = [v for n in root.walk() for k, v in n.attrs.items() if k in ("src", "href")]
    assert links
    assert all(v.startswith("#") for v in links), links  # in-page anchors only
    assert not root.find_all("link")
    assert all("src" not in s.attrs for s in root.find_all("script"))
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_cards_show_every_check_with_count_and_score(page_and_audit):
    page, audit = page_and_audit
    cards = parse(page).find_all("div", "card")
    by_check = {c.attrs["data-check"]: c.text() for c in cards}
    assert set(by_check) == set(audit.summary["issue_type"])
    assert "54 rows flagged" in by_check["label"]
    assert "score 0.8" in by_check["label"]
    assert "1 row flagged" in by_check["non_iid"]
    assert "rarest class: yellow" in by_check["class_imbalance"]


def test_pictures_are_inline_svg(page_and_audit):
    page, audit = page_and_audit
    root = parse(page)
    labels = [s.attrs.get("aria-label") for s in root.find_all("svg")]
    assert labels.count("Map of the rows") == labels.count("Class confusion") == 1
    found = audit.summary.loc[audit.summary["num_issues"] > 0, "issue_type"]
    assert sorted(x for x in labels if x.startswith("Distribution")) == sorted(
        f"Distribution of {t} scores" for t in found
    )
    (chart,) = pictures(root, "Map of the rows")
    rings = [c for c in chart.find_all("circle", "label") if "key" not in c.attrs["class"]]
    assert len(rings) == int(audit.issues["is_label_issue"].sum())


def test_confusion_heatmap_writes_the_confident_joint(page_and_audit):
    page, audit = page_and_audit
    (heat,) = pictures(parse(page), "Class confusion")
    cells = [t.text() for t in heat.find_all("text") if "cell" in t.attrs.get("class", "")]
    joint = audit.info("label")["confident_joint"]
    assert cells == [str(int(v)) if v else "·" for v in np.asarray(joint).ravel()]


def test_string_index_names_the_rows():
    index = pd.Index([f"id-{i:03d}" for i in range(250)], name="sample")
    _, audit = tutorial_audit(index)
    root = parse(render_html(audit, top=5))
    table = root.by_id("table-label")
    expected, hidden = most_severe(audit, "label", 5)
    assert [r[0] for r in row_header_texts(table)] == expected
    assert expected[0].startswith("id-")
    assert table.find_all("th")[0].text() == "sample"
    assert f"{hidden} more rows not shown" in visible_text(root)


def test_multiindex_rows_get_one_header_cell_per_level():
    index = pd.MultiIndex.from_arrays(
        [np.repeat(["a", "b"], 125), np.arange(250)], names=["batch", "item"]
    )
    _, audit = tutorial_audit(index)
    table = parse(render_html(audit, top=3)).by_id("table-label")
    expected, _ = most_severe(audit, "label", 3)
    assert row_header_texts(table) == [[str(a), str(b)] for a, b in expected]
    heads = [th.text() for th in table.find_all("thead")[0].find_all("th")]
    if audit.issues.index.nlevels == 2:
        assert heads[:2] == ["batch", "item"]
    else:  # the audit keeps a MultiIndex as an Index of tuples, without the level names
        assert heads[:2] == ["level 0", "level 1"]


def test_user_strings_are_escaped():
    train, probs = tutorial()
    frame = train.assign(label=train["label"].cat.rename_categories({"yellow": "<b>x</b>"}))
    frame.index = pd.Index([f"<i>{i}</i>" for i in range(250)])
    audit = frame.clean.audit("label", pred_probs=probs, features=["x1", "x2"])
    page = render_html(audit, features=frame[["x1", "x2"]])
    assert "<b>x</b>" not in page and "<i>0</i>" not in page  # noqa: PT018
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    root = parse(page)
    assert all(b.text() != "x" for b in root.find_all("b"))
    assert not root.find_all("i")
    assert "<b>x</b>" in visible_text(root)  # shown to the reader as text


def large_audit(n: int = 5000):
    rng = np.random.default_rng(7)
    centres, truth = rng.normal(scale=4.0, size=(4, 5)), rng.integers(0, 4, n)
    X = centres[truth] + rng.normal(size=(n, 5))
    d = -((X[:, None, :] - centres[None]) ** 2).sum(axis=-1) / 4
    P = np.exp(d - d.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    given = np.where(rng.random(n) < 0.05, rng.integers(0, 4, n), truth)
    frame = pd.DataFrame(X, columns=list("abcde")).assign(y=np.array(list("pqrs"))[given])
    return frame, frame.clean.audit("y", pred_probs=P, features=list("abcde"))


def test_size_under_three_megabytes_on_five_thousand_rows():
    frame, audit = large_audit()
    page = render_html(audit, features=frame[list("abcde")], labels=frame["y"])
    assert len(page.encode("utf-8")) < 3_000_000
    root = parse(page)
    (chart,) = pictures(root, "Map of the rows")
    flagged = audit.issues.filter(like="is_").any(axis=1).sum()
    dots = [c for c in chart.find_all("circle") if c.find_all("title")]
    assert len(dots) == max(4000, int(flagged))
    assert "4,000 of 5,000 rows" in chart.text() and "PC1 (" in chart.text()  # noqa: PT018


def test_compact_is_header_cards_and_summary_only(page_and_audit):
    _, audit = page_and_audit
    fragment = render_html(audit, compact=True)
    root = parse(fragment)
    assert fragment.startswith('<div class="pdclean-report compact">')
    assert [t.attrs["id"] for t in root.find_all("table")] == ["table-summary"]
    assert len(root.find_all("div", "card")) == len(audit.summary)
    assert not root.find_all("script") and not root.find_all("svg")  # noqa: PT018
    assert "Dataset health" in visible_text(root)


def test_skipped_checks_get_a_card_with_the_reason():
    train, _ = pdclean.datasets.load_tutorial()
    audit = train[["x1", "x2"]].clean.audit(features=["x1", "x2"])
    root = parse(render_html(audit, compact=True))
    skipped = [c.text() for c in root.find_all("div", "skipped")]
    assert len(skipped) == len(audit.skipped) == 4
    assert any("no label column was given" in text for text in skipped)


def test_bad_arguments_name_the_argument():
    _, audit = tutorial_audit()
    with pytest.raises(InputError, match=r"top must be a positive integer .* got 0\."):
        render_html(audit, top=0)
    with pytest.raises(
        InputError, match=r"features must have one row per audited row .* got shape \(3, 2\)"
    ):
        render_html(audit, features=np.zeros((3, 2)))
    with pytest.raises(
        InputError, match=r"labels must hold one given label per audited row \(250\); got 2"
    ):
        render_html(audit, features=np.zeros((250, 2)), labels=["a", "b"])
    with pytest.raises(InputTypeError, match=r"audit must be an Audit .* got dict"):
        render_html({})


def test_projection_matches_pca_of_standardised_features():
    X = np.random.default_rng(3).normal(size=(200, 4)) @ np.diag([5.0, 1.0, 0.2, 3.0])
    xy, xtitle, ytitle = project(X)
    reference = PCA(n_components=2).fit(StandardScaler().fit_transform(X))
    expected = reference.transform(StandardScaler().fit_transform(X))
    for k in range(2):
        sign = np.sign(xy[:, k] @ expected[:, k])
        np.testing.assert_allclose(sign * xy[:, k], expected[:, k], atol=1e-9)
    ratio = reference.explained_variance_ratio_
    assert xtitle == f"PC1 ({100 * ratio[0]:.0f}% of variance)"
    assert ytitle == f"PC2 ({100 * ratio[1]:.0f}% of variance)"


def test_sample_keeps_every_flagged_row():
    flagged = np.zeros(9000, dtype=bool)
    flagged[::7] = True
    rows = sample_rows(flagged, limit=4000)
    assert len(rows) == 4000
    assert set(np.flatnonzero(flagged)) <= set(rows.tolist())
    assert len(set(rows.tolist())) == 4000


def test_threshold_drawn_only_when_it_separates_flagged_rows():
    scores = np.array([0.05, 0.1, 0.4, 0.9])
    flagged = np.array([True, True, False, False])
    assert separating_threshold(scores, flagged, 0.2) == 0.2
    assert separating_threshold(scores, flagged, 0.1) is None  # a flagged row at 0.1
    assert separating_threshold(scores, flagged, 0.5) is None  # an unflagged row below 0.5
    assert separating_threshold(scores, flagged, 1.78) is None  # not on the score axis
    assert separating_threshold(scores, flagged, None) is None


def test_an_audit_without_labels_still_draws_the_map():
    train, _ = pdclean.datasets.load_tutorial()
    audit = train[["x1", "x2"]].clean.audit(features=["x1", "x2"])
    root = parse(render_html(audit, features=train[["x1", "x2"]].to_numpy()))
    (chart,) = pictures(root, "Map of the rows")
    assert "feature 0" in chart.text()
    assert not pictures(root, "Class confusion")
    other = [r for r in chart.find_all("rect", "other") if "key" not in r.attrs["class"]]
    flagged = audit.issues.filter(like="is_").any(axis=1)
    assert len(other) == int(flagged.sum())


def test_a_clean_audit_says_so():
    X = np.random.default_rng(0).normal(size=(40, 2))
    frame = pd.DataFrame(X, columns=["a", "b"])
    audit = frame.clean.audit(features=["a", "b"], issue_types={"null": {}})
    root = parse(render_html(audit))
    assert [t.attrs["id"] for t in root.find_all("table")] == ["table-summary"]
    assert "No check flagged any row." in visible_text(root)


def test_renders_without_matplotlib():
    """The pictures are drawn by hand: the page is whole when matplotlib cannot be imported."""
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import numpy as np, pandas as pd, pdclean\n"
        "from pdclean.report.html import render_html\n"
        "X = np.random.default_rng(0).normal(size=(60, 3))\n"
        "f = pd.DataFrame(X, columns=list('abc'))\n"
        "page = render_html(f.clean.audit(features=list('abc')), features=X)\n"
        "print(page.count('<svg'), 'matplotlib' in sys.modules and sys.modules['matplotlib'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    count, loaded = done.stdout.split()
    assert int(count) >= 2  # the map and at least one histogram
    assert loaded == "None"
