"""RSS and Atom feeds: parse with feedparser, fetch each linked page, extract it with trafilatura.

A feed's entries are small and read at once; the pages they link to are fetched a
few at a time (``Fetcher`` limits each host) and yielded in feed order, so at most a
window of pages is ever held. Each entry gives one ``Article`` or one ``InputError``
naming its URL.

The entry's stated publication date (``pubDate`` / ``<published>``) becomes
``published``; an Atom ``<updated>`` time does not, since it is not a publication date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from ..articles import outlet_from_url, parse_date, read_article_html
from ..errors import InputError, describe
from ..models import Article
from .fetch import Fetcher, Page, map_ordered

__all__ = [
    "FEED_CONTENT_TYPES",
    "Feed",
    "FeedEntry",
    "article_id_from_url",
    "iter_feed_articles",
    "looks_like_feed",
    "parse_feed",
    "read_page",
]

#: Content types that announce a feed (a feed served as text/xml is sniffed instead).
FEED_CONTENT_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json",
})
HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})

_FEED_SNIFF = re.compile(
    rb"\A(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<\?[^>]*\?>\s*|<!DOCTYPE[^>]*>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)\b",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_feed(data: bytes) -> bool:
    """True when ``data`` starts like an RSS, Atom or RDF feed document."""
    return bool(_FEED_SNIFF.match(data[:4096]))


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed item: where its article lives and what the feed says about it."""

    link: str | None
    title: str | None
    published: date | None
    outlet: str | None  # the item's own <source>, for aggregator feeds


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed; ``problem`` is set when the feed was malformed but entries were recovered."""

    title: str | None
    link: str | None
    entries: tuple[FeedEntry, ...]
    problem: str | None = None


# feedparser flags these but parses the feed fine.
_BENIGN_BOZO = ("CharacterEncodingOverride", "NonXMLContentType")


def parse_feed(data: bytes, *, source: str, base_url: str | None = None) -> Feed:
    """Parse RSS/Atom ``data``; raises ``InputError`` ("malformed feed: ...") when no entries can be read.

    ``base_url`` resolves relative entry links (the feed's own URL when fetched).
    """
    import feedparser

    headers = {"content-location": base_url} if base_url else {}
    # Always bytes: feedparser would take a str as a URL or file name to open.
    parsed = feedparser.parse(bytes(data), response_headers=headers)
    problem = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        if type(exc).__name__ not in _BENIGN_BOZO:
            problem = f"malformed feed: {_one_line(exc)}"
    if not parsed.get("version") and not parsed.entries:
        raise InputError(source, problem or "not an RSS or Atom feed")
    info = parsed.get("feed", {})
    entries = tuple(_entry(e) for e in parsed.entries)
    if problem and not entries:
        raise InputError(source, problem)
    return Feed(_text(info.get("title")), _text(info.get("link")), entries, problem)


def _one_line(exc: Any) -> str:
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _entry(entry: Any) -> FeedEntry:
    source = entry.get("source") or {}
    return FeedEntry(
        link=_text(entry.get("link")),
        title=_text(entry.get("title")),
        published=_entry_date(entry),
        outlet=_text(source.get("title")) if isinstance(source, dict) else None,
    )


def _entry_date(entry: Any) -> date | None:
    # The date as written, in the publisher's own time zone: converting to UTC first
    # (feedparser's published_parsed) can move a late-evening story to the next day.
    raw = _text(entry.get("published"))
    if raw:
        try:
            return parsedate_to_datetime(raw).date()
        except (TypeError, ValueError, IndexError):
            pass
        value = parse_date(raw)
        if value:
            return value
    parsed = entry.get("published_parsed")
    if parsed:
        try:
            return datetime(*parsed[:3]).date()
        except (TypeError, ValueError):
            return None
    return None


_SLUG_EXT = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.IGNORECASE)
_SLUG_BAD = re.compile(r"[^A-Za-z0-9._-]+")


def article_id_from_url(url: str) -> str:
    """A readable id from a URL: ``host-lastpathsegment`` ("news.example-ferry-sails")."""
    host = outlet_from_url(url) or "page"
    try:
        segments = [s for s in urlsplit(url).path.split("/") if s]
    except ValueError:
        segments = []
    slug = _SLUG_BAD.sub("-", _SLUG_EXT.sub("", segments[-1])).strip("-.")[:80] if segments else ""
    return f"{host}-{slug}" if slug else host


def read_page(page: Page, *, source: str, outlet: str | None = None, title: str | None = None,
              published: date | None = None) -> Article:
    """An Article from a fetched HTML page; raises ``InputError`` for a non-HTML page or no article text."""
    if page.content_type not in HTML_CONTENT_TYPES and not page.content_type.startswith("text/"):
        raise InputError(source, f"not an HTML page (Content-Type {page.content_type})")
    return read_article_html(
        page.text(), source=source, article_id=article_id_from_url(page.final_url), url=page.final_url,
        outlet=outlet, title=title, published=published,
    )


def iter_feed_articles(feed: Feed, *, source: str, fetcher: Fetcher) -> Iterator[Article | InputError]:
    """Fetch and read each entry's page, in feed order; failures are yielded, not raised.

    The outlet is the entry's ``<source>`` title, else the feed's title, else the page's host.
    """
    if feed.problem:
        yield InputError(source, f"{feed.problem} ({len(feed.entries)} entries recovered and read)")
    feed_outlet = feed.title

    def one(numbered: tuple[int, FeedEntry]) -> Article | InputError:
        index, entry = numbered
        if not entry.link:
            return InputError(f"{source} entry {index}", "feed entry has no link")
        try:
            page = fetcher.get(entry.link)
            return read_page(page, source=entry.link, outlet=entry.outlet or feed_outlet,
                             title=entry.title, published=entry.published)
        except InputError as exc:
            return exc
        except RecursionError:
            return InputError(entry.link, "page nested too deeply to read (more levels than Python's recursion limit)")
        except Exception as exc:  # noqa: BLE001 - one bad page must not end the run
            return InputError(entry.link, f"cannot read page ({describe(exc)})")

    yield from map_ordered(one, enumerate(feed.entries, start=1), window=fetcher.settings.concurrency)
