"""The layer contract of the package, read from the source (no import needed).

Layers, top to bottom (an import may only point to its own layer or below; no cycles):

    faces      pdclean (the package), __main__, accessor, cli, dask
    frame      pdclean.frame: the one resolver, feature matrices, the frame functions, Audit
    public     the cleanlab-compatible modules: count, filter, rank, dataset, noise, plot, datasets
    report     pdclean.report: text, HTML and plots of finished results
    checks     pdclean.checks (one module per data check), pdclean.learning (CV, CleanLearning)
    core       pdclean.core (numpy engine), pdclean.neighbors (kNN graphs); numpy/scipy/sklearn only
    base       pdclean.errors
"""

from __future__ import annotations

import ast
import functools
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import pdclean

PACKAGE = Path(pdclean.__file__).parent
LAYERS = {
    "faces": ["pdclean", "pdclean.__main__", "pdclean.accessor", "pdclean.cli", "pdclean.dask"],
    "frame": ["pdclean.frame"],
    "public": [
        "pdclean.count", "pdclean.filter", "pdclean.rank", "pdclean.dataset", "pdclean.noise",
        "pdclean.plot", "pdclean.datasets", "pdclean.multilabel_classification",
        "pdclean.multiannotator", "pdclean.outlier",
        "pdclean.regression",
    ],
    "report": ["pdclean.report"],
    "checks": ["pdclean.checks", "pdclean.learning"],
    "core": ["pdclean.core", "pdclean.neighbors"],
    "base": ["pdclean.errors"],
}  # fmt: skip
ORDER = list(LAYERS)
NUMPY_ONLY = ("pdclean.core", "pdclean.neighbors", "pdclean.checks")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _layer(module: str) -> str:
    """The layer of a module: the longest prefix listed in LAYERS."""
    best = max(
        (prefix for prefixes in LAYERS.values() for prefix in prefixes
         if module == prefix or module.startswith(prefix + ".")),
        key=len,
    )  # fmt: skip
    return next(name for name, prefixes in LAYERS.items() if best in prefixes)


def _imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module, names, at top level) of every `import` / `from ... import` of pdclean."""
    tree = ast.parse(path.read_text())
    top = set(map(id, tree.body))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pdclean"):
            found.append((node.module, [a.name for a in node.names], id(node) in top))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("pdclean"):
                    found.append((alias.name, [], id(node) in top))
    return found


def _target(module: str, name: str) -> str:
    """``from module import name`` imports the submodule ``module.name`` if there is one."""
    return f"{module}.{name}" if f"{module}.{name}" in MODULES else module


@functools.cache
def _edges() -> dict[str, set[str]]:
    edges = defaultdict(set)
    for module, path in MODULES.items():
        for target, names, _ in _imports(path):
            for resolved in [_target(target, n) for n in names] or [target]:
                if resolved != module:
                    edges[module].add(resolved)
    return edges


def test_every_module_has_a_layer():
    for module in MODULES:
        assert _layer(module) in ORDER, module


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    layer = ORDER.index(_layer(module))
    for target in _edges()[module]:
        if target.startswith(module + ".") or module == "pdclean":
            continue  # a package importing its own modules, the package re-exporting
        assert ORDER.index(_layer(target)) >= layer, f"{module} ({_layer(module)}) -> {target}"


def test_no_import_cycles():
    edges = _edges()
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package's __init__ re-exporting its own modules
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join([*path, node, nxt]))
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m.startswith(NUMPY_ONLY)))
def test_algorithm_modules_never_import_pandas(module):
    tree = ast.parse(MODULES[module].read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert "pandas" not in imported, module


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_underscore_name_crosses_a_module_boundary(module):
    for target, names, _ in _imports(MODULES[module]):
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not private, f"{module} imports {private} from {target}"
        assert not any(part.startswith("_") for part in target.split(".")[1:]) or (
            target == "pdclean.__main__"
        ), f"{module} imports the private module {target}"


def test_sizes():
    too_long = []
    for module, path in MODULES.items():
        lines = path.read_text().splitlines()
        if len(lines) > 400:
            too_long.append(f"{module}: {len(lines)} lines")
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                body = node.body
                if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                    body = body[1:] or body  # the docstring does not count
                length = node.end_lineno - body[0].lineno + 1
                if length > 50:
                    too_long.append(f"{module}.{node.name}: {length} lines")
    assert not too_long
    top_level = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top_level) <= 12, sorted(top_level)


def test_import_pdclean_loads_neither_dask_nor_scikit_learn():
    code = (
        "import sys, time; import pandas, sklearn; t = time.perf_counter(); import pdclean; "
        "print(time.perf_counter() - t); "
        "print(any(m == 'dask' or m.startswith('dask.') for m in sys.modules)); "
        "print('sklearn.ensemble' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, dask_loaded, ensemble_loaded = out.stdout.split()
    assert (dask_loaded, ensemble_loaded) == ("False", "False")
    # The cost itself (about 0.3 s on top of pandas and scikit-learn) is measured in
    # benchmarks/bench_import.py, not asserted here: no timing assertions in tests.
    assert float(seconds) > 0


def test_dask_accessor_registers_when_dask_is_imported():
    pytest.importorskip("dask.dataframe")
    code = (
        "import pdclean, pandas as pd, dask.dataframe as dd; "
        "ddf = dd.from_pandas(pd.DataFrame({'y': [0, 1], 'p0': [.9, .2], 'p1': [.1, .8]}), "
        "npartitions=1); print(type(ddf.clean).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "DaskCleanAccessor"
