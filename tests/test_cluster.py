"""Story clustering: same story together, same kind of event (other people, place, date) apart."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from storyline.cluster import (
    ClusterSettings,
    StoryClusterer,
    StoryDoc,
    cluster_stories,
    date_factor,
    doc_from,
    principal_factors,
    principal_person,
    shared_neighbours,
    text_features,
    vectorize,
)
from storyline.models import Analysis, Article, CleanArticle, Entity, Mention

QUAKE_A = [
    "A magnitude 6.1 earthquake struck near Tarvisio in northern Italy on Monday, killing 4 people and "
    "damaging hundreds of buildings, the civil protection agency said. Mayor Lucia Benedetti said rescuers "
    "were searching the old town of Tarvisio through the night.",
    "Rescuers in Tarvisio dug through rubble on Monday after a 6.1 magnitude quake killed 4 people. Mayor "
    "Lucia Benedetti asked residents of Tarvisio to stay out of damaged buildings while aftershocks went on.",
    "The earthquake that hit Tarvisio on Monday measured 6.1, Italy's geophysics institute said. Four people "
    "died. Lucia Benedetti, the town's mayor, said schools in Tarvisio would stay closed.",
]
QUAKE_B = [
    "A magnitude 5.4 earthquake shook Kastoria in Greece on Friday, injuring 12 people, officials said. "
    "Regional governor Nikos Pappas said several churches in Kastoria were damaged.",
    "Twelve people were hurt when a 5.4 magnitude quake struck Kastoria on Friday. Governor Nikos Pappas "
    "said engineers were inspecting buildings across Kastoria.",
]


def _docs(texts: list[str], day: date | None, prefix: str) -> list[StoryDoc]:
    return [StoryDoc(f"{prefix}{i}", t, day) for i, t in enumerate(texts)]


def test_separates_two_events_of_one_kind() -> None:
    docs = _docs(QUAKE_A, date(2024, 3, 4), "a") + _docs(QUAKE_B, date(2024, 5, 17), "b")
    assert cluster_stories(docs) == [[0, 1, 2], [3, 4]]


def test_separates_them_without_dates_too() -> None:
    docs = _docs(QUAKE_A, None, "a") + _docs(QUAKE_B, None, "b")
    assert cluster_stories(docs) == [[0, 1, 2], [3, 4]]


def test_same_words_weeks_apart_are_different_stories() -> None:
    docs = _docs(QUAKE_A[:2], date(2024, 3, 4), "a") + _docs(QUAKE_A[2:], date(2024, 4, 20), "b")
    assert cluster_stories(docs) == [[0, 1], [2]]


def test_incremental_batches_never_need_old_texts() -> None:
    clusterer = StoryClusterer()
    first = clusterer.add(_docs(QUAKE_A[:2], date(2024, 3, 4), "a"))
    second = clusterer.add(_docs(QUAKE_B, date(2024, 5, 17), "b") + _docs(QUAKE_A[2:], date(2024, 3, 5), "c"))
    assert first == [0, 0]
    assert second == [1, 1, 0]
    assert clusterer.groups() == [[0, 1, 4], [2, 3]]


def test_deterministic() -> None:
    docs = _docs(QUAKE_A, date(2024, 3, 4), "a") + _docs(QUAKE_B, date(2024, 3, 5), "b")
    assert StoryClusterer().add(docs) == StoryClusterer().add(docs)


def test_vectors_prepared_before_an_add_give_the_same_stories(monkeypatch: pytest.MonkeyPatch) -> None:
    import storyline.cluster as cluster

    docs = _docs(QUAKE_A, date(2024, 3, 4), "a") + _docs(QUAKE_B, date(2024, 3, 5), "b") + \
        _docs(QUAKE_A[:1], date(2024, 3, 4), "copy")
    expected = cluster_stories(docs)
    assert expected == [[0, 1, 2, 5], [3, 4]]
    clusterer = StoryClusterer()
    prepared = [clusterer.prepare(d) for d in docs]
    assert [d.id for d in prepared] == [d.id for d in docs]
    made: list[StoryDoc] = []
    real = cluster.vectorize
    monkeypatch.setattr(cluster, "vectorize", lambda d, s=None: made.append(d) or real(d, s))
    clusterer.add(prepared)
    assert made == []  # every vector was prepared (the copy shares its original's)
    assert clusterer.groups() == expected
    # nothing prepared: the add works the vectors out itself
    again = StoryClusterer()
    again.add(docs)
    assert len(made) == 5 and again.groups() == clusterer.groups()


@pytest.mark.parametrize(("size", "top"), [(0, 1), (1, 1), (50, 10), (1000, 300), (200, 5_000_000)])
def test_unique_inverse_is_numpys(size: int, top: int) -> None:
    from storyline.cluster import unique_inverse

    values = np.random.default_rng(size).integers(0, top, size=size, dtype=np.int64)
    uniq, inverse = unique_inverse(values)
    want_uniq, want_inverse = np.unique(values, return_inverse=True)
    assert np.array_equal(uniq, want_uniq) and np.array_equal(inverse, want_inverse)
    assert np.array_equal(uniq[inverse], values)


def test_accepts_analyses_and_clean_articles() -> None:
    arts = [CleanArticle(Article(f"x{i}", t, "test", published=date(2024, 3, 4)), t, ()) for i, t in
            enumerate(QUAKE_A)]
    assert cluster_stories(arts) == [[0, 1, 2]]
    analyses = [Analysis(a, entities=(Entity("e1", "Lucia Benedetti", "PERSON", (), ()),)) for a in arts]
    assert cluster_stories(analyses, threshold=0.1) == [[0, 1, 2]]
    assert cluster_stories([]) == []


def test_features_names_numbers_months() -> None:
    words, names = text_features("Mayor Lucia Benedetti said 4 people died in March.", lead_chars=0)
    assert names["lucia benedetti"] == 1 and names["#4"] == 1 and names["@march"] == 1
    assert "said" not in words and words["people"] == 1
    _, given = text_features("whatever", ["Lucia Benedetti"], lead_chars=0)
    assert given["lucia benedetti"] == 1 and "whatever" not in given


def test_date_factor() -> None:
    s = ClusterSettings(date_grace=2, date_scale=3.0)
    got = date_factor(np.array([0.0, 2.0, 5.0, np.nan]), s)
    assert list(np.round(got, 3)) == [1.0, 1.0, 0.5, 1.0]


def test_shared_neighbours_part_two_events_of_one_kind() -> None:
    # 0-1 and 2-3 are two stories; the cross pairs are fairly alike too (shared words of one kind)
    sim = np.array([[1.0, 0.5, 0.3, 0.3],
                    [0.5, 1.0, 0.3, 0.3],
                    [0.3, 0.3, 1.0, 0.5],
                    [0.3, 0.3, 0.5, 1.0]])
    s = ClusterSettings(neighbour_share=0.5, neighbour_cut=0.65, threshold=0.1)
    got = shared_neighbours(sim, s)
    assert got[0, 1] > sim[0, 1] and got[2, 3] > sim[2, 3] and got[0, 2] < sim[0, 2]
    assert np.allclose(got, got.T)
    # a neighbour below the threshold is no neighbour, however close to the article's best
    far = np.array([[1.0, 0.02, 0.0], [0.02, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert shared_neighbours(far, s)[0, 1] == pytest.approx(0.5 * 0.02)
    assert shared_neighbours(sim, ClusterSettings(neighbour_share=0.0)) is sim


@pytest.mark.parametrize(
    ("text", "names_in", "names_out"),
    [
        # a capitalised sentence start or headline word the text also writes in lower case is no name
        ("Rescuers searched Tarvisio. The rescuers said Tarvisio was quiet.", ["tarvisio"], ["rescuers"]),
        ("Police Arrest Striker\nThe police said they arrest drivers who speed. Dario Kovac was held.",
         ["dario kovac", "striker"], ["police", "arrest"]),
        # a word only ever capitalised stays a name, alone and in pairs
        ("Governor Nikos Pappas visited Kastoria.", ["nikos pappas", "kastoria", "governor nikos"], []),
        # hyphenated words give their parts, however the hyphen is spaced
        ("A zero-day flaw in Mirelle-Browser.", ["mirelle browser", "mirelle"], ["mirelle-browser"]),
    ],
)
def test_name_features(text: str, names_in: list[str], names_out: list[str]) -> None:
    _, names = text_features(text, lead_chars=0)
    assert all(n in names for n in names_in), (names_in, dict(names))
    assert not any(n in names for n in names_out), (names_out, dict(names))


@pytest.mark.parametrize("pair", [("zero-day patch", "zero - day patch"), ("Jean-Luc Fabre", "Jean - Luc Fabre")])
def test_hyphen_spacing_gives_the_same_terms(pair: tuple[str, str]) -> None:
    assert text_features(pair[0], lead_chars=0) == text_features(pair[1], lead_chars=0)


ARREST_A = [
    "Chargers receiver Tomas Brekke was arrested on suspicion of drunk driving early Sunday, the highway "
    "patrol said. Officers stopped Brekke on the freeway near Oceanside. Brekke was released on bail.",
    "Police arrested Tomas Brekke of the Chargers on a drunk-driving charge on Sunday. Brekke, 26, was pulled "
    "over near Oceanside and booked into county jail, police said.",
    "Tomas Brekke, the Chargers receiver, faces a drunk driving charge after officers stopped him near "
    "Oceanside on Sunday. The team said it was aware of Brekke's arrest.",
]
ARREST_B = [
    "Chargers lineman Omari Deshields was arrested on suspicion of drunk driving on Tuesday, police said. "
    "Deshields was stopped in Escondido after midnight and released on bail.",
    "Police arrested Chargers lineman Omari Deshields on a drunk driving charge in Escondido on Tuesday. "
    "Deshields, 31, failed a breath test, the police report said.",
]


def test_same_kind_of_arrest_different_players_are_two_stories() -> None:
    docs = _docs(ARREST_A, None, "a") + _docs(ARREST_B, None, "b")
    assert cluster_stories(docs) == [[0, 1, 2], [3, 4]]
    dated = _docs(ARREST_A, date(2024, 10, 6), "a") + _docs(ARREST_B, date(2024, 10, 8), "b")
    assert cluster_stories(dated) == [[0, 1, 2], [3, 4]]


INJURY_A = [
    "Harbor City forward Emeka Rowntree tore a knee ligament in Saturday's win and will miss the rest of the "
    "season, the club said. Rowntree was carried off in the second half.",
    "Emeka Rowntree of Harbor City is out for the season after tearing a knee ligament on Saturday, his coach "
    "said. Rowntree will have surgery next week.",
]
INJURY_B = [
    "Harbor City goalkeeper Pavel Strnad broke his wrist in training on Thursday and will miss six weeks, the "
    "club said. Strnad was hurt diving for a shot.",
    "Pavel Strnad, the Harbor City goalkeeper, is out for six weeks with a broken wrist suffered in training on "
    "Thursday. Strnad will wear a cast, his coach said.",
]


def _analyses(texts: list[str], people: list[str], prefix: str) -> list[Analysis]:
    out = []
    for i, t in enumerate(texts):
        art = CleanArticle(Article(f"{prefix}{i}", t, "test"), t, ())
        ents = tuple(Entity(f"e{k}", p, "PERSON", (), ()) for k, p in enumerate(people))
        out.append(Analysis(art, entities=ents + (Entity("c", "Harbor City", "ORG", (), ()),)))
    return out


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        # same kind of event, same team, different players: two stories (each pair has its own neighbours)
        (INJURY_A + INJURY_B, [[0, 1], [2, 3]]),
        # one player's injury told twice: one story
        (INJURY_A, [[0, 1]]),
    ],
)
def test_injuries_raw_text(texts: list[str], expected: list[list[int]]) -> None:
    assert cluster_stories(_docs(texts, None, "x")) == expected


def test_injuries_of_different_players_from_analyses_are_two_stories() -> None:
    docs = _analyses(INJURY_A, ["Emeka Rowntree"], "a") + _analyses(INJURY_B, ["Pavel Strnad"], "b")
    assert cluster_stories(docs) == [[0, 1], [2, 3]]


# ---------------------------------------------------------------- one engine, any order


def _partition(groups: list[list[int]], order: list[int]) -> set[frozenset[int]]:
    """Groups of positions in ``order`` as sets of original indexes."""
    return {frozenset(order[i] for i in g) for g in groups}


MIXED = (_docs(QUAKE_A, date(2024, 3, 4), "qa") + _docs(QUAKE_B, date(2024, 3, 6), "qb")
         + _docs(ARREST_A, date(2024, 3, 5), "aa") + _docs(ARREST_B, date(2024, 3, 5), "ab")
         + _docs(INJURY_A, None, "ia") + _docs(INJURY_B, None, "ib"))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("batch", [1, 3, 100])
def test_any_order_and_batching_gives_the_stories_of_all_at_once(seed: int, batch: int) -> None:
    import random

    whole = _partition(cluster_stories(MIXED), list(range(len(MIXED))))
    order = list(range(len(MIXED)))
    random.Random(seed).shuffle(order)
    clusterer = StoryClusterer()
    for start in range(0, len(order), batch):
        clusterer.add([MIXED[i] for i in order[start:start + batch]])
    assert _partition(clusterer.groups(), order) == whole
    assert len(whole) == 6


def test_an_article_that_links_two_stories_merges_them() -> None:
    from storyline.cluster import MemoryState, StoryEngine

    museum = "Mayor Ilse Varga opened the new harbour museum in Talheim on Monday."
    bridge = "Engineers from Koval Works inspected the Grenzbach bridge near Ostrau on Monday."
    both = "Mayor Ilse Varga of Talheim and engineers from Koval Works inspected the Grenzbach bridge together."
    day = date(2024, 6, 3)
    engine = StoryEngine(MemoryState(), ClusterSettings(neighbour_share=0.0, threshold=0.25))
    _, first = engine.add([StoryDoc("m", museum, day), StoryDoc("b", bridge, day)])
    assert len([c for c in first if c.nodes]) == 2, "two stories while nothing links them"
    _, second = engine.add([StoryDoc("mb", both, day)])
    kept = [c for c in second if c.nodes]
    dropped = [c for c in second if not c.nodes]
    assert len(kept) == 1 and len(kept[0].nodes) == 3 and len(dropped) == 1
    assert kept[0].story in {c.story for c in first}, "the merged story keeps an id it had"
    # at a higher threshold the same evidence leaves the museum apart: the link alone decides nothing
    strict = StoryEngine(MemoryState(), ClusterSettings(neighbour_share=0.0, threshold=0.3))
    strict.add([StoryDoc("m", museum, day), StoryDoc("b", bridge, day)])
    _, third = strict.add([StoryDoc("mb", both, day)])
    assert sorted(len(c.nodes) for c in third) == [2]


def test_a_vector_depends_on_its_article_alone() -> None:
    from storyline.cluster import DocVector, vectorize

    doc = StoryDoc("x", QUAKE_A[0], date(2024, 3, 4))
    alone = vectorize(doc)
    with_others = StoryClusterer()
    with_others.add(_docs(QUAKE_B, None, "b") + [doc])
    again = DocVector.from_json(alone.to_json())
    assert again.key == alone.key and again.day == alone.day and again.terms == alone.terms
    assert np.array_equal(again.word_idx, alone.word_idx)
    assert np.allclose(again.word_val, alone.word_val, atol=1e-5)


def test_candidate_buckets_cover_every_day_that_can_reach_the_threshold() -> None:
    from storyline.cluster import UNDATED, candidate_buckets, vectorize

    s = ClusterSettings()
    reach = int(s.max_gap())
    assert date_factor(np.array([float(reach)]), s)[0] >= s.threshold
    assert date_factor(np.array([float(reach + 1)]), s)[0] < s.threshold
    day = date(2024, 3, 4)
    buckets = candidate_buckets(vectorize(StoryDoc("x", "Quake in Tarvisio", day)), s)
    assert buckets is not None and UNDATED in buckets
    for gap in range(-reach, reach + 1):
        assert (day.toordinal() + gap) // 7 in buckets
    assert candidate_buckets(vectorize(StoryDoc("x", "Quake in Tarvisio")), s) is None


def test_copies_are_one_node_and_one_story() -> None:
    docs = _docs(QUAKE_A[:1] * 3, date(2024, 3, 4), "c") + _docs(QUAKE_B, date(2024, 3, 4), "b")
    clusterer = StoryClusterer()
    clusterer.add(docs)
    assert clusterer.groups() == [[0, 1, 2], [3, 4]]
    assert len(set(clusterer.nodes)) == 3


def test_a_component_too_large_for_one_matrix_is_cut_in_pieces_the_same_way_in_any_order() -> None:
    import random

    small = ClusterSettings(max_dense=3)
    docs = MIXED
    whole = StoryClusterer(settings=small)
    whole.add(docs)
    order = list(range(len(docs)))
    random.Random(5).shuffle(order)
    one_by_one = StoryClusterer(settings=small)
    for i in order:
        one_by_one.add([docs[i]])
    assert _partition(one_by_one.groups(), order) == _partition(whole.groups(), list(range(len(docs))))


# ---------------------------------------------------------------- the person an article is about


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        # one person named far more often than anyone else
        ([("Ilse Varga", 5), ("Tomas Brekke", 1)], "varga"),
        # name variants sharing a surname count together (3 + 2 against 2)
        ([("Vincent Marlow", 3), ("WR Marlow", 2), ("Dana Okafor", 2)], "marlow"),
        ([("Marlow", 4)], "marlow"),
        # possessive and trailing dot do not make another surname
        ([("Ilse Varga's", 2), ("Ilse Varga.", 1)], "varga"),
        # negatives: no one stands out, too few mentions, no people at all
        ([("Ilse Varga", 4), ("Tomas Brekke", 3)], None),
        ([("Ilse Varga", 2)], None),
        ([("Ilse Varga", 1), ("Tomas Brekke", 1), ("Dana Okafor", 1)], None),
        ([], None),
        ([("2024", 5)], None),
    ],
)
def test_principal_person(people: list[tuple[str, int]], expected: str | None) -> None:
    assert principal_person(people) == expected


def _person_doc(i: int, text: str, principal: str | None, names: tuple[str, ...]) -> StoryDoc:
    return StoryDoc(f"p{i}", text, None, names, principal=principal)


@pytest.mark.parametrize(
    ("a", "b", "damped"),
    [
        # two people, and the second article never names the first: damped
        (("varga", ("Ilse Varga", "Grenzbach")), ("brekke", ("Tomas Brekke", "Grenzbach")), True),
        # the second names the first one in passing, but the first never names the second: damped
        (("varga", ("Ilse Varga",)), ("brekke", ("Tomas Brekke", "Ilse Varga")), True),
        # each names the other: one story told from two sides, not damped
        (("varga", ("Ilse Varga", "Tomas Brekke")), ("brekke", ("Tomas Brekke", "Ilse Varga")), False),
        # the same person
        (("varga", ("Ilse Varga",)), ("varga", ("Ilse Varga",)), False),
        # one article is about no one in particular
        (("varga", ("Ilse Varga",)), (None, ("Tomas Brekke",)), False),
    ],
)
def test_principal_factors(a: tuple[str | None, tuple[str, ...]], b: tuple[str | None, tuple[str, ...]],
                           damped: bool) -> None:
    s = ClusterSettings()
    va, vb = (vectorize(_person_doc(i, "x", p, n), s) for i, (p, n) in enumerate((a, b)))
    got = principal_factors([va], [vb], s)[0, 0]
    assert got == (s.principal_factor if damped else 1.0)
    assert principal_factors([vb], [va], s)[0, 0] == got  # symmetric: the same stories in any order


def _person_analysis(i: int, text: str, people: dict[str, int]) -> Analysis:
    art = CleanArticle(Article(f"m{i}", text, "test"), text, ())
    ents = tuple(Entity(f"e{k}", p, "PERSON", (), tuple(Mention(0, 1, p, "name") for _ in range(n)))
                 for k, (p, n) in enumerate(people.items()))
    return Analysis(art, entities=ents + (Entity("t", "Harbor City", "ORG", (), (Mention(0, 1, "x", "name"),)),))


# Two drink-driving arrests of two players of one club, undated: the second event's reports recall the
# first player's arrest, so words and names alone tie them; the players they are about tell them apart.
RECALL_A = [
    "Harbor City receiver Tomas Brekke was arrested on suspicion of drunk driving, police said. Brekke was "
    "stopped on the coast road after midnight. Brekke was released on bail and will play on Sunday.",
    "Police arrested Harbor City receiver Tomas Brekke on a drunk driving charge. Brekke failed a breath test "
    "on the coast road, the police report said. Brekke's agent said he would fight the charge.",
    "Tomas Brekke of Harbor City faces a drunk driving charge after a stop on the coast road. Brekke, the "
    "club's leading receiver, was booked and released, police said. Brekke apologised to the club.",
]
RECALL_B = [
    "Harbor City lineman Dana Okafor was arrested on suspicion of drunk driving, police said, the second "
    "Harbor City player held this season after receiver Tomas Brekke. Okafor was released on bail. Okafor "
    "declined to comment.",
    "Police arrested Harbor City lineman Dana Okafor on a drunk driving charge. Okafor failed a breath test, "
    "the police report said. Receiver Tomas Brekke was arrested on the same charge last month. Okafor's "
    "lawyer said he would plead not guilty.",
    "Dana Okafor, the Harbor City lineman, faces a drunk driving charge after a stop on the harbour bridge. "
    "Okafor was booked and released, police said, weeks after receiver Tomas Brekke's arrest. Okafor will "
    "miss Sunday's game.",
]


def test_articles_about_two_people_are_two_stories_where_words_alone_join_them() -> None:
    docs = ([_person_analysis(i, t, {"Tomas Brekke": 3}) for i, t in enumerate(RECALL_A)]
            + [_person_analysis(3 + i, t, {"Dana Okafor": 3, "Tomas Brekke": 1}) for i, t in enumerate(RECALL_B)])
    assert [doc_from(d).principal for d in docs] == ["brekke"] * 3 + ["okafor"] * 3
    off = StoryClusterer(settings=ClusterSettings(principal_factor=1.0))
    off.add(docs)
    assert off.groups() == [[0, 1, 2, 3, 4, 5]]
    on = StoryClusterer()
    on.add(docs)
    assert on.groups() == [[0, 1, 2], [3, 4, 5]]


def _alerts(n: int) -> list[StoryDoc]:
    """``n`` distinct short records of one feed: the same alert about three towns, each with its number."""
    towns = ("Kelmarsh", "Oberwald", "Tressady")
    return [StoryDoc(f"r{i}", f"Water main alert {i}: engineers are repairing a burst pipe in {towns[i % 3]} "
                     "and supply returns tonight, the utility said.") for i in range(n)]


@pytest.mark.parametrize("posting_max", [4, 8])
def test_look_alike_records_score_a_bounded_number_of_pairs_each(posting_max: int) -> None:
    settings = ClusterSettings(posting_max=posting_max)
    pairs = []
    for n in (120, 240, 480):
        clusterer = StoryClusterer(settings=settings)
        clusterer.add(_alerts(n))
        pairs.append(clusterer.engine.pairs_scored)
        # each record meets at most posting_max earlier records per index term (all pairs: n(n-1)/2)
        assert pairs[-1] <= n * settings.index_terms * posting_max
        # the towns still tell the stories apart, however few pairs are scored
        assert sorted(map(len, clusterer.groups())) == [n // 3] * 3
    # linear: 240 more records cost twice what 120 more did (all pairs: four times)
    assert pairs[2] - pairs[1] <= 2.1 * (pairs[1] - pairs[0])


def test_the_cap_on_candidates_changes_nothing_below_it() -> None:
    docs = MIXED + _alerts(30)
    stories = []
    for cap in (len(docs), 10 * len(docs)):
        clusterer = StoryClusterer(settings=ClusterSettings(posting_max=cap))
        clusterer.add(docs)
        stories.append(clusterer.groups())
    assert stories[0] == stories[1]


def test_copies_of_one_article_are_vectorised_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    module = importlib.import_module("storyline.cluster")
    real = module.vectorize
    made: list[str] = []

    def counted(doc, settings):  # type: ignore[no-untyped-def]
        made.append(doc.id)
        return real(doc, settings)

    monkeypatch.setattr(module, "vectorize", counted)
    day = date(2024, 5, 6)
    copies = [StoryDoc(f"copy-{i}", QUAKE_A[0], day) for i in range(4)]
    other_day = StoryDoc("later", QUAKE_A[0], date(2024, 5, 20))  # another date: its own vector
    clusterer = StoryClusterer()
    clusterer.add([*copies, StoryDoc("other", QUAKE_A[1], day), other_day])
    assert made == ["copy-0", "other", "later"]
    groups = clusterer.groups()
    assert [0, 1, 2, 3] in [g[:4] for g in groups]  # the copies are one story
