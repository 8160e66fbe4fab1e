"""Place names: nearly alike names that independent outlets never use together are a conflict."""

from __future__ import annotations

from storyline.align import SentenceSpace
from storyline.canonical import merge_entities
from storyline.models import Analysis, Article, CleanArticle, Entity, Mention, Quote
from storyline.reconcile.context import Findings, StoryContext
from storyline.reconcile.sentences import place_findings


def _analysis(aid: str, text: str, places: list[str], quoted: tuple[int, int] | None = None) -> Analysis:
    ents = []
    for n, name in enumerate(places):
        start = text.index(name)
        ents.append(Entity(f"e{n}", name, "GPE", (name,), (Mention(start, start + len(name), name, "name"),)))
    quotes = ()
    if quoted:
        s, e = quoted
        quotes = (Quote("q1", s, e, text[s:e], "direct", "said", None, None, "she", None, None, None),)
    return Analysis(CleanArticle(Article(aid, text, aid), text, ()), tuple(ents), quotes,
                    sentences=((0, len(text)),))


def _places(*analyses: Analysis) -> list[str]:
    entities, gid = merge_entities(analyses)
    ctx = StoryContext(analyses, [f"g{i}" for i in range(len(analyses))], gid, {e.id: e.name for e in entities},
                       {e.id: e.type for e in entities}, SentenceSpace(analyses))
    out = Findings()
    place_findings(ctx, out)
    return [f.about for f in out.items if f.subkind == "place"]


def test_a_place_spelled_or_confused_differently_is_a_conflict():  # type: ignore[no-untyped-def]
    a = _analysis("a", "The rally was held in Westbrook on Monday.", ["Westbrook"])
    b = _analysis("b", "The rally was held in Westbrock on Monday.", ["Westbrock"])
    assert _places(a, b) == ["Place: Westbrook or Westbrock"]


def test_no_conflict_for_places_named_together_unalike_or_nested():  # type: ignore[no-untyped-def]
    a = _analysis("a", "The rally moved from Westbrook to Westbrock.", ["Westbrook", "Westbrock"])
    b = _analysis("b", "The rally was held in Westbrock.", ["Westbrock"])
    assert _places(a, b) == []
    c = _analysis("c", "The rally was held in Alderley.", ["Alderley"])
    d = _analysis("d", "The rally was held in Algeria.", ["Algeria"])
    assert _places(c, d) == []
    e = _analysis("e", "The rally was held in Virginia.", ["Virginia"])
    f = _analysis("f", "The rally was held in West Virginia.", ["West Virginia"])
    assert _places(e, f) == []


def test_a_name_inside_a_quotation_is_not_the_outlets_own():  # type: ignore[no-untyped-def]
    text = 'It said: "The rally was held in Westbrook." Our reporter was at the rally in Westbrock.'
    quoted = (text.index("The rally"), text.index('."') + 1)
    a = _analysis("a", text, ["Westbrook", "Westbrock"], quoted)
    b = _analysis("b", "The rally was held in Westbrook on Monday.", ["Westbrook"])
    assert _places(a, b) == ["Place: Westbrook or Westbrock"]


def test_a_title_taken_for_a_place_is_no_place():  # type: ignore[no-untyped-def]
    a = _analysis("a", "Harlow County Sheriff Ana Lind said the road was closed.", ["Harlow County Sheriff"])
    b = _analysis("b", "Harlow County Undersheriff Ole Berg said the road was closed.", ["Harlow County Undersheriff"])
    assert _places(a, b) == []
    # negative: the same shape of names without a title still conflicts
    c = _analysis("c", "The road to Harlow County Westbrook was closed.", ["Harlow County Westbrook"])
    d = _analysis("d", "The road to Harlow County Westbrock was closed.", ["Harlow County Westbrock"])
    assert _places(c, d) == ["Place: Harlow County Westbrook or Harlow County Westbrock"]


def test_two_nearly_alike_towns_are_confused_only_where_told_alike():  # type: ignore[no-untyped-def]
    # "Ashford" / "Ashwold" could be a town and its misspelling, or two towns
    a = _analysis("a", "The mayor said at a rally in Ashford that the ferry would stay.", ["Ashford"])
    b = _analysis("b", "The mayor said at a rally in Ashwold that the ferry would stay.", ["Ashwold"])
    assert _places(a, b) == ["Place: Ashford or Ashwold"]
    # negative: named in sentences about other things, they are two towns of the story
    c = _analysis("c", "Fans will fill the arena in Ashford for the final on Saturday.", ["Ashford"])
    d = _analysis("d", "The mayors of Ashwold and its twin city condemned the new law.", ["Ashwold"])
    assert _places(c, d) == []


def test_names_one_word_apart_are_two_places():  # type: ignore[no-untyped-def]
    a = _analysis("a", "The senator from North Dakota said the rally was held.", ["North Dakota"])
    b = _analysis("b", "The senator from South Dakota said the rally was held.", ["South Dakota"])
    assert _places(a, b) == []
    # negative: one word of the name misspelt is still one place
    c = _analysis("c", "The rally was held in Westbrook County on Monday.", ["Westbrook County"])
    d = _analysis("d", "The rally was held in Westbrock County on Monday.", ["Westbrock County"])
    assert _places(c, d) == ["Place: Westbrook County or Westbrock County"]
