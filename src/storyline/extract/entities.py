"""People, organisations and places in one article, with alias clusters and titles.

spaCy's NER gives the mentions; general rules fix the small models' known misses:

* "Mr/Ms/Sir/Dr X" and "TITLE X" are people;
* a name the article elsewhere uses for a person is a person ("the Halvorsen campaign");
* "Outlet's Surname" is split at the possessive ("the Gazette's Okafor");
* a name in apposition to a role ("X, his chief of staff") is a person;
* a name with a given name that heads a verb of saying is a person ("Mayor Elena Ruiz said");
* a day or month name, a name after "the" that heads its phrase ("the Herald"), a name
  with an institution or facility word ("Joint Base Andrews", "State Department"), a plural
  ("Republicans") and a name only ever used as a platform ("on Twitter", "a Twitter post")
  are not people, unless a known given name or an honorific says otherwise;
* a nickname in quotation marks or parentheses is part of the name ('Rosalind "Roz" Tembo').

Mentions cluster into entities: full names head a cluster, and full names that can be one
person's (:func:`storyline.names.same_person`: middle initials, hypocoristic given names,
nicknames, transliterations) share it; surnames, "honorific + surname" and "Sir/Dame + first
name" join the one cluster they fit (by gender when an honorific or given name gives one;
the person introduced first when several fit); role descriptions ("the prime minister")
join the entity that carries that title (from a premodifier, an apposition or a copula) and
no other: a description with no titled holder stays unbound.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Doc, Span, Token

from ..models import Entity, Mention, Title
from ..names import PersonName, name_gender, parse_name, same_person
from ..nlp import doc_text

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
campaigner activist volunteer envoy diplomat spokesperson premier sheriff undersheriff detective inspector constable
superintendent commander colonel admiral sergeant lieutenant chairwoman negotiator lobbyist researcher
scientist doctor surgeon nurse teacher principal dean provost rector bishop archbishop cardinal pope
prosecutor solicitor barrister magistrate justice congressman congresswoman representative delegate
speaker whip commentator columnist presenter host anchor producer author writer historian expert
owner partner president-elect vice-president secretary-general director-general administrator
coordinator supervisor superintendent warden curator architect engineer pilot skipper mediator
master harbourmaster clerk registrar auditor controller comptroller marshal ranger captain chaplain
nominee challenger incumbent frontrunner front-runner contender lawmaker legislator councilman councilwoman
assemblyman assemblywoman
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
#: Abbreviated titles and the role each stands for ("Sen." is a senator).
ROLE_ABBREVIATIONS = {
    "sen": "senator", "gov": "governor", "rep": "representative", "gen": "general", "lt": "lieutenant",
    "col": "colonel", "sgt": "sergeant", "adm": "admiral", "capt": "captain", "cmdr": "commander",
    "supt": "superintendent", "insp": "inspector", "det": "detective", "pres": "president",
    "amb": "ambassador", "atty": "attorney", "sec": "secretary", "cllr": "councillor", "cong": "congressman",
}
_CALENDAR = frozenset("""
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december
""".split())
#: Words that make a name an institution or a place, not a person (unless a known given name
#: or an honorific stands first).
_INSTITUTION_WORDS = frozenset("""
department ministry committee council agency administration bureau office foundation association party
senate congress court church university college school institute academy commission authority
service services republicans democrats union federation league corporation company bank board
news times journal herald tribune gazette post press network media magazine broadcasting
""".split())
_FACILITY_WORDS = frozenset("""
base airport airfield station hospital center centre stadium street avenue square bridge building tower
park camp fort prison jail
""".split())
#: Nouns a platform's name modifies ("a Twitter post", "his Facebook page").
_PLATFORM_NOUNS = frozenset("""
post posts account accounts feed page pages video videos tweet tweets message messages live handle story
stories profile thread threads channel livestream broadcast
""".split())
#: Verbs whose "on X" is where something was published ("wrote on X", "posted on X").
_POSTING_LEMMAS = frozenset("""
say write post tweet share announce declare claim note publish upload stream broadcast reveal vow add
respond reply complain argue accuse call attack lash rail blast slam mock livestream
""".split())
_BRACKETS = {"[", "]", "(", ")", "{", "}"}
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le",
                             "del", "della", "dos", "das", "ben", "abu", "of", "and", "-", "'s", "’s"})
_NICK_PAIRS = {"“": "”", '"': '"', "(": ")", "‘": "’", "``": "''", "'": "'"}


def role_word(text: str) -> str:
    """A word as a role noun: lower case, abbreviations spelt out ("Sen." -> "senator")."""
    low = text.lower()
    key = low.rstrip(".")
    return ROLE_ABBREVIATIONS.get(key, low) if key in ROLE_ABBREVIATIONS else low


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
    nick: tuple[int, int] | None = None  # token span of a quoted nickname inside the name, marks included


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
    #: the timeline's starts, its longest mention and whether a span is reversed, for bisecting;
    #: rebuilt when the timeline grows
    _starts: list[int] = field(default_factory=list, init=False, repr=False, compare=False)
    _longest: int = field(default=0, init=False, repr=False, compare=False)
    _reversed: bool = field(default=False, init=False, repr=False, compare=False)

    def _starts_now(self) -> list[int]:
        if len(self._starts) != len(self.timeline):
            self._starts = [s for s, *_ in self.timeline]
            self._longest = max((max(e - s, 0) for s, e, *_ in self.timeline), default=0)
            self._reversed = any(e < s for s, e, *_ in self.timeline)
        return self._starts

    def entity_in(self, start: int, end: int, *, person_first: bool = True) -> str | None:
        """The entity with a mention inside or overlapping [start, end)."""
        best: tuple[int, str] | None = None
        starts = self._starts_now()
        # every entry starting the longest mention or more before ``start`` ends at or before it
        first = bisect_left(starts, start - self._longest)
        for s, e, eid, typ, _ in islice(self.timeline, first, None):
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
        # an entry starting after ``pos`` ends after it unless its span is reversed: start before those
        later = bisect_right(self._starts_now(), pos)
        if self._reversed:
            later = len(self.timeline)
        for k in range(later - 1, -1, -1):
            s, e, eid, typ, gender = self.timeline[k]
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
        found = self.titled_all(role_words)
        return found[0] if len(found) == 1 else None

    def titled_all(self, role_words: Sequence[str]) -> list[str]:
        """The entities given a title with all of ``role_words``: those whose title is exactly
        that role when there are such ("the president" is not the Vice President), else all."""
        want = [role_word(w) for w in role_words if w not in ROLE_MODIFIERS]
        if not want:
            return []
        hits: dict[str, bool] = {}  # entity id -> whether a title is exactly the role asked for
        for ent in self.entities:
            for t in ent.titles:
                words = {role_word(w) for w in re.findall(r"[\w-]+\.?", t.title.lower())} - ROLE_MODIFIERS
                if all(any(_same_word(w, x) for x in words) for w in want):
                    exact = all(any(_same_word(x, w) for w in want) for x in words if x in ROLE_NOUNS | {"vice"})
                    hits[ent.id] = hits.get(ent.id, False) or exact
        # "the president" is the President, not the Vice President, when both are named
        exact_hits = [e for e, x in hits.items() if x]
        return exact_hits or list(hits)


#: Role words that name one office ("Rep. X" is "the congressman").
_SAME_ROLE = {"congressman": "representative", "congresswoman": "representative",
              "congressmember": "representative", "assemblyman": "assemblymember",
              "assemblywoman": "assemblymember", "chairman": "chair", "chairwoman": "chair",
              "chairperson": "chair", "spokesman": "spokesperson", "spokeswoman": "spokesperson"}


def role_gender(word: str) -> str | None:
    """The sex a role noun names ("congresswoman": "f", "spokesman": "m"), if any."""
    low = word.lower()
    if low.endswith("woman") or low in {"chairwoman", "actress", "waitress", "queen", "princess", "duchess"}:
        return "f"
    if low.endswith("man") and low not in {"human", "german", "ottoman", "shaman"} or low in {"king", "prince", "duke"}:
        return "m"
    return None


def _same_word(a: str, b: str) -> bool:
    """Role words match across inflection and derivation ("president" ~ "presidential") and
    across names of one office ("congressman" ~ "representative")."""
    if a == b or _SAME_ROLE.get(a, a) == _SAME_ROLE.get(b, b):
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
        low = role_word(tok.text)
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
        if low in {"at", "with"} and last_role == j and j + 1 < limit:
            # "official at the Treasury", "colonel with the Army": where the post is held, only
            # when a name follows ("a lawyer at the time" and "a nurse with experience" stay out)
            k = j + 1
            while k < limit and doc[k].lower_ in {"the"}:
                k += 1
            m = k
            while m < limit and doc[m].pos_ == "PROPN":
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


def _nicknamed_names(doc: Doc) -> Iterable[tuple[int, int, int, int]]:
    """Names with a nickname in quotation marks or parentheses: (start, nickname open mark,
    nickname close mark, end) token indices of 'Given “Nick” Surname' ("Rosalind (Roz) Tembo")."""
    q = 1
    while q < len(doc) - 3:
        close = _NICK_PAIRS.get(doc[q].text)
        r = q + 1
        while close is not None and r < len(doc) and r - q <= 3 and _is_cap(doc[r]):
            r += 1
        nick = doc[q + 1:r].text if close is not None and r > q + 1 else ""
        if close is None or r == q + 1 or r >= len(doc) - 1 or doc[r].text != close \
                or sum(c.isalpha() for c in nick) < 3 or nick.isupper() \
                or not (_is_cap(doc[q - 1]) and (doc[q - 1].pos_ == "PROPN" or name_gender(doc[q - 1].text))
                        and _is_cap(doc[r + 1]) and doc[r + 1].pos_ == "PROPN"):
            q += 1
            continue
        s = q - 1
        while s - 1 >= 0 and q - s < 3 and _is_cap(doc[s - 1]) and doc[s - 1].pos_ in {"PROPN", "NOUN"} \
                and role_word(doc[s - 1].text) not in ROLE_NOUNS and not _honorific(doc[s - 1]):
            s -= 1
        e = r + 2
        while e < len(doc) and e - r <= 3 and _is_cap(doc[e]) and doc[e].pos_ == "PROPN":
            e += 1
        if any(doc[k].ent_type_ == "PERSON" for k in range(s, e)) or name_gender(doc[s].text):
            yield s, q, r, e
        q = e


def _trim_name(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """A person name span without a leading verb or particle the model took in ("Following
    Romney") or a trailing number or verb ("Evansville 51-50", "X Resigns")."""
    while start < end - 1 and doc[start].pos_ in {"VERB", "AUX", "ADP", "SCONJ", "ADV", "PRON", "INTJ", "CCONJ"}:
        start += 1
    while end > start + 1 and (doc[end - 1].like_num or doc[end - 1].is_punct and doc[end - 1].text not in {"."}
                               or doc[end - 1].pos_ == "VERB" or doc[end - 1].tag_ in {"VBZ", "VBD", "VBP"}):
        end -= 1  # ... or a headline's verb ("X Resigns")
    return start, end


def _collect_mentions(doc: Doc) -> list[_Raw]:
    raws: list[_Raw] = []
    taken = [False] * len(doc)
    for s, q, r, e in _nicknamed_names(doc):
        raws.append(_Raw(s, e, "PERSON", "name", nick=(q, r + 1)))
        for k in range(s, e):
            taken[k] = True
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
            if lab == "PERSON" and e > s:
                s, e = _trim_name(doc, s, e)
            if lab == "PERSON" and e - s >= 2 \
                    and role_word(doc[s].text) in ROLE_NOUNS | ROLE_MODIFIERS | {"prime", "vice"}:
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
    toks = [t.text for t in doc[r.start:r.end]
            if t.text not in _BRACKETS and not (r.nick and r.nick[0] <= t.i < r.nick[1])]
    if r.kind == "honorific":
        toks = toks[1:]
    return tuple(toks)


def _person_name(doc: Doc, r: _Raw) -> PersonName:
    """The parts of a person mention's name, its quoted nickname included."""
    toks = _name_tokens(doc, r)
    name = parse_name(" ".join(toks))
    if r.kind == "honorific" and r.honorific in FIRST_NAME_HONORIFICS and len(toks) == 1:
        name = PersonName(name.surname, (), "", "", ())  # "Sir Alan": a given name
    if r.nick is not None:
        nick = parse_name(doc[r.nick[0] + 1:r.nick[1] - 1].text)
        name = PersonName(name.given, name.middles, name.surname, name.suffix,
                          (" ".join(w for w in (nick.given, *nick.middles, nick.surname) if w),))
    return name


def _display_name(doc: Doc, r: _Raw) -> str:
    """A mention's name as written, without its honorific, brackets or quoted nickname."""
    first = r.start + (1 if r.kind == "honorific" else 0)
    text = doc_text(doc)
    parts = []
    cur = doc[first].idx
    for t in doc[first:r.end]:
        if t.text in _BRACKETS or (r.nick and r.nick[0] <= t.i < r.nick[1]):
            if text[cur:t.idx].strip():
                parts.append(text[cur:t.idx].strip())
            cur = t.idx + len(t.text)
    end = doc[r.end - 1].idx + len(doc[r.end - 1].text)
    if text[cur:end].strip():
        parts.append(text[cur:end].strip())
    return " ".join(parts)


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
            if end and (end >= len(doc) or doc[end].is_punct or doc[end].pos_ in {"VERB", "AUX", "CCONJ"}
                        or doc[end].lower_ in {"who", "whose", "that"}):
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
    # copula: "X is the new president", "X became the party's treasurer"
    root = doc[r.end - 1]
    verb = root.head
    if root.dep_ == "nsubj" and verb.lemma_.lower() in {"be", "become", "remain"} and verb.i > root.i:
        attr = next((c for c in verb.children if c.dep_ == "attr" and c.i > verb.i), None)
        if attr is not None and role_word(attr.text) in ROLE_NOUNS and attr.tag_ not in {"NNS", "NNPS"}:
            k = attr.left_edge.i
            poss = [t.i for t in doc[k:attr.i] if t.text in _POSSESSIVE]
            k = poss[-1] + 1 if poss else k
            while k < attr.i and (doc[k].lower_ in _DET_START or doc[k].tag_ == "PRP$"
                                  or doc[k].lower_ in ROLE_MODIFIERS):
                k += 1
            end = role_phrase_end(doc, k, len(doc))
            if end is not None and end > attr.i:
                out.append((k, end))
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
        if r.label == "PERSON" and r.nick is not None and r.nick[1] - r.nick[0] == 3:
            person_surnames.add(doc[r.nick[0] + 1].text)  # a one-word nickname stands alone too
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
    _retype(doc, raws, {full[-1] for full in person_full})
    raws = [r for r in raws if r.label != "DATE"]
    # Cluster people: full names first, in text order; a full name joins the cluster each of
    # whose full names it can be (so "Mary X" and "Liz X" never share one).
    clusters: list[_Cluster] = []
    # cluster index -> the distinct names of its mentions (a set kept in order: a long article
    # repeats a name hundreds of times, and every later mention is compared with each name)
    names: dict[int, dict[PersonName, None]] = {}
    first: dict[int, int] = {}  # cluster index -> where its first mention starts
    persons = [r for r in raws if r.label == "PERSON"]
    parsed = {id(r): _person_name(doc, r) for r in persons}
    for r in persons:
        pn = parsed[id(r)]
        if not pn.surname or not pn.given:
            continue
        cands = [i for i, c in enumerate(clusters)
                 if all(same_person(pn, n) for n in names[i] if n.given) and _gender_fits(c, r.gender)]
        exact = [i for i in cands if any(n.given == pn.given for n in names[i])]
        if cands:
            r.entity = (exact or cands)[0]
        else:
            clusters.append(_Cluster("PERSON", _name_tokens(doc, r), _display_name(doc, r)))
            r.entity = len(clusters) - 1
            names[r.entity] = {}
        names[r.entity][pn] = None
        first[r.entity] = min(first.get(r.entity, r.start), r.start)
        clusters[r.entity].mentions.append(r)
        _note_gender(clusters[r.entity], r, pn)
    for r in persons:
        if r.entity >= 0:
            continue
        pn = parsed[id(r)]
        if not pn.surname and not pn.given:
            continue
        if pn.given and not pn.surname:  # "Sir Alan": the cluster with that given name
            cands = [i for i in names if any(n.given == pn.given for n in names[i])]
        else:
            cands = [i for i in names if any(same_person(pn, n) for n in names[i])]
        cands = [i for i in cands if _gender_fits(clusters[i], r.gender)]
        # "Trump" is the father, "Trump Jr." the son: a generational suffix must be written
        full_suffixes = {i: {n.suffix for n in names[i] if n.given} for i in cands}
        if not pn.suffix:  # "X" alone is not "X Jr.": the son is written with his suffix
            cands = [i for i in cands if not full_suffixes[i] or "" in full_suffixes[i]]
        else:
            cands = [i for i in cands if pn.suffix in full_suffixes[i]] or cands
        if cands:
            # several people share the surname: the one the article introduced first
            r.entity = min(cands, key=lambda i: first[i])
        else:
            clusters.append(_Cluster("PERSON", _name_tokens(doc, r), _display_name(doc, r)))
            r.entity = len(clusters) - 1
            names[r.entity] = {}
        names[r.entity][pn] = None
        first[r.entity] = min(first.get(r.entity, r.start), r.start)
        clusters[r.entity].mentions.append(r)
        _note_gender(clusters[r.entity], r, pn)
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
    # Gender from honorifics, else from the given names.
    for i, c in enumerate(clusters):
        genders = {m.gender for m in c.mentions if m.gender}
        if not genders and c.label == "PERSON":
            genders = {g for n in names.get(i, ()) if n.given for g in [name_gender(n.given)] if g}
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
            c.name = _display_name(doc, best_m)
        elif c.mentions:
            m0 = c.mentions[0]
            c.name = doc[m0.start:m0.end].text
    return _finish(doc, clusters, id_prefix)


def _gender_fits(c: _Cluster, gender: str | None) -> bool:
    return gender is None or c.gender is None or c.gender == gender


def _note_gender(c: _Cluster, r: _Raw, name: PersonName) -> None:
    """A cluster's gender as its mentions so far give it: an honorific, else a given name."""
    g = r.gender or (name_gender(name.given) if name.given else None)
    if g and c.gender is None:
        c.gender = g


def _retype(doc: Doc, raws: list[_Raw], surnames: set[str]) -> None:
    """Correct the small model's entity types by general rules (see the module docstring).
    ``surnames``: those of the full names the article gives people (a person's, whatever else)."""
    platform_texts = _platform_names(doc)
    lower_words = {t.text for t in doc if t.is_alpha and t.text.islower()}
    retyped: dict[tuple[str, ...], str] = {}
    for r in raws:
        if r.kind != "name":
            continue
        span = doc[r.start:r.end]
        toks = [t for t in span if t.text not in _BRACKETS]
        if not toks:
            continue
        words = [t.lower_ for t in toks]
        # a known given name, or the surname of someone the article names in full: a person
        given = name_gender(toks[0].text) is not None and len(toks) >= 2 \
            or len(toks) == 1 and toks[0].text in surnames
        was = r.label
        if r.label == "PERSON":
            if not all(t.text[:1].isupper() or t.lower_ in _NAME_PARTICLES or not t.is_alpha for t in toks):
                r.label = "DATE"  # a lower-case word is no name (dropped with the dates)
            elif len(toks) == 1 and words[0] in _CALENDAR:
                r.label = "DATE"
            elif len(toks) == 1 and words[0] in lower_words and not given:
                r.label = "DATE"  # a word the article also writes in lower case ("Marijuana sales")
            elif not given and any(w in _FACILITY_WORDS for w in words[1:]):
                r.label = "FAC"
            elif not given and (any(w in _INSTITUTION_WORDS for w in words) or toks[-1].tag_ == "NNPS"):
                r.label = "ORG"
            elif not given and r.start > 0 and doc[r.start - 1].lower_ == "the" and r.nick is None \
                    and not (toks[-1].dep_ in {"compound", "nmod", "amod", "poss"} and toks[-1].head.i >= r.end):
                r.label = "ORG"  # "the Herald", but not "the Obama campaign"
            elif len(toks) == 1 and toks[0].text in platform_texts and not given:
                r.label = "ORG"
        elif r.label in {"ORG", "ORG?", "GPE", "NORP", "FAC", "LOC", "PERSON?"} and len(toks) >= 2:
            # a name that speaks and starts with a known given name, after any title: a person
            s = r.start
            while s < r.end - 2 and (role_word(doc[s].text) in ROLE_NOUNS or doc[s].lower_ in ROLE_MODIFIERS):
                s += 1
            root = doc[r.end - 1]
            if name_gender(doc[s].text) is not None and root.dep_ in {"nsubj", "nsubjpass"} \
                    and root.head.lemma_.lower() in _SPEECH_LEMMAS \
                    and not any(w in _INSTITUTION_WORDS | _FACILITY_WORDS for w in words):
                r.start, r.label = s, "PERSON"
        if was == "PERSON" and r.label not in {"PERSON", "DATE"}:
            retyped[tuple(words)] = r.label
    # a name the rules found to be no one is no one in each of its mentions
    for r in raws:
        if r.label == "PERSON" and r.kind == "name":
            key = tuple(t.lower_ for t in doc[r.start:r.end] if t.text not in _BRACKETS)
            if key in retyped and name_gender(doc[r.start].text) is None and doc[r.end - 1].text not in surnames:
                r.label = retyped[key]


def _platform_names(doc: Doc) -> set[str]:
    """Capitalised single words the text uses only as platforms: "on X", "via X", "an X post"."""
    seen: dict[str, bool] = {}
    for t in doc:
        if not _is_cap(t) or t.pos_ != "PROPN":
            continue
        head = t.head
        platform = (t.dep_ == "pobj" and head.lower_ in {"on", "via"} and head.head.pos_ == "VERB"
                    and head.head.lemma_.lower() in _POSTING_LEMMAS) \
            or (t.dep_ in {"compound", "nmod", "poss"} and head.lemma_.lower() in _PLATFORM_NOUNS)
        seen[t.text] = seen.get(t.text, True) and platform
    return {w for w, only in seen.items() if only}


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
        # a description names the one person the article gave that title, or no one
        eid = index.titled(words)
        span = doc[start:end]
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
