"""How a person's name is spelled, across outlets.

Reconciliation joins "Vicente Fox" and "Vincente Fox" into one person (:mod:`storyline.canonical`);
a reader checking the story wants to know the outlets spell the name two ways. A minor conflict is
reported for one story person when two independent sources write the full name

* with the same number of words, all the same but one;
* that one word spelled alike (a character ratio of :data:`SPELLING_MIN` or more) but not the
  same: not an initial ("J." / "John"), a shortening ("Rob" / "Robert"), nor the same letters
  with or without accents or in other typography ("Peña" / "Pena", "O’Neill" / "O'Neill": house
  style);
* and no source writes both forms (an outlet that uses both tells the reader they are one name).
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from rapidfuzz import fuzz

from .context import Findings, StoryContext

#: How alike (rapidfuzz ratio, 0-100) two spellings of one word of a name must be.
SPELLING_MIN = 75


#: Typographic variants of one character: "O’Neill" and "O'Neill", "Smith‐Jones" and "Smith-Jones".
_TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})


def _plain(word: str) -> str:
    """The word without accents, case and typographic variants: "Peña" and "Pena", "O’Neill" and
    "O'Neill" are one spelling (house style)."""
    word = word.translate(_TYPOGRAPHY)
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def one_word_apart(a: list[str], b: list[str]) -> tuple[str, str] | None:
    """The one word two written names spell differently (see the module docstring), if that is
    all that sets them apart."""
    if len(a) != len(b) or len(a) < 2:
        return None
    diff = [(x, y) for x, y in zip(a, b, strict=True) if _plain(x) != _plain(y)]
    if len(diff) != 1:
        return None
    x, y = diff[0]
    lx, ly = _plain(x).rstrip("."), _plain(y).rstrip(".")
    if min(len(lx), len(ly)) < 3 or lx.startswith(ly) or ly.startswith(lx):
        return None  # an initial or a shortening
    return (x, y) if fuzz.ratio(lx, ly) >= SPELLING_MIN else None


def spelling_findings(ctx: StoryContext, out: Findings) -> None:
    """Minor conflicts for a person's name spelled two ways by independent sources."""
    # story person -> full-name form -> [(article, start, end)]
    forms: dict[str, dict[str, list[tuple[int, int, int]]]] = defaultdict(lambda: defaultdict(list))
    for ai, a in enumerate(ctx.analyses):
        for e in a.entities:
            eid = ctx.entity(ai, e.id)
            if e.type != "PERSON" or eid is None:
                continue
            for m in e.mentions:
                if m.kind == "name" and len(m.text.split()) >= 2 and m.text[:1].isupper():
                    forms[eid][m.text].append((ai, m.start, m.end))
    for eid, by_form in forms.items():
        names = sorted(by_form)
        for x, fa in enumerate(names):
            for fb in names[x + 1:]:
                words = one_word_apart(fa.split(), fb.split())
                if words is None:
                    continue
                ga = {ctx.groups[ai] for ai, _, _ in by_form[fa]}
                gb = {ctx.groups[ai] for ai, _, _ in by_form[fb]}
                if ga & gb:
                    continue
                side_a, side_b = by_form[fa][0], by_form[fb][0]
                out.add("conflict", f"Spelling of {ctx.names.get(eid, fa)}",
                        f"Outlets spell the name two ways: “{fa}” "
                        f"({', '.join(dict.fromkeys(ctx.outlet(ai) for ai, _, _ in by_form[fa]))}); “{fb}” "
                        f"({', '.join(dict.fromkeys(ctx.outlet(ai) for ai, _, _ in by_form[fb]))}).",
                        [ctx.evidence(*side_a), ctx.evidence(*side_b)], subkind="name", step="spelling",
                        confidence=0.6, severity="minor",
                        signals=("one person, one word of the name spelled two ways", f"“{words[0]}” / “{words[1]}”"),
                        values=[ctx.value(side_a[0], fa), ctx.value(side_b[0], fb)])
