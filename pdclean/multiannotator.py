"""Several annotators per example: CROWDLAB consensus and quality, ActiveLab, cleanlab's API.

The functions, keywords, defaults and frames of ``cleanlab.multiannotator`` 2.9, with equal
results (SPEC-multi part A). Labels: an (n, m) array or DataFrame of class codes 0..K-1, one
column per annotator, NaN or ``pd.NA`` where missing. The algorithms are in
:mod:`pdclean.core.crowd`; this module converts inputs, calls it and wraps the results.

Differences from cleanlab, all deliberate:

* notices (lost classes, annotators without overlap) go to the ``"pdclean"`` logger, enabled by
  ``verbose``, instead of stdout;
* ``random_state`` (keyword-only, new) controls the random tie-break of the majority vote;
  None uses numpy's global RandomState, as cleanlab does;
* the ensemble functions never modify the caller's pred_probs (cleanlab rescales them in place
  when calibrating);
* bad input raises :class:`pdclean.errors.InputError` (a ValueError) or
  :class:`~pdclean.errors.InputTypeError` (a TypeError) with pdclean's messages.

Quirks of cleanlab kept for parity (see :mod:`pdclean.core.crowd`): the "packed" vote
distribution in the temperature search and the ``"agreement"`` posterior, the temperature grid
that never returns 8, ``model_weight``/``annotator_weight`` of the *last* consensus method,
annotator quality without ``label_quality_score_kwargs`` when detailed quality is off, and the
ensemble function accepting only an empty ``label_quality_score_kwargs``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pdclean.core import crowd
from pdclean.errors import InputError, InputTypeError

__all__ = [
    "convert_long_to_wide_dataset",
    "get_active_learning_scores",
    "get_active_learning_scores_ensemble",
    "get_label_quality_multiannotator",
    "get_label_quality_multiannotator_ensemble",
    "get_majority_vote_label",
]

logger = logging.getLogger("pdclean")

ConsensusMethod = crowd.ConsensusMethod
QualityMethod = crowd.QualityMethod


def as_label_matrix(labels_multiannotator) -> tuple[np.ndarray, pd.Index | None, pd.Index | None]:
    """(matrix, annotator ids, row index); positions (RangeIndex) for an ndarray."""
    if isinstance(labels_multiannotator, pd.DataFrame):
        frame = labels_multiannotator
        text = [not pd.api.types.is_numeric_dtype(dtype) for dtype in frame.dtypes]
        if any(text):  # strings: pdclean's message, not pandas' float-cast error
            crowd.encode_annotations(frame.loc[:, text].to_numpy(dtype=object))
        matrix = frame.to_numpy(dtype=np.float64, na_value=np.nan)
        return matrix, frame.columns, frame.index
    if isinstance(labels_multiannotator, np.ndarray):
        if labels_multiannotator.ndim != 2:  # the engine says what is wrong
            return labels_multiannotator, None, None
        n, m = labels_multiannotator.shape
        return labels_multiannotator, pd.RangeIndex(m), pd.RangeIndex(n)
    raise InputTypeError(
        "labels_multiannotator must be a numpy ndarray or a pandas DataFrame (one column per "
        f"annotator); got {type(labels_multiannotator).__name__}. Convert it with np.asarray "
        "or pd.DataFrame."
    )


def checked_annotations(converted: tuple, pred_probs, **options) -> tuple:
    """(annotations, pred_probs, ids, index) of a converted input (SPEC-multi A.2)."""
    matrix, ids, index = converted
    ann, probs = crowd.validated_annotations(matrix, pred_probs, annotator_ids=ids, **options)
    return ann, probs, ids, index


def log_notices(ann, consensus, method: str, verbose: bool, isolated=None, ids=None) -> None:
    """cleanlab's printed notices, as log records (only when ``verbose``)."""
    if not verbose:
        return
    if isolated is not None and len(isolated):
        names = [ids[j] for j in isolated]
        logger.info(
            "Annotator(s) %s did not annotate any examples that overlap with other annotators; "
            "using the average annotator agreement for them.",
            names,
        )
    lost = crowd.lost_classes(ann, consensus)
    if lost:
        logger.warning(
            "Number of unique classes has been reduced from the original data when establishing "
            "consensus labels using consensus method '%s', likely due to some classes being "
            "rarely annotated. Classes in the original data but not in consensus labels: %s",
            method,
            lost,
        )


