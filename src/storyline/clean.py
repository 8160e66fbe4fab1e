"""Removing boilerplate that sits inside article text, and splitting it into paragraphs.

Cleaning works line by line on ``Article.raw``. A line is removed when a general
rule recognises it as boilerplate (the rules below name kinds of lines, never
particular sentences); every other non-empty line is a paragraph, kept
character for character. Removed stretches are reported as ``RemovedSpan`` with
offsets into ``raw``.

An article without a publication date takes the one its header date lines state
(``storyline.pubdate``): ``published_source`` becomes "text". Metadata always wins.

Reasons:
    date_line       a leading "date 2024-10-23" (the rest of that line is kept), lines
                    holding only dates and times ("Updated 14 March 2021 10:45 GMT",
                    "Posted 2 / 3 / 2009 11:11 PM"), and a header line's first sentence
                    when it is only a date ("May 2, 2013 -- The actress ...")
    disclaimer      copyright, reposting and republishing notices
    related_links   "Read more:" / "Related:" / "See also:" ... and the headline lines under it
    section_link    "Politics latest: <headline>", "Live updates: ...", "Watch: ...", "Listen: ..."
    promo           "Advertisement", "Share this article", "Sign up to our newsletter", ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .articles import parse_date_line
from .models import Article, CleanArticle, Paragraph, RemovedSpan
from .options import Options
from .pubdate import POSTED, StatedDate, choose_published, date_prefix, read_date_line

__all__ = ["PARAGRAPH_SEPARATOR", "clean", "is_headline_like", "line_reason", "raw_offset"]

PARAGRAPH_SEPARATOR = "\n\n"

DATE_LINE = "date_line"
DISCLAIMER = "disclaimer"
RELATED_LINKS = "related_links"
SECTION_LINK = "section_link"
PROMO = "promo"

#: Headline lines are at most this many words; so are the short boilerplate lines.
MAX_HEADLINE_WORDS = 20
#: Headline lines removed under one "Read more:" header at most.
MAX_RELATED_LINES = 10
_MAX_NOTICE_WORDS = 40

_OPENING_QUOTES = "\"'“‘«"
_CLOSING_QUOTES = "\"'”’»)]"

# "Read more:" and friends on a line of their own; the headlines follow on the next lines.
_RELATED_HEADER = re.compile(
    r"(?:read\s+more|read\s+also|also\s+read|more\s+on\s+this\s+(?:story|topic)|related(?:\s+(?:stories|articles"
    r"|content|coverage|reading|news))?|see\s+also|further\s+reading|recommended(?:\s+reading)?"
    r"|you\s+may\s+also\s+like|more\s+stories|top\s+stories|most\s+read)\s*[:：]?",
    re.IGNORECASE,
)
# The same labels, or section and media labels, followed by a headline on the same line.
_LINK_PREFIX = re.compile(
    r"(?P<related>read\s+more|read\s+also|also\s+read|related|see\s+also|more\s+on\s+this\s+story)\s*[:：]\s*\S"
    r"|(?P<section>(?:[A-Z][\w'’&.-]*(?:\s+[\w'’&.-]+){0,3}\s+)?latest"
    r"|live(?:\s+(?:updates|blog|coverage|reporting))?|watch|listen|video|podcast|in\s+pictures|gallery)"
    r"\s*[:：]\s*\S",
    re.IGNORECASE,
)

#: Date lines among the first this many lines may give the publication date.
HEADER_LINES = 6
_NOTICE_PREFIX = re.compile(
    r"(?:disclaimer|legal\s+notice|copyright\s+notice|reprint\s+notice|reposting\s+notice)\s*[:：]",
    re.IGNORECASE,
)
_COPYRIGHT_LINE = re.compile(
    r"(?:copyright\s*(?:©|\(c\)|\d{4})|©|\(c\)\s*\d{4}|all\s+rights\s+reserved\s*(?:[.,;]|$)"
    r"|(?:this|the)\s+(?:article|story|piece|post|report|content)\b.{0,80}?\b(?:originally|first)\b.{0,40}?"
    r"\b(?:published|appeared|posted|ran)\b"
    r"|(?:this|the)\s+(?:article|story|piece|content)\s+(?:is|was|has\s+been)\s+"
    r"(?:reposted|republished|reprinted|syndicated)\b)",
    re.IGNORECASE,
)
_ENDS_RIGHTS_RESERVED = re.compile(r"\bAll rights reserved\.?$")
# Phrases typical of reposting / infringement notices; two in one line make it a notice.
_NOTICE_MARKERS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bcopyright\s+of\s+this\s+(?:article|content|piece|story|post)\b",
        r"\boriginal\s+(?:author|source)\b",
        r"\b(?:repost|reprint|republish|reproduc)\w*\s+(?:of\s+)?(?:this|the)\s+(?:article|content|story|piece)",
        r"\b(?:any|an|of)\s+infringement\b",
        r"\bplease\s+contact\s+us\b",
        r"\bdoes\s+not\s+constitute\s+(?:any\s+)?(?:investment|financial|legal|professional)\s+advice\b",
        r"\b(?:solely|only)\s+for\s+(?:the\s+purpose\s+of\s+)?(?:information|reference)",
        r"\bcorrections?\s+or\s+deletions?\b",
        r"\bwithout\s+(?:prior\s+)?(?:written\s+)?permission\b",
    )
)

_PROMO_EXACT = re.compile(
    r"(?:advertisement|advert|ad|sponsored(?:\s+content)?|story\s+continues\s+(?:below|after)(?:\s+(?:this\s+)?ad"
    r"(?:vertisement)?)?|continue\s+reading(?:\s+below)?|scroll\s+to\s+continue(?:\s+with\s+content)?"
    r"|share|share\s+this|print|email|comments?)\s*[.:]?",
    re.IGNORECASE,
)
_PROMO_PREFIX = re.compile(
    r"(?:share\s+(?:this|the)\s+(?:article|story|page|post)|share\s+on\s+\w+"
    r"|sign\s+up\b.*\bnewsletters?|(?:get|receive)\s+(?:our|the)\b.*\bnewsletters?|newsletter\s*:"
    r"|follow\s+us\b|click\s+here\b|subscribe\b|download\s+(?:our|the)\s+app\b)",
    re.IGNORECASE,
)
_REPORTING = re.compile(r"\b(?:said|says|told|added|argued|according\s+to)\b", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’]?\s+[\"'“‘]?[A-Z]")


def _words(text: str) -> int:
    return len(text.split())


def is_headline_like(line: str) -> bool:
    """True for a short line that reads as a headline: no sentence-final full stop, one sentence."""
    line = line.strip()
    if not line or _words(line) > MAX_HEADLINE_WORDS:
        return False
    core = line.rstrip(_CLOSING_QUOTES)
    if not core or core[-1] in ".,;:":
        return False
    if core[-1] in "?!" and line[0] in _OPENING_QUOTES:
        return False  # a quoted question is a paragraph of speech, not a link
    return not _SENTENCE_BREAK.search(line)


def _is_notice(line: str) -> bool:
    if _NOTICE_PREFIX.match(line):
        return True
    short = _words(line) <= _MAX_NOTICE_WORDS
    if short and _COPYRIGHT_LINE.match(line):
        return True
    if _words(line) <= 25 and _ENDS_RIGHTS_RESERVED.search(line):
        return True
    return sum(1 for marker in _NOTICE_MARKERS if marker.search(line)) >= 2


def line_reason(line: str) -> str | None:
    """Why a single stripped line is boilerplate (a reason name), or ``None`` for prose.

    A "Read more:" header returns ``related_links``; the headline lines under it
    are recognised by ``clean`` from their position.
    """
    if read_date_line(line) is not None:
        return DATE_LINE
    if _is_notice(line):
        return DISCLAIMER
    if _RELATED_HEADER.fullmatch(line):
        return RELATED_LINKS
    prefix = _LINK_PREFIX.match(line)
    if prefix and is_headline_like(line[prefix.end() - 1 :]):
        return RELATED_LINKS if prefix["related"] else SECTION_LINK
    if _PROMO_EXACT.fullmatch(line):
        return PROMO
    if _PROMO_PREFIX.match(line) and _words(line) <= MAX_HEADLINE_WORDS and not _REPORTING.search(line):
        return PROMO
    return None


@dataclass(frozen=True, slots=True)
class _Line:
    start: int
    end: int
    text: str


def _lines(raw: str, skip_to: int) -> list[_Line]:
    """Non-empty lines of ``raw`` from ``skip_to`` on, stripped, with raw offsets."""
    lines = []
    for match in re.finditer(r"[^\n]+", raw):
        start, end = max(match.start(), skip_to), match.end()
        if start >= end:
            continue
        text = raw[start:end]
        stripped = text.strip()
        if not stripped:
            continue
        start += len(text) - len(text.lstrip())
        lines.append(_Line(start, start + len(stripped), stripped))
    return lines


def clean(article: Article, options: Options | None = None) -> CleanArticle:
    """Remove in-text boilerplate from ``article.raw`` and split the rest into paragraphs.

    Paragraphs are the kept non-empty lines, stripped and joined with a blank line;
    ``removed`` holds each removed stretch with its offsets into ``raw``.
    """
    raw = article.raw
    removed: list[RemovedSpan] = []
    skip_to = 0
    date_line = parse_date_line(raw)
    if date_line is not None:
        removed.append(
            RemovedSpan(date_line.start, date_line.end, DATE_LINE, raw[date_line.start : date_line.end])
        )
        skip_to = date_line.end

    lines = _lines(raw, skip_to)
    stated = [StatedDate(POSTED, (date_line.value,))] if date_line is not None else []
    for i, line in enumerate(lines[:HEADER_LINES]):
        reading = read_date_line(line.text)
        if reading is None:
            prefix = date_prefix(line.text)
            if prefix is None:
                continue
            removed.append(RemovedSpan(line.start, line.start + prefix.end, DATE_LINE, line.text[: prefix.end]))
            rest = line.text[prefix.end :]
            start = line.start + prefix.end + len(rest) - len(rest.lstrip())
            lines[i] = _Line(start, line.end, rest.strip())
            reading = prefix.reading
        stated.extend(reading.dates)
    if article.published is None and stated:
        published = choose_published(stated, url=article.url)
        if published is not None:
            article = replace(article, published=published, published_source="text")
    kept: list[_Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        reason = line_reason(line.text)
        index += 1
        if reason is None:
            kept.append(line)
            continue
        removed.append(RemovedSpan(line.start, line.end, reason, line.text))
        if reason == RELATED_LINKS and _RELATED_HEADER.fullmatch(line.text):
            # Headline links under the header, up to the first line that reads as prose.
            taken = 0
            while index < len(lines) and taken < MAX_RELATED_LINES and is_headline_like(lines[index].text):
                if line_reason(lines[index].text) not in (None, RELATED_LINKS, SECTION_LINK):
                    break
                link = lines[index]
                removed.append(RemovedSpan(link.start, link.end, RELATED_LINKS, link.text))
                index += 1
                taken += 1

    parts: list[str] = []
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in kept:
        if parts:
            offset += len(PARAGRAPH_SEPARATOR)
        parts.append(line.text)
        paragraphs.append(Paragraph(offset, offset + len(line.text)))
        offset += len(line.text)
    return CleanArticle(
        article=article,
        text=PARAGRAPH_SEPARATOR.join(parts),
        paragraphs=tuple(paragraphs),
        removed=tuple(sorted(removed, key=lambda span: span.start)),
    )


def raw_offset(cleaned: CleanArticle, offset: int) -> int:
    """Map an offset in ``cleaned.text`` to the matching offset in ``cleaned.article.raw``.

    An offset between paragraphs maps to the end of the paragraph before it.
    """
    if not 0 <= offset <= len(cleaned.text):
        raise ValueError(f"offset {offset} is outside the cleaned text (0..{len(cleaned.text)})")
    raw = cleaned.article.raw
    cursor = 0
    result = 0
    for paragraph in cleaned.paragraphs:
        if paragraph.start > offset:
            break
        piece = cleaned.text[paragraph.start : paragraph.end]
        raw_start = _find_kept(raw, piece, cursor, cleaned.removed)
        result = raw_start + min(offset - paragraph.start, len(piece))
        cursor = raw_start + len(piece)
    return result


def _find_kept(raw: str, piece: str, cursor: int, removed: tuple[RemovedSpan, ...]) -> int:
    """Position of ``piece`` in ``raw`` at or after ``cursor``, outside every removed span."""
    while True:
        found = raw.find(piece, cursor)
        if found < 0:
            raise ValueError("cleaned text does not match its article's raw text")
        clash = next((span for span in removed if span.start < found + len(piece) and found < span.end), None)
        if clash is None:
            return found
        cursor = max(found + 1, clash.end) if clash.start <= found else found + 1
