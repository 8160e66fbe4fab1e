"""Article sources beyond single files: RSS/Atom feeds with their pages fetched, and WARC archives.

Each source is a generator of ``Article | InputError``: one item per article or per
item that failed (a page, a record, a feed), so a long run goes on past bad items.
``storyline.ingest.iter_articles`` dispatches to them and turns errors into
``InputFailure``; ``summarize_failures`` counts those failures by kind for the end of a run.

    InputError (storyline.errors)
    └── FetchError    a page or feed could not be fetched over HTTP (names the URL)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ..models import InputFailure
from .decode import decode_bytes
from .fetch import Fetcher, FetchError, FetchSettings, Page

__all__ = [
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "Page",
    "decode_bytes",
    "failure_kind",
    "summarize_failures",
]

# First match wins; reasons are written by the sources below and by storyline.ingest.
_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        ("timeout", r"\btimed out\b"),
        ("http error", r"^HTTP \d{3}\b"),
        ("connection error", r"^cannot connect\b|^request failed\b"),
        ("no article text", r"no extractable article text|^empty\b"),
        ("malformed feed", r"^malformed feed\b|\bnot an RSS or Atom feed\b"),
        ("truncated archive", r"^truncated\b"),
        ("corrupt archive", r"^corrupt\b|^not a WARC\b"),
        ("refused host", r"^refused: .* not a public address"),
        ("limit reached", r"\bmax_(?:records|record_bytes|line_bytes|chars)\b|\bfetch_deadline\b"),
        ("too large", r"\bmax_bytes\b"),
        ("not a regular file", r"not a regular file\b|broken symbolic link"),
        ("unreadable", r"^cannot read(?! file)\b|nested too deeply|folder already read"),
        ("missing input", r"^no such file\b"),
        ("malformed JSON", r"^malformed JSON\b"),
        ("binary file", r"^binary file\b"),
        ("not UTF-8", r"^not UTF-8\b"),
        ("bad record", r"^record (?:is|has)\b|^field '"),
        ("unreadable file", r"^cannot read file\b"),
        ("unreadable page", r"^cannot read page\b|^not an HTML page\b"),
        ("feed entry without link", r"\bhas no link\b"),
        ("analysis failed", r"^analysis failed\b"),
    )
)


def failure_kind(reason: str) -> str:
    """A short, stable label for a failure reason ("timeout", "http error", ...); a reason no
    pattern knows is named by its first words, so a summary never hides it as "other"."""
    for kind, pattern in _KINDS:
        if pattern.search(reason):
            return kind
    head = re.split(r"[:(;]", reason, maxsplit=1)[0].strip()
    return " ".join(head.split()[:5]) or "unknown reason"


def summarize_failures(failures: Iterable[InputFailure]) -> dict[str, int]:
    """Count failures by ``failure_kind``, most frequent first (ties by name)."""
    counts = Counter(failure_kind(f.reason) for f in failures)
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
