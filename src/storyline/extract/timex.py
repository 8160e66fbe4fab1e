"""Time expressions: find them in a parsed Doc and normalise them TIMEX3-style.

Detection combines precompiled rules run over ``doc.text`` (weekdays, months,
ISO dates, "last month", "two weeks ago", "a day after", durations, ...) with
spaCy's DATE/TIME entities for whatever the rules miss. A span holds the time
expression only: "on Tuesday" gives "Tuesday" (TimeML leaves out the preposition).

Values, normalised against ``reference`` (the publication date):

==================  =====================  ======================================
granularity         example value          from
==================  =====================  ======================================
day                 ``2024-10-22``         "Tuesday", "yesterday", "5 September"
month               ``2024-09``            "last month", "in September"
year                ``2024``               "last year", "2019"
decade              ``199``                "the 1990s"
week                ``2024-W43``           "this week", "two weeks ago"
weekend             ``2024-W43-WE``        "this weekend"
part of day         ``2024-10-23TNI``      "tonight" (type TIME)
vague               ``PRESENT_REF``        "now"; ``PAST_REF`` "recently";
                                           ``FUTURE_REF`` "soon"
duration            ``PT2H``, ``P1D``      "two-hour", "for three days" (ISO 8601:
                                           hours/minutes take the ``T``)
set                 ``P1W``                "every week", "weekly", "$2m a year" (SET)
set                 ``XXXX-WXX-4``         "each Thursday"; ``XXXX-07`` "every July"
century             ``19``                 "the 20th century"
holiday             ``2024-11-28``         "Thanksgiving", "Election Day", "Easter"
==================  =====================  ======================================

TimeBank's conventions decide the borderline cases: "Friday night" is the day
(``2024-10-18``); "current"/"recent" before a noun are ``PRESENT_REF`` /
``PAST_REF``; "as soon as", "soon after", narrative "soon became" and a
sentence-opening "Now," are not expressions; "two days after <event>" with no
day to count from is the duration "two days" (``P2D``).

A value is ``None`` when it cannot be resolved; in particular every relative
expression is ``None`` when ``reference`` is ``None`` (storyline never invents a
date), while absolute ones ("5 September 2024", "2024-10-23") keep their value.

Tense decides which way a bare weekday or month points: the governing verb is
found by walking up the dependency parse. Past ("said", "had met") picks the
latest such day on or before the reference (the reference day itself counts),
future ("will", modals, "is going to", "is due to") the next one on or after,
and anything else the nearest one (the past on a tie).

Anchored expressions ("a day after", "the day before", "two days later") are
resolved against the nearest preceding day-level expression in the same
sentence. When the expression introduces another event ("on Wednesday, a day
after the campaign accused ...") its value is the date of *that* event, so
"N after" is anchor − N and "N before" is anchor + N. When it stands alone
("she arrived the day before", "two days later") it dates its own clause:
"before"/"earlier"/"previous" is anchor − N, "after"/"later"/"next" anchor + N.
Without an anchor the value is ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..models import TimeExpression

__all__ = [
    "event_verb",
    "extract_timexes",
    "governing_verb",
    "is_day_level",
    "parse_number",
    "sentence_of",
    "timex_for_token",
]

# --- numbers ---------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000,
    "bn": 1_000_000_000, "tn": 1_000_000_000_000,
}  # fmt: skip
_DIGITS_RE = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?")
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, "hundred", "thousand", "million", "billion", "dozen"])
#: A number in digits or words, as found in running text ("two", "twenty-five", "12").
NUMBER_PATTERN = rf"(?:\d+|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))*|an?)"


def parse_number(text: str) -> float | None:
    """Read a cardinal in digits or words ("1,000", "three million", "a dozen", "1.5bn").

    Returns ``None`` for anything that is not one number, such as the digit
    groups of a phone number ("020 7946 0018").
    """
    words = [w for w in re.split(r"[\s\-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total = 0.0
    current: float | None = None
    last = ""  # kind of the previous word: digit | unit | ten | scale
    for i, word in enumerate(words):
        split = re.fullmatch(r"([\d.,]+)(k|m|mn|bn|tn)", word)
        if split:  # "3.5m" as one word
            word, suffix = split.groups()
            words.insert(i + 1, suffix)
        if _DIGITS_RE.fullmatch(word):
            if last in ("digit", "unit", "ten"):
                return None
            current = (current or 0) + float(word.replace(",", ""))
            last = "digit"
        elif word in ("a", "an"):
            if i + 1 >= len(words) or (words[i + 1] not in _SCALES and words[i + 1] != "dozen"):
                return None
            current = (current or 0) + 1
            last = "unit"
        elif word == "dozen":
            current = (current if current is not None else 1) * 12
            last = "scale"
        elif word in _UNITS:
            if last in ("digit", "unit"):
                return None
            current = (current or 0) + _UNITS[word]
            last = "unit"
        elif word in _TENS:
            if last in ("digit", "unit", "ten"):
                return None
            current = (current or 0) + _TENS[word]
            last = "ten"
        elif word in _SCALES:
            if current is None:
                return None
            scale = _SCALES[word]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
            last = "scale"
        else:
            return None
        if i > 0 and words[i - 1] in _UNITS and words[i - 1] != "zero" and last == "ten":
            return None
    return total + (current or 0)


# --- vocabulary --------------------------------------------------------------

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
_MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(_MONTHS)}
_MONTH_INDEX.update(
    {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
     "oct": 10, "nov": 11, "dec": 12}
)  # fmt: skip
_MONTH_FULL = "|".join(_MONTHS)
_MONTH_ANY = _MONTH_FULL + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_WEEKDAY = "|".join(_WEEKDAYS)
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_NUM = NUMBER_PATTERN
_MOD = r"(?i:last|next|this|coming)"
#: Approximators TimeML keeps inside the expression ("almost two years ago", "nearly two months").
_APPROX = r"(?i:almost|nearly|about|around|roughly|some|more than|less than|at least|at most)\s+"
_YEAR_REL = r"this year's|last year's|next year's"

# Each rule: (name, pattern). A group named "x" narrows the span to the expression itself.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        (
            "quarter",
            rf"\b(?:(?i:the|this|that|last|next)\s+)?(?:(?P<rel>(?i:year-ago|year-earlier|{_YEAR_REL}))\s+"
            rf"|(?P<qy>1[5-9]\d\d|20\d\d)\s+|(?i:fiscal)[- ])?(?P<ord>(?i:first|second|third|fourth|1st"
            rf"|2nd|3rd|4th))[- ](?i:quarter)\b(?:\s+(?i:of)\s+(?P<y>1[5-9]\d\d|20\d\d)\b)?",
        ),
        (
            "quarter_ref",
            r"\b(?i:the|this|that)\s+(?:(?P<q>(?i:latest|current|past|previous|recent|most recent|same"
            r"|year-ago|year-earlier|corresponding|1[5-9]\d\d|20\d\d))\s+)?(?P<unit>(?i:quarter|period))\b"
            r"(?!-)(?:\s+(?i:a year (?:ago|earlier)|last year))?",
        ),
        ("yearago", r"\b(?i:(?P<art>an?|the)\s+)?(?P<w>(?i:year-ago|year-earlier))\b(?!\s+(?i:quarter|period))"),
        (
            "season",
            r"\b(?P<mod>(?i:this|last|next|early|late|the))\s+(?P<s>(?i:spring|summer|fall|autumn|winter))\b"
            r"(?:\s+(?i:of\s+)?(?P<y>1[5-9]\d\d|20\d\d)\b)?",
        ),
        (
            "part",
            rf"\b(?:(?P<this>(?i:this|last|yesterday|tomorrow))\s+|(?P<wd>{_WEEKDAY})\s+)"
            r"(?P<p>(?i:morning|afternoon|evening|night))\b",
        ),
        (
            "clock",
            rf"\b(?:(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?i:a\.m\.|p\.m\.|am\b|pm\b))"
            rf"|(?<!(?i:high) )(?P<noon>noon|midday|midnight)\b)"
            rf"(?:\s+(?:EDT|EST|CDT|CST|PDT|PST|GMT|BST|CET)\b)?(?:,?\s+(?P<wd>{_WEEKDAY})\b)?",
        ),
        (
            "year_mod",
            r"\b(?P<x>(?i:fiscal\s+|early\s+|late\s+|mid-|the end of\s+|the beginning of\s+|the start of\s+"
            r"|the middle of\s+)(?P<y>1[5-9]\d\d|20\d\d))\b(?![-/])",
        ),
        (
            "vague",
            r"\b(?P<w>(?i:recent|coming|the past few|the last few|the next few|the past several"
            r"|the last several|several|many|few))\s+(?P<unit>(?i:days|weeks|months|years|decades))\b",
        ),
        (
            "dmy",
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_ANY})\b\.?"
            rf"(?:,?\s+(?P<y>\d{{4}})\b)?",
        ),
        (
            "mdy",
            rf"\b(?P<mon>{_MONTH_ANY})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?",
        ),
        ("my", rf"\b(?P<mon>{_MONTH_FULL})\s+(?P<y>\d{{4}})\b"),
        (
            "month",
            rf"\b(?:(?P<mod>{_MOD})\s+|(?P<part>(?i:early|mid|late))[- ])?(?P<mon>{_MONTH_FULL})\b"
            r"(?:\s+(?P<rel>(?i:this|last|next))\s+(?i:year)\b)?",
        ),
        (
            "holiday",
            rf"\b(?:(?P<mod>{_MOD})\s+)?(?P<h>(?i:Thanksgiving)(?:\s+Day)?|Christmas(?:\s+(?:Day|Eve))?"
            r"|New\s+Year's\s+(?:Day|Eve)|Election\s+Day|Independence\s+Day|Memorial\s+Day|Labor\s+Day"
            r"|Veterans\s+Day|Easter(?:\s+Sunday)?|Halloween|Valentine's\s+Day|Boxing\s+Day)(?!-)\b",
        ),
        ("weekday", rf"\b(?:(?P<mod>{_MOD})\s+)?(?P<wd>{_WEEKDAY})\b(?!s\b)"),
        (
            "deictic",
            r"\b(?P<w>(?i:the day before yesterday|the day after tomorrow|yesterday|today"
            r"|tomorrow|tonight))\b",
        ),
        (
            "unit",
            r"\b(?:(?P<edge>(?i:earlier|later))\s+)?(?P<mod>(?i:last|next|this|coming|current|past))"
            r"\s+(?P<unit>(?i:week|month|year|weekend|fortnight|decade))\b",
        ),
        ("weekend", r"\b(?i:the)\s+(?i:weekend)\b"),
        (
            "ago",
            rf"\b(?:{_APPROX})?(?P<n>(?i:{_NUM}|a few|several|a couple of|many))\s+(?P<unit>(?i:day|week"
            rf"|fortnight|month|year|decade))s?\s+(?i:ago)\b",
        ),
        (
            "anchored",
            rf"\b(?P<n>(?i:{_NUM}|the))\s+(?P<unit>(?i:day|week|fortnight|month|year))s?\s+"
            r"(?P<dir>(?i:after|before|later|earlier))\b",
        ),
        (
            "anchored2",
            r"\b(?i:the)\s+(?P<dir>(?i:next|following|previous))\s+(?P<unit>(?i:day|week|month"
            r"|year))\b",
        ),
        (
            "in_n",
            rf"\b(?i:in|within)\s+(?P<x>(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:day|week|fortnight|month"
            r"|year))s?)\b",
        ),
        (
            "duration",
            rf"\b(?:{_APPROX})?(?:(?i:the\s+)?(?i:past|last|next|first|previous|coming|following)\s+)?"
            rf"(?P<n>(?i:{_NUM}))[- ](?P<unit>(?i:second|minute|hour|day|week|fortnight|month"
            r"|year|decade))s?(?:-long)?\b(?!-old)",
        ),
        (
            "ref",
            r"\b(?P<w>(?i:now|currently|at present|nowadays|these days|recently|lately|soon|shortly"
            r"|the (?:near |distant )?future|the past|the near term))\b(?!-)",
        ),
        (
            "year",
            r"\b(?i:in|since|until|during|before|after|by|between|from|through|of)\s+(?P<x>(?P<y>1[5-9]\d\d"
            r"|20\d\d))\b(?![-/]|\s*(?i:percent|%))",
        ),
        # "1991 to 1997", "between 1982 and 1992": each year is an expression of its own
        ("year_pair", r"\b(?P<y>1[5-9]\d\d|20\d\d)(?=\s+(?:to|and|through)\s+(?:1[5-9]\d\d|20\d\d)\b)"),
        ("year_pair", r"(?<=\d\d\d\d )(?:to|and|through)\s+(?P<x>(?P<y>1[5-9]\d\d|20\d\d))\b(?![-/])"),
        (
            "decade",
            r"\b(?P<x>(?i:the\s+)?(?:(?i:early|mid|late)[- ])?(?:(?P<dec>1[5-9]\d|20\d)0s"
            r"|(?P<wdec>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))))\b",
        ),
        ("century", r"\b(?:(?i:the)\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ](?i:century)\b"),
        (
            "spoken_year",
            r"\b(?:(?P<yr>(?i:the\s+year\s+))?(?P<two>(?i:two\s+thousand))(?:\s+(?i:and\s+)?(?P<u>(?i:one|two"
            r"|three|four|five|six|seven|eight|nine|ten)))?|(?P<c>(?i:nineteen|eighteen))[- ](?P<t>(?i:twenty|thirty"
            r"|forty|fifty|sixty|seventy|eighty|ninety))(?:[- ](?P<tu>(?i:one|two|three|four|five|six|seven|eight"
            r"|nine)))?)\b(?![- ](?:hundred|thousand|million|billion|percent))",
        ),
        ("ref_adj", r"\b(?P<w>(?i:current|recent))\b(?!-)"),
        (
            "set",
            rf"\b(?:(?P<w>(?i:every|each)\s+(?:day|week|month|year|morning|night)|daily|weekly|monthly"
            rf"|annually|yearly)|(?i:every|each)\s+(?:(?P<wd>{_WEEKDAY})|(?P<mon>{_MONTH_FULL}))"
            rf"|(?P<wds>{_WEEKDAY})s?\s+(?P<p>nights|mornings|evenings|afternoons)|(?P<wdp>{_WEEKDAY})s)\b",
        ),
    )
)
_REF_VALUES = {
    "now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "recently": "PAST_REF",
    "lately": "PAST_REF", "soon": "FUTURE_REF", "shortly": "FUTURE_REF",
    "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the distant future": "FUTURE_REF", "the near term": "FUTURE_REF",
}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_SEASON_INDEX = {"SP": 0, "SU": 1, "FA": 2, "WI": 3}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_VAGUE_UNITS = {"days": "D", "weeks": "W", "months": "M", "years": "Y", "decades": "DE"}
_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
# Rules resolved in a second pass, against the expressions found before them.
_DEFERRED = frozenset({"anchored", "anchored2", "quarter_ref", "yearago"})
#: How far back (characters) a quarter mentioned earlier still sets the context for "a year ago".
_QUARTER_CONTEXT = 1500
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}  # fmt: skip
_WORD_DIGITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}  # fmt: skip
_ADJ_REF = {"current": "PRESENT_REF", "recent": "PAST_REF"}
#: Nouns that "current"/"recent" modify as part of a longer expression handled elsewhere ("recent weeks").
_TIME_NOUNS = frozenset({"day", "week", "month", "year", "decade", "quarter", "period", "time", "century",
                         "hour", "minute", "season", "term", "era"})  # fmt: skip
_SET_VALUES = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "daily": "P1D",
               "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y"}  # fmt: skip
_DURATION_UNITS = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W",
                   "fortnight": "W", "month": "M", "year": "Y", "decade": "Y"}  # fmt: skip
# Entities whose names contain weekday or month words ("April Ashworth", "Black Friday Ltd").
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"})
_MAY_CONTEXT = re.compile(r"\b(?:in|since|until|by|from|of|during|early|mid|late|last|next|this)[\s-]$", re.I)
_PREP_TRIM = re.compile(r"^(?:(?:on|in|at|by|since|until|from|during|of)\s+)+", re.I)
_DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_VALUE = re.compile(r"\d{4}-\d{2}")
_HAS_DATE_WORD = re.compile(rf"\d|\b(?:{_MONTH_ANY})\b")
_DAYISH_TEXT = re.compile(
    rf"\b(?:{_WEEKDAY}|yesterday|today|tomorrow|day)\b|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\b(?:{_MONTH_ANY})\.?\s+\d|\d\s+(?:of\s+)?(?:{_MONTH_ANY})\b",
    re.I,
)
_NOT_TIME_ENT = re.compile(r"^\W*\d{1,2}\W*$|^\d{5,}$|\d+[- ](?:year|month|week|day)s?[- ]old\b", re.I)
_NOT_TIME_WORDS = frozenset({"quarterly", "annual", "semiannual", "biannual", "seasonal", "seasonally"})
_BARE_PLURAL = re.compile(r"(?:the\s+)?(?:(?:past|last|next|coming|recent)\s+)?(days|weeks|months|years|decades"
                          r"|centuries)", re.I)
_INTRO_AFTER_BEFORE = re.compile(r"\b(?:after|before)$", re.I)

# Tense cues.
_FUTURE_HEADS = frozenset({"go", "due", "set", "expect", "schedule", "plan", "intend", "aim", "poise",
                           "slate", "prepare", "promise", "pledge", "vow", "threaten", "hope"})  # fmt: skip
_PAST, _FUTURE, _PRESENT = "past", "future", "present"


# --- public API ----------------------------------------------------------------


def extract_timexes(doc: Doc, *, reference: date | None) -> Iterator[TimeExpression]:
    """Yield the time expressions of ``doc`` in text order, normalised against ``reference``."""
    if isinstance(reference, datetime):
        reference = reference.date()
    text = doc.text  # Doc.text joins every token on each access: read it once
    vetoed: list[tuple[int, int]] = []
    candidates = _rule_candidates(doc, text, vetoed)
    covered = [(c[0], c[1]) for c in candidates] + vetoed
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        if any(s < end and start < e for s, e in covered):
            continue
        if _NOT_TIME_ENT.search(ent.text):
            continue  # ages ("58", "a 9-year-old") and other numbers the tagger calls dates
        if ent.text.lower() in _NOT_TIME_WORDS:
            continue  # "quarterly dividend", "the annual meeting": frequency adjectives, not expressions
        trimmed = _PREP_TRIM.match(ent.text)
        if trimmed:
            start += trimmed.end()
        if start < end:
            candidates.append((start, end, "ent", None))
    candidates.sort(key=lambda c: (c[0], c[1]))

    resolved: list[TimeExpression] = []
    deferred: dict[int, tuple[str, re.Match[str]]] = {}
    for start, end, rule, match in candidates:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if match is not None and (rule in _DEFERRED or (rule == "ago" and _is_one_year(match))):
            # Resolved in a second pass, once the anchors before them have values.
            deferred[len(resolved)] = (rule, match)
            type_, value = ("DATE", None) if rule in _DEFERRED else _normalise(rule, match, "", span, reference)
            resolved.append(TimeExpression(start, end, text[start:end], type_, value))
            continue
        try:
            type_, value = _normalise(rule, match, text[start:end], span, reference)
        except (KeyError, ValueError, IndexError, OverflowError):
            # a shape the rules recognise but cannot value: keep the expression, value unknown
            type_, value = ("DATE", None)
        resolved.append(TimeExpression(start, end, text[start:end], type_, value))

    for index, (rule, match) in deferred.items():
        tx = resolved[index]
        value = tx.value
        named = [r for i, r in enumerate(resolved) if i not in deferred]
        if reference is not None:
            # Only quarters the text names set the context, not the "year-ago" ones resolved here.
            value = _resolve_deferred(doc, tx, rule, match, named, reference)
        if value is None and rule == "anchored" and not _has_anchor(doc, tx, named):
            duration = _unanchored_duration(match, text)
            if duration is not None:  # "twenty years after the launch": nothing to count from
                resolved[index] = duration
                continue
        resolved[index] = TimeExpression(tx.start, tx.end, tx.text, "DATE", value)
    yield from resolved


def _has_anchor(doc: Doc, tx: TimeExpression, resolved: Sequence[TimeExpression]) -> bool:
    """True when a day-level expression precedes ``tx`` in its sentence (resolved or not)."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None:
        return False
    sentence = sentence_of(doc, span.start)
    return any(sentence.start_char <= o.start and o.end <= tx.start and is_day_level(o) for o in resolved)


