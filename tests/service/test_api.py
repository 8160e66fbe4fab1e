"""The HTTP API against a live uvicorn server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from svc_support import TOKEN, LiveServer

from storyline.report import SCHEMA

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client(live_server: LiveServer) -> Iterator[httpx.Client]:
    with live_server.client() as c:
        yield c


def wait_for_job(client: httpx.Client, url: str) -> dict[str, Any]:
    """Poll a job's URL until the worker is done with it (bounded: a hung worker fails the test)."""
    for _ in range(1200):
        job: dict[str, Any] = client.get(url, headers=AUTH).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {url} still {job['status']}")


def _story_id(client: httpx.Client, title_part: str) -> str:
    stories = client.get("/stories", params={"limit": 500}).json()["stories"]
    return next(s["id"] for s in stories if title_part in s["title"])


def test_story_list_newest_first_with_counts(client: httpx.Client) -> None:
    r = client.get("/stories")
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 2
    times = [s["updated_at"] for s in body["stories"]]
    assert times == sorted(times, reverse=True)
    harbour = next(s for s in body["stories"] if "Harbour bridge" in s["title"])
    assert harbour["article_count"] == 2 and harbour["outlet_count"] == 2 and harbour["conflict_count"] >= 1


def test_story_is_a_report(client: httpx.Client) -> None:
    sid = _story_id(client, "Harbour bridge")
    report = client.get(f"/stories/{sid}").json()
    assert report["schema"] == SCHEMA
    assert report["stories"][0]["id"] == sid
    assert {a["outlet"] for a in report["stories"][0]["articles"]} == {"Harbour Times", "Coast Herald"}


def test_article_with_spans(client: httpx.Client) -> None:
    art = client.get("/articles/zoo-note").json()
    assert art["outlet"] == "Valley Post" and art["published"] == "2024-05-01"
    for q in art["quotes"]:
        assert art["text"][q["start"]:q["end"]] == q["text"]


def test_search(client: httpx.Client) -> None:
    hits = client.get("/search", params={"q": "pandas"}).json()["hits"]
    assert hits and all(h["article_id"] == "zoo-note" for h in hits)


