"""Other facts told alike by independent outlets: aligned sentences with nothing between them
that disagrees.

Quotations, figures, dates and titles have their own steps; many key facts are none of these
("the suit was filed in the Supreme Court", "the measure was sponsored by X"). Two sentences of
independent sources that are alike (TF-IDF cosine over the story's content lemmas) and name the
same people or organisations corroborate what they say -- unless their figures or dates
disagree, which is then a matter for the figure step, not a corroboration.
"""

from __future__ import annotations

from collections import defaultdict

from rapidfuzz import fuzz

from ..extract.entities import ROLE_NOUNS, role_word
from ..figures import compare, compare_dates, parse_figure
from .context import DisjointSets, Findings, StoryContext, norm, short
from .facts import FIGURE_KINDS
from .roles import compare_titles

#: Cosine above which two sentences tell the same thing (with a shared name).
SENTENCE_MIN = 0.4
#: Cosine above which no shared name is needed.
SENTENCE_SURE = 0.6
#: The same with a sentence encoder blended in, whose cosines run higher.
SENTENCE_MIN_ENCODER = 0.5
SENTENCE_SURE_ENCODER = 0.7


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def places(ctx: StoryContext, ai: int, start: int, end: int) -> set[str]:
    """Story entities that are places, named inside ``[start, end)`` of article ``ai``."""
    return {e for e in ctx.entities_in(ai, start, end) if ctx.types.get(e) in _PLACE_TYPES}


def _quoted_share(ctx: StoryContext, ai: int, start: int, end: int) -> float:
    covered = 0
    for q in ctx.analyses[ai].quotes:
        if q.kind == "direct":
            covered += max(0, min(end, q.end) - max(start, q.start))
    return covered / max(end - start, 1)


def _clash(ctx: StoryContext, i: int, j: int) -> bool:
    """The two sentences give incompatible figures, dates, titles or places."""
    ai, s1, e1 = ctx.sentence_span(i)
    bj, s2, e2 = ctx.sentence_span(j)
    pa, pb = places(ctx, ai, s1, e1), places(ctx, bj, s2, e2)
    if pa and pb and not (pa & pb):
        return True
    for ra in ctx.analyses[ai].claims:
        if ra.kind != "role" or not s1 <= ra.start < e1:
            continue
        for rb in ctx.analyses[bj].claims:
            if rb.kind == "role" and s2 <= rb.start < e2 and ctx.entity(ai, ra.entity_id) == ctx.entity(
                    bj, rb.entity_id) and compare_titles(ra.text, rb.text) in ("former", "rank"):
                return True
    ca = [c for c in ctx.analyses[ai].claims if s1 <= c.start < e1 and c.kind in FIGURE_KINDS | {"date"}]
    cb = [c for c in ctx.analyses[bj].claims if s2 <= c.start < e2 and c.kind in FIGURE_KINDS | {"date"}]
    for a in ca:
        for b in cb:
            if a.kind != b.kind:
                continue
            if a.kind == "date":
                if compare_dates(a.value, b.value) == "conflict":
                    return True
                continue
            fa, fb = parse_figure(a.kind, a.value), parse_figure(b.kind, b.value)
            if fa is not None and fb is not None and compare(fa, fb) in ("conflict", "minor") and (
                    a.noun == b.noun or a.kind != "count"):
                return True
    return False


