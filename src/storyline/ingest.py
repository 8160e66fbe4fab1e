"""Reading articles from files (plain text, HTML, JSON, JSONL), feeds, web archives and URLs.

``iter_articles`` streams over files, directories, RSS/Atom feeds (local files or
http(s) URLs, their linked pages fetched) and WARC/WARC.gz archives, and yields one
``Article`` per readable article and one ``InputFailure`` per item it cannot read (a
file, a record, a page, a feed), so a batch goes on past bad inputs, whatever one input
holds. Feeds and archives live in ``storyline.sources`` and are imported only when one
is read. Every reader builds its articles with ``storyline.articles`` (re-exported here),
whose helpers raise ``InputError`` instead.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

from .articles import (
    DATE_LABEL_PATTERN,
    DATE_LINE_RE,
    DATE_PATTERN,
    DateLine,
    article_from_record,
    loads_json,
    outlet_from_url,
    parse_date,
    parse_date_line,
    parse_int,
    read_article_html,
    read_article_text,
)
from .errors import InputError, describe
from .models import Article, InputFailure
from .options import Options

T = TypeVar("T")

__all__ = [
    "DATE_LABEL_PATTERN",
    "DATE_LINE_RE",
    "DATE_PATTERN",
    "DateLine",
    "article_from_record",
    "display_path",
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




def display_path(path: str | os.PathLike[str]) -> str:
    """A path as text for messages, ids and the store: bytes that are not UTF-8 become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _decode(data: bytes, source: str, *, html: bool = False) -> str:
    from .sources.decode import UndecodableError, decode_bytes

    try:
        return decode_bytes(data, html=html)
    except UndecodableError as exc:
        raise InputError(source, exc.reason) from None


def _guard(source: str, build: Callable[[], T]) -> T | InputError:
    """``build()``, or an ``InputError`` for ``source`` whatever it raised: one record's
    failure must not end a batch."""
    try:
        return build()
    except InputError as exc:
        return exc
    except RecursionError:
        return InputError(source, "nested too deeply to read (more levels than Python's recursion limit)")
    except MemoryError:
        return InputError(source, "too large to read in the memory available")
    except Exception as exc:  # noqa: BLE001 - reported for this input; the batch goes on
        return InputError(source, f"cannot read ({describe(exc)}); please report this if the input looks valid")


