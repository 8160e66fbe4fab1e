"""Where a person lives, across outlets (claims of kind ``residence``, read by
:mod:`storyline.extract.residence`).

Two independent sources placing one person in two places ("of College Point" / "who lived in
South Ozone Park") is a conflict a reader should see -- unless the two may both hold. Places nest
(a district in a city, a city in a county) and storyline has no gazetteer, so a pair is reported
only when

* neither name holds the other's words ("South Wales" / "Wales");
* neither article names the other place anywhere (an outlet that writes "South Ozone Park,
  Queens" tells the reader one is in the other; one that never writes the other's place gives the
  reader another home);
* the sources are independent.

The same place in two independent sources corroborates it.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import Claim
from .context import Findings, StoryContext, norm


def _names(text: str, place: str) -> bool:
    """Whether ``text`` names ``place`` (as whole words, any case)."""
    return re.search(rf"(?<!\w){re.escape(place)}(?!\w)", text, re.IGNORECASE) is not None


def residence_findings(ctx: StoryContext, out: Findings) -> None:
    """Conflicts and corroborations of where the story's people live."""
    for eid, items in ctx.claims_by_entity("residence").items():
        name = ctx.names.get(eid, "")
        by_place: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in items:
            by_place[norm(c.value)].append((ai, c))
        for its in by_place.values():
            place = its[0][1].value
            ctx.corroborate(out, its, f"{name} lives in {place}",
                            f"{{n}} independent sources place {name} in {place}.", subkind="place",
                            signal="same place of residence")
        places = sorted(by_place)
        for x, pa in enumerate(places):
            for pb in places[x + 1:]:
                wa, wb = set(pa.split()), set(pb.split())
                if wa <= wb or wb <= wa:
                    continue  # "Wales" / "South Wales": one may be inside the other
                side_a, side_b = by_place[pa], by_place[pb]
                if {ctx.groups[ai] for ai, _ in side_a} & {ctx.groups[bj] for bj, _ in side_b}:
                    continue  # a source that gives both knows both: nested or moved, not a clash
                place_a, place_b = side_a[0][1].value, side_b[0][1].value
                texts = {i: ctx.analyses[i].article.text for i, _ in side_a + side_b}
                if any(_names(texts[ai], place_b) for ai, _ in side_a) or any(
                        _names(texts[bj], place_a) for bj, _ in side_b):
                    continue
                out.add("conflict", f"Where {name} lives",
                        f"Outlets place {name} in different places: “{place_a}” "
                        f"({', '.join(ctx.outlet(i) for i, _ in side_a)}); “{place_b}” "
                        f"({', '.join(ctx.outlet(j) for j, _ in side_b)}). One may lie within the other.",
                        [ctx.evidence(i, c.start, c.end) for i, c in side_a + side_b], subkind="place",
                        step="residences", confidence=0.5, severity="major",
                        signals=("one person, two places of residence", "neither outlet names the other place"),
                        values=[ctx.value(i, c.value) for i, c in side_a + side_b])
