"""Reconcile the articles of one story: canonical entities, aligned quotes and claims,
and findings (corroborated, conflict, single_source) with evidence from each side.

Independence is counted in source groups (see :mod:`storyline.dedup`): two copies
of one wire story corroborate nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from .canonical import merge_entities
from .models import Analysis, Claim, Quote
from .report import (
    Event,
    Evidence,
    Finding,
    ReportArticle,
    ReportClaim,
    ReportQuote,
    Story,
)

_QUOTED = re.compile(r"[“\"«]([^”\"»]{3,})[”\"»]")
_NORM = re.compile(r"[^\w\s]")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_TITLE_DROP = {"new", "former", "then", "current", "acting", "the", "a", "an"}
#: Cues whose speaker rejects what the quote reports ("denied that the row could damage ...").
_DENIAL_CUE = re.compile(r"\b(?:den(?:y|ies|ied|ying)|dismiss\w*|reject\w*|refut\w*|rebut\w*|disput\w*)\b",
                         re.IGNORECASE)


def _denied(q: Quote) -> bool:
    return bool(q.cue and _DENIAL_CUE.search(q.cue))


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(_NORM.sub(" ", text.lower()).split())


def _fragments(q: Quote) -> list[str]:
    """The words a quote puts in the speaker's mouth, normalised for comparison."""
    if q.kind == "direct":
        return [_norm(q.text)]
    inner = [_norm(m.group(1)) for m in _QUOTED.finditer(q.text)]
    inner = [f for f in inner if len(f.split()) >= 2]
    return inner or [_norm(q.text)]


@dataclass(slots=True)
class _Ctx:
    analyses: Sequence[Analysis]
    groups: Sequence[str]  # source group per analysis
    gid: dict[tuple[int, str], str]  # (analysis index, local entity id) -> story entity id
    names: dict[str, str]  # story entity id -> name
    types: dict[str, str]


def _article_id(a: Analysis) -> str:
    return a.article.article.id


def _evidence(a: Analysis, start: int, end: int) -> Evidence:
    text = a.article.text
    return Evidence(_article_id(a), start, end, text[start:end])


def _weekday_of(q: Quote) -> str | None:
    if q.said_on and re.fullmatch(r"\d{4}-\d\d-\d\d", q.said_on):
        return _WEEKDAYS[date.fromisoformat(q.said_on).weekday()]
    if q.said_on_text and q.said_on_text.strip().lower() in _WEEKDAYS:
        return q.said_on_text.strip().lower()
    return None


def _when(q: Quote) -> str:
    if q.said_on:
        return q.said_on + (f" ({q.said_on_text})" if q.said_on_text else "")
    return f"{q.said_on_text} (no date to anchor it)" if q.said_on_text else "undated"


class _Findings:
    def __init__(self) -> None:
        self.items: list[Finding] = []

    def add(self, kind: str, about: str, detail: str, evidence: Sequence[Evidence]) -> None:
        self.items.append(Finding(f"F{len(self.items) + 1}", kind, about, detail, tuple(evidence)))


def _align_quotes(ctx: _Ctx, threshold: int) -> list[list[tuple[int, Quote]]]:
    """Connected groups of quotes from different articles that carry the same words."""
    items = [(ai, q) for ai, a in enumerate(ctx.analyses) for q in a.quotes]
    frags = [_fragments(q) for _, q in items]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if items[i][0] == items[j][0]:
                continue
            if _denied(items[i][1]) != _denied(items[j][1]):
                continue  # one speaker's denial does not corroborate another's claim
            if _same_statement(frags[i], frags[j], threshold):
                parent[find(j)] = find(i)
    groups: dict[int, list[tuple[int, Quote]]] = defaultdict(list)
    for i, item in enumerate(items):
        groups[find(i)].append(item)
    return list(groups.values())


def _same_statement(fa: Sequence[str], fb: Sequence[str], threshold: int) -> bool:
    for a in fa:
        for b in fb:
            short, long_ = (a, b) if len(a) <= len(b) else (b, a)
            if len(short.split()) < 3:
                continue
            if fuzz.partial_ratio(short, long_) >= max(threshold, 90 if len(short.split()) < 5 else threshold):
                return True
    return False


