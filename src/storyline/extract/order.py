"""Which of two people's acts came first, as news writes it.

Outlets often disagree on sequence: one writes that a candidate spoke "in anticipation of" a
rival's announcement, another "a few hours after" it. Two independent sources putting one
person's act on opposite sides of another person's is a discrepancy a reader should see
(:mod:`storyline.reconcile.order`). Only this shape is read, in one sentence:

* a marker of sequence: "after", "following", "in the wake of", "in response to" (the act came
  later) or "before", "ahead of", "prior to", "in anticipation of", "in advance of" (earlier);
* right after it, a named person's act: their possessive noun ("after Lund's speech") or a
  clause they are the subject of ("after Lund said ...") -- titles and first names between are
  allowed, nothing else: "after years of talks with Lund" has no act of Lund's;
* one other named person as the subject of the sentence's verbs (the one whose act is placed).

"Before Congress" or "before Judge Lund" (a place or a person, not an act) are not read, nor a
marker whose person has no act ("after meeting Lund").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .entities import EntityIndex

__all__ = ["Order", "extract_order"]

_MARKER = re.compile(
    r"(?<![\w-])(?:(?P<later>after|following|in the wake of|in response to)"
    r"|(?P<earlier>before|ahead of|prior to|in anticipation of|in advance of))(?![\w-])",
    re.IGNORECASE)
#: How far (characters) after the marker the person's name may start ("after President Barack").
_NAME_REACH = 30


@dataclass(frozen=True, slots=True)
class Order:
    """``entity_id``'s act came ``relation`` ("after" | "before") ``anchor_id``'s act;
    ``text[start:end]`` runs from the marker to the anchor's act."""

    start: int
    end: int
    relation: str
    entity_id: str
    anchor_id: str


def _person_mentions(index: EntityIndex, start: int, end: int) -> list[tuple[int, int, str]]:
    return [(s, e, eid) for s, e, eid, typ, _ in index.timeline if typ == "PERSON" and start <= s and e <= end]


def _act_end(doc: Doc, sent: Span, name_end: int) -> int | None:
    """End of the act right after a name: "'s NOUN" or the verb it is the subject of."""
    toks = [t for t in sent if t.idx >= name_end]
    if not toks:
        return None
    first = toks[0]
    if first.dep_ == "case" or first.lower_ in ("'s", "’s"):
        noun = first.head.head  # "Lund 's speech": 's hangs on Lund, Lund on speech
        return noun.idx + len(noun) if noun.i > first.i and noun.pos_ == "NOUN" else None
    name_tok = doc[first.i - 1]
    if name_tok.dep_ == "nsubj" and name_tok.head.pos_ in ("VERB", "AUX") and name_tok.head.i >= first.i:
        verb = name_tok.head
        return verb.idx + len(verb)
    return None


def extract_order(doc: Doc, index: EntityIndex) -> Iterator[Order]:
    """Sequences of two named people's acts, by the shape of the module docstring."""
    text = doc.text
    for sent in doc.sents:
        s0, s1 = sent.start_char, sent.end_char
        for m in _MARKER.finditer(text, s0, s1):
            after = _person_mentions(index, m.end(), min(s1, m.end() + _NAME_REACH + 40))
            if not after or after[0][0] - m.end() > _NAME_REACH:
                continue
            between = text[m.end():after[0][0]]
            # only titles, first names and a determiner between the marker and the name
            if any(w[:1].islower() and w.lower() not in ("the", "a", "his", "her", "their") for w in between.split()):
                continue
            a_start, a_end, anchor = after[0]
            act_end = _act_end(doc, sent, a_end)
            if act_end is None:
                continue
            subjects = {eid for s, e, eid in _person_mentions(index, s0, s1)
                        if eid != anchor and not m.start() <= s < act_end and _is_subject(doc, s, e)}
            if len(subjects) != 1:
                continue
            yield Order(m.start(), act_end, "after" if m.group("later") else "before", subjects.pop(), anchor)


def _is_subject(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")
