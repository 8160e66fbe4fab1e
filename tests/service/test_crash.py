"""Kill the ingest process mid-batch (SIGKILL, inside the open transaction), or after its last
batch before it reconciles the stories it grew, restart it, and check that nothing is lost,
half-stored, duplicated or left stale."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from svc_support import make_article, service_env, story_article

from storyline.service.models import STORIES
from storyline.service.store import PAUSE_ENV, Store

N, BATCH = 6, 2


def _write_inputs(folder: Path) -> list[str]:
    folder.mkdir()
    ids = []
    for n in range(N):
        a = make_article(n)
        (folder / f"{a.id}.json").write_text(json.dumps({"id": a.id, "text": a.raw, "url": a.url,
                                                         "outlet": a.outlet}), encoding="utf-8")
        ids.append(a.id)
    return ids


def _ingest(folder: Path, db: Path, **env: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "storyline.service", "ingest", str(folder), "--db", str(db),
                             "--batch-size", str(BATCH)], env=service_env(db, **env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_at(proc: subprocess.Popen[bytes], marker: Path, where: str) -> None:
    """Wait until the paused ingest writes ``marker`` (it reached ``where``), then kill -9 it."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"ingest never reached {where}"
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)


def test_kill_mid_batch_then_resume(tmp_path: Path) -> None:
    ids = _write_inputs(tmp_path / "in")
    db = tmp_path / "crash.db"
    marker = tmp_path / "in-batch-2"
    proc = _ingest(tmp_path / "in", db, **{PAUSE_ENV: f"2:{marker}"})
    # batch 2 has written an article row inside its open transaction: kill it there
    _kill_at(proc, marker, "batch 2")
    with Store(f"sqlite:///{db}") as store:
        assert store.article_ids() == ids[:BATCH], "only the committed first batch is stored"
        assert store.search("Sen2") == [] and store.search("Sen3") == []
        n_stories, _ = store.count()
        assert n_stories >= 1
    proc = _ingest(tmp_path / "in", db)
    out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err.decode()
    assert f"stored {N - BATCH} article(s), {BATCH} already stored" in out.decode()
    with Store(f"sqlite:///{db}") as store:
        assert sorted(store.article_ids()) == sorted(ids)
        assert sum(s.article_count for s in store.stories(limit=100)) == N
        for aid in ids:
            assert len([h for h in store.search(aid.split("-")[1] + " tonnes") if h.kind == "article"]) >= 1
        # every article's search entries exist exactly once
        hits = [h for h in store.search("cooperative Westvale", limit=200) if h.kind == "article"]
        assert sorted(h.article_id for h in hits) == sorted(ids)


def test_kill_the_worker_mid_job_then_the_job_is_done_once(tmp_path: Path) -> None:
    db = tmp_path / "queue.db"
    records = [{"id": a.id, "text": a.raw, "url": a.url, "outlet": a.outlet} for a in map(make_article, range(N))]
    with Store(f"sqlite:///{db}") as store:
        job = store.enqueue(records)
    marker = tmp_path / "in-job"

    def worker(**env: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "storyline.service", "worker", "--db", str(db), "--drain",
                                 "--lease", "1"], env=service_env(db, **env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    proc = worker(**{PAUSE_ENV: f"1:{marker}"})
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the worker never reached the store"
        time.sleep(0.1)
    proc.send_signal(signal.SIGKILL)  # inside the transaction that stores the job's articles
    proc.communicate(timeout=30)
    with Store(f"sqlite:///{db}") as store:
        assert store.article_ids() == [] and store.job(job.id).status == "running"
    time.sleep(1.5)  # the killed worker's lease runs out
    proc = worker()
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    with Store(f"sqlite:///{db}") as store:
        done = store.job(job.id)
        assert done.status == "done" and done.attempts == 2
        assert done.result is not None and sorted(done.result["stored"]) == sorted(r["id"] for r in records)
        assert sorted(store.article_ids()) == sorted(r["id"] for r in records)


def _stale(store: Store) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.execute(select(STORIES.c.id).where(STORIES.c.stale_since.is_not(None))).scalars())


@pytest.mark.parametrize("then", ["ingest", "worker"])
def test_kill_before_the_stories_are_reconciled_then_the_next_run_does_it(tmp_path: Path, then: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    articles = [story_article(n) for n in range(N)]
    for a in articles:
        (folder / f"{a.id}.json").write_text(json.dumps({"id": a.id, "text": a.raw, "url": a.url,
                                                         "outlet": a.outlet}), encoding="utf-8")
    db = tmp_path / "stale.db"
    marker = tmp_path / "before-reconcile"
    proc = _ingest(folder, db, **{PAUSE_ENV: f"reconcile:{marker}"})
    # every batch is committed, the story they grew is not reconciled yet: kill it there
    _kill_at(proc, marker, "its end")
    with Store(f"sqlite:///{db}") as store:
        assert sorted(store.article_ids()) == sorted(a.id for a in articles)
        (summary,) = store.stories()
        assert _stale(store) == {summary.id}, "the batches marked the story they grew"
        story = store.story(summary.id)  # the last whole report: the first batch's
        assert {a["id"] for a in story["articles"]} == {a.id for a in articles[:BATCH]}
        assert summary.article_count == BATCH
    if then == "ingest":  # everything is stored already; the run only reconciles
        proc = _ingest(folder, db)
    else:
        proc = subprocess.Popen([sys.executable, "-m", "storyline.service", "worker", "--db", str(db), "--drain"],
                                env=service_env(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    with Store(f"sqlite:///{db}") as store:
        assert _stale(store) == set()
        (summary,) = store.stories()
        story = store.story(summary.id)
        assert sorted(a["id"] for a in story["articles"]) == sorted(a.id for a in articles)
        assert summary.article_count == N
