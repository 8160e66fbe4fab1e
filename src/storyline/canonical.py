"""Canonical entities across the articles of one story.

Each article's analysis has its own entities; a story needs one entity per real-world
person or organisation, with every alias and every title an outlet gives it.

People merge by their names (:mod:`storyline.names`): "Donald J. Trump" and "Donald Trump",
"Jim Mattis" and "James Mattis", "Benjamin \u201cBibi\u201d Netanyahu" and "Bibi Netanyahu", two
transliterations of one surname. A full name joins a group only when it is compatible with
every full name already in it, so "Mary Cheney" and "Liz Cheney" never meet through a bare
"Cheney"; a surname alone joins the one group it fits (by gender, when its honorific gives
one), and stays apart when it fits several. A name that one outlet's model typed as an
organisation or a place joins the person when it is that person's full name, or their
surname and the article quotes it as a speaker or writes it as only a person is written (an age
in apposition, "who", a given name before it: :func:`reads_as_person`). Organisations merge by
normalised name, aliases and acronyms.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .models import Analysis, Entity
from .names import PersonName, fold, given_names_match, name_gender, parse_name, same_person
from .report import ReportEntity, TitleVariant

__all__ = ["merge_entities"]

_NORM = re.compile(r"[^\w\s]")
_NAME_KINDS = frozenset({"name", "surname", "honorific"})
_HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f", "lord": "m",
                     "lady": "f"}
#: Types a person's name is mistaken for by a small model.
_MISTYPED = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "PRODUCT"})


def _norm(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(_NORM.sub(" ", text.lower()).split())


def _article_id(a: Analysis) -> str:
    return a.article.article.id


def _written_names(ent: Entity) -> list[str]:
    """The entity's names as written (not its descriptions or pronouns)."""
    names = [ent.name] + [m.text for m in ent.mentions if m.kind in _NAME_KINDS]
    if not ent.mentions:
        names += list(ent.aliases)
    return list(dict.fromkeys(n for n in names if n and n.split()[0].lower() not in {"the", "a", "an"}))


@dataclass(slots=True)
class _Person:
    """One person's group of article entities."""

    names: list[PersonName] = field(default_factory=list)
    members: list[tuple[int, Entity]] = field(default_factory=list)
    genders: Counter[str] = field(default_factory=Counter)
    #: members known only by an epithet ("Dependable Doug"): aliases, never the entity's name
    epithets: list[tuple[int, Entity]] = field(default_factory=list)

    @property
    def full(self) -> list[PersonName]:
        return [n for n in self.names if n.given]

    def gender(self) -> str | None:
        if len(self.genders) == 1:
            return next(iter(self.genders))
        return None

    def fits(self, name: PersonName) -> bool:
        """Whether a name can be this person's: compatible with each full name, and (for a
        surname alone) with one of the names."""
        if name.given or name.nicknames:
            return all(same_person(name, n) for n in self.full) and any(same_person(name, n) for n in self.names)
        return any(same_person(name, n) for n in self.names)


def _gender_of(ent: Entity, names: Sequence[PersonName]) -> str | None:
    if ent.gender:
        return ent.gender
    for m in ent.mentions:
        word = fold(m.text.split()[0]) if m.text.split() else ""
        if m.kind == "honorific" and word in _HONORIFIC_GENDER:
            return _HONORIFIC_GENDER[word]
    found = {g for n in names if n.given for g in [name_gender(n.given)] if g}
    return found.pop() if len(found) == 1 else None


