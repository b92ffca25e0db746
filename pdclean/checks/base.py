"""The check contract and the registry of audit checks.

A check is a numpy-level function decorated with :func:`register_check`. It takes keyword-only
inputs among ``features``, ``isnull``, ``knn``, ``labels`` and ``pred_probs`` (``None`` when not
available), then keyword-only parameters with defaults, and returns a :class:`CheckResult`.
A new check is a new module holding one decorated function, imported by ``pdclean.checks``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pdclean.errors import InputError

__all__ = [
    "INPUT_NAMES",
    "CheckResult",
    "CheckSpec",
    "Skip",
    "get_check",
    "register_check",
    "registry",
]

INPUT_NAMES = ("features", "group_ids", "isnull", "knn", "labels", "pred_probs")


@dataclass
class CheckResult:
    """The outcome of one check on n rows.

    Attributes
    ----------
    name : str
        The issue type, e.g. ``"outlier"``.
    is_issue : ndarray of bool, shape (n,)
        Rows flagged by the check.
    score : ndarray of float, shape (n,)
        Per-row quality in [0, 1], low = worse.
    summary_score : float
        Dataset-level quality for this issue type (SPEC 9.12).
    details : dict
        Check-specific extra results (arrays and scalars).
    rows : ndarray of int or None
        Positions, in the audited table, of the rows the check ran on (its arrays follow
        them); None when it ran on every row.

    Examples
    --------
    >>> r = CheckResult("demo", np.array([True, False]), np.array([0.1, 0.9]), 0.5)
    >>> r.num_issues
    1
    """

    name: str
    is_issue: np.ndarray
    score: np.ndarray
    summary_score: float
    details: dict[str, Any] = field(default_factory=dict)
    rows: np.ndarray | None = None

    @property
    def num_issues(self) -> int:
        """Number of flagged rows."""
        return int(np.count_nonzero(self.is_issue))


class Skip(str):
    """Why a check did not run: a readable reason (a ``str``) and the inputs it lacked.

    ``missing`` names the inputs (``"labels"``, ``"knn"``, ...) that were not available, so
    that callers act on the structure, never on the wording of the reason; it is empty when
    the inputs were there but the data could not be checked (a :class:`PdcleanError`).
    """

    missing: frozenset[str]

    def __new__(cls, reason: str, missing: Iterable[str] = ()) -> Skip:
        skip = super().__new__(cls, reason)
        skip.missing = frozenset(missing)
        return skip

    def extend(self, detail: str) -> Skip:
        """The same skip with ``detail`` appended to the reason."""
        return Skip(f"{self}; {detail}", self.missing)


@dataclass(frozen=True)
class CheckSpec:
    """A registered check: its function, the input sets it can run on, and its parameters."""

    name: str
    func: Callable[..., CheckResult]
    requires: tuple[tuple[str, ...], ...]
    inputs: tuple[str, ...]
    params: dict[str, Any]

    def missing_inputs(self, available: set[str]) -> Skip | None:
        """Return ``None`` if one input set is available, else a :class:`Skip` saying what lacks."""
        if any(set(alt) <= available for alt in self.requires):
            return None
        options = " or ".join("+".join(alt) for alt in self.requires)
        missing = set().union(*(set(alt) - available for alt in self.requires))
        return Skip(f"needs {options}", missing)


registry: dict[str, CheckSpec] = {}


def _normalise_requires(requires: tuple, params: dict) -> tuple[tuple[str, ...], ...]:
    """Alternatives of required names; a name is an input or a parameter (given, not None)."""
    alts = (tuple(requires),) if all(isinstance(r, str) for r in requires) else requires
    for alt in alts:
        bad = sorted(set(alt) - set(INPUT_NAMES) - set(params))
        if bad:
            raise ValueError(f"unknown input names {bad}; valid: {INPUT_NAMES}")
    return tuple(tuple(alt) for alt in alts)


def register_check(name: str, *, requires: tuple = ()) -> Callable:
    """Register a check function under ``name``.

    Parameters
    ----------
    name : str
        The issue type (snake_case); result columns are ``is_<name>_issue`` and ``<name>_score``.
    requires : tuple
        Either a tuple of input names that must all be present, or a tuple of such tuples
        (alternatives: the check runs if any one set is present).

    Examples
    --------
    >>> @register_check("_doc_demo", requires=("labels",))
    ... def _demo(*, labels=None, flag=1):
    ...     return CheckResult("_doc_demo", labels == flag, (labels != flag) * 1.0, 1.0)
    >>> registry["_doc_demo"].requires, registry["_doc_demo"].params
    ((('labels',),), {'flag': 1})
    >>> del registry["_doc_demo"]
    """

    def decorate(func: Callable[..., CheckResult]) -> Callable[..., CheckResult]:
        sig = inspect.signature(func)
        inputs = tuple(p for p in sig.parameters if p in INPUT_NAMES)
        params = {
            p.name: p.default
            for p in sig.parameters.values()
            if p.name not in INPUT_NAMES and p.kind is p.KEYWORD_ONLY
        }
        registry[name] = CheckSpec(
            name, func, _normalise_requires(requires, params), inputs, params
        )
        return func

    return decorate


def get_check(name: str) -> CheckSpec:
    """Return the registered check ``name`` or raise InputError listing the valid names."""
    try:
        return registry[name]
    except KeyError:
        valid = ", ".join(repr(n) for n in registry)
        raise InputError(
            f"issue_types: unknown issue type {name!r}; valid issue types are {valid}."
        ) from None


def check_fraction(name: str, value: float, *, low: float = 0.0, high: float | None = 1.0) -> float:
    """Validate a numeric parameter in [low, high] and return it as float."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)
    if ok and np.isfinite(value) and value >= low and (high is None or value <= high):
        return float(value)
    rng = f"in [{low}, {high}]" if high is not None else f">= {low}"
    raise InputError(f"{name} must be a number {rng}, got {value!r}; pass a value {rng}.")


def result_arrays(n: int) -> tuple[np.ndarray, np.ndarray]:
    """An all-False issue mask and an all-ones score vector of length n."""
    return np.zeros(n, dtype=bool), np.ones(n, dtype=np.float64)
