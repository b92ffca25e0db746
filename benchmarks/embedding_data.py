"""Clustered, embedding-like data for the neighbour and audit benchmarks (issue 16).

Real text and image embeddings have many columns but a low intrinsic dimension: they sit near
a low-dimensional set, in clusters, with noise, a few exact copies (the same document twice) and
a few outliers. :func:`make_embedding_data` draws such a table:

1. ``n_clusters`` cluster centres in ``intrinsic_dim`` dimensions (N(0, ``center_scale``²)),
   each row a centre plus N(0, 1) noise in the same low-dimensional space;
2. a fixed random linear map to ``n_features`` columns (entries N(0, 1/intrinsic_dim)), plus
   isotropic N(0, ``noise``²) noise in every column;
3. a fraction ``copy_frac`` of the rows replaced by exact copies of other (non-outlier) rows;
4. a fraction ``outlier_frac`` replaced by outliers: Gaussian vectors in the full space, scaled
   to the typical row norm, so their direction (cosine) is unlike any cluster.

Rows are generated in blocks into one float64 array (1M x 128 needs 1 GB, not more).

    >>> from benchmarks.embedding_data import make_embedding_data
    >>> data = make_embedding_data(1000, 16, random_state=0)
    >>> data.X.shape, int(data.is_outlier.sum()), int(data.is_copy.sum())
    ((1000, 16), 2, 10)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["EmbeddingData", "make_embedding_data"]

_BLOCK = 65536


class EmbeddingData(NamedTuple):
    """The table and what was planted in it."""

    X: np.ndarray  # float64 (n, n_features)
    cluster: np.ndarray  # int64 (n,), -1 for outliers
    is_outlier: np.ndarray  # bool (n,)
    is_copy: np.ndarray  # bool (n,), the row is an exact copy of an earlier-drawn row


def make_embedding_data(
    n: int,
    n_features: int,
    *,
    intrinsic_dim: int = 12,
    n_clusters: int = 50,
    center_scale: float = 3.0,
    noise: float = 0.1,
    copy_frac: float = 0.01,
    outlier_frac: float = 0.002,
    random_state: int | None = 0,
) -> EmbeddingData:
    """Draw ``n`` embedding-like rows with ``n_features`` columns (see the module docstring)."""
    rng = np.random.default_rng(random_state)
    centers = rng.normal(scale=center_scale, size=(n_clusters, intrinsic_dim))
    W = rng.normal(scale=1.0 / np.sqrt(intrinsic_dim), size=(intrinsic_dim, n_features))
    cluster = rng.integers(0, n_clusters, n)
    X = np.empty((n, n_features), dtype=np.float64)
    for start in range(0, n, _BLOCK):
        stop = min(start + _BLOCK, n)
        low = centers[cluster[start:stop]] + rng.normal(size=(stop - start, intrinsic_dim))
        X[start:stop] = low @ W
        X[start:stop] += rng.normal(scale=noise, size=(stop - start, n_features))
    n_out, n_copy = round(outlier_frac * n), round(copy_frac * n)
    chosen = rng.permutation(n)[: n_out + n_copy]
    out_rows, copy_rows = chosen[:n_out], chosen[n_out:]
    typical_norm = float(np.median(np.linalg.norm(X[: min(n, 10_000)], axis=1)))
    G = rng.normal(size=(n_out, n_features))
    X[out_rows] = G / np.linalg.norm(G, axis=1, keepdims=True) * typical_norm
    is_outlier = np.zeros(n, dtype=bool)
    is_outlier[out_rows] = True
    cluster[out_rows] = -1
    pool = np.flatnonzero(~is_outlier)
    sources = rng.choice(pool[~np.isin(pool, copy_rows)], size=n_copy)
    X[copy_rows] = X[sources]
    cluster[copy_rows] = cluster[sources]
    is_copy = np.zeros(n, dtype=bool)
    is_copy[copy_rows] = True
    return EmbeddingData(X, cluster.astype(np.int64), is_outlier, is_copy)
