"""A seeded, bounded fuzz run of ``storyline analyze`` and ``ingest``: hostile inputs mixed with good articles.

Each example is a folder with a few generated hostile inputs (deep or huge JSON, lone
surrogates, over-long fields, random bytes under article suffixes, broken archives,
control-character references, odd file names, links and pipes) and two good articles.
Whatever the folder holds: no traceback, exit status 0 or 1, both good articles in the
report (or in the store), and no message line over 300 characters.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from storyline.cli import app
from storyline.options import Options
from storyline.pipeline import collect
from storyline.service.store import Store

runner = CliRunner()

GOOD = (
    "Harbour master {name} said on Monday that the east pier would reopen within a week.\n\n"
    "“We have checked every beam,” {name} told reporters. The council approved the repairs.\n"
)
SUFFIXES = [".json", ".jsonl", ".txt", ".html", ".rss", ".xml", ".warc", ".warc.gz", ".htm", ".ndjson"]

json_scalar = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**6), max_value=10**6), st.floats(allow_nan=True),
    st.text(max_size=40),
)
record = st.dictionaries(
    st.sampled_from(["id", "text", "html", "url", "outlet", "title", "published", "author", "extra"]),
    st.one_of(json_scalar, st.lists(json_scalar, max_size=3)), max_size=6)


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["deep", "bigint", "surrogate", "long", "record", "random", "zeros", "refs",
                                 "warc_line", "empty", "lines", "bom"]))
    if kind == "deep":
        depth = draw(st.sampled_from([999, 1_500, 20_000, 100_000]))
        return ('{"text": "a b c d e", "x": ' + "[" * depth + "]" * depth + "}").encode()
    if kind == "bigint":
        digits = "9" * draw(st.sampled_from([4_301, 5_000, 30_000]))
        field = draw(st.sampled_from(["id", "x", "text"]))
        return f'{{"{field}": {digits}, "text": "The ferry sailed at dawn with forty aboard."}}'.encode()
    if kind == "surrogate":
        esc = draw(st.sampled_from(["\\ud800", "\\udfff", "\\ud83d", "\\udc00\\ud800"]))
        field = draw(st.sampled_from(["id", "title", "outlet", "text", "author", "url"]))
        return f'{{"{field}": "x{esc}y", "text": "The ferry {esc} sailed at dawn."}}'.encode()
    if kind == "long":
        field = draw(st.sampled_from(["published", "url", "title", "id"]))
        return json.dumps({"text": "The ferry sailed at dawn.", field: "9" * draw(st.sampled_from([5_000, 60_000]))
                           }).encode()
    if kind == "record":
        return json.dumps(draw(st.one_of(record, st.lists(record, max_size=4), json_scalar))).encode()
    if kind == "random":
        return draw(st.binary(min_size=0, max_size=3_000))
    if kind == "zeros":
        return gzip.compress(b"\x00" * draw(st.sampled_from([1_000, 200_000])))
    if kind == "refs":
        ref = draw(st.sampled_from(["&#12;", "&#x1;", "&#65535;", "&#0;", "&#xD800;", "&#1114112;", "&#150;"]))
        return (f"<html><head><title>T{ref}</title></head><body><article><p>The ferry {ref} sailed at dawn with "
                f"forty passengers aboard and a crew of six.</p></article></body></html>").encode()
    if kind == "warc_line":
        return b"WARC/1.0" + b"A" * draw(st.sampled_from([100, 70_000])) + b"\r\n\r\n"
    if kind == "empty":
        return b""
    if kind == "bom":
        text = draw(st.text(max_size=200))
        codec = draw(st.sampled_from(["utf-16", "utf-32", "utf-8-sig", "cp1252"]))
        return text.encode(codec, "replace")
    lines = draw(st.lists(st.one_of(st.binary(max_size=80), record.map(lambda r: json.dumps(r).encode())),
                          max_size=8))
    return b"\n".join(lines)


@st.composite
def hostile_name(draw: st.DrawFn) -> bytes:
    stem = draw(st.sampled_from([b"bad", b"caf\xe9", b"\xff\xfe", b"new\nline", b"x" * 200, b"-", b"tab\tx",
                                 b"\xe2\x80\xae rtl"]))
    return stem + draw(st.sampled_from(SUFFIXES)).encode()


batch = st.lists(st.tuples(hostile_name(), hostile_bytes()), min_size=1, max_size=4)
extras = st.sets(st.sampled_from(["loop", "dangling", "fifo", "unreadable_dir"]), max_size=2)


def _build(folder: Path, items: list[tuple[bytes, bytes]], special: set[str]) -> list[str]:
    good = []
    for n in range(2):
        name = f"good{n}"
        (folder / f"{name}.txt").write_text(GOOD.format(name=["Lena Okafor", "Tomas Berg"][n]), encoding="utf-8")
        good.append(name)
    for i, (name, data) in enumerate(items):
        with open(os.fsencode(folder) + b"/" + str(i).encode() + name, "wb") as handle:
            handle.write(data)
    if "loop" in special:
        (folder / "loop").mkdir()
        (folder / "loop" / "back").symlink_to(folder)
    if "dangling" in special:
        (folder / "gone.json").symlink_to(folder / "nowhere.json")
    if "fifo" in special:
        os.mkfifo(folder / "pipe.jsonl")
    if "unreadable_dir" in special:
        (folder / "sub").mkdir()
        (folder / "sub" / "deeper").symlink_to(folder / "sub")
    return good


def _check_messages(lines: list[str]) -> None:
    for line in lines:
        assert len(line) <= 300, line[:400]
        line.encode("utf-8")


# Reading (files, folders, JSON, feeds, archives): where hostile bytes meet storyline first.
@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(items=batch, special=extras)
def test_reading_never_raises_and_keeps_the_good_articles(items: list[tuple[bytes, bytes]],
                                                          special: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        good = _build(folder, items, special)
        cleaned, failures = collect([folder], Options())
    assert set(good) <= {c.article.id for c in cleaned}
    _check_messages([f"storyline: {f}" for f in failures])


def _command(tmp: str, items: list[tuple[bytes, bytes]], special: set[str], command: str,
             *args: str) -> tuple[Result, list[str]]:
    """Run ``storyline COMMAND FOLDER ARGS`` on a folder built in ``tmp``; check it ended cleanly
    (exit 0/1, no traceback, short messages); the result and the good articles' ids."""
    folder = Path(tmp) / "in"
    folder.mkdir()
    good = _build(folder, items, special)
    env = {"STORYLINE_CONFIG": os.devnull, "XDG_STATE_HOME": str(Path(tmp) / "state")}
    result = runner.invoke(app, [command, str(folder), *args], env=env)
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr[-2000:], result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    _check_messages(result.stderr.splitlines())
    return result, good


# The whole command, analysis and report included: fewer examples, as each one parses articles.
@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(items=batch, special=extras)
def test_no_input_crashes_analyze_or_loses_its_good_articles(items: list[tuple[bytes, bytes]],
                                                             special: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result, good = _command(tmp, items, special, "analyze", "--format", "json", "--quiet")
    found = {a["id"] for s in json.loads(result.stdout)["stories"] for a in s["articles"]}
    assert set(good) <= found


# Into the store: the same folders through ``ingest`` (each example opens a fresh SQLite store).
@settings(max_examples=20, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(items=batch, special=extras)
def test_no_input_crashes_ingest_or_loses_its_good_articles(items: list[tuple[bytes, bytes]],
                                                            special: set[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "store.db"
        _, good = _command(tmp, items, special, "ingest", "--db", str(db), "--quiet")
        with Store(f"sqlite:///{db}") as store:
            stored = set(store.article_ids())
    assert set(good) <= stored
