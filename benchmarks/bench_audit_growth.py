"""Growth of the whole audit with rows, exact and approximate neighbours, on embedding-like data.

Run: ``python benchmarks/bench_audit_growth.py [--rows 30000 300000] [--dims 16 128]
[--modes exact approximate] [--max-exact-cells 40000000]``

Each (rows, columns, mode) runs in a fresh process (so peak memory is its own): the table of
:func:`benchmarks.embedding_data.make_embedding_data` (clusters of low intrinsic dimension plus
noise, 1% exact copies, 0.2% outliers), then ``df.clean.audit()`` with every feature-only check
(null, outlier, near_duplicate, non_iid, exact_duplicate) on that neighbour mode. It prints the
audit's time, the graph's share of it, the peak RSS, and the recall@10 of the graph on 2,000
sampled rows against an exact float64 search. Exact runs above ``--max-exact-cells`` (rows x
columns) are skipped: exact neighbours are quadratic on such data (see the README).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")  # two cores, shared: no oversubscription


def child(n: int, d: int, mode: str) -> dict:
    import numpy as np
    import pandas as pd

    import pdclean  # noqa: F401
    from benchmarks.bench_neighbors import recall
    from benchmarks.embedding_data import make_embedding_data

    X = make_embedding_data(n, d, random_state=0).X
    df = pd.DataFrame(X, columns=[f"e{i}" for i in range(d)])
    start = time.perf_counter()
    audit = df.clean.audit(neighbors=mode)
    seconds = time.perf_counter() - start
    graph = audit.run.timings.get("knn_graph", float("nan"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    found = recall(X, audit.run.knn.indices, 10)
    flagged = {n: int(r.num_issues) for n, r in audit.run.results.items()}
    del np
    return {"rows": n, "cols": d, "mode": mode, "seconds": seconds, "graph": graph,
            "peak_mb": peak, "recall": found, "flagged": flagged}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[30_000, 300_000])
    parser.add_argument("--dims", type=int, nargs="+", default=[16, 128])
    parser.add_argument("--modes", nargs="+", default=["exact", "approximate"])
    parser.add_argument("--max-exact-cells", type=int, default=40_000_000)
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        n, d, mode = args.child
        print(json.dumps(child(int(n), int(d), mode)))
        return
    print("| rows x cols | mode | audit (s) | graph (s) | peak RSS (MB) | recall@10 |")
    print("|---|---|---:|---:|---:|---:|")
    for d in args.dims:
        for n in args.rows:
            for mode in args.modes:
                if mode == "exact" and n * d > args.max_exact_cells:
                    print(f"| {n:,} x {d} | exact | skipped (quadratic) | | | |", flush=True)
                    continue
                out = subprocess.run(
                    [sys.executable, "-m", "benchmarks.bench_audit_growth", "--child",
                     str(n), str(d), mode], capture_output=True, text=True, check=True,
                )  # fmt: skip
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(
                    f"| {n:,} x {d} | {mode} | {r['seconds']:.1f} | {r['graph']:.1f} | "
                    f"{r['peak_mb']:.0f} | {r['recall']:.4f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
