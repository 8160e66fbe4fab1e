"""What a defendant is charged with: the patterns news uses, and the conflict when outlets give
charges of different gravity."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.extract.charges import extract_charges, offences
from storyline.extract.entities import build_entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("charged with second-degree murder", ["second-degree murder"]),
        ("charged with 1st degree murder", ["first-degree murder"]),
        ("charged with the murders of his wife and son", ["murder"]),
        ("charged with vehicular manslaughter, criminally negligent homicide and fleeing",
         ["manslaughter", "negligent homicide"]),
        ("charged with attempted murder", ["attempted murder"]),
        ("charged with capital murder", ["murder"]),
        ("charged with criminal vehicular homicide", ["vehicular homicide"]),
        # negatives: another offence than the killing; the word names something else
        ("charged with conspiracy to commit murder", []),
        ("charged with solicitation of murder", []),
        ("charged with two counts of intent to murder", []),
        ("charged with hiding the murder weapon", []),
        ("charged with assault and robbery", []),
        ("a murder mystery", []),
    ],
)
def test_offences(text, expected):  # type: ignore[no-untyped-def]
    assert [f for _, _, f in offences(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dana Kroll, 31, was charged with second-degree murder on Friday.",
         [("charged with second-degree murder", ("second-degree murder",), "Dana Kroll")]),
        ("Police charged Omar Reyes with manslaughter on Monday.",
         [("charged Omar Reyes with manslaughter", ("manslaughter",), "Omar Reyes")]),
        ("The driver has been charged in her murder, police said.",
         [("charged in her murder", ("murder",), None)]),
        # the person charged is the head of the subject, not a place in a clause after it
        ("A driver who hit a woman in Fresno has been charged in her murder.",
         [("charged in her murder", ("murder",), None)]),
        ("A man is facing manslaughter charges after the crash.",
         [("manslaughter charges", ("manslaughter",), None)]),
        ("Prosecutors indicted him on charges of murder and arson.",
         [("indicted him on charges of murder", ("murder",), None)]),
        ("He was charged with vehicular manslaughter, criminally negligent homicide and leaving the scene.",
         [("charged with vehicular manslaughter, criminally negligent homicide",
           ("manslaughter", "negligent homicide"), None)]),
        # negatives: an accusation, a plea and a verdict are not charges; no killing offence; a fee
        ("He was accused of murder by the victim's family.", []),
        ("Kroll pleaded guilty to manslaughter last year.", []),
        ("Kroll was convicted of murder in 2009.", []),
        ("He was charged with assault and robbery.", []),
        ("She was charged with conspiracy to commit murder.", []),
        ("The theatre charged him a fee for the murder mystery night.", []),
    ],
)
def test_charge_statements(nlp, text, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    index = build_entities(doc)
    found = [(text[c.start:c.end], c.offences, index.by_id[c.entity_id].name if c.entity_id else None)
             for c in extract_charges(doc, index)]
    assert found == expected


LEAD_A = "A car struck and killed a woman crossing Main Street in Fresno on Saturday night, police said."
LEAD_B = "A woman crossing Main Street in Fresno died on Saturday night after a car hit her, police said."


def _conflicts(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    story = one_story(a_text, b_text)
    return ([f for f in story.findings if f.subkind == "charge" and f.kind == "conflict"],
            [f for f in story.findings if f.subkind == "charge" and f.kind == "corroborated"])


def test_murder_against_manslaughter_is_a_conflict():  # type: ignore[no-untyped-def]
    conflicts, agreed = _conflicts(f"{LEAD_A}\n\nThe driver has been charged with murder.",
                                   f"{LEAD_B}\n\nHe was charged with vehicular manslaughter and fleeing the scene.")
    assert len(conflicts) == 1 and {v.value for v in conflicts[0].values} == {"murder", "manslaughter"}
    assert conflicts[0].severity == "major" and not agreed


def test_two_degrees_of_murder_conflict_and_one_charge_corroborates():  # type: ignore[no-untyped-def]
    conflicts, _ = _conflicts(f"{LEAD_A}\n\nThe driver was charged with first-degree murder.",
                              f"{LEAD_B}\n\nThe driver was charged with second-degree murder.")
    assert len(conflicts) == 1
    conflicts, agreed = _conflicts(f"{LEAD_A}\n\nThe driver was charged with murder.",
                                   f"{LEAD_B}\n\nThe man was charged with second-degree murder.")
    assert not conflicts  # "murder" holds any degree
    conflicts, agreed = _conflicts(f"{LEAD_A}\n\nThe driver was charged with manslaughter.",
                                   f"{LEAD_B}\n\nThe man has been charged with manslaughter.")
    assert not conflicts and len(agreed) == 1


def test_no_conflict_between_two_named_defendants_or_attempted_murder():  # type: ignore[no-untyped-def]
    conflicts, _ = _conflicts(
        f"{LEAD_A}\n\nDana Kroll was charged with murder. Omar Reyes was charged with manslaughter.",
        f"{LEAD_B}\n\nOmar Reyes was charged with manslaughter. Dana Kroll was charged with murder.")
    assert not conflicts
    conflicts, _ = _conflicts(f"{LEAD_A}\n\nThe driver was charged with murder.",
                              f"{LEAD_B}\n\nThe driver was charged with attempted murder.")
    assert not conflicts
    # a defendant facing both: the outlet naming one charge is not wrong
    conflicts, _ = _conflicts(
        f"{LEAD_A}\n\nThe driver was charged with third-degree murder and criminal vehicular homicide.",
        f"{LEAD_B}\n\nThe driver was charged with criminal vehicular homicide.")
    assert not conflicts
