"""The public surface: exported names, and the layer rule (algorithms never import pandas)."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import pdclean

PACKAGE = Path(pdclean.__file__).parent
#: numpy-level modules: the algorithms. They import numpy (and scipy / scikit-learn) only.
ALGORITHMS = [
    "_blocks.py", "_health.py", "_latent.py", "_prune.py", "_rounding.py", "_scoring.py",
    "_select.py", "_stats.py", "_validation.py", "count.py", "filter.py", "noise.py",
    "rank.py", "_noise_checks.py",
    *[f"_audit/{p.name}" for p in (PACKAGE / "_audit").glob("*.py") if p.name != "result.py"],
]  # fmt: skip


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", ALGORITHMS)
def test_algorithm_modules_do_not_import_pandas(module):
    imported = _imported_modules(PACKAGE / module)
    assert not {m for m in imported if m.split(".")[0] == "pandas"}, module
    faces = {"pdclean.accessor", "pdclean.frame.issues", "pdclean.frame.resolve", "pdclean.dataset"}
    assert not imported & faces, module


def test_all_is_sorted_and_complete():
    assert list(pdclean.__all__) == sorted(pdclean.__all__)
    for name in pdclean.__all__:
        assert getattr(pdclean, name) is not None, name
    public = {n for n in vars(pdclean) if not n.startswith("_")} - {"annotations", "contextlib"}
    public -= {"logging", "register_dask"}
    assert public <= set(pdclean.__all__) | {"accessor"}, public - set(pdclean.__all__)


@pytest.mark.parametrize("module", ["count", "filter", "rank", "dataset", "noise"])
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
