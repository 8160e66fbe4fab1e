"""How old a person is: the shapes news uses, and the conflict when outlets give two ages."""

from __future__ import annotations

import pytest

from outlets import one_story
from storyline.extract.ages import extract_ages
from storyline.extract.entities import build_entities


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police named the driver as Omar Reyes, 23, of Fresno.", [("Omar Reyes", 23)]),
        ("Mayor Ana Lind, 64, is known as a tough negotiator.", [("Ana Lind", 64)]),
        ("Mayor Ana Lind, aged 64, did not run again.", [("Ana Lind", 64)]),
        ("Mayor Ana Lind (64) did not run again.", [("Ana Lind", 64)]),
        ("The victim, Omar Reyes, is 23.", [("Omar Reyes", 23)]),
        ("Governor Omar Reyes, who is 75 years old, will step down.", [("Omar Reyes", 75)]),
        ("The mayor spoke after the 41-year-old Ana Lind was sworn in.", [("Ana Lind", 41)]),
        ("Voters backed Omar Reyes, a 43-year-old lawyer from Fresno.", [("Omar Reyes", 43)]),
        # negatives: a score, a year, an amount, a count after "is", a number with no person
        ("The guard Omar Reyes had 11 points and 6 rebounds.", []),
        ("Governor Omar Reyes, 2019, a memoir, sold well.", []),
        ("Governor Omar Reyes, 5.5 million voters later, won again.", []),
        ("The lead of Governor Omar Reyes is 12 points in the latest poll.", []),
        ("About 23 people attended the meeting on Tuesday.", []),
        # two people and two ages: "respectively" pairs them, the first age is not the second name's
        ("Ana and Eva Lind, aged 16 and 13 respectively, spoke at the meeting.", []),
    ],
)
def test_ages(nlp, text, expected):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    index = build_entities(doc)
    assert [(index.by_id[a.entity_id].name, a.years) for a in extract_ages(doc, index)] == expected


LEAD_A = "A car struck and killed a woman crossing Main Street in Fresno on Saturday night, police said."
LEAD_B = "A woman crossing Main Street in Fresno died on Saturday night after a car hit her, police said."


def _age_findings(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    story = one_story(f"{LEAD_A}\n\n{a_text}", f"{LEAD_B}\n\n{b_text}")
    return ([f for f in story.findings if f.kind == "conflict" and f.about.startswith("Age of")],
            [f for f in story.findings if f.kind == "corroborated" and " is " in f.about and f.subkind == "figure"])


def test_two_ages_for_one_person_conflict_and_one_age_corroborates():  # type: ignore[no-untyped-def]
    conflicts, agreed = _age_findings("The driver, Omar Reyes, 23, was arrested.",
                                      "Police arrested the 24-year-old Omar Reyes nearby.")
    assert len(conflicts) == 1 and {v.value for v in conflicts[0].values} == {"23", "24"}
    conflicts, agreed = _age_findings("The driver, Omar Reyes, 23, was arrested.",
                                      "Police arrested the 23-year-old Omar Reyes nearby.")
    assert not conflicts and len(agreed) == 1


def test_no_conflict_when_one_source_gives_the_name_two_ages():  # type: ignore[no-untyped-def]
    # a father and a son of one name: the source that names both tells the reader they are two
    conflicts, _ = _age_findings("Omar Reyes, 51, and his son Omar Reyes, 23, were both in the car.",
                                 "The driver, Omar Reyes, 23, was arrested.")
    assert not conflicts