def _group_people(analyses: Sequence[Analysis]) -> tuple[list[_Person], list[tuple[int, Entity]]]:
    """People groups, and the article entities of other types."""
    people: list[_Person] = []
    others: list[tuple[int, Entity]] = []
    full: list[tuple[int, Entity, list[PersonName]]] = []
    partial: list[tuple[int, Entity, list[PersonName]]] = []
    for ai, a in enumerate(analyses):
        for ent in a.entities:
            if ent.type != "PERSON":
                others.append((ai, ent))
                continue
            names = [n for n in (parse_name(w) for w in _written_names(ent)) if n.surname]
            if not names:
                others.append((ai, ent))
            elif any(n.given for n in names):
                full.append((ai, ent, names))
            else:
                partial.append((ai, ent, names))
    # full names first, the longest (most informative) first
    full.sort(key=lambda t: -max(len(n.middles) + bool(n.given) + bool(n.suffix) for n in t[2]))
    for ai, ent, names in full:
        main = max(names, key=lambda n: (bool(n.given), len(n.middles), len(n.nicknames)))
        cands = [p for p in people if p.fits(main) and all(p.fits(n) or not n.given for n in names)]
        gender = _gender_of(ent, names)
        if gender:
            cands = [p for p in cands if p.gender() in {None, gender}]
        person = _best(cands, main) if cands else None
        if person is None:
            person = _Person()
            people.append(person)
        _add(person, ai, ent, names, gender)
    for ai, ent, names in partial:
        gender = _gender_of(ent, names)
        cands = [p for p in people
                 if any(p.fits(n) for n in names) and (gender is None or p.gender() in {None, gender})]
        # "X" is the father and "X Jr." the son when both are in the story
        suffix = next((n.suffix for n in names if n.suffix), "")
        cands = [p for p in cands if any(n.suffix == suffix for n in p.full)] or cands
        if len(cands) == 1:
            person = cands[0]
        else:  # no one, or several people share the surname: keep it apart rather than guess
            person = _Person()
            people.append(person)
        _add(person, ai, ent, names, gender)
    return people, others


def _best(cands: Sequence[_Person], name: PersonName) -> _Person:
    """Of several compatible groups, the one whose given name is written the same way."""
    for p in cands:
        if any(n.given == name.given for n in p.full):
            return p
    return cands[0]


def _add(person: _Person, ai: int, ent: Entity, names: Sequence[PersonName], gender: str | None) -> None:
    person.members.append((ai, ent))
    person.names.extend(n for n in names if n not in person.names)
    if gender:
        person.genders[gender] += 1


def _speaker_ids(a: Analysis) -> set[str]:
    return {q.speaker_entity_id for q in a.quotes if q.speaker_entity_id}


#: After a name, what follows only a person's: an age in apposition (", 59,") or "who".
_PERSON_AFTER = re.compile(r"\s*,\s*(?:\d{1,3}\s*,|who\b)")
#: Before a name: a preposition, which makes the name a place or a body ("King of Maine, who").
_PREPOSITION_BEFORE = re.compile(r"\b(?:of|from|in|at|for|to|near|outside|across|with|by|R-|D-|I-)\s*$", re.I)
#: Before a name: a capitalised word (a given name, when the first-name list knows it).
_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+) $")
#: Given names in the list that are as often a day or a month ("on Sunday Okafor ...", "in May Okafor ...").
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april "
                      "may june july august september october november december".split())


def reads_as_person(text: str, start: int, end: int) -> bool:
    """Whether the name at ``text[start:end]`` is written as only a person's is: followed by an age
    in apposition or by "who" ("Okafor, 59, was", "Okafor, who lived") when no preposition comes
    before it ("Sen. King of Maine, who" is King), or right after a known given name the model
    left out ("Raj Okafor" with only "Okafor" found)."""
    if _PERSON_AFTER.match(text, end) and not _PREPOSITION_BEFORE.search(text[max(0, start - 12):start]):
        return True
    before = _WORD_BEFORE.search(text[max(0, start - 30):start])
    return bool(before and before.group(1).lower() not in _CALENDAR and name_gender(before.group(1)) is not None)


