"""Canonical entities across a story's articles: one entity per person, never two people in one."""

from __future__ import annotations

import pytest

from storyline.canonical import merge_entities
from storyline.models import Analysis, Article, CleanArticle, Entity, Mention, Quote


def _entity(eid: str, name: str, typ: str = "PERSON", *others: str, gender: str | None = None) -> Entity:
    texts = (name, *others)
    mentions = tuple(Mention(i * 20, i * 20 + len(t), t, "honorific" if t.split()[0].rstrip(".") in
                             {"Mr", "Mrs", "Ms"} else "name") for i, t in enumerate(texts))
    return Entity(eid, name, typ, texts, mentions, gender=gender)


def _analysis(n: int, *entities: Entity, speakers: tuple[str, ...] = ()) -> Analysis:
    art = CleanArticle(Article(f"a{n}", "x", "x"), "x", ())
    quotes = tuple(Quote(f"q{i}", 0, 1, "x", "direct", "said", 2, 6, "x", 7, 8, s) for i, s in enumerate(speakers))
    return Analysis(art, entities, quotes)


def _groups(analyses: list[Analysis]) -> list[set[str]]:
    ents, gid = merge_entities(analyses)
    by: dict[str, set[str]] = {}
    for (ai, local), g in gid.items():
        ent = next(e for e in analyses[ai].entities if e.id == local)
        by.setdefault(g, set()).add(ent.name)
    return sorted(by.values(), key=lambda s: sorted(s))


# (the names each article's entities carry, the story's people as sets of those names)
ONE_STORY = [
    # middle initials, hypocoristic given names, nicknames, transliterations: one person
    ([["Harold J. Pemberton"], ["Harold Pemberton"], ["Pemberton"]],
     [{"Harold J. Pemberton", "Harold Pemberton", "Pemberton"}]),
    ([["James Okafor"], ["Jim Okafor"]], [{"James Okafor", "Jim Okafor"}]),
    ([["Rosalind \u201cRoz\u201d Tembo"], ["Roz"]], [{"Rosalind \u201cRoz\u201d Tembo", "Roz"}]),
    ([["Muammar Haddadi"], ["Moammar Khaddadi"]], [{"Muammar Haddadi", "Moammar Khaddadi"}]),
    # a family: two people, and a bare surname that fits both stays apart
    ([["Mary Haldane", "Liz Haldane"], ["Haldane"]], [{"Haldane"}, {"Liz Haldane"}, {"Mary Haldane"}]),
    # no chaining through the bare surname either
    ([["Mary Haldane"], ["Haldane"], ["Liz Haldane"]], [{"Haldane"}, {"Liz Haldane"}, {"Mary Haldane"}]),
    # father and son: the bare surname is the father's
    ([["Pedro Alvarado", "Pedro Alvarado Jr."], ["Alvarado"]],
     [{"Alvarado", "Pedro Alvarado"}, {"Pedro Alvarado Jr."}]),
    ([["Peter Q. Lund"], ["Peter R. Lund"]], [{"Peter Q. Lund"}, {"Peter R. Lund"}]),
]


@pytest.mark.parametrize(("articles", "people"), ONE_STORY)
def test_people_across_articles(articles: list[list[str]], people: list[set[str]]) -> None:
    analyses = [_analysis(i, *(_entity(f"e{j}", n) for j, n in enumerate(names)))
                for i, names in enumerate(articles)]
    assert _groups(analyses) == sorted(people, key=lambda s: sorted(s))


def test_honorific_gender_picks_the_family_member() -> None:
    a = _analysis(0, _entity("e1", "Harold Pemberton", gender="m"), _entity("e2", "Margaret Pemberton", gender="f"))
    b = _analysis(1, _entity("e1", "Pemberton", "PERSON", "Mrs. Pemberton"))
    assert _groups([a, b]) == [{"Harold Pemberton"}, {"Margaret Pemberton", "Pemberton"}]


