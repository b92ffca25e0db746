"""Benchmark pdclean.multiannotator against cleanlab 2.9.0 on the same input, in one process.

One command::

    nice -n 10 python benchmarks/bench_multiannotator.py [--n 100000] [--m 10] [--k 5]
        [--fill 0.3] [--repeat 3]

Builds a seeded crowd problem (n rows x m annotators, about ``fill`` of the cells labelled,
every row labelled at least once, annotators of varying accuracy, K classes, model-like
pred_probs) and prints, for ``get_label_quality_multiannotator`` (default arguments) and
``get_active_learning_scores`` (labelled pred_probs and 10% as many unlabelled rows): the
median wall time of pdclean (``--repeat`` runs) and of cleanlab (``--cleanlab-repeat`` runs;
cleanlab takes minutes here), the ratio cleanlab/pdclean, each one's peak traced memory
(tracemalloc; numpy reports its allocations to it) as a multiple of the pred_probs' size,
and whether the results agree to 1e-9. cleanlab's prints are silenced.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

try:
    import pdclean  # noqa: F401
except ImportError:  # run from a source checkout without installing: use the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdclean import multiannotator as ma


def make_crowd(n: int, m: int, k: int, fill: float, seed: int = 0):
    """(labels (n, m) float with NaN, pred_probs (n, k), unlabelled pred_probs (n // 10, k))."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    accuracy = rng.uniform(0.5, 0.95, m)
    noisy = rng.integers(0, k, (n, m))
    labels = np.where(rng.random((n, m)) < accuracy, true[:, None], noisy).astype(float)
    keep = rng.random((n, m)) < (fill - 1 / m) / (1 - 1 / m)  # with the one below: ~fill
    keep[np.arange(n), rng.integers(0, m, n)] = True
    labels[~keep] = np.nan

    def probs(truth):
        p = rng.dirichlet(np.full(k, 0.5), truth.size)
        p[np.arange(truth.size), truth] += rng.gamma(2.0, 0.5, truth.size)
        return p / p.sum(axis=1, keepdims=True)

    return labels, probs(true), probs(rng.integers(0, k, n // 10))


def measure(fn, repeat: int):
    """(median seconds, peak traced bytes of one call, last result)."""
    times = []
    result = None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return statistics.median(times), peak, result


def agree(ours, theirs) -> bool:
    if isinstance(theirs, dict):
        return all(agree(ours[key], value) for key, value in theirs.items())
    if isinstance(theirs, tuple):
        return all(agree(a, b) for a, b in zip(ours, theirs))
    a = np.asarray(getattr(ours, "to_numpy", lambda: ours)(), dtype=float)
    b = np.asarray(getattr(theirs, "to_numpy", lambda: theirs)(), dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True)


def quiet(fn):
    def call():
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return fn()

    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--m", type=int, default=10)
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--fill", type=float, default=0.3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cleanlab-repeat", type=int, default=1)
    args = parser.parse_args()
    from cleanlab import multiannotator as cl  # the oracle, imported only here

    labels, probs, unlabeled = make_crowd(args.n, args.m, args.k, args.fill)
    filled = np.mean(~np.isnan(labels))
    print(
        f"n={args.n} m={args.m} K={args.k} filled={filled:.1%} repeat={args.repeat} "
        f"cleanlab-repeat={args.cleanlab_repeat}"
    )
    cases = {
        "get_label_quality_multiannotator": (
            lambda: ma.get_label_quality_multiannotator(labels, probs, verbose=False),
            lambda: cl.get_label_quality_multiannotator(labels, probs.copy(), verbose=False),
        ),
        "get_active_learning_scores": (
            lambda: ma.get_active_learning_scores(labels, probs, unlabeled),
            lambda: cl.get_active_learning_scores(labels, probs.copy(), unlabeled.copy()),
        ),
    }
    size = probs.nbytes
    print(
        "| function | pdclean s | cleanlab s | cleanlab/pdclean | pdclean peak | cleanlab peak "
        "| equal |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, (ours, theirs) in cases.items():
        t_ours, m_ours, r_ours = measure(quiet(ours), args.repeat)
        t_theirs, m_theirs, r_theirs = measure(quiet(theirs), args.cleanlab_repeat)
        print(
            f"| {name} | {t_ours:.3f} | {t_theirs:.3f} | {t_theirs / t_ours:.1f}x "
            f"| {m_ours / 2**20:.0f} MiB ({m_ours / size:.1f}x P) "
            f"| {m_theirs / 2**20:.0f} MiB ({m_theirs / size:.1f}x P) | {agree(r_ours, r_theirs)} |"
        )


if __name__ == "__main__":
    main()