def _adopt_mistyped(people: list[_Person], others: list[tuple[int, Entity]],
                    analyses: Sequence[Analysis]) -> list[tuple[int, Entity]]:
    """Move entities of other types that are a person's name into that person's group; return the rest."""
    speakers = [_speaker_ids(a) for a in analyses]
    # one-word names an article writes as a person's somewhere: every entity of that name in the
    # article is the word read one way ("Okafor, 59," a place, "Okafor was pronounced dead" a building)
    personal = {(ai, _norm(ent.name)) for ai, ent in others
                if ent.type in _MISTYPED and len(ent.name.split()) == 1
                and any(reads_as_person(analyses[ai].article.text, m.start, m.end) for m in ent.mentions)}
    rest = []
    for ai, ent in others:
        if ent.type not in _MISTYPED:
            rest.append((ai, ent))
            continue
        name = parse_name(ent.name)
        target = None
        if name.given and name.surname:
            hits = [p for p in people if p.full and all(same_person(name, n) for n in p.full)
                    and any(_norm(ent.name) == _norm(" ".join((n.given, *n.middles, n.surname))) for n in p.full)]
            target = hits[0] if len(hits) == 1 else None
        elif name.surname and len(ent.name.split()) == 1 and (ent.id in speakers[ai] or ent.type == "ORG"):
            # a surname typed as an organisation ("the Ramos interview") or quoted as a speaker
            # ("Kasowitz said") is the one person with that surname, if there is one
            hits = [p for p in people if p.full and any(same_person(name, n) for n in p.full)]
            target = hits[0] if len(hits) == 1 else None
        elif name.surname and len(ent.name.split()) == 1 and (ai, _norm(ent.name)) in personal:
            # written as a person's: the one person whose surname it is, letter for letter (a place
            # one letter off a surname is another name: "Maine" is not "Kaine")
            hits = [p for p in people if p.full and any(fold(n.surname) == fold(name.surname) for n in p.full)]
            target = hits[0] if len(hits) == 1 else None
        if target is None:
            rest.append((ai, ent))
        else:
            target.members.append((ai, ent))
    return rest


#: How common in English (Zipf) a word must be to read as an epithet before a given name.
EPITHET_ZIPF = 2.5


def _epithet_of(name: PersonName, surnames: set[str]) -> str | None:
    """The given name an epithet and a given name ("Dependable Doug", "Sleepy Joe") stand for: two
    words, the second a given name, the first an English word that is no given name and no
    surname of the story's people; else None."""
    from wordfreq import zipf_frequency

    if not name.given or name.middles or name.suffix or name.nicknames:
        return None
    first, second = fold(name.given), fold(name.surname)
    if len(first) < 3 or len(second) < 2 or first in surnames or name_gender(first) is not None \
            or name_gender(second) is None:
        return None
    return second if zipf_frequency(first, "en") >= EPITHET_ZIPF else None


def _join_epithets(people: list[_Person]) -> list[_Person]:
    """A person known only by an epithet and a given name ("Crooked Hillary") joins the one other
    person of the story with that given name; with none or several, they stay apart."""
    surnames = {fold(n.surname) for p in people for n in p.full}
    # per person, the given names its epithets stand for (None: a name that is no epithet)
    stands_for = [{_epithet_of(n, surnames) for n in p.full} if p.full else {None} for p in people]
    out = []
    for p, given in zip(people, stands_for, strict=True):
        target = None
        if None not in given and len(given) == 1:
            word = next(iter(given)) or ""
            hits = [q for q, other in zip(people, stands_for, strict=True) if q is not p and q.full
                    and other == {None}
                    and any(len(fold(n.given)) > 1 and given_names_match(n.given, word) for n in q.full)]
            target = hits[0] if len(hits) == 1 else None
        if target is None:
            out.append(p)
        else:
            target.members.extend(p.members)
            target.epithets.extend(p.members)
    return out


def _reads_as_no_one(person: _Person) -> bool:
    """A "person" with neither a known given name nor an honorific: one word the model took for
    a name ("Medicare", "Infowars")."""
    if person.full or person.genders:
        return False
    return all(len(e.name.split()) == 1 and not any(m.kind == "honorific" for m in e.mentions)
               for _, e in person.members)


