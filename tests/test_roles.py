"""Titles of one person across outlets: same, variant, former vs current, rank, unrelated."""

from __future__ import annotations

import pytest

from storyline.reconcile.roles import compare_titles


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("harbour master", "Harbour Master", "same"),
        ("CEO", "chief executive", "same"),
        ("attorney", "lawyer", "same"),
        ("Minority Leader", "House Minority Leader", "variant"),
        ("GOP leader", "Republican leader", "variant"),
        ("former chief executive of Talvo Shipping", "chief executive of Talvo Shipping", "former"),
        ("former Talvo Shipping executive", "CEO of Talvo Shipping", "former"),
        ("port police official", "former senior official at the port police", "former"),
        ("head of operations", "Director of Operations", "rank"),
        # "outgoing" is the current holder; a word of a body's name is not the post's domain
        ("outgoing chairman of the Harbour Board", "chairman of the Harbour Board", "variant"),
        ("chairman of the National Economic Council", "economic adviser", "unrelated"),
        # an honorific is kept for a past office holder
        ("former President", "President", "unrelated"),
        ("former Prime Minister", "Prime Minister", "unrelated"),
        # two roles that both hold
        ("Senator", "Majority Leader", "unrelated"),
        ("aide", "communications director", "unrelated"),
        ("former governor", "Senate candidate", "unrelated"),
        ("Representative", "Minority Leader", "unrelated"),
    ],
)
def test_compare_titles(a, b, expected):  # type: ignore[no-untyped-def]
    assert compare_titles(a, b) == expected
    assert compare_titles(b, a) == expected
