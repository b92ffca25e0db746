"""pdclean.outlier.OutOfDistribution: errors, warnings and state (spec R2.1-R2.5)."""

import logging
import re

import numpy as np
import pytest
from sklearn.neighbors import NearestNeighbors

from pdclean.errors import InputError, InputTypeError, PdcleanError
from pdclean.outlier import OutOfDistribution

X = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [5, 5], [0, 0], [0.5, 0.5]], dtype=float)
P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.4, 0.1]])
Y = np.array([0, 1, 2, 0])


def test_unknown_params_key():
    with pytest.raises(
        InputError,
        match=r"params dict can only contain \{'k': None.*Remove \['K', 'x'\] from params dict",
    ):
        OutOfDistribution({"K": 3, "k": 2, "x": 1})


def test_params_state_and_defaults():
    knn = NearestNeighbors(n_neighbors=2)
    ood = OutOfDistribution({"knn": knn})
    assert ood.params["knn"] is knn  # shared, not copied
    assert ood.params == {
        "k": None, "t": 1, "knn": knn, "method": "entropy", "adjust_pred_probs": True,
        "confident_thresholds": None, "M": 100, "gamma": 0.1, "scaling_factor": None,
    }  # fmt: skip


@pytest.mark.parametrize("method", ["fit", "fit_score", "score"])
def test_needs_exactly_one_input(method):
    ood = OutOfDistribution()
    with pytest.raises(InputError, match=r"^Not enough information to compute scores\. Pass in"):
        getattr(ood, method)()
    with pytest.raises(InputError, match=r"^Cannot fit to OOD Estimator to both features and"):
        getattr(ood, method)(features=X, pred_probs=P)
    with pytest.raises(InputError, match=r"needs to be of shape \(N, M\).*Got shape \(7,\)"):
        getattr(ood, method)(features=X[:, 0])


def test_errors_are_value_errors():
    assert issubclass(InputError, ValueError)
    assert issubclass(InputError, PdcleanError)


def test_k_at_least_n():
    with pytest.raises(InputError, match=re.escape("k=7 cannot exceed the number of examples N=7")):
        OutOfDistribution({"k": 7}).fit(features=X, verbose=False)


@pytest.mark.parametrize("k", [-1, 2.5, True])
def test_bad_k(k):
    with pytest.raises(
        InputError, match=rf"params\['k'\] must be None or a non-negative integer, got {k!r}"
    ):
        OutOfDistribution({"k": k}).fit(features=X, verbose=False)


def test_one_row():
    with pytest.raises(InputError, match=r"features has 1 row; fitting the OOD estimator needs at"):
        OutOfDistribution().fit(features=X[:1], verbose=False)


def test_score_before_fit():
    with pytest.raises(InputError, match=r"^OOD estimator needs to be fit on features first"):
        OutOfDistribution().score(features=X)
    with pytest.raises(InputError, match=r"fit on pred_probs first since params\['adjust_pred"):
        OutOfDistribution().score(pred_probs=P)


def test_second_fit_warns_and_keeps_state():
    ood = OutOfDistribution()
    first = ood.fit_score(features=X, verbose=False)
    knn, scale = ood.params["knn"], ood.params["scaling_factor"]
    with pytest.warns(UserWarning, match=r"^A KNN estimator has previously already been fit"):
        ood.fit(features=X[:4] * 3, verbose=False)
    assert ood.params["knn"] is knn
    assert ood.params["scaling_factor"] == scale
    with pytest.warns(UserWarning, match=r"^A KNN estimator has previously already been fit"):
        again = ood.fit_score(features=X, verbose=False)
    np.testing.assert_array_equal(again, ood.score(features=X))
    assert (again >= first).all()  # self included now: distances can only shrink


def test_score_k_larger_than_fitted_neighbours():
    ood = OutOfDistribution({"knn": NearestNeighbors(n_neighbors=2).fit(X), "k": 4})
    msg = r"^Chosen k=4 cannot be greater than n_neighbors=2 which was used when fitting"
    with pytest.warns(UserWarning, match=msg):
        got = ood.score(features=X)
    expected = OutOfDistribution({"knn": NearestNeighbors(n_neighbors=2).fit(X)}).score(features=X)
    np.testing.assert_array_equal(got, expected)


def test_unfitted_user_knn_is_fitted_on_score():
    knn = NearestNeighbors(n_neighbors=2)
    ood = OutOfDistribution({"knn": knn})
    scores = ood.score(features=X)
    assert hasattr(knn, "n_samples_fit_")
    assert scores[0] == scores[5] == 1.0  # itself and its duplicate, both at distance 0
    assert (scores[[1, 2, 3, 4, 6]] < 1).all()
    assert ood.params["scaling_factor"] == pytest.approx(np.median(knn.kneighbors(X)[0].mean(1)))


def test_score_k_zero_uses_fitted_neighbours():
    ood = OutOfDistribution({"k": 0})
    ood.fit(features=X, verbose=False)
    default = OutOfDistribution()
    default.fit(features=X, verbose=False)
    np.testing.assert_array_equal(ood.score(features=X), default.score(features=X))


