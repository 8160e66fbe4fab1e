"""Publication dates from date lines: reading a line, choosing among lines, cleaning an article."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.clean import clean
from storyline.models import Article
from storyline.pubdate import (
    POSTED,
    UNLABELLED,
    UPDATED,
    StatedDate,
    choose_published,
    date_prefix,
    read_date_line,
    url_date,
)

D = date


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # labelled, with times and zones, odd spacing from tokenised text
        ("Posted 4 / 7 / 2031 10:05 PM", [(POSTED, (D(2031, 4, 7), D(2031, 7, 4)))]),
        ("PUBLISHED MONDAY, JUNE 9, 2031 AT 7:02 AM", [(POSTED, (D(2031, 6, 9),))]),
        ("Published: 11 Feb 2031 08: 40 GMT", [(POSTED, (D(2031, 2, 11),))]),
        ("Updated 10 / 28 / 2031 06:15 AM", [(UPDATED, (D(2031, 10, 28),))]),
        ("Posted: Oct 2, 2031", [(POSTED, (D(2031, 10, 2),))]),
        ("Last modified on 3rd of March 2031", [(UPDATED, (D(2031, 3, 3),))]),
        ("First posted 19: 04: 00 21 / 08 / 2031", [(POSTED, (D(2031, 8, 21),))]),
        ("Release: 2031-05-06", [(POSTED, (D(2031, 5, 6),))]),
        ("Published: 2031. 05. 06 09: 01 AM", [(POSTED, (D(2031, 5, 6),))]),
        ("date: 2031-01-05T08:15:00Z", [(POSTED, (D(2031, 1, 5),))]),
        # unlabelled, month names, weekdays, times before or after
        ("19 Mar 2031 07:45", [(UNLABELLED, (D(2031, 3, 19),))]),
        ("Wed., Jan. 8, 2031 4: 10 p. m. EST", [(UNLABELLED, (D(2031, 1, 8),))]),
        ("6:20 a.m. CDT Sept. 30, 2031", [(UNLABELLED, (D(2031, 9, 30),))]),
        ("11:30pm UK, Thursday 13 November 2031", [(UNLABELLED, (D(2031, 11, 13),))]),
        ("SATURDAY, 2 AUGUST 2031 @ 3: 15pm PDT", [(UNLABELLED, (D(2031, 8, 2),))]),
        ("on Apr 4 2031, 8: 12p", [(UNLABELLED, (D(2031, 4, 4),))]),
        ("Thursday 5 June 2031 21. 07 BST", [(UNLABELLED, (D(2031, 6, 5),))]),
        ("1415 GMT (2215 HKT), May 6, 2031", [(UNLABELLED, (D(2031, 5, 6),))]),
        ("12 March 2031, 14: 05 (GMT+03: 00)", [(UNLABELLED, (D(2031, 3, 12),))]),
        ("Sun Feb 9 2031, 22: 40 hrs", [(UNLABELLED, (D(2031, 2, 9),))]),
        # two-digit years; a weekday settles the day/month order
        ("12 / 30 / 30 05: 40 PM ET", [(UNLABELLED, (D(2030, 12, 30),))]),
        ("Tue 4 / 2 / 2031", [(UNLABELLED, (D(2031, 2, 4),))]),  # 4 Feb 2031 is a Tuesday, 2 Apr is not
        # posted and updated on one line
        ("Published 14:02 GMT, 3 May 2031 | Updated 09:30 GMT, 4 May 2031",
         [(POSTED, (D(2031, 5, 3),)), (UPDATED, (D(2031, 5, 4),))]),
        ("PUBLISHED FRIDAY, MAY 9, 2031 AT 2:10 PM / UPDATED AT 2:55 PM", [(POSTED, (D(2031, 5, 9),))]),
        # a labelled time alone is a date line without a date
        ("Updated 4: 08 p. m. ET", []),
        ("Last updated at 17:20 GMT", []),
    ],
)
def test_read_date_line(line: str, expected: list[tuple[str, tuple[date, ...]]]) -> None:
    reading = read_date_line(line)
    assert reading is not None
    assert [(d.kind, d.readings) for d in reading.dates] == expected


@pytest.mark.parametrize(
    "line",
    [
        "The hearing was moved to 14 May 2031 after the judge fell ill.",  # a sentence holding a date
        "On 3 March 2031 the harbour board met in Port Avel.",
        "Posted on 3 March 2031, the notice warned residents of floods.",
        "By Mara Quist",  # bylines
        "By Mara Quist, Harbour Correspondent",
        "By Mara Quist | May 2, 2031",
        "Corran Rovers 65, Port Avel 59",  # scores
        "65 - 59",
        "3-1",
        "4:08 p.m. ET",  # a time alone, no label
        "10: 45",
        "The vote is scheduled for Tuesday, March 4, 2031.",  # future events
        "Coming up: Saturday, March 8, 2031 at 7 PM",
        "Final: Saturday, June 7, 2031",
        "May 2031",  # no full date
        "2031",
        "APR 28",
        "Friday",
        "Monday, 10 a.m.",
        "Population 12 / 400 / 2031",
        "March 2, 2031 March 3, 2031",  # two dates run together
        "13 / 25 / 2031",  # no reading is a real day
        "",
    ],
)
def test_read_date_line_negatives(line: str) -> None:
    assert read_date_line(line) is None


@pytest.mark.parametrize(
    ("line", "head"),
    [
        ("May 2, 2031. The ferry sailed at dawn.", "May 2, 2031."),
        ("Posted 2 May 2031 — The ferry sailed at dawn.", "Posted 2 May 2031 —"),
        ("02 / 05 / 2031 | The ferry sailed at dawn.", "02 / 05 / 2031 |"),
        ("May 2, 2031 - The ferry sailed at dawn.", "May 2, 2031 -"),
        ("On May 2, 2031. The ferry sailed.", "On May 2, 2031."),
    ],
)
def test_date_prefix(line: str, head: str) -> None:
    prefix = date_prefix(line)
    assert prefix is not None and line[: prefix.end] == head


@pytest.mark.parametrize(
    "line",
    [
        "The ferry sailed on May 2, 2031. It was late.",
        "Posted on 3 March 2031, the notice warned residents of floods.",
        "Corran Rovers 65, Port Avel 59. The match was played in the rain.",
        "Updated 4:08 p.m. ET. The ferry sailed.",  # a time, not a date
    ],
)
def test_date_prefix_negatives(line: str) -> None:
    assert date_prefix(line) is None


AMBIGUOUS = StatedDate(POSTED, (D(2031, 4, 7), D(2031, 7, 4)))


@pytest.mark.parametrize(
    ("stated", "url", "expected"),
    [
        ([StatedDate(POSTED, (D(2031, 5, 3),))], None, D(2031, 5, 3)),
        # "Updated" never beats "Posted", whichever comes first
        ([StatedDate(UPDATED, (D(2031, 5, 4),)), StatedDate(POSTED, (D(2031, 5, 3),))], None, D(2031, 5, 3)),
        ([StatedDate(UNLABELLED, (D(2031, 5, 3),)), StatedDate(UPDATED, (D(2031, 5, 1),))], None, D(2031, 5, 3)),
        # only updates: the earliest
        ([StatedDate(UPDATED, (D(2031, 5, 6),)), StatedDate(UPDATED, (D(2031, 5, 4),))], None, D(2031, 5, 4)),
        # an ambiguous day/month order: no evidence, no date
        ([AMBIGUOUS], None, None),
        ([AMBIGUOUS], "https://news.example/world/ferry-sails", None),
        # ... settled by another numeric date of the outlet's header
        ([AMBIGUOUS, StatedDate(UPDATED, (D(2031, 4, 20),), "DMY")], None, D(2031, 7, 4)),
        ([AMBIGUOUS, StatedDate(UPDATED, (D(2031, 4, 20),), "MDY")], None, D(2031, 4, 7)),
        # ... by the URL's date, or by a written date near one reading
        ([AMBIGUOUS], "https://news.example/2031/07/05/ferry-sails", D(2031, 7, 4)),
        ([AMBIGUOUS], "https://news.example/2031/apr/07/ferry-sails", D(2031, 4, 7)),
        ([AMBIGUOUS, StatedDate(UPDATED, (D(2031, 4, 8),))], None, D(2031, 4, 7)),
        # a URL far from both readings says nothing
        ([AMBIGUOUS], "https://news.example/2029/01/15/ferry-sails", None),
        ([], None, None),
    ],
)
def test_choose_published(stated: list[StatedDate], url: str | None, expected: date | None) -> None:
    assert choose_published(stated, url=url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/2031/05/02/ferry", D(2031, 5, 2)),
        ("https://news.example/2031/may/02/ferry", D(2031, 5, 2)),
        ("https://news.example/news/local-20310502-story.html", D(2031, 5, 2)),
        ("https://news.example/2031/05/ferry", None),
        ("https://news.example/ferry-2031", None),
        ("https://news.example/2031/13/45/ferry", None),
        (None, None),
    ],
)
def test_url_date(url: str | None, expected: date | None) -> None:
    assert url_date(url) == expected


HEADED = (
    "Ferry fares frozen for a second year\n"
    "Updated 5 / 14 / 2031 09: 10 AM\n"
    "Originally published 5 / 13 / 2031 06: 02 PM\n"
    "The board voted on Tuesday to keep fares where they are.\n"
)


def test_clean_takes_the_posted_date_from_the_header() -> None:
    cleaned = clean(Article("ferry", HEADED, "ferry.txt"))
    assert cleaned.article.published == D(2031, 5, 13)
    assert cleaned.article.published_source == "text"
    removed = [(span.reason, span.text) for span in cleaned.removed]
    assert removed == [("date_line", "Updated 5 / 14 / 2031 09: 10 AM"),
                       ("date_line", "Originally published 5 / 13 / 2031 06: 02 PM")]
    for span in cleaned.removed:
        assert HEADED[span.start : span.end] == span.text
    assert "2031" not in cleaned.text


def test_metadata_wins_over_the_text() -> None:
    cleaned = clean(Article("ferry", HEADED, "ferry.txt", published=D(2031, 5, 12)))
    assert cleaned.article.published == D(2031, 5, 12)
    assert cleaned.article.published_source == "metadata"
    assert [span.reason for span in cleaned.removed] == ["date_line", "date_line"]


def test_first_sentence_that_is_a_date() -> None:
    raw = "Harbour reopens\nJune 3, 2031. The harbour reopened on Tuesday, the board said.\n"
    cleaned = clean(Article("harbour", raw, "harbour.txt"))
    assert cleaned.article.published == D(2031, 6, 3)
    assert cleaned.text == "Harbour reopens\n\nThe harbour reopened on Tuesday, the board said."
    (span,) = cleaned.removed
    assert raw[span.start : span.end] == "June 3, 2031." == span.text


@pytest.mark.parametrize(
    "raw",
    [
        "Harbour reopens\nThe harbour reopened on 3 June 2031, the board said.\n",  # a date inside prose
        "Harbour reopens\nBy Mara Quist\nThe harbour reopened on Tuesday.\n",
        "Harbour reopens\n4 / 6 / 2031\nThe harbour reopened on Tuesday.\n",  # both orders possible
        "Harbour reopens\nUpdated 10:45 GMT\nThe harbour reopened on Tuesday.\n",
        "A\nB\nC\nD\nE\nF\n3 June 2031\nThe harbour reopened on Tuesday.\n",  # below the header
    ],
)
def test_no_date_is_invented(raw: str) -> None:
    cleaned = clean(Article("harbour", raw, "harbour.txt"))
    assert cleaned.article.published is None and cleaned.article.published_source is None


def test_unlabelled_order_from_the_same_header() -> None:
    raw = "Harbour reopens\n4 / 6 / 2031\nLast updated 4 / 16 / 2031\nThe harbour reopened.\n"
    assert clean(Article("harbour", raw, "harbour.txt")).article.published == D(2031, 4, 6)


def test_report_says_where_each_date_comes_from() -> None:
    import storyline

    body = "The harbour board voted on Tuesday to keep ferry fares frozen, chair Ilse Wendt said."
    articles = [
        Article("text", f"Fares frozen\nPosted: June 5, 2031\n{body}", "a.txt", outlet="Island Post"),
        Article("meta", body, "b.txt", outlet="Harbour Daily", published=D(2031, 6, 4)),
        Article("none", body + " The vote was close.", "c.txt", outlet="Quay News"),
    ]
    report = storyline.analyze(articles)
    reported = {a.id: (a.published, a.published_source) for s in report.stories for a in s.articles}
    assert reported["text"] == ("2031-06-05", "text")
    assert reported["meta"] == ("2031-06-04", "metadata")
    assert reported["none"] == ("2031-06-04", "inferred")
