"""The ``DataFrame.clean`` accessor (registered when this module is imported).

The accessor is thin and stateless: pandas 3 builds a new accessor object on every
``df.clean`` access, so ``__init__`` only stores the frame and every method delegates to the
function of the same name in :mod:`pdclean.frame.issues`, with the frame as first argument::

    df.clean.find_label_issues("y", pred_probs=P)  ==  find_label_issues(df, "y", pred_probs=P)

If another package already registered a ``clean`` accessor, pdclean's replaces it and a
``UserWarning`` says so (pandas' own warning is not shown twice); the functions stay available
as ``pdclean.find_label_issues(df, ...)`` etc.
"""

from __future__ import annotations

import functools
import inspect
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np  # noqa: F401  (the examples of the methods use np)
import pandas as pd

from pdclean.frame.annotators import (
    annotator_stats,
    consensus,
    next_to_label,
    pivot_annotations,
)
from pdclean.frame.audit import audit
from pdclean.frame.issues import (
    annotate,
    class_health,
    drop_label_issues,
    find_label_issues,
    health,
    label_quality,
    noise_estimates,
    overlapping_classes,
    pred_probs,
)
from pdclean.frame.noise import inject_label_noise
from pdclean.frame.reference import compare_to_reference

__all__ = ["ACCESSOR_NAME", "CleanAccessor", "register"]

ACCESSOR_NAME = "clean"


def _delegate(func: Callable[..., Any]) -> Callable[..., Any]:
    """A method calling ``func(self._obj, ...)``, with func's doc and signature (minus df)."""

    @functools.wraps(func)
    def method(self: CleanAccessor, *args: Any, **kwargs: Any) -> Any:
        return func(self._obj, *args, **kwargs)

    signature = inspect.signature(func)
    params = list(signature.parameters.values())
    self_param = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    method.__signature__ = signature.replace(parameters=[self_param, *params[1:]])  # type: ignore[attr-defined]
    del method.__wrapped__  # type: ignore[attr-defined]  # the signature above is the truth
    method.__module__ = __name__
    method.__doc__ = _accessor_doc(func.__doc__ or "", func.__name__)
    return method


def _accessor_doc(doc: str, name: str) -> str:
    """The function's docstring, its examples written as accessor calls (run as doctests)."""
    body, _, examples = doc.partition("\n    Examples\n")
    note = f"\n\n    Same as ``pdclean.{name}(df, ...)``.\n"
    if not examples:
        return body.rstrip() + note
    examples = re.sub(rf"\b{name}\((\w+)(?:, |(?=\)))", r"\1.clean." + name + "(", examples)
    return body.rstrip() + note + "\n    Examples\n" + examples


class CleanAccessor:
    """Confident learning on a DataFrame: ``df.clean.<method>("label_column", ...)``.

    Every method takes the name of the label column first; pred_probs are given
    (``pred_probs=``) or computed by cross-validation from ``features`` with ``model``.
    Results are new objects aligned to ``df.index``; ``df`` is never modified.

    Examples
    --------
    >>> df = pd.DataFrame({"y": ["a", "a", "b", "b"], "x": [1, 2, 3, 4]})
    >>> P = [[.9, .1], [.2, .8], [.1, .9], [.3, .7]]
    >>> df.clean.find_label_issues("y", pred_probs=P).is_label_issue.tolist()
    [False, True, False, False]
    """

    def __init__(self, pandas_obj: pd.DataFrame) -> None:
        self._obj = pandas_obj

    find_label_issues = _delegate(find_label_issues)
    label_quality = _delegate(label_quality)
    overlapping_classes = _delegate(overlapping_classes)
    health = _delegate(health)
    class_health = _delegate(class_health)
    noise_estimates = _delegate(noise_estimates)
    pred_probs = _delegate(pred_probs)
    annotate = _delegate(annotate)
    drop_label_issues = _delegate(drop_label_issues)
    inject_label_noise = _delegate(inject_label_noise)
    audit = _delegate(audit)
    consensus = _delegate(consensus)
    annotator_stats = _delegate(annotator_stats)
    next_to_label = _delegate(next_to_label)
    pivot_annotations = _delegate(pivot_annotations)
    compare_to_reference = _delegate(compare_to_reference)


def register(accessor: type = CleanAccessor, name: str = ACCESSOR_NAME) -> None:
    """Register ``accessor`` as ``DataFrame.<name>``; warn if another one is replaced."""
    existing = getattr(pd.DataFrame, name, None)
    ours = (getattr(existing, "__module__", None), getattr(existing, "__qualname__", None))
    replaced = existing is not None and ours != (accessor.__module__, accessor.__qualname__)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas' own "overriding" warning
        pd.api.extensions.register_dataframe_accessor(name)(accessor)
    if replaced:
        warnings.warn(
            f"pdclean replaced an existing DataFrame.{name} attribute ({existing!r}) with its "
            f"accessor; the same functions are available as pdclean.find_label_issues(df, ...) "
            "etc.",
            UserWarning,
            stacklevel=2,
        )


register()
