"""What every reconciliation step reads: the story's analyses, their source groups, the story
entities, the sentence space, and a collector for findings."""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources

from ..align import SentenceSpace
from ..models import Analysis, Claim
from ..report import Evidence, Finding, FindingValue

_NORM = re.compile(r"[^\w\s]")


def norm(text: str) -> str:
    """Lower-case words without punctuation, curly apostrophes folded: for comparing wordings."""
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(_NORM.sub(" ", text.lower()).split())


def words(text: str) -> list[str]:
    """The words :func:`norm` compares, as written (case kept): one for each of ``norm(text).split()``."""
    text = text.replace("’", "'").replace("‘", "'")
    return _NORM.sub(" ", text).split()


def short(text: str, n: int = 70) -> str:
    """``text`` on one line, cut to ``n`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass(slots=True)
class StoryContext:
    """The analyses of one story and what reconciliation knows about them."""

    analyses: Sequence[Analysis]
    groups: Sequence[str]  # source group of each analysis
    gid: dict[tuple[int, str], str]  # (analysis index, local entity id) -> story entity id
    names: dict[str, str]  # story entity id -> name
    types: dict[str, str]  # story entity id -> type
    space: SentenceSpace
    _mentions: list[list[tuple[int, int, str]]] = field(default_factory=list)
    _starts: list[list[int]] = field(default_factory=list)  # each article's mention starts, in order
    _longest: list[int] = field(default_factory=list)  # each article's longest mention

    def __post_init__(self) -> None:
        for ai, a in enumerate(self.analyses):
            spans = sorted((m.start, m.end, self.gid.get((ai, e.id), "")) for e in a.entities for m in e.mentions)
            self._mentions.append(spans)
            self._starts.append([s for s, _e, _eid in spans])
            self._longest.append(max((e - s for s, e, _eid in spans), default=0))

    def article_id(self, ai: int) -> str:
        return self.analyses[ai].article.article.id

    def outlet(self, ai: int) -> str:
        """The outlet's name, or "article ID" when the outlet is unknown."""
        art = self.analyses[ai].article.article
        return art.outlet if art.outlet != "unknown" else f"article {art.id}"

    def evidence(self, ai: int, start: int, end: int) -> Evidence:
        """Evidence: the exact slice ``text[start:end]`` of article ``ai``."""
        return Evidence(self.article_id(ai), start, end, self.analyses[ai].article.text[start:end])

    def value(self, ai: int, value: str) -> FindingValue:
        return FindingValue(self.article_id(ai), value)

    def entity(self, ai: int, local_id: str | None) -> str | None:
        """The story entity of an article's entity id."""
        return self.gid.get((ai, local_id)) if local_id else None

    def claims_by_entity(self, kind: str) -> dict[str, list[tuple[int, Claim]]]:
        """The claims of ``kind`` ("role", "residence") of every article, by story entity."""
        out: dict[str, list[tuple[int, Claim]]] = {}
        for ai, a in enumerate(self.analyses):
            for c in a.claims:
                eid = self.entity(ai, c.entity_id) if c.kind == kind else None
                if eid:
                    out.setdefault(eid, []).append((ai, c))
        return out

    def corroborate(self, out: Findings, its: Sequence[tuple[int, Claim]], about: str, detail: str, *,
                    subkind: str, signal: str) -> None:
        """Corroborate one value that the claims ``its`` give, when two or more independent sources
        give it; ``{n}`` in ``detail`` becomes their number."""
        sources = {self.groups[ai] for ai, _ in its}
        if len(sources) >= 2:
            out.add("corroborated", about, detail.replace("{n}", str(len(sources))),
                    [self.evidence(ai, c.start, c.end) for ai, c in its], subkind=subkind, confidence=0.8,
                    signals=(signal,), values=[self.value(ai, c.value) for ai, c in its])

    def entities_in(self, ai: int, start: int, end: int) -> set[str]:
        """Story entities mentioned inside ``[start, end)`` of article ``ai``."""
        # only mentions starting before ``end`` and less than the longest mention before ``start``
        # can overlap: look at those, not at every mention of the article
        starts = self._starts[ai]
        lo = bisect_left(starts, start - self._longest[ai])
        hi = bisect_left(starts, end)
        return {eid for s, e, eid in self._mentions[ai][lo:hi] if eid and s < end and start < e}

    def sentence(self, ai: int, offset: int) -> int:
        """Global index (in ``space``) of the sentence of article ``ai`` holding ``offset``."""
        return self.space.sentence_of(ai, offset)

    def sentence_span(self, index: int) -> tuple[int, int, int]:
        """(analysis index, start, end) of a sentence by global index."""
        ref = self.space.refs[index]
        return ref.ai, ref.start, ref.end


def _calibration() -> dict[str, tuple[int, int]]:
    data = json.loads(resources.files("storyline.reconcile").joinpath("calibration.json").read_text("utf-8"))
    return {k: (int(v[0]), int(v[1])) for k, v in data["conflicts"].items()}


#: Real / all conflicts per class ("step:subkind/severity") on the development set
#: (scripts/calibrate_findings.py).
CALIBRATION = _calibration()
#: The signal that names the step that found a conflict: part of its calibration class.
FOUND_BY = "found by "


def conflict_class(step: str, subkind: str, severity: str) -> str:
    """The calibration class of a conflict: which comparison found it, what, how grave."""
    return f"{step}:{subkind}/{severity}"


def calibrated(cls: str, score: float) -> float:
    """A conflict's confidence: the smoothed share of real conflicts of its class on the development
    set, and the score that ranks it within its class when the class was never seen there."""
    seen = CALIBRATION.get(cls)
    if seen is None:
        return score
    real, total = seen
    return (real + 1) / (total + 2)


class DisjointSets:
    """Union-find over hashable keys: which items (quotations, claims, sentences) form one group."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, key: object) -> object:
        """The representative of ``key``'s group (``key`` itself when never joined)."""
        parent = self.parent
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(self, a: object, b: object) -> object:
        """Join the groups of ``a`` and ``b``; returns the new representative."""
        ra, rb = self.find(a), self.find(b)
        self.parent[ra] = rb
        return rb


class Findings:
    """Collects findings; ids are given when the story is assembled."""

    def __init__(self) -> None:
        self.items: list[Finding] = []
        self.scores: dict[int, float] = {}  # id(finding) -> the raw score that ranks it in its class

    def add(self, kind: str, about: str, detail: str, evidence: Sequence[Evidence], *, subkind: str | None = None,
            confidence: float = 1.0, signals: Sequence[str] = (), values: Sequence[FindingValue] = (),
            severity: str | None = None, step: str = "") -> None:
        """Add a finding; a conflict's ``confidence`` is its raw score, calibrated here by its class
        (``step``, the comparison that found it; its sub-kind and severity)."""
        score = max(0.0, min(1.0, confidence))
        if kind == "conflict":
            severity = severity or "major"
            confidence = calibrated(conflict_class(step, subkind or "", severity), score)
            signals = (*signals, f"score {score:.2f}", f"{FOUND_BY}{step}")
        finding = Finding("", kind, about, detail, tuple(evidence), subkind, round(max(0.0, min(1.0, confidence)), 3),
                          tuple(signals), tuple(values), severity if kind == "conflict" else None)
        self.scores[id(finding)] = score
        self.items.append(finding)
