"""Facts told alike in different words by independent outlets (reconcile.sentences): a telling
phrase two outlets kept, numbers and dates that must agree, a third outlet's dispute, and one
sentence per article in a fact. Every sentence here is written for the test."""

from __future__ import annotations

from datetime import date

import pytest

import storyline
import storyline.pipeline
from storyline.align import SentenceSpace
from storyline.canonical import merge_entities
from storyline.models import Analysis, Article, CleanArticle
from storyline.options import load_options
from storyline.reconcile import sentences
from storyline.reconcile.context import StoryContext
from storyline.reconcile.sentences import SENTENCE_MIN
from storyline.report import Finding, Story

# Sentences about one invented story that every article tells, so the articles form one story and
# the sentences under test are a small part of it.
_FRAME = (
    "The Halden river bridge in Tormsby was closed to traffic this week.",
    "Local businesses said trade had fallen since the closure.",
    "A public meeting on the bridge is planned at the town hall.",
)
_FRAME_B = (
    "Traffic was stopped on the Halden river bridge in Tormsby this week.",
    "Shop owners in Tormsby complained that customers stayed away.",
    "Residents will discuss the bridge at a meeting in the town hall.",
)


def _article(aid: str, outlet: str, sentences: tuple[str, ...], published: date = date(2025, 4, 9)) -> Article:
    return Article(aid, "\n\n".join(sentences), f"{aid}.txt", outlet=outlet, published=published)


def _story(*articles: Article) -> Story:
    report = storyline.analyze(list(articles))
    assert len(report.stories) == 1
    return report.stories[0]


def _facts(story: Story) -> list[Finding]:
    return [f for f in story.findings if f.kind == "corroborated" and f.about.startswith("Fact:")]


def _told_together(story: Story, a: str, b: str) -> bool:
    """Whether one corroborated fact cites both sentences."""
    return any({a, b} <= {e.text.strip() for e in f.evidence} for f in _facts(story))


def _told_together_by_two(first: str, second: str) -> bool:
    """Whether one corroborated fact cites ``first`` and ``second``, told by two outlets among the
    frame sentences."""
    a = _article("a", "Tormsby Courier", (*_FRAME, first))
    b = _article("b", "Valley News", (*_FRAME_B, second))
    return _told_together(_story(a, b), first, second)


@pytest.mark.parametrize(("first", "second", "expected"), [
    # a telling phrase kept by both outlets, with a name in common
    ("Councillor Mara Quist said she would ask the county for emergency funding to repair the span.",
     "Quist, who chairs the roads committee, has requested emergency funding from the county.", True),
    # two telling phrases, no name
    ("The closure forced commuters onto a ferry detour that adds forty minutes to the trip.",
     "Drivers now take a ferry detour, and each crossing adds forty minutes.", True),
    # words between the phrase's words ("found corrosion in the steel cables" / "corrosion in cables")
    ("Engineers found corrosion in the steel cables during a routine check.",
     "Inspectors found corrosion in cables that hold the deck.", True),
    # a phrase holding a figure tells on its own, even when other sentences are closer
    ("The county says 14 bridges in the region need urgent repairs, according to its survey.",
     "A survey found that 14 bridges across the valley were in poor shape.", True),
    # small numbers are said of too many things ("3 points", "2 lanes")
    ("Traffic on the bypass was cut to 2 lanes for the evening.",
     "The ferry carried passengers in 2 lanes of cars on its deck.", False),
    # the same phrase with different numbers: two facts, or one disputed -- never corroborated
    ("Engineers found corrosion in 14 steel cables during a routine check.",
     "Inspectors found corrosion in 9 steel cables during the check.", False),
    # nor a date: "June 25" is said of many things a story tells
    ("The winner of the primary will be the favourite to win the vote on June 25.",
     "Quist has said the council's pick should not stand in the election on June 25.", False),
    # a name in common is not a phrase
    ("Mara Quist opened a new library in the old school.",
     "Mara Quist was not available for comment.", False),
    # a sentence that only names a speaker tells nothing (its quotation follows on its own)
    ("Harbour councillor Mara Quist said:", "Harbour councillor Mara Quist told reporters:", False),
    # nor a name and a verb of saying
    ("Quist said.",
     "Quist said the council had no money left for roads this year.", False),
])
def test_sentences_that_tell_one_fact(first: str, second: str, expected: bool) -> None:
    assert _told_together_by_two(first, second) is expected


