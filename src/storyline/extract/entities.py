"""People, organisations and places in one article, with alias clusters and titles.

spaCy's NER gives the mentions; general rules fix the small models' known misses:

* "Mr/Ms/Sir/Dr X" and "TITLE X" are people;
* a name the article elsewhere uses for a person is a person ("the Halvorsen campaign");
* "Outlet's Surname" is split at the possessive ("the Gazette's Okafor");
* a name in apposition to a role ("X, his chief of staff") is a person.

Mentions cluster into entities: full names head a cluster; surnames, "honorific +
surname" and "Sir/Dame + first name" join it; role descriptions ("the prime
minister") join the entity that carries that title or, failing that, the most
recent compatible person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..models import Entity, Mention, Title

HONORIFIC_GENDER: dict[str, str | None] = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f", "lord": "m",
    "lady": "f", "dr": None, "prof": None, "professor": None, "rev": None, "mx": None,
    "baroness": "f", "baron": "m", "president": None, "senator": None, "sen": None,
    "rep": None, "gov": None, "governor": None, "mayor": None, "judge": None, "justice": None,
    "general": None, "gen": None, "col": None, "capt": None, "captain": None, "king": "m",
    "queen": "f", "prince": "m", "princess": "f", "pope": "m", "chancellor": None,
}
#: Honorifics used with a first name ("Sir Alan", "Dame Ines").
FIRST_NAME_HONORIFICS = {"sir", "dame", "lord", "lady"}
#: Honorifics that are plain courtesy titles rather than roles.
COURTESY = {"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "prof", "rev"}

#: Head nouns of roles a person can hold; multi-word roles end in one of these.
ROLE_NOUNS = frozenset("""
president minister secretary chancellor spokesman spokeswoman spokesperson strategist chief director
head leader chair chairman chairwoman chairperson governor senator mayor candidate official adviser
advisor aide ambassador commissioner correspondent reporter editor manager executive founder officer
king queen prince princess judge attorney lawyer general captain councillor councilor mp mep deputy
treasurer economist analyst professor ceo cfo coo coach pollster consultant organiser organizer
campaigner activist volunteer envoy diplomat spokesperson premier sheriff detective inspector constable
superintendent commander colonel admiral sergeant lieutenant chairwoman negotiator lobbyist researcher
scientist doctor surgeon nurse teacher principal dean provost rector bishop archbishop cardinal pope
prosecutor solicitor barrister magistrate justice congressman congresswoman representative delegate
speaker whip commentator columnist presenter host anchor producer author writer historian expert
owner partner president-elect vice-president secretary-general director-general administrator
coordinator supervisor superintendent warden curator architect engineer pilot skipper mediator
master harbourmaster clerk registrar auditor controller comptroller marshal ranger captain chaplain
""".split())
#: Adjectives dropped when comparing a description with a title.
ROLE_MODIFIERS = {"former", "new", "then", "current", "outgoing", "incoming", "acting", "interim", "ex",
                  "late", "longtime", "long-time", "veteran", "senior", "top"}

_SPEECH_LEMMAS = {"say", "add", "tell", "explain", "insist", "claim", "argue", "warn", "note", "state",
                  "deny", "confirm", "announce", "write", "post", "continue", "reply", "respond"}
GEO_GENERICS = {"port", "lake", "mount", "mt", "fort", "cape", "glen", "river", "bay", "isle", "point",
                "lough", "loch", "st", "saint", "san", "santa", "new", "north", "south", "east", "west"}
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
KEPT_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT"}
_ORG_SUFFIXES = {"party", "inc", "inc.", "ltd", "ltd.", "corp", "corp.", "plc", "co", "co.", "group",
                 "company", "corporation", "llc"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_DET_START = {"the", "a", "an"}


@dataclass(slots=True)
class _Raw:
    """A mention before clustering (internal)."""

    start: int  # token indices
    end: int
    label: str
    kind: str  # name | honorific
    honorific: str | None = None
    gender: str | None = None
    entity: int = -1


@dataclass(slots=True)
class _Cluster:
    label: str
    name_tokens: tuple[str, ...]
    name: str
    mentions: list[_Raw] = field(default_factory=list)
    descriptions: list[tuple[int, int]] = field(default_factory=list)  # char spans
    titles: list[Title] = field(default_factory=list)
    gender: str | None = None


@dataclass(slots=True)
class EntityIndex:
    """Entities of one article plus the lookups quote attribution needs."""

    entities: list[Entity]
    #: (start_char, end_char, entity_id, type, gender) sorted by start.
    timeline: list[tuple[int, int, str, str, str | None]]
    by_id: dict[str, Entity]

    def entity_in(self, start: int, end: int, *, person_first: bool = True) -> str | None:
        """The entity with a mention inside or overlapping [start, end)."""
        best: tuple[int, str] | None = None
        for s, e, eid, typ, _ in self.timeline:
            if s >= end:
                break
            if e <= start:
                continue
            score = (2 if typ == "PERSON" and person_first else 1) * 1000 - abs(e - end)
            if best is None or score > best[0]:
                best = (score, eid)
        return best[1] if best else None

    def persons_before(self, pos: int) -> Iterable[tuple[int, str, str | None]]:
        """PERSON mentions ending at or before ``pos``, most recent first."""
        for s, e, eid, typ, gender in reversed(self.timeline):
            if e <= pos and typ == "PERSON":
                yield s, eid, gender

    def add_mention(self, eid: str, mention: Mention) -> None:
        """Attach a resolved description (or other mention) to an entity."""
        ent = self.by_id[eid]
        if any(m.start == mention.start for m in ent.mentions):
            return
        aliases = ent.aliases if mention.text in ent.aliases else ent.aliases + (mention.text,)
        new = Entity(ent.id, ent.name, ent.type, aliases,
                     tuple(sorted(ent.mentions + (mention,), key=lambda m: m.start)), ent.titles, ent.gender)
        self.by_id[eid] = new
        self.entities[:] = [new if e.id == eid else e for e in self.entities]
        self.timeline.append((mention.start, mention.end, eid, ent.type, ent.gender))
        self.timeline.sort()

    def gender(self, eid: str) -> str | None:
        return self.by_id[eid].gender if eid in self.by_id else None

    def titled(self, role_words: Sequence[str]) -> str | None:
        """The entity whose title contains all of ``role_words`` (lower case)."""
        want = [w for w in role_words if w not in ROLE_MODIFIERS]
        if not want:
            return None
        hits = []
        for ent in self.entities:
            for t in ent.titles:
                words = set(re.findall(r"[\w-]+", t.title.lower()))
                if all(any(_same_word(w, x) for x in words) for w in want):
                    hits.append(ent.id)
                    break
        return hits[0] if len(hits) == 1 else None


def _same_word(a: str, b: str) -> bool:
    """Role words match across inflection and derivation ("president" ~ "presidential")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long_.startswith(short)


