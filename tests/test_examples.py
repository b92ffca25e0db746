"""The eight tutorial workflows in examples/ run, and print the tutorial's numbers.

Every script runs once, as a user would run it (``python examples/NN_name.py --plot PNG`` from
the repository root, headless), two at a time; each must exit 0 and write its PNG
(their run time is measured by benchmarks, not asserted here).
The key numbers are parsed from the printed output and compared with the reference
(tests/data/seed_reference.json, key "reference": cleanlab 2.9.0 on the same data).
"""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from tests._reference import reference

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCRIPTS = [
    "01_audit.py",
    "02_cleanlearning.py",
    "03_find_label_issues.py",
    "04_overlapping_classes.py",
    "05_clean_test_set.py",
    "06_health_score.py",
    "07_count_filter_rank.py",
    "08_ensembles.py",
    "09_regression.py",
    "10_multiannotator.py",
    "11_multilabel.py",
]
TIMEOUT = 240.0  #: seconds before a hung script is killed (a safety net, not a check)
CLASSES = ["purple", "blue", "seafoam green", "yellow"]


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    png: Path


def _run(script: str, out_dir: Path) -> Run:
    png = out_dir / script.replace(".py", ".png")
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        # pdclean from this checkout, installed or not.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # Two runs share two cores: one BLAS/OpenMP thread each.
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
    }
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / script), "--plot", str(png)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    return Run(done.returncode, done.stdout, done.stderr, png)


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    out_dir = tmp_path_factory.mktemp("examples")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = pool.map(lambda script: _run(script, out_dir), SCRIPTS)
        return dict(zip(SCRIPTS, results))


@pytest.fixture(scope="module")
def ref() -> dict:
    return reference()


def _value(run: Run, pattern: str) -> str:
    """The first group of ``pattern`` (a whole output line) in the script's output."""
    match = re.search(f"^{pattern}$", run.stdout, flags=re.MULTILINE)
    assert match is not None, f"no line matching {pattern!r} in:\n{run.stdout}"
    return match.group(1)


def _number(run: Run, pattern: str) -> float:
    return float(_value(run, pattern))


def _literal(run: Run, pattern: str):
    return ast.literal_eval(_value(run, pattern))


# ---------------------------------------------------------------------------------- every script


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_runs_headless_and_plots(runs, script):
    run = runs[script]
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "Warning" not in run.stderr  # warnings are errors in this project
    assert run.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"plot saved to {run.png}" in run.stdout


@pytest.mark.parametrize("script", SCRIPTS)
def test_script_says_what_it_shows_and_how_to_run_it(script):
    docstring = ast.get_docstring(ast.parse((EXAMPLES / script).read_text()))
    assert docstring is not None
    assert docstring.startswith("Workflow ")
    assert f"Run: ``python examples/{script} [--plot " in docstring


# ------------------------------------------------------------------------------- key numbers


