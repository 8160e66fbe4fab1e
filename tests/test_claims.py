"""Claims: counts with qualifiers, money with conversions, dated events."""

from __future__ import annotations

from datetime import date

import pytest

from storyline.extract.claims import extract_claims, figure_owner, format_amount
from storyline.extract.timex import extract_timexes

WED = date(2024, 10, 23)


def _claims(nlp, text, kind, reference=None):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    timexes = tuple(extract_timexes(doc, reference=reference))
    claims = list(extract_claims(doc, timexes=timexes))
    for claim in claims:
        assert doc.text[claim.start : claim.end] == claim.text
    return [(c.text, c.value, c.subject) for c in claims if c.kind == kind]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Nearly 100 current and former harbour workers joined the strike.",
            [("Nearly 100 current and former harbour workers", "<100", "worker")],
        ),
        ("About 40 volunteers came to the pier.", [("About 40 volunteers", "~40", "volunteer")]),
        ("More than 2,500 fans cheered the ferry.", [("More than 2,500 fans", ">2500", "fan")]),
        ("At least three million people voted.", [("At least three million people", ">=3000000", "people")]),
        ("Up to 12 ferries were cancelled.", [("Up to 12 ferries", "<=12", "ferry")]),
        ("Fewer than 30 students attended the lecture.", [("Fewer than 30 students", "<30", "student")]),
        ("Almost 60 fishermen signed the letter.", [("Almost 60 fishermen", "<60", "fisherman")]),
        ("A dozen reporters waited outside the hall.", [("A dozen reporters", "12", "reporter")]),
        ("The mayor hired 15 new inspectors.", [("15 new inspectors", "15", "inspector")]),
        # numbers inside quoted speech are still claims
        ("“We hired 15 inspectors,” Brandt said.", [("15 inspectors", "15", "inspector")]),
        # negatives
        ("The bridge opened in 2019.", []),
        ("The meeting began at 10pm.", []),
        ("It was the first time the council met.", []),
        ("One of the inspectors resigned.", []),
        ("Residents can call 020 7946 0018 for details.", []),
        ("The strike lasted a day.", []),
        ("The strike lasted two days.", []),
        ("Turnout rose by 40% in Pellmouth.", []),
        ("The council spent $40,000 on repairs.", []),
    ],
)
def test_counts(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert _claims(nlp, text, "count") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Visitors cannot spend more than $1,000 (£770) on tickets.",
            [("$1,000 (£770)", ">USD 1000 = GBP 770", "spend")],
        ),
        ("The council spent £3.5m on the bridge.", [("£3.5m", "GBP 3500000", "spend")]),
        ("The grant was worth €40,000 (about $43,000).", [("€40,000 (about $43,000)", "EUR 40000 = ~USD 43000")]),
        ("The firm paid 1,000 dollars in fees.", [("1,000 dollars", "USD 1000", "pay")]),
        ("Harlow Bank lent $2 billion to the port.", [("$2 billion", "USD 2000000000", "lend")]),
        ("The fund holds ¥500 million (£2.6m).", [("¥500 million (£2.6m)", "JPY 500000000 = GBP 2600000")]),
        ("The ticket costs A$45.50.", [("A$45.50", "AUD 45.5")]),
        ("Fines of up to 300 euros apply.", [("300 euros", "<=EUR 300")]),
        # a negated bound is the other bound; a threshold named as a demand is the figure itself
        ("The fund must keep no less than $40 million.", [("$40 million", ">=USD 40000000", "keep")]),
        ("She would not accept anything less than $2 billion.", [("$2 billion", "USD 2000000000", "accept")]),
        ("They demanded nothing short of £5m.", [("£5m", "GBP 5000000", "demand")]),
        ("The repairs cost less than $2 billion.", [("$2 billion", "<USD 2000000000", "cost")]),
        # negatives: weight, bare numbers, a hash sign
        ("The crate weighed 20 pounds of fish.", []),
        ("The hall holds 300 people.", []),
    ],
)
def test_money(nlp, text, expected):  # type: ignore[no-untyped-def]
    found = _claims(nlp, text, "money")
    assert [(t, v) for t, v, _s in found] == [e[:2] for e in expected]
    # the subject is the governing verb's lemma; the table names it where the parse is clear
    for (_t, _v, subject), row in zip(found, expected, strict=True):
        if len(row) == 3:
            assert subject == row[2]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        (
            "Brandt met the harbour master last month.",
            WED,
            [("Brandt met the harbour master last month", "2024-09", "meet")],
        ),
        (
            "The inspectors visited the mill on Tuesday.",
            WED,
            [("The inspectors visited the mill on Tuesday", "2024-10-22", "visit")],
        ),
        ("The inspectors visited the mill on Tuesday.", None, []),
        ("The inspectors visited the mill this week.", WED, []),
        # a year dates an event only when it says when something happened
        ("The bakery opened in 2019.", None, [("The bakery opened in 2019", "2019", "open")]),
        ("Her term ends in 2027.", None, [("Her term ends in 2027", "2027", "end")]),
        ("The 2019 budget was approved.", None, []),
        ("He drove a 2008 Bentley.", None, []),
        ("The council of 2019 approved it.", None, []),
    ],
)
def test_dates(nlp, text, reference, expected):  # type: ignore[no-untyped-def]
    assert _claims(nlp, text, "date", reference) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day or holiday that is what the clause is about does not date it
        ("The bill makes Labour Day a paid holiday.", []),
        ("Christmas is a time for families.", []),
        ("Residents want to celebrate Easter together.", []),
        # ...but a bare weekday the parser takes for an object still does
        ("The minister is likely to leave Friday for the summit.", [("to leave Friday", "2024-10-25")]),
        # a date naming another event the verb is placed before, after or towards
        ("Councillors left for the August recess without a vote.", []),
        ("Councillors voted before Tuesday's deadline.", []),
        # "on" before a day that modifies a noun names a kind or a topic, not when it happened
        ("The aide began taping her appearances on Sunday morning news programmes.", []),
        ("She declined to take sides on the Friday vote itself.", []),
        ("The fund paid wages through the Friday deadline.", []),
        ("The talks, which began weeks before the Nov. 8, 2024, election, continued.", []),
        ("The strike will last until Oct. 30.", []),
        ("The council met ahead of the Oct. 3 vote.", []),
        ("The group wrote to the mayor in advance of his Thursday talk on the campus.", []),
        ("The council met before the start of Monday's session.", []),
        # ...but "before" a body or a person is a place, and the date still dates the verb
        ("The minister will appear before the committee on Thursday.",
         [("The minister will appear before the committee on Thursday", "2024-10-24")]),
        ("“I will not speak to the press again after today,” he said.", []),
        # "a month ago Thursday": the day counted from is not the day it happened
        ("The strike, which began a month ago Wednesday, goes on.", [("which began a month ago", "2024-09")]),
        # a year keeps its own rule: "since 2019", "before 2019" still say when
        ("The mill has been closed since 2019.", [("The mill has been closed since 2019", "2019")]),
        ("The captain was detained on Oct. 9, three days before the town's regatta.",
         [("The captain was detained on Oct. 9", "2024-10-09")]),
        # ...while one the verb happens in, or one introducing a clause, still dates it
        ("In a televised September debate, Halvorsen denied the claim.",
         [("September debate, Halvorsen denied", "2024-09")]),
        ("Saturday's march drew thousands.", [("Saturday's march drew", "2024-10-19")]),
        ("The union walked out on Wednesday, a day after the board rejected its offer.",
         [("The union walked out on Wednesday", "2024-10-23"), ("a day after the board rejected", "2024-10-22")]),
        # "today" as the present in general is no date; as the day of an event it is
        ("It is simply a fact of rural life today.", []),
        ("Farmers today face higher costs.", []),
        ("“Nobody knows what's going on in the world today,” he said.", []),
        ("“It’s a reality of rural life today,” she said.", []),
        # a day behind "post-"/"pre-" names an era, not when the clause happened
        ("The post-Sept. 11 law expanded surveillance.", []),
        ("A pre-Election Day poll showed Halvorsen ahead.", []),
        ("Shops held post-Christmas sales on Friday.", [("Shops held post-Christmas sales on Friday", "2024-10-18")]),
        ("The shops reopened on Labor Day.", [("The shops reopened on Labor Day", "2024-09-02")]),
        # a date inside an appositive describes the person, not the verb's event
        ("Halvorsen, a candidate in the council election on June 3, said the pier was unsafe.", []),
        ("Halvorsen, the winner of the March primary, said on Tuesday that he would run.",
         [("Halvorsen, the winner of the March primary, said on Tuesday", "2024-10-22")]),
        ("In a speech on Saturday in Corvale, Halvorsen dismissed the plan.",
         [("Saturday in Corvale, Halvorsen dismissed", "2024-10-19")]),
        ("“Today’s ruling gives the harbour certainty,” the mayor said.", [("Today’s ruling gives", "2024-10-23")]),
        ("Today's story distorts her record.", [("Today's story distorts", "2024-10-23")]),
        ("“In today's world, nobody listens,” she said.", []),
        ("Brandt said that in Corvale today, rumours can ruin a career.", []),
        ("“In politics today, nobody will listen,” she said.", []),
        # ...but "in" an occasion, a paper or a city where something happened today still dates it
        ("In his remarks today, the mayor refused to name the firm.",
         [("today, the mayor refused", "2024-10-23")]),
        ("In Corvale today, the mayor signed the order.", [("today, the mayor signed", "2024-10-23")]),
        ("Today the council voted to close the pier.", [("Today the council voted", "2024-10-23")]),
        ("The council will vote today.", [("The council will vote today", "2024-10-23")]),
        ("The museum reopens today.", [("The museum reopens today", "2024-10-23")]),
    ],
)
def test_a_date_claim_needs_a_date_of_its_event(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert [(t, v) for t, v, _s in _claims(nlp, text, "date", WED)] == expected


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("Her term ends in 2027.", "term"),
        ("The ferry resumed service on Tuesday.", "ferry"),
        ("The council approved the budget on Tuesday.", "council"),
        ("He praised them for passing the bylaw on Tuesday.", "bylaw"),  # no subject: the object
        ("The budget was approved on Tuesday.", "budget"),
        # negatives: a pronoun or a name says who, not what the event is about
        ("She resigned on Tuesday.", None),
        ("Brandt visited the mill on Tuesday.", None),
    ],
)
def test_a_dated_event_carries_its_noun(nlp, text, noun):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    dates = [c for c in extract_claims(doc, timexes=tuple(extract_timexes(doc, reference=WED))) if c.kind == "date"]
    assert [c.noun for c in dates] == [noun]


