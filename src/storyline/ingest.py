"""Reading articles from files (plain text, HTML, JSON, JSONL), feeds, web archives and URLs.

``iter_articles`` streams over files, directories, RSS/Atom feeds (local files or
http(s) URLs, their linked pages fetched) and WARC/WARC.gz archives, and yields one
``Article`` per readable article and one ``InputFailure`` per item it cannot read (a
file, a record, a page, a feed), so a batch goes on past bad inputs. Feeds and
archives live in ``storyline.sources`` and are imported only when one is read. Every
reader builds its articles with ``storyline.articles`` (re-exported here), whose helpers
raise ``InputError`` instead.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from .articles import (
    DATE_LABEL_PATTERN,
    DATE_LINE_RE,
    DATE_PATTERN,
    DateLine,
    article_from_record,
    outlet_from_url,
    parse_date,
    parse_date_line,
    read_article_html,
    read_article_text,
)
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
    with handle:
        yield from _iter_jsonl_lines(handle, source, path.stem, options)


def _iter_jsonl_lines(lines: Iterable[bytes], source: str, stem: str,
                      options: Options) -> Iterator[Article | InputError]:
    seen_record = False
    for lineno, data in enumerate(lines, start=1):
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
            yield article_from_record(record, source=line_source, default_id=f"{stem}-{lineno}")
        except InputError as exc:
            yield exc
    if not seen_record:
        yield InputError(source, "empty file")


#: The path that stands for standard input.
STDIN = "-"
_STDIN_SOURCE = "<stdin>"


def _iter_stdin(options: Options, stream: BinaryIO | None = None) -> Iterator[Article | InputError]:
    """Articles from standard input: one text or HTML article, or JSONL records (``options.stdin_format``)."""
    stream = stream if stream is not None else sys.stdin.buffer
    if options.stdin_format == "jsonl":
        yield from _iter_jsonl_lines(stream, _STDIN_SOURCE, "stdin", options)
        return
    try:
        data = stream.read(options.max_bytes + 1)
        if len(data) > options.max_bytes:
            raise InputError(_STDIN_SOURCE, f"input is over max_bytes={options.max_bytes} bytes; raise max_bytes")
        text = _decode(data, _STDIN_SOURCE)
        if not text.strip():
            raise InputError(_STDIN_SOURCE, "empty input")
        if looks_like_html(text):
            yield read_article_html(text, source=_STDIN_SOURCE, article_id="stdin")
        else:
            yield read_article_text(text, source=_STDIN_SOURCE, article_id="stdin")
    except InputError as exc:
        yield exc


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
    archives, http(s) URLs of single article pages, and "-" for standard input (one text or
    HTML article, or JSONL records with ``options.stdin_format = "jsonl"``).

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
            if os.fspath(raw_path) == STDIN:
                items: Iterable[Article | InputError] = _iter_stdin(options)
            elif url is not None:
                items = sources.url(url)
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
