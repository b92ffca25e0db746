"""Workflow 10: several annotators per row: consensus labels, annotator quality, what to label next.

A crowd-labelled table of 1,000 items: five annotators of different skill each labelled about
40% of the rows ("bird", "cat", "dog"); 30 items were labelled by nobody. CROWDLAB combines the
annotators' votes with a model's out-of-fold predictions into a consensus label and a quality
score per row, and rates every annotator; ActiveLab ranks the rows by how much one more label
would help.

Expected: the consensus is right on 93% of the 970 labelled items, though many of them were
labelled only by weak annotators (the best annotator is right on 96% of the 38% it labelled);
the annotators come out ranked exactly by their true accuracy.

Run: ``python examples/10_multiannotator.py [--plot annotators.png]``
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

CLASSES = np.array(["bird", "cat", "dog"], dtype=object)
ACCURACY = {"ann_a": 0.93, "ann_b": 0.85, "ann_c": 0.75, "ann_d": 0.6, "ann_e": 0.5}


def crowd(n: int = 1000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Two features, the true class, and one sparse label column per annotator."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, 3, n)
    centres = np.array([[0.0, 0.0], [2.0, 0.5], [0.5, 2.0]])
    X = centres[truth] + rng.normal(scale=0.7, size=(n, 2))
    df = pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1]})
    nobody = rng.choice(n, 30, replace=False)
    for name, accuracy in ACCURACY.items():
        noisy = np.where(rng.random(n) < accuracy, truth, rng.integers(0, 3, n))
        labels = pd.Series(CLASSES[noisy], dtype=object).where(rng.random(n) < 0.4)
        labels[nobody] = None
        df[name] = labels
    return df, CLASSES[truth]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plot", metavar="PNG", help="save annotator quality to PNG")
    args = parser.parse_args(argv)

    import pdclean  # noqa: F401  (registers DataFrame.clean)

    df, truth = crowd()
    annotators = list(ACCURACY)
    options = {"features": ["x1", "x2"], "random_state": 0, "progress": False}
    result = df.clean.consensus(annotators, **options)
    labelled = result["consensus_label"].notna().to_numpy()
    print(
        f"consensus accuracy: {(result['consensus_label'][labelled] == truth[labelled]).mean():.3f}"
    )
    for name in annotators:
        given = df[name].notna().to_numpy()
        print(f"{name} accuracy on its rows: {(df[name][given] == truth[given]).mean():.3f}")
    stats = df.clean.annotator_stats(annotators, **options)
    print()
    print(stats.round(3).to_string())
    print(f"annotators, worst first: {stats.index.tolist()}")
    nxt = df.clean.next_to_label(annotators, **options)
    print(f"label next: {nxt.nsmallest(5).index.tolist()}")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")  # draw to a file, no window
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(6, 3))
        ax.barh(stats.index.astype(str), stats["annotator_quality"], color="#4e79a7")
        ax.set(xlabel="annotator quality (CROWDLAB)", xlim=(0, 1))
        fig.savefig(args.plot, bbox_inches="tight")
        print(f"plot saved to {args.plot}")


if __name__ == "__main__":
    main()
