"""Present a ``storyline.report/1`` dict as terminal text, Markdown, HTML or JSON.

Every renderer reads the plain report dict (what ``--format json`` prints), so
anything that speaks the contract - the CLI, the HTTP API, the store - can be
rendered without the analysis objects. Each story is shown in the same order in
every format, what matters first: a summary (the story in one line, its outlets
and independent sources, the dates covered, the top conflicts with why), then the
conflicts, the corroborations, who said what, the single-source items (grouped by
outlet, folded, ranked by the story's main actors), and last the articles, people
(with the titles each outlet gives them) and timeline. ``Display`` says how much
is listed: conflicts below its confidence are counted, not listed, unless ``full``.

Article text and everything extracted from it is untrusted: the HTML renderer
escapes every string and the Markdown renderer backslash-escapes markup.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from .report import outlet_count

__all__ = ["FORMATS", "Display", "confidence_note", "digest", "print_text", "quote_display", "render", "render_html",
           "render_json", "render_markdown", "render_text", "why"]

FORMATS = ("text", "md", "html", "json")

# Findings are read conflicts first: disagreement is what a fact-checker looks for.
FINDING_ORDER = ("conflict", "corroborated", "single_source")
FINDING_HEADINGS = {"conflict": "Conflicts", "corroborated": "Corroborated", "single_source": "Single source"}
_FINDING_BADGES = {"conflict": "Conflict", "corroborated": "Corroborated", "single_source": "Single source"}
_FINDING_STYLES = {"conflict": "bold red", "corroborated": "bold green", "single_source": "bold yellow"}
_PERSON_TYPES = {"PERSON", "PER"}
#: Entity types that act in a story (places and dates are where and when, not who).
_ACTOR_TYPES = {"PERSON", "PER", "ORG", "NORP"}

TEXT_QUOTE_LIMIT = 240
#: The terminal report lists this many speakers, people and dated events per story unless ``full``.
TEXT_SPEAKERS = 8
TEXT_ROWS = 10
TEXT_TITLE_LIMIT = 70
UNATTRIBUTED = "unattributed"
NO_STORIES = "No stories in this report."
#: Conflicts named in a story's summary.
TOP_CONFLICTS = 3
#: Entities counted as a story's main actors when ranking its single-source items.
MAIN_ACTORS = 5
#: Folded lists (single-source items per outlet, quotes per speaker) show this many unless ``full``.
FOLDED_SHOWN = 3
WHY_LIMIT = 160
#: An opening quotation mark and the closing marks that answer it.
_CLOSERS = {"“": "”", "\"": "\"", "‘": "’", "'": "'", "«": "»", "„": "“”"}


@dataclass(frozen=True, slots=True)
class Display:
    """How much of a report to list. Nothing here changes the JSON, which carries everything.

    ``min_confidence``: conflicts below it are counted, not listed. ``full``: list every
    conflict, single-source item and quote instead of folding them. ``order``: the rule the
    stories are in, stated at the top of the report.
    """

    min_confidence: float = 0.0
    full: bool = False
    order: str = ""

    def shows(self, finding: Mapping[str, Any]) -> bool:
        """True when ``finding`` is listed (only conflicts are held to the confidence threshold)."""
        return self.full or finding.get("kind") != "conflict" or _confidence(finding) >= self.min_confidence


def _confidence(finding: Mapping[str, Any]) -> float:
    value = finding.get("confidence")
    try:
        return 1.0 if value is None else float(value)
    except (TypeError, ValueError):
        return 1.0


# --------------------------------------------------------------------------- helpers


def _shorten(s: str, limit: int) -> str:
    """Collapse whitespace and cut ``s`` to ``limit`` characters, ending in "…" when cut."""
    s = " ".join(str(s).split())
    if len(s) <= limit:
        return s
    return s[: max(limit - 1, 0)].rstrip() + "…"


def _short_id(article_id: str) -> str:
    return article_id if len(article_id) <= 10 else article_id[:8] + "…"


def _fmt_date(value: str | None) -> str:
    """ISO date with its weekday ("2025-03-11 Tue"), so "on Tuesday" can be checked by eye."""
    if not value:
        return ""
    try:
        d = date.fromisoformat(str(value)[:10]) if len(str(value)) >= 10 else None
    except ValueError:
        d = None
    if d is None:
        return str(value)  # a month, week or year: show as given
    return f"{d.isoformat()} {d:%a}"


def _join(items: Iterable[str]) -> str:
    return ", ".join(items)


def _unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


@dataclass
class _Story:
    """Lookups for one story: readable outlet labels, entity names, speaker groups."""

    raw: Mapping[str, Any]
    articles: list[Mapping[str, Any]] = field(default_factory=list)
    article_by_id: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    article_pos: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    entity_by_id: dict[str, Mapping[str, Any]] = field(default_factory=dict)

    @classmethod
    def build(cls, story: Mapping[str, Any]) -> _Story:
        s = cls(raw=story)
        s.articles = list(story.get("articles") or [])
        for pos, art in enumerate(s.articles):
            aid = str(art.get("id", pos))
            s.article_by_id[aid] = art
            s.article_pos[aid] = pos
        s.labels = _outlet_labels(s.articles)
        s.entity_by_id = {str(e.get("id")): e for e in story.get("entities") or []}
        return s

    @property
    def title(self) -> str:
        return str(self.raw.get("title") or self.raw.get("id") or "Untitled story")

    def outlet(self, article_id: Any) -> str:
        """Readable outlet label of an article (unique within the story)."""
        aid = str(article_id)
        return self.labels.get(aid) or f"article {_short_id(aid)}"

    def outlets(self, article_ids: Iterable[Any]) -> list[str]:
        return _unique(self.outlet(a) for a in article_ids)

    def article_text(self, article_id: Any) -> str | None:
        text = self.article_by_id.get(str(article_id), {}).get("text")
        return text if isinstance(text, str) else None

    def speaker(self, quote: Mapping[str, Any]) -> tuple[str, str]:
        """(group key, display name) of a quote's speaker."""
        eid = quote.get("speaker_entity_id")
        if eid is not None and str(eid) in self.entity_by_id:
            return f"e:{eid}", str(self.entity_by_id[str(eid)].get("name") or eid)
        text = " ".join(str(quote.get("speaker_text") or "").split())
        if text:
            return f"t:{text.lower()}", text
        return "unattributed", UNATTRIBUTED

    def people(self) -> list[Mapping[str, Any]]:
        """Persons, plus any other entity an outlet gives a title."""
        return [
            e for e in self.raw.get("entities") or []
            if str(e.get("type", "")).upper() in _PERSON_TYPES or e.get("titles")
        ]

    def others(self) -> list[Mapping[str, Any]]:
        people = {id(e) for e in self.people()}
        return [e for e in self.raw.get("entities") or [] if id(e) not in people]

    def title_variants(self, entity: Mapping[str, Any]) -> list[tuple[str, list[str]]]:
        """Each title of an entity with the outlets that give it."""
        return [
            (str(t.get("title", "")), self.outlets(t.get("article_ids") or []))
            for t in entity.get("titles") or []
        ]

    def speakers(self) -> list[tuple[str, list[Mapping[str, Any]]]]:
        """Quotes grouped by speaker: most-quoted first, unattributed last."""
        groups: dict[str, tuple[str, list[Mapping[str, Any]]]] = {}
        for q in self.raw.get("quotes") or []:
            key, name = self.speaker(q)
            groups.setdefault(key, (name, []))[1].append(q)

        def quote_order(q: Mapping[str, Any]) -> tuple[Any, ...]:
            said = q.get("said_on")
            return (said is None, str(said or ""), self.article_pos.get(str(q.get("article_id")), 0),
                    q.get("start") or 0)

        ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "unattributed", -len(kv[1][1]), kv[1][0]))
        return [(name, sorted(quotes, key=quote_order)) for _, (name, quotes) in ordered]

    def findings(self) -> list[tuple[str, list[Mapping[str, Any]]]]:
        """Findings grouped by kind in FINDING_ORDER; unknown kinds come last."""
        by_kind: dict[str, list[Mapping[str, Any]]] = {}
        for f in self.raw.get("findings") or []:
            by_kind.setdefault(str(f.get("kind", "other")), []).append(f)
        known = [k for k in FINDING_ORDER if k in by_kind]
        kinds = known + sorted(k for k in by_kind if k not in FINDING_ORDER)
        return [(k, by_kind[k]) for k in kinds]

    def events(self) -> list[Mapping[str, Any]]:
        return sorted(self.raw.get("events") or [], key=lambda e: (e.get("date") is None, str(e.get("date"))))

    def evidence_text(self, ev: Mapping[str, Any]) -> str:
        text = ev.get("text")
        if text:
            return str(text)
        sliced = _checked_slice(self.article_text(ev.get("article_id")), ev)
        return sliced[1] if sliced else ""

    def summary(self, display: Display | None = None) -> str:
        """The story's counts on one line: articles, sources, quotes, findings by kind."""
        n_articles = len(self.articles)
        return " · ".join([f"{n_articles} article{'s' * (n_articles != 1)}",
                           f"{self.n_sources} independent source{'s' * (self.n_sources != 1)}",
                           self.counts(display)])

    def counts(self, display: Display | None = None) -> str:
        """Quotes and findings by kind on one line, with the conflicts the display holds back."""
        n_quotes = len(self.raw.get("quotes") or [])
        parts = [f"{n_quotes} quote{'s' * (n_quotes != 1)}"]
        counts = {k: len(v) for k, v in self.findings()}
        parts += [_count(counts[k], k) for k in FINDING_ORDER if k in counts]
        hidden = len(self.hidden_conflicts(display))
        if hidden and display is not None:
            parts.append(f"{hidden} conflict{'s' * (hidden != 1)} below confidence {display.min_confidence:g} "
                         "not listed")
        return " · ".join(parts)

    @property
    def n_sources(self) -> int:
        """Independent sources: source groups (copies of one text count once; also tells apart
        articles whose outlet is unknown)."""
        return len(_unique(str(a.get("source_group") or a.get("id")) for a in self.articles))

    def coverage(self) -> str:
        """Outlets, independent sources and the dates covered, on one line."""
        outlets = _unique(str(a.get("outlet") or "unknown") for a in self.articles)
        dates = sorted(str(a["published"])[:10] for a in self.articles if a.get("published"))
        n = len(self.articles)
        n_out = outlet_count(self.articles)  # unknown outlets count once per source group
        unknown = n_out - (len(outlets) - ("unknown" in outlets))
        if unknown > 1:
            outlets = [o for o in outlets if o != "unknown"] + [f"{unknown} unknown"]
        line = (f"{n} article{'s' * (n != 1)} from {n_out} outlet{'s' * (n_out != 1)} "
                f"({_join(outlets)}) · {self.n_sources} independent source{'s' * (self.n_sources != 1)}")
        if not dates:
            return line + " · undated"
        span = _fmt_date(dates[0]) if dates[0] == dates[-1] else f"{_fmt_date(dates[0])} to {_fmt_date(dates[-1])}"
        undated = sum(1 for a in self.articles if not a.get("published"))
        return line + f" · {span}" + (f" ({undated} undated)" if undated else "")

    def shown(self, kind: str, display: Display | None) -> list[Mapping[str, Any]]:
        """The findings of ``kind`` that are listed, most confident first (stable otherwise)."""
        items = dict(self.findings()).get(kind, [])
        items = [f for f in items if display is None or display.shows(f)]
        return sorted(items, key=lambda f: -_confidence(f))

    def hidden_conflicts(self, display: Display | None) -> list[Mapping[str, Any]]:
        """Conflicts held back by the display's confidence threshold."""
        if display is None or display.full:
            return []
        return [f for f in dict(self.findings()).get("conflict", []) if not display.shows(f)]

    def actors(self) -> list[tuple[str, list[str], int]]:
        """(name, names to look for, weight) of the story's main actors, most prominent first.

        Prominence is how many articles name the entity plus how many statements it makes.
        """
        said: dict[str, int] = {}
        for q in self.raw.get("quotes") or []:
            if q.get("speaker_entity_id") is not None:
                said[str(q["speaker_entity_id"])] = said.get(str(q["speaker_entity_id"]), 0) + 1
        ranked = []
        for e in self.raw.get("entities") or []:
            if str(e.get("type", "")).upper() not in _ACTOR_TYPES:
                continue
            weight = len(e.get("article_ids") or []) + said.get(str(e.get("id")), 0)
            names = [str(n) for n in [e.get("name"), *(e.get("aliases") or [])] if n and len(str(n)) > 2]
            if names:
                ranked.append((str(names[0]), names, weight))
        ranked.sort(key=lambda r: -r[2])
        return ranked[:MAIN_ACTORS]

    def single_source_groups(self) -> list[tuple[str, list[Mapping[str, Any]]]]:
        """Single-source findings grouped by outlet (largest group first), each ranked by how much
        of it is about the story's main actors."""
        actors = self.actors()

        def score(f: Mapping[str, Any]) -> int:
            words = " ".join([str(f.get("about") or ""), *(self.evidence_text(ev) for ev in f.get("evidence") or [])])
            return sum(w for _, names, w in actors if any(_mentions(words, n) for n in names))

        groups: dict[str, list[Mapping[str, Any]]] = {}
        for f in dict(self.findings()).get("single_source", []):
            evidence = f.get("evidence") or []
            outlet = self.outlet(evidence[0].get("article_id")) if evidence else "no evidence"
            groups.setdefault(outlet, []).append(f)
        ranked = [(outlet, sorted(items, key=lambda f: -score(f))) for outlet, items in groups.items()]
        return sorted(ranked, key=lambda g: (-len(g[1]), g[0]))

    def top_conflicts(self, display: Display | None) -> list[Mapping[str, Any]]:
        """The conflicts named in the summary: the most confident listed ones."""
        return self.shown("conflict", display)[:TOP_CONFLICTS]


