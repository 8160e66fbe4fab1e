"""The package's shape: no import cycles, no module importing another module's private names.

The graph is read from the source with ``ast`` (nothing is imported): an edge for every
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

import pytest

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


def test_the_package_has_no_import_cycle() -> None:
    edges, _ = import_graph(PACKAGE)
    assert len(edges) > 40  # the whole package was read
    assert "storyline.analyze" in edges["storyline.pipeline"]
    found = cycles(edges)
    described = ["; ".join(f"{m} -> {sorted(edges[m] & set(c))}" for m in c) for c in found]
    assert found == [], "import cycles:\n" + "\n".join(described)


def test_no_module_imports_another_modules_private_names() -> None:
    _, private = import_graph(PACKAGE)
    assert private == [], "\n".join(f"{m} imports {n} from {s}" for m, s, n in private)


def _write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "storyline"


@pytest.mark.parametrize(("files", "expected"), [
    # a cycle closed by an import inside a function
    ({"storyline/__init__.py": "", "storyline/a.py": "from .b import f\n",
      "storyline/b.py": "def f():\n    from .a import g\n"}, [["storyline.a", "storyline.b"]]),
    # through a subpackage, with an absolute import and a parent-relative one
    ({"storyline/__init__.py": "", "storyline/a.py": "import storyline.sub.c\n",
      "storyline/sub/__init__.py": "", "storyline/sub/c.py": "from .. import a\n"},
     [["storyline.a", "storyline.sub.c"]]),
    # negative: one direction only, and a submodule importing from its own package's sibling
    ({"storyline/__init__.py": "from .a import x\n", "storyline/a.py": "from .b import y\n",
      "storyline/b.py": "import json\n"}, []),
])
def test_cycles_are_found_wherever_the_import_sits(tmp_path, files, expected) -> None:  # type: ignore[no-untyped-def]
    edges, _ = import_graph(_write(tmp_path, files))
    assert cycles(edges) == expected


def test_private_names_are_found_but_not_dunders_or_private_submodules(tmp_path) -> None:  # type: ignore[no-untyped-def]
    root = _write(tmp_path, {
        "storyline/__init__.py": "__version__ = '1'\n",
        "storyline/a.py": "_hidden = 1\n",
        "storyline/_impl.py": "",
        "storyline/b.py": "from . import __version__, _impl\n\ndef f():\n    from .a import _hidden\n",
    })
    _, private = import_graph(root)
    assert private == [("storyline.b", "storyline.a", "_hidden")]
