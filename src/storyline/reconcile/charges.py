"""What a defendant is charged with, across outlets (claims of kind ``charge``, read by
:mod:`storyline.extract.charges`).

Outlets mix up the grades of a killing charge: one writes "charged with murder", another
"charged with vehicular manslaughter". A reader must see that -- the two are different crimes
with different sentences. Two conflicts are reported, each between independent sources about
one defendant:

* murder against manslaughter or negligent or vehicular homicide, when no statement of the
  story names both (a defendant may face both);
* two different degrees of murder ("first-degree" / "second-degree"), when no source gives both.

Attempted murder is never set against murder: one attack often has a dead victim and a living
one, each with its own charge.

One defendant: the statements name the same person, or a statement names nobody ("the driver
was charged") while the story's charge statements name at most one person. With two named
defendants, an unnamed statement could be about either and is left out.

The same grade in two independent sources corroborates it.
"""

from __future__ import annotations

from collections import defaultdict

from ..models import Claim
from .context import Findings, StoryContext

_LESSER = frozenset({"manslaughter", "negligent homicide", "vehicular homicide"})


def _murders(forms: set[str]) -> set[str]:
    return {f for f in forms if f.endswith("murder") and f != "attempted murder"}


def _forms(c: Claim) -> set[str]:
    return set(c.value.split("; "))


def _defendants(ctx: StoryContext) -> dict[str | None, list[tuple[int, Claim]]]:
    stmts = [(ai, c, ctx.entity(ai, c.entity_id)) for ai, a in enumerate(ctx.analyses)
             for c in a.claims if c.kind == "charge"]
    named = {e for _, _, e in stmts if e}
    if len(named) <= 1:
        return {next(iter(named), None): [(ai, c) for ai, c, _ in stmts]}
    by: dict[str | None, list[tuple[int, Claim]]] = defaultdict(list)
    for ai, c, e in stmts:
        if e:
            by[e].append((ai, c))
    return by


def _sources(ctx: StoryContext, side: list[tuple[int, Claim]]) -> set[str]:
    return {ctx.groups[ai] for ai, _ in side}


def _conflict(ctx: StoryContext, out: Findings, who: str, side_a: list[tuple[int, Claim]],
              side_b: list[tuple[int, Claim]], what: str, signal: str) -> None:
    ga, gb = _sources(ctx, side_a), _sources(ctx, side_b)
    if not (ga - gb or gb - ga) or len(ga | gb) < 2:
        return  # one source on both sides only: nothing independent disagrees
    # an outlet that also writes the other grade elsewhere contradicts itself; still shown, less sure
    both = ga & gb
    outlets_a = ", ".join(dict.fromkeys(ctx.outlet(i) for i, _ in side_a))
    outlets_b = ", ".join(dict.fromkeys(ctx.outlet(i) for i, _ in side_b))
    va = "; ".join(dict.fromkeys(c.value for _, c in side_a))
    vb = "; ".join(dict.fromkeys(c.value for _, c in side_b))
    detail = f"Outlets give {who} different charges: “{va}” ({outlets_a}); “{vb}” ({outlets_b})."
    if both:
        detail += " An outlet on both sides writes each charge in a different place."
    out.add("conflict", f"What {who} is charged with", detail,
            [ctx.evidence(i, c.start, c.end) for i, c in side_a + side_b], subkind="charge", step="charges",
            confidence=0.5 if both else 0.7, severity="major", signals=(signal,),
            values=[ctx.value(i, c.value) for i, c in side_a + side_b])


def charge_findings(ctx: StoryContext, out: Findings) -> None:
    """Conflicts and corroborations of the charges a story's defendants face."""
    for eid, stmts in _defendants(ctx).items():
        who = ctx.names.get(eid, "") if eid else "the defendant"
        murder = [(ai, c) for ai, c in stmts if _murders(_forms(c)) and not _forms(c) & _LESSER]
        lesser = [(ai, c) for ai, c in stmts if _forms(c) & _LESSER and not _murders(_forms(c))]
        # one statement naming both ("third-degree murder and vehicular homicide") says the
        # defendant faces both: an outlet naming one of them is then not wrong
        joint = any(_murders(_forms(c)) and _forms(c) & _LESSER for _, c in stmts)
        if murder and lesser and not joint:
            _conflict(ctx, out, who, murder, lesser, "murder / manslaughter",
                      "one defendant, murder in one source and a lesser killing charge in another")
        by_degree: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in murder:
            for f in _murders(_forms(c)):
                by_degree[f].append((ai, c))
        degrees = sorted(f for f in by_degree if f != "murder")
        for x, da in enumerate(degrees):
            for db in degrees[x + 1:]:
                if not _sources(ctx, by_degree[da]) & _sources(ctx, by_degree[db]):
                    _conflict(ctx, out, who, by_degree[da], by_degree[db], "degrees",
                              "one defendant, two degrees of murder")
        by_form: dict[str, list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in stmts:
            for f in _forms(c):
                by_form[f].append((ai, c))
        for form, its in by_form.items():
            ctx.corroborate(out, its, f"{who[:1].upper()}{who[1:]} charged with {form}",
                            f"{{n}} independent sources say {who} is charged with {form}.", subkind="charge",
                            signal="same charge")
