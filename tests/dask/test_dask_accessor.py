"""The ``.clean`` accessor on Dask DataFrames (pdclean.dask.accessor) against the pandas accessor.

Every Dask result must equal the pandas result on the same rows: masks and counts exactly,
scores within 1e-12, whatever the partitioning (1, 7, 32 partitions of 1,000,000 rows; the
tutorial data in 3 partitions; partitions missing classes or empty), with the threaded
scheduler and on a ``distributed.LocalCluster`` of 2 worker processes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
import dask  # noqa: E402

from pdclean.dask.accessor import register_dask  # noqa: E402
from pdclean.dask.passes import make_spec, stats_pass  # noqa: E402
from pdclean.datasets import TUTORIAL_CLASS_NAMES, load_tutorial  # noqa: E402
from pdclean.errors import ColumnNotFoundError, InputError  # noqa: E402
from pdclean.filter import FILTER_BY  # noqa: E402

register_dask()

SEED_REFERENCE = Path(__file__).parents[1] / "data" / "seed_reference.json"
N_BIG, K_BIG = 1_000_000, 5
PARTITIONS = (1, 7, 32)


def make_frame(n: int, k: int, seed: int, offset: int = 0) -> pd.DataFrame:
    """Noisy labels and pred_probs as columns ``proba_<class>``; 30% of rows on a 1/100 grid.

    The grid rows make many exact ties (self-confidences, margins), which checks that ties
    go to the lowest row across partition boundaries as in the single-machine path.
    """
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    flip = rng.random(n) < 0.15
    given = np.where(flip, rng.integers(0, k, n), true)
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), true] += 2.0
    probs = np.exp(logits)
    probs /= probs.sum(axis=1, keepdims=True)
    grid = np.floor(probs * 100)
    grid[np.arange(n), grid.argmax(axis=1)] += 100 - grid.sum(axis=1)
    on_grid = rng.random(n) < 0.3
    probs[on_grid] = grid[on_grid] / 100
    frame = pd.DataFrame(probs, columns=[f"proba_{c}" for c in range(k)])
    frame.insert(0, "y", given)
    frame.index = pd.RangeIndex(offset, offset + n)
    return frame


def assert_issues_equal(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert got.columns.tolist() == want.columns.tolist()
    pd.testing.assert_index_equal(got.index, want.index)
    pd.testing.assert_series_equal(got["is_label_issue"], want["is_label_issue"])
    pd.testing.assert_series_equal(got["given_label"], want["given_label"])
    pd.testing.assert_series_equal(got["predicted_label"], want["predicted_label"])
    pd.testing.assert_series_equal(
        got["label_quality"], want["label_quality"], check_exact=False, rtol=0, atol=1e-12
    )


def assert_dataset_level_equal(ddf, df, label, pred_ddf, pred_df) -> None:
    assert ddf.clean.health(label, pred_probs=pred_ddf) == df.clean.health(
        label, pred_probs=pred_df
    )
    pd.testing.assert_frame_equal(
        ddf.clean.class_health(label, pred_probs=pred_ddf),
        df.clean.class_health(label, pred_probs=pred_df),
        check_exact=True,
    )
    for asymmetric in (False, True):
        pd.testing.assert_frame_equal(
            ddf.clean.overlapping_classes(label, pred_probs=pred_ddf, asymmetric=asymmetric),
            df.clean.overlapping_classes(label, pred_probs=pred_df, asymmetric=asymmetric),
            check_exact=True,
        )
    got, want = (
        ddf.clean.noise_estimates(label, pred_probs=pred_ddf),
        df.clean.noise_estimates(label, pred_probs=pred_df),
    )
    pd.testing.assert_series_equal(got.py, want.py, check_exact=True)
    for name in ("noise_matrix", "inverse_noise_matrix", "confident_joint", "joint"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_exact=True)


# ------------------------------------------------------------------------------ 1M rows


@pytest.fixture(scope="module")
def big() -> pd.DataFrame:
    return make_frame(N_BIG, K_BIG, seed=7)


@pytest.fixture(scope="module")
def big_columns(big) -> list[str]:
    return [c for c in big.columns if c.startswith("proba_")]


@pytest.fixture(scope="module")
def big_reference(big, big_columns) -> dict:
    """The pandas accessor's result per filter_by (computed on first use)."""
    cache: dict = {}

    def get(filter_by):
        if filter_by not in cache:
            cache[filter_by] = big.clean.find_label_issues(
                "y", pred_probs=big_columns, filter_by=filter_by
            )
        return cache[filter_by]

    return get


