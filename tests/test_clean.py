"""Tests for storyline.clean: boilerplate removal, paragraphs and offsets."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.clean import MAX_RELATED_LINES, clean, is_headline_like, line_reason, raw_offset
from storyline.models import Article, CleanArticle, Paragraph, RemovedSpan


def make(raw: str) -> Article:
    return Article(id="t", raw=raw, source="test")


def check_invariants(cleaned: CleanArticle) -> None:
    """Removed spans are exact raw slices; paragraphs tile the text; offsets map back to raw."""
    raw = cleaned.article.raw
    for span in cleaned.removed:
        assert raw[span.start : span.end] == span.text
    assert "\n\n".join(cleaned.text[p.start : p.end] for p in cleaned.paragraphs) == cleaned.text
    for paragraph in cleaned.paragraphs:
        piece = cleaned.text[paragraph.start : paragraph.end]
        assert piece == piece.strip() and piece
        start = raw_offset(cleaned, paragraph.start)
        assert raw[start : start + len(piece)] == piece


# ---------------------------------------------------------------- single lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # reposting / copyright notices
        ("Disclaimer: Views expressed here belong to the author alone.", "disclaimer"),
        (
            "Disclaimer: This content is shared for reference only and the rights remain with its "
            "original author. If there is any infringement, please contact us and we will take it down "
            "at once. We thank every reader for their patience and understanding in this matter.",
            "disclaimer",
        ),
        ("Copyright © 2031 Port Avel Courier", "disclaimer"),
        ("Copyright 2031 Port Avel Courier Ltd", "disclaimer"),
        ("© 2031 Port Avel Courier. All rights reserved.", "disclaimer"),
        ("Port Avel Courier 2031. All rights reserved.", "disclaimer"),
        ("All rights reserved.", "disclaimer"),
        ("This article was originally published on The Corran Review.", "disclaimer"),
        ("This story first appeared in the Avel Weekly and is republished with permission.", "disclaimer"),
        ("This article is republished from the Corran Review under a free licence.", "disclaimer"),
        (
            "The copyright of this piece belongs to its original author; "
            "for any infringement please contact us.",
            "disclaimer",
        ),
        # link blocks
        ("Read more:", "related_links"),
        ("Read more", "related_links"),
        ("READ MORE", "related_links"),
        ("Related:", "related_links"),
        ("Related stories", "related_links"),
        ("More on this story", "related_links"),
        ("See also:", "related_links"),
        ("Also read:", "related_links"),
        ("Read more: Corran ferry crew strike called off", "related_links"),
        ("Related: Why Port Avel's harbour keeps silting up", "related_links"),
        # section links
        ("Politics latest: Ferry fares frozen for a second year", "section_link"),
        ("Island council latest: Vote on harbour bridge delayed", "section_link"),
        ("Live updates: Storm Harriet reaches the islands", "section_link"),
        ("Watch: Mayor Wendt on the ferry deal", "section_link"),
        ("LISTEN: The Harbour Hour podcast", "section_link"),
        ("Video: Waves top the Port Avel sea wall", "section_link"),
        # promos
        ("Advertisement", "promo"),
        ("ADVERTISEMENT", "promo"),
        ("Story continues below advertisement", "promo"),
        ("Share this article", "promo"),
        ("Sign up to our newsletter", "promo"),
        ("Sign up for the Morning Tide newsletter.", "promo"),
        ("Follow us on Bluesky and Threads", "promo"),
        ("Click here to read the full harbour report", "promo"),
        ("Subscribe to the Courier for £1 a week", "promo"),
        # standalone datelines
        ("Updated 14 March 2021 10:45 GMT", "date_line"),
        ("Published: 2021-03-14", "date_line"),
        ("14 March 2021", "date_line"),
        # negatives: prose that merely mentions the same words
        ("The court ruled that the copyright of the song belonged to its original composer.", None),
        ("Lawyers for the band said reposting the clip was not an infringement of their rights.", None),
        ("All rights reserved by the band lapsed in 2019, according to court papers.", None),
        ("Copyright lawyers for the Courier said they would appeal.", None),
        ("Readers who want to read more about the harbour can visit the library in Port Avel.", None),
        ("Read more widely, the report suggests the ferry was never profitable.", None),
        ("Watch: that is what Pell told the board, before storming out.", None),
        ("Politics latest: the board will meet again on Friday, Pell said.", None),
        ("Subscribers to the ferry pass will get a refund, the board said.", None),
        ("Subscribe to the reservoir theory and the numbers look different, Pell said.", None),
        ("Share prices in Avel Shipping fell 4% on Monday.", None),
        ("Advertisement revenue at the Courier fell by a third last year.", None),
        ("“Follow us on this, and you will not regret it,” Wendt told the crowd.", None),
        ("“Click here to sign up,” read the poster in the ferry terminal.", None),
        ("Ferry fares frozen for a second year", None),  # headline-like, but not under a header
        ("Disclaimers on the ferry tickets were printed too small to read, Pell said.", None),
        ("On 14 March 2021 the harbour board met in Port Avel.", None),
        ("March 3, 2021 was the coldest day on record in Port Avel.", None),
        ("She said: “Read more, and you will see.”", None),
    ],
)
def test_line_reason(line: str, expected: str | None) -> None:
    assert line_reason(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Corran ferry crew strike called off", True),
        ("Why does Port Avel's harbour keep silting up?", True),
        ("Mayor 'will not back down' on ferry fares", True),
        ("The board met on Monday.", False),
        ("“Why now?”", False),
        ("Pell resigned. Wendt said nothing", False),
        (
            "Board member Jonas Pell said the repairs would cost 3 million crowns, “and not a penny less”.",
            False,
        ),
        (" ".join(["word"] * 21), False),
        ("", False),
    ],
)
def test_is_headline_like(line: str, expected: bool) -> None:
    assert is_headline_like(line) is expected


# ---------------------------------------------------------------- whole articles

STORY = (
    " date 2031-01-05 Mayor Ilse Wendt said on Monday the Corran ferry would keep running "
    "through the winter.\n"
    "“We will not leave the islands cut off,” she told reporters in Port Avel.\n"
    "Islands latest: Ferry fares frozen for a second year\n"
    "The harbour board had warned in December that two of its three boats needed new engines.\n"
    "Read more:\n"
    "Corran ferry crew strike called off\n"
    "Why Port Avel's harbour keeps silting up\n"
    "Board member Jonas Pell said the repairs would cost 3 million crowns, “and not a penny less”.\n"
    "Advertisement\n"
    "Pell added that the board would publish its accounts in March.\n"
    "Disclaimer: This content is shared for reference only; rights remain with the original author. "
    "If there is any infringement, please contact us.\n"
)

STORY_PARAGRAPHS = [
    "Mayor Ilse Wendt said on Monday the Corran ferry would keep running through the winter.",
    "“We will not leave the islands cut off,” she told reporters in Port Avel.",
    "The harbour board had warned in December that two of its three boats needed new engines.",
    "Board member Jonas Pell said the repairs would cost 3 million crowns, “and not a penny less”.",
    "Pell added that the board would publish its accounts in March.",
]

STORY_REMOVED = [
    ("date_line", "date 2031-01-05"),
    ("section_link", "Islands latest: Ferry fares frozen for a second year"),
    ("related_links", "Read more:"),
    ("related_links", "Corran ferry crew strike called off"),
    ("related_links", "Why Port Avel's harbour keeps silting up"),
    ("promo", "Advertisement"),
    (
        "disclaimer",
        "Disclaimer: This content is shared for reference only; rights remain with the original author. "
        "If there is any infringement, please contact us.",
    ),
]


def test_clean_removes_each_kind_and_records_raw_spans() -> None:
    article = Article(id="ferry", raw=STORY, source="ferry.txt", published=date(2031, 1, 5))
    cleaned = clean(article)
    assert cleaned.article is article
    assert cleaned.text == "\n\n".join(STORY_PARAGRAPHS)
    assert [(span.reason, span.text) for span in cleaned.removed] == STORY_REMOVED
    assert cleaned.removed[0] == RemovedSpan(1, 16, "date_line", "date 2031-01-05")
    check_invariants(cleaned)


def test_clean_paragraph_offsets() -> None:
    cleaned = clean(make(STORY))
    assert [cleaned.text[p.start : p.end] for p in cleaned.paragraphs] == STORY_PARAGRAPHS
    first = len(STORY_PARAGRAPHS[0])
    assert cleaned.paragraphs[:2] == (
        Paragraph(0, first),
        Paragraph(first + 2, first + 2 + len(STORY_PARAGRAPHS[1])),
    )


LONG_PROSE = [
    "Pell said readers could read more: the full report runs to 400 pages, and all rights "
    "reserved by the old ferry company passed to the board when it folded in 2019.",
    "A disclaimer on the tickets, Wendt said, warned that “the copyright of this timetable "
    "belongs to the board”, which drew laughter at the meeting.",
]


@pytest.mark.parametrize(
    ("raw", "paragraphs", "removed"),
    [
        # date line on its own line, paragraphs separated by blank lines
        (
            "date: 5 January 2031\n\nThe ferry sailed at dawn.\n\nIt was late.\n",
            ["The ferry sailed at dawn.", "It was late."],
            [("date_line", "date: 5 January 2031")],
        ),
        # date line glued to the first paragraph
        (
            "\tdate 2031-01-05 The ferry sailed at dawn.",
            ["The ferry sailed at dawn."],
            [("date_line", "date 2031-01-05")],
        ),
        # a date in the first sentence is prose, not a date line
        ("On 5 January 2031 the ferry sailed.\n", ["On 5 January 2031 the ferry sailed."], []),
        # Windows line ends and surrounding whitespace
        (
            "  The ferry sailed at dawn.  \r\n\r\nAdvertisement\r\n  It was late.\r\n",
            ["The ferry sailed at dawn.", "It was late."],
            [("promo", "Advertisement")],
        ),
        # headline block with blank lines, stopping at the first prose line
        (
            "The ferry sailed.\n\nSee also:\n\nStrike called off\n\n"
            "Harbour silts up\n\nThe crew cheered as it left.\n",
            ["The ferry sailed.", "The crew cheered as it left."],
            [
                ("related_links", "See also:"),
                ("related_links", "Strike called off"),
                ("related_links", "Harbour silts up"),
            ],
        ),
        # a prose line right after the header stays
        (
            "Read more\nThe crew cheered as the ferry left the harbour.\nStrike called off\n",
            ["The crew cheered as the ferry left the harbour.", "Strike called off"],
            [("related_links", "Read more")],
        ),
        # header followed by another kind of boilerplate
        (
            "Related:\nFerry fares frozen\nAdvertisement\nThe crew cheered.\n",
            ["The crew cheered."],
            [
                ("related_links", "Related:"),
                ("related_links", "Ferry fares frozen"),
                ("promo", "Advertisement"),
            ],
        ),
        # boilerplate words inside long prose paragraphs stay
        (
            f"{LONG_PROSE[0]}\n{LONG_PROSE[1]}\n",
            LONG_PROSE,
            [],
        ),
        # only boilerplate: nothing left
        (
            "Advertisement\nShare this article\n",
            [],
            [("promo", "Advertisement"), ("promo", "Share this article")],
        ),
        ("", [], []),
    ],
)
def test_clean_table(raw: str, paragraphs: list[str], removed: list[tuple[str, str]]) -> None:
    cleaned = clean(make(raw))
    assert [cleaned.text[p.start : p.end] for p in cleaned.paragraphs] == paragraphs
    assert cleaned.text == "\n\n".join(paragraphs)
    assert [(span.reason, span.text) for span in cleaned.removed] == removed
    check_invariants(cleaned)


def test_clean_keeps_characters_inside_paragraphs() -> None:
    raw = "“It’s done,” said Wendt — twice.\u00a0Then\tshe left…\n"
    cleaned = clean(make(raw))
    assert cleaned.text == raw.strip()


def test_related_block_is_capped() -> None:
    headlines = [f"Ferry story number {n} in the harbour" for n in range(MAX_RELATED_LINES + 2)]
    cleaned = clean(make("Read more:\n" + "\n".join(headlines) + "\n"))
    assert len(cleaned.removed) == 1 + MAX_RELATED_LINES
    assert [cleaned.text[p.start : p.end] for p in cleaned.paragraphs] == headlines[MAX_RELATED_LINES:]


def test_clean_is_idempotent() -> None:
    once = clean(make(STORY))
    twice = clean(make(once.text))
    assert twice.text == once.text
    assert twice.removed == ()


def test_raw_offset_maps_cleaned_positions_back() -> None:
    cleaned = clean(make(STORY))
    raw = STORY
    word = "Jonas Pell"
    start = cleaned.text.index(word)
    assert raw[raw_offset(cleaned, start) : raw_offset(cleaned, start + len(word))] == word
    assert raw_offset(cleaned, 0) == raw.index("Mayor")
    assert raw_offset(cleaned, len(cleaned.text)) == raw.index(" in March.") + len(" in March.")
    # between two paragraphs: the end of the first one
    first_end = cleaned.paragraphs[0].end
    assert raw_offset(cleaned, first_end + 1) == raw.index("winter.") + len("winter.")
    with pytest.raises(ValueError, match="outside the cleaned text"):
        raw_offset(cleaned, len(cleaned.text) + 1)


def test_raw_offset_skips_removed_copies_of_a_paragraph() -> None:
    # the kept line also occurs earlier inside removed boilerplate
    raw = "Related:\nFerry fares frozen\nAdvertisement\nFerry fares frozen\n"
    cleaned = clean(make(raw))
    assert cleaned.text == "Ferry fares frozen"
    assert raw_offset(cleaned, 0) == raw.rindex("Ferry fares frozen")
