"""The HTTP API's create and public models (the stored ones are in :mod:`.models`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ArticleIn(BaseModel):
    """An article to store: ``text`` or ``html``, with optional metadata."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "id": "harbour-1", "url": "https://example.org/news/harbour", "outlet": "Example News",
        "title": "Harbour bridge closes", "published": "2024-10-23",
        "text": "The harbour bridge closed on Tuesday, the council said."}]})

    id: str | int | None = Field(None, description="Article id; the store makes it unique.")
    text: str | None = Field(None, description="Plain article text (a leading 'date 2024-10-23' line is read).")
    html: str | None = Field(None, description="An HTML page, when there is no plain text.")
    url: str | None = Field(None, max_length=4000)
    outlet: str | None = Field(None, max_length=300)
    title: str | None = Field(None, max_length=2000)
    published: str | None = Field(None, description="ISO date or datetime.", max_length=64)
    author: str | None = Field(None, max_length=1000)


class ArticleBatch(BaseModel):
    """Several articles stored in one transaction."""

    model_config = ConfigDict(extra="forbid")
    articles: list[ArticleIn]


class IngestOut(BaseModel):
    stored: list[str] = Field(description="Ids of the articles stored by this request.")
    duplicates: list[str] = Field(description="Ids of articles skipped: already stored (same URL or content).")
    stories: list[str] = Field(description="Stories that gained an article.")


class FailureOut(BaseModel):
    source: str
    reason: str


class JobResultOut(IngestOut):
    failures: list[FailureOut] = Field(default_factory=list,
                                       description="Articles that could not be analysed (over a limit, say).")


class JobOut(BaseModel):
    """A queued write: where to follow it and, once done, what it stored."""

    id: str | None = Field(description="The job id; null when nothing needed queuing (every article was stored).")
    status: str = Field(description="'queued', 'running', 'done' or 'failed'.")
    status_url: str | None = Field(description="GET this (with the token) to follow the job.")
    articles: int = Field(description="Articles in the request.")
    result: JobResultOut | None = Field(None, description="Set once the job is done.")
    error: str | None = Field(None, description="Why the job failed, when it did.")


class StorySummaryOut(BaseModel):
    id: str
    title: str
    article_count: int
    outlet_count: int
    conflict_count: int
    quote_count: int
    created_at: datetime
    updated_at: datetime
    url: str = Field(description="This story's storyline.report/1 JSON.")


class StoryListOut(BaseModel):
    stories: list[StorySummaryOut]
    limit: int
    offset: int
    total: int


class ArticleOut(BaseModel):
    """A stored article: metadata, cleaned text and everything extracted from it (offsets into ``text``)."""

    id: str
    story_id: str
    outlet: str
    title: str | None
    url: str | None
    published: str | None
    source: str
    ingested_at: datetime
    content_hash: str
    text: str
    paragraphs: list[list[int]]
    removed: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    timexes: list[dict[str, Any]]


class SearchHitOut(BaseModel):
    kind: str = Field(description="'article' or 'quote'.")
    ref: str = Field(description="The article id, or the quote id as used in story reports.")
    article_id: str
    story_id: str
    outlet: str
    title: str | None
    snippet: str


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]


class ErrorBody(BaseModel):
    status: int
    message: str
    details: list[Any] | None = None


class ErrorOut(BaseModel):
    """Every 4xx/5xx answer on an API path has this shape."""

    error: ErrorBody
