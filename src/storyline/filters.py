"""Narrow and order a ``storyline.report/1`` report: the CLI's ``--only``, ``--min-confidence``,
``--min-sources``, ``--outlet``, ``--speaker`` and ``--sort``, and the web UI's filters.

Everything works on the plain report dict (what ``--format json`` prints), so the CLI, the
API and the web UI narrow a report the same way. Filters drop findings, quotes and claims;
articles and entities stay, so evidence can still be shown in its article's text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["FINDING_KINDS", "SORT_ORDERS", "ReportFilter", "filter_report", "parse_kinds", "sort_stories",
           "source_count", "speaker_names", "story_dates"]

FINDING_KINDS = ("conflict", "corroborated", "single_source")
#: How stories are ordered, and the rule each order follows (stated at the top of a report).
SORT_ORDERS = {
    "conflicts": "most conflicts first, then most articles",
    "size": "most articles first, then most conflicts",
    "date": "newest article first",
}


def parse_kinds(raw: str | Iterable[str]) -> frozenset[str]:
    """Finding kinds from "conflict,corroborated" (or a list); ValueError names the valid ones."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    kinds = set()
    for item in items:
        word = item.strip().lower().replace("-", "_").replace(" ", "_")
        if not word:
            continue
        if word in {"conflicts", "corroborations", "corroboration"}:
            word = "conflict" if word == "conflicts" else "corroborated"
        if word not in FINDING_KINDS:
            raise ValueError(f"{item.strip()!r} is not a kind of finding; choose from "
                             f"{', '.join(k.replace('_', '-') for k in FINDING_KINDS)}")
        kinds.add(word)
    return frozenset(kinds)


@dataclass(frozen=True, slots=True)
class ReportFilter:
    """What to keep. Empty or zero fields keep everything.

    ``outlets`` and ``speakers`` match case-insensitively on any part of the outlet name, or
    of the speaker's name, one of its aliases or the words the text used for the speaker.
    """

    kinds: frozenset[str] = frozenset()
    min_confidence: float = 0.0
    min_sources: int = 0
    outlets: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()

    @property
    def narrows_findings(self) -> bool:
        """True when findings are filtered (stories left without findings are then dropped)."""
        return bool(self.kinds) or self.min_confidence > 0 or self.min_sources > 1

    @property
    def active(self) -> bool:
        """True when anything is filtered at all."""
        return self.narrows_findings or bool(self.outlets) or bool(self.speakers)


def _matches(needles: Iterable[str], *haystacks: Any) -> bool:
    words = [str(h).lower() for h in haystacks if h]
    return any(n.lower() in w for n in needles for w in words)


def speaker_names(story: Mapping[str, Any], quote: Mapping[str, Any]) -> list[str]:
    """Every name a quote's speaker goes by in the story: the entity's name and aliases, and the text's words."""
    names = [str(quote.get("speaker_text") or "")]
    eid = quote.get("speaker_entity_id")
    for ent in story.get("entities") or []:
        if eid is not None and str(ent.get("id")) == str(eid):
            names += [str(ent.get("name") or ""), *(str(a) for a in ent.get("aliases") or [])]
    return [n for n in names if n]


def source_count(story: Mapping[str, Any], finding: Mapping[str, Any]) -> int:
    """Independent sources behind a finding: the source groups of its evidence (copies count once)."""
    group = {str(a.get("id")): str(a.get("source_group") or a.get("id")) for a in story.get("articles") or []}
    return len({group.get(str(ev.get("article_id")), str(ev.get("article_id")))
                for ev in finding.get("evidence") or []})


def story_dates(story: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The first and last publication dates of a story's articles (ISO), or None when none is dated."""
    dates = sorted(str(a["published"])[:10] for a in story.get("articles") or [] if a.get("published"))
    return (dates[0], dates[-1]) if dates else (None, None)


def _filter_story(story: Mapping[str, Any], flt: ReportFilter) -> dict[str, Any] | None:
    articles = story.get("articles") or []
    outlet_of = {str(a.get("id")): str(a.get("outlet") or "") for a in articles}
    if flt.outlets:
        chosen = {aid for aid, outlet in outlet_of.items() if _matches(flt.outlets, outlet)}
        if not chosen:
            return None
    else:
        chosen = set(outlet_of)
    quotes = [q for q in story.get("quotes") or [] if str(q.get("article_id")) in chosen]
    if flt.speakers:
        quotes = [q for q in quotes if _matches(flt.speakers, *speaker_names(story, q))]
        if not quotes:
            return None
    spans = [(str(q.get("article_id")), q.get("start") or 0, q.get("end") or 0) for q in quotes]

    def keep(f: Mapping[str, Any]) -> bool:
        if flt.kinds and str(f.get("kind")) not in flt.kinds:
            return False
        confidence = f.get("confidence")
        if flt.min_confidence > 0 and (1.0 if confidence is None else float(confidence)) < flt.min_confidence:
            return False
        if flt.min_sources > 1 and source_count(story, f) < flt.min_sources:
            return False
        evidence = f.get("evidence") or []
        if flt.outlets and not any(str(ev.get("article_id")) in chosen for ev in evidence):
            return False
        if flt.speakers:
            # a finding is about a speaker when it cites one of their quotes, or names them
            cites = any(aid == str(ev.get("article_id")) and s < (ev.get("end") or 0) and (ev.get("start") or 0) < e
                        for ev in evidence for aid, s, e in spans)
            if not cites and not _matches(flt.speakers, f.get("about")):
                return False
        return True

    findings = [f for f in story.get("findings") or [] if keep(f)]
    if flt.narrows_findings and not findings:
        return None
    claims = [c for c in story.get("claims") or [] if str(c.get("article_id")) in chosen]
    return {**story, "quotes": quotes, "claims": claims, "findings": findings}


def filter_report(report: Mapping[str, Any], flt: ReportFilter) -> dict[str, Any]:
    """A copy of ``report`` keeping what ``flt`` asks for; stories left with nothing to show are dropped."""
    if not flt.active:
        return dict(report)
    stories = [s for s in (_filter_story(story, flt) for story in report.get("stories") or []) if s is not None]
    return {**report, "stories": stories}


def _conflicts(story: Mapping[str, Any], min_confidence: float) -> int:
    return sum(1 for f in story.get("findings") or []
               if f.get("kind") == "conflict" and float(f.get("confidence", 1.0)) >= min_confidence)


def sort_stories(report: Mapping[str, Any], by: str = "conflicts", *, min_confidence: float = 0.0) -> dict[str, Any]:
    """A copy of ``report`` with its stories in the order ``by`` (one of SORT_ORDERS) states.

    Conflicts are counted from ``min_confidence`` up: the ones a reader is shown.
    """
    if by not in SORT_ORDERS:
        raise ValueError(f"{by!r} is not a story order; choose from {', '.join(SORT_ORDERS)}")
    stories = list(report.get("stories") or [])

    def size(s: Mapping[str, Any]) -> int:
        return len(s.get("articles") or [])

    def title(s: Mapping[str, Any]) -> str:
        return str(s.get("title") or "").lower()

    if by == "conflicts":
        stories.sort(key=lambda s: (-_conflicts(s, min_confidence), -size(s), title(s)))
    elif by == "size":
        stories.sort(key=lambda s: (-size(s), -_conflicts(s, min_confidence), title(s)))
    else:
        stories.sort(key=title)
        stories.sort(key=lambda s: story_dates(s)[1] or "", reverse=True)  # undated stories last
    return {**report, "stories": stories}
