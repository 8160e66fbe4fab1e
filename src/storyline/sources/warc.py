"""WARC and WARC.gz archives (e.g. CC-NEWS): HTML ``response`` records become articles.

Records are read one at a time with warcio's ``ArchiveIterator``, so memory stays
flat however large the archive. Each HTML response with status 200 gives an
``Article`` (URL from ``WARC-Target-URI``, date and outlet from the page's own
metadata) or an ``InputError`` naming the record; other records (requests,
metadata, redirects, images) are not articles and are passed over.

``WARC-Date`` is when the page was crawled, not when it was published, so it never
becomes ``published``: it is kept in ``Article.source`` ("crawled ...") instead.

warcio does not notice a ``.gz`` that ends early (it stops quietly, or hands over a
short last record), so the compressed bytes are checked as they are read: a
truncated archive yields the records before the cut and then one ``InputError``
saying so. The same watch bounds what one record can cost: a gzip member that inflates
past ``max_record_bytes`` or a line longer than ``max_line_bytes`` stops the archive with
a message naming the setting, and at most ``max_records`` pages are read from one archive.
An archive with no records at all is reported as empty.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..articles import read_article_html
from ..errors import InputError, describe, excerpt
from ..models import Article
from .decode import UndecodableError, decode_bytes
from .feeds import article_id_from_url

__all__ = ["WARC_SUFFIXES", "LimitExceeded", "WarcStats", "is_warc_path", "iter_warc_articles", "iter_warc_records"]

WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_warc_path(path: Path) -> bool:
    """True for ``*.warc`` and ``*.warc.gz`` file names."""
    return path.name.lower().endswith(WARC_SUFFIXES)


@dataclass(slots=True)
class WarcStats:
    """What one archive held: records seen, HTML pages read, records passed over."""

    records: int = 0
    html: int = 0
    skipped: int = 0


class LimitExceeded(Exception):
    """Reading an archive went past one of its limits; ``reason`` names the limit and its setting."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Guard:
    """A read-through file wrapper that watches the bytes warcio reads, before warcio holds them.

    For a ``.warc.gz`` it follows the gzip members (one per record) as they are read:
    ``complete`` is False when the bytes end inside a member (a cut-off download), and a
    member that inflates to more than ``max_record_bytes`` stops the reading. In either kind
    of archive a line longer than ``max_line_bytes`` stops it too: warcio reads header lines
    whole, so a "first line" of a gigabyte of zeros would otherwise be held in memory.
    """

    _CHUNK = 1 << 20  # inflate at most this much at a time, so a bomb never lands in memory at once

    def __init__(self, raw: BinaryIO, *, gz: bool, max_record_bytes: int, max_line_bytes: int) -> None:
        self._raw = raw
        self._gz = gz
        self._inflate: Any = None  # zlib decompressobj of the current member
        self._member_bytes = 0
        self._line = 0  # bytes since the last line break
        self.max_record_bytes = max_record_bytes
        self.max_line_bytes = max_line_bytes
        self.complete = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._gz:
            self._feed(data)
        else:
            self._lines(data)
        return data

    def tell(self) -> int:
        return self._raw.tell()

    def _lines(self, data: bytes) -> None:
        if b"\n" not in data:
            self._line += len(data)
            longest = self._line
        else:
            pieces = data.split(b"\n")
            longest = max(self._line + len(pieces[0]), *(len(p) for p in pieces[1:]))
            self._line = len(pieces[-1])
        if longest > self.max_line_bytes:
            raise LimitExceeded(f"a line of more than max_line_bytes={self.max_line_bytes} bytes; "
                                "raise max_line_bytes if the archive is sound")

    def _feed(self, data: bytes) -> None:
        while data:
            if self._inflate is None:
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
                self._member_bytes = 0
                self._line = 0
            try:
                out = self._inflate.decompress(data, self._CHUNK)
                while True:
                    self._member_bytes += len(out)
                    if self._member_bytes > self.max_record_bytes:
                        raise LimitExceeded(f"a record that inflates to more than max_record_bytes="
                                            f"{self.max_record_bytes} bytes; raise max_record_bytes if the "
                                            "archive is sound")
                    self._lines(out)
                    if not self._inflate.unconsumed_tail:
                        break
                    out = self._inflate.decompress(self._inflate.unconsumed_tail, self._CHUNK)
            except zlib.error:
                self._inflate = None  # corrupt: warcio's own inflater reports it
                return
            if not self._inflate.eof:
                self.complete = False
                return
            data = self._inflate.unused_data  # the next member starts here
            self._inflate = None
            self.complete = True

    def read_rest(self) -> bool:
        """Read what warcio left unread; True when the file ends at the end of a gzip member."""
        while self.read(1 << 16):
            pass
        return self.complete