def digest(story: Mapping[str, Any], display: Display | None = None) -> dict[str, Any]:
    """What every format shows of a story, in its order, for templates (the web UI): the summary
    (``coverage``, ``counts``, ``top`` conflicts with their ``why``), the listed ``conflicts``
    and ``hidden`` ones, ``corroborated``, and single-source ``groups`` by outlet, ranked by the
    story's main ``actors``."""
    s = _Story.build(story)
    return {"coverage": s.coverage(), "counts": s.counts(display),
            "top": [{"finding": f, "why": why(f)} for f in s.top_conflicts(display)],
            "conflicts": s.shown("conflict", display), "hidden": s.hidden_conflicts(display),
            "corroborated": s.shown("corroborated", display),
            "groups": s.single_source_groups(), "actors": [a for a, _, _ in s.actors()]}


def _mentions(text: str, name: str) -> bool:
    """True when ``name`` occurs in ``text`` as whole words."""
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) is not None


def why(finding: Mapping[str, Any]) -> str:
    """A finding's reason on one line: its detail's first sentence (shortened), else its signals."""
    detail = " ".join(str(finding.get("detail") or "").split())
    if detail:
        return _shorten(_first_sentence(detail), WHY_LIMIT)
    return _join(str(s) for s in finding.get("signals") or [])


