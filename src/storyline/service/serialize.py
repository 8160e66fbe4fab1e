"""Analysis and CleanArticle records to JSON-ready dicts and back.

The store keeps each article's Analysis as JSON so a story can be reconciled
again when new articles join it, without parsing the text a second time.
``analysis_from_dict(analysis_to_dict(a)) == a`` for every Analysis.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from ..extract.speakers import grade_speakers
from ..models import (
    Analysis,
    Article,
    Claim,
    CleanArticle,
    Entity,
    Mention,
    Paragraph,
    Quote,
    RemovedSpan,
    TimeExpression,
    Title,
)

#: Bumped when the stored shape changes in a way old rows cannot be read as.
FORMAT = 1


def article_to_dict(article: Article) -> dict[str, Any]:
    """An Article as JSON-ready data (``published`` as an ISO date)."""
    d = asdict(article)
    d["published"] = article.published.isoformat() if article.published else None
    return d


def article_from_dict(d: dict[str, Any]) -> Article:
    """The inverse of :func:`article_to_dict`."""
    published = d.get("published")
    return Article(
        id=d["id"], raw=d["raw"], source=d["source"], outlet=d.get("outlet", "unknown"),
        title=d.get("title"), url=d.get("url"),
        published=date.fromisoformat(published) if published else None, author=d.get("author"),
        published_source=d.get("published_source"), outlet_inferred=bool(d.get("outlet_inferred", False)),
    )


def clean_article_to_dict(cleaned: CleanArticle) -> dict[str, Any]:
    """A CleanArticle as JSON-ready data."""
    return {
        "article": article_to_dict(cleaned.article),
        "text": cleaned.text,
        "paragraphs": [[p.start, p.end] for p in cleaned.paragraphs],
        "removed": [asdict(r) for r in cleaned.removed],
    }


def clean_article_from_dict(d: dict[str, Any]) -> CleanArticle:
    """The inverse of :func:`clean_article_to_dict`."""
    return CleanArticle(
        article=article_from_dict(d["article"]),
        text=d["text"],
        paragraphs=tuple(Paragraph(s, e) for s, e in d["paragraphs"]),
        removed=tuple(RemovedSpan(**r) for r in d.get("removed", ())),
    )


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """An Analysis as JSON-ready data; tuples become lists."""
    return {
        "format": FORMAT,
        "article": clean_article_to_dict(analysis.article),
        "entities": [asdict(e) for e in analysis.entities],
        "quotes": [asdict(q) for q in analysis.quotes],
        "timexes": [asdict(t) for t in analysis.timexes],
        "claims": [asdict(c) for c in analysis.claims],
        "sentences": [list(s) for s in analysis.sentences],
        "sentence_terms": [list(t) for t in analysis.sentence_terms],
    }


def _entity(d: dict[str, Any]) -> Entity:
    return Entity(
        id=d["id"], name=d["name"], type=d["type"], aliases=tuple(d["aliases"]),
        mentions=tuple(Mention(**m) for m in d["mentions"]),
        titles=tuple(Title(**t) for t in d.get("titles", ())), gender=d.get("gender"),
    )


def analysis_from_dict(d: dict[str, Any]) -> Analysis:
    """The inverse of :func:`analysis_to_dict`; raises ValueError for an unknown format."""
    if d.get("format") != FORMAT:
        raise ValueError(f"stored analysis has format {d.get('format')!r}; this storyline reads format {FORMAT}")
    entities = tuple(_entity(e) for e in d["entities"])
    quotes = tuple(Quote(**q) for q in d["quotes"])
    if any("speaker_via" not in q for q in d["quotes"]):
        # stored before quotes carried how their speaker was found: graded from the records
        quotes = grade_speakers(quotes, entities)
    return Analysis(
        article=clean_article_from_dict(d["article"]),
        entities=entities,
        quotes=quotes,
        timexes=tuple(TimeExpression(**t) for t in d["timexes"]),
        claims=tuple(Claim(**c) for c in d["claims"]),
        sentences=tuple((s, e) for s, e in d["sentences"]),
        sentence_terms=tuple(tuple(t) for t in d.get("sentence_terms", ())),
    )
