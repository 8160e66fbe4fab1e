"""Service settings that keep it closed: fail-closed reads, the sign-in cookie, the queue's worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from svc_support import TOKEN, make_article

from storyline.errors import ConfigError
from storyline.options import Options
from storyline.service.api import create_app
from storyline.service.config import ServiceConfig
from storyline.service.dependencies import SESSION_COOKIE
from storyline.service.store import Store
from storyline.service.worker import run_worker


def test_reads_required_without_a_token_refuse_to_start() -> None:
    with pytest.raises(ConfigError, match="read_token_required is true but no token is configured"):
        create_app(ServiceConfig(read_token_required=True, worker=False), Options())


def test_serve_refuses_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    monkeypatch.setenv("STORYLINE_CONFIG", str(tmp_path / "none.cfg"))
    monkeypatch.setenv("STORYLINE_READ_TOKEN_REQUIRED", "true")
    monkeypatch.delenv("STORYLINE_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "no token is configured" in result.stderr


def test_serve_help_states_the_read_policy() -> None:
    from typer.testing import CliRunner

    from storyline.cli import app

    text = " ".join(CliRunner().invoke(app, ["serve", "--help"]).stdout.split())
    assert "reads (stories, articles, search, the pages) are OPEN" in text and "read_token_required" in text


@pytest.fixture
def closed(tmp_path: Path) -> Iterator[TestClient]:
    store = Store(f"sqlite:///{tmp_path / 'closed.db'}")
    cfg = ServiceConfig(token=TOKEN, read_token_required=True, worker=False)
    with TestClient(create_app(cfg, Options(), store=store), follow_redirects=False) as client:
        yield client
    store.close()


def test_a_browser_signs_in_with_the_token_and_gets_a_read_cookie(closed: TestClient) -> None:
    page = closed.get("/ui/search?q=ferry")
    assert page.status_code == 303 and page.headers["location"] == "/ui/login?next=%2Fui%2Fsearch"
    assert closed.get("/stories").status_code == 401  # programs get the API's answer
    assert closed.get("/ui/login").status_code == 200
    wrong = closed.post("/ui/login", data={"token": "nope", "next": "/ui/search"})
    assert wrong.status_code == 403 and SESSION_COOKIE not in wrong.cookies
    ok = closed.post("/ui/login", data={"token": TOKEN, "next": "https://elsewhere.example/"})
    assert ok.status_code == 303 and ok.headers["location"] == "/ui/"  # never sent to another site
    cookie = ok.cookies[SESSION_COOKIE]
    assert cookie != TOKEN
    set_cookie = ok.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie
    assert closed.get("/ui/").status_code == 200
    assert closed.get("/stories").status_code == 200
    # the cookie proves the token for reads only: it is no bearer token for writes
    r = closed.post("/articles", json={"text": "a b c d e f"}, headers={"Authorization": f"Bearer {cookie}"})
    assert r.status_code == 403
    closed.post("/ui/logout")
    closed.cookies.clear()
    assert closed.get("/ui/").status_code == 303


def test_queued_writes_are_stored_by_a_worker_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'q.db'}"
    cfg = ServiceConfig(token=TOKEN, worker=False)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    records = [{"id": a.id, "text": a.raw, "url": a.url, "outlet": a.outlet} for a in map(make_article, range(3))]
    with Store(url) as store, TestClient(create_app(cfg, Options(), store=store)) as client:
        first = client.post("/articles", json={"articles": records[:2]}, headers=auth)
        second = client.post("/articles", json=records[1:], headers=auth)  # overlaps the first
        assert first.status_code == second.status_code == 202
        assert client.get(first.json()["status_url"], headers=auth).json()["status"] == "queued"
        assert client.get(first.json()["status_url"]).status_code == 401
        assert client.get("/health").json()["queued"] == 2
        run_worker(url, Options(), drain=True)
        done = [client.get(r.json()["status_url"], headers=auth).json() for r in (first, second)]
        assert [j["status"] for j in done] == ["done", "done"]
        assert done[0]["result"]["stored"] == [records[0]["id"], records[1]["id"]]
        assert done[1]["result"]["stored"] == [records[2]["id"]]
        assert done[1]["result"]["duplicates"] == [records[1]["id"]]
        assert sorted(store.article_ids()) == sorted(r["id"] for r in records)
        assert client.get("/jobs/nope", headers=auth).status_code == 404


def test_a_job_whose_lease_ran_out_is_stored_by_its_new_worker_only(store_url: str) -> None:
    from storyline.service.store import LostLease

    records = [{"id": a.id, "text": a.raw, "url": a.url, "outlet": a.outlet} for a in map(make_article, range(2))]
    with Store(store_url) as store:
        job = store.enqueue(records)
        slow = store.claim(lease=-1)  # a worker whose lease has already run out (stalled, say)
        fast = store.claim(lease=60)
        assert slow is not None and fast is not None and (slow.attempts, fast.attempts) == (1, 2)
        assert store.claim(lease=60) is None  # held: nobody else takes it
        assert not store.renew(slow, lease=60) and store.renew(fast, lease=60)
        with pytest.raises(LostLease):
            store.run_job(slow, Options())
        assert store.article_ids() == [] and store.job(job.id).status == "running"
        result = store.run_job(fast, Options())
        assert sorted(result.stored) == sorted(r["id"] for r in records)
        done = store.job(job.id)
        assert done.status == "done" and done.result is not None and done.result["stored"] == list(result.stored)


def test_a_job_that_stopped_its_workers_too_often_fails_and_the_next_is_taken(store_url: str) -> None:
    from storyline.service.store import MAX_ATTEMPTS

    records = [{"id": a.id, "text": a.raw} for a in map(make_article, range(2))]
    with Store(store_url) as store:
        poison = store.enqueue(records[:1])
        nxt = store.enqueue(records[1:])
        for _ in range(MAX_ATTEMPTS):  # each worker that took it died: its lease ran out
            taken = store.claim(lease=-1)
            assert taken is not None and taken.id == poison.id
        taken = store.claim(lease=60)
        assert taken is not None and taken.id == nxt.id
        failed = store.job(poison.id)
        assert failed.status == "failed" and failed.result is not None
        assert f"stopped {MAX_ATTEMPTS} times" in failed.result["error"]


def test_a_queued_article_over_max_chars_fails_alone_naming_the_setting(tmp_path: Path) -> None:
    records = [{"id": a.id, "text": a.raw} for a in map(make_article, range(2))]
    records.insert(0, {"id": "long", "text": "The ferry sailed at dawn, the harbour master said. " * 40})
    with Store(f"sqlite:///{tmp_path / 'q.db'}") as store:
        job = store.enqueue(records)
        taken = store.claim(lease=60)
        assert taken is not None and taken.id == job.id
        result = store.run_job(taken, Options(max_chars=1_000))
        assert sorted(result.stored) == sorted(r["id"] for r in records[1:])
        done = store.job(job.id)
        assert done.status == "done" and done.result is not None
        [failure] = done.result["failures"]
        assert failure["source"].startswith("articles[0]") and "more than max_chars=1000" in failure["reason"]
        assert sorted(store.article_ids()) == sorted(r["id"] for r in records[1:])
