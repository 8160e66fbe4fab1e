"""Quote extraction end to end: (text, expected) tables with negative cases, on sentences the project wrote."""

from __future__ import annotations

import pytest

from storyline.extract.entities import build_entities
from storyline.extract.quotes import extract_quotes

from .quote_support import paragraphs_of, quotes_of, speaker_name

# (text, [(fragment of the quote, kind, speaker name or None)])
CASES = [
    # direct with pronoun cue resolved through the previous speaker
    ('Mayor Elena Ruiz opened the bridge on Monday.\n\n"We waited ten years for this," she said.',
     [("We waited ten years for this", "direct", "Elena Ruiz")]),
    # colon-introduced quote with a named speaker
    ('Harbour master Tomas Berg said: "The channel is open again."',
     [("The channel is open again.", "direct", "Tomas Berg")]),
    # description cue resolved by title
    ('Ana Silva, the city treasurer, presented the budget.\n\n"Every cent is accounted for," the treasurer added.',
     [("Every cent is accounted for", "direct", "Ana Silva")]),
    # indirect with "told reporters that"
    ("Councillor Mark Olsen told reporters that the vote would be delayed until spring.",
     [("the vote would be delayed until spring", "indirect", "Mark Olsen")]),
    # indirect with "insisted", no "that"
    ("The Harbour Trust has insisted it is not responsible for the repairs.",
     [("it is not responsible for the repairs", "indirect", "Harbour Trust")]),
    # mixed: partial quote inside reported speech
    ('Ms Ruiz said the storm had caused "damage on a scale we have never seen" in the old port.',
     [("damage on a scale we have never seen", "mixed", "Ruiz")]),
    # quote paragraph with no cue continues the previous speaker
    ('"We will rebuild," Mr Berg said.\n\n"It will take a year, maybe two."',
     [("We will rebuild", "direct", "Berg"), ("It will take a year, maybe two.", "direct", "Berg")]),
    # a quote over two paragraphs (the first left open)
    ('A council spokeswoman said: "The road stays closed.\n\n"Engineers will inspect it tomorrow."',
     [("The road stays closed.", "direct", None)]),
    # according to X
    ("According to Inspector Clara Voss, the fire started in the kitchen.",
     [("the fire started in the kitchen", "indirect", "Clara Voss")]),
    # postposed attribution: the clause comes first
    ("The bridge will reopen in May, Mayor Elena Ruiz said.",
     [("The bridge will reopen in May", "indirect", "Elena Ruiz")]),
    # parenthetical cue inside the reported clause
    ("To keep costs down, Mayor Elena Ruiz said, the council will share the boats.",
     [("the council will share the boats", "indirect", "Elena Ruiz")]),
    # negative: an intention is not a statement (see test_all_attributions_keep_intentions)
    ("Councillor Mark Olsen wants to double the size of the ferry fleet.", []),
    # accuse X of Y
    ("Councillor Mark Olsen accused the harbour board of hiding the repair costs.",
     [("hiding the repair costs", "indirect", "Mark Olsen")]),
    # a noun that carries a reported clause, owned by the speaker
    ("Mayor Elena Ruiz repeated her claim that the storm damage was underestimated.",
     [("the storm damage was underestimated", "indirect", "Elena Ruiz")]),
    # a headline names its source before a colon
    ("Harbour Trust: Repairs Will Take Two Years", [("Repairs Will Take Two Years", "direct", None)]),
    # negative: a section label before a colon is nobody's statement
    ("Live updates: Storm reaches the northern coast tonight", []),
    # transcript lines name the speaker before a colon
    ("OLSEN: We need those boats back on the water by summer.",
     [("We need those boats back on the water by summer.", "direct", None)]),
    # a name and a verb before the colon: the verb is the cue, the name the speaker
    ("Olsen added: “We need those boats back on the water by summer.”",
     [("We need those boats back on the water by summer.", "direct", "Olsen")]),
    # a quotation opening its paragraph after a lead-in ending with a colon takes that cue
    ("Councillor Mark Olsen told the meeting:\n\n“We need those boats back on the water by summer.”",
     [("We need those boats back on the water by summer.", "direct", "Mark Olsen")]),
    # passive with an agent: the agent is the source
    ("The closure of the eastern pier was first reported by Councillor Mark Olsen.",
     [("The closure of the eastern pier", "indirect", "Mark Olsen")]),
    # the parser ends the sentence at the question mark; the cue follows
    ('"Are you winning?" she asked Mayor Elena Ruiz.', [("Are you winning?", "direct", None)]),
    # a relative clause reports what follows the cue
    ("He runs the old mine, which Councillor Mark Olsen says he is keeping open at a loss.",
     [("he is keeping open at a loss", "indirect", "Mark Olsen")]),
    # a speech verb whose clause the parser hangs as an adverbial clause
    ("Mayor Elena Ruiz said after the vote she would not accept the harbour board's offer.",
     [("she would not accept the harbour board's offer", "indirect", "Elena Ruiz")]),
    # a demand: "called on X to Y" is one reported matter
    ("Councillor Mark Olsen called on the harbour board to publish the repair costs.",
     [("the harbour board to publish the repair costs", "indirect", "Mark Olsen")]),
    ("Mayor Elena Ruiz has called for scrapping the ferry levy.",
     [("scrapping the ferry levy", "indirect", "Elena Ruiz")]),
    # a quote signed after a dash
    ("“We lost everything in one night.” ― Maria Okafor",
     [("We lost everything in one night.", "direct", "Maria Okafor")]),
    # a reported clause that holds another cue's quotation is still its speaker's, closing mark included
    ("Ms Ruiz says the audit argues that the council was “far too slow to act.”",
     [("the audit argues that the council was “far too slow to act.”", "indirect", "Ruiz"),
      ("far too slow to act", "mixed", None)]),
    # a scare-quoted word does not stop "according to"
    ("More than 300 people joined a “sit-in” at the town hall on Sunday, according to the organisers.",
     [("More than 300 people joined a “sit-in” at the town hall on Sunday", "indirect", None)]),
    # a cue after a preposition ("before telling", "by saying") speaks for the governing verb's subject
    ("Mayor Ana Lind thanked the crew before telling reporters that the pier would reopen in May.",
     [("the pier would reopen in May", "indirect", "Ana Lind")]),
    ("Mayor Ana Lind answered by saying that the pier would reopen in May.",
     [("the pier would reopen in May", "indirect", "Ana Lind")]),
    # signatures with the dash glued to the closing mark, or no-break spaces around it
    ("“We lost everything in one night.”― Maria Okafor\u00a0\n“The water came so fast.” ―\u00a0Tom Reyes.",
     [("We lost everything in one night.", "direct", "Maria Okafor"),
      ("The water came so fast.", "direct", "Tom Reyes")]),
    # "quoted as saying": the passive subject is the speaker
    ("Mayor Ana Lind was quoted as saying that the pier was safe.",
     [("the pier was safe", "indirect", "Ana Lind")]),
    # negative: whoever was told or informed did not say it
    ("Mayor Ana Lind was told that the pier would stay closed until May.", []),
    ("Mayor Ana Lind was informed that the pier was unsafe.", []),
    # quotes in typewriter pairs, as in archive copy
    ("''The channel is open again,'' harbour master Tomas Berg said on Monday.",
     [("The channel is open again", "direct", "Tomas Berg")]),
    ("Tomas Berg added: ''The channel is open again.''",
     [("The channel is open again.", "direct", "Tomas Berg")]),
    # more verbs of saying: "pointed out that", "spoke about", "expressed concern"
    ("Mayor Ana Lind pointed out that the pier had been closed for a year.",
     [("the pier had been closed for a year", "indirect", "Ana Lind")]),
    ("The union spoke about the need for safer ferries.",
     [("the need for safer ferries", "indirect", None)]),
    ("The council expressed deep concern over the delays.",
     [("deep concern over the delays", "indirect", None)]),
    # negative: the same verbs with nothing reported
    ("The ferry pointed north.", []),
    ("The crew talked for an hour.", []),
    # negative: scare quotes and titles are not anybody's words
    ('The so-called "temporary fix" failed on Friday.', []),
    ('She watched "Harbour Lights" again.', []),
    # negative: no quote at all
    ("The ferry was renamed after a vote on Friday.", []),
    # negative: a verb of saying with no clause is not a quote
    ("The mayor said nothing.", []),
    # "according to X" before or after a quotation gives its source
    ("According to harbour master Tomas Berg, “the channel will reopen on Monday.”",
     [("the channel will reopen on Monday.", "direct", "Tomas Berg")]),
    # "as X said": the clause it hangs on is what X said, before or after it
    ("The ferry will run again on Monday, as Mayor Ana Lind promised last week.",
     [("The ferry will run again on Monday", "indirect", "Ana Lind")]),
    ("As the inspectors noted, the quay had been closed for a year.",
     [("the quay had been closed for a year", "indirect", None)]),
    # negative: an "as" clause that is not about saying, or says nothing
    ("As the ferry left the harbour, the crowd cheered.", []),
    ("The ferry will run again on Monday, as expected.", []),
    # "he continued" after a quotation is its cue; a continuing action reports nothing
    ('Mayor Ana Lind opened the pier.\n\n"We are not done yet," she continued.',
     [("We are not done yet", "direct", "Ana Lind")]),
    ("The repairs continued for another year.", []),
    ("Mayor Ana Lind continued to work on the new pier.", []),
    # what a notice or a sign reads is a quotation with the notice as its source
    ('A notice on the gate read: "The pier is closed until further notice."',
     [("The pier is closed until further notice.", "direct", None)]),
    ("Mayor Ana Lind read the report on the train.", []),
    # what the words were about, after a preposition the verb takes
    ("Councillor Mark Olsen was referring to the harbour master.",
     [("the harbour master", "indirect", "Mark Olsen")]),
    ("Mayor Ana Lind apologized for the delays at the port.",
     [("the delays at the port", "indirect", "Ana Lind")]),
    ("Mayor Ana Lind referred the question to the harbour master.", []),
    # a poll share the parser hangs on the verb as a number is who says it
    ("About 4 in 10 say they want the harbour to stay open at night.",
     [("they want the harbour to stay open at night", "indirect", None)]),
    # one reported clause split by the parser into two complements is reported whole
    ("But 16 percent of registered voters still say they don’t yet know enough about Lind to form an opinion.",
     [("they don’t yet know enough about Lind to form an opinion", "indirect", None)]),
    # a gerund subject the parser hangs on "said" as its complement starts the reported clause
    ("He said legalizing it could put thousands of people to work.",
     [("legalizing it could put thousands of people to work", "indirect", None)]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_quote_table(nlp, text, expected):  # type: ignore[no-untyped-def]
    quotes, index = quotes_of(nlp, text)
    assert len(quotes) == len(expected), [(q.text, q.kind) for q in quotes]
    for q, (fragment, kind, speaker) in zip(quotes, expected, strict=True):
        assert fragment in q.text
        assert q.kind == kind
        if speaker is None:
            continue
        assert speaker in (speaker_name(index, q) or ""), (q.text, q.speaker_text, speaker_name(index, q))


def test_multi_paragraph_quote_is_one_quote(nlp):  # type: ignore[no-untyped-def]
    text = 'A council spokeswoman said: "The road stays closed.\n\n"Engineers will inspect it tomorrow."'
    quotes, _ = quotes_of(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].text.endswith("inspect it tomorrow.")


def test_nested_cue_keeps_each_speaker(nlp):  # type: ignore[no-untyped-def]
    text = ('Ms Ruiz said she had "a frank conversation" with the minister on Monday, a day after the '
            'opposition accused the council of "reckless spending".')
    quotes, index = quotes_of(nlp, text)
    by_fragment = {q.text: q for q in quotes}
    ruiz = next(q for t, q in by_fragment.items() if "frank conversation" in t)
    assert "reckless spending" not in ruiz.text
    assert any("reckless spending" in t and q.cue == "accused" for t, q in by_fragment.items())


def test_all_attributions_keep_intentions(nlp):  # type: ignore[no-untyped-def]
    text = "Councillor Mark Olsen wants to double the size of the ferry fleet."
    doc = nlp(text)
    quotes = list(extract_quotes(doc, index=build_entities(doc), paragraphs=paragraphs_of(text),
                                 statements_only=False))
    assert [(q.text, q.kind, q.speaker_text) for q in quotes] == [
        ("to double the size of the ferry fleet", "indirect", "Councillor Mark Olsen")]


@pytest.mark.parametrize("form", ["is hoping", "hoped", "hopes"])
def test_hope_is_not_hop(nlp, form):  # type: ignore[no-untyped-def]
    # the rule lemmatizer reads "hoping" as "hop"; the pipeline's attribute ruler corrects it
    text = f"Councillor Mark Olsen {form} that the ferry will sail in May."
    doc = nlp(text)
    assert [t.lemma_ for t in doc if t.text.startswith("hop")] == ["hope"]
    quotes = list(extract_quotes(doc, index=build_entities(doc), paragraphs=paragraphs_of(text),
                                 statements_only=False))
    assert [(q.text, q.speaker_text) for q in quotes] == [
        ("the ferry will sail in May", "Councillor Mark Olsen")]
