"""Building one Article from what a source holds: plain text, an HTML page (trafilatura) or a JSON
record; its publication date and outlet.

Every reader of a source (``storyline.ingest`` for files and URLs, ``storyline.sources.feeds``
for feed entries, ``storyline.sources.warc`` for archived responses) builds its articles here.
``published`` only ever comes from what the source states: a metadata field, an HTML meta tag
or URL date, or a leading date line in the text (" date 2024-10-23"); the other date lines of
the text ("Posted 2/3/2009 11:11 PM") are read when cleaning (``storyline.pubdate``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError, excerpt
from .models import Article

__all__ = [
    "DATE_LABEL_PATTERN",
    "DATE_LINE_RE",
    "DATE_PATTERN",
    "DateLine",
    "LongNumber",
    "article_from_record",
    "fix_char_refs",
    "loads_json",
    "outlet_from_url",
    "parse_date",
    "parse_int",
    "parse_date_line",
    "outlet_from_text",
    "read_article_html",
    "read_article_text",
    "safe_text",
    "read_text_header",
]

# ---------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\.?,?\s+"
_ISO = r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
_SLASHED = r"\d{4}/\d{1,2}/\d{1,2}"
_DAY_MONTH = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}"
_MONTH_DAY = rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
_WRITTEN = rf"(?:{_WEEKDAY})?(?:{_DAY_MONTH}|{_MONTH_DAY})"

#: A date as written in a date line: ISO date or datetime, YYYY/MM/DD, or a written date.
DATE_PATTERN = rf"(?:{_ISO}|{_SLASHED}|{_WRITTEN})"
#: The label of a date line ("date", "dated", "published", "posted", optional "on").
DATE_LABEL_PATTERN = r"(?:dated?|(?:published|posted)(?:\s+on)?)"

#: A leading date line: optional whitespace, a label, an optional colon and a date.
#: The date may be followed by the first paragraph on the same line.
DATE_LINE_RE = re.compile(
    rf"\A\s*(?P<line>{DATE_LABEL_PATTERN}\s*:?\s*(?P<date>{DATE_PATTERN}))(?=\s|\Z)",
    re.IGNORECASE,
)
_WRITTEN_RE = re.compile(
    rf"(?:{_WEEKDAY})?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MONTH})\.?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateLine:
    """A leading date line: ``text[start:end]`` is e.g. ``"date 2024-10-23"``."""

    start: int
    end: int
    value: date


def parse_date(value: str) -> date | None:
    """Read an ISO date or datetime, ``YYYY/MM/DD`` or a written date ("23 October 2024").

    Returns ``None`` when ``value`` is not one of those or names no real day.
    """
    value = value.strip()
    try:
        if re.fullmatch(_ISO, value):
            return datetime.fromisoformat(value).date()
        if re.fullmatch(_SLASHED, value):
            year, month, day = (int(part) for part in value.split("/"))
            return date(year, month, day)
        match = _WRITTEN_RE.fullmatch(value)
        if match:
            day = int(match["d1"] or match["d2"])
            month = _MONTHS[(match["m1"] or match["m2"])[:3].lower()]
            return date(int(match["y1"] or match["y2"]), month, day)
    except ValueError:
        return None
    return None


def parse_date_line(text: str) -> DateLine | None:
    """Find a date line at the very start of ``text`` (the same line may go on with prose)."""
    match = DATE_LINE_RE.match(text)
    if not match:
        return None
    value = parse_date(match["date"])
    if value is None:
        return None
    return DateLine(match.start("line"), match.end("line"), value)


# ---------------------------------------------------------------- building articles


_HOST_RE = re.compile(r"[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")


def outlet_from_url(url: str | None) -> str | None:
    """The host of ``url`` without a leading ``www.``, or ``None``."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    if not host or not _HOST_RE.fullmatch(host):
        return None
    return host[4:] if host.startswith("www.") else host


def _pick_outlet(*candidates: str | None, url: str | None) -> str:
    for candidate in candidates:
        if candidate and candidate.strip():
            return candidate.strip()
    return outlet_from_url(url) or "unknown"


