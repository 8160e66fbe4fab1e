"""Entity clustering and titles: (text, expected) tables with negative cases."""

from __future__ import annotations

import pytest

from storyline.extract.entities import build_entities


def _people(nlp, text):  # type: ignore[no-untyped-def]
    index = build_entities(nlp(text))
    for ent in index.entities:
        for m in ent.mentions:
            assert text[m.start:m.end] == m.text
        for t in ent.titles:
            assert text[t.start:t.end] == t.title
    return {e.name: e for e in index.entities if e.type == "PERSON"}


@pytest.mark.parametrize(("text", "name", "aliases"), [
    ("Elena Ruiz won the vote. Ms Ruiz thanked her staff. Ruiz then left.", "Elena Ruiz",
     {"Elena Ruiz", "Ms Ruiz", "Ruiz"}),
    ("Sir Alan Brooke arrived late. Sir Alan apologised to the committee.", "Alan Brooke",
     {"Sir Alan Brooke", "Sir Alan"}),
    ("Dr Ines Varga leads the study. Dr Varga said more work was needed.", "Ines Varga",
     {"Dr Ines Varga", "Dr Varga"}),
])
def test_alias_clusters(nlp, text, name, aliases):  # type: ignore[no-untyped-def]
    people = _people(nlp, text)
    assert name in people, list(people)
    assert aliases <= set(people[name].aliases)


@pytest.mark.parametrize(("text", "name", "title"), [
    ("Port Director Tomas Berg met the crews.", "Tomas Berg", "Port Director"),
    ("Tomas Berg, the harbour master, met the crews.", "Tomas Berg", "harbour master"),
    ("The council's head of planning, Ana Silva, resigned.", "Ana Silva", "head of planning"),
    ("Mark Olsen, her new chief of staff, declined to comment.", "Mark Olsen", "chief of staff"),
])
def test_titles(nlp, text, name, title):  # type: ignore[no-untyped-def]
    people = _people(nlp, text)
    assert name in people, list(people)
    assert title in [t.title for t in people[name].titles]


def test_honorific_makes_a_person(nlp):  # type: ignore[no-untyped-def]
    people = _people(nlp, "Yesterday Ms Okonkwo-Hale addressed the board.")
    assert any("Okonkwo" in n for n in people)
    assert next(e for n, e in people.items() if "Okonkwo" in n).gender == "f"


def test_surname_used_as_modifier_stays_the_person(nlp):  # type: ignore[no-untyped-def]
    text = "Mr Halvorsen spoke in Oslo. The Halvorsen campaign said it had raised more money."
    index = build_entities(nlp(text))
    persons = [e for e in index.entities if e.type == "PERSON"]
    assert len(persons) == 1
    assert not any(e.type == "ORG" and e.name == "Halvorsen" for e in index.entities)


def test_no_title_for_plain_apposition(nlp):  # type: ignore[no-untyped-def]
    # negative: an apposition that is a place, not a role
    people = _people(nlp, "Elena Ruiz, a native of Porto, returned home.")
    assert people["Elena Ruiz"].titles == ()


def test_description_resolves_to_titled_person(nlp):  # type: ignore[no-untyped-def]
    text = "Mayor Elena Ruiz visited the harbour. Later the mayor met fishermen."
    index = build_entities(nlp(text))
    ruiz = next(e for e in index.entities if e.name == "Elena Ruiz")
    assert "the mayor" in ruiz.aliases


def test_geographic_generic_is_a_place(nlp):  # type: ignore[no-untyped-def]
    people = _people(nlp, "Port Merrow is counting the cost of the storm. Lake Orin froze early.")
    assert not any(n.startswith(("Port", "Lake")) for n in people), list(people)
