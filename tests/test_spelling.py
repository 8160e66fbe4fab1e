"""A person's name spelled two ways by independent outlets: a minor conflict."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.reconcile.spelling import one_word_apart


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Vicente Fox", "Vincente Fox", ("Vicente", "Vincente")),
        ("Masoud Dalman", "Massoud Dalman", ("Masoud", "Massoud")),
        ("Ana Lindqvist", "Ana Lindquist", ("Lindqvist", "Lindquist")),
        ("Terry O'Neill", "Terry O'Neal", ("O'Neill", "O'Neal")),
        # negatives: accents only; typography only; an initial; a shortening; another word count;
        # another name
        ("Enrique Peña", "Enrique Pena", None),
        ("Terry O’Neill", "Terry O'Neill", None),
        ("Ana Smith‐Lind", "Ana Smith-Lind", None),
        ("J. Lind", "John Lind", None),
        ("Rob Lind", "Robert Lind", None),
        ("Ana Lind", "Ana Maria Lind", None),
        ("Ana Lind", "Eva Lind", None),
        ("Ana Lind", "Ana Berg", None),
    ],
)
def testone_word_apart(a, b, expected):  # type: ignore[no-untyped-def]
    assert one_word_apart(a.split(), b.split()) == expected


LEAD = "Former president {name} said on Tuesday that the ferry to Skarn would not be sold."


def _spelling(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    return [f for f in one_story(a_text, b_text).findings if f.subkind == "name" and f.kind == "conflict"]


def test_a_name_spelled_two_ways_is_a_minor_conflict():  # type: ignore[no-untyped-def]
    found = _spelling(LEAD.format(name="Vicente Lindqvist") + "\n\nHe spoke in the harbour town of Skarn.",
                      LEAD.format(name="Vincente Lindqvist") + "\n\nThe island council had asked him to speak.")
    assert len(found) == 1 and found[0].severity == "minor"
    assert {v.value for v in found[0].values} == {"Vicente Lindqvist", "Vincente Lindqvist"}


def test_an_outlet_writing_both_forms_is_no_conflict():  # type: ignore[no-untyped-def]
    assert not _spelling(
        LEAD.format(name="Vicente Lindqvist") + "\n\nVincente Lindqvist, as some spell it, spoke in Skarn.",
        LEAD.format(name="Vincente Lindqvist") + "\n\nThe island council had asked him to speak.")
