"""Where a report goes on the command line: its format (from ``--format`` or ``--out``'s
extension), the filters and story order asked for, CSV/TSV tables, and the progress bar.

Kept apart from ``cli.py`` so the command stays a short list of options, and so that
option values are checked here, in storyline's own words, before anything slow runs.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import typer

__all__ = ["REPORT_FORMATS", "ReportRequest", "choice", "no_article_message", "number", "progress_bar",
           "write_report"]

REPORT_FORMATS = ("text", "md", "html", "json", "csv", "tsv")
TABLE_FORMATS = ("csv", "tsv")
#: What ``--out``'s extension says the format is.
SUFFIX_FORMATS = {".txt": "text", ".text": "text", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html",
                  ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv"}


def _listing(items: Iterable[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def choice(what: str, choices: Iterable[str]) -> Callable[[str], str]:
    """An option parser accepting one of ``choices`` (any case), refusing others in plain words."""
    allowed = tuple(choices)

    def parse(value: str) -> str:
        low = str(value).strip().lower()
        if low not in allowed:
            raise typer.BadParameter(f"{value!r} is not {what}; choose {_listing(allowed)}")
        return low

    return parse


def number(kind: type, *, low: float | None = None, high: float | None = None) -> Callable[[str], Any]:
    """An option parser for an int or float within [low, high], refusing others in plain words."""
    noun = "a whole number" if kind is int else "a number"

    def parse(value: str) -> Any:
        try:
            n = kind(value)
        except (TypeError, ValueError):
            raise typer.BadParameter(f"{value!r} is not {noun}") from None
        if (low is not None and n < low) or (high is not None and n > high):
            bounds = (f"from {low:g} to {high:g}" if low is not None and high is not None
                      else f"at least {low:g}" if low is not None else f"at most {high:g}")
            raise typer.BadParameter(f"{value!r} is out of range: give {noun} {bounds}")
        return n

    return parse


def process_count(value: str) -> int:
    """``--workers``: "auto" (0) or a whole number of processes, at least 1."""
    if str(value).strip().lower() == "auto":
        return 0
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise typer.BadParameter(f"{value!r} is not 'auto' or a whole number") from None
    if n < 1:
        raise typer.BadParameter(f"{value!r} is out of range: give 'auto' or a whole number at least 1")
    return n


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What the user asked of the report: its format and destination, filters, order and detail."""

    fmt: str
    out: Path | None
    table: str = "findings"
    folder: bool = False

    @classmethod
    def resolve(cls, fmt: str | None, out: str | os.PathLike[str] | None, table: str = "findings") -> ReportRequest:
        """The format: ``--format`` if given, else ``--out``'s extension, else text.

        ``--out DIR`` (an existing folder, or a path ending in "/") takes CSV or TSV: one file per table.
        Raises typer.BadParameter in plain words when the two disagree or the extension says nothing.
        """
        raw = os.fspath(out) if out is not None else None
        out = Path(raw) if raw is not None else None
        if out is not None and raw is not None and (out.is_dir() or raw.endswith(("/", os.sep))):
            if fmt is None:
                raise typer.BadParameter(f"{str(out)!r} is a folder: add --format csv or --format tsv to write "
                                         "one table per file there", param_hint="'--out'")
            if fmt not in TABLE_FORMATS:
                raise typer.BadParameter(f"{str(out)!r} is a folder; a {fmt} report is one file: give a file "
                                         "name, or --format csv|tsv for one table per file", param_hint="'--out'")
            return cls(fmt, out, table, folder=True)
        if fmt is None and out is not None:
            suffix = out.suffix.lower()
            if suffix not in SUFFIX_FORMATS:
                known = ", ".join(sorted(SUFFIX_FORMATS))
                raise typer.BadParameter(f"cannot tell the report format from {str(out)!r}: name the file with one "
                                         f"of {known}, or add --format", param_hint="'--out'")
            fmt = SUFFIX_FORMATS[suffix]
        return cls(fmt or "text", out, table)


def write_report(data: Mapping[str, Any], request: ReportRequest, display: Any) -> list[Path]:
    """Write the report where ``request`` says (stdout when no ``--out``); the files written.

    Text on a terminal is printed through rich (width and colour of the terminal); everywhere
    else the same report is plain text.
    """
    from .render import print_text, render, write_json

    if request.fmt == "json":
        # streamed: a report of many articles is never held as one string
        if request.out is not None:
            _write_atomic(request.out, lambda fp: write_json(data, fp))
            return [request.out]
        write_json(data, sys.stdout)
        return []
    if request.fmt in TABLE_FORMATS:
        from .export import TABLES, write_table

        if request.out is not None and request.folder:
            request.out.mkdir(parents=True, exist_ok=True)
            written = []
            for table in TABLES:
                path = request.out / f"{table}.{request.fmt}"
                _write_atomic(path, write_table(data, table, request.fmt))
                written.append(path)
            return written
        body = write_table(data, request.table, request.fmt)
    else:
        body = render(data, request.fmt, display) + "\n"
    if request.out is not None:
        _write_atomic(request.out, body)
        return [request.out]
    if request.fmt == "text" and sys.stdout.isatty():
        from rich.console import Console

        print_text(data, Console(), display)
    else:
        sys.stdout.write(body)
    return []


def _write_atomic(path: Path, body: str | Callable[[TextIO], None]) -> None:
    # a report is written whole or not at all: an interrupted run leaves no half file behind
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fp:
        if isinstance(body, str):
            fp.write(body)
        else:
            body(fp)
    os.replace(tmp, path)


def no_article_message(paths: Iterable[str], failures: int) -> str:
    """Why a run found nothing to analyse, on one line: what the inputs held and what was skipped."""
    from .ingest import ARTICLE_SUFFIXES

    found: Counter[str] = Counter()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for _root, dirs, files in os.walk(p):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                found.update(Path(f).suffix.lower() or "(no extension)" for f in files if not f.startswith("."))
    readable = {s for s in found if s in ARTICLE_SUFFIXES or s in {".warc", ".gz"}}
    skipped = {s: n for s, n in found.items() if s not in readable}
    parts = []
    if found:
        parts.append(f"found {sum(found.values())} file(s)")
    if skipped:
        kinds = ", ".join(f"{n} {s}" for s, n in sorted(skipped.items(), key=lambda kv: (-kv[1], kv[0])))
        parts.append(f"skipped {sum(skipped.values())} that are not article files ({kinds})")
    if failures:
        parts.append(f"{failures} input(s) could not be read (above)")
    if not parts:
        parts.append("the input is empty")
    kinds_read = "text, HTML, JSON/JSONL, RSS/Atom and WARC"
    return f"no readable article in {_listing(list(paths)) or 'the input'}: {'; '.join(parts)}; storyline reads " \
           f"{kinds_read} files"


def progress_bar(console: Any, *, disable: bool) -> Any:
    """A rich progress bar for analysis: articles done of all, rate, time elapsed and left."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Articles per second (rich's own speed column counts bytes)."""

        def render(self, task: Any) -> Text:
            speed = task.finished_speed or task.speed
            return Text(f"{speed:.1f} articles/s" if speed else "", style="progress.data.speed")

    return Progress(TextColumn("analysing"), BarColumn(), MofNCompleteColumn(), RateColumn(), TimeElapsedColumn(),
                    TextColumn("left"), TimeRemainingColumn(), console=console, transient=True, disable=disable)
