"""Tidy tables of a ``storyline.report/1`` report: findings, quotes and claims as CSV or TSV.

One row per observation, the same leading columns in every table (story, article, outlet,
url, speaker, cue, kind, text, start, end, confidence), so the tables load into a
spreadsheet, pandas or R and join on ``story`` and ``article``. A finding with evidence in
three articles is three rows (one per cited slice), sharing the finding's id.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from typing import Any

__all__ = ["COLUMNS", "TABLES", "rows", "write_table"]

#: Leading columns shared by every table.
COMMON = ("story", "article", "outlet", "url", "speaker", "cue", "kind", "text", "start", "end", "confidence")
#: Every table and its columns.
COLUMNS: dict[str, tuple[str, ...]] = {
    "findings": (*COMMON, "finding", "subkind", "about", "detail"),
    "quotes": (*COMMON, "quote", "speaker_text", "said_on"),
    "claims": (*COMMON, "claim", "value"),
}
TABLES = tuple(COLUMNS)


def _speaker(entities: Mapping[str, Mapping[str, Any]], q: Mapping[str, Any]) -> str:
    ent = entities.get(str(q.get("speaker_entity_id")))
    return str(ent.get("name") or "") if ent else str(q.get("speaker_text") or "")


def rows(report: Mapping[str, Any], table: str) -> Iterator[dict[str, Any]]:
    """The rows of ``table`` (one of TABLES) as dicts keyed by ``COLUMNS[table]``."""
    if table not in COLUMNS:
        raise ValueError(f"{table!r} is not a table; choose from {', '.join(TABLES)}")
    for story in report.get("stories") or []:
        sid = story.get("id")
        arts = {str(a.get("id")): a for a in story.get("articles") or []}
        entities = {str(e.get("id")): e for e in story.get("entities") or []}
        quotes = story.get("quotes") or []

        def where(article_id: Any, sid: Any = sid, arts: Mapping[str, Any] = arts) -> dict[str, Any]:
            art = arts.get(str(article_id), {})
            return {"story": sid, "article": article_id, "outlet": art.get("outlet"), "url": art.get("url")}

        if table == "quotes":
            for q in quotes:
                yield {**where(q.get("article_id")), "speaker": _speaker(entities, q), "cue": q.get("cue"),
                       "kind": q.get("kind"), "text": q.get("text"), "start": q.get("start"), "end": q.get("end"),
                       "confidence": q.get("speaker_confidence"), "quote": q.get("id"),
                       "speaker_text": q.get("speaker_text"), "said_on": q.get("said_on")}
        elif table == "claims":
            for c in story.get("claims") or []:
                yield {**where(c.get("article_id")), "speaker": None, "cue": None, "kind": c.get("kind"),
                       "text": c.get("text"), "start": c.get("start"), "end": c.get("end"), "confidence": None,
                       "claim": c.get("id"), "value": c.get("value")}
        else:
            for f in story.get("findings") or []:
                for ev in f.get("evidence") or []:
                    # the quote the evidence cites, if it cites one: its speaker and cue
                    q = next((q for q in quotes if str(q.get("article_id")) == str(ev.get("article_id"))
                              and (q.get("start") or 0) < (ev.get("end") or 0)
                              and (ev.get("start") or 0) < (q.get("end") or 0)), None)
                    yield {**where(ev.get("article_id")), "speaker": _speaker(entities, q) if q else None,
                           "cue": q.get("cue") if q else None, "kind": f.get("kind"), "text": ev.get("text"),
                           "start": ev.get("start"), "end": ev.get("end"), "confidence": f.get("confidence"),
                           "finding": f.get("id"), "subkind": f.get("subkind"), "about": f.get("about"),
                           "detail": f.get("detail")}


def write_table(report: Mapping[str, Any], table: str, fmt: str = "csv") -> str:
    """``table`` as CSV (``fmt="csv"``) or tab-separated text (``fmt="tsv"``), with a header row."""
    if fmt not in {"csv", "tsv"}:
        raise ValueError(f"{fmt!r} is not a table format; choose csv or tsv")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS[table], dialect="excel-tab" if fmt == "tsv" else "excel",
                            lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows(report, table):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buf.getvalue()