def _quote_findings(ctx: _Ctx, out: _Findings, threshold: int) -> None:
    for group in _align_quotes(ctx, threshold):
        group.sort(key=lambda p: (p[0], p[1].start))
        groups = {ctx.groups[ai] for ai, _ in group}
        speakers = [ctx.gid.get((ai, q.speaker_entity_id)) if q.speaker_entity_id else None for ai, q in group]
        named = [s for s in speakers if s]
        who = ctx.names.get(Counter(named).most_common(1)[0][0], "") if named else ""
        first = group[0][1]
        label = who or first.speaker_text or "unattributed"
        about = f"{label}: “{_short(first.text)}”"
        evidence = [_evidence(ctx.analyses[ai], q.start, q.end) for ai, q in group]
        if len(groups) < 2:
            if len(group) == 1 or len(groups) == 1:
                copies = "" if len(group) == 1 else f" ({len(group)} copies of one source)"
                out.add("single_source", about, f"Only one source reports this statement{copies}.", evidence)
            continue
        out.add("corroborated", about,
                f"The same statement appears in {len(groups)} independent sources.", evidence)
        # attribution: the same words given to different people
        persons = {s for s in named if ctx.types.get(s) == "PERSON"}
        if len(persons) > 1:
            counts = Counter(s for s in named if s in persons)
            ranked = counts.most_common()
            parts = "; ".join(f"{ctx.names[s]} in {n} article(s)" for s, n in ranked)
            settled = ""
            if len(ranked) > 1 and ranked[0][1] > ranked[1][1]:
                settled = f" The other outlets' evidence favours {ctx.names[ranked[0][0]]}."
            out.add("conflict", f"Who said “{_short(first.text)}”",
                    f"The same words are attributed to different people: {parts}.{settled}", evidence)
        # date: the same statement placed on different days
        dated = [(ai, q) for ai, q in group if _weekday_of(q)]
        days = {_weekday_of(q) for _, q in dated}
        values = {q.said_on for _, q in dated if q.said_on}
        if len(days) > 1 or len(values) > 1:
            detail = "; ".join(f"{_outlet(ctx, ai)} says {_when(q)}" for ai, q in dated)
            ev = [_evidence(ctx.analyses[ai], q.start, q.end) for ai, q in dated]
            for ai, q in dated:
                when = _when_span(ctx.analyses[ai], q)
                if when is not None:
                    ev.append(when)
            out.add("conflict", f"When {label} said “{_short(first.text)}”",
                    f"The outlets place this statement on different days: {detail}.", ev)
        # wording: direct quotes of one statement that do not match word for word
        direct = [(ai, q) for ai, q in group if q.kind == "direct"]
        for (ai, qa), (bj, qb) in zip(direct, direct[1:], strict=False):
            a, b = _norm(qa.text), _norm(qb.text)
            if ctx.groups[ai] != ctx.groups[bj] and a not in b and b not in a:
                out.add("conflict", f"Wording of “{_short(qa.text)}”",
                        "The outlets quote this statement in different words.",
                        [_evidence(ctx.analyses[ai], qa.start, qa.end),
                         _evidence(ctx.analyses[bj], qb.start, qb.end)])
                break


def _when_span(a: Analysis, q: Quote) -> Evidence | None:
    if not q.said_on_text:
        return None
    lo, hi = (q.cue_start or q.start) - 200, q.end + 200
    for t in a.timexes:
        if t.text == q.said_on_text and lo <= t.start <= hi:
            return _evidence(a, t.start, t.end)
    return None


def _outlet(ctx: _Ctx, ai: int) -> str:
    art = ctx.analyses[ai].article.article
    return art.outlet if art.outlet != "unknown" else f"article {art.id}"


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _title_key(title: str) -> str:
    return " ".join(w for w in _norm(title).split() if w not in _TITLE_DROP)


def _claim_findings(ctx: _Ctx, out: _Findings) -> None:
    # roles: per story entity, compare titles across sources
    roles: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
    others: list[tuple[int, Claim]] = []
    for ai, a in enumerate(ctx.analyses):
        for c in a.claims:
            if c.kind == "role" and c.entity_id:
                roles[ctx.gid.get((ai, c.entity_id), "")].append((ai, c))
            elif c.kind in {"count", "money", "date"}:
                others.append((ai, c))
    for eid, items in roles.items():
        name = ctx.names.get(eid, "")
        by_key: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in items:
            by_key[_title_key(c.text)].append((ai, c))
        keys = list(by_key)
        merged: dict[str, list[tuple[int, Claim]]] = {}
        for k in keys:
            home = next((m for m in merged if k in m or m in k), None)
            merged.setdefault(home or k, []).extend(by_key[k])
        for its in merged.values():
            groups = {ctx.groups[ai] for ai, _ in its}
            ev = [_evidence(ctx.analyses[ai], c.start, c.end) for ai, c in its]
            if len(groups) >= 2:
                out.add("corroborated", f"{name} as {its[0][1].text}",
                        f"{len(groups)} independent sources give {name} this title.", ev)
        if len(merged) > 1:
            groups = {ctx.groups[ai] for ai, _ in items}
            if len(groups) >= 2:
                variants = "; ".join(f"“{its[0][1].text}” ({_outlet(ctx, its[0][0])})" for its in merged.values())
                out.add("conflict", f"Title of {name}",
                        f"Outlets give {name} different titles: {variants}. This may be a variant "
                        "rather than a contradiction.",
                        [_evidence(ctx.analyses[ai], c.start, c.end) for its in merged.values() for ai, c in its])
        for its in merged.values():
            if len({ctx.groups[ai] for ai, _ in its}) == 1 and len(merged) == 1:
                out.add("single_source", f"{name} as {its[0][1].text}",
                        "Only one source gives this title.",
                        [_evidence(ctx.analyses[ai], c.start, c.end) for ai, c in its])
    # counts, money, dates: same subject/value across sources
    used: set[int] = set()
    for i, (ai, c) in enumerate(others):
        if i in used:
            continue
        match = [(ai, c)]
        used.add(i)
        for j in range(i + 1, len(others)):
            bj, d = others[j]
            if j in used or bj == ai or d.kind != c.kind:
                continue
            if _same_quantity(c, d):
                match.append((bj, d))
                used.add(j)
        groups = {ctx.groups[x] for x, _ in match}
        ev = [_evidence(ctx.analyses[x], k.start, k.end) for x, k in match]
        about = f"{c.kind}: {_short(c.text)}"
        values = {k.value for _, k in match}
        if len(groups) < 2:
            out.add("single_source", about, f"Only one source reports this {c.kind} ({c.value}).", ev)
        elif len(values) > 1:
            out.add("conflict", about, "Outlets give different figures: "
                    + "; ".join(f"{k.value} ({_outlet(ctx, x)})" for x, k in match) + ".", ev)
        else:
            out.add("corroborated", about, f"{len(groups)} independent sources give {c.value}.", ev)