def test_a_telling_phrase_joins_sentences_too_unalike_to_join_on_their_own() -> None:
    first = "Councillor Mara Quist said she would ask the county for emergency funding to repair the span."
    second = "Quist, who chairs the roads committee, has requested emergency funding from the county."
    a = _article("a", "Tormsby Courier", (*_FRAME, first))
    b = _article("b", "Valley News", (*_FRAME_B, second))
    assert _told_together(_story(a, b), first, second)
    space = SentenceSpace([_plain("a", a.raw), _plain("b", b.raw)])
    i = space.sentence_of(0, a.raw.index("Councillor"))
    j = space.sentence_of(1, b.raw.index("Quist, who"))
    assert space.similarity(i, j) < SENTENCE_MIN  # alike words alone would not join them
    assert ("emergency", "funding") in space.phrases(i, j, rare=6)


def _plain(aid: str, text: str) -> Analysis:
    sents, start = [], 0
    for part in text.split("\n\n"):
        sents.append((start, start + len(part)))
        start += len(part) + 2
    return Analysis(CleanArticle(Article(aid, text, aid), text, ()), sentences=tuple(sents))


def test_a_third_outlet_giving_another_day_withholds_the_corroboration() -> None:
    told = "The bridge was closed on Monday after inspectors found corrosion in its cables."
    alike = "The bridge was closed on Monday after inspectors found corrosion in the cables."
    other = "The bridge was closed on Thursday after inspectors found corrosion in the cables."
    a = _article("a", "Tormsby Courier", (*_FRAME, told))
    b = _article("b", "Valley News", (*_FRAME_B, alike))
    assert _told_together(_story(a, b), told, alike)
    c = _article("c", "County Herald", (_FRAME[0], _FRAME_B[1], _FRAME[2], other))
    assert not _told_together(_story(a, b, c), told, alike)


def test_the_same_weekday_anchored_to_different_days_is_no_dispute() -> None:
    told = "The bridge was closed on Saturday after inspectors found corrosion in its cables."
    alike = "The bridge was closed on Saturday after inspectors found corrosion in the cables."
    # published a week apart, each outlet's "Saturday" resolves to another date
    a = _article("a", "Tormsby Courier", (*_FRAME, told), published=date(2025, 4, 14))
    b = _article("b", "Valley News", (*_FRAME_B, alike), published=date(2025, 4, 21))
    assert _told_together(_story(a, b), told, alike)


def test_a_fact_holds_one_sentence_per_article() -> None:
    a = _article("a", "Tormsby Courier", (
        *_FRAME, "Inspectors found corrosion in the cables of the bridge.",
        "The corrosion in the cables of the bridge was worse than expected."))
    b = _article("b", "Valley News", (*_FRAME_B, "Corrosion was found in the cables of the bridge by inspectors."))
    c = _article("c", "County Herald", (_FRAME[0], _FRAME_B[1], _FRAME[2],
                                        "Inspectors reported corrosion in the bridge cables."))
    facts = _facts(_story(a, b, c))
    assert facts
    for f in facts:
        ids = [e.article_id for e in f.evidence]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("first", "second", "phrases"), [
    ("seeking spiritual guidance from family", "he is seeking spiritual guidance",
     {("seeking", "spiritual"), ("spiritual", "guidance"), ("seeking", "guidance")}),
    # one content word between the two in one sentence ("the" is no content word)
    ("reaffirm the national motto", "reaffirm the motto", {("reaffirm", "motto")}),
    ("spiritual help from guidance", "spiritual guidance", {("spiritual", "guidance")}),
    # order matters; two content words between is no phrase
    ("guidance spiritual", "spiritual guidance", set()),
    ("spiritual help and support from guidance", "spiritual guidance", set()),
])
def test_phrases_are_close_words_in_both_sentences(first: str, second: str, phrases: set[tuple[str, str]]) -> None:
    space = SentenceSpace([_plain("a", first), _plain("b", second)])
    assert set(space.phrases(0, 1, rare=6)) == phrases


def test_a_phrase_many_sentences_use_is_not_telling() -> None:
    texts = ["the ferry detour was long", "a ferry detour again", "ferry detour news", "the ferry detour"]
    space = SentenceSpace([_plain(str(n), t) for n, t in enumerate(texts)])
    assert space.phrases(0, 1, rare=6) == [("ferry", "detour")]
    assert space.phrases(0, 1, rare=3) == []