#: Words whose full stop ends no sentence.
_ABBREVIATIONS = frozenset("mr mrs ms dr st sen rep gov gen lt col sgt jr sr prof rev vs no".split())


def _first_sentence(text: str) -> str:
    for m in re.finditer(r"[.!?]\s+(?=[A-Z“\"(])", text):
        word = re.search(r"(\w+)\W*$", text[:m.start()])
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue  # "Paul D. Ryan", "Mr. Ryan"
        return text[:m.start() + 1]
    return text


def confidence_note(finding: Mapping[str, Any]) -> str:
    """"confidence 0.72" when reconciliation weighed the finding (a bare 1.0 with no signals says nothing)."""
    if finding.get("confidence") is None or (_confidence(finding) >= 1.0 and not finding.get("signals")):
        return ""
    return f"confidence {_confidence(finding):.2f}"


def _count(n: int, kind: str) -> str:
    if kind == "conflict":
        return f"{n} conflict{'s' * (n != 1)}"
    return f"{n} {kind.replace('_', '-')}"


def _outlet_labels(articles: list[Mapping[str, Any]]) -> dict[str, str]:
    """Outlet name per article id; outlets shared by several articles get a suffix.

    Two "unknown" articles become "unknown (Storm hits harbour)" and
    "unknown (Mayor pledges…)" - or the short article id when titles do not tell them apart.
    """
    by_outlet: dict[str, list[str]] = {}
    for pos, art in enumerate(articles):
        by_outlet.setdefault(str(art.get("outlet") or "unknown"), []).append(str(art.get("id", pos)))
    titles = {str(a.get("id", pos)): a.get("title") for pos, a in enumerate(articles)}
    labels: dict[str, str] = {}
    for outlet, ids in by_outlet.items():
        if len(ids) == 1:
            labels[ids[0]] = outlet
            continue
        short_titles = [_shorten(str(titles[i]), 28) if titles[i] else "" for i in ids]
        if all(short_titles) and len(set(short_titles)) == len(ids):
            suffixes = short_titles
        else:
            suffixes = [_short_id(i) for i in ids]
            if len(set(suffixes)) < len(ids):
                suffixes = ids
        for aid, suffix in zip(ids, suffixes, strict=True):
            labels[aid] = f"{outlet} ({suffix})"
    return labels


def _article_date(article: Mapping[str, Any]) -> str:
    published = article.get("published")
    if not published:
        return "undated"
    if article.get("published_inferred"):
        return f"{_fmt_date(published)} (date inferred)"
    return _fmt_date(published)


def _quote_meta(story: _Story, q: Mapping[str, Any]) -> str:
    kind = str(q.get("kind") or "quote")
    cue = _cue_words(q)
    parts = [story.outlet(q.get("article_id")), f"{kind} ({cue})" if cue else kind]
    if q.get("said_on"):
        parts.append(f"said {_fmt_date(q.get('said_on'))}")
    return ", ".join(parts)


def _cue_words(q: Mapping[str, Any]) -> str:
    """The quote's cue on one line: shown beside its kind, it tells "denied that ..." from "said that ..."."""
    return " ".join(str(q.get("cue") or "").split())


def _quote_words(q: Mapping[str, Any]) -> str:
    """The quote's words on one line, without the comma a quote ends on before its cue."""
    return " ".join(str(q.get("text") or "").split()).rstrip(",")


def quote_display(q: Mapping[str, Any], limit: int | None = None) -> str:
    """A quote as the text gives it: a direct quote in quotation marks; a mixed or indirect one as
    written, so only its verbatim parts (which carry their own marks) read as the speaker's words."""
    text = _quote_words(q)
    if q.get("kind") != "direct":
        return _shorten(text, limit) if limit is not None else text
    # one enclosing pair, when the slice carries it and taking it off leaves the inner marks
    # balanced: "I said, 'fine'" and "'Tis done, she said 'fine'" keep every mark they have
    if len(text) > 1 and text[-1] in _CLOSERS.get(text[0], "") and _balanced(text[1:-1], text[0], text[-1]):
        text = text[1:-1].strip()
    if limit is not None:
        text = _shorten(text, limit - 2)
    return "“" + text + "”"


