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


def _speaker_name(analysis, fragment: str) -> str | None:  # type: ignore[no-untyped-def]
    q = _find(analysis, fragment)
    ents = {e.id: e.name for e in analysis.entities}
    return ents.get(q.speaker_entity_id) if q.speaker_entity_id else None


# (text, fragment of the quote, the speaker's name or None)
SPEAKERS = [
    # a pronoun agrees in gender with its antecedent, not with the last person named
    ('Harold Pemberton chaired the meeting. Margaret Okafor arrived late.\n\n'
     '"The budget is a disgrace to this town," she told reporters.', "budget is a disgrace", "Margaret Okafor"),
    ('Margaret Okafor chaired the meeting. Harold Pemberton arrived late.\n\n'
     '"The budget is a disgrace to this town," she told reporters.', "budget is a disgrace", "Margaret Okafor"),
    # ... and a person introduced as the subject just before takes over from the speaker before
    ('"We will appeal the ruling," Harold Pemberton said.\n\n'
     'Tomas Berg, who runs the port, was less sure. "Nobody knows what the court will do next," he told reporters.',
     "Nobody knows", "Tomas Berg"),
    # the possessor is not the speaker; the name in apposition is
    ("Pemberton's attorney, Warren Okafor, argued that the contract was void from the start.",
     "the contract was void", "Warren Okafor"),
    ('"The contract was void from the start," Pemberton\'s attorney said.', "contract was void", None),
    # a place that modifies a role is not the speaker
    ('"The port will reopen within the month," the Norwegian minister said.', "port will reopen", None),
    # a description binds to the person the article gave that title
    ('Tomas Berg, the harbour master, inspected the damage.\n\n"The channel is safe again," the harbour master said.',
     "channel is safe", "Tomas Berg"),
    # ... and to no one given another title
    ('Tomas Berg, the mayor, inspected the damage.\n\n"The channel is safe again," the harbour master said.',
     "channel is safe", None),
]


@pytest.mark.parametrize(("text", "fragment", "name"), SPEAKERS)
def test_speaker_resolution(nlp, text: str, fragment: str, name: str | None) -> None:  # type: ignore[no-untyped-def]
    assert _speaker_name(_analysis(nlp, text), fragment) == name


def test_two_people_as_likely_leave_the_pronoun_unresolved(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ('Tomas Berg met Harold Pemberton at the harbour on Monday.\n\n'
            '"The repairs will take another year at least," he said.')
    q = _find(_analysis(nlp, text), "repairs will take")
    assert q.speaker_confidence < 0.8  # a pronoun never carries a who-said-it finding
    assert q.speaker_via in {"pronoun", "unresolved"}


# (text, fragment, whether the quoted words are a statement)
STATEMENTS = [
    ('"We will rebuild the harbour before summer," the mayor said.', "rebuild the harbour", True),
    ('Ruiz called the plan "a reckless gamble with our savings".', "reckless gamble", True),
    ('She appeared on a programme called "Morning Harbour Live" on Sunday.', "Morning Harbour Live", False),
    ('The policy, known as "no boat left behind," ended in May.', "no boat left behind", False),
    ('The plan, called "reckless" by the council, was withdrawn.', "reckless", True),
    ('The shop sold a 17" screen for the harbour office, and Ruiz said it was "far too small for us".',
     "far too small", True),
]


@pytest.mark.parametrize(("text", "fragment", "statement"), STATEMENTS)
def test_statement_filter(nlp, text: str, fragment: str, statement: bool) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, text)
    assert any(fragment in q.text for q in a.quotes) is statement, [q.text for q in a.quotes]
    # an inch mark opens no quotation: nothing quoted starts at the screen size
    assert not any(q.text.startswith(" screen") or q.text.startswith("screen") for q in a.quotes)


@pytest.mark.parametrize(("text", "fragment", "name"), [
    # an object earlier in the pronoun's own sentence is not who speaks ...
    ('Harold Pemberton spoke at the dock.\n\nOf Tomas Berg, he said, "He has done more for this port than anyone."',
     "done more for this port", "Harold Pemberton"),
    # ... the subject of that sentence is
    ('Harold Pemberton attacked Tomas Berg, whom he called "the worst harbour master this port has had".',
     "worst harbour master", "Harold Pemberton"),
])
def test_pronoun_in_its_own_sentence(nlp, text: str, fragment: str, name: str) -> None:  # type: ignore[no-untyped-def]
    assert _speaker_name(_analysis(nlp, text), fragment) == name


@pytest.mark.parametrize(("text", "fragment", "speakers"), [
    # the quotation has its speaker; where the words were found is no second speaker
    ('"The port will not close," Tomas Berg said, according to a recording of the meeting.',
     "port will not close", {"Tomas Berg"}),
    # negative: with no speaker of its own, the quotation is the source's
    ('The port will not close this winter, according to Tomas Berg.', "port will not close", {"Tomas Berg"}),
])
def test_according_to_is_no_second_speaker(nlp, text: str, fragment: str, speakers: set[str]) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, text)
    ents = {e.id: e.name for e in a.entities}
    got = {ents.get(q.speaker_entity_id or "", q.speaker_text) for q in a.quotes if fragment in q.text}
    assert got == speakers


