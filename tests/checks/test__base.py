import numpy as np
import pytest

from pdclean.checks import registry
from pdclean.checks.base import CheckResult, check_fraction, get_check, register_check
from pdclean.errors import InputError


def test_registry_holds_every_check_with_inputs_and_params():
    assert set(registry) >= {
        "null",
        "label",
        "outlier",
        "near_duplicate",
        "non_iid",
        "class_imbalance",
        "underperforming_group",
        "exact_duplicate",
        "conflicting_labels",
    }
    outlier = registry["outlier"]
    assert outlier.requires == (("knn",), ("labels", "pred_probs"))
    assert outlier.params == {"threshold": None, "t": 1.0}
    assert outlier.missing_inputs({"labels", "pred_probs"}) is None
    assert outlier.missing_inputs({"labels"}) == "needs knn or labels+pred_probs"


def test_register_a_new_check():
    @register_check("_test_check", requires=("labels",))
    def _check(*, labels=None, flag=1):
        return CheckResult("_test_check", labels == flag, np.ones(labels.shape), 1.0)

    try:
        spec = get_check("_test_check")
        assert spec.inputs == ("labels",)
        assert spec.params == {"flag": 1}
        assert spec.func(labels=np.array([0, 1])).num_issues == 1
    finally:
        del registry["_test_check"]


def test_unknown_check_and_bad_fraction():
    with pytest.raises(InputError, match=r"unknown issue type 'typo'; valid issue types are"):
        get_check("typo")
    with pytest.raises(InputError, match="threshold must be a number in"):
        check_fraction("threshold", "0.5")
    with pytest.raises(InputError, match="threshold must be a number in"):
        check_fraction("threshold", np.nan)
