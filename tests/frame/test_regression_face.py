"""Numeric targets through the frame functions: task="auto" and task="regression"."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LinearRegression

from pdclean.core.regression.detect import find_target_issues
from pdclean.errors import InputError, InputTypeError
from pdclean.frame.regression import choose_task, resolve_regression


def _prices(n: int = 400, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    price = np.exp(1.0 + x[:, 0] + 0.5 * x[:, 1] + 0.05 * rng.normal(size=n))
    bad = np.arange(0, n, 20)
    price[bad] *= 3.0  # entry errors
    df = pd.DataFrame({"a": x[:, 0], "b": x[:, 1], "price": price})
    return df.set_axis([f"r{i}" for i in range(n)]), bad


def test_auto_treats_a_float_target_as_regression_and_says_so(caplog):
    df, _ = _prices()
    with caplog.at_level(logging.INFO, logger="pdclean"):
        out = df.clean.find_label_issues("price", model=LinearRegression(), random_state=0)
    assert "task='auto': label 'price' is treated as regression" in caplog.text
    assert out.columns.tolist() == [
        "is_label_issue", "label_quality", "given_label", "predicted_label", "suggested_label",
    ]  # fmt: skip
    assert out.index.equals(df.index)
    pd.testing.assert_series_equal(out["given_label"], df["price"], check_names=False)


def test_the_face_is_the_detector_on_out_of_fold_predictions():
    df, _ = _prices()
    r = resolve_regression(df, "price", model=LinearRegression(), random_state=0)
    found = find_target_issues(df["price"].to_numpy(), r.predictions)
    out = df.clean.find_label_issues("price", model=LinearRegression(), random_state=0)
    np.testing.assert_array_equal(out["is_label_issue"], found.is_issue)
    np.testing.assert_allclose(out["label_quality"], found.score)
    np.testing.assert_allclose(out["predicted_label"], r.predictions)
    health = df.clean.health("price", model=LinearRegression(), random_state=0)
    assert health == pytest.approx(1 - found.is_issue.mean())


def test_missing_targets_stay_with_na():
    df, _ = _prices()
    df.loc["r3", "price"] = np.nan
    out = df.clean.find_label_issues("price", model=LinearRegression(), random_state=0)
    assert out.loc["r3", ["is_label_issue", "label_quality", "predicted_label"]].isna().all()
    assert out["is_label_issue"].notna().sum() == len(df) - 1
    kept = df.clean.drop_label_issues("price", model=LinearRegression(), random_state=0)
    assert "r3" in kept.index


def test_choose_task_and_forcing_a_task():
    df, _ = _prices()
    df["grade"] = np.arange(len(df)) % 3 * 1.0  # floats, but three whole values: classes
    assert choose_task(df, "grade") == "classification"
    assert choose_task(df, "price") == "regression"
    df["count"] = np.arange(len(df)) % 50  # integers: classes unless asked otherwise
    out = df.clean.find_label_issues(
        "count", features=["a", "b"], model=LinearRegression(), task="regression", random_state=0
    )
    assert out["predicted_label"].dtype == float


def test_bad_regression_input():
    df, _ = _prices()
    bad = df.copy()
    bad.loc["r7", "price"] = np.inf
    with pytest.raises(InputError, match=r"'price' holds an infinite value in the row 'r7'"):
        bad.clean.find_label_issues("price", task="regression")
    with pytest.raises(InputError, match=r"label column 'price' is constant"):
        df.assign(price=2.5).clean.find_label_issues("price", task="regression")
    with pytest.raises(InputTypeError, match="a regression target must be numeric"):
        df.assign(price="x").clean.find_label_issues("price", task="regression")
    with pytest.raises(InputError, match="a regression target needs predictions"):
        df.clean.find_label_issues("price", pred_probs=np.ones((len(df), 1)))
    with pytest.raises(InputError, match=r"class_health\(\) is defined for classification"):
        df.clean.class_health("price")
    with pytest.raises(InputError, match="task must be one of"):
        df.clean.find_label_issues("price", task="ranking")


def test_audit_of_a_numeric_target():
    df, _ = _prices()
    a = df.clean.audit("price", model=LinearRegression(), random_state=0)
    r = resolve_regression(df, "price", model=LinearRegression(), random_state=0)
    found = find_target_issues(df["price"].to_numpy(), r.predictions)
    summary = a.summary.set_index("issue_type")
    assert summary.loc["label", "num_issues"] == found.is_issue.sum()
    assert summary.loc["label", "score"] == pytest.approx(1 - found.is_issue.mean())
    expected = "the label 'price' is a regression target; this check is for classes"
    for name in ("class_imbalance", "underperforming_group", "conflicting_labels"):
        assert a.skipped[name] == expected
    np.testing.assert_allclose(a.get("label")["predicted_label"], r.predictions)
    page = a.to_html()
    assert page.count("<table") == int((a.summary["num_issues"] > 0).sum()) + 1