# (text, fragment of the quote, the speaker's name or None, how it was found)
BOUND = [
    # a name inside the quoted words is what the speaker talks about, not the pronoun's antecedent
    ('Tomas Berg visited the harbour on Monday, urging the council to act.\n\n'
     '"Harold Pemberton has said that he will pay for the repairs," he said.', "will pay for", "Tomas Berg", "pronoun"),
    # negative: a person named outside the quotation, as the subject just before, still is
    ('Tomas Berg visited the harbour on Monday. Harold Pemberton arrived later.\n\n'
     '"The repairs are paid for," he said.', "repairs are paid", "Harold Pemberton", "pronoun"),
    # a description right after a speaker's quotations, no one else named between, varies the name
    ('Elena Ruiz, a candidate for the council, spoke on Monday. "We will open the port in May," says Ruiz. '
     '"Nobody will lose a job."\n\n"The harbour will be busier than ever," the former mayor continues.',
     "busier than ever", "Elena Ruiz", "description"),
    # negatives: someone else named between; a man for "the congresswoman"
    ('"We will open the port in May," says Elena Ruiz.\n\nThe crowd cheered Harold Pemberton. '
     '"The harbour will be busier than ever," the mayor added.', "busier than ever", None, "unresolved"),
    ('"We need more ferries," Margaret Okafor said on Monday.\n\nHarold Pemberton praised the plan. '
     '"It will cut the queues by half," the congresswoman said.', "cut the queues", None, "unresolved"),
    ('"We need more ferries," Tomas Berg said on Monday.\n\nMargaret Okafor praised the plan. '
     '"It will cut the queues by half," the congresswoman said.', "cut the queues", "Margaret Okafor", "description"),
    # the sentence before a speaker phrase is the one before its quotation, not a quoted one
    ('Tomas Berg answered on Monday, telling reporters the vote was "a scandal." "I think the council should '
     'resign. I could not believe it when I saw the count," the presumptive nominee said.', "could not believe",
     "Tomas Berg", "description"),
    # several people hold the title: the one the article is about, named far more often
    ('President Elena Ruiz opened the port. Ruiz said it would grow. Ruiz thanked the workers, and Ruiz promised '
     'more jobs. Former President Harold Pemberton did not attend.\n\n"This is a great day for the town," the '
     'president said.', "great day", "Elena Ruiz", "description"),
    # negative: named as often, neither is "the president"
    ('The port was opened by President Elena Ruiz and former President Harold Pemberton.\n\n'
     '"This is a great day for the town," the president said.', "great day", None, "unresolved"),
    # "the statement continued": whoever issued the statement
    ('"The port will close for a week," Harold Pemberton said in a statement on Monday. "Nobody will lose a job. '
     'The ferries will run as usual," the statement continued.', "ferries will run", "Harold Pemberton", "description"),
    ('Elena Ruiz released a statement on Monday. "Nobody will lose a job," the statement said.',
     "Nobody will lose", "Elena Ruiz", "description"),
    # negative: a statement no one is said to have issued
    ('A statement was read aloud at the dock on Monday. "Nobody will lose a job," the statement said.',
     "Nobody will lose", None, "unresolved"),
]


@pytest.mark.parametrize(("text", "fragment", "name", "via"), BOUND)
def test_speaker_bound_by_context(nlp, text: str, fragment: str, name: str | None, via: str) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, text)
    q = _find(a, fragment)
    assert (_speaker_name(a, fragment), q.speaker_via) == (name, via), [(x.text, x.speaker_text) for x in a.quotes]
    if via == "description":
        assert q.speaker_confidence < 0.8  # a guess from context carries no who-said-it finding


# (text, fragment of the quote, the speaker's name or None)
PARSER_SLIPS = [
    # of two subjects the parser gives the cue, the one next to it speaks (a noun inside the
    # quotation is no speaker)
    ('"In ten years the council has left behind a record of closures, dozens of empty shops, angry traders and '
     'tenants who feel cheated," Elena Ruiz said.', "left behind a record", "Elena Ruiz"),
    ('"The ferry was late, and dozens of traders complained," said Tomas Berg.', "ferry was late", "Tomas Berg"),
    # a report inside the sentence that attributes a quotation is not what the next one continues
    ('"It is rubbish, all of it," Tomas Berg said about the newspaper report claiming that he had lied.\n\n'
     '"It is a smear, and it came from my rivals."', "came from my rivals", "Tomas Berg"),
    # negative: a new speaker of their own sentence is continued
    ('"It is rubbish, all of it," Tomas Berg said on Monday. Elena Ruiz said that the report was fair.\n\n'
     '"Every word of it was checked twice before we printed it."', "checked twice", "Elena Ruiz"),
]


@pytest.mark.parametrize(("text", "fragment", "name"), PARSER_SLIPS)
def test_speaker_despite_parser_slips(nlp, text: str, fragment: str, name: str | None) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, text)
    assert _speaker_name(a, fragment) == name, [(x.text, x.speaker_text) for x in a.quotes]


# (text, fragment of the quote, the speaker's name or None)
NOTHING_REPORTED = [
    # a paragraph that ends with a reporting verb that reports nothing: the next paragraph's
    # quotation is what it reports
    ('Elena Ruiz spoke on Monday about the ferry. Tomas Berg responded in a statement on Tuesday.\n\n'
     '"Mayor Ruiz, who wants the ferry gone, also asked me to keep it running last year."', "keep it running",
     "Tomas Berg"),
    # negatives: the verb reports something of its own; a verb that reports nothing
    ('"The ferry stays," Elena Ruiz said on Monday. Tomas Berg said that the vote was lost.\n\n'
     '"We will keep running it as long as the town pays for it."', "as long as", "Tomas Berg"),
    ('"The ferry stays," Elena Ruiz said on Monday. Tomas Berg left the hall early.\n\n'
     '"We will keep running it as long as the town pays for it."', "as long as", "Elena Ruiz"),
]


@pytest.mark.parametrize(("text", "fragment", "name"), NOTHING_REPORTED)
def test_quotation_after_a_cue_that_reports_nothing(nlp, text: str, fragment: str, name: str | None) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(nlp, text)
    assert _speaker_name(a, fragment) == name, [(x.text, x.speaker_text) for x in a.quotes]
