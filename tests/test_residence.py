"""Where a person lives: the patterns news uses, and the conflict when outlets disagree."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.extract.entities import build_entities
from storyline.extract.residence import extract_residences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The driver hit Tom Reyes, 59, of Fresno, as he crossed the road.", [("Fresno", "Tom Reyes")]),
        ("Tom Reyes, who lived half a mile away in South Oakland, was walking home.",
         [("South Oakland", "Tom Reyes")]),
        ("Maria Delgado, a resident of Brooklyn, said the ferry was late.", [("Brooklyn", "Maria Delgado")]),
        ("Brooklyn resident Maria Delgado said the ferry was late.", [("Brooklyn", "Maria Delgado")]),
        ("Maria Delgado lives in Brooklyn with her two sons.", [("Brooklyn", "Maria Delgado")]),
        ("Maria Delgado, of Brooklyn, said the ferry was late.", [("Brooklyn", "Maria Delgado")]),
        # negatives: a body, not a place; no place; a past stay with its date; a birthplace
        ("Maria Delgado, of the Harbour Trust, said the ferry was late.", []),
        ("Maria Delgado, 44, of Acme Corp, said the ferry was late.", []),
        ("Maria Delgado lived in fear of the storm.", []),
        ("Maria Delgado lived in Brooklyn in 1999.", []),
        ("Maria Delgado, a native of Brooklyn, returned home.", []),
        # a move and a stay told as a period; a subject pronoun for the person named before it
        ("Maria Delgado moved to Cleveland four years ago.", [("Cleveland", "Maria Delgado")]),
        ("Maria Delgado moved to Gwent Vale, North Wales, four years ago.", [("Gwent Vale", "Maria Delgado")]),
        ("Maria Delgado moved to Cleveland four years ago, but returned home 12 weeks ago.",
         [("Cleveland", "Maria Delgado")]),
        ("Maria Delgado returned to the town after a four-year spell living in Cleveland.",
         [("Cleveland", "Maria Delgado")]),
        ("The victim was Maria Delgado. She moved to Cleveland four years ago.", [("Cleveland", "Maria Delgado")]),
        ("Maria Delgado was found at home. She had lived in Cleveland for a decade.",
         [("Cleveland", "Maria Delgado")]),
        # negatives: a pronoun of the other gender; a move dated to a year; a move to a body;
        # someone else's stay
        ("The victim was Maria Delgado. He moved to Cleveland four years ago.", []),
        ("Maria Delgado moved to Cleveland in 2009.", []),
        ("Maria Delgado moved to Acme Corp last spring.", []),
        ("Maria Delgado visited a friend living in Cleveland.", []),
    ],
)
def test_residences(nlp, text, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    index = build_entities(doc)
    found = [(text[r.start:r.end], index.by_id[r.entity_id].name) for r in extract_residences(doc, index)]
    assert found == expected


def _two(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    return [f for f in one_story(a_text, b_text).findings if f.subkind == "place" and f.kind == "conflict"]


LEAD_A = "A car hit a pedestrian on Main Street on Saturday night, police said."
LEAD_B = "Police arrested a driver after a man was struck while crossing a road late on Saturday."


def test_two_homes_for_one_person_conflict():  # type: ignore[no-untyped-def]
    found = _two(f"{LEAD_A}\n\nThe victim, Tom Reyes, 59, of Fresno, died at the scene.",
                 f"{LEAD_B}\n\nTom Reyes, who lived in Modesto, died at the scene.")
    assert found and {v.value for v in found[0].values} == {"Fresno", "Modesto"}


def test_no_conflict_when_a_place_may_hold_the_other():  # type: ignore[no-untyped-def]
    # one outlet names both places: it tells the reader one lies in the other
    assert not _two(f"{LEAD_A}\n\nThe victim, Tom Reyes, 59, of Tower District, Fresno, died at the scene.",
                    f"{LEAD_B}\n\nTom Reyes, who lived in Fresno, died at the scene.")
    assert not _two(f"{LEAD_A}\n\nThe victim, Tom Reyes, 59, of South Fresno, died at the scene.",
                    f"{LEAD_B}\n\nTom Reyes, who lived in Fresno, died at the scene.")
