"""Feeds and fetching against a real HTTP server on 127.0.0.1 serving fictional pages."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.ingest import iter_articles
from storyline.models import Article, InputFailure
from storyline.options import Options
from storyline.sources import failure_kind, summarize_failures
from storyline.sources.feeds import article_id_from_url, iter_feed_articles, looks_like_feed, parse_feed
from storyline.sources.fetch import Fetcher, FetchError, FetchSettings, map_ordered

# ---------------------------------------------------------------- fictional pages


def article_html(title: str, *, site: str = "Harbour Gazette", published: str | None = "2024-03-05",
                 paragraphs: tuple[str, ...] | None = None) -> str:
    paragraphs = paragraphs or (
        f"{title}. The council of Port Ellery met on Tuesday to discuss the harbour ferry timetable.",
        '"We will restore the dawn sailing by April," said Mara Quill, the council\'s head of transport.',
        "Residents had complained for months that the first crossing left too late for the market.",
        "The ferry operator, Ellery Lines, said it would hire four more deckhands before the summer.",
    )
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{title}</title>"
            f'<meta property="og:site_name" content="{site}">{meta}</head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{title}</h1>{body}</article>"
            "<footer>Copyright Harbour Gazette</footer></body></html>")


EMPTY_PAGE = "<!doctype html><html><head><title>Gallery</title></head><body><img src='x.jpg'></body></html>"


@dataclass
class Route:
    """What the server answers for one path: a sequence of (status, body) answers, the last repeated."""

    answers: list[tuple[int, str]]
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


class Server:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return self.base + path

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                route = server.routes.get(self.path)
                headers: tuple[tuple[str, str], ...] = ()
                with server.lock:
                    n = server.hits[self.path]
                    server.hits[self.path] += 1
                    server.user_agents.append(self.headers.get("User-Agent", ""))
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                served = False

                def done() -> None:
                    # counted out before the client can read the answer: a client that frees its
                    # slot on reading it and sends the next request at once is not counted twice
                    nonlocal served
                    if not served:
                        served = True
                        with server.lock:
                            server.in_flight -= 1

                try:
                    if route is None:
                        status, body, ctype = 404, "not here", "text/plain"
                    else:
                        status, body = route.answers[min(n, len(route.answers) - 1)]
                        ctype, headers = route.content_type, route.headers
                        if route.delay:
                            time.sleep(route.delay)
                    data = body.encode("utf-8")
                    done()
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in headers:
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)
                finally:
                    done()

        return Handler


@pytest.fixture()
def server() -> Iterator[Server]:
    srv = Server()
    srv.thread.start()
    try:
        yield srv
    finally:
        srv.httpd.shutdown()
        srv.httpd.server_close()
        srv.thread.join(timeout=5)


@dataclass(frozen=True, slots=True)
class FetchOptions(Options):
    """Options with the fetch fields the lead adds to ``Options`` (read by FetchSettings.from_options)."""

    fetch_timeout: float = 0.5
    fetch_retries: int = 2
    per_host_limit: int = 2
    fetch_concurrency: int = 4
    user_agent: str = ""
    allow_private_hosts: bool = True  # the test server listens on 127.0.0.1


def rss(items: list[tuple[str, str, str | None]], *, title: str = "Harbour Gazette - Local") -> str:
    parts = []
    for item_title, link, pub in items:
        pub_tag = f"<pubDate>{pub}</pubDate>" if pub else ""
        parts.append(f"<item><title>{item_title}</title><link>{link}</link>{pub_tag}</item>")
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>https://harbour.example/</link>{''.join(parts)}</channel></rss>")


def split(items: list[Article | InputFailure]) -> tuple[list[Article], list[InputFailure]]:
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputFailure)]


# ---------------------------------------------------------------- feeds end to end


def test_rss_feed_fetches_pages_in_order_and_reports_each_failure(server: Server) -> None:
    server.routes.update({
        "/a/ferry.html": Route([(200, article_html("Dawn ferry to return"))]),
        "/a/flaky.html": Route([(500, "oops"), (200, article_html("Market hall reopens"))]),
        "/a/slow.html": Route([(200, article_html("Slow story"))], delay=1.5),
        "/a/empty.html": Route([(200, EMPTY_PAGE)]),
        "/a/busy.html": Route([(429, "slow down"), (200, article_html("Lighthouse repainted"))],
                              headers=(("Retry-After", "0"),)),
    })
    server.routes["/feed.rss"] = Route([(200, rss([
        ("Dawn ferry to return", server.url("/a/ferry.html"), "Tue, 05 Mar 2024 18:00:00 +0000"),
        ("Market hall reopens", server.url("/a/flaky.html"), "Wed, 06 Mar 2024 09:00:00 +0000"),
        ("Gone", server.url("/a/missing.html"), None),
        ("Slow story", server.url("/a/slow.html"), None),
        ("Gallery", server.url("/a/empty.html"), None),
        ("Lighthouse repainted", server.url("/a/busy.html"), None),
    ]))], content_type="application/rss+xml")

    items = list(iter_articles([server.url("/feed.rss")], FetchOptions()))

    assert [getattr(i, "title", None) or type(i).__name__ for i in items] == [
        "Dawn ferry to return", "Market hall reopens", "InputFailure", "InputFailure", "InputFailure",
        "Lighthouse repainted",
    ]
    ferry, flaky = items[0], items[1]
    assert isinstance(ferry, Article) and isinstance(flaky, Article)
    assert ferry.url == server.url("/a/ferry.html") and ferry.source == ferry.url
    assert ferry.outlet == "Harbour Gazette - Local"  # the feed's title
    assert ferry.published == date(2024, 3, 5)  # the feed's pubDate
    assert ferry.id == "127.0.0.1-ferry"
    assert "Mara Quill" in ferry.raw and "Copyright" not in ferry.raw
    assert flaky.published == date(2024, 3, 6)
    assert server.hits["/a/flaky.html"] == 2  # the 500 was retried once
    assert server.hits["/a/busy.html"] == 2  # so was the 429
    assert server.hits["/a/missing.html"] == 1  # a 404 is not retried

    missing, slow, empty = items[2], items[3], items[4]
    assert isinstance(missing, InputFailure) and isinstance(slow, InputFailure) and isinstance(empty, InputFailure)
    assert missing.source == server.url("/a/missing.html")
    assert missing.reason == "HTTP 404 Not Found"
    assert slow.source == server.url("/a/slow.html") and slow.reason.startswith("timed out after 0.5s")
    assert empty.source == server.url("/a/empty.html") and "no extractable article text" in empty.reason
    for failure in (missing, slow, empty):
        assert "\n" not in str(failure) and failure.source in str(failure)
    assert summarize_failures([missing, slow, empty]) == {"http error": 1, "no article text": 1, "timeout": 1}


def test_atom_feed_published_not_updated_and_outlet_from_host(server: Server) -> None:
    server.routes["/a/quay.html"] = Route([(200, article_html("Quay wall repaired", published=None))])
    server.routes["/a/bridge.html"] = Route([(200, article_html("Bridge vote", published=None))])
    server.routes["/feed.atom"] = Route([(200, f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><updated>2024-03-09T10:00:00Z</updated>
<entry><title>Quay wall repaired</title><link href="/a/quay.html"/><id>urn:1</id>
  <published>2024-03-07T23:30:00-05:00</published><updated>2024-03-09T10:00:00Z</updated></entry>
<entry><title>Bridge vote</title><link href="{server.url('/a/bridge.html')}"/><id>urn:2</id>
  <updated>2024-03-09T10:00:00Z</updated></entry>
</feed>""")], content_type="application/atom+xml")

    articles, failures = split(list(iter_articles([server.url("/feed.atom")], FetchOptions())))

    assert not failures
    quay, bridge = articles
    assert quay.url == server.url("/a/quay.html")  # relative link resolved against the feed URL
    assert quay.published == date(2024, 3, 7)  # the publisher's own day, not UTC's 8 March
    assert bridge.published is None  # <updated> is not a publication date
    # no feed title: the page's own site name, else the host
    assert quay.outlet == "Harbour Gazette"


