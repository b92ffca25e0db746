"""Tests of ``df.clean.inject_label_noise`` (pdclean.frame.noise).

Against the seed tutorial (its noisy train labels come from trace 3.2 with seed 0), against
cleanlab 2.9.0's generator under the same seed, exact flip counts computed by hand, pandas
semantics (dtypes, index, column order, missing labels, no mutation) and bad input.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import pdclean  # noqa: F401  (registers the accessor)
from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial
from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError
from pdclean.frame.noise import inject_label_noise
from tests._reference import reference

NM = np.array([[0.7, 0.1, 0.0], [0.2, 0.8, 0.25], [0.1, 0.1, 0.75]])


def _frame(n=60, seed=0):
    rng = np.random.default_rng(seed)
    y = np.repeat(["ant", "bee", "cat"], [n // 2, n // 4, n - n // 2 - n // 4])
    return pd.DataFrame({"x": rng.normal(size=n), "y": y}, index=[f"r{i}" for i in range(n)])


def test_reproduces_the_tutorial_noisy_labels():
    """The tutorial: trace 3.2 with py = class frequencies, seed 0, then the train labels."""
    ref = reference()
    train, _ = load_tutorial()
    clean = train.drop(columns="label").rename(columns={"true_label": "label"})
    out = clean.clean.inject_label_noise("label", trace=3.2, random_state=0)
    assert out["label"].cat.codes.tolist() == ref["data"]["labels"]
    assert out["true_label"].cat.codes.tolist() == ref["data"]["true_labels"]
    assert int((out["label"] != out["true_label"]).sum()) == 50
    given = clean.clean.inject_label_noise(
        "label", noise_matrix=np.array(ref["data"]["noise_matrix_true"]), random_state=0
    )
    assert given["label"].cat.categories.tolist() == list(TUTORIAL_CLASS_NAMES)


def test_equals_cleanlab_with_the_same_seed():
    from cleanlab.benchmarking.noise_generation import generate_noisy_labels

    df = _frame(n=200)
    codes = pd.factorize(df["y"], sort=True)[0]
    state = np.random.get_state()  # noqa: NPY002 (restored below)
    try:
        np.random.seed(5)  # noqa: NPY002 (the oracle draws from the global generator)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = generate_noisy_labels(codes, NM)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    out = df.clean.inject_label_noise("y", noise_matrix=NM, random_state=5)
    assert out["y"].tolist() == np.array(["ant", "bee", "cat"])[expected].tolist()


def test_flip_counts_are_the_truncated_rates():
    """Class k gets exactly trunc(nm[s, k] * n_k) rows flipped to s (counts by hand)."""
    df = _frame(n=60)  # 30 ant, 15 bee, 15 cat
    out = df.clean.inject_label_noise("y", noise_matrix=NM, random_state=1)
    table = pd.crosstab(out["y"], out["true_y"])
    # column ant (30): 0.2*30 = 6 to bee, 0.1*30 = 3 to cat; bee (15): 0.1*15 = 1.5 -> 1 each;
    # cat (15): 0.0 to ant, 0.25*15 = 3.75 -> 3 to bee
    expected = pd.DataFrame(
        [[21, 1, 0], [6, 13, 3], [3, 1, 12]],
        index=pd.Index(["ant", "bee", "cat"], name="y"),
        columns=pd.Index(["ant", "bee", "cat"], name="true_y"),
    )
    pd.testing.assert_frame_equal(table, expected, check_dtype=False)


def test_frame_semantics():
    df = _frame()
    before = df.copy()
    out = df.clean.inject_label_noise("y", noise_matrix=NM, random_state=0)
    pd.testing.assert_frame_equal(df, before)
    assert out.columns.tolist() == ["x", "y", "true_y"]
    assert out.index.equals(df.index)
    pd.testing.assert_series_equal(out["true_y"], df["y"], check_names=False)
    assert out["y"].dtype == df["y"].dtype
    pd.testing.assert_series_equal(out["x"], df["x"])
    same = df.clean.inject_label_noise("y", noise_matrix=NM, random_state=0)
    pd.testing.assert_frame_equal(out, same)
    func = inject_label_noise(df, "y", noise_matrix=NM, random_state=0)
    pd.testing.assert_frame_equal(out, func)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([3, 1, 2] * 20, dtype="int64"),
        pd.Series(["c", "a", "b"] * 20, dtype="object"),
        pd.Series(["c", "a", "b"] * 20, dtype="string"),
        pd.Series(pd.Categorical(["c", "a", "b"] * 20, categories=["c", "b", "a", "unused"])),
        pd.Series([3, None, 2] + [3, 1, 2] * 19, dtype="Int64"),
    ],
)
def test_dtype_preserved_and_missing_labels_kept(column):
    df = pd.DataFrame({"label": column, "f": np.arange(60)})
    k = 4 if isinstance(column.dtype, pd.CategoricalDtype) else 3
    nm = np.full((k, k), 0.1) + np.eye(k) * (1 - 0.1 * k)
    out = df.clean.inject_label_noise("label", noise_matrix=nm, random_state=0)
    assert out["label"].dtype == column.dtype
    assert out["true_label"].dtype == column.dtype
    missing = column.isna().to_numpy()
    assert out["label"].isna().tolist() == missing.tolist()
    assert int((out["label"] != out["true_label"])[~missing].sum()) > 0


def test_noise_matrix_as_labelled_frame_and_bool_labels():
    df = _frame()
    names = ["cat", "ant", "bee"]
    order = [2, 0, 1]
    frame = pd.DataFrame(NM[np.ix_(order, order)], index=names, columns=names)
    a = df.clean.inject_label_noise("y", noise_matrix=frame, random_state=3)
    b = df.clean.inject_label_noise("y", noise_matrix=NM, random_state=3)
    pd.testing.assert_frame_equal(a, b)
    flags = pd.DataFrame({"flag": [True, False] * 20})
    out = flags.clean.inject_label_noise("flag", trace=1.5, random_state=0)
    assert out["flag"].dtype == bool
    assert 0 < int((out["flag"] != out["true_flag"]).sum()) < 20


def test_global_random_state_untouched():
    df = _frame()
    before = np.random.get_state()[1].copy()  # noqa: NPY002 (what is checked)
    df.clean.inject_label_noise("y", trace=2.4)
    df.clean.inject_label_noise("y", noise_matrix=NM, random_state=np.random.RandomState(1))
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, InputError, r"exactly one of noise_matrix .* or trace"),
        ({"noise_matrix": NM, "trace": 2.0}, InputError, r"exactly one of"),
        ({"noise_matrix": np.eye(2)}, InputError, r"noise_matrix must be 3 x 3"),
        ({"noise_matrix": NM * 2}, InputError, r"probabilities in \[0, 1\]"),
        ({"noise_matrix": NM * 0.5}, InputError, r"columns must each sum to 1"),
        ({"trace": 3.0}, InputError, r"trace must be < K=3"),
        ({"trace": 0.5}, InputError, r"trace must be > 1"),
        ({"trace": 2.0, "random_state": "seed"}, InputTypeError, r"random_state"),
        ({"noise_matrix": pd.DataFrame(NM)}, InputError, r"classes \['ant', 'bee', 'cat'\]"),
    ],
)
def test_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        _frame().clean.inject_label_noise("y", **kwargs)


def test_bad_frame_and_columns():
    df = _frame()
    with pytest.raises(ColumnNotFoundError, match=r"label column 'z'"):
        df.clean.inject_label_noise("z", trace=2.0)
    with pytest.raises(InputError, match=r"already has a column 'true_y'"):
        df.assign(true_y=1).clean.inject_label_noise("y", trace=2.0)
    unused = df.assign(y=pd.Categorical(df["y"], categories=["ant", "bee", "cat", "dog"]))
    with pytest.raises(InputError, match=r"\['dog'\] do not"):
        unused.clean.inject_label_noise("y", trace=2.0)
    with pytest.raises(InputTypeError, match=r"df must be a pandas DataFrame"):
        inject_label_noise(df.to_numpy(), "y", trace=2.0)
