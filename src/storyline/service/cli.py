"""The service commands: ``ingest``, ``stories``, ``show``, ``search`` and ``serve``.

``register(app)`` adds them to the main ``storyline`` Typer app. The service's
packages are imported only when a command runs, so ``storyline analyze`` works
without the ``service`` extra; a missing extra is one clear line and exit 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import StorylineError

DB_HELP = ("Store: a SQLite file path or a postgresql://user:password@host/db URL "
           "[default: 'db' in the [service] config section, STORYLINE_DB, else storyline.db in the user data dir].")
DbOpt = Annotated[str | None, typer.Option("--db", help=DB_HELP, show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option(help="Config file (default ~/.config/storyline/storyline.cfg).")]


class ShowFormat(StrEnum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


class ListFormat(StrEnum):
    text = "text"
    json = "json"


def _say(message: str) -> None:
    from ..exits import say

    say(message)


def _fail(exc: Exception) -> typer.Exit:
    _say(f"error: {exc}")
    return typer.Exit(2)


def _open(db: str | None, config: Path | None) -> Any:
    """The opened Store (ServiceConfig and Options read once)."""
    from . import require_extra

    require_extra()
    from .config import load_service_config
    from .store import Store

    cfg = load_service_config(config, db=db)
    return Store(cfg.url)


def ingest_cmd(
    sources: Annotated[list[str], typer.Argument(
        help="Article files or folders (.txt, .html, .json, .jsonl), or RSS/Atom feed and page URLs.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (package name or path).")] = None,
    batch_size: Annotated[int, typer.Option(min=1, max=10_000,
                                            help="Articles stored per transaction.")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No per-batch lines.")] = False,
) -> None:
    """Read, analyse and store articles; stories grow as articles arrive.

    Articles already stored (same URL or same text) are skipped, so running the
    same ingest again after an interruption resumes where it stopped. Each batch
    is one transaction: an interrupted batch leaves nothing half-stored. The stories
    the run grew are reconciled once at its end (and every minute of a long run);
    a story left stale by an interrupted run is reconciled by the next one.

    Exit status: 0 on success, 1 when some inputs could not be read, 2 on a usage,
    configuration or store error, 3 on an internal error (a bug: the message names a log).
    """
    from ..ingest import iter_articles
    from ..models import Article, InputFailure
    from ..options import load_options

    failures: list[InputFailure] = []
    try:
        store = _open(db, config)
        opts = load_options(config, model=model)
    except StorylineError as exc:
        raise _fail(exc) from None

    def articles() -> Iterator[Article]:
        # iter_articles reads files, folders, feeds (files or URLs), WARC archives and page URLs.
        for item in iter_articles(sources, opts):
            if isinstance(item, InputFailure):
                on_failure(item)
            else:
                yield item

    def on_batch(result: Any) -> None:
        if not quiet:
            _say(f"stored {len(result.stored)}, already stored {len(result.duplicates)}, "
                 f"stories updated {len(result.stories)}")

    def on_failure(failure: InputFailure) -> None:
        failures.append(failure)
        _say(str(failure))

    try:
        with store:
            total = store.ingest(articles(), opts, batch_size=batch_size, on_batch=on_batch, on_failure=on_failure)
            n_stories, n_articles = store.count()
    except StorylineError as exc:
        raise _fail(exc) from None
    typer.echo(f"stored {len(total.stored)} article(s), {len(total.duplicates)} already stored, "
               f"{len(total.stories)} story(ies) updated; the store holds {n_articles} article(s) "
               f"in {n_stories} story(ies)")
    from ..exits import exit_for_failures

    exit_for_failures(failures)


def stories_cmd(
    db: DbOpt = None,
    config: ConfigOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many stories.")] = 50,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
) -> None:
    """List stored stories, newest activity first."""
    try:
        with _open(db, config) as store:
            rows = store.stories(limit=limit)
    except StorylineError as exc:
        raise _fail(exc) from None
    if fmt is ListFormat.json:
        typer.echo(json.dumps([{"id": s.id, "title": s.title, "articles": s.article_count,
                                "outlets": s.outlet_count, "conflicts": s.conflict_count, "quotes": s.quote_count,
                                "updated_at": s.updated_at.isoformat()} for s in rows], indent=2))
        return
    if not rows:
        typer.echo("no stories stored yet; add some with 'storyline ingest PATH'")
        return
    typer.echo(f"{'ID':<12} {'ART':>4} {'OUT':>4} {'CONF':>4} {'UPDATED (UTC)':<16}  TITLE")
    for s in rows:
        title = s.title if len(s.title) <= 70 else s.title[:69] + "…"
        typer.echo(f"{s.id:<12} {s.article_count:>4} {s.outlet_count:>4} {s.conflict_count:>4} "
                   f"{s.updated_at.strftime('%Y-%m-%d %H:%M'):<16}  {title}")


def show_cmd(
    story_id: Annotated[str, typer.Argument(help="A story id from 'storyline stories'.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Report format.")] = ShowFormat.text,
) -> None:
    """Print one stored story as a report (text, Markdown, storyline.report/1 JSON or HTML)."""
    from rich.console import Console

    from ..options import load_options
    from ..render import Display, print_text, render

    try:
        with _open(db, config) as store:
            report = store.report(story_id)
        # the same threshold as 'storyline analyze': conflicts under it are counted, not listed
        display = Display(min_confidence=load_options(config).min_confidence)
    except StorylineError as exc:
        raise _fail(exc) from None
    if fmt is ShowFormat.text:
        print_text(report, Console(), display)
    else:
        sys.stdout.write(render(report, fmt.value, display) + "\n")


def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find in articles and quotes (all must match).")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many matches.")] = 20,
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.text,
) -> None:
    """Full-text search over stored articles and quotes."""
    try:
        with _open(db, config) as store:
            hits = store.search(query, limit=limit)
    except StorylineError as exc:
        raise _fail(exc) from None
    if fmt is ListFormat.json:
        typer.echo(json.dumps([{"kind": h.kind, "ref": h.ref, "article_id": h.article_id, "story_id": h.story_id,
                                "outlet": h.outlet, "title": h.title, "snippet": h.snippet} for h in hits], indent=2))
        return
    if not hits:
        typer.echo(f"no matches for {query!r}")
        return
    for h in hits:
        typer.echo(f"{h.kind:<7} {h.story_id}  {h.ref}  [{h.outlet}]\n        {h.snippet}")


def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    db: DbOpt = None,
    config: ConfigOpt = None,
    log_level: Annotated[str, typer.Option(help="uvicorn log level.")] = "info",
) -> None:
    """Run the HTTP API and the web UI (pages at /ui/, the API described at /openapi.json).

    Read policy: reads (stories, articles, search, the pages) are OPEN to anyone who can
    reach the server, unless read_token_required = true in the [service] config section
    (or STORYLINE_READ_TOKEN_REQUIRED=true); then they need the token too, as a bearer
    header or through the sign-in form at /ui/login (a cookie). read_token_required
    without a token is refused: the server does not start.

    Writes (POST /articles) always need the bearer token ('token' in [service] or
    STORYLINE_TOKEN); without one, writes are refused. A write is queued and answered
    202 with the job's URL; an analysis worker started beside the server stores it
    (worker = false in [service]: run 'storyline worker' yourself).

    The default host, 127.0.0.1, serves this machine only.
    """
    try:
        from . import require_extra

        require_extra()
        import uvicorn

        from ..options import load_options
        from .api import create_app
        from .config import load_service_config
        from .store import Store

        cfg = load_service_config(config, db=db).check()
        store = Store(cfg.url)
        app = create_app(cfg, load_options(config), store=store)
    except StorylineError as exc:
        raise _fail(exc) from None
    if not cfg.token:
        _say("no token configured: POST /articles is disabled (set STORYLINE_TOKEN or 'token' in [service])")
    _say("reads need the token (read_token_required = true)" if cfg.read_token_required else
         "reads are open to anyone who can reach this address (set read_token_required = true to require the token)")
    _say(f"serving {store.display_url()} on http://{host}:{port}/ui/")
    try:
        uvicorn.run(app, host=host, port=port, log_level=log_level)
    finally:
        store.close()


def worker_cmd(
    db: DbOpt = None,
    config: ConfigOpt = None,
    drain: Annotated[bool, typer.Option("--drain", help="Stop when the queue is empty.")] = False,
    lease: Annotated[float, typer.Option(min=1.0, help="Seconds a claimed job stays this worker's without a "
                                                       "heartbeat (a job of a killed worker is taken again after it).")]
    = 60.0,
) -> None:
    """Analyse and store the writes queued by POST /articles (serve starts one by itself
    unless worker = false in [service]; several may run against one store)."""
    import logging

    try:
        from . import require_extra

        require_extra()
        from ..options import load_options
        from .config import load_service_config
        from .worker import run_worker

        cfg = load_service_config(config, db=db)
        opts = load_options(config)
    except StorylineError as exc:
        raise _fail(exc) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s storyline worker: %(message)s")
    try:
        run_worker(cfg.url, opts, lease=lease, drain=drain)
    except StorylineError as exc:
        raise _fail(exc) from None


def register(app: typer.Typer) -> None:
    """Add the service commands to the ``storyline`` app."""
    app.command("ingest")(ingest_cmd)
    app.command("stories")(stories_cmd)
    app.command("show")(show_cmd)
    app.command("search")(search_cmd)
    app.command("serve")(serve_cmd)
    app.command("worker")(worker_cmd)
