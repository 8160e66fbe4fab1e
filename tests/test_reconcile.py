"""Reconciliation across outlets: corroboration counts independent sources, conflicts carry both sides."""

from __future__ import annotations

from datetime import date

import pytest

import storyline
from storyline.models import Article

BASE = (
    "Mayor Ana Lind said on Tuesday that the ferry service would resume next month.\n\n"
    '"We owe the islanders a reliable crossing," Ms Lind said.\n\n'
    "The council has set aside about 40 new staff for the route."
)
OTHER = (
    "The ferry to Skarn will run again from May, Mayor Ana Lind said on Wednesday.\n\n"
    '"We owe the islanders a reliable crossing," the mayor said, adding that more than 60 new staff '
    "would be hired.\n\n"
    "Harbour master Ole Berg said the new boats were ready."
)


def _story(*articles: Article):  # type: ignore[no-untyped-def]
    report = storyline.analyze(list(articles))
    assert len(report.stories) == 1
    return report.stories[0]


def test_corroboration_needs_independent_sources():  # type: ignore[no-untyped-def]
    a = Article("a", BASE, "a.txt", outlet="Island Post", published=date(2025, 4, 9))
    copy = Article("b", BASE, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9))
    story = _story(a, copy)
    groups = {x.source_group for x in story.articles}
    assert len(groups) == 1  # two copies of one text are one source
    assert not [f for f in story.findings if f.kind == "corroborated"]


def test_same_quote_in_two_outlets_is_corroborated_and_day_conflict_found():  # type: ignore[no-untyped-def]
    a = Article("a", BASE, "a.txt", outlet="Island Post", published=date(2025, 4, 9))
    b = Article("b", OTHER, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9))
    story = _story(a, b)
    kinds = [f.kind for f in story.findings]
    assert kinds == sorted(kinds, key=["conflict", "corroborated", "single_source"].index)
    corr = [f for f in story.findings if f.kind == "corroborated" and "reliable crossing" in f.about]
    assert corr and {e.article_id for e in corr[0].evidence} == {"a", "b"}
    texts = {x.id: x.text for x in story.articles}
    for f in story.findings:
        for e in f.evidence:
            assert texts[e.article_id][e.start:e.end] == e.text
    lind = [e for e in story.entities if e.name == "Ana Lind"]
    assert len(lind) == 1 and set(lind[0].article_ids) == {"a", "b"}


def test_undated_article_gets_no_invented_dates():  # type: ignore[no-untyped-def]
    a = Article("a", BASE, "a.txt", outlet="Island Post")
    story = _story(a)
    assert story.articles[0].published is None
    assert all(q.said_on is None for q in story.quotes)


def test_a_denial_does_not_corroborate_the_claim_it_denies():  # type: ignore[no-untyped-def]
    claim = ("Harbour master Ole Berg said the new ferry was unsafe for winter crossings.\n\n"
             "The council will meet on Friday.")
    denial = ("Mayor Ana Lind denied that the new ferry was unsafe for winter crossings.\n\n"
              "The council will meet on Friday.")
    # told in the outlet's own words (a copy of the first text would be the same source)
    same = ("Ole Berg, who runs the harbour, told reporters on the quay that the new ferry was unsafe for winter "
            "crossings.\n\nRepairs to the old boat are due to finish in May, according to the shipyard.")
    a = Article("a", claim, "a.txt", outlet="Island Post", published=date(2025, 4, 9))
    b = Article("b", denial, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9))
    story = _story(a, b)
    assert not [f for f in story.findings if f.kind == "corroborated" and "unsafe" in f.about]
    assert not [f for f in story.findings if f.kind == "conflict" and "unsafe" in f.about]
    c = Article("c", same, "c.txt", outlet="Quay News", published=date(2025, 4, 9))
    story = _story(a, c)
    assert [f for f in story.findings if f.kind == "corroborated" and "unsafe" in f.about]


QUOTE = "We will rebuild every berth on the north pier before the summer season begins"


def _two(a_text: str, b_text: str):  # type: ignore[no-untyped-def]
    a = Article("a", a_text, "a.txt", outlet="Island Post", published=date(2025, 4, 9))
    b = Article("b", b_text, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9))
    return _story(a, b)


