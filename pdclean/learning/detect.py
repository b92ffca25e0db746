"""The fitted signals of the default label-error detector, on numpy feature matrices.

Two signals feed :func:`pdclean.core.detect.detect_label_issues`:

* out-of-fold predicted probabilities of a small ensemble of diverse models (histogram gradient
  boosting with native categories and missing values, and a logistic regression on scaled,
  one-hot encoded features), all fitted on the same stratified folds;
* the indices of each row's nearest rows (self excluded) in the same scaled feature space.

The feature matrix ``X`` is float (n, d): numeric columns as numbers, categorical columns as
non-negative integer category codes, NaN where a value is missing; ``categorical`` marks the
categorical columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from pdclean.core.detect import detect_label_issues
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "MODELS",
    "ModelName",
    "detector_inputs",
    "nearest_rows",
    "out_of_fold_pred_probs",
    "scaled_features",
]

ModelName = Literal["hist_gradient_boosting", "logistic_regression", "random_forest"]
MODELS: tuple[str, ...] = ("hist_gradient_boosting", "logistic_regression", "random_forest")
FIRST_ROUND_MARGIN = 0.1


def check_features(
    X: np.ndarray, categorical: Sequence[bool] | None
) -> tuple[np.ndarray, np.ndarray]:
    """``X`` as a float (n, d) array and ``categorical`` as a boolean (d,) mask, checked."""
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] == 0 or not np.issubdtype(X.dtype, np.number):
        raise InputTypeError(
            f"X must be a numeric 2-D array with at least one column; got dtype {X.dtype} and "
            f"shape {X.shape!r}. Encode categories as integer codes and pass a (n, d) array."
        )
    X = X.astype(np.float64, copy=False)
    mask = np.zeros(X.shape[1], bool) if categorical is None else np.asarray(categorical, bool)
    if mask.shape != (X.shape[1],):
        raise InputError(
            f"categorical must have one boolean per column of X ({X.shape[1]}); got shape "
            f"{mask.shape!r}. Pass a mask such as [False, True, ...]."
        )
    codes = X[:, mask]
    bad = np.isfinite(codes) & ((codes < 0) | (codes != np.round(codes)))
    if bad.any() or np.isinf(codes).any():
        raise InputError(
            "categorical columns of X must hold non-negative integer codes (NaN for missing); "
            f"got {codes[bad | np.isinf(codes)][:3]!r}. Encode each category as 0, 1, 2, ..."
        )
    return X, mask


def drop_empty_columns(X: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``X`` without its entirely missing columns (they carry no signal and break binning)."""
    seen = ~np.isnan(X).all(axis=0)
    if X.shape[0] and not seen.any():
        raise InputError(
            f"X has no observed value: all {X.shape[1]} columns are entirely missing. "
            "Pass at least one feature column with values."
        )
    return (X, mask) if seen.all() else (X[:, seen], mask[seen])


def check_labels(labels: np.ndarray, n_rows: int, cv: int) -> np.ndarray:
    """Integer labels 0..K-1 with at least two classes and ``cv`` rows in every class."""
    y = np.asarray(labels)
    if y.shape != (n_rows,) or not np.issubdtype(y.dtype, np.integer) or (y.size and y.min() < 0):
        raise InputError(
            f"labels must be non-negative integer codes, one per row of X ({n_rows}); got dtype "
            f"{y.dtype} and shape {y.shape!r}. Encode the classes as 0..K-1."
        )
    counts = np.bincount(y)
    present = np.flatnonzero(counts)
    if present.size < 2:
        raise InputError(
            f"labels must hold at least two classes to find label issues; got only "
            f"{present.tolist()!r}. A one-class table has no label to correct."
        )
    small = present[counts[present] < cv]
    if small.size:
        raise InputError(
            f"labels: class {int(small[0])} has {int(counts[small[0]])} rows, fewer than cv={cv} "
            "folds. Drop or merge the tiny classes, or lower cv."
        )
    return y


