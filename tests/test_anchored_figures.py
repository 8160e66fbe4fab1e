"""Two counts of one statistic told with different nouns: a figure both sentences give exactly
ties them to one quantity, and their other values then disagree."""

from __future__ import annotations

import pytest

from outlets import one_story

LEADS = ("Ferry use on the Skarn crossing keeps falling, the island's harbour office said on Monday.\n\n",
         "The harbour office of Skarn published its yearly report on the island ferry on Monday.\n\n")


def _figure_conflicts(a_text: str, b_text: str) -> list[list[str]]:
    story = one_story(LEADS[0] + a_text, LEADS[1] + b_text)
    return [[e.text for e in f.evidence] for f in story.findings if f.kind == "conflict" and f.subkind == "figure"]


@pytest.mark.parametrize(
    ("a_text", "b_text", "expected"),
    [
        # one statistic, two nouns, one shared baseline: the current values differ
        ("There were roughly 52,000 crossings last year, about a third of the 160,000 crossings made in 2010.",
         "Ferry trips have fallen steadily, to 40,000 last year from a peak of 160,000 in 2010.",
         [["roughly 52,000 crossings", "40,000"]]),
        # negatives: no figure in common; a baseline too small to tell one thing; values far apart
        ("There were roughly 52,000 crossings last year, about a third of the 150,000 crossings made in 2010.",
         "Ferry trips have fallen steadily, to 40,000 last year from a peak of 160,000 in 2010.", []),
        ("There were roughly 52,000 crossings last year on the 4 boats that served the island in 2010.",
         "Ferry trips have fallen steadily, to 40,000 last year with 4 boats in service.", []),
        ("There were roughly 152,000 crossings last year, about the 160,000 crossings made in 2010.",
         "Ferry trips have fallen steadily, to 40,000 last year from a peak of 160,000 in 2010.", []),
    ],
)
def test_a_shared_figure_ties_two_counts_to_one_statistic(a_text, b_text, expected):  # type: ignore[no-untyped-def]
    assert _figure_conflicts(a_text, b_text) == expected