def merge_entities(analyses: Sequence[Analysis]) -> tuple[list[ReportEntity], dict[tuple[int, str], str]]:
    """One story entity per real-world entity (see the module docstring).

    Returns the story entities and a map (analysis index, local entity id) -> story entity id.
    """
    people, others = _group_people(analyses)
    people = _join_epithets(people)
    others = _adopt_mistyped(people, others, analyses)
    groups: list[tuple[str, list[tuple[int, Entity]]]] = []
    typed: list[tuple[int, Entity, str]] = [(ai, e, e.type) for ai, e in others]
    for p in people:
        keys = {_org_key(e.name) for _, e in p.members}
        types = Counter(e.type for _, e in others if _org_key(e.name) in keys)
        if _reads_as_no_one(p) and types:
            # typed a person in one article and an organisation or place in another, with nothing
            # that reads as a person: it is what the other outlets' model says
            typed += [(ai, e, types.most_common(1)[0][0]) for ai, e in p.members]
            continue
        groups.append(("PERSON", p.members))
    groups += _group_others(typed)
    # order: people first, by how many articles and mentions
    groups.sort(key=lambda g: (g[0] != "PERSON", -len({ai for ai, _ in g[1]}),
                               -sum(len(e.mentions) for _, e in g[1])))
    entities: list[ReportEntity] = []
    gid: dict[tuple[int, str], str] = {}
    epithets = {id(e) for p in people for _, e in p.epithets}
    for n, (typ, members) in enumerate(groups, start=1):
        eid = f"E{n}"
        named = [e for _, e in members if e.type == typ and id(e) not in epithets] or \
            [e for _, e in members if e.type == typ] or [e for _, e in members]
        name = max((e.name for e in named), key=lambda s: (len(s.split()), len(s)))
        aliases: list[str] = []
        titles: dict[str, tuple[str, list[str]]] = {}
        art_ids: list[str] = []
        for ai, e in sorted(members, key=lambda p: p[0]):
            gid[(ai, e.id)] = eid
            aid = _article_id(analyses[ai])
            if aid not in art_ids:
                art_ids.append(aid)
            for al in e.aliases:
                if al not in aliases:
                    aliases.append(al)
            for t in e.titles:
                shown, ids = titles.setdefault(t.title.lower(), (t.title, []))
                if aid not in ids:
                    ids.append(aid)
        entities.append(ReportEntity(eid, name, typ, tuple(aliases), tuple(art_ids),
                                     tuple(TitleVariant(t, tuple(ids)) for t, ids in titles.values())))
    return entities, gid


def _group_others(others: Sequence[tuple[int, Entity, str]]) -> list[tuple[str, list[tuple[int, Entity]]]]:
    """Organisations, places and the rest (each with its type): one group per normalised name,
    alias or acronym."""
    buckets: list[dict] = []  # {"type", "keys": set, "members": [(ai, Entity)]}
    for ai, ent, typ in sorted(others, key=lambda p: -len(p[1].name.split())):
        key = _org_key(ent.name)
        want = {typ, "ORG" if typ == "GPE" else typ}
        b = next((b for b in buckets if b["type"] in want and key in b["keys"]), None)
        if b is None:
            b = {"type": typ, "keys": set(), "members": []}
            buckets.append(b)
        b["members"].append((ai, ent))
        b["keys"].add(key)
        for alias in ent.aliases:
            b["keys"].add(_org_key(alias))
        acr = "".join(w[0] for w in key.split() if w)
        if len(acr) >= 2 and len(ent.name.split()) >= 2:
            b["keys"].add(acr)
    return [(b["type"], b["members"]) for b in buckets]


def _org_key(name: str) -> str:
    words = [w for w in _norm(name).split() if w not in {"the"}]
    while len(words) > 1 and words[-1] in {"party", "inc", "ltd", "corp", "plc", "group", "company"}:
        words.pop()
    return " ".join(words)
