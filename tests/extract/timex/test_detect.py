"""Detection: what is and is not a time expression, and where its span stops."""

from __future__ import annotations

import pytest

from storyline.extract.timex import extract_timexes

from .timex_support import WED, timexes_of


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # vague references: connectives, narrative "soon" and discourse "Now," are not expressions
        ("The pier will soon reopen.", WED, [("soon", "DATE", "FUTURE_REF")]),
        ("The council will act as soon as the report arrives.", WED, []),
        ("Brandt resigned soon after the vote.", WED, []),
        ("The trickle soon became a flood.", WED, []),
        ("The ferry left shortly after dawn.", WED, []),
        ("Now, the council says the pier is safe.", WED, []),
        ("Currently, ferries sail from Pellmouth.", WED, []),
        ("The council now owns the pier.", WED, [("now", "DATE", "PRESENT_REF")]),
        ("The mill currently employs 40 people.", WED, [("currently", "DATE", "PRESENT_REF")]),
        # "current"/"recent" qualifying an event or state
        ("The current dispute worries the council.", WED, [("current", "DATE", "PRESENT_REF")]),
        ("Brandt blamed the recent closure of the mill.", WED, [("recent", "DATE", "PAST_REF")]),
        ("The current is strong near the pier.", WED, []),
        ("The council met in the current year.", WED, [("current year", "DATE", "2024")]),
        # negatives: ages and bare small numbers are not dates
        ("Ilsa Brandt, 58, chairs the council.", WED, []),
        ("A 9-year-old boy found the ring.", WED, []),
        ("She previously ran the mill.", WED, []),
        # negatives: modal "may", the verb "march", weekday and month words in names
        ("The council may vote to close the quarry.", WED, []),
        ("Protesters will march to the harbour.", WED, []),
        ("Nobody in Pellmouth disputed the figures.", WED, []),
    ],
)
def test_detect_table(nlp, text, reference, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, reference) == expected


def test_preposition_left_out_of_span(nlp):  # type: ignore[no-untyped-def]
    doc = nlp("The ferry left on Tuesday and returned in June.")
    texts = [tx.text for tx in extract_timexes(doc, reference=WED)]
    assert texts == ["Tuesday", "June"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capitalised "Today" right after a proper noun ends a name, it is no day
        ("The lawyer wrote last month in USA Today that the delays were errors.", ["last month"]),
        ("She told Corvale Today on Monday that she would run.", ["Monday"]),
        # negatives: "today" in running text, and "Today" opening a sentence
        ("The lawyer wrote today that the delays were errors.", ["today"]),
        ("Today the council voted to close the pier.", ["Today"]),
    ],
)
def test_a_time_word_ending_a_name_is_no_expression(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [t.text for t in extract_timexes(nlp(text), reference=WED)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of a month with its year is one expression
        ("New evidence surfaced in late September 2016 on a laptop.", [("late September 2016", "DATE", "2016-09")]),
        ("Work on the pier starts in early March 2030.", [("early March 2030", "DATE", "2030-03")]),
        ("Prices fell in mid-January 2019.", [("mid-January 2019", "DATE", "2019-01")]),
        # negatives: without a year it stays relative; a count after it is no year
        ("New evidence surfaced in late September.", [("late September", "DATE", "2024-09")]),
        # a day number after the month: the number before it counts something ("19 Sept. 11 hijackers")
        ("Fifteen of the 19 Sept. 11 hijackers trained abroad.", [("Sept. 11", "DATE", "2024-09-11")]),
        ("The ferry sailed on 19 Sept. 2011.", [("19 Sept. 2011", "DATE", "2011-09-19")]),
        ("On 19 Sept. the ferry sailed.", [("19 Sept.", "DATE", "2024-09-19")]),
        # "Month of YYYY" is one expression, and a month joined to it shares its year
        ("The plan was approved in July of 2009.", [("July of 2009", "DATE", "2009-07")]),
        ("Talks ran through June and July of 2009.",
         [("June", "DATE", "2009-06"), ("July of 2009", "DATE", "2009-07")]),
        ("She joined the crew in July of that year.", [("July", "DATE", "2024-07")]),
    ],
)
def test_a_month_with_its_year_and_a_count_before_a_date(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a capitalised "Today" quoted alone or before "show" names a programme
        ("Halvorsen told the “Today” show that she would run.", []),
        ("Halvorsen told NBC's \"Today\" programme on Thursday that she would run.",
         [("Thursday", "DATE", "2024-10-17")]),
        ("It was a story on the Today show.", []),
        ("“I hope he can,” Brandt told “Today.”", []),
        # negatives: "today" that opens a quoted sentence, or stands in a sentence, is the day
        ("She said: “Today we start again.”", [("Today", "DATE", "2024-10-23")]),
        ("The ferry sails today.", [("today", "DATE", "2024-10-23")]),
    ],
)
def test_a_programme_called_today_is_no_day(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, WED) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a decade written with an apostrophe is still a decade, not its first year
        ("In the 1990's, Brandt ran the harbour.", [("the 1990's", "DATE", "199")]),
        ("Rents doubled in the 1980’s.", [("the 1980’s", "DATE", "198")]),
        ("Rents doubled in 1990.", [("1990", "DATE", "1990")]),
        ("Rents doubled in the 1990s.", [("the 1990s", "DATE", "199")]),
        # "the" + day and month + a capitalised noun names a body, not a day
        ("The cable warned that the 17 February Brigade was compromised.", []),
        ("The Sept. 11 Commission met in Corvale.", []),
        # negatives: a date before a common noun, or before a subject's name, is a day
        ("The 17 February meeting was cancelled.", [("17 February", "DATE", "2024-02-17")]),
        ("On 17 February Brandt said the pier was unsafe.", [("17 February", "DATE", "2024-02-17")]),
        ("The Aug. 7 Embassy bombings killed 40 people.", [("Aug. 7", "DATE", "2024-08-07")]),
    ],
)
def test_decades_with_an_apostrophe_and_dates_that_name_a_body(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, WED) == expected
