"""WARC and WARC.gz ingest, with archives built in the test by warcio's WARCWriter."""

from __future__ import annotations

import io
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storyline.ingest import iter_articles
from storyline.models import Article, InputFailure
from storyline.options import Options
from storyline.sources import summarize_failures
from storyline.sources.warc import WarcStats, iter_warc_articles

PARAGRAPHS = (
    "The council of Port Ellery met on Tuesday to discuss the harbour ferry timetable again.",
    '"We will restore the dawn sailing by April," said Mara Quill, the head of transport.',
    "Residents had complained for months that the first crossing left too late for market.",
)


def page(title: str, *, published: str | None = None, charset: str = "utf-8") -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    html = (f'<!doctype html><html><head><meta charset="{charset}"><title>{title}</title>'
            f'<meta property="og:site_name" content="Harbour Gazette">{meta}</head>'
            f"<body><article><h1>{title}</h1><p>{title} was the talk of the quay café.</p>{body}"
            "</article></body></html>")
    return html.encode(charset)


def write_warc(path: Path, records: list[tuple[str, str, str, bytes, str]], *, gzip: bool) -> list[int]:
    """Write (type, uri, status, body, content type) records; returns each record's start offset."""
    offsets = []
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "storyline tests"}))
        for rec_type, uri, status, body, ctype in records:
            offsets.append(fh.tell())
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            if rec_type == "request":
                headers = StatusAndHeaders(f"GET {uri} HTTP/1.1", [("Host", "harbour.example")], is_http_request=True)
            record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(body), length=len(body),
                                               http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2024-04-02T08:15:00Z"})
            writer.write_record(record)
    return offsets


RECORDS = [
    ("request", "https://harbour.example/news/ferry.html", "", b"", ""),
    ("response", "https://harbour.example/news/ferry.html", "200 OK",
     page("Dawn ferry to return", published="2024-03-05"), "text/html; charset=utf-8"),
    ("response", "https://harbour.example/old", "301 Moved Permanently", b"", "text/html"),
    ("response", "https://harbour.example/logo.png", "200 OK", b"\x89PNG....", "image/png"),
    ("response", "https://harbour.example/gallery.html", "200 OK",
     b"<html><body><img src='a.jpg'></body></html>", "text/html"),
    ("response", "https://www.quayside.example/2024/03/quay-wall.html", "200 OK",
     page("Quay wall repaired at last", charset="latin-1"), "text/html; charset=ISO-8859-1"),
]


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_html_responses_become_articles(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    offsets = write_warc(path, RECORDS, gzip=gzip)
    stats = WarcStats()
    items = list(iter_warc_articles(path, stats=stats))

    assert [type(i).__name__ for i in items] == ["Article", "InputError", "Article"]
    ferry, gallery, quay = items
    assert isinstance(ferry, Article) and isinstance(quay, Article)
    assert ferry.url == "https://harbour.example/news/ferry.html"
    assert ferry.id == "harbour.example-ferry"
    assert ferry.title == "Dawn ferry to return" and ferry.outlet == "Harbour Gazette"
    assert ferry.published == date(2024, 3, 5)  # the page's own metadata
    # the crawl date is not a publication date: kept in the source, never in published
    assert quay.published is None
    assert quay.source == f"{path}@{offsets[5]} https://www.quayside.example/2024/03/quay-wall.html " \
                          "(crawled 2024-04-02T08:15:00Z)"
    assert "café" in quay.raw  # decoded with the declared ISO-8859-1
    assert str(gallery).startswith(f"{path}@{offsets[4]} https://harbour.example/gallery.html")
    assert "no extractable article text" in str(gallery)
    assert (stats.records, stats.html, stats.skipped) == (7, 3, 4)


@pytest.mark.parametrize("cut", [-30, -400, 0.6, 0.35])
def test_truncated_gz_keeps_records_before_the_cut_and_fails_once(tmp_path: Path, cut: float) -> None:
    records = [("response", f"https://harbour.example/news/story-{n}.html", "200 OK",
                page(f"Harbour story number {n}", published="2024-03-05"), "text/html") for n in range(4)]
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, records, gzip=True)
    data = whole.read_bytes()
    end = int(len(data) * cut) if isinstance(cut, float) else len(data) + cut
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:end])

    items = list(iter_articles([path], Options()))

    articles = [i for i in items if isinstance(i, Article)]
    failures = [i for i in items if isinstance(i, InputFailure)]
    assert len(failures) == 1 and items[-1] is failures[0]
    assert failures[0].source == str(path) and failures[0].reason.startswith("truncated archive")
    assert f"the {len(articles)} page(s) before" in failures[0].reason
    assert [a.url for a in articles] == [f"https://harbour.example/news/story-{n}.html" for n in range(len(articles))]
    if cut in (-30, -400):
        assert len(articles) == 3  # all but the cut record
    assert summarize_failures(failures) == {"truncated archive": 1}


