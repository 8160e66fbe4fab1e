"""What a person is charged with, as news writes it.

Crime reports name the charges: "was charged with second-degree murder", "has been charged in
her murder", "is facing manslaughter charges", "indicted on charges of murder and arson". Two
outlets giving one defendant charges of different gravity -- murder in one, manslaughter in the
other -- is a discrepancy a reader should see (:mod:`storyline.reconcile.charges`).

Only charges of unlawful killing are read, the family whose grades news mixes up: murder (and
its degrees), attempted murder, manslaughter, negligent and vehicular homicide. Other offences ("leaving the
scene", "animal cruelty") are left alone: outlets name them in too many ways to compare by words.

A charge statement is one of

* the verb "charge" (or "indict") with the offences in its "with" / "in" / "on" / "for" phrase;
* the noun "charge(s)" with the offence before it ("manslaughter charges") or in its "of"
  phrase ("a charge of murder").

"Accused of", "convicted of" and "pleaded guilty to" are not charges and are not read: an
accusation is not a charge and a verdict is a later fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .entities import EntityIndex

__all__ = ["Charge", "extract_charges", "offences"]

_OFFENCE = re.compile(
    r"(?<![\w-])(?:(?P<att>attempted|attempt(?:ing)?\s+to\s+commit)\s+)?"
    r"(?:(?P<deg>first|second|third|1st|2nd|3rd)[\s-]+degree\s+)?"
    r"(?:(?:capital|felony)\s+)?"
    r"(?P<head>murders?|manslaughter|(?:criminally\s+)?negligent\s+homicide|(?:criminal\s+)?vehicular\s+homicide)"
    r"(?![\w-])"
    # "the murder weapon", "a murder mystery": the offence names something else
    r"(?!\s+(?:weapons?|scenes?|myster(?:y|ies)|rates?|suspects?|victims?|investigations?|inquir(?:y|ies)"
    r"|probes?|squads?|detectives?|novels?|films?|trials?)\b)",
    re.IGNORECASE)
_DEGREE = {"1st": "first", "2nd": "second", "3rd": "third"}
_VERB_PREPS = frozenset({"with", "in", "on", "for"})
_CHARGE_VERBS = frozenset({"charge", "indict", "recharge"})
#: A conspiracy, solicitation or threat to kill is another offence than the killing.
_NOT_THE_ACT = re.compile(r"\b(?:conspiracy|conspiring|solicitation|soliciting|threat(?:s|ening)?|incitement|intent)"
                          r"\s+(?:to\s+(?:commit\s+)?|of\s+)?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Charge:
    """A charge statement: ``text[start:end]`` runs from the cue to the last offence named;
    ``offences`` are their normal forms ("murder", "second-degree murder", "attempted murder",
    "manslaughter", "negligent homicide", "vehicular homicide"); ``entity_id`` is the person charged, when named."""

    start: int
    end: int
    offences: tuple[str, ...]
    entity_id: str | None


def offences(text: str) -> list[tuple[int, int, str]]:
    """The offences of unlawful killing named in ``text``: (start, end, normal form)."""
    out = []
    for m in _OFFENCE.finditer(text):
        if _NOT_THE_ACT.search(text[max(0, m.start() - 40):m.start()]):
            continue
        head = m.group("head").lower()
        if head.startswith("murder"):
            if m.group("att"):
                form = "attempted murder"
            elif m.group("deg"):
                deg = m.group("deg").lower()
                form = f"{_DEGREE.get(deg, deg)}-degree murder"
            else:
                form = "murder"
        elif head == "manslaughter":
            form = "manslaughter"
        elif "vehicular" in head:
            form = "vehicular homicide"
        else:
            form = "negligent homicide"
        out.append((m.start(), m.end(), form))
    return out


def _span(tokens: list[Token]) -> tuple[int, int]:
    return tokens[0].idx, tokens[-1].idx + len(tokens[-1])


def _phrases(tok: Token) -> Iterator[tuple[int, int]]:
    """Character spans where the offences of a charge cue ``tok`` are named."""
    if tok.pos_ == "VERB" and tok.lemma_.lower() in _CHARGE_VERBS:
        for prep in tok.children:
            if prep.dep_ in ("prep", "agent") and prep.lower_ in _VERB_PREPS:
                yield _span(list(prep.subtree))
    elif tok.pos_ == "NOUN" and tok.lemma_.lower() == "charge":
        mods = [c for c in tok.children if c.dep_ in ("compound", "amod", "nmod") and c.i < tok.i]
        if mods:
            yield _span([t for m in mods for t in m.subtree])
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                yield _span(list(prep.subtree))


def _defendant(doc: Doc, tok: Token, index: EntityIndex) -> str | None:
    """The named person a charge cue is about: the verb's subject, or for a noun ("faces
    charges", "on charges of") the subject of the verb it hangs on."""
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    # "Police charged Lund with murder": the person charged is the object of an active verb
    wanted = ("dobj",) if verb.lemma_.lower() in _CHARGE_VERBS and not any(
        c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) else ("nsubj", "nsubjpass")
    for child in verb.children:
        if child.dep_ in wanted:
            subj = child
            if subj.lower_ in ("who", "that") and verb.dep_ == "relcl":
                subj = verb.head
            return _person(index, subj)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("PROPN", "NOUN"):
        return _person(index, verb.head)  # "Lund, charged with murder, ..."
    return None


def _person(index: EntityIndex, head: Token) -> str | None:
    """The person a noun phrase's head names: its words up to the head, not a clause after it
    ("a driver who hit a woman in Queens" names no one)."""
    eid = index.entity_in(head.left_edge.idx, head.idx + len(head))
    return eid if eid and index.by_id[eid].type == "PERSON" else None


def extract_charges(doc: Doc, index: EntityIndex) -> Iterator[Charge]:
    """The charge statements of ``doc`` naming an offence of unlawful killing."""
    text = doc.text
    seen: set[tuple[int, int]] = set()
    for tok in doc:
        if tok.lemma_.lower() not in _CHARGE_VERBS and tok.lemma_.lower() != "charge":
            continue
        for start, end in _phrases(tok):
            found = offences(text[start:end])
            if not found:
                continue
            lo, hi = min(tok.idx, start), max(tok.idx + len(tok), start + found[-1][1])
            # "indicted Lund on charges of murder": the verb and its noun are one statement
            if any(a < hi and lo < b for a, b in seen):
                continue
            seen.add((lo, hi))
            forms = tuple(dict.fromkeys(f for _, _, f in found))
            yield Charge(lo, hi, forms, _defendant(doc, tok, index))
