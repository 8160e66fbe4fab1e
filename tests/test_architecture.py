"""The package's shape: no import cycles, no module importing another module's private names.

The graph and what counts as an edge or a private name: ``import_graph`` (beside this file).
Imports inside functions count: a deferred import is still a dependency.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from import_graph import PACKAGE, cycles, import_graph


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
