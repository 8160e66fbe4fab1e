r"""The persistent store: articles, their analyses and the stories they form.

    StorylineError
    └── StoreError        the store cannot be opened, migrated or written
        ├── NotFoundError a story, article or job id that is not stored
        └── LostLease     a worker's claim on a job ran out and another worker took the job

Writes happen in batches, each in one transaction: a crash or kill mid-batch leaves
nothing of that batch behind, and running the same ingest again resumes (articles
already stored are recognised by URL or content hash and skipped). Stories grow
incrementally: the story engine of :mod:`storyline.cluster` (the one ``analyze`` runs) keeps
its graph in the store (:mod:`.graph`), places new articles, merges and splits the stories
they touch -- the stored stories are those of ``analyze`` on all the articles at once -- and
only the stories whose members changed are reconciled again: by ``add`` in its transaction; by
``ingest`` and the queue's worker once per run (or per burst of jobs), the batches marking the
stories they grow stale (``stale_since``) in their own transactions, so a kill in between leaves
marks the next run or worker clears (:meth:`Store.reconcile_stale`). A reader sees a story's
last whole report until then, never a half-written one.

The ``jobs`` table is the API's write queue: ``enqueue`` records an accepted batch,
a worker (:mod:`.worker`) ``claim``\ s it under a lease it keeps renewing, and
``run_job`` analyses it and stores the articles and the job's result in one
transaction -- so a worker killed mid-job leaves the job to be claimed again when its
lease runs out, and nothing half-stored.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, and_, bindparam, create_engine, event, func, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from ..analyze import iter_analyses
from ..articles import article_from_record
from ..clean import clean
from ..cluster import ClusterSettings, DocVector, StoryEngine
from ..dedup import SourceGrouper
from ..errors import InputError, StorylineError
from ..models import Analysis, Article, InputFailure
from ..nlp import load_pipeline
from ..options import Options
from ..reconcile import reconcile
from ..report import SCHEMA, outlet_count, plain
from ..sentence_encoder import load_embedder
from .graph import SqlState
from .models import ARTICLES, JOBS, STORIES
from .serialize import analysis_from_dict, analysis_to_dict

__all__ = ["ArticleRecord", "IngestResult", "Job", "LostLease", "NotFoundError", "SearchHit", "Store", "StoreError",
           "StorySummary", "content_hash"]

#: Test hook for the crash tests: "N:PATH" makes batch N touch PATH and stall before its commit;
#: "reconcile:PATH" makes an ingest run stall after its last batch, before reconciling its stories.
PAUSE_ENV = "STORYLINE_TEST_PAUSE_IN_BATCH"
_PG_LOCK = 0x5709_11E  # advisory lock serialising writers on PostgreSQL
_IN_CHUNK = 500  # ids per IN (...) list
_GROUPERS = 16  # stories whose source grouper is kept in memory between reconciliations
#: Seconds of an ingest run after which the stories it grew are reconciled before it ends, so a
#: long run shows its stories growing; a short run reconciles each story once, at its end.
RECONCILE_EVERY = 60.0
#: ``ingest`` analyses this many batches' articles together before storing them batch by batch: a
#: window large enough for a pool of processes to pay (``workers = auto``), small enough that a
#: killed run loses little analysis (nothing stored is lost: batches commit one at a time).
AHEAD = 16
_WORD = re.compile(r"\w+")


class StoreError(StorylineError):
    """The store cannot be opened, migrated, read or written."""


class NotFoundError(StoreError):
    """No story, article or job with the given id is stored."""


class LostLease(StoreError):
    """A job's lease ran out while its worker ran it, and another worker claimed it: this
    worker's result is dropped (its transaction rolled back) so the job is stored once."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one batch did: ids stored, ids skipped as already stored, stories touched."""

    stored: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()
    stories: tuple[str, ...] = ()

    def __add__(self, other: IngestResult) -> IngestResult:
        stories = tuple(dict.fromkeys(self.stories + other.stories))
        return IngestResult(self.stored + other.stored, self.duplicates + other.duplicates, stories)


