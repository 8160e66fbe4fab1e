"""Fetching pages over HTTP(S) with httpx: the one place where storyline's fetch policy lives.

A ``Fetcher`` holds one connection pool for a run. ``Fetcher.get`` retries connect
errors, 5xx and 429 answers with exponential backoff (honouring ``Retry-After``) and
raises ``FetchError`` with a one-line reason naming the URL for everything else.
``map_ordered`` runs a function over a stream of items on a few threads, keeping the
input order and at most ``window`` results in memory.

The policy (``FetchSettings``):

- only http and https, redirects followed (at most 10);
- no loopback, private, link-local or other non-public address unless
  ``allow_private_hosts``: a host is resolved and refused before the request, and the
  address each connection actually reached is checked again before a byte is sent, on
  every redirect hop -- so neither a redirect nor a DNS answer that changes between the
  two looks can lead a third party's feed to the machine's or the intranet's services;
- ``timeout`` seconds for each connect, read and write, and ``deadline`` seconds for the
  whole answer (redirects and body), checked as bytes arrive;
- at most ``max_bytes`` of body, a per-host and an overall limit on requests in flight.
"""

from __future__ import annotations

import ipaddress
import socket
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

from ..errors import InputError, describe

__all__ = ["FetchError", "FetchSettings", "Fetcher", "Page", "default_user_agent", "is_public_address",
           "map_ordered"]

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
    deadline: float = 60.0  # seconds for one whole answer, redirects and body included
    allow_private_hosts: bool = False  # True: loopback and private addresses may be fetched

    @classmethod
    def from_options(cls, options: Any) -> FetchSettings:
        """Settings from an ``Options`` (fields ``fetch_timeout``, ``fetch_retries``, ``per_host_limit``,
        ``fetch_concurrency``, ``user_agent``, ``max_bytes``, ``fetch_deadline``, ``allow_private_hosts``);
        missing ones keep defaults."""
        base = cls()
        return cls(
            timeout=float(getattr(options, "fetch_timeout", base.timeout)),
            retries=int(getattr(options, "fetch_retries", base.retries)),
            per_host_limit=max(1, int(getattr(options, "per_host_limit", base.per_host_limit))),
            concurrency=max(1, int(getattr(options, "fetch_concurrency", base.concurrency))),
            user_agent=str(getattr(options, "user_agent", "") or ""),
            max_bytes=int(getattr(options, "max_bytes", base.max_bytes)),
            deadline=float(getattr(options, "fetch_deadline", base.deadline)),
            allow_private_hosts=bool(getattr(options, "allow_private_hosts", base.allow_private_hosts)),
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
        """The body decoded as a browser would (byte-order mark, HTTP charset, the page's own
        declaration, UTF-8, detection); raises ``FetchError`` when it is no text."""
        from .decode import UndecodableError, decode_bytes

        try:
            return decode_bytes(self.content, self.charset, html=True)
        except UndecodableError as exc:
            raise FetchError(self.url, exc.reason) from None


def is_public_address(address: str) -> bool:
    """True for a globally routable IP address; False for loopback, private (10/8, 172.16/12,
    192.168/16, fc00::/7), link-local, multicast, reserved and unspecified ones, and for an
    IPv6 address that maps or embeds one of those."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
    return bool(ip.is_global) and not ip.is_multicast


def resolve(host: str, port: int) -> list[Any]:
    """``socket.getaddrinfo`` for a TCP connection (a seam for tests of the address policy)."""
    return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)


class _Refused(Exception):
    """A host or the address a connection reached is not public and private hosts are not allowed."""

    def __init__(self, host: str, address: str) -> None:
        shown = host if host == address else f"{host} ({address})"
        super().__init__(f"refused: {shown} is not a public address; set allow_private_hosts = true "
                         "to fetch from your own network")


class _Deadline(Exception):
    """The whole answer took longer than the deadline."""


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
            max_redirects=10,
            limits=httpx.Limits(max_connections=self.settings.concurrency),
            transport=transport,
            event_hooks={"request": [self._check_request]},
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

    def _check_request(self, request: httpx.Request) -> None:
        """Before each request (every redirect hop): refuse a host that resolves to a non-public address."""
        if self.settings.allow_private_hosts:
            return
        host = request.url.host
        try:
            infos = resolve(host, request.url.port or 443)
        except (OSError, UnicodeError):
            return  # the connection attempt reports the failure to resolve
        for info in infos:
            address = str(info[4][0])
            if not is_public_address(address):
                raise _Refused(host, address)

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        """httpcore's trace hook: the address a new connection reached, checked before anything is sent."""
        if event != "connection.connect_tcp.complete" or self.settings.allow_private_hosts:
            return
        stream = info.get("return_value")
        if stream is None:
            return
        peer = stream.get_extra_info("server_addr")
        address = str(peer[0]) if peer else ""
        if not is_public_address(address):
            stream.close()
            raise _Refused(address, address)

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
        deadline = time.monotonic() + s.deadline
        try:
            with self._client.stream("GET", url, extensions={"trace": self._trace}) as response:
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
                    if time.monotonic() > deadline:
                        raise _Deadline()
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "")
                return Page(url, str(response.url), status, content_type.split(";")[0].strip().lower(),
                            response.charset_encoding, b"".join(chunks))
        except _Refused as exc:
            raise FetchError(url, str(exc)) from None
        except _Deadline:
            raise FetchError(url, f"timed out: the answer took more than fetch_deadline={s.deadline:g}s; "
                                  "raise fetch_deadline") from None
        except httpx.TooManyRedirects:
            raise FetchError(url, "too many redirects (more than 10)") from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            return _Retry(f"cannot connect ({_describe(exc)})", None)
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out after {s.timeout:g}s ({_describe(exc)})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, f"invalid URL ({exc})") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"request failed ({_describe(exc)})") from None


def _describe(exc: Exception) -> str:
    return describe(exc)


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