@pytest.mark.slow
@pytest.mark.parametrize("npartitions", PARTITIONS)
@pytest.mark.parametrize("filter_by", FILTER_BY)
def test_find_label_issues_equals_pandas_1m(big, big_reference, npartitions, filter_by):
    ddf = dd.from_pandas(big, npartitions=npartitions, sort=False)
    lazy = ddf.clean.find_label_issues("y", pred_probs="proba_", filter_by=filter_by)
    assert lazy.npartitions == ddf.npartitions
    assert lazy.divisions == ddf.divisions
    with dask.config.set(scheduler="threads"):
        got = lazy.compute()
    want = big_reference(filter_by)
    assert 1_000 < int(want["is_label_issue"].sum()) < 400_000  # a real selection
    assert_issues_equal(got, want)


@pytest.mark.slow
@pytest.mark.parametrize("npartitions", PARTITIONS)
def test_dataset_level_equals_pandas_1m(big, big_columns, npartitions):
    ddf = dd.from_pandas(big, npartitions=npartitions, sort=False)
    with dask.config.set(scheduler="threads"):
        assert_dataset_level_equal(ddf, big, "y", "proba_", big_columns)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "adjust"),
    [
        ("self_confidence", True),
        ("normalized_margin", False),
        ("confidence_weighted_entropy", False),
    ],
)
def test_label_quality_equals_pandas_1m(big, big_columns, method, adjust):
    ddf = dd.from_pandas(big, npartitions=7, sort=False)
    got = ddf.clean.label_quality(
        "y", pred_probs=big_columns, method=method, adjust_pred_probs=adjust
    )
    want = big.clean.label_quality(
        "y", pred_probs=big_columns, method=method, adjust_pred_probs=adjust
    )
    pd.testing.assert_series_equal(got.compute(), want, check_exact=False, rtol=0, atol=1e-12)


def test_thresholds_are_the_correctly_rounded_mean():
    df = make_frame(3_000, 3, seed=3)
    ddf = dd.from_pandas(df, npartitions=4, sort=False)
    thresholds = stats_pass(ddf, make_spec(ddf, "y", "proba_")).thresholds
    probs = df.filter(like="proba_").to_numpy()
    for k in range(3):
        own = probs[df["y"].to_numpy() == k, k]
        exact = sum(map(Fraction, own.tolist())) / own.size
        assert thresholds[k] == float(exact)
        assert abs(thresholds[k] - own.mean()) <= np.spacing(own.mean())  # numpy's pairwise


# ------------------------------------------------------------------------------ tutorial data


@pytest.fixture(scope="module")
def tutorial() -> pd.DataFrame:
    reference = json.loads(SEED_REFERENCE.read_text())["reference"]["workflow7_2_filter"]
    train = load_tutorial()[0]
    probs = np.array(reference["cv3_pred_probs"])
    for k, name in enumerate(TUTORIAL_CLASS_NAMES):
        train[f"proba_{name}"] = probs[:, k]
    return train


def _flagged_by_reference() -> dict:
    table = json.loads(SEED_REFERENCE.read_text())["reference"]["workflow7_2_filter"]
    table = table["filter_by_table"]
    col = table["columns"].index("num_flagged")
    return {row[0]: row[col] for row in table["data"]}


@pytest.mark.parametrize("filter_by", FILTER_BY)
def test_tutorial_three_partitions(tutorial, filter_by):
    ddf = dd.from_pandas(tutorial, npartitions=3, sort=False)
    got = ddf.clean.find_label_issues("label", pred_probs="proba_", filter_by=filter_by)
    got = got.compute()
    columns = [f"proba_{name}" for name in TUTORIAL_CLASS_NAMES]
    assert_issues_equal(
        got, tutorial.clean.find_label_issues("label", pred_probs=columns, filter_by=filter_by)
    )
    assert int(got["is_label_issue"].sum()) == _flagged_by_reference()[filter_by]  # cleanlab


def test_tutorial_dataset_level_and_annotate(tutorial):
    ddf = dd.from_pandas(tutorial, npartitions=3, sort=False)
    columns = [f"proba_{name}" for name in TUTORIAL_CLASS_NAMES]
    assert_dataset_level_equal(ddf, tutorial, "label", columns, columns)
    lazy = ddf.clean.annotate("label", pred_probs=columns, filter_by="both")
    want = tutorial.clean.annotate("label", pred_probs=columns, filter_by="both")
    assert lazy.divisions == ddf.divisions
    pd.testing.assert_frame_equal(lazy.compute(), want, check_exact=False, rtol=0, atol=1e-12)
    part = lazy.partitions[2].compute()  # a selected partition keeps its own rows' results
    pd.testing.assert_frame_equal(part, want.loc[part.index], check_exact=False, atol=1e-12)


