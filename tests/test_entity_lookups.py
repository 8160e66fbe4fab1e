"""The entity index's and the attributor's lookups answer what a scan of every entry answers:
they bisect so that a long article's thousands of cues do not each read all its mentions."""

from __future__ import annotations

import random

import spacy

from storyline.extract.entities import EntityIndex
from storyline.extract.quotes.speakers import Attributor
from storyline.models import Entity, Mention, Paragraph


def scan_entity_in(timeline: list[tuple[int, int, str, str, str | None]], start: int, end: int) -> str | None:
    best: tuple[int, str] | None = None
    for s, e, eid, typ, _ in timeline:
        if s < end and start < e:
            score = (2 if typ == "PERSON" else 1) * 1000 - abs(e - end)
            if best is None or score > best[0]:
                best = (score, eid)
    return best[1] if best else None


def scan_persons_before(timeline: list[tuple[int, int, str, str, str | None]], pos: int) -> list[tuple[int, str]]:
    return [(s, eid) for s, e, eid, typ, _ in reversed(timeline) if e <= pos and typ == "PERSON"]


def random_index(rng: random.Random) -> EntityIndex:
    timeline = []
    for k in range(rng.randrange(0, 25)):
        start = rng.randrange(0, 300)
        timeline.append((start, start + rng.randrange(1, 30), f"e{k % 6}", rng.choice(["PERSON", "ORG", "GPE"]), None))
    timeline.sort()
    return EntityIndex([], timeline, {})


def test_entity_in_and_persons_before_agree_with_a_scan() -> None:
    rng = random.Random(11)
    for _ in range(300):
        index = random_index(rng)
        for _ in range(10):
            start = rng.randrange(0, 330)
            end = start + rng.randrange(0, 40)
            assert index.entity_in(start, end) == scan_entity_in(index.timeline, start, end)
            assert [(s, eid) for s, eid, _g in index.persons_before(start)] == \
                scan_persons_before(index.timeline, start)


def test_lookups_follow_a_growing_timeline() -> None:
    ent = Entity("e1", "Ada Novak", "PERSON", ("Ada Novak",), (Mention(10, 19, "Ada Novak", "name"),))
    index = EntityIndex([ent], [(10, 19, "e1", "PERSON", None)], {"e1": ent})
    assert index.entity_in(100, 110) is None and [s for s, *_ in index.persons_before(200)] == [10]
    index.add_mention("e1", Mention(100, 140, "the harbour master's deputy", "description"))
    assert index.entity_in(130, 131) == "e1"  # a longer mention than any before it
    assert [s for s, *_ in index.persons_before(200)] == [100, 10]
    assert [s for s, *_ in index.persons_before(139)] == [10]


def test_para_of_is_the_paragraph_holding_the_character() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp("One two three.\n\nFour five.\n\nSix.")
    paragraphs = [Paragraph(0, 14), Paragraph(16, 26), Paragraph(28, 32)]
    att = Attributor(doc, EntityIndex([], [], {}), paragraphs)
    assert [att.para_of(c) for c in (0, 13, 14, 15, 16, 25, 26, 30, 31, 99)] == [0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