@dataclass(frozen=True, slots=True)
class StorySummary:
    """A story as listed: counts and last activity, no report."""

    id: str
    title: str
    article_count: int
    outlet_count: int
    conflict_count: int
    quote_count: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """A stored article with its analysis and the story it belongs to."""

    id: str
    story_id: str
    content_hash: str
    ingested_at: datetime
    analysis: Analysis


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article or a quote matching a search; ``ref`` is the article or quote id."""

    kind: str  # "article" | "quote"
    ref: str
    article_id: str
    story_id: str
    outlet: str
    title: str | None
    body: str
    snippet: str


@dataclass(frozen=True, slots=True)
class Job:
    """One accepted write: the article records as posted and, once done, what became of them."""

    id: str
    status: str  # "queued" | "running" | "done" | "failed"
    records: tuple[dict[str, Any], ...]
    result: dict[str, Any] | None
    attempts: int
    created_at: datetime
    updated_at: datetime


QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: A job whose worker stopped this many times while running it (killed, out of memory) is not tried again.
MAX_ATTEMPTS = 3


def content_hash(article: Article) -> str:
    """SHA-256 of the article body with whitespace runs collapsed."""
    return hashlib.sha256(" ".join(article.raw.split()).encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _safe(article: Article) -> Article:
    """Replace NUL characters (PostgreSQL text cannot hold them); offsets stay the same."""
    def fix(s: str | None) -> str | None:
        return s.replace("\x00", "\ufffd") if s else s
    if "\x00" not in article.raw and "\x00" not in (article.title or "") and "\x00" not in article.id:
        return article
    return replace(article, raw=fix(article.raw) or "", title=fix(article.title), id=fix(article.id) or "article")


def _cluster_settings(opts: Options) -> ClusterSettings:
    return replace(ClusterSettings(), threshold=opts.cluster_threshold)


def _with_id(analysis: Analysis, article_id: str) -> Analysis:
    art = analysis.article
    return replace(analysis, article=replace(art, article=replace(art.article, id=article_id)))


class Store:
    """Articles, analyses and stories in SQLite or PostgreSQL (migrated to the newest schema on open)."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"cannot read database URL {url!r}; give a file path or a "
                             "postgresql://user:password@host/dbname URL") from None
        self.dialect = parsed.get_backend_name()
        if self.dialect not in {"sqlite", "postgresql"}:
            raise StoreError(f"unsupported database {self.dialect!r} in {url!r}; use SQLite or PostgreSQL")
        self.engine = self._engine(url, parsed)
        self._vectors: dict[int, DocVector] = {}  # the story graph's node vectors, read once
        # story id -> ((dedup settings), member keys, grouper): see _groups
        self._groupers: dict[str, tuple[tuple[float, float], list[tuple[str, str, str]], SourceGrouper]] = {}
        #: Seconds spent placing articles in stories ("assign") and reconciling them ("reconcile").
        self.timings: dict[str, float] = {"assign": 0.0, "reconcile": 0.0}
        if migrate:
            self.migrate()

    # ------------------------------------------------------------------ setup

    def _engine(self, url: str, parsed: Any) -> Engine:
        if self.dialect == "sqlite":
            if parsed.database and parsed.database != ":memory:":
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60})

            @event.listens_for(engine, "connect")
            def _on_connect(dbapi_conn: Any, _record: Any) -> None:
                # Let SQLAlchemy, not the driver, issue BEGIN, so writers can ask for IMMEDIATE.
                dbapi_conn.isolation_level = None
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=60000")
                cur.close()

            @event.listens_for(engine, "begin")
            def _on_begin(conn: Connection) -> None:
                mode = "IMMEDIATE" if conn.get_execution_options().get("storyline_write") else "DEFERRED"
                conn.exec_driver_sql(f"BEGIN {mode}")

            return engine
        try:
            return create_engine(url, pool_pre_ping=True, pool_size=8, max_overflow=16)
        except ModuleNotFoundError as exc:
            raise StoreError(f"PostgreSQL needs a driver: {exc.name} is not installed; "
                             "pip install 'psycopg[binary]'") from None

    def migrate(self) -> None:
        """Bring the schema up to the newest Alembic revision (recorded in ``alembic_version``)."""
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
        try:
            with self._write() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
            self._restory()
        except OperationalError as exc:
            raise StoreError(f"cannot open the store at {self.display_url()}: {exc.orig}") from None

    def display_url(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _write(self) -> Any:
        """A connection in a write transaction that excludes other writers until commit."""
        store = self

        class _Tx:
            def __enter__(self) -> Connection:
                self.conn = store.engine.connect().execution_options(storyline_write=True)
                self.tx = self.conn.begin()
                if store.dialect == "postgresql":
                    self.conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
                return self.conn

            def __exit__(self, exc_type: Any, *rest: Any) -> None:
                try:
                    if exc_type is None:
                        self.tx.commit()
                    else:
                        self.tx.rollback()
                finally:
                    self.conn.close()

        return _Tx()

    # ------------------------------------------------------------------ reads

    def stories(self, *, limit: int = 50, offset: int = 0) -> list[StorySummary]:
        """Stories, newest activity first."""
        t = STORIES
        q = (select(t.c.id, t.c.title, t.c.article_count, t.c.outlet_count, t.c.conflict_count, t.c.quote_count,
                    t.c.created_at, t.c.updated_at)
             .order_by(t.c.updated_at.desc(), t.c.id).limit(limit).offset(offset))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [StorySummary(r.id, r.title, r.article_count, r.outlet_count, r.conflict_count, r.quote_count,
                             _utc(r.created_at), _utc(r.updated_at)) for r in rows]

    def count(self) -> tuple[int, int]:
        """(stories, articles) stored."""
        with self.engine.connect() as conn:
            n_stories = conn.execute(select(func.count()).select_from(STORIES)).scalar_one()
            n_articles = conn.execute(select(func.count()).select_from(ARTICLES)).scalar_one()
        return n_stories, n_articles

    def story_json(self, story_id: str) -> tuple[str, datetime]:
        """One story as stored (``storyline.report/1`` story JSON text) and its last update."""
        t = STORIES
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.report, t.c.updated_at).where(t.c.id == story_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"no story {story_id!r} in the store; 'storyline stories' lists them")
        return row.report, _utc(row.updated_at)

    def story(self, story_id: str) -> dict[str, Any]:
        """One story in the ``storyline.report/1`` story shape; NotFoundError when unknown."""
        story: dict[str, Any] = json.loads(self.story_json(story_id)[0])
        return story

    def report(self, story_id: str) -> dict[str, Any]:
        """A ``storyline.report/1`` report holding the one story."""
        return {"schema": SCHEMA, "stories": [self.story(story_id)]}

    def article(self, article_id: str) -> ArticleRecord:
        """One stored article with its analysis; NotFoundError when unknown."""
        t = ARTICLES
        with self.engine.connect() as conn:
            row = conn.execute(select(t.c.id, t.c.story_id, t.c.content_hash, t.c.ingested_at, t.c.analysis)
                               .where(t.c.id == article_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in the store")
        return ArticleRecord(row.id, row.story_id, row.content_hash, _utc(row.ingested_at),
                             analysis_from_dict(json.loads(row.analysis)))

    def article_ids(self) -> list[str]:
        """Every stored article id, in ingest order."""
        t = ARTICLES
        with self.engine.connect() as conn:
            return list(conn.execute(select(t.c.id).order_by(t.c.pk)).scalars())

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Articles and quotes matching every word of ``query`` (stemmed), best first."""
        words = _WORD.findall(query.replace("\x00", " "))[:32]
        if not words:
            return []
        limit = max(1, min(limit, 200))
        if self.dialect == "postgresql":
            sql = text(
                "SELECT s.kind, s.ref, s.article_id, s.story_id, s.body, a.outlet, a.title "
                "FROM search_docs s JOIN articles a ON a.id = s.article_id, "
                "plainto_tsquery('english', :q) query WHERE s.tsv @@ query "
                "ORDER BY ts_rank(s.tsv, query) DESC, s.id LIMIT :n")
            params: dict[str, Any] = {"q": " ".join(words), "n": limit}
        else:
            sql = text(
                "SELECT search_docs.kind, search_docs.ref, search_docs.article_id, search_docs.story_id, "
                "search_docs.body, a.outlet, a.title "
                "FROM search_docs JOIN articles a ON a.id = search_docs.article_id "
                "WHERE search_docs MATCH :q ORDER BY search_docs.rank, search_docs.rowid LIMIT :n")
            # Each word as an FTS5 string: user input can never be read as query syntax.
            params = {"q": " ".join(f'"{w}"' for w in words), "n": limit}
        with self.engine.connect() as conn:
            rows = conn.execute(sql, params).all()
        return [SearchHit(r.kind, r.ref, r.article_id, r.story_id, r.outlet, r.title, r.body,
                          _snippet(r.body, words)) for r in rows]

    # ------------------------------------------------------------------ writes

    def known(self, articles: Sequence[Article]) -> set[int]:
        """Indexes of ``articles`` already stored (same URL or content) or repeated earlier in the list."""
        t = ARTICLES
        hashes = [content_hash(a) for a in articles]
        urls = [a.url for a in articles if a.url]
        found_h: set[str] = set()
        found_u: set[str] = set()
        with self.engine.connect() as conn:
            for chunk in _chunks(hashes, _IN_CHUNK):
                found_h.update(conn.execute(select(t.c.content_hash).where(t.c.content_hash.in_(chunk))).scalars())
            for chunk in _chunks(urls, _IN_CHUNK):
                found_u.update(u for u in conn.execute(select(t.c.url).where(t.c.url.in_(chunk))).scalars() if u)
        out: set[int] = set()
        for i, (a, h) in enumerate(zip(articles, hashes, strict=True)):
            if h in found_h or (a.url and a.url in found_u):
                out.add(i)
            found_h.add(h)
            if a.url:
                found_u.add(a.url)
        return out

    def add(self, analyses: Sequence[Analysis], options: Options | None = None, *,
            defer: bool = False) -> IngestResult:
        """Store analysed articles in one transaction, assign them to stories and reconcile those stories.

        Articles already stored (same URL or content hash) are skipped; an id already
        taken by another article gets the content hash's first 8 digits appended.
        ``defer``: a story that already has a report is only marked stale, for
        :meth:`reconcile_stale` to reconcile once after many batches.
        """
        opts = options or Options()
        try:
            with self._write() as conn:
                return self._add(conn, analyses, opts, defer=defer)
        except BaseException as exc:
            self._vectors.clear()  # node numbers of the rolled-back batch may be given out again
            if not isinstance(exc, SQLAlchemyError):
                raise
            raise StoreError(f"cannot write to the store at {self.display_url()}: "
                             f"{getattr(exc, 'orig', None) or exc}") from None

    def _add(self, conn: Connection, analyses: Sequence[Analysis], opts: Options, *, defer: bool) -> IngestResult:
        """Store new articles and place them in stories. ``defer``: a story that already has a
        report is only marked stale (see :meth:`reconcile_stale`); a new one is reconciled now,
        so no reader ever finds a story without its report."""
        art_t = ARTICLES
        now = _now()
        stored: list[str] = []
        duplicates: list[str] = []
        seen_h: set[str] = set()
        seen_u: set[str] = set()
        fresh: list[tuple[Analysis, str]] = []
        pause = _pause_point()
        for analysis in analyses:
            art = analysis.article.article
            h = content_hash(art)
            dup = h in seen_h or (art.url and art.url in seen_u) or conn.execute(
                select(art_t.c.id).where(art_t.c.content_hash == h)).first() is not None or (
                art.url is not None and conn.execute(select(art_t.c.id).where(art_t.c.url == art.url)).first()
                is not None)
            seen_h.add(h)
            if art.url:
                seen_u.add(art.url)
            if dup:
                duplicates.append(art.id)
                continue
            article_id = self._free_id(conn, art.id, h)
            fresh.append((_with_id(analysis, article_id), h))
        if not fresh:
            return IngestResult((), tuple(duplicates), ())
        # The story engine places the new articles, merging and splitting the stories they touch.
        started = time.perf_counter()
        engine = StoryEngine(SqlState(conn, self._vectors), _cluster_settings(opts))
        nodes, changes = engine.add([a for a, _ in fresh])
        changed = {c.story: c.nodes for c in changes}
        self.timings["assign"] += time.perf_counter() - started
        self._create_stories(conn, changed, now)
        node_story = SqlState(conn, self._vectors).stories(nodes)
        for (analysis, h), node in zip(fresh, nodes, strict=True):
            art = analysis.article.article
            story_id = node_story[node]
            conn.execute(art_t.insert().values(
                id=art.id, content_hash=h, url=art.url, outlet=art.outlet, title=art.title,
                published=art.published.isoformat() if art.published else None, source=art.source,
                text=analysis.article.text, analysis=json.dumps(analysis_to_dict(analysis), ensure_ascii=False),
                story_id=story_id, node=node, ingested_at=now))
            self._index(conn, analysis, str(story_id))
            stored.append(art.id)
            if pause and len(stored) == 1:
                pause()
        touched = self._apply_stories(conn, changed, opts, now, defer=defer)
        return IngestResult(tuple(stored), tuple(duplicates), tuple(touched))

    def _create_stories(self, conn: Connection, changed: dict[str, tuple[int, ...]], now: datetime) -> None:
        for sid, members in changed.items():
            if members and conn.execute(select(STORIES.c.id).where(STORIES.c.id == sid)).first() is None:
                conn.execute(STORIES.insert().values(
                    id=sid, title=sid, report="{}", article_count=0, outlet_count=0, conflict_count=0,
                    quote_count=0, created_at=now, updated_at=now))

    def _apply_stories(self, conn: Connection, changed: dict[str, tuple[int, ...]], opts: Options,
                       now: datetime, *, defer: bool) -> list[str]:
        """Move stored articles to their node's story, reconcile the changed stories (``defer``:
        mark those that have a report stale instead), drop the empty ones; the ids of the stories
        that still hold articles."""
        art_t = ARTICLES
        for sid, members in changed.items():
            for chunk in _chunks(sorted(members), _IN_CHUNK):
                ids = list(conn.execute(select(art_t.c.id).where(art_t.c.node.in_(chunk), art_t.c.story_id != sid))
                           .scalars())
                if not ids:
                    continue
                conn.execute(art_t.update().where(art_t.c.id.in_(ids)).values(story_id=sid))
                conn.execute(text("UPDATE search_docs SET story_id = :sid WHERE article_id IN :ids")
                             .bindparams(bindparam("ids", expanding=True)), {"sid": sid, "ids": ids})
        started = time.perf_counter()
        for sid, members in changed.items():
            if members and defer and conn.execute(select(STORIES.c.id).where(
                    STORIES.c.id == sid, STORIES.c.article_count > 0)).first() is not None:
                conn.execute(STORIES.update().where(STORIES.c.id == sid, STORIES.c.stale_since.is_(None))
                             .values(stale_since=now))
            elif members:
                self._reconcile(conn, sid, opts, now)
            elif conn.execute(select(art_t.c.pk).where(art_t.c.story_id == sid)).first() is None:
                conn.execute(STORIES.delete().where(STORIES.c.id == sid))
        self.timings["reconcile"] += time.perf_counter() - started
        return [sid for sid, members in changed.items() if members]

    def _restory(self, opts: Options | None = None) -> None:
        """Place articles stored before the story engine kept its graph in the store (no node yet)."""
        art_t = ARTICLES
        opts = opts or Options()
        with self._write() as conn:
            legacy = list(conn.execute(select(art_t.c.pk).where(art_t.c.node.is_(None)).order_by(art_t.c.pk))
                          .scalars())
            if not legacy:
                return
            now = _now()
            engine = StoryEngine(SqlState(conn, self._vectors), _cluster_settings(opts))
            for chunk in _chunks(legacy, _IN_CHUNK):
                rows = conn.execute(select(art_t.c.pk, art_t.c.analysis).where(art_t.c.pk.in_(chunk))).all()
                nodes, changes = engine.add([analysis_from_dict(json.loads(r.analysis)) for r in rows])
                for r, node in zip(rows, nodes, strict=True):
                    conn.execute(art_t.update().where(art_t.c.pk == r.pk).values(node=node))
                changed = {c.story: c.nodes for c in changes}
                self._create_stories(conn, changed, now)
                self._apply_stories(conn, changed, opts, now, defer=True)
            used = select(art_t.c.story_id).distinct()
            conn.execute(STORIES.delete().where(STORIES.c.id.not_in(used)))
            self._settle(conn, opts, now)

    def _free_id(self, conn: Connection, article_id: str, h: str) -> str:
        art_t = ARTICLES
        article_id = article_id[:180] or "article"
        candidate, n = article_id, 1
        while conn.execute(select(art_t.c.pk).where(art_t.c.id == candidate)).first() is not None:
            candidate = f"{article_id}-{h[:8]}" if n == 1 else f"{article_id}-{h[:8]}-{n}"
            n += 1
        return candidate

    def _index(self, conn: Connection, analysis: Analysis, story_id: str) -> None:
        art = analysis.article.article
        rows = [{"body": "\n".join(filter(None, [art.title, analysis.article.text])), "kind": "article",
                 "article_id": art.id, "story_id": story_id, "ref": art.id}]
        for q in analysis.quotes:
            # the cue goes with the words: "He denied: ..." must not read as "He: ..."
            who = " ".join(filter(None, [q.speaker_text, q.cue]))
            rows.append({"body": f"{who}: {q.text}" if who else q.text, "kind": "quote",
                         "article_id": art.id, "story_id": story_id, "ref": f"{art.id}:{q.id}"})
        conn.execute(text("INSERT INTO search_docs (body, kind, article_id, story_id, ref) "
                          "VALUES (:body, :kind, :article_id, :story_id, :ref)"), rows)

    def _reconcile(self, conn: Connection, story_id: str, opts: Options, now: datetime) -> None:
        """Reconcile one story again from its members' stored analyses."""
        _, values = self._story_row(conn, story_id, opts)
        conn.execute(STORIES.update().where(STORIES.c.id == story_id).values(**values, updated_at=now))

    @staticmethod
    def _member_keys(conn: Connection, story_id: str) -> list[tuple[str, str, str]]:
        art_t = ARTICLES
        return [(r.id, r.content_hash, r.outlet) for r in conn.execute(
            select(art_t.c.id, art_t.c.content_hash, art_t.c.outlet).where(art_t.c.story_id == story_id)
            .order_by(art_t.c.pk))]

    def _story_row(self, conn: Connection, story_id: str,
                   opts: Options) -> tuple[list[tuple[str, str, str]], dict[str, Any]]:
        """The members' keys (id, content hash, outlet) and the story row reconciled from their analyses."""
        art_t = ARTICLES
        rows = conn.execute(select(art_t.c.id, art_t.c.content_hash, art_t.c.outlet, art_t.c.analysis)
                            .where(art_t.c.story_id == story_id).order_by(art_t.c.pk)).all()
        keys = [(r.id, r.content_hash, r.outlet) for r in rows]
        analyses = [analysis_from_dict(json.loads(r.analysis)) for r in rows]
        groups = self._groups(story_id, keys, analyses, opts)
        embed = load_embedder(opts.sentence_encoder) if opts.sentence_encoder else None
        story = reconcile(analyses, groups, quote_match=opts.quote_match, include_text=True, embed=embed)
        data = plain(story)
        data["id"] = story_id  # stable while the story grows; reconcile's id hashes the member ids
        return keys, {"title": story.title, "report": json.dumps(data, ensure_ascii=False),
                      "article_count": len(analyses), "outlet_count": outlet_count(story.articles),
                      "conflict_count": sum(1 for f in story.findings if f.kind == "conflict"),
                      "quote_count": len(story.quotes), "stale_since": None}

    def _groups(self, story_id: str, keys: list[tuple[str, str, str]], analyses: Sequence[Analysis],
                opts: Options) -> list[str]:
        """The source group of each member: ``dedup.source_groups`` over them, in order.

        The grouper of a story is kept between reconciliations while the story only grows at its
        end (its members' keys start with the ones it holds), so only the new members are
        compared with the others: ``SourceGrouper.add`` takes articles one at a time, so adding
        them in two calls gives the groups of one call. Keys are (id, content hash, outlet),
        never row numbers, which a rolled-back batch may give out again.
        """
        settings = (opts.dedup_threshold, opts.reuse_threshold)
        cached = self._groupers.pop(story_id, None)
        if cached is None or cached[0] != settings or keys[:len(cached[1])] != cached[1]:
            cached = (settings, [], SourceGrouper(threshold=opts.dedup_threshold, reuse=opts.reuse_threshold))
        _, seen, grouper = cached
        grouper.add([a.article for a in analyses[len(seen):]])
        seen.extend(keys[len(seen):])
        self._groupers[story_id] = cached
        while len(self._groupers) > _GROUPERS:
            self._groupers.pop(next(iter(self._groupers)))
        # numbered in order of first appearance, as source_groups numbers them
        names: dict[str, str] = {}
        return [names.setdefault(g, f"g{len(names) + 1}") for g in grouper.groups()]

    def reconcile_stale(self, options: Options | None = None) -> tuple[str, ...]:
        """Reconcile every story marked stale (its members changed after its report was written),
        each in its own transaction; the ids of the stories reconciled.

        ``ingest`` calls it at the end of a run and the queue's worker when the queue is empty;
        a run killed before that leaves the marks, so the next run or worker does it.
        """
        opts = options or Options()
        t = STORIES
        try:
            with self.engine.connect() as conn:
                ids = list(conn.execute(select(t.c.id).where(t.c.stale_since.is_not(None))
                                        .order_by(t.c.stale_since, t.c.id)).scalars())
            done: list[str] = []
            started = time.perf_counter()
            for sid in ids:
                # reconciled from a read, outside the write lock (other writers go on meanwhile) ...
                with self.engine.connect() as conn:
                    if conn.execute(select(t.c.id).where(t.c.id == sid, t.c.stale_since.is_not(None))).first() is None:
                        continue  # another writer reconciled (or emptied) it since the list was read
                    keys, values = self._story_row(conn, sid, opts)
                # ... and written only if its members are still those it was reconciled from; if a
                # writer changed them meanwhile the mark stays, for that writer's run to clear
                with self._write() as conn:
                    if self._member_keys(conn, sid) == keys and conn.execute(
                            select(t.c.id).where(t.c.id == sid, t.c.stale_since.is_not(None))).first():
                        conn.execute(t.update().where(t.c.id == sid).values(**values, updated_at=_now()))
                        done.append(sid)
            self.timings["reconcile"] += time.perf_counter() - started
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the store at {self.display_url()}: "
                             f"{getattr(exc, 'orig', None) or exc}") from None
        return tuple(done)

    def stale_age(self) -> float | None:
        """Seconds since the oldest stale mark was committed; None when no story is stale."""
        with self.engine.connect() as conn:
            oldest = conn.execute(select(func.min(STORIES.c.stale_since))).scalar_one()
        return None if oldest is None else (_now() - _utc(oldest)).total_seconds()

    def _settle(self, conn: Connection, opts: Options, now: datetime, only: Sequence[str] | None = None) -> None:
        """Reconcile the stale stories (those of ``only``, when given) inside the caller's transaction."""
        t = STORIES
        started = time.perf_counter()
        q = select(t.c.id).where(t.c.stale_since.is_not(None)).order_by(t.c.id)
        ids = list(conn.execute(q).scalars()) if only is None else [
            sid for chunk in _chunks(sorted(set(only)), _IN_CHUNK)
            for sid in conn.execute(q.where(t.c.id.in_(chunk))).scalars()]
        for sid in ids:
            self._reconcile(conn, sid, opts, now)
        self.timings["reconcile"] += time.perf_counter() - started

    # ------------------------------------------------------------------ the write queue

    def enqueue(self, records: Sequence[dict[str, Any]]) -> Job:
        """Record a batch of article records (already checked) as a queued job; returns it."""
        now = _now()
        job_id = uuid.uuid4().hex
        # ASCII JSON: a lone surrogate in a posted string is kept as an escape, storable anywhere
        payload = json.dumps(list(records), ensure_ascii=True)
        try:
            with self._write() as conn:
                conn.execute(JOBS.insert().values(id=job_id, status=QUEUED, payload=payload, result=None, attempts=0,
                                                  created_at=now, updated_at=now, lease_until=None))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot queue the articles at {self.display_url()}: "
                             f"{getattr(exc, 'orig', None) or exc}") from None
        return Job(job_id, QUEUED, tuple(records), None, 0, now, now)

    def job(self, job_id: str) -> Job:
        """One job by id; NotFoundError when unknown."""
        with self.engine.connect() as conn:
            row = conn.execute(select(JOBS).where(JOBS.c.id == job_id)).one_or_none()
        if row is None:
            raise NotFoundError(f"no job {job_id!r} in the store")
        return _job(row)

    def queue_counts(self) -> dict[str, int]:
        """How many jobs are in each state."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(JOBS.c.status, func.count()).group_by(JOBS.c.status)).all()
        return {status: n for status, n in rows}

    def claim(self, *, lease: float) -> Job | None:
        """Take the oldest queued job (or one whose worker's lease ran out) for ``lease`` seconds;
        None when there is none. A job whose workers stopped ``MAX_ATTEMPTS`` times is failed."""
        now = _now()
        with self._write() as conn:
            while True:
                row = conn.execute(
                    select(JOBS).where(or_(JOBS.c.status == QUEUED,
                                           and_(JOBS.c.status == RUNNING, JOBS.c.lease_until < now)))
                    .order_by(JOBS.c.created_at, JOBS.c.id).limit(1)).one_or_none()
                if row is None:
                    return None
                if row.attempts < MAX_ATTEMPTS:
                    break
                result = {"error": f"the worker stopped {row.attempts} times while running this job (killed or out "
                                   "of memory); it is not tried again"}
                conn.execute(JOBS.update().where(JOBS.c.id == row.id).values(
                    status=FAILED, result=json.dumps(result), updated_at=now, lease_until=None))
            conn.execute(JOBS.update().where(JOBS.c.id == row.id).values(
                status=RUNNING, attempts=row.attempts + 1, updated_at=now,
                lease_until=now + timedelta(seconds=lease)))
        return replace(_job(row), status=RUNNING, attempts=row.attempts + 1)

    @staticmethod
    def _held(job: Job) -> Any:
        # A claim is identified by its attempt number: once a lease ran out and another worker
        # claimed the job, the first worker's heartbeat and result no longer apply.
        return and_(JOBS.c.id == job.id, JOBS.c.status == RUNNING, JOBS.c.attempts == job.attempts)

    def renew(self, job: Job, *, lease: float) -> bool:
        """Extend the lease of a job this worker claimed (its heartbeat); False when the job is no
        longer this claim's (its lease ran out and another worker took it)."""
        with self._write() as conn:
            renewed = conn.execute(JOBS.update().where(self._held(job))
                                   .values(lease_until=_now() + timedelta(seconds=lease)))
        return bool(renewed.rowcount)

    def fail_job(self, job: Job, message: str) -> None:
        """Mark a job this worker holds failed, with a one-line reason (a bug while running it)."""
        with self._write() as conn:
            conn.execute(JOBS.update().where(self._held(job)).values(
                status=FAILED, result=json.dumps({"error": message}), updated_at=_now(), lease_until=None))

    def run_job(self, job: Job, options: Options | None = None) -> IngestResult:
        """Read, analyse and store a job's articles; the articles and the job's result are
        written in one transaction, so the job is done exactly when its articles are stored.

        The stories the job grows are reconciled in that transaction when no other job waits;
        while jobs wait they are only marked stale, so a burst of writes to one story reconciles
        it once, at its end (the worker reconciles what the burst's earlier jobs marked, in
        :meth:`reconcile_stale`, once the queue is empty)."""
        opts = options or Options()
        failures: list[InputFailure] = []
        articles: list[Article] = []
        for i, record in enumerate(job.records):
            try:
                articles.append(_safe(article_from_record(record, source=f"articles[{i}]",
                                                          default_id=f"article-{i + 1}")))
            except InputError as exc:
                failures.append(InputFailure(exc.source, exc.reason))
        analyses, dups = self._analyse_fresh(articles, opts, failures.append)
        try:
            with self._write() as conn:
                if conn.execute(select(JOBS.c.id).where(self._held(job))).first() is None:
                    raise LostLease(f"job {job.id} was taken by another worker after this one's lease ran out")
                stored = self._add(conn, analyses, opts, defer=True) if analyses else IngestResult()
                result = IngestResult(stored.stored, dups + stored.duplicates, stored.stories)
                if conn.execute(select(JOBS.c.id).where(JOBS.c.status == QUEUED).limit(1)).first() is None:
                    self._settle(conn, opts, _now(), only=stored.stories)
                body = {"stored": list(result.stored), "duplicates": list(result.duplicates),
                        "stories": list(result.stories),
                        "failures": [{"source": f.source, "reason": f.reason} for f in failures]}
                conn.execute(JOBS.update().where(JOBS.c.id == job.id).values(
                    status=DONE, result=json.dumps(body, ensure_ascii=True), updated_at=_now(), lease_until=None))
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot write to the store at {self.display_url()}: "
                             f"{getattr(exc, 'orig', None) or exc}") from None
        return result

    def _analyse_fresh(self, batch: list[Article], opts: Options,
                       on_failure: Callable[[InputFailure], None] | None) -> tuple[list[Analysis], tuple[str, ...]]:
        """Analyses of the articles of ``batch`` not stored yet, and the ids of those that are."""
        analysed, known = self._analyse_window(batch, opts, on_failure)
        return [analysed[i] for i in sorted(analysed)], tuple(batch[i].id for i in sorted(known))

    def _analyse_window(self, window: list[Article], opts: Options,
                        on_failure: Callable[[InputFailure], None] | None) -> tuple[dict[int, Analysis], set[int]]:
        """The analysis of each article of ``window`` not stored yet (by position; an article whose
        analysis failed has none), and the positions of those already stored or repeated."""
        known = self.known(window)
        fresh = [i for i in range(len(window)) if i not in known]
        cleaned = [clean(window[i], opts) for i in fresh]
        if not cleaned:
            return {}, known
        load_pipeline(opts.model)  # loaded once here, a pool's forked processes start with it
        results = iter(iter_analyses(cleaned, opts, on_failure=on_failure))
        analysed: dict[int, Analysis] = {}
        nxt = next(results, None)
        for i, c in zip(fresh, cleaned, strict=True):
            # results come in order, failures left out: each is the next article with its id and text
            if nxt is not None and nxt.article.article.id == c.article.id and nxt.article.text == c.text:
                analysed[i] = nxt
                nxt = next(results, None)
        return analysed, known

    # ------------------------------------------------------------------ batch ingest

    def ingest(self, articles: Iterable[Article], options: Options | None = None, *, batch_size: int = 16,
               on_batch: Callable[[IngestResult], None] | None = None,
               on_failure: Callable[[InputFailure], None] | None = None,
               reconcile_every: float = RECONCILE_EVERY) -> IngestResult:
        """Clean, analyse and store articles, ``batch_size`` per transaction.

        Articles already stored are skipped before analysis, so re-running an
        interrupted ingest only does the work that was lost. Articles that cannot be
        analysed (over ``max_chars``, or an extractor's bug) go to ``on_failure``.

        A story a batch grows is marked stale in the batch's transaction and reconciled once,
        when the run ends (and every ``reconcile_every`` seconds of a long run), not after every
        batch: its findings come from all its members at once, as ``analyze`` finds them, and
        reconciling a story of n articles after each of its n/batch_size batches costs n² work.
        Stories left stale by an earlier run that was killed are reconciled too.
        """
        opts = options or Options()
        total = IngestResult()
        window: list[Article] = []
        last = time.monotonic()

        def flush() -> None:
            # the window's articles are analysed together (on a pool of processes when the options
            # ask for one, as ``analyze`` is), then stored ``batch_size`` per transaction, in order
            nonlocal total, last
            analysed, known = self._analyse_window(window, opts, on_failure)
            for start in range(0, len(window), batch_size):
                part = range(start, min(start + batch_size, len(window)))
                analyses = [analysed[i] for i in part if i in analysed]
                dups = tuple(window[i].id for i in part if i in known)
                result = self.add(analyses, opts, defer=True) if analyses else IngestResult()
                result = IngestResult(result.stored, dups + result.duplicates, result.stories)
                total = total + result
                if on_batch:
                    on_batch(result)
                if time.monotonic() - last >= reconcile_every:
                    self.reconcile_stale(opts)
                    last = time.monotonic()
            window.clear()

        for article in articles:
            window.append(_safe(article))
            if len(window) >= batch_size * AHEAD:
                flush()
        if window:
            flush()
        pause = _pause_point("reconcile")
        if pause:
            pause()
        self.reconcile_stale(opts)
        return total


