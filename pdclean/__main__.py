"""``python -m pdclean`` and the ``pdclean`` command (see :mod:`pdclean.cli.main`)."""

from __future__ import annotations

import sys

from pdclean.cli.main import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
