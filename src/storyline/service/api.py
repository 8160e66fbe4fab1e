"""The FastAPI application: the JSON API, the web UI, one error handler for both.

API paths (``/articles``, ``/stories``, ``/search``, ``/openapi.json``) answer errors
as ``{"error": {"status", "message", "details"}}``; pages under ``/ui`` answer them as
HTML. Run it with ``storyline serve`` or
``uvicorn --factory storyline.service.api:create_app`` (settings from the config
file and ``STORYLINE_*`` environment variables).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import StorylineError
from ..options import Options, load_options
from ..version import __version__
from .config import ServiceConfig, load_service_config
from .routers import articles, jobs, search, stories
from .store import NotFoundError, Store
from .web import content_security_policy, render_error_page, session_router
from .web import router as web_router

log = logging.getLogger("storyline.service")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class SecurityHeaders:
    """ASGI middleware: the usual security headers on every answer (the CSP allows no script at all)."""

    def __init__(self, app: Any, policy: str) -> None:
        self.app = app
        self.headers = [(k.encode(), v.encode()) for k, v in (
            ("Content-Security-Policy", policy),
            ("X-Content-Type-Options", "nosniff"),
            ("X-Frame-Options", "DENY"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
            ("Cross-Origin-Resource-Policy", "same-origin"),
            ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        )]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in self.headers if k.lower() not in present)]
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is larger than {limit} bytes (max_body_bytes in the [service] config)")


class BodyLimit:
    """ASGI middleware: refuse request bodies over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _raw_error(scope, send, 400, "Content-Length is not a number")
                return
            if int(declared) > self.limit:
                await _raw_error(scope, send, 413, BodyTooLarge(self.limit).detail)
                return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        await self.app(scope, limited, send)


async def _raw_error(scope: Scope, send: Send, status: int, message: str) -> None:
    response = error_response(scope.get("path", "/"), status, message)
    await response({"type": "http", **scope}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def is_page(path: str) -> bool:
    """Pages get HTML errors; everything else is API and gets JSON."""
    return path == "/" or path == "/ui" or path.startswith("/ui/")


def error_response(path: str, status: int, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    """The one way errors are answered: HTML on pages, JSON elsewhere."""
    if is_page(path):
        return render_error_page(status, message, headers=headers)
    body: dict[str, Any] = {"status": status, "message": message}
    if details is not None:
        body["details"] = details
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


async def handle_error(request: Request, exc: Exception) -> Response:
    """Turn any exception into a clear 4xx (or, for a bug, a terse 500) answer."""
    path = request.url.path
    if isinstance(exc, RequestValidationError):
        problems = [{"location": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
                   for e in exc.errors()]
        if any(d["type"] == "json_invalid" for d in problems):
            return error_response(path, 400, "request body is not valid JSON", _jsonable(problems))
        return error_response(path, 422, "request does not match the expected shape (see details)",
                              _jsonable(problems))
    if isinstance(exc, StarletteHTTPException):
        detail = exc.detail
        details: Any = None
        if isinstance(detail, dict):
            details = detail.get("details")
            detail = detail.get("message", "")
        message = str(detail) if detail else {404: "not found", 405: "method not allowed"}.get(exc.status_code,
                                                                                            "error")
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such path: {path}"
        if exc.status_code == 401 and is_page(path):  # a browser without the read cookie: to the sign-in form
            return RedirectResponse(f"/ui/login?{urlencode({'next': path})}", status_code=303)
        return error_response(path, exc.status_code, message, details, headers=getattr(exc, "headers", None))
    if isinstance(exc, NotFoundError):
        return error_response(path, 404, str(exc))
    if isinstance(exc, StorylineError):
        log.warning("request failed: %s", exc)
        return error_response(path, 503, str(exc))
    log.exception("unhandled error on %s", path, exc_info=exc)
    return error_response(path, 500, "internal error; the server log has the details")


class WorkerProcess:
    """The analysis worker beside the server: a spawned process that stops with it."""

    def __init__(self, url: str, options: Options) -> None:
        from .worker import worker_process

        context = multiprocessing.get_context("spawn")
        self._stop = context.Event()
        self.process = context.Process(target=worker_process, args=(url, options, self._stop, os.getpid()),
                                       name="storyline-worker", daemon=True)
        self.process.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the worker to stop after its current job; end it if it does not within ``timeout``."""
        self._stop.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)


def start_worker(url: str, options: Options) -> WorkerProcess:
    """Start the analysis worker for the store at ``url``."""
    return WorkerProcess(url, options)


def create_app(config: ServiceConfig | None = None, options: Options | None = None,
               store: Store | None = None) -> FastAPI:
    """Build the application; the store is opened at startup (and migrated) unless given."""
    cfg = (config or load_service_config()).check()  # fail closed: no start with reads open by mistake
    opts = options or load_options()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store or Store(cfg.url)
        worker = start_worker(app.state.store.url, opts) if cfg.worker else None
        try:
            yield
        finally:
            if worker is not None:
                worker.stop()
            if own:
                app.state.store.close()

    # No /docs: Swagger UI would load its script from a CDN (blank offline, a third party's code
    # on the page). The OpenAPI description is served at /openapi.json for any viewer.
    app = FastAPI(title="storyline", version=__version__, lifespan=lifespan,
                  description="Who said what, when - and where news outlets agree, conflict or stand alone. "
                              "Stories are storyline.report/1 JSON; errors are {\"error\": {...}}. "
                              "POST /articles queues a write and answers 202 with the job's URL.",
                  docs_url=None, redoc_url=None)
    app.state.config = cfg
    app.state.options = opts
    app.include_router(articles.router)
    app.include_router(jobs.router)
    app.include_router(stories.router)
    app.include_router(search.router)
    app.include_router(session_router)
    app.include_router(web_router)
    for kind in (StarletteHTTPException, RequestValidationError, StorylineError, Exception):
        app.add_exception_handler(kind, handle_error)
    app.add_middleware(BodyLimit, limit=cfg.max_body_bytes)
    app.add_middleware(SecurityHeaders, policy=content_security_policy())

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/", status_code=307)

    @app.get("/health", tags=["service"])
    def health() -> dict[str, Any]:
        """Liveness: the store answers, how much it holds and how many writes are queued."""
        n_stories, n_articles = app.state.store.count()
        queue = app.state.store.queue_counts()
        return {"status": "ok", "stories": n_stories, "articles": n_articles,
                "queued": queue.get("queued", 0) + queue.get("running", 0)}

    return app