@pytest.mark.parametrize(("first", "second", "expected"), [
    # each sentence also gives the other's figure: a second sum told beside it, not another value
    ("Councillor Mara Quist said the repair of the Halden bridge will cost $4 million.",
     "Mara Quist said the Halden bridge repair will cost $4 million, on top of $1 million spent on the ferry.",
     True),
    # ... unlike a sum given instead of the other's
    ("Councillor Mara Quist said the repair of the Halden bridge will cost $4 million.",
     "Mara Quist said the Halden bridge repair will cost $6 million.", False),
    # a count told as a stretch of the whole ("five votes in the final hour") is a part of a
    # total, not another value of it
    ("Councillor Mara Quist's motion to reopen the Halden bridge won 23 votes on Monday.",
     "Mara Quist's motion to reopen the Halden bridge won on Monday, with the last five votes cast late.",
     True),
    # several numbers on each side that neither gives: which is whose cannot be told (two scores)
    ("The Tormsby Tigers beat the Valley Hawks 65-53 on Friday in the county cup, after trailing 40-31.",
     "The Tormsby Tigers beat the Valley Hawks 65-53 on Friday in the county cup; the Rovers won 51-50.",
     True),
    # ... but one number given instead of another is another value for the same thing
    ("The Tormsby Tigers beat the Valley Hawks 65-53 on Friday in the county cup before 4,000 fans.",
     "The Tormsby Tigers beat the Valley Hawks 65-53 on Friday in the county cup before 5,000 fans.",
     False),
    ("The 6.1-magnitude quake struck Skarn island, home to 120,000 people, the harbour office said.",
     "The 5.9-magnitude quake struck Skarn island, home to 120,000 people, the harbour office said.", False),
])
def test_what_two_sentences_give_incompatibly(first: str, second: str, expected: bool) -> None:
    assert _told_together_by_two(first, second) is expected


@pytest.mark.parametrize(("first", "second", "expected"), [
    # one place named at two grains ("Newton Street, Tormsby" / "Tormsby, Harlow"), or abbreviated
    ("The bodies of two men were found on Saturday at a house in Tormsby, Harlow, police said.",
     "Police found the bodies of two men at a house on Newton Street, Tormsby, on Saturday.", True),
    ("A grey Toyota Camry heading north on 117th Street struck the cyclist, police said.",
     "Police said the cyclist was struck by a grey Toyota Camry heading north on 117th St.", True),
    # two places: the same event told of another town
    ("The bodies of two men were found on Saturday at a house in Tormsby, police said.",
     "Police found the bodies of two men at a house in Brackwell on Saturday.", False),
])
def test_sentences_naming_places_differently(first: str, second: str, expected: bool) -> None:
    assert _told_together_by_two(first, second) is expected


def test_a_fact_holds_only_sentences_alike_to_all_of_it() -> None:
    # the second sentence tells two things: the first outlet's and the third's; the first and the
    # third tell nothing alike, so no one fact cites all three
    first = "Inspectors found corrosion in the cables of the Halden bridge on Monday."
    second = ("Corrosion was found in the cables of the Halden bridge on Monday, and the council agreed to buy "
              "replacement cables from a Brackwell steelworks.")
    third = "The council agreed to buy replacement cables from a Brackwell steelworks, Mara Quist said."
    a = _article("a", "Tormsby Courier", (*_FRAME, first))
    b = _article("b", "Valley News", (*_FRAME_B, second))
    c = _article("c", "County Herald", (_FRAME[0], _FRAME_B[1], _FRAME[2], third))
    story = _story(a, b, c)
    assert _told_together(story, first, second) or _told_together(story, second, third)
    assert not any({first, second, third} <= {e.text.strip() for e in f.evidence} for f in _facts(story))


# The alignment model (reconcile.sentences.model_score): sentences the rules leave apart -- a fact
# told in one clause of a long sentence, in other words -- and sentences only of one topic.
_MODEL_CASES = [
    ("The inspectors, who spent two weeks on the site and interviewed more than forty workers, found no records "
     "of safety training for the crane operators.",
     "No training records were kept for the crane operators, the inspection found.", True),
    ("Ambulance crews took two passengers from the overturned minibus to the county hospital in Harlow, where one "
     "of them was later said to be in a serious condition.",
     "Two minibus passengers went to hospital, one in serious condition.", True),
    # the same club and pier, another act
    ("Volunteers from the rowing club pulled a stranded seal pup from the mud below the pier.",
     "The rowing club will hold its annual regatta below the pier in June.", False),
]