def _who(story):  # type: ignore[no-untyped-def]
    return [f for f in story.findings if f.kind == "conflict" and f.subkind == "speaker"]


def test_the_same_words_given_to_two_named_people_conflict():  # type: ignore[no-untyped-def]
    story = _two(f'The storm wrecked the harbour on Monday.\n\n"{QUOTE}," Mayor Ana Lind said.',
                 f'Repairs began on Tuesday.\n\n"{QUOTE}," harbour master Ole Berg said.')
    who = _who(story)
    assert who and {v.value for v in who[0].values} == {"Ana Lind", "Ole Berg"}
    assert who[0].severity == "major"
    # never corroborated as well
    assert not [f for f in story.findings if f.kind == "corroborated" and "north pier" in f.about]


def test_no_speaker_conflict_for_a_joint_statement_or_a_pronoun():  # type: ignore[no-untyped-def]
    joint = _two(f'Mayor Ana Lind and harbour master Ole Berg issued a statement.\n\n"{QUOTE}," Lind said.',
                 f'Repairs began on Tuesday.\n\n"{QUOTE}," harbour master Ole Berg said.')
    assert not _who(joint)
    guessed = _two(f'Mayor Ana Lind visited the quay.\n\nHarbour master Ole Berg met her there.\n\n"{QUOTE}," '
                   'he said.',
                   f'Repairs began on Tuesday.\n\n"{QUOTE}," Mayor Ana Lind said.')
    assert not _who(guessed)


def _titles(story):  # type: ignore[no-untyped-def]
    return [f for f in story.findings if f.kind == "conflict" and f.subkind == "role"]


def test_a_former_post_in_an_apposition_conflicts_with_the_current_one():  # type: ignore[no-untyped-def]
    story = _two("The inquiry heard from Treasury official Maria Delgado on Monday.\n\nThe hearing lasted an hour.",
                 "Maria Delgado, a former senior official at the Treasury, spoke to the inquiry on Monday.")
    conflict = _titles(story)
    assert conflict and conflict[0].severity == "major", story.findings
    # negative: the same post, current in both
    same = _two("The inquiry heard from Treasury official Maria Delgado on Monday.\n\nThe hearing lasted an hour.",
                "Maria Delgado, a senior official at the Treasury, spoke to the inquiry on Monday.")
    assert not _titles(same)


@pytest.mark.parametrize(
    "told",
    [
        "Maria Delgado was Treasury official from 2009 to 2014, the inquiry heard on Monday.",
        "Maria Delgado was the only Treasury official to sign the order, the inquiry heard on Monday.",
        "Maria Delgado was Treasury official until 2014, she told the inquiry on Monday.",
    ],
)
def test_a_post_told_in_the_past_agrees_with_a_former_one(told):  # type: ignore[no-untyped-def]
    former = "Maria Delgado, a former Treasury official, spoke to the inquiry on Monday.\n\nThe hearing lasted an hour."
    assert not _titles(_two(former, told))
    # negative: the same post told as held now still conflicts with the former one
    assert _titles(_two(former, "Treasury official Maria Delgado spoke to the inquiry on Monday."))


def _figures(story):  # type: ignore[no-untyped-def]
    return [f for f in story.findings if f.kind == "conflict" and f.subkind == "figure"]


def test_a_part_of_a_total_does_not_conflict_with_the_total():  # type: ignore[no-untyped-def]
    total = "Ivar Lund scored 23 points as Harlow beat Penmore on Saturday.\n\nThe crowd was loud."
    part = "Ivar Lund scored his first five points in the opening minute as Harlow beat Penmore on Saturday."
    assert not _figures(_two(total, part))
    run = "Ivar Lund had five points during a pivotal 12-2 run as Harlow beat Penmore on Saturday."
    assert not _figures(_two(total, run))
    half = "Ivar Lund scored 11 points in the second half as Harlow beat Penmore on Saturday."
    assert not _figures(_two(total, half))
    # negative: two totals for the same player and game do conflict
    other = "Ivar Lund scored 19 points as Harlow beat Penmore on Saturday."
    assert _figures(_two(total, other))