def test_local_feed_file_and_sniffed_feed(server: Server, tmp_path: Path) -> None:
    server.routes["/a/ferry.html"] = Route([(200, article_html("Dawn ferry to return"))])
    feed = rss([("Dawn ferry to return", server.url("/a/ferry.html"), None)], title="")
    (tmp_path / "local.rss").write_text(feed, encoding="utf-8")
    (tmp_path / "named.xml").write_text(feed, encoding="utf-8")
    (tmp_path / "saved-feed.txt").write_text(feed, encoding="utf-8")  # sniffed when named
    (tmp_path / "other.xml").write_text("<catalogue><book/></catalogue>", encoding="utf-8")

    walked, failures = split(list(iter_articles([tmp_path], FetchOptions())))
    assert not failures
    # a walk reads .rss and sniffs .txt (a feed saved as text is still a feed), but skips .xml
    assert [a.source for a in walked] == [server.url("/a/ferry.html")] * 2
    assert [a.id for a in walked] == ["127.0.0.1-ferry", "127.0.0.1-ferry-2"]
    assert walked[0].outlet == "Harbour Gazette"  # empty feed title: the page's site name

    named, failures = split(list(iter_articles(
        [tmp_path / "named.xml", tmp_path / "saved-feed.txt", tmp_path / "other.xml"], FetchOptions())))
    assert [a.id for a in named] == ["127.0.0.1-ferry", "127.0.0.1-ferry-2"]
    assert [str(f) for f in failures] == [f"{tmp_path / 'other.xml'}: not an RSS or Atom feed"]


