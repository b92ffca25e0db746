"""What ``import pdclean`` costs on top of pandas and scikit-learn (fresh processes).

Run: ``python benchmarks/bench_import.py [--repeat 7]``. Each run is a new interpreter that
imports pandas and scikit-learn first, then times ``import pdclean``; it also reports whether
dask was imported (it must not be: the Dask accessor registers when dask is imported).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

CODE = (
    "import sys, time; import pandas, sklearn; t = time.perf_counter(); import pdclean; "
    "print(time.perf_counter() - t, any(m.split('.')[0] == 'dask' for m in sys.modules))"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    seconds, dask = [], set()
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True)
        value, loaded = out.stdout.split()
        seconds.append(float(value))
        dask.add(loaded)
    print(
        f"import pdclean on top of pandas + scikit-learn: "
        f"median {statistics.median(seconds):.3f} s "
        f"(min {min(seconds):.3f}, max {max(seconds):.3f}, {args.repeat} runs); "
        f"dask imported: {', '.join(sorted(dask))}"
    )


if __name__ == "__main__":
    main()
