"""pdclean.multiannotator: the cleanlab-compatible face (inputs, frames, errors, logging)."""

import logging

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pdclean import multiannotator as ma
from pdclean.errors import InputError, InputTypeError

NAN = np.nan
L = np.array([[0, 0, NAN], [1, 0, 1], [1, 1, 1], [0, NAN, 0], [2, 2, NAN]])
P = np.array(
    [[0.9, 0.05, 0.05], [0.3, 0.6, 0.1], [0.2, 0.7, 0.1], [0.6, 0.3, 0.1], [0.1, 0.1, 0.8]]
)


def test_frames_columns_dtypes_and_index():
    result = ma.get_label_quality_multiannotator(L, P, return_weights=True)
    assert list(result) == [
        "label_quality",
        "detailed_label_quality",
        "annotator_stats",
        "model_weight",
        "annotator_weight",
    ]
    quality = result["label_quality"]
    assert quality.dtypes.astype(str).to_dict() == {
        "consensus_label": "int64",
        "consensus_quality_score": "float64",
        "annotator_agreement": "float64",
        "num_annotations": "int64",
    }
    assert quality["num_annotations"].tolist() == [2, 3, 3, 2, 2]
    assert list(result["detailed_label_quality"].columns) == [
        "quality_annotator_0",
        "quality_annotator_1",
        "quality_annotator_2",
    ]
    stats = result["annotator_stats"]
    assert list(stats.columns) == [
        "annotator_quality",
        "agreement_with_consensus",
        "worst_class",
        "num_examples_labeled",
    ]
    assert sorted(stats.index) == [0, 1, 2]
    assert stats["num_examples_labeled"].sort_index().tolist() == [5, 4, 3]


def test_dataframe_ids_index_and_nullable_ints():
    frame = pd.DataFrame(L, columns=["ann", "bob", "cy"], index=list("vwxyz")).astype("Int64")
    result = ma.get_label_quality_multiannotator(frame, P)
    plain = ma.get_label_quality_multiannotator(L, P)
    assert result["label_quality"].index.tolist() == list("vwxyz")
    assert list(result["detailed_label_quality"].columns) == [
        "quality_annotator_ann",
        "quality_annotator_bob",
        "quality_annotator_cy",
    ]
    ids = {0: "ann", 1: "bob", 2: "cy"}
    assert result["annotator_stats"].index.tolist() == [
        ids[i] for i in plain["annotator_stats"].index
    ]
    np.testing.assert_array_equal(
        result["label_quality"].to_numpy(), plain["label_quality"].to_numpy()
    )


def test_inputs_are_not_modified():
    labels, probs = L.copy(), P.copy()
    ma.get_label_quality_multiannotator(labels, probs, calibrate_probs=True)
    stack = np.stack([probs, probs[:, ::-1]])
    before = stack.copy()
    ma.get_label_quality_multiannotator_ensemble(labels, stack, calibrate_probs=True)
    ma.get_active_learning_scores_ensemble(labels, stack, stack[:, :2])
    np.testing.assert_array_equal(stack, before)
    np.testing.assert_array_equal(labels, L)
    np.testing.assert_array_equal(probs, P)


def test_weights_of_the_last_method():
    both = ma.get_label_quality_multiannotator(
        L, P, consensus_method=["best_quality", "majority_vote"], return_weights=True
    )
    vote = ma.get_label_quality_multiannotator(
        L, P, consensus_method="majority_vote", return_weights=True
    )
    assert both["model_weight"] == vote["model_weight"]
    np.testing.assert_array_equal(both["annotator_weight"], vote["annotator_weight"])
    assert "consensus_label_majority_vote" in both["label_quality"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"quality_method": "mean"}, InputError, r"quality_method must be one of \['crowdlab', "),
        ({"consensus_method": ["best_quality", "vote"]}, InputError, r"got 'vote'"),
        (
            {"quality_method": "agreement", "return_weights": True},
            InputError,
            r"return_weights=True needs quality_method='crowdlab'",
        ),
        ({"label_quality_score_kwargs": {"alpha": 1}}, InputTypeError, r"unknown keyword"),
        ({"consensus_method": []}, InputError, r"at least one method; got \[\]"),
    ],
)
def test_bad_options(kwargs, error, match):
    with pytest.raises(error, match=match):
        ma.get_label_quality_multiannotator(L, P, **kwargs)


@pytest.mark.parametrize(
    ("labels", "probs", "error", "match"),
    [
        (L.tolist(), P, InputTypeError, r"numpy ndarray or a pandas DataFrame .*got list"),
        (L, None, InputTypeError, r"pred_probs must be a numpy ndarray .*got None"),
        (L, P[:3], InputError, r"pred_probs has 3 rows but labels_multiannotator has 5"),
        (L, P[:, :2], InputError, r"contains the class 2; pred_probs needs at least 3 columns"),
        (
            pd.DataFrame({"a": ["x", "y"], "b": ["x", None]}),
            np.full((2, 2), 0.5),
            InputError,
            r"not strings; got 'x'",
        ),
        (
            pd.DataFrame({"a": [0, 1], "b": [NAN, NAN], "c": [0, 1]}),
            np.full((2, 2), 0.5),
            InputError,
            r"annotator\(s\) who labelled no example: \['b'\]",
        ),
    ],
)
def test_bad_inputs(labels, probs, error, match):
    with pytest.raises(error, match=match):
        ma.get_label_quality_multiannotator(labels, probs)


