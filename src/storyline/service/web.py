"""The web UI: server-rendered pages under ``/ui`` (Jinja2, autoescaped, no scripts).

Article text is untrusted: templates never mark anything safe. Highlighting is done by
cutting text into (piece, classes) segments here and letting the template escape each.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse

from .dependencies import StoreDep, require_reader
from .store import Store

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(require_reader)])

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["urlpart"] = lambda s: quote(str(s), safe="")
_KIND_ORDER = {"conflict": 0, "corroborated": 1, "single_source": 2}
#: Findings shown open; single-source ones beyond these are folded away.
_OPEN_SINGLE = 5


def _page(name: str, status: int = 200, headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))


def render_error_page(status: int, message: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """The HTML answer for an error on a page."""
    return _page("error.html", status=status, headers=headers, status_code=status, message=message,
                 title=f"Error {status}")


# ---------------------------------------------------------------- segments


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of text and the highlight classes covering it ('' for none)."""

    text: str
    classes: str


def segments(text: str, start: int, end: int, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Cut ``text[start:end]`` at every span edge; each piece lists the classes of the spans over it."""
    inside = [(max(s, start), min(e, end), c) for s, e, c in spans if s < end and e > start and s < e]
    cuts = sorted({start, end, *(s for s, _, _ in inside), *(e for _, e, _ in inside)})
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        classes = sorted({c for s, e, c in inside if s <= a and e >= b})
        out.append(Segment(text[a:b], " ".join(classes)))
    return out


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph(s) of ``text`` around ``[start, end)`` (paragraphs are separated by newlines)."""
    para_start = text.rfind("\n", 0, max(0, start)) + 1
    para_end = text.find("\n", end)
    return para_start, len(text) if para_end < 0 else para_end


# ---------------------------------------------------------------- view models


def outlet_labels(articles: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """A short, distinct badge per article: the outlet, or the article id for an unknown outlet."""
    base = {a["id"]: (a["outlet"] if a.get("outlet") and a["outlet"] != "unknown" else a["id"]) for a in articles}
    counts: dict[str, int] = defaultdict(int)
    for label in base.values():
        counts[label] += 1
    seen: dict[str, int] = defaultdict(int)
    out = {}
    for a in articles:
        label = base[a["id"]]
        if counts[label] > 1:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
        out[a["id"]] = label
    return out


def story_view(story: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the story page shows, derived from one storyline.report/1 story."""
    articles = list(story.get("articles", []))
    labels = outlet_labels(articles)
    by_id = {a["id"]: a for a in articles}
    entities = {e["id"]: e for e in story.get("entities", [])}

    groups: dict[str, dict[str, Any]] = {}
    for q in story.get("quotes", []):
        eid = q.get("speaker_entity_id")
        key = f"e:{eid}" if eid else f"t:{(q.get('speaker_text') or 'unattributed').lower()}"
        if key not in groups:
            ent = entities.get(eid) if eid else None
            groups[key] = {
                "name": ent["name"] if ent else (q.get("speaker_text") or "Unattributed"),
                "resolved": ent is not None,
                "aliases": [x for x in (ent or {}).get("aliases", []) if x != (ent or {}).get("name")],
                "titles": [{"title": t["title"], "badges": [labels.get(i, i) for i in t["article_ids"]]}
                           for t in (ent or {}).get("titles", [])],
                "quotes": [],
            }
        groups[key]["quotes"].append({**q, "badge": labels.get(q["article_id"], q["article_id"])})
    speakers = sorted(groups.values(), key=lambda g: (-len(g["quotes"]), not g["resolved"], g["name"].lower()))

    findings = []
    for f in sorted(story.get("findings", []), key=lambda f: _KIND_ORDER.get(f["kind"], 9)):
        evidence = []
        for ev in f.get("evidence", []):
            art = by_id.get(ev["article_id"])
            text = (art or {}).get("text") or ""
            start, end = ev["start"], ev["end"]
            exact = 0 <= start <= end <= len(text) and text[start:end] == ev["text"]
            if exact:
                ps, pe = paragraph_bounds(text, start, end)
                segs = segments(text, ps, pe, [(start, end, "ev")])
            else:  # offsets do not point into the stored text: show the cited words alone
                segs = [Segment(ev["text"], "ev")]
            evidence.append({"badge": labels.get(ev["article_id"], ev["article_id"]), "article_id": ev["article_id"],
                             "segments": segs, "exact": exact})
        findings.append({**f, "evidence_view": evidence})
    open_findings = [f for f in findings if f["kind"] != "single_source"]
    singles = [f for f in findings if f["kind"] == "single_source"]

    events = [{**e, "badges": [labels.get(i, i) for i in e.get("article_ids", [])]}
              for e in sorted(story.get("events", []), key=lambda e: e["date"])]
    return {
        "story": story,
        "articles": [{**a, "badge": labels[a["id"]]} for a in articles],
        "outlets": sorted({a["outlet"] for a in articles}),
        "speakers": speakers,
        "findings": open_findings + singles[:_OPEN_SINGLE],
        "folded": singles[_OPEN_SINGLE:],
        "conflicts": sum(1 for f in findings if f["kind"] == "conflict"),
        "events": events,
    }


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """The article page: paragraphs with quotes, speakers, cues, claims and dates highlighted."""
    rec = store.article(article_id)
    a = rec.analysis
    text = a.article.text
    spans: list[tuple[int, int, str]] = []
    for q in a.quotes:
        spans.append((q.start, q.end, "q"))
        if q.speaker_start is not None and q.speaker_end is not None:
            spans.append((q.speaker_start, q.speaker_end, "sp"))
        if q.cue_start is not None and q.cue_end is not None:
            spans.append((q.cue_start, q.cue_end, "cue"))
    spans += [(c.start, c.end, "cl") for c in a.claims if c.kind != "role"]
    spans += [(c.start, c.end, "role") for c in a.claims if c.kind == "role"]
    spans += [(t.start, t.end, "tx") for t in a.timexes]
    paragraphs = [segments(text, p.start, p.end, spans) for p in a.article.paragraphs] or [
        segments(text, 0, len(text), spans)]
    art = a.article.article
    return {"rec": rec, "article": art, "paragraphs": paragraphs, "quotes": a.quotes, "claims": a.claims,
            "timexes": a.timexes, "removed": a.article.removed, "entities": a.entities}


# ---------------------------------------------------------------- routes


@router.get("/", response_class=HTMLResponse)
def story_list(store: StoreDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Any:
    per_page = 50
    stories = store.stories(limit=per_page + 1, offset=(page - 1) * per_page)
    return _page("stories.html", title="Stories", stories=stories[:per_page], page=page,
                 more=len(stories) > per_page)


_PAGE_CACHE: OrderedDict[tuple[str, str, datetime], str] = OrderedDict()
_PAGE_CACHE_SIZE = 64
_cache_lock = threading.Lock()


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, store: StoreDep) -> Any:
    raw, updated = store.story_json(story_id)
    # A story page changes only when the story does: keep recent renders keyed by last update.
    key = (store.url, story_id, updated)
    with _cache_lock:
        html = _PAGE_CACHE.get(key)
        if html is not None:
            _PAGE_CACHE.move_to_end(key)
    if html is None:
        view = story_view(json.loads(raw))
        html = _env.get_template("story.html").render(title=view["story"]["title"], **view)
        with _cache_lock:
            _PAGE_CACHE[key] = html
            while len(_PAGE_CACHE) > _PAGE_CACHE_SIZE:
                _PAGE_CACHE.popitem(last=False)
    return HTMLResponse(html)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(article_id: str, store: StoreDep) -> Any:
    view = article_view(store, article_id)
    return _page("article.html", title=view["article"].title or view["article"].id, **view)


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> Any:
    hits = store.search(q, limit=50) if q.strip() else []
    return _page("search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits)
