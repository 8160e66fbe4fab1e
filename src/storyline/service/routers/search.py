"""``/search``: full-text search over stored articles and quotes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ..dependencies import StoreDep, require_reader
from ..schemas import SearchHitOut, SearchOut

router = APIRouter(tags=["search"], dependencies=[Depends(require_reader)])


@router.get("/search", response_model=SearchOut)
def search(store: StoreDep,
           q: Annotated[str, Query(min_length=1, max_length=500, description="Words to find (all must match).")],
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> SearchOut:
    """Articles and quotes containing every word of ``q`` (stemmed), best match first."""
    hits = store.search(q, limit=limit)
    return SearchOut(query=q, hits=[SearchHitOut(kind=h.kind, ref=h.ref, article_id=h.article_id,
                                                 story_id=h.story_id, outlet=h.outlet, title=h.title,
                                                 snippet=h.snippet) for h in hits])