def iter_warc_articles(path: Path, *, max_bytes: int = 5_000_000, max_records: int = 100_000,
                       max_record_bytes: int = 100_000_000, max_line_bytes: int = 10_000_000,
                       stats: WarcStats | None = None) -> Iterator[Article | InputError]:
    """Articles from the HTML response records of one WARC or WARC.gz file, in archive order.

    Failures (a page with no article text, an oversized or cut-off record, a truncated,
    corrupt or empty archive, a limit reached) are yielded as ``InputError`` and the
    archive goes on where it can.
    """
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        yield from iter_warc_records(handle, source=source, gz=path.name.lower().endswith(".gz"),
                                     max_bytes=max_bytes, max_records=max_records, max_record_bytes=max_record_bytes,
                                     max_line_bytes=max_line_bytes, stats=stats)


def iter_warc_records(handle: BinaryIO, *, source: str, gz: bool, max_bytes: int = 5_000_000,
                      max_records: int = 100_000, max_record_bytes: int = 100_000_000,
                      max_line_bytes: int = 10_000_000,
                      stats: WarcStats | None = None) -> Iterator[Article | InputError]:
    """``iter_warc_articles`` over an open binary stream (a file, or standard input's bytes)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stats = stats if stats is not None else WarcStats()
    guard = _Guard(handle, gz=gz, max_record_bytes=max_record_bytes, max_line_bytes=max_line_bytes)
    records = ArchiveIterator(guard)
    try:
        for record in records:
            stats.records += 1
            item = _read_record(record, records, source, max_bytes)
            if item is None:
                stats.skipped += 1
                continue
            if isinstance(item, _Truncated):
                yield InputError(source, f"truncated archive: it ends inside the record for "
                                         f"{excerpt(item.uri)} at offset {item.offset}; the {stats.html} "
                                         f"page(s) before it were read")
                return
            if stats.html >= max_records:
                yield InputError(source, f"more than max_records={max_records} pages; the first {max_records} "
                                         "were read and the rest is skipped; raise max_records or split the archive")
                return
            stats.html += 1
            yield item
    except LimitExceeded as exc:
        yield InputError(source, f"archive stopped after {stats.records} record(s) at {exc.reason}")
        return
    except Exception as exc:  # warcio fails in many ways on a damaged archive
        if gz:
            try:
                complete = guard.read_rest()
            except LimitExceeded:
                complete = True
            if not complete:
                yield InputError(source, f"truncated archive: the gzip data ends early; the {stats.html} "
                                         f"page(s) before the cut were read")
                return
        kind = "not a WARC file or corrupt archive" if isinstance(exc, ArchiveLoadFailed) else "corrupt archive"
        yield InputError(source, f"{kind} after {stats.records} record(s): {describe(exc)}")
        return
    if gz and not guard.complete:
        yield InputError(source, f"truncated archive: the gzip data ends early; the {stats.html} "
                                 f"page(s) before the cut were read")
    elif stats.records == 0:
        yield InputError(source, "empty archive: it holds no WARC records")


@dataclass(frozen=True, slots=True)
class _Truncated:
    uri: str
    offset: int


def _read_record(record: Any, records: Any, path: str, max_bytes: int) -> Article | InputError | _Truncated | None:
    if record.rec_type != "response" or record.http_headers is None:
        return None
    status = record.http_headers.get_statuscode()
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    mime = content_type.split(";")[0].strip()
    if status != "200" or mime not in _HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    crawled = record.rec_headers.get_header("WARC-Date") or "unknown"
    body = record.content_stream().read(max_bytes + 1)
    while record.raw_stream.read(64 * 1024):
        pass  # rest of an oversized record
    # only now: asking for the offset makes warcio skip to the record's end
    offset = records.get_record_offset()
    if getattr(record.raw_stream, "limit", 0) > 0:
        # fewer bytes than the record's Content-Length: the file was cut here
        return _Truncated(uri, offset)
    source = f"{path}@{offset} {uri} (crawled {crawled})"
    if len(body) > max_bytes:
        return InputError(source, f"page is over max_bytes={max_bytes} bytes; raise max_bytes")
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip() == "charset":
            charset = value.strip().strip("\"'") or None
    try:
        return read_article_html(decode_bytes(body, charset, html=True), source=source,
                                 article_id=article_id_from_url(uri), url=uri or None)
    except InputError as exc:
        return exc
    except UndecodableError as exc:
        return InputError(source, exc.reason)
    except RecursionError:
        return InputError(source, "page nested too deeply to read (more levels than Python's recursion limit)")
    except Exception as exc:  # noqa: BLE001 - one bad page must not end the archive
        return InputError(source, f"cannot read page ({describe(exc)})")
