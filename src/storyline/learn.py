"""Learning attribution cues from annotated data the user supplies.

``storyline train attribution --polnear DIR --out cues.json`` counts, over a PolNeAR-layout
folder, how often each verb and noun heads an annotated Cue and which dependency of that
cue holds the Content. Lemmas that head cues often enough join storyline's built-in
reporting-verb lexicon at analysis time (``--cue-lexicon cues.json``). storyline ships no
such file: the weights come only from data the user has the right to use.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .extract.quotes import CueLexicon

SCHEMA = "storyline.cue-lexicon/1"
_COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "attr", "oprd", "advcl", "parataxis", "acl"}


def _extent(doc: Any, spans: list[tuple[int, int]]) -> Any:
    """The tokens from the first to the last fragment of a (possibly discontinuous) annotation."""
    return doc.char_span(min(a for a, _ in spans), max(b for _, b in spans), alignment_mode="expand")


def train_cue_lexicon(directory: str | Path, *, model: str = "auto", min_count: int = 3,
                      min_ratio: float = 0.3, limit: int | None = None) -> dict[str, Any]:
    """Count cue heads and their content dependencies over a PolNeAR-layout folder."""
    from .evaluation.attribution import read_polnear
    from .nlp import load_pipeline

    nlp = load_pipeline(model)
    docs = list(read_polnear(directory, limit=limit))
    if not docs:
        raise ConfigError(f"{directory}: no annotated texts to learn from")
    as_cue: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    deps: dict[str, Counter[str]] = defaultdict(Counter)
    for d, parsed in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16), strict=True):
        for tok in parsed:
            if tok.pos_ in {"VERB", "NOUN"}:
                total[(tok.lemma_.lower(), tok.pos_)] += 1
        for rel in d.gold:
            cue_spans = rel.role("Cue")
            if not cue_spans:
                continue
            span = _extent(parsed, cue_spans)
            if span is None:
                continue
            head = span.root
            if head.pos_ not in {"VERB", "NOUN"}:
                continue
            key = (head.lemma_.lower(), head.pos_)
            as_cue[key] += 1
            content = rel.role("Content")
            if not content:
                continue
            cspan = _extent(parsed, content)
            if cspan is None:
                continue
            root = cspan.root
            cur = root
            while cur.head != cur and cur.head != head:
                cur = cur.head
            if cur.head == head and cur != head:
                deps[key[0]][cur.dep_] += 1
    verbs, nouns, complements = [], [], {}
    entries = {}
    for (lemma, pos), n in as_cue.items():
        ratio = n / max(1, total[(lemma, pos)])
        if n < min_count or ratio < min_ratio:
            continue
        entries[f"{lemma}/{pos}"] = {"cue": n, "total": total[(lemma, pos)], "ratio": round(ratio, 3)}
        if pos == "VERB":
            verbs.append(lemma)
            seen = [(dep, c) for dep, c in deps[lemma].most_common() if dep in _COMPLEMENT_DEPS]
            top = sum(c for _, c in seen)
            chosen = [dep for dep, c in seen if top and c / top >= 0.2]
            if chosen:
                complements[lemma] = chosen
        else:
            nouns.append(lemma)
    return {"schema": SCHEMA, "trained_on": str(directory), "documents": len(docs),
            "min_count": min_count, "min_ratio": min_ratio, "verbs": sorted(verbs), "nouns": sorted(nouns),
            "complements": complements, "counts": entries}


@lru_cache(maxsize=4)
def load_cue_lexicon(path: str) -> CueLexicon:
    """Read a lexicon written by :func:`train_cue_lexicon`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cue lexicon {path}: cannot read it ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ConfigError(f"cue lexicon {path}: not a {SCHEMA} file (train one with 'storyline train attribution')")
    return CueLexicon(frozenset(data.get("verbs", [])), frozenset(data.get("nouns", [])),
                      {k: tuple(v) for k, v in data.get("complements", {}).items()})
