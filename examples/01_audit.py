"""Workflow 1: audit a table for every kind of data issue in one call.

The tutorial's first workflow: get out-of-sample predicted probabilities by 3-fold
cross-validation of a logistic regression, then audit the training table (label issues,
outliers, near duplicates, non-iid order, class imbalance, ...) with ``df.clean.audit``.

Expected on the tutorial data: label 64, outlier 7, near_duplicate 6, non_iid 1 (78 in all).

Run: ``python examples/01_audit.py [--plot audit.png]``
"""

from __future__ import annotations

import argparse

import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_predict

import pdclean

FEATURES = ["x1", "x2"]


def tutorial_pred_probs(train: pd.DataFrame) -> pd.DataFrame:
    """3-fold out-of-sample pred_probs, one column per class (as the tutorial computes them)."""
    model = LogisticRegression(random_state=0)
    codes = train["label"].cat.codes  # class order = the categories' order
    probs = cross_val_predict(model, train[FEATURES], codes, cv=3, method="predict_proba")
    return pd.DataFrame(probs, index=train.index, columns=train["label"].cat.categories)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save the audit summary chart to PNG")
    args = parser.parse_args(argv)

    train, _ = pdclean.datasets.load_tutorial()
    pred_probs = tutorial_pred_probs(train)

    audit = train.clean.audit("label", pred_probs=pred_probs, features=FEATURES)
    print(audit.report())

    print("Key numbers")
    for row in audit.summary.itertuples():
        print(f"{row.issue_type} issues: {row.num_issues} (score {row.score:.4f})")
    print(f"total issues: {audit.summary['num_issues'].sum()}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        from pdclean.plot import plot_audit_summary

        ax = plot_audit_summary(audit)
        ax.figure.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
