"""The README's tour runs as written and gives the same numbers on every run."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

README = Path(__file__).resolve().parents[1] / "README.md"


def _tour() -> str:
    text = README.read_text()
    section = text[text.index("## A tour") :]
    return re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)


def _run_tour() -> dict:
    namespace: dict = {}
    exec(compile(_tour().replace("print(", "str("), "README tour", "exec"), namespace)
    return namespace


def test_tour_is_deterministic():
    first, second = _run_tour(), _run_tour()
    np.testing.assert_array_equal(first["P"].to_numpy(), second["P"].to_numpy())
    assert first["issues"]["is_label_issue"].sum() == 54
    assert first["issues"].equals(second["issues"])