def test_labels_needed_to_adjust():
    with pytest.raises(InputError, match=r"^Cannot calculate adjust_pred_probs without labels\."):
        OutOfDistribution().fit(pred_probs=P, verbose=False)


@pytest.mark.parametrize(
    ("labels", "pred_probs", "error", "match"),
    [
        (np.array(["a", "b", "a", "b"]), P, InputError, r"^Labels cannot be strings"),
        ([0, 1.5, 2, 0], P, InputError, r"^Labels must be zero-indexed integers"),
        ([0, -1, 2, 0], P, InputError, r"^Labels must be positive integers"),
        ([1, 1, 1, 1], P, InputError, r"^Labels must contain at least 2 classes\."),
        ([[0, 1], [2, 0]], P, InputError, r"^Labels must be 1D numpy array"),
        (Y, P.tolist(), InputTypeError, r"^pred_probs must be a numpy array\. Got list"),
        (Y[:3], P, InputError, r"^pred_probs and labels must have same length\."),
        (Y, P[:, :2], InputError, r"^pred_probs must have at least 3 columns, based on"),
        (Y, P * 1.5, InputError, r"^Values in pred_probs must be between 0 and 1\."),
    ],
)
def test_bad_labels_or_pred_probs(labels, pred_probs, error, match):
    with pytest.raises(error, match=match):
        OutOfDistribution().fit(pred_probs=pred_probs, labels=labels, verbose=False)


def test_bad_method_after_label_checks():
    ood = OutOfDistribution({"method": "nope"})
    with pytest.raises(InputError, match=r"^Cannot calculate adjust_pred_probs without labels"):
        ood.fit(pred_probs=P, verbose=False)
    msg = re.escape(
        "nope is not a valid OOD scoring method!\n Please choose a valid scoring_method: "
        "('entropy', 'least_confidence', 'gen')"
    )
    with pytest.raises(InputError, match=msg):
        ood.fit(pred_probs=P, labels=Y, verbose=False)


def test_entropy_needs_probabilities():
    ood = OutOfDistribution({"adjust_pred_probs": False})
    with pytest.raises(InputError, match=r"^All probabilities are required to be in the interval"):
        ood.score(pred_probs=np.array([[1.5, -0.5], [0.5, 0.5]]))


def test_pred_probs_warnings_and_state():
    ood = OutOfDistribution()
    fitted = ood.fit_score(pred_probs=P, labels=Y, verbose=False)
    thresholds = ood.params["confident_thresholds"].copy()
    np.testing.assert_allclose(thresholds, [0.6, 0.8, 0.4], rtol=0, atol=1e-15)
    with pytest.warns(UserWarning, match=r"^Confident thresholds have previously already been fit"):
        again = ood.fit_score(pred_probs=P, labels=np.array([1, 0, 0, 2]), verbose=False)
    np.testing.assert_array_equal(again, fitted)  # same P, stored thresholds, labels ignored
    np.testing.assert_array_equal(ood.params["confident_thresholds"], thresholds)


def test_no_adjustment_warnings():
    ood = OutOfDistribution({"adjust_pred_probs": False, "method": "least_confidence"})
    with (
        pytest.warns(UserWarning, match=r"^No estimates need to be be fit under the provided"),
        pytest.warns(UserWarning, match=r"^OOD scores are not adjusted with confident threshold"),
    ):
        ood.fit(pred_probs=P, labels=Y, verbose=False)
    with pytest.warns(UserWarning, match=r"^No estimates need to be be fit under the provided"):
        got = ood.fit_score(pred_probs=P, verbose=False)
    np.testing.assert_array_equal(got, P.max(axis=1))


def test_gen_warns_below_m_classes_and_logs_caution(caplog):
    with caplog.at_level(logging.WARNING, logger="pdclean.outlier"):
        ood = OutOfDistribution({"method": "gen"})
    assert "CAUTION: GEN method is not recommended" in caplog.text
    with pytest.warns(
        UserWarning, match=r"^GEN with the default hyperparameter settings is intend"
    ):
        ood.fit(pred_probs=P, labels=Y, verbose=False)


def test_verbose_logs(caplog):
    with caplog.at_level(logging.INFO, logger="pdclean.outlier"):
        OutOfDistribution().fit(features=X)
    assert "Fitting OOD estimator based on provided features ..." in caplog.text


def test_lists_accepted_for_features():
    ood = OutOfDistribution()
    got = ood.fit_score(features=X.tolist(), verbose=False)
    np.testing.assert_array_equal(got, OutOfDistribution().fit_score(features=X, verbose=False))


def test_both_states_on_one_object():
    ood = OutOfDistribution()
    ood.fit(features=X, verbose=False)
    ood.fit(pred_probs=P, labels=Y, verbose=False)
    assert ood.params["knn"] is not None
    assert ood.params["confident_thresholds"] is not None
    assert ood.score(features=X).shape == (7,)
    assert ood.score(pred_probs=P).shape == (4,)
