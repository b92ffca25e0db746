"""Cost of the DataFrame face: the ``.clean`` accessor vs the numpy-level call.

1,000,000 rows x 10 classes, string labels. The numpy-level side gets pre-encoded inputs (int
codes 0..K-1 and the (n, K) array) and does the same work as the accessor: the issue mask
(``filter.find_label_issues``), the quality scores (``rank.get_label_quality_scores``) and the
predicted class (``argmax``). The accessor also encodes the string labels, validates the frame
input, and builds the result frame (index, label-dtype columns). Target: ratio <= 1.3.

Run from the repository root::

    python benchmarks/bench_accessor.py [--rows 1000000] [--classes 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import pdclean.accessor  # noqa: F401  (registers DataFrame.clean)
from pdclean import filter as pdfilter
from pdclean import rank


def make_problem(n: int, k: int, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    codes = np.where(rng.random(n) < 0.1, rng.integers(0, k, n), true)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), true] += 2.5
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    names = np.array([f"class_{c:02d}" for c in range(k)])
    df = pd.DataFrame({"y": names[codes], "x": rng.normal(size=n)})
    return df, codes, probs


def best_of(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    df, codes, probs = make_problem(args.rows, args.classes)
    names = np.unique(df["y"])
    shuffled = pd.DataFrame(probs, columns=names).iloc[:, ::-1]

    def numpy_issues():
        mask = pdfilter.find_label_issues(codes, probs)
        scores = rank.get_label_quality_scores(codes, probs)
        return mask, scores, probs.argmax(axis=1)

    cases = {
        "find_label_issues": (
            numpy_issues,
            lambda: df.clean.find_label_issues("y", pred_probs=probs),
        ),
        "find_label_issues (pred_probs DataFrame, columns shuffled)": (
            numpy_issues,
            lambda: df.clean.find_label_issues("y", pred_probs=shuffled),
        ),
        "label_quality": (
            lambda: rank.get_label_quality_scores(codes, probs),
            lambda: df.clean.label_quality("y", pred_probs=probs),
        ),
    }
    floor = best_of(lambda: np.argmax(probs, axis=1), args.repeat)
    print(f"{args.rows:,} rows x {args.classes} classes, string labels (dtype {df['y'].dtype})")
    print(f"numpy floor (argmax over pred_probs): {floor:.3f} s\n")
    print(f"{'operation':60s} {'numpy-level':>12s} {'accessor':>10s} {'ratio':>7s}")
    for name, (numpy_call, accessor_call) in cases.items():
        base = best_of(numpy_call, args.repeat)
        face = best_of(accessor_call, args.repeat)
        print(f"{name:60s} {base:11.3f}s {face:9.3f}s {face / base:6.2f}x")


if __name__ == "__main__":
    main()