_SURROGATE = re.compile("[\ud800-\udfff]")


def safe_text(value: str) -> str:
    """``value`` with lone surrogates (a JSON ``"\\ud800"`` escape) made U+FFFD.

    One character for one, so offsets hold; text with a lone surrogate cannot be written
    as UTF-8 (to a terminal, a report or the store).
    """
    return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value


def _clean_str(value: Any, field: str, source: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(source, f"field {field!r} must be a string, not {_json_type(value)}")
    return safe_text(value).strip() or None


#: Header keys a plain-text article may open with, one ``key: value`` per line before the first blank line.
HEADER_KEYS = ("outlet", "title", "url", "published")
_HEADER_LINE = re.compile(r"[ \t]*(?P<key>[A-Za-z]+)[ \t]*:[ \t]*(?P<value>\S[^\n]*?)[ \t]*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True, slots=True)
class TextHeader:
    """The header lines of a plain-text article: their values and where the body starts."""

    fields: dict[str, str]
    body_start: int


def read_text_header(text: str) -> TextHeader | None:
    """The ``outlet:``, ``title:``, ``url:`` and ``published:`` lines before the first blank line.

    Every line of that first block must be one of these keys (each once) and a blank line must
    follow; otherwise the block is the article's first paragraph and ``None`` is returned.
    """
    stripped = text.lstrip("\ufeff")
    offset = len(text) - len(stripped)
    lead = len(stripped) - len(stripped.lstrip("\n"))
    blank = _BLANK_LINE.search(stripped, lead)
    if blank is None:
        return None
    fields: dict[str, str] = {}
    for line in stripped[lead:blank.start()].split("\n"):
        m = _HEADER_LINE.fullmatch(line.rstrip("\r"))
        if m is None or m["key"].lower() not in HEADER_KEYS or m["key"].lower() in fields:
            return None
        fields[m["key"].lower()] = m["value"]
    if not fields:
        return None
    return TextHeader(fields, offset + blank.end())


# A journalist of the outlet named by the text itself: "Al Jazeera's Jonah Hull, reporting from
# London", "Sky News' political editor Beth Rigby", "told Sky News' Sam Coates".
_OUTLET = r"(?P<outlet>(?:[A-Z][\w&.-]*\s){0,3}?[A-Z][\w&.-]*)"
_POSSESSIVE = r"(?:'s|’s|'|’)"
_PERSON = r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)+"
_JOURNALIST = (r"(?:correspondent|reporter|journalist|editor|presenter|anchor|producer|columnist|"
               r"bureau chief|host)")
_SELF_REFERENCE = [
    re.compile(rf"\b{_OUTLET}{_POSSESSIVE}\s(?:[A-Za-z-]+\s){{0,3}}?{_JOURNALIST}\s{_PERSON}"),
    re.compile(rf"\b{_OUTLET}{_POSSESSIVE}\s{_PERSON},?\s(?:who\sis\s)?report(?:ing|s|ed)\sfrom\b"),
    re.compile(rf"\b(?:[Tt]old|[Ss]peaking\sto|[Ss]poke\sto|said\sto)\s{_OUTLET}{_POSSESSIVE}\s{_PERSON}"),
]
# Words that open a capitalised run without being part of an outlet's name.
_NOT_OUTLET_START = frozenset("The A An He She They It We In On At But And As After When".split())


def outlet_from_text(text: str) -> str | None:
    """The outlet a text names as its own through its journalists, when exactly one is named so.

    A named journalist of the outlet ("Al Jazeera's Jonah Hull, reporting from ...", "Sky News'
    political editor Beth Rigby", "told Sky News' Sam Coates") is the evidence; texts naming two
    such outlets give none.
    """
    found: set[str] = set()
    for pattern in _SELF_REFERENCE:
        for m in pattern.finditer(text):
            words = m["outlet"].split()
            while words and words[0] in _NOT_OUTLET_START:
                words = words[1:]
            if words:
                found.add(" ".join(words))
    return found.pop() if len(found) == 1 else None


def read_article_text(
    text: str,
    *,
    source: str,
    article_id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: date | None = None,
    author: str | None = None,
) -> Article:
    """Build an Article from plain text; header lines and a leading date line fill what is not given.

    Header lines (``outlet:``, ``title:``, ``url:``, ``published:`` before the first blank line)
    are taken out of ``raw``; the rest of the text is ``raw`` unchanged (cleaning removes the
    date line later). Without an outlet, the text's own self-reference names it when it names
    exactly one (``outlet_inferred``). Raises ``InputError`` when the text is empty or a header
    date cannot be read.
    """
    if not text.strip():
        raise InputError(source, "empty article text")
    header = read_text_header(text)
    published_source = None
    if header is not None:
        text = text[header.body_start:]
        if not text.strip():
            raise InputError(source, "article text has header lines but no body")
        fields = header.fields
        outlet = outlet or fields.get("outlet")
        title = title or fields.get("title")
        url = url or fields.get("url")
        if published is None and "published" in fields:
            published = parse_date(fields["published"])
            if published is None:
                raise InputError(source, f"header line 'published' is not a date: {fields['published']!r}")
            published_source = "metadata"
    if published is None:
        date_line = parse_date_line(text)
        published = date_line.value if date_line else None
        published_source = "text" if date_line else None
    chosen = _pick_outlet(outlet, url=url)
    inferred = None
    if chosen == "unknown":
        inferred = outlet_from_text(text)
    return Article(
        id=article_id or Path(source).stem or "article",
        raw=text,
        source=source,
        outlet=inferred or chosen,
        title=title,
        url=url,
        published=published,
        published_source=published_source,
        author=author,
        outlet_inferred=inferred is not None,
    )


_MIN_PROSE_WORDS = 4

_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
# Characters an XML tree (lxml, under trafilatura) cannot hold: C0 controls but tab, newline
# and carriage return, and U+FFFE/U+FFFF.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _char_ref(match: re.Match[str]) -> str:
    code = int(match[1], 16) if match[1] else int(match[2])
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # as browsers read it (WHATWG numeric character reference end state)
    if 0x80 <= code <= 0x9F:
        return bytes([code]).decode("cp1252", "replace")  # &#150; is the windows-1252 dash, as in browsers
    if code in (0xFFFE, 0xFFFF) or (code < 0x20 and code not in (0x09, 0x0A, 0x0D)):
        return " "  # a control character has no text to show; a space keeps the words apart
    return match[0]


def fix_char_refs(html: str) -> str:
    """Replace character references (and raw characters) an XML tree cannot hold.

    ``&#0;``, surrogates and out-of-range numbers become U+FFFD and ``&#128;``-``&#159;``
    their windows-1252 characters, as browsers read them; control characters (``&#12;``,
    ``&#x1;``) and U+FFFE/U+FFFF become a space. Any other reference is left to the parser.
    """
    if "&#" in html:
        html = _CHAR_REF.sub(_char_ref, html)
    return _XML_ILLEGAL.sub(" ", html) if _XML_ILLEGAL.search(html) else html


def read_article_html(
    html: str,
    *,
    source: str,
    article_id: str | None = None,
    url: str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    published: date | None = None,
    author: str | None = None,
) -> Article:
    """Build an Article from an HTML page with trafilatura; given fields win over page metadata.

    The body keeps one paragraph per line. The date comes only from meta tags,
    structured data or the URL, never from a search through the page text.
    Raises ``InputError`` when no article text can be extracted.
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        fix_char_refs(safe_text(html)),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        output_format="python",
        # extensive_search=False: take dates from markup and URL only, never from a
        # date that merely appears somewhere in the page text.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )

    def meta(name: str) -> str | None:
        value = getattr(document, name, None)
        return (value.strip() or None) if isinstance(value, str) else None

    body = meta("text") or ""
    if not any(len(line.split()) >= _MIN_PROSE_WORDS for line in body.splitlines()):
        raise InputError(source, "HTML page has no extractable article text")
    page_title = meta("title")
    lines = body.split("\n")
    # trafilatura keeps the <h1> headline as the first line; it is the title, not body text.
    if page_title and len(lines) > 1 and lines[0].strip() == page_title:
        body = "\n".join(lines[1:]).strip()
    page_url = url or meta("url")
    sitename = meta("sitename")
    if sitename and sitename.lower().startswith("www.") and "." in sitename[4:]:
        sitename = sitename[4:]
    page_date = meta("date")
    return Article(
        id=article_id or Path(source).stem or "article",
        raw=body,
        source=source,
        outlet=_pick_outlet(outlet, sitename, url=page_url),
        title=title or page_title,
        url=page_url,
        published=published or (parse_date(page_date) if page_date else None),
        author=author or meta("author"),
    )


def article_from_record(record: Any, *, source: str, default_id: str) -> Article:
    """Build an Article from a JSON record with ``text`` or ``html`` and optional metadata.

    Fields: ``id``, ``url``, ``outlet``, ``title``, ``published`` (ISO date or
    datetime), ``author``. Raises ``InputError`` for a record that is not an
    object, has neither text nor html, or carries an unreadable field.
    """
    if not isinstance(record, Mapping):
        raise InputError(source, f"record is not a JSON object (got {_json_type(record)})")
    record_id = record.get("id")
    if isinstance(record_id, LongNumber):
        raise InputError(source, f"field 'id' is a number of {record_id.digits} digits; "
                                 f"give the id as a string of at most {MAX_ID_CHARS} characters")
    if record_id is not None and (isinstance(record_id, bool) or not isinstance(record_id, str | int)):
        raise InputError(source, f"field 'id' must be a string or number, not {_json_type(record_id)}")
    record_id = safe_text(str(record_id)).strip()[:MAX_ID_CHARS] if record_id is not None else ""
    fields = {
        "article_id": record_id or default_id,
        "url": _clean_str(record.get("url"), "url", source),
        "outlet": _clean_str(record.get("outlet"), "outlet", source),
        "title": _clean_str(record.get("title"), "title", source),
        "author": _clean_str(record.get("author"), "author", source),
    }
    published_text = _clean_str(record.get("published"), "published", source)
    published = None
    if published_text:
        published = parse_date(published_text)
        if published is None:
            raise InputError(source, f"field 'published' is not an ISO date or datetime: {excerpt(published_text)}")
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        return read_article_text(safe_text(text), source=source, published=published, **fields)
    if isinstance(html, str) and html.strip():
        return read_article_html(html, source=source, published=published, **fields)
    if text is not None and not isinstance(text, str):
        raise InputError(source, f"field 'text' must be a string, not {_json_type(text)}")
    if html is not None and not isinstance(html, str):
        raise InputError(source, f"field 'html' must be a string, not {_json_type(html)}")
    raise InputError(source, "record has no 'text' or 'html' (or both are empty)")


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, int | float | LongNumber) else type(value).__name__
    )


#: Ids longer than this are cut (the store keeps ids of up to 200 characters).
MAX_ID_CHARS = 180
#: Integer literals with more digits are kept as ``LongNumber``: Python refuses to convert
#: literals over 4,300 digits, and no article field needs one.
MAX_INT_DIGITS = 1000


@dataclass(frozen=True, slots=True)
class LongNumber:
    """A JSON integer literal too long to be a useful number; only its length is kept."""

    digits: int


def parse_int(literal: str) -> int | LongNumber:
    """A JSON integer literal: an int, or a ``LongNumber`` when it has more than ``MAX_INT_DIGITS`` digits."""
    return int(literal) if len(literal) <= MAX_INT_DIGITS else LongNumber(len(literal))


def loads_json(text: str) -> Any:
    """``json.loads`` that keeps over-long integer literals as ``LongNumber`` instead of failing.

    Raises ``json.JSONDecodeError`` for malformed JSON and ``RecursionError`` for nesting
    deeper than Python's recursion limit.
    """
    return json.loads(text, parse_int=parse_int)
