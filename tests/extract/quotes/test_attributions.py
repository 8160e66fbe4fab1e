"""Finding attributions: the cue of a quotation, and nested attributions dropped or kept."""

from __future__ import annotations

import pytest

from storyline.extract.quotes import Found
from storyline.extract.quotes.attributions import drop_nested

from .quote_support import quotes_of


@pytest.mark.parametrize(("text", "cue", "speaker"), [
    # several quoted sentences, then a long speaker phrase before the cue
    ("“The channel is open. The ferries can sail. Why should we wait?” the harbour master of the eastern "
     "port asked.", "asked", "the harbour master"),
    ("“The channel is open again,” said the harbour master.", "said", "the harbour master"),
    # negative: a cue further on, with its own subject, belongs to another sentence
    ("“Why should we wait any longer for them?” The crowd cheered for a long time and then the harbour "
     "master said nothing at all.", None, ""),
    # a quotation that ends its own sentence: a bare attribution after it is its cue
    ("“The pier is safe for everyone.” Mayor Ana Lind said on Monday.", "said", "Mayor Ana Lind"),
])
def test_cue_after_a_quotation(nlp, text, cue, speaker):  # type: ignore[no-untyped-def]
    quotes, _ = quotes_of(nlp, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert (text[q.cue_start:q.cue_end] if q.cue_start is not None else None) == cue
    assert q.speaker_text == speaker


@pytest.mark.parametrize(("text", "cue", "speaker"), [
    # a new sentence after a quotation that goes on about its subject is not the quotation's cue
    ("“The pier is safe for everyone.” Ana Lind said little else when she was asked about the costs.",
     None, None),
    # a quotation after a clause set off by dashes
    ("When the mayor noted that the pier had been shut ― as it was for years ― Lind replied, “That was "
     "the plan all along.”", "replied", "Lind"),
])
def test_cue_of_a_quotation_among_other_clauses(nlp, text, cue, speaker):  # type: ignore[no-untyped-def]
    quotes, _ = quotes_of(nlp, text)
    direct = [q for q in quotes if q.kind == "direct"]
    assert len(direct) == 1
    q = direct[0]
    assert (text[q.cue_start:q.cue_end] if q.cue_start is not None else None) == cue
    if speaker is not None:
        assert q.speaker_text == speaker


def test_participle_clause_is_its_own_cues_attribution(nlp):  # type: ignore[no-untyped-def]
    # a scorer may offer "arguing that ..." as what "wrote" reports; the participle is the cue
    text = "The union wrote to the council, arguing that the new timetable was unsafe."
    doc = nlp(text)
    wrote, arguing = (next(t for t in doc if t.text == w) for w in ("wrote", "arguing"))
    union = doc[0:2]
    outer = Found(arguing.idx, len(text) - 1, "indirect", wrote, union, (), False)
    inner = Found(text.index("the new"), len(text) - 1, "indirect", arguing, union, ())
    assert drop_nested([outer, inner]) == [inner]
    # a reported clause that is no participle stays with the outer cue
    text = "The union said the council had decided to close the pier."
    doc = nlp(text)
    said, decided = (next(t for t in doc if t.text == w) for w in ("said", "decided"))
    outer = Found(text.index("the council"), len(text) - 1, "indirect", said, doc[0:2], ())
    inner = Found(text.index("to close"), len(text) - 1, "indirect", decided, doc[3:5], ())
    assert drop_nested([outer, inner]) == [outer]
    # ... unless the relation scorer is sure the nested one is a statement of its own
    assert drop_nested([outer, inner], sure=lambda f: f.cue is decided) == [outer, inner]
    assert drop_nested([outer, inner], sure=lambda f: f.cue is said) == [outer]
