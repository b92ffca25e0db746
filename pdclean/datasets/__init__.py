"""Small datasets shipped with pdclean (no network access needed).

``load_tutorial`` returns the 4-class toy data of the confident-learning tutorial: two
Gaussian features per row, the given (noisy) label and the true label, for a train and a test
split of 250 rows each.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["TUTORIAL_CLASS_NAMES", "load_tutorial"]

#: Class names of the tutorial data, in code order 0..3.
TUTORIAL_CLASS_NAMES: tuple[str, ...] = ("purple", "blue", "seafoam green", "yellow")

_TUTORIAL_FILE = "tutorial-data.csv"


def _split_frame(raw: pd.DataFrame, split: str) -> pd.DataFrame:
    part = raw[raw["split"] == split]
    categories = list(TUTORIAL_CLASS_NAMES)
    return pd.DataFrame(
        {
            # Parse the decimal strings with numpy: exact round trip on every pandas version.
            "x1": np.asarray(part["x1"].to_numpy(dtype=str), dtype=np.float64),
            "x2": np.asarray(part["x2"].to_numpy(dtype=str), dtype=np.float64),
            "label": pd.Categorical.from_codes(part["label"].to_numpy(), categories=categories),
            "true_label": pd.Categorical.from_codes(
                part["true_label"].to_numpy(), categories=categories
            ),
        }
    )


def load_tutorial() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load the tutorial's 4-class toy data (train and test splits).

    The data were drawn as in the tutorial: one 2-D Gaussian blob per class (100, 50, 50, 50
    rows per split), then labels flipped with a random noise matrix of trace 3.2
    (``pdclean.noise.generate_noise_matrix_from_trace(4, 3.2, py=[.4, .2, .2, .2])``), which
    mislabelled 50 rows of each split.

    Returns
    -------
    train, test : DataFrame
        250 rows each, index ``RangeIndex(250)``, columns ``x1``, ``x2`` (float64), ``label``
        (the given, noisy label) and ``true_label``, both categorical with categories
        :data:`TUTORIAL_CLASS_NAMES`. Each call returns new frames.

    Examples
    --------
    >>> train, test = load_tutorial()
    >>> train.shape, test.shape
    ((250, 4), (250, 4))
    >>> train["true_label"].value_counts(sort=False).tolist()
    [100, 50, 50, 50]
    >>> train["label"].value_counts(sort=False).tolist()
    [84, 54, 63, 49]
    >>> int((train["label"] != train["true_label"]).sum())
    50
    """
    source = resources.files(__name__).joinpath(_TUTORIAL_FILE)
    with source.open("r", encoding="utf-8") as handle:
        raw = pd.read_csv(handle, dtype={"split": str, "x1": str, "x2": str})
    return _split_frame(raw, "train"), _split_frame(raw, "test")
