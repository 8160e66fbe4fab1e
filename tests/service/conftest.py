"""Fixtures for the service: analysed articles (parsed once), stores on SQLite and on a real
PostgreSQL 15, and a live uvicorn server on 127.0.0.1."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from svc_support import PG_URL, SEEDS, TOKEN, LiveServer, corpus_articles, free_port, service_env

from storyline.analyze import iter_analyses
from storyline.clean import clean
from storyline.models import Analysis
from storyline.options import Options
from storyline.pipeline import collect
from storyline.service.store import Store


@pytest.fixture(scope="session")
def options() -> Options:
    return Options()


@pytest.fixture(scope="session")
def corpus(options: Options) -> list[Analysis]:
    """The corpus, cleaned and analysed once per session."""
    return list(iter_analyses([clean(a, options) for a in corpus_articles()], options))


@pytest.fixture(scope="session")
def seeds(options: Options) -> list[Analysis]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    cleaned, failures = collect([SEEDS], options)
    assert not failures
    return list(iter_analyses(cleaned, options))


# ---------------------------------------------------------------- PostgreSQL


def _pg_reachable(url: str) -> str | None:
    """None when PostgreSQL answers at ``url``, else the reason it does not."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


@pytest.fixture(scope="session")
def pg_base_url() -> str:
    """A PostgreSQL URL the tests may create schemas in; skips with the reason when there is none."""
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    reason = _pg_reachable(PG_URL)
    if reason and shutil.which("pg_ctlcluster"):
        subprocess.run(["pg_ctlcluster", "15", "main", "start"], capture_output=True, timeout=60, check=False)
        reason = _pg_reachable(PG_URL)
    if reason:
        pytest.skip(f"PostgreSQL 15 not reachable at {PG_URL} ({reason}); .ci/run starts it and creates the "
                    "role and database, or set STORYLINE_TEST_PG_URL")
    return PG_URL


@pytest.fixture
def pg_url(pg_base_url: str) -> Iterator[str]:
    """A fresh schema per test, dropped afterwards."""
    import psycopg

    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_base_url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    url = pg_base_url.replace("postgresql://", "postgresql+psycopg://", 1)
    yield f"{url}?options=-csearch_path%3D{schema}"
    with psycopg.connect(pg_base_url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as s:
        yield s


# ---------------------------------------------------------------- live server


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory, corpus: list[Analysis], options: Options,
                request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """uvicorn on a random 127.0.0.1 port over a SQLite store holding the corpus (and the seeds)."""
    db = tmp_path_factory.mktemp("live") / "live.db"
    analyses = list(corpus)
    if SEEDS.is_dir():
        analyses = request.getfixturevalue("seeds") + analyses
    with Store(f"sqlite:///{db}") as s:
        s.add(analyses, options)
    port = free_port()
    log = open(db.with_suffix(".log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "storyline.service.api:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=service_env(db, STORYLINE_TOKEN=TOKEN, STORYLINE_MAX_BODY_BYTES="200000", STORYLINE_MAX_BATCH="5"),
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("live server did not start:\n" + db.with_suffix(".log").read_text(errors="replace"))
        time.sleep(0.2)
    try:
        yield LiveServer(url, db, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            # the server waits for its worker to finish a job (or load its model): end it, and reap
            # it, or the unreaped process is a ResourceWarning at the end of the session
            proc.kill()
            proc.wait()
        log.close()
