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
