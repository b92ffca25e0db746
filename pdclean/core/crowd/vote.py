"""Majority vote with cleanlab 2.9's tie rules (SPEC-multi A.4).

A row whose most frequent class is unique gets it. Tied rows go through stages, each keeping
only the candidate classes that exactly attain the stage's optimum, until one is left:

1. the highest model probability (only with pred_probs);
2. the class that is **rarer** over the whole matrix (cleanlab's choice: do not amplify
   imbalance);
3. the highest mean reliability of the annotators who chose the class, where an annotator's
   reliability is their agreement with the vote on the rows that were untied from the start;
4. a random draw, one ``choice`` per still-tied row in row order (a ``UserWarning`` names them).
"""

from __future__ import annotations

import warnings

import numpy as np

from pdclean.core.crowd.labels import vote_counts
from pdclean.errors import InputError, InputTypeError

__all__ = ["annotator_reliability", "as_random_state", "majority_vote"]


def as_random_state(random_state) -> np.random.RandomState | None:
    """None (numpy's global RandomState, as cleanlab uses), or a ``numpy.random.RandomState``.

    Like scikit-learn's ``check_random_state`` (not imported: ``import pdclean`` must not load
    scikit-learn). A legacy RandomState, because cleanlab's draws come from one.

    Examples
    --------
    >>> as_random_state(3).randint(10) == np.random.RandomState(3).randint(10)
    True
    """
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool):
        return np.random.RandomState(int(random_state))
    raise InputTypeError(
        "random_state must be None, an int or a numpy.random.RandomState; got "
        f"{random_state!r}. Pass an int for reproducible tie-breaks."
    )


def majority_vote(
    codes: np.ndarray,
    mask: np.ndarray,
    num_classes: int,
    *,
    pred_probs: np.ndarray | None = None,
    random_state=None,
    counts: np.ndarray | None = None,
) -> np.ndarray:
    """The majority-vote label of every row (int64, (n,)).

    Parameters
    ----------
    codes, mask : ndarray, shape (n, m)
        Class codes (-1 where missing) and the labelled cells, from ``encode_annotations``.
    num_classes : int
        K; codes are 0..K-1.
    pred_probs : ndarray, shape (n, K), optional
        Model probabilities, the first tie-break.
    random_state : None, int or numpy.random.RandomState
        For the last tie-break. None is numpy's global RandomState, as in cleanlab (so that
        ``np.random.seed`` reproduces cleanlab's draws); pass an int to be reproducible.
    counts : ndarray of int, shape (n, K), optional
        The vote counts, when already computed (``Annotations.counts``).

    Examples
    --------
    >>> from pdclean.core.crowd.labels import encode_annotations
    >>> codes, mask = encode_annotations(np.array([[0, 0, 1], [1, 2, np.nan], [2, 2, 2]]))
    >>> majority_vote(codes, mask, 3).tolist()  # row 1: class 1 is rarer than class 2
    [0, 1, 2]
    """
    rng = as_random_state(random_state)
    if counts is None:
        counts = vote_counts(codes, mask, num_classes)
    candidates = counts == counts.max(axis=1, keepdims=True)
    untied = candidates.sum(axis=1) == 1
    vote = np.argmax(candidates, axis=1).astype(np.int64)
    tied = np.flatnonzero(~untied)
    if tied.size == 0:
        return vote
    cand = candidates[tied]
    stages = []
    if pred_probs is not None:
        stages.append(lambda: pred_probs[tied])
    stages.append(lambda: -np.broadcast_to(counts.sum(axis=0), cand.shape).astype(np.float64))
    stages.append(lambda: reliability_scores(codes, mask, vote, untied, tied, num_classes))
    open_rows = np.ones(tied.size, dtype=bool)
    for stage in stages:
        cand, open_rows = keep_best(cand, open_rows, stage())
    vote[tied] = np.argmax(cand, axis=1)
    if open_rows.any():
        vote[tied[open_rows]] = random_choice(cand[open_rows], tied[open_rows], rng)
    return vote


def keep_best(
    cand: np.ndarray, open_rows: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Keep, in the still open rows, the candidates that exactly attain the row maximum."""
    scores = np.where(cand, values, -np.inf)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: handled below
        best = scores.max(axis=1, keepdims=True)
    kept = cand & (scores == best)
    cand = np.where(open_rows[:, None], kept, cand)
    return cand, open_rows & (cand.sum(axis=1) != 1)


def annotator_reliability(
    codes: np.ndarray, mask: np.ndarray, vote: np.ndarray, untied: np.ndarray
) -> np.ndarray:
    """Each annotator's agreement with the vote on the untied rows (A.4 stage 3).

    NaN for an annotator without untied rows, replaced by the mean of the others (NaN stays
    when every annotator is NaN).
    """
    seen = mask & untied[:, None]
    agree = (seen & (codes == vote[:, None])).sum(axis=0)
    total = seen.sum(axis=0)
    rel = np.divide(agree, total, out=np.full(total.shape, np.nan), where=total > 0)
    if np.isnan(rel).any() and not np.isnan(rel).all():
        rel[np.isnan(rel)] = rel[~np.isnan(rel)].mean()
    return rel


def reliability_scores(
    codes: np.ndarray,
    mask: np.ndarray,
    vote: np.ndarray,
    untied: np.ndarray,
    tied: np.ndarray,
    num_classes: int,
) -> np.ndarray:
    """Stage 3 scores of the tied rows: mean reliability of the annotators choosing each class.

    The reliabilities of one (row, class) are summed in ascending annotator order, then divided
    by their count, as numpy's mean of a short list does.
    """
    rel = annotator_reliability(codes, mask, vote, untied)
    sub_codes, sub_mask = codes[tied], mask[tied]
    rows = np.broadcast_to(np.arange(tied.size)[:, None], sub_codes.shape)[sub_mask]
    flat = rows * num_classes + sub_codes[sub_mask]
    weights = np.broadcast_to(rel, sub_codes.shape)[sub_mask]
    size = tied.size * num_classes
    sums = np.bincount(flat, weights=weights, minlength=size).reshape(tied.size, num_classes)
    counts = np.bincount(flat, minlength=size).reshape(tied.size, num_classes)
    return np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)


def random_choice(
    cand: np.ndarray, rows: np.ndarray, rng: np.random.RandomState | None
) -> np.ndarray:
    """One uniform draw among each row's candidates, rows in ascending order (A.4 stage 4).

    ``rng.randint(0, sizes)`` consumes the legacy stream exactly as one ``rng.choice`` per row
    in row order does, which is what cleanlab calls on numpy's global RNG.
    """
    sizes = cand.sum(axis=1)
    if (sizes == 0).any():
        raise InputError(
            "labels_multiannotator: the majority vote cannot break the ties of rows "
            f"{rows[sizes == 0][:10].tolist()} because no annotator reliability is defined "
            "(no row has a unique most frequent label, or some rows have no label at all). "
            "Give pred_probs, or add labels so that some rows have a clear majority."
        )
    warnings.warn(
        f"breaking ties of examples {rows.tolist()} by random selection, you may want to set "
        "seed for reproducability",
        UserWarning,
        stacklevel=3,
    )
    # cleanlab draws from numpy's global RNG: with random_state=None parity needs that stream
    draw = np.random.randint if rng is None else rng.randint
    picks = draw(0, sizes)
    order = np.cumsum(cand, axis=1) - 1
    return np.argmax(cand & (order == picks[:, None]), axis=1)