def _unanchored_duration(match: re.Match[str], text: str) -> TimeExpression | None:
    """ "two days after <event>" with no date to count from: the duration "two days" (TimeML's reading)."""
    n_text = match.group("n")
    if n_text.lower() == "the":
        return None
    value = _duration(n_text, match.group("unit").lower())
    if value is None:
        return None
    start, end = match.start("n"), match.end("unit")
    end = match.start("dir")
    while end > start and text[end - 1].isspace():
        end -= 1
    return TimeExpression(start, end, text[start:end], "DURATION", value)


def is_day_level(tx: TimeExpression) -> bool:
    """True for a DATE naming one day: an ISO day value, or an unresolved "Tuesday"/"yesterday"."""
    if tx.type != "DATE":
        return False
    if tx.value is not None:
        return _DAY_VALUE.fullmatch(tx.value) is not None
    return _DAYISH_TEXT.search(tx.text) is not None and not re.search(r"\b(?:week|month|year)s?\b", tx.text, re.I)


def timex_for_token(doc: Doc, token_i: int, timexes: Sequence[TimeExpression]) -> TimeExpression | None:
    """The day-level time expression that dates the event of token ``token_i`` (e.g. a quote's cue verb).

    Preference: a timex attached to the verb itself, then one inside the verb's
    subtree, then the closest one in the same sentence. Timexes inside quoted
    text, inside a subordinate event ("a day after the campaign accused ...")
    or introducing one ("a day after") are never chosen.
    """
    cue = doc[token_i]
    sent = sentence_of(doc, token_i)
    quoted = _quoted_ranges(doc, sent)
    best: tuple[int, int, TimeExpression] | None = None
    for tx in timexes:
        if tx.start < sent.start_char or tx.end > sent.end_char or not is_day_level(tx):
            continue
        if any(s <= tx.start and tx.end <= e for s, e in quoted) and not any(s <= cue.idx < e for s, e in quoted):
            continue
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None or _introduces_event(doc, tx, span):
            continue
        rank = _attachment_rank(span, cue)
        if rank is None:
            continue
        distance = min(abs(t.i - cue.i) for t in span)
        if best is None or (rank, distance) < best[:2]:
            best = (rank, distance, tx)
    return best[2] if best else None


