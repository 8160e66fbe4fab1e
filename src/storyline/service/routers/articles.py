"""``/articles``: queue articles for storing (token required) and read one back with its analysis.

Ids may hold any character, ``/`` included: clients percent-encode them in the path.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Response

from ...articles import article_from_record
from ...errors import InputError
from ...models import Article
from ..dependencies import ConfigDep, StoreDep, require_reader, require_writer
from ..schemas import ArticleBatch, ArticleIn, ArticleOut, ErrorOut, JobOut, JobResultOut
from .jobs import job_out

router = APIRouter(prefix="/articles", tags=["articles"])

_ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 413, 422)}


@router.post("", status_code=202, response_model=JobOut, responses={
    **_ERRORS, 200: {"model": JobOut, "description": "Every article was already stored: nothing queued."}},
    dependencies=[Depends(require_writer)])
def post_articles(
    response: Response,
    payload: Annotated[ArticleIn | list[ArticleIn] | ArticleBatch, Body(
        description="One article, a JSON array of articles, or {\"articles\": [...]}.")],
    store: StoreDep,
    config: ConfigDep,
) -> JobOut:
    """Queue one article or a batch for analysis: 202 with the job's URL (``Location``) to follow.

    A worker analyses and stores the batch in one transaction; articles already stored
    (same URL or same text) are skipped, so posting again is safe. When every article is
    already stored the answer is 200 and nothing is queued.
    """
    items = payload.articles if isinstance(payload, ArticleBatch) else (
        payload if isinstance(payload, list) else [payload])
    if not items:
        raise HTTPException(422, "no articles in the request")
    if len(items) > config.max_batch:
        raise HTTPException(413, f"{len(items)} articles in one request; at most {config.max_batch} "
                                 "(max_batch in the [service] config)")
    records = [item.model_dump(exclude_none=True) for item in items]
    articles: list[Article] = []
    problems = []
    for i, record in enumerate(records):
        try:
            articles.append(article_from_record(record, source=f"articles[{i}]", default_id=f"article-{i + 1}"))
        except InputError as exc:
            problems.append({"index": i, "message": exc.reason})
    if problems:
        raise HTTPException(422, {"message": "some articles cannot be read; nothing was stored",
                                  "details": problems})
    known = store.known(articles)
    if len(known) == len(articles):
        response.status_code = 200
        return JobOut(id=None, status="done", status_url=None, articles=len(articles),
                      result=JobResultOut(stored=[], duplicates=[a.id for a in articles], stories=[]), error=None)
    job = store.enqueue(records)
    response.headers["Location"] = f"/jobs/{job.id}"
    return job_out(job)


@router.get("/{article_id:path}", response_model=ArticleOut, responses={404: {"model": ErrorOut}},
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
