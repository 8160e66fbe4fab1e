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
    ("Maria Delgado, a former senior official at the Treasury, testified.", "Maria Delgado",
     "official at the Treasury"),
    ("Paul Ames, a retired colonel with the Army, disagreed.", "Paul Ames", "retired colonel with the Army"),
    ("Anna Berg, a researcher at the Lund Institute, said so.", "Anna Berg", "researcher at the Lund Institute"),
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


@pytest.mark.parametrize("text", [
    "Ken Olsen, a lawyer at the time, said nothing.",  # "at" + a common noun: not where the post is held
    "Rosa Lind, a nurse with experience in wards, said nothing.",
])
def test_role_affiliation_needs_a_name(nlp, text):  # type: ignore[no-untyped-def]
    person = next(iter(_people(nlp, text).values()))
    assert not any(" at " in t.title or " with " in t.title for t in person.titles), person.titles


def test_description_resolves_to_titled_person(nlp):  # type: ignore[no-untyped-def]
    text = "Mayor Elena Ruiz visited the harbour. Later the mayor met fishermen."
    index = build_entities(nlp(text))
    ruiz = next(e for e in index.entities if e.name == "Elena Ruiz")
    assert "the mayor" in ruiz.aliases


def test_geographic_generic_is_a_place(nlp):  # type: ignore[no-untyped-def]
    people = _people(nlp, "Port Merrow is counting the cost of the storm. Lake Orin froze early.")
    assert not any(n.startswith(("Port", "Lake")) for n in people), list(people)


# one person, several ways of writing the name: (text, the person's aliases that must share one entity)
ONE_PERSON = [
    ("Harold J. Pemberton won the seat. Harold Pemberton thanked voters. Pemberton said little.",
     {"Harold J. Pemberton", "Harold Pemberton", "Pemberton"}),  # a middle initial
    ("James Okafor arrived first. Jim Okafor later told reporters he was tired.",
     {"James Okafor", "Jim Okafor"}),  # a hypocoristic given name
    ("Defence Minister Rosalind \u201cRoz\u201d Tembo said talks had failed. Tembo left early. Roz is popular.",
     {"Rosalind \u201cRoz\u201d Tembo", "Tembo", "Roz"}),  # a nickname in quotation marks
    ("Rosalind (Roz) Tembo said talks had failed. Roz Tembo left early.",
     {"Rosalind (Roz) Tembo", "Roz Tembo"}),  # ... in parentheses
    ("Harold Pemberton and his wife, Margaret Pemberton, voted early. Mrs. Pemberton said the queue was long.",
     {"Margaret Pemberton", "Mrs. Pemberton"}),  # the honorific's gender picks among a family
    ("Pedro Alvarado and his son, Pedro Alvarado Jr., run the firm. Alvarado Jr. disagreed.",
     {"Pedro Alvarado Jr.", "Alvarado Jr."}),
]


@pytest.mark.parametrize(("text", "aliases"), ONE_PERSON)
def test_one_person_one_entity(nlp, text, aliases):  # type: ignore[no-untyped-def]
    people = _people(nlp, text)
    holders = [e for e in people.values() if aliases & set(e.aliases)]
    assert len(holders) == 1, [(e.name, e.aliases) for e in people.values()]
    assert aliases <= set(holders[0].aliases)


# two people who share a surname stay two: (text, names that must be different entities)
DIFFERENT_PEOPLE = [
    ("Mary Haldane and her sister Liz Haldane spoke at the rally. Liz Haldane said she would run.",
     ("Mary Haldane", "Liz Haldane")),
    ("Harold Pemberton and his wife, Margaret Pemberton, voted early. Mrs. Pemberton said the queue was long.",
     ("Harold Pemberton", "Margaret Pemberton")),
    ("Pedro Alvarado and his son, Pedro Alvarado Jr., run the firm. Alvarado said profits rose.",
     ("Pedro Alvarado", "Pedro Alvarado Jr.")),
    ("Peter Q. Lund chairs the board. Peter R. Lund, his cousin, sits on it too.",
     ("Peter Q. Lund", "Peter R. Lund")),
]


