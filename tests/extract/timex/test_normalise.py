"""Normalisation: tense-aware values against the reference date, and none without one."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.extract.timex import extract_timexes

from .timex_support import LEAP_FRI, MON, NEW_YEARS_EVE, WED, timexes_of


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # weekdays: past tense looks back, the reference day itself counts
        ("Mayor Ilsa Brandt said on Tuesday that the bridge was safe.", WED, [("Tuesday", "DATE", "2024-10-22")]),
        ("Ilsa Brandt spoke to reporters on Wednesday.", WED, [("Wednesday", "DATE", "2024-10-23")]),
        ("The inspector had visited the mill on Thursday.", WED, [("Thursday", "DATE", "2024-10-17")]),
        ("She arrived in Pellmouth on Friday.", MON, [("Friday", "DATE", "2025-01-03")]),
        # future tense looks forward, the reference day itself counts
        ("The council will vote on Tuesday.", WED, [("Tuesday", "DATE", "2024-10-29")]),
        ("The council will vote on Wednesday.", WED, [("Wednesday", "DATE", "2024-10-23")]),
        ("He is going to leave Pellmouth on Friday.", MON, [("Friday", "DATE", "2025-01-10")]),
        ("Brandt said he would travel to Corvale on Friday.", WED, [("Friday", "DATE", "2024-10-25")]),
        # explicit modifiers
        ("The ferry sailed last Wednesday.", WED, [("last Wednesday", "DATE", "2024-10-16")]),
        ("The ferry sails next Monday.", WED, [("next Monday", "DATE", "2024-10-28")]),
        # no reference: relative expressions are never resolved
        ("She arrived in Pellmouth on Friday.", None, [("Friday", "DATE", None)]),
        ("The mill closed last month.", None, [("last month", "DATE", None)]),
        ("The mill closed in September.", None, [("September", "DATE", None)]),
        ("This week the harbour reopened.", None, [("This week", "DATE", None)]),
        # ...while absolute ones keep their value
        ("The bakery opened on 5 September 2024.", None, [("5 September 2024", "DATE", "2024-09-05")]),
        ("The report is dated 2024-10-23.", None, [("2024-10-23", "DATE", "2024-10-23")]),
        ("The bakery opened in 2019.", None, [("2019", "DATE", "2019")]),
        ("The quarry closed in March 2021.", None, [("March 2021", "DATE", "2021-03")]),
        # months without a year, across the year boundary
        ("The mill closed last month.", MON, [("last month", "DATE", "2024-12")]),
        ("The mill closed in September.", MON, [("September", "DATE", "2024-09")]),
        ("The mill closed in September.", WED, [("September", "DATE", "2024-09")]),
        ("The ferry should resume in November.", WED, [("November", "DATE", "2024-11")]),
        ("The ferry will resume in February.", date(2024, 11, 20), [("February", "DATE", "2025-02")]),
        ("The bakery opened on September 5.", MON, [("September 5", "DATE", "2024-09-05")]),
        ("The bakery will open on January 20.", date(2024, 12, 28), [("January 20", "DATE", "2025-01-20")]),
        ("The bakery opened on September 5.", None, [("September 5", "DATE", None)]),
        # relative units
        ("This week the harbour reopened.", WED, [("This week", "DATE", "2024-W43")]),
        ("The harbour reopens next week.", NEW_YEARS_EVE, [("next week", "DATE", "2024-W01")]),
        ("Profits fell last year.", WED, [("last year", "DATE", "2023")]),
        ("Prices rose earlier this month.", WED, [("earlier this month", "DATE", "2024-10")]),
        ("The bridge shut two weeks ago.", WED, [("two weeks ago", "DATE", "2024-W41")]),
        ("The bridge shut three days ago.", WED, [("three days ago", "DATE", "2024-10-20")]),
        ("The bridge shut yesterday.", LEAP_FRI, [("yesterday", "DATE", "2024-02-29")]),
        ("The bridge shut yesterday.", None, [("yesterday", "DATE", None)]),
        # durations and vague references
        ("They held a two-hour meeting.", WED, [("two-hour", "DURATION", "PT2H")]),
        ("The strike lasted for three days.", WED, [("three days", "DURATION", "P3D")]),
        ("Inspectors are now reviewing the plan.", None, [("now", "DATE", "PRESENT_REF")]),
        ("The plan was recently approved.", None, [("recently", "DATE", "PAST_REF")]),
        # seasons, parts of day, clock times
        ("The pier reopens this summer.", date(2024, 5, 2), [("this summer", "DATE", "2024-SU")]),
        ("The pier closed last fall.", WED, [("last fall", "DATE", "2023-FA")]),
        ("The pier closed this morning.", WED, [("this morning", "TIME", "2024-10-23TMO")]),
        # a weekday with a part of day: TimeBank dates the day
        ("The pier closed on Tuesday night.", WED, [("Tuesday night", "DATE", "2024-10-22")]),
        ("The ferry sailed at noon Tuesday.", WED, [("noon Tuesday", "TIME", "2024-10-22T12:00")]),
        ("The offer expires at midnight Friday.", WED, [("midnight Friday", "TIME", "2024-10-25T24:00")]),
        ("The film High Noon was shown at the pier.", WED, []),
        ("The vote opens at 9:30 a.m. Thursday.", WED, [("9:30 a.m. Thursday", "TIME", "2024-10-24T09:30")]),
        # years with modifiers, vague spans, the weekend
        ("Profit rose in fiscal 2023.", WED, [("fiscal 2023", "DATE", "2023")]),
        ("Work starts in mid-2025.", WED, [("mid-2025", "DATE", "2025")]),
        ("Rents rose in recent months.", WED, [("recent months", "DURATION", "PXM")]),
        ("Rents rose over the past two months.", WED, [("the past two months", "DURATION", "P2M")]),
        ("Nobody knows what the future holds.", WED, [("the future", "DATE", "FUTURE_REF")]),
        ("The pier reopened over the weekend.", WED, [("the weekend", "DATE", "2024-W42-WE")]),
        # sets: every weekday, every month, weekday plurals, rates
        ("The ferry sails each Thursday.", WED, [("each Thursday", "SET", "XXXX-WXX-4")]),
        ("The fair is held every July.", WED, [("every July", "SET", "XXXX-07")]),
        ("The club meets on Tuesday nights.", WED, [("Tuesday nights", "SET", "XXXX-WXX-2TNI")]),
        ("The market opens on Saturdays.", WED, [("Saturdays", "SET", "XXXX-WXX-6")]),
        ("The pier earns $2 million a year.", WED, [("a year", "SET", "P1Y")]),
        ("Four ferries a week sail to Corvale.", WED, [("a week", "SET", "P1W")]),
        ("The inquiry will finish within a year.", WED, [("a year", "DURATION", "P1Y")]),
        ("The council holds the fair annually.", WED, [("annually", "SET", "P1Y")]),
        ("Sales rose 8% annually.", WED, []),
        ("The mill declared a quarterly dividend at the annual meeting.", WED, []),
        # decades, centuries, spoken years, year ranges
        ("The mill closed a decade ago.", WED, [("a decade ago", "DATE", "2014")]),
        ("The bridge opened almost two years ago.", WED, [("almost two years ago", "DATE", "2022")]),
        ("The feud lasted two decades.", WED, [("two decades", "DURATION", "P20Y")]),
        ("The quay dates from the 11th century.", WED, [("the 11th century", "DATE", "10")]),
        ("The pier was busy in the nineties.", WED, [("the nineties", "DATE", "199")]),
        ("Rents fell in the early 1990s.", WED, [("the early 1990s", "DATE", "199")]),
        ("The mill closed in nineteen ninety-one.", WED, [("nineteen ninety-one", "DATE", "1991")]),
        ("The plan ran to the year two thousand.", WED, [("the year two thousand", "DATE", "2000")]),
        ("Two thousand people came.", WED, []),
        ("Rents rose from 1991 to 1997.", WED, [("1991", "DATE", "1991"), ("1997", "DATE", "1997")]),
        (
            "Ferry crossings fell between 1982 and 1992.",
            WED,
            [("1982", "DATE", "1982"), ("1992", "DATE", "1992")],
        ),
        ("Output rose from 1500 to 2000 tonnes.", WED, []),
        # holidays, against the reference year and the tense
        ("The boy was found on Thanksgiving Day.", date(2025, 1, 7), [("Thanksgiving Day", "DATE", "2024-11-28")]),
        ("The vote is on Election Day.", WED, [("Election Day", "DATE", "2024-11-05")]),
        ("The pier closed last Christmas.", WED, [("last Christmas", "DATE", "2023-12-25")]),
        ("The fair returns at Easter.", date(2025, 1, 7), [("Easter", "DATE", "2025-04-20")]),
        # a month named with "last year"; a past-tense date without a year is not a year old
        ("The mill closed in July last year.", WED, [("July last year", "DATE", "2023-07")]),
        ("Brandt said the offer expires Nov. 17.", WED, [("Nov. 17", "DATE", "2024-11-17")]),
        ("The council said the ferry resumes in November.", WED, [("November", "DATE", "2024-11")]),
        ("The ferry resumed on Sept. 17.", WED, [("Sept. 17", "DATE", "2024-09-17")]),
        # tense cues: "could not" looks back, "is to" looks ahead
        ("Brandt could not be reached on Monday.", WED, [("Monday", "DATE", "2024-10-21")]),
        ("The ferry is to resume on Monday.", WED, [("Monday", "DATE", "2024-10-28")]),
    ],
)
def test_normalise_table(nlp, text, reference, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, reference) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("The ferry sails every morning at six.", ("every morning", "SET", "XXXX-XX-XXTMO")),
    ("Guards patrol the pier each night.", ("each night", "SET", "XXXX-XX-XXTNI")),
])
def test_set_with_part_of_day(nlp, text, expected):  # type: ignore[no-untyped-def]
    found = [(t.text, t.type, t.value) for t in extract_timexes(nlp(text), reference=date(2025, 3, 12))]
    assert expected in found


TUE_MARCH = date(2031, 3, 11)  # a Tuesday in March


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a scheduled event in the present simple or progressive looks forward
        ("The trial begins on Monday.", [("Monday", "DATE", "2031-03-17")]),
        ("Protesters march on Saturday.", [("Saturday", "DATE", "2031-03-15")]),
        ("Protesters are marching on Saturday.", [("Saturday", "DATE", "2031-03-15")]),
        ("The summit takes place in October.", [("October", "DATE", "2031-10")]),
        ("The company reports earnings on Thursday.", [("Thursday", "DATE", "2031-03-13")]),
        # modal, planned, expected, scheduled, conditional
        ("Protesters will march on Saturday.", [("Saturday", "DATE", "2031-03-15")]),
        ("Protesters plan to march on Saturday.", [("Saturday", "DATE", "2031-03-15")]),
        ("The march is scheduled for Saturday.", [("Saturday", "DATE", "2031-03-15")]),
        ("The ferry is expected by June.", [("June", "DATE", "2031-06")]),
        ("The minister may visit in May.", [("May", "DATE", "2031-05")]),
        ("The company expects profits to rise in the fourth quarter.", [("the fourth quarter", "DATE", "2031-Q4")]),
        ("The ferry will resume in the autumn.", [("the autumn", "DATE", "2031-FA")]),
        # past narrative keeps looking back
        ("The trial began on Monday.", [("Monday", "DATE", "2031-03-10")]),
        ("Protesters marched on Saturday.", [("Saturday", "DATE", "2031-03-08")]),
        ("Sales rose in the fourth quarter.", [("the fourth quarter", "DATE", "2030-Q4")]),
        ("The ferry resumed in the autumn.", [("the autumn", "DATE", "2030-FA")]),
        ("The summer was hot.", [("The summer", "DATE", "2030-SU")]),
        # present tense that reports, holds a state or is negated is no schedule: the nearest day
        ("He says the talks failed on Monday.", [("Monday", "DATE", "2031-03-10")]),
        ("The museum is closed on Monday.", [("Monday", "DATE", "2031-03-10")]),
        ("The union does not strike on Monday.", [("Monday", "DATE", "2031-03-10")]),
        ("Shares rise on Monday.", [("Monday", "DATE", "2031-03-10")]),
        # a contracted "it’s" with a curly apostrophe is still "is": a state, not a schedule
        ("They’re in Corvale on Monday.", [("Monday", "DATE", "2031-03-10")]),
    ],
)
def test_tense_chooses_the_direction(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, TUE_MARCH) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an infinitive of aim under a present verb or participle looks forward
        ("She wants to visit the harbour in September.", "2031-09"),
        ("The mayor is trying to finish the bridge by December.", "2031-12"),
        ("Halvorsen is one of three candidates running to challenge the mayor in November.", "2031-11"),
        # ...also when the parser hangs the date on the participle before the infinitive
        ("Halvorsen, a ferry owner, is one of the candidates running to face Brandt in November.", "2031-11"),
        # negatives: under a past verb the aim lies in the past
        ("She wanted to visit the harbour in September.", "2030-09"),
        ("Halvorsen was one of three candidates running to challenge the mayor in November.", "2030-11"),
        ("He travelled to Corvale to meet the minister in November.", "2030-11"),
        # a gerund takes the time of its clause: "had stopped short of calling on him to resign"
        ("Brandt had stopped short of calling on the mayor to resign in an interview Monday.", "2031-03-10"),
        # an infinitive that describes a noun is no aim ("the first woman to cross")
        ("She is the first woman to cross the strait in September.", "2030-09"),
    ],
)
def test_an_infinitive_of_aim_looks_forward(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [value for _t, _type, value in timexes_of(nlp, text, TUE_MARCH)] == [expected]


DEC_THU = date(2031, 12, 18)  # a Thursday in December


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "likely to" looks forward like "due to", even in a past narrative
        ("The mayor appeared likely to leave Friday for the summit.", "2031-12-19"),
        ("The ferry is unlikely to sail on Friday.", "2031-12-19"),
        # "going" without an infinitive is no future
        ("Asked how the harbour works were going at the end of July, Brandt said things were good.", "2031-07"),
        ("He is going to leave Pellmouth on Friday.", "2031-12-19"),
        # a date the parser hangs on the main verb from inside a clause of it takes that clause's tense
        ("The mayor's apology comes after the ministry, in a Monday statement, released the figures.",
         "2031-12-15"),
        ("The mayor's apology comes after the ministry released the figures on Monday.", "2031-12-15"),
        # a month that dates a simple past verb is in the past however long ago
        ("Sales of the permits began in January.", "2031-01"),
        ("The ferry service resumed in January.", "2031-01"),
        # ...while one on a planned thing or a limit may lie ahead
        ("She said they had talked about the planned visit in January.", "2032-01"),
        ("The board gave the firm until mid-January to reply.", "2032-01"),
        # "since" and "back to" put a month in the past, whatever the verb's tense
        ("The permits have been sold in shops since January.", "2031-01"),
        ("The dispute really dates back to January, when the mayor first spoke.", "2031-01"),
        # a participle clause takes the tense of the clause it opens
        ("Beginning in August, officials held talks with the union.", "2031-08"),
        ("Starting in August, the ferry will run every hour.", "2032-08"),
        # a reduced relative of arranging looks ahead from a present clause, not from a past one
        ("A joint rally set for Friday in Corvale has been postponed.", "2031-12-19"),
        ("A memorial service planned at the college for Friday was cancelled after the plans leaked.", "2031-12-12"),
        ("The index is within 70 points of its record high set on Aug. 6.", "2031-08-06"),
        # "as recently as" looks back; a participle under a present state verb is no schedule
        ("The mayor opposes the plan, suggesting as recently as February that it would fail.", "2031-02"),
        ("The mayor backs the plan, saying on Monday that it would pass.", "2031-12-15"),
        # "going to" is a future, "went on to" a past
        ("The mayor is going to pull out of the deal in May.", "2032-05"),
        ("The mayor went on to pull out of the deal in May.", "2031-05"),
        # "since" puts the clause it opens in the past
        ("Ryan, in his first interview since being named Saturday as running mate, spoke of Medicare.",
         "2031-12-13"),
        # an infinitive describing a noun looks ahead
        ("The speaker, in an interview with Corvale Radio to air Tuesday morning, gave his party a chance.",
         "2031-12-23"),
        # the event a verb of getting ready is for is the nearest such day, ahead or just past
        ("Liberal groups prepared for a march on Saturday that they said could draw thousands.", "2031-12-20"),
        ("Liberal groups prepared for a march on Monday that they said could draw thousands.", "2031-12-15"),
    ],
)
def test_direction_of_aims_states_and_old_months(nlp, text, expected):  # type: ignore[no-untyped-def]
    found = timexes_of(nlp, text, DEC_THU)
    values = [value for _t, type_, value in found if type_ == "DATE" and (value or "")[:1].isdigit()]
    assert values == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "in N years" after a record word counts back over a stretch: a duration, not a date ahead
        ("The candidates would deliver the party its first majority in eight years.",
         ("eight years", "DURATION", "P8Y")),
        ("The harbour will see its highest traffic in a decade.", ("a decade", "DURATION", "P10Y")),
        ("It will be the only strike in two years.", ("two years", "DURATION", "P2Y")),
        # negatives: a plain future "in N years" is the date that far ahead
        ("The port will reopen in eight years.", ("eight years", "DATE", "2039")),
        ("The first ferry sailed long ago, and the port will reopen in two years.", ("two years", "DATE", "2033")),
    ],
)
def test_in_n_years_after_a_record_is_a_stretch(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert timexes_of(nlp, text, DEC_THU)[-1] == expected


@pytest.mark.parametrize(
    "text",
    [
        # ages and decades are no day: nothing may be read off the machine's clock
        "Three women said the mayor pursued them when he was in his 30s.",
        "“I wonder if he can watch a Western from the '50s,” she said.",
    ],
)
def test_no_value_from_the_clock(nlp, text):  # type: ignore[no-untyped-def]
    values = [value for _t, _type, value in timexes_of(nlp, text, DEC_THU)]
    assert values and all(v is None or not v.startswith(str(date.today().year)) for v in values)


APRIL = date(2031, 4, 24)  # a Thursday in April: November is nearer behind than ahead


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # an act someone is asked to do is neither done nor scheduled: the nearest such day
        ("The mayor asked the council members to return to the town hall on Friday.", WED, "2024-10-25"),
        ("The union urged its members to vote on Friday.", WED, "2024-10-25"),
        ("She called on the council to reopen the pier on Friday.", WED, "2024-10-25"),
        ("Councillors called for the mayor to cancel the Friday session.", WED, "2024-10-25"),
        ("Councillors called for the mayor to cancel the Monday session.", WED, "2024-10-21"),
        ("The mayor asked the council to vote on Monday.", WED, "2024-10-21"),
        # negatives: an aim under a past verb of going was carried out; a plain past stays past
        ("She travelled to Corvale to meet the minister on Friday.", WED, "2024-10-18"),
        ("The mayor met the council members on Friday.", WED, "2024-10-18"),
        ("The mayor wanted to vote on Friday.", WED, "2024-10-18"),
        # a gerund after a preposition takes the time of the clause it sits in
        ("Brandt has kept quiet since the vote, other than posting a string of messages early Saturday morning.",
         WED, "2024-10-19"),
        ("After meeting the union on Saturday, the mayor will announce the plan.", WED, "2024-10-26"),
        ("Before leaving on Saturday, she thanked the crew.", WED, "2024-10-19"),
        # "is up for" an event looks ahead; "was up for" and "since" do not
        ("Halvorsen is up for re-election in November.", APRIL, "2031-11"),
        ("The ferry licence is up for renewal in November.", APRIL, "2031-11"),
        ("Halvorsen was up for re-election in November.", APRIL, "2030-11"),
        # a date naming a thing under a present progressive schedules nothing: the nearest such day
        ("Councillors are questioning several claims during Tuesday's heated hearing.", WED, "2024-10-22"),
        ("Critics are challenging a host of statements made by the mayor and her allies during Tuesday's heated "
         "harbour hearing.", WED, "2024-10-22"),
        # negative: a day the progressive itself is on is a schedule
        ("Councillors are marching on Tuesday.", WED, "2024-10-29"),
        ("Halvorsen is up in the polls since November.", APRIL, "2030-11"),
        ("Councillors voted to protect members up for re-election in November.", APRIL, "2031-11"),
        ("The bill came up for a vote in November.", APRIL, "2030-11"),
        # "slated for" looks ahead like "scheduled for"
        ("Halvorsen should not run in the by-election slated for June 25.", APRIL, "2031-06-25"),
        ("The vote is slated for Monday.", WED, "2024-10-28"),
        # what "would have" happened may have lain ahead: the nearest day; "could have" stays past
        ("The Friday hearing would have been her first appearance.", WED, "2024-10-25"),
        ("The ferry could have left on Friday.", WED, "2024-10-18"),
    ],
)
def test_requests_gerunds_and_up_for(nlp, text, reference, expected):  # type: ignore[no-untyped-def]
    assert [value for _t, _type, value in timexes_of(nlp, text, reference)][-1] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a past verb of arranging sets "for" a day lies ahead
        ("The judge set the sentencing for June 28.", "2025-06-28"),
        ("The council scheduled the vote for Monday.", "2024-10-28"),
        # negatives: a day the setting itself happened on, and a "for" that is no arrangement
        ("The council set a record on Friday.", "2024-10-18"),
        ("The judge set bail on Monday.", "2024-10-21"),
        ("The council voted for the plan on Monday.", "2024-10-21"),
        # a past progressive of getting ready looks ahead of a past time: the nearest such day
        ("The union was preparing to strike on Monday.", "2024-10-21"),
        ("On Tuesday, as the council was preparing to vote on the budget, the mayor resigned.", "2024-10-22"),
        # negatives: in the present it is a plan from now on
        ("The union is preparing to strike on Monday.", "2024-10-28"),
        # a passive infinitive set off from a past clause is still to come then: the nearest day
        ("In an interview with the radio, to be aired on Friday, Brandt made her case.", "2024-10-25"),
        ("In an interview with the radio, to be aired on Monday, Brandt made her case.", "2024-10-21"),
        # negative: the same interview told as past
        ("In an interview with the radio, aired on Friday, Brandt made her case.", "2024-10-18"),
    ],
)
def test_arranged_for_a_day_and_a_past_plan(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [value for _t, _type, value in timexes_of(nlp, text, WED)][0] == expected