def test_a_stretch_of_a_period_does_not_conflict_with_a_length():  # type: ignore[no-untyped-def]
    length = "Ivar Lund wore the brace for two months, the club said on Saturday.\n\nThe crowd was loud."
    stretch = "Ivar Lund wore the brace in the first four months of the season, the club said on Saturday."
    assert not _figures(_two(length, stretch))
    other = "Ivar Lund wore the brace for four months, the club said on Saturday."
    assert _figures(_two(length, other))


def test_a_hedged_figure_is_shown_with_its_hedge():  # type: ignore[no-untyped-def]
    story = _two("The council paid more than $10,000 for the survey, Ivar Lund said on Saturday.\n\nIt rained.",
                 "The council paid $10,000 for the survey, Ivar Lund said on Saturday.")
    (conflict,) = _figures(story)
    assert "more than $10,000" in conflict.detail and conflict.severity == "minor"


def test_an_excerpt_quoted_word_for_word_is_corroborated_beside_a_rewording():  # type: ignore[no-untyped-def]
    lead = "Mayor Ana Lind spoke about the ferry to Skarn on Tuesday.\n\n"
    long_a = ('"We will not cut any service to the islands. I do not like that plan, I would never sign it," '
              "Ms Lind said.")
    long_b = ('"We will not cut anything to the islands. I do not like that plan, I would never sign it," '
              "Ms Lind said.")
    excerpt = '"I do not like that plan. I would never sign it," the mayor said.'
    story = _story(Article("a", lead + long_a, "a.txt", outlet="Island Post", published=date(2025, 4, 9)),
                   Article("b", lead + long_b, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9)),
                   Article("c", lead + excerpt, "c.txt", outlet="Skarn Courier", published=date(2025, 4, 9)))
    reworded = [f for f in story.findings if f.kind == "conflict" and f.subkind == "wording"]
    assert reworded and reworded[0].severity == "major"
    agreed = [f for f in story.findings if f.kind == "corroborated" and f.subkind == "statement"
              and any("never sign it" in e.text for e in f.evidence)]
    assert agreed
    # only the shared passage of a reworded quotation is cited, never the changed words
    cited = {e.article_id: e.text for f in agreed for e in f.evidence}
    assert all("any service" not in t and "anything" not in t for t in cited.values())
    assert len(cited) >= 2


def _date_conflicts(a_text: str, a_day: date, b_text: str, b_day: date):  # type: ignore[no-untyped-def]
    story = _story(Article("a", a_text, "a.txt", outlet="Island Post", published=a_day),
                   Article("b", b_text, "b.txt", outlet="Harbour Daily", published=b_day))
    return [f for f in story.findings if f.kind == "conflict" and f.subkind == "date"]


MEETING_A = ("Mayor Ana Lind and Governor Omar Reyes met at the ferry terminal in Skarn on {day} to discuss "
             "the closure of the island route, officials said.")
MEETING_B = ("Governor Omar Reyes and Mayor Ana Lind met in Skarn on {day}, and the island ferry route was "
             "the main subject of their talks.\n\nThe route loses money every winter.")


def test_an_event_after_the_other_article_was_published_is_another_event():  # type: ignore[no-untyped-def]
    # Sunday 7 December in an article of the 8th; Thursday 11 December in an article of the 12th:
    # the first article could not have told of Thursday's meeting
    assert not _date_conflicts(MEETING_A.format(day="Sunday"), date(2025, 12, 8),
                               MEETING_B.format(day="Thursday"), date(2025, 12, 12))
    # both articles written after both days: one meeting dated two ways
    assert _date_conflicts(MEETING_A.format(day="Sunday"), date(2025, 12, 12),
                           MEETING_B.format(day="Thursday"), date(2025, 12, 12))


def test_two_days_given_to_two_acts_are_no_conflict():  # type: ignore[no-untyped-def]
    day = date(2025, 12, 12)
    # one act on two days: a conflict
    assert _date_conflicts(MEETING_A.format(day="Sunday"), day, MEETING_B.format(day="Thursday"), day)
    # two acts, each with its day: none
    assert not _date_conflicts(
        "Mayor Ana Lind closed the ferry terminal in Skarn on Friday to discuss the island route, officials said.",
        day, "Mayor Ana Lind inspected the ferry terminal in Skarn on Thursday, and the island route was the main "
        "subject.", day)


