"""Titles and roles across outlets: what each outlet calls a person, and when two titles cannot
both hold.

* the same title (after abbreviations and synonyms: "CEO" / "chief executive", "attorney" /
  "lawyer") in two independent sources corroborates it;
* "former X" against a current "X" for the same post (a shared head or organisation word) is a
  major conflict: only one can be true;
* two different heads for one post ("head of operations" / "director of operations": the same
  domain word, a different rank word) is a minor conflict, often a variant a reader should see;
* titles with nothing in common ("Senator", "Majority Leader") are two roles, both true: no finding.
"""

from __future__ import annotations

import re
from collections import defaultdict

from ..models import Claim
from .context import Findings, StoryContext, norm

#: Words that put a post in the past. "Outgoing" and "incoming" are not among them: the outgoing
#: chairman still holds the post.
_FORMER = frozenset({"former", "ex", "then", "onetime", "one-time", "retired", "erstwhile"})
_DROP = frozenset({"the", "a", "an", "of", "for", "at", "and", "in", "on", "to", "new", "current", "now",
                   "longtime", "veteran", "top", "only"})
#: Words that do not tell two posts apart on their own.
_GENERIC = frozenset({"state", "national", "federal", "official", "senior", "chief", "general", "us", "u", "s",
                      "american", "party", "republican", "democratic", "democrat", "gop", "house", "senate"})
_SYNONYMS = {
    "ceo": "chief executive", "chief executive officer": "chief executive", "attorney": "lawyer",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "rep": "representative",
    "congressman": "representative", "congresswoman": "representative", "sen": "senator",
    "gov": "governor", "pres": "president", "secy": "secretary", "sec": "secretary",
    "prime minister": "premier", "pm": "premier", "chairman": "chair", "chairwoman": "chair",
    "chairperson": "chair", "f b i": "fbi", "c i a": "cia", "u s": "us",
}


def title_words(title: str) -> tuple[bool, tuple[str, ...]]:
    """(former?, the title's words with synonyms folded and function words dropped)."""
    text = f" {norm(title.replace('-', ' '))} "
    for word, same in sorted(_SYNONYMS.items(), key=lambda p: -len(p[0])):
        text = text.replace(f" {word} ", f" {same} ")
    words = text.split()
    former = any(w in _FORMER for w in words)
    return former, tuple(w for w in words if w not in _FORMER and w not in _DROP)


def compare_titles(a: str, b: str) -> str:
    """same | variant | former | rank | unrelated, for two titles of one person."""
    fa, wa = title_words(a)
    fb, wb = title_words(b)
    if not wa or not wb:
        return "unrelated"
    shared = set(wa) & set(wb)
    telling = shared - _GENERIC
    if fa != fb:
        current = wb if fa else wa
        if len(current) == 1:
            # "President Obama" next to "former President Obama": an honorific, which outlets keep
            # for past office holders and use for events of their term -- no contradiction
            return "unrelated"
        return "former" if telling or (shared and (wa[-1] == wb[-1])) else "unrelated"
    if wa == wb:
        return "same"
    if set(wa) <= set(wb) or set(wb) <= set(wa):
        return "variant"  # "Minority Leader" / "House Minority Leader"
    ha, hb = _head(a), _head(b)
    if ha == hb:
        return "variant"  # one post, more or fewer qualifiers: "GOP leader" / "Republican leader"
    if _same_side(a, b, telling - {ha, hb}):
        return "rank"
    return "unrelated"


def _same_side(a: str, b: str, words: set[str]) -> bool:
    """Whether one of ``words`` names the post's domain in both titles alike: before "of" in both
    ("economic adviser" / "economic aide") or after it in both ("head of operations" / "director of
    operations"), not a word of a body's name in one and of the post in the other ("chairman of
    the National Economic Council" / "economic adviser")."""
    def sides(title: str) -> tuple[set[str], set[str]]:
        at = title.lower().find(" of ")
        if at < 0:
            return set(title_words(title)[1]), set()
        return set(title_words(title[:at])[1]), set(title_words(title[at + 4:])[1])

    (pa, oa), (pb, ob) = sides(a), sides(b)
    return bool(words & ((pa & pb) | (oa & ob)))


def _head(title: str) -> str:
    """The word that names the post: the last before "of" ("head of operations"), else the last."""
    at = title.lower().find(" of ")
    words = title_words(title[:at] if at > 0 else title)[1] or title_words(title)[1]
    return words[-1] if words else ""


