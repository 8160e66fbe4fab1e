"""Checkable claims: figures (counts, money, percentages, measures, durations, clock times,
scores), dated events, and the verb and noun each figure belongs to.

Value formats (``Claim.value``). A qualifier prefix says how the text hedges a figure:
``~`` about, around, some, roughly, approximately, an estimated; ``<`` nearly, almost, fewer
than, less than, under, below; ``<=`` up to, at most, no more than; ``>`` more than, over,
above; ``>=`` at least, no less than. A threshold named as a demand ("nothing less than",
"anything short of") is the figure itself, without a prefix. A range or a vague quantity is
``LOW..HIGH`` ("between 10 and 20", "10 to 20" -> ``10..20``; "dozens" -> ``24..99``,
"hundreds" -> ``200..999``).

``count``
    The number: "nearly 100 officials" is ``<100``; "a dozen" is ``12``. ``text`` runs from
    the qualifier through the counted noun; ``noun`` (and ``subject``) is the noun's lemma.
``money``
    ISO 4217 code and amount, ``USD 1000``; a conversion in brackets is joined with `` = ``
    (``USD 1000 = GBP 770``); a qualifier before the amount prefixes the whole value
    (``>USD 1000 = GBP 770``) but stays out of ``text``, which starts at the amount. A bare ``$``
    is read as US dollars; "pounds" is money only with a scale word ("50 million pounds"),
    "sterling" or a bracketed conversion, else a weight. A scale word after a closing quotation
    mark belongs to the amount (``$5.6” billion``). ``subject`` is the lemma of its verb.
``percent``
    The number of percent, qualified: "about 45 percent" -> ``~45``.
``measure``
    Number and unit lemma: "6.6 pounds" -> ``6.6 pound``; "12 miles" -> ``12 mile``.
``duration``
    An ISO 8601 duration from the time expression, qualified (``P4Y``, ``~P6W``); time that has
    passed ("12 weeks ago") ends in `` ago`` (``P12W ago``).
``time``
    A clock time ``Thh:mm``, qualified: "about 1:30 a.m." -> ``~T01:30``.
``score``
    A tally of two numbers, "voted 396-9", "won 72-65" -> ``396-9``.
``date``
    The ISO value (day or month) of a time expression that modifies a verb; ``text`` runs from
    the verb's subject (or the time expression, if earlier) through the verb or the time
    expression, whichever ends later; ``subject`` is the verb's lemma. Not a date of the event:
    a day that is what the clause is about ("makes Labour Day a holiday"), one naming another
    event the verb is placed before, after or towards ("left for the August recess", "on May 2,
    three days before the vote"), and "today" as the present in general ("life today").

Every figure has ``verb``, the lemma of the verb it belongs to ("kill", "divert"), when it has
one. Numbers inside quoted speech are kept: a figure in a quote is still a claim. Years, dates,
ordinals, identifiers ("route 94", "Core 2 Duo", "magnitude 6.1"), ages and digit groups that are
not one number (phone numbers) are not figures. Claim ids are "c1", "c2", ... in order of
appearance; callers may re-prefix them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..models import Claim, TimeExpression
from ..nlp import doc_text
from ..spans import Occupied
from .timex import FUTURE, PAST, event_verb, governing_verb, introduces_event, parse_number, sentence_of, tense_of

__all__ = ["extract_claims", "figure_owner", "format_amount"]

_NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
#: Entities whose numbers name something ("Core 2 Duo", "Windows 7", "Amendment 64").
_NAME_ENTS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "ORG", "EVENT"})
#: Counted nouns that make a number a duration or a ratio, not a count (durations come from
#: the time expressions).
_NOT_COUNTED = frozenset({
    "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
    "time", "percent", "cent", "%", "am", "pm", "a.m.", "p.m.",
})  # fmt: skip
#: Units of measure: a number before one of these is a measure, not a count.
_MEASURES = frozenset({
    "mile", "kilometre", "kilometer", "km", "metre", "meter", "m", "cm", "mm", "foot", "feet", "inch",
    "yard", "kg", "kilogram", "gram", "g", "pound", "lb", "ounce", "oz", "ton", "tonne", "litre", "liter",
    "gallon", "degree", "acre", "hectare", "mph", "knot", "barrel", "magnitude",
})  # fmt: skip
_QUALIFIERS = {
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~", "an estimated": "~",
    "approx.": "~", "estimated": "~", "nearly": "<", "almost": "<", "fewer than": "<", "less than": "<",
    "under": "<", "below": "<", "just under": "<", "up to": "<=", "at most": "<=", "no more than": "<=",
    "more than": ">", "over": ">", "above": ">", "just over": ">", "at least": ">=", "upwards of": ">",
    # a negated bound is the other bound: "no less than 40" is at least 40
    "no less than": ">=", "not less than": ">=", "no fewer than": ">=", "not fewer than": ">=",
    "not more than": "<=", "as much as": "<=", "as many as": "<=", "a maximum of": "<=", "maximum of": "<=",
    "maximum sentence of": "<=", "a minimum of": ">=", "minimum of": ">=", "minimum sentence of": ">=",
    # a threshold named as a demand ("would not accept anything less than $5bn", "nothing short of
    # $5bn"): the figure itself, not a bound on it
    "anything less than": "", "nothing less than": "", "anything short of": "", "nothing short of": "",
}  # fmt: skip
_QUALIFIER_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)) + r")\s+$",
    re.I,
)
#: Vague quantities and the range each stands for ("dozens of protesters").
_VAGUE = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999), "a handful": (3, 6), "several": (3, 9),
}  # fmt: skip
_VAGUE_RE = re.compile(
    r"\b(?P<q>(?:" + "|".join(sorted((re.escape(v) for v in _VAGUE if v != "several"), key=len, reverse=True))
    + r")\s+of|several)\s+(?:the\s+)?", re.I,
)

_SYMBOLS = {
    "US$": "USD", "$": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD",
    "HK$": "HKD", "S$": "SGD", "R$": "BRL", "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR",
    "₩": "KRW", "₽": "RUB", "₺": "TRY",
}  # fmt: skip
_CODES = ("USD", "GBP", "EUR", "JPY", "CNY", "INR", "AUD", "CAD", "CHF", "NZD", "HKD", "SGD", "ZAR",
          "BRL", "RUB", "TRY", "KRW", "MXN", "SEK", "NOK", "DKK", "PLN")  # fmt: skip
_NAMES = {
    "us dollars": "USD", "australian dollars": "AUD", "canadian dollars": "CAD", "new zealand dollars": "NZD",
    "hong kong dollars": "HKD", "singapore dollars": "SGD", "dollars": "USD", "dollar": "USD",
    "pounds sterling": "GBP", "pounds": "GBP", "pound": "GBP", "sterling": "GBP", "euros": "EUR",
    "euro": "EUR", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupees": "INR",
    "swiss francs": "CHF",
}  # fmt: skip
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
# a scale word may follow a closing quotation mark when a quote ends inside the figure
_MULT = r"(?:(?:m|mn|bn|k|tn)\b|[”\"’']?\s(?:million|billion|trillion|thousand)\b)"
_SYMBOL_ALT = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE_ALT = "|".join(_CODES)
_NAME_ALT = "|".join(sorted((n.replace(" ", r"\s") for n in _NAMES), key=len, reverse=True))
_MONEY_RE = re.compile(
    rf"(?:(?<![\w$])(?P<sym>{_SYMBOL_ALT})\s?|\b(?P<code>{_CODE_ALT})\s?)(?P<num>{_NUM})(?![\d,]*\d)(?P<mult>{_MULT})?"
    rf"|(?<![\w$£€.,])(?P<num2>{_NUM})(?P<mult2>{_MULT})?\s(?P<name>(?i:{_NAME_ALT})|{_CODE_ALT})\b(?!\s+of\b)"
)
_CONVERSION_OPEN = re.compile(r"\s*\(\s*(?:(?P<q>about|around|roughly|approximately|approx\.|some|c\.|~)\s*)?")
_CONVERSION_CLOSE = re.compile(r"\s*\)")
_MONEY_RANGE = re.compile(r"\s*(and|to|-|–)\s*")
_PERCENT_RE = re.compile(rf"(?<![\w.,])(?P<num>{_NUM})\s?(?:%|per\s?cent\b|pct\b)", re.I)
_SCORE_RE = re.compile(r"(?<![\w.,/-])(?P<a>\d{1,3})\s?[-–]\s?(?P<b>\d{1,3})(?![\w/-]|[.,]\d)")
#: Words around a tally that make it a vote or a result rather than a range or a code.
_SCORE_NOUNS = frozenset({"vote", "win", "victory", "loss", "defeat", "decision", "margin", "ruling", "majority",
                          "score", "tally", "count", "result"})
_SCORE_VERBS = frozenset({"vote", "win", "lose", "beat", "defeat", "pass", "approve", "reject", "trail", "lead",
                          "edge", "rout", "top", "down", "fall", "end", "finish", "confirm", "clear", "advance"})
_CLOCK_RE = re.compile(r"(?<![\w:.])(?P<h>\d{1,2})(?::(?P<m>\d{2}))?\s?(?P<ap>[ap])\.?\s?m\b\.?", re.I)
_AGO_RE = re.compile(r"\bago\s*$", re.I)
_SINCE_AFTER = re.compile(r"\s+since\b", re.I)
_AGE_AFTER = re.compile(r"[\s-]*old\b", re.I)
_CLOCK_AFTER = re.compile(r"\s+(?:remaining|left|to\s+play|to\s+go)\b", re.I)
_SMALL_NUMBER = r"(?:\d{1,3}(?![\d,.])|one|two|three|four|five|six|seven|eight|nine|ten)"
#: Odds written as "2 in 3" or "one-in-five": a ratio, not a count of what follows.
_ODDS_BEFORE = re.compile(rf"\b{_SMALL_NUMBER}\s*-?\s*in\s*-?\s*$", re.I)
_ODDS_AFTER = re.compile(rf"\s*-?\s*in\s*-?\s*{_SMALL_NUMBER}\b", re.I)
_FIRST_IN_BEFORE = re.compile(r"\b(?:first|only)\b[^.;]{0,40}\bin\s+(?:the\s+(?:past|last)\s+)?$", re.I)
_BARE_RANGE = re.compile(r"(?i:between\s+)?[\d,.]+\s*(?:and|to|-|–)\s*[\d,.]+")
_ISO_DURATION = re.compile(r"P(?:T?\d+(?:\.\d+)?[YMWDHS])+")


@dataclass(frozen=True, slots=True)
class _Hit:
    start: int
    end: int
    kind: str
    value: str
    subject: str | None = None
    noun: str | None = None
    verb: str | None = None
    core: tuple[int, int] | None = None  # the figure itself, when ``text`` runs on to its noun

    @property
    def figure(self) -> tuple[int, int]:
        return self.core or (self.start, self.end)


def extract_claims(doc: Doc, *, timexes: Sequence[TimeExpression] = ()) -> Iterator[Claim]:
    """Yield the figure and date claims of ``doc`` in text order, with ids "c1", "c2", ..."""
    text = doc_text(doc)  # Doc.text joins every token on each access: read it once per Doc
    found: list[_Hit] = []
    blocked = Occupied()

    def take(hits: Iterator[_Hit]) -> None:
        for hit in hits:
            lo, hi = hit.figure
            if not blocked.meets(lo, hi):
                found.append(hit)
                blocked.add(lo, hi)

    take(_money(doc, text))
    take(_percents(doc, text))
    take(_durations(doc, text, timexes))
    take(_times(doc, text, timexes))
    # a bare pair of numbers ("between 10 and 20") that the time tagger took for years stays countable
    for t in timexes:
        if t.type in ("DATE", "TIME", "SET") and not (t.value is None and _BARE_RANGE.fullmatch(t.text)):
            blocked.add(t.start, t.end)
    take(_scores(doc, text))
    take(_vague_counts(doc, text))
    take(_counts(doc, text))
    found.extend(_dates(doc, timexes))
    found.sort(key=lambda h: (h.start, h.end))
    for n, h in enumerate(found, 1):
        yield Claim(f"c{n}", h.kind, h.start, h.end, text[h.start:h.end], h.value, h.subject,
                    noun=h.noun, verb=h.verb)


def format_amount(number: float) -> str:
    """``1000.0`` → ``"1000"``, ``2.5`` → ``"2.5"``: no exponent, no trailing zeros."""
    if number == int(number):
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _qualifier(text: str, start: int) -> tuple[str, int]:
    """The qualifier written right before ``start`` ("about", "more than") and where it starts."""
    found = _QUALIFIER_RE.search(text, max(0, start - 24), start)
    if not found:
        return "", start
    return _QUALIFIERS[found.group(1).lower()], found.start(1)


def _span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _verb_of(doc: Doc, start: int, end: int) -> str | None:
    span = _span(doc, start, end)
    if span is None:
        return None
    verb = governing_verb(span.root)
    return verb.lemma_.lower() if verb is not None else None


def figure_owner(doc: Doc, start: int, end: int) -> tuple[int, int] | None:
    """Whose figure a claim is, as a character span: the possessor of the counted noun
    ("Lund's 12 points"), else the subject of the verb the figure belongs to ("Lund scored 12
    points", "Police arrested 200 people"); ``None`` when neither is written."""
    span = _span(doc, start, end)
    if span is None:
        return None
    noun = span[-1]
    for child in noun.children:
        if child.dep_ == "poss":
            return child.left_edge.idx, child.idx + len(child)
    verb = governing_verb(noun)
    while verb is not None:
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            subj = subjects[0]
            if any(t.i >= span.start and t.i < span.end for t in subj.subtree):
                return None  # the figure is the subject itself ("12 people died")
            first, last = subj.left_edge, subj
            for t in subj.subtree:  # the subject phrase up to its head, without trailing clauses
                if t.i > subj.i and t.dep_ in ("compound", "flat", "appos") and t.i == last.i + 1:
                    last = t
            return first.idx, last.idx + len(last)
        verb = _clause_verb(verb)
    return None


def _clause_verb(verb: Token) -> Token | None:
    """The verb whose subject a subjectless verb shares: the first of a coordination ("Lund ran
    and scored 12"), the governor of a complement ("Lund went on to score 12"), of a gerund after
    a preposition ("Lund helped by scoring 12") or of a participle clause ("Scoring 12, Lund ...")."""
    head = verb.head
    if head.i == verb.i:
        return None
    if verb.dep_ in ("conj", "xcomp"):
        return head
    if verb.dep_ == "pcomp" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN"):
        return head
    return None


# --- money -------------------------------------------------------------------


def _money(doc: Doc, text: str) -> Iterator[_Hit]:
    matches = list(_MONEY_RE.finditer(text))
    i = 0
    while i < len(matches):
        first = matches[i]
        start, end = first.span()
        value = _money_value(first)
        i += 1
        if value is None:
            continue
        # "$1,000 (£770)": the bracketed conversion belongs to the same claim.
        converted = False
        opening = _CONVERSION_OPEN.match(text, end)
        if opening and i < len(matches) and matches[i].start() == opening.end():
            closing = _CONVERSION_CLOSE.match(text, matches[i].end())
            other = _money_value(matches[i])
            if closing and other is not None:
                approx = "~" if opening.group("q") else ""
                value = f"{value} = {approx}{other}"
                end = closing.end()
                i += 1
                converted = True
        if _is_weight(first, text, converted):
            continue
        # "between $140 million and $150 million", "$5 million to $7 million": one range
        link = _MONEY_RANGE.match(text, end)
        if not converted and link and i < len(matches) and matches[i].start() == link.end():
            other = _money_value(matches[i])
            between = re.search(r"\bbetween\s+$", text[max(0, start - 10):start], re.I)
            # ... but "from $5 million to $7 million" is a change: two values
            change = re.search(r"\bfrom\s+$", text[max(0, start - 10):start], re.I)
            if other is not None and other.split()[0] == value.split()[0] and not change and (
                    between or link.group(1).lower() != "and"):
                value = f"{value}..{other.split()[1]}"
                end = matches[i].end()
                i += 1
                if between:
                    start -= len(between.group(0))
                verb = _verb_of(doc, first.start(), first.end())
                yield _Hit(start, end, "money", value, verb, None, verb)
                continue
        prefix, _ = _qualifier(text, start)
        verb = _verb_of(doc, first.start(), first.end())
        yield _Hit(start, end, "money", prefix + value, verb, None, verb)


def _is_weight(match: re.Match[str], text: str, converted: bool) -> bool:
    """"6.6 pounds" weighs; "50 million pounds", "pounds sterling" and "£5" are money."""
    name = (match.group("name") or "").lower()
    if not name.startswith("pound") or "sterling" in name or match.group("mult2") or converted:
        return False
    if re.match(r"\s*sterling\b", text[match.end():], re.I):
        return False
    # a conversion written before: "$80 (50 pounds)"
    return not re.search(r"\(\s*$", text[max(0, match.start() - 3):match.start()])


def _money_value(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g["num"] is not None:
        code = _SYMBOLS[g["sym"]] if g["sym"] else g["code"]
        number, mult = g["num"], g["mult"]
    else:
        name = re.sub(r"\s+", " ", g["name"])
        code = _NAMES.get(name.lower(), name if name in _CODES else "")
        number, mult = g["num2"], g["mult2"]
    scale = mult.strip().strip("”\"’'").strip() if mult else ""
    amount = parse_number(number + (" " + scale if scale else ""))
    if amount is None or not code:
        return None
    return f"{code} {format_amount(amount)}"


# --- percentages, durations, clock times, scores -------------------------------------


def _percents(doc: Doc, text: str) -> Iterator[_Hit]:
    for m in _PERCENT_RE.finditer(text):
        number = parse_number(m.group("num"))
        if number is None:
            continue
        prefix, start = _qualifier(text, m.start())
        if re.search(r"\bpoints?\b", text[m.end():m.end() + 8], re.I):
            continue  # "5 percentage points" is a difference of percentages, counted below
        yield _Hit(start, m.end(), "percent", prefix + format_amount(number), None, "percent",
                   _verb_of(doc, m.start(), m.end()))


def _durations(doc: Doc, text: str, timexes: Sequence[TimeExpression]) -> Iterator[_Hit]:
    for tx in timexes:
        ago = bool(_AGO_RE.search(tx.text))
        value: str | None = None
        if tx.type == "DURATION" and tx.value and _ISO_DURATION.fullmatch(tx.value):
            value = tx.value
            # time gone by since an event ("in the 15 years since they left", "the first meeting
            # in 22 days") is time ago, not the length of something
            ago = bool(_SINCE_AFTER.match(text, tx.end)
                       or _FIRST_IN_BEFORE.search(text, max(0, tx.start - 50), tx.start))
        elif tx.type == "DATE" and ago:
            value = _elapsed(tx.text)
        if value is None or _AGE_AFTER.match(text, tx.end) or _CLOCK_AFTER.match(text, tx.end):
            continue  # "between 16 and 18 years old" is an age, "29 seconds remaining" a moment of a game
        words = tx.text.lower()
        prefix = ""
        for phrase, sign in sorted(_QUALIFIERS.items(), key=lambda p: -len(p[0])):
            if words.startswith(phrase + " "):
                prefix = sign
                break
        start = tx.start
        if not prefix:
            prefix, start = _qualifier(text, tx.start)
            if prefix == ">" and re.match(r"over\b", text[start:tx.start], re.I) and re.search(
                    r"(?:\d|million|billion|thousand|dollars|euros|pounds)\s+$", text[max(0, start - 12):start], re.I):
                prefix, start = "", tx.start  # "$184 million over eight years": a sum across them, not more
        unit = re.search(r"([A-Za-z]+?)s?\s*(?:ago)?\s*$", tx.text)
        noun = unit.group(1).lower() if unit else None
        yield _Hit(start, tx.end, "duration", prefix + value + (" ago" if ago else ""), noun, noun,
                   _period_verb(doc, tx.start, tx.end) or _verb_of(doc, tx.start, tx.end))


def _period_verb(doc: Doc, start: int, end: int) -> str | None:
    """The verb that says what a period was spent doing, when a participle describes the noun the
    duration measures ("a four-year spell living abroad" -> live, "a two-year stint working in
    Oslo" -> work), rather than the verb of the clause around it ("she returned after ...")."""
    span = _span(doc, start, end)
    if span is None:
        return None
    noun = span.root
    for _ in range(2):  # the duration itself, then the noun it modifies ("year" -> "spell")
        verb = next((c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBG"), None)
        if verb is not None:
            return verb.lemma_.lower()
        if noun.dep_ not in ("compound", "nummod", "amod") or noun.head.pos_ != "NOUN":
            break
        noun = noun.head
    return None


_UNIT_CODES = {"second": "S", "minute": "M", "hour": "H", "day": "D", "week": "W", "fortnight": "W",
               "month": "M", "year": "Y", "decade": "Y", "century": "Y"}
_UNIT_FACTOR = {"fortnight": 2, "decade": 10, "century": 100}


def _elapsed(phrase: str) -> str | None:
    """"12 weeks ago" -> ``P12W``; ``None`` when the phrase is not a number of units ago."""
    m = re.search(r"(?P<num>[\w.,-]+(?:\s+[\w-]+)*?)\s+(?P<unit>second|minute|hour|day|week|fortnight|month|year"
                  r"|decade|centur(?:y|ie))s?\s+ago\s*$", phrase, re.I)
    if not m:
        return None
    words = m.group("num").split()
    while words and words[0].lower() in {"about", "around", "some", "roughly", "nearly", "almost", "more",
                                         "than", "less", "at", "least", "over", "just", "approximately"}:
        words = words[1:]
    number = parse_number(" ".join(words)) if words else None
    if number is None:
        return None
    unit = m.group("unit").lower().replace("centurie", "century")
    code = _UNIT_CODES[unit]
    number *= _UNIT_FACTOR.get(unit, 1)
    time_part = "T" if unit in ("second", "minute", "hour") else ""
    return f"P{time_part}{format_amount(number)}{code}"


def _times(doc: Doc, text: str, timexes: Sequence[TimeExpression]) -> Iterator[_Hit]:
    for m in _CLOCK_RE.finditer(text):
        hour, minute = int(m.group("h")), int(m.group("m") or 0)
        if not 1 <= hour <= 12 or minute > 59:
            continue
        hour = hour % 12 + (12 if m.group("ap").lower() == "p" else 0)
        prefix, start = _qualifier(text, m.start())
        yield _Hit(start, m.end(), "time", f"{prefix}T{hour:02d}:{minute:02d}", None, None,
                   _verb_of(doc, m.start(), m.end()))


def _scores(doc: Doc, text: str) -> Iterator[_Hit]:
    for m in _SCORE_RE.finditer(text):
        span = _span(doc, m.start(), m.end())
        if span is None or any(t.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT") for t in span):
            continue
        after = doc[span.end] if span.end < len(doc) else None
        verb = governing_verb(span.root)
        noun = after.lemma_.lower() if after is not None and after.lemma_.lower() in _SCORE_NOUNS else None
        verb_lemma = verb.lemma_.lower() if verb is not None else None
        if noun is None and not (verb is not None and verb_lemma in _SCORE_VERBS and span.root.head.i == verb.i):
            continue
        yield _Hit(m.start(), m.end(), "score", f"{m.group('a')}-{m.group('b')}", None, noun, verb_lemma)


# --- counts and measures ------------------------------------------------------------


def _is_number(token: Token) -> bool:
    return token.tag_ == "CD" or token.lower_ == "dozen"


def _vague_counts(doc: Doc, text: str) -> Iterator[_Hit]:
    for m in _VAGUE_RE.finditer(text):
        span = _span(doc, m.start(), m.end())
        if span is None or span.end >= len(doc):
            continue
        noun = _head_noun_from(doc, span.end)
        if noun is None or noun.lemma_.lower() in _NOT_COUNTED or noun.lemma_.lower() in _MEASURES:
            continue
        low, high = _VAGUE[re.sub(r"\s+", " ", m.group("q")).lower().removesuffix(" of")]
        yield _Hit(m.start(), noun.idx + len(noun), "count", f"{low}..{high}", noun.lemma_.lower(),
                   noun.lemma_.lower(), _verb_token_lemma(noun), (m.start(), m.end()))


def _head_noun_from(doc: Doc, i: int) -> Token | None:
    """The noun that heads the phrase starting at token ``i`` ("angry protesters" -> protesters)."""
    for tok in doc[i:i + 5]:
        if tok.pos_ in ("NOUN", "PROPN") and (tok.head.i < i or tok.head.i <= tok.i or tok.dep_ in ("pobj", "ROOT",
                                                                                                 "nsubj", "dobj")):
            if tok.head.i > tok.i and tok.head.pos_ in ("NOUN", "PROPN") and tok.head.i < i + 5:
                continue  # a modifier: "riot police" -> police
            return tok
        if tok.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "CCONJ"):
            return None
    return None


def _verb_token_lemma(token: Token) -> str | None:
    verb = governing_verb(token)
    return verb.lemma_.lower() if verb is not None else None


def _counts(doc: Doc, text: str) -> Iterator[_Hit]:
    i = 0
    n_tokens = len(doc)
    while i < n_tokens:
        token = doc[i]
        if not _is_number(token):
            i += 1
            continue
        # A run of number words: "three million", "twenty - five", "a dozen".
        j = i
        while j + 1 < n_tokens and (
            _is_number(doc[j + 1]) or (doc[j + 1].text == "-" and j + 2 < n_tokens and _is_number(doc[j + 2]))
        ):
            j += 1
        run = doc[i : j + 1]
        i = j + 1
        first = run[0]
        if (
            first.i > 0
            and doc[first.i - 1].lower_ in ("a", "an")
            and run[-1].lower_ in ("dozen", "hundred", "thousand", "million")
        ):
            run = doc[first.i - 1 : run.end]
        high = _range_end(doc, run)
        if _not_a_count(run) or (high is not None and _not_a_count(high)):
            continue
        if _names_something(doc, run):
            continue
        if (_ODDS_BEFORE.search(text, max(0, run.start_char - 20), run.start_char)
                or _ODDS_AFTER.match(text, run.end_char) or re.search(r"-in-", run.text, re.I)):
            continue  # odds: "a 2 in 3 chance", "a one-in-five chance"
        last = high if high is not None else run
        nxt = doc[last.end] if last.end < n_tokens else None
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            continue
        number = parse_number(run.text)
        top = parse_number(high.text) if high is not None else None
        if number is None or (high is not None and top is None):
            continue
        noun = _counted_noun(last) or _counted_noun(run)
        if noun is None or noun.lemma_.lower() in _NOT_COUNTED:
            noun = changed_quantity(run)
        if noun is None or noun.lemma_.lower() in _NOT_COUNTED:
            continue
        if high is not None:
            i = high.end
        start_char = run.start_char
        low = _range_start(doc, run) if high is None else None
        if high is not None and top is not None:
            before = doc[run.start - 1] if run.start > 0 else None
            if before is not None and before.lower_ == "between":
                start_char = before.idx
            prefix, value = "", f"{format_amount(number)}..{format_amount(top)}"
        elif low is not None:
            prefix, start_char = "", low[1]
            value = f"{format_amount(low[0])}..{format_amount(number)}"
        else:
            prefix, start_char = _qualifier(text, start_char)
            value = prefix + format_amount(number)
        lemma = noun.lemma_.lower()
        verb = _verb_token_lemma(noun)
        core = (start_char, last.end_char)
        # the counted noun after the number ("400,000 arrests"), or the number alone when it gives
        # the new value of a noun told before it ("arrests fell to 400,000")
        end = noun.idx + len(noun) if noun.i >= last.end else last.end_char
        if lemma in _MEASURES or noun.lower_ in _MEASURES:
            yield _Hit(start_char, end, "measure", f"{value} {lemma}", lemma, lemma, verb, core)
        else:
            yield _Hit(start_char, end, "count", value, lemma, lemma, verb, core)


_YEAR = re.compile(r"1\d{3}|2\d{3}")


def _not_a_count(run: Span) -> bool:
    """Numbers the model tags as dates, times, money, ... or as part of a name.

    The small model often tags a count as DATE ("between 10 and 20 boats"); a number that is not
    a year and counts a following noun is kept.
    """
    for t in run:
        if t.ent_type_ in _NAME_ENTS:
            return True
        if t.ent_type_ == "DATE" and not _YEAR.fullmatch(t.text) and _counted_noun(run) is not None:
            continue
        if t.ent_type_ == "DATE" and t.dep_ == "conj" and not _YEAR.fullmatch(t.text):
            continue
        if t.ent_type_ in _NOT_COUNT_ENTS:
            return True
    return False


def _range_end(doc: Doc, run: Span) -> Span | None:
    """The high end of a range that starts at ``run`` ("10 and 20", "30 to 40", "5-7")."""
    k = run.end
    if k + 1 >= len(doc) or doc[k].lower_ not in ("to", "-", "–", "and") or not _is_number(doc[k + 1]):
        return None
    if doc[k].lower_ == "and" and (run.start == 0 or doc[run.start - 1].lower_ != "between"):
        return None
    j = k + 1
    while j + 1 < len(doc) and _is_number(doc[j + 1]):
        j += 1
    return doc[k + 1 : j + 1]


def _names_something(doc: Doc, run: Span) -> bool:
    """A number that identifies rather than counts: "Core 2 Duo", "route 94", "magnitude 6.1 quake"."""
    before = doc[run.start - 1] if run.start > 0 else None
    after = doc[run.end] if run.end < len(doc) else None
    if before is None or before.is_punct or before.whitespace_ == "" and before.text in "#№":
        return before is not None and before.text in "#№"
    if before.pos_ == "PROPN" and after is not None and after.pos_ == "PROPN":
        return True
    # a noun right before the number names it ("route 94", "Amendment 64", "magnitude 6.1")
    return before.pos_ in ("NOUN", "PROPN") and before.dep_ != "poss" and before.tag_ != "POS"


def _range_start(doc: Doc, run: Span) -> tuple[float, int] | None:
    """"10 to 20 people", "10-20 people", "between 10 and 20 people": the low end and where it starts."""
    k = run.start - 1
    if k < 1 or doc[k].lower_ not in ("to", "-", "–", "and"):
        return None
    low_end = k
    low_start = k - 1
    while low_start > 0 and _is_number(doc[low_start - 1]):
        low_start -= 1
    if not _is_number(doc[low_start]) or low_start >= low_end:
        return None
    if doc[k].lower_ == "and" and (low_start == 0 or doc[low_start - 1].lower_ != "between"):
        return None
    low = parse_number(doc[low_start:low_end].text)
    if low is None:
        return None
    start_tok = doc[low_start - 1] if doc[k].lower_ == "and" else doc[low_start]
    return low, start_tok.idx


#: Verbs that give a quantity a new value: "arrests fell to 400,000", "the toll rose to 12".
_CHANGE_VERBS = frozenset({"fall", "rise", "drop", "decline", "climb", "increase", "decrease", "grow", "jump",
                           "soar", "plunge", "plummet", "dip", "slip", "surge", "shrink", "swell", "tumble", "double",
                           "triple", "reach", "hit", "total", "top", "exceed", "surpass", "stand", "edge"})
#: Verbs whose object is the new value itself: "enrolment reached 14,500".
_VALUE_OBJECT_VERBS = frozenset({"reach", "hit", "total", "top", "exceed", "surpass"})
#: Nouns that name a point of a quantity's course: "from a peak of 1.6 million".
_LEVELS = frozenset({"peak", "high", "low", "record", "level", "total", "average"})
#: Subjects that stand for what they count: "the number of arrests rose to 500" counts arrests.
_COUNT_OF = frozenset({"number", "total", "count", "tally"})


def changed_quantity(run: Span) -> Token | None:
    """The noun a bare number gives a new value of, when a verb of change says so ("arrests fell to
    400,000 from a peak of 1.6 million", "the number of applications climbed to 3,200, up from
    2,900", "enrolment reached 14,500"): the verb's subject, or what "the number of" it names."""
    root = next((t for t in run if not (run.start <= t.head.i < run.end) or t.head.i == t.i), None)
    if root is None:
        return None
    if root.dep_ == "nummod" and root.head.lemma_.lower() in _NOT_COUNTED and any(
            c.lower_ in ("last", "next", "this", "that") for c in root.head.children):
        root = root.head  # the small model's "to [310 last month]": the number is no count of months
    verb: Token | None = None
    if root.dep_ == "dobj" and root.head.lemma_.lower() in _VALUE_OBJECT_VERBS:
        verb = root.head
    elif root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ == "of" and prep.head.lemma_.lower() in _LEVELS and prep.head.dep_ == "pobj":
            prep = prep.head.head  # "from a peak of 1.6 million"
        if prep.lower_ in ("to", "from", "at"):
            verb = prep.head
            if verb.pos_ == "ADV" and verb.lower_ in ("up", "down"):
                verb = verb.head  # "climbed to 3,200, up from 2,900"
    if verb is None or verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in _CHANGE_VERBS:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ != "NOUN":
        return None
    if subject.lemma_.lower() in _COUNT_OF:
        counted = next((g for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                        for g in c.children if g.dep_ == "pobj" and g.pos_ == "NOUN"), None)
        return counted or subject
    return subject


def _counted_noun(run: Span) -> Token | None:
    """The noun a number run counts ("100 ... officials"), if the number modifies one that follows."""
    for token in reversed(run):
        head = token.head
        if token.dep_ == "nummod" and head.i >= run.end and head.pos_ in ("NOUN", "PROPN"):
            return head
    return None


# --- dated events --------------------------------------------------------------------


_ISO_DAY_OR_MONTH = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")
_ISO_YEAR = re.compile(r"\d{4}")


def _dates(doc: Doc, timexes: Sequence[TimeExpression]) -> Iterator[_Hit]:
    for tx in timexes:
        if tx.type != "DATE" or tx.value is None:
            continue
        year = bool(_ISO_YEAR.fullmatch(tx.value))
        if not year and not _ISO_DAY_OR_MONTH.fullmatch(tx.value):
            continue
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None:
            continue
        if year and not _dates_the_verb(span):
            continue  # "the 2019 budget", "a 2008 Bentley": a year that names, not one that dates
        if not _dates_its_verb(doc, tx, span):
            continue
        verb = event_verb(span)
        if verb is None or sentence_of(doc, verb.i).start != sentence_of(doc, span.start).start:
            continue
        if introduces_event(doc, tx, span) and verb.i < span.end:
            continue  # "arrested on May 2, three days before the vote": the vote's date, not the arrest's
        start = min(tx.start, _clause_start(verb).idx)
        end = max(tx.end, verb.idx + len(verb))
        lemma = verb.lemma_.lower()
        yield _Hit(start, end, "date", tx.value, lemma, _event_noun(verb), lemma)


def _event_noun(verb: Token) -> str | None:
    """What a dated event is about: the lemma of the verb's subject noun ("the term ends in 2019"
    -> term), else of its object ("passing a resolution on Tuesday" -> resolution); None for a
    pronoun or a name (they say who, not what)."""
    for deps in (("nsubj", "nsubjpass"), ("dobj",)):
        arg = next((c for c in verb.children if c.dep_ in deps), None)
        if arg is not None:
            return arg.lemma_.lower() if arg.pos_ == "NOUN" else None
    return None


# A day or holiday that is what the clause is about, not when it happened.
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative"})
# Prepositions that put a named event's time around the verb's ("in a March debate, she said").
_DURING = frozenset({"in", "on", "at", "during", "over", "throughout", "amid"})
# The parser often takes a bare weekday or "yesterday" for a subject or object ("leave Friday").
_DEICTIC_DAY = re.compile(
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow|tonight)\b", re.I)
# A preposition (with the word it follows, if any) that puts the event before, after or up to a day
# or month rather than on it ("ahead of", "prior to"); years keep their own rule (_dates_the_verb).
_BOUNDS = frozenset({"before", "after", "until", "till", "through", ("ahead", "of"), ("prior", "to"),
                     ("advance", "of")})
# A prefix that makes a day name a time before or after it ("post-Christmas", "pre-Election Day").
_ERA_PREFIX = re.compile(r"\b(?:post|pre)-\s*$", re.I)
# Spheres of life that "in ... today" speaks of in general ("in politics today", "in the world today").
_DOMAINS = frozenset({"world", "country", "society", "politics", "life", "culture", "business", "nation",
                      "age", "economy", "sport", "sports", "media", "journalism", "industry"})  # fmt: skip
# "today" meaning "nowadays" when its clause is in the present and schedules nothing.
_NOWADAYS = frozenset({"today", "nowadays"})


def _dates_its_verb(doc: Doc, tx: TimeExpression, span: Span) -> bool:
    """Whether a time expression says when its clause's event happened.

    Not when it is what the clause is about ("makes Labour Day a holiday", "Christmas is a time
    for ..."), when it names another event the verb is placed before, after or towards ("left for
    the August recess", "voted before Tuesday's deadline"), or when "today" is the present in
    general ("a fact of life today", "farmers today face ...").
    """
    root = span.root
    if span.start > 0 and span.doc[span.start - 1].lower_ == "ago":
        return False  # "happened a month ago Thursday": the day counted from, not the day it happened
    if _ERA_PREFIX.search(doc.text, max(0, tx.start - 5), tx.start):
        return False  # "the post-Christmas sales", "a pre-Election Day poll": an era named by a day
    if _in_apposition(root):
        return False  # "Ernst, a candidate in the primary on June 3, announced": it describes a person
    if root.dep_ in _ARGUMENT_DEPS and not _DEICTIC_DAY.match(tx.text):
        return False
    if root.dep_ in ("compound", "amod", "nmod") and root.head.dep_ == "pobj" and root.head.head.lower_ == "on":
        return False  # "on Sunday talk shows", "declined to take sides on the Friday vote": a kind or a topic
    if not _ISO_YEAR.fullmatch(tx.value or "") and _bound(root):
        return False  # "weeks before the Nov. 8 election", "in advance of his talk on Thursday"
    if root.dep_ in ("compound", "poss", "nmod", "amod") and root.head.dep_ == "pobj" and (
            root.head.head.lower_ not in _DURING):
        return False
    if tx.text.lower() in _NOWADAYS and span.start > 0 and _in_a_domain(span.doc[span.start - 1]):
        return False  # "in politics today", "in America today, attacks can ...": the present in general
    if tx.text.lower() in _NOWADAYS and root.dep_ == "poss":
        # "today's ruling", "today's vote": a thing of this day (but "today's world" is the present)
        return root.head.lemma_.lower() not in _DOMAINS and root.head.lower_ not in _DOMAINS
    return not (tx.text.lower() in _NOWADAYS and tense_of(span) not in (PAST, FUTURE))


def _in_a_domain(token: Token) -> bool:
    """Whether ``token`` ends "in <a sphere of life>" ("in politics", "in the world") or "in <a country>"
    before a clause of what can or does happen ("in America today, attacks can ...")."""
    if token.dep_ != "pobj" or token.head.lower_ != "in":
        return False
    if token.lemma_.lower() in _DOMAINS or token.lower_ in _DOMAINS:
        return True
    verb = governing_verb(token)
    return token.ent_type_ == "GPE" and verb is not None and (verb.tag_ in ("VBZ", "VBP") or any(
        c.dep_ == "aux" and c.lower_ in ("can", "may", "might") for c in verb.children))


def _in_apposition(root: Token) -> bool:
    """Whether a time expression hangs on its verb through an appositive noun phrase."""
    current = root
    for _ in range(8):
        head = current.head
        if head == current or head.pos_ in ("VERB", "AUX"):
            return False
        if head.dep_ == "appos":
            return True
        current = head
    return False


def _bound(root: Token) -> bool:
    """Whether a preposition that bounds an event ("before", "until", "ahead of", "in advance of")
    stands between a time expression and the verb it hangs on."""
    current = root
    through_place = False  # passed a phrase like "on Thursday": a "before" above it may be a place
    for _ in range(8):
        head = current.head
        if head == current or head.pos_ in ("VERB", "AUX"):
            return False
        if current.dep_ == "pobj" and (head.head.lower_, head.lower_) in _BOUNDS:
            return True  # "ahead of", "in advance of", "prior to" only ever bound a time
        if current.dep_ == "pobj" and head.lower_ in _BOUNDS:
            # "before Tuesday's vote" bounds it; "appear before his committee on Thursday" is a place
            return head.lower_ != "before" or not through_place
        if current.dep_ == "prep" and current.lower_ != "of":
            through_place = True
        current = head
    return False


def _dates_the_verb(span: Span) -> bool:
    """A year given as when something happened: "opened in 2019", "ends in 2018"."""
    root = span.root
    prep = root.head
    return root.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in {"in", "since", "by", "until", "till",
                                                                           "during", "before", "after"} and (
        prep.head.pos_ in ("VERB", "AUX"))


def _clause_start(verb: Token) -> Token:
    """The first token of the verb's subject or auxiliaries, or the verb itself."""
    starts = [verb]
    subject = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass", "neg")]
    if not any(c.dep_.startswith("nsubj") for c in subject) and verb.dep_ == "conj":
        subject += [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i]
    for child in subject:
        if child.i < verb.i:
            starts.append(child.left_edge)
    return min(starts, key=lambda t: t.i)
