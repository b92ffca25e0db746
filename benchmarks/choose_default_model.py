"""Choose the accessor's default model by measured label-error detection quality.

For each of scikit-learn's built-in tables (iris, wine, breast_cancer, digits; no network), 20%
of the labels are flipped to another class chosen uniformly (seeds 0, 1, 2), then
``df.clean.find_label_issues("y", model=m, cv=5, random_state=seed)`` flags rows; the score is
the F1 of the flagged rows against the truly flipped rows. A second variant blanks 10% of the
feature values (NaN) to check that the missing-value rule (left for models that take NaN,
median-imputed for the others) keeps detection working.

Run from the repository root::

    python benchmarks/choose_default_model.py            # full study (a few minutes)
    python benchmarks/choose_default_model.py --quick    # one seed, no digits
"""

from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd
from sklearn import datasets
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

import pdclean.accessor  # noqa: F401  (registers DataFrame.clean)
from pdclean.learning.cv import default_model

LOADERS = {
    "iris": datasets.load_iris,
    "wine": datasets.load_wine,
    "breast_cancer": datasets.load_breast_cancer,
    "digits": datasets.load_digits,
}


def candidates(seed: int) -> dict:
    return {
        "logreg_scaled": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        "hist_gradient_boosting": HistGradientBoostingClassifier(random_state=seed),
        "random_forest_200": RandomForestClassifier(n_estimators=200, random_state=seed),
        "default (random_forest_100)": default_model(seed),
    }


def noisy_table(name: str, seed: int, missing: float) -> tuple[pd.DataFrame, np.ndarray]:
    """The table with 20% of labels flipped (and ``missing`` of the values blanked)."""
    bunch = LOADERS[name]()
    rng = np.random.default_rng(seed)
    X = bunch.data.astype(float)
    if missing:
        X = np.where(rng.random(X.shape) < missing, np.nan, X)
    y = bunch.target.copy()
    k = y.max() + 1
    flip = rng.random(y.size) < 0.2
    y[flip] = (y[flip] + rng.integers(1, k, flip.sum())) % k  # another class, uniformly
    df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    df["y"] = np.asarray(bunch.target_names)[y]
    return df, flip


def f1(flagged: np.ndarray, truth: np.ndarray) -> float:
    tp = np.sum(flagged & truth)
    return 2 * tp / max(flagged.sum() + truth.sum(), 1)


def run(names: list[str], seeds: list[int], missing_levels: list[float]) -> pd.DataFrame:
    rows = []
    for missing in missing_levels:
        for name in names:
            for seed in seeds:
                df, flipped = noisy_table(name, seed, missing)
                for model_name, model in candidates(seed).items():
                    start = time.perf_counter()
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore", ConvergenceWarning)
                        out = df.clean.find_label_issues(
                            "y", model=model, cv=5, random_state=seed, progress=False
                        )
                    rows.append({
                        "missing": missing,
                        "dataset": name,
                        "seed": seed,
                        "model": model_name,
                        "f1": f1(out["is_label_issue"].to_numpy(), flipped),
                        "seconds": time.perf_counter() - start,
                    })  # fmt: skip
                    print(rows[-1], flush=True)
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, no digits")
    args = parser.parse_args()
    names = ["iris", "wine", "breast_cancer"] if args.quick else list(LOADERS)
    seeds = [0] if args.quick else [0, 1, 2]
    with threadpool_limits(limits=1):
        table = run(names, seeds, [0.0, 0.1])
    summary = table.pivot_table(index=["missing", "dataset"], columns="model", values="f1")
    seconds = table.pivot_table(index=["missing", "dataset"], columns="model", values="seconds")
    pd.set_option("display.width", 160)
    pd.set_option("display.max_columns", None)
    print("\nF1 of flagged rows vs truly flipped labels (mean over seeds)")
    print(summary.round(3))
    print("\nmean F1 over all tables:")
    print(summary.mean().round(3).to_string())
    print("\nseconds per find_label_issues call (5-fold CV)")
    print(seconds.round(2))


if __name__ == "__main__":
    main()
