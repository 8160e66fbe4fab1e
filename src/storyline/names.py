"""Personal names: their parts, and whether two written names can be one person.

News writes one person many ways: "Donald J. Trump" / "Donald Trump" / "Mr. Trump",
"Benjamin \u201cBibi\u201d Netanyahu" / "Bibi Netanyahu", "Jim Mattis" / "James Mattis",
"Michael R. Bloomberg", "Mu\u2019ammar al-Qadhafi" / "Muammar Gaddafi". :func:`parse_name`
splits a name into given name, middle names or initials, surname, suffix and nicknames;
:func:`same_person` says whether two parsed names are compatible:

* the surnames agree after folding accents and the spelling alternations of
  transliteration (kh/k, q/k/g, dh/d, y/i, doubled letters, a leading "al-"/"el-");
* given names agree when both are written: equal, an initial of the other, a hypocoristic
  form of it (the ``nicknames`` package's hand-curated table: "Jim" / "James"), or the
  nickname the other name carries in quotation marks or parentheses;
* middle initials and generational suffixes, when both names write them, agree ("George
  H. W. Bush" is not "George W. Bush"; "Donald Trump Jr." is not "Donald Trump").

Two different given names with one surname are two people ("Mary Cheney", "Liz Cheney").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from nicknames import NickNamer

__all__ = ["PersonName", "parse_name", "same_person", "given_names_match", "fold", "surname_key", "name_gender"]

#: Courtesy titles and roles that may stand before a name and are not part of it.
_TITLES = frozenset("""
mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister brother
president vice prime minister senator sen rep representative gov governor mayor judge justice
gen general col colonel capt captain lt lieutenant sgt sergeant adm admiral maj major cmdr
king queen prince princess pope chancellor secretary speaker sheriff chief detective officer
ambassador commissioner attorney rabbi imam sheikh dame ayatollah cardinal bishop archbishop
congressman congresswoman councillor councilor premier president-elect former late
""".split())
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v", "junior", "senior"})
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "van", "von", "der", "den", "de", "da", "di", "du", "la", "le",
                        "del", "della", "dos", "das", "ben", "abu", "st"})
_NICK = re.compile(r"[\u201c\"\u2018'(]\s*([^\u201d\"\u2019')]+?)\s*[\u201d\"\u2019')]")
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*\.?", re.UNICODE)


@dataclass(frozen=True, slots=True)
class PersonName:
    """A personal name's parts, lower-cased and folded; empty when the text does not give one."""

    given: str
    middles: tuple[str, ...]
    surname: str
    suffix: str
    nicknames: tuple[str, ...]

    @property
    def initials(self) -> tuple[str, ...]:
        """The middle names' initials."""
        return tuple(m[0] for m in self.middles if m)


