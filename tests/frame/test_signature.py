"""The input keywords written once: every frame function takes them, and names its typos."""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

import pdclean
from pdclean.errors import InputTypeError
from pdclean.frame.signature import INPUT_KEYWORDS

FRAME = pd.DataFrame({"y": ["a", "a", "b", "b"], "x": [1, 2, 3, 4]})
P = np.array([[0.9, 0.1], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7]])
TABLE_FUNCTIONS = [
    "find_label_issues", "label_quality", "annotate", "drop_label_issues", "health",
    "class_health", "overlapping_classes", "noise_estimates",
]  # fmt: skip


@pytest.mark.parametrize("name", TABLE_FUNCTIONS)
def test_every_function_takes_the_same_input_keywords(name):
    parameters = inspect.signature(getattr(pdclean, name)).parameters
    assert list(parameters)[:2] == ["df", "label"]
    for keyword, default in INPUT_KEYWORDS:
        assert parameters[keyword].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[keyword].default == default
    accessor = inspect.signature(getattr(pdclean.CleanAccessor, name)).parameters
    assert list(accessor)[1:] == list(parameters)[1:]


def test_a_misspelt_keyword_is_named_with_the_function_and_a_suggestion():
    with pytest.raises(
        InputTypeError,
        match=r"annotate\(\) got an unexpected keyword argument 'filterby'\. Did you mean "
        r"'filter_by'\?",
    ):
        FRAME.clean.annotate("y", pred_probs=P, filterby="both")
    with pytest.raises(InputTypeError, match=r"drop_label_issues\(\) got an unexpected keyword"):
        pdclean.drop_label_issues(FRAME, "y", pred_probs=P, rank_by="self_confidence")


def test_extra_positional_arguments_are_refused():
    with pytest.raises(InputTypeError, match=r"health\(\) takes the frame and the label column"):
        pdclean.health(FRAME, "y", P)


def test_annotate_and_drop_take_explicit_keywords():
    annotated = FRAME.clean.annotate("y", pred_probs=P, filter_by="predicted_neq_given")
    assert annotated["is_label_issue"].tolist() == [False, True, False, False]
    kept = FRAME.clean.drop_label_issues("y", pred_probs=P, filter_by="predicted_neq_given")
    assert kept.index.tolist() == [0, 2, 3]