_KIND_NAMES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def _not_regular(mode: int) -> str | None:
    """Why a file of this mode is not read (it is not a regular file), or None."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KIND_NAMES if test(mode)), "not a regular file")
    return f"{kind}, not a regular file; to read a stream, give '-' and send it to standard input"


def _read_bytes(path: Path, source: str, options: Options) -> bytes:
    """The bytes of a regular file, at most ``max_bytes`` of them (a FIFO or device is refused)."""
    with _open_regular(path, source) as handle:
        try:
            data = handle.read(options.max_bytes + 1)
        except OSError as exc:
            raise InputError(source, f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > options.max_bytes:
        raise InputError(source, f"file is more than max_bytes={options.max_bytes} bytes; raise max_bytes "
                                 "or split it")
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def _open_regular(path: Path, source: str) -> BinaryIO:
    """``path`` opened for reading when it is a regular file; a FIFO, device or socket is refused."""
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; it has no
        # effect on the regular files that are then read.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(source, f"cannot read file: {exc.strerror or exc}") from None
    problem = _not_regular(os.fstat(fd).st_mode)
    if problem:
        os.close(fd)
        raise InputError(source, problem)
    return os.fdopen(fd, "rb")


class _Reader:
    """Reading for one ``iter_articles`` call: options, the shared HTTP client (opened on first
    use) and the per-input record limit."""

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

    def too_many(self, source: str) -> InputError:
        limit = self.options.max_records
        return InputError(source, f"more than max_records={limit} records; the first {limit} were read and the "
                                  "rest is skipped; raise max_records or split the input")

    # ------------------------------------------------------------ one input

    def path(self, path: Path) -> Iterator[Article | InputError]:
        """Articles (or errors) from one file; JSON files, feeds and archives may hold many."""
        source = display_path(path)
        suffix = path.suffix.lower()
        if suffix in JSONL_SUFFIXES:
            try:
                handle = _open_regular(path, source)
            except InputError as exc:
                yield exc
                return
            with handle:
                yield from self.jsonl(handle, source, display_path(path.stem))
            return
        if path.name.lower().endswith((".warc", ".warc.gz")):
            try:
                handle = _open_regular(path, source)
            except InputError as exc:
                yield exc
                return
            with handle:
                yield from self.warc(handle, source, gz=path.name.lower().endswith(".gz"))
            return
        try:
            data = _read_bytes(path, source, self.options)
        except InputError as exc:
            yield exc
            return
        yield from self.document(data, source, display_path(path.stem), suffix)

    def stdin(self, stream: BinaryIO | None = None) -> Iterator[Article | InputError]:
        """The input named ``-``: JSON Lines when ``stdin_format`` is "jsonl", else one text or
        HTML article read up to ``max_bytes``."""
        stream = stream if stream is not None else sys.stdin.buffer
        if self.options.stdin_format == "jsonl":
            yield from self.jsonl(stream, STDIN_SOURCE, "stdin")
            return
        data = stream.read(self.options.max_bytes + 1)
        if len(data) > self.options.max_bytes:
            yield InputError(STDIN_SOURCE, f"input is over max_bytes={self.options.max_bytes} bytes; raise max_bytes")
            return
        if not data.strip():
            yield InputError(STDIN_SOURCE, "empty input")
            return
        yield from self.document(data, STDIN_SOURCE, "stdin", "")

    def document(self, data: bytes, source: str, stem: str, suffix: str) -> Iterator[Article | InputError]:
        """One document held in memory: a feed, a JSON file, an HTML page or plain text."""
        from .sources.feeds import looks_like_feed

        if suffix in FEED_SUFFIXES or suffix == ".xml" or (
                suffix not in JSON_SUFFIXES | HTML_SUFFIXES and looks_like_feed(data)):
            yield from self.feed(data, source=source)
            return
        try:
            text = _decode(data, source, html=suffix in HTML_SUFFIXES or looks_like_html(data[:4096].decode(
                "latin-1")))
            if not text.strip():
                raise InputError(source, "empty file")
        except InputError as exc:
            yield exc
            return
        if suffix in JSON_SUFFIXES:
            yield from self.json(text, source, stem)
        elif suffix in HTML_SUFFIXES or looks_like_html(text):
            yield _guard(source, lambda: read_article_html(text, source=source, article_id=stem))
        else:
            yield _guard(source, lambda: read_article_text(text, source=source, article_id=stem))

    def feed(self, data: bytes, *, source: str, base_url: str | None = None) -> Iterator[Article | InputError]:
        from .sources.feeds import Feed, iter_feed_articles, parse_feed

        feed = _guard(source, lambda: parse_feed(data, source=source, base_url=base_url))
        if isinstance(feed, InputError):
            yield feed
            return
        assert isinstance(feed, Feed)
        limit = self.options.max_records
        if len(feed.entries) > limit:
            yield self.too_many(source)
            feed = replace(feed, entries=feed.entries[:limit])
        yield from iter_feed_articles(feed, source=source, fetcher=self.fetcher)

    def url(self, url: str) -> Iterator[Article | InputError]:
        """A feed URL (its entries' pages fetched) or the URL of one article page."""
        from .sources.feeds import FEED_CONTENT_TYPES, looks_like_feed, read_page

        page = _guard(url, lambda: self.fetcher.get(url))
        if isinstance(page, InputError):
            yield page
        elif page.content_type in FEED_CONTENT_TYPES or looks_like_feed(page.content):
            yield from self.feed(page.content, source=url, base_url=page.final_url)
        else:
            yield _guard(url, lambda: read_page(page, source=url))

    def warc(self, handle: BinaryIO, source: str, *, gz: bool) -> Iterator[Article | InputError]:
        from .sources.warc import iter_warc_records

        o = self.options
        yield from iter_warc_records(handle, source=source, gz=gz, max_bytes=o.max_bytes, max_records=o.max_records,
                                     max_record_bytes=o.max_record_bytes, max_line_bytes=o.max_line_bytes)

    def json(self, text: str, source: str, stem: str) -> Iterator[Article | InputError]:
        """A JSON file: one record, or an array of records read one at a time, so that a bad
        record (too deep, say) fails alone and the records after it are still read."""
        start = _skip_space(text, 0)
        if not text.startswith("[", start):
            try:
                record = loads_json(text)
            except json.JSONDecodeError as exc:
                yield InputError(source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}")
                return
            except RecursionError:
                yield InputError(source, "JSON nested too deeply (more levels than Python's recursion limit)")
                return
            yield _guard(source, lambda: article_from_record(record, source=source, default_id=stem))
            return
        decoder = json.JSONDecoder(parse_int=parse_int)
        pos = _skip_space(text, start + 1)
        index = 0
        while pos < len(text) and text[pos] != "]":
            if index >= self.options.max_records:
                yield self.too_many(source)
                return
            item_source = f"{source}[{index}]"
            try:
                record, end = decoder.raw_decode(text, pos)
            except json.JSONDecodeError as exc:
                yield InputError(item_source, f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}; "
                                              "the rest of the file is not read")
                return
            except RecursionError:
                yield InputError(item_source, "JSON nested too deeply (more levels than Python's recursion limit)")
                skipped = _skip_value(text, pos)
                if skipped is None:
                    yield InputError(source, "malformed JSON after a too deeply nested record; the rest of the file "
                                             "is not read")
                    return
                end = skipped
            else:
                yield _guard(item_source, partial(article_from_record, record, source=item_source,
                                                  default_id=f"{stem}-{index + 1}"))
            index += 1
            pos = _skip_space(text, end)
            if pos < len(text) and text[pos] == ",":
                pos = _skip_space(text, pos + 1)
            elif pos < len(text) and text[pos] != "]":
                yield InputError(source, f"malformed JSON after record {index - 1}: expected ',' or ']'; the rest "
                                         "of the file is not read")
                return
        if pos >= len(text):
            yield InputError(source, "malformed JSON: the array is not closed (the file ends early)")
        elif index == 0:
            yield InputError(source, "empty JSON array")
        elif text[pos + 1:].strip():
            yield InputError(source, "malformed JSON: extra data after the array")

    def jsonl(self, handle: BinaryIO, source: str, stem: str) -> Iterator[Article | InputError]:
        """JSON Lines, one record at a time; ``max_bytes`` applies to each line."""
        limit = self.options.max_bytes
        records = 0
        for lineno, data in _lines(handle, limit):
            line_source = f"{source}:{lineno}"
            if data is None:
                yield InputError(line_source, f"line is more than max_bytes={limit} bytes; raise max_bytes")
                records += 1
                continue
            if not data.strip():
                continue
            if records >= self.options.max_records:
                yield self.too_many(source)
                return
            records += 1
            yield _guard(line_source, partial(self._record_line, data, line_source, f"{stem}-{lineno}"))
        if not records:
            yield InputError(source, "empty file")

    @staticmethod
    def _record_line(data: bytes, source: str, default_id: str) -> Article:
        line = _decode(data, source)
        try:
            record = loads_json(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise InputError(source, f"malformed JSON at column {exc.colno}: {exc.msg}") from None
        except RecursionError:
            raise InputError(source, "JSON nested too deeply (more levels than Python's recursion limit)") from None
        return article_from_record(record, source=source, default_id=default_id)


def _lines(handle: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs; a line longer than ``limit`` bytes is passed over, never held,
    and given as None."""
    lineno = 0
    while True:
        data = handle.readline(limit + 1)
        if not data:
            return
        lineno += 1
        if len(data) > limit and not data.endswith(b"\n"):
            while True:
                rest = handle.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
        else:
            yield lineno, data


_SPACE = re.compile(r"[ \t\r\n]*")


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def _skip_value(text: str, pos: int) -> int | None:
    """The end of the JSON array or object starting at ``pos`` (brackets counted, strings
    skipped), or None when it is not closed."""
    depth = 0
    for match in _SCAN.finditer(text, pos):
        token = match[0]
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return match.end()
    return None


def _walk(directory: Path) -> Iterator[Path | InputError]:
    """Article files under ``directory`` in sorted order, skipping hidden entries and other suffixes.

    Every folder is read once, whatever links lead to it again (a symbolic-link loop is
    reported, not followed); entries that cannot be read are reported and the walk goes on.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(folder: Path) -> InputError | None:
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in seen:
                return InputError(display_path(folder), "folder already read (a symbolic link leads back to it); "
                                                        "not read again")
            seen.add(key)
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            return InputError(display_path(folder), f"cannot read folder: {exc.strerror or exc}")
        stack.append(iter(entries))
        return None

    problem = enter(directory)
    if problem:
        yield problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir():
                problem = enter(Path(entry.path))
                if problem:
                    yield problem
                continue
            name = entry.name.lower()
            if Path(name).suffix not in ARTICLE_SUFFIXES and not name.endswith((".warc", ".warc.gz")):
                continue
            if entry.is_file():
                yield Path(entry.path)
            elif entry.is_symlink() and not os.path.exists(entry.path):
                yield InputError(display_path(entry.path), "broken symbolic link (its target does not exist)")
            else:
                yield InputError(display_path(entry.path), _not_regular(entry.stat().st_mode) or "not a regular file")
        except OSError as exc:
            yield InputError(display_path(entry.path), f"cannot read: {exc.strerror or exc}")


class _Ids:
    """Unique article ids within one run: a repeated id gets "-2", "-3", ... appended.

    The next suffix is remembered per id, so ten thousand records with one id cost linear time.
    """

    def __init__(self) -> None:
        self._seen: set[str] = set()
        self._next: dict[str, int] = {}

    def unique(self, article_id: str) -> str:
        if article_id not in self._seen:
            self._seen.add(article_id)
            return article_id
        n = self._next.get(article_id, 2)
        while f"{article_id}-{n}" in self._seen:
            n += 1
        self._next[article_id] = n + 1
        unique = f"{article_id}-{n}"
        self._seen.add(unique)
        return unique


_URL_RE = re.compile(r"https?://\S+", re.IGNORECASE)
# a URL that went through pathlib on its way here ("https:/host/feed") lost one slash
_FLATTENED_URL_RE = re.compile(r"(https?):/(?!/)(\S+)", re.IGNORECASE)


def _as_url(raw: str | os.PathLike[str]) -> str | None:
    text = os.fspath(raw)
    if isinstance(text, bytes):
        return None
    if _URL_RE.fullmatch(text):
        return text
    match = _FLATTENED_URL_RE.fullmatch(text)
    if match and not os.path.exists(text):
        return f"{match[1]}://{match[2]}"
    return None


#: The path that stands for standard input.
STDIN = "-"
STDIN_SOURCE = "<stdin>"


def _one_input(raw_path: str | os.PathLike[str], reader: _Reader) -> Iterator[Article | InputError]:
    if os.fspath(raw_path) in (STDIN, STDIN.encode()):
        yield from reader.stdin()
        return
    url = _as_url(raw_path)
    if url is not None:
        yield from reader.url(url)
        return
    path = Path(os.fsdecode(raw_path))
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists() or path.is_symlink()
    except OSError as exc:  # a name too long, a loop of links
        yield InputError(display_path(path), f"cannot read: {exc.strerror or exc}")
        return
    if not exists:
        yield InputError(display_path(path), "no such file or directory")
    elif not is_dir:
        yield from reader.path(path)
    else:
        for item in _walk(path):
            if isinstance(item, InputError):
                yield item
            else:
                yield from reader.path(item)


def iter_articles(
    paths: Iterable[str | os.PathLike[str]], options: Options | None = None
) -> Iterator[Article | InputFailure]:
    """Yield an Article for each article in ``paths``: files, directories (read recursively),
    RSS/Atom feeds (files or http(s) URLs; each entry's page is fetched), WARC/WARC.gz
    archives, http(s) URLs of single article pages, and ``-`` for standard input.

    Items that cannot be read yield an ``InputFailure`` naming the file (and the line,
    array index or archive record) or the URL, and the reason; the batch goes on, whatever
    one input holds. Ids are unique within one call: a repeated id gets "-2", "-3", ... appended.
    """
    options = options or Options()
    ids = _Ids()
    reader = _Reader(options)
    try:
        for raw_path in paths:
            items = _one_input(raw_path, reader)
            while True:
                try:
                    item = next(items)
                except StopIteration:
                    break
                except Exception as exc:  # noqa: BLE001 - a reader's own bug ends that input only
                    item = InputError(display_path(raw_path), f"reading stopped ({describe(exc)}); "
                                                              "please report this as a bug")
                    items = iter(())
                if isinstance(item, InputError):
                    yield InputFailure(item.source, item.reason)
                    continue
                unique_id = ids.unique(item.id)
                if unique_id != item.id:
                    item = replace(item, id=unique_id)
                yield item
    finally:
        reader.close()
