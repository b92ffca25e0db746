"""Crowd-labelled frames: consensus, annotator quality, what to label next, long to wide."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pdclean import multiannotator
from pdclean.errors import InputError

CLASSES = ["bird", "cat", "dog"]
ANNOTATORS = ["ann0", "ann1", "ann2", "ann3"]


def _crowd(n: int = 150, seed: int = 0):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    codes = np.full((n, 4), np.nan)
    for j, accuracy in enumerate([0.9, 0.8, 0.6, 0.95]):
        noisy = np.where(rng.random(n) < accuracy, truth, rng.integers(0, 3, n))
        codes[:, j] = np.where(rng.random(n) < 0.5, np.nan, noisy)
    codes[rng.random(n) < 0.05] = np.nan  # some rows nobody labelled
    P = np.full((n, 3), 0.1)
    P[np.arange(n), truth] = 0.8
    names = np.array(CLASSES, dtype=object)
    labels = {a: [None if np.isnan(c) else names[int(c)] for c in codes[:, j]]
              for j, a in enumerate(ANNOTATORS)}  # fmt: skip
    df = pd.DataFrame(labels, index=[f"item{i}" for i in range(n)])
    return df, codes, P


def test_consensus_equals_crowdlab_on_the_labelled_rows_in_the_labels_dtype():
    df, codes, P = _crowd()
    out = df.clean.consensus(ANNOTATORS, pred_probs=P)
    labelled = ~np.isnan(codes).all(axis=1)
    ref = multiannotator.get_label_quality_multiannotator(
        pd.DataFrame(codes[labelled]), P[labelled], verbose=False
    )["label_quality"]
    assert out.index.equals(df.index)
    expected = np.array(CLASSES, dtype=object)[ref["consensus_label"].to_numpy()]
    assert out.loc[labelled, "consensus_label"].tolist() == expected.tolist()
    np.testing.assert_allclose(
        out.loc[labelled, "consensus_quality"].to_numpy(dtype=float),
        ref["consensus_quality_score"],
        atol=1e-12,
    )
    assert out.loc[~labelled, "consensus_label"].isna().all()
    assert out.loc[~labelled, "num_annotations"].eq(0).all()
    cats = df.astype(pd.CategoricalDtype(CLASSES))
    as_cat = cats.clean.consensus(ANNOTATORS, pred_probs=P)["consensus_label"]
    assert isinstance(as_cat.dtype, pd.CategoricalDtype)


def test_an_empty_annotator_column_is_left_out_with_a_warning():
    df, _, P = _crowd()
    df["ann_empty"] = None
    with pytest.warns(UserWarning, match=r"annotator column\(s\) \['ann_empty'\] hold no label"):
        out = df.clean.consensus([*ANNOTATORS, "ann_empty"], pred_probs=P)
    pd.testing.assert_frame_equal(out, df.clean.consensus(ANNOTATORS, pred_probs=P))


def test_annotator_stats_and_next_to_label_equal_the_numpy_face():
    df, codes, P = _crowd()
    labelled = ~np.isnan(codes).all(axis=1)
    stats = df.clean.annotator_stats(ANNOTATORS, pred_probs=P)
    ref = multiannotator.get_label_quality_multiannotator(
        pd.DataFrame(codes[labelled], columns=ANNOTATORS), P[labelled], verbose=False
    )["annotator_stats"]
    assert stats.index.tolist() == ref.index.tolist()
    assert stats["worst_class"].tolist() == [CLASSES[c] for c in ref["worst_class"]]
    scores = df.clean.next_to_label(ANNOTATORS, pred_probs=P)
    a, b = multiannotator.get_active_learning_scores(
        pd.DataFrame(codes[labelled]), P[labelled], P[~labelled]
    )
    np.testing.assert_allclose(scores[labelled], a)
    np.testing.assert_allclose(scores[~labelled], b)


def test_consensus_by_cross_validation_on_features():
    df, codes, _ = _crowd()
    truth_like = np.nan_to_num(np.nanmax(np.where(np.isnan(codes), -1, codes), axis=1))
    df["x"] = truth_like + np.random.default_rng(2).normal(scale=0.2, size=len(df))
    out = df.clean.consensus(ANNOTATORS, features=["x"], cv=3, random_state=0, progress=False)
    assert out["consensus_label"].notna().sum() == (~np.isnan(codes).all(axis=1)).sum()


def test_pivot_long_annotations():
    long = pd.DataFrame(
        {"item": [1, 1, 2, 3], "annotator": ["a", "b", "a", "b"], "label": ["x", "y", "y", "x"]}
    )
    wide = long.clean.pivot_annotations()
    assert wide.index.tolist() == [1, 2, 3]
    assert wide.columns.tolist() == ["a", "b"]
    assert pd.isna(wide.loc[2, "b"])
    assert wide.loc[3, "b"] == "x"
    twice = pd.concat([long, long.head(1)])
    message = r"the pair \(item, annotator\) = \(1, 'a'\) has several labels"
    with pytest.raises(InputError, match=message):
        twice.clean.pivot_annotations()


def test_bad_annotator_input():
    df, _, P = _crowd()
    with pytest.raises(InputError, match="annotators must be a list of column names"):
        df.clean.consensus("ann0", pred_probs=P)
    with pytest.raises(KeyError, match="annotator column 'ann9'"):
        df.clean.consensus(["ann0", "ann9"], pred_probs=P)
    with pytest.raises(InputError, match="one column per class"):
        df.clean.consensus(ANNOTATORS, pred_probs=P[:, :2])