@pytest.mark.parametrize(("text", "names"), DIFFERENT_PEOPLE)
def test_family_members_stay_apart(nlp, text, names):  # type: ignore[no-untyped-def]
    people = _people(nlp, text)
    assert set(names) <= set(people), list(people)
    assert not set(people[names[0]].aliases) & set(people[names[1]].aliases) - {n.split()[-1] for n in names}


# (text, a name, whether it is a person): where the small model types it wrongly, and negatives
TYPES = [
    ("The mayor posted the video on Twitter on Monday, and Ana Lind shared it on Facebook.", "Twitter", False),
    ("The mayor posted the video on Twitter on Monday, and Ana Lind shared it on Facebook.", "Ana Lind", True),
    ("Log Cabin Republicans endorsed the bill.", "Log Cabin Republicans", False),
    ("Marijuana sales rose, and marijuana arrests fell, said Ana Lind.", "Marijuana", False),
    ("Marijuana sales rose, and marijuana arrests fell, said Ana Lind.", "Ana Lind", True),
    ("Following Lind, the crowd left the square.", "Following Lind", False),  # a verb the model took in
    ("Following Lind, the crowd left the square.", "Lind", True),
    ("The Obama campaign said the ad was false.", "Obama", True),  # a person's name as a modifier
    ("Mayor Elena Ruiz said the harbour would reopen.", "Elena Ruiz", True),
    ('"The bridge opens in May," Mayor Elena Ruiz said.', "Elena Ruiz", True),
    # an outlet's name (its last word a kind of publication or broadcaster) is no one
    ("Tomas Berg told Halvorsen Times that he would resign.", "Halvorsen Times", False),
    ("Tomas Berg told Halvorsen Times that he would resign.", "Tomas Berg", True),
    ("Lind told Merrow Tribune that the vote was lost.", "Merrow Tribune", False),
    ('"The ferry stops on Monday," said Margaret Press.', "Margaret Press", True),  # a given name first: a person
]


@pytest.mark.parametrize(("text", "name", "person"), TYPES)
def test_entity_types(nlp, text, name, person):  # type: ignore[no-untyped-def]
    index = build_entities(nlp(text))
    people = {e.name for e in index.entities if e.type == "PERSON"}
    assert (name in people) is person, [(e.name, e.type) for e in index.entities]
    if not person:
        assert not any(name in a for e in index.entities if e.type == "PERSON" for a in e.aliases)


@pytest.mark.parametrize(("text", "description", "holder"), [
    # a description binds to the one person given that title ...
    ("Sen. Harold Pemberton spoke first. The senator said the bill was dead.", "The senator", "Harold Pemberton"),
    ("Tomas Berg is the new treasurer. Ruiz praised the treasurer on Monday.", "the treasurer", "Tomas Berg"),
    # ... and to no one when nobody holds it, or two people do
    ("Ana Lind met Tomas Berg. The governor later praised them both.", "The governor", None),
    ("President Ana Lind and Vice President Tomas Berg met. The president spoke first.", "The president", "Ana Lind"),
    ("President Ana Lind met former President Tomas Berg. Later the president spoke.", "the president", None),
    # names of one office: "Rep." is a congressman, not a senator
    ("Rep. Harold Pemberton toured the port. The congressman said the dredging was late.", "The congressman",
     "Harold Pemberton"),
    ("Sen. Harold Pemberton toured the port. The congressman said the dredging was late.", "The congressman", None),
])
def test_descriptions_bind_only_by_title(nlp, text, description, holder):  # type: ignore[no-untyped-def]
    index = build_entities(nlp(text))
    holders = [e.name for e in index.entities if any(m.text == description for m in e.mentions)]
    assert holders == ([holder] if holder else []), [(e.name, e.aliases, e.titles) for e in index.entities]
