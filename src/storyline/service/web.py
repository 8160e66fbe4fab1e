"""The web UI: server-rendered pages under ``/ui`` (Jinja2, autoescaped, no scripts).

A story page reads like the CLI's reports (summary, conflicts, corroborations, who said
what, single-source items by outlet) and takes the same filters as query parameters
(``kind``, ``outlet``, ``speaker``, ``min_confidence``, ``all``), through the same code
(``storyline.filters``, ``storyline.render.digest``, ``storyline.export``).

Article text is untrusted: templates never mark anything safe. Highlighting is done by
cutting text into (piece, classes) segments here and letting the template escape each.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

import jinja2
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..export import TABLES, write_table
from ..filters import ReportFilter, filter_report, parse_kinds
from ..render import Display, confidence_note, digest, quote_display, why
from ..report import SCHEMA
from .dependencies import SESSION_COOKIE, ConfigDep, OptionsDep, StoreDep, require_reader, session_value
from .store import Store

router = APIRouter(prefix="/ui", include_in_schema=False, dependencies=[Depends(require_reader)])
#: The sign-in pages: outside the read check, since they are how a browser passes it.
session_router = APIRouter(prefix="/ui", include_in_schema=False)

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,  # every template, whatever its name
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["urlpart"] = lambda s: quote(str(s), safe="")


def _page(name: str, status: int = 200, headers: Mapping[str, str] | None = None, **context: Any) -> HTMLResponse:
    html = _env.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))


def content_security_policy() -> str:
    """The pages' Content-Security-Policy: no scripts, nothing from elsewhere, and only the
    stylesheet inlined in ``base.html`` (allowed by its hash)."""
    html = _env.get_template("error.html").render(status_code=0, message="", title="")
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in re.findall(r"<style>(.*?)</style>", html, re.DOTALL))
    return (f"default-src 'none'; style-src {hashes or chr(39) + 'none' + chr(39)}; img-src 'self'; "
            "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


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


@dataclass(frozen=True, slots=True)
class StoryQuery:
    """The story page's filters, as given in its URL (empty = everything)."""

    kinds: tuple[str, ...] = ()
    outlet: str = ""
    speaker: str = ""
    min_confidence: float | None = None
    show_all: bool = False

    def report_filter(self) -> ReportFilter:
        """The same filter the CLI's --only, --outlet, --speaker and --min-confidence build."""
        return ReportFilter(kinds=frozenset(self.kinds), min_confidence=self.min_confidence or 0.0,
                            outlets=(self.outlet,) if self.outlet else (),
                            speakers=(self.speaker,) if self.speaker else ())

    def params(self) -> str:
        """The query string that gives these filters (for links: downloads keep the filters)."""
        pairs = [("kind", k) for k in self.kinds]
        pairs += [(k, v) for k, v in (("outlet", self.outlet), ("speaker", self.speaker)) if v]
        if self.min_confidence is not None:
            pairs.append(("min_confidence", f"{self.min_confidence:g}"))
        if self.show_all:
            pairs.append(("all", "1"))
        return urlencode(pairs)


def paragraph_start(text: str, start: int) -> int:
    """Where the paragraph of ``text`` holding offset ``start`` begins: the anchor of that
    paragraph on the article page (``#p<offset>``)."""
    return text.rfind("\n", 0, max(0, start)) + 1


def _finding_view(f: Mapping[str, Any], by_id: Mapping[str, Mapping[str, Any]],
                  labels: Mapping[str, str]) -> dict[str, Any]:
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
                         "segments": segs, "exact": exact,
                         "paragraph": paragraph_start(text, start) if exact else None})
    return {**f, "evidence_view": evidence, "why": why(f), "confidence_label": confidence_note(f)}


