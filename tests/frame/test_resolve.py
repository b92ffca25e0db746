"""Tests of the input resolver (pdclean.frame.resolve): encoding, pred_probs forms, every error."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError
from pdclean.frame.resolve import resolve

P3 = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.5, 0.25, 0.25]])


def frame(labels, **extra):
    return pd.DataFrame({"y": labels, "x": np.arange(len(labels), dtype=float), **extra})


# ------------------------------------------------------------------------------ label encoding


@pytest.mark.parametrize(
    ("labels", "codes", "classes"),
    [
        (pd.Series([3, 1, 2, 1]), [2, 0, 1, 0], [1, 2, 3]),
        (pd.Series(["b", "a", "c", "a"]), [1, 0, 2, 0], ["a", "b", "c"]),
        (pd.Series(["b", "a", None, "a"], dtype="string"), [1, 0, -1, 0], ["a", "b"]),
        (pd.Series(["b", "a", None, "a"], dtype=object), [1, 0, -1, 0], ["a", "b"]),
        (pd.Series([True, False, True, True]), [1, 0, 1, 1], [False, True]),
        (pd.Series([True, None, False, True], dtype="boolean"), [1, -1, 0, 1], [False, True]),
        (pd.Series([5, None, 7, 5], dtype="Int64"), [0, -1, 1, 0], [5, 7]),
        (pd.Series([2.0, np.nan, 1.0, 2.0]), [1, -1, 0, 1], [1.0, 2.0]),
    ],
)
def test_label_encoding(labels, codes, classes):
    uniform = np.full((len(labels), len(classes)), 1 / len(classes))
    r = resolve(pd.DataFrame({"y": labels, "x": 0.0}), "y", pred_probs=uniform)
    assert r.codes.dtype == np.int64
    assert r.codes.tolist() == codes
    assert list(r.classes) == classes
    assert r.has_label.tolist() == [c >= 0 for c in codes]
    dtype = r.classes.dtype
    if isinstance(labels.dtype, np.dtype):  # numpy columns give a NumpyExtensionArray
        dtype = dtype.numpy_dtype
    assert dtype == labels.dtype


def test_categorical_keeps_category_order_and_unused_categories():
    y = pd.Categorical(["lo", "hi", None, "hi"], categories=["hi", "zzz", "lo"])
    r = resolve(frame(y), "y", pred_probs=np.full((4, 3), 1 / 3))
    assert r.codes.tolist() == [2, 0, -1, 0]
    assert r.class_names.tolist() == ["hi", "zzz", "lo"]
    rebuilt = r.class_values(np.array([1, 0, -1]))
    assert rebuilt.dtype == y.dtype
    assert list(rebuilt.astype(object)) == ["zzz", "hi", np.nan]


def test_class_values_rebuild_in_label_dtype():
    r = resolve(
        frame(pd.Series([5, None, 7, 5], dtype="Int64")), "y", pred_probs=P3[:, :2] * 0 + 0.5
    )
    values = r.class_values(np.array([1, -1]))
    assert str(values.dtype) == "Int64"
    assert values[0] == 7
    assert values[1] is pd.NA


def test_features_default_excludes_label_and_pred_probs_columns():
    df = frame(["a", "b", "a", "b"], pa=[0.5] * 4, pb=[0.5] * 4, z=list("abcd"))
    assert resolve(df, "y", cv=2).features == ("x", "pa", "pb", "z")
    r = resolve(df, "y", pred_probs=["pa", "pb"])
    assert r.pred_probs.tolist() == [[0.5, 0.5]] * 4


def test_features_explicit_single_name():
    df = frame(["a", "b", "a", "b"], z=1)
    assert resolve(df, "y", features="z", cv=2).features == ("z",)
    assert resolve(df, "y", features=["z", "x"], cv=2).features == ("z", "x")


# ------------------------------------------------------------------------------ pred_probs forms


def test_array_pred_probs_no_copy_when_float64_c_contiguous():
    r = resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=P3)
    assert r.pred_probs is P3


def test_dataframe_pred_probs_matched_by_column_name_and_index():
    df = frame(["a", "b", "c", "a"]).set_axis(["r0", "r1", "r2", "r3"])
    shuffled = pd.DataFrame(P3, index=df.index, columns=["a", "b", "c"])
    shuffled = shuffled[["c", "a", "b"]].iloc[[2, 0, 3, 1]]
    r = resolve(df, "y", pred_probs=shuffled)
    np.testing.assert_array_equal(r.pred_probs, P3)
    assert r.pred_probs.flags.c_contiguous
    assert r.pred_probs.dtype == np.float64


def test_dataframe_pred_probs_with_duplicated_index_in_same_order():
    df = frame(["a", "b", "c", "a"]).set_axis([1, 1, 2, 2])
    r = resolve(df, "y", pred_probs=pd.DataFrame(P3, index=df.index, columns=["a", "b", "c"]))
    np.testing.assert_array_equal(r.pred_probs, P3)


def test_dataframe_pred_probs_multiindex():
    index = pd.MultiIndex.from_tuples([("u", 1), ("u", 2), ("v", 1), ("v", 2)])
    df = frame([0, 1, 2, 0]).set_axis(index)
    pp = pd.DataFrame(P3, index=index, columns=[0, 1, 2]).iloc[::-1, ::-1]
    np.testing.assert_array_equal(resolve(df, "y", pred_probs=pp).pred_probs, P3)


def test_pred_probs_ignores_rows_without_label():
    probs = P3.copy()
    probs[2] = np.nan
    r = resolve(frame(["a", "b", None, "c"]), "y", pred_probs=probs)
    assert r.labelled(r.pred_probs).shape == (3, 3)
    assert r.labelled_codes.tolist() == [0, 1, 2]


def test_ensemble_list_of_pred_probs():
    df = frame(["a", "b", "c", "a"])
    pp = pd.DataFrame(P3, columns=["a", "b", "c"])
    r = resolve(df, "y", pred_probs=[P3, pp[["b", "c", "a"]]], allow_ensemble=True)
    assert r.pred_probs is None
    assert len(r.pred_probs_list) == 2
    np.testing.assert_array_equal(r.pred_probs_list[1], P3)
    with pytest.raises(InputTypeError, match="label_quality only"):
        resolve(df, "y", pred_probs=[P3, P3])


def test_frame_not_modified():
    df = frame(pd.Categorical(["a", "b", None, "a"]), z=["u", "v", "w", "x"])
    before = df.copy(deep=True)
    resolve(df, "y", pred_probs=pd.DataFrame(P3[:, :2] / P3[:, :2].sum(1, keepdims=True),
                                              columns=["b", "a"]))  # fmt: skip
    pd.testing.assert_frame_equal(df, before)


# ------------------------------------------------------------------------------ errors


def test_not_a_dataframe():
    with pytest.raises(InputTypeError, match="df must be a pandas DataFrame; got ndarray"):
        resolve(np.zeros((3, 2)), "y")


def test_empty_frame():
    with pytest.raises(InputError, match=r"df is empty \(shape \(0, 2\)\)"):
        resolve(pd.DataFrame({"y": [], "x": []}), "y")


def test_unknown_label_column_lists_close_matches():
    df = pd.DataFrame({"label": [0, 1], "labels_v2": [0, 1], "x": [1, 2]})
    with pytest.raises(ColumnNotFoundError, match=r"'lable' is not a column.*'label'") as info:
        resolve(df, "lable")
    assert isinstance(info.value, KeyError)
    assert "Did you mean 'label'" in str(info.value)


def test_unknown_feature_and_pred_probs_columns():
    df = frame(["a", "b", "a", "b"], p_a=0.5, p_b=0.5)
    with pytest.raises(ColumnNotFoundError, match=r"feature column 'xx'.*Did you mean 'x'"):
        resolve(df, "y", features=["xx"], cv=2)
    with pytest.raises(ColumnNotFoundError, match=r"pred_probs column 'p_c'.*'p_a'"):
        resolve(df, "y", pred_probs=["p_a", "p_c"])


def test_label_all_missing():
    with pytest.raises(InputError, match="label column 'y' has no non-missing value"):
        resolve(frame([None, None, None]), "y")


def test_single_class():
    with pytest.raises(InputError, match=r"label column 'y' has a single class \('a'\)"):
        resolve(frame(["a", "a", None]), "y")
    one_used = pd.Categorical(["a", "a"], categories=["a", "b"])
    with pytest.raises(InputError, match="at least 2 classes"):
        resolve(frame(one_used), "y")


def test_duplicated_label_column():
    df = pd.DataFrame([[0, 1], [1, 0]], columns=["y", "y"])
    with pytest.raises(InputError, match="label column 'y' is not unique"):
        resolve(df, "y")


@pytest.mark.parametrize(
    ("pred_probs", "match"),
    [
        (P3[:, :2], r"shape \(n_rows, n_classes\) with n_classes = 3.*got shape \(4, 2\)"),
        (P3[:3], r"one row per row of df \(4\); got shape \(3, 3\)"),
        (P3[0], r"n_classes = 3.*got shape \(3,\)"),
    ],
)
def test_pred_probs_wrong_shape(pred_probs, match):
    with pytest.raises(InputError, match=match):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=pred_probs)


def test_pred_probs_missing_and_unknown_class_columns():
    df = frame(["a", "b", "c", "a"])
    pp = pd.DataFrame(P3, columns=["a", "b", "d"])
    with pytest.raises(
        InputError, match=r"missing class columns: \['c'\], unknown columns: \['d'\]"
    ):
        resolve(df, "y", pred_probs=pp)


def test_pred_probs_index_mismatch():
    df = frame(["a", "b", "c", "a"])
    pp = pd.DataFrame(P3, columns=["a", "b", "c"], index=[0, 1, 2, 7])
    with pytest.raises(InputError, match=r"index of pred_probs does not match df.index"):
        resolve(df, "y", pred_probs=pp)
    dup = df.set_axis([0, 0, 1, 1])
    with pytest.raises(InputError, match="with duplicated labels"):
        resolve(dup, "y", pred_probs=pp.set_axis([1, 1, 0, 0]))


def test_pred_probs_nan():
    probs = P3.copy()
    probs[1, 1] = np.nan
    with pytest.raises(InputError, match=r"pred_probs contains NaN.*index 1 \(position 1\)"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=probs)


def test_pred_probs_negative():
    probs = P3.copy()
    probs[3] = [1.2, -0.1, -0.1]
    with pytest.raises(InputError, match=r"pred_probs contains negative values.*index 3"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=probs)


def test_pred_probs_rows_not_summing_to_one():
    logits = np.log(P3) + 3.0
    with pytest.raises(InputError, match=r"do not sum to 1.*softmax of logits"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=logits)
    ok = P3 + 5e-5 * np.array([1, -1, 0])  # within tolerance
    assert resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=ok).pred_probs is not None


def test_pred_probs_wrong_type():
    with pytest.raises(InputTypeError, match="got dict"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs={"a": 1})
    with pytest.raises(InputTypeError, match="got a Series"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=pd.Series([1, 2, 3, 4]))


def test_pred_probs_and_features_both_given():
    with pytest.raises(InputError, match="either pred_probs or features/model, not both"):
        resolve(frame(["a", "b", "c", "a"]), "y", pred_probs=P3, features=["x"])


def test_label_in_features():
    with pytest.raises(InputError, match="features include the label column 'y'"):
        resolve(frame(["a", "b"] * 5), "y", features=["x", "y"])


def test_no_feature_columns():
    with pytest.raises(InputError, match="no column besides the label 'y'"):
        resolve(pd.DataFrame({"y": ["a", "b"] * 5}), "y")


def test_fewer_rows_in_a_class_than_cv():
    df = frame(["a"] * 6 + ["b"] * 3 + [None])
    with pytest.raises(InputError, match=r"fewer rows than cv=5 folds.*\{'b': 3\}.*Lower cv"):
        resolve(df, "y", cv=5)
    assert resolve(df, "y", cv=3).features == ("x",)


def test_bad_cv():
    for cv in (1, 2.5, True, "5"):
        with pytest.raises(InputError, match="cv must be an integer >= 2"):
            resolve(frame(["a", "b"] * 5), "y", cv=cv)


def test_model_without_predict_proba():
    from sklearn.svm import SVC

    with pytest.raises(InputTypeError, match=r"has no predict_proba.*SVC\(probability=True\)"):
        resolve(frame(["a", "b"] * 5), "y", model=SVC())
    with pytest.raises(InputTypeError, match="has no fit or predict_proba"):
        resolve(frame(["a", "b"] * 5), "y", model=object())


def test_a_filtered_frame_reuses_the_whole_frames_pred_probs():
    df = frame(["a", "b", "c", "a"]).set_axis(["w", "x", "y", "z"])
    pp = pd.DataFrame(P3, columns=["a", "b", "c"], index=df.index)
    part = df.loc[["y", "x", "w"]]  # a filtered view, in another order: every class present
    got = resolve(part, "y", pred_probs=pp)
    np.testing.assert_array_equal(got.pred_probs, pp.loc[["y", "x", "w"]].to_numpy())
    with pytest.raises(InputError, match="must hold every row label of df"):
        resolve(df, "y", pred_probs=pp.drop(index="z"))