@pytest.mark.parametrize(("first", "second", "expected"), _MODEL_CASES)
def test_the_model_joins_a_fact_the_rules_leave_apart(first: str, second: str, expected: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    assert _told_together_by_two(first, second) is expected
    if expected:  # the finding says the model joined them
        a = _article("a", "Tormsby Courier", (*_FRAME, first))
        b = _article("b", "Valley News", (*_FRAME_B, second))
        fact = next(f for f in _facts(_story(a, b)) if {first, second} <= {e.text.strip() for e in f.evidence})
        assert any(s.startswith("told alike in other words (alignment model") for s in fact.signals)
    monkeypatch.setattr(sentences, "MODEL_MIN", 1.01)  # the rules alone
    assert not _told_together_by_two(first, second)


def test_the_model_weights_cover_its_features() -> None:
    assert set(sentences.WEIGHTS) == set(sentences.FEATURES)
    assert 0 < sentences.MODEL_MIN < 1


def _context(first: str, second: str) -> StoryContext:
    """The story of two articles, each the frame and one sentence under test."""
    articles = [_article("a", "Tormsby Courier", (*_FRAME, first)), _article("b", "Valley News", (*_FRAME_B, second))]
    analyses = list(storyline.pipeline.iter_analyses(
        storyline.pipeline.collect(list(articles), load_options())[0], load_options()))
    entities, gid = merge_entities(analyses)
    return StoryContext(analyses, [a.article.article.id for a in analyses], gid, {e.id: e.name for e in entities},
                        {e.id: e.type for e in entities}, SentenceSpace(analyses))


def _pair(first: str, second: str) -> tuple[sentences._Sentences, int, int]:
    """What sentence alignment reads of the story of :func:`_context`, and the indices of the two
    sentences under test."""
    ctx = _context(first, second)
    i = ctx.space.sentence_of(0, ctx.analyses[0].article.text.index(first[:12]))
    j = ctx.space.sentence_of(1, ctx.analyses[1].article.text.index(second[:12]))
    return sentences._Sentences(ctx), i, j


def test_a_clause_told_alike_weighs_more_than_the_whole_sentences() -> None:
    first, second, _ = _MODEL_CASES[0]
    ctx = _context(first, second)
    i = ctx.space.sentence_of(0, ctx.analyses[0].article.text.index("The inspectors"))
    j = ctx.space.sentence_of(1, ctx.analyses[1].article.text.index("No training"))
    f = sentences.pair_features(sentences._Sentences(ctx), i, j, ctx.space.similarity(i, j), mutual=True)
    assert f["window"] > f["cosine"]
    assert f["mutual"] == 1.0 and f["bias"] == 1.0


@pytest.mark.parametrize(("second", "judged"), [
    # one speaker's words told twice: the model weighs them (the statement step compares only
    # quotations word for word)
    ("Quist said the repairs to the cannery roof had been held up by storms.", True),
    # two speakers: two statements, whatever their words
    ("Harbour master Olav Berg said the repairs to the cannery roof had been held up by storms.", False),
])
def test_statements_of_one_speaker_are_the_models_to_judge(second: str, judged: bool) -> None:
    sents, i, j = _pair("Mara Quist said the repairs to the cannery roof had been delayed by the weather.", second)
    assert sents.speakers(i) and sents.speakers(j)
    assert (sents.speakers(i) == sents.speakers(j)) is judged
    assert sentences.candidate(sents, i, j, sents.ctx.space.similarity(i, j)) is judged


# One outlet tells in two sentences what another tells in one: the fact cites both -- in a row or
# apart -- when the second is aligned with every other outlet's sentence of the fact.
_SPLIT_FIRST = "Mayor Ilse Brandt called the closure of the bridge a disgrace for the town."
_SPLIT_SECOND = "She said the county had abandoned the shopkeepers of Tormsby."
_SPLIT_ONE = ("Mayor Ilse Brandt called the bridge closure a disgrace and said the county had abandoned the "
              "shopkeepers of Tormsby.")
_SPLIT_HALF = "Mayor Ilse Brandt said the bridge closure was a disgrace for the whole town."


@pytest.mark.parametrize(("between", "third", "expected"), [
    ((), False, True),
    (("The ferry company added an evening crossing on weekdays.",), False, True),
    # a third outlet tells only the first half: the second sentence is not of that fact
    ((), True, False),
])
def test_a_fact_told_in_two_sentences(between: tuple[str, ...], third: bool, expected: bool) -> None:
    a = _article("a", "Tormsby Courier", (*_FRAME, _SPLIT_FIRST, *between, _SPLIT_SECOND))
    b = _article("b", "Valley News", (*_FRAME_B, _SPLIT_ONE))
    c = _article("c", "County Herald", (_FRAME[0], _FRAME_B[1], _FRAME[2], _SPLIT_HALF))
    story = _story(a, b, c) if third else _story(a, b)
    assert _told_together(story, _SPLIT_FIRST, _SPLIT_ONE) or _told_together(story, _SPLIT_SECOND, _SPLIT_ONE)
    assert _told_together(story, _SPLIT_FIRST, _SPLIT_SECOND) is expected


# One sentence denies what the other affirms: no corroboration. Both denying, a denial that only
# tells when ("not ... until"), and what a concessive clause grants are no such thing.
_POLARITY_CASES = [
    ("Harbour officials could not confirm that the Halden ferry had been sold to a Danish shipping company.",
     "Harbour officials confirmed that the Halden ferry had been sold to a Danish shipping company.", False),
    ("Councillor Mara Quist never signed the letter to the county asking for emergency bridge funding.",
     "Councillor Mara Quist signed the letter to the county asking for emergency bridge funding.", False),
    ("Harbour officials would not confirm that the Halden ferry had been sold to a Danish shipping company.",
     "Harbour officials did not confirm that the Halden ferry had been sold to a Danish shipping company.", True),
    ("The replacement ferry for the Halden crossing will not arrive until Monday, harbour officials said.",
     "The replacement ferry for the Halden crossing arrives on Monday, harbour officials said.", True),
    ("Councillor Mara Quist said the county would never pay for the Halden bridge repairs.",
     "Despite promises that the county will pay for the Halden bridge repairs, Councillor Mara Quist said it "
     "never would.", True),
]


@pytest.mark.parametrize(("first", "second", "expected"), _POLARITY_CASES)
def test_a_denial_and_an_affirmation_are_no_corroboration(first: str, second: str, expected: bool) -> None:
    assert _told_together_by_two(first, second) is expected


# One speaker's words told as a quotation by one outlet and in other words by another are one
# statement the model may join. Answers to questions about
# different things ("asked whether ... the leading candidate" / "... among the finalists") tell
# different things, however alike the rest of the sentences.
_SPEAKER_CASES = [
    ("\"We will not reopen the bridge before the inspectors have checked every steel cable,\" Councillor "
     "Mara Quist said at the town hall.",
     "Quist told residents that the span would stay shut until inspectors had checked its steel cables.",
     True),
    ("Asked at the town hall whether the county would pay for the new steel cables, Councillor Mara Quist "
     "said yes.",
     "Councillor Mara Quist said yes at the town hall when she was asked whether the county would pay for "
     "new steel cables.", True),
    ("Asked at the town hall whether the county would pay for the new steel cables, Councillor Mara Quist "
     "said yes.",
     "Councillor Mara Quist said yes at the town hall when she was asked if the ferry detour would end "
     "before the summer.", False),
]


@pytest.mark.parametrize(("first", "second", "expected"), _SPEAKER_CASES)
def test_one_speaker_told_in_other_words_and_answers_to_other_questions(first: str, second: str,
                                                                        expected: bool) -> None:
    assert _told_together_by_two(first, second) is expected


@pytest.mark.parametrize(("first", "second", "judged"), [
    # "2 lanes": a small number and a noun are said of too many things
    ("Traffic on the bypass was cut to 2 lanes for the evening.",
     "The ferry carried passengers in 2 lanes of cars on its deck.", False),
    # "$8 billion": a small number of a large unit tells
    ("The county plans to spend about $8 billion over the decade.",
     "Harbour repairs alone would cost $8 billion, the report said.", True),
])
def test_small_numbers_are_no_shared_words_unless_scaled(first: str, second: str, judged: bool) -> None:
    sents, i, j = _pair(first, second)
    assert sentences.candidate(sents, i, j, sents.ctx.space.similarity(i, j)) is judged
