"""pdclean.report.summary_chart: bar length = 1 - score, one colour rule, never invisible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.colors import to_hex  # noqa: E402

from pdclean.errors import InputTypeError  # noqa: E402
from pdclean.report.summary_chart import MIN_BAR, plot_audit_summary  # noqa: E402

RED, AMBER, GREEN = "#d64541", "#e09b1a", "#2e9e5b"
PALE_RED, PALE_AMBER, PALE_GREEN = "#f0aeac", "#f3d395", "#a9dcbc"

# The tutorial audit's summary (issue_type, num_issues, score), written out by hand.
TUTORIAL = pd.DataFrame(
    {
        "issue_type": [
            "null",
            "label",
            "outlier",
            "near_duplicate",
            "non_iid",
            "class_imbalance",
            "underperforming_group",
            "exact_duplicate",
            "conflicting_labels",
        ],
        "num_issues": [0, 54, 7, 6, 1, 0, 0, 0, 0],
        "score": [1.0, 0.8, 0.345419, 0.611978, 0.0, 0.196, 0.728421, 1.0, 1.0],
    }
)


@pytest.fixture
def axes():
    figure, ax = plt.subplots()
    yield ax
    plt.close(figure)


def widths(ax) -> list[float]:
    return [float(p.get_width()) for p in ax.patches]


def colours(ax) -> list[str]:
    return [to_hex(p.get_facecolor()) for p in ax.patches]


def test_bar_length_is_one_minus_score(axes):
    plot_audit_summary(TUTORIAL, ax=axes)
    expected = [0.0, 0.2, 1 - 0.345419, 1 - 0.611978, 1.0, 1 - 0.196, 1 - 0.728421, 0.0, 0.0]
    np.testing.assert_allclose(widths(axes), expected, atol=1e-12)


def test_colour_follows_the_score_and_is_pale_without_flagged_rows(axes):
    plot_audit_summary(TUTORIAL, ax=axes)
    assert colours(axes) == [
        PALE_GREEN,  # null: score 1, nothing flagged
        AMBER,  # label: 0.8 with issues
        RED,  # outlier: 0.345
        AMBER,  # near_duplicate: 0.612
        RED,  # non_iid: score 0 with one issue
        PALE_RED,  # class_imbalance: 0.196, nothing flagged: red hue, pale
        PALE_AMBER,  # underperforming_group: 0.728, nothing flagged
        PALE_GREEN,
        PALE_GREEN,
    ]


def test_longer_bars_are_never_a_better_colour(axes):
    """Colour and length agree: sorting by length never puts green after red."""
    rank = {GREEN: 0, PALE_GREEN: 0, AMBER: 1, PALE_AMBER: 1, RED: 2, PALE_RED: 2}
    plot_audit_summary(TUTORIAL, ax=axes)
    pairs = sorted(zip(widths(axes), (rank[c] for c in colours(axes))))
    assert [r for _, r in pairs] == sorted(r for _, r in pairs)


def test_a_score_zero_check_with_issues_is_a_full_visible_bar(axes):
    summary = pd.DataFrame({"issue_type": ["non_iid"], "num_issues": [1], "score": [0.0]})
    plot_audit_summary(summary, ax=axes)
    assert widths(axes) == [1.0]
    assert colours(axes) == [RED]


def test_a_check_with_issues_and_score_one_still_shows_a_bar(axes):
    summary = pd.DataFrame(
        {"issue_type": ["label", "null"], "num_issues": [3, 0], "score": [1.0, 1.0]}
    )
    plot_audit_summary(summary, ax=axes)
    assert widths(axes) == [MIN_BAR, 0.0]
    assert colours(axes) == [GREEN, PALE_GREEN]


def test_boundaries_of_the_rule(axes):
    summary = pd.DataFrame(
        {
            "issue_type": list("abcdef"),
            "num_issues": [1, 1, 1, 1, 0, 1],
            "score": [0.9, 0.8999, 0.5, 0.4999, 0.5, np.nan],
        }
    )
    plot_audit_summary(summary, ax=axes)
    assert colours(axes) == [GREEN, AMBER, AMBER, RED, PALE_AMBER, "#8a8f98"]
    np.testing.assert_allclose(widths(axes), [0.1, 0.1001, 0.5, 0.5001, 0.5, MIN_BAR], atol=1e-12)


def test_annotations_and_title_from_an_audit_like_object(axes):
    class Fake:
        summary = TUTORIAL
        health = 0.5259739878898936

    plot_audit_summary(Fake(), ax=axes)
    texts = [t.get_text() for t in axes.texts]
    assert texts[:5] == [
        "no issues · score 1",
        "54 issues · score 0.8",
        "7 issues · score 0.345",
        "6 issues · score 0.612",
        "1 issue · score 0",
    ]
    assert axes.get_title(loc="left") == "Audit summary: health 0.526"
    assert [t.get_text() for t in axes.get_yticklabels()] == TUTORIAL["issue_type"].tolist()


def test_new_figure_when_no_axes():
    ax = plot_audit_summary(TUTORIAL)
    try:
        assert len(ax.patches) == len(TUTORIAL)
    finally:
        plt.close(ax.figure)


def test_rejects_what_is_not_an_audit():
    with pytest.raises(InputTypeError, match=r"audit must be an Audit .* got list\."):
        plot_audit_summary([1, 2])
