"""Calibrating ``suggestion_confidence`` and measuring its reliability.

Over every flagged row of every (table, noise kind) the default detector's suggestion is right
or wrong (it equals the true label or not); an isotonic regression of that outcome on the
margin ``q[suggested] - q[given]`` gives the monotone table stored in
``pdclean/core/detect/confidence.py`` (``--calibrate`` prints a fresh one). The reliability
table then says, for each confidence level c, how many flagged rows reach it and how often
their suggestion is right; leave-one-table-out, the knots are refitted without the table
they are measured on (an honest, out-of-sample check).
"""

from __future__ import annotations

import numpy as np
from sklearn.isotonic import IsotonicRegression

from benchmarks.detection.methods import second_round
from pdclean.core.detect import detect_label_issues

GRID = np.round(np.arange(0.0, 1.0001, 0.05), 2)
LEVELS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def outcomes(problems) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(table, margin, suggestion right) of the flagged rows of each problem."""
    out = []
    for p in problems:
        res = detect_label_issues(p.labels, second_round(p), p.neighbors)
        flagged = res.is_label_issue
        margin = 1.0 - 2.0 * res.label_quality[flagged]
        out.append((p.table, margin, res.suggested_label[flagged] == p.true_labels[flagged]))
    return out


def fit_knots(margins: np.ndarray, right: np.ndarray) -> list[tuple[float, float]]:
    """The isotonic fit of ``right`` on ``margins``, read on a 0.05 grid of margins."""
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, increasing=True, out_of_bounds="clip")
    iso.fit(margins, right.astype(float))
    return [(-1.0, 0.0), *((float(m), round(float(v), 3)) for m, v in zip(GRID, iso.predict(GRID)))]


def confidence(knots, margins: np.ndarray) -> np.ndarray:
    x, p = np.array(knots).T
    return np.interp(margins, x, p)


def reliability_rows(problems) -> list[tuple[float, int, float]]:
    """(level c, flagged rows with confidence >= c, fraction right), leave-one-table-out."""
    data = outcomes(problems)
    conf, right = [], []
    for table in dict.fromkeys(t for t, _, _ in data):
        train = [(m, r) for t, m, r in data if t != table]
        knots = fit_knots(
            np.concatenate([m for m, _ in train]), np.concatenate([r for _, r in train])
        )
        for t, m, r in data:
            if t == table:
                conf.append(confidence(knots, m))
                right.append(r)
    conf, right = np.concatenate(conf), np.concatenate(right)
    return [
        (c, int((conf >= c).sum()), float(right[conf >= c].mean()) if (conf >= c).any() else np.nan)
        for c in LEVELS
    ]


def all_knots(problems) -> list[tuple[float, float]]:
    """The knots fitted on every problem (what ``confidence.py`` stores)."""
    data = outcomes(problems)
    return fit_knots(
        np.concatenate([m for _, m, _ in data]), np.concatenate([r for _, _, r in data])
    )
