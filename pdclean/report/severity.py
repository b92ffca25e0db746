"""The one colour rule of every report picture: colour follows the score, as the bar length does.

A check's *badness* is ``1 - score`` (score 1 = clean, 0 = worst); bars are that long. The hue is
chosen from the same score, so colour and length always agree:

* ``score >= 0.9``: green ("good");
* ``0.5 <= score < 0.9``: amber ("warning");
* ``score < 0.5``: red ("bad");
* a missing score: grey.

Whether the check flagged rows is a second, independent cue: a check with flagged rows is drawn
solid, a check without any is drawn pale (the same hue, lighter), so a low-scoring check that
flags nothing (class imbalance below its threshold) reads "red, but nothing flagged".
"""

from __future__ import annotations

import math
from typing import Literal

__all__ = [
    "COLOURS",
    "PALE_COLOURS",
    "Level",
    "badness",
    "colour",
    "level",
]

Level = Literal["good", "warning", "bad", "unknown"]

GOOD_FROM = 0.9
WARNING_FROM = 0.5
COLOURS: dict[str, str] = {
    "good": "#2e9e5b",
    "warning": "#e09b1a",
    "bad": "#d64541",
    "unknown": "#8a8f98",
}
PALE_COLOURS: dict[str, str] = {
    "good": "#a9dcbc",
    "warning": "#f3d395",
    "bad": "#f0aeac",
    "unknown": "#cfd2d6",
}


def level(score: float | None) -> Level:
    """The severity level of a check score.

    Examples
    --------
    >>> [level(s) for s in (1.0, 0.9, 0.8, 0.5, 0.196, 0.0, float("nan"))]
    ['good', 'good', 'warning', 'warning', 'bad', 'bad', 'unknown']
    """
    if score is None or math.isnan(score):
        return "unknown"
    if score >= GOOD_FROM:
        return "good"
    if score >= WARNING_FROM:
        return "warning"
    return "bad"


def badness(score: float | None) -> float:
    """Bar length: ``1 - score`` clipped to [0, 1] (0 for a missing score).

    Examples
    --------
    >>> badness(0.0), badness(0.8), badness(1.0), badness(None)
    (1.0, 0.2, 0.0, 0.0)
    """
    if score is None or math.isnan(score):
        return 0.0
    return round(min(1.0, max(0.0, 1.0 - float(score))), 12)


def colour(score: float | None, num_issues: int) -> str:
    """Hex colour of a check: hue from the score, solid when it flagged rows, else pale.

    Examples
    --------
    >>> colour(0.0, 1), colour(0.196, 0), colour(1.0, 0)
    ('#d64541', '#f0aeac', '#a9dcbc')
    """
    table = COLOURS if num_issues > 0 else PALE_COLOURS
    return table[level(score)]