def governing_verb(token: Token) -> Token | None:
    """The first verb (or copula) up ``token``'s head chain, staying in its sentence."""
    current = token
    for _ in range(12):
        if current.head is current:
            return None
        current = current.head
        if _is_verb(current):
            return current
    return None


def event_verb(span: Span) -> Token | None:
    """The verb whose event a time expression dates.

    Like :func:`governing_verb`, except that in "said on Tuesday he had ..." a
    timex between a verb and its clausal complement's subject goes with the
    outer verb, which the small parser often gets wrong.
    """
    verb = governing_verb(span.root)
    if verb is not None and verb.dep_ == "ccomp" and verb.head.i < span.start:
        subjects = [c for c in verb.children if c.dep_.startswith("nsubj")]
        if subjects and all(s.left_edge.i >= span.end for s in subjects):
            return verb.head
    return verb


def sentence_of(doc: Doc, token_i: int) -> Span:
    """The sentence holding token ``token_i``.

    Scans the sentence-start flags around the token: ``Token.sent`` walks every
    sentence of the document on each call, which is slow when called per timex.
    """
    start = token_i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token_i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


# --- detection -------------------------------------------------------------------


def _rule_candidates(
    doc: Doc, text: str, vetoed: list[tuple[int, int]]
) -> list[tuple[int, int, str, re.Match[str] | None]]:
    """Rule matches, longest first without overlaps; spans ruled out as non-expressions go to ``vetoed``."""
    found: list[tuple[int, int, str, re.Match[str] | None]] = []
    for name, pattern in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span("x") if "x" in pattern.groupindex else match.span()
            if name == "quarter_ref" and match.group("unit").lower() == "period" and not match.group("q"):
                continue  # "the period" alone is not a time expression
            if name == "month" and match.group("mon") == "May" and not match.group("mod"):
                if not match.group("part") and not _MAY_CONTEXT.search(text, max(0, start - 12), start):
                    continue
            found.append((start, end, name, match))
    # Longest first, then earliest: "two weeks ago" beats "two weeks", "a day after" beats "a day".
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, str, re.Match[str] | None]] = []
    for cand in found:
        start, end = cand[0], cand[1]
        if any(s < end and start < e for s, e, _r, _m in kept):
            continue
        span = doc.char_span(start, end)
        if span is None:  # not on token boundaries, e.g. inside a URL or a longer word
            continue
        if span[0].ent_type_ in _NAME_ENTS and cand[2] in ("month", "weekday", "mdy", "dmy"):
            continue
        if cand[3] is not None and _not_a_timex(doc, span, cand[2], cand[3]):
            if cand[2] in ("ref", "set"):
                vetoed.append((start, end))  # nor should the entity recogniser's reading of it count
            continue
        kept.append(cand)
    return kept


