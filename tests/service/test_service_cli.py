"""The service commands through Typer's CliRunner; feeds come from a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import typer
from svc_support import CORPUS, make_article
from typer.testing import CliRunner

from storyline.options import Options
from storyline.service.cli import register
from storyline.service.web import Segment, paragraph_bounds, segments

app = typer.Typer()
register(app)


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, corpus: object):  # type: ignore[no-untyped-def]
    """Invoke a service command against a fresh SQLite store (corpus fixture: model loaded once)."""
    monkeypatch.setenv("STORYLINE_CONFIG", str(tmp_path / "none.cfg"))
    db = tmp_path / "cli.db"

    def invoke(*args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(app, [*args, "--db", str(db)])
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_ingest_stories_show_search(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "news"
    folder.mkdir()
    for r in CORPUS:
        (folder / f"{r['id']}.json").write_text(json.dumps(r), encoding="utf-8")
    (folder / "broken.json").write_text("{nope", encoding="utf-8")
    code, out, err = run("ingest", str(folder))
    assert code == 1 and "broken.json" in err and "stored 3 article(s)" in out
    code, out, _ = run("ingest", str(folder), "--quiet")
    assert "stored 0 article(s), 3 already stored" in out
    code, out, _ = run("stories", "--format", "json")
    stories = json.loads(out)
    assert code == 0 and len(stories) == 2
    harbour = next(s for s in stories if "bridge" in s["title"].lower())
    code, out, _ = run("show", harbour["id"], "--format", "json")
    assert code == 0 and json.loads(out)["schema"] == "storyline.report/1"
    code, out, _ = run("show", harbour["id"], "--format", "md")
    assert code == 0 and "Alma Reyes" in out
    code, out, _ = run("search", "pandas")
    assert code == 0 and "zoo-note" in out
    code, out, _ = run("stories")
    assert code == 0 and harbour["id"] in out


def test_odd_names_and_encodings_are_stored_with_their_text(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    from storyline.service.store import Store

    folder = tmp_path / "odd"
    folder.mkdir()
    text = "Ms Zoë Brûlé said the café’s pier would reopen on Friday, the harbour clerk said."
    with open(os.fsencode(folder) + b"/caf\xe9.txt", "wb") as handle:  # a Latin-1 file name
        handle.write(text.encode("utf-8"))
    (folder / "wide.txt").write_bytes(text.replace("Friday", "Monday").encode("utf-16"))
    (folder / "page.html").write_bytes(
        f'<html><head><meta charset="windows-1252"></head><body><article><p>{text.replace("Friday", "Sunday")}'
        "</p><p>The ferry &#12;ran late.</p></article></body></html>".encode("cp1252"))
    code, out, err = run("ingest", str(folder))
    assert code == 0, err
    with Store(f"sqlite:///{tmp_path / 'cli.db'}") as store:
        stored = {i: store.article(i).analysis.article.text for i in store.article_ids()}
    assert set(stored) == {"caf\\xe9", "wide", "page"}
    assert all("Zoë Brûlé said the café’s pier" in t for t in stored.values())
    assert "The ferry ran late." in stored["page"]


def test_errors_are_one_line(run) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run("show", "S-missing")
    assert code == 2 and err.strip().startswith("storyline: error: no story 'S-missing'")
    code, _, err = run("ingest", "/no/such/dir")
    assert code == 1 and "no such file or directory" in err


class _Feed(BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        ctype, body = self.pages.get(self.path, ("text/plain", b""))
        self.send_response(200 if self.path in self.pages else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Feed)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    a, b = make_article(1, "cider"), make_article(2, "cider")
    page = f"<html><head><title>Cider one</title></head><body><article><h1>Cider one</h1>" \
           f"{''.join(f'<p>{line}</p>' for line in a.raw.splitlines())}</article></body></html>"
    rss = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Cider news</title>
      <item><title>Cider one</title><link>{base}/one.html</link><pubDate>Tue, 01 Oct 2024 10:00:00 GMT</pubDate></item>
      <item><title>Cider two</title><link>{base}/gone.html</link><description>{b.raw}</description></item>
      <item><title>Empty</title><link>{base}/missing.html</link></item>
    </channel></rss>"""
    _Feed.pages = {"/feed.xml": ("application/rss+xml", rss.encode()), "/one.html": ("text/html", page.encode())}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def test_ingest_a_feed(run, feed_server: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run("ingest", f"{feed_server}/feed.xml")
    assert code == 1 and "refused: 127.0.0.1 is not a public address" in err  # the default policy
    monkeypatch.setenv("STORYLINE_ALLOW_PRIVATE_HOSTS", "true")  # the test server listens on 127.0.0.1
    code, out, err = run("ingest", f"{feed_server}/feed.xml")
    assert "stored 1 article(s)" in out, err
    assert code == 1 and "gone.html" in err and "missing.html" in err  # pages that 404 are failures
    code, out, _ = run("ingest", f"{feed_server}/feed.xml")
    assert "stored 0 article(s), 1 already stored" in out
    code, out, _ = run("search", "cider")
    assert "cider-1" in out or "one" in out


SEGMENT_CASES = [
    ("abcdef", 0, 6, [], [Segment("abcdef", "")]),
    ("abcdef", 0, 6, [(1, 3, "q")], [Segment("a", ""), Segment("bc", "q"), Segment("def", "")]),
    ("abcdef", 0, 6, [(0, 4, "q"), (2, 6, "cl")],
     [Segment("ab", "q"), Segment("cd", "cl q"), Segment("ef", "cl")]),
    ("abcdef", 2, 4, [(0, 6, "q")], [Segment("cd", "q")]),
    ("abcdef", 0, 6, [(3, 3, "q"), (9, 12, "x")], [Segment("abcdef", "")]),  # empty and outside spans
]


@pytest.mark.parametrize(("text", "start", "end", "spans", "expected"), SEGMENT_CASES)
def test_segments(text: str, start: int, end: int, spans: list[tuple[int, int, str]],
                  expected: list[Segment]) -> None:
    got = segments(text, start, end, spans)
    assert got == expected
    assert "".join(s.text for s in got) == text[start:end]


def test_paragraph_bounds() -> None:
    text = "one two\n\nthree four\n\nfive"
    assert paragraph_bounds(text, 10, 14) == (9, 19)
    assert text[slice(*paragraph_bounds(text, 0, 3))] == "one two"
    assert text[slice(*paragraph_bounds(text, 21, 25))] == "five"


def test_options_fixture_default(options: Options) -> None:
    assert options.cluster_threshold > 0
