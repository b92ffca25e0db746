"""Workflow 3: find the label issues of a table in one line.

``df.clean.find_label_issues`` cross-validates your model (5 folds) on the feature columns,
and returns one row per row of ``df``: ``is_label_issue``, ``label_quality`` (low =
suspicious), ``given_label`` and ``predicted_label``. ``CleanLearning.find_label_issues``
does the same for arrays; the issues it returns can be passed to ``CleanLearning.fit`` to
skip finding them again.

Expected on the tutorial data: 54 label issues; the 20 lowest-quality rows start 99, 8, 16.

Run: ``python examples/03_find_label_issues.py [--plot lowest20.png]``
"""

from __future__ import annotations

import argparse

from sklearn.linear_model import LogisticRegression

import pdclean

FEATURES = ["x1", "x2"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save the 20 lowest-quality rows to PNG")
    args = parser.parse_args(argv)

    train, _ = pdclean.datasets.load_tutorial()
    model = LogisticRegression(random_state=0)

    # One line.
    issues = train.clean.find_label_issues("label", features=FEATURES, model=model, random_state=0)

    print(issues.head())
    print()
    print(f"label issues: {issues['is_label_issue'].sum()}")
    lowest = issues["label_quality"].sort_values(kind="stable").index[:20]
    print(f"20 lowest label quality rows: {lowest.tolist()}")

    # The array interface gives the same rows; its result can be reused by fit().
    cl = pdclean.CleanLearning(model, random_state=0)
    same = cl.find_label_issues(train[FEATURES], train["label"])
    print(f"same rows as CleanLearning.find_label_issues: {same.equals(issues)}")
    cl.fit(train[FEATURES], train["label"], label_issues=same)
    print(f"rows CleanLearning trained on: {len(train) - same['is_label_issue'].sum()}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        from pdclean.plot import plot_label_issues

        title = "The 20 lowest label quality rows"
        ax = plot_label_issues(train, "x1", "x2", "label", lowest, title=title)
        ax.figure.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
