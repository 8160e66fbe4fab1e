"""``/stories``: the story list and each story's storyline.report/1 JSON."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from ...report import SCHEMA
from ..dependencies import StoreDep, require_reader
from ..schemas import ErrorOut, StoryListOut, StorySummaryOut

router = APIRouter(prefix="/stories", tags=["stories"], dependencies=[Depends(require_reader)])


@router.get("", response_model=StoryListOut)
def list_stories(store: StoreDep, limit: Annotated[int, Query(ge=1, le=500)] = 50,
                 offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> StoryListOut:
    """Stories, newest activity first, with article, outlet, conflict and quote counts."""
    total, _ = store.count()
    rows = store.stories(limit=limit, offset=offset)
    return StoryListOut(stories=[StorySummaryOut(url=f"/stories/{s.id}", **{
        k: getattr(s, k) for k in ("id", "title", "article_count", "outlet_count", "conflict_count", "quote_count",
                                   "created_at", "updated_at")}) for s in rows], limit=limit, offset=offset,
                        total=total)


@router.get("/{story_id:path}", responses={200: {"description": "A storyline.report/1 report with one story."},
                                      404: {"model": ErrorOut}})
def get_story(story_id: str, store: StoreDep) -> Response:
    """One story as a ``storyline.report/1`` report (``{"schema", "stories": [story]}``)."""
    raw, _ = store.story_json(story_id)
    # The stored JSON goes out as is: parsing and re-encoding a large story costs more than the query.
    return Response(f'{{"schema": {json.dumps(SCHEMA)}, "stories": [{raw}]}}', media_type="application/json")
