"""Run the detection benchmark and print its markdown tables.

    python -m benchmarks.detection.run                # every table, pred_probs mode
    python -m benchmarks.detection.run --quick        # 6 small tables, for development
    python -m benchmarks.detection.run --e2e          # also end to end from the raw table
    python -m benchmarks.detection.run --calibrate    # also the suggestion reliability table

Every (table, noise kind) gets one set of 5-fold out-of-fold pred_probs (histogram gradient
boosting, seed 0) shared by every method. Precision, recall and F1 are those of the flagged rows
against the truly flipped rows; AUPRC is the average precision of the method's score.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")  # 2 shared cores: oversubscribed OpenMP is 10x slower
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import json
import time

import numpy as np
from sklearn.metrics import average_precision_score

from benchmarks.detection.calibration import all_knots, reliability_rows
from benchmarks.detection.e2e import run_e2e
from benchmarks.detection.methods import all_methods, second_round
from benchmarks.detection.noise import NOISE_KINDS
from benchmarks.detection.signals import problems_for_table
from benchmarks.detection.tables import QUICK, TABLES, describe


def scores(flags, score, is_error) -> dict:
    out = {"precision": np.nan, "recall": np.nan, "f1": np.nan, "auprc": np.nan}
    if flags is not None:
        tp = float((flags & is_error).sum())
        out["precision"] = tp / flags.sum() if flags.sum() else 0.0
        out["recall"] = tp / is_error.sum()
        out["f1"] = 2 * tp / (flags.sum() + is_error.sum())
    if score is not None:
        out["auprc"] = average_precision_score(is_error, score)
    return out


def evaluate(problem, methods: dict) -> list[dict]:
    rows = []
    second_round(problem)  # the candidates' refit, timed once and added to their time
    for name, method in methods.items():
        start = time.perf_counter()
        flags, score, extra = method(problem)
        seconds = time.perf_counter() - start + extra
        rows.append(
            {
                "method": name,
                "table": problem.table,
                "noise": problem.noise,
                "seconds": seconds,
                **scores(flags, score, problem.is_error),
            }
        )
    return rows


def fmt(x: float) -> str:
    return "" if np.isnan(x) else f"{x:.3f}"


def markdown(rows: list[dict], title: str, group: str = "noise") -> str:
    """One table per group value plus the mean over everything: method x metrics."""
    groups = [*dict.fromkeys(r[group] for r in rows), "mean over everything"]
    out = []
    for g in groups:
        sub = rows if g == groups[-1] else [r for r in rows if r[group] == g]
        out.append(f"\n### {title}: {g}\n\n| method | precision | recall | F1 | AUPRC | seconds |")
        out.append("| --- | --- | --- | --- | --- | --- |")
        for m in dict.fromkeys(r["method"] for r in sub):
            mine = [r for r in sub if r["method"] == m]
            mean = {
                k: np.nanmean([r[k] for r in mine])
                if any(not np.isnan(r[k]) for r in mine)
                else np.nan
                for k in ("precision", "recall", "f1", "auprc")
            }
            secs = np.sum([r["seconds"] for r in mine])
            out.append(
                f"| {m} | {fmt(mean['precision'])} | {fmt(mean['recall'])} | "
                f"{fmt(mean['f1'])} | {fmt(mean['auprc'])} | {secs:.2f} |"
            )
    return "\n".join(out)


def print_tables(rows: list[dict], e2e_rows: list[dict]) -> None:
    print(markdown(rows, "On shared pred_probs"))
    if e2e_rows:
        print(markdown(e2e_rows, "End to end from the raw table"))
        print(markdown(e2e_rows, "End to end, per table", group="table"))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="6 small tables only")
    parser.add_argument("--tables", nargs="*", help="table names (default: all)")
    parser.add_argument("--e2e", action="store_true", help="also end to end from the raw table")
    parser.add_argument("--e2e-noise", nargs="*", default=list(NOISE_KINDS), help="e2e noise kinds")
    parser.add_argument("--calibrate", action="store_true", help="print the reliability table")
    parser.add_argument("--save", help="write the result rows (JSON) here after every table")
    parser.add_argument("--report", nargs="+", help="print the tables of rows saved by --save")
    args = parser.parse_args(argv)
    if args.report:
        saved = {"rows": [], "e2e_rows": []}
        for path in args.report:
            with open(path) as f:
                part = json.load(f)
            saved["rows"] += part["rows"]
            saved["e2e_rows"] += part["e2e_rows"]
        print_tables(saved["rows"], saved["e2e_rows"])
        return
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    names = args.tables or (QUICK if args.quick else list(TABLES))
    print("| table | rows | classes | numeric | categorical | missing |")
    print("| --- | --- | --- | --- | --- | --- |")
    methods, rows, e2e_rows, problems = all_methods(), [], [], []
    for name in names:
        X, y = TABLES[name]()
        d = describe(name)
        cells = [name, d["rows"], d["classes"], d["numeric"], d["categorical"], d["missing"]]
        print("| " + " | ".join(map(str, cells)) + " |", flush=True)
        for problem in problems_for_table(name, X, y, NOISE_KINDS):
            rows += evaluate(problem, methods)
            problems.append(problem)
            if args.e2e and problem.noise in args.e2e_noise:
                e2e_rows += run_e2e(X, problem)
        if args.save:
            with open(args.save, "w") as f:
                json.dump({"rows": rows, "e2e_rows": e2e_rows}, f)
    print_tables(rows, e2e_rows)
    if args.calibrate:
        print("\n### Suggestion reliability (flagged rows of the default candidate)\n")
        print("| confidence >= | flagged rows | suggestion right |\n| --- | --- | --- |")
        for c, count, right in reliability_rows(problems):
            print(f"| {c:.2f} | {count} | {right:.3f} |")
        print("\nknots fitted on every table (for pdclean/core/detect/confidence.py):")
        print(all_knots(problems))


if __name__ == "__main__":
    main()