def scaled_features(X: np.ndarray, *, categorical: Sequence[bool] | None = None) -> np.ndarray:
    """Numeric columns median-imputed and standardized, categorical columns one-hot encoded.

    A column that is entirely missing or constant becomes zeros. Categories are one-hot scaled by
    ``1 / sqrt(2)`` so that two rows differing in one category are at distance 1.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [3.0, 1.0], [np.nan, 1.0]])
    >>> scaled_features(X, categorical=[False, True]).round(3).tolist()
    [[-1.225, 0.707, 0.0], [1.225, 0.0, 0.707], [0.0, 0.0, 0.707]]
    """
    X, mask = check_features(X, categorical)
    num = X[:, ~mask]
    with np.errstate(invalid="ignore"):
        filled = np.isfinite(num).any(axis=0)
        median = np.zeros(num.shape[1])
        median[filled] = np.nanmedian(num[:, filled], axis=0)
    num = np.where(np.isnan(num), median, num)
    std = num.std(axis=0)
    num = (num - num.mean(axis=0)) / np.where(std > 0, std, 1.0)
    blocks = [num]
    for col in X[:, mask].T:
        seen = np.isfinite(col)
        levels = np.unique(col[seen])
        onehot = (col[:, None] == levels[None, :]) & seen[:, None]
        blocks.append(onehot / np.sqrt(2.0))
    return np.hstack(blocks)


def make_model(name: str, mask: np.ndarray, seed: int, y: np.ndarray):
    """A fresh, unfitted classifier of the ensemble for the training labels ``y``.

    Gradient boosting stops early on a stratified 10% validation split, which needs two rows
    per class and at least one validation row per class; otherwise it runs its 100 rounds.
    """
    if name == "hist_gradient_boosting":
        counts = np.bincount(y)
        counts = counts[counts > 0]
        stop = counts.min() >= 2 and 0.1 * y.size >= counts.size
        return HistGradientBoostingClassifier(
            max_leaf_nodes=15,
            early_stopping=bool(stop),
            categorical_features=mask if mask.any() else None,
            random_state=seed,
        )
    if name == "random_forest":
        return RandomForestClassifier(n_estimators=100, n_jobs=-1, random_state=seed)
    return LogisticRegression(C=1.0, max_iter=500)


def fit_predict(name: str, X: np.ndarray, y: np.ndarray, train, test, mask, seed, K) -> np.ndarray:
    """One model fitted on ``train`` rows; its probabilities for ``test`` rows, in K columns."""
    model = make_model(name, mask, seed, y[train])
    model.fit(X[train], y[train])
    out = np.zeros((test.size, K))
    out[:, model.classes_] = model.predict_proba(X[test])
    return out


def out_of_fold_pred_probs(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    categorical: Sequence[bool] | None = None,
    models: Sequence[ModelName] = ("hist_gradient_boosting", "logistic_regression"),
    cv: int = 5,
    exclude: np.ndarray | None = None,
    random_state: int | np.random.RandomState | None = None,
) -> list[np.ndarray]:
    """Out-of-fold predicted probabilities of each model, all on the same stratified folds.

    Tree models take ``X`` as it is (native categories and missing values for gradient
    boosting; category codes as numbers for the forest); the logistic regression takes
    :func:`scaled_features`. Entirely missing columns are dropped (an error if all are). Every
    class must have at least ``cv`` rows. Gradient boosting uses 15-leaf trees with early
    stopping (fast, and it stops before memorizing noisy labels); with its default 20 rows per
    leaf it predicts the class prior on tables of fewer than about 50 rows, where the logistic
    regression carries the ensemble.

    Returns
    -------
    list of ndarray (n, K)
        One array per model, in the order of ``models``; rows sum to 1.

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> X = np.r_[rng.normal(0, 1, (20, 2)), rng.normal(4, 1, (20, 2))]
    >>> y = np.repeat([0, 1], 20)
    >>> P = out_of_fold_pred_probs(X, y, models=["logistic_regression"], random_state=0)[0]
    >>> P.shape, bool((P.argmax(axis=1) == y).mean() > 0.9)
    ((40, 2), True)
    """
    X, mask = drop_empty_columns(*check_features(X, categorical))
    y = check_labels(labels, X.shape[0], cv)
    unknown = [m for m in models if m not in MODELS]
    if unknown or not models:
        raise InputError(f"models must be a non-empty list of {MODELS!r}; got {models!r}.")
    rng = check_random_state(random_state)
    seed = int(rng.randint(np.iinfo(np.int32).max))
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed).split(X, y)
    K = int(y.max()) + 1
    scaled = scaled_features(X, categorical=mask) if "logistic_regression" in models else None
    out = [np.zeros((X.shape[0], K)) for _ in models]
    drop = check_exclude(exclude, y)
    for train, test in folds:
        train = train[~drop[train]]
        for i, name in enumerate(models):
            data = scaled if name == "logistic_regression" else X
            out[i][test] = fit_predict(name, data, y, train, test, mask, seed, K)
    return out


