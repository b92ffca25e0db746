"""``suggestion_confidence``: how often a suggested label is right, as a function of its margin.

The margin is ``q[suggested] - q[given]`` of :func:`pdclean.core.detect.detect_label_issues`.
The table below is the isotonic (monotone) fit of "the suggestion equals the true label" against
that margin over the flagged rows of ``benchmarks/detection`` (13 tables x 4 noise kinds,
default two-round detector), read every 0.05 of margin; between
knots the confidence is interpolated linearly. A row that is not flagged (margin <= 0) gets 0.
Rerun ``python -m benchmarks.detection.run --calibrate`` to measure it again.

Measured reliability, leave-one-table-out (knots refitted without the table measured): of the
flagged rows with confidence >= 0.9, 83.9% had the right suggestion (353 rows); >= 0.95: 92.1%
(114 rows). The margin alone separates right from wrong suggestions only weakly, and how right
a margin is varies by table: most flagged rows get a confidence well below 0.9.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CONFIDENCE_KNOTS", "suggestion_confidence"]

# (margin, fraction of suggestions that were right), measured: see the module docstring.
CONFIDENCE_KNOTS: tuple[tuple[float, float], ...] = (
    (-1.0, 0.0),
    (0.0, 0.0),
    (0.05, 0.154),
    (0.1, 0.172),
    (0.15, 0.192),
    (0.2, 0.229),
    (0.25, 0.261),
    (0.3, 0.307),
    (0.35, 0.354),
    (0.4, 0.41),
    (0.45, 0.467),
    (0.5, 0.521),
    (0.55, 0.567),
    (0.6, 0.639),
    (0.65, 0.689),
    (0.7, 0.689),
    (0.75, 0.748),
    (0.8, 0.792),
    (0.85, 0.814),
    (0.9, 0.848),
    (0.95, 0.894),
    (1.0, 1.0),
)


def suggestion_confidence(margin: np.ndarray) -> np.ndarray:
    """The calibrated probability that the suggested label is right, given its margin.

    Examples
    --------
    >>> suggestion_confidence(np.array([-1.0, 0.0, 0.5, 1.0])).tolist()
    [0.0, 0.0, 0.521, 1.0]
    """
    x, p = np.array(CONFIDENCE_KNOTS).T
    return np.interp(np.asarray(margin, dtype=np.float64), x, p)