def _not_a_timex(doc: Doc, span: Span, rule: str, match: re.Match[str]) -> bool:
    """Rule matches that TimeML leaves untagged: connectives, discourse markers, rates, other adjectives."""
    first, after = span[0], (doc[span.end] if span.end < len(doc) else None)
    before = doc[span.start - 1] if span.start > 0 else None
    if rule == "ref":
        word = first.lower_
        if word in ("soon", "shortly"):
            # "as soon as", "soon after the attack": a connective, not a time; "soon became": narrative
            if (before is not None and before.lower_ == "as") or (
                after is not None and after.lower_ in ("as", "after", "before", "afterwards", "thereafter")
            ):
                return True
            return _tense(span) == _PAST
        if word in ("now", "currently") and len(span) == 1 and after is not None and after.text == ",":
            # "Now, the council says ...": a discourse marker opening the sentence
            return first.is_sent_start or before is None or before.is_punct or before.is_space
        return False
    if rule == "set" and (match.group("w") or "").lower() in ("annually", "yearly"):
        return before is not None and (before.text == "%" or before.lower_ == "percent")  # a rate: "rose 8% annually"
    if rule == "ref_adj":
        head = first.head
        return not (
            first.dep_ == "amod" and head.pos_ in ("NOUN", "PROPN") and head.i > first.i
            and head.lemma_.lower() not in _TIME_NOUNS and (before is None or before.lower_ != "then")
        )
    if rule in ("year", "year_pair"):
        # "from 1500 to 2000 tonnes": counts, not years
        pair = after is not None and after.lower_ in ("to", "and", "through")
        last = span.end + 2 if pair else span.end
        return last < len(doc) and doc[last].tag_ in ("NNS", "NNPS") and not doc[last].is_title
    if rule == "spoken_year":
        return bool(match.group("two")) and not match.group("yr")  # "two thousand people"
    return False


