"""pred_probs computed for a resolved table: the features used are logged, leaks are warned."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from pdclean.frame.crossval import leaking_columns


def _table(n: int = 60) -> pd.DataFrame:
    rng = np.random.RandomState(0)
    y = np.array(["cat", "dog"])[np.arange(n) % 2]
    return pd.DataFrame({"x": rng.normal(size=n) + (y == "dog"), "y": y})


def test_a_copy_of_the_label_among_default_features_is_warned():
    df = _table().assign(true_y=lambda d: d["y"].map({"cat": "CAT", "dog": "DOG"}))
    with pytest.warns(UserWarning, match=r"feature column\(s\) \['true_y'\] give the label 'y'"):
        df.clean.find_label_issues("y", model=LogisticRegression(), cv=3, progress=False)


def test_explicit_features_and_honest_columns_are_not_warned(recwarn):
    df = _table().assign(true_y=lambda d: d["y"])
    df.clean.find_label_issues(
        "y", features=["x", "true_y"], model=LogisticRegression(), cv=3, progress=False
    )
    _table().clean.find_label_issues("y", model=LogisticRegression(), cv=3, progress=False)
    assert not [w for w in recwarn if "give the label" in str(w.message)]


def test_leaking_columns_rule():
    codes = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    df = pd.DataFrame(
        {
            "copy": codes * 10,
            "noisy": [0, 0, 1, 1, 0, 1, 1, 0],  # 6 of 8 agree: not a leak
            "ident": np.arange(8),  # as many values as rows: never reported
            "half": [0, 1, 2, 3, 0, 1, 2, 3],  # 4 values for 2 classes, no agreement
        }
    )
    assert leaking_columns(df, ["copy", "noisy", "ident", "half"], codes, 2) == ["copy"]


def test_the_features_used_are_logged(caplog):
    with caplog.at_level(logging.INFO, logger="pdclean"):
        _table().clean.find_label_issues("y", model=LogisticRegression(), cv=3, progress=False)
    assert (
        "3-fold cross-validation of LogisticRegression on 1 feature column(s): 'x'" in caplog.text
    )
