"""How old a person is, across outlets (claims of kind ``age``, read by
:mod:`storyline.extract.ages`).

One person given two ages by independent sources ("Lund, 59," / "the 60-year-old Lund") is a
conflict -- unless a source gives that person both ages itself: then the story's entity holds two
people (a father and a son of one name) or the article tells of two times, and nothing is
reported. The same age in two independent sources corroborates it.
"""

from __future__ import annotations

from collections import defaultdict

from ..models import Claim
from .context import Findings, StoryContext


def age_findings(ctx: StoryContext, out: Findings) -> None:
    """Conflicts and corroborations of the ages of the story's people."""
    for eid, items in ctx.claims_by_entity("age").items():
        name = ctx.names.get(eid, "")
        by_age: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in items:
            by_age[c.value].append((ai, c))
        for years, its in by_age.items():
            ctx.corroborate(out, its, f"{name} is {years}", f"{{n}} independent sources give {name}'s age as {years}.",
                            subkind="figure", signal="same age")
        if len(by_age) < 2:
            continue
        per_source: dict[str, set[str]] = defaultdict(set)
        for ai, c in items:
            per_source[ctx.groups[ai]].add(c.value)
        if any(len(v) > 1 for v in per_source.values()):
            continue  # one source, two ages: two people under one name, or two times
        if len(per_source) < 2:
            continue
        ordered = sorted(items, key=lambda p: (p[0], p[1].start))
        listing = "; ".join(f"{c.value} ({ctx.outlet(ai)})" for ai, c in ordered)
        out.add("conflict", f"Age of {name}", f"Outlets give {name} different ages: {listing}.",
                [ctx.evidence(ai, c.start, c.end) for ai, c in ordered], subkind="figure", step="ages",
                confidence=0.7, severity="major",
                signals=("one person, two ages", "each source gives one age"),
                values=[ctx.value(ai, c.value) for ai, c in ordered])
