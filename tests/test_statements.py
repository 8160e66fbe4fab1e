"""Statements across outlets: when two direct quotations of one statement differ in words."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.reconcile.statements import wording_difference


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # a word swapped for another changes what was said
        ("We will not pay for the sea wall this year.", "We will not pay for the harbour wall this year.", "major"),
        ("We welcome them. We reject their plan.", "By all accounts we welcome them. We reject their offer.", "major"),
        # a filler word added or dropped
        ("We have learned something important since the storm hit", "We have learned something very "
         "important since the storm hit", "minor"),
        # house style: punctuation, case, an article
        ("We will rebuild the harbour, before the summer.", "we will rebuild the harbour before the summer",
         None),
        ("I think Mayor Lind is taking a big risk here", "I think the Mayor Lind is taking a big risk here", None),
        # a word in capitals for emphasis is a minor change; a name in capitals is house style
        ("They keep closing down the voices of people on the RIGHT", "They keep closing down the voices of "
         "people on the right", "minor"),
        ("We will stand with our NATO allies this year", "We will stand with our Nato allies this year", None),
        ("WE will stand with our allies this year", "We will stand with our allies this year", None),
        # an editor's insertion and dotted initials are no rewording; a swapped preposition is minor
        ("We will not let the F.B.I. decide this for our town", "We will not let the FBI decide this for our "
         "(coastal) town", None),
        ("We will finish the sea wall within two years", "We will finish the sea wall in two years", "minor"),
        # a word in another number ("pew" / "pews") is a minor change; another word is not
        ("You don't need to sit in the pew every Sunday to know it", "You don't need to sit in the pews every "
         "Sunday to know it", "minor"),
        ("The harbour fee costs too much for every family here", "The harbour fee cost too much for every family "
         "here", "minor"),
        ("You don't need to sit in the pew every Sunday to know it", "You don't need to sit in the pub every "
         "Sunday to know it", "major"),
        ("He should pay for it and he has got the money", "He should pay [for] it and he has got the money", None),
        # a negation at an excerpt's edge turns it round; a small word at its edge is where it was cut
        ("To close the harbour this winter would hurt every family here", "If they don't close the harbour this "
         "winter it will hurt every family here", "major"),
        ("the crossing will stay open all winter", "We talked for an hour about the ferry, but crossing will stay "
         "open all winter", None),
        ("We will keep the [harbour] ban in place all year", "We will keep the ban in place all year", None),
        # an excerpt of a longer quotation is no rewording
        ("will always stand up for the islanders", "I will always stand up for the islanders, always.", None),
        ("The harbour will be rebuilt before summer", "The harbour will be rebuilt before summer, and we will pay "
         "for it", None),
        # too short to tell, or two different statements
        ("Not going to pay", "We are not going to pay", None),
        ("We are not going to pay any single cent for it", "I am not going to pay for that wall", None),
        # two names, not one name spelled two ways
        ("Now it looks like Colonel Rashidi is going to win this fight", "Now it looks like Governor Lind is going "
         "to win this fight", "major"),
    ],
)
def test_wording_difference(a, b, expected):  # type: ignore[no-untyped-def]
    diff = wording_difference(a, b)
    assert (diff[0] if diff else None) == expected
    diff = wording_difference(b, a)
    assert (diff[0] if diff else None) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("I’d like to know who those people really are", "I would like to know who those people really are"),
        ("We don’t want the ferry to stop running", "We do not want the ferry to stop running"),
        ("We will not pay any single cent for that wall", "We will not pay a single cent for that wall"),
        # numbers in words or digits; one name transliterated two ways
        ("There is a two-in-three chance that we keep the ferry running", "There is a 2 in 3 chance that we keep "
         "the ferry running"),
        ("Now it looks like Colonel al-Rashidi is going to win this fight", "Now it looks like Colonel Rashidy is "
         "going to win this fight"),
    ],
)
def test_contractions_and_determiners_are_house_style(a, b):  # type: ignore[no-untyped-def]
    assert wording_difference(a, b) is None


def test_a_masked_word_is_the_word_it_masks():  # type: ignore[no-untyped-def]
    assert wording_difference("We are not paying for that d***ed wall, ever", "We are not paying for that "
                              "darned wall, ever") is None
    assert wording_difference("We are not paying for that d***ed wall, ever", "We are not paying for that "
                              "stupid wall, ever") is not None


def test_words_scattered_over_a_long_quotation_are_not_a_rewording():  # type: ignore[no-untyped-def]
    long_ = ("In any event, we are not in the business of telling people what to say. I do not like that word, I "
             "would not use that word myself. I do not set any standards for my colleagues, and I do not think "
             "it is anything worse than what we hear every day.")
    assert wording_difference("I do not like that word, and it is worse than anything", long_) is None


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # one person's words placed on two days
        ('Lind said on Saturday: "We will not raise the harbour fees this year, whatever happens."',
         'Lind said on Friday: "We will not raise the harbour fees this year, whatever happens."', True),
        # a person quoting another's report is another statement, with its own day
        ('Lind on Saturday said "the Courier report claiming the wall will cost $9 million is simply wrong".',
         'The Harbour Courier\'s Thursday night report claimed "the wall will cost $9 million".', False),
    ],
)
def test_a_statement_placed_on_two_days(first, second, expected):  # type: ignore[no-untyped-def]
    lead = "Mayor Ada Lind of Tormsby faced questions about the harbour wall this week.\n\n"
    story = one_story(lead + first, lead + second)
    assert any(f.kind == "conflict" and f.about.startswith("When ") for f in story.findings) is expected