# --- normalisation -------------------------------------------------------------------


def _normalise(
    rule: str, match: re.Match[str] | None, text: str, span: Span, ref: date | None
) -> tuple[str, str | None]:
    if rule == "ent" or match is None:
        return _normalise_entity(text, span, ref)
    g = match.groupdict()
    if rule == "iso":
        return "DATE", _safe_day(int(g["y"]), int(g["m"]), int(g["d"]))
    if rule == "quarter":
        return "DATE", _quarter(g, span, ref)
    if rule == "season":
        return "DATE", _season(g, ref)
    if rule == "part":
        return _part_of_day(g, span, ref)
    if rule == "clock":
        return "TIME", _clock(g, span, ref)
    if rule == "year_mod":
        return "DATE", g["y"]
    if rule == "vague":
        return _vague(g)
    if rule == "weekend":
        return "DATE", _weekend(span, ref)
    if rule in ("dmy", "mdy"):
        month, day = _MONTH_INDEX[g["mon"].lower()], int(g["d"])
        if g["y"]:
            return "DATE", _safe_day(int(g["y"]), month, day)
        return "DATE", _month_day(ref, month, day, _tense(span)) if ref else None
    if rule == "my":
        return "DATE", f"{int(g['y']):04d}-{_MONTH_INDEX[g['mon'].lower()]:02d}"
    if rule == "month":
        if g.get("rel"):  # "June last year"
            if ref is None:
                return "DATE", None
            year = ref.year + {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
            return "DATE", f"{year:04d}-{_MONTH_INDEX[g['mon'].lower()]:02d}"
        return "DATE", _month(ref, _MONTH_INDEX[g["mon"].lower()], (g["mod"] or "").lower(), span)
    if rule == "weekday":
        return "DATE", _weekday(ref, _WEEKDAYS.index(g["wd"]), (g["mod"] or "").lower(), span)
    if rule == "deictic":
        return _deictic(g["w"].lower(), ref)
    if rule == "unit":
        return _unit(g["mod"].lower(), g["unit"].lower(), ref)
    if rule == "ago":
        return "DATE", _ago(g["n"], g["unit"].lower(), ref)
    if rule == "in_n":
        # "will reopen in two weeks" dates the reopening; "within a year" is a span of time
        if _tense(span) == _FUTURE and match.group(0)[:2].lower() == "in":
            n = 1.0 if g["n"].lower() in ("a", "an") else parse_number(g["n"])
            return "DATE", _offset(n, g["unit"].lower(), ref)
        return "DURATION", _duration(g["n"], g["unit"].lower())
    if rule == "duration":
        if _is_rate(span, g):  # "four sailings a week", "$2 million a year": a frequency
            return "SET", _duration(g["n"], g["unit"].lower())
        return "DURATION", _duration(g["n"], g["unit"].lower())
    if rule == "ref":
        word = re.sub(r"\s+", " ", g["w"].lower())
        if word.startswith("in recent"):
            return "DATE", "PAST_REF"
        if word.startswith("in the coming"):
            return "DATE", "FUTURE_REF"
        return "DATE", _REF_VALUES[word]
    if rule in ("year", "year_pair"):
        return "DATE", g["y"]
    if rule == "decade":
        if g["dec"]:
            return "DATE", g["dec"]
        return "DATE", f"19{_DECADE_WORDS[(g['wdec'] or '').lower()]}"
    if rule == "century":
        n = int(g["n"])
        return "DATE", f"{n - 1:02d}" if 1 <= n <= 21 else None
    if rule == "spoken_year":
        if g["two"]:
            return "DATE", f"{2000 + _WORD_DIGITS.get((g['u'] or '').lower(), 0):04d}"
        century = 19 if (g["c"] or "").lower() == "nineteen" else 18
        year = century * 100 + _TENS[(g["t"] or "").lower()] + _UNITS.get((g["tu"] or "").lower(), 0)
        return "DATE", f"{year:04d}"
    if rule == "ref_adj":
        return "DATE", _ADJ_REF[g["w"].lower()]
    if rule == "holiday":
        return "DATE", _holiday(g, span, ref)
    if rule == "set":
        return "SET", _set_value(g)
    raise ValueError(f"unknown time rule {rule!r}")


def _is_rate(span: Span, g: dict[str, str | None]) -> bool:
    """ "a week" after a quantity ("four sailings a week", "$2 million a year", "5% a year")."""
    if (g.get("n") or "").lower() not in ("a", "an") or span[0].lower_ not in ("a", "an") or span.start == 0:
        return False
    before = span.doc[span.start - 1]
    return before.like_num or before.text == "%" or before.tag_ == "NNS"


def _set_value(g: dict[str, str | None]) -> str:
    """ "every week" P1W; "each Thursday" XXXX-WXX-4; "each July" XXXX-07; "Tuesday nights" XXXX-WXX-2TNI."""
    if g.get("w"):
        unit = (g["w"] or "").lower().split()[-1]
        if unit in _PARTS:  # "every morning", "each night"
            return f"XXXX-XX-XXT{_PARTS[unit]}"
        return _SET_VALUES[unit]
    if g.get("mon"):
        return f"XXXX-{_MONTH_INDEX[(g['mon'] or '').lower()]:02d}"
    weekday = (g.get("wd") or g.get("wds") or g.get("wdp") or "").lower()
    value = f"XXXX-WXX-{[w.lower() for w in _WEEKDAYS].index(weekday) + 1}"
    if g.get("p"):
        value += "T" + _PARTS[(g["p"] or "").lower().rstrip("s")]
    return value


def _easter(year: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based; -1 for the last) given weekday of a month."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _holiday_date(name: str, year: int) -> date:
    name = re.sub(r"\s+", " ", name.lower())
    fixed = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's eve": (12, 31), "independence day": (7, 4),
             "veterans day": (11, 11), "halloween": (10, 31), "valentine's day": (2, 14),
             "boxing day": (12, 26)}  # fmt: skip
    if name in fixed:
        return date(year, *fixed[name])
    if name.startswith("thanksgiving"):
        return _nth_weekday(year, 11, 3, 4)
    if name == "election day":  # the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 0, 1) + timedelta(days=1)
    if name == "memorial day":
        return _nth_weekday(year, 5, 0, -1)
    if name == "labor day":
        return _nth_weekday(year, 9, 0, 1)
    return _easter(year)  # "Easter", "Easter Sunday"