def test_malformed_feeds_fail_once_and_the_run_goes_on(server: Server, tmp_path: Path) -> None:
    server.routes["/a/ferry.html"] = Route([(200, article_html("Dawn ferry to return"))])
    server.routes["/broken.rss"] = Route([(200, "<rss version='2.0'><channel><title>Half")],
                                         content_type="application/rss+xml")
    bad = tmp_path / "bad.rss"
    bad.write_text("this is not a feed < at all", encoding="utf-8")
    recovered = tmp_path / "recovered.rss"
    recovered.write_text(rss([("Dawn ferry", server.url("/a/ferry.html"), None)]).replace("</channel></rss>", ""),
                         encoding="utf-8")
    good = tmp_path / "good.rss"
    good.write_text(rss([("Dawn ferry", server.url("/a/ferry.html"), None)]), encoding="utf-8")

    items = list(iter_articles([server.url("/broken.rss"), bad, recovered, good], FetchOptions()))

    articles, failures = split(items)
    assert len(articles) == 2  # from recovered.rss and good.rss
    assert [f.source for f in failures] == [server.url("/broken.rss"), str(bad), str(recovered)]
    assert failures[0].reason.startswith("malformed feed")
    assert failures[1].reason.startswith("malformed feed") or failures[1].reason == "not an RSS or Atom feed"
    assert re.match(r"malformed feed: .*\(1 entries recovered and read\)", failures[2].reason)
    assert set(summarize_failures(failures)) == {"malformed feed"}


def test_single_article_url_and_missing_host(server: Server) -> None:
    server.routes["/a/ferry.html"] = Route([(200, article_html("Dawn ferry to return"))])
    server.routes["/a/logo.png"] = Route([(200, "PNG")], content_type="image/png")
    items = list(iter_articles([server.url("/a/ferry.html"), server.url("/a/logo.png")], FetchOptions()))
    assert isinstance(items[0], Article) and items[0].title == "Dawn ferry to return"
    assert items[0].published == date(2024, 3, 5)  # the page's own metadata
    assert isinstance(items[1], InputFailure) and "not an HTML page (Content-Type image/png)" in items[1].reason


def test_user_agent_default_and_configured(server: Server) -> None:
    server.routes["/a/ferry.html"] = Route([(200, article_html("Dawn ferry to return"))])
    list(iter_articles([server.url("/a/ferry.html")], FetchOptions()))
    list(iter_articles([server.url("/a/ferry.html")], FetchOptions(user_agent="desk-monitor/2 (ops@news.example)")))
    assert re.fullmatch(r"storyline/\d+\.\d+\.\d+\S* \(\+https://example\.invalid/storyline\)", server.user_agents[0])
    assert server.user_agents[1] == "desk-monitor/2 (ops@news.example)"


# ---------------------------------------------------------------- the fetcher


def test_backoff_doubles_and_gives_up_naming_the_url(server: Server) -> None:
    server.routes["/down"] = Route([(503, "down")])
    waits: list[float] = []
    with Fetcher(FetchSettings(retries=3, backoff=0.25, allow_private_hosts=True), sleep=waits.append) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get(server.url("/down"))
    assert waits == [0.25, 0.5, 1.0]
    assert server.hits["/down"] == 4
    assert str(info.value) == f"{server.url('/down')}: HTTP 503 Service Unavailable (gave up after 4 attempts)"