def test_string_labels_with_missing_values(tutorial):
    """Classes found by a pass over the labels; rows without a label give <NA>."""
    df = tutorial.drop(columns="true_label")
    df["label"] = df["label"].astype(str).where(np.arange(len(df)) % 17 != 3, None)
    ddf = dd.from_pandas(df, npartitions=4, sort=False)
    local = ddf.compute()  # the same dtypes as Dask's (its string conversion)
    columns = [f"proba_{name}" for name in sorted(TUTORIAL_CLASS_NAMES)]  # class order
    for filter_by in ("prune_by_noise_rate", "both", "low_normalized_margin"):
        got = ddf.clean.find_label_issues("label", pred_probs="proba_", filter_by=filter_by)
        want = local.clean.find_label_issues("label", pred_probs=columns, filter_by=filter_by)
        assert want["is_label_issue"].dtype == "boolean"
        assert_issues_equal(got.compute(), want)
    assert_dataset_level_equal(ddf, local, "label", columns, columns)


def test_categorical_labels_with_unknown_categories(tutorial):
    ddf = dd.from_pandas(tutorial, npartitions=3, sort=False)
    ddf = ddf.assign(label=ddf["label"].cat.as_unknown())
    columns = [f"proba_{name}" for name in TUTORIAL_CLASS_NAMES]
    got = ddf.clean.find_label_issues("label", pred_probs="proba_").compute()
    assert_issues_equal(got, tutorial.clean.find_label_issues("label", pred_probs=columns))


def test_partitions_without_some_classes_or_rows():
    """Sorted by label: partitions hold one or two classes, and filtering empties some.

    The label is categorical with known categories, so class 1 stays a (now empty) class.
    """
    df = make_frame(60_000, 4, seed=11).sort_values("y", kind="stable")
    df["y"] = pd.Categorical(df["y"], categories=range(4))
    ddf = dd.from_pandas(df, npartitions=9, sort=False)
    ddf, df = ddf[ddf["y"] != 1], df[df["y"] != 1]
    assert (ddf.map_partitions(len).compute() == 0).any()
    columns = [f"proba_{c}" for c in range(4)]
    for filter_by in FILTER_BY:
        got = ddf.clean.find_label_issues("y", pred_probs=columns, filter_by=filter_by)
        want = df.clean.find_label_issues("y", pred_probs=columns, filter_by=filter_by)
        assert_issues_equal(got.compute(), want)


@pytest.mark.parametrize("cuts", ["too_tight", "tiny_sample"])
def test_candidate_cuts_only_change_speed(monkeypatch, cuts):
    """Cuts from a poor sample, or that let no row through, are redone: same result."""
    import pdclean.dask.accessor as pdask

    if cuts == "too_tight":
        tight = {kind: (lambda sampled, plan, kind=kind: np.where(
            plan.quotas[kind] > 0, -2.0, -np.inf)) for kind in pdask._SAMPLE_CUTS}  # fmt: skip
        monkeypatch.setattr(pdask, "_SAMPLE_CUTS", tight)
    else:
        monkeypatch.setattr(pdask, "SAMPLE_ROWS", 1000)
    df = make_frame(100_000, 4, seed=5)
    ddf = dd.from_pandas(df, npartitions=5, sort=False)
    columns = [f"proba_{c}" for c in range(4)]
    with dask.config.set(scheduler="threads"):  # the patch lives in this process
        for filter_by in ("both", "low_self_confidence"):
            got = ddf.clean.find_label_issues("y", pred_probs=columns, filter_by=filter_by)
            want = df.clean.find_label_issues("y", pred_probs=columns, filter_by=filter_by)
            assert_issues_equal(got.compute(), want)