def test_logging_is_controlled_by_verbose(caplog):
    labels = np.array([[0, 0], [0, 1], [2, NAN]])  # the model outvotes classes 1 and 2
    probs = np.array([[0.8, 0.1, 0.1], [0.7, 0.2, 0.1], [0.6, 0.3, 0.1]])
    lonely = np.array([[0, 0, NAN], [1, 1, NAN], [NAN, NAN, 1]])
    lonely_probs = np.array([[0.8, 0.2], [0.3, 0.7], [0.4, 0.6]])
    with caplog.at_level(logging.INFO, logger="pdclean"):
        ma.get_label_quality_multiannotator(labels, probs, verbose=False)
        ma.get_label_quality_multiannotator(lonely, lonely_probs, verbose=False)
        assert caplog.records == []
        ma.get_label_quality_multiannotator(lonely, lonely_probs)
        assert "Annotator(s) [2] did not annotate any examples that overlap" in caplog.text
        caplog.clear()
        ma.get_label_quality_multiannotator(labels, probs)
    assert "Classes in the original data but not in consensus labels: [1, 2]" in caplog.text


def test_majority_vote():
    assert ma.get_majority_vote_label(L).dtype == np.int64
    assert ma.get_majority_vote_label(L, P).tolist() == [0, 1, 1, 0, 2]
    with pytest.raises(InputError, match=r"more than one annotator column"):
        ma.get_majority_vote_label(L[:, :1])
    assert ma.get_majority_vote_label(L[:, :1], verbose=False).tolist() == [0, 1, 1, 0, 2]


def test_active_learning_errors():
    with pytest.raises(InputError, match=r"cannot both be None"):
        ma.get_active_learning_scores(L)
    with pytest.raises(InputError, match=r"labels_multiannotator cannot be None"):
        ma.get_active_learning_scores(None, P)
    with pytest.raises(InputError, match=r"same number of classes; got 3 and 2"):
        ma.get_active_learning_scores(L, P, P[:, :2])
    with pytest.raises(InputError, match=r"pred_probs_unlabeled must be a 2-D array"):
        ma.get_active_learning_scores(L, P, P[None])
    with pytest.raises(InputError, match=r"pred_probs must be a 3-D array"):
        ma.get_active_learning_scores_ensemble(L, P)
    with pytest.raises(InputError, match=r"more than one annotator column; got 1"):
        ma.get_active_learning_scores_ensemble(None, None, P[None])
    with pytest.raises(InputError, match=r"pred_probs_unlabeled has 3 models but pred_probs has 2"):
        ma.get_active_learning_scores_ensemble(L, np.stack([P, P]), np.stack([P, P, P]))
    with pytest.raises(InputError, match=r"pred_probs_unlabeled has 2 models but pred_probs has 3"):
        ma.get_active_learning_scores_ensemble(L, np.stack([P, P, P]), np.stack([P, P]))


def test_active_learning_single_label_and_unlabelled_only_by_hand():
    single = np.array([[0.0], [1.0], [2.0]])
    probs = P[:3]
    scores, none = ma.get_active_learning_scores(single, probs)
    # W = 1, w = 1, wbar = 1: (p[label]·2 + 1/3) / 3
    np.testing.assert_allclose(scores, (probs[[0, 1, 2], [0, 1, 2]] * 2 + 1 / 3) / 3, atol=1e-15)
    assert none.shape == (0,)
    assert none.dtype == np.float64
    empty, unlabeled = ma.get_active_learning_scores(None, None, probs)
    np.testing.assert_allclose(unlabeled, (probs.max(axis=1) + 1 / 3) / 2, rtol=0, atol=1e-12)
    assert empty.shape == (0,)


@given(st.integers(0, 10_000), st.integers(4, 40), st.integers(2, 5), st.integers(2, 4))
def test_scores_in_unit_interval(seed, n, m, k):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, (n, m)).astype(float)
    labels[rng.random((n, m)) < 0.5] = NAN
    labels[np.arange(n), rng.integers(0, m, n)] = rng.integers(0, k, n)
    labels[:m, :] = NAN
    labels[np.arange(m), np.arange(m)] = 0  # every annotator labels a row
    labels[0, :] = rng.integers(0, k)  # and some row has agreeing labels
    probs = rng.dirichlet(np.ones(k), n)
    result = ma.get_label_quality_multiannotator(labels, probs, verbose=False, random_state=seed)
    for column in ["consensus_quality_score", "annotator_agreement"]:
        values = result["label_quality"][column]
        assert values.between(0, 1).all()
    assert result["annotator_stats"]["annotator_quality"].between(0, 1).all()
    scores, unlabeled = ma.get_active_learning_scores(labels, probs, probs[:3], random_state=seed)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert ((unlabeled >= 0) & (unlabeled <= 1)).all()


def test_convert_long_to_wide():
    long = pd.DataFrame(
        {"task": ["t2", "t1", "t1"], "annotator": ["b", "a", "b"], "label": [1, 0, 2]}
    )
    wide = ma.convert_long_to_wide_dataset(long)
    assert wide.index.tolist() == ["t1", "t2"]
    assert wide.columns.tolist() == ["a", "b"]
    assert wide.index.name is None
    assert wide.columns.name is None
    np.testing.assert_array_equal(wide.to_numpy(), [[0, 2], [NAN, 1]])
    with pytest.raises(ValueError, match=r"duplicate entries"):
        ma.convert_long_to_wide_dataset(pd.concat([long, long]))
