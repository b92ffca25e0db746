"""Workflow 6: one number for the label quality of a whole dataset.

``df.clean.health`` is the estimated fraction of correct labels (the trace of the estimated
joint distribution of given and true labels). It can be compared across datasets, or across
versions of one dataset as you clean it. ``df.clean.class_health`` breaks it down by class.
Because the tutorial data are synthetic we know the true labels and can check the estimate.

Expected on the tutorial data: health 0.72 (about 28%, 71 of the 250 labels, have potential
issues), against 20% true label errors.

Run: ``python examples/06_health_score.py [--plot class_quality.png]``
"""

from __future__ import annotations

import argparse

from sklearn.linear_model import LogisticRegression

import pdclean

FEATURES = ["x1", "x2"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save label quality per class to PNG")
    args = parser.parse_args(argv)

    train, _ = pdclean.datasets.load_tutorial()
    model = LogisticRegression(random_state=0)
    pred_probs = train.clean.pred_probs("label", features=FEATURES, model=model, random_state=0)

    health = train.clean.health("label", pred_probs=pred_probs)
    n = len(train)
    print(f"health: {health:.4f}")
    print(f"label health score (2 decimals): {health:.2f}")
    print(f"labels that may be wrong: about {1 - health:.0%}, {round((1 - health) * n)} of {n}")
    print()
    print(train.clean.class_health("label", pred_probs=pred_probs).round(4).to_string())
    print()

    # How good is the estimate? We know the true labels of this synthetic data.
    error_rate = (train["label"] != train["true_label"]).mean()
    print(f"estimated share of label issues: {1 - health:.0%}")
    print(f"true share of label errors: {error_rate:.0%}")
    print(
        f"difference: {(1 - error_rate) - health:.0%} (rows between overlapping classes, "
        "which no labeller could get right, count as issues)"
    )

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        from pdclean.plot import plot_class_quality

        ax = plot_class_quality(train.clean.class_health("label", pred_probs=pred_probs))
        ax.figure.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
