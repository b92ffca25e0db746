"""The text report of an audit: issue types by count, then the most severe rows of each.

It reads a finished audit (its ``summary``, ``get()``, ``run`` and ``class_names``) and formats
it; it computes nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["DESCRIPTIONS", "text_report"]

WIDTH = 60
DESCRIPTIONS = {
    "null": "Rows with missing feature values; a row is flagged when every value is missing.",
    "label": "Rows whose given label is likely wrong, estimated by confident learning from\n"
    "    out-of-sample predicted probabilities.",
    "outlier": "Rows unlike the rest of the data: far from their nearest neighbours, or with\n"
    "    unusually uncertain predictions.",
    "near_duplicate": "Rows much closer to another row than rows usually are (exact or near\n"
    "    copies), relative to the typical nearest-neighbour distance.",
    "non_iid": "Whether rows that are close in feature space are also close in row order\n"
    "    (drift, shift, autocorrelation): a permutation test on neighbour index distances.",
    "class_imbalance": "The rarest class is much rarer than an even share of the rows.",
    "underperforming_group": "A cluster of similar rows on which the model's confidence in\n"
    "    the given label is much lower than on the rest of the data.",
    "exact_duplicate": "Rows whose feature values are all identical to another row's.",
    "conflicting_labels": "Rows with identical feature values but different labels.",
}


def text_report(audit: Any, top: int = 5) -> str:
    """Text report: issue types by count, then the ``top`` most severe rows of each."""
    summary = audit.summary
    listed = summary[summary["num_issues"] > 0].sort_values(
        "num_issues", ascending=False, kind="stable"
    )
    if listed.empty:
        return "No issues found in the data. Good job!\n" + _footer(audit)
    parts = [
        "Here is a summary of the different kinds of issues found in the data:\n",
        listed[["issue_type", "num_issues"]].to_string(index=False),
        "",
        _dataset_line(audit),
        "",
    ]
    for name in listed["issue_type"]:
        parts.append(_section(audit, name, top))
    return "\n".join(parts) + _footer(audit)


def _dataset_line(audit: Any) -> str:
    line = f"Dataset Information: num_examples: {audit.run.n}"
    if audit.class_names is not None:
        line += f", num_classes: {len(audit.class_names)}"
    return line


def _section(audit: Any, name: str, top: int) -> str:
    r = audit.run.results[name]
    frame = audit.get(name)
    order = np.argsort(r.score, kind="stable")[:top]
    if r.rows is not None:  # a label check that ran on the labelled rows only
        order = r.rows[order]
    lines = [
        f" {name} issues ".center(WIDTH, "-"),
        "",
        "About this issue:",
        f"    {DESCRIPTIONS.get(name, '')}",
        "",
        f"Number of examples with this issue: {r.num_issues}",
        f"Overall dataset quality in terms of this issue: {r.summary_score:.4f}",
        "",
        "Examples representing most severe instances of this issue:",
        frame.iloc[order].to_string(),
    ]
    if name == "non_iid":
        lines += ["", "Additional Information:", f"p-value: {r.summary_score}"]
    if name == "class_imbalance":
        lines += ["", "Additional Information:", f"Rarest Class: {_rarest(audit, r)}"]
    return "\n".join(lines) + "\n"


def _rarest(audit: Any, r: Any) -> Any:
    code = r.details["rarest_class"]
    return code if audit.class_names is None else audit.class_names[code]


def _footer(audit: Any) -> str:
    notes = [f"Skipped {n}: {why}" for n, why in audit.run.skipped.items()]
    return ("\n" + "\n".join(notes) + "\n") if notes else ""
