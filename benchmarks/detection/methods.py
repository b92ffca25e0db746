"""Every method of the benchmark, on the same shared out-of-fold pred_probs.

A method maps a :class:`benchmarks.detection.signals.Problem` to ``(flags, score, extra)``:
the boolean issue mask (None for rank methods), a suspicion score for AUPRC (higher = more
suspicious; None for filters, which have no score), and the seconds of any signal it needs
beyond the shared gradient-boosting pred_probs (the logistic-regression member, the kNN graph).
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings

import numpy as np

import pdclean.filter
from benchmarks.detection.signals import SEED, Problem
from pdclean.core.detect import detect_label_issues
from pdclean.learning.detect import FIRST_ROUND_MARGIN, out_of_fold_pred_probs

CLEANLAB_FILTERS = (
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_normalized_margin",
    "low_self_confidence",
)
CLEANLAB_RANKS = ("self_confidence", "normalized_margin", "confidence_weighted_entropy")


@contextlib.contextmanager
def quiet():
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def cleanlab_filter(filter_by):
    def method(p: Problem):
        import cleanlab.filter

        with quiet():
            mask = cleanlab.filter.find_label_issues(p.labels, p.probs["hgb"], filter_by=filter_by)
        return mask, None, 0.0

    return method


def cleanlab_rank(rank_by):
    def method(p: Problem):
        import cleanlab.rank

        with quiet():
            score = cleanlab.rank.get_label_quality_scores(p.labels, p.probs["hgb"], method=rank_by)
        return None, -score, 0.0

    return method


def pdclean_filter(filter_by):
    def method(p: Problem):
        return (
            pdclean.filter.find_label_issues(p.labels, p.probs["hgb"], filter_by=filter_by),
            None,
            0.0,
        )

    return method


def predicted_neq_given(p: Problem):
    H, y = p.probs["hgb"], p.labels
    rows = np.arange(y.size)
    others = H.copy()
    others[rows, y] = -1
    return H.argmax(axis=1) != y, others.max(axis=1) - H[rows, y], 0.0


def candidate(members: tuple[str, ...], use_knn: bool, **options):
    def method(p: Problem):
        probs = [p.probs[m] for m in members]
        out = detect_label_issues(p.labels, probs, p.neighbors if use_knn else None, **options)
        extra = sum(p.seconds[m] for m in members if m != "hgb") + (
            p.seconds["knn"] if use_knn else 0
        )
        return out.is_label_issue, 1.0 - out.label_quality, extra

    return method


def second_round(p: Problem) -> list[np.ndarray]:
    """Round 2's pred_probs (cached on the problem): refit without the rows round 1 flags."""
    if "hgb2" not in p.probs:
        start = time.perf_counter()
        first = [p.probs["hgb"], p.probs["lr"]]
        flagged = detect_label_issues(p.labels, first, p.neighbors, margin=FIRST_ROUND_MARGIN)
        p.probs["hgb2"], p.probs["lr2"] = out_of_fold_pred_probs(
            p.features,
            p.labels,
            categorical=p.categorical,
            exclude=flagged.is_label_issue,
            random_state=SEED,
        )
        p.seconds["round2"] = time.perf_counter() - start
    return [p.probs["hgb"], p.probs["lr"], p.probs["hgb2"], p.probs["lr2"]]


def two_rounds(margin: float = 0.0):
    """The default pipeline: round 1 flags at margin 0.1, refit without them, average both."""

    def method(p: Problem):
        probs = second_round(p)  # precomputed by run.evaluate, untimed there: added here
        out = detect_label_issues(p.labels, probs, p.neighbors, margin=margin)
        extra = p.seconds["lr"] + p.seconds["knn"] + p.seconds["round2"]
        return out.is_label_issue, 1.0 - out.label_quality, extra

    return method


def all_methods() -> dict:
    methods = {f"cleanlab filter {f}": cleanlab_filter(f) for f in CLEANLAB_FILTERS}
    methods.update({f"cleanlab rank {r}": cleanlab_rank(r) for r in CLEANLAB_RANKS})
    methods["predicted != given"] = predicted_neq_given
    methods.update(
        {f"pdclean filter {f}": pdclean_filter(f) for f in ("prune_by_noise_rate", "both")}
    )
    methods.update(
        {
            "cand hgb+knn": candidate(("hgb",), True),
            "cand hgb+lr": candidate(("hgb", "lr"), False),
            "cand hgb+lr+knn (w=0.2)": candidate(("hgb", "lr"), True, vote_weight=0.2),
            "cand hgb+lr+knn (w=1/3)": candidate(("hgb", "lr"), True),
            "cand hgb+lr+knn (w=1/3, margin 0.1)": candidate(("hgb", "lr"), True, margin=0.1),
            "cand hgb+lr+knn (w=1/3, margin -0.05)": candidate(("hgb", "lr"), True, margin=-0.05),
            "cand two rounds (default)": two_rounds(),
            "cand two rounds (margin 0.05)": two_rounds(0.05),
        }
    )
    return methods