def test_openapi_lists_the_endpoints(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/articles", "/stories", "/stories/{story_id}", "/articles/{article_id}", "/search"} <= set(spec["paths"])
    assert "post" in spec["paths"]["/articles"]


def test_post_needs_the_token(client: httpx.Client) -> None:
    body = {"text": "Some words that make an article about nothing at all today."}
    assert client.post("/articles", json=body).status_code == 401
    r = client.post("/articles", json=body, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error"]["message"]


def test_post_stores_once_and_joins_the_story(client: httpx.Client) -> None:
    sid = _story_id(client, "Harbour bridge")
    article = {"id": "bay-gazette", "outlet": "Bay Gazette", "url": "https://baygazette.example/bridge",
               "published": "2024-03-05", "title": "Harbour bridge closure begins Monday",
               "text": "Kingsport's harbour bridge will close for 3 weeks from Monday, the city council said.\n"
                       "\"We have no choice but to close the harbour bridge,\" Mayor Alma Reyes said."}
    r = client.post("/articles", json=article, headers=AUTH)
    assert r.status_code == 202, r.text
    assert r.headers["location"] == r.json()["status_url"] == f"/jobs/{r.json()['id']}"
    job = wait_for_job(client, r.json()["status_url"])
    assert job["result"]["stored"] == ["bay-gazette"] and job["result"]["stories"] == [sid]
    again = client.post("/articles", json={"articles": [article]}, headers=AUTH)
    assert again.status_code == 200 and again.json()["result"]["duplicates"] == ["bay-gazette"]
    assert again.json()["id"] is None  # nothing queued
    story = client.get(f"/stories/{sid}").json()["stories"][0]
    assert "bay-gazette" in {a["id"] for a in story["articles"]}
    assert client.get("/stories").json()["stories"][0]["id"] == sid, "newest activity first"


MALFORMED = [
    ("POST", "/articles", b"{not json", JSON, 400),
    ("POST", "/articles", b"", JSON, 422),
    ("POST", "/articles", b"null", JSON, 422),
    ("POST", "/articles", b"42", JSON, 422),
    ("POST", "/articles", b"[]", JSON, 422),
    ("POST", "/articles", b'{"text": 5}', JSON, 422),
    ("POST", "/articles", b'{"text": "   "}', JSON, 422),
    ("POST", "/articles", b'{"text": "x y z w", "published": "yesterday"}', JSON, 422),
    ("POST", "/articles", b'{"text": "x y z w", "unknown": 1}', JSON, 422),
    ("POST", "/articles", b'{"articles": "no"}', JSON, 422),
    ("POST", "/articles", json.dumps([{"text": "a b c d"}] * 6).encode(), JSON, 413),
    ("POST", "/articles", b'{"text": "' + b"x" * 300_000 + b'"}', JSON, 413),
    ("POST", "/articles", b"\xff\xfe\x00garbage", JSON, 400),
    # issue 24: records that crashed the file readers answer 4xx here, never 500
    ("POST", "/articles", b'{"text": "Ferry \\ud800 runs at dawn.", "title": "T\\udfff"}', JSON, 422),
    ("POST", "/articles", b'{"text": "a b c d", "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", JSON, 400),
    ("POST", "/articles", b'{"text": "a b c d", "n": ' + b"9" * 5_000 + b"}", JSON, 400),
    ("POST", "/articles", json.dumps({"text": "a b c d", "published": "9" * 40_000}).encode(), JSON, 422),
    ("POST", "/articles", b"text=hello", {"Content-Type": "application/x-www-form-urlencoded"}, 422),
    ("GET", "/stories?limit=abc", b"", {}, 422),
    ("GET", "/stories?limit=-1", b"", {}, 422),
    ("GET", "/stories?offset=99999999999999999999", b"", {}, 422),
    ("GET", "/stories/does-not-exist", b"", {}, 404),
    ("GET", "/stories/%00", b"", {}, 404),
    ("GET", "/articles/..%2F..%2Fetc", b"", {}, 404),
    ("GET", "/search", b"", {}, 422),
    ("GET", "/search?q=", b"", {}, 422),
    ("GET", "/search?q=" + "a" * 600, b"", {}, 422),
    ("GET", "/search?q=%22AND(", b"", {}, 200),
    ("GET", "/nope", b"", {}, 404),
    ("DELETE", "/stories", b"", {}, 405),
    ("PUT", "/articles", b"{}", JSON, 405),
]


@pytest.mark.parametrize(("method", "path", "body", "headers", "status"), MALFORMED,
                         ids=[f"{m} {p[:40]} {b[:16]!r}" for m, p, b, _, _ in MALFORMED])
def test_malformed_requests_get_clear_4xx(client: httpx.Client, method: str, path: str, body: bytes,
                                          headers: dict[str, str], status: int) -> None:
    h = {**AUTH, **headers} if method == "POST" else headers
    r = client.request(method, path, content=body or None, headers=h)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    if status != 200:
        err = r.json()["error"]
        assert err["status"] == status and err["message"]


def test_streamed_body_over_the_limit(live_server: LiveServer) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}'

    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        r = c.post("/articles", content=chunks(), headers={**AUTH, **JSON})
    assert r.status_code == 413 and r.json()["error"]["status"] == 413


def test_unreadable_content_length(live_server: LiveServer) -> None:
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Length: abc\r\n\r\n{}")
        answer = sock.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 400"), answer[:200]


def test_pages_answer_errors_in_html(client: httpx.Client) -> None:
    r = client.get("/ui/stories/nope")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "no story" in r.text
    assert client.get("/ui/?page=zero").status_code == 422


def test_untrusted_text_is_escaped(client: httpx.Client) -> None:
    sid = _story_id(client, "pandas")
    for path in (f"/ui/stories/{sid}", "/ui/articles/zoo-note", "/ui/search?q=pandas", "/ui/"):
        html = client.get(path).text
        assert "<script>alert" not in html, path
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in client.get("/ui/articles/zoo-note").text
    r = client.get("/ui/search", params={"q": "<img src=x onerror=alert(1)>"})
    assert "<img src=x" not in r.text and "&lt;img src=x" in r.text


def test_server_never_answered_500(live_server: LiveServer, client: httpx.Client) -> None:
    client.get("/health")
    log = live_server.db.with_suffix(".log").read_text(errors="replace")
    assert "Traceback" not in log and " 500" not in log


def test_ids_of_any_characters_are_reachable(client: httpx.Client) -> None:
    from urllib.parse import quote

    article_id = "desk/2024/03 ferry?#%"
    body = {"id": article_id, "outlet": "Desk", "text": "The Corran ferry ran late on Monday, the operator said. "
            "\"We are short of crew,\" said Ilse Wendt, the operator's spokeswoman."}
    r = client.post("/articles", json=body, headers=AUTH)
    assert r.status_code == 202, r.text
    assert wait_for_job(client, r.json()["status_url"])["result"]["stored"] == [article_id]
    encoded = quote(article_id, safe="")
    art = client.get(f"/articles/{encoded}")
    assert art.status_code == 200 and art.json()["id"] == article_id
    page = client.get(f"/ui/articles/{encoded}")
    assert page.status_code == 200 and "Corran ferry" in page.text
    story = client.get(f"/ui/stories/{art.json()['story_id']}")
    assert f'href="/ui/articles/{encoded}"' in story.text


def test_no_docs_from_a_cdn_and_security_headers(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200
    for path in ("/ui/", "/stories", "/ui/stories/nope"):
        h = client.get(path).headers
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY", path
        csp = h["content-security-policy"]
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert h["referrer-policy"] == "same-origin"
