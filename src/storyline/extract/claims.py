"""Checkable claims: counts, amounts of money and dated events.

Value formats (``Claim.value``):

``count``
    The number, with a qualifier prefix when the text hedges it:
    ``~N`` about, around, some, roughly, approximately, an estimated;
    ``<N`` nearly, almost, fewer than, less than, under, below, just under;
    ``<=N`` up to, at most, no more than; ``>N`` more than, over, above, just over;
    ``>=N`` at least. "nearly 100 officials" is ``<100``; "a dozen" is ``12``.
    ``text`` runs from the qualifier through the counted noun, ``subject`` is the
    noun's lemma ("official").
``money``
    ISO 4217 code and amount, ``USD 1000``; a conversion in brackets is joined
    with `` = `` (``USD 1000 = GBP 770``); a qualifier before the amount prefixes
    the whole value (``>USD 1000 = GBP 770``) but stays out of ``text``, which
    starts at the amount. A bare ``$`` is read as US dollars. ``subject`` is the
    lemma of the verb the amount belongs to, if any.
``date``
    The ISO value (day or month) of a time expression that modifies a verb;
    ``text`` runs from the verb's subject (or the time expression, if earlier)
    through the verb or the time expression, whichever ends later; ``subject``
    is the verb's lemma.

Numbers inside quoted speech are kept: a figure in a quote is still a claim.
Years, dates, times, ordinals, percentages, measurements, money and digit groups
that are not one number (phone numbers) are not counts. Claim ids are "c1",
"c2", ... in order of appearance; callers may re-prefix them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Token

from ..models import Claim, TimeExpression
from .timex import event_verb, governing_verb, parse_number, sentence_of

__all__ = ["extract_claims", "format_amount"]

_NOT_COUNT_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
# Counted nouns that make a number a duration, a measurement or a ratio, not a count.
_NOT_COUNTED = frozenset({
    "second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century",
    "time", "percent", "cent", "%", "point", "mile", "kilometre", "kilometer", "km", "metre", "meter",
    "foot", "feet", "inch", "kg", "kilogram", "pound", "ton", "tonne", "litre", "degree", "am", "pm",
})  # fmt: skip
_QUALIFIERS = {
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~", "an estimated": "~",
    "nearly": "<", "almost": "<", "fewer than": "<", "less than": "<", "under": "<", "below": "<",
    "just under": "<", "up to": "<=", "at most": "<=", "no more than": "<=", "more than": ">",
    "over": ">", "above": ">", "just over": ">", "at least": ">=",
}  # fmt: skip
_QUALIFIER_RE = re.compile(
    r"\b(" + "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True)) + r")\s+$",
    re.I,
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
_MULT = r"(?:(?:m|mn|bn|k|tn)\b|\s(?:million|billion|trillion|thousand)\b)"
_SYMBOL_ALT = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE_ALT = "|".join(_CODES)
_NAME_ALT = "|".join(sorted((n.replace(" ", r"\s") for n in _NAMES), key=len, reverse=True))
_MONEY_RE = re.compile(
    rf"(?:(?<![\w$])(?P<sym>{_SYMBOL_ALT})\s?|\b(?P<code>{_CODE_ALT})\s?)(?P<num>{_NUM})(?![\d,]*\d)(?P<mult>{_MULT})?"
    rf"|(?<![\w$£€.,])(?P<num2>{_NUM})(?P<mult2>{_MULT})?\s(?P<name>(?i:{_NAME_ALT})|{_CODE_ALT})\b(?!\s+of\b)"
)
_CONVERSION_OPEN = re.compile(r"\s*\(\s*(?:(?P<q>about|around|roughly|approximately|approx\.|some|c\.|~)\s*)?")
_CONVERSION_CLOSE = re.compile(r"\s*\)")


def extract_claims(doc: Doc, *, timexes: Sequence[TimeExpression] = ()) -> Iterator[Claim]:
    """Yield count, money and date claims of ``doc`` in text order, with ids "c1", "c2", ..."""
    found: list[tuple[int, int, str, str, str | None]] = []
    text = doc.text  # Doc.text joins every token on each access: read it once
    money = list(_money(doc, text))
    found.extend(money)
    blocked = [(s, e) for s, e, *_ in money] + [(t.start, t.end) for t in timexes]
    found.extend(_counts(doc, text, blocked))
    found.extend(_dates(doc, timexes))
    found.sort(key=lambda c: (c[0], c[1]))
    for n, (start, end, kind, value, subject) in enumerate(found, 1):
        yield Claim(f"c{n}", kind, start, end, text[start:end], value, subject)


def format_amount(number: float) -> str:
    """``1000.0`` → ``"1000"``, ``2.5`` → ``"2.5"``: no exponent, no trailing zeros."""
    if number == int(number):
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


# --- money -------------------------------------------------------------------


def _money(doc: Doc, text: str) -> Iterator[tuple[int, int, str, str, str | None]]:
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
        opening = _CONVERSION_OPEN.match(text, end)
        if opening and i < len(matches) and matches[i].start() == opening.end():
            closing = _CONVERSION_CLOSE.match(text, matches[i].end())
            other = _money_value(matches[i])
            if closing and other is not None:
                approx = "~" if opening.group("q") else ""
                value = f"{value} = {approx}{other}"
                end = closing.end()
                i += 1
        qualifier = _QUALIFIER_RE.search(text, max(0, start - 20), start)
        if qualifier:
            value = _QUALIFIERS[qualifier.group(1).lower()] + value
        yield start, end, "money", value, _verb_lemma(doc, first.start(), first.end())


def _money_value(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    if g["num"] is not None:
        code = _SYMBOLS[g["sym"]] if g["sym"] else g["code"]
        number, mult = g["num"], g["mult"]
    else:
        name = re.sub(r"\s+", " ", g["name"])
        code = _NAMES.get(name.lower(), name if name in _CODES else "")
        number, mult = g["num2"], g["mult2"]
    amount = parse_number(number + (" " + mult.strip() if mult else ""))
    if amount is None or not code:
        return None
    return f"{code} {format_amount(amount)}"


# --- counts -------------------------------------------------------------------


def _is_number(token: Token) -> bool:
    return token.tag_ == "CD" or token.lower_ == "dozen"


def _counts(doc: Doc, text: str, blocked: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int, str, str, str | None]]:
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
        start_char, end_char = run.start_char, run.end_char
        if any(t.ent_type_ in _NOT_COUNT_ENTS for t in run):
            continue
        if any(s < end_char and start_char < e for s, e in blocked):
            continue
        nxt = doc[run.end] if run.end < n_tokens else None
        if nxt is not None and nxt.lower_ in ("%", "percent", "per"):
            continue
        number = parse_number(run.text)
        if number is None:
            continue
        noun = _counted_noun(run)
        if noun is None or noun.lemma_.lower() in _NOT_COUNTED:
            continue
        qualifier = _QUALIFIER_RE.search(text, max(0, start_char - 20), start_char)
        prefix = ""
        if qualifier:
            prefix = _QUALIFIERS[qualifier.group(1).lower()]
            start_char = qualifier.start(1)
        yield start_char, noun.idx + len(noun), "count", prefix + format_amount(number), noun.lemma_.lower()


def _counted_noun(run) -> Token | None:  # type: ignore[no-untyped-def]
    """The noun a number run counts ("100 ... officials"), if the number modifies one that follows."""
    for token in reversed(run):
        head = token.head
        if token.dep_ == "nummod" and head.i >= run.end and head.pos_ in ("NOUN", "PROPN"):
            return head
    return None


# --- dated events --------------------------------------------------------------------


_ISO_DAY_OR_MONTH = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def _dates(doc: Doc, timexes: Sequence[TimeExpression]) -> Iterator[tuple[int, int, str, str, str | None]]:
    for tx in timexes:
        if tx.type != "DATE" or tx.value is None or not _ISO_DAY_OR_MONTH.fullmatch(tx.value):
            continue
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None:
            continue
        verb = event_verb(span)
        if verb is None or sentence_of(doc, verb.i).start != sentence_of(doc, span.start).start:
            continue
        start = min(tx.start, _clause_start(verb).idx)
        end = max(tx.end, verb.idx + len(verb))
        yield start, end, "date", tx.value, verb.lemma_.lower()


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


def _verb_lemma(doc: Doc, start: int, end: int) -> str | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    verb = governing_verb(span.root)
    return verb.lemma_.lower() if verb is not None else None
