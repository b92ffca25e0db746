"""Seeded random classification problems (labels, pred_probs) for the parity tests.

Every problem is a pure function of its spec (seed, n, K, kind), so a failing test id is a
complete repro: ``make_problem(ProblemSpec(...))``.

What the generator mixes in (fractions drawn per problem, some problems get none of them):

* Dirichlet rows around a "true" class, concentration from 0.05 (near one-hot, with exact zeros
  from gamma underflow) to 50 (near uniform);
* one-hot rows (exact 0 and 1), sometimes on a wrong class (confident errors);
* uniform rows (1/K everywhere);
* exact ties: the top class duplicated onto a second (or third) class, and [.5, .5, 0, ...] rows;
* repeated rows (copies of other rows, with and without their label);
* classes absent from the labels (their columns still get probability mass);
* labels: the row argmax (or the true class when the argmax is an absent class), flipped to a
  random present class at a per-problem noise rate, so that label issues exist.

Rows are renormalised after every edit, so they sum to 1 within float error (pdclean rejects
|sum - 1| > 1e-4). Renormalising keeps exact ties exact (equal numerators, one denominator).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProblemSpec:
    """Recipe for one problem; ``kind`` is "mixed", "clean", "single0" or "single"."""

    seed: int
    n: int
    K: int
    kind: str = "mixed"

    @property
    def id(self) -> str:
        return f"{self.kind}-s{self.seed}-n{self.n}-K{self.K}"


@dataclass(frozen=True)
class Problem:
    spec: ProblemSpec
    labels: np.ndarray
    pred_probs: np.ndarray

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def K(self) -> int:
        return self.pred_probs.shape[1]


def _present_classes(rng: np.random.Generator, K: int, kind: str) -> np.ndarray:
    if kind == "single0":
        return np.array([0])
    if kind == "single":
        return np.array([int(rng.integers(1, K))])
    if K > 2 and rng.random() < 0.45:  # some classes absent from the labels
        size = int(rng.integers(2, K))
        return np.sort(rng.choice(K, size=size, replace=False))
    return np.arange(K)


def _dirichlet_rows(rng: np.random.Generator, true: np.ndarray, K: int) -> np.ndarray:
    n = len(true)
    conc = np.exp(rng.uniform(np.log(0.05), np.log(50.0), size=(n, 1)))
    peak = np.exp(rng.uniform(np.log(0.3), np.log(30.0), size=n))
    alpha = np.broadcast_to(conc, (n, K)).copy()
    alpha[np.arange(n), true] += conc[:, 0] * peak
    g = rng.gamma(alpha)
    dead = g.sum(axis=1) == 0  # every entry underflowed: make it one-hot on the true class
    g[dead] = 0.0
    g[dead, true[dead]] = 1.0
    return g / g.sum(axis=1, keepdims=True)


def _pick(rng: np.random.Generator, n: int, frac: float) -> np.ndarray:
    return np.flatnonzero(rng.random(n) < frac)


def _add_special_rows(rng: np.random.Generator, P: np.ndarray, true: np.ndarray) -> None:
    """One-hot, uniform and tied rows, in place; each row keeps summing to 1."""
    n, K = P.shape
    onehot = _pick(rng, n, rng.uniform(0.0, 0.3))
    cls = np.where(rng.random(len(onehot)) < 0.2, rng.integers(0, K, len(onehot)), true[onehot])
    P[onehot] = 0.0
    P[onehot, cls] = 1.0
    P[_pick(rng, n, rng.uniform(0.0, 0.1))] = 1.0 / K
    # ties: copy each row's top value onto one (or two) other classes, then renormalise
    tied = _pick(rng, n, rng.uniform(0.0, 0.25))
    top = P[tied].argmax(axis=1)
    for _ in range(1 if K < 3 else 2):
        other = (top + rng.integers(1, K, len(tied))) % K
        P[tied, other] = P[tied, top]
        tied, top = tied[: len(tied) // 2], top[: len(tied) // 2]
    half = _pick(rng, n, rng.uniform(0.0, 0.1))  # [.5, .5, 0, ...] rows
    a = rng.integers(0, K, len(half))
    b = (a + rng.integers(1, K, len(half))) % K
    P[half] = 0.0
    P[half, a] = 0.5
    P[half, b] = 0.5
    P /= P.sum(axis=1, keepdims=True)


def _noisy_labels(
    rng: np.random.Generator, P: np.ndarray, true: np.ndarray, present: np.ndarray
) -> np.ndarray:
    guess = P.argmax(axis=1)
    is_present = np.isin(guess, present)
    labels = np.where(is_present, guess, true)
    flip = rng.random(len(labels)) < rng.uniform(0.05, 0.4)
    labels[flip] = rng.choice(present, size=int(flip.sum()))
    return labels.astype(np.int64)


def _repeat_rows(rng: np.random.Generator, P: np.ndarray, labels: np.ndarray) -> None:
    """Copy some rows onto others: the pred_probs row always, the label half of the time."""
    n = len(labels)
    dst = _pick(rng, n, rng.uniform(0.0, 0.2))
    src = rng.integers(0, n, len(dst))
    P[dst] = P[src]
    with_label = rng.random(len(dst)) < 0.5
    labels[dst[with_label]] = labels[src[with_label]]


@functools.cache
def make_problem(spec: ProblemSpec) -> Problem:
    """Build (and cache) the problem described by ``spec``; arrays are read-only."""
    rng = np.random.default_rng([spec.seed, spec.n, spec.K])
    present = _present_classes(rng, spec.K, spec.kind)
    prior = rng.dirichlet(np.full(spec.K, 2.0))
    true = rng.choice(spec.K, size=spec.n, p=prior)
    P = _dirichlet_rows(rng, true, spec.K)
    if spec.kind != "clean":
        _add_special_rows(rng, P, true)
    if spec.kind in ("single0", "single"):
        labels = np.full(spec.n, present[0], dtype=np.int64)
    else:
        labels = _noisy_labels(rng, P, true, present)
    if spec.kind != "clean":
        _repeat_rows(rng, P, labels)
    assert np.all(np.abs(P.sum(axis=1) - 1.0) < 1e-12)
    assert labels.min() >= 0
    assert labels.max() < spec.K
    P.setflags(write=False)
    labels.setflags(write=False)
    return Problem(spec, labels, P)


# (n, K) grid of the standard problems: n from 10 to 5,000, K from 2 to 100.
_GRID = [
    (10, 2), (10, 5), (12, 100), (20, 3), (30, 4), (50, 2), (60, 12), (80, 3),
    (100, 5), (150, 4), (200, 2), (250, 8), (300, 20), (400, 3), (500, 6), (700, 4),
    (1000, 10), (1200, 50), (1500, 3), (2000, 100), (3000, 7), (5000, 4),
]  # fmt: skip

STANDARD = [
    ProblemSpec(seed, n, K, "clean" if seed % 5 == 3 else "mixed")
    for seed, (n, K) in enumerate(_GRID)
]
"""The main problem set (22 problems)."""

SMALL = [s for s in STANDARD if s.n * s.K <= 20_000]
"""Standard problems cheap enough for large option grids."""

LARGE = [
    ProblemSpec(100, 100_000, 4),
    ProblemSpec(101, 100_000, 10),
    ProblemSpec(102, 100_000, 100),
    ProblemSpec(103, 100_000, 30, "clean"),
]
"""A few n = 100,000 problems (slow for cleanlab; used sparingly)."""

SINGLE0 = [ProblemSpec(200 + i, n, K, "single0") for i, (n, K) in enumerate([(10, 2), (300, 5)])]
"""All labels are class 0 (allowed by filter.find_label_issues and order_label_issues)."""

SINGLE = [ProblemSpec(300 + i, n, K, "single") for i, (n, K) in enumerate([(15, 3), (400, 6)])]
"""All labels are one class c > 0 (allowed by get_label_quality_scores)."""


def params(specs: list[ProblemSpec]) -> list:
    """pytest parametrize values (ids readable in the report)."""
    import pytest

    return [pytest.param(s, id=s.id) for s in specs]
