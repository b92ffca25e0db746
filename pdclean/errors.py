"""Exceptions raised by pdclean.

Every error that pdclean raises on bad input derives from :class:`PdcleanError` *and* from the
builtin exception it refines, so callers may catch either::

    PdcleanError
    ├── InputError(PdcleanError, ValueError)          a value is wrong: shape, range, content
    ├── InputTypeError(PdcleanError, TypeError)       an argument has the wrong type
    └── ColumnNotFoundError(PdcleanError, KeyError)   a named column is not in the frame

Messages name the argument (or column), say what was expected and what was received, and say
how to fix it.
"""

from __future__ import annotations

__all__ = ["ColumnNotFoundError", "InputError", "InputTypeError", "PdcleanError"]


class PdcleanError(Exception):
    """Base class of every exception raised by pdclean."""


class InputError(PdcleanError, ValueError):
    """An input has the right type but a wrong value (shape, range, content)."""


class InputTypeError(PdcleanError, TypeError):
    """An input has the wrong type."""


class ColumnNotFoundError(PdcleanError, KeyError):
    """A column named by the caller is not in the DataFrame."""

    def __str__(self) -> str:
        # KeyError would show the repr of the message; show the message itself.
        return str(self.args[0]) if self.args else ""
