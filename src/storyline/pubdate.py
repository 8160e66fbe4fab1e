"""Publication dates stated in the article text: date lines.

Articles often carry their date on a line of its own near the headline: "Posted 2 / 3 / 2009
11:11 PM", "PUBLISHED FRIDAY, MARCH 8, 2013 AT 12:46 PM", "10 Jun 2013 09:10", "Updated
09/14/2013 01:03 PM". :func:`read_date_line` recognises such a line -- nothing on it but
labels, dates, times and time zones -- and reads each date on it with dateparser.
:func:`choose_published` picks the publication date from the date lines at the head of an
article: a posting date before an update, and for a numeric date that reads both ways
("05/02/2013") the day/month order the outlet's other dates show (an unambiguous numeric
date in the same header, a matching weekday, the date in the article's URL), or none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Literal

__all__ = [
    "POSTED",
    "UPDATED",
    "UNLABELLED",
    "DateLineReading",
    "StatedDate",
    "choose_published",
    "DatePrefix",
    "date_prefix",
    "read_date_line",
    "url_date",
]

POSTED = "posted"
UPDATED = "updated"
UNLABELLED = "unlabelled"

#: Lines longer than this are prose, whatever they hold.
MAX_LINE_CHARS = 120
#: A date in the URL or elsewhere in the header picks the one reading of an ambiguous
#: date that lies this close to it.
ANCHOR_DAYS = 7

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}  # fmt: skip
# Words that open a labelled date; the kind of date they announce.
_LABELS = {
    "posted": POSTED, "published": POSTED, "release": POSTED, "released": POSTED, "date": POSTED,
    "dated": POSTED, "created": POSTED, "filed": POSTED,
    "updated": UPDATED, "modified": UPDATED, "revised": UPDATED, "edited": UPDATED,
}  # fmt: skip
# Words that may stand around labels and times without making the line prose.
_FILLERS = frozenset({"on", "at", "of", "the", "last", "first", "originally", "article", "story", "time", "for",
                      "immediate", "am", "pm", "hrs", "hours", "h", "noon", "midnight"})
_ZONES = frozenset({
    "utc", "gmt", "z", "bst", "ist", "cet", "cest", "eet", "eest", "wet", "west", "msk", "et", "est", "edt",
    "ct", "cst", "cdt", "mt", "mst", "mdt", "pt", "pst", "pdt", "akst", "akdt", "hst", "aest", "aedt",
    "acst", "acdt", "awst", "nzst", "nzdt", "hkt", "sgt", "jst", "kst", "sast", "cat", "eat", "wat", "uk",
})  # fmt: skip

# Tokenised text ("4: 59 PM", "05 / 02 / 2013", "p. m.") is glued back before reading.
_GLUE = (
    (re.compile(r"\b(\d{1,4})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{2,4})\b"), r"\1\2\3\2\4"),
    (re.compile(r"\b(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2}))?(?!\d)"), lambda m: ":".join(filter(None, m.groups()))),
    (re.compile(r"\b([ap])\.?\s*m\b\.?", re.IGNORECASE), r"\1m"),
    # "22. 34 BST": a time written with a full stop, before a zone, am/pm or the line's end
    (re.compile(r"\b(\d{1,2})\.\s+(\d{2})(?=\s*(?:[ap]m\b|[A-Za-z]{2,4}\s*$|$))", re.IGNORECASE), r"\1.\2"),
)
_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)(?![\d-])"
    r"|(?P<numeric>(?P<n1>\d{1,4})(?P<sep>[./-])(?P<n2>\d{1,2})(?P=sep)(?P<n3>\d{2,4}))(?![\d./-])"
    r"|(?P<time>\d{1,2}(?::\d{2}){1,2}(?:\s*(?:[ap]m|[ap](?![a-z])))?|\d{1,2}\s*[ap]m"
    r"|\d{1,2}\.\d{2}(?=\s*(?:[ap]m\b|[A-Za-z]{2,4}\s*$|$)))(?![\d:])"
    r"|(?P<offset>(?:gmt|utc)\s*[+-]\s*\d{1,2}(?:\s*:\s*\d{1,2})?)"
    rf"|(?P<clock>[0-2]\d[0-5]\d)(?=\s*(?:{'|'.join(sorted(_ZONES))})\b)"
    r"|(?P<number>\d{1,4})(?P<ordinal>st|nd|rd|th)?(?![\d:])"
    r"|(?P<word>[A-Za-z]+)\.?"
    r"|(?P<punct>[,|@/·•–—:;.()\[\]-]+)"
    r"|(?P<space>\s+)",
    re.IGNORECASE,
)
# Where a first sentence that is only a date can end ("May 2, 2013. The actress ...").
_PREFIX_END = re.compile(r"\s*(?:[|–—]|--?)\s+|\.\s+(?=[\"'“‘(]?[A-Z])")


@dataclass(frozen=True, slots=True)
class StatedDate:
    """One date written on a date line.

    ``readings`` holds one date, or two when a numeric date reads both ways ("05/02/2013":
    month first, then day first); ``order`` is "MDY" / "DMY" / "YMD" when a numeric date
    shows the outlet's order by itself, else ``None``.
    """

    kind: str  # posted | updated | unlabelled
    readings: tuple[date, ...]
    order: str | None = None


@dataclass(frozen=True, slots=True)
class DateLineReading:
    """A line holding only dates and times: its dates (none for a labelled time alone)."""

    dates: tuple[StatedDate, ...]
    labelled: bool


def _glue(text: str) -> str:
    for pattern, repl in _GLUE:
        text = pattern.sub(repl, text)  # type: ignore[arg-type]
    return text


@lru_cache(maxsize=8192)
def read_date_line(line: str) -> DateLineReading | None:
    """Read a line that holds only dates, times, time zones and labels ("Posted:", "Updated");
    ``None`` for anything else (prose, a byline, a score, a date inside a sentence).

    A line with neither a full date (day, month and year) nor a label is not a date line.
    """
    line = line.strip()
    if not line or len(line) > MAX_LINE_CHARS or not any(ch.isdigit() for ch in line):
        return None
    text = _glue(line)
    segments: list[list[re.Match[str]]] = [[]]
    kinds = [UNLABELLED]
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            return None
        pos = match.end()
        word = (match["word"] or "").lower()
        if word:
            if word in _LABELS:
                segments.append([])
                kinds.append(_LABELS[word])
                continue
            if word not in _MONTHS and word not in _WEEKDAYS and word not in _FILLERS and word not in _ZONES:
                return None
        if match["number"] and match["ordinal"] is None and len(match["number"]) == 3:
            return None
        segments[-1].append(match)
    dates = []
    for kind, tokens in zip(kinds, segments, strict=True):
        stated = _segment_date(kind, tokens)
        if stated is False:
            return None
        if stated is not None:
            dates.append(stated)
    labelled = len(kinds) > 1
    if not dates and not (labelled and any(t["time"] for seg in segments for t in seg)):
        return None
    return DateLineReading(tuple(dates), labelled)


def _segment_date(kind: str, tokens: list[re.Match[str]]) -> StatedDate | Literal[False] | None:
    """The date of one labelled stretch of a date line; ``None`` when it has none, ``False``
    when its words are not one date (two dates run together, a month without a day)."""
    weekdays = {_WEEKDAYS[t["word"].lower()] for t in tokens if t["word"] and t["word"].lower() in _WEEKDAYS}
    iso = [t for t in tokens if t["iso"]]
    numeric = [t for t in tokens if t["numeric"]]
    months = [t for t in tokens if t["word"] and t["word"].lower() in _MONTHS]
    numbers = [t for t in tokens if t["number"]]
    if len(iso) + len(numeric) + (1 if months else 0) > 1 or len(weekdays) > 1:
        return False
    if iso:
        if numbers:
            return False
        value = _parse(iso[0]["iso"][:10], "YMD")
        return StatedDate(kind, (value,), "YMD") if value else False
    if numeric:
        if numbers:
            return False
        return _numeric(kind, numeric[0], weekdays)
    if not months:
        return False if numbers else None
    if len(months) > 1 or len(numbers) != 2:
        return False
    day, year = sorted(numbers, key=lambda t: len(t["number"]))
    if len(year["number"]) != 4 or len(day["number"]) > 2:
        return False
    value = _parse(f"{day['number']} {months[0]['word']} {year['number']}", "DMY")
    return StatedDate(kind, (value,)) if value else False


def _numeric(kind: str, token: re.Match[str], weekdays: set[int]) -> StatedDate | Literal[False]:
    n1, n2, n3, sep = token["n1"], token["n2"], token["n3"], token["sep"]
    if len(n1) == 4:
        value = _parse(f"{n1}{sep}{n2}{sep}{n3}", "YMD")
        return StatedDate(kind, (value,), "YMD") if value else False
    if len(n1) > 2 or len(n3) == 3:
        return False
    written = f"{n1}{sep}{n2}{sep}{n3}"
    # dateparser swaps an impossible order silently ("13/05/2013" read month first), so the
    # order a date cannot have is ruled out here first
    month_first = _parse(written, "MDY") if int(n1) <= 12 else None
    day_first = _parse(written, "DMY") if int(n2) <= 12 else None
    readings = tuple(dict.fromkeys(d for d in (month_first, day_first) if d is not None))
    if not readings:
        return False
    if weekdays and len(readings) > 1:
        matching = tuple(d for d in readings if d.weekday() in weekdays)
        readings = matching if len(matching) == 1 else readings
    order = None
    if month_first is None or day_first is None:
        order = "MDY" if month_first else "DMY"
    return StatedDate(kind, readings, order)


@lru_cache(maxsize=4096)
def _parse(written: str, order: str) -> date | None:
    """A full date (day, month and year) through dateparser, in the given day/month order."""
    import dateparser

    settings: Any = {"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": order,
                     "PREFER_DAY_OF_MONTH": "first", "STRICT_PARSING": True}
    found = dateparser.parse(written, languages=["en"], settings=settings)
    return found.date() if found else None


@dataclass(frozen=True, slots=True)
class DatePrefix:
    """A first sentence that is only a date: ``line[:end]`` (with its separator) and its reading."""

    end: int
    reading: DateLineReading


def date_prefix(line: str) -> DatePrefix | None:
    """The opening stretch of ``line`` that is only a date, up to a full stop, dash or bar
    ("May 2, 2013. The actress ..."); ``None`` when the line does not open with one."""
    for match in _PREFIX_END.finditer(line, 0, MAX_LINE_CHARS):
        head = line[: match.start()] + ("." if match.group().lstrip().startswith(".") else "")
        reading = read_date_line(head)
        if reading is not None and reading.dates:
            return DatePrefix(match.start() + len(match.group().rstrip()), reading)
    return None


_URL_DATE = re.compile(
    r"[/_-](?P<y>(?:19|20)\d{2})[/_-]?(?P<m>\d{2}|[a-z]{3,9})[/_-]?(?P<d>\d{2})(?=[/_.-]|$)", re.IGNORECASE
)


def url_date(url: str | None) -> date | None:
    """The date in an article URL (".../2013/05/02/...", ".../2013/may/03/...", "-20130502-"), if any."""
    if not url:
        return None
    for match in _URL_DATE.finditer(url):
        month = match["m"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        try:
            return date(int(match["y"]), number or 0, int(match["d"]))
        except ValueError:
            continue
    return None


def choose_published(stated: list[StatedDate], *, url: str | None = None) -> date | None:
    """The publication date among the dates of an article's header lines, in text order.

    The first posted or unlabelled date wins over any update ("Updated" never beats
    "Posted"); an update is taken only when nothing else is stated. A date that reads
    both ways is settled by the outlet's order shown in another numeric date of the
    header, else by the URL's date or another date of the header; otherwise it gives none.
    """
    orders = {s.order for s in stated if s.order in ("MDY", "DMY")}
    anchors = [d for d in (url_date(url),) if d is not None]
    anchors += [s.readings[0] for s in stated if len(s.readings) == 1]
    settled = [_settle(s, orders, anchors) for s in stated]
    firsts = [d for s, d in zip(stated, settled, strict=True) if s.kind != UPDATED]
    if firsts:
        return firsts[0]
    updates = [d for d in settled if d is not None]
    return min(updates) if updates else None


def _settle(stated: StatedDate, orders: set[str], anchors: list[date]) -> date | None:
    """One reading of a stated date: the outlet's order, else the one reading near the URL's
    date or another date of the header, else none."""
    if len(stated.readings) == 1:
        return stated.readings[0]
    if len(orders) == 1:
        return stated.readings[0] if orders == {"MDY"} else stated.readings[1]
    for anchor in anchors:
        near = [d for d in stated.readings if abs(d - anchor) <= timedelta(days=ANCHOR_DAYS)]
        if len(near) == 1:
            return near[0]
    return None