def test_01_pred_probs_are_the_tutorials(ref):
    spec = importlib.util.spec_from_file_location("example_01", EXAMPLES / "01_audit.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import pdclean

    train, _ = pdclean.datasets.load_tutorial()
    probs = module.tutorial_pred_probs(train)
    assert probs.columns.tolist() == CLASSES
    np.testing.assert_allclose(
        probs.to_numpy(), ref["workflow1_datalab"]["pred_probs"], rtol=0, atol=1e-12
    )


def test_01_audit_counts_and_scores(runs, ref):
    run = runs["01_audit.py"]
    expected = ref["workflow1_datalab"]
    for issue_type, num in expected["num_issues_by_type"].items():
        pattern = rf"{issue_type} issues: (\d+) \(score [0-9.]+\)"
        assert int(_value(run, pattern)) == num, issue_type
        score = _number(run, rf"{issue_type} issues: \d+ \(score ([0-9.]+)\)")
        assert score == pytest.approx(expected["score_by_type"][issue_type], abs=5e-5)
    assert int(_value(run, r"total issues: (\d+)")) == 78
    # The report's most severe label issues, as in the tutorial.
    top = re.findall(r"^(\d+)\s+True\s+\S+e-0\d", run.stdout, flags=re.MULTILINE)
    assert top[:5] == ["99", "8", "64", "107", "10"]


def test_02_cleanlearning_accuracies(runs, ref):
    run = runs["02_cleanlearning.py"]
    expected = ref["workflow2_cleanlearning"]
    assert int(_value(run, r"label issues: (\d+)")) == expected["num_label_issues"] == 54
    assert _literal(run, r"confident joint: (.*)") == expected["confident_joint"]
    plain = _number(run, r"test accuracy, LogisticRegression: ([0-9.]+) \(83%\)")
    clean = _number(run, r"test accuracy, LogisticRegression \+ CleanLearning: ([0-9.]+) \(86%\)")
    assert plain == pytest.approx(expected["accuracy_baseline"], abs=5e-4)
    assert clean == pytest.approx(expected["accuracy_cleanlearning"], abs=5e-4)
    # The head of the issues frame, with the sample weight of class purple (1 / (68/90)).
    assert re.search(r"^2\s+True\s+0\.013720\s+yellow\s+purple\s+0\.000000$", run.stdout, re.M)
    assert re.search(r"^0\s+False\s+0\.695223\s+purple\s+purple\s+1\.323529$", run.stdout, re.M)


def test_03_one_line_label_issues(runs, ref):
    run = runs["03_find_label_issues.py"]
    expected = ref["workflow3_find_label_issues"]
    assert int(_value(run, r"label issues: (\d+)")) == expected["num_label_issues"] == 54
    lowest = _literal(run, r"20 lowest label quality rows: (.*)")
    assert lowest == expected["lowest_quality_20"]
    assert _value(run, r"same rows as CleanLearning.find_label_issues: (\w+)") == "True"
    assert int(_value(run, r"rows CleanLearning trained on: (\d+)")) == 250 - 54


def test_04_overlap_table_and_merged_accuracies(runs, ref):
    run = runs["04_overlapping_classes.py"]
    expected = ref["workflow4_overlap"]
    pairs = re.findall(
        r"^overlap (.+) / (.+): (\d+) rows, joint probability ([0-9.]+)$", run.stdout, re.M
    )
    got = [[a, b, int(n), float(p)] for a, b, n, p in pairs]
    want = [[a, b, n, round(p, 3)] for a, b, _, _, n, p in expected["overlapping_classes"]["data"]]
    assert got == want
    assert got[0][:3] == ["seafoam green", "yellow", 26]
    accuracies = [
        _number(run, r"test accuracy, 4 classes, LogisticRegression: ([0-9.]+) \(83%\)"),
        _number(run, r"test accuracy, merged classes, LogisticRegression: ([0-9.]+) \(94%\)"),
        _number(
            run,
            r"test accuracy, merged classes, LogisticRegression \+ CleanLearning: "
            r"([0-9.]+) \(96%\)",
        ),
    ]
    want_acc = [
        expected["accuracy_original"],
        expected["accuracy_merged"],
        expected["accuracy_merged_cleanlearning"],
    ]
    assert accuracies == pytest.approx(want_acc, abs=5e-4)


def test_05_clean_test_set_accuracies(runs, ref):
    run = runs["05_clean_test_set.py"]
    expected = ref["workflow5_test_set"]
    assert int(_value(run, r"test label issues: (\d+)")) == len(expected["test_issue_indices"])
    cases = {
        ("noisy", "LogisticRegression"): ("noisy_acc_base", "69%"),
        ("noisy", r"LogisticRegression \+ CleanLearning"): ("noisy_acc_cl", "71%"),
        ("corrected", "LogisticRegression"): ("actual_acc_base", "83%"),
        ("corrected", r"LogisticRegression \+ CleanLearning"): ("actual_acc_cl", "86%"),
    }
    for (labels, model), (key, percent) in cases.items():
        pattern = rf"test accuracy on {labels} labels, {model}: ([0-9.]+) \({percent}\)"
        assert _number(run, pattern) == pytest.approx(expected[key], abs=5e-4), key


def test_06_health_score(runs, ref):
    run = runs["06_health_score.py"]
    expected = ref["workflow6_health"]
    assert _number(run, r"health: ([0-9.]+)") == pytest.approx(expected["health_score"], abs=5e-5)
    assert _value(run, r"label health score \(2 decimals\): (.*)") == "0.72"
    assert _value(run, r"labels that may be wrong: (.*)") == "about 28%, 71 of 250"
    assert _value(run, r"true share of label errors: (\d+)%") == "20"
    assert _value(run, r"difference: (\d+)%.*") == "8"
    # The per-class table: class, label issues, inverse label issues, label quality.
    for name, _, issues, inverse, _, _, quality in expected["health_summary"][
        "classes_by_label_quality"
    ]["data"]:
        row = rf"{name}\s+{issues}\s+{inverse}\s+[0-9.]+\s+[0-9.]+\s+{round(quality, 4)}"
        assert re.search(row, run.stdout), name


def test_07_count(runs, ref):
    run = runs["07_count_filter_rank.py"]
    expected = ref["workflow7_1_count"]
    assert _value(run, r"pred_probs shape: (.*)") == "(250, 4)"
    assert _literal(run, r"confident joint: (.*)") == expected["confident_joint"]
    py = _literal(run, r"py \(prior of true labels\): (.*)")
    np.testing.assert_allclose(py, expected["py"], atol=5e-4)
    seed = ref["seed_expected"]
    assert _literal(run, r"joint \(2 decimals\): (.*)") == seed["joint_printed"]
    assert _literal(run, r"noise matrix \(2 decimals\): (.*)") == seed["noise_printed"]
    assert _value(run, r"joint trace: (.*)") == f"{expected['joint_trace']:.2f}" == "0.72"
    trace = _value(run, r"noise matrix trace: (.*)")
    assert trace == f"{expected['noise_matrix_trace']:.2f}" == "2.86"
    with_truth = expected["cl_with_true_noise_matrix"]
    flagged = int(_value(run, r"CleanLearning with the true noise matrix, label issues: (\d+)"))
    assert flagged == with_truth["num_label_issues"]
    acc = _number(run, r"CleanLearning with the true noise matrix, test accuracy: ([0-9.]+)")
    assert acc == pytest.approx(with_truth["test_accuracy"], abs=5e-4)


def test_07_filter(runs, ref):
    run = runs["07_count_filter_rank.py"]
    expected = ref["workflow7_2_filter"]
    ranked = _literal(run, r"filter ranked indices: (.*)")
    assert ranked == expected["ranked_indices_both_sc_adjusted"]
    assert int(_value(run, r"filter ranked label issues: (\d+)")) == len(ranked) == 60
    assert ranked[:4] == [99, 8, 64, 45]
    table = {name: values[:4] for name, *values in expected["filter_by_table"]["data"]}
    order = list(ref["seed_expected"]["filter_table"])  # the tutorial's order (f1 descending)
    methods = "|".join(order)
    rows = re.findall(rf"^\s*({methods})((?:\s+[0-9.]+){{4}})$", run.stdout, re.M)
    got = [[name, *map(float, values.split())] for name, values in rows]
    assert [row[0] for row in got] == order
    for name, *values in got:
        np.testing.assert_allclose(values, table[name], atol=5e-7, err_msg=name)


def test_07_rank(runs, ref):
    run = runs["07_count_filter_rank.py"]
    expected = ref["workflow7_3_rank"]
    n_issues = int(_value(run, r"num_label_issues: (\d+)"))
    n_calibrated = int(_value(run, r"num_label_issues \(calibrated\): (\d+)"))
    assert n_issues == expected["num_label_issues_off_diagonal"] == 61
    assert n_calibrated == expected["num_label_issues_off_diagonal_calibrated"] == 100
    ranked = _literal(run, r"rank top indices: (.*)")
    assert ranked == expected["ranked_indices_top_count"]
    assert len(ranked) == 61
    assert ranked[:4] == [99, 8, 64, 107]


def test_08_ensemble_scores(runs, ref):
    run = runs["08_ensembles.py"]
    expected = ref["workflow8_ensemble"]
    ensemble = _literal(run, r"ensemble scores rows 0-4: (.*)")
    np.testing.assert_allclose(ensemble, expected["ensemble_scores_default"][:5], atol=5e-7)
    np.testing.assert_allclose(
        ensemble, [0.884763, 0.907180, 0.004996, 0.951805, 0.968589], atol=5e-7
    )
    averaged = _literal(run, r"averaged predictor scores rows 0-4: (.*)")
    np.testing.assert_allclose(
        averaged, expected["single_ensemble_predictor_scores"][:5], atol=5e-7
    )
    auroc = expected["auroc_vs_true_errors"]
    for name, key in [
        ("ensemble", "best"),
        ("averaged predictor", "better"),
        ("logistic regression alone", "single_lr"),
    ]:
        assert _number(run, rf"AUROC of {name}: ([0-9.]+)") == pytest.approx(auroc[key], abs=5e-5)


# ------------------------------------------------------------------------ beyond the tutorial


def test_09_regression_finds_the_entry_errors(runs):
    run = runs["09_regression.py"]
    assert _value(run, r"rows: (3000, entry errors: 150, flagged: \d+)").startswith("3000")
    assert _number(run, r"recall: ([\d.]+)") >= 0.95
    assert _number(run, r"precision: ([\d.]+)") >= 0.95


def test_10_annotators_ranked_by_their_true_accuracy(runs):
    run = runs["10_multiannotator.py"]
    ranked = _literal(run, r"annotators, worst first: (\[.*\])")
    assert ranked == ["ann_e", "ann_d", "ann_c", "ann_b", "ann_a"]
    assert _number(run, r"consensus accuracy: ([\d.]+)") >= 0.9


def test_11_multilabel_finds_most_mistagged_rows(runs):
    run = runs["11_multilabel.py"]
    assert _number(run, r"recall: ([\d.]+)") >= 0.75