def _is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper() and tok.is_alpha


def _honorific(tok: Token) -> str | None:
    key = tok.lower_.rstrip(".")
    return key if key in HONORIFIC_GENDER and tok.text[:1].isupper() else None


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner and trailing possessive/punctuation from a token span."""
    while start < end and (doc[start].lower_ in _DET_START or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].text in _POSSESSIVE or doc[end - 1].is_punct):
        end -= 1
    return start, end


def role_phrase_end(doc: Doc, i: int, limit: int) -> int | None:
    """If a role phrase ("chief of staff", "director of communications") starts at token i, its end."""
    j = i
    last_role = None
    while j < limit:
        tok = doc[j]
        low = tok.lower_
        if low in ROLE_NOUNS:
            last_role = j + 1
            j += 1
            continue
        if low in {"of", "for"} and last_role == j and j + 1 < limit:
            # "head of operations", "secretary of state for justice"
            k = j + 1
            while k < limit and doc[k].lower_ in {"the"}:
                k += 1
            m = k
            while m < limit and (doc[m].pos_ in {"NOUN", "PROPN"} and not doc[m].is_punct):
                m += 1
            if m > k:
                last_role = m
                j = m
                continue
            break
        if tok.pos_ in {"ADJ", "NOUN", "PROPN"} or low in ROLE_MODIFIERS or tok.tag_ == "HYPH":
            if tok.ent_type_ == "PERSON":
                break
            j += 1
            continue
        break
    return last_role


def _role_words(span: Span) -> list[str]:
    return [t.lower_ for t in span if t.is_alpha and t.lower_ not in _DET_START and t.pos_ != "DET"]


def _collect_mentions(doc: Doc) -> list[_Raw]:
    raws: list[_Raw] = []
    taken = [False] * len(doc)
    # Honorific + capitalised name is a person whatever NER says.
    i = 0
    while i < len(doc) - 1:
        hon = _honorific(doc[i])
        if hon and _is_cap(doc[i + 1]) and doc[i + 1].lower_ not in HONORIFIC_GENDER:
            j = i + 1
            while j < len(doc) and _is_cap(doc[j]) and doc[j].ent_type_ in {"", "PERSON", "ORG", "GPE", "NORP"} \
                    and j - i <= 3:
                j += 1
            if hon in COURTESY or hon in FIRST_NAME_HONORIFICS:
                raws.append(_Raw(i, j, "PERSON", "honorific", hon, HONORIFIC_GENDER[hon]))
                for k in range(i, j):
                    taken[k] = True
            i = j
            continue
        i += 1
    for ent in doc.ents:
        label = ent.label_
        if label not in KEPT_TYPES and label != "WORK_OF_ART":
            continue
        start, end = ent.start, ent.end
        # split "the Gazette's Okafor" at an inner possessive
        parts: list[tuple[int, int, str]] = []
        cut = next((k for k in range(start + 1, end - 1) if doc[k].text in _POSSESSIVE), None)
        if cut is not None:
            parts.append((start, cut, label))
            parts.append((cut + 1, end, "PERSON?"))
        else:
            parts.append((start, end, label))
        for s, e, lab in parts:
            s, e = _trim(doc, s, e)
            if lab == "PERSON" and e - s >= 2 and doc[s].lower_ in ROLE_NOUNS | ROLE_MODIFIERS | {"prime", "vice"}:
                # NER often takes the title in: "Mayor Ana Lind" -> title "Mayor" + name "Ana Lind"
                role_end = role_phrase_end(doc, s, e)
                if role_end is not None and role_end < e:
                    s = role_end
            if s >= e or any(taken[k] for k in range(s, e)):
                continue
            if lab == "WORK_OF_ART":
                lab = "ORG?"
            raws.append(_Raw(s, e, lab, "name"))
            for k in range(s, e):
                taken[k] = True
    # Role premodifier + capitalised name that NER missed ("Director of Operations Ana Silva").
    for tok in doc:
        if tok.pos_ != "PROPN" or not _is_cap(tok) or taken[tok.i] or tok.ent_type_ in {"GPE", "NORP", "LOC"}:
            continue
        if not any(c.i < tok.i and c.dep_ in {"nmod", "compound", "amod"} and
                   (c.lower_ in ROLE_NOUNS or any(g.lower_ in ROLE_NOUNS for g in c.subtree))
                   for c in tok.children):
            continue
        start = tok.i
        while start - 1 >= 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == tok \
                and _is_cap(doc[start - 1]) and doc[start - 1].lower_ not in ROLE_NOUNS \
                and not taken[start - 1] and tok.i - start < 2:
            start -= 1
        if doc[start].lower_ in ROLE_NOUNS:
            continue
        raws.append(_Raw(start, tok.i + 1, "PERSON", "name"))
        for k in range(start, tok.i + 1):
            taken[k] = True
    raws.sort(key=lambda r: r.start)
    return raws


def _name_tokens(doc: Doc, r: _Raw) -> tuple[str, ...]:
    toks = [t.text for t in doc[r.start:r.end]]
    if r.kind == "honorific":
        toks = toks[1:]
    return tuple(toks)


def _org_key(tokens: Sequence[str]) -> tuple[str, ...]:
    low = [t.lower() for t in tokens if t.lower() not in _DET_START]
    while len(low) > 1 and low[-1] in _ORG_SUFFIXES:
        low.pop()
    return tuple(low)


def _titles_for(doc: Doc, r: _Raw) -> list[tuple[int, int]]:
    """Token spans of titles given to the person mention r (premodifier or apposition)."""
    out: list[tuple[int, int]] = []
    # premodifier: "Prime Minister Ana Lind", "Harbour Director of Operations Tomas Berg"
    j = r.start - 1
    while j >= 0 and (doc[j].pos_ in {"PROPN", "NOUN", "ADJ"} or doc[j].lower_ in {"of", "for"}
                      or doc[j].tag_ == "HYPH") and not doc[j].is_punct and doc[j].ent_type_ != "PERSON":
        j -= 1
    k = j + 1
    while k < r.start:
        end = role_phrase_end(doc, k, r.start)
        # "Labour Director of Operations X": the organisation is not part of the title, but in
        # "Harbour master X" the capital is only the sentence's
        org_prefix = doc[k].ent_type_ in {"ORG", "NORP", "GPE"} and k + 1 < r.start and _is_cap(doc[k + 1])
        if end == r.start and not org_prefix and doc[k].lower_ not in ROLE_MODIFIERS:
            out.append((k, end))
            break
        k += 1
    # apposition after: "Mark Olsen, Sir Alan's new chief of staff,"
    if r.end + 1 < len(doc) and doc[r.end].text == ",":
        k = r.end + 1
        if doc[k].lower_ in _DET_START or doc[k].tag_ in {"PRP$"}:
            k += 1
        while k < len(doc) and (doc[k].text in _POSSESSIVE or _is_cap(doc[k])) and doc[k].lower_ not in ROLE_NOUNS:
            k += 1  # "Sir Alan 's"
        while k < len(doc) and doc[k].lower_ in ROLE_MODIFIERS:
            k += 1
        for s in range(k, min(k + 4, len(doc))):
            end = role_phrase_end(doc, s, len(doc))
            if end and (end >= len(doc) or doc[end].is_punct or doc[end].pos_ in {"VERB", "AUX", "CCONJ"}):
                if all(doc[x].pos_ in {"ADJ", "NOUN", "PROPN"} or doc[x].tag_ == "HYPH" for x in range(k, s)):
                    out.append((k if k < s and doc[k].pos_ == "ADJ" and doc[k].lower_ not in ROLE_MODIFIERS
                                else s, end))
                break
    # apposition before: "the council's head of planning, Ana Silva"
    if r.start >= 2 and doc[r.start - 1].text == ",":
        end = r.start - 1
        s = end - 1
        while s >= 0 and not doc[s].is_punct and doc[s].text not in _POSSESSIVE \
                and doc[s].lower_ not in _DET_START and doc[s].pos_ in {"NOUN", "PROPN", "ADJ", "ADP"}:
            s -= 1
        s += 1
        while s < end and (doc[s].lower_ in ROLE_MODIFIERS or doc[s].pos_ == "ADP"):
            s += 1
        if s < end and role_phrase_end(doc, s, end) == end and doc[s].ent_type_ not in {"PERSON"}:
            out.append((s, end))
    return out


def _description_spans(doc: Doc, taken: set[int]) -> list[tuple[int, int, int]]:
    """Definite role descriptions: (start token, role start token, end token)."""
    out = []
    for i, tok in enumerate(doc):
        if tok.lower_ != "the" or i in taken:
            continue
        k = i + 1
        while k < len(doc) and (doc[k].lower_ in ROLE_MODIFIERS or doc[k].ent_type_ in {"GPE", "NORP"}):
            k += 1
        end = role_phrase_end(doc, k, len(doc))
        if end is None or end <= k:
            continue
        if end < len(doc) and (doc[end].ent_type_ == "PERSON" or _is_cap(doc[end]) and doc[end].pos_ == "PROPN"):
            continue  # a premodifier title, not a description
        if doc[end - 1].lower_ not in ROLE_NOUNS and not any(doc[x].lower_ in ROLE_NOUNS for x in range(k, end)):
            continue
        if doc[end - 1].tag_ in {"NNS", "NNPS"}:
            continue  # "the officials" is a group, not a person
        if any(x in taken for x in range(i, end)):
            continue
        out.append((i, k, end))
    return out


def build_entities(doc: Doc, *, id_prefix: str = "e") -> EntityIndex:
    """Cluster the article's mentions into entities with aliases, titles and gender."""
    raws = _collect_mentions(doc)
    # "Port Merrow", "Lake Orin", "Mount Isa": a geographic generic makes a place, not a person
    for r in raws:
        if r.label == "PERSON" and r.kind == "name" and r.end - r.start >= 2 \
                and doc[r.start].lower_ in GEO_GENERICS:
            r.label = "GPE"
    person_surnames: set[str] = set()
    person_firsts: set[str] = set()
    person_full: set[tuple[str, ...]] = set()
    for r in raws:
        if r.label == "PERSON":
            toks = _name_tokens(doc, r)
            if not toks:
                continue
            if r.kind == "honorific" and r.honorific in FIRST_NAME_HONORIFICS and len(toks) == 1:
                person_firsts.add(toks[0])
            else:
                person_surnames.add(toks[-1])
            if len(toks) >= 2:
                person_full.add(toks)
    # Bare surnames of people the article names ("Ruiz then left") that NER missed.
    covered = {k for r in raws for k in range(r.start, r.end)}
    for tok in doc:
        if tok.i not in covered and tok.pos_ in {"PROPN", "NOUN"} and tok.text in person_surnames and _is_cap(tok) \
                and not (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            raws.append(_Raw(tok.i, tok.i + 1, "PERSON", "name"))
    raws.sort(key=lambda r: r.start)
    # Relabel: titles and appositions make people; known person names stay people.
    for r in raws:
        toks = _name_tokens(doc, r)
        if r.label == "PERSON" or not toks:
            continue
        if r.label in {"PERSON?", "ORG", "GPE", "NORP", "ORG?", "FAC", "LOC"}:
            if (len(toks) == 1 and (toks[0] in person_surnames)) or toks in person_full \
                    or (len(toks) >= 2 and toks[-1] in person_surnames and toks[0][:1].isupper()
                        and r.label not in {"GPE", "NORP"}):
                r.label = "PERSON"
            elif _titles_for(doc, r) and r.label in {"ORG", "PERSON?", "ORG?"} and len(toks) <= 3:
                r.label = "PERSON"
            elif r.label == "PERSON?":
                r.label = "PERSON" if len(toks) >= 1 and doc[r.start].pos_ == "PROPN" else "ORG"
            elif r.label == "ORG?":
                r.label = "ORG"
    # Cluster people: full names first.
    clusters: list[_Cluster] = []
    persons = [r for r in raws if r.label == "PERSON"]
    for r in persons:
        toks = _name_tokens(doc, r)
        if len(toks) >= 2 and not (r.kind == "honorific" and r.honorific in FIRST_NAME_HONORIFICS and len(toks) == 1):
            match = next((c for c in clusters if c.label == "PERSON" and c.name_tokens == toks), None)
            if match is None:
                match = _Cluster("PERSON", toks, " ".join(toks))
                clusters.append(match)
            r.entity = clusters.index(match)
            match.mentions.append(r)
    for r in persons:
        if r.entity >= 0:
            continue
        toks = _name_tokens(doc, r)
        if not toks:
            continue
        first_name = r.kind == "honorific" and r.honorific in FIRST_NAME_HONORIFICS and len(toks) == 1
        cands = [i for i, c in enumerate(clusters) if c.label == "PERSON" and len(c.name_tokens) >= 2 and (
            (first_name and c.name_tokens[0] == toks[0]) or (not first_name and c.name_tokens[-1] == toks[-1])
            or (len(toks) == 1 and c.name_tokens[-1] == toks[0]))]
        if not cands:
            cands = [i for i, c in enumerate(clusters) if c.label == "PERSON" and c.name_tokens == toks]
        if cands:
            # the most recently mentioned candidate wins when a surname is shared
            r.entity = max(cands, key=lambda i: max((m.start for m in clusters[i].mentions if m.start < r.start),
                                                     default=-1))
        else:
            clusters.append(_Cluster("PERSON", toks, " ".join(toks)))
            r.entity = len(clusters) - 1
        clusters[r.entity].mentions.append(r)
    # Other types: normalised key; acronyms join the multi-word name they abbreviate.
    keyed: dict[tuple[str, tuple[str, ...]], int] = {}
    for r in raws:
        if r.label == "PERSON":
            continue
        toks = _name_tokens(doc, r)
        key = (r.label, _org_key(toks))
        if key not in keyed:
            clusters.append(_Cluster(r.label, toks, " ".join(t for t in toks)))
            keyed[key] = len(clusters) - 1
        r.entity = keyed[key]
        clusters[r.entity].mentions.append(r)
    _merge_acronyms(clusters, keyed)
    # Gender from honorifics.
    for c in clusters:
        genders = {m.gender for m in c.mentions if m.gender}
        if len(genders) == 1:
            c.gender = genders.pop()
    # Titles.
    for c in clusters:
        if c.label != "PERSON":
            continue
        seen: set[tuple[int, int]] = set()
        for m in c.mentions:
            for s, e in _titles_for(doc, m):
                if (s, e) in seen:
                    continue
                seen.add((s, e))
                span = doc[s:e]
                c.titles.append(Title(span.text, span.start_char, span.end_char))
    # Prefer the longest full name as the display name.
    for c in clusters:
        if c.label == "PERSON" and c.mentions:
            best_m = max(c.mentions, key=lambda m: len(_name_tokens(doc, m)))
            c.name_tokens = _name_tokens(doc, best_m)
            first = best_m.start + (1 if best_m.kind == "honorific" else 0)
            c.name = doc[first:best_m.end].text
        elif c.mentions:
            m0 = c.mentions[0]
            c.name = doc[m0.start:m0.end].text
    return _finish(doc, clusters, id_prefix)


def _merge_acronyms(clusters: list[_Cluster], keyed: dict[tuple[str, tuple[str, ...]], int]) -> None:
    by_initials: dict[tuple[str, str], int] = {}
    for (label, key), idx in keyed.items():
        if len(key) >= 2:
            by_initials[(label, "".join(w[0] for w in key if w))] = idx
    for (label, key), idx in keyed.items():
        if len(key) == 1 and key[0].isalpha():
            target = by_initials.get((label, key[0]))
            if target is not None and target != idx and clusters[idx].mentions:
                clusters[target].mentions.extend(clusters[idx].mentions)
                clusters[idx].mentions = []


def _finish(doc: Doc, clusters: list[_Cluster], id_prefix: str) -> EntityIndex:
    entities: list[Entity] = []
    timeline: list[tuple[int, int, str, str, str | None]] = []
    n = 0
    for c in clusters:
        if not c.mentions:
            continue
        n += 1
        eid = f"{id_prefix}{n}"
        mentions = []
        aliases: list[str] = []
        for m in sorted(c.mentions, key=lambda m: m.start):
            span = doc[m.start:m.end]
            mentions.append(Mention(span.start_char, span.end_char, span.text, m.kind))
            if span.text not in aliases:
                aliases.append(span.text)
            timeline.append((span.start_char, span.end_char, eid, c.label, c.gender))
        entities.append(Entity(eid, c.name, c.label, tuple(aliases), tuple(mentions), tuple(c.titles), c.gender))
    timeline.sort()
    index = EntityIndex(entities, timeline, {e.id: e for e in entities})
    _resolve_descriptions(doc, index)
    return index


def _resolve_descriptions(doc: Doc, index: EntityIndex) -> None:
    """Attach "the prime minister"-style descriptions to entities (as description mentions)."""
    taken: set[int] = set()
    for s, e, _eid, typ, _g in index.timeline:
        if typ != "PERSON":
            continue
        sp = doc.char_span(s, e, alignment_mode="expand")
        if sp is not None:
            taken.update(range(sp.start, sp.end))
    for ent in index.entities:
        for t in ent.titles:
            sp = doc.char_span(t.start, t.end, alignment_mode="expand")
            if sp is not None:
                taken.update(range(sp.start, sp.end))
    updates: dict[str, list[Mention]] = {}
    for start, role_start, end in _description_spans(doc, taken):
        words = _role_words(doc[role_start:end])
        eid = index.titled(words)
        span = doc[start:end]
        if eid is None:
            root = span.root
            if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_.lower() in _SPEECH_LEMMAS:
                continue  # quote attribution resolves speakers with the previous-speaker rule
            eid = _recent_compatible(doc, index, span.start_char, words, updates)
        if eid is None:
            continue
        updates.setdefault(eid, []).append(Mention(span.start_char, span.end_char, span.text, "description"))
    if not updates:
        return
    new_entities = []
    for ent in index.entities:
        extra = updates.get(ent.id)
        if extra:
            aliases = list(ent.aliases) + [m.text for m in extra if m.text not in ent.aliases]
            ent = Entity(ent.id, ent.name, ent.type, tuple(dict.fromkeys(aliases)),
                         tuple(sorted(ent.mentions + tuple(extra), key=lambda m: m.start)), ent.titles, ent.gender)
            for m in extra:
                index.timeline.append((m.start, m.end, ent.id, ent.type, ent.gender))
        new_entities.append(ent)
    index.entities[:] = new_entities
    index.by_id = {e.id: e for e in new_entities}
    index.timeline.sort()


def _role_heads(ent: Entity, extra: Sequence[Mention]) -> set[str]:
    heads = set()
    for t in ent.titles:
        words = [w for w in re.findall(r"[\w-]+", t.title.lower()) if w in ROLE_NOUNS]
        if words:
            heads.add(words[-1] if "of" not in t.title.lower() else words[0])
    for m in extra:
        words = [w for w in re.findall(r"[\w-]+", m.text.lower()) if w in ROLE_NOUNS]
        if words:
            heads.add(words[-1])
    return heads


def _recent_compatible(doc: Doc, index: EntityIndex, pos: int, words: Sequence[str],
                       updates: dict[str, list[Mention]]) -> str | None:
    """The salient compatible person before ``pos``.

    Earlier sentences offer their subjects first; within the description's own
    sentence a non-subject comes first ("X insisted his ties with Y survived the
    former president's attacks": the description is Y, not X).
    """
    role = [w for w in words if w in ROLE_NOUNS]
    head = role[-1] if role else None
    here_tok = doc.char_span(pos, pos + 1, alignment_mode="expand")
    here = here_tok.sent.start if here_tok is not None else 0
    sent_starts = [s.start for s in doc.sents]
    here_idx = _sent_index(sent_starts, here)
    best: tuple[tuple[int, int, int], str] | None = None
    for start, eid, _g in index.persons_before(pos):
        span = doc.char_span(start, start + 1, alignment_mode="expand")
        if span is None:
            continue
        dist = here_idx - _sent_index(sent_starts, span.start)
        if dist > 4:
            break
        ent = index.by_id[eid]
        heads = _role_heads(ent, updates.get(eid, ()))
        title_words = {w for t in ent.titles for w in re.findall(r"[\w-]+", t.title.lower())}
        if heads and head is not None and not any(_same_word(head, h) for h in heads | title_words):
            continue
        root = span[0]
        while root.dep_ in {"compound", "flat"} and root.head != root:
            root = root.head
        is_subj = root.dep_ in {"nsubj", "nsubjpass"}
        key = (dist, 0 if is_subj != (dist == 0) else 1, -start)
        if best is None or key < best[0]:
            best = (key, eid)
    return best[1] if best else None


def _sent_index(starts: Sequence[int], tok_i: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= tok_i:
            lo = mid
        else:
            hi = mid - 1
    return lo
