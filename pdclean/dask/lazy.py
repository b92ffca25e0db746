"""Register the Dask accessor when ``dask.dataframe`` is imported, never before.

Importing ``dask.dataframe`` costs about 2 s, so ``import pdclean`` must not do it. Instead, a
finder placed first on :data:`sys.meta_path` waits for the first import of ``dask.dataframe``
(by the user, at any later time) and registers ``DaskDataFrame.clean`` right after that module
has run. When ``dask.dataframe`` is already imported, the accessor is registered at once.
"""

from __future__ import annotations

import importlib.abc
import sys
import warnings
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

__all__ = ["PostImportHook", "register_when_imported"]

DASK_MODULE = "dask.dataframe"


class PostImportHook(importlib.abc.MetaPathFinder):
    """Run ``callback()`` once, right after the module ``name`` has been executed."""

    def __init__(self, name: str, callback: Callable[[], None]) -> None:
        self.name = name
        self.callback = callback

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != self.name:
            return None
        spec = self._real_spec(fullname, path, target)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run = spec.loader.exec_module

        def exec_then_call(module: ModuleType) -> None:
            run(module)
            self.remove()
            self.callback()

        spec.loader.exec_module = exec_then_call  # type: ignore[method-assign]
        return spec

    def _real_spec(self, fullname: str, path: Any, target: Any) -> ModuleSpec | None:
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                return spec
        return None

    def remove(self) -> None:
        """Take this hook off :data:`sys.meta_path` (idempotent)."""
        if self in sys.meta_path:
            sys.meta_path.remove(self)


def _register() -> None:
    from pdclean.dask.accessor import register_dask  # on dask's import, not pdclean's

    try:
        register_dask()
    except ImportError as exc:  # dask.dataframe without its optional dependencies
        warnings.warn(
            f"pdclean could not register DataFrame.clean on Dask ({exc}); install "
            "'pdclean[dask]' to use the Dask accessor.",
            ImportWarning,
            stacklevel=2,
        )


def register_when_imported() -> PostImportHook | None:
    """Register the Dask accessor now if dask.dataframe is loaded, else on its first import.

    Returns the hook that waits for the import (None when the accessor was registered at
    once, or a hook is already waiting).
    """
    if DASK_MODULE in sys.modules:
        _register()
        return None
    if any(isinstance(f, PostImportHook) and f.name == DASK_MODULE for f in sys.meta_path):
        return None
    hook = PostImportHook(DASK_MODULE, _register)
    sys.meta_path.insert(0, hook)
    return hook
