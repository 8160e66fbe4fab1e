"""Numbers in digits and words."""

from __future__ import annotations

import pytest

from storyline.extract.timex import parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100", 100),
        ("1,000", 1000),
        ("2.5", 2.5),
        ("three", 3),
        ("twenty-five", 25),
        ("two hundred fifty", 250),
        ("three million", 3_000_000),
        ("1.5 million", 1_500_000),
        ("3.5m", 3_500_000),
        ("a dozen", 12),
        ("020 7946 0018", None),
        ("five five", None),
        ("first", None),
        ("a", None),
    ],
)
def test_parse_number(text, expected):  # type: ignore[no-untyped-def]
    assert parse_number(text) == expected