#: "former" right before a title, or before one or two words that grade it ("former senior")
_BEFORE = re.compile(r"\b(former|ex|then|onetime|one-time|retired|erstwhile)[\s-]+"
                     r"(?:(?:senior|top|longtime|veteran|high-ranking|chief)\s+){0,2}$", re.IGNORECASE)


#: A title predicated in the past ("Lind was Skarn's mayor", "who served as mayor"), or held over
#: a closed period ("mayor from 1996 to 2007", "mayor until 2019"): a former post, told otherwise.
_PAST_BEFORE = re.compile(r"\b(?:was|were|had\s+been|served\s+as)\s+(?:(?:the|a|an)\s+)?(?:(?:only|first|last)\s+)?$",
                          re.IGNORECASE)
_PAST_AFTER = re.compile(r"\s*,?\s+(?:from|between)\s+(?:\w+\s+)?\d{4}\s+(?:to|and|until|through|-|–)\s+"
                         r"(?:\w+\s+)?\d{4}\b|\s*,?\s+until\s+(?:\w+\s+)?\d{4}\b", re.IGNORECASE)


def _as_written(ctx: StoryContext, ai: int, claim: Claim) -> str:
    """A title with the "former" written right before it, which title spans leave out
    ("former WWE executive Linda McMahon" gives the title "WWE executive"), or "former" for a
    title told in the past ("Huckabee was Arkansas governor from 1996 to 2007")."""
    text = ctx.analyses[ai].article.text
    before = _BEFORE.search(text, max(0, claim.start - 40), claim.start)
    if before:
        return f"{before.group(1)} {claim.text}"
    if _PAST_BEFORE.search(text, max(0, claim.start - 40), claim.start) or _PAST_AFTER.match(text, claim.end):
        return f"former {claim.text}"
    return claim.text


def role_findings(ctx: StoryContext, out: Findings) -> None:
    """Corroborated titles and titles that cannot both hold, per story entity."""
    for eid, items in ctx.claims_by_entity("role").items():
        name = ctx.names.get(eid, "")
        by_key: dict[tuple[bool, tuple[str, ...]], list[tuple[int, Claim]]] = defaultdict(list)
        for ai, c in items:
            by_key[title_words(_as_written(ctx, ai, c))].append((ai, c))
        for its in by_key.values():
            sources = {ctx.groups[ai] for ai, _ in its}
            if len(sources) >= 2 and len(title_words(its[0][1].text)[1]) > 1:
                # a one-word honorific ("President X") is how a name is written, not a claim about a post
                out.add("corroborated", f"{name} as {its[0][1].text}",
                        f"{len(sources)} independent sources give {name} this title.",
                        [ctx.evidence(ai, c.start, c.end) for ai, c in its], subkind="role", confidence=0.9,
                        signals=("same title",), values=[ctx.value(ai, c.text) for ai, c in its])
        keys = list(by_key)
        reported: set[tuple[int, int]] = set()
        for x, ka in enumerate(keys):
            for y in range(x + 1, len(keys)):
                kb = keys[y]
                (ai, ca), (bj, cb) = by_key[ka][0], by_key[kb][0]
                if {ctx.groups[i] for i, _ in by_key[ka]} == {ctx.groups[j] for j, _ in by_key[kb]} and len(
                        {ctx.groups[i] for i, _ in by_key[ka] + by_key[kb]}) == 1:
                    continue  # one source calling someone two things is not a cross-outlet finding
                rel = compare_titles(_as_written(ctx, ai, ca), _as_written(ctx, bj, cb))
                if rel not in ("former", "rank") or (x, y) in reported:
                    continue
                reported.add((x, y))
                major = rel == "former"
                detail = (f"Outlets give {name} titles that cannot both hold: “{ca.text}” ({ctx.outlet(ai)}); "
                          f"“{cb.text}” ({ctx.outlet(bj)})."
                          if major else
                          f"Outlets give {name} different titles for one post: “{ca.text}” ({ctx.outlet(ai)}); "
                          f"“{cb.text}” ({ctx.outlet(bj)}). This may be a variant rather than a contradiction.")
                out.add("conflict", f"Title of {name}", detail,
                        [ctx.evidence(i, c.start, c.end) for i, c in by_key[ka] + by_key[kb]], subkind="role",
                        step="titles",
                        confidence=0.75 if major else 0.35, severity="major" if major else "minor",
                        signals=("a former and a current title for one post",) if major else
                        ("one post, different rank words",),
                        values=[ctx.value(ai, ca.text), ctx.value(bj, cb.text)])