def quality_frame(ann, stats, methods, index) -> pd.DataFrame:
    """The ``label_quality`` frame (A.7.1)."""
    columns: dict[str, np.ndarray] = {}
    for position, (method, result) in enumerate(zip(methods, stats)):
        suffix = "" if position == 0 else f"_{method}"
        columns["consensus_label" + suffix] = result.consensus.astype(np.int64)
        columns["consensus_quality_score" + suffix] = result.quality.astype(np.float64)
        columns["annotator_agreement" + suffix] = result.agreement
        if position == 0:
            columns["num_annotations"] = ann.num_annotations
    if not methods:
        columns["num_annotations"] = ann.num_annotations
    return pd.DataFrame(columns, index=index)


def result_dict(ann, stats, methods, ids, index, *, detailed, annotators, score_kwargs) -> dict:
    """The returned dict (A.7 step 9) without the weights."""
    out = {"label_quality": quality_frame(ann, stats, methods, index)}
    matrix, table = crowd.summarise(
        ann, stats[0], detailed=detailed, annotators=annotators, score_kwargs=score_kwargs
    )
    if matrix is not None:
        columns = [f"quality_annotator_{name}" for name in ids]
        out["detailed_label_quality"] = pd.DataFrame(
            matrix, index=index, columns=columns, copy=False
        )
    if table is not None:
        order = table.pop("annotator")
        out["annotator_stats"] = pd.DataFrame(table, index=ids[order])
    return out


def get_label_quality_multiannotator(
    labels_multiannotator,
    pred_probs,
    *,
    consensus_method: ConsensusMethod | Sequence[ConsensusMethod] = "best_quality",
    quality_method: QualityMethod = "crowdlab",
    calibrate_probs: bool = False,
    return_detailed_quality: bool = True,
    return_annotator_stats: bool = True,
    return_weights: bool = False,
    verbose: bool = True,
    label_quality_score_kwargs: dict | None = None,
    random_state=None,
) -> dict:
    """Consensus labels, their quality, and annotator quality (CROWDLAB).

    Parameters
    ----------
    labels_multiannotator : ndarray or DataFrame, shape (n, m)
        Class codes 0..K-1, one column per annotator, NaN where not labelled. Every row needs a
        label and every annotator at least one.
    pred_probs : ndarray, shape (n, K)
        Out-of-sample model probabilities (e.g. from a model trained on majority votes).
    consensus_method : {"best_quality", "majority_vote"} or a list of them
        The first is the main method; later ones add suffixed columns.
    quality_method : {"crowdlab", "agreement"}
    calibrate_probs : bool
        Temperature-scale pred_probs towards the annotators' labels first.
    return_detailed_quality, return_annotator_stats, return_weights : bool
        Which entries to return (the weights are those of the last consensus method).
    verbose : bool
        Log cleanlab's notices to the ``"pdclean"`` logger.
    label_quality_score_kwargs : dict, optional
        ``method`` and ``adjust_pred_probs`` of :func:`pdclean.rank.get_label_quality_scores`.
    random_state : None, int or numpy.random.RandomState
        Last-resort tie-break of the majority vote (None: numpy's global RandomState).

    Returns
    -------
    dict
        ``label_quality`` (consensus_label, consensus_quality_score, annotator_agreement,
        num_annotations), ``detailed_label_quality`` (quality_annotator_<id>),
        ``annotator_stats`` (annotator_quality, agreement_with_consensus, worst_class,
        num_examples_labeled; worst annotators first), ``model_weight``, ``annotator_weight``.

    Examples
    --------
    >>> L = np.array([[0, 0, np.nan], [1, 0, 1], [1, 1, 1], [0, np.nan, 0]])
    >>> P = np.array([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8], [0.6, 0.4]])
    >>> result = get_label_quality_multiannotator(L, P)
    >>> result["label_quality"]["consensus_label"].tolist()
    [0, 1, 1, 0]
    >>> result["annotator_stats"].index.tolist()  # worst annotator first
    [1, 2, 0]
    """
    converted = as_label_matrix(labels_multiannotator)
    crowd.check_option("quality_method", quality_method, crowd.QUALITY_METHODS)
    if return_weights and quality_method != "crowdlab":
        raise InputError(
            "return_weights=True needs quality_method='crowdlab' (the agreement method has no "
            f"model or annotator weights); got quality_method={quality_method!r}."
        )
    ann, probs, ids, index = checked_annotations(converted, crowd.require(pred_probs))
    methods = [consensus_method] if isinstance(consensus_method, str) else list(consensus_method)
    for method in methods:
        crowd.check_option("consensus_method", method, crowd.CONSENSUS_METHODS)
    kwargs = crowd.score_keywords(label_quality_score_kwargs)
    if calibrate_probs:
        probs = crowd.calibrate(ann, probs)[0]
    stats, isolated = crowd.multi_consensus(
        ann, probs, methods, quality_method=quality_method, score_kwargs=kwargs,
        random_state=random_state,
    )  # fmt: skip
    for position, (method, result) in enumerate(zip(methods, stats)):
        shown = isolated if position == 0 and quality_method == "crowdlab" else None
        log_notices(ann, result.consensus, method, verbose, shown, ids)
    if not methods:
        if return_detailed_quality or return_annotator_stats or return_weights:
            raise InputError("consensus_method must name at least one method; got [].")
        return {"label_quality": quality_frame(ann, stats, methods, index)}
    out = result_dict(
        ann, stats, methods, ids, index, detailed=return_detailed_quality,
        annotators=return_annotator_stats, score_kwargs=kwargs,
    )  # fmt: skip
    if return_weights:
        out["model_weight"] = np.float64(stats[-1].model_weight)
        out["annotator_weight"] = stats[-1].annotator_weight
    return out


