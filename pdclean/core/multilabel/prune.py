"""Prune counts and prune masks of the K one-vs-rest problems (SPEC §5.3-5.4 per class).

The counts are computed for all K problems at once on (K, 2, 2) arrays; the selection of the
examples to flag is a partial sort (O(n)) per binary class, because each of the 2K groups
keeps a different number of rows.
"""

from __future__ import annotations

import logging

import numpy as np

from pdclean.core.multilabel.binary import OneVsRest, round_rows_keep_sum

__all__ = [
    "override_counts",
    "prune_by_class_mask",
    "prune_by_noise_rate_mask",
    "prune_counts",
    "skipped_classes",
    "smallest_stable",
]

logger = logging.getLogger("pdclean")


def prune_counts(joints: np.ndarray, min_examples: int, frac_noise: float) -> np.ndarray:
    """(K, 2, 2) prune-count matrices ``PC[k, true, given]`` from confident joints (§5.3).

    Examples
    --------
    >>> prune_counts(np.array([[[6, 2], [1, 1]]]), 1, 1.0).tolist()
    [[[6, 1], [2, 1]]]
    """
    m = joints.transpose(0, 2, 1).astype(np.float64)  # rows = true, columns = given
    diag = np.stack([m[:, 0, 0], m[:, 1, 1]], axis=1)
    kept = np.maximum(diag, min_examples)
    nonzero = np.maximum(np.count_nonzero(m, axis=1) - 1, 1)
    m = np.maximum(m - ((kept - diag) / nonzero)[:, None, :], 0.0)
    off = np.stack([m[:, 1, 0], m[:, 0, 1]], axis=1)  # off-diagonal of each given column
    reduced = off * frac_noise
    m[:, 1, 0], m[:, 0, 1] = reduced[:, 0], reduced[:, 1]
    m[:, 0, 0] = kept[:, 0] + (off[:, 0] - reduced[:, 0])
    m[:, 1, 1] = kept[:, 1] + (off[:, 1] - reduced[:, 1])
    return m.astype(np.int64)


def override_counts(pc: np.ndarray, to_remove: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Prune counts forced by ``num_to_remove_per_class`` (§5.3, literal formula).

    Problem k gets the per-binary-class vector ``[to_remove[k], 0]``, so ``to_remove[k]``
    rows *without* class k are flagged by prune_by_class (cleanlab's behaviour, mirrored).

    Examples
    --------
    >>> override_counts(np.array([[[6, 1], [2, 1]]]), np.array([3]), np.array([[8, 2]])).tolist()
    [[[5, 3], [0, 2]]]
    """
    pc = pc.astype(np.float64)
    r = np.stack([to_remove.astype(np.float64), np.zeros(len(to_remove))], axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = pc / (pc[:, :, 0] + pc[:, :, 1])[:, None, :]
        z = np.stack(
            [(q[:, 0, 0] + q[:, 0, 1]) - q[:, 0, 0], (q[:, 1, 0] + q[:, 1, 1]) - q[:, 1, 1]], 1
        )
        t = q * r[:, :, None] / z[:, :, None]
    t[:, 0, 0] = counts[:, 0] - r[:, 0]
    t[:, 1, 1] = counts[:, 1] - r[:, 1]
    return round_rows_keep_sum(t)


def skipped_classes(counts: np.ndarray, min_examples: int) -> np.ndarray:
    """(K, 2) binary classes too small to prune (``n_c <= min_examples`` or ``n_c <= 1``).

    Examples
    --------
    >>> skipped_classes(np.array([[8, 2], [9, 1]]), 1).tolist()
    [[False, False], [False, True]]
    """
    skip = (counts <= min_examples) | (counts <= 1)
    for k, c in zip(*np.nonzero(skip & (counts > 0))):
        logger.debug("class %d, binary label %d: too few examples to flag label issues", k, c)
    return skip


def smallest_stable(keys: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest keys, ties to the lower position (a stable sort's
    first ``count``), in O(len(keys)).

    Examples
    --------
    >>> smallest_stable(np.array([0.3, 0.1, 0.3, 0.3, 0.2]), 3).tolist()
    [1, 4, 0]
    """
    if count >= keys.size:
        return np.arange(keys.size)
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    kth = np.partition(keys, count - 1)[count - 1]
    below = np.flatnonzero(keys < kth)
    ties = np.flatnonzero(keys == kth)[: count - below.size]
    return np.concatenate([below, ties])


def _flag_smallest(out, ovr, k, c, keys, count) -> None:
    rows = np.flatnonzero(ovr.y[k] == bool(c))
    out[k, rows[smallest_stable(keys[rows], count)]] = True


def prune_by_class_mask(ovr: OneVsRest, pc: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """(K, n) mask: in each binary class, the ``n_c - PC[c, c]`` least confident rows.

    Examples
    --------
    >>> from pdclean.core.multilabel.binary import one_vs_rest
    >>> ovr = one_vs_rest(np.array([[0], [0], [1], [1]], bool),
    ...                   np.array([[0.1], [0.7], [0.9], [0.8]]))
    >>> pc = np.array([[[1, 0], [1, 2]]])  # keep 1 of the 2 rows without the class
    >>> prune_by_class_mask(ovr, pc, np.zeros((1, 2), bool)).tolist()
    [[False, True, False, False]]
    """
    out = np.zeros(ovr.y.shape, dtype=bool)
    counts = ovr.counts
    for k, c in zip(*np.nonzero(~skip)):
        count = int(counts[k, c] - pc[k, c, c])
        if count >= 1:
            _flag_smallest(out, ovr, k, c, ovr.column(c)[k], count)
    return out


def prune_by_noise_rate_mask(ovr: OneVsRest, pc: np.ndarray, skip: np.ndarray) -> np.ndarray:
    """(K, n) mask: in binary class c, the ``PC[1 - c, c]`` rows with the largest margin
    ``B[1 - c] - B[c]``.

    Examples
    --------
    >>> from pdclean.core.multilabel.binary import one_vs_rest
    >>> ovr = one_vs_rest(np.array([[0], [0], [1], [1]], bool),
    ...                   np.array([[0.1], [0.7], [0.9], [0.8]]))
    >>> pc = np.array([[[1, 0], [1, 2]]])  # flag 1 row without the class as "truly with it"
    >>> prune_by_noise_rate_mask(ovr, pc, np.zeros((1, 2), bool)).tolist()
    [[False, True, False, False]]
    """
    out = np.zeros(ovr.y.shape, dtype=bool)
    for k, c in zip(*np.nonzero(~skip)):
        count = int(pc[k, 1 - c, c])
        if count > 0:
            margin = ovr.column(1 - c)[k] - ovr.column(c)[k]
            _flag_smallest(out, ovr, k, c, -margin, count)
    return out
