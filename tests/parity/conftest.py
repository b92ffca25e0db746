"""Fixtures of the parity suite: the cleanlab 2.9.0 oracle with stable tie-breaking."""

import functools

import pytest
from _oracle import call_oracle


@pytest.fixture
def oracle(monkeypatch):
    """``oracle(cleanlab_fn, *args, **kwargs)``: cleanlab's answer with its sorts made stable.

    numpy.argsort and pandas' sort_values are patched only for the duration of the call (see
    _oracle.py for what cleanlab sorts and how each path is neutralised); warnings and prints
    are silenced; array arguments are copied.
    """
    return functools.partial(call_oracle, monkeypatch)
