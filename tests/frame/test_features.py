"""Tests of the feature preparation (pdclean.frame.features): one rule per column kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from pdclean.errors import InputTypeError
from pdclean.frame.features import (
    MAX_ONE_HOT_LEVELS,
    feature_matrix,
    model_capabilities,
)


def test_numbers_and_nullable_numbers():
    df = pd.DataFrame({
        "i": [1, 2, 3, 4],
        "f": [0.5, np.nan, 1.5, 2.5],
        "n": pd.array([10, None, 30, 50], dtype="Int64"),
        "u": np.array([1, 2, 3, 4], dtype=np.uint8),
    })  # fmt: skip
    kept = feature_matrix(df, ["i", "f", "n", "u"], takes_nan=True)
    assert kept.dtype == np.float64
    np.testing.assert_array_equal(
        kept, [[1, 0.5, 10, 1], [2, np.nan, np.nan, 2], [3, 1.5, 30, 3], [4, 2.5, 50, 4]]
    )
    imputed = feature_matrix(df, ["f", "n"])
    assert imputed[:, 0].tolist() == [0.5, 1.5, 1.5, 2.5]  # median of 0.5, 1.5, 2.5
    assert imputed[:, 1].tolist() == [10.0, 30.0, 30.0, 50.0]


def test_booleans_as_ints_imputed_with_most_frequent():
    df = pd.DataFrame({
        "b": [True, False, True, True],
        "nb": pd.array([True, None, False, False], dtype="boolean"),
    })  # fmt: skip
    np.testing.assert_array_equal(feature_matrix(df, ["b"]).ravel(), [1, 0, 1, 1])
    assert feature_matrix(df, ["nb"]).ravel().tolist() == [1.0, 0.0, 0.0, 0.0]
    kept = feature_matrix(df, ["nb"], takes_nan=True).ravel()
    assert np.isnan(kept[1])


def test_datetimes_and_timedeltas_as_days():
    when = pd.to_datetime(["2024-01-03 00:00", None, "2024-01-01 12:00", "2024-01-02 00:00"])
    df = pd.DataFrame({
        "t": when,
        "tz": when.tz_localize("Europe/Paris"),
        "d": pd.to_timedelta(["1D", "12h", None, "0s"]),
    })  # fmt: skip
    out = feature_matrix(df, ["t", "tz", "d"], takes_nan=True)
    np.testing.assert_array_equal(out[:, 0], [1.5, np.nan, 0.0, 0.5])
    np.testing.assert_array_equal(out[:, 1], [1.5, np.nan, 0.0, 0.5])
    np.testing.assert_array_equal(out[:, 2], [1.0, 0.5, np.nan, 0.0])
    imputed = feature_matrix(df, ["t"])
    assert imputed.ravel().tolist() == [1.5, 0.5, 0.0, 0.5]


def test_strings_and_categories_one_hot_by_frequency():
    df = pd.DataFrame({
        "s": ["x", "y", "y", None, "z"],
        "c": pd.Categorical(["lo", "hi", "lo", "lo", None], categories=["hi", "lo", "unused"]),
    })  # fmt: skip
    out = feature_matrix(df, ["s", "c"])
    # levels by frequency (ties: first seen first): s -> y, x, z; c -> lo, hi
    np.testing.assert_array_equal(
        out,
        [
            [0, 1, 0, 1, 0],
            [1, 0, 0, 0, 1],
            [1, 0, 0, 1, 0],
            [0, 0, 0, 1, 0],  # missing string: all zeros
            [0, 0, 1, 0, 0],  # missing category: all zeros
        ],
    )


def test_infrequent_levels_share_one_other_column():
    values = [f"v{i}" for i in range(MAX_ONE_HOT_LEVELS + 5)] + ["v0"] * 3
    out = feature_matrix(pd.DataFrame({"s": values}), ["s"])
    assert out.shape == (len(values), MAX_ONE_HOT_LEVELS + 1)
    assert out[:, -1].sum() == 5  # the 5 least frequent (last seen) values
    np.testing.assert_array_equal(out.sum(axis=1), 1.0)
    assert out[:, 0].sum() == 4  # v0 is the most frequent


def test_native_categorical_frame():
    df = pd.DataFrame({"s": ["x", "y", None, "y"], "f": [1.0, np.nan, 2.0, 3.0]})
    out = feature_matrix(df, ["s", "f"], takes_nan=True, native_categorical=True)
    assert isinstance(out, pd.DataFrame)
    assert isinstance(out["x0"].dtype, pd.CategoricalDtype)
    assert out["x0"].cat.codes.tolist() == [1, 0, -1, 0]
    assert np.isnan(out["x1"][1])
    model = HistGradientBoostingClassifier(max_iter=5).fit(out, [0, 1, 0, 1])
    assert model.is_categorical_.tolist() == [True, False]


def test_unhashable_values_are_rejected():
    df = pd.DataFrame({"s": [[1], [2]]})
    with pytest.raises(InputTypeError, match="feature column 's' holds values that cannot be"):
        feature_matrix(df, ["s"])


def test_does_not_modify_frame():
    df = pd.DataFrame({"f": [1.0, np.nan, 3.0], "s": ["a", None, "b"]})
    before = df.copy(deep=True)
    feature_matrix(df, ["f", "s"])
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (HistGradientBoostingClassifier(), (True, True)),
        (HistGradientBoostingClassifier(categorical_features=None), (True, False)),
        (LogisticRegression(), (False, False)),
        (make_pipeline(StandardScaler(), LogisticRegression()), (False, False)),
        (RandomForestClassifier(), (True, False)),
        (object(), (False, False)),
    ],
)
def test_model_capabilities(model, expected):
    assert model_capabilities(model) == expected


def test_infinite_feature_value_names_the_column_and_row():
    from pdclean.errors import InputError

    df = pd.DataFrame(
        {"y": list("aabbaabb"), "x": [0.1, 0.2, np.inf, 1.0, 0.3, 0.2, 1.1, 0.9]},
        index=[f"r{i}" for i in range(8)],
    )
    with pytest.raises(
        InputError, match=r"feature column 'x' holds an infinite value \(inf\) in the row 'r2'"
    ):
        feature_matrix(df, ["x"])
    with pytest.raises(InputError, match="feature column 'x' holds an infinite value"):
        df.clean.find_label_issues("y", features=["x"], cv=2, progress=False)
    audited = feature_matrix(df, ["x"], takes_nan=True, allow_inf=True)  # the audit reports it
    assert np.isinf(audited[2, 0])
