"""Where a person lives, as news writes it.

Crime and accident reports place the people in them: "Raj Lund, 59, of Westbrook", "Lund, who
lived in South Harbour", "a Westbrook resident, Ana Berg", "Berg, a resident of Westbrook". Two
outlets placing one person in two different places is a discrepancy a reader should see
(:mod:`storyline.reconcile.residences`). Only these patterns are read:

* an apposition with an age or a place entity: "NAME, 59, of PLACE" / "NAME, of PLACE" (the
  place a name the tagger calls a place, or the age written before it);
* "NAME, (a|an) (local|longtime) resident of PLACE" and "PLACE resident NAME";
* "NAME lives / lived / resides in PLACE" and "NAME, who lived ... in PLACE", the place a name
  right after "in" (not "in fear", "in the 1990s": a year or a date in the clause drops it);
* "NAME moved / relocated to PLACE" (a name the tagger calls a place, or one followed by a
  region in apposition: "moved to Halbury, North Essex") and a stay told as a
  period: "NAME returned after a four-year spell living in PLACE";
* the same with a subject "he" / "she", for the person of that gender named just before (none
  when a person of unknown gender comes between).

Names of organisations ("of the Harbour Trust", "of Acme Corp") are not places: an apposition
"of" needs the age or the place label, and a run ending in an organisation word is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .entities import PRONOUN_GENDER, EntityIndex
from .mentions import named_people

__all__ = ["Residence", "extract_residences"]

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_LIVE = frozenset({"live", "reside"})
_MOVE = frozenset({"move", "relocate"})
#: Nouns of a stretch of time that a stay is told as ("a four-year spell living in X").
_PERIODS = frozenset({"spell", "stint", "period", "year", "decade", "month", "time"})
#: How far back (characters) a subject pronoun looks for the person it stands for.
_PRONOUN_REACH = 600
#: Words that end names of bodies, not of places ("Harbour Trust", "Acme Corp").
_ORG_WORDS = frozenset(
    "trust corp corporation inc company co council party university college school department agency "
    "ministry office bank group association union church hospital foundation institute committee "
    "commission board club team court police".split()
)


@dataclass(frozen=True, slots=True)
class Residence:
    """Where a person lives: ``text[start:end]`` names the place, ``entity_id`` the person."""

    start: int
    end: int
    entity_id: str


def _place_run(doc: Doc, i: int) -> tuple[int, int] | None:
    """The proper-noun run starting at token ``i`` ("College Point", "South Ozone Park"), if it
    names a place rather than a body."""
    if i >= len(doc) or doc[i].pos_ != "PROPN":
        return None
    j = i
    while j < len(doc) and doc[j].pos_ == "PROPN" and not doc[j].is_punct:
        j += 1
    if doc[j - 1].lower_.rstrip(".") in _ORG_WORDS:
        return None
    return i, j


def _labelled_place(doc: Doc, span: tuple[int, int]) -> bool:
    return any(doc[k].ent_type_ in _PLACE_LABELS for k in range(*span))


def _after_mention(doc: Doc, end: int) -> tuple[int, int] | None:
    """ "NAME, 59, of PLACE" / "NAME, of PLACE" / "NAME, a resident of PLACE" after a mention ending
    at token ``end``."""
    k = end
    if k >= len(doc) or doc[k].text != ",":
        return None
    k += 1
    aged = False
    if k + 1 < len(doc) and doc[k].like_num and doc[k + 1].text == ",":
        aged, k = True, k + 2
    resident = False
    if k < len(doc) and doc[k].lower_ in ("a", "an"):
        m = k + 1
        while m < len(doc) and doc[m].lower_ in ("local", "longtime", "long-time", "lifelong"):
            m += 1
        if m < len(doc) and doc[m].lower_ == "resident":
            resident, k = True, m + 1
        else:
            return None
    if k >= len(doc) or doc[k].lower_ != "of":
        return None
    run = _place_run(doc, k + 1)
    if run is None:
        return None
    after = doc[run[1]] if run[1] < len(doc) else None
    if after is not None and not (after.is_punct or after.pos_ in ("VERB", "AUX", "CCONJ")):
        return None
    return run if aged or resident or _labelled_place(doc, run) else None


def _dated(verb: Token) -> bool:
    """Whether the verb's own clause carries a date with digits ("lived there in 1999"); a clause
    joined after it ("..., but returned 12 weeks ago") is another event."""
    own = [verb] + [t for c in verb.children if c.dep_ not in ("conj", "cc") for t in c.subtree]
    return any(t.ent_type_ in ("DATE", "TIME") and any(ch.isdigit() for ch in t.text) for t in own)


def _lives_in(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """The place of "lives / lived / resides in PLACE", looking through "half a mile away in"."""
    if verb.lemma_.lower() not in _LIVE or verb.pos_ not in ("VERB", "AUX") or _dated(verb):
        return None
    heads = [verb] + [c for c in verb.children if c.dep_ == "advmod"]
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "in":
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if obj is not None and obj.pos_ == "PROPN":
                    run = _place_run(doc, obj.left_edge.i if obj.left_edge.pos_ == "PROPN" else obj.i)
                    if run is not None and run[0] <= obj.i < run[1]:
                        return run
    return None


def _moved_to(doc: Doc, verb: Token) -> tuple[int, int] | None:
    """The place of "moved to PLACE" (a town or country: the tagger's place label is required, as
    "moved to Acme" is a job)."""
    if verb.lemma_.lower() not in _MOVE or verb.pos_ != "VERB" or _dated(verb):
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "to":
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and obj.pos_ == "PROPN":
                run = _place_run(doc, obj.left_edge.i if obj.left_edge.pos_ == "PROPN" else obj.i)
                if run is not None and run[0] <= obj.i < run[1] and (
                        _labelled_place(doc, run) or _in_region(doc, obj)):
                    return run
    return None


def _in_region(doc: Doc, obj: Token) -> bool:
    """ "TOWN, REGION": a name followed by a place in apposition is a town, whatever the tagger
    called it ("moved to Halbury, North Essex")."""
    for c in obj.children:
        if c.dep_ == "appos" and c.pos_ == "PROPN":
            run = _place_run(doc, c.left_edge.i if c.left_edge.pos_ == "PROPN" else c.i)
            if run is not None and _labelled_place(doc, run):
                return True
    return False


def _of_subject(doc: Doc, verb: Token) -> list[tuple[int, int] | None]:
    """Places the subject of ``verb`` lives in: "lives in", "moved to", and a stay told as a
    period ("returned after a four-year spell living in PLACE")."""
    found = [_lives_in(doc, verb), _moved_to(doc, verb)]
    for tok in verb.subtree:
        if tok.dep_ == "acl" and tok.head.lemma_.lower() in _PERIODS and tok.head.head.dep_ == "prep" \
                and tok.head.head.head.i == verb.i:
            found.append(_lives_in(doc, tok))
    return found


def _pronoun_person(index: EntityIndex, pronoun: Token) -> str | None:
    """The person a subject "he" / "she" stands for: the most recent person named before it, within
    a few sentences, of that gender; none when a person of unknown gender comes first."""
    want = PRONOUN_GENDER[pronoun.lower_]
    for start, eid, gender in index.persons_before(pronoun.idx):
        if pronoun.idx - start > _PRONOUN_REACH:
            return None
        if gender is None:
            return None
        if gender == want:
            return eid
    return None


def extract_residences(doc: Doc, index: EntityIndex) -> Iterator[Residence]:
    """Where the people of ``doc`` live, by the patterns of the module docstring."""
    seen: set[tuple[int, int, str]] = set()
    for eid, span in named_people(doc, index):
        found = [_after_mention(doc, span.end)]
        # "PLACE resident NAME"
        if span.start >= 2 and doc[span.start - 1].lower_ == "resident":
            m = span.start - 2
            while m > 0 and doc[m - 1].pos_ == "PROPN":
                m -= 1
            run = _place_run(doc, m)
            if run is not None and run[1] == span.start - 1:
                found.append(run)
        # "NAME lives in PLACE", "NAME, who lived ... in PLACE", "NAME moved to PLACE"
        root = span.root
        if root.dep_ in ("nsubj", "nsubjpass"):
            found.extend(_of_subject(doc, root.head))
        for child in root.children:
            if child.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that")
                                             for c in child.children):
                found.extend(_of_subject(doc, child))
        yield from _new(doc, found, eid, seen)
    # "She moved to PLACE": a subject pronoun stands for the person named just before it
    for tok in doc:
        if tok.dep_ == "nsubj" and tok.lower_ in ("he", "she"):
            person = _pronoun_person(index, tok)
            if person is not None:
                yield from _new(doc, _of_subject(doc, tok.head), person, seen)


def _new(doc: Doc, found: list[tuple[int, int] | None], eid: str,
         seen: set[tuple[int, int, str]]) -> Iterator[Residence]:
    for run in found:
        if run is None:
            continue
        start, end = doc[run[0]].idx, doc[run[1] - 1].idx + len(doc[run[1] - 1])
        if (start, end, eid) not in seen:
            seen.add((start, end, eid))
            yield Residence(start, end, eid)
