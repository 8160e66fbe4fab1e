"""Articles of different outlets about one event, for the tests of reconciliation steps."""

from __future__ import annotations

from datetime import date

import storyline
from storyline.models import Article
from storyline.report import Story

OUTLETS = ("Island Post", "Harbour Daily", "Skarn Courier")


def one_story(*texts: str, published: date = date(2025, 4, 9)) -> Story:
    """The one story ``texts`` form, each the article of another outlet published that day."""
    articles = [Article(chr(ord("a") + i), text, f"{chr(ord('a') + i)}.txt", outlet=OUTLETS[i], published=published)
                for i, text in enumerate(texts)]
    report = storyline.analyze(articles)
    assert len(report.stories) == 1
    return report.stories[0]


def chained_sources() -> list[Article]:
    """Two outlets each reporting two stories, one story's two reports copies of each other: a
    chain a ~ b (one outlet) ~ c (a copy) ~ d (one outlet) across the two stories (a, d: a bridge
    opened; b, c: a transfer)."""
    day = date(2025, 4, 9)
    transfer = ("Striker Joao Pimenta signed a three-year contract with Porto Alegre on Monday, the club said, "
                "ending weeks of talks with his former team over the fee and the length of the deal.")
    return [Article("a", "Mayor Ilse Varga opened the new Grenzbach bridge on Monday after two years of building "
                         "work that closed the river road to traffic.", "a.txt", outlet=OUTLETS[0], published=day),
            Article("b", transfer, "b.txt", outlet=OUTLETS[0], published=day),
            Article("c", transfer + " He is 24.", "c.txt", outlet=OUTLETS[1], published=day),
            Article("d", "Engineers handed the Grenzbach crossing to the town on Monday; mayor Ilse Varga cut the "
                         "ribbon before the first buses drove over the river.", "d.txt", outlet=OUTLETS[1],
                    published=day)]
