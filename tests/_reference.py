"""The reference numbers: cleanlab 2.9.0's outputs on the tutorial (shared/reference), copied
into tests/data so that the tests run on any machine."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pdclean.datasets

SEED_REFERENCE = Path(__file__).parent / "data" / "seed_reference.json"
TUTORIAL_CSV = Path(pdclean.datasets.__file__).parent / "tutorial-data.csv"


@cache
def _load() -> dict:
    return json.loads(SEED_REFERENCE.read_text())


def reference() -> dict:
    """The ``reference`` key: cleanlab 2.9.0 with stable tie order (SPEC 1.3)."""
    return _load()["reference"]
