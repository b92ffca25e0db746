"""The ``pdclean`` command line: audit files, the demo, exit statuses, one-line errors."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import pdclean
from pdclean.cli.main import MODELS, main

FEATURES = ["x1", "x2", "color"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    """String labels, a string feature, missing values, ids in a shuffled order."""
    rng = np.random.RandomState(3)
    n = 90
    labels = np.array(["bird", "cat", "dog"])[np.arange(n) % 3]
    codes = np.arange(n) % 3
    df = pd.DataFrame(
        {
            "id": [f"id-{i:03d}" for i in rng.permutation(n)],
            "x1": codes * 2.0 + rng.normal(size=n),
            "x2": -codes + rng.normal(size=n),
            "color": rng.choice(["red", "green", "blue"], size=n),
            "animal": labels,
        }
    )
    df.loc[[4, 50], "x1"] = np.nan
    df.loc[50, ["x2", "color"]] = [np.nan, np.nan]  # row 50: every feature missing
    df.loc[7, "color"] = np.nan
    df.loc[[10, 11], "animal"] = df.loc[[11, 10], "animal"].to_numpy()  # two flipped labels
    return df


@pytest.fixture
def csv(tmp_path, table):
    path = tmp_path / "table.csv"
    table.to_csv(path, index=False)
    return path


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith("pdclean: error: ")
    return lines[0]


# ------------------------------------------------------------------------------ audit


def test_audit_csv_writes_issues_lined_up_with_input(tmp_path, csv, table, capsys):
    out = tmp_path / "issues.csv"
    argv = [
        "audit", str(csv), "--label", "animal", "--index-col", "id", "--model", "logistic",
        "--cv", "3", "--issues-out", str(out), "-q",
    ]  # fmt: skip
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "Dataset health: " in stdout
    issues = pd.read_csv(out, index_col="id")
    assert issues.index.tolist() == table["id"].tolist()
    # null check on the original columns x1, x2, color: hand-computed fractions present
    expected_null = 1 - table[FEATURES].isna().sum(axis=1).to_numpy() / 3
    np.testing.assert_allclose(issues["null_score"], expected_null)
    assert issues.index[issues["is_null_issue"]].tolist() == [table.loc[50, "id"]]
    # the same numbers as the library call on the same frame
    frame = table.set_index("id")
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000, random_state=0))
    ref = pdclean.audit(frame, "animal", model=model, cv=3, random_state=0).issues
    assert issues.columns.tolist() == ref.columns.tolist()
    np.testing.assert_allclose(issues.to_numpy(dtype=float), ref.to_numpy(dtype=float), atol=1e-12)


def test_audit_with_pred_probs_file_named_by_class(tmp_path, csv, table, capsys):
    P = np.full((len(table), 3), 0.1)
    P[np.arange(len(table)), np.arange(len(table)) % 3] = 0.8  # the unflipped labels
    # columns in a non-sorted order, named by class: matched by name
    probs = pd.DataFrame(P, columns=["bird", "cat", "dog"])[["dog", "bird", "cat"]]
    probs_path = tmp_path / "probs.csv"
    probs.to_csv(probs_path, index=False)
    out = tmp_path / "issues.parquet"
    argv = [
        "audit", str(csv), "--label", "animal", "--features", "x1,x2", "--pred-probs",
        str(probs_path), "--issues-out", str(out), "-q",
    ]  # fmt: skip
    assert main(argv) == 0
    issues = pd.read_parquet(out)
    assert issues.index.name == "row"
    assert issues.index.tolist() == list(range(len(table)))
    assert issues.index[issues["is_label_issue"]].tolist() == [10, 11]
    assert "Number of examples with this issue: 2" in capsys.readouterr().out


def test_parquet_input_and_html_markdown_reports(tmp_path, table, capsys):
    path = tmp_path / "table.parquet"
    table.to_parquet(path)
    html, md = tmp_path / "report.html", tmp_path / "report.md"
    for report in (html, md):
        argv = [
            "audit", str(path), "--label", "animal", "--index-col", "id", "--model",
            "logistic", "--cv", "3", "--report-out", str(report), "-q",
        ]  # fmt: skip
        assert main(argv) == 0
    page = html.read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert "90 rows" in page
    assert "<svg" in page  # the map of the rows and the charts, inline
    assert 'src="http' not in page
    assert 'href="http' not in page
    assert "| issue type | issues | score |" in md.read_text()


def test_parquet_without_pyarrow_says_which_extra(tmp_path, table, capsys, monkeypatch):
    path = tmp_path / "table.parquet"
    table.to_parquet(path)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a)
    )
    assert main(["audit", str(path), "--label", "animal"]) == 2
    assert "pip install 'pdclean[parquet]'" in _one_error_line(capsys)


@pytest.mark.parametrize(
    ("make", "args", "message"),
    [
        (None, ["--label", "animal"], "file not found"),
        ("csv", ["--label", "species"], "label column 'species' is not a column of df"),
        ("csv", ["--label", "animal", "--features", "x1,size"], "feature column 'size'"),
        ("csv", ["--label", "animal", "--index-col", "key"], "--index-col 'key'"),
        ("xlsx", ["--label", "animal"], "unsupported format '.xlsx'"),
        ("binary", ["--label", "animal"], "cannot read"),
        ("fake_parquet", ["--label", "animal"], "as Parquet"),
        ("csv", ["--label", "animal", "--report-out", "r.pdf"], "use .html or .md"),
    ],
)
def test_bad_input_exits_2_with_one_line(tmp_path, table, capsys, make, args, message):
    path = tmp_path / "missing.csv"
    if make == "csv":
        table.to_csv(path, index=False)
    elif make == "xlsx":
        path = tmp_path / "table.xlsx"
        path.write_bytes(b"PK\x03\x04")
    elif make == "binary":
        path.write_bytes(bytes(range(256)) * 4)
    elif make == "fake_parquet":
        path = tmp_path / "table.parquet"
        path.write_text("a,b\n1,2\n")
    extra = ["--model", "logistic", "--cv", "3", "-q"]
    report = [str(tmp_path / a) if a == "r.pdf" else a for a in args]
    assert main(["audit", str(path), *report, *extra]) == 2
    assert message in _one_error_line(capsys)


# ------------------------------------------------------------------------------ demo


def test_demo_prints_the_tutorials_numbers(capsys):
    assert main(["demo", "-q"]) == 0
    out = capsys.readouterr().out
    for line in ("label          64", "outlier           7", "near_duplicate           6"):
        assert line in out
    assert "Overall dataset quality in terms of this issue: 0.7560" in out
    assert "Dataset health: 0.5256" in out


@pytest.mark.parametrize(("threshold", "status"), [("0.6", 1), ("0.5", 0)])
def test_fail_under(capsys, threshold, status):
    assert main(["demo", "-q", "--fail-under", threshold]) == status
    err = capsys.readouterr().err
    assert ("below --fail-under" in err) == (status == 1)


def test_bad_flag_values_are_argparse_errors(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--fail-under", "2"])
    assert exit_info.value.code == 2
    assert "expected a number in [0, 1], got '2'" in capsys.readouterr().err


def test_python_dash_m_demo_in_a_subprocess():
    done = subprocess.run(
        [sys.executable, "-m", "pdclean", "demo"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "label          64" in done.stdout
    assert "Dataset health: 0.5256" in done.stdout
    assert done.stderr.startswith("pdclean: demo:")  # logs go to stderr, not stdout
    assert "pdclean:" not in done.stdout


# ------------------------------------------------------------------------------ defects


@pytest.mark.parametrize("header", [["a", "b", "c"], ["0", "1", "2"]])
def test_pred_probs_file_not_named_by_class_exits_2(tmp_path, csv, table, capsys, header):
    probs = pd.DataFrame(np.full((len(table), 3), 1 / 3), columns=header)
    probs_path = tmp_path / "probs.csv"
    probs.to_csv(probs_path, index=False)
    argv = ["audit", str(csv), "--label", "animal", "--pred-probs", str(probs_path), "-q"]
    assert main(argv) == 2
    line = _one_error_line(capsys)
    classes = "['bird', 'cat', 'dog']"
    assert f"named after the classes of --label 'animal' ({classes}); got {header!r}" in line


@pytest.mark.parametrize("top", ["0", "-1", "two"])
def test_top_must_be_a_positive_whole_number(capsys, top):
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--top", top])
    assert exit_info.value.code == 2
    assert f"expected a whole number >= 1, got {top!r}" in capsys.readouterr().err


def test_logistic_model_is_scaled_and_quiet_means_quiet(csv, capsys):
    from sklearn.pipeline import Pipeline

    model = MODELS["logistic"](0)
    assert isinstance(model, Pipeline)
    assert [type(step).__name__ for _, step in model.steps] == [
        "StandardScaler",
        "LogisticRegression",
    ]
    argv = ["audit", str(csv), "--label", "animal", "--model", "logistic", "--cv", "3", "-q"]
    assert main(argv) == 0
    assert capsys.readouterr().err == ""


def test_one_missing_label_keeps_the_label_checks(tmp_path, table, capsys):
    frame = table.copy()
    frame.loc[20, "animal"] = np.nan
    path = tmp_path / "one_missing.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "issues.csv"
    argv = [
        "audit", str(path), "--label", "animal", "--index-col", "id", "--model", "logistic",
        "--cv", "3", "--issues-out", str(out), "-q",
    ]  # fmt: skip
    assert main(argv) == 0
    stdout = capsys.readouterr().out
    assert "label issues" in stdout
    issues = pd.read_csv(out, index_col="id")
    assert len(issues) == len(table)
    assert issues.loc[table.loc[20, "id"], ["is_label_issue", "label_score"]].isna().all()
    assert issues["label_score"].notna().sum() == len(table) - 1