def get_label_quality_multiannotator_ensemble(
    labels_multiannotator,
    pred_probs,
    *,
    calibrate_probs: bool = False,
    return_detailed_quality: bool = True,
    return_annotator_stats: bool = True,
    return_weights: bool = False,
    verbose: bool = True,
    label_quality_score_kwargs: dict | None = None,
    random_state=None,
) -> dict:
    """:func:`get_label_quality_multiannotator` with several models (best_quality, crowdlab).

    ``pred_probs`` has shape (E, n, K), one matrix per model; ``model_weight`` is then an array
    of E weights. ``label_quality_score_kwargs`` must be empty, as in cleanlab (whose ensemble
    function fails on any scoring keyword). The caller's pred_probs are never modified.

    Examples
    --------
    >>> L = np.array([[0, 0, np.nan], [1, 0, 1], [1, 1, 1], [0, np.nan, 0]])
    >>> P = np.array([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8], [0.6, 0.4]])
    >>> result = get_label_quality_multiannotator_ensemble(L, np.stack([P, P[:, ::-1]]))
    >>> result["label_quality"]["consensus_label"].tolist()
    [0, 1, 1, 0]
    """
    converted = as_label_matrix(labels_multiannotator)
    ann, probs, ids, index = checked_annotations(
        converted, crowd.require(pred_probs), ensemble=True
    )
    if label_quality_score_kwargs:
        raise InputTypeError(
            "label_quality_score_kwargs must be empty for the ensemble function (cleanlab "
            f"accepts no scoring keyword there); got {label_quality_score_kwargs!r}."
        )
    if calibrate_probs:
        probs = np.stack([crowd.calibrate(ann, p)[0] for p in probs])
    stats, isolated = crowd.ensemble_consensus(ann, probs, random_state=random_state)
    log_notices(ann, stats.consensus, "crowdlab", verbose, isolated, ids)
    out = result_dict(
        ann, [stats], ["best_quality"], ids, index, detailed=return_detailed_quality,
        annotators=return_annotator_stats, score_kwargs={},
    )  # fmt: skip
    if return_weights:
        out["model_weight"] = stats.model_weight
        out["annotator_weight"] = stats.annotator_weight
    return out


def get_majority_vote_label(
    labels_multiannotator, pred_probs=None, verbose: bool = True, *, random_state=None
) -> np.ndarray:
    """The majority-vote label of each example (int64), with cleanlab's tie rules.

    Ties go to the highest pred_probs, then the rarer class overall, then the class of the more
    reliable annotators, then a random draw (``UserWarning``). With ``verbose`` (the default)
    the matrix is validated as by the other functions; without, only its values are checked.

    Examples
    --------
    >>> get_majority_vote_label(np.array([[0, 0, 1], [1, 2, np.nan], [2, 2, 2]])).tolist()
    [0, 1, 2]
    """
    matrix, ids, _ = as_label_matrix(labels_multiannotator)
    if verbose:
        ann, probs, _, _ = checked_annotations((matrix, ids, None), pred_probs)
    else:
        codes, mask = crowd.encode_annotations(matrix)
        probs = pred_probs
        if probs is not None:
            probs = crowd.check_crowd_pred_probs(probs, len(codes), int(codes.max()))
        num_classes = int(codes.max()) + 1 if probs is None else probs.shape[1]
        ann = crowd.Annotations.build(codes, mask, num_classes)
    vote = crowd.majority_vote(
        ann.codes, ann.mask, ann.num_classes, pred_probs=probs, random_state=random_state
    )
    log_notices(ann, vote, "majority_vote", verbose)
    return vote


