"""Which of two people's acts came first: the shape news uses, and the conflict when outlets put
one act on both sides of another."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.extract.entities import build_entities
from storyline.extract.order import extract_order


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mayor Ana Lind spoke on Monday, hours after Governor Omar Reyes announced the closure.",
         [("after Governor Omar Reyes announced", "after", "Ana Lind", "Omar Reyes")]),
        ("In anticipation of Governor Omar Reyes's announcement, Mayor Ana Lind laid out her plan.",
         [("In anticipation of Governor Omar Reyes's announcement", "before", "Ana Lind", "Omar Reyes")]),
        ("Following Governor Omar Reyes's speech, Mayor Ana Lind said she would resign.",
         [("Following Governor Omar Reyes's speech", "after", "Ana Lind", "Omar Reyes")]),
        ("Mayor Ana Lind resigned ahead of Governor Omar Reyes's visit to the port.",
         [("ahead of Governor Omar Reyes's visit", "before", "Ana Lind", "Omar Reyes")]),
        # negatives: a person, not an act; no act of the person; no other subject; a place
        ("Ana Lind testified before Judge Omar Reyes in the county court.", []),
        ("Ana Lind spoke after meeting Omar Reyes at the port.", []),
        ("After years of talks with Omar Reyes, Ana Lind signed the deal.", []),
        ("The ferry left after Omar Reyes arrived.", []),
        ("Ana Lind testified before Congress on Monday.", []),
    ],
)
def test_order(nlp, text, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    index = build_entities(doc)
    found = [(text[o.start:o.end], o.relation, index.by_id[o.entity_id].name, index.by_id[o.anchor_id].name)
             for o in extract_order(doc, index)]
    assert found == expected


LEAD = "Mayor Ana Lind of Skarn and Governor Omar Reyes both spoke about the ferry closure on Wednesday.\n\n"


def _order_conflicts(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    story = one_story(LEAD + a_text, LEAD + b_text)
    return [f for f in story.findings if f.subkind == "order" and f.kind == "conflict"]


def test_one_act_on_both_sides_of_another_is_a_conflict():  # type: ignore[no-untyped-def]
    found = _order_conflicts(
        "On Wednesday, in anticipation of Omar Reyes's announcement, Ana Lind laid out her plan.",
        "Ana Lind on Wednesday repeated her plan, hours after Omar Reyes announced the closure.")
    assert len(found) == 1 and found[0].severity == "major"


def test_the_same_sequence_told_from_either_side_or_on_other_days_is_no_conflict():  # type: ignore[no-untyped-def]
    # "Lind after Reyes" is "Reyes before Lind"
    assert not _order_conflicts(
        "On Wednesday, Ana Lind spoke hours after Omar Reyes announced the closure.",
        "On Wednesday, Omar Reyes announced the closure before Ana Lind's speech.")
    # two days, two acts
    assert not _order_conflicts(
        "On Tuesday, in anticipation of Omar Reyes's announcement, Ana Lind laid out her plan.",
        "On Wednesday, Ana Lind repeated her plan, hours after Omar Reyes announced the closure.")
