"""The public surface: exported names, and the layer rule (algorithms never import pandas)."""

import subprocess
import sys
from pathlib import Path

import pytest

import pdclean

PACKAGE = Path(pdclean.__file__).parent


def test_all_is_sorted_and_complete():
    assert list(pdclean.__all__) == sorted(pdclean.__all__)
    for name in pdclean.__all__:
        assert getattr(pdclean, name) is not None, name
    public = {n for n in vars(pdclean) if not n.startswith("_")} - {"annotations", "contextlib"}
    public -= {"logging", "importlib", "register_when_imported", "LAZY_MODULES"}
    subpackages = {"accessor", "checks", "cli", "core", "dask", "frame", "learning", "neighbors"}
    public -= subpackages | {"report"}
    assert public <= set(pdclean.__all__), public - set(pdclean.__all__)


@pytest.mark.parametrize("module", ["count", "filter", "rank", "dataset", "noise", "plot"])
def test_numpy_level_modules_export_sorted_names(module):
    mod = getattr(pdclean, module)
    assert list(mod.__all__) == sorted(mod.__all__)
    for name in mod.__all__:
        assert callable(getattr(mod, name)) or name.isupper(), name


def test_import_does_not_load_scikit_learn():
    code = "import sys, pdclean; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_lazy_names_resolve_and_unknown_names_raise():
    assert pdclean.CleanLearning.__name__ == "CleanLearning"
    assert pdclean.Audit.__name__ == "Audit"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = pdclean.nope