def _holiday(g: dict[str, str | None], span: Span, ref: date | None) -> str | None:
    """A named holiday: the occurrence picked by the modifier, else by tense as for "5 September"."""
    if ref is None:
        return None
    name = g["h"] or ""
    options = [_holiday_date(name, y) for y in (ref.year - 1, ref.year, ref.year + 1)]
    mod = (g.get("mod") or "").lower()
    if mod == "last":
        return max(d for d in options if d < ref).isoformat()
    if mod in ("next", "coming"):
        return min(d for d in options if d > ref).isoformat()
    if mod == "this":
        return options[1].isoformat()
    return _pick_occurrence(options, ref, _tense(span))


def _quarter(g: dict[str, str | None], span: Span, ref: date | None) -> str | None:
    q = _ORDINALS[(g["ord"] or "").lower()]
    if g.get("y") or g.get("qy"):
        return f"{int(g.get('y') or g.get('qy') or 0):04d}-Q{q}"
    if ref is None:
        return None
    current = (ref.month - 1) // 3 + 1
    rel = (g.get("rel") or "").lower()
    if rel:
        year = ref.year + {"last": -1, "next": 1, "year-ago": -1, "year-earlier": -1}.get(rel.split(" ")[0], 0)
        return f"{year:04d}-Q{q}"
    if q > current and _tense(span) != _FUTURE:
        return f"{ref.year - 1:04d}-Q{q}"  # "fourth-quarter profit", reported in January
    return f"{ref.year:04d}-Q{q}"


def _season(g: dict[str, str | None], ref: date | None) -> str | None:
    code = _SEASONS[(g["s"] or "").lower()]
    if g.get("y"):
        return f"{int(g['y'] or 0):04d}-{code}"
    if ref is None:
        return None
    mod = (g["mod"] or "").lower()
    now = {12: 3, 1: 3, 2: 3, 3: 0, 4: 0, 5: 0, 6: 1, 7: 1, 8: 1, 9: 2, 10: 2, 11: 2}[ref.month]
    index = _SEASON_INDEX[code]
    year = ref.year
    if mod == "last" and index >= now:
        year -= 1
    elif mod == "next" and index <= now:
        year += 1
    return f"{year:04d}-{code}"


def _part_of_day(g: dict[str, str | None], span: Span, ref: date | None) -> tuple[str, str | None]:
    part = _PARTS[(g["p"] or "").lower()]
    if g.get("wd"):  # "Friday night": TimeBank dates the day
        return "DATE", _weekday(ref, _WEEKDAYS.index(g["wd"] or ""), "", span)
    if ref is None:
        return "TIME", None
    offset = {"last": -1, "yesterday": -1, "tomorrow": 1}.get((g.get("this") or "").lower(), 0)
    return "TIME", f"{(ref + timedelta(days=offset)).isoformat()}T{part}"


def _clock(g: dict[str, str | None], span: Span, ref: date | None) -> str | None:
    if g.get("noon"):
        hour = 24 if (g["noon"] or "").lower() == "midnight" else 12
    else:
        hour = int(g["h"] or 0)
        if hour > 12 or hour == 0:
            return None
        pm = (g["ap"] or "").lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    if ref is None:
        return None
    day = _weekday(ref, _WEEKDAYS.index(g["wd"] or ""), "", span) if g.get("wd") else ref.isoformat()
    return f"{day}T{hour:02d}:{int(g.get('mi') or 0):02d}"


def _weekend(span: Span, ref: date | None) -> str | None:
    """ "the weekend": the one just past in the past tense, else the coming one (or the current one)."""
    if ref is None:
        return None
    if _tense(span) == _PAST and ref.weekday() < 5:
        ref -= timedelta(days=7)
    year, week, _ = ref.isocalendar()
    return f"{year:04d}-W{week:02d}-WE"


def _vague(g: dict[str, str | None]) -> tuple[str, str | None]:
    """ "recent months", "the past few weeks": a stretch of unknown length (TimeML's ``PXM``)."""
    unit = _VAGUE_UNITS[(g["unit"] or "").lower()]
    return "DURATION", ("PXY" if unit == "DE" else f"PX{unit}")


def _normalise_entity(text: str, span: Span, ref: date | None) -> tuple[str, str | None]:
    """spaCy entities no rule matched: absolute dates only, through dateparser."""
    type_ = "TIME" if span.label_ == "TIME" or any(t.ent_type_ == "TIME" for t in span) else "DATE"
    plural = _BARE_PLURAL.fullmatch(text)
    if plural:  # "years", "the weeks": a stretch of unknown length
        unit = plural.group(1).lower()
        return "DURATION", {"decades": "PXY", "centuries": "PXCE"}.get(unit, f"PX{unit[0].upper()}")
    year = re.fullmatch(r"(?:the\s+)?(?:year\s+)?(1[5-9]\d\d|20\d\d)", text, re.I)
    if year:
        return "DATE", year.group(1)
    if type_ == "TIME" or not _HAS_DATE_WORD.search(text):
        return type_, None
    data = _date_parser().get_date_data(text)
    parts = getattr(data, "parts", ()) or ()
    if data.date_obj is None or "year" not in parts:  # no year: relative, left to the rules
        return type_, None
    when = data.date_obj.date()
    if data.period == "year" or "month" not in parts:
        return type_, f"{when.year:04d}"
    if data.period == "month" or "day" not in parts:
        return type_, f"{when.year:04d}-{when.month:02d}"
    return type_, when.isoformat()


@lru_cache(maxsize=1)
def _date_parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    # Only absolute expressions reach dateparser, so no RELATIVE_BASE is needed.
    return DateDataParser(languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False})


def _safe_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_day(ref: date, month: int, day: int, tense: str | None) -> str | None:
    options = []
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            options.append(date(year, month, day))
        except ValueError:
            continue
    return _pick_occurrence(options, ref, tense)


