"""One exact figure, large enough to be told of one thing only, given by two outlets in sentences
built differently: a sign that the two tell one quantity (reconcile.facts ``same_value``)."""

from __future__ import annotations

import pytest

from outlets import one_story

LEADS = ("The Skarn harbour wall will be rebuilt after the winter storms, the island council said on Monday.\n\n"
         "Work on the ferry pier will cost $2 million and the new breakwater $3 million.\n\n",
         "Skarn's council approved the rebuilding of the harbour wall on Monday after the storms.\n\n"
         "The council also set aside $5 million for the breakwater and $1 million for the pier.\n\n")


def _corroborated_figures(a_text: str, b_text: str) -> list[list[str]]:
    story = one_story(LEADS[0] + a_text, LEADS[1] + b_text)
    return [[e.text for e in f.evidence] for f in story.findings
            if f.kind == "corroborated" and f.subkind == "figure"]


@pytest.mark.parametrize(
    ("a_text", "b_text", "expected"),
    [
        # one sum, told in two differently built sentences
        ("The total cost of the harbour wall will now come to about $84 million, partly paid by the state.",
         "Counting the state grant, the island would have about $84 million in all for barriers.",
         [["$84 million", "$84 million"]]),
        ("The total cost of the harbour wall will now come to about $84 million.",
         "With the grant approved in March, the island would have about $84 million in all.",
         [["$84 million", "$84 million"]]),
        # two sums of different size in those sentences: nothing told alike
        ("The total cost of the harbour wall will now come to about $84 million, partly paid by the state.",
         "Counting the state grant, the island would have about $61 million in all for barriers.", []),
        ("The total cost of the harbour wall will now come to about $84 million.",
         "With the grant approved in March, the island would have about $61 million in all.", []),
    ],
)
def test_one_exact_figure_ties_two_sentences(a_text, b_text, expected):  # type: ignore[no-untyped-def]
    assert [f for f in _corroborated_figures(a_text, b_text) if "$84 million" in f] == expected


@pytest.mark.parametrize(
    ("a_text", "b_text", "single"),
    [
        # the figure is told alike in sentences one corroboration cites: not single-source
        ("The total cost of the wall will now come to about $84 million, partly paid by the state.",
         "Counting the grant approved in March, the island would have about $84 million in all for barriers.", []),
        # another figure in each: both are single-source
        ("The total cost of the wall will now come to about $84 million, partly paid by the state.",
         "Counting the grant approved in March, the island would have about $61 million in all for barriers.",
         ["$84 million", "$61 million"]),
    ],
)
def test_a_figure_a_corroboration_tells_alike_is_not_single_source(a_text, b_text, single):  # type: ignore[no-untyped-def]
    story = one_story(LEADS[0] + a_text, LEADS[1] + b_text)
    listed = [e.text for f in story.findings if f.kind == "single_source" and f.subkind == "figure"
              for e in f.evidence]
    assert [t for t in listed if t in ("$84 million", "$61 million")] == single


@pytest.mark.parametrize(
    ("a_text", "b_text", "expected"),
    [
        # a bound said not to hold limits other values; it gives none
        ("Brackwell Steel offered to rebuild the harbour wall for at least $9 million, the council said.",
         "Other firms also bid to rebuild the harbour wall, but none of their bids is for more than $9 million.",
         []),
        # a bound that holds, and "no more than" (a bound of its own), are compared
        ("Brackwell Steel offered to rebuild the harbour wall for at least $9 million, the council said.",
         "Brackwell Steel's bid to rebuild the harbour wall is for more than $14 million, the council said.",
         [["$9 million", "$14 million"]]),
        ("Brackwell Steel offered to rebuild the harbour wall for at least $9 million, the council said.",
         "Brackwell Steel's bid to rebuild the harbour wall is for no more than $6 million, the council said.",
         [["$9 million", "$6 million"]]),
    ],
)
def test_a_negated_bound_is_no_figure(a_text, b_text, expected):  # type: ignore[no-untyped-def]
    story = one_story(LEADS[0] + a_text, LEADS[1] + b_text)
    assert [[e.text for e in f.evidence] for f in story.findings if f.kind == "conflict"] == expected
