"""Reading articles from files (plain text, HTML, JSON, JSONL), feeds, web archives and URLs.

``iter_articles`` streams over files, directories, RSS/Atom feeds (local files or
http(s) URLs, their linked pages fetched) and WARC/WARC.gz archives, and yields one
``Article`` per readable article and one ``InputFailure`` per item it cannot read (a
file, a record, a page, a feed), so a batch goes on past bad inputs. Feeds and
archives live in ``storyline.sources`` and are imported only when one is read. The
helpers below it build an ``Article`` from text, HTML or a record held in memory and
raise ``InputError`` instead.

``published`` only ever comes from what the source states: a metadata field, an
HTML meta tag or URL date, or a leading date line in the text (" date 2024-10-23").
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError
from .models import Article, InputFailure
from .options import Options

__all__ = [
    "DATE_LABEL_PATTERN",
    "DATE_LINE_RE",
    "DATE_PATTERN",
    "DateLine",
    "article_from_record",
    "iter_articles",
    "looks_like_html",
    "outlet_from_url",
    "parse_date",
    "parse_date_line",
    "read_article_html",
    "read_article_text",
]

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TEXT_SUFFIXES = frozenset({".txt", ".text"})
FEED_SUFFIXES = frozenset({".rss", ".atom"})
#: Files a directory walk reads; a file named on the command line is read whatever its suffix.
#: ``.xml`` is read as a feed only when named (folders of other XML are common);
#: ``.warc`` and ``.warc.gz`` archives are found by ``sources.warc.is_warc_path``.
ARTICLE_SUFFIXES = HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | TEXT_SUFFIXES | FEED_SUFFIXES

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


def _clean_str(value: Any, field: str, source: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(source, f"field {field!r} must be a string, not {type(value).__name__}")
    return value.strip() or None


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
    """Build an Article from plain text; a leading date line sets ``published`` when not given.

    ``raw`` is ``text`` unchanged (cleaning removes the date line later). Raises
    ``InputError`` when the text is empty.
    """
    if not text.strip():
        raise InputError(source, "empty article text")
    if published is None:
        date_line = parse_date_line(text)
        published = date_line.value if date_line else None
    return Article(
        id=article_id or Path(source).stem or "article",
        raw=text,
        source=source,
        outlet=_pick_outlet(outlet, url=url),
        title=title,
        url=url,
        published=published,
        author=author,
    )


_MIN_PROSE_WORDS = 4


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
        html,
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
    if record_id is not None and not isinstance(record_id, str | int):
        raise InputError(source, f"field 'id' must be a string or number, not {_json_type(record_id)}")
    record_id = str(record_id).strip() if record_id is not None else ""
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
            raise InputError(source, f"field 'published' is not an ISO date or datetime: {published_text!r}")
    text, html = record.get("text"), record.get("html")
    if isinstance(text, str) and text.strip():
        return read_article_text(text, source=source, published=published, **fields)
    if isinstance(html, str) and html.strip():
        return read_article_html(html, source=source, published=published, **fields)
    if text is not None and not isinstance(text, str):
        raise InputError(source, f"field 'text' must be a string, not {_json_type(text)}")
    if html is not None and not isinstance(html, str):
        raise InputError(source, f"field 'html' must be a string, not {_json_type(html)}")
    raise InputError(source, "record has no 'text' or 'html' (or both are empty)")


def _json_type(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number" if isinstance(value, int | float) else type(value).__name__
    )


# ---------------------------------------------------------------- files

_HTML_SNIFF = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts like an HTML document."""
    return bool(_HTML_SNIFF.match(text[:4096]))


def _decode(data: bytes, source: str) -> str:
    if b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes), not article text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            source,
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert the file to UTF-8",
        ) from None


def _read_file(path: Path, source: str, options: Options) -> str:
    text = _decode(_read_bytes(path, source, options), source)
    if not text.strip():
        raise InputError(source, "empty file")
    return text


def _iter_file(path: Path, options: Options, sources: _Sources) -> Iterator[Article | InputError]:
    """Articles (or errors) from one file; JSON files, feeds and archives may hold many."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        yield from _iter_jsonl(path, options)
        return
    if path.name.lower().endswith((".warc", ".warc.gz")):
        from .sources.warc import iter_warc_articles

        yield from iter_warc_articles(path, max_bytes=options.max_bytes)
        return
    try:
        if suffix in FEED_SUFFIXES or suffix == ".xml":
            yield from sources.feed(_read_bytes(path, source, options), source=source)
            return
        text = _read_file(path, source, options)
        if suffix in JSON_SUFFIXES:
            yield from _iter_json(text, path, source)
        elif suffix in HTML_SUFFIXES or looks_like_html(text):
            yield read_article_html(text, source=source, article_id=path.stem)
        elif _looks_like_feed_text(text):
            yield from sources.feed(text.encode("utf-8"), source=source)
        else:
            yield read_article_text(text, source=source, article_id=path.stem)
    except InputError as exc:
        yield exc


_FEED_TEXT_SNIFF = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.I | re.S)


def _looks_like_feed_text(text: str) -> bool:
    return bool(_FEED_TEXT_SNIFF.match(text[:4096]))


class _Sources:
    """Feed and URL reading for one ``iter_articles`` call, sharing one HTTP client opened on first use."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self._fetcher: Any = None

    @property
    def fetcher(self) -> Any:
        if self._fetcher is None:
            from .sources.fetch import Fetcher, FetchSettings

            self._fetcher = Fetcher(FetchSettings.from_options(self.options))
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    def feed(self, data: bytes, *, source: str, base_url: str | None = None) -> Iterator[Article | InputError]:
        from .sources.feeds import iter_feed_articles, parse_feed

        feed = parse_feed(data, source=source, base_url=base_url)
        yield from iter_feed_articles(feed, source=source, fetcher=self.fetcher)

    def url(self, url: str) -> Iterator[Article | InputError]:
        """A feed URL (its entries' pages fetched) or the URL of one article page."""
        from .sources.feeds import FEED_CONTENT_TYPES, looks_like_feed, read_page

        try:
            page = self.fetcher.get(url)
            if page.content_type in FEED_CONTENT_TYPES or looks_like_feed(page.content):
                yield from self.feed(page.content, source=url, base_url=page.final_url)
            else:
                yield read_page(page, source=url)
        except InputError as exc:
            yield exc


