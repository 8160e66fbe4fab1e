"""Anchoring: expressions counted from an earlier one, and the expression that dates a verb."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.extract.timex import extract_timexes, timex_for_token

from .timex_support import WED, timexes_of


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # anchored expressions: the event introduced by "a day after" happened the day before the anchor
        (
            "Brandt resigned on Wednesday, a day after the council rejected the plan.",
            WED,
            [("Wednesday", "DATE", "2024-10-23"), ("a day after", "DATE", "2024-10-22")],
        ),
        (
            "Brandt resigned on Wednesday, two days before the council votes on the plan.",
            WED,
            [("Wednesday", "DATE", "2024-10-23"), ("two days before", "DATE", "2024-10-25")],
        ),
        (
            "The vote was held on Tuesday and Brandt had arrived the day before.",
            WED,
            [("Tuesday", "DATE", "2024-10-22"), ("the day before", "DATE", "2024-10-21")],
        ),
        # no day to count from: TimeML's reading, the duration itself
        ("A day after the council rejected the plan, Brandt resigned.", WED, [("A day", "DURATION", "P1D")]),
        ("Twenty years after the pier opened, it closed.", WED, [("Twenty years", "DURATION", "P20Y")]),
        (
            "Brandt resigned on Wednesday, a day after the council rejected the plan.",
            None,
            [("Wednesday", "DATE", None), ("a day after", "DATE", None)],
        ),
        # quarters, and "a year earlier" in a quarterly report
        ("Harbour Mills posted third-quarter profit.", WED, [("third-quarter", "DATE", "2024-Q3")]),
        ("Sales fell in the fourth quarter.", date(2025, 1, 20), [("the fourth quarter", "DATE", "2024-Q4")]),
        ("Sales fell in the second quarter of 2019.", None, [("the second quarter of 2019", "DATE", "2019-Q2")]),
        ("Revenue in the latest quarter rose.", WED, [("the latest quarter", "DATE", "2024-Q3")]),
        (
            "Third-quarter profit rose 4% from a year earlier.",
            WED,
            [("Third-quarter", "DATE", "2024-Q3"), ("a year earlier", "DATE", "2023-Q3")],
        ),
        ("Profit was up from the year-ago quarter.", WED, [("the year-ago quarter", "DATE", "2023-Q3")]),
        ("Costs are higher than a year earlier.", WED, [("a year earlier", "DATE", "2023")]),
    ],
)
def test_anchor_table(nlp, text, reference, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, reference) == expected


@pytest.mark.parametrize(
    ("text", "cue", "expected"),
    [
        ("The mayor said on Tuesday she had signed the order.", "said", "Tuesday"),
        (
            "Brandt said she had “no regrets” about the plan on Wednesday, a day after the council rejected it.",
            "said",
            "Wednesday",
        ),
        ("On Monday, the harbour master told reporters the pier was unsafe.", "told", "Monday"),
        ("Brandt said the council had rejected the plan.", "said", None),
        ("Brandt said: “We met the inspectors on Monday.”", "said", None),
        ("Brandt said the mill closed last month.", "said", None),
        # a statement is dated by its own clause, not by the nearest date in the sentence
        ("Brandt said on Wednesday, a day after the council accused her of lying, that she would stay.",
         "said", "Wednesday"),
        ("The board said on Friday that the pier had closed on Tuesday.", "said", "Friday"),
        ("Brandt, who resigned on Monday, said on Thursday that she had no regrets.", "said", "Thursday"),
        ("The pier, which shut on Sunday, was reopened on Thursday, officials said.", "said", None),
        ("Police said the man was arrested on Monday and charged on Wednesday.", "said", None),
        ("The strike began on Monday, the union said.", "said", None),
        ("Brandt said the pier was unsafe on Monday.", "said", "Monday"),
        ("Brandt said the pier was closed on Monday.", "said", None),
        ("The council announced on Monday that it would close the mill, the union said Thursday.", "said",
         "Thursday"),
        ("Pell told reporters Thursday that Brandt had resigned on Tuesday.", "told", "Thursday"),
        ("“We will rebuild,” Brandt said on Tuesday after the storm hit on Sunday.", "said", "Tuesday"),
        ("Brandt met reporters on Tuesday and said the pier would reopen.", "said", "Tuesday"),
        ("In a statement on Monday, the ministry said the pier was safe.", "said", "Monday"),
        ("Speaking on Monday, Brandt said the pier was safe.", "said", "Monday"),
        ("The union said in a statement Thursday that the strike would go ahead.", "said", "Thursday"),
    ],
)
def test_timex_for_token(nlp, text, cue, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    timexes = list(extract_timexes(doc, reference=WED))
    cue_i = next(t.i for t in doc if t.text == cue)
    found = timex_for_token(doc, cue_i, timexes)
    assert (found.text if found else None) == expected


def test_timex_for_token_without_reference_keeps_the_expression(nlp):  # type: ignore[no-untyped-def]
    doc = nlp("The mayor said on Tuesday she had signed the order.")
    timexes = list(extract_timexes(doc, reference=None))
    found = timex_for_token(doc, 2, timexes)
    assert found is not None and found.text == "Tuesday" and found.value is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a demonstrative points back to a date told of before: its year is the one written last
        ("The mayor said she had misspoken at a 2021 rally in Corvale. At that March 2 rally, she said"
         " she had served in the navy.", "2021-03-02"),
        ("At a rally in 2021 the mayor misspoke. That June, she resigned.", "2021-06"),
        ("The ferry sank in 2020, and the inquiry opened in 2021. At that June 4 hearing, the captain spoke.",
         "2021-06-04"),
        # negatives: no demonstrative, a "that" that joins a clause, or no year written before
        ("The mayor misspoke at a 2021 rally. On March 2, she resigned.", "2024-03-02"),
        ("The ferry sank in 2021. The mayor said that March 2 was a day of mourning.", "2024-03-02"),
        ("At that March 2 rally, she said she had served in the navy.", "2024-03-02"),
    ],
)
def test_that_date_takes_the_year_told_before(nlp, text, expected):  # type: ignore[no-untyped-def]
    values = [v for t, _type, v in timexes_of(nlp, text, WED) if t in ("March 2", "June 4", "June")]
    assert values == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a date joined to one that writes its year shares that year
        ("The lawyers saw the testimony before he gave it in August and October 2021.", ["2021-08", "2021-10"]),
        ("The talks ran between June and August 2021.", ["2021-06", "2021-08"]),
        ("The hearings ran from March 3 to March 9, 2021.", ["2021-03-03", "2021-03-09"]),
        # negative: a date in another phrase keeps its own reading
        ("The ferry sailed in August, and in October 2021 it sank.", ["2024-08", "2021-10"]),
    ],
)
def test_joined_dates_share_the_year(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [v for _t, _type, v in timexes_of(nlp, text, WED)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "that year" after a day or month points back to the year told last
        ("In 2016 the party met in Corvale. On July 22 that year, the leak began.", "2016-07-22"),
        ("In 2016 the party met in Corvale. In May of that same year, the leak began.", "2016-05"),
        # negative: "that year" in another clause leaves the date to its tense
        ("In 2016 the party met in Corvale. The leak began on July 22, the mayor said that year.", "2024-07-22"),
    ],
)
def test_that_year_after_a_date_points_back(nlp, text, expected):  # type: ignore[no-untyped-def]
    values = [value for _t, _type, value in timexes_of(nlp, text, WED)]
    assert values[1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a weekday followed by the date it falls on is that date
        ("The process began on Friday, Sept. 13, 2024, when the counsel wrote.", ["2024-09-13", "2024-09-13"]),
        ("The process began on Friday, Sept. 13, when the counsel wrote.", ["2024-09-13", "2024-09-13"]),
        # negative: a date that falls on another weekday leaves the weekday to its tense
        ("The ferry sailed on Friday, Sept. 12.", ["2024-10-18", "2024-09-12"]),
    ],
)
def test_a_weekday_followed_by_its_date(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [value for _t, _type, value in timexes_of(nlp, text, WED)] == expected
