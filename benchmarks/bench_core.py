"""Benchmark pdclean's numpy-level core against cleanlab 2.9.0 and the numpy floor.

One command::

    python benchmarks/bench_core.py [--n 1000000] [--k 10 100] [--repeat 3] [--skip-cleanlab]

For each K it builds a seeded n x K float64 problem (model-like Dirichlet rows, ~20% of the
labels flipped) and prints, per operation, the median wall time of pdclean, of cleanlab
(``n_jobs=1`` where it has it) and of the numpy floor (``pred_probs.argmax(axis=1)`` on the same
array), the ratios pdclean/floor and cleanlab/pdclean, pdclean's peak extra memory as a multiple
of the input's size (tracemalloc around the pdclean call only; numpy reports its allocations to
tracemalloc), and whether pdclean's output equals cleanlab's. The table is Markdown, ready for
the README. Progress goes to stderr.

cleanlab is timed once per operation at K >= 100 (it takes seconds per call there); use
``--cleanlab-repeat`` to change that.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import pdclean  # noqa: F401
except ImportError:  # run from a source checkout without installing: use the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pdclean import count, dataset, rank
from pdclean import filter as pdfilter
from pdclean.core.scores import SCORE_METHODS

FILTERS = pdfilter.FILTER_BY
METHODS = SCORE_METHODS


def make_problem(n: int, k: int, seed: int = 0, noise: float = 0.2):
    """Seeded (labels, pred_probs): Dirichlet(0.3) rows plus a bump on the true class, then
    ``noise`` of the labels flipped to another class. Rows sum to 1; no exact ties."""
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    probs = rng.standard_gamma(0.3, size=(n, k))
    probs /= probs.sum(axis=1, keepdims=True)
    probs[np.arange(n), true] += rng.gamma(2.0, 0.75, n)  # the model mostly knows the class
    probs /= probs.sum(axis=1, keepdims=True)
    flip = rng.random(n) < noise
    labels = true.copy()
    labels[flip] = (true[flip] + rng.integers(1, k, int(flip.sum()))) % k
    return labels, probs


@dataclass
class Op:
    name: str
    ours: Callable
    theirs: Callable | None
    same: Callable  # (labels, pred_probs, ours_result, theirs_result) -> str


def _same_exact(y, p, a, b) -> str:
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return f"DIFF (shape {a.shape} vs {b.shape})"
    if np.array_equal(a, b):
        return "same"
    return f"DIFF ({int(np.count_nonzero(a != b))} entries)"


def _same_close(y, p, a, b, tol=1e-9) -> str:
    err = float(np.max(np.abs(np.asarray(a, float) - np.asarray(b, float))))
    return "same" if err <= tol else f"DIFF (max err {err:.2e})"


def _rounding_ties_only(cl, y, p, ours, theirs) -> bool:
    """Do the two calibrated joints differ only where the rounding residuals tie exactly?

    cleanlab breaks such ties with a non-stable sort, pdclean with a stable one (SPEC 1.3).
    """
    raw = count.compute_confident_joint(y, p, calibrate=False)
    if not np.array_equal(raw, cl.count.compute_confident_joint(y, p, calibrate=False)):
        return False
    c, n = np.asfortranarray(raw, dtype=float), np.bincount(y, minlength=raw.shape[0])
    rows = c / np.maximum(c.sum(axis=1), 1e-100)[:, None] * n[:, None]
    resid = rows / rows.sum() * n.sum()
    resid -= np.round(resid)
    for r in np.flatnonzero((ours != theirs).any(axis=1)):
        changed = resid[r, ours[r] != theirs[r]]
        if ours[r].sum() != theirs[r].sum() or np.ptp(changed) > 1e-12:
            return False
    return True


def operations(with_cleanlab: bool) -> list[Op]:
    cl = None
    if with_cleanlab:
        import cleanlab.count
        import cleanlab.dataset
        import cleanlab.filter
        import cleanlab.rank

        cl = cleanlab

    def pick(f):
        return f if cl is not None else None

    def same_joint(y, p, a, b):
        verdict = _same_exact(y, p, a, b)
        if verdict != "same" and _rounding_ties_only(cl, y, p, a, b):
            verdict += ", only exact rounding ties broken differently (SPEC 1.3)"
        return verdict

    def same_mask(f):
        def check(y, p, a, b):
            verdict = _same_exact(y, p, a, b)
            if verdict == "same" or f not in FILTERS[:3]:
                return verdict
            cj = count.compute_confident_joint(y, p)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                again = cl.filter.find_label_issues(y, p, filter_by=f, confident_joint=cj, n_jobs=1)
            if np.array_equal(a, again):
                verdict += "; same given pdclean's joint (the joint's tie order, SPEC 1.3)"
            return verdict

        return check

    ops = [
        Op(
            "compute_confident_joint",
            count.compute_confident_joint,
            pick(lambda y, p: cl.count.compute_confident_joint(y, p)),
            same_joint,
        )
    ]
    for f in FILTERS:
        ops.append(
            Op(
                f"find_label_issues({f})",
                lambda y, p, f=f: pdfilter.find_label_issues(y, p, filter_by=f),
                pick(lambda y, p, f=f: cl.filter.find_label_issues(y, p, filter_by=f, n_jobs=1)),
                same_mask(f),
            )
        )
    for m in METHODS:
        ops.append(
            Op(
                f"get_label_quality_scores({m})",
                lambda y, p, m=m: rank.get_label_quality_scores(y, p, method=m),
                pick(lambda y, p, m=m: cl.rank.get_label_quality_scores(y, p, method=m)),
                _same_close,
            )
        )
    ops.append(
        Op(
            "overall_label_health_score",
            lambda y, p: dataset.overall_label_health_score(y, p),
            pick(lambda y, p: cl.dataset.overall_label_health_score(y, p, verbose=False)),
            _same_close,
        )
    )
    return ops


def median_time(func: Callable, repeat: int):
    """(median seconds, last result)."""
    times, result = [], None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_extra_memory(func: Callable) -> int:
    """Peak bytes allocated (and traced) during ``func()`` above what was live before it."""
    gc.collect()
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
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return func()

    return run


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            cpu = next(line.split(":", 1)[1].strip() for line in fh if "model name" in line)
    except (OSError, StopIteration):
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = [f"numpy {np.__version__}", f"Python {platform.python_version()}"]
    try:
        import cleanlab

        versions.append(f"cleanlab {cleanlab.__version__}")
    except ImportError:
        pass
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    extra = f", OPENBLAS_CORETYPE={coretype}" if coretype else ""
    return f"{cpu}; {cores} cores available; {', '.join(versions)}{extra}"


def bench_k(n, k, args, ops, rows):
    log(f"building n={n:,} x K={k} ...")
    labels, probs = make_problem(n, k, seed=args.seed)
    input_bytes = probs.nbytes  # the denominator: pred_probs alone (conservative)
    floor, _ = median_time(lambda: probs.argmax(axis=1), max(args.repeat, 3))
    cl_repeat = args.cleanlab_repeat or (1 if k >= 100 else args.repeat)
    for op in ops:
        log(f"  K={k} {op.name}: pdclean ...")
        ours_t, ours = median_time(quietly(lambda op=op: op.ours(labels, probs)), args.repeat)
        mem = peak_extra_memory(quietly(lambda op=op: op.ours(labels, probs)))
        theirs_t, verdict = None, "-"
        if op.theirs is not None:
            log(f"  K={k} {op.name}: cleanlab ...")
            theirs_t, theirs = median_time(
                quietly(lambda op=op: op.theirs(labels, probs)), cl_repeat
            )
            verdict = op.same(labels, probs, ours, theirs)
            del theirs
        rows.append((k, op.name, ours_t, theirs_t, floor, mem / input_bytes, verdict))
        del ours
    labels = probs = None  # free the input before the next K
    gc.collect()


def fmt(x, spec):
    return "-" if x is None else format(x, spec)


def table(rows, n) -> str:
    head = (
        "| n x K | operation | pdclean (s) | cleanlab (s) | floor (s) | pdclean / floor "
        "| cleanlab / pdclean | pdclean peak extra memory (x input) | same as cleanlab |\n"
        "|---|---|---:|---:|---:|---:|---:|---:|---|\n"
    )
    body = []
    for k, name, ours, theirs, floor, mem, verdict in rows:
        speedup = None if theirs is None else theirs / ours
        body.append(
            f"| {n:,} x {k} | `{name}` | {ours:.3f} | {fmt(theirs, '.3f')} | {floor:.3f} "
            f"| {ours / floor:.1f} | {fmt(speedup, '.1f')} | {mem:.2f} | {verdict} |"
        )
    return head + "\n".join(body)


def _load() -> str:
    """The 1-minute load average (other work on the machine skews the timings)."""
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "n/a"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="rows (default 1,000,000)")
    parser.add_argument("--k", type=int, nargs="+", default=[10, 100], help="classes")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of pdclean/floor")
    parser.add_argument(
        "--cleanlab-repeat",
        type=int,
        default=None,
        help="timed runs of cleanlab (default: --repeat, but 1 for K >= 100)",
    )
    parser.add_argument("--skip-cleanlab", action="store_true", help="time pdclean only")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    ops = operations(with_cleanlab=not args.skip_cleanlab)
    rows: list = []
    load = [_load()]
    for k in args.k:
        bench_k(args.n, k, args, ops, rows)
    load.append(_load())
    print(f"Machine: {machine()}; 1-min load average at start / end: {load[0]} / {load[1]}")
    print(
        f"Problem: float64 pred_probs, seed {args.seed}, ~20% flipped labels; median of "
        f"{args.repeat} runs (cleanlab: {args.cleanlab_repeat or 'same, 1 at K >= 100'}); "
        "floor = pred_probs.argmax(axis=1); memory = tracemalloc peak during the pdclean call "
        "above the memory live before it, over the size of pred_probs.\n"
    )
    print(table(rows, args.n))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
