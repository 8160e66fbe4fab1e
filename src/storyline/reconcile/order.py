"""Which of two people's acts came first, across outlets (claims of kind ``order``, read by
:mod:`storyline.extract.order`).

"A spoke after B's announcement" in one source and "A spoke in anticipation of B's announcement"
in another put A's act on both sides of B's: a conflict. "B spoke before A's remarks" is the same
sequence as "A spoke after B's", so both are compared as one pair of people.

One pair of people may act many times in a story, so two sequences are compared only when
their sentences give the same day (the same date claims, or none in either), and the sources are
independent. A source that gives both orders is left out: it tells of two acts.
"""

from __future__ import annotations

from collections import defaultdict

from ..models import Claim
from .context import Findings, StoryContext

_FLIP = {"after": "before", "before": "after"}


def _days(ctx: StoryContext, ai: int, offset: int) -> frozenset[str]:
    a = ctx.analyses[ai]
    bounds = next(((s, e) for s, e in a.sentences if s <= offset < e), (offset, offset + 1))
    return frozenset(c.value for c in a.claims if c.kind == "date" and bounds[0] <= c.start < bounds[1])


def order_findings(ctx: StoryContext, out: Findings) -> None:
    """Conflicts over which of two people's acts came first."""
    by_pair: dict[tuple[str, str], list[tuple[int, str, frozenset[str], Claim]]] = defaultdict(list)
    for ai, a in enumerate(ctx.analyses):
        for c in a.claims:
            if c.kind != "order":
                continue
            main = ctx.entity(ai, c.entity_id)
            anchors = {e for e in ctx.entities_in(ai, c.start, c.end) if ctx.types.get(e) == "PERSON"} - {main}
            if main is None or len(anchors) != 1:
                continue
            anchor = anchors.pop()
            key = (main, anchor) if main < anchor else (anchor, main)
            rel = c.value if key[0] == main else _FLIP[c.value]
            by_pair[key].append((ai, rel, _days(ctx, ai, c.start), c))
    for (first, second), items in by_pair.items():
        both = {ctx.groups[ai] for ai, rel, _, _ in items if rel == "after"} & {
            ctx.groups[ai] for ai, rel, _, _ in items if rel == "before"}
        items = [it for it in items if ctx.groups[it[0]] not in both]
        for days in {d for _, _, d, _ in items}:
            same = [it for it in items if it[2] == days]
            later = [it for it in same if it[1] == "after"]
            earlier = [it for it in same if it[1] == "before"]
            if not later or not earlier:
                continue
            a_name, b_name = ctx.names.get(first, first), ctx.names.get(second, second)
            side = [(ai, c) for ai, _, _, c in later + earlier]
            out.add("conflict", f"Whether {a_name} acted before or after {b_name}",
                    f"Outlets put {a_name}'s act on both sides of {b_name}'s: after "
                    f"({', '.join(dict.fromkeys(ctx.outlet(ai) for ai, *_ in later))}); before "
                    f"({', '.join(dict.fromkeys(ctx.outlet(ai) for ai, *_ in earlier))}).",
                    [ctx.evidence(ai, c.start, c.end) for ai, c in side],
                    subkind="order", step="order", confidence=0.5, severity="major",
                    signals=("one pair of people, opposite sequences", "the same day or none given"),
                    values=[ctx.value(ai, f"{a_name} {rel} {b_name}") for ai, rel, _, _ in later + earlier])
