"""Tests of pdclean.datasets: the tutorial data against the seed reference."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial
from tests._reference import SEED_REFERENCE

CLASS_NAMES = ["purple", "blue", "seafoam green", "yellow"]


@pytest.fixture(scope="module")
def reference_data():
    return json.loads(SEED_REFERENCE.read_text())["reference"]["data"]


@pytest.fixture(scope="module")
def frames():
    return load_tutorial()


def test_class_names():
    assert tuple(CLASS_NAMES) == TUTORIAL_CLASS_NAMES


@pytest.mark.parametrize("split", [0, 1])
def test_shape_index_columns_dtypes(frames, split):
    frame = frames[split]
    assert frame.shape == (250, 4)
    assert list(frame.columns) == ["x1", "x2", "label", "true_label"]
    pd.testing.assert_index_equal(frame.index, pd.RangeIndex(250))
    assert frame["x1"].dtype == np.float64
    assert frame["x2"].dtype == np.float64
    for column in ("label", "true_label"):
        dtype = frame[column].dtype
        assert isinstance(dtype, pd.CategoricalDtype)
        assert list(dtype.categories) == CLASS_NAMES
        assert not dtype.ordered
        assert frame[column].notna().all()


def test_label_codes_and_features_equal_the_reference(frames, reference_data):
    train, test = frames
    np.testing.assert_array_equal(train["label"].cat.codes, reference_data["labels"])
    np.testing.assert_array_equal(train["true_label"].cat.codes, reference_data["true_labels"])
    np.testing.assert_array_equal(test["label"].cat.codes, reference_data["noisy_test_labels"])
    np.testing.assert_array_equal(test["true_label"].cat.codes, reference_data["test_labels"])
    # bit-exact floats (the CSV is read without precision loss)
    np.testing.assert_array_equal(train[["x1", "x2"]].to_numpy(), reference_data["X_train"])
    np.testing.assert_array_equal(test[["x1", "x2"]].to_numpy(), reference_data["X_test"])
    first5 = train[["x1", "x2"]].head().to_numpy()
    np.testing.assert_array_equal(first5, reference_data["data_first5"])


def test_disagreement_and_value_counts(frames, reference_data):
    train, test = frames
    assert int((train["label"] != train["true_label"]).sum()) == 50
    assert int((test["label"] != test["true_label"]).sum()) == 50
    assert reference_data["num_true_label_errors_train"] == 50
    assert reference_data["num_true_label_errors_test"] == 50
    for frame in frames:
        assert frame["true_label"].value_counts(sort=False).tolist() == [100, 50, 50, 50]
    ps = train["label"].value_counts(sort=False).to_numpy() / 250
    np.testing.assert_allclose(ps, reference_data["ps"], rtol=0, atol=1e-15)
    assert train["label"].iloc[2] == "yellow"  # a flipped row, by name
    assert train["true_label"].iloc[2] == "purple"


def test_new_objects_on_each_call():
    train, test = load_tutorial()
    train.loc[0, "x1"] = 1e9
    train["label"] = train["label"].cat.rename_categories(["a", "b", "c", "d"])
    del test["x1"]
    test.loc[:, "x2"] = 0.0
    train2, test2 = load_tutorial()
    assert train2 is not train
    assert train2.loc[0, "x1"] == pytest.approx(-0.8352908298373181, abs=1e-15)
    assert list(train2["label"].cat.categories) == CLASS_NAMES
    assert test2.shape == (250, 4)
    np.testing.assert_array_equal(test2["x2"].to_numpy() == 0.0, False)