def _job(row: Any) -> Job:
    return Job(row.id, row.status, tuple(json.loads(row.payload)), json.loads(row.result) if row.result else None,
               row.attempts, _utc(row.created_at), _utc(row.updated_at))


_batches_seen = 0


def _pause_point(stage: str = "batch") -> Callable[[], None] | None:
    """The crash test's hook (see PAUSE_ENV): a callable for the batch that should stall
    ("N:PATH"), or for the end of an ingest run, its batches committed and its stories not yet
    reconciled ("reconcile:PATH")."""
    global _batches_seen
    spec = os.environ.get(PAUSE_ENV)
    if not spec:
        return None
    number, _, path = spec.partition(":")
    if stage == "reconcile" or number == "reconcile":
        if stage != number:
            return None
    else:
        _batches_seen += 1
        if not number.isdigit() or int(number) != _batches_seen:
            return None

    def pause() -> None:
        Path(path).write_text(str(os.getpid()))
        time.sleep(120)

    return pause


def _snippet(body: str, words: Sequence[str], width: int = 160) -> str:
    """A stretch of ``body`` around the first query word (whole body when short)."""
    low = body.lower()
    pos = -1
    for w in words:
        stem = w.lower()[:max(3, len(w) - 2)]
        i = low.find(stem)
        if i >= 0 and (pos < 0 or i < pos):
            pos = i
    if len(body) <= width:
        return body
    start = max(0, pos - width // 3) if pos >= 0 else 0
    end = min(len(body), start + width)
    return ("…" if start else "") + body[start:end].strip() + ("…" if end < len(body) else "")
