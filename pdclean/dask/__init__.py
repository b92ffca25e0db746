"""The Dask face: the `.clean` accessor on Dask DataFrames (registered lazily, on first use).

It only schedules: the per-block statistics and their merges live in :mod:`pdclean.core`.
"""