def test_ids_follow_text_order(nlp):  # type: ignore[no-untyped-def]
    doc = nlp("On Tuesday about 40 volunteers raised £2,000 for the pier.")
    timexes = tuple(extract_timexes(doc, reference=WED))
    claims = list(extract_claims(doc, timexes=timexes))
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    assert [c.start for c in claims] == sorted(c.start for c in claims)
    assert {c.kind for c in claims} == {"count", "money", "date"}


def test_without_timexes_no_date_claims(nlp):  # type: ignore[no-untyped-def]
    doc = nlp("The inspectors visited the mill on Tuesday.")
    assert [c for c in extract_claims(doc) if c.kind == "date"] == []


@pytest.mark.parametrize(("number", "text"), [(1000.0, "1000"), (2.5, "2.5"), (3_500_000.0, "3500000")])
def test_format_amount(number, text):  # type: ignore[no-untyped-def]
    assert format_amount(number) == text


def _figures(nlp, text, reference=None):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    timexes = tuple(extract_timexes(doc, reference=reference))
    claims = list(extract_claims(doc, timexes=timexes))
    for claim in claims:
        assert doc.text[claim.start : claim.end] == claim.text
    return [(c.kind, c.text, c.value) for c in claims if c.kind != "date"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # vague quantities and ranges
        ("Dozens of fishermen blocked the quay.", [("count", "Dozens of fishermen", "24..99")]),
        ("Hundreds of residents lost power.", [("count", "Hundreds of residents", "200..999")]),
        ("Between 10 and 20 boats sank.", [("count", "Between 10 and 20 boats", "10..20")]),
        ("Officers found 30 to 40 crates in the van.", [("count", "30 to 40 crates", "30..40")]),
        # points scored are counted; percentages and percentage points are not counts
        ("Lund had 12 points and four rebounds.", [("count", "12 points", "12"), ("count", "four rebounds", "4")]),
        ("About 45 percent of voters approve.", [("percent", "About 45 percent", "~45")]),
        ("Support fell to 38% in May.", [("percent", "38%", "38")]),
        # scale words, also after a closing quotation mark
        ("The council wants $5.6” billion for the sea wall.", [("money", "$5.6” billion", "USD 5600000000")]),
        ("The club was fined 2 million pounds.", [("money", "2 million pounds", "GBP 2000000")]),
        # a weight is not money
        ("The newborn weighed 7.2 pounds.", []),
        # durations, time that has passed, clock times, tallies
        ("She lived in Dunmore for four years.", [("duration", "four years", "P4Y")]),
        ("They moved back around six weeks ago.", [("duration", "around six weeks ago", "~P6W ago")]),
        # time gone by since an event is time ago, not a length
        ("In the 15 years since they left office they paid their taxes.", [("duration", "15 years", "P15Y ago")]),
        ("It was the first meeting in 22 days.", [("duration", "22 days", "P22D ago")]),
        ("The strike lasted 22 days.", [("duration", "22 days", "P22D")]),
        ("The ferry was stopped at about 2:45 p.m.", [("time", "about 2:45 p.m.", "~T14:45")]),
        ("The car was seen at 1:30 a. m. near the bridge.", [("time", "1:30 a. m.", "T01:30")]),
        ("The assembly voted 71-12 to approve the budget.", [("score", "71-12", "71-12")]),
        ("Harbour City won 3-1 at home.", [("score", "3-1", "3-1")]),
        # identifiers and names are not counts
        ("The lorry left Route 66 near the depot.", []),
        ("Her laptop had a Vexa 2 Pro chip.", []),
        ("A magnitude 5.8 earthquake shook the coast.", []),
        ("The pages numbered 10-12 were missing.", []),
        ("Call 555-0134 for tickets.", []),
        # odds are a ratio, not a count of what follows; an age range is no length of time
        ("There is a 2 in 3 chance that the ferry runs.", []),
        ("Forecasters gave a one-in-five chance of storms.", []),
        ("The women were between 16 and 18 years old at the time.", []),
        ("Police stopped 3 men in 2 cars.", [("count", "3 men", "3"), ("count", "2 cars", "2")]),
        # a range of money is one figure; a change from one sum to another is two
        ("The club offered a deal worth between $140 million and $150 million.",
         [("money", "between $140 million and $150 million", "USD 140000000..150000000")]),
        ("Repairs will cost $5 million to $7 million.",
         [("money", "$5 million to $7 million", "USD 5000000..7000000")]),
        ("The fund grew from $5 million to $7 million.",
         [("money", "$5 million", "USD 5000000"), ("money", "$7 million", "USD 7000000")]),
        # a moment of a game told by the time left is no length
        ("Lund scored with 29 seconds remaining.", []),
        ("The Bluejays led with four minutes to play.", []),
        # bounds named as a maximum; "over" a length is across it, not more than it
        ("He faces a maximum sentence of 15 years.", [("duration", "maximum sentence of 15 years", "<=P15Y")]),
        ("The club offered $184 million over eight years.",
         [("money", "$184 million", "USD 184000000"), ("duration", "eight years", "P8Y")]),
        ("The tremor lasted just over 10 seconds.", [("duration", "just over 10 seconds", ">PT10S")]),
    ],
)
def test_figures(nlp, text, expected):  # type: ignore[no-untyped-def]
    assert _figures(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bare number after a verb of change gives the new value of its subject
        ("Ferry bookings have fallen sharply, to 40,000 last year from a peak of 1.2 million in 2015.",
         [("40,000", "40000", "booking", "fall"), ("1.2 million", "1200000", "booking", "fall")]),
        ("Complaints at the harbour dropped to 310 last month.", [("310", "310", "complaint", "drop")]),
        ("The number of applicants climbed to 3,200, up from 2,900.",
         [("3,200", "3200", "applicant", "climb"), ("2,900", "2900", "applicant", "climb")]),
        ("The death toll rose to 12 on Tuesday.", [("12", "12", "toll", "rise")]),
        # negatives: no verb of change, a name, a score, a percentage, a counted noun after the number
        ("Pellmouth fell to 3-2 after the break.", []),
        ("Turnout fell to 40 percent.", []),
        ("She rose to power in 2010.", []),
        ("The crew shrank to 12 sailors.", [("12 sailors", "12", "sailor", "shrink")]),
    ],
)
def test_a_number_after_a_verb_of_change_counts_its_subject(nlp, text, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    found = [(c.text, c.value, c.noun, c.verb) for c in extract_claims(doc) if c.kind == "count"]
    assert found == expected


def test_figures_carry_their_noun_and_verb(nlp):  # type: ignore[no-untyped-def]
    doc = nlp("Police arrested more than 200 protesters on the bridge.")
    (claim,) = [c for c in extract_claims(doc) if c.kind == "count"]
    assert (claim.noun, claim.verb, claim.value) == ("protester", "arrest", ">200")


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Lund scored 12 points.", "Lund"),
        ("Lund's 12 points led the team.", "Lund"),
        ("Lund ran hard and scored 12 points.", "Lund"),
        ("Lund helped the team by scoring 12 points.", "Lund"),  # a gerund after a preposition
        ("Scoring 12 points, Lund led the team.", "Lund"),  # a participle clause
        ("Lund said the storm damaged 40 homes.", "the storm"),
        # negatives: the figure is the subject; a clause with a subject of its own
        ("Twelve people died.", None),
        ("After the storm damaged 40 homes, Lund spoke.", "the storm"),
    ],
)
def test_figure_owner(nlp, text, owner):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    (claim,) = [c for c in extract_claims(doc) if c.kind == "count"]
    span = figure_owner(doc, claim.start, claim.end)
    assert (text[span[0]:span[1]] if span else None) == owner


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("She lived in Dunmore for four years.", "live"),
        ("She returned home after a four-year spell living in Dunmore.", "live"),
        ("He came back after a two-year stint working in Oslo.", "work"),
        # negatives: no participle describes the period, so the clause's verb is the duration's
        ("She returned home after a four-year spell abroad.", "return"),
        ("She returned home after four years.", "return"),
    ],
)
def test_a_duration_carries_the_verb_of_its_period(nlp, text, verb):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    timexes = tuple(extract_timexes(doc, reference=None))
    (claim,) = [c for c in extract_claims(doc, timexes=timexes) if c.kind == "duration"]
    assert claim.verb == verb
