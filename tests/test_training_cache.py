"""The cache of the training gates: what its key follows, and a miss that trains then a hit that does not."""

from __future__ import annotations

from pathlib import Path

import pytest

import training_cache
from training_cache import trained_lexicon, training_key


def _package(root: Path) -> tuple[Path, Path]:
    files = {
        "storyline/__init__.py": "",
        "storyline/learn.py": "def f():\n    from .extract.cues import g\n",
        "storyline/extract/__init__.py": "",
        "storyline/extract/cues.py": "def g():\n    return 1\n",
        "storyline/render.py": "def h():\n    return 2\n",
        "data/text/a.txt": "Ana said it.",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root / "storyline", root / "data"


@pytest.mark.parametrize(("edit", "changes"), [
    ("storyline/extract/cues.py", True),  # imported by learn, inside a function
    ("storyline/learn.py", True),
    ("storyline/extract/__init__.py", True),  # a package Python runs before the module
    ("data/text/a.txt", True),  # the training data
    ("storyline/render.py", False),  # negative: a module training never runs
])
def test_the_key_follows_what_training_runs_and_reads(tmp_path, edit, changes) -> None:  # type: ignore[no-untyped-def]
    package, data = _package(tmp_path)
    before = training_key("scorers", data, package)
    assert training_key("encoder", data, package) != before
    with (tmp_path / edit).open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    assert (training_key("scorers", data, package) != before) is changes


def test_a_miss_trains_and_stores_then_a_hit_reuses(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STORYLINE_CI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(training_cache, "training_key", lambda kind, data: f"key-{kind}")
    calls: list[Path] = []

    def fake_train(kind, parsed, data, out):  # type: ignore[no-untyped-def]
        calls.append(out)
        out.mkdir(parents=True, exist_ok=True)
        (out / "cues.json").write_text('{"verbs": []}', encoding="utf-8")

    monkeypatch.setattr(training_cache, "train", fake_train)
    parse_calls: list[int] = []

    def parse():  # type: ignore[no-untyped-def]
        parse_calls.append(1)
        return [], []

    first = trained_lexicon("scorers", tmp_path, parse, tmp_path / "scratch", report=lambda s: None)
    second = trained_lexicon("scorers", tmp_path, parse, tmp_path / "scratch", report=lambda s: None)
    assert first == second == tmp_path / "cache" / "scorers-key-scorers" / "cues.json"
    assert len(calls) == 1 and len(parse_calls) == 1
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["scorers-key-scorers"]  # no half entry left
    # off: trains every time, into the scratch folder
    monkeypatch.setenv("STORYLINE_CI_CACHE", "off")
    assert trained_lexicon("scorers", tmp_path, parse, tmp_path / "scratch") == tmp_path / "scratch" / "cues.json"
    assert len(calls) == 2


def test_a_failed_training_leaves_no_entry(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("STORYLINE_CI_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(training_cache, "training_key", lambda kind, data: "k")

    def broken(kind, parsed, data, out):  # type: ignore[no-untyped-def]
        (out / "cues.json").write_text("{", encoding="utf-8")
        raise RuntimeError("interrupted")

    monkeypatch.setattr(training_cache, "train", broken)
    with pytest.raises(RuntimeError):
        trained_lexicon("encoder", tmp_path, lambda: ([], []), tmp_path / "scratch", report=lambda s: None)
    assert list((tmp_path / "cache").iterdir()) == []
