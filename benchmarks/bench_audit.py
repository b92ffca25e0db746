"""Benchmark pdclean's audit against cleanlab's Datalab on the same inputs.

Each (implementation, rows, features) case runs in its own subprocess so that its peak memory
(``resource.getrusage(...).ru_maxrss``) is its own. Data: K = 10 Gaussian blobs, labels = blob,
pred_probs ~ Dirichlet(1) (K = 10). Both sides run every default issue type of the reference on
features + labels + pred_probs; pdclean also runs its two extra checks (shown separately).

    python benchmarks/bench_audit.py --quick                  # 10,000 rows only
    python benchmarks/bench_audit.py --skip-reference-above 5000000   # skip Datalab above 5M cells
    python benchmarks/bench_audit.py --graph --rows 100000 --dims 16 128   # kNN graph alone

Per-check times for Datalab are taken from the moment it announces each issue type on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import resource
import subprocess
import sys
import time
import warnings

import numpy as np

REFERENCE_TYPES = (
    "null", "label", "outlier", "near_duplicate", "non_iid", "class_imbalance",
    "underperforming_group",
)  # fmt: skip


def make_data(n: int, d: int, k: int = 10, seed: int = 0):
    rng = np.random.RandomState(seed)
    centers = rng.normal(scale=3.0, size=(k, d))
    labels = rng.randint(0, k, n)
    X = centers[labels] + rng.normal(size=(n, d))
    pred_probs = rng.dirichlet(np.ones(k), n)
    return X, labels, pred_probs


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def child_pdclean(n: int, d: int) -> dict:
    from pdclean.checks import run_audit

    X, labels, P = make_data(n, d)
    base = _peak_mb()
    start = time.perf_counter()
    np.argmax(P, axis=1)
    floor = time.perf_counter() - start
    start = time.perf_counter()
    run = run_audit(features=X, labels=labels, pred_probs=P)
    total = time.perf_counter() - start
    ref_total = sum(run.timings.get(t, 0.0) for t in REFERENCE_TYPES)
    return {
        "timings": run.timings, "total": total, "total_reference_types": ref_total,
        "floor": floor, "peak_mb": _peak_mb(), "base_mb": base, "errors": run.errors,
    }  # fmt: skip


def child_graph(n: int, d: int, search: str) -> dict:
    from pdclean.neighbors.graph import build_knn_graph

    X = make_data(n, d)[0]
    base = _peak_mb()
    start = time.perf_counter()
    build_knn_graph(X, 10, search=search)
    return {"total": time.perf_counter() - start, "peak_mb": _peak_mb(), "base_mb": base}


def run_graphs(rows: list[int], dims: list[int], searches: list[str]) -> None:
    """Time the shared kNN graph alone (cosine for d > 3), one subprocess per case."""
    print(f"{'rows':>8s} {'d':>4s} {'search':>6s} {'seconds':>8s} {'peak MB':>8s}")
    for n in rows:
        for d in dims:
            for search in searches:
                r = run_child(f"graph-{search}", n, d)
                print(f"{n:8d} {d:4d} {search:>6s} {r['total']:8.2f} {r['peak_mb']:8.0f}")
                sys.stdout.flush()


class _Clock(io.StringIO):
    """A stdout that records when Datalab announces each issue type."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, float]] = []

    def write(self, s: str) -> int:
        if s.startswith("Finding ") and " issues" in s:
            self.marks.append((s.split()[1], time.perf_counter()))
        return super().write(s)


def child_datalab(n: int, d: int) -> dict:
    from cleanlab import Datalab

    X, labels, P = make_data(n, d)
    base = _peak_mb()
    clock = _Clock()
    with warnings.catch_warnings(), contextlib.redirect_stdout(clock):
        warnings.simplefilter("ignore")
        lab = Datalab({"y": labels}, label_name="y", verbosity=1)
        start = time.perf_counter()
        lab.find_issues(features=X, pred_probs=P)
        end = time.perf_counter()
    marks = [*clock.marks, ("end", end)]
    timings = {name: marks[i + 1][1] - t for i, (name, t) in enumerate(marks[:-1])}
    return {"timings": timings, "total": end - start, "peak_mb": _peak_mb(), "base_mb": base}


def run_child(impl: str, n: int, d: int) -> dict:
    cmd = [sys.executable, __file__, "--child", impl, str(n), str(d)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _fmt(v: float | None) -> str:
    return "      -" if v is None else f"{v:7.3f}"


def report(n: int, d: int, ours: dict, ref: dict | None) -> None:
    print(f"\n=== {n:,} rows x {d} features (K = 10) ===")
    print(f"{'check':24s} {'pdclean s':>9s} {'Datalab s':>9s} {'ratio':>7s}")
    for name in (*REFERENCE_TYPES, "exact_duplicate", "conflicting_labels", "knn_graph"):
        a = ours["timings"].get(name)
        b = None if ref is None else ref["timings"].get(name)
        ratio = f"{b / a:6.1f}x" if a and b else "      -"
        print(f"{name:24s} {_fmt(a):>9s} {_fmt(b):>9s} {ratio}")
    a = ours["total_reference_types"]
    b = None if ref is None else ref["total"]
    ratio = f"{b / a:6.1f}x" if b else "      -"
    print(f"{'total (same 7 types)':24s} {_fmt(a):>9s} {_fmt(b):>9s} {ratio}")
    print(f"{'total incl. new checks':24s} {_fmt(ours['total']):>9s}")
    print(f"{'floor argmax(P)':24s} {_fmt(ours['floor']):>9s}")
    mem = f"peak RSS MB: pdclean {ours['peak_mb']:.0f} (data {ours['base_mb']:.0f})"
    if ref is not None:
        mem += f", Datalab {ref['peak_mb']:.0f} (data {ref['base_mb']:.0f})"
    print(mem)
    if ours["errors"]:
        print("pdclean errors:", ours["errors"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10,000 rows only")
    parser.add_argument(
        "--skip-reference-above", type=float, default=float("inf"), metavar="CELLS",
        help="skip Datalab when rows x features exceeds CELLS (e.g. 5e6 skips 100,000 x 128)",
    )  # fmt: skip
    parser.add_argument("--rows", type=int, nargs="*", default=None)
    parser.add_argument("--dims", type=int, nargs="*", default=[2, 16, 128])
    parser.add_argument("--graph", action="store_true", help="time the kNN graph alone")
    parser.add_argument(
        "--search", nargs="*", default=["blas"], choices=["auto", "blas", "pruned", "tree"],
        help="with --graph: the cosine searches to time (tree = the earlier search)",
    )  # fmt: skip
    parser.add_argument("--child", nargs=3, metavar=("IMPL", "N", "D"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        impl, n, d = args.child[0], int(args.child[1]), int(args.child[2])
        if impl.startswith("graph-"):
            result = child_graph(n, d, impl.removeprefix("graph-"))
        else:
            result = {"pdclean": child_pdclean, "datalab": child_datalab}[impl](n, d)
        print(json.dumps(result))
        return
    rows = args.rows or ([10_000] if args.quick else [10_000, 100_000])
    if args.graph:
        run_graphs(rows, args.dims, args.search)
        return
    for n in rows:
        for d in args.dims:
            ours = run_child("pdclean", n, d)
            skip = n * d > args.skip_reference_above
            ref = None if skip else run_child("datalab", n, d)
            report(n, d, ours, ref)
            sys.stdout.flush()


if __name__ == "__main__":
    main()