def active_annotations(labels_multiannotator, pred_probs, *, ensemble: bool):
    """Validated annotations for the labelled part, or None when pred_probs is None."""
    if pred_probs is None:
        return None, None
    if labels_multiannotator is None:
        raise InputError(
            "labels_multiannotator cannot be None when pred_probs is given: pass the labels to "
            "score the labelled examples, or pass only pred_probs_unlabeled."
        )
    converted = as_label_matrix(labels_multiannotator)
    options = {"ensemble": ensemble, "allow_single_label": None}  # None: single if no row has 2
    ann, probs, _, _ = checked_annotations(converted, pred_probs, **options)
    return ann, probs


def get_active_learning_scores(
    labels_multiannotator=None, pred_probs=None, pred_probs_unlabeled=None, *, random_state=None
) -> tuple[np.ndarray, np.ndarray]:
    """ActiveLab scores of labelled and unlabelled examples (low = label this one next).

    Returns ``(scores, scores_unlabeled)``; an absent part gives an empty array. Rows labelled
    once each (a single annotator is allowed then) use pred_probs as they are; otherwise
    pred_probs are temperature-scaled and weighted by CROWDLAB.

    Examples
    --------
    >>> L = np.array([[0, 0, np.nan], [1, 0, 1], [1, 1, 1], [0, np.nan, 0]])
    >>> P = np.array([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8], [0.6, 0.4]])
    >>> scores, unlabeled = get_active_learning_scores(L, P, P[:2])
    >>> scores.shape, unlabeled.shape
    ((4,), (2,))
    """
    crowd.check_active_inputs(pred_probs, pred_probs_unlabeled, 2)
    ann, probs = active_annotations(labels_multiannotator, pred_probs, ensemble=False)
    unlabeled = None
    if pred_probs_unlabeled is not None:
        unlabeled = np.asarray(pred_probs_unlabeled, dtype=np.float64)
    return crowd.active_learning_scores(ann, probs, unlabeled, random_state=random_state)


def get_active_learning_scores_ensemble(
    labels_multiannotator=None, pred_probs=None, pred_probs_unlabeled=None, *, random_state=None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`get_active_learning_scores` with (E, n, K) stacks of pred_probs, one per model.

    The unlabelled score is the mixture's probability of the models' majority-vote class, so
    ``pred_probs_unlabeled`` needs at least two models (and, with labelled data, the same
    models as ``pred_probs``). The caller's arrays are never modified.

    Examples
    --------
    >>> L = np.array([[0, 0, np.nan], [1, 0, 1], [1, 1, 1], [0, np.nan, 0]])
    >>> P = np.array([[0.9, 0.1], [0.3, 0.7], [0.2, 0.8], [0.6, 0.4]])
    >>> scores, unlabeled = get_active_learning_scores_ensemble(L, np.stack([P, P]))
    >>> scores.shape, unlabeled.shape
    ((4,), (0,))
    """
    crowd.check_active_inputs(pred_probs, pred_probs_unlabeled, 3)
    ann, probs = active_annotations(labels_multiannotator, pred_probs, ensemble=True)
    unlabeled = None
    if pred_probs_unlabeled is not None:
        unlabeled = np.asarray(pred_probs_unlabeled, dtype=np.float64)
        if probs is not None and len(unlabeled) != len(probs):
            raise InputError(
                f"pred_probs_unlabeled has {len(unlabeled)} models but pred_probs has "
                f"{len(probs)}; pass the same models' probabilities for both."
            )
    return crowd.active_learning_scores_ensemble(ann, probs, unlabeled, random_state=random_state)


def convert_long_to_wide_dataset(labels_multiannotator_long: pd.DataFrame) -> pd.DataFrame:
    """Pivot (task, annotator, label) rows to one row per task and one column per annotator.

    Tasks and annotators come out sorted; a missing (task, annotator) pair is NaN. A repeated
    pair raises pandas' ``ValueError``, a missing column its ``KeyError``.

    Examples
    --------
    >>> long = pd.DataFrame({"task": [1, 1, 2], "annotator": ["a", "b", "a"], "label": [0, 1, 1]})
    >>> convert_long_to_wide_dataset(long).to_numpy().tolist()
    [[0.0, 1.0], [1.0, nan]]
    """
    wide = labels_multiannotator_long.pivot(index="task", columns="annotator", values="label")
    wide.index.name = None
    wide.columns.name = None
    return wide
