"""Choose the approximate-nearest-neighbour library by measurement (issue 16, part 1).

For each library, on :func:`embedding_data.make_embedding_data` tables (cosine, k = 10): the
time to build the index and query every row for its k + 1 nearest (self then removed), the
peak resident memory of the process, and recall@10 against exact neighbours on a sample of
2,000 query rows. Recall counts a returned neighbour as correct when its exact distance is at
most the exact k-th distance (+1e-12), so equidistant rows (exact copies) count either way.

Each case runs in its own subprocess (its own peak memory, ``ru_maxrss``), one at a time, with
one thread per library (the machine is shared; ``cpu_s``, the process CPU time, is the
figure to compare when other work competes for the cores)::

    nice -n 10 python benchmarks/bench_neighbors.py --rows 30000 100000 --dims 16 128
    nice -n 10 python benchmarks/bench_neighbors.py --libs hnswlib --rows 1000000 --dims 128
    nice -n 10 python benchmarks/bench_neighbors.py --jaccard --libs pdclean --rows 30000

``--jaccard`` compares, on the full graphs, the outlier flags (SPEC 9.5: mean distance above
Q3 + (1/0.37037 - 1) IQR) and the near-duplicate flags (SPEC 9.6: a neighbour closer than
0.13 x max(median nearest distance, 1e-6), symmetrised) of the exact graph and of the
approximate one (library "pdclean" = :func:`pdclean.neighbors.approximate.approximate_knn`).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embedding_data import make_embedding_data

K = 10
SAMPLE = 2000
THREADS = 1


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _unit32(X: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return (X / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def run_hnswlib(X: np.ndarray, k: int) -> np.ndarray:
    import hnswlib

    index = hnswlib.Index(space="cosine", dim=X.shape[1])
    index.init_index(max_elements=X.shape[0], ef_construction=100, M=16, random_seed=0)
    index.set_num_threads(THREADS)
    X32 = X.astype(np.float32)
    index.add_items(X32, np.arange(X.shape[0]))
    index.set_ef(64)
    return index.knn_query(X32, k=k + 1)[0].astype(np.int64)


def run_faiss(X: np.ndarray, k: int) -> np.ndarray:
    import faiss

    faiss.omp_set_num_threads(THREADS)
    Z = _unit32(X)
    index = faiss.IndexHNSWFlat(X.shape[1], 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 100
    index.add(Z)
    index.hnsw.efSearch = 64
    return index.search(Z, k + 1)[1].astype(np.int64)


def run_usearch(X: np.ndarray, k: int) -> np.ndarray:
    from usearch.index import Index

    index = Index(
        ndim=X.shape[1], metric="cos", dtype="f32", connectivity=16,
        expansion_add=100, expansion_search=64,
    )  # fmt: skip
    X32 = X.astype(np.float32)
    index.add(np.arange(X.shape[0]), X32, threads=THREADS)
    return np.asarray(index.search(X32, k + 1, threads=THREADS).keys, dtype=np.int64)


def run_pynndescent(X: np.ndarray, k: int) -> np.ndarray:
    from pynndescent import NNDescent

    index = NNDescent(
        X.astype(np.float32), metric="cosine", n_neighbors=max(k + 1, 20), random_state=0,
        n_jobs=THREADS, low_memory=True, verbose=False,
    )  # fmt: skip
    return index.neighbor_graph[0][:, : k + 1].astype(np.int64)


def run_pdclean(X: np.ndarray, k: int) -> np.ndarray:
    from pdclean.neighbors.approximate import approximate_knn

    return approximate_knn(X, k, random_state=0)[0]


LIBS = {
    "hnswlib": run_hnswlib,
    "faiss": run_faiss,
    "usearch": run_usearch,
    "pynndescent": run_pynndescent,
    "pdclean": run_pdclean,
}


def drop_self(found: np.ndarray, k: int) -> np.ndarray:
    """(n, k): each row's k + 1 found rows without the row itself (else without the last)."""
    if found.shape[1] == k:
        return found
    n = found.shape[0]
    keep = found != np.arange(n)[:, None]
    keep[keep.all(axis=1), -1] = False
    return found[keep].reshape(n, k)


