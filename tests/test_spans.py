"""``Occupied`` answers exactly what the scan over every kept range answers."""

from __future__ import annotations

import random

import pytest

from storyline.spans import Occupied


def scan(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in ranges)


@pytest.mark.parametrize(("ranges", "query", "expected"), [
    ([(5, 10)], (0, 5), False),      # touching on the left
    ([(5, 10)], (10, 12), False),    # touching on the right
    ([(5, 10)], (9, 12), True),
    ([(5, 10)], (0, 6), True),
    ([(5, 10)], (6, 7), True),       # inside
    ([(5, 10)], (0, 20), True),      # around
    ([(5, 10)], (7, 7), True),       # an empty range strictly inside
    ([(5, 10)], (5, 5), False),      # an empty range at the edge
    ([(5, 5)], (0, 10), True),       # an empty range kept inside the question
    ([(5, 5)], (5, 10), False),
    ([], (0, 3), False),
    ([(0, 3), (20, 30)], (3, 20), False),
    ([(0, 3), (20, 30)], (3, 21), True),
])
def test_meets(ranges: list[tuple[int, int]], query: tuple[int, int], expected: bool) -> None:
    taken = Occupied(ranges)
    assert taken.meets(*query) is expected
    assert scan(ranges, *query) is expected


def test_random_ranges_agree_with_the_scan() -> None:
    rng = random.Random(7)
    for _ in range(300):
        taken, ranges = Occupied(), []
        for _ in range(rng.randrange(0, 12)):
            start = rng.randrange(-3, 60)
            end = start + rng.randrange(-2, 15)
            if rng.random() < 0.5:
                assert taken.meets(start, end) is scan(ranges, start, end), (ranges, start, end)
            taken.add(start, end)
            ranges.append((start, end))
