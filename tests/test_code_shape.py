"""The shape of the code, checked in CI (issue 12): modules in gxaudit/core/
at most 500 lines, functions at most 60 lines and cyclomatic complexity 20
(radon), and no import cycle among gxaudit's modules (every import in the
AST, inside functions too; ``if TYPE_CHECKING:`` blocks excluded)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

radon_complexity = pytest.importorskip("radon.complexity")

PKG = ROOT / "gxaudit"
CORE = PKG / "core"
MAX_LINES, MAX_FUNC_LINES, MAX_CC = 500, 60, 20

# Modules exempt from the limits: none.
ALLOWED: set[str] = set()

# Functions that existed before the guard and were over a limit: all split
# now.  Kept as a ratchet (the test fails when anything goes over); it must
# stay empty.
DEBT: set[str] = set()


def _rel(p: Path) -> str:
    return p.relative_to(PKG).as_posix()


def _blocks(src: str):
    for b in radon_complexity.cc_visit(src):
        yield b
        yield from getattr(b, "methods", ()) or ()


def core_violations() -> set[str]:
    out = set()
    for p in sorted(CORE.rglob("*.py")):
        rel = _rel(p)
        if rel in ALLOWED:
            continue
        src = p.read_text(encoding="utf-8")
        if len(src.splitlines()) > MAX_LINES:
            out.add(rel + "::lines")
        for b in _blocks(src):
            if hasattr(b, "methods"):          # a class: its methods are checked one by one
                continue
            if b.complexity > MAX_CC or b.endline - b.lineno + 1 > MAX_FUNC_LINES:
                out.add(f"{rel}:{b.name}")
    return out


def test_core_modules_and_functions_within_limits():
    found = core_violations()
    new = sorted(found - DEBT)
    fixed = sorted(DEBT - found)
    assert new == [], f"over the limits (split them): {new}"
    assert fixed == [], f"no longer over the limits, remove from DEBT: {fixed}"


# -- import cycles ------------------------------------------------------------------

def _module_name(p: Path) -> str:
    parts = list(p.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    t = node.test
    return (isinstance(t, ast.Name) and t.id == "TYPE_CHECKING") or \
        (isinstance(t, ast.Attribute) and t.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST):
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def import_graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in files}
    for mod, path in files.items():
        package = mod if path.name == "__init__.py" else mod.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(up + ([node.module] if node.module else []))
                # ``from pkg import mod`` imports the module; ``from pkg import name`` the package
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in files else base
                           for a in node.names]
            for t in targets:
                if t in files and t != mod:
                    graph[mod].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle():
    graph = import_graph()
    assert "gxaudit.core.session" in graph["gxaudit.cli"]     # the walk sees imports in functions
    assert cycles(graph) == []
