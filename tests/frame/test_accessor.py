"""Tests of the DataFrame face: pdclean.frame.issues functions and the ``.clean`` accessor.

The accessor must equal the numpy-level functions on the same encoded inputs (masks exactly,
scores within 1e-12), reproduce the seed tutorial's numbers, keep pandas semantics (index,
order, dtypes, missing labels, no mutation) and reject bad input before doing any work.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from threadpoolctl import threadpool_limits

import pdclean.accessor
from pdclean import count, dataset, rank
from pdclean import filter as pdfilter
from pdclean.core.scores import SCORE_METHODS
from pdclean.errors import ColumnNotFoundError, InputError, InputTypeError
from pdclean.frame import issues as frame_issues
from tests._reference import SEED_REFERENCE, TUTORIAL_CSV

FILTERS = pdfilter.FILTER_BY
METHODS = SCORE_METHODS

TUTORIAL_NAMES = ["purple", "blue", "seafoam green", "yellow"]


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    """BLAS threads oversubscribe the 2 CI cores: small fits run 10x slower without this."""
    with threadpool_limits(limits=1):
        yield


def noisy_problem(n, k, seed):
    """Labels 0..K-1 (all present) and continuous pred_probs (no exact ties), 25% noise."""
    rng = np.random.default_rng(seed)
    true = np.arange(n) % k
    labels = np.where(rng.random(n) < 0.25, rng.integers(0, k, n), true)
    labels[:k] = np.arange(k)
    logits = rng.normal(size=(n, k)) + 2.0 * np.eye(k)[true]
    probs = np.exp(logits)
    return labels, probs / probs.sum(axis=1, keepdims=True)


NAMES = np.array(["ant", "bee", "cat", "dog", "eel"])


def as_kind(labels, kind):
    """The integer codes as a label column of the given kind (class order = code order)."""
    if kind == "int":
        return pd.Series(labels * 10 + 3)
    if kind == "str":
        return pd.Series(NAMES[labels])
    categories = ["zeta", "alpha", "mu", "beta", "omega"][: labels.max() + 1]
    return pd.Series(pd.Categorical.from_codes(labels, categories=categories))


# ------------------------------------------------------------------------------ numpy equality


@pytest.mark.parametrize("kind", ["int", "str", "category"])
@pytest.mark.parametrize("as_frame", [False, True])
def test_equals_numpy_level(kind, as_frame):
    labels, probs = noisy_problem(120, 4, 1)
    column = as_kind(labels, kind)
    df = pd.DataFrame({"x": np.arange(120.0), "y": column})
    given = probs
    if as_frame:
        classes = column.cat.categories if kind == "category" else np.unique(column)
        given = pd.DataFrame(probs, columns=classes).iloc[:, [2, 0, 3, 1]]
    out = df.clean.find_label_issues("y", pred_probs=given)
    np.testing.assert_array_equal(out["is_label_issue"], pdfilter.find_label_issues(labels, probs))
    np.testing.assert_allclose(
        out["label_quality"], rank.get_label_quality_scores(labels, probs), rtol=0, atol=1e-12
    )
    pd.testing.assert_series_equal(out["given_label"], column, check_names=False)
    expected_pred = as_kind(probs.argmax(axis=1), kind)
    if kind == "category":
        expected_pred = expected_pred.astype(column.dtype)
    pd.testing.assert_series_equal(out["predicted_label"], expected_pred, check_names=False)
    assert out.columns.tolist() == ["is_label_issue", "label_quality", "given_label",
                                    "predicted_label"]  # fmt: skip
    assert out["is_label_issue"].dtype == bool
    assert out["label_quality"].dtype == np.float64


@pytest.mark.parametrize("filter_by", FILTERS)
def test_every_filter_by_passes_through(filter_by):
    labels, probs = noisy_problem(90, 3, 2)
    df = pd.DataFrame({"y": NAMES[labels]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # frac_noise warnings for the non-prune methods
        got = df.clean.find_label_issues("y", pred_probs=probs, filter_by=filter_by,
                                         min_examples_per_class=5)  # fmt: skip
        expected = pdfilter.find_label_issues(labels, probs, filter_by=filter_by,
                                              min_examples_per_class=5)  # fmt: skip
    np.testing.assert_array_equal(got["is_label_issue"], expected)


def test_frac_noise_and_num_to_remove_per_class_pass_through():
    labels, probs = noisy_problem(90, 3, 3)
    df = pd.DataFrame({"y": NAMES[labels]})
    got = df.clean.find_label_issues("y", pred_probs=probs, frac_noise=0.5)
    expected = pdfilter.find_label_issues(labels, probs, frac_noise=0.5)
    np.testing.assert_array_equal(got["is_label_issue"], expected)
    by_name = df.clean.find_label_issues(
        "y", pred_probs=probs, filter_by="prune_by_class", num_to_remove_per_class={"bee": 2}
    )
    expected = pdfilter.find_label_issues(
        labels, probs, filter_by="prune_by_class", num_to_remove_per_class=[0, 2, 0]
    )
    np.testing.assert_array_equal(by_name["is_label_issue"], expected)
    assert by_name.loc[by_name.is_label_issue, "given_label"].tolist() == ["bee", "bee"]
    with pytest.raises(InputError, match=r"unknown classes \['fox'\]"):
        df.clean.find_label_issues("y", pred_probs=probs, num_to_remove_per_class={"fox": 1})


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("adjust", [False, True])
def test_label_quality_methods(method, adjust):
    labels, probs = noisy_problem(60, 3, 4)
    df = pd.DataFrame({"y": labels}, index=[f"r{i}" for i in range(60)])
    if adjust and method == "confidence_weighted_entropy":
        with pytest.raises(InputError, match="adjust_pred_probs"):
            df.clean.label_quality("y", pred_probs=probs, method=method, adjust_pred_probs=True)
        return
    got = df.clean.label_quality("y", pred_probs=probs, method=method, adjust_pred_probs=adjust)
    expected = rank.get_label_quality_scores(labels, probs, method=method,
                                             adjust_pred_probs=adjust)  # fmt: skip
    assert got.name == "label_quality"
    assert got.index.equals(df.index)
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=0, atol=1e-12)
    by_rank = df.clean.find_label_issues("y", pred_probs=probs, rank_by=method)
    if not adjust:
        np.testing.assert_allclose(by_rank["label_quality"], expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("weighting", ["accuracy", "uniform", "log_loss_search"])
def test_label_quality_ensemble(weighting):
    labels, p1 = noisy_problem(80, 3, 5)
    _, p2 = noisy_problem(80, 3, 6)
    df = pd.DataFrame({"y": NAMES[labels]})
    p2_frame = pd.DataFrame(p2, columns=NAMES[:3])[["cat", "ant", "bee"]]
    got = df.clean.label_quality("y", pred_probs=[p1, p2_frame],
                                 weight_ensemble_members_by=weighting)  # fmt: skip
    expected = rank.get_label_quality_ensemble_scores(
        labels, [p1, p2], weight_ensemble_members_by=weighting
    )
    np.testing.assert_allclose(got.to_numpy(), expected, rtol=0, atol=1e-12)


def test_class_level_results_equal_numpy_level():
    labels, probs = noisy_problem(150, 3, 7)
    df = pd.DataFrame({"y": NAMES[labels]})
    cj = count.compute_confident_joint(labels, probs)
    assert df.clean.health("y", pred_probs=probs) == pytest.approx(
        np.trace(cj) / cj.sum(), abs=1e-12
    )
    table = dataset.rank_classes_by_label_quality(labels, probs)
    ours = df.clean.class_health("y", pred_probs=probs)
    assert ours.index.tolist() == NAMES[table["class_index"]].tolist()
    assert ours.index.name == "y"
    np.testing.assert_allclose(ours.to_numpy(dtype=float), table.iloc[:, 1:].to_numpy(dtype=float))
    overlap = dataset.find_overlapping_classes(labels, probs, asymmetric=True)
    ours = df.clean.overlapping_classes("y", pred_probs=probs, asymmetric=True)
    assert ours["class_a"].tolist() == NAMES[overlap["class_index_a"]].tolist()
    assert ours["class_b"].tolist() == NAMES[overlap["class_index_b"]].tolist()
    np.testing.assert_array_equal(ours["num_overlapping"], overlap["num_overlapping"])
    np.testing.assert_allclose(ours["joint_probability"], overlap["joint_probability"], atol=0)
    py, nm, inv, c = count.estimate_py_and_noise_matrices_from_probabilities(
        labels, probs, converge_latent_estimates=False
    )
    est = df.clean.noise_estimates("y", pred_probs=probs)
    np.testing.assert_array_equal(est.confident_joint.to_numpy(), c)
    np.testing.assert_allclose(est.noise_matrix.to_numpy(), nm, atol=1e-15)
    np.testing.assert_allclose(est.inverse_noise_matrix.to_numpy(), inv, atol=1e-15)
    np.testing.assert_allclose(est.py.to_numpy(), py, atol=1e-15)
    np.testing.assert_allclose(est.joint.to_numpy(), c / c.sum(), atol=1e-15)
    assert est.noise_matrix.index.tolist() == ["ant", "bee", "cat"]
    assert (est.noise_matrix.index.name, est.noise_matrix.columns.name) == ("given_y", "true_y")


def test_plain_functions_pipe_and_annotate_and_drop():
    labels, probs = noisy_problem(60, 3, 8)
    df = pd.DataFrame({"y": NAMES[labels], "x": np.arange(60)})
    issues = df.pipe(frame_issues.find_label_issues, "y", pred_probs=probs)
    pd.testing.assert_frame_equal(issues, df.clean.find_label_issues("y", pred_probs=probs))
    annotated = df.clean.annotate("y", pred_probs=probs)
    assert annotated.columns.tolist() == ["y", "x", "is_label_issue", "label_quality",
                                          "predicted_label"]  # fmt: skip
    pd.testing.assert_frame_equal(annotated[["y", "x"]], df)
    pd.testing.assert_series_equal(annotated["label_quality"], issues["label_quality"])
    dropped = df.clean.drop_label_issues("y", pred_probs=probs)
    pd.testing.assert_frame_equal(dropped, df[~issues["is_label_issue"].to_numpy()])


def test_accessor_is_stateless_and_documented():
    df = pd.DataFrame({"y": [0, 1]})
    assert list(vars(df.clean)) == ["_obj"]
    assert df.clean._obj is df
    assert (
        "Flag the rows whose label is likely wrong" in pd.DataFrame.clean.find_label_issues.__doc__
    )
    params = list(pdclean.accessor.inspect.signature(pd.DataFrame.clean.label_quality).parameters)
    assert params[:3] == ["self", "label", "pred_probs"]


# ------------------------------------------------------------------------------ the seed tutorial


@pytest.fixture(scope="module")
def tutorial():
    ref = json.loads(SEED_REFERENCE.read_text())["reference"]
    data = pd.read_csv(TUTORIAL_CSV)
    train = data[data["split"] == "train"]
    df = pd.DataFrame({
        "x1": train["x1"],
        "x2": train["x2"],
        "y": pd.Categorical.from_codes(train["label"], categories=TUTORIAL_NAMES),
    })  # fmt: skip
    return df, ref


TUTORIAL_KW = {"model": None, "cv": 5, "random_state": 0, "progress": False}


def _tutorial_kw():
    return {**TUTORIAL_KW, "model": LogisticRegression(random_state=0)}


def test_tutorial_pred_probs_and_confident_joint(tutorial):
    df, ref = tutorial
    probs = df.clean.pred_probs("y", **_tutorial_kw())
    assert probs.columns.tolist() == TUTORIAL_NAMES
    assert probs.index.equals(df.index)
    np.testing.assert_allclose(probs.to_numpy(), ref["workflow7_1_count"]["cv_pred_probs"],
                               rtol=0, atol=1e-12)  # fmt: skip
    cj = df.clean.noise_estimates("y", **_tutorial_kw()).confident_joint
    assert cj.to_numpy().tolist() == [[68, 0, 8, 8], [5, 46, 3, 0], [15, 3, 31, 14], [2, 1, 12, 34]]
    assert cj.index.tolist() == TUTORIAL_NAMES


def test_tutorial_overlap_health_and_classes(tutorial):
    df, ref = tutorial
    overlap = df.clean.overlapping_classes("y", **_tutorial_kw())
    seed = ref["workflow4_overlap"]["overlapping_classes"]["data"]
    assert overlap[["class_a", "class_b", "num_overlapping"]].to_numpy().tolist() == [
        [*row[:2], row[4]] for row in seed
    ]
    np.testing.assert_allclose(overlap["joint_probability"], [row[5] for row in seed], atol=1e-12)
    assert overlap["class_a"].dtype == df["y"].dtype
    score = df.clean.health("y", **_tutorial_kw())
    assert score == pytest.approx(ref["workflow6_health"]["health_score"], abs=1e-12)
    assert round(score, 2) == 0.72
    classes = df.clean.class_health("y", **_tutorial_kw())
    seed = ref["workflow6_health"]["health_summary"]["classes_by_label_quality"]["data"]
    assert classes.index.tolist() == [row[0] for row in seed]
    assert classes["label_issues"].tolist() == [row[2] for row in seed]
    np.testing.assert_allclose(classes["label_quality"], [row[6] for row in seed], atol=1e-9)


def test_tutorial_label_issues_as_cleanlearning(tutorial):
    df, ref = tutorial
    out = df.clean.find_label_issues("y", min_examples_per_class=10, **_tutorial_kw())
    seed = ref["workflow3_find_label_issues"]
    assert np.flatnonzero(out["is_label_issue"]).tolist() == seed["label_issue_indices"]
    np.testing.assert_allclose(out["label_quality"], seed["label_quality"], rtol=0, atol=1e-12)
    assert out["predicted_label"].dtype == df["y"].dtype


# ------------------------------------------------------------------------------ pandas semantics


def test_missing_labels_stay_with_na_and_take_no_part():
    labels, probs = noisy_problem(50, 3, 9)
    column = pd.Series(NAMES[labels], dtype="string")
    column[[3, 17, 40]] = pd.NA
    df = pd.DataFrame({"y": column.array}, index=[f"r{i}" for i in range(50)])
    out = df.clean.find_label_issues("y", pred_probs=probs)
    kept = df.dropna()
    on_kept = kept.clean.find_label_issues("y", pred_probs=probs[kept.index.str[1:].astype(int)])
    assert out["is_label_issue"].dtype == "boolean"
    assert out["label_quality"].dtype == "Float64"
    assert out.loc[["r3", "r17", "r40"]].isna().all(axis=None)
    pd.testing.assert_frame_equal(
        out.loc[kept.index].astype({"is_label_issue": bool, "label_quality": float}), on_kept
    )
    assert out["given_label"].dtype == "string"
    quality = df.clean.label_quality("y", pred_probs=probs)
    assert quality.dtype == "Float64"
    assert quality.isna().sum() == 3
    assert (
        len(df.clean.drop_label_issues("y", pred_probs=probs)) == 50 - on_kept.is_label_issue.sum()
    )


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1, 0, 1, 0, 1, 0] * 5),
        pd.Series([True, False] * 15),
        pd.Series([1, None, 0, 1, 0, 1] * 5, dtype="Int64"),
        pd.Series(["p", "q", None] * 10, dtype=object),
        pd.Series(["p", "q", "q"] * 10, dtype="str"),
        pd.Series(pd.Categorical(["p", "q", None] * 10, categories=["q", "unused", "p"])),
    ],
    ids=["int64", "bool", "Int64", "object", "str", "category"],
)
def test_label_dtypes_are_kept(column):
    df = pd.DataFrame({"y": column})
    k = 3 if isinstance(column.dtype, pd.CategoricalDtype) else 2
    rng = np.random.default_rng(0)
    probs = rng.dirichlet(np.ones(k), size=len(df))
    out = df.clean.find_label_issues("y", pred_probs=probs)
    assert out["given_label"].dtype == column.dtype
    assert out["predicted_label"].dtype == column.dtype
    pd.testing.assert_series_equal(out["given_label"], column, check_names=False)
    missing = column.isna().to_numpy()
    assert out["predicted_label"].isna().to_numpy().tolist() == missing.tolist()


@pytest.mark.parametrize(
    "index",
    [
        pd.Index([f"row{i}" for i in range(30)]),
        pd.Index([i // 2 for i in range(30)]),
        pd.MultiIndex.from_arrays([np.arange(30) % 3, np.arange(30)]),
        pd.RangeIndex(100, 130),
    ],
    ids=["strings", "duplicates", "multiindex", "range"],
)
def test_any_index(index):
    labels, probs = noisy_problem(30, 2, 10)
    df = pd.DataFrame({"y": labels}, index=index)
    out = df.clean.find_label_issues("y", pred_probs=probs)
    assert out.index.equals(index)
    np.testing.assert_array_equal(out["is_label_issue"], pdfilter.find_label_issues(labels, probs))
    as_frame = pd.DataFrame(probs, index=index, columns=[0, 1])
    out2 = df.clean.find_label_issues("y", pred_probs=as_frame)
    pd.testing.assert_frame_equal(out, out2)
    computed = df.assign(x=probs[:, 1]).clean.pred_probs(
        "y", model=LogisticRegression(), cv=2, random_state=0, progress=False
    )
    assert computed.index.equals(index)
    assert computed.columns.tolist() == [0, 1]


def test_results_do_not_share_memory_with_df():
    labels, probs = noisy_problem(30, 2, 11)
    df = pd.DataFrame({"y": labels, "x": np.arange(30.0)})
    before = df.copy(deep=True)
    annotated = df.clean.annotate("y", pred_probs=probs)
    annotated.loc[0, "y"] = 7
    annotated.loc[1, "x"] = -1.0
    out = df.clean.find_label_issues("y", pred_probs=probs)
    out.loc[2, "given_label"] = 9
    pd.testing.assert_frame_equal(df, before)


# ------------------------------------------------------------------------------ computed pred_probs


def test_cv_on_mixed_column_types_with_default_model():
    rng = np.random.default_rng(12)
    n = 90
    y = np.arange(n) % 3
    df = pd.DataFrame({
        "num": y + rng.normal(scale=0.5, size=n),
        "with_nan": np.where(rng.random(n) < 0.2, np.nan, y * 1.0),
        "word": np.array(["lo", "mid", "hi"])[y],
        "flag": pd.array(np.where(rng.random(n) < 0.1, None, y == 0), dtype="boolean"),
        "when": pd.Timestamp("2024-01-01") + pd.to_timedelta(y * 10 + rng.integers(0, 3, n), "D"),
        "cat": pd.Categorical(np.array(["u", "v"])[y % 2]),
        "label": np.array(["a", "b", "c"])[y],
    })  # fmt: skip
    before = df.copy(deep=True)
    for model in (None, LogisticRegression(max_iter=1000)):
        # "word" spells the label out: among the default features, that is a leak, and it is said
        with pytest.warns(UserWarning, match=r"feature column\(s\) \['word'\] give the label"):
            probs = df.clean.pred_probs("label", model=model, cv=3, random_state=0, progress=False)
        assert probs.shape == (n, 3)
        np.testing.assert_allclose(probs.sum(axis=1), 1.0)
        accuracy = (probs.to_numpy().argmax(axis=1) == y).mean()
        assert accuracy > 0.9
    pd.testing.assert_frame_equal(df, before)


def test_cv_with_missing_labels_and_unused_category():
    rng = np.random.default_rng(13)
    y = np.arange(60) % 2
    labels = pd.Categorical(np.array(["a", "b"])[y], categories=["a", "z", "b"])
    labels[[0, 5]] = np.nan
    df = pd.DataFrame({"x": y + rng.normal(scale=0.3, size=60), "y": labels})
    probs = df.clean.pred_probs("y", model=LogisticRegression(), cv=3, random_state=0,
                                progress=False)  # fmt: skip
    assert probs.columns.tolist() == ["a", "z", "b"]
    assert probs.iloc[[0, 5]].isna().all(axis=None)
    assert (probs["z"].dropna() == 0).all()
    kept = df.dropna()
    expected = kept.assign(y=kept["y"].cat.remove_unused_categories()).clean.pred_probs(
        "y", model=LogisticRegression(), cv=3, random_state=0, progress=False
    )
    np.testing.assert_allclose(probs.loc[kept.index, ["a", "b"]], expected, rtol=0, atol=1e-12)


# ------------------------------------------------------------------------------ bad input


def test_bad_input_through_the_accessor():
    labels, probs = noisy_problem(20, 2, 14)
    df = pd.DataFrame({"label": labels, "x": np.arange(20.0)})
    before = df.copy(deep=True)
    with pytest.raises(ColumnNotFoundError, match="Did you mean 'label'"):
        df.clean.find_label_issues("labels", pred_probs=probs)
    with pytest.raises(InputError, match="fewer rows than cv=15"):
        df.clean.find_label_issues("label", cv=15)
    with pytest.raises(InputTypeError, match="no predict_proba"):
        df.clean.pred_probs("label", model=SVC())
    with pytest.raises(InputError, match="df is empty"):
        df.iloc[:0].clean.health("label", pred_probs=probs[:0])
    with pytest.raises(InputError, match="filter_by must be one of"):
        df.clean.find_label_issues("label", pred_probs=probs, filter_by="nope")
    with pytest.raises(InputError, match="do not sum to 1"):
        df.clean.label_quality("label", pred_probs=probs * 2)
    pd.testing.assert_frame_equal(df, before)


# ------------------------------------------------------------------------------ registration


def test_registration_warns_when_replacing_another_accessor():
    name = "clean_test_slot"

    @pd.api.extensions.register_dataframe_accessor(name)
    class Other:
        def __init__(self, obj):
            self.obj = obj

    try:
        with pytest.warns(UserWarning, match=f"replaced an existing DataFrame.{name}") as rec:
            pdclean.accessor.register(pdclean.accessor.CleanAccessor, name)
        assert len(rec) == 1  # pandas' own warning is not shown too
        assert isinstance(getattr(pd.DataFrame({"y": [0]}), name), pdclean.accessor.CleanAccessor)
    finally:
        delattr(pd.DataFrame, name)


def test_registering_again_does_not_warn():
    registered = pd.DataFrame.clean
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pdclean.accessor.register(registered)  # e.g. a module reload: same class, no warning
    assert pd.DataFrame.clean is registered


# ------------------------------------------------------------------------------ invariants


@st.composite
def problems(draw):
    n = draw(st.integers(8, 40))
    k = draw(st.integers(2, 4))
    labels, probs = noisy_problem(n, k, draw(st.integers(0, 2**16)))
    return labels, probs


@given(problems(), st.data())
def test_permuting_rows_permutes_results(problem, data):
    labels, probs = problem
    perm = np.array(data.draw(st.permutations(range(labels.size))))
    df = pd.DataFrame({"y": NAMES[labels]}, index=[f"r{i}" for i in range(labels.size)])
    out = df.clean.find_label_issues("y", pred_probs=probs)
    shuffled = df.iloc[perm].clean.find_label_issues("y", pred_probs=probs[perm])
    pd.testing.assert_frame_equal(shuffled, out.iloc[perm], check_exact=False, rtol=0, atol=1e-12)
    framed = pd.DataFrame(probs, index=df.index, columns=np.unique(NAMES[labels]))
    again = df.iloc[perm].clean.find_label_issues("y", pred_probs=framed)  # aligned by index
    pd.testing.assert_frame_equal(again, shuffled)


@given(problems(), st.data())
def test_renaming_classes_changes_nothing_else(problem, data):
    labels, probs = problem
    k = probs.shape[1]
    new = data.draw(st.lists(st.text(min_size=1, max_size=5), min_size=k, max_size=k, unique=True))
    df = pd.DataFrame({"y": labels})
    renamed = pd.DataFrame({"y": pd.Categorical.from_codes(labels, categories=new)})
    a = df.clean.find_label_issues("y", pred_probs=probs)
    b = renamed.clean.find_label_issues("y", pred_probs=pd.DataFrame(probs, columns=new))
    pd.testing.assert_frame_equal(a.iloc[:, :2], b.iloc[:, :2])
    mapping = dict(enumerate(new))
    assert b["predicted_label"].astype(object).tolist() == [
        mapping[c] for c in a["predicted_label"]
    ]
    assert b["given_label"].cat.categories.tolist() == new
    assert df.clean.health("y", pred_probs=probs) == renamed.clean.health("y", pred_probs=probs)


@given(problems(), st.sampled_from(["str", "category", "int"]))
def test_input_frame_is_unchanged(problem, kind):
    labels, probs = problem
    df = pd.DataFrame({"y": as_kind(labels, kind), "x": np.arange(labels.size)})
    before = df.copy(deep=True)
    for method in ("find_label_issues", "label_quality", "annotate", "drop_label_issues",
                   "class_health", "overlapping_classes", "noise_estimates", "health"):  # fmt: skip
        getattr(df.clean, method)("y", pred_probs=probs)
    pd.testing.assert_frame_equal(df, before)