def fold(text: str) -> str:
    """Lower case without accents, curly apostrophes or periods ("Calder\u00f3n" -> "calderon")."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("\u2019", "'").replace(".", "").lower()


# Names recur across a story's articles and across the stories a worker reconciles: parsing
# and comparing them are pure functions of their text, kept for the pairs seen before.
@lru_cache(maxsize=65536)
def parse_name(text: str) -> PersonName:
    """The parts of a written name ("Sen. Michael R. \u201cMike\u201d Bloomberg Jr.")."""
    nicks = tuple(fold(m.group(1)) for m in _NICK.finditer(text))
    rest = _NICK.sub(" ", text)
    words = [fold(w) for w in _WORD.findall(rest)]
    words = [w.strip("'") for w in words if w.strip("'")]
    while words and words[0] in _TITLES and len(words) > 1:
        words.pop(0)
    suffix = ""
    while words and words[-1] in _SUFFIXES and len(words) > 1:
        suffix = suffix or {"junior": "jr", "senior": "sr"}.get(words[-1], words[-1])
        words.pop()
    if not words:
        return PersonName("", (), "", suffix, nicks)
    # a surname keeps its particles ("bin Salman", "van der Berg", "al-Assad" is one word)
    k = len(words) - 1
    while k > 1 and words[k - 1] in _PARTICLES:
        k -= 1
    surname = " ".join(words[k:])
    first = words[:k]
    given = first[0] if first else ""
    return PersonName(given, tuple(first[1:]), surname, suffix, nicks)


_TRANSLIT = [(re.compile(p), r) for p, r in (
    (r"^(?:al|el|ad|an|ar|as|at|az)[- ]", ""), (r"kh", "k"), (r"gh", "g"), (r"dh", "d"), (r"th", "t"),
    (r"ph", "f"), (r"ou", "u"), (r"oo", "u"), (r"ee", "i"), (r"q", "k"), (r"c(?=[aou])", "k"), (r"ck", "k"),
    (r"y", "i"), (r"j", "i"), (r"w", "v"), (r"z", "s"), (r"[-' ]", ""), (r"(.)\1+", r"\1"), (r"h$", ""),
)]


def surname_key(surname: str) -> str:
    """A spelling skeleton under which transliterations of one surname coincide
    ("Qadhafi", "Gadhafi" and "Kaddafi" differ in one letter; "Zelensky" = "Zelenskyy")."""
    key = fold(surname)
    for pattern, repl in _TRANSLIT:
        key = pattern.sub(repl, key)
    return key


def _surnames_match(a: str, b: str) -> bool:
    if a == b:
        return True
    ka, kb = surname_key(a), surname_key(b)
    if ka == kb:
        return True
    # transliterations differ in a letter or two beyond the skeleton ("Qadafi" / "Gadafi")
    if len(ka) >= 5 and len(kb) >= 5 and ka[-2:] == kb[-2:]:
        from rapidfuzz.distance import Levenshtein

        return bool(Levenshtein.distance(ka, kb) <= 1)
    return False


def _written(name: PersonName) -> str:
    """The words before the surname ("mad dog" in "Mad Dog Mattis")."""
    return " ".join((name.given, *name.middles))


@lru_cache(maxsize=1)
def _nicknamer() -> NickNamer:
    return NickNamer()


def given_names_match(a: str, b: str) -> bool:
    """Whether two given names can be one person's: equal, an initial of the other, or one a
    hypocoristic form of the other ("Jim" / "James", "Bill" / "William", "Mike" / "Michael")."""
    a, b = fold(a), fold(b)
    if not a or not b or a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    nn = _nicknamer()
    if b in nn.nicknames_of(a) or b in nn.canonicals_of(a) or a in nn.nicknames_of(b) or a in nn.canonicals_of(b):
        return True
    # transliterations of one given name ("Muammar" / "Moammar")
    ka, kb = surname_key(a), surname_key(b)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) >= 6 and ka[0] == kb[0]:
        from rapidfuzz.distance import Levenshtein

        return bool(Levenshtein.distance(ka, kb) <= 1)
    return False


@lru_cache(maxsize=65536)
def same_person(a: PersonName, b: PersonName) -> bool:
    """Whether two parsed names can denote one person (see the module docstring).

    A name with no surname (a bare given name or nickname) matches a name whose given name or
    nickname it is."""
    if not a.surname or not b.surname:
        return False
    if not _surnames_match(a.surname, b.surname):
        # "Bibi" alone parses as a surname: it is one person's nickname or given name
        one, other = (a, b) if not a.given else (b, a)
        return not one.given and not one.middles and (
            one.surname in other.nicknames or one.surname == other.given and bool(other.given))
    if a.suffix and b.suffix and a.suffix != b.suffix:
        return False
    if a.given and b.given and not a.middles and b.middles and a.given == b.middles[-1] and not name_gender(a.given):
        return True  # a double surname written alone: "Pe\u00f1a Nieto" for "Enrique Pe\u00f1a Nieto"
    if b.given and a.given and not b.middles and a.middles and b.given == a.middles[-1] and not name_gender(b.given):
        return True
    if a.given and b.given:
        if a.suffix != b.suffix:
            return False  # "Donald Trump Jr." is not "Donald Trump"
        # a nickname may be written as the given name, unquoted ("Mad Dog Mattis")
        ok = given_names_match(a.given, b.given) or _written(a) in b.nicknames or _written(b) in a.nicknames \
            or a.given in b.nicknames or b.given in a.nicknames or bool(set(a.nicknames) & set(b.nicknames))
        if not ok:
            return False
        ia, ib = a.initials, b.initials
        if ia and ib and ia != ib and _written(a) not in b.nicknames and _written(b) not in a.nicknames:
            return False
    return True


@lru_cache(maxsize=1)
def _first_names() -> dict[str, str]:
    # built by scripts/build_first_names.py from the SSA's public-domain first-name counts
    text = resources.files("storyline").joinpath("data/first_names.tsv").read_text("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


def name_gender(given: str) -> str | None:
    """"f" or "m" when at least nine in ten people with this given name are of that sex (US
    first-name counts; see scripts/build_first_names.py), else None. A hypocoristic form
    takes its full names' gender when they agree ("Liz" -> "f")."""
    key = fold(given)
    if len(key) < 2:
        return None
    names = _first_names()
    hit = names.get(key)
    if hit is not None:
        return hit.strip()
    found = {names[c].strip() for c in _nicknamer().canonicals_of(key) if c in names}
    return found.pop() if len(found) == 1 else None
