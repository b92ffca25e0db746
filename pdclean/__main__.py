"""``python -m pdclean`` and the ``pdclean`` command (see :mod:`pdclean._cli`)."""

from __future__ import annotations

import sys

from pdclean._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