def test_connect_error_is_retried_then_reported() -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    waits: list[float] = []
    with Fetcher(FetchSettings(retries=2, backoff=0.1, allow_private_hosts=True), sleep=waits.append) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get(f"http://127.0.0.1:{port}/feed")
    assert waits == [0.1, 0.2]
    assert info.value.reason.startswith("cannot connect (ConnectError")
    assert info.value.reason.endswith("(gave up after 3 attempts)")


def test_per_host_limit_holds_under_concurrency(server: Server) -> None:
    for n in range(8):
        server.routes[f"/c/{n}"] = Route([(200, "ok")], delay=0.15)
    with Fetcher(FetchSettings(per_host_limit=2, concurrency=6, allow_private_hosts=True)) as fetcher:
        pages = list(map_ordered(lambda n: fetcher.get(server.url(f"/c/{n}")).url, range(8), window=6))
    assert pages == [server.url(f"/c/{n}") for n in range(8)]  # input order kept
    assert server.max_in_flight == 2


def test_feed_pages_stream_with_a_bounded_window(server: Server) -> None:
    links: list[tuple[str, str, str | None]] = []
    for n in range(30):
        server.routes[f"/s/{n}.html"] = Route([(200, article_html(f"Story number {n} of the day"))])
        links.append((f"Story {n}", server.url(f"/s/{n}.html"), None))
    feed = parse_feed(rss(links).encode(), source="mem.rss")
    with Fetcher(FetchSettings(concurrency=3, allow_private_hosts=True)) as fetcher:
        stream = iter_feed_articles(feed, source="mem.rss", fetcher=fetcher)
        assert isinstance(stream, Generator)
        first = next(stream)
        assert isinstance(first, Article) and first.title == "Story 0"
        fetched = sum(server.hits.values())
        stream.close()
    assert fetched <= 4  # the window (3) plus the one just taken, not all 30


# ---------------------------------------------------------------- small parts


@pytest.mark.parametrize(("data", "expected"), [
    (b'<?xml version="1.0"?>\n<rss version="2.0">', True),
    (b"\xef\xbb\xbf<feed xmlns='http://www.w3.org/2005/Atom'>", True),
    (b'<?xml version="1.0"?><!-- c --><rdf:RDF xmlns:rdf="x">', True),
    (b"<!doctype html><html>", False),
    (b"<catalogue/>", False),
    (b"plain text about an rss <rss>", False),
])
def test_looks_like_feed(data: bytes, expected: bool) -> None:
    assert looks_like_feed(data) is expected


@pytest.mark.parametrize(("url", "expected"), [
    ("https://www.harbour.example/news/2024/03/dawn-ferry.html", "harbour.example-dawn-ferry"),
    ("https://harbour.example/", "harbour.example"),
    ("https://harbour.example/story?id=7", "harbour.example-story"),
    ("https://harbour.example/a b/c%20d.php", "harbour.example-c-20d"),
])
def test_article_id_from_url(url: str, expected: str) -> None:
    assert article_id_from_url(url) == expected


def test_summarize_failures_orders_by_count() -> None:
    fails = [InputFailure("u1", "HTTP 404 Not Found"), InputFailure("u2", "HTTP 500 x (gave up after 4 attempts)"),
             InputFailure("u3", "timed out after 10s (ReadTimeout: x)"), InputFailure("f", "something odd")]
    assert summarize_failures(fails) == {"http error": 2, "something odd": 1, "timeout": 1}


@pytest.mark.parametrize(("reason", "kind"), [
    ("malformed JSON at column 2: Expecting property name", "malformed JSON"),
    ("binary file (contains NUL bytes), not article text", "binary file"),
    ("not UTF-8 text (byte 0xff at offset 3); convert the file to UTF-8", "not UTF-8"),
    ("record has no 'text' or 'html' (or both are empty)", "bad record"),
    ("field 'published' is not an ISO date or datetime: 'soon'", "bad record"),
    ("cannot read file: Permission denied", "unreadable file"),
    ("analysis failed (KeyError: 'x'); please report this as a bug", "analysis failed"),
    ("empty file", "no article text"),
    # a reason no pattern knows is named by its own first words, never "other"
    ("the moon is in the wrong phase: try later", "the moon is in the"),
    ("", "unknown reason"),
])
def test_every_failure_reason_has_a_named_kind(reason: str, kind: str) -> None:
    assert failure_kind(reason) == kind


