"""The package's layers import one way (STYLE.md section 1), and old flat paths still import."""

from __future__ import annotations

import ast
import importlib
import sys
import warnings
from pathlib import Path

import pytest

import kil_io

ROOT = Path(kil_io.__file__).parent
#: Rank of each top-level part: a module may import only parts of its own rank or lower.
RANK = {
    "errors": 0, "files": 0, "limits": 0, "yamlsafe": 0, "_moved": 0, "_version": 0, "_notebook": 1,
    "model": 1, "readers": 2, "regional": 2, "datasets": 3, "appraisal": 4, "records": 5, "uncertainty": 5,
    "interregional": 3,  # kil_io.interregional: a short path to datasets.interregional and regional.interregional
    "reporting": 6,
    "runner": 7, "cli": 8, "__main__": 9,
}  # fmt: skip


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kil_io"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kil_io"))
    return found


MODULES = {_module(p): p for p in ROOT.rglob("*.py")}


def _part(module: str) -> str:
    return module.split(".")[1] if "." in module else ""


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "kil_io"))
def test_a_module_imports_only_its_own_layer_or_lower(module: str) -> None:
    mine = RANK[_part(module)]
    for imported in _imports(MODULES[module]):
        part = _part(imported)
        if part and part in RANK:  # "from kil_io import __version__" names the package itself
            assert RANK[part] <= mine, f"{module} (layer {mine}) imports {imported} (layer {RANK[part]})"


def test_no_module_is_over_500_lines() -> None:
    """One topic per module (STYLE.md): a module that grows past 500 lines is split by topic."""
    long = {m: n for m, p in MODULES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, f"modules over 500 lines: {long}"


def test_no_import_circles() -> None:
    known = set(MODULES)
    edges = {}
    for module, path in MODULES.items():
        targets = set()
        for imported in _imports(path):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported not in (module, "kil_io"):
                targets.add(imported)
        edges[module] = targets
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycle = [*trail[trail.index(nxt) :], nxt] if nxt in trail else [node, nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module, [module])


def test_old_flat_paths_import_the_new_modules_with_a_deprecation_warning() -> None:
    for old, new in kil_io._moved.MOVED.items():
        sys.modules.pop(old, None)
        with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
            module = importlib.import_module(old)
        assert module is importlib.import_module(new)
    assert kil_io.multipliers is kil_io.model.multipliers.multipliers  # the function, not the module


def test_short_distributed_path_is_supported_without_warning() -> None:
    sys.modules.pop("kil_io.distributed", None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from kil_io import distributed
    assert distributed is importlib.import_module("kil_io.runner.distributed")