def _balanced(text: str, opener: str, closer: str) -> bool:
    """True when ``text`` holds as many ``opener`` as ``closer`` marks (an apostrophe between
    letters, as in "don't", is no quotation mark)."""
    marks = [m.group() for m in re.finditer(f"[{re.escape(opener + closer)}]", text)
             if not (0 < m.start() < len(text) - 1 and text[m.start() - 1].isalpha() and text[m.start() + 1].isalpha())]
    if opener == closer:
        return len(marks) % 2 == 0
    return marks.count(opener) == marks.count(closer)


def _checked_slice(text: str | None, ev: Mapping[str, Any]) -> tuple[int, str, int] | None:
    """(start, text[start:end], end) when the offsets are valid and agree with the evidence text."""
    if text is None:
        return None
    start, end = ev.get("start"), ev.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start <= end <= len(text):
        return None
    piece = text[start:end]
    if ev.get("text") and piece != ev.get("text"):
        return None  # offsets and text disagree: never highlight the wrong words
    return start, piece, end


def _stories(report: Mapping[str, Any]) -> list[_Story]:
    return [_Story.build(s) for s in report.get("stories") or []]


# --------------------------------------------------------------------------- text (rich)


def _heading(title: str) -> Text:
    return Text(f"\n{title}", style="bold underline")