#: A past-tense date without a year lies in the past, unless that is this many days back or more: news
#: writes the year for dates that old, so "said the offer expires Nov. 17" (reference: October) is ahead.
_STALE_DAYS = 300


def _pick_occurrence(options: Sequence[date], ref: date, tense: str | None) -> str | None:
    """The occurrence of a yearly date that ``tense`` points to: past, future, else the nearest."""
    past = [d for d in options if d <= ref]
    future = [d for d in options if d >= ref]
    if tense == _PAST and past and (ref - max(past)).days < _STALE_DAYS:
        return max(past).isoformat()
    if tense == _FUTURE and future:
        return min(future).isoformat()
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - ref).days), d > ref)).isoformat()


#: As :data:`_STALE_DAYS`, for a month named without a year ("said ... in November", reference October).
_STALE_MONTHS = 10


def _month(ref: date | None, month: int, mod: str, span: Span) -> str | None:
    if ref is None:
        return None
    here = ref.year * 12 + ref.month - 1
    past = here - (ref.month - month) % 12  # latest such month not after the reference month
    future = here + (month - ref.month) % 12  # earliest such month not before it
    if mod == "last":
        chosen = past if past < here else past - 12
    elif mod in ("next", "coming"):
        chosen = future if future > here else future + 12
    elif mod == "this":
        chosen = ref.year * 12 + month - 1
    else:
        tense = _tense(span)
        if tense == _PAST and here - past < _STALE_MONTHS:
            chosen = past
        elif tense == _FUTURE:
            chosen = future
        else:
            chosen = past if here - past <= future - here else future
    return f"{chosen // 12:04d}-{chosen % 12 + 1:02d}"


def _weekday(ref: date | None, weekday: int, mod: str, span: Span) -> str | None:
    if ref is None:
        return None
    back = (ref.weekday() - weekday) % 7  # days back to the latest such weekday, 0 if today
    ahead = (weekday - ref.weekday()) % 7
    if mod == "last":
        chosen = ref - timedelta(days=back or 7)
    elif mod in ("next", "coming"):
        chosen = ref + timedelta(days=ahead or 7)
    elif mod == "this":
        chosen = ref + timedelta(days=weekday - ref.weekday())
    else:
        tense = _tense(span)
        if tense == _PAST or (tense != _FUTURE and back <= ahead):
            chosen = ref - timedelta(days=back)
        else:
            chosen = ref + timedelta(days=ahead)
    return chosen.isoformat()


def _deictic(word: str, ref: date | None) -> tuple[str, str | None]:
    offsets = {"the day before yesterday": -2, "yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1,
               "the day after tomorrow": 2}  # fmt: skip
    if ref is None:
        return ("TIME" if word == "tonight" else "DATE"), None
    day = (ref + timedelta(days=offsets[word])).isoformat()
    return ("TIME", day + "TNI") if word == "tonight" else ("DATE", day)


def _unit(mod: str, unit: str, ref: date | None) -> tuple[str, str | None]:
    if mod == "past":  # "the past week" is a stretch of time ending now
        return "DURATION", {"week": "P1W", "month": "P1M", "year": "P1Y", "weekend": "P2D",
                            "fortnight": "P2W", "decade": "P10Y"}[unit]  # fmt: skip
    if ref is None:
        return "DATE", None
    if unit == "decade":
        return "DATE", f"{ref.year // 10 + {'last': -1, 'next': 1, 'coming': 1}.get(mod, 0):03d}"
    step = {"last": -1, "next": 1, "coming": 1}.get(mod, 0)
    if unit in ("week", "weekend", "fortnight"):
        day = ref + timedelta(days=7 * step)
        year, week, _ = day.isocalendar()
        value = f"{year:04d}-W{week:02d}"
        return "DATE", value + "-WE" if unit == "weekend" else value
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + step
        return "DATE", f"{index // 12:04d}-{index % 12 + 1:02d}"
    return "DATE", f"{ref.year + step:04d}"


def _offset(n: float | None, unit: str, ref: date | None, sign: int = 1) -> str | None:
    """The date ``n`` units after (sign 1) or before (sign -1) ``ref``, at the unit's granularity."""
    if ref is None or n is None or n != int(n):
        return None
    n = int(n) * sign
    if unit in ("day",):
        return (ref + timedelta(days=n)).isoformat()
    if unit in ("week", "fortnight"):
        year, week, _ = (ref + timedelta(days=n * _UNIT_DAYS[unit])).isocalendar()
        return f"{year:04d}-W{week:02d}"
    if unit == "month":
        index = ref.year * 12 + ref.month - 1 + n
        return f"{index // 12:04d}-{index % 12 + 1:02d}"
    if unit == "year":
        return f"{ref.year + n:04d}"
    if unit == "decade":
        return f"{ref.year + 10 * n:04d}"
    return None


def _ago(n_text: str, unit: str, ref: date | None) -> str | None:
    if ref is None:
        return None
    lowered = n_text.lower()
    n = 1.0 if lowered in ("a", "an") else parse_number(lowered)
    if n is None:  # "a few days ago", "several weeks ago"
        return "PAST_REF"
    return _offset(n, unit, ref, sign=-1)


def _duration(n_text: str, unit: str) -> str | None:
    n = 1.0 if n_text.lower() in ("a", "an") else parse_number(n_text)
    if n is None or n != int(n):
        return None
    count = int(n) * {"fortnight": 2, "decade": 10}.get(unit, 1)
    code = _DURATION_UNITS[unit]
    if code.startswith("T"):
        return f"PT{count}{code[1]}"
    return f"P{count}{code}"


def _is_one_year(match: re.Match[str]) -> bool:
    g = match.groupdict()
    return (g.get("unit") or "").lower() == "year" and (g.get("n") or "").lower() in ("a", "one", "1", "the")


def _last_quarter_before(tx: TimeExpression, resolved: Sequence[TimeExpression]) -> tuple[int, int] | None:
    """The (year, quarter) of the nearest quarter mentioned shortly before ``tx``, if any."""
    found = None
    for other in resolved:
        if other.end > tx.start:
            break
        m = _QUARTER_VALUE.fullmatch(other.value or "")
        if m and tx.start - other.end <= _QUARTER_CONTEXT:
            found = (int(m.group(1)), int(m.group(2)))
    return found


def _previous_quarter(ref: date) -> tuple[int, int]:
    """The last quarter completed before ``ref``: the one financial results usually report."""
    q = (ref.month - 1) // 3  # 0-based current quarter
    return (ref.year, q) if q else (ref.year - 1, 4)