# ---------------------------------------------------------------- fetch policy


def test_private_hosts_are_refused_unless_allowed(server: Server) -> None:
    server.routes["/a/ferry.html"] = Route([(200, article_html("Dawn ferry"))])
    with Fetcher(FetchSettings(retries=0)) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get(server.url("/a/ferry.html"))
    assert info.value.reason == ("refused: 127.0.0.1 is not a public address; set allow_private_hosts = true to "
                                 "fetch from your own network")
    assert server.hits["/a/ferry.html"] == 0  # nothing was sent
    with Fetcher(FetchSettings(retries=0, allow_private_hosts=True)) as fetcher:
        assert fetcher.get(server.url("/a/ferry.html")).status == 200
    # the setting comes from the options, off by default
    assert FetchSettings.from_options(Options()).allow_private_hosts is False
    [failure] = list(iter_articles([server.url("/a/ferry.html")], Options()))
    assert isinstance(failure, InputFailure) and summarize_failures([failure]) == {"refused host": 1}


def test_a_redirect_to_a_private_address_is_refused(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.sources import fetch

    other = Server()  # the "intranet" host the redirect points at
    other.httpd.server_close()
    other.httpd = type(server.httpd)(("127.0.0.2", 0), other._handler())
    other.routes["/secret"] = Route([(200, "internal")])
    threading.Thread(target=other.httpd.serve_forever, daemon=True).start()
    target = f"http://127.0.0.2:{other.httpd.server_address[1]}/secret"
    server.routes["/go"] = Route([(302, "")], headers=(("Location", target),))
    # 127.0.0.1 plays the public site here; everything else keeps the real rule
    monkeypatch.setattr(fetch, "is_public_address", lambda address: address == "127.0.0.1")
    try:
        with Fetcher(FetchSettings(retries=0)) as fetcher:
            with pytest.raises(FetchError) as info:
                fetcher.get(server.url("/go"))
    finally:
        other.httpd.shutdown()
        other.httpd.server_close()
    assert server.hits["/go"] == 1 and other.hits["/secret"] == 0
    assert info.value.reason.startswith("refused: 127.0.0.2 is not a public address")


def test_the_address_reached_is_checked_not_only_the_dns_answer(server: Server,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.sources import fetch

    server.routes["/a.html"] = Route([(200, article_html("Dawn ferry"))])
    # a resolver that answers with a public address once: the connection still reaches 127.0.0.1
    monkeypatch.setattr(fetch, "resolve", lambda host, port: [(2, 1, 6, "", ("93.184.216.34", port))])
    url = server.url("/a.html").replace("127.0.0.1", "localhost")
    with Fetcher(FetchSettings(retries=0)) as fetcher:
        with pytest.raises(FetchError) as info:
            fetcher.get(url)
    assert info.value.reason.startswith("refused: 127.0.0.1 is not a public address")
    assert server.hits["/a.html"] == 0


@pytest.mark.parametrize(("address", "public"), [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("127.8.9.10", False), ("10.1.2.3", False), ("172.16.0.1", False), ("172.31.255.1", False),
    ("192.168.1.1", False), ("169.254.169.254", False), ("0.0.0.0", False), ("100.64.0.1", False),
    ("::1", False), ("fe80::1", False), ("fc00::1", False), ("fd12:3456::1", False), ("::ffff:127.0.0.1", False),
    ("::ffff:10.0.0.1", False), ("2002:0a00:0001::1", False), ("224.0.0.1", False), ("not an address", False),
    ("172.32.0.1", True),
])
def test_is_public_address(address: str, public: bool) -> None:
    from storyline.sources.fetch import is_public_address

    assert is_public_address(address) is public


def test_a_dripping_server_is_cut_off_at_the_deadline() -> None:
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
            while not stop.is_set():
                try:
                    conn.sendall(b"x")
                except OSError:
                    return
                time.sleep(0.02)

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
    try:
        with Fetcher(FetchSettings(retries=0, timeout=5, deadline=0.3, allow_private_hosts=True)) as fetcher:
            with pytest.raises(FetchError) as info:
                fetcher.get(url)
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
    assert info.value.reason == "timed out: the answer took more than fetch_deadline=0.3s; raise fetch_deadline"