def _table(*columns: tuple[str, dict[str, Any]]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    for name, kwargs in columns:
        table.add_column(name, **kwargs)
    return table


def _item(body: Text, indent: int, bullet: str = "•") -> Padding:
    """A bulleted line whose continuation lines hang under the text, not the bullet."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text(bullet), body)
    return Padding(grid, (0, 0, 0, indent))


def _text_findings(story: _Story, items: list[Mapping[str, Any]], *, evidence: bool = True,
                   outlets: bool = False) -> list[RenderableType]:
    """Findings as bullets; with ``evidence`` each cited slice below its finding, else (with
    ``outlets``) the outlets that carry it on the finding's line."""
    out: list[RenderableType] = []
    for f in items:
        body = Text(str(f.get("about") or ""), style="bold")
        if f.get("detail") and evidence:
            body.append(f" — {f.get('detail')}", style="not bold")
        note = confidence_note(f)
        if note and f.get("kind") == "conflict":
            body.append(f" [{note}]", style="dim")
        if outlets and not evidence:
            body.append(f" — {_join(story.outlets(ev.get('article_id') for ev in f.get('evidence') or []))}",
                        style="cyan")
        out.append(_item(body, 2))
        if evidence:
            for ev in f.get("evidence") or []:
                evl = Text(f"{story.outlet(ev.get('article_id'))}: ", style="cyan")
                evl.append(f"“{_shorten(story.evidence_text(ev), TEXT_QUOTE_LIMIT)}”", style="default")
                out.append(_item(evl, 4, bullet="›"))
    return out


def _more(n: int, what: str) -> Padding:
    return Padding(Text(f"… {n} more {what} (--all lists them)", style="dim"), (0, 0, 0, 2))


def _text_story(story: _Story, number: int, total: int, display: Display) -> list[RenderableType]:
    # Every report string goes into a Text object: rich would read "[...]" in a plain str as markup.
    out: list[RenderableType] = []
    header = Text(story.title, style="bold")
    header.append(f"\n{story.coverage()}", style="dim")
    header.append(f"\n{story.counts(display)}", style="dim")
    top = story.top_conflicts(display)
    if top:
        header.append("\nTop conflicts:", style="bold red")
        for i, f in enumerate(top, 1):
            header.append(f"\n {i}. ")
            header.append(str(f.get("about") or ""), style="bold")
            reason = why(f)
            if reason:
                header.append(f" — {reason}")
    out.append(Panel(header, title=f"Story {number}/{total}", title_align="left", box=box.ROUNDED))

    for kind in ("conflict", "corroborated"):
        items = story.shown(kind, display)
        hidden = story.hidden_conflicts(display) if kind == "conflict" else []
        if not items and not hidden:
            continue
        out.append(Text(f"\n{FINDING_HEADINGS[kind].upper()} ({len(items)})", style=_FINDING_STYLES[kind]))
        # a conflict needs each side's words to be judged; a corroboration's outlets say enough
        out += _text_findings(story, items, evidence=kind == "conflict" or display.full, outlets=True)
        if hidden:
            out.append(Padding(Text(f"{len(hidden)} more below confidence {display.min_confidence:g} "
                                    "(--all lists them)", style="dim"), (0, 0, 0, 2)))
    if not story.findings():
        out.append(Padding(Text("\nNo findings.", style="dim"), (0, 0, 0, 2)))

    out.append(_heading("Who said what"))
    speakers = story.speakers()
    if not speakers:
        out.append(Padding(Text("No attributed statements found.", style="dim"), (0, 0, 0, 2)))
    listed_speakers = speakers if display.full else speakers[:TEXT_SPEAKERS]
    for name, quotes in listed_speakers:
        out.append(Text(f"{name} ({len(quotes)})", style="bold magenta" if name != UNATTRIBUTED else "dim"))
        listed = quotes if display.full else quotes[:FOLDED_SHOWN]
        for q in listed:
            style = "italic" if q.get("kind") == "indirect" else ""
            body = Text(quote_display(q, TEXT_QUOTE_LIMIT), style=style)
            body.append(f" — {_quote_meta(story, q)}", style="cyan")
            out.append(_item(body, 2))
        if len(quotes) > len(listed):
            out.append(_more(len(quotes) - len(listed), "quotes"))
    rest = speakers[len(listed_speakers):]
    if rest:
        n_rest = sum(len(q) for _, q in rest)
        out.append(Text(f"… {len(rest)} more speakers with {n_rest} quote{'s' * (n_rest != 1)}: "
                        f"{_shorten(_join(name for name, _ in rest), 160)} (--all lists them)", style="dim"))

    groups = story.single_source_groups()
    extra = [k for k, _ in story.findings() if k not in FINDING_ORDER]
    if groups:
        n = sum(len(items) for _, items in groups)
        out.append(Text(f"\n{FINDING_HEADINGS['single_source'].upper()} ({n})", style=_FINDING_STYLES["single_source"]))
        actors = [a for a, _, _ in story.actors()]
        if actors:
            out.append(Padding(Text(f"by outlet; items about the main actors first ({_join(actors)})", style="dim"),
                               (0, 0, 0, 2)))
        for outlet, items in groups:
            out.append(Padding(Text(f"{outlet} ({len(items)})", style="cyan"), (0, 0, 0, 2)))
            listed = items if display.full else items[:FOLDED_SHOWN]
            out += [Padding(r, (0, 0, 0, 2)) for r in _text_findings(story, listed, evidence=display.full)]
            if len(items) > len(listed):
                out.append(Padding(_more(len(items) - len(listed), f"from {outlet}"), (0, 0, 0, 2)))
    for kind in extra:
        out.append(Text(f"\n{kind.replace('_', ' ').upper()}", style="bold"))
        out += _text_findings(story, dict(story.findings())[kind])

    out.append(_heading("Articles"))
    arts = _table(("Outlet", {"style": "cyan", "overflow": "fold", "max_width": 32}),
                  ("Title", {"overflow": "fold", "ratio": 1, "min_width": 20}),
                  ("Date", {"no_wrap": True}))
    for art in story.articles:
        date_text = _article_date(art)
        title = _shorten(art.get("title") or "(untitled)", TEXT_TITLE_LIMIT)
        arts.add_row(Text(story.outlet(art.get("id"))), Text(title),
                     Text(date_text, style="dim" if date_text == "undated" else ""))
    out.append(arts)

    people = story.people()
    if people:
        out.append(_heading("People"))
        table = _table(("Name", {"style": "bold", "overflow": "fold", "max_width": 28}),
                       ("Titles (outlets)", {"overflow": "fold", "ratio": 1}))
        for ent in people if display.full else people[:TEXT_ROWS]:
            cell = Text()
            for i, (title, outlets) in enumerate(story.title_variants(ent)):
                if i:
                    cell.append("\n")
                cell.append(title)
                cell.append(f" ({_join(outlets)})", style="dim")
            aliases = [a for a in ent.get("aliases") or [] if a != ent.get("name")]
            if aliases:
                cell.append(("\n" if cell.plain else "") + "also: " + _join(aliases), style="italic dim")
            table.add_row(Text(str(ent.get("name", ""))), cell)
        out.append(table)
        if not display.full and len(people) > TEXT_ROWS:
            out.append(_more(len(people) - TEXT_ROWS, "people"))
    others = story.others()
    if others:
        line = Text("Also named: ", style="bold")
        line.append(_join(str(e.get("name", "")) for e in others), style="not bold")
        out.append(Text(""))
        out.append(line)

    events = story.events()
    if events:
        out.append(_heading("Timeline"))
        table = _table(("Date", {"no_wrap": True}), ("What", {"overflow": "fold", "ratio": 1}),
                       ("Outlets", {"style": "dim", "overflow": "fold", "max_width": 32}))
        for ev in events if display.full else events[:TEXT_ROWS]:
            table.add_row(Text(_fmt_date(ev.get("date")) or "undated"),
                          Text(_shorten(ev.get("description") or "", 200)),
                          Text(_join(story.outlets(ev.get("article_ids") or []))))
        out.append(table)
        if not display.full and len(events) > TEXT_ROWS:
            out.append(_more(len(events) - TEXT_ROWS, "dated events"))
    return out


def _index_lines(stories: list[_Story], display: Display) -> list[str]:
    """The report's opening lines when it holds several stories: the order they are in, and each one."""
    lines = [f"{len(stories)} stories" + (f", {display.order}" if display.order else "") + ":"]
    for n, s in enumerate(stories, 1):
        conflicts = len(s.shown("conflict", display))
        lines.append(f"{n}. {_shorten(s.title, TEXT_TITLE_LIMIT)} ({len(s.articles)} article"
                     f"{'s' * (len(s.articles) != 1)}, {conflicts} conflict{'s' * (conflicts != 1)})")
    return lines


def _text_renderables(report: Mapping[str, Any], display: Display) -> list[RenderableType]:
    stories = _stories(report)
    if not stories:
        return [Text(NO_STORIES)]
    out: list[RenderableType] = []
    if len(stories) > 1:
        index = _index_lines(stories, display)
        out.append(Text(index[0], style="bold"))
        out += [Padding(Text(line), (0, 0, 0, 2)) for line in index[1:]]
        out.append(Text(""))
    for n, story in enumerate(stories, 1):
        if n > 1:
            out.append(Rule(style="dim"))
        out.extend(_text_story(story, n, len(stories), display))
    return out


def print_text(report: Mapping[str, Any], console: Console, display: Display | None = None) -> None:
    """Print the terminal report to ``console`` (its width and colour settings apply)."""
    console.print(Group(*_text_renderables(report, display or Display())))


def render_text(report: Mapping[str, Any], *, console_width: int | None = None, color: bool = False,
                display: Display | None = None) -> str:
    """The terminal report as a string, ``console_width`` columns wide (default 100)."""
    buf = io.StringIO()
    console = Console(file=buf, width=console_width or 100, force_terminal=color, no_color=not color,
                      color_system="standard" if color else None, highlight=False, emoji=False,
                      legacy_windows=False)
    print_text(report, console, display)
    text = buf.getvalue()
    return text if color else "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(s: Any) -> str:
    """Inline Markdown text: whitespace collapsed, markup characters (and raw HTML) escaped."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(s).split()))


def _md_findings(story: _Story, items: list[Mapping[str, Any]]) -> list[str]:
    lines = []
    for f in items:
        item = f"- **{_md(f.get('about') or '')}**"
        if f.get("detail"):
            item += f" — {_md(f.get('detail'))}"
        note = confidence_note(f)
        if note and f.get("kind") == "conflict":
            item += f" *({note})*"
        lines.append(item)
        for ev in f.get("evidence") or []:
            outlet = _md(story.outlet(ev.get("article_id")))
            lines.append(f"  - {outlet}: “{_md(story.evidence_text(ev))}”")
    return lines


def _md_folded(summary: str, lines: list[str], open_: bool = False) -> list[str]:
    """A folded block (GitHub renders <details>); Markdown inside needs the blank lines."""
    return [f"<details{' open' if open_ else ''}><summary>{html.escape(summary)}</summary>", "", *lines, "",
            "</details>", ""]


def render_markdown(report: Mapping[str, Any], display: Display | None = None) -> str:
    """The report as Markdown (GitHub-flavoured tables; folded lists in <details>)."""
    display = display or Display()
    stories = _stories(report)
    lines = ["# storyline report", ""]
    if not stories:
        return "\n".join([*lines, NO_STORIES, ""])
    if len(stories) > 1:
        index = _index_lines(stories, display)
        lines += [_md(index[0]), "", *(_md(line) for line in index[1:]), ""]
    for n, story in enumerate(stories, 1):
        lines += [f"## Story {n}: {_md(story.title)}", "", _md(story.coverage()), "",
                  f"*{_md(story.counts(display))}*", ""]
        top = story.top_conflicts(display)
        if top:
            lines += ["**Top conflicts:**", ""]
            lines += [f"{i}. **{_md(f.get('about') or '')}**" + (f" — {_md(why(f))}" if why(f) else "")
                      for i, f in enumerate(top, 1)]
            lines.append("")

        for kind in ("conflict", "corroborated"):
            items = story.shown(kind, display)
            hidden = story.hidden_conflicts(display) if kind == "conflict" else []
            if not items and not hidden:
                continue
            lines += [f"### {FINDING_HEADINGS[kind]} ({len(items)})", "", *_md_findings(story, items), ""]
            if hidden:
                lines += _md_folded(f"{len(hidden)} more below confidence {display.min_confidence:g}",
                                    _md_findings(story, hidden))
        if not story.findings():
            lines += ["No findings.", ""]

        lines += ["### Who said what", ""]
        speakers = story.speakers()
        if not speakers:
            lines += ["No attributed statements found.", ""]
        for name, quotes in speakers:
            lines += [f"#### {_md(name)} ({len(quotes)})", ""]
            rows = []
            for q in quotes:
                body = _md(quote_display(q))
                if q.get("kind") == "indirect":
                    body = f"*{body}*"
                rows.append(f"- {body} — {_md(_quote_meta(story, q))}")
            shown = len(rows) if display.full else FOLDED_SHOWN
            lines += rows[:shown]
            if rows[shown:]:
                lines += ["", *_md_folded(f"{len(rows) - shown} more", rows[shown:])]
            else:
                lines.append("")

        groups = story.single_source_groups()
        if groups:
            total = sum(len(items) for _, items in groups)
            lines += [f"### {FINDING_HEADINGS['single_source']} ({total})", ""]
            actors = [a for a, _, _ in story.actors()]
            if actors:
                lines += [f"*By outlet; items about the main actors first ({_md(_join(actors))}).*", ""]
            for outlet, items in groups:
                lines += _md_folded(f"{outlet} ({len(items)})", _md_findings(story, items), open_=display.full)
        for kind, items in story.findings():
            if kind not in FINDING_ORDER:
                lines += [f"### {_md(kind.replace('_', ' ').capitalize())} ({len(items)})", "",
                          *_md_findings(story, items), ""]

        lines += ["### Articles", "", "| Outlet | Title | Date |", "|---|---|---|"]
        for art in story.articles:
            title = _md(art.get("title") or "(untitled)")
            url = str(art.get("url") or "")
            if _safe_url(url):
                title = f"[{title}](<{_md_url(url)}>)"
            lines.append(f"| {_md(story.outlet(art.get('id')))} | {title} | {_md(_article_date(art))} |")
        lines.append("")

        people = story.people()
        if people:
            lines += ["### People", ""]
            for ent in people:
                variants = "; ".join(f"{_md(t)} ({_md(_join(o))})" for t, o in story.title_variants(ent))
                aliases = [a for a in ent.get("aliases") or [] if a != ent.get("name")]
                item = f"- **{_md(ent.get('name', ''))}**"
                if variants:
                    item += f" — {variants}"
                if aliases:
                    item += f" *(also: {_md(_join(aliases))})*"
                lines.append(item)
            lines.append("")
        others = story.others()
        if others:
            lines += [f"Also named: {_md(_join(str(e.get('name', '')) for e in others))}", ""]

        events = story.events()
        if events:
            lines += ["### Timeline", ""]
            for ev in events:
                when = _fmt_date(ev.get("date")) or "undated"
                lines.append(f"- **{_md(when)}** — {_md(ev.get('description') or '')} "
                             f"*({_md(_join(story.outlets(ev.get('article_ids') or [])))})*")
            lines.append("")
    return "\n".join(lines)


def _md_url(url: str) -> str:
    return url.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")


# --------------------------------------------------------------------------- HTML


def _safe_url(url: str) -> bool:
    """Only http(s) links are rendered: a "javascript:" URL from a feed must not become a link."""
    return bool(re.match(r"https?://", url.strip(), re.IGNORECASE))


_CSS = """
:root{--fg:#1d232a;--muted:#5b6570;--bg:#fff;--card:#f6f7f9;--line:#dde1e6;--accent:#1f5fa8;
--conflict:#b3261e;--conflict-bg:#fdecea;--corroborated:#1e7b34;--corroborated-bg:#e8f5ec;
--single:#8a5a00;--single-bg:#fff6e0;--mark:#ffe58a}
@media (prefers-color-scheme:dark){:root{--fg:#e4e7eb;--muted:#9aa4af;--bg:#15191e;--card:#1e242b;
--line:#333c46;--accent:#7fb2ec;--conflict:#ff8a80;--conflict-bg:#3a1f1d;--corroborated:#81c995;
--corroborated-bg:#1c3324;--single:#f2c66d;--single-bg:#3a3020;--mark:#6b5a12}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif}
main{max-width:60rem;margin:0 auto;padding:1.5rem 1rem 4rem;overflow-wrap:anywhere}
h1{font-size:1.6rem;margin:.2rem 0 1rem}h2{font-size:1.35rem;margin:2.5rem 0 .2rem}
h3{font-size:1.05rem;margin:1.6rem 0 .5rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted)}
h4{font-size:1rem;margin:1rem 0 .3rem}
.summary,.meta,.muted{color:var(--muted)}.meta{font-size:.88rem}
section.story{border-top:3px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.93rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}
th{color:var(--muted);font-weight:600}
td.date{white-space:nowrap}
a{color:var(--accent)}
ul{padding-left:1.2rem}li{margin:.25rem 0}
.outlet{font-weight:600;color:var(--accent)}
.kind{font-size:.75rem;text-transform:uppercase;letter-spacing:.04em;border:1px solid var(--line);
border-radius:.25rem;padding:0 .3rem;color:var(--muted)}
.indirect{font-style:italic}.cue{font-style:italic}
.overview{background:var(--card);border-radius:.35rem;padding:.5rem .9rem;margin:.6rem 0}
.overview p{margin:.25rem 0}.top-title{font-weight:700;color:var(--conflict)}ol.top{margin:.2rem 0}
details.group{border:1px solid var(--line);border-radius:.35rem;padding:.2rem .7rem;margin:.4rem 0}
.scroll{overflow-x:auto}
.finding{border-left:4px solid var(--line);background:var(--card);padding:.6rem .9rem;margin:.6rem 0;
border-radius:0 .35rem .35rem 0}
.finding.conflict{border-color:var(--conflict);background:var(--conflict-bg)}
.finding.corroborated{border-color:var(--corroborated);background:var(--corroborated-bg)}
.finding.single_source{border-color:var(--single);background:var(--single-bg)}
.finding .about{font-weight:600}
.badge{font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em;margin-right:.4rem}
.conflict .badge{color:var(--conflict)}.corroborated .badge{color:var(--corroborated)}
.single_source .badge{color:var(--single)}
blockquote.evidence{margin:.5rem 0 0;padding:.35rem .7rem;background:var(--bg);border-radius:.3rem;
font-size:.93rem}
mark{background:var(--mark);color:inherit;padding:0 .1rem}
details{margin:.3rem 0}summary{cursor:pointer;color:var(--muted)}
.fulltext{white-space:pre-wrap;font-size:.9rem;background:var(--card);padding:.7rem;border-radius:.3rem}
"""

_CONTEXT_LIMIT = 320  # characters of paragraph shown on each side of a highlighted slice


def _e(s: Any) -> str:
    return html.escape(str(s), quote=True)


def _evidence_html(story: _Story, ev: Mapping[str, Any]) -> str:
    """The cited slice in its paragraph, highlighted with <mark>; the bare evidence when offsets fail."""
    checked = _checked_slice(story.article_text(ev.get("article_id")), ev)
    if checked is None:
        return f"<mark>{_e(story.evidence_text(ev))}</mark>"
    text = story.article_text(ev.get("article_id")) or ""
    start, piece, end = checked
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", end)
    para_end = len(text) if para_end == -1 else para_end
    before, after = text[para_start:start], text[end:para_end]
    if len(before) > _CONTEXT_LIMIT:
        before = "…" + before[-_CONTEXT_LIMIT:]
    if len(after) > _CONTEXT_LIMIT:
        after = after[:_CONTEXT_LIMIT] + "…"
    return f"{_e(before)}<mark>{_e(piece)}</mark>{_e(after)}"


def _html_finding(story: _Story, f: Mapping[str, Any], outlet_link: Callable[[Any], str]) -> list[str]:
    kind = str(f.get("kind") or "other")
    css = kind if kind in FINDING_ORDER else "other"
    badge = _FINDING_BADGES.get(kind, kind.replace("_", " ").capitalize())
    h = [f'<div class="finding {css}" data-kind="{_e(kind)}"><span class="badge">{_e(badge)}</span>'
         f'<span class="about">{_e(f.get("about") or "")}</span>']
    note = confidence_note(f)
    if note and kind == "conflict":
        h.append(f' <span class="meta">{_e(note)}</span>')
    if f.get("detail"):
        h.append(f"<div>{_e(f.get('detail'))}</div>")
    for ev in f.get("evidence") or []:
        h.append(f'<blockquote class="evidence">{outlet_link(ev.get("article_id"))}: '
                 f"{_evidence_html(story, ev)}</blockquote>")
    h.append("</div>")
    return h


def _html_quote(story: _Story, q: Mapping[str, Any], outlet_link: Callable[[Any], str]) -> str:
    kind = str(q.get("kind") or "quote")
    if kind == "direct":
        body = f'<span class="direct">{_e(quote_display(q))}</span>'
    else:  # mixed and indirect quotes as written: only their verbatim parts carry quotation marks
        body = f'<span class="{"indirect" if kind == "indirect" else "mixed"}">{_e(quote_display(q))}</span>'
    cue = _cue_words(q)
    meta = [outlet_link(q.get("article_id")),
            f'<span class="kind">{_e(kind)}</span>' + (f' <span class="cue">({_e(cue)})</span>' if cue else "")]
    if q.get("said_on"):
        meta.append(f"said {_e(_fmt_date(q.get('said_on')))}")
    return f"<li>{body} <span class=\"meta\">— {' · '.join(meta)}</span></li>"


def _html_story(story: _Story, n: int, anchor: Callable[[Any], str], display: Display) -> list[str]:
    h: list[str] = [f'<section class="story" id="story-{n}">', f"<h2>{_e(story.title)}</h2>",
                    '<div class="overview">', f'<p class="coverage">{_e(story.coverage())}</p>',
                    f'<p class="summary">{_e(story.counts(display))}</p>']

    def outlet_link(article_id: Any) -> str:
        return f'<a class="outlet" href="#{anchor(article_id)}">{_e(story.outlet(article_id))}</a>'

    top = story.top_conflicts(display)
    if top:
        h.append('<p class="top-title">Top conflicts</p><ol class="top">')
        h += [f'<li><strong>{_e(f.get("about") or "")}</strong>' + (f" — {_e(why(f))}" if why(f) else "") + "</li>"
              for f in top]
        h.append("</ol>")
    h.append("</div>")

    for kind in ("conflict", "corroborated"):
        items = story.shown(kind, display)
        hidden = story.hidden_conflicts(display) if kind == "conflict" else []
        if not items and not hidden:
            continue
        h.append(f"<h3>{_e(FINDING_HEADINGS[kind])} ({len(items)})</h3>")
        for f in items:
            h += _html_finding(story, f, outlet_link)
        if hidden:
            h.append(f'<details class="group"><summary>{len(hidden)} more below confidence '
                     f"{display.min_confidence:g}</summary>")
            for f in hidden:
                h += _html_finding(story, f, outlet_link)
            h.append("</details>")
    if not story.findings():
        h.append('<p class="muted">No findings.</p>')

    h.append("<h3>Who said what</h3>")
    speakers = story.speakers()
    if not speakers:
        h.append('<p class="muted">No attributed statements found.</p>')
    for name, quotes in speakers:
        h += [f"<h4>{_e(name)} <span class=\"meta\">({len(quotes)})</span></h4>", "<ul>"]
        shown = len(quotes) if display.full else FOLDED_SHOWN
        h += [_html_quote(story, q, outlet_link) for q in quotes[:shown]]
        h.append("</ul>")
        if quotes[shown:]:
            h += [f'<details class="group"><summary>{len(quotes) - shown} more</summary><ul>',
                  *(_html_quote(story, q, outlet_link) for q in quotes[shown:]), "</ul></details>"]

    groups = story.single_source_groups()
    if groups:
        total = sum(len(items) for _, items in groups)
        h.append(f"<h3>{_e(FINDING_HEADINGS['single_source'])} ({total})</h3>")
        actors = [a for a, _, _ in story.actors()]
        if actors:
            h.append(f'<p class="meta">By outlet; items about the main actors first ({_e(_join(actors))}).</p>')
        for outlet, items in groups:
            h.append(f'<details class="group"{" open" if display.full else ""}><summary>{_e(outlet)} '
                     f"({len(items)})</summary>")
            for f in items:
                h += _html_finding(story, f, outlet_link)
            h.append("</details>")
    for kind, items in story.findings():
        if kind not in FINDING_ORDER:
            h.append(f"<h3>{_e(kind.replace('_', ' ').capitalize())} ({len(items)})</h3>")
            for f in items:
                h += _html_finding(story, f, outlet_link)

    h += ["<h3>Articles</h3>",
          '<div class="scroll"><table><thead><tr><th>Outlet</th><th>Title</th><th>Date</th></tr></thead><tbody>']
    for art in story.articles:
        title = _e(art.get("title") or "(untitled)")
        url = str(art.get("url") or "")
        if _safe_url(url):
            title = f'<a href="{_e(url)}" rel="noopener noreferrer">{title}</a>'
        h.append(f'<tr id="{anchor(art.get("id"))}"><td class="outlet">{_e(story.outlet(art.get("id")))}</td>'
                 f'<td>{title}</td><td class="date">{_e(_article_date(art))}</td></tr>')
    h.append("</tbody></table></div>")

    people = story.people()
    if people:
        h += ["<h3>People</h3>",
              '<div class="scroll"><table><thead><tr><th>Name</th><th>Titles, by outlet</th></tr></thead><tbody>']
        for ent in people:
            variants = "<br>".join(f'{_e(t)} <span class="meta">({_e(_join(o))})</span>'
                                   for t, o in story.title_variants(ent))
            aliases = [a for a in ent.get("aliases") or [] if a != ent.get("name")]
            if aliases:
                also = f'<span class="meta">also: {_e(_join(aliases))}</span>'
                variants += ("<br>" if variants else "") + also
            h.append(f"<tr><td><strong>{_e(ent.get('name', ''))}</strong></td><td>{variants}</td></tr>")
        h.append("</tbody></table></div>")
    others = story.others()
    if others:
        h.append(f'<p class="meta">Also named: {_e(_join(str(e.get("name", "")) for e in others))}</p>')

    events = story.events()
    if events:
        h += ["<h3>Timeline</h3>", '<div class="scroll"><table><tbody>']
        for ev in events:
            links = ", ".join(outlet_link(a) for a in ev.get("article_ids") or [])
            h.append(f'<tr><td class="date">{_e(_fmt_date(ev.get("date")) or "undated")}</td>'
                     f"<td>{_e(ev.get('description') or '')}</td><td class=\"meta\">{links}</td></tr>")
        h.append("</tbody></table></div>")

    texts = [a for a in story.articles if isinstance(a.get("text"), str) and a.get("text")]
    if texts:
        h.append("<h3>Article texts</h3>")
        for art in texts:
            label = story.outlet(art.get("id")) + (f" — {art['title']}" if art.get("title") else "")
            h.append(f'<details><summary>{_e(label)}</summary>'
                     f'<div class="fulltext">{_e(art.get("text"))}</div></details>')
    h.append("</section>")
    return h


def render_html(report: Mapping[str, Any], display: Display | None = None) -> str:
    """The report as one self-contained HTML page (inline CSS, no scripts, every string escaped)."""
    display = display or Display()
    stories = _stories(report)
    title = "storyline report" if len(stories) != 1 else f"storyline: {stories[0].title}"
    page = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_e(title)}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", "<main>",
            "<h1>storyline report</h1>"]
    if not stories:
        page.append(f'<p class="muted">{_e(NO_STORIES)}</p>')
    elif len(stories) > 1:
        index = _index_lines(stories, display)
        page.append(f'<nav><p class="meta">{_e(index[0])}</p><ol>'
                    + "".join(f'<li><a href="#story-{n}">{_e(line.split(". ", 1)[1])}</a></li>'
                              for n, line in enumerate(index[1:], 1)) + "</ol></nav>")
    for n, story in enumerate(stories, 1):
        # Anchors come from positions, not ids: an article id is untrusted text.
        positions = story.article_pos

        def anchor(article_id: Any, n: int = n, positions: dict[str, int] = positions) -> str:
            return f"s{n}-a{positions.get(str(article_id), 'x')}"

        page += _html_story(story, n, anchor, display)
    page += ["</main>", "</body>", "</html>", ""]
    return "\n".join(page)


# --------------------------------------------------------------------------- dispatch


def render_json(report: Mapping[str, Any]) -> str:
    """The report as indented JSON (the ``storyline.report/1`` contract itself)."""
    return json.dumps(report, indent=2, ensure_ascii=False)


def write_json(report: Mapping[str, Any], fp: TextIO) -> None:
    """:func:`render_json`'s text and a line break, written to ``fp`` piece by piece: ``json.dumps``
    of a large report holds millions of small strings before joining them (22,600 articles: a
    60 MB report took the command from 481 MB to 944 MB)."""
    json.dump(report, fp, indent=2, ensure_ascii=False)  # the same settings as render_json
    fp.write("\n")


def render(report: Mapping[str, Any], fmt: str, display: Display | None = None) -> str:
    """Render ``report`` in format ``fmt`` (one of FORMATS); ValueError names the valid ones.

    ``display`` says how much the text, Markdown and HTML reports list; JSON is the report as given.
    """
    if fmt == "json":
        return render_json(report)
    if fmt == "text":
        return render_text(report, display=display)
    if fmt == "md":
        return render_markdown(report, display)
    if fmt == "html":
        return render_html(report, display)
    raise ValueError(f"unknown report format {fmt!r}; valid formats: {', '.join(FORMATS)}")
