"""The stored records (SQLAlchemy 2). The schema itself is made by the Alembic migrations
in ``migrations/versions``; these classes must match them.

    articles      one row per stored article: metadata, cleaned text, Analysis JSON
    stories       one row per story: its storyline.report/1 story JSON, list counts, and since when
                  the report lags its members (stale_since)
    story_nodes   the story engine's graph: one node per distinct text and date, with its vector
                  and story (storyline.cluster)
    story_pieces  each node's piece at each level of the graph
    story_keys    the candidate index: a node's salient terms by week bucket
    search_docs   articles and quotes for full-text search (FTS5 table / tsvector column)
    jobs          the write queue: accepted POST /articles batches and what became of them
"""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import DateTime, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class StoredArticle(Base):
    __tablename__ = "articles"

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(200), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    outlet: Mapped[str] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    analysis: Mapped[str] = mapped_column(Text)  # serialize.analysis_to_dict as JSON
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id"), index=True)
    node: Mapped[int | None] = mapped_column(Integer, index=True)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StoredStory(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    report: Mapped[str] = mapped_column(Text)  # one story of storyline.report/1, as JSON
    article_count: Mapped[int] = mapped_column(Integer)
    outlet_count: Mapped[int] = mapped_column(Integer)
    conflict_count: Mapped[int] = mapped_column(Integer)
    quote_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    #: when its members first changed after ``report`` was written; NULL while the report is current
    stale_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class StoryNode(Base):
    __tablename__ = "story_nodes"

    node: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    day: Mapped[int | None] = mapped_column(Integer)
    story_id: Mapped[str | None] = mapped_column(String(40), index=True)
    vector: Mapped[str] = mapped_column(Text)  # cluster.DocVector.to_json


class StoryPiece(Base):
    __tablename__ = "story_pieces"

    level: Mapped[int] = mapped_column(Integer, primary_key=True)
    node: Mapped[int] = mapped_column(Integer, primary_key=True)
    piece: Mapped[int] = mapped_column(Integer)


class StoryKey(Base):
    __tablename__ = "story_keys"

    term: Mapped[str] = mapped_column(String(200), primary_key=True)
    bucket: Mapped[int] = mapped_column(Integer, primary_key=True)
    node: Mapped[int] = mapped_column(Integer, primary_key=True)


class StoredJob(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))  # queued | running | done | failed
    payload: Mapped[str] = mapped_column(Text)  # the accepted article records, as JSON
    result: Mapped[str | None] = mapped_column(Text)  # IngestResult and failures, as JSON
    attempts: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


# Core Table handles for queries (``__table__`` is typed as a plain FromClause).
ARTICLES = cast(Table, StoredArticle.__table__)
STORIES = cast(Table, StoredStory.__table__)
JOBS = cast(Table, StoredJob.__table__)
STORY_NODES = cast(Table, StoryNode.__table__)
STORY_KEYS = cast(Table, StoryKey.__table__)
STORY_PIECES = cast(Table, StoryPiece.__table__)