@pytest.mark.parametrize(("other_type", "speaks", "joins"), [
    ("ORG", False, True),  # a surname typed as an organisation in one outlet
    ("GPE", True, True),  # ... or as a place, when the article quotes it as a speaker
    ("GPE", False, False),  # a place that shares a person's surname stays a place
])
def test_mistyped_surname(other_type: str, speaks: bool, joins: bool) -> None:
    a = _analysis(0, _entity("e1", "Gregory Echols"))
    b = _analysis(1, _entity("e1", "Echols", other_type), speakers=("e1",) if speaks else ())
    ents, gid = merge_entities([a, b])
    assert (gid[(0, "e1")] == gid[(1, "e1")]) is joins
    assert any(e.type == "PERSON" for e in ents)


def test_word_typed_person_in_one_outlet_follows_the_others() -> None:
    a = _analysis(0, _entity("e1", "Medicaid", "PERSON"))
    b = _analysis(1, _entity("e1", "Medicaid", "ORG"))
    ents, gid = merge_entities([a, b])
    assert gid[(0, "e1")] == gid[(1, "e1")]
    assert [e.type for e in ents] == ["ORG"]
    # a surname with a person's given name elsewhere in the story stays a person
    c = _analysis(0, _entity("e1", "Ana Lind"), _entity("e2", "Lind", "PERSON"))
    d = _analysis(1, _entity("e1", "Lind", "GPE"))
    ents, gid = merge_entities([c, d])
    assert gid[(0, "e1")] == gid[(0, "e2")] != gid[(1, "e1")]


@pytest.mark.parametrize(("text", "name", "person"), [
    # written as only a person's name is
    ("Okafor, 59, of Queens, had just parked her car.", "Okafor", True),
    ("Okafor , 7 , was hurt.", "Okafor", True),
    ("Okafor, who lived half a mile away, was rushed to hospital.", "Okafor", True),
    ("Witnesses say Raj Okafor was leaving her car.", "Okafor", True),
    ("The driver struck Lena Okafor near the corner.", "Okafor", True),
    # a place, or nothing that tells
    ("Okafor, which lies on the coast, was flooded.", "Okafor", False),
    ("The ferry reached Okafor, 59 miles to the north.", "Okafor", False),
    ("Okafor, 2019, was a bad year.", "Okafor", False),
    ("Officials in Okafor counted the boats.", "Okafor", False),
    ("The storm reached Queens Okafor on the coast.", "Okafor", False),
    ("The vote came on Sunday Okafor time.", "Okafor", False),  # a day, though "Sunday" is a given name too
    ("In May Okafor was flooded.", "Okafor", False),
    ("Okafor was pronounced dead at the hospital.", "Okafor", False),
    # "who" after a place in a phrase: the person the phrase names is meant
    ("Independent Sen. Angus King of Okafor, who caucuses with the Democrats, spoke.", "Okafor", False),
    ("Senator Lena Berg (R-Okafor), who voted no, spoke.", "Okafor", False),
    ("A man from Okafor, 59, was hurt.", "Okafor", False),
])
def test_reads_as_person(text: str, name: str, person: bool) -> None:
    from storyline.canonical import reads_as_person

    start = text.index(name)
    assert reads_as_person(text, start, start + len(name)) is person


def _written(n: int, text: str, *entities: tuple[str, str, str]) -> Analysis:
    """An analysis of ``text`` with entities (id, name, type), each mentioned wherever its name is,
    in the order written: the k-th entity of one name takes that name's k-th occurrence."""
    taken: dict[str, int] = {}
    out = []
    for eid, name, typ in entities:
        at = text.index(name, taken.get(name, 0))
        taken[name] = at + len(name)
        out.append(Entity(eid, name, typ, (name,), (Mention(at, at + len(name), name, "name"),)))
    return Analysis(CleanArticle(Article(f"a{n}", text, "x"), text, ()), tuple(out), ())


