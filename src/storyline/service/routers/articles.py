"""``/articles``: store articles (token required) and read one back with its analysis."""

from __future__ import annotations

import threading
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Response

from ...articles import article_from_record
from ...errors import InputError
from ...models import Article
from ..dependencies import ConfigDep, OptionsDep, StoreDep, require_reader, require_writer
from ..schemas import ArticleBatch, ArticleIn, ArticleOut, ErrorOut, IngestOut

router = APIRouter(prefix="/articles", tags=["articles"])
# One analysis at a time per server: the spaCy pipeline is shared and the CPU is the limit anyway.
_analysis_lock = threading.Lock()

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 413, 422)}


@router.post("", status_code=201, response_model=IngestOut, responses=_ERRORS,
             dependencies=[Depends(require_writer)])
def post_articles(
    response: Response,
    payload: Annotated[ArticleIn | list[ArticleIn] | ArticleBatch, Body(
        description="One article, a JSON array of articles, or {\"articles\": [...]}.")],
    store: StoreDep,
    options: OptionsDep,
    config: ConfigDep,
) -> IngestOut:
    """Store one article or a batch in one transaction; 201 when something new was stored, else 200."""
    items = payload.articles if isinstance(payload, ArticleBatch) else (
        payload if isinstance(payload, list) else [payload])
    if not items:
        raise HTTPException(422, "no articles in the request")
    if len(items) > config.max_batch:
        raise HTTPException(413, f"{len(items)} articles in one request; at most {config.max_batch} "
                                 "(max_batch in the [service] config)")
    articles: list[Article] = []
    problems = []
    for i, item in enumerate(items):
        try:
            articles.append(article_from_record(item.model_dump(exclude_none=True), source=f"articles[{i}]",
                                                default_id=f"article-{i + 1}"))
        except InputError as exc:
            problems.append({"index": i, "message": exc.reason})
    if problems:
        raise HTTPException(422, {"message": "some articles cannot be read; nothing was stored",
                                  "details": problems})
    with _analysis_lock:
        result = store.ingest(articles, options, batch_size=len(articles))
    if not result.stored:
        response.status_code = 200
    return IngestOut(stored=list(result.stored), duplicates=list(result.duplicates), stories=list(result.stories))


@router.get("/{article_id}", response_model=ArticleOut, responses={404: {"model": ErrorOut}},
            dependencies=[Depends(require_reader)])
def get_article(article_id: str, store: StoreDep) -> ArticleOut:
    """A stored article, its cleaned text and every span extracted from it."""
    rec = store.article(article_id)
    a = rec.analysis
    art = a.article.article
    return ArticleOut(
        id=rec.id, story_id=rec.story_id, outlet=art.outlet, title=art.title, url=art.url,
        published=art.published.isoformat() if art.published else None, source=art.source,
        ingested_at=rec.ingested_at, content_hash=rec.content_hash, text=a.article.text,
        paragraphs=[[p.start, p.end] for p in a.article.paragraphs],
        removed=[asdict(r) for r in a.article.removed], entities=[asdict(e) for e in a.entities],
        quotes=[asdict(q) for q in a.quotes], claims=[asdict(c) for c in a.claims],
        timexes=[asdict(t) for t in a.timexes])