def _resolve_deferred(
    doc: Doc, tx: TimeExpression, rule: str, match: re.Match[str], resolved: Sequence[TimeExpression], ref: date
) -> str | None:
    """Values that depend on what the text said before: anchors, "the quarter", "a year earlier"."""
    g = match.groupdict()
    context = _last_quarter_before(tx, resolved)
    if rule == "quarter_ref":
        q_word = (g.get("q") or "").lower()
        if q_word.isdigit():  # "the 1988 quarter": the quarter in context, that year
            year, q = context or _previous_quarter(ref)
            return f"{int(q_word):04d}-Q{q}"
        year, q = _previous_quarter(ref)
        if q_word in ("year-ago", "year-earlier", "corresponding", "same") or re.search(
            r"(?:ago|earlier|last year)$", tx.text, re.I
        ):
            year -= 1
        return f"{year:04d}-Q{q}"
    if rule == "yearago":  # "year-earlier" profits, "the year-ago" figure
        if context:
            return f"{context[0] - 1:04d}-Q{context[1]}"
        return f"{ref.year - 1:04d}"
    if _is_one_year(match) and context and (rule == "ago" or g.get("dir", "").lower() in ("earlier", "before")):
        # "profit rose 5% from a year earlier": the same quarter, one year back.
        return f"{context[0] - 1:04d}-Q{context[1]}"
    if rule == "ago":
        return tx.value
    value = _resolve_anchored(doc, tx, match, resolved)
    if value is None and g.get("unit", "").lower() in ("month", "year") and g.get("dir", "").lower() in (
        "earlier", "before", "later"
    ):
        # No day to anchor on: count from the publication date ("a year earlier" = last year).
        n = 1.0 if (g.get("n") or "one").lower() in ("a", "an", "the") else parse_number(g.get("n") or "one")
        return _offset(n, g["unit"].lower(), ref, sign=1 if g["dir"].lower() == "later" else -1)
    return value


def _resolve_anchored(
    doc: Doc, tx: TimeExpression, match: re.Match[str], resolved: Sequence[TimeExpression]
) -> str | None:
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None:
        return None
    sentence = sentence_of(doc, span.start)
    anchor = None
    for other in resolved:
        if other.start >= sentence.start_char and other.end <= tx.start and other.value:
            if _DAY_VALUE.fullmatch(other.value):
                anchor = other  # keep the nearest preceding one
    if anchor is None or anchor.value is None:
        return None
    g = match.groupdict()
    direction = g["dir"].lower()
    n_text = g.get("n") or "one"
    n = 1.0 if n_text.lower() in ("a", "an", "the") else parse_number(n_text)
    if n is None:
        return None
    if direction in ("after", "before") and _introduces_event(doc, tx, span):
        # "a day after <event>": the event came n units before the anchor.
        sign = -1 if direction == "after" else 1
    else:
        sign = -1 if direction in ("before", "earlier", "previous") else 1
    unit = g["unit"].lower()
    anchor_day = date.fromisoformat(anchor.value)
    if unit in ("day", "week", "fortnight"):
        return (anchor_day + timedelta(days=sign * int(n) * _UNIT_DAYS[unit])).isoformat()
    return _offset(n, unit, anchor_day, sign=sign)


# --- syntax helpers -------------------------------------------------------------------


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or token.tag_ == "MD"


def _tense(span: Span) -> str | None:
    """Past, future or present for the verb governing ``span``; None when no verb governs it."""
    verb = event_verb(span)
    seen = 0
    while verb is not None and seen < 6:
        seen += 1
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        # The small parser sometimes hangs an inverted modal on the subject ("should Lind win").
        auxes += [g for c in verb.children if c.dep_.startswith("nsubj") for g in c.children if g.tag_ == "MD"]
        lemmas = {a.lemma_.lower() for a in auxes}
        if any(a.tag_ == "MD" for a in auxes):
            if "have" in lemmas and verb.tag_ == "VBN":
                return _PAST
            if "could" in {a.lower_ for a in auxes} and any(c.dep_ == "neg" for c in verb.children):
                return _PAST  # "could not be reached for comment Tuesday"
            return _FUTURE
        if verb.lemma_.lower() in _FUTURE_HEADS and verb.tag_ in ("VBN", "VBG", "VBZ", "VBP"):
            if verb.tag_ != "VBN" or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
                return _FUTURE
        if any(c.dep_ == "acomp" and c.lemma_.lower() in _FUTURE_HEADS for c in verb.children):
            return _FUTURE  # "is due next week"
        if "to" in lemmas and verb.dep_ in ("xcomp", "advcl", "acl"):
            if verb.head.lemma_.lower() in _FUTURE_HEADS:
                return _FUTURE  # "is going to speak", "was due to meet"
            if verb.head.lemma_.lower() == "be" and verb.head.tag_ in ("VBZ", "VBP"):
                return _FUTURE  # "is to resume trading Tuesday"
            verb = governing_verb(verb)
            continue
        if any(a.tag_ == "VBD" for a in auxes) or "have" in lemmas:
            return _PAST
        if verb.tag_ == "VBD":
            return _PAST
        if verb.tag_ == "VBN":
            return _PRESENT if auxes else _PAST
        if verb.tag_ in ("VBZ", "VBP", "VBG"):
            return _PRESENT
        if verb.dep_ == "conj" and _is_verb(verb.head):
            verb = verb.head
            continue
        return None
    return None


def _introduces_event(doc: Doc, tx: TimeExpression, span: Span) -> bool:
    """True for "a day after <something>": "after"/"before" followed by a clause or noun phrase."""
    if not _INTRO_AFTER_BEFORE.search(tx.text):
        return False
    nxt = span.end
    return nxt < len(doc) and not doc[nxt].is_punct and not doc[nxt].is_sent_start


def _attachment_rank(span: Span, cue: Token) -> int | None:
    """0: attached to the cue; 1: inside the cue's clause; 2: elsewhere in the sentence; None: excluded."""
    verb = event_verb(span)
    if verb is None:
        return 2
    if verb == cue:
        return 0
    # Walk from the timex's verb up to the cue; a subordinate event on the way excludes it.
    current = verb
    for _ in range(12):
        if current == cue:
            return 1
        if current.dep_ == "relcl" or (
            current.dep_ in ("advcl", "acl", "pcomp")
            and any(c.dep_ == "mark" and c.lower_ not in ("that",) for c in current.children)
        ):
            return None
        if current.dep_ == "conj":
            return 2
        if current.head is current:
            break
        current = current.head
    return 2


def _quoted_ranges(doc: Doc, sent: Span) -> list[tuple[int, int]]:
    """Doc character ranges of the quoted stretches of one sentence."""
    offset = sent.start_char
    return [(m.start() + offset, m.end() + offset) for m in _QUOTE_RE.finditer(sent.text)]


_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")
