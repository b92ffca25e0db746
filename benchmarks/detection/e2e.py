"""End to end from the raw table: each method computes its own pred_probs, timed in full.

* today's default: ``df.clean.find_label_issues(label, features=...)`` (random forest, 5 folds,
  ``prune_by_noise_rate``);
* cleanlab's ``CleanLearning().find_label_issues`` (its default logistic regression) on the
  scaled, one-hot encoded matrix (it needs numbers without NaN);
* the candidate: :func:`pdclean.learning.detect.detector_inputs` (gradient boosting + logistic
  regression, neighbours, two rounds) and :func:`pdclean.core.detect.detect_label_issues`.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

import pdclean  # noqa: F401  (registers DataFrame.clean)
from benchmarks.detection.methods import quiet
from benchmarks.detection.signals import SEED, Problem, encode
from pdclean.core.detect import detect_label_issues
from pdclean.learning.detect import detector_inputs, scaled_features


def todays_default(X: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    df = X.assign(_label=labels)
    out = df.clean.find_label_issues(
        "_label", features=list(X.columns), random_state=SEED, progress=False
    )
    return out["is_label_issue"].to_numpy()


def cleanlab_default(X: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    from cleanlab.classification import CleanLearning

    M, mask = encode(X)
    with quiet():
        issues = CleanLearning(seed=SEED).find_label_issues(
            scaled_features(M, categorical=mask), labels
        )
    return issues["is_label_issue"].to_numpy()


def candidate(X: pd.DataFrame, labels: np.ndarray) -> np.ndarray:
    M, mask = encode(X)
    probs, nb = detector_inputs(M, labels, categorical=mask, random_state=SEED)
    return detect_label_issues(labels, probs, nb).is_label_issue


E2E_METHODS = {
    "today's default (random forest, prune_by_noise_rate)": todays_default,
    "cleanlab CleanLearning().find_label_issues": cleanlab_default,
    "candidate: two rounds, hgb+lr+knn": candidate,
}


def run_e2e(X: pd.DataFrame, problem: Problem) -> list[dict]:
    rows = []
    for name, method in E2E_METHODS.items():
        start = time.perf_counter()
        flags = method(X, problem.labels)
        seconds = time.perf_counter() - start
        err = problem.is_error
        tp = float((flags & err).sum())
        rows.append(
            {
                "method": name,
                "table": problem.table,
                "noise": problem.noise,
                "seconds": seconds,
                "precision": tp / flags.sum() if flags.sum() else 0.0,
                "recall": tp / err.sum(),
                "f1": 2 * tp / (flags.sum() + err.sum()),
                "auprc": np.nan,
            }
        )
    return rows