def _read_bytes(path: Path, source: str, options: Options) -> bytes:
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            raise InputError(
                source,
                f"file is {size} bytes, more than max_bytes={options.max_bytes}; raise max_bytes or split it",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(source, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def _iter_json(text: str, path: Path, source: str) -> Iterator[Article | InputError]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    if isinstance(data, list):
        if not data:
            raise InputError(source, "empty JSON array")
        for index, record in enumerate(data):
            try:
                yield article_from_record(
                    record, source=f"{source}[{index}]", default_id=f"{path.stem}-{index + 1}"
                )
            except InputError as exc:
                yield exc
    else:
        yield article_from_record(data, source=source, default_id=path.stem)


def _iter_jsonl(path: Path, options: Options) -> Iterator[Article | InputError]:
    # max_bytes applies per line here: a JSONL batch is read one record at a time.
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}")
        return
    seen_record = False
    with handle:
        for lineno, data in enumerate(handle, start=1):
            line_source = f"{source}:{lineno}"
            try:
                if len(data) > options.max_bytes:
                    raise InputError(
                        line_source,
                        f"line is {len(data)} bytes, over max_bytes={options.max_bytes}; raise max_bytes",
                    )
                line = _decode(data, line_source)
                if not line.strip():
                    continue
                seen_record = True
                try:
                    record = json.loads(line.rstrip("\r\n"))
                except json.JSONDecodeError as exc:
                    raise InputError(
                        line_source, f"malformed JSON at column {exc.colno}: {exc.msg}"
                    ) from None
                yield article_from_record(record, source=line_source, default_id=f"{path.stem}-{lineno}")
            except InputError as exc:
                yield exc
    if not seen_record:
        yield InputError(source, "empty file")


def _walk(directory: Path) -> Iterator[Path]:
    """Article files under ``directory`` in sorted order, skipping hidden entries and other suffixes."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from _walk(Path(entry.path))
        elif entry.is_file() and (
            Path(entry.name).suffix.lower() in ARTICLE_SUFFIXES or entry.name.lower().endswith((".warc", ".warc.gz"))
        ):
            yield Path(entry.path)


def _unique(article_id: str, seen: set[str]) -> str:
    if article_id not in seen:
        return article_id
    n = 2
    while f"{article_id}-{n}" in seen:
        n += 1
    return f"{article_id}-{n}"


_URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
# a URL that went through pathlib on its way here ("https:/host/feed") lost one slash
_FLATTENED_URL_RE = re.compile(r"(https?):/(?!/)(\S+)", re.IGNORECASE)


def _as_url(raw: str | os.PathLike[str]) -> str | None:
    text = os.fspath(raw)
    if _URL_RE.fullmatch(text):
        return text
    match = _FLATTENED_URL_RE.fullmatch(text)
    if match and not os.path.exists(text):
        return f"{match[1]}://{match[2]}"
    return None


def iter_articles(
    paths: Iterable[str | os.PathLike[str]], options: Options | None = None
) -> Iterator[Article | InputFailure]:
    """Yield an Article for each article in ``paths``: files, directories (read recursively),
    RSS/Atom feeds (files or http(s) URLs; each entry's page is fetched), WARC/WARC.gz
    archives, and http(s) URLs of single article pages.

    Items that cannot be read yield an ``InputFailure`` naming the file (and the line,
    array index or archive record) or the URL, and the reason; the batch goes on. Ids
    are unique within one call: a repeated id gets "-2", "-3", ... appended.
    """
    options = options or Options()
    seen: set[str] = set()
    sources = _Sources(options)
    try:
        for raw_path in paths:
            url = _as_url(raw_path)
            if url is not None:
                items: Iterable[Article | InputError] = sources.url(url)
            else:
                path = Path(raw_path)
                if path.is_dir():
                    files: Iterable[Path] = _walk(path)
                elif path.exists():
                    files = (path,)
                else:
                    yield InputFailure(str(path), "no such file or directory")
                    continue
                items = (item for file in files for item in _iter_file(file, options, sources))
            for item in items:
                if isinstance(item, InputError):
                    yield InputFailure(item.source, item.reason)
                    continue
                unique_id = _unique(item.id, seen)
                seen.add(unique_id)
                if unique_id != item.id:
                    item = replace(item, id=unique_id)
                yield item
    finally:
        sources.close()
