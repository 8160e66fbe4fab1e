"""Normalisation: the TIMEX3 type and value of one detected span, against the reference date.

Every relative expression is ``None`` without a reference (storyline never invents a date);
absolute ones keep their value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from spacy.tokens import Span

from .numbers import TEN_WORDS, UNIT_WORDS, parse_number
from .syntax import FUTURE, PAST, dates_a_past_verb, looks_back, sentence_of, tense_of
from .vocabulary import MONTH_ANY, MONTH_INDEX, UNIT_DAYS, WEEKDAYS

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
_DECADE_WORDS = {"twenties": 2, "thirties": 3, "forties": 4, "fifties": 5, "sixties": 6, "seventies": 7,
                 "eighties": 8, "nineties": 9}  # fmt: skip
_WORD_DIGITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10}  # fmt: skip
_ADJ_REF = {"current": "PRESENT_REF", "recent": "PAST_REF"}
_SET_VALUES = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y", "daily": "P1D",
               "weekly": "P1W", "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y"}  # fmt: skip
_DURATION_UNITS = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W",
                   "fortnight": "W", "month": "M", "year": "Y", "decade": "Y"}  # fmt: skip
_HAS_DATE_WORD = re.compile(rf"\d|\b(?:{MONTH_ANY})\b")
_BARE_PLURAL = re.compile(r"(?:the\s+)?(?:(?:past|last|next|coming|recent)\s+)?(days|weeks|months|years|decades"
                          r"|centuries)", re.I)


def normalise_candidate(
    rule: str, match: re.Match[str] | None, text: str, span: Span, ref: date | None
) -> tuple[str, str | None]:
    """TIMEX3 type and value of one candidate (its rule's name and match, ``text``, ``span``) against ``ref``."""
    if rule == "ent" or match is None:
        return _normalise_entity(text, span, ref)
    g = match.groupdict()
    if rule == "iso":
        return "DATE", _safe_day(int(g["y"]), int(g["m"]), int(g["d"]))
    if rule == "quarter":
        return "DATE", _quarter(g, span, ref)
    if rule == "season":
        return "DATE", _season(g, ref, span)
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
        month, day = MONTH_INDEX[g["mon"].lower()], int(g["d"])
        if g["y"]:
            return "DATE", _safe_day(int(g["y"]), month, day)
        return "DATE", _month_day(ref, month, day, tense_of(span)) if ref else None
    if rule == "my":
        return "DATE", f"{int(g['y']):04d}-{MONTH_INDEX[g['mon'].lower()]:02d}"
    if rule == "month":
        if g.get("rel"):  # "June last year"
            if ref is None:
                return "DATE", None
            year = ref.year + {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
            return "DATE", f"{year:04d}-{MONTH_INDEX[g['mon'].lower()]:02d}"
        if g.get("y"):  # "late September 2016"
            return "DATE", f"{int(g['y']):04d}-{MONTH_INDEX[g['mon'].lower()]:02d}"
        return "DATE", _month(ref, MONTH_INDEX[g["mon"].lower()], (g["mod"] or "").lower(), span)
    if rule == "weekday":
        return "DATE", _weekday(ref, WEEKDAYS.index(g["wd"]), (g["mod"] or "").lower(), span)
    if rule == "deictic":
        return _deictic(g["w"].lower(), ref)
    if rule == "unit":
        return _unit(g["mod"].lower(), g["unit"].lower(), ref)
    if rule == "ago":
        return "DATE", _ago(g["n"], g["unit"].lower(), ref)
    if rule == "in_n":
        # "will reopen in two weeks" dates the reopening; "within a year" is a span of time
        if tense_of(span) == FUTURE and match.group(0)[:2].lower() == "in" and not _record(span):
            n = 1.0 if g["n"].lower() in ("a", "an") else parse_number(g["n"])
            return "DATE", offset_date(n, g["unit"].lower(), ref)
        return "DURATION", duration_value(g["n"], g["unit"].lower())
    if rule == "duration":
        if _is_rate(span, g):  # "four sailings a week", "$2 million a year": a frequency
            return "SET", duration_value(g["n"], g["unit"].lower())
        return "DURATION", duration_value(g["n"], g["unit"].lower())
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
        year = century * 100 + TEN_WORDS[(g["t"] or "").lower()] + UNIT_WORDS.get((g["tu"] or "").lower(), 0)
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
        return f"XXXX-{MONTH_INDEX[(g['mon'] or '').lower()]:02d}"
    weekday = (g.get("wd") or g.get("wds") or g.get("wdp") or "").lower()
    value = f"XXXX-WXX-{[w.lower() for w in WEEKDAYS].index(weekday) + 1}"
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
    return _pick_occurrence(options, ref, tense_of(span))


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
    if q > current and tense_of(span) != FUTURE:
        return f"{ref.year - 1:04d}-Q{q}"  # "fourth-quarter profit", reported in January
    return f"{ref.year:04d}-Q{q}"


def _season(g: dict[str, str | None], ref: date | None, span: Span | None = None) -> str | None:
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
    elif mod in ("the", "early", "late") and code != "WI" and span is not None:
        # a bare season goes the way its verb's tense points: "reopened in the autumn" (in spring) is
        # last year's, "will reopen in the spring" (in autumn) next year's; winter spans the new year
        tense = tense_of(span)
        if tense == PAST and index > now:
            year -= 1
        elif tense == FUTURE and index < now:
            year += 1
    return f"{year:04d}-{code}"


def _part_of_day(g: dict[str, str | None], span: Span, ref: date | None) -> tuple[str, str | None]:
    part = _PARTS[(g["p"] or "").lower()]
    if g.get("wd"):  # "Friday night": TimeBank dates the day
        return "DATE", _weekday(ref, WEEKDAYS.index(g["wd"] or ""), "", span)
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
    day = _weekday(ref, WEEKDAYS.index(g["wd"] or ""), "", span) if g.get("wd") else ref.isoformat()
    return f"{day}T{hour:02d}:{int(g.get('mi') or 0):02d}"


def _weekend(span: Span, ref: date | None) -> str | None:
    """ "the weekend": the one just past in the past tense, else the coming one (or the current one)."""
    if ref is None:
        return None
    if tense_of(span) == PAST and ref.weekday() < 5:
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
    return type_, _absolute_date(text)


@lru_cache(maxsize=4096)
def _absolute_date(text: str) -> str | None:
    """The year, month or day an absolute date written out in ``text`` names, by dateparser; None
    without a year (relative, left to the rules). The text alone decides it, so it is remembered."""
    data = _date_parser().get_date_data(text)
    parts = getattr(data, "parts", ()) or ()
    if data.date_obj is None or "year" not in parts:
        return None
    when = data.date_obj.date()
    if data.period == "year" or "month" not in parts:
        return f"{when.year:04d}"
    if data.period == "month" or "day" not in parts:
        return f"{when.year:04d}-{when.month:02d}"
    return when.isoformat()


@lru_cache(maxsize=1)
def _date_parser():  # type: ignore[no-untyped-def]
    from dateparser.date import DateDataParser

    # Absolute dates only: its relative-time parser reads "his 30s" or "the '50s" as thirty or fifty
    # seconds ago and returns the machine's clock -- a date the article never gave.
    return DateDataParser(languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False,
                                                      "PARSERS": ["absolute-time"]})


def _safe_day(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


#: Words that make "in two years" the stretch a record is counted over ("the first time in two years").
_RECORD_WORDS = frozenset({"first", "only", "last"})


def _record(span: Span) -> bool:
    """A superlative or "first"/"only"/"last" shortly before ``span`` in its clause: "their first
    majority in eight years", "the highest level in a decade" count back, they date nothing ahead."""
    doc = span.doc
    for token in doc[max(sentence_of(doc, span.start).start, span.start - 8):span.start]:
        if token.tag_ in ("JJS", "RBS") or token.lower_ in _RECORD_WORDS:
            return True
    return False


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
    if tense == PAST and past and (ref - max(past)).days < _STALE_DAYS:
        return max(past).isoformat()
    if tense == FUTURE and future:
        return min(future).isoformat()
    if not options:
        return None
    return min(options, key=lambda d: (abs((d - ref).days), d > ref)).isoformat()


#: As :data:`_STALE_DAYS`, for a month named without a year ("said ... in November", reference October),
#: unless the month dates a simple past verb itself ("sales began in January", reference December).
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
        tense = tense_of(span)
        if tense == PAST and (here - past < _STALE_MONTHS or dates_a_past_verb(span) or looks_back(span)):
            chosen = past
        elif tense == FUTURE:
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
        tense = tense_of(span)
        if tense == PAST or (tense != FUTURE and back <= ahead):
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


def offset_date(n: float | None, unit: str, ref: date | None, sign: int = 1) -> str | None:
    """The date ``n`` units after (sign 1) or before (sign -1) ``ref``, at the unit's granularity."""
    if ref is None or n is None or n != int(n):
        return None
    n = int(n) * sign
    if unit in ("day",):
        return (ref + timedelta(days=n)).isoformat()
    if unit in ("week", "fortnight"):
        year, week, _ = (ref + timedelta(days=n * UNIT_DAYS[unit])).isocalendar()
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
    return offset_date(n, unit, ref, sign=-1)


def duration_value(n_text: str, unit: str) -> str | None:
    """The ISO 8601 duration of ``n_text`` units ("two", "hour": ``PT2H``); None unless a whole number."""
    n = 1.0 if n_text.lower() in ("a", "an") else parse_number(n_text)
    if n is None or n != int(n):
        return None
    count = int(n) * {"fortnight": 2, "decade": 10}.get(unit, 1)
    code = _DURATION_UNITS[unit]
    if code.startswith("T"):
        return f"PT{count}{code[1]}"
    return f"P{count}{code}"
