"""Quotation marks: pair them per paragraph, continuing a quote over paragraphs as newspapers do.

A quote left open at the end of a paragraph continues when the next paragraph opens with a
quotation mark. Read on the characters, before any parse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ...models import Paragraph

OPEN_MARKS = {"“": "”", '"': '"', "«": "»"}
CLOSE_MARKS = {"”", '"', "»"}
# quotation marks as spaCy tokens: the characters and the typewriter pairs '' and ``
OPEN_TOKENS = set(OPEN_MARKS) | {"''", "``"}
CLOSE_TOKENS = CLOSE_MARKS | {"''"}
DASH_CHARS = "—―–-"
#: dash tokens: each dash character, and the typed double hyphen
DASHES = set(DASH_CHARS) | {"--"}


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """A top-level quotation: offsets of the marks and of the words inside."""

    open: int
    close: int  # offset of the closing mark, or of the paragraph end when unclosed
    start: int
    end: int


def open_mark_at(text: str, i: int) -> int:
    """Length of an opening quotation mark at ``i`` (0 if none): “ " « and the typewriter
    pairs '' and `` of wire and archive copy."""
    if text.startswith("''", i) or text.startswith("``", i):
        return 2
    if _inch_mark(text, i):
        return 0
    return 1 if text[i] in OPEN_MARKS else 0


def _inch_mark(text: str, i: int) -> bool:
    """A straight double quote glued to a number is an inch mark (a 17" screen), not a quotation."""
    return text[i] == '"' and i > 0 and text[i - 1].isdigit() and (i + 1 == len(text) or not text[i + 1].isalnum())


def close_mark_at(text: str, i: int) -> int:
    """Length of a closing quotation mark at ``i`` (0 if none)."""
    if text.startswith("''", i):
        return 2
    if _inch_mark(text, i):
        return 0
    return 1 if text[i] in CLOSE_MARKS else 0


def find_quotation_marks(text: str, paragraphs: Sequence[Paragraph]) -> list[QuoteMarks]:
    """Pair double quotation marks, continuing a quote over paragraphs as newspapers do."""
    spans: list[QuoteMarks] = []
    pending: int | None = None  # open offset of a quote carried over from the previous paragraph
    pars = list(paragraphs) or [Paragraph(0, len(text))]
    for pi, par in enumerate(pars):
        i = par.start
        open_at = pending
        pending = None
        if open_at is not None:
            # the continuing paragraph's own opening mark belongs to the quote's text
            if i < par.end and open_mark_at(text, i):
                i += open_mark_at(text, i)
            else:  # the previous paragraph simply never closed its quote
                spans.append(_marks(text, open_at, pars[pi - 1].end))
                open_at = None
        while i < par.end:
            if open_at is None:
                n = open_mark_at(text, i)
                if n:
                    open_at = i
                    i += n
                    continue
            else:
                n = close_mark_at(text, i)
                if n:
                    spans.append(_marks(text, open_at, i + n - 1, n))
                    open_at = None
                    i += n
                    continue
            i += 1
        if open_at is not None:
            nxt = pars[pi + 1] if pi + 1 < len(pars) else None
            if nxt is not None and nxt.start < nxt.end and open_mark_at(text, nxt.start):
                pending = open_at
            else:
                spans.append(_marks(text, open_at, par.end))
    return spans


def _marks(text: str, open_at: int, close_at: int, close_len: int = 1) -> QuoteMarks:
    """``close_at``: the offset of the closing mark's last character (``close_len`` long)."""
    start, end = open_at + (open_mark_at(text, open_at) or 1), close_at - close_len + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuoteMarks(open_at, close_at, start, end)


def closing_marks(text: str, start: int, end: int) -> int:
    """The end of a clause that opens a quotation: its closing punctuation and mark included
    ("... was “far too slow to act.”"); ``end`` itself when it leaves no quotation open."""
    part = text[start:end]
    if part.count("“") + part.count("«") + part.count("``") <= part.count("”") + part.count("»") \
            and part.count('"') % 2 == 0 and part.count("''") % 2 == 0:
        return end
    last = end
    while last < len(text) and last < end + 3 and text[last] in ".,;:!?":
        last += 1
    return last + close_mark_at(text, last) if last < len(text) and close_mark_at(text, last) else end