def exact_neighbors(X: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine k nearest (self excluded) of ``rows``, float64, in query and row blocks."""
    norms = np.linalg.norm(X, axis=1)
    Z = X / np.where(norms == 0, 1.0, norms)[:, None]
    out_i = np.empty((len(rows), k), dtype=np.int64)
    out_d = np.empty((len(rows), k))
    for q in range(0, len(rows), 1024):
        sub = rows[q : q + 1024]
        out_i[q : q + 1024], out_d[q : q + 1024] = exact_block(Z, sub, k)
    return out_i, out_d


def exact_block(Z: np.ndarray, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    Q = Z[rows]
    best_d = np.full((len(rows), k), np.inf)
    best_i = np.full((len(rows), k), -1, dtype=np.int64)
    step = 16384
    for start in range(0, Z.shape[0], step):
        stop = min(start + step, Z.shape[0])
        D = np.clip(1.0 - Q @ Z[start:stop].T, 0.0, 2.0)
        own = (rows >= start) & (rows < stop)
        D[np.flatnonzero(own), rows[own] - start] = np.inf
        cand_d = np.hstack([best_d, D])
        cand_i = np.hstack([best_i, np.broadcast_to(np.arange(start, stop), D.shape)])
        part = np.argpartition(cand_d, k - 1, axis=1)[:, :k]
        best_d = np.take_along_axis(cand_d, part, 1)
        best_i = np.take_along_axis(cand_i, part, 1)
    order = np.argsort(best_d, axis=1, kind="stable")
    return np.take_along_axis(best_i, order, 1), np.take_along_axis(best_d, order, 1)


def exact_distances(X: np.ndarray, rows: np.ndarray, idx: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(X, axis=1)
    Z = X / np.where(norms == 0, 1.0, norms)[:, None]
    return np.clip(1.0 - np.einsum("ij,ikj->ik", Z[rows], Z[idx]), 0.0, 2.0)


def recall(X: np.ndarray, approx: np.ndarray, k: int, seed: int = 1) -> float:
    rng = np.random.default_rng(seed)
    rows = np.sort(rng.choice(X.shape[0], size=min(SAMPLE, X.shape[0]), replace=False))
    _, exact_d = exact_neighbors(X, rows, k)
    got = approx[rows]
    valid = got >= 0
    got_d = exact_distances(X, rows, np.where(valid, got, 0))
    hits = valid & (got != rows[:, None]) & (got_d <= exact_d[:, -1:] + 1e-12)
    return float(hits.sum() / (len(rows) * k))


def child(lib: str, n: int, d: int) -> dict:
    X = make_embedding_data(n, d, random_state=0).X
    base = _peak_mb()
    if lib == "pynndescent":  # numba compiles on first use: keep it out of the timing
        t0 = time.perf_counter()
        run_pynndescent(X[:2000], K)
        compile_s = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    found = LIBS[lib](X, K)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = _peak_mb()
    approx = drop_self(found, K)
    out = {"lib": lib, "n": n, "d": d, "seconds": seconds, "cpu_s": cpu, "peak_mb": peak,
           "data_mb": base, "recall": recall(X, approx, K)}  # fmt: skip
    if lib == "pynndescent":
        out["compile_s"] = compile_s
    return out


def outlier_flags(dist: np.ndarray) -> np.ndarray:
    a = dist.mean(axis=1)
    q1, q3 = np.percentile(a, [25, 75])
    return a > q3 + (1 / 0.37037 - 1) * (q3 - q1)


def near_duplicate_flags(idx: np.ndarray, dist: np.ndarray) -> np.ndarray:
    m = max(float(np.median(dist[:, 0])), 1e-6)
    close = dist < 0.13 * m
    flags = close.any(axis=1)
    flags[idx[close]] = True
    return flags


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    union = int((a | b).sum())
    return 1.0 if union == 0 else int((a & b).sum()) / union


def child_jaccard(lib: str, n: int, d: int) -> dict:
    """Outlier and near-duplicate flags on the exact graph and on approximate_knn's."""
    from pdclean.neighbors.approximate import approximate_knn

    X = make_embedding_data(n, d, random_state=0).X
    c0 = time.process_time()
    ex_i, ex_d = exact_neighbors(X, np.arange(n), K)
    exact_cpu = time.process_time() - c0
    c0 = time.process_time()
    ap_i, ap_d = approximate_knn(X, K, random_state=0)
    approx_cpu = time.process_time() - c0
    out_e, out_a = outlier_flags(ex_d), outlier_flags(ap_d)
    dup_e, dup_a = near_duplicate_flags(ex_i, ex_d), near_duplicate_flags(ap_i, ap_d)
    exact_hits = ap_d <= ex_d[:, -1:] + 1e-12
    return {"lib": "pdclean", "n": n, "d": d, "exact_cpu_s": exact_cpu,
            "approx_cpu_s": approx_cpu, "recall_all_rows": float(exact_hits.mean()),
            "outliers_exact": int(out_e.sum()), "outliers_approx": int(out_a.sum()),
            "jaccard_outlier": jaccard(out_e, out_a),
            "near_dups_exact": int(dup_e.sum()), "near_dups_approx": int(dup_a.sum()),
            "jaccard_near_duplicate": jaccard(dup_e, dup_a)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libs", nargs="+", default=["hnswlib", "faiss", "usearch", "pynndescent"])
    parser.add_argument("--rows", nargs="+", type=int, default=[30_000, 100_000, 300_000])
    parser.add_argument("--dims", nargs="+", type=int, default=[16, 128])
    parser.add_argument("--jaccard", action="store_true")
    parser.add_argument("--child", nargs=3, metavar=("LIB", "N", "D"))
    args = parser.parse_args()
    if args.child:
        fn = child_jaccard if args.jaccard else child
        print(json.dumps(fn(args.child[0], int(args.child[1]), int(args.child[2]))))
        return
    for d in args.dims:
        for n in args.rows:
            for lib in args.libs:
                cmd = [sys.executable, __file__, "--child", lib, str(n), str(d)]
                cmd += ["--jaccard"] if args.jaccard else []
                done = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if done.returncode != 0:
                    print(json.dumps({"lib": lib, "n": n, "d": d, "error": done.stderr[-400:]}))
                else:
                    print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
