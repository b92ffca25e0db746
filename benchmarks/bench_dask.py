"""Benchmark: ``ddf.clean.find_label_issues`` on a Dask LocalCluster vs pandas.

20,000,000 rows x 10 classes are generated lazily (``dask.dataframe.from_map``: each partition
from its own seeded generator, so no process ever holds the table), then label issues are
found on a ``distributed.LocalCluster`` of 2 worker processes with ``memory_limit="2GB"``
each. Prints the wall time, the peak resident memory of each worker (sampled every 0.2 s)
and the number of issues. The same code then runs at 1,000,000 rows, on the cluster and
with the pandas accessor on the materialised frame, for a time ratio (and a check that both
flag the same rows).

Run: ``python benchmarks/bench_dask.py [n_rows]`` (default 20,000,000).
"""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pandas as pd

K = 10
ROWS_PER_PARTITION = 500_000
SEED = 2026


def make_partition(i: int, rows: int = ROWS_PER_PARTITION) -> pd.DataFrame:
    """Rows ``i * rows ...``: noisy categorical labels and pred_probs columns proba_<k>."""
    rng = np.random.default_rng([SEED, i])
    true = rng.integers(0, K, rows)
    given = np.where(rng.random(rows) < 0.1, rng.integers(0, K, rows), true)
    logits = rng.standard_normal((rows, K))
    logits[np.arange(rows), true] += 2.5
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    frame = pd.DataFrame(probs, columns=[f"proba_{k}" for k in range(K)])
    frame.insert(0, "y", pd.Categorical.from_codes(given, categories=range(K)))
    frame.index = pd.RangeIndex(i * rows, (i + 1) * rows)
    return frame


def _rss() -> int:
    import psutil

    return psutil.Process().memory_info().rss


class PeakMemory:
    """Samples every worker's resident memory in a background thread; keeps the maxima."""

    def __init__(self, client, every: float = 0.2) -> None:
        self.client, self.every, self.peak = client, every, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            for worker, rss in self.client.run(_rss).items():
                self.peak[worker] = max(self.peak.get(worker, 0), rss)
            self._stop.wait(self.every)

    def __enter__(self):
        self.peak = {}
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._stop.clear()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def dask_run(n_rows: int, client, persist: bool = False) -> tuple[float, int, dict]:
    """Time find_label_issues + counting the flagged rows (data generated in every pass,
    or, with ``persist``, generated once and held in the workers' memory beforehand)."""
    import dask.dataframe as dd
    from distributed import wait

    n_parts = max(1, n_rows // ROWS_PER_PARTITION)
    ddf = dd.from_map(make_partition, range(n_parts))
    if persist:
        ddf = ddf.persist()
        wait(ddf)
    with PeakMemory(client) as memory:
        start = time.perf_counter()
        issues = ddf.clean.find_label_issues("y", pred_probs="proba_")
        count = int(issues["is_label_issue"].sum().compute())
        elapsed = time.perf_counter() - start
    return elapsed, count, memory.peak


def main(n_rows: int = 20_000_000) -> None:
    from distributed import Client, LocalCluster

    import pdclean  # noqa: F401  (registers pandas' .clean)
    from pdclean.dask.accessor import register_dask

    register_dask()  # until pdclean/__init__.py calls it
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, memory_limit="2GB",
        dashboard_address=None,
    )  # fmt: skip
    client = Client(cluster)
    client.run(lambda: __import__("pdclean.dask.accessor"))  # warm the workers' imports
    gb = 1e9
    print(f"LocalCluster: 2 workers x 1 thread, memory_limit=2GB; {K} classes")
    elapsed, count, peak = dask_run(n_rows, client)
    print(
        f"dask   {n_rows:>11,} rows: {elapsed:7.1f} s, {count:,} issues, peak worker RSS "
        + ", ".join(f"{v / gb:.2f} GB" for v in peak.values())
    )
    small = 1_000_000
    d_elapsed, d_count, _ = dask_run(small, client)
    m_elapsed, m_count, _ = dask_run(small, client, persist=True)
    df = pd.concat([make_partition(i) for i in range(small // ROWS_PER_PARTITION)])
    columns = [f"proba_{k}" for k in range(K)]
    start = time.perf_counter()
    reference = df.clean.find_label_issues("y", pred_probs=columns)
    p_elapsed = time.perf_counter() - start
    p_count = int(reference["is_label_issue"].sum())
    print(f"dask   {small:>11,} rows: {d_elapsed:7.2f} s, {d_count:,} issues")
    print(
        f"pandas {small:>11,} rows: {p_elapsed:7.2f} s, {p_count:,} issues "
        f"(same count: {d_count == p_count})"
    )
    print(f"dask   {small:>11,} rows, persisted: {m_elapsed:7.2f} s, {m_count:,} issues")
    print(
        f"ratio dask / pandas at 1M rows: {d_elapsed / p_elapsed:.2f} (generating the data in "
        f"every pass), {m_elapsed / p_elapsed:.2f} (persisted data)"
    )
    client.close()
    cluster.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000_000)
