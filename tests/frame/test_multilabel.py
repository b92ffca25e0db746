"""Multi-label tables through the same frame functions: tag lists or boolean tag columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pdclean
from pdclean.core.multilabel import aggregated_scores, class_issue_masks
from pdclean.errors import InputError, InputTypeError

TAGS = ["bird", "cat", "dog"]


def _table(n: int = 120, seed: int = 0):
    rng = np.random.default_rng(seed)
    truth = rng.random((n, 3)) < 0.4
    P = np.clip(truth * 0.8 + rng.random((n, 3)) * 0.2, 0.01, 0.99)
    given = truth.copy()
    given[::15, 0] = ~given[::15, 0]  # a flipped "bird" tag every 15 rows
    tags = [[t for t, on in zip(TAGS, row) if on] for row in given]
    df = pd.DataFrame({"x": rng.normal(size=n), "tags": tags}, index=[f"r{i}" for i in range(n)])
    return df, given, P


def test_tag_lists_give_the_engines_answer_on_the_callers_index():
    df, given, P = _table()
    pp = pd.DataFrame(P, columns=TAGS, index=df.index)[["dog", "bird", "cat"]]  # by name
    out = df.clean.find_label_issues("tags", pred_probs=pp)
    expected = class_issue_masks(given, P).any(axis=1)
    assert out.index.equals(df.index)
    np.testing.assert_array_equal(out["is_label_issue"].to_numpy(), expected)
    np.testing.assert_allclose(out["label_quality"], aggregated_scores(given, P), atol=1e-12)
    assert out.loc["r1", "given_label"] == df.loc["r1", "tags"]
    assert out.loc["r1", "predicted_label"] == [t for t, p in zip(TAGS, P[1]) if p >= 0.5]


def test_boolean_tag_columns_equal_tag_lists():
    df, given, P = _table()
    wide = pd.DataFrame(given, columns=TAGS, index=df.index).assign(x=df["x"])
    a = wide.clean.find_label_issues(TAGS, pred_probs=P)
    b = df.clean.find_label_issues("tags", pred_probs=P)
    pd.testing.assert_series_equal(a["is_label_issue"], b["is_label_issue"])
    assert wide.clean.health(TAGS, pred_probs=P) == df.clean.health("tags", pred_probs=P)


def test_missing_labels_stay_with_na_and_the_rest_is_unchanged():
    df, _, P = _table()
    part = df.copy()
    part.loc["r4", "tags"] = None
    out = part.clean.find_label_issues("tags", pred_probs=P)
    assert out.loc["r4"].isna().all()
    alone = df.drop(index="r4").clean.find_label_issues("tags", pred_probs=np.delete(P, 4, 0))
    np.testing.assert_array_equal(
        out["is_label_issue"].drop(index="r4").to_numpy(dtype=bool),
        alone["is_label_issue"].to_numpy(),
    )


def test_annotate_drop_health_and_class_health():
    df, given, P = _table()
    flagged = class_issue_masks(given, P).any(axis=1)
    annotated = df.clean.annotate("tags", pred_probs=P)
    assert annotated.columns.tolist()[-3:] == ["is_label_issue", "label_quality", "predicted_label"]
    assert len(df.clean.drop_label_issues("tags", pred_probs=P)) == len(df) - flagged.sum()
    assert df.clean.health("tags", pred_probs=P) == pytest.approx(1 - flagged.mean())
    table = df.clean.class_health("tags", pred_probs=P)
    assert table.index.name == "tag"
    assert sorted(table.index) == TAGS
    assert table.loc["bird", "label_issues"] >= table.loc["dog", "label_issues"]
    scores = df.clean.label_quality("tags", pred_probs=P)
    np.testing.assert_allclose(scores, aggregated_scores(given, P), atol=1e-12)


def test_a_tag_on_every_row_is_not_an_error():
    df, given, P = _table()
    df["tags"] = [[*t, "animal"] for t in df["tags"]]
    P4 = np.column_stack([np.full(len(df), 0.97), P])  # "animal" comes first in tag order
    out = df.clean.find_label_issues("tags", pred_probs=P4)
    np.testing.assert_array_equal(out["is_label_issue"], class_issue_masks(given, P).any(axis=1))


def test_features_by_cross_validation_one_vs_rest():
    df, given, _ = _table()
    df["x"] = given[:, 0] * 2.0 + np.random.default_rng(1).normal(scale=0.3, size=len(df))
    out = df.clean.find_label_issues("tags", cv=3, random_state=0, progress=False)
    assert out["is_label_issue"].dtype == bool
    assert out.shape == (len(df), 4)


def test_bad_multilabel_input():
    df, _, P = _table()
    mixed = df.copy()
    mixed.loc["r2", "tags"] = "cat"
    with pytest.raises(InputTypeError, match=r"mixes tag lists with other values: the row 'r2'"):
        mixed.clean.find_label_issues("tags", pred_probs=P)
    with pytest.raises(InputError, match=r"pred_probs has no column for the tags \['dog'\]"):
        df.clean.find_label_issues("tags", pred_probs=pd.DataFrame(P[:, :2], columns=TAGS[:2]))
    with pytest.raises(InputError, match=r"shape \(n_rows, n_tags\) = \(120, 3\)"):
        df.clean.find_label_issues("tags", pred_probs=P[:, :2])
    wide = df.assign(cat=True, dog=False)
    with pytest.raises(pdclean.ColumnNotFoundError, match="tag column 'fish'"):
        wide.clean.find_label_issues(["cat", "fish"], pred_probs=P)
