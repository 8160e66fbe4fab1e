"""Publication dates from the text, measured on ECB+ (``storyline eval pubdates``).

ECB+ documents carry no metadata: many "ecbplus" documents state their date on a line of
their own ("Posted: Jul 07, 2012 7: 40 PM ET"), the "ecb" ones almost never. Each document
is read as the clustering evaluation reads it (``clusters.read_ecbplus``: the URL sentence
becomes ``url``) and cleaned as storyline cleans any article; the date it gets is compared
with two references that do not come from storyline's reader: the date in the document's
URL, and the date the ECB+ reader finds in a short header line (``find_date``: the first
date in one of the first four sentences, month first for numeric dates). Neither is gold:
disagreements are listed with their date lines so they can be read.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..articles import outlet_from_url
from ..clean import DATE_LINE, clean
from ..models import Article
from ..pubdate import url_date
from .clusters import GoldDoc, read_ecbplus


@dataclass(frozen=True, slots=True)
class DatedDoc:
    """One document: the date storyline gives it, the two references and its date lines."""

    name: str
    half: str  # ecb | ecbplus
    storyline: date | None
    reader: date | None
    url: date | None
    date_lines: tuple[str, ...]


def date_docs(docs: Sequence[GoldDoc]) -> list[DatedDoc]:
    """Clean each document with no publication date given and record the date it gets."""
    out = []
    for doc in docs:
        article = Article(doc.name, doc.text, doc.name, outlet=outlet_from_url(doc.url) or "unknown", url=doc.url)
        cleaned = clean(article)
        half = "ecbplus" if doc.name.endswith("ecbplus.xml") else "ecb"
        lines = tuple(span.text for span in cleaned.removed if span.reason == DATE_LINE)
        out.append(DatedDoc(doc.name, half, cleaned.article.published, doc.published, url_date(doc.url), lines))
    return out


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def score_dates(dated: Sequence[DatedDoc]) -> dict[str, Any]:
    """Counts per half: dated by storyline, agreement with each reference, and the disagreements."""
    result: dict[str, Any] = {}
    for half in ("ecbplus", "ecb"):
        docs = [d for d in dated if d.half == half]
        with_reader = [d for d in docs if d.reader]
        with_url = [d for d in docs if d.url]
        differ = [d for d in docs if d.storyline != d.reader or (d.url and d.storyline and d.storyline != d.url)]
        result[half] = {
            "documents": len(docs),
            "dated_by_storyline": sum(1 for d in docs if d.storyline),
            "reader_dated": len(with_reader),
            "agree_with_reader": sum(1 for d in with_reader if d.storyline == d.reader),
            "reader_dated_left_undated": sum(1 for d in with_reader if d.storyline is None),
            "dated_where_reader_is_not": sum(1 for d in docs if d.storyline and not d.reader),
            "url_dated": len(with_url),
            "agree_with_url": sum(1 for d in with_url if d.storyline == d.url),
            "url_dated_left_undated": sum(1 for d in with_url if d.storyline is None),
            "disagreements": [
                {"name": d.name, "storyline": _iso(d.storyline), "reader": _iso(d.reader), "url": _iso(d.url),
                 "date_lines": list(d.date_lines)}
                for d in differ
            ],
        }
    return result


def evaluate_pubdates(ecbplus: Path, *, topics: Sequence[int] | range | None = None) -> dict[str, Any]:
    """Read the ECB+ topics under ``ecbplus``, date every document from its text and score it."""
    if not ecbplus.is_dir():
        raise ValueError(f"{ecbplus} is not a folder")
    docs = read_ecbplus(ecbplus, topics)
    if not docs:
        raise ValueError(f"no ECB+ documents (T/T_N*.xml) under {ecbplus}")
    return score_dates(date_docs(docs))


def pubdates_command(
    ecbplus: Annotated[Path, typer.Option(help="ECB+ folder (topic folders 1-35 are read).")],
    quiet: Annotated[bool, typer.Option("--quiet", help="Counts only, without the disagreements.")] = False,
) -> None:
    """Score publication dates read from the text on ECB+: JSON counts per half and every
    disagreement with the URL's date or the ECB+ reader's header date.

    Example: storyline eval pubdates --ecbplus ../shared/data/ecbplus
    """
    try:
        result = evaluate_pubdates(ecbplus)
    except (OSError, ValueError) as exc:
        typer.echo(f"storyline: error: {exc}", err=True)
        raise typer.Exit(2) from None
    if quiet:
        for half in result.values():
            half.pop("disagreements")
    sys.stdout.write(json.dumps(result, indent=2) + "\n")