def sentence_findings(ctx: StoryContext, out: Findings) -> None:
    """Corroborated facts from alike sentences of independent sources."""
    sims = ctx.space.similarities.tocoo()
    sets = DisjointSets()

    best: dict[int, float] = defaultdict(float)
    low, sure = (SENTENCE_MIN_ENCODER, SENTENCE_SURE_ENCODER) if ctx.space.encoded else (SENTENCE_MIN, SENTENCE_SURE)
    for i, j, v in zip(sims.row, sims.col, sims.data, strict=True):
        if i >= j or v < low:
            continue
        ai, s1, e1 = ctx.sentence_span(int(i))
        bj, s2, e2 = ctx.sentence_span(int(j))
        if ai == bj or ctx.groups[ai] == ctx.groups[bj]:
            continue
        if v < sure and not (ctx.entities_in(ai, s1, e1) & ctx.entities_in(bj, s2, e2)):
            continue
        if _quoted_share(ctx, ai, s1, e1) > 0.5 or _quoted_share(ctx, bj, s2, e2) > 0.5:
            continue  # quotations are compared as statements, word for word
        if _clash(ctx, int(i), int(j)):
            continue
        sets.union(int(i), int(j))
        best[int(i)] = max(best[int(i)], float(v))
        best[int(j)] = max(best[int(j)], float(v))
    clusters: dict[object, list[int]] = defaultdict(list)
    for i in list(sets.parent):
        clusters[sets.find(i)].append(int(i))  # type: ignore[call-overload]
    for members in clusters.values():
        members.sort(key=lambda i: (ctx.sentence_span(i)[0], i))
        spans = [ctx.sentence_span(i) for i in members]
        sources = {ctx.groups[ai] for ai, _, _ in spans}
        if len(sources) < 2:
            continue
        ai, s, e = spans[0]
        text = ctx.analyses[ai].article.text[s:e]
        conf = min(best[i] for i in members)
        out.add("corroborated", f"Fact: {short(text)}",
                f"{len(sources)} independent sources tell this alike.",
                [ctx.evidence(a, s0, e0) for a, s0, e0 in spans], subkind="statement",
                confidence=min(1.0, 0.4 + conf), signals=(f"alike sentences ({conf:.2f})",))


#: Place names at least this alike (rapidfuzz ratio) but not equal may be one place spelled or
#: confused differently ("Parris Island" / "Paris Island").
PLACE_ALIKE = 70
#: ... and from this likeness on, whatever their lengths.
PLACE_SURE = 85


def place_findings(ctx: StoryContext, out: Findings) -> None:
    """Two place names, nearly alike, used by different independent sources and never together:
    one place misspelled, or two places confused -- either way a reader should see both."""
    seen: dict[str, set[int]] = defaultdict(set)  # place entity -> articles naming it in their own words
    first: dict[tuple[str, int], tuple[int, int]] = {}
    for ai, a in enumerate(ctx.analyses):
        # a name inside a direct quotation is the speaker's (or another outlet's, quoted), not the outlet's
        quoted = [(q.start, q.end) for q in a.quotes if q.kind == "direct"]
        for e in a.entities:
            if e.type not in _PLACE_TYPES or role_word(e.name.split()[-1]) in ROLE_NOUNS:
                continue  # "Harlow County Sheriff" is a title the tagger took for a place
            eid = ctx.entity(ai, e.id)
            own = [m for m in e.mentions if not any(s <= m.start < t for s, t in quoted)]
            if not eid or not own:
                continue
            seen[eid].add(ai)
            first.setdefault((eid, ai), (own[0].start, own[0].end))
    names = sorted(seen)
    for x, pa in enumerate(names):
        for pb in names[x + 1:]:
            na, nb = ctx.names[pa], ctx.names[pb]
            if seen[pa] & seen[pb] or norm(na) in norm(nb) or norm(nb) in norm(na):
                continue  # named together in one article: two places, or one inside the other
            alike = fuzz.ratio(norm(na), norm(nb))
            if alike < PLACE_ALIKE or (alike < PLACE_SURE and abs(len(na) - len(nb)) > 2):
                continue  # "Alexandria" / "Algeria": alike letters, but not one name misspelt
            if not {ctx.groups[i] for i in seen[pa]}.isdisjoint({ctx.groups[i] for i in seen[pb]}):
                continue
            ev = [ctx.evidence(ai, *first[(pa, ai)]) for ai in sorted(seen[pa])]
            ev += [ctx.evidence(bj, *first[(pb, bj)]) for bj in sorted(seen[pb])]
            out.add("conflict", f"Place: {na} or {nb}",
                    f"Outlets name a place differently: “{na}” ({', '.join(ctx.outlet(i) for i in sorted(seen[pa]))}); "
                    f"“{nb}” ({', '.join(ctx.outlet(i) for i in sorted(seen[pb]))}). One place spelled two ways, or "
                    "two places confused.", ev, subkind="place", confidence=0.3 + (alike - PLACE_ALIKE) / 100,
                    step="places",
                    severity="minor" if alike >= PLACE_SURE else "major",
                    signals=(f"nearly alike place names ({alike:.0f}%)", "never named together"),
                    values=[ctx.value(ai, na) for ai in sorted(seen[pa])]
                    + [ctx.value(bj, nb) for bj in sorted(seen[pb])])
