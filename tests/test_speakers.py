"""How a speaker was found and how far to trust it: (text, expected) tables of sentences the
project wrote, run through the whole per-article analysis."""

from __future__ import annotations

import json

import pytest

from storyline.analyze import analyze_doc
from storyline.extract.speakers import CONFIDENCE, grade_speakers
from storyline.models import Article, CleanArticle, Paragraph, Quote
from storyline.service.serialize import analysis_from_dict, analysis_to_dict


def _analysis(nlp, text: str):  # type: ignore[no-untyped-def]
    pars, pos = [], 0
    for part in text.split("\n\n"):
        pars.append(Paragraph(pos, pos + len(part)))
        pos += len(part) + 2
    article = CleanArticle(Article("t", text, "t"), text, tuple(pars))
    return analyze_doc(nlp(text), article)


def _find(analysis, fragment: str) -> Quote:  # type: ignore[no-untyped-def]
    return next(q for q in analysis.quotes if fragment in q.text)


# (text, fragment of the quote, expected speaker_via)
VIA = [
    ('"The bridge opens in May," Mayor Elena Ruiz said.', "bridge opens", "name"),
    ('Elena Ruiz opened the bridge.\n\n"We waited ten years," she said.', "waited ten", "pronoun"),
    ('Ana Silva, the city treasurer, presented the budget.\n\n"Every cent is accounted for," the treasurer added.',
     "Every cent", "title"),
    ('"We will rebuild," Tomas Berg said.\n\n"It will take a year, maybe two, to finish the work."',
     "take a year", "continuation"),
    # negatives: no one to give the words to
    ('"The road stays closed until the inspection is over," a spokesperson for the council said.',
     "road stays", "unresolved"),
    ('"Nothing has been decided yet about the harbour," officials said.', "Nothing has", "unresolved"),
]


@pytest.mark.parametrize(("text", "fragment", "via"), VIA)
def test_speaker_via(nlp, text: str, fragment: str, via: str) -> None:  # type: ignore[no-untyped-def]
    q = _find(_analysis(nlp, text), fragment)
    assert q.speaker_via == via
    assert (q.speaker_entity_id is None) == (via == "unresolved")
    assert 0.0 <= q.speaker_confidence <= 1.0


def test_confidence_orders_the_ways(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ('Elena Ruiz opened the bridge on Monday. "It opens to lorries in May," Ruiz said.\n\n'
            '"We waited ten years for it, and the town waited longer," she said.\n\n'
            '"It will carry four thousand cars a day when it opens fully."')
    a = _analysis(nlp, text)
    named, pronoun, cont = (_find(a, f) for f in ("lorries", "waited ten", "four thousand"))
    assert named.speaker_confidence > pronoun.speaker_confidence > cont.speaker_confidence > 0
    assert cont.speaker_via == "continuation"


def test_graded_fields_survive_the_store(nlp) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, 'Elena Ruiz opened the bridge.\n\n"We waited ten years," she said.')
    d = json.loads(json.dumps(analysis_to_dict(a)))
    assert analysis_from_dict(d) == a
    # a row stored before the fields existed is graded from its records on reading
    for q in d["quotes"]:
        del q["speaker_via"], q["speaker_confidence"]
    assert analysis_from_dict(d).quotes == a.quotes


def test_ungraded_quote_is_unresolved() -> None:
    q = Quote("q1", 0, 5, "hello", "direct", "said", 6, 10, "someone", 11, 18, None)
    assert q.speaker_via == "unresolved" and q.speaker_confidence == 0.0
    (graded,) = grade_speakers([q], {})
    assert graded.speaker_via == "unresolved" and graded.speaker_confidence == CONFIDENCE["unresolved"]
