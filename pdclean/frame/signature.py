"""The input keywords of the frame functions, written once.

Every frame function that works from a label column takes the same inputs: pred_probs given,
or computed by cross-validation from ``features`` with ``model``, ``cv`` folds, a
``random_state`` and a ``progress`` bar. :func:`takes_table` writes that keyword block once: the
decorated implementation takes the checked :class:`~pdclean.frame.resolve.ResolvedInput` and its
own options; the public function takes ``(df, label, *, <inputs>, <options>)``, resolves the
inputs by the one resolver, and calls the implementation. Its signature (what ``help()``, IDEs
and the accessor show) lists every keyword explicitly, and a misspelt keyword is an error that
names the function and suggests the closest valid keyword.

The task kind is decided here, once (``task="auto"``): a label that is a list of tag columns,
or a column of tag lists, goes to the multi-label sibling of the function
(:mod:`pdclean.frame.multilabel`); a float column with many distinct non-integer values to the
regression sibling (:mod:`pdclean.frame.regression`); anything else is classification.
"""

from __future__ import annotations

import difflib
import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, get_args

import pandas as pd

from pdclean.core.validation import check_choice
from pdclean.errors import InputError, InputTypeError
from pdclean.frame import multilabel, regression
from pdclean.frame.resolve import resolve
from pdclean.frame.resolve_checks import has_column

__all__ = ["INPUT_KEYWORDS", "check_keywords", "public_signature", "takes_table"]

_KW = inspect.Parameter.KEYWORD_ONLY
#: (name, default) of the shared input keywords, in signature order.
INPUT_KEYWORDS = (
    ("pred_probs", None),
    ("features", None),
    ("model", None),
    ("cv", 5),
    ("random_state", None),
    ("progress", True),
    ("task", "auto"),
)
Task = Literal["auto", "classification", "multilabel", "regression"]
TASKS = get_args(Task)
#: The sibling implementations and resolvers of the other task kinds.
SIBLINGS = {"multilabel": multilabel.SIBLINGS, "regression": regression.SIBLINGS}
RESOLVERS = {
    "multilabel": multilabel.resolve_multilabel,
    "regression": regression.resolve_regression,
}


def _task(df: Any, label: Any, task: Any) -> str:
    """The task kind of this call: given, or (``"auto"``) decided from the label."""
    check_choice("task", task, TASKS)
    if task != "auto":
        return task
    if multilabel.is_multilabel(df, label):
        return "multilabel"
    if isinstance(df, pd.DataFrame) and has_column(df, label):
        return regression.choose_task(df, label)
    return "classification"  # the resolver names what is wrong


def _sibling(name: str, task: str) -> Callable[..., Any]:
    sibling = SIBLINGS[task].get(name)
    if sibling is None:
        raise InputError(
            f"{name}() is defined for classification labels; this label is a {task} target. "
            f"For {task} use find_label_issues, label_quality, annotate or health."
        )
    return sibling


def public_signature(
    impl: Callable[..., Any],
    positional: tuple[str, ...] = ("df", "label"),
    keywords: tuple[tuple[str, Any], ...] = INPUT_KEYWORDS,
) -> inspect.Signature:
    """``(positional..., *, keywords..., impl's own options)``, impl's first argument dropped."""
    own = list(inspect.signature(impl).parameters.values())[1:]  # after the resolved input
    shared = [inspect.Parameter(name, _KW, default=d) for name, d in keywords]
    table = [inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD) for n in positional]
    return inspect.Signature(
        [*table, *shared, *own], return_annotation=inspect.signature(impl).return_annotation
    )


def check_keywords(name: str, given: dict[str, Any], valid: list[str], extra: tuple) -> None:
    """Refuse extra positional arguments and unknown keywords (suggesting the closest)."""
    if extra:
        raise InputTypeError(
            f"{name}() takes the frame and the label column(s) positionally, then keywords "
            f"only; got {len(extra)} more positional argument(s). Pass them by name, e.g. "
            f"{name}(df, 'label', pred_probs=P)."
        )
    for key in given:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise InputTypeError(
                f"{name}() got an unexpected keyword argument {key!r}.{hint} It takes: "
                f"{', '.join(valid)}."
            )


def takes_table(*, ensemble: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate ``impl(resolved, *, options)`` into ``public(df, label, *, inputs, options)``.

    ``ensemble`` lets ``pred_probs`` be a list of pred_probs (one per model).
    """

    def decorate(impl: Callable[..., Any]) -> Callable[..., Any]:
        signature = public_signature(impl)
        valid = [p for p in signature.parameters if p not in ("df", "label")]
        shared = {name for name, _ in INPUT_KEYWORDS} - {"task"}

        name = impl.__name__

        @functools.wraps(impl)
        def public(df: Any, label: Any, *extra: Any, **kwargs: Any) -> Any:
            check_keywords(name, kwargs, valid, extra)
            task = _task(df, label, kwargs.pop("task", "auto"))
            inputs = {k: kwargs.pop(k) for k in list(kwargs) if k in shared}
            if task != "classification":
                sibling = _sibling(name, task)
                return sibling(RESOLVERS[task](df, label, **inputs), **kwargs)
            resolved = resolve(df, label, allow_ensemble=ensemble, **inputs)
            return impl(resolved, **kwargs)

        public.__signature__ = signature  # type: ignore[attr-defined]
        del public.__wrapped__  # type: ignore[attr-defined]  # the signature above is the truth
        public.implementation = impl  # type: ignore[attr-defined]
        return public

    return decorate
