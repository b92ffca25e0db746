"""Workflow 7: the numpy-level modules, count / filter / rank.

Under the accessor sit numpy functions with cleanlab's names and keywords. They take two
things: integer labels 0..K-1 and an (n, K) array of out-of-sample predicted probabilities.

* 7.1 ``pdclean.count``: the confident joint, the prior of the true labels, the noise matrix
  p(given | true) and the joint p(given, true); CleanLearning with a known noise matrix.
* 7.2 ``pdclean.filter.find_label_issues``: the flagged rows, ranked, in one call; and how
  well each ``filter_by`` method finds the (here known) label errors.
* 7.3 ``pdclean.rank``: a quality score per row; ``count.num_label_issues`` says where to cut.

Expected on the tutorial data: joint trace 0.72, noise matrix trace 2.86; filter: 60 ranked
rows starting 99, 8, 64, 45; rank: 61 estimated issues (100 from the calibrated joint), the
ranking starting 99, 8, 64, 107.

Run: ``python examples/07_count_filter_rank.py [--plot rank_top20.png]``
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import cross_val_predict

import pdclean
from pdclean import count, filter, rank

FEATURES = ["x1", "x2"]
#: The filter_by methods the tutorial compares.
FILTER_METHODS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]


def show_matrix(name: str, matrix: np.ndarray, classes: pd.Index) -> None:
    """Print a K x K matrix (rows: given label, columns: true label) and its trace."""
    frame = pd.DataFrame(matrix, index=classes.rename("given"), columns=classes.rename("true"))
    print(f"{name}:\n{frame.round(2).to_string()}")
    print(f"{name} (2 decimals): {np.round(matrix, 2).tolist()}")
    print(f"{name} trace: {np.trace(matrix):.2f}\n")


def workflow_7_1(train: pd.DataFrame, test: pd.DataFrame, labels: np.ndarray) -> None:
    print("== 7.1 count ==")
    model = LogisticRegression(random_state=0)
    # 5-fold out-of-sample pred_probs (columns in class order), as a plain array.
    pred_probs = train.clean.pred_probs(
        "label", features=FEATURES, model=model, random_state=0, progress=False
    ).to_numpy()
    print(f"pred_probs shape: {pred_probs.shape}")

    # (py, noise matrix, inverse noise matrix, confident joint); rows of C: given labels.
    py, noise_matrix, _, confident_joint = count.estimate_py_and_noise_matrices_from_probabilities(
        labels, pred_probs
    )
    joint = count.estimate_joint(labels, pred_probs, confident_joint=confident_joint)
    classes = train["label"].cat.categories
    print(f"confident joint: {confident_joint.tolist()}")
    print(f"py (prior of true labels): {np.round(py, 3).tolist()}\n")
    show_matrix("joint", joint, classes)
    show_matrix("noise matrix", noise_matrix, classes)

    # If the noise matrix is known (here: the one that generated the data), pass it in.
    true_noise = pdclean.noise.generate_noise_matrix_from_trace(
        4, 3.2, py=[0.4, 0.2, 0.2, 0.2], valid_noise_matrix=True, random_state=0
    )
    cl = pdclean.CleanLearning(model, random_state=0)
    cl.fit(train[FEATURES], train["label"], noise_matrix=true_noise)
    acc = cl.score(test[FEATURES], test["true_label"])
    print(
        f"CleanLearning with the true noise matrix, label issues: "
        f"{cl.label_issues_['is_label_issue'].sum()}"
    )
    print(f"CleanLearning with the true noise matrix, test accuracy: {acc:.3f}\n")


def workflow_7_2(labels: np.ndarray, pred_probs: np.ndarray, true_errors: np.ndarray) -> None:
    print("== 7.2 filter ==")
    ranked = filter.find_label_issues(
        labels,
        pred_probs,
        filter_by="both",
        return_indices_ranked_by="self_confidence",
        rank_by_kwargs={"adjust_pred_probs": True},
    )
    print(f"filter ranked label issues: {len(ranked)}")
    print(f"filter ranked indices: {ranked.tolist()}\n")

    rows = []
    for method in FILTER_METHODS:
        flagged = filter.find_label_issues(labels, pred_probs, filter_by=method)
        rows.append(
            {
                "filter_by": method,
                "precision": precision_score(true_errors, flagged),
                "recall": recall_score(true_errors, flagged),
                "f1": f1_score(true_errors, flagged),
                "accuracy": accuracy_score(true_errors, flagged),
            }
        )
    table = pd.DataFrame(rows).sort_values("f1", ascending=False, kind="stable")
    print(table.round(6).to_string(index=False))
    print()


def workflow_7_3(labels: np.ndarray, pred_probs: np.ndarray) -> np.ndarray:
    print("== 7.3 rank ==")
    n_issues = count.num_label_issues(labels, pred_probs)
    n_calibrated = count.num_label_issues(
        labels, pred_probs, estimation_method="off_diagonal_calibrated"
    )
    scores = rank.get_label_quality_scores(labels, pred_probs, method="self_confidence")
    ranked = np.argsort(scores, kind="stable")[:n_issues]
    print(f"num_label_issues: {n_issues}")
    print(f"num_label_issues (calibrated): {n_calibrated}")
    print(f"rank top indices: {ranked.tolist()}")
    return ranked


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save the top 20 ranked rows to PNG")
    args = parser.parse_args(argv)

    train, test = pdclean.datasets.load_tutorial()
    labels = train["label"].cat.codes.to_numpy()  # 0..3 in category order
    X = train[FEATURES].to_numpy()

    workflow_7_1(train, test, labels)

    # 7.2 and 7.3 use 3-fold pred_probs from scikit-learn's cross_val_predict.
    model = LogisticRegression(random_state=0)
    pred_probs = cross_val_predict(model, X, labels, cv=3, method="predict_proba")
    true_errors = (train["label"] != train["true_label"]).to_numpy()
    workflow_7_2(labels, pred_probs, true_errors)
    ranked = workflow_7_3(labels, pred_probs)

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        from pdclean.plot import plot_label_issues

        title = "Top 20 rows ranked by rank + count.num_label_issues"
        ax = plot_label_issues(train, "x1", "x2", "label", ranked[:20], title=title)
        ax.figure.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
