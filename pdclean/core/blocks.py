"""Row blocks: the unit of every per-row pass over ``pred_probs``.

Per-row passes (confident-joint counting, margins, adjusted scores) run over blocks of rows so
that temporaries stay a small, fixed size whatever ``n`` is. ``BLOCK_ELEMENTS`` is read at call
time, so tests can shrink it to check that results do not depend on the block size.
"""

from __future__ import annotations

from collections.abc import Iterator

__all__ = ["BLOCK_ELEMENTS", "block_rows", "iter_blocks"]

#: Number of float elements in one row block (4 MiB of float64 by default).
BLOCK_ELEMENTS: int = 1 << 19


def block_rows(n_cols: int) -> int:
    """Rows per block for an array with ``n_cols`` columns (at least 1)."""
    return max(1, BLOCK_ELEMENTS // max(int(n_cols), 1))


def iter_blocks(n_rows: int, n_cols: int) -> Iterator[slice]:
    """Yield consecutive row slices covering ``range(n_rows)``."""
    step = block_rows(n_cols)
    for start in range(0, n_rows, step):
        yield slice(start, min(start + step, n_rows))
