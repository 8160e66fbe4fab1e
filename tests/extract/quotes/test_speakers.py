"""Speakers: the speaker phrase of a cue, and the entity it resolves to."""

from __future__ import annotations

import pytest

from storyline.extract.entities import build_entities
from storyline.extract.quotes import Attributor, link_indefinite_speakers
from storyline.models import Paragraph

from .quote_support import paragraphs_of, parsed, quotes_of, speaker_name


def test_dateline_is_cut_from_the_speaker(nlp):  # type: ignore[no-untyped-def]
    quotes, _ = quotes_of(nlp, "BERGEN - Mayor Ana Lind said the pier would reopen in May.")
    assert [q.speaker_text for q in quotes] == ["Mayor Ana Lind"]
    quotes, _ = quotes_of(nlp, "The state-owned operator said the pier would reopen in May.")
    assert [q.speaker_text for q in quotes] == ["The state-owned operator"]


@pytest.mark.parametrize(("text", "cue", "speaker"), [
    # object control: the one pressed, urged or led to speak is the speaker
    ("Senator Ruth Vane pressed the bank's chief executive to admit that the targets had failed.",
     "admit", "the bank's chief executive"),
    ("The flooding led the harbour master to warn that the quay was unsafe.", "warn", "the harbour master"),
    # subject control stays with the subject
    ("Mayor Ana Lind wanted to say that the pier was safe.", "say", "Mayor Ana Lind"),
    ("Mayor Ana Lind promised the crew to explain the delay.", "explain", "Mayor Ana Lind"),
])
def test_speaker_of_an_infinitive_cue(nlp, text, cue, speaker):  # type: ignore[no-untyped-def]
    doc = nlp(text)
    att = Attributor(doc, build_entities(doc), paragraphs_of(text))
    verb = next(t for t in doc if t.text == cue)
    found = att.subject_of(verb)
    assert found is not None and found.text == speaker


def test_pronoun_follows_named_speaker_in_same_paragraph(nlp):  # type: ignore[no-untyped-def]
    text = ('Reporter Jan Kowal said the talks were tense.\n\n'
            '"We have done nothing wrong," he said. "We paid our own way," Mayor Pieter Lind said.')
    quotes, index = quotes_of(nlp, text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert [speaker_name(index, q) for q in direct] == ["Pieter Lind", "Pieter Lind"]


def test_participle_cue_belongs_to_the_filer(nlp):  # type: ignore[no-untyped-def]
    text = ('Officials were meeting on Monday, ahead of the opposition party filing a complaint to the '
            'electoral board claiming there had been "widespread irregularities" in the count.')
    quotes, _ = quotes_of(nlp, text)
    q = next(q for q in quotes if "widespread irregularities" in q.text)
    assert "opposition party" in q.speaker_text
    assert "board" not in q.speaker_text


def test_indefinite_lede_speaker_is_the_later_definite_one(nlp):  # type: ignore[no-untyped-def]
    text = ('A harbour engineer who rebuilt the pier has said the new wall "will hold for fifty years".\n\n'
            'Sarah Whitfield, the engineer who led the work, spoke at the reopening.\n\n'
            '"We tested it against the worst storms on record," the engineer added.')
    quotes, index = quotes_of(nlp, text)
    linked = link_indefinite_speakers(quotes)
    first = next(q for q in linked if "fifty years" in q.text)
    assert speaker_name(index, first) == "Sarah Whitfield"
    assert first.speaker_via in {"title", "description"}
    # a person the article never calls an engineer is at most a low-confidence guess ...
    untitled, _ = quotes_of(nlp, text.replace("the engineer who led", "who led"))
    assert all(q.speaker_via in {"description", "unresolved"} and q.speaker_confidence < 0.8
               for q in link_indefinite_speakers(untitled))
    # ... and one with another title is not the engineer at all
    mayor, _ = quotes_of(nlp, text.replace("the engineer who led the work", "the mayor"))
    assert all(q.speaker_entity_id is None for q in link_indefinite_speakers(mayor))
    # negative: with no definite description to follow, the indefinite speaker stays unresolved
    alone, _ = quotes_of(nlp, 'A harbour engineer said the wall "will hold for fifty years".')
    assert link_indefinite_speakers(alone)[0].speaker_entity_id is None


def test_speaker_between_a_quotation_and_a_verb_left_without_subject():  # type: ignore[no-untyped-def]
    # the parse seen in a news text: "Tulsa" tagged a verb, "said" a conjunct of the quoted verb
    words = ["“", "We", "will", "act", ",", "”", "Tulsa", "police", "Chief", "Chuck", "Jordan", "said", "."]
    heads = [3, 3, 3, 3, 3, 3, 3, 8, 6, 10, 8, 3, 3]
    deps = ["punct", "nsubj", "aux", "ROOT", "punct", "punct", "dep", "compound", "dobj", "compound",
            "appos", "conj", "punct"]
    pos = ["PUNCT", "PRON", "AUX", "VERB", "PUNCT", "PUNCT", "VERB", "NOUN", "PROPN", "PROPN", "PROPN",
           "VERB", "PUNCT"]
    doc = parsed(words, heads, deps, pos)
    span = Attributor._named_after_quote(doc[11])
    assert span is not None and span.text == "Tulsa police Chief Chuck Jordan"
    # negative: a quoted title before the words is no quoted clause (the “Broad City” star asked)
    words = ["The", "“", "Broad", "City", "”", "Star", "Asked", "Actors", "."]
    heads = [5, 3, 3, 5, 3, 6, 6, 6, 6]
    deps = ["det", "punct", "compound", "compound", "punct", "dep", "ROOT", "dobj", "punct"]
    pos = ["DET", "PUNCT", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB", "NOUN", "PUNCT"]
    assert Attributor._named_after_quote(parsed(words, heads, deps, pos)[6]) is None
    # negative: no name between the quotation and the verb
    words = ["“", "We", "act", ",", "”", "the", "crowd", "said", "."]
    heads = [2, 2, 2, 2, 2, 6, 7, 2, 2]
    deps = ["punct", "nsubj", "ROOT", "punct", "punct", "det", "dep", "conj", "punct"]
    pos = ["PUNCT", "PRON", "VERB", "PUNCT", "PUNCT", "DET", "NOUN", "VERB", "PUNCT"]
    assert Attributor._named_after_quote(parsed(words, heads, deps, pos)[7]) is None


def test_a_dash_taken_for_a_subject_is_not_the_speaker():  # type: ignore[no-untyped-def]
    # the parse seen in a news text: "... made public ― Trump boasted, “...”", the dash an nsubj
    words = ["public", "―", "Trump", "boasted", ",", "“", "That", "works", ".", "”"]
    heads = [1, 3, 3, 3, 3, 3, 7, 3, 3, 3]
    deps = ["amod", "nsubj", "nsubj", "ROOT", "punct", "punct", "nsubj", "ccomp", "punct", "punct"]
    pos = ["ADJ", "NOUN", "PROPN", "VERB", "PUNCT", "PUNCT", "PRON", "VERB", "PUNCT", "PUNCT"]
    doc = parsed(words, heads, deps, pos)
    att = Attributor(doc, build_entities(doc), [Paragraph(0, len(doc.text))])
    speaker = att.subject_of(doc[3])
    assert speaker is not None and speaker.text == "Trump"
