"""pdclean.multilabel_classification: bad input, warnings, logging and return types."""

import logging

import numpy as np
import pandas as pd
import pytest

from pdclean.errors import InputError, InputTypeError, PdcleanError
from pdclean.multilabel_classification import dataset, filter, rank

LABELS = [[0], [0, 1], [1], [], [0, 2], [1], [0], [2], [0, 1], []]
P = np.array([
    [.9, .2, .1], [.8, .7, .2], [.1, .9, .3], [.2, .1, .1], [.7, .1, .8],
    [.3, .6, .2], [.2, .3, .1], [.1, .2, .9], [.9, .8, .1], [.6, .1, .1],
])  # fmt: skip


def test_labels_not_a_list_of_lists():
    with pytest.raises(
        InputTypeError, match=r"one list of class indices per row.*got an element 0"
    ):
        filter.find_label_issues([0, 1, 2, 0, 1, 2, 0, 1, 2, 0], P)
    with pytest.raises(InputTypeError, match=r"got a 2-D array of shape \(10, 3\)"):
        rank.get_label_quality_scores((P > 0.5).astype(int), P)


def test_unknown_class_index():
    labels = [*LABELS[:-1], [3]]
    with pytest.raises(InputError, match=r"class indices \[3\] outside 0\.\.2 \(pred_probs has 3"):
        filter.find_label_issues(labels, P)
    with pytest.raises(InputError, match=r"class indices \[-1\] outside"):
        rank.get_label_quality_scores([*LABELS[:-1], [-1]], P)


def test_pred_probs_shape_mismatch():
    with pytest.raises(InputError, match=r"got 9 rows of pred_probs for 10 labels"):
        filter.find_label_issues(LABELS, P[:9])
    with pytest.raises(InputError, match=r"got 9 rows of pred_probs for 10 labels"):
        rank.get_label_quality_scores(LABELS, P[:9])
    with pytest.raises(InputError, match=r"shape \(n_examples, n_classes\); got shape \(10,\)"):
        filter.find_label_issues(LABELS, P[:, 0])


def test_class_present_in_every_row_raises():
    labels = [[*row, 2] if 2 not in row else row for row in LABELS]
    for fn in (filter.find_label_issues, filter.find_multilabel_issues_per_class):
        with pytest.raises(InputError, match=r"classes \[2\] are annotated on every row"):
            fn(labels, P)
    with pytest.raises(InputError, match=r"classes \[2\] are annotated on every row"):
        dataset.overall_multilabel_health_score(labels, P)
    assert rank.get_label_quality_scores(labels, P).shape == (10,)  # scores do not mind


def test_absent_class_with_predicted_neq_given_raises():
    labels = [[c for c in row if c != 2] for row in LABELS]
    with pytest.raises(InputError, match=r"classes \[2\] are annotated on no row, which "
                                         r"filter_by='predicted_neq_given'"):  # fmt: skip
        filter.find_label_issues(labels, P, filter_by="predicted_neq_given")
    assert filter.find_label_issues(labels, P, filter_by="both").shape == (10,)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"filter_by": "prune"}, InputError, r"filter_by must be one of .*got 'prune'"),
        ({"frac_noise": 1.5}, InputError, r"frac_noise must be a number in \[0, 1\]; got 1\.5"),
        ({"min_examples_per_class": -1}, InputError, r"non-negative integer; got -1"),
        ({"n_jobs": 0}, InputError, r"n_jobs must be None or an integer >= 1; got 0"),
        ({"num_to_remove_per_class": [1, 2]}, InputError, r"one non-negative integer per class"),
        (
            {"filter_by": "confident_learning", "num_to_remove_per_class": [1, 1, 1]},
            InputError,
            r"only supported with filter_by in \['prune_by_noise_rate'",
        ),
        ({"confident_joint": np.ones((3, 3, 3))}, InputError, r"\(3, 2, 2\); got \(3, 3, 3\)"),
        (
            {"return_indices_ranked_by": "margin"},
            InputError,
            r"return_indices_ranked_by must be one of .*got 'margin'",
        ),
        (
            {"return_indices_ranked_by": "self_confidence", "rank_by_kwargs": {"alpha": 1}},
            InputTypeError,
            r"only 'adjust_pred_probs'; got unknown keys \['alpha'\]",
        ),
        (
            {
                "return_indices_ranked_by": "confidence_weighted_entropy",
                "rank_by_kwargs": {"adjust_pred_probs": True},
            },
            InputError,
            "adjust_pred_probs is not supported with confidence_weighted_entropy",
        ),
        ({"low_memory": True}, InputError, "low_memory=True"),
    ],
)
def test_filter_option_errors(kwargs, error, match):
    for fn in (filter.find_label_issues, filter.find_multilabel_issues_per_class):
        with pytest.raises(error, match=match):
            fn(LABELS, P, **kwargs)