def test_truncated_plain_warc(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    write_warc(path, RECORDS[:2], gzip=False)
    path.write_bytes(path.read_bytes()[:-200])
    items = list(iter_articles([path], Options()))
    assert len(items) == 1 and isinstance(items[0], InputFailure)
    assert items[0].reason.startswith("truncated archive: it ends inside the record for "
                                      "'https://harbour.example/news/ferry.html'")


def test_not_a_warc_and_a_walk_that_finds_archives(tmp_path: Path) -> None:
    (tmp_path / "junk.warc").write_text("hello, not an archive\n", encoding="utf-8")
    write_warc(tmp_path / "crawl.warc.gz", RECORDS[:2], gzip=True)
    (tmp_path / "story.txt").write_text(PARAGRAPHS[0], encoding="utf-8")
    items = list(iter_articles([tmp_path], Options()))
    assert [getattr(i, "id", None) for i in items] == ["harbour.example-ferry", None, "story"]
    failure = items[1]
    assert isinstance(failure, InputFailure) and failure.source == str(tmp_path / "junk.warc")
    assert failure.reason.startswith("not a WARC file or corrupt archive after 0 record(s)")


def test_memory_stays_flat_over_a_large_archive(tmp_path: Path) -> None:
    blob = bytes(range(256)) * 400  # ~100 kB of non-HTML payload per record
    records = [("response", f"https://harbour.example/img/{n}.png", "200 OK", blob, "image/png") for n in range(120)]
    records.insert(60, RECORDS[1])
    path = tmp_path / "big.warc.gz"
    write_warc(path, records, gzip=True)
    raw_size = len(blob) * 120
    tracemalloc.start()
    try:
        count = sum(isinstance(i, Article) for i in iter_warc_articles(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 1
    assert peak < raw_size / 4, f"peak {peak} bytes for {raw_size} bytes of records"


def test_a_gzip_bomb_stops_at_the_record_limit_without_holding_it(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "zeros.warc.gz"
    path.write_bytes(gzip.compress(b"\x00" * 5_000_000))
    tracemalloc.start()
    try:
        items = list(iter_articles([path], Options(max_record_bytes=1_000_000, max_line_bytes=10_000_000)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [failure] = items
    assert isinstance(failure, InputFailure)
    assert "more than max_record_bytes=1000000 bytes; raise max_record_bytes" in failure.reason
    assert peak < 20_000_000
    assert len(str(failure)) <= 280


@pytest.mark.parametrize("gzip", [True, False], ids=["warc.gz", "warc"])
def test_a_line_over_max_line_bytes_stops_the_archive(tmp_path: Path, gzip: bool) -> None:
    import gzip as gz

    data = b"WARC/1.0" + b"A" * 300_000 + b"\r\n\r\n"
    path = tmp_path / ("long.warc.gz" if gzip else "long.warc")
    path.write_bytes(gz.compress(data) if gzip else data)
    [failure] = list(iter_articles([path], Options(max_line_bytes=100_000)))
    assert isinstance(failure, InputFailure)
    assert "a line of more than max_line_bytes=100000 bytes" in failure.reason
    assert summarize_failures([failure]) == {"limit reached": 1}


@pytest.mark.parametrize("name", ["empty.warc", "empty.warc.gz"])
def test_an_empty_archive_is_reported(tmp_path: Path, name: str) -> None:
    import gzip

    path = tmp_path / name
    path.write_bytes(gzip.compress(b"") if name.endswith(".gz") else b"")
    [failure] = list(iter_articles([path], Options()))
    assert isinstance(failure, InputFailure) and failure.reason == "empty archive: it holds no WARC records"


def test_max_records_in_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, RECORDS, gzip=True)
    items = list(iter_articles([path], Options(max_records=2)))
    assert [type(i).__name__ for i in items] == ["Article", "InputFailure", "InputFailure"]
    assert "more than max_records=2 pages" in items[-1].reason  # type: ignore[union-attr]
