"""A new batch against a reference table: outliers, near copies of reference rows, labels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from pdclean.errors import InputError
from pdclean.outlier import OutOfDistribution


def _tables():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    X = rng.normal(size=(400, 2)) + 3 * y[:, None]
    names = np.array(["ham", "spam"], dtype=object)
    reference = pd.DataFrame({"a": X[:300, 0], "b": X[:300, 1], "kind": names[y[:300]]})
    new = pd.DataFrame(
        {"a": X[300:, 0], "b": X[300:, 1], "kind": names[y[300:]]},
        index=[f"new{i}" for i in range(100)],
    )
    new.iloc[0, :2] = [40.0, -40.0]  # far from everything
    new.iloc[1, :2] = reference.iloc[7, :2].to_numpy()  # a copy of reference row 7
    new.iloc[2, 2] = "spam" if new.iloc[2, 2] == "ham" else "ham"  # a wrong label
    return reference.set_axis([f"ref{i}" for i in range(300)]), new


def test_outliers_and_copies_of_reference_rows():
    reference, new = _tables()
    out = new.clean.compare_to_reference(reference, features=["a", "b"])
    assert out.index.equals(new.index)
    assert out.loc["new0", "is_outlier_issue"]
    assert out.loc["new1", "is_near_duplicate_issue"]
    assert out.loc["new1", "nearest_reference_row"] == "ref7"
    assert out.loc["new1", "distance_to_reference"] == 0.0
    ood = OutOfDistribution(params={"k": 10})
    ood.fit(features=reference[["a", "b"]].to_numpy(), verbose=False)
    np.testing.assert_allclose(out["outlier_score"], ood.score(features=new[["a", "b"]].to_numpy()))
    assert out["is_outlier_issue"].sum() <= 5


def test_label_issues_under_a_model_fitted_on_the_reference():
    reference, new = _tables()
    out = new.clean.compare_to_reference(
        reference, features=["a", "b"], label="kind", model=LogisticRegression()
    )
    assert out.loc["new2", "is_label_issue"]
    assert out["given_label"].tolist() == new["kind"].tolist()
    assert set(out.columns) >= {"is_label_issue", "label_quality", "predicted_label"}


def test_bad_reference_input():
    reference, new = _tables()
    with pytest.raises(KeyError, match=r"feature column \(of reference\) 'c'"):
        new.assign(c=1.0).clean.compare_to_reference(reference, features=["a", "c"])
    with pytest.raises(InputError, match="needs model="):
        new.clean.compare_to_reference(reference, label="kind")
