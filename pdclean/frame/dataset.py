"""The DataFrame face, class-level results: label health, class health, overlaps, noise.

Each function resolves the table and gets out-of-sample pred_probs like the per-row functions
of :mod:`pdclean.frame.issues` (which re-exports these), then labels the result by class name.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np  # noqa: F401 (the doctests use np)
import pandas as pd

from pdclean import dataset
from pdclean.core import count
from pdclean.frame.resolve import ResolvedInput
from pdclean.frame.signature import takes_table

__all__ = [
    "NoiseEstimates",
    "class_health",
    "health",
    "noise_estimates",
    "overlapping_classes",
]


@takes_table()
def health(
    r: ResolvedInput,
) -> float:
    """Overall label health score in [0, 1]: the estimated fraction of correct labels.

    The trace of the estimated joint distribution of given and true labels (from the
    calibrated confident joint), as in the reference's tutorial
    (``overall_label_health_score(labels, confident_joint=...)``).

    Parameters
    ----------
    df, label, pred_probs, features, model, cv, random_state, progress
        As in :func:`find_label_issues`.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [0, 0, 0, 1, 1, 1]})
    >>> P = np.array([[.9, .1], [.8, .2], [.3, .7], [.2, .8], [.1, .9], [.7, .3]])
    >>> round(health(df, "y", pred_probs=P), 4)
    0.6667
    """
    y, probs = r.labelled_codes, r.labelled_pred_probs
    confident_joint = count.compute_confident_joint(y, probs)
    return float(dataset.overall_label_health_score(y, confident_joint=confident_joint))


@takes_table()
def class_health(
    r: ResolvedInput,
) -> pd.DataFrame:
    """Label quality per class, worst class first.

    Parameters
    ----------
    df, label, pred_probs, features, model, cv, random_state, progress
        As in :func:`find_label_issues`.

    Returns
    -------
    DataFrame indexed by class name, columns ``label_issues`` (estimated number of rows
    given this class that truly belong to another), ``inverse_label_issues``,
    ``label_noise``, ``inverse_label_noise``, ``label_quality`` (= 1 - label_noise); sorted
    by ``label_quality`` ascending.

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "a", "b", "b", "b"]})
    >>> P = np.array([[.9, .1], [.8, .2], [.3, .7], [.2, .8], [.1, .9], [.6, .4]])
    >>> class_health(df, "y", pred_probs=P)["label_issues"].to_dict()
    {'a': 1, 'b': 0}
    """
    y, probs = r.labelled_codes, r.labelled_pred_probs
    table = dataset.rank_classes_by_label_quality(y, probs)
    index = r.class_names.take(table["class_index"].to_numpy()).rename(r.label)
    columns = ["label_issues", "inverse_label_issues", "label_noise", "inverse_label_noise"]
    out = table[[*columns, "label_quality"]].set_axis(index, axis=0)
    return out


@takes_table()
def overlapping_classes(
    r: ResolvedInput,
    *,
    asymmetric: bool = False,
) -> pd.DataFrame:
    """Pairs of classes that the labels confuse, most overlapping first.

    Parameters
    ----------
    df, label, pred_probs, features, model, cv, random_state, progress
        As in :func:`find_label_issues`.
    asymmetric : bool, default False
        One row per ordered pair (given ``class_a``, truly ``class_b``) instead of per pair.

    Returns
    -------
    DataFrame with columns ``class_a``, ``class_b`` (in the label column's dtype),
    ``num_overlapping`` (estimated number of rows) and ``joint_probability``.

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "a", "b", "b", "b"]})
    >>> P = np.array([[.9, .1], [.8, .2], [.3, .7], [.2, .8], [.1, .9], [.6, .4]])
    >>> overlapping_classes(df, "y", pred_probs=P).round(4).to_numpy().tolist()
    [['a', 'b', 1, 0.1667]]
    """
    y, probs = r.labelled_codes, r.labelled_pred_probs
    table = dataset.find_overlapping_classes(y, probs, asymmetric=asymmetric)
    return pd.DataFrame(
        {
            "class_a": r.class_values(table["class_index_a"].to_numpy()),
            "class_b": r.class_values(table["class_index_b"].to_numpy()),
            "num_overlapping": table["num_overlapping"].to_numpy(),
            "joint_probability": table["joint_probability"].to_numpy(),
        }
    )


@dataclass(frozen=True)
class NoiseEstimates:
    """Estimated label noise of a table, every matrix labelled by class name.

    Attributes
    ----------
    py : Series
        Prior of the true labels, p(true label = k).
    noise_matrix : DataFrame
        p(given label = row | true label = column); columns sum to 1.
    inverse_noise_matrix : DataFrame
        p(true label = row | given label = column); columns sum to 1.
    confident_joint : DataFrame
        Calibrated counts of rows given the row class whose true class is the column class.
    joint : DataFrame
        The confident joint divided by the number of rows (rows: given, columns: true).
    """

    py: pd.Series
    noise_matrix: pd.DataFrame
    inverse_noise_matrix: pd.DataFrame
    confident_joint: pd.DataFrame
    joint: pd.DataFrame

    def __repr__(self) -> str:
        parts = [f"{name}:\n{getattr(self, name).round(4)!r}" for name in self.__annotations__]
        return "NoiseEstimates\n\n" + "\n\n".join(parts)


@takes_table()
def noise_estimates(
    r: ResolvedInput,
) -> NoiseEstimates:
    """Class prior, noise matrices, confident joint and joint of the labels.

    Parameters
    ----------
    df, label, pred_probs, features, model, cv, random_state, progress
        As in :func:`find_label_issues`.

    Returns
    -------
    NoiseEstimates

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "a", "b", "b", "b"]})
    >>> P = np.array([[.9, .1], [.8, .2], [.3, .7], [.2, .8], [.1, .9], [.6, .4]])
    >>> noise_estimates(df, "y", pred_probs=P).confident_joint.to_numpy().tolist()
    [[2, 1], [0, 3]]
    """
    y, probs = r.labelled_codes, r.labelled_pred_probs
    py, nm, inv, cj = count.estimate_py_and_noise_matrices_from_probabilities(
        y, probs, converge_latent_estimates=False
    )
    joint = count.estimate_joint(y, probs, confident_joint=cj)
    given = r.class_names.rename(f"given_{r.label}")
    true = r.class_names.rename(f"true_{r.label}")
    return NoiseEstimates(
        py=pd.Series(py, index=true, name="py"),
        noise_matrix=pd.DataFrame(nm, index=given, columns=true),
        inverse_noise_matrix=pd.DataFrame(inv, index=true, columns=given),
        confident_joint=pd.DataFrame(cj, index=given, columns=true),
        joint=pd.DataFrame(joint, index=given, columns=true),
    )
