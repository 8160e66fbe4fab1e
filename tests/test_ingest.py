"""Tests for storyline.ingest: reading text, HTML, JSON and JSONL into Articles."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.articles import fix_char_refs
from storyline.errors import InputError
from storyline.ingest import (
    article_from_record,
    iter_articles,
    looks_like_html,
    outlet_from_url,
    parse_date,
    parse_date_line,
    read_article_html,
    read_article_text,
)
from storyline.models import Article, InputFailure
from storyline.options import Options

DATA = Path(__file__).parent / "data" / "ingest"

STORY = (
    "Mayor Ilse Wendt said the Corran ferry would run through the winter.\n\n"
    "“We will not leave the islands cut off,” she told reporters in Port Avel.\n"
)


def read_all(*paths: str | Path, options: Options | None = None) -> list[Article | InputFailure]:
    return list(iter_articles(paths, options or Options()))


def articles(items: list[Article | InputFailure]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def failures(items: list[Article | InputFailure]) -> list[InputFailure]:
    return [item for item in items if isinstance(item, InputFailure)]


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        (
            " date 2024-10-23 Mayor Ilse Wendt said the ferry would run.",
            date(2024, 10, 23),
            "date 2024-10-23",
        ),
        (
            "date 2024-10-23\nMayor Ilse Wendt said the ferry would run.",
            date(2024, 10, 23),
            "date 2024-10-23",
        ),
        ("Date: 2024-10-23\n\nFirst paragraph.", date(2024, 10, 23), "Date: 2024-10-23"),
        ("\n  DATE:2031-01-05 Text", date(2031, 1, 5), "DATE:2031-01-05"),
        ("date 2024-10-23T08:15:00Z The council met.", date(2024, 10, 23), "date 2024-10-23T08:15:00Z"),
        ("date 23 October 2024 The council met.", date(2024, 10, 23), "date 23 October 2024"),
        ("date: Oct. 3, 2024\nThe council met.", date(2024, 10, 3), "date: Oct. 3, 2024"),
        ("Date Wednesday, 23rd October 2024 x", date(2024, 10, 23), "Date Wednesday, 23rd October 2024"),
        ("dated 2024/1/5 x", date(2024, 1, 5), "dated 2024/1/5"),
        ("Published on 2 February 2020\nThe council met.", date(2020, 2, 2), "Published on 2 February 2020"),
        # negatives: no label, not at the start, not a real day, glued to a word, prose
        ("2024-10-23 The council met.", None, None),
        ("The date 2024-10-23 was set by the council.", None, None),
        ("date 2024-13-45 The council met.", None, None),
        ("date 2024-02-30 The council met.", None, None),
        ("date 2024-10-23rd council", None, None),
        ("Date night plans in Port Avel were cancelled on 3 March 2024.", None, None),
        ("Posted on 3 March 2024, the notice warned residents of floods.", None, None),
        ("", None, None),
    ],
)
def test_parse_date_line(text: str, expected: date | None, line: str | None) -> None:
    found = parse_date_line(text)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert found.value == expected
        assert text[found.start : found.end] == line


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-10-23", date(2024, 10, 23)),
        ("2024-10-23T23:30:00+02:00", date(2024, 10, 23)),
        ("2024-10-23 07:00", date(2024, 10, 23)),
        ("2024-10-23T07:00:00.123Z", date(2024, 10, 23)),
        ("October 23, 2024", date(2024, 10, 23)),
        ("23 Sept 2024", date(2024, 9, 23)),
        ("1st of May 2024", date(2024, 5, 1)),
        ("yesterday", None),
        ("2024-10", None),
        ("31 June 2024", None),
        ("23/10/2024", None),  # day/month order is ambiguous: not guessed
        ("", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.harbour-times.example/news/1", "harbour-times.example"),
        ("http://news.valebridge.example:8080/a?b=c", "news.valebridge.example"),
        ("HTTPS://WWW.Example.ORG/", "example.org"),
        ("harbour-times.example/news/1", "harbour-times.example"),
        ("wwwire.example/x", "wwwire.example"),
        ("", None),
        (None, None),
        ("not a url at all", None),
    ],
)
def test_outlet_from_url(url: str | None, expected: str | None) -> None:
    assert outlet_from_url(url) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("\n  <html lang='en'><p>x</p></html>", True),
        ("<!-- saved page --><HTML><BODY>x</BODY></HTML>", True),
        ("<?xml version='1.0'?>\n<html><body>x</body></html>", True),
        ("The <b>council</b> met.", False),
        ("x < y and <html> is a tag name", False),
    ],
)
def test_looks_like_html(text: str, expected: bool) -> None:
    assert looks_like_html(text) is expected


# ---------------------------------------------------------------- plain text


def test_text_file_with_date_on_first_line_of_prose(tmp_path: Path) -> None:
    raw = " date 2024-10-23 Mayor Ilse Wendt said the Corran ferry would run.\n\nShe spoke in Port Avel.\n"
    path = tmp_path / "ferry.txt"
    path.write_text(raw, encoding="utf-8")
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.raw == raw  # unchanged: cleaning removes the date line later
    assert article.published == date(2024, 10, 23)
    assert article.id == "ferry"
    assert article.title is None
    assert article.outlet == "unknown"
    assert article.source == str(path)


def test_text_file_with_date_on_own_line(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text("Date: 5 January 2031\n" + STORY, encoding="utf-8")
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.published == date(2031, 1, 5)


def test_text_file_without_date_is_undated(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text("On 5 January 2031 the council met.\n" + STORY, encoding="utf-8")
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.published is None


def test_text_file_with_bom_and_any_suffix(tmp_path: Path) -> None:
    path = tmp_path / "ferry.story"
    path.write_bytes("\ufeff".encode() + STORY.encode("utf-8"))
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.raw == STORY


def test_html_content_is_sniffed_in_a_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_text((DATA / "harbour_bridge.html").read_text(encoding="utf-8"), encoding="utf-8")
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert article.outlet == "The Eastmoor Gazette"
    assert "<p>" not in article.raw


def test_read_article_text_in_memory() -> None:
    article = read_article_text(
        "date 2024-10-23 Text here.", source="api:7", article_id="a7", url="https://x.example/1"
    )
    assert (article.id, article.source, article.outlet, article.published) == (
        "a7",
        "api:7",
        "x.example",
        date(2024, 10, 23),
    )
    with pytest.raises(InputError, match="api:8: empty article text"):
        read_article_text(" \n ", source="api:8")


# ---------------------------------------------------------------- HTML


def test_html_page_metadata_and_paragraphs() -> None:
    [article] = read_all(DATA / "harbour_bridge.html")
    assert isinstance(article, Article)
    assert article.id == "harbour_bridge"
    assert article.title == "Harbour bridge vote delayed again"
    assert article.outlet == "The Eastmoor Gazette"
    assert article.published == date(2021, 3, 14)
    assert article.author == "Petra Vandell"
    assert article.url == "https://www.eastmoor-gazette.example/news/harbour-bridge-vote"
    lines = article.raw.split("\n")
    assert lines == [
        "Councillors in Eastmoor postponed a vote on the new harbour bridge for the third time on Thursday, "
        "citing rising costs.",
        "“We cannot sign a cheque we have not seen,” said council leader Orla Benvick, "
        "who chairs the finance committee.",
        "The bridge, first proposed in 2017, was budgeted at 40 million crowns but engineers "
        "now expect the bill to reach 55 million.",
        "Opposition member Tamsin Greave said the delay would cost ferry operators dearly "
        "over the summer season.",
    ]
    for boilerplate in ("Local news", "Privacy policy", "All rights reserved"):
        assert boilerplate not in article.raw


def test_html_without_meta_takes_outlet_from_url_and_invents_no_date() -> None:
    [article] = read_all(DATA / "quarry_no_meta.html")
    assert isinstance(article, Article)
    assert article.outlet == "valebridge-post.example"
    assert article.url == "https://www.valebridge-post.example/quarry-hearing"
    # "Posted on 2 February 2020" is page text, not metadata: no date is taken from it.
    assert article.published is None
    assert article.author is None


def test_html_given_fields_win_over_page_metadata() -> None:
    html = (DATA / "harbour_bridge.html").read_text(encoding="utf-8")
    article = read_article_html(
        html,
        source="feed:1",
        article_id="hb",
        outlet="Gazette Wire",
        title="Bridge",
        published=date(2021, 3, 15),
    )
    assert (article.id, article.outlet, article.title, article.published) == (
        "hb",
        "Gazette Wire",
        "Bridge",
        date(2021, 3, 15),
    )


# ---------------------------------------------------------------- JSON / JSONL


def test_json_array_records(tmp_path: Path) -> None:
    records = [
        {
            "url": "https://www.harbour-times.example/a",
            "title": "Ferry",
            "text": STORY,
            "published": "2031-01-05",
        },
        {"id": "wire-9", "outlet": "Avel Wire", "text": STORY, "published": "2031-01-06T22:10:00+01:00"},
        {"html": (DATA / "harbour_bridge.html").read_text(encoding="utf-8"), "author": "Desk"},
    ]
    path = tmp_path / "batch.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    first, second, third = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article) and isinstance(third, Article)
    assert (first.id, first.outlet, first.title, first.published) == (
        "batch-1",
        "harbour-times.example",
        "Ferry",
        date(2031, 1, 5),
    )
    assert first.source == f"{path}[0]"
    assert (second.id, second.outlet, second.published) == ("wire-9", "Avel Wire", date(2031, 1, 6))
    assert (third.id, third.outlet, third.author) == ("batch-3", "The Eastmoor Gazette", "Desk")
    assert third.published == date(2021, 3, 14)


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"text": STORY, "outlet": "Avel Wire"}), encoding="utf-8")
    [article] = read_all(path)
    assert isinstance(article, Article)
    assert (article.id, article.source, article.outlet, article.url) == ("one", str(path), "Avel Wire", None)


def test_jsonl_records_and_blank_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": STORY, "url": "http://www.avel.example/1"}),
        "",
        json.dumps({"text": "date 2031-01-07 " + STORY}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, second = read_all(path)
    assert isinstance(first, Article) and isinstance(second, Article)
    assert (first.id, first.source, first.outlet) == ("feed-1", f"{path}:1", "avel.example")
    assert (second.id, second.source, second.published) == ("feed-3", f"{path}:3", date(2031, 1, 7))


def test_article_from_record_in_memory() -> None:
    article = article_from_record({"text": STORY, "id": 42}, source="api", default_id="x")
    assert article.id == "42"
    with pytest.raises(InputError, match="record is not a JSON object"):
        article_from_record(["text"], source="api", default_id="x")


# ---------------------------------------------------------------- failures


@pytest.mark.parametrize(
    ("name", "content", "where", "reason"),
    [
        ("empty.txt", b"", "", "empty file"),
        ("blank.txt", b"  \n\t\n", "", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "binary file"),
        ("utf16-no-bom.txt", "Ferry runs".encode("utf-16-le"), "", "binary file (contains NUL bytes)"),
        ("broken.json", b'{"text": "x",', "", "malformed JSON at line 1 column 14"),
        ("number.json", b"42", "", "record is not a JSON object (got number)"),
        ("empty-array.json", b"[]", "", "empty JSON array"),
        ("notext.json", b'{"title": "Ferry"}', "", "record has no 'text' or 'html'"),
        ("badtext.json", b'{"text": 5}', "", "field 'text' must be a string, not number"),
        (
            "baddate.json",
            b'{"text": "Ferry runs.", "published": "soon"}',
            "",
            "field 'published' is not an ISO date",
        ),
        (
            "items.json",
            b'[{"text": "Ferry runs."}, "just a string"]',
            "[1]",
            "record is not a JSON object (got string)",
        ),
        ("feed.jsonl", b'{"text": "Ferry runs."}\n{"text": \n', ":2", "malformed JSON at column 10"),
        (
            "feed2.jsonl",
            b'{"text": "Ferry runs."}\n[1, 2]\n',
            ":2",
            "record is not a JSON object (got array)",
        ),
        ("feed3.jsonl", b'{"text": "Ferry runs."}\n{"html": ""}\n', ":2", "record has no 'text' or 'html'"),
        ("feed4.jsonl", b'{"text": "Ferry runs."}\n{"text": "Caf\x00"}\n', ":2", "binary file"),
        ("empty.jsonl", b"\n\n", "", "empty file"),
        ("nav.html", (DATA / "nav_only.html").read_bytes(), "", "HTML page has no extractable article text"),
    ],
)
def test_failure_names_the_input_and_batch_goes_on(
    tmp_path: Path, name: str, content: bytes, where: str, reason: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    items = read_all(bad, good)
    [failure] = failures(items)
    assert failure.source == f"{bad}{where}"
    assert reason in failure.reason
    message = str(failure)
    assert "\n" not in message
    assert message.startswith(f"{bad}{where}: ")
    # the good file after the bad one is still read (and good lines inside a bad JSON file too)
    assert articles(items)[-1].source == str(good)


def test_missing_path_fails_and_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    items = read_all(tmp_path / "missing.txt", good)
    assert items[0] == InputFailure(str(tmp_path / "missing.txt"), "no such file or directory")
    assert isinstance(items[1], Article)


@pytest.mark.parametrize(("limit", "ok"), [(len(STORY.encode()), True), (len(STORY.encode()) - 1, False)])
def test_max_bytes(tmp_path: Path, limit: int, ok: bool) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(STORY, encoding="utf-8")
    [item] = read_all(path, options=Options(max_bytes=limit))
    assert isinstance(item, Article) is ok
    if not ok:
        assert isinstance(item, InputFailure)
        assert f"more than max_bytes={limit}" in item.reason


def test_max_bytes_applies_per_line_in_jsonl(tmp_path: Path) -> None:
    short = json.dumps({"text": "Ferry runs."})
    long = json.dumps({"text": "Ferry runs. " * 20})
    path = tmp_path / "feed.jsonl"
    path.write_text(f"{short}\n{long}\n", encoding="utf-8")
    first, second = read_all(path, options=Options(max_bytes=len(short) + 5))
    assert isinstance(first, Article)
    assert isinstance(second, InputFailure)
    assert second.source == f"{path}:2"
    assert "max_bytes" in second.reason


# ---------------------------------------------------------------- directories and ids


def test_directory_is_read_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "c.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(STORY, encoding="utf-8")
    items = read_all(tmp_path)
    assert [Path(item.source).relative_to(tmp_path).as_posix() for item in items] == [
        "a.txt",
        "b/a.txt",
        "b/z.txt",
        "c.txt",
    ]
    # same stems in different folders: ids stay unique
    assert [item.id for item in articles(items)] == ["a", "a-2", "z", "c"]


def test_ids_are_unique_across_files_and_records(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text(STORY, encoding="utf-8")
    records = [
        {"id": "story", "text": STORY},
        {"id": "story", "text": STORY},
        {"id": "story-2", "text": STORY},
    ]
    (tmp_path / "wire.json").write_text(json.dumps(records), encoding="utf-8")
    ids = [item.id for item in articles(read_all(tmp_path / "story.txt", tmp_path / "wire.json"))]
    assert ids == ["story", "story-2", "story-3", "story-2-2"]
    assert len(set(ids)) == len(ids)


def test_iter_articles_streams(tmp_path: Path) -> None:
    path = tmp_path / "ferry.txt"
    path.write_text(STORY, encoding="utf-8")

    def paths():
        yield path
        raise AssertionError("the second path was requested before the first article was used")

    stream = iter_articles(paths(), Options())
    assert isinstance(next(stream), Article)
    with pytest.raises(AssertionError):
        next(stream)


def test_folder_walk_reads_only_article_files(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "story.txt").write_text("The ferry sailed at dawn with forty passengers aboard.", encoding="utf-8")
    (tmp_path / "README.md").write_text("These are notes, not an article.", encoding="utf-8")
    (tmp_path / "notes.md").write_text("More notes.", encoding="utf-8")
    items = list(iter_articles([tmp_path], Options()))
    assert [a.id for a in items if isinstance(a, Article)] == ["story"]
    assert not [f for f in items if isinstance(f, InputFailure)]
    # named explicitly, any file is read
    named = list(iter_articles([tmp_path / "notes.md"], Options()))
    assert isinstance(named[0], Article)


# ---------------------------------------------------------------- hostile inputs


def _good(tmp_path: Path) -> Path:
    good = tmp_path / "good.txt"
    good.write_text(STORY, encoding="utf-8")
    return good


@pytest.mark.parametrize(("name", "content", "where", "reason"), [
    ("deep.json", '{"text": "Ferry runs.", "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "", "nested too deeply"),
    ("deep.jsonl", '{"x": ' + "[" * 50_000 + "]" * 50_000 + "}\n", ":1", "nested too deeply"),
    ("bigid.jsonl", '{"id": ' + "9" * 5_000 + ', "text": "Ferry runs."}\n', ":1", "a number of 5000 digits"),
    ("date.jsonl", json.dumps({"text": "Ferry runs.", "published": "9" * 40_000}) + "\n", ":1",
     "'published' is not an ISO date or datetime: '9999"),
    ("url.json", json.dumps({"text": "Ferry runs.", "url": 5}), "", "field 'url' must be a string, not number"),
])
def test_a_hostile_record_fails_alone_with_a_short_message(
        tmp_path: Path, name: str, content: str, where: str, reason: str) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    items = read_all(bad, _good(tmp_path))
    [failure] = failures(items)
    assert failure.source == f"{bad}{where}" and reason in failure.reason
    assert len(str(failure)) <= 280 and "\n" not in str(failure)
    assert articles(items)[-1].source == str(tmp_path / "good.txt")


def test_records_after_a_too_deep_one_in_a_json_array_are_read(tmp_path: Path) -> None:
    deep = "[" * 50_000 + "]" * 50_000
    path = tmp_path / "wire.json"
    path.write_text(f'[{{"text": "{STORY[:60]}"}}, {{"x": {deep}}}, "a string with ] and [ in it", '
                    f'{{"id": "last", "text": "{STORY[:60]}"}}]', encoding="utf-8")
    items = read_all(path)
    assert [i.id for i in articles(items)] == ["wire-1", "last"]
    assert [(f.source, f.reason.split(" (")[0]) for f in failures(items)] == [
        (f"{path}[1]", "JSON nested too deeply"), (f"{path}[2]", "record is not a JSON object")]


@pytest.mark.parametrize("escape", ["\\ud800", "\\udfff", "\\ud83d"])
def test_lone_surrogates_become_replacement_characters(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(f'{{"id": "a{escape}", "title": "T{escape}", "text": "Ferry {escape} runs at dawn."}}\n',
                    encoding="utf-8")
    [item] = read_all(path)
    assert isinstance(item, Article)
    assert item.raw == "Ferry \ufffd runs at dawn." and item.title == "T\ufffd" and item.id == "a\ufffd"
    item.raw.encode("utf-8")  # writable anywhere


def test_many_records_with_one_id_get_distinct_ids(tmp_path: Path) -> None:
    path = tmp_path / "same.jsonl"
    path.write_text("".join(json.dumps({"id": "same", "text": f"Ferry runs {n}."}) + "\n" for n in range(3_000)),
                    encoding="utf-8")
    ids = [a.id for a in articles(read_all(path))]
    assert len(ids) == 3_000 and len(set(ids)) == 3_000
    assert ids[:3] == ["same", "same-2", "same-3"] and ids[-1] == "same-3000"


def test_a_line_over_max_bytes_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 3_000_000 + b'"}\n' + json.dumps({"text": STORY}).encode() + b"\n")
    first, second = read_all(path, options=Options(max_bytes=1_000))
    assert isinstance(first, InputFailure) and first.source == f"{path}:1" and "max_bytes=1000" in first.reason
    assert isinstance(second, Article)


@pytest.mark.parametrize("name", ["many.jsonl", "many.json"])
def test_max_records_names_its_setting(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    records = [{"text": f"Ferry runs {n}."} for n in range(5)]
    path.write_text(json.dumps(records) if name.endswith(".json") else
                    "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    items = read_all(path, options=Options(max_records=3))
    assert len(articles(items)) == 3
    [failure] = failures(items)
    assert failure.source == str(path) and "more than max_records=3 records" in failure.reason


def test_folder_walk_survives_links_pipes_and_odd_names(tmp_path: Path) -> None:
    import os

    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    loop = tmp_path / "loop"
    loop.mkdir()
    (loop / "self").symlink_to(loop)
    (loop / "up").symlink_to(tmp_path)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    with open(os.fsencode(tmp_path) + b"/caf\xe9.txt", "wb") as handle:
        handle.write(STORY.encode())
    (tmp_path / "new\nline.txt").write_text(STORY, encoding="utf-8")
    items = read_all(tmp_path)
    assert sorted(a.id for a in articles(items)) == ["a", "caf\\xe9", "new\nline"]
    assert f"{tmp_path}/caf\\xe9.txt" in {a.source for a in articles(items)}
    reasons = {Path(f.source).name: f.reason for f in failures(items)}
    assert reasons["dangling.txt"].startswith("broken symbolic link")
    assert reasons["pipe.txt"].startswith("a FIFO (named pipe), not a regular file")
    assert reasons["self"].startswith("folder already read") and reasons["up"].startswith("folder already read")
    for item in items:
        str(item).encode("utf-8")  # printable and storable


def test_a_named_fifo_or_device_is_refused_not_read(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "feed.jsonl"
    os.mkfifo(fifo)  # no writer: opening it to read would wait forever
    other = tmp_path / "page.html"
    os.mkfifo(other)
    items = read_all(fifo, other, "/dev/zero", _good(tmp_path))
    assert [f.reason.split(",")[0] for f in failures(items)] == ["a FIFO (named pipe)", "a FIFO (named pipe)",
                                                                 "a character device"]
    assert len(articles(items)) == 1


def test_standard_input_is_read_when_named_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    lines = "".join(json.dumps({"id": f"s{n}", "text": STORY}) + "\n" for n in range(2))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert [a.id for a in articles(read_all("-", options=Options(stdin_format="jsonl")))] == ["s0", "s1"]


@pytest.mark.parametrize(("html", "expected"), [
    ("<p>A&#12;B</p>", "<p>A B</p>"),
    ("<p>A&#x1;B</p>", "<p>A B</p>"),
    ("<p>A&#65535;B</p>", "<p>A B</p>"),
    ("<p>A&#0;B</p>", "<p>A\ufffdB</p>"),
    ("<p>A&#xD800;B</p>", "<p>A\ufffdB</p>"),
    ("<p>A&#99999999;B</p>", "<p>A\ufffdB</p>"),
    ("<p>A&#150;B</p>", "<p>A\u2013B</p>"),
    ("<p>A\x0cB\x01C</p>", "<p>A B C</p>"),
    # references a tree can hold are left to the parser
    ("<p>A&#233;B&#x2019;C&#10;D&amp;E</p>", "<p>A&#233;B&#x2019;C&#10;D&amp;E</p>"),
])
def test_fix_char_refs(html: str, expected: str) -> None:
    assert fix_char_refs(html) == expected


@pytest.mark.parametrize("ref", ["&#12;", "&#x1;", "&#65535;", "&#0;"])
def test_a_control_character_reference_does_not_drop_the_page(ref: str) -> None:
    html = (DATA / "harbour_bridge.html").read_text(encoding="utf-8")
    article = read_article_html(html.replace("</p>", f" and {ref} more</p>", 1), source="refs.html")
    assert article.raw.count("\n") == read_article_html(html, source="h.html").raw.count("\n")


@pytest.mark.parametrize(("data", "name"), [
    ("\ufeffMs Zoë Brûlé said the café would reopen.".encode("utf-16-le"), "utf16.txt"),
    ("Ms Zoë Brûlé said the café would reopen.".encode("utf-32"), "utf32.txt"),
    ("Ms Zoë Brûlé said the café would reopen on Friday, the mayor said.".encode("cp1252"), "cp1252.txt"),
])
def test_text_in_other_encodings_is_read(tmp_path: Path, data: bytes, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    [item] = read_all(path)
    assert isinstance(item, Article) and item.raw.startswith("Ms Zoë Brûlé said the café would reopen")


def test_html_declaring_windows_1252_is_read(tmp_path: Path) -> None:
    html = (DATA / "harbour_bridge.html").read_text(encoding="utf-8")
    html = html.replace("<head>", '<head><meta charset="windows-1252">', 1).replace("</p>", " café’s</p>", 1)
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp1252"))
    [item] = read_all(path)
    assert isinstance(item, Article) and "café’s" in item.raw
