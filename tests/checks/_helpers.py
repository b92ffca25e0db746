"""Shared data and the cleanlab Datalab oracle for the audit tests (cached per process)."""

from __future__ import annotations

import contextlib
import functools
import io
import json
import warnings

import numpy as np

from tests._reference import SEED_REFERENCE as SEED_JSON

DIMS = (2, 5, 20)


@functools.lru_cache(maxsize=1)
def tutorial() -> dict:
    """X (250, 2), labels, pred_probs and the reference's workflow-1 Datalab results."""
    ref = json.loads(SEED_JSON.read_text())["reference"]
    w = ref["workflow1_datalab"]
    return {
        "X": np.array(ref["data"]["X_train"], dtype=np.float64),
        "labels": np.array(ref["data"]["labels"], dtype=np.int64),
        "pred_probs": np.array(w["pred_probs"], dtype=np.float64),
        "w": w,
    }


def planted_table(d: int, *, n: int = 400, k_classes: int = 4, seed: int = 0):
    """Gaussian blobs with exact duplicate groups of 2, 3 and 15 rows; noisy pred_probs."""
    rng = np.random.RandomState(seed + d)
    centers = rng.normal(scale=2.0, size=(k_classes, d))
    labels = rng.randint(0, k_classes, n)
    X = centers[labels] + rng.normal(size=(n, d))
    X[5] = X[17]
    X[40] = X[41] = X[99]
    X[200:215] = X[350]
    alpha = np.ones(k_classes) + 4 * np.eye(k_classes)[labels]
    pred_probs = np.array([rng.dirichlet(a) for a in alpha])
    return X, labels, pred_probs


@functools.cache
def datalab(case: str, d: int = 0):
    """Run cleanlab's Datalab (quietly) on a named case; return (issues, summary, lab, inputs)."""
    from cleanlab import Datalab

    if case == "tutorial":
        t = tutorial()
        X, labels, P = t["X"], t["labels"], t["pred_probs"]
    else:
        X, labels, P = planted_table(d)
    kwargs = {
        "full": {"features": X, "pred_probs": P},
        "probs": {"pred_probs": P},
        "features": {"features": X},
        "tutorial": {"features": X, "pred_probs": P},
    }[case]
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        lab = Datalab({"y": labels}, label_name="y", verbosity=0)
        lab.find_issues(**kwargs)
    summary = lab.get_issue_summary().set_index("issue_type")["score"].to_dict()
    inputs = {"labels": labels, **kwargs}
    return lab.get_issues(), summary, lab, inputs


def ref_graph(lab, n: int) -> tuple[np.ndarray, np.ndarray]:
    g = lab.get_info("statistics")["weighted_knn_graph"]
    return g.indices.reshape(n, -1), g.data.reshape(n, -1)


def assert_check_matches(result, issues, summary, name: str, *, atol: float = 1e-9) -> None:
    """Same flagged rows, per-row scores and summary score as the reference."""
    np.testing.assert_array_equal(result.is_issue, issues[f"is_{name}_issue"].to_numpy())
    np.testing.assert_allclose(result.score, issues[f"{name}_score"].to_numpy(), rtol=0, atol=atol)
    assert abs(result.summary_score - summary[name]) <= atol


@functools.cache
def our_graph(case: str, d: int = 0):
    from pdclean.neighbors.graph import build_knn_graph

    X = tutorial()["X"] if case == "tutorial" else planted_table(d)[0]
    return build_knn_graph(X)
