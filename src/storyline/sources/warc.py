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
saying so.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..articles import read_article_html
from ..errors import InputError
from ..models import Article
from .feeds import article_id_from_url
from .fetch import decode_html

__all__ = ["WARC_SUFFIXES", "WarcStats", "is_warc_path", "iter_warc_articles"]

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


class _GzipCheck:
    """A read-through file wrapper that follows the gzip members as warcio reads them.

    ``complete`` is False when the bytes end inside a gzip member (a cut-off download).
    """

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflate: Any = None  # zlib decompressobj of the current member
        self.complete = True

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self._feed(data)
        return data

    def tell(self) -> int:
        return self._raw.tell()

    def _feed(self, data: bytes) -> None:
        while data:
            if self._inflate is None:
                self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
            try:
                self._inflate.decompress(data)  # only the member state matters; output is dropped
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


def iter_warc_articles(path: Path, *, max_bytes: int = 5_000_000,
                       stats: WarcStats | None = None) -> Iterator[Article | InputError]:
    """Articles from the HTML response records of one WARC or WARC.gz file, in archive order.

    Failures (a page with no article text, an oversized or cut-off record, a truncated
    or corrupt archive) are yielded as ``InputError`` and the archive goes on where it can.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    stats = stats if stats is not None else WarcStats()
    source = str(path)
    gz = path.name.lower().endswith(".gz")
    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(source, f"cannot read file: {exc.strerror or exc}")
        return
    with handle:
        check = _GzipCheck(handle) if gz else None
        records = ArchiveIterator(check or handle)
        try:
            for record in records:
                stats.records += 1
                item = _read_record(record, records, source, max_bytes)
                if item is None:
                    stats.skipped += 1
                    continue
                if isinstance(item, _Truncated):
                    yield InputError(source, f"truncated archive: it ends inside the record for "
                                             f"{item.uri} at offset {item.offset}; the {stats.html} "
                                             f"page(s) before it were read")
                    return
                stats.html += 1
                yield item
        except Exception as exc:  # warcio fails in many ways on a damaged archive
            if check is not None and not check.read_rest():
                yield InputError(source, f"truncated archive: the gzip data ends early; the {stats.html} "
                                         f"page(s) before the cut were read")
                return
            kind = "not a WARC file or corrupt archive" if isinstance(exc, ArchiveLoadFailed) else "corrupt archive"
            detail = " ".join(str(exc).split()) or type(exc).__name__
            yield InputError(source, f"{kind} after {stats.records} record(s): {detail}")
            return
        if check is not None and not check.complete:
            yield InputError(source, f"truncated archive: the gzip data ends early; the {stats.html} "
                                     f"page(s) before the cut were read")


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
        return read_article_html(decode_html(body, charset), source=source,
                                 article_id=article_id_from_url(uri), url=uri or None)
    except InputError as exc:
        return exc
    except Exception as exc:  # one bad page must not end the archive
        return InputError(source, f"cannot read page ({type(exc).__name__}: {exc})")
