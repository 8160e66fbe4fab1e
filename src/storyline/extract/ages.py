"""How old a person is, as news writes it.

News gives the people in it an age: "Raj Lund, 59, of Westbrook", "the 41-year-old Lund",
"Lund, who is 75", "Lund is 75", "Lund, aged 41", "Lund (41)". Outlets that give one person two
ages disagree on a fact a reader checks first (:mod:`storyline.reconcile.ages`). Only these
shapes are read, after a mention of a person:

* an apposition that is only the number: "NAME, 59," / "NAME, 59." / "NAME (59)", the number
  followed by punctuation or "of", never by a noun ("Lund, 11 points" is a score);
* "NAME, aged 59" / "NAME, age 59";
* "NAME is 59" / "NAME, who is 59" / "NAME is 59 years old";
* "the 59-year-old NAME" and "NAME, a 59-year-old ..." (the hyphenated age right before or
  right after the name).

Ages run from 1 to 119; a larger number is a year or a count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from .entities import EntityIndex
from .mentions import named_people

__all__ = ["Age", "extract_ages"]

_AFTER = re.compile(
    r"(?:,\s*(?:aged?\s+)?(?P<app>\d{1,3})\s*(?=[,;)]|\.(?!\d)|\s+of\b|\s+and\b(?!\s+\d)|\s*\Z)"
    r"|\s*\((?P<par>\d{1,3})\)"
    r"|,\s*(?:a|an)\s+(?P<hy>\d{1,3})-year-old\b"
    r"|(?:,\s*who|,)?\s+(?:is|was)\s+(?P<cop>\d{1,3})(?:\s+years\s+old)?\s*(?=[,.;]|\s+and\b|\s*\Z))",
    re.IGNORECASE)
_BEFORE = re.compile(r"\b(?:the|a|an)\s+(\d{1,3})-year-old\s+(?:[A-Z][\w.'’-]*\s+){0,3}\Z")


@dataclass(frozen=True, slots=True)
class Age:
    """``entity_id`` is ``years`` old: ``text[start:end]`` is the number as written."""

    start: int
    end: int
    years: int
    entity_id: str


def _after(text: str, end: int) -> tuple[int, int, int] | None:
    m = _AFTER.match(text, end)
    if m is None:
        return None
    for group in ("app", "par", "hy", "cop"):
        if m.group(group):
            return m.start(group), m.end(group), int(m.group(group))
    return None


def _before(text: str, start: int) -> tuple[int, int, int] | None:
    lo = max(0, start - 60)
    m = _BEFORE.search(text[lo:start])
    if m is None:
        return None
    return lo + m.start(1), lo + m.end(1), int(m.group(1))


def extract_ages(doc: Doc, index: EntityIndex) -> Iterator[Age]:
    """The ages of the people of ``doc``, by the shapes of the module docstring."""
    text = doc.text
    seen: set[tuple[int, str]] = set()
    for eid, span in named_people(doc, index):
        for found in (_after(text, span.end_char), _before(text, span.start_char)):
            if found is None:
                continue
            start, end, years = found
            if 1 <= years <= 119 and (start, eid) not in seen:
                seen.add((start, eid))
                yield Age(start, end, years, eid)
