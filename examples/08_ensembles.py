"""Workflow 8: label quality scores from an ensemble of models.

Give ``df.clean.label_quality`` a list of pred_probs, one per model, and it scores each row
with every model and combines the scores, weighting each model by its accuracy on the given
labels. The alternative is one ensemble predictor: average the pred_probs first, then score.
Both are often better than a single model's scores (not on this small data set, where the
logistic regression alone ranks the known errors best; the AUROCs at the end show it).

Expected on the tutorial data: ensemble scores of rows 0-4 0.884763, 0.907180, 0.004996,
0.951805, 0.968589.

Run: ``python examples/08_ensembles.py [--plot ensemble_top20.png]``
"""

from __future__ import annotations

import argparse

import pandas as pd
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import cross_val_predict

import pdclean

FEATURES = ["x1", "x2"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save the 20 lowest-scored rows to PNG")
    args = parser.parse_args(argv)

    train, _ = pdclean.datasets.load_tutorial()
    models = {
        "logistic regression": LogisticRegression(random_state=0),
        "random forest": RandomForestClassifier(max_depth=5, random_state=0),
        "gradient boosting": GradientBoostingClassifier(
            n_estimators=100, learning_rate=1.0, max_depth=3, random_state=0
        ),
    }
    # 3-fold out-of-sample pred_probs of each model; columns named by class.
    classes = train["label"].cat.categories
    codes = train["label"].cat.codes
    pred_probs_list = [
        pd.DataFrame(
            cross_val_predict(model, train[FEATURES], codes, cv=3, method="predict_proba"),
            index=train.index,
            columns=classes,
        )
        for model in models.values()
    ]

    # Scores of each model, combined (weighted by each model's accuracy) ...
    ensemble = train.clean.label_quality("label", pred_probs=pred_probs_list)
    # ... or the scores of one predictor that averages the models' pred_probs.
    averaged = train.clean.label_quality("label", pred_probs=sum(pred_probs_list) / 3)

    scores = pd.DataFrame({"ensemble": ensemble, "averaged_predictor": averaged})
    print(scores.head().round(6).to_string())
    print()
    print(f"ensemble scores rows 0-4: {ensemble.head().round(6).tolist()}")
    print(f"averaged predictor scores rows 0-4: {averaged.head().round(6).tolist()}")

    # How well does each score rank the (here known) label errors? AUROC, higher is better.
    is_error = train["label"] != train["true_label"]
    single = train.clean.label_quality("label", pred_probs=pred_probs_list[0])
    for name, score in [
        ("ensemble", ensemble),
        ("averaged predictor", averaged),
        ("logistic regression alone", single),
    ]:
        print(f"AUROC of {name}: {roc_auc_score(is_error, -score):.4f}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        from pdclean.plot import plot_label_issues

        lowest = ensemble.sort_values(kind="stable").index[:20]
        title = "The 20 lowest ensemble label quality rows"
        ax = plot_label_issues(train, "x1", "x2", "label", lowest, title=title)
        ax.figure.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
