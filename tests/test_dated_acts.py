"""One act that outlets date alike, told in sentences built differently: corroborated by the act's
verb and its day, unless a third outlet tells the same act on another day."""

from __future__ import annotations

import pytest

from outlets import one_story

#: Each outlet's own opening: alike enough to form one story, not a shared passage (copies of one
#: text are one source and corroborate nothing).
LEADS = ("The Skarn island council has argued for months over the harbour budget and the ferry subsidy.\n\n",
         "Mayor Ana Lind's ferry subsidy split the island council of Skarn all spring.\n\n",
         "Skarn's harbour budget, and the subsidy for the island ferry in it, divided councillors.\n\n")


def _dated_corroborations(*texts: str) -> list[str]:
    story = one_story(*(lead + t for lead, t in zip(LEADS, texts, strict=False)))
    return [f.about for f in story.findings if f.kind == "corroborated" and f.subkind == "date"]


@pytest.mark.parametrize(
    ("a_text", "b_text", "corroborated"),
    [
        # one act, one day, two ways of telling it
        ("Meeting late into the night, the council approved the budget on Thursday.",
         "After a session in which members traded insults over the subsidy, the plan was approved Thursday "
         "evening by a narrow vote.", True),
        ("Ferry crews walked out on Monday morning, stranding hundreds of commuters.",
         "The strike began when the crews, angry about pay, walked out on Monday.", True),
        # negatives: another day; a verb of saying; two people acting on one day
        ("Meeting late into the night, the council approved the budget on Thursday.",
         "After a session in which members traded insults over the subsidy, the plan was approved Friday "
         "evening by a narrow vote.", False),
        ("Mayor Ana Lind said on Thursday that the island could not afford the ferry.",
         "Speaking to reporters, a harbour official said Thursday the subsidy was safe.", False),
        ("Mayor Ana Lind resigned on Thursday after the vote.",
         "Councillor Omar Reyes, who led the opposition to the subsidy, resigned Thursday.", False),
    ],
)
def test_one_act_dated_alike_is_corroborated(a_text, b_text, corroborated):  # type: ignore[no-untyped-def]
    assert bool(_dated_corroborations(a_text, b_text)) is corroborated


def test_a_third_outlet_telling_the_act_on_another_day_withholds_it():  # type: ignore[no-untyped-def]
    a = "Meeting late into the night, the council approved Mayor Ana Lind's harbour budget on Thursday."
    b = "After a session in which members traded insults over the subsidy, the plan was approved Thursday evening."
    # the same vote under another verb, on another day, in a sentence built around the mayor
    c = "Mayor Ana Lind watched from the gallery on Wednesday as councillors voted 7-2 to keep her harbour budget."
    assert _dated_corroborations(a, b)
    assert not _dated_corroborations(a, b, c)
