"""Fetching pages over HTTP(S) with httpx: timeouts, retries with backoff, a per-host limit.

A ``Fetcher`` holds one connection pool for a run. ``Fetcher.get`` retries connect
errors, 5xx and 429 answers with exponential backoff (honouring ``Retry-After``) and
raises ``FetchError`` with a one-line reason naming the URL for everything else.
``map_ordered`` runs a function over a stream of items on a few threads, keeping the
input order and at most ``window`` results in memory.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx

from ..errors import InputError

__all__ = ["FetchError", "FetchSettings", "Fetcher", "Page", "decode_html", "default_user_agent", "map_ordered"]

T = TypeVar("T")
R = TypeVar("R")

#: Answers worth asking again for: the server is busy or had a passing fault.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class FetchError(InputError):
    """A URL could not be fetched (HTTP error, timeout, refused connection, bad URL)."""


def default_user_agent() -> str:
    """``storyline/VERSION (+https://example.invalid/storyline)``."""
    from ..version import __version__

    return f"storyline/{__version__} (+https://example.invalid/storyline)"


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How pages are fetched; ``from_options`` reads the matching Options fields when present."""

    timeout: float = 10.0  # seconds, for each of connect / read / write
    retries: int = 3  # extra attempts after the first, for connect errors, 5xx and 429
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_backoff: float = 30.0  # cap on one wait, also on a server's Retry-After
    per_host_limit: int = 2  # requests in flight to one host
    concurrency: int = 8  # requests in flight in all
    user_agent: str = ""  # "" = default_user_agent()
    max_bytes: int = 5_000_000  # larger bodies fail instead of filling memory

    @classmethod
    def from_options(cls, options: Any) -> FetchSettings:
        """Settings from an ``Options`` (fields ``fetch_timeout``, ``fetch_retries``,
        ``per_host_limit``, ``fetch_concurrency``, ``user_agent``, ``max_bytes``); missing ones keep defaults."""
        base = cls()
        return cls(
            timeout=float(getattr(options, "fetch_timeout", base.timeout)),
            retries=int(getattr(options, "fetch_retries", base.retries)),
            per_host_limit=max(1, int(getattr(options, "per_host_limit", base.per_host_limit))),
            concurrency=max(1, int(getattr(options, "fetch_concurrency", base.concurrency))),
            user_agent=str(getattr(options, "user_agent", "") or ""),
            max_bytes=int(getattr(options, "max_bytes", base.max_bytes)),
        )


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched body: ``url`` as asked for, ``final_url`` after redirects."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    content: bytes

    def text(self) -> str:
        """The body decoded: the declared charset, else UTF-8, else a guess."""
        return decode_html(self.content, self.charset)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Decode a page body with its declared ``charset``, else UTF-8, else trafilatura's guess."""
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall through to the checks below
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        from trafilatura.utils import decode_file

        return str(decode_file(data))


@dataclass(frozen=True, slots=True)
class _Retry:
    reason: str
    wait: float | None  # the server's Retry-After, when it gave one


class Fetcher:
    """One httpx client for a run; safe to use from several threads. Close it (or use ``with``)."""

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings or FetchSettings()
        self._sleep = sleep
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout),
            headers={"User-Agent": self.settings.user_agent or default_user_agent()},
            follow_redirects=True,
            limits=httpx.Limits(max_connections=self.settings.concurrency),
            transport=transport,
        )
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._hosts_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    @contextmanager
    def _host_slot(self, host: str) -> Iterator[None]:
        with self._hosts_lock:
            slot = self._hosts.setdefault(host, threading.BoundedSemaphore(self.settings.per_host_limit))
        with slot:
            yield

    def get(self, url: str) -> Page:
        """GET ``url``, retrying passing faults; raises ``FetchError`` naming the URL."""
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            host = ""
        if not host:
            raise FetchError(url, "invalid URL (no host)")
        s = self.settings
        attempts = s.retries + 1
        for attempt in range(attempts):
            with self._host_slot(host):
                result = self._attempt(url)
            if isinstance(result, Page):
                return result
            if attempt == attempts - 1:
                plural = "s" if attempts > 1 else ""
                raise FetchError(url, f"{result.reason} (gave up after {attempts} attempt{plural})")
            wait = s.backoff * 2**attempt if result.wait is None else result.wait
            self._sleep(min(wait, s.max_backoff))
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str) -> Page | _Retry:
        s = self.settings
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if status in RETRY_STATUSES:
                    return _Retry(f"HTTP {status} {response.reason_phrase}".strip(),
                                  _retry_after(response.headers.get("retry-after")))
                if status >= 400:
                    raise FetchError(url, f"HTTP {status} {response.reason_phrase}".strip())
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > s.max_bytes:
                        raise FetchError(url, f"page is over max_bytes={s.max_bytes} bytes; raise max_bytes")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "")
                return Page(url, str(response.url), status, content_type.split(";")[0].strip().lower(),
                            response.charset_encoding, b"".join(chunks))
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return _Retry(f"cannot connect ({_describe(exc)})", None)
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {s.timeout:g}s ({_describe(exc)})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed ({_describe(exc)})") from None


def _describe(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text and text[0] else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    # Only the delay-seconds form; an HTTP-date Retry-After falls back to our own backoff.
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


def map_ordered(func: Callable[[T], R], items: Iterable[T], *, window: int) -> Iterator[R]:
    """``func`` over ``items`` on ``window`` threads, yielding results in input order.

    At most ``window`` items are in flight or waiting to be yielded, so memory stays
    flat over an endless stream. ``func`` should return its failures, not raise them.
    """
    window = max(1, window)
    pool = ThreadPoolExecutor(max_workers=window, thread_name_prefix="storyline-fetch")
    pending: deque[Future[R]] = deque()
    try:
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # A consumer that stops early does not wait for pages nobody will read.
        pool.shutdown(wait=True, cancel_futures=True)
