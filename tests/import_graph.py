"""The import graph of a package, read from its source with ``ast`` (nothing is imported).

An edge for every
``import storyline...`` and ``from ... import ...`` naming a storyline module, relative imports
resolved, wherever the statement sits -- inside a function or an ``if TYPE_CHECKING:`` block it
is still a dependency, only a deferred one. ``from P import n`` is an edge to the submodule
``P.n`` when there is one, else to ``P``. The parent packages Python initialises before a
submodule are not edges of their own (every ``from .a.b import x`` would otherwise close a
loop through ``a/__init__.py``). A private name is one with a single leading underscore
(``_x``, not ``__version__``) imported from another module.
"""

from __future__ import annotations

import ast
from pathlib import Path

#: The package the tests and the CI cache key read.
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "storyline"


def _modules(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package ``__init__``) for every module under ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        out[".".join(parts)] = (path, is_package)
    return out


def import_graph(root: Path) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """The edges between the modules of the package at ``root``, and its cross-module private
    imports as (importer, imported module, name)."""
    modules = _modules(root)
    top = root.name
    edges: dict[str, set[str]] = {name: set() for name in modules}
    private: list[tuple[str, str, str]] = []

    def owner(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    for name, (path, is_package) in modules.items():
        here = name.split(".") if is_package else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == top or alias.name.startswith(top + "."):
                        target = owner(alias.name)
                        if target is not None and target != name:
                            edges[name].add(target)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[:len(here) - node.level + 1]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                if source != top and not source.startswith(top + "."):
                    continue
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    target = submodule if submodule in modules else owner(source)
                    if target is not None and target != name:
                        edges[name].add(target)
                    private_name = alias.name.startswith("_") and not alias.name.startswith("__")
                    if private_name and submodule not in modules and target != name:
                        private.append((name, source, alias.name))
    return edges, private


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def closure(edges: dict[str, set[str]], start: str) -> set[str]:
    """``start`` and every module it imports, directly or not, with the packages holding them
    (Python runs a package's ``__init__`` before any module in it)."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(edges.get(name, ()))
        parent = name.rpartition(".")[0]
        while parent:
            seen.add(parent)
            parent = parent.rpartition(".")[0]
    return seen


def module_files(root: Path, names: set[str]) -> list[Path]:
    """The source files of the named modules, sorted."""
    modules = _modules(root)
    return sorted(modules[n][0] for n in names if n in modules)
