"""Reconcile the articles of one story: canonical entities, aligned statements, figures, dates
and titles, and findings (corroborated, conflict, single_source) with evidence from each side.

Independence is counted in source groups (see :mod:`storyline.dedup`): two copies of one wire
story corroborate nothing. Every finding carries a ``subkind`` (what is compared), a
``confidence`` (how sure reconciliation is that the sides are one fact and, for a conflict, that
they really differ), the ``signals`` behind it and the ``values`` each side gives. Conflicts come
first, most confident first.

Steps, each in its own module: :mod:`.statements` (quotations), :mod:`.facts` (figures and dated
events), :mod:`.roles` (titles), :mod:`.residences`, :mod:`.charges` and :mod:`.ages` (where people
live, what they are charged with, how old they are), :mod:`.order` (whose act came first),
:mod:`.spelling` (a name spelled two ways), :mod:`.sentences` (other facts told alike by
independent sources).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np
from rapidfuzz import fuzz

from ..align import SentenceSpace
from ..canonical import merge_entities
from ..figures import compare, parse_figure
from ..models import Analysis
from ..report import Event, Finding, ReportArticle, ReportClaim, ReportQuote, Story
from .ages import age_findings
from .charges import charge_findings
from .context import Findings, StoryContext, norm, short
from .facts import FIGURE_KINDS, fact_findings
from .order import order_findings
from .residences import residence_findings
from .roles import role_findings
from .sentences import place_findings, scan_sentences, sentence_findings
from .spelling import spelling_findings
from .statements import statement_findings

__all__ = ["reconcile"]

_ORDER = {"conflict": 0, "corroborated": 1, "single_source": 2}


def reconcile(analyses: Sequence[Analysis], groups: Sequence[str], *, quote_match: int = 80,
              include_text: bool = True, embed: Callable[[Sequence[str]], np.ndarray] | None = None) -> Story:
    """Build the StoryReport for the analyses of one story.

    ``embed``: an optional sentence encoder (:func:`storyline.sentence_encoder.load_embedder`)
    blended into the similarity that aligns facts.
    """
    entities, gid = merge_entities(analyses)
    ctx = StoryContext(analyses, groups, gid, {e.id: e.name for e in entities}, {e.id: e.type for e in entities},
                       SentenceSpace(analyses, embed=embed))
    dated = sorted(a.article.article.published for a in analyses if a.article.article.published)
    articles = []
    for a, g in zip(analyses, groups, strict=True):
        art = a.article.article
        published, inferred, source = art.published, False, art.published_source if art.published else None
        if published is None and dated:
            published, inferred, source = dated[0], True, "inferred"
        articles.append(ReportArticle(art.id, art.outlet, art.title, art.url,
                                      published.isoformat() if published else None, inferred, g,
                                      a.article.text if include_text else None, source,
                                      art.outlet_inferred))
    quotes = []
    claims = []
    for ai, a in enumerate(analyses):
        aid = ctx.article_id(ai)
        for q in a.quotes:
            quotes.append(ReportQuote(f"{aid}:{q.id}", aid, gid.get((ai, q.speaker_entity_id or "")),
                                      q.speaker_text, q.cue, q.text, q.kind, q.start, q.end, q.said_on,
                                      q.speaker_confidence, q.speaker_via))
        for c in a.claims:
            claims.append(ReportClaim(f"{aid}:{c.id}", aid, c.kind, c.text, c.value, c.start, c.end))
    out = Findings()
    statement_findings(ctx, out, quote_match)
    scan = scan_sentences(ctx)
    matched = fact_findings(ctx, out, scan.other_dates)
    role_findings(ctx, out)
    place_findings(ctx, out)
    residence_findings(ctx, out)
    charge_findings(ctx, out)
    age_findings(ctx, out)
    order_findings(ctx, out)
    spelling_findings(ctx, out)
    sentence_findings(ctx, out, scan)
    kept = _without_contradicted(out.items)  # single-source items, added below, are never dropped
    told = _told_alike(ctx, [f for f in kept if f.kind == "corroborated" and f.subkind == "statement"])
    before = len(out.items)
    for ai, a in enumerate(analyses):
        for c in a.claims:
            if c.kind in FIGURE_KINDS and id(c) not in matched and id(c) not in told:
                out.add("single_source", f"{c.kind}: {short(c.text)}",
                        f"Only one source reports this {c.kind} ({c.value}).", [ctx.evidence(ai, c.start, c.end)],
                        subkind="figure", values=[ctx.value(ai, c.value)])
    items = kept + out.items[before:]
    ordered = sorted(items, key=lambda f: (_ORDER[f.kind], -f.confidence if f.kind == "conflict" else 0,
                                           -out.scores.get(id(f), 0.0)))
    findings = [replace(f, id=f"F{i}") for i, f in enumerate(ordered, start=1)]
    ids = sorted(ctx.article_id(ai) for ai in range(len(analyses)))
    story_id = "S" + hashlib.sha1("\n".join(ids).encode()).hexdigest()[:10]
    return Story(story_id, _story_title(analyses), tuple(articles), tuple(entities), tuple(quotes),
                 tuple(claims), tuple(_events(ctx)), tuple(findings))


def _told_alike(ctx: StoryContext, statements: Sequence[Finding]) -> set[int]:
    """Ids of the figure claims that corroborated statements tell alike: the same figure in the
    sentences (or quotations) of two independent sources that one corroboration cites ("about $8
    billion" in both) is no single-source figure, whatever the figure step aligned."""
    index = {ctx.article_id(ai): ai for ai in range(len(ctx.analyses))}
    out: set[int] = set()
    for f in statements:
        cited = []  # (article, figure claims inside the evidence)
        for ev in f.evidence:
            ai = index.get(ev.article_id)
            if ai is None:
                continue
            figs = [(c, fig) for c in ctx.analyses[ai].claims if c.kind in FIGURE_KINDS
                    and ev.start <= c.start and c.end <= ev.end and (fig := parse_figure(c.kind, c.value)) is not None]
            cited.append((ai, figs))
        for x, (ai, fa) in enumerate(cited):
            for bj, fb in cited[x + 1:]:
                if ctx.groups[ai] == ctx.groups[bj]:
                    continue
                for ca, xa in fa:
                    for cb, xb in fb:
                        if ca.kind == cb.kind and compare(xa, xb) in ("same", "variant"):
                            out.update((id(ca), id(cb)))
    return out


def _overlaps(a: Finding, b: Finding) -> set[str]:
    """Articles in which the two findings cite overlapping text."""
    return {x.article_id for x in a.evidence for y in b.evidence
            if x.article_id == y.article_id and x.start < y.end and y.start < x.end}


def _without_contradicted(items: Sequence[Finding]) -> list[Finding]:
    """Drop corroborations of what a conflict disputes: the same text, in two or more of the same
    articles, is never both corroborated and in conflict (two outlets agreeing while a third
    differs is one conflict, whose evidence shows all three)."""
    conflicts = [f for f in items if f.kind == "conflict" and f.subkind != "wording"]
    return [f for f in items
            if f.kind != "corroborated" or not any(len(_overlaps(f, c)) >= 2 for c in conflicts)]


def _events(ctx: StoryContext) -> list[Event]:
    events: list[Event] = []
    for ai, a in enumerate(ctx.analyses):
        aid = ctx.article_id(ai)
        for c in a.claims:
            if c.kind != "date" or not re.match(r"\d{4}", c.value):
                continue
            for i, e in enumerate(events):
                if e.date == c.value and fuzz.token_set_ratio(norm(e.description), norm(c.text)) >= 70:
                    if aid not in e.article_ids:
                        events[i] = Event(e.id, e.date, e.description, e.article_ids + (aid,))
                    break
            else:
                events.append(Event(f"V{len(events) + 1}", c.value, c.text, (aid,)))
    events.sort(key=lambda e: e.date)
    return [Event(f"V{i}", e.date, e.description, e.article_ids) for i, e in enumerate(events, start=1)]


def _story_title(analyses: Sequence[Analysis]) -> str:
    for a in analyses:
        if a.article.article.title:
            return a.article.article.title
    first = analyses[0]
    if first.sentences:
        s, e = first.sentences[0]
        return short(first.article.text[s:e], 120)
    return short(first.article.text, 120)