@pytest.mark.parametrize("fraction", [0.001, 0.3])
def test_selected_rows_pack_round_trip(fraction):
    """Selections ship as sorted rows, or as a bitmap when that is smaller."""
    from pdclean.core.blockstats import pack, unpack

    rng = np.random.default_rng(4)
    for n in (1, 7, 8, 9, 1000, 12_345):
        rows = np.unique(rng.integers(0, n, int(n * fraction) + 1))
        packed = pack(rows, n)
        assert packed.dtype == (np.uint8 if rows.size * 64 > n else np.int64)
        mask = np.zeros(n, dtype=bool)
        mask[rows] = True
        for offset in range(0, n, max(1, n // 13)):
            for length in {0, 1, 5, n - offset}:
                length = min(length, n - offset)
                got = unpack(packed, offset, length)
                np.testing.assert_array_equal(got, mask[offset : offset + length])


def test_options_equal_pandas(tutorial):
    ddf = dd.from_pandas(tutorial, npartitions=3, sort=False)
    columns = [f"proba_{name}" for name in TUTORIAL_CLASS_NAMES]
    options = [
        {"frac_noise": 0.5},
        {"min_examples_per_class": 60},
        {"num_to_remove_per_class": {"purple": 5, "yellow": 2}, "filter_by": "both"},
        {"rank_by": "normalized_margin", "filter_by": "prune_by_class"},
    ]
    for option in options:
        got = ddf.clean.find_label_issues("label", pred_probs=columns, **option).compute()
        want = tutorial.clean.find_label_issues("label", pred_probs=columns, **option)
        assert_issues_equal(got, want)


# ------------------------------------------------------------------------------ bad input


def _exploding(frame: pd.DataFrame, nparts: int = 2):
    """A Dask frame with ``frame``'s schema whose partitions raise if ever computed."""

    def load(i):
        raise RuntimeError("a partition was computed")

    return dd.from_map(load, range(nparts), meta=frame.iloc[:0], enforce_metadata=False)


def test_names_and_classes_checked_before_any_computation(tutorial):
    ddf = _exploding(tutorial)
    with pytest.raises(ColumnNotFoundError, match=r"label column 'labels'.*Did you mean 'label'"):
        ddf.clean.find_label_issues("labels", pred_probs="proba_")
    with pytest.raises(ColumnNotFoundError, match="pred_probs column 'proba_red'"):
        ddf.clean.health("label", pred_probs=["proba_purple", "proba_red"])
    with pytest.raises(ColumnNotFoundError, match="prefix 'prob_'"):
        ddf.clean.noise_estimates("label", pred_probs="prob_")
    with pytest.raises(InputError, match=r"classes without a column: \['yellow'\]"):
        ddf.drop(columns="proba_yellow").clean.class_health("label", pred_probs="proba_")
    with pytest.raises(InputError, match=r"one column per class.*got 2 columns"):
        ddf.clean.label_quality("label", pred_probs=["proba_purple", "proba_blue"])
    with pytest.raises(InputError, match="filter_by must be one of"):
        ddf.clean.find_label_issues("label", pred_probs="proba_", filter_by="prune")
    with pytest.raises(InputError, match=r"names unknown classes \['red'\]"):
        ddf.clean.annotate("label", pred_probs="proba_", num_to_remove_per_class={"red": 1})
    with pytest.raises(InputError, match="adjust_pred_probs=True is not supported"):
        ddf.clean.label_quality(
            "label", pred_probs="proba_", method="confidence_weighted_entropy",
            adjust_pred_probs=True,
        )  # fmt: skip
    with pytest.raises(InputError, match="pred_probs is required"):
        ddf.clean.find_label_issues("label", pred_probs=None)
    renamed = ddf.rename(columns={"proba_blue": "proba_navy"})
    with pytest.raises(InputError, match=r"unknown classes: \['proba_navy'\]"):
        renamed.clean.overlapping_classes("label", pred_probs="proba_")


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ([0.5, 0.3, 0.1, 0.0], "sum to 1.*softmax"),
        ([np.nan, 0.5, 0.5, 0.0], "NaN"),
        ([1.5, -0.5, 0.0, 0.0], "between 0 and 1"),
    ],
)
def test_bad_probabilities_raise_with_the_core_message(tutorial, row, match):
    df = tutorial.copy()
    df.loc[200, [f"proba_{n}" for n in TUTORIAL_CLASS_NAMES]] = row
    ddf = dd.from_pandas(df, npartitions=3, sort=False)
    with pytest.raises(InputError, match=match) as info:
        ddf.clean.find_label_issues("label", pred_probs="proba_")
    assert "partition 2" in str(info.value)


def test_import_without_dask_costs_nothing():
    code = (
        "import sys; sys.modules['dask'] = None; import pdclean, pdclean.dask.accessor; "
        "assert not any(m.startswith('dask') and sys.modules[m] for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parents[2])


# ------------------------------------------------------------------------------ distributed


def _cluster_partition(i: int) -> pd.DataFrame:
    return make_frame(25_000, 10, seed=100 + i, offset=25_000 * i)


@pytest.mark.slow
def test_distributed_local_cluster_equals_pandas():
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need this module
    ddf = dd.from_map(_cluster_partition, range(8))  # 200,000 rows x 10 classes, lazily
    df = pd.concat([_cluster_partition(i) for i in range(8)])
    columns = [f"proba_{c}" for c in range(10)]
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        for filter_by in FILTER_BY:
            got = ddf.clean.find_label_issues("y", pred_probs="proba_", filter_by=filter_by)
            want = df.clean.find_label_issues("y", pred_probs=columns, filter_by=filter_by)
            assert_issues_equal(got.compute(), want)
        assert ddf.clean.health("y", pred_probs="proba_") == df.clean.health(
            "y", pred_probs=columns
        )
