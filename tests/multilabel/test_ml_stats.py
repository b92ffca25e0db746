"""pdclean.core.multilabel.stats and the engine on 0/1 indicator matrices."""

import numpy as np

from pdclean.core.multilabel import (
    class_issue_masks,
    class_quality_table,
    common_issues_table,
    find_issues,
)


def test_counts_truncate_like_cleanlab():
    """1 flagged row of 49: 1/49*49 = 0.9999999999999999 truncates to 0 (B.5.2 quirk)."""
    y = np.zeros((49, 2), dtype=bool)
    y[:10, 0] = y[10:30, 1] = True
    masks = np.zeros((49, 2), dtype=bool)
    masks[0, 0] = True  # class 0 wrongly present on row 0
    masks[[40, 41, 42], 1] = True  # class 1 wrongly missing on three rows
    common = common_issues_table(masks, y)
    assert common["num_examples"].tolist() == [3, 1, 0, 0]
    assert common["class_index"].tolist() == [1, 0, 0, 1]
    assert common["in_given_label"].tolist() == [False, True, False, True]
    classes = class_quality_table(common, 49)
    assert classes["class_index"].tolist() == [0, 1]
    assert classes["label_issues"].tolist() == [0, 0]  # trunc(1/49 * 49) = 0
    assert classes["inverse_label_issues"].tolist() == [0, 3]
    np.testing.assert_allclose(classes["label_noise"], [1 / 49, 0])
    np.testing.assert_allclose(classes["label_quality"], [48 / 49, 1])


def test_quality_ties_keep_first_appearance_order():
    y = np.array([[1, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 1]], dtype=bool)
    masks = np.zeros_like(y)
    masks[1, 2] = masks[2, 0] = True  # class 2 and class 0 each wrongly present once
    masks[[0, 2], 2] = True  # class 2 also wrongly missing twice: its first row comes first
    classes = class_quality_table(common_issues_table(masks, y), 4)
    assert classes["class_index"].tolist() == [2, 0, 1]  # not [0, 2, 1]: cleanlab's order


def test_engine_takes_an_indicator_matrix():
    y = np.array([[1, 0], [1, 0], [0, 1], [0, 1], [1, 0], [0, 1]], dtype=np.int8)
    probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.2, 0.8], [0.1, 0.9], [0.7, 0.3]])
    masks = class_issue_masks(y.astype(bool), probs)
    assert masks.astype(int).tolist() == [[0, 0], [0, 0], [0, 0], [0, 0], [1, 1], [1, 1]]
    ranked = find_issues(y.astype(bool), probs, ranked_by="self_confidence")
    assert ranked.tolist() == [4, 5]  # row 4 (EMA 0.1) before row 5 (0.3)