def test_a_surname_the_model_typed_as_a_place_joins_the_person_when_written_as_a_person() -> None:
    a = _written(0, "Raj K. Okafor, 59, was struck on Friday.", ("e1", "Raj K. Okafor", "PERSON"))
    # one outlet's model: the surname a place where an age follows, a building where nothing tells
    b = _written(1, "Raj Okafor, 59, of Queens, had parked. Okafor was pronounced dead at Jamaica Hospital.",
                 ("e1", "Okafor", "GPE"), ("e2", "Okafor", "FAC"), ("e3", "Jamaica Hospital", "FAC"))
    assert _groups([a, b]) == [{"Jamaica Hospital"}, {"Okafor", "Raj K. Okafor"}]
    # with nothing written as a person's, a place that shares the surname stays a place
    c = _written(1, "The ferry reached Okafor at noon. Okafor was flooded.", ("e1", "Okafor", "GPE"),
                 ("e2", "Okafor", "GPE"))
    assert _groups([a, c]) == [{"Okafor"}, {"Raj K. Okafor"}]
    # a name one letter off the person's surname is another name ("Maine" is not "Kaine")
    e = _written(1, "Raj Okafar, 59, of Queens, had parked.", ("e1", "Okafar", "GPE"))
    assert _groups([a, e]) == [{"Okafar"}, {"Raj K. Okafor"}]
    # two people of that surname: it joins neither
    d = _written(0, "Raj Okafor and Lena Okafor were struck.", ("e1", "Raj Okafor", "PERSON"),
                 ("e2", "Lena Okafor", "PERSON"))
    assert {"Raj Okafor"} in _groups([d, b]) and {"Lena Okafor"} in _groups([d, b])


@pytest.mark.parametrize(("articles", "people"), [
    # an epithet and a given name: the one person of the story with that given name
    ([["Doug Okafor"], ["Dependable Doug"]], [{"Dependable Doug", "Doug Okafor"}]),
    ([["Hillary Haldane", "Tomas Berg"], ["Crooked Hillary"]],
     [{"Crooked Hillary", "Hillary Haldane"}, {"Tomas Berg"}]),
    ([["Joseph Lindqvist"], ["Sleepy Joe"]], [{"Joseph Lindqvist", "Sleepy Joe"}]),  # a hypocoristic form
    # two people with that given name: it joins neither
    ([["Doug Okafor", "Doug Berg"], ["Dependable Doug"]], [{"Dependable Doug"}, {"Doug Berg"}, {"Doug Okafor"}]),
    # no one with that given name
    ([["Tomas Berg"], ["Dependable Doug"]], [{"Dependable Doug"}, {"Tomas Berg"}]),
    # a real first name, or a surname of the story, is no epithet
    ([["Doug Okafor"], ["Grant Doug"]], [{"Doug Okafor"}, {"Grant Doug"}]),
    ([["Doug Okafor", "Lena Little"], ["Little Doug"]], [{"Doug Okafor"}, {"Lena Little"}, {"Little Doug"}]),
    # the second word must be a given name: "Magic Johnson" is no epithet of a Johnson
    ([["Lena Okafor"], ["Dependable Okafor"]], [{"Dependable Okafor"}, {"Lena Okafor"}]),
    # an invented word is no epithet
    ([["Doug Okafor"], ["Zorblax Doug"]], [{"Doug Okafor"}, {"Zorblax Doug"}]),
])
def test_an_epithet_and_a_given_name(articles: list[list[str]], people: list[set[str]]) -> None:
    analyses = [_analysis(i, *(_entity(f"e{j}", n) for j, n in enumerate(names)))
                for i, names in enumerate(articles)]
    assert _groups(analyses) == sorted(people, key=lambda s: sorted(s))
    # the person is named by their name, the epithet is an alias
    for ent in merge_entities(analyses)[0]:
        assert ent.name in {n for names in articles for n in names}
        if len(ent.aliases) > 1:
            assert ent.name.split()[0] not in {"Dependable", "Crooked", "Sleepy"}
