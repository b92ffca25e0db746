"""Benchmark pdclean.multilabel_classification against cleanlab 2.9.0, in one process.

100,000 rows x 20 tags by default: list-of-lists labels (rare tags, an absent tag, empty rows,
~5 % of annotations flipped) and independent per-tag probabilities. Times the default
``filter.find_label_issues`` and ``rank.get_label_quality_scores`` of both libraries (best of
``--repeat``; cleanlab with its defaults, i.e. a process pool over classes, and with
``n_jobs=1``), the numpy floor (reading pred_probs once: ``pred_probs > 0.5``), the ratios, and
the peak memory each call allocates (tracemalloc; numpy reports its buffers to it; cleanlab's
worker processes are not counted). Also checks that both give the same answer. Target: at
least 5x faster than cleanlab.

Run from the repository root::

    nice -n 10 python benchmarks/bench_multilabel.py [--rows 100000] [--tags 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
import tracemalloc
import warnings
from collections.abc import Callable

import numpy as np

from pdclean.multilabel_classification import filter as ml_filter
from pdclean.multilabel_classification import rank as ml_rank


def make_problem(n: int, k: int, seed: int = 0) -> tuple[list[list[int]], np.ndarray]:
    rng = np.random.default_rng(seed)
    prevalence = rng.uniform(0.05, 0.4, k)
    prevalence[: max(1, k // 5)] = 0.01  # rare tags
    truth = rng.random((n, k)) < prevalence
    truth[rng.random(n) < 0.05] = False  # rows without any tag
    logits = (2 * truth - 1) * 2.0 + rng.normal(0, 1.5, (n, k))
    probs = 1 / (1 + np.exp(-logits))
    given = truth ^ (rng.random((n, k)) < 0.05)
    given[:, k - 1] = False  # a tag nobody used
    return [np.flatnonzero(row).tolist() for row in given], probs


def best_of(func: Callable, repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - start)
    return min(times), out


def peak_memory(func: Callable) -> int:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak - before


def quietly(func: Callable) -> Callable:
    def run():
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return func()

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import cleanlab
    from cleanlab.multilabel_classification import filter as cl_filter
    from cleanlab.multilabel_classification import rank as cl_rank

    labels, probs = make_problem(args.rows, args.tags)
    mb = probs.nbytes / 2**20
    print(
        f"{args.rows:,} rows x {args.tags} tags; pred_probs {mb:.1f} MiB; "
        f"cleanlab {cleanlab.__version__}"
    )
    floor, _ = best_of(lambda: probs > 0.5, args.repeat)
    print(f"numpy floor (pred_probs > 0.5): {floor:.4f} s\n")
    cases = {
        "find_label_issues": (
            lambda: ml_filter.find_label_issues(labels, probs),
            lambda: cl_filter.find_label_issues(labels, probs),
            lambda: cl_filter.find_label_issues(labels, probs, n_jobs=1),
        ),
        "get_label_quality_scores": (
            lambda: ml_rank.get_label_quality_scores(labels, probs),
            lambda: cl_rank.get_label_quality_scores(labels, probs),
            None,
        ),
    }
    header = (
        f"{'operation':26s} {'pdclean':>9s} {'cleanlab':>9s} {'cl n_jobs=1':>11s} "
        f"{'speedup':>8s} {'pd/floor':>9s} {'pd peak MiB':>11s} {'cl peak MiB':>11s} same"
    )
    print(header)
    for name, (ours, theirs, theirs_serial) in cases.items():
        t_pd, got = best_of(quietly(ours), args.repeat)
        t_cl, expected = best_of(quietly(theirs), args.repeat)
        t_cl1 = best_of(quietly(theirs_serial), args.repeat)[0] if theirs_serial else None
        best_cl = min(t_cl, t_cl1) if t_cl1 else t_cl
        serial = f"{t_cl1:10.3f}s" if t_cl1 else f"{'-':>11s}"
        mem_pd = peak_memory(quietly(ours)) / 2**20
        mem_cl = peak_memory(quietly(theirs)) / 2**20
        same = np.array_equal(got, expected) if got.dtype == bool else np.allclose(got, expected)
        print(
            f"{name:26s} {t_pd:8.3f}s {t_cl:8.3f}s {serial} {best_cl / t_pd:7.1f}x "
            f"{t_pd / floor:8.0f}x {mem_pd:11.1f} {mem_cl:11.1f} {same}"
        )
    print("\nspeedup = the faster cleanlab setting / pdclean.")


if __name__ == "__main__":
    main()
