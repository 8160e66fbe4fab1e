"""Plain-text articles: header lines, and the outlet a text names as its own."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.articles import outlet_from_text, read_article_text, read_text_header
from storyline.errors import InputError


def test_header_lines_fill_outlet_title_url_and_date_and_leave_the_body() -> None:
    text = ("outlet: The Harbour Times\ntitle: Storm floods the quay\nurl: https://harbour.example/storm\n"
            "published: 2025-03-11\n\nWaves broke over the quay on Tuesday.\n")
    art = read_article_text(text, source="storm.txt")
    assert (art.outlet, art.title, art.url, art.published) == (
        "The Harbour Times", "Storm floods the quay", "https://harbour.example/storm", date(2025, 3, 11))
    assert art.raw == "Waves broke over the quay on Tuesday.\n"
    assert art.published_source == "metadata" and not art.outlet_inferred


def test_given_fields_win_over_header_lines() -> None:
    art = read_article_text("outlet: A\ntitle: B\n\nBody.", source="x.txt", outlet="C", title="D")
    assert (art.outlet, art.title) == ("C", "D")


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("title: Storm\n\nBody.", {"title": "Storm"}),
        ("Title : Storm\r\nOUTLET: Coast Herald\n\nBody.", {"title": "Storm", "outlet": "Coast Herald"}),
        ("\ufeffurl: https://x.example/a\n  \nBody.", {"url": "https://x.example/a"}),
        # not a header: a line that is no header key, a key given twice, no blank line after
        ("title: Storm\nWaves broke over the quay.\n\nMore.", None),
        ("title: Storm\ntitle: Again\n\nBody.", None),
        ("title: Storm", None),
        ("Note: the quay is closed.\n\nBody.", None),
        ("The mayor said: rebuild.\n\nBody.", None),
    ],
)
def test_read_text_header(text: str, fields: dict[str, str] | None) -> None:
    got = read_text_header(text)
    assert (got.fields if got else None) == fields


def test_an_unreadable_header_date_is_an_input_error() -> None:
    with pytest.raises(InputError, match="published"):
        read_article_text("published: next week\n\nBody.", source="x.txt")


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("Coast Radio's Mara Lind, reporting from the harbour, said the quay was shut.", "Coast Radio"),
        ("Valley Post's political editor Oren Blum said the vote was close.", "Valley Post"),
        ("The minister told Northsea Wire's Ida Kramer that talks would go on.", "Northsea Wire"),
        ("Speaking to Delta News' Joan Park, the mayor said the bridge would reopen.", "Delta News"),
        ("In a statement, the Valley Post's chief correspondent Ana Ruiz wrote that it was late.", "Valley Post"),
        # negatives: a party's or a person's staff, reporters unnamed, two outlets, no outlet at all
        ("The Greens' head of campaigns Tomas Vale posted on his blog.", None),
        ("The senator's lawyer Rudy Baines said he would appeal.", None),
        ("The minister told reporters the talks would go on.", None),
        ("Coast Radio's Mara Lind, reporting from the quay, and Valley Post's editor Oren Blum agreed.", None),
        ("The mayor said the quay would reopen on Friday.", None),
    ],
)
def test_outlet_from_text(text: str, outlet: str | None) -> None:
    assert outlet_from_text(text) == outlet


def test_an_inferred_outlet_is_marked_and_never_overrides_a_given_one() -> None:
    text = "Coast Radio's Mara Lind, reporting from the harbour, said the quay was shut."
    art = read_article_text(text, source="x.txt")
    assert (art.outlet, art.outlet_inferred) == ("Coast Radio", True)
    given = read_article_text(text, source="x.txt", outlet="Tide News")
    assert (given.outlet, given.outlet_inferred) == ("Tide News", False)
    by_url = read_article_text(text, source="x.txt", url="https://tide.example/a")
    assert (by_url.outlet, by_url.outlet_inferred) == ("tide.example", False)