def check_exclude(exclude: np.ndarray | None, y: np.ndarray) -> np.ndarray:
    """A boolean mask of rows left out of training; every class keeps at least one row."""
    if exclude is None:
        return np.zeros(y.size, bool)
    drop = np.asarray(exclude)
    if drop.shape != y.shape or drop.dtype != bool:
        raise InputError(
            f"exclude must be a boolean mask with one value per row ({y.size}); got dtype "
            f"{drop.dtype} and shape {drop.shape!r}. Pass e.g. the first round's issue mask."
        )
    kept = np.bincount(y[~drop], minlength=y.max() + 1)
    lost = (kept == 0) & (np.bincount(y) > 0)
    return drop & ~lost[y]  # a class whose every row is excluded keeps its rows


def nearest_rows(
    X: np.ndarray, *, categorical: Sequence[bool] | None = None, n_neighbors: int = 10
) -> np.ndarray:
    """The indices of each row's ``n_neighbors`` nearest other rows in :func:`scaled_features`.

    Examples
    --------
    >>> nearest_rows(np.array([[0.0], [1.0], [5.0], [6.0]]), n_neighbors=1).ravel().tolist()
    [1, 0, 3, 2]
    """
    Z = scaled_features(X, categorical=categorical)
    if not 1 <= n_neighbors < Z.shape[0]:
        raise InputError(
            f"n_neighbors must be between 1 and the number of rows minus one ({Z.shape[0] - 1}); "
            f"got {n_neighbors!r}. Lower n_neighbors."
        )
    index = NearestNeighbors(n_neighbors=n_neighbors + 1).fit(Z)
    found = index.kneighbors(Z, return_distance=False)
    own = found == np.arange(Z.shape[0])[:, None]
    # self is usually first; with duplicate rows it may be elsewhere or absent: drop it or the last
    drop = np.where(own.any(axis=1), own.argmax(axis=1), n_neighbors)
    keep = np.ones_like(found, dtype=bool)
    keep[np.arange(Z.shape[0]), drop] = False
    return found[keep].reshape(Z.shape[0], n_neighbors)


def detector_inputs(
    X: np.ndarray,
    labels: np.ndarray,
    *,
    categorical: Sequence[bool] | None = None,
    cv: int = 5,
    n_neighbors: int = 10,
    rounds: Literal[1, 2] = 2,
    random_state: int | np.random.RandomState | None = None,
) -> tuple[list[np.ndarray], np.ndarray | None]:
    """The pred_probs and neighbour index of the default detector, from the feature matrix.

    Round 1 fits the ensemble (:func:`out_of_fold_pred_probs`) and finds the nearest rows; with
    ``rounds=2`` the rows the detector flags in round 1 (at margin 0.1) are left out of training
    and the ensemble is fitted again on the same folds: both rounds' pred_probs are returned, to
    be averaged by :func:`pdclean.core.detect.detect_label_issues`. Tables of fewer than
    ``n_neighbors + 1`` rows get no neighbour index (None).

    Examples
    --------
    >>> rng = np.random.RandomState(0)
    >>> X = np.r_[rng.normal(0, 1, (30, 2)), rng.normal(4, 1, (30, 2))]
    >>> probs, nb = detector_inputs(X, np.repeat([0, 1], 30), random_state=0)
    >>> len(probs), nb.shape
    (4, (60, 10))
    """
    if rounds not in (1, 2):
        raise InputError(f"rounds must be 1 or 2; got {rounds!r}. Use 2 (the default) or 1.")
    X, mask = drop_empty_columns(*check_features(X, categorical))
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    probs = out_of_fold_pred_probs(X, labels, categorical=mask, cv=cv, random_state=seed)
    nb = None
    if X.shape[0] > n_neighbors:
        nb = nearest_rows(X, categorical=mask, n_neighbors=n_neighbors)
    if rounds == 2:
        first = detect_label_issues(labels, probs, nb, margin=FIRST_ROUND_MARGIN).is_label_issue
        probs += out_of_fold_pred_probs(
            X, labels, categorical=mask, cv=cv, exclude=first, random_state=seed
        )
    return probs, nb