def test_two_lengths_in_different_units_are_no_conflict():  # type: ignore[no-untyped-def]
    a = ("The council agreed on Friday to reopen the Skarn ferry route for three weeks while talks go on.\n\n"
         "The mayor welcomed the deal.")
    b = ("The Skarn ferry route, closed for more than a month, will reopen while talks go on, the council "
         "agreed on Friday.")
    assert not _figures(_two(a, b))
    # negative: one length in one unit, told two ways
    c = ("The Skarn ferry route, closed for more than five weeks, will reopen while talks go on, the council "
         "agreed on Friday.")
    d = ("The council agreed on Friday to reopen the Skarn ferry route, closed for three weeks, while talks go on."
         "\n\nThe mayor welcomed the deal.")
    assert _figures(_two(d, c))


def test_a_sentence_telling_the_first_value_and_the_new_one_is_no_conflict():  # type: ignore[no-untyped-def]
    a = "The Harbour Trust made an offer of $16 million for the Skarn ferry line last week, the mayor said."
    b = ("The Harbour Trust raised its first offer for the Skarn ferry line, $16 million, to $19 million last "
         "week, the mayor said.")
    assert not _figures(_two(a, b))
    # negative: another sum for the one offer
    c = "Last week the mayor said the Harbour Trust had made a $19 million offer for the ferry line to Skarn."
    assert _figures(_two(a, c))


def test_counts_of_two_things_are_no_conflict():  # type: ignore[no-untyped-def]
    a = ("Ana Lind, 34, was walking home in Skarn with one of her 12 children when the shots were fired on "
         "Friday, police said.")
    b = ("Police said on Friday that Ana Lind, 34, was shot in Skarn by a gunman who was one of 8 harbour "
         "workers on the quay.")
    assert not _figures(_two(a, b))
    # negative: "people" counts any people
    c = "Police said on Friday that at least five people were hurt when the ferry struck the quay in Skarn."
    d = "The ferry struck the quay in Skarn on Friday and three harbour workers were hurt, police said."
    assert _figures(_two(c, d))


def test_a_figure_never_joins_two_named_owners_through_an_unowned_third():  # type: ignore[no-untyped-def]
    day = date(2025, 4, 11)
    a = ("Governor Omar Reyes on Friday released his most recent eight years of tax returns, showing that "
         "he earned $2 million in that time.")
    b = ("The Reyes campaign on Friday put out a statement from his doctor, along with eight years of tax "
         "returns showing the governor paid most of his taxes.")
    c = ("Governor Omar Reyes published his tax returns on Friday.\n\nThe release comes a month after his "
         "rival, Senator Ana Lind, released 33 years of tax returns, showing her wealth.")
    story = _story(Article("a", a, "a.txt", outlet="Island Post", published=day),
                   Article("b", b, "b.txt", outlet="Harbour Daily", published=day),
                   Article("c", c, "c.txt", outlet="Skarn Courier", published=day))
    assert not [f for f in story.findings if f.kind == "conflict" and f.subkind == "figure"]


def test_copies_of_an_article_compare_each_pair_of_wordings_once(monkeypatch):  # type: ignore[no-untyped-def]
    import importlib

    statements = importlib.import_module("storyline.reconcile.statements")
    real = statements.same_statement
    calls: list[int] = []

    def counted(fa, fb, threshold):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(fa, fb, threshold)

    monkeypatch.setattr(statements, "same_statement", counted)
    counts = []
    for copies in (3, 6):
        calls.clear()
        wire = [Article(f"w{i}", BASE, f"w{i}.txt", outlet=f"Outlet {i}", published=date(2025, 4, 9))
                for i in range(copies)]
        story = _story(*wire, Article("b", OTHER, "b.txt", outlet="Harbour Daily", published=date(2025, 4, 9)))
        corr = [f for f in story.findings if f.kind == "corroborated" and "reliable crossing" in f.about]
        assert corr and "b" in {e.article_id for e in corr[0].evidence}
        counts.append(len(calls))
    assert counts[0] == counts[1] > 0  # more copies, no more comparisons
