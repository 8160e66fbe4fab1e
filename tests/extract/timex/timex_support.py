"""Helpers shared by the time expression tests."""

from __future__ import annotations

from datetime import date

from storyline.extract.timex import extract_timexes

WED = date(2024, 10, 23)  # a Wednesday
MON = date(2025, 1, 6)  # a Monday, early in the year
LEAP_FRI = date(2024, 3, 1)  # a Friday after 29 February
NEW_YEARS_EVE = date(2023, 12, 31)  # a Sunday, last day of ISO week 2023-W52


def timexes_of(nlp, text, reference):  # type: ignore[no-untyped-def]
    """(text, type, value) of each expression found, each checked to be the exact slice at its offsets."""
    doc = nlp(text)
    found = list(extract_timexes(doc, reference=reference))
    for tx in found:
        assert doc.text[tx.start : tx.end] == tx.text
    return [(tx.text, tx.type, tx.value) for tx in found]
