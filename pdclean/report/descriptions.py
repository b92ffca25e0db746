"""What each check means, in a reader's words (titles, one-line meanings, card details)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pdclean.report.numbers import format_number

__all__ = ["MEANINGS", "TITLES", "detail", "meaning", "title"]

TITLES = {
    "null": "Missing values",
    "label": "Label issues",
    "outlier": "Outliers",
    "near_duplicate": "Near duplicates",
    "non_iid": "Non-IID order",
    "class_imbalance": "Class imbalance",
    "underperforming_group": "Underperforming group",
    "exact_duplicate": "Exact duplicates",
    "conflicting_labels": "Conflicting labels",
}

MEANINGS = {
    "null": "Rows with missing feature values; a row is flagged when every value is missing.",
    "label": "Rows whose given label is likely wrong: out-of-sample predictions confidently "
    "disagree with it (confident learning).",
    "outlier": "Rows unlike the rest: far from their nearest neighbours, or with unusually "
    "uncertain predictions.",
    "near_duplicate": "Rows much closer to another row than rows usually are: exact or near "
    "copies that can leak between train and test.",
    "non_iid": "Whether rows close in feature space are also close in row order (drift, "
    "shift, autocorrelation): a permutation test over the whole table.",
    "class_imbalance": "Whether the rarest class is much rarer than an even share of the rows.",
    "underperforming_group": "A cluster of similar rows on which the model is much less "
    "confident in the given label than elsewhere.",
    "exact_duplicate": "Rows whose feature values are all identical to another row's.",
    "conflicting_labels": "Rows with identical feature values but different labels.",
}


def title(issue_type: str) -> str:
    """A heading for a check.

    Examples
    --------
    >>> title("label"), title("my_check")
    ('Label issues', 'My check')
    """
    return TITLES.get(issue_type, issue_type.replace("_", " ").capitalize())


def meaning(issue_type: str) -> str:
    """One sentence on what a check looks for (empty for a check this module does not know).

    Examples
    --------
    >>> meaning("exact_duplicate")
    "Rows whose feature values are all identical to another row's."
    """
    return MEANINGS.get(issue_type, "")


def non_iid_detail(info: dict[str, Any], class_names: Sequence[str]) -> str:
    """The permutation test's p-value."""
    value = info.get("p-value")
    return "" if value is None else f"p-value {format_number(float(value))}"


def class_imbalance_detail(info: dict[str, Any], class_names: Sequence[str]) -> str:
    """The rarest class, by name when known."""
    code = info.get("rarest_class")
    if code is None:
        return ""
    name = class_names[int(code)] if 0 <= int(code) < len(class_names) else code
    return f"rarest class: {name}"


DETAILS: dict[str, Callable[[dict[str, Any], Sequence[str]], str]] = {
    "non_iid": non_iid_detail,
    "class_imbalance": class_imbalance_detail,
}


def detail(issue_type: str, info: dict[str, Any], class_names: Sequence[str]) -> str:
    """A short extra fact for a check's card, from its info (empty when none applies).

    Examples
    --------
    >>> detail("non_iid", {"p-value": 5.6e-08}, [])
    'p-value < 0.001'
    >>> detail("class_imbalance", {"rarest_class": 1}, ["a", "b"]), detail("label", {}, [])
    ('rarest class: b', '')
    """
    make = DETAILS.get(issue_type)
    return "" if make is None else make(info, class_names)