def _same_quantity(a: Claim, b: Claim) -> bool:
    if a.kind == "date":
        return a.value == b.value and fuzz.token_set_ratio(_norm(a.text), _norm(b.text)) >= 60
    if a.subject and b.subject:
        return a.subject.lower() == b.subject.lower()
    return a.value == b.value


def _events(ctx: _Ctx) -> list[Event]:
    events: list[Event] = []
    for a in ctx.analyses:
        for c in a.claims:
            if c.kind != "date" or not re.match(r"\d{4}", c.value):
                continue
            for i, e in enumerate(events):
                if e.date == c.value and fuzz.token_set_ratio(_norm(e.description), _norm(c.text)) >= 70:
                    if _article_id(a) not in e.article_ids:
                        events[i] = Event(e.id, e.date, e.description, e.article_ids + (_article_id(a),))
                    break
            else:
                events.append(Event(f"V{len(events) + 1}", c.value, c.text, (_article_id(a),)))
    events.sort(key=lambda e: e.date)
    return [Event(f"V{i}", e.date, e.description, e.article_ids) for i, e in enumerate(events, start=1)]


def reconcile(analyses: Sequence[Analysis], groups: Sequence[str], *, quote_match: int = 80,
              include_text: bool = True) -> Story:
    """Build the StoryReport for the analyses of one story."""
    entities, gid = merge_entities(analyses)
    ctx = _Ctx(analyses, groups, gid, {e.id: e.name for e in entities}, {e.id: e.type for e in entities})
    dated = sorted(a.article.article.published for a in analyses if a.article.article.published)
    articles = []
    for a, g in zip(analyses, groups, strict=True):
        art = a.article.article
        published, inferred = art.published, False
        if published is None and dated:
            published, inferred = dated[0], True
        articles.append(ReportArticle(art.id, art.outlet, art.title, art.url,
                                      published.isoformat() if published else None, inferred, g,
                                      a.article.text if include_text else None))
    quotes = []
    claims = []
    for ai, a in enumerate(analyses):
        aid = _article_id(a)
        for q in a.quotes:
            quotes.append(ReportQuote(f"{aid}:{q.id}", aid, gid.get((ai, q.speaker_entity_id or "")),
                                      q.speaker_text, q.cue, q.text, q.kind, q.start, q.end, q.said_on))
        for c in a.claims:
            claims.append(ReportClaim(f"{aid}:{c.id}", aid, c.kind, c.text, c.value, c.start, c.end))
    findings = _Findings()
    _quote_findings(ctx, findings, quote_match)
    _claim_findings(ctx, findings)
    order = {"conflict": 0, "corroborated": 1, "single_source": 2}
    ordered = sorted(findings.items, key=lambda f: order[f.kind])
    ordered = [Finding(f"F{i}", f.kind, f.about, f.detail, f.evidence) for i, f in enumerate(ordered, start=1)]
    ids = sorted(_article_id(a) for a in analyses)
    story_id = "S" + hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    return Story(story_id, _story_title(analyses), tuple(articles), tuple(entities), tuple(quotes),
                 tuple(claims), tuple(_events(ctx)), tuple(ordered))


def _story_title(analyses: Sequence[Analysis]) -> str:
    for a in analyses:
        if a.article.article.title:
            return a.article.article.title
    first = analyses[0]
    if first.sentences:
        s, e = first.sentences[0]
        return _short(first.article.text[s:e], 120)
    return _short(first.article.text, 120)
