"""Import boundaries: tui.core never imports Textual, and no tui modules import each other
in a cycle."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import tui
import tui.core

TUI = Path(tui.__file__).resolve().parent


def test_no_core_module_imports_textual() -> None:
    # Subpackages too (tui.core.formats, tui.core.relations).
    modules = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
    assert {"tui.core.reader", "tui.core.relations.schema"} <= set(modules)
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def _module_name(path: Path) -> str:
    parts = path.relative_to(TUI.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (TUI.parent / relative).with_suffix(".py").is_file() or (
        TUI.parent / relative / "__init__.py"
    ).is_file()


def _imports(path: Path) -> set[str]:
    """Every tui module ``path`` imports: at the top, for type checking or inside functions.

    ``from package import module`` counts as importing the module, not the package (a
    package's own submodules may import their siblings that way).
    """
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("tui"))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module.split(".")[0] != "tui":
                continue
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            modules = {name for name in submodules if _is_module(name)}
            found.update(modules)
            if len(modules) < len(submodules):
                found.add(node.module)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = 1
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)) is not None:
                return found
        path.pop()
        state[module] = 2
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)) is not None:
            return found
    return None


def test_the_cycle_finder_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_cycle_among_tui_modules() -> None:
    graph = {_module_name(path): _imports(path) for path in sorted(TUI.rglob("*.py"))}
    assert "tui.screens.reading_aids" in graph["tui.screens.main"]
    assert _cycle(graph) is None, " → ".join(_cycle(graph) or [])