def story_view(story: Mapping[str, Any], query: StoryQuery | None = None,
               min_confidence: float = 0.0) -> dict[str, Any]:
    """Everything the story page shows, derived from one storyline.report/1 story.

    ``query`` narrows it as the CLI's filters do; conflicts under ``min_confidence`` (the
    settings' threshold) are folded away unless the query asks for all.
    """
    query = query or StoryQuery()
    whole = story
    narrowed = filter_report({"stories": [story]}, query.report_filter())["stories"]
    story = narrowed[0] if narrowed else {**story, "quotes": [], "claims": [], "findings": []}
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
        text = by_id.get(q["article_id"], {}).get("text") or ""
        groups[key]["quotes"].append({**q, "badge": labels.get(q["article_id"], q["article_id"]),
                                      "shown": quote_display(q), "paragraph": paragraph_start(text, q["start"])})
    speakers = sorted(groups.values(), key=lambda g: (-len(g["quotes"]), not g["resolved"], g["name"].lower()))

    display = Display(min_confidence=0.0 if query.show_all else min_confidence, full=query.show_all)
    d = digest(story, display)

    def view(items: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [_finding_view(f, by_id, labels) for f in items]

    events = [{**e, "badges": [labels.get(i, i) for i in e.get("article_ids", [])]}
              for e in sorted(story.get("events", []), key=lambda e: e["date"])]
    speaker_names = sorted({g["name"] for g in (story_view_speakers(whole))}, key=str.lower)
    return {
        "story": story,
        "query": query,
        "params": query.params(),
        "coverage": d["coverage"],
        "counts": d["counts"],
        "top": view(t["finding"] for t in d["top"]),
        "articles": [{**a, "badge": labels[a["id"]]} for a in articles],
        "outlets": sorted({a["outlet"] for a in articles}),
        "speaker_names": speaker_names,
        "speakers": speakers,
        "conflict_findings": view(d["conflicts"]),
        "hidden": view(d["hidden"]),
        "corroborated": view(d["corroborated"]),
        "single_groups": [{"outlet": outlet, "findings": view(items)} for outlet, items in d["groups"]],
        "single_count": sum(len(items) for _, items in d["groups"]),
        "actors": d["actors"],
        "min_confidence": display.min_confidence,
        "conflicts": sum(1 for f in story.get("findings", []) if f["kind"] == "conflict"),
        "events": events,
        "kinds": ("conflict", "corroborated", "single_source"),
    }


def story_view_speakers(story: Mapping[str, Any]) -> list[dict[str, str]]:
    """Every speaker of a story once (resolved name, else the text's words): the speaker filter's choices."""
    entities = {e["id"]: e for e in story.get("entities", [])}
    seen: dict[str, dict[str, str]] = {}
    for q in story.get("quotes", []):
        ent = entities.get(q.get("speaker_entity_id"))
        name = ent["name"] if ent else (q.get("speaker_text") or "")
        if name:
            seen.setdefault(name.lower(), {"name": name})
    return list(seen.values())


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """The article page: paragraphs with quotes, speakers, cues, claims and dates highlighted;
    each paragraph links to the findings of its story that cite it, and each quote names its
    speaker as the story resolved them (the words the text used shown on hover)."""
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
    bounds = [(p.start, p.end) for p in a.article.paragraphs] or [(0, len(text))]

    art = a.article.article
    story = store.story(rec.story_id)
    cited: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for f in story.get("findings", []):
        for ev in f.get("evidence", []):
            if ev.get("article_id") == art.id and text[ev["start"]:ev["end"]] == ev.get("text"):
                entry = {"id": f["id"], "kind": f["kind"], "about": f.get("about") or ""}
                para = paragraph_start(text, ev["start"])
                if entry not in cited[para]:
                    cited[para].append(entry)
    paragraphs = [{"start": s, "segments": segments(text, s, e, spans), "findings": cited.get(s, [])}
                  for s, e in bounds]

    names = {e["id"]: e["name"] for e in story.get("entities", [])}
    local = {e.id: e.name for e in a.entities}
    story_quotes = {q["id"]: q for q in story.get("quotes", [])}
    quotes = []
    for q in a.quotes:
        sq = story_quotes.get(f"{art.id}:{q.id}", {})
        resolved = names.get(sq.get("speaker_entity_id")) or local.get(q.speaker_entity_id or "")
        quotes.append({"q": q, "speaker": resolved or q.speaker_text or "unattributed",
                       "resolved": bool(resolved), "said_as": q.speaker_text,
                       "shown": quote_display({"kind": q.kind, "text": q.text}),
                       "paragraph": paragraph_start(text, q.start)})
    return {"rec": rec, "article": art, "paragraphs": paragraphs, "quotes": quotes, "claims": a.claims,
            "timexes": a.timexes, "removed": a.article.removed, "entities": a.entities}


# ---------------------------------------------------------------- routes


@router.get("/", response_class=HTMLResponse)
def story_list(store: StoreDep, page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Any:
    per_page = 50
    stories = store.stories(limit=per_page + 1, offset=(page - 1) * per_page)
    return _page("stories.html", title="Stories", stories=stories[:per_page], page=page,
                 more=len(stories) > per_page)


_PAGE_CACHE: OrderedDict[tuple[str, str, datetime, str], str] = OrderedDict()
_PAGE_CACHE_SIZE = 64
_cache_lock = threading.Lock()


def story_query(kind: Annotated[list[str] | None, Query(max_length=40)] = None,
                outlet: Annotated[str, Query(max_length=200)] = "",
                speaker: Annotated[str, Query(max_length=200)] = "",
                min_confidence: Annotated[str, Query(max_length=20)] = "",
                all: Annotated[bool, Query()] = False) -> StoryQuery:  # noqa: A002 - the URL's word
    """The story page's filters from its query string (an empty field, as a form sends it, is no
    filter); an unknown kind or a confidence outside 0-1 is a 422 naming what is valid."""
    try:
        kinds = tuple(sorted(parse_kinds(kind or [])))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None
    confidence = None
    if min_confidence.strip():
        try:
            confidence = float(min_confidence)
        except ValueError:
            confidence = -1.0
        if not 0 <= confidence <= 1:
            raise HTTPException(422, f"min_confidence {min_confidence!r} is not a number from 0 to 1")
    return StoryQuery(kinds=kinds, outlet=outlet.strip(), speaker=speaker.strip(), min_confidence=confidence,
                      show_all=all)


StoryQueryDep = Annotated[StoryQuery, Depends(story_query)]


# Story ids are storyline's own ("S" and hex digits, never a "/"), so a story's tables can sit
# under its path; article ids are the sender's and may hold any character (``{...:path}``).
@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(story_id: str, store: StoreDep, options: OptionsDep, query: StoryQueryDep) -> Any:
    raw, updated = store.story_json(story_id)
    # A story page changes only when the story (or the filters) do: keep recent renders keyed by both.
    key = (store.url, story_id, updated, f"{query.params()}|{options.min_confidence}")
    with _cache_lock:
        html = _PAGE_CACHE.get(key)
        if html is not None:
            _PAGE_CACHE.move_to_end(key)
    if html is None:
        view = story_view(json.loads(raw), query, min_confidence=options.min_confidence)
        html = _env.get_template("story.html").render(title=view["story"]["title"], **view)
        with _cache_lock:
            _PAGE_CACHE[key] = html
            while len(_PAGE_CACHE) > _PAGE_CACHE_SIZE:
                _PAGE_CACHE.popitem(last=False)
    return HTMLResponse(html)


@router.get("/stories/{story_id}/{table}.{fmt}")
def story_table(story_id: str, table: str, fmt: str, store: StoreDep, query: StoryQueryDep) -> Response:
    """A story's findings, quotes or claims as a CSV or TSV download (the CLI's tables), filtered as the page is."""
    if table not in TABLES or fmt not in ("csv", "tsv"):
        raise HTTPException(404, f"no table {table}.{fmt}: tables are {', '.join(TABLES)}, as .csv or .tsv")
    report = filter_report({"schema": SCHEMA, "stories": [store.story(story_id)]}, query.report_filter())
    body = write_table(report, table, fmt)
    media = "text/csv" if fmt == "csv" else "text/tab-separated-values"
    filename = f"{re.sub(r'[^A-Za-z0-9_-]+', '_', story_id)}-{table}.{fmt}"
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(article_id: str, store: StoreDep) -> Any:
    view = article_view(store, article_id)
    return _page("article.html", title=view["article"].title or view["article"].id, **view)


@router.get("/search", response_class=HTMLResponse)
def search_page(store: StoreDep, q: Annotated[str, Query(max_length=500)] = "") -> Any:
    hits = store.search(q, limit=50) if q.strip() else []
    return _page("search.html", title=f"Search: {q}" if q else "Search", q=q, hits=hits)


# ---------------------------------------------------------------- signing in


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a page of this UI, never another site."""
    if target and target.startswith("/ui/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/ui/"


@session_router.get("/login", response_class=HTMLResponse)
def login_page(next: str = "/ui/") -> Any:  # noqa: A002 - the query parameter's name
    return _page("login.html", title="Sign in", next=safe_next(next), message="")


@session_router.post("/login", response_class=HTMLResponse)
async def login(request: Request, config: ConfigDep) -> Any:
    """Check the token from the form and set the read cookie (HttpOnly, SameSite=Strict)."""
    form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    token = (form.get("token") or [""])[0]
    target = safe_next((form.get("next") or ["/ui/"])[0])
    expected = config.token or ""
    if not expected or not hmac.compare_digest(token.encode(), expected.encode()):
        return _page("login.html", status=403, title="Sign in", next=target, message="That token is not accepted.")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, session_value(expected), httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")
    return response


@session_router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/ui/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