def test_errors_are_pdclean_errors():
    with pytest.raises(PdcleanError):
        filter.find_label_issues(LABELS, P, filter_by="nope")


def test_ignored_options_warn():
    with pytest.warns(UserWarning, match=r"frac_noise is only used with filter_by in"):
        filter.find_label_issues(LABELS, P, filter_by="confident_learning", frac_noise=0.5)
    joint = np.array([[[5, 1], [1, 3]]] * 3)
    with pytest.warns(UserWarning, match=r"confident_joint is ignored with filter_by="):
        filter.find_label_issues(LABELS, P, filter_by="confident_learning", confident_joint=joint)


def test_rank_errors():
    with pytest.raises(InputError, match=r"method must be one of .*got 'margin'"):
        rank.get_label_quality_scores(LABELS, P, method="margin")
    with pytest.raises(InputError, match=r"every row's label list is empty"):
        rank.get_label_quality_scores_per_class([[]] * 10, P)
    with pytest.raises(InputError, match="not supported with method='confidence_weighted_entropy'"):
        rank.get_label_quality_scores(
            LABELS, P, method="confidence_weighted_entropy", adjust_pred_probs=True
        )
    with pytest.raises(InputError, match="must be in multi-label format"):
        rank.get_label_quality_scores([[0]] * 10, P[:, :1])


def test_adjust_only_when_true_itself():
    """cleanlab's identity test (B.4.1): ``1`` means no adjustment."""
    plain = rank.get_label_quality_scores(LABELS, P)
    np.testing.assert_array_equal(
        rank.get_label_quality_scores(LABELS, P, adjust_pred_probs=1), plain
    )
    assert not np.allclose(rank.get_label_quality_scores(LABELS, P, adjust_pred_probs=True), plain)


def test_return_types():
    mask = filter.find_label_issues(LABELS, P)
    assert mask.dtype == bool
    assert mask.shape == (10,)
    ranked = filter.find_label_issues(
        LABELS, P, filter_by="both", return_indices_ranked_by="self_confidence"
    )
    assert ranked.dtype == np.int64
    per_class = filter.find_multilabel_issues_per_class(LABELS, P)
    assert per_class.dtype == bool
    assert per_class.shape == (10, 3)
    issues, labels, probs = filter.find_multilabel_issues_per_class(
        LABELS, P, return_indices_ranked_by="normalized_margin"
    )
    assert len(issues) == len(labels) == len(probs) == 3
    assert labels[1].tolist() == [0, 1, 1, 0, 0, 1, 0, 0, 1, 0]
    np.testing.assert_array_equal(probs[2], np.column_stack([1 - P[:, 2], P[:, 2]]))
    per_class_scores = rank.get_label_quality_scores_per_class(LABELS, P)
    assert isinstance(per_class_scores, np.ndarray)
    assert per_class_scores.shape == (10, 3)


def test_dataset_inputs_and_frames():
    with pytest.raises(InputError, match="labels and pred_probs are both required"):
        dataset.common_multilabel_issues(pred_probs=P)
    with pytest.raises(InputError, match=r"name each of the 3 classes .*got 2 names"):
        dataset.rank_classes_by_multilabel_quality(LABELS, P, class_names=["a", "b"])
    common = dataset.common_multilabel_issues(LABELS, P, class_names=["a", "b", "c"])
    assert list(common.columns) == [
        "class_name", "class_index", "in_given_label", "in_suggested_label", "num_examples",
        "issue_probability",
    ]  # fmt: skip
    assert len(common) == 6
    assert isinstance(common.index, pd.RangeIndex)
    classes = dataset.rank_classes_by_multilabel_quality(LABELS, P)
    assert list(classes.columns) == [
        "class_index", "label_issues", "inverse_label_issues", "label_noise",
        "inverse_label_noise", "label_quality",
    ]  # fmt: skip
    assert classes["label_quality"].is_monotonic_increasing


def test_verbose_logs_instead_of_printing(caplog, capsys):
    with caplog.at_level(logging.INFO, logger="pdclean"):
        summary = dataset.multilabel_health_summary(LABELS, P, num_examples=1234)
        filter.find_multilabel_issues_per_class(LABELS, P, verbose=True)
    assert capsys.readouterr().out == ""
    assert "health summary for 1,234 examples" in caplog.text
    assert "class 2: number of label issues found" in caplog.text
    assert set(summary) == {
        "overall_multilabel_health_score", "classes_by_multilabel_quality",
        "common_multilabel_issues",
    }  # fmt: skip
    with caplog.at_level(logging.INFO, logger="pdclean"):
        caplog.clear()
        dataset.multilabel_health_summary(LABELS, P, verbose=False)
    assert caplog.text == ""
