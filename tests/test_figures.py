"""Figures as intervals: when two outlets' figures for one quantity agree, differ slightly, or conflict."""

from __future__ import annotations

import pytest

from storyline.figures import compare, compare_dates, parse_figure


@pytest.mark.parametrize(
    ("kind", "a", "b", "expected"),
    [
        ("count", "12", "12", "same"),
        ("count", "12", "14", "conflict"),  # two exact numbers
        ("count", "1", "5", "conflict"),
        ("count", "24..99", ">200", "conflict"),  # dozens vs more than 200
        ("count", "24..99", "40", "variant"),  # dozens vs 40
        ("count", "2000..9999", "20000..99999", "variant"),  # thousands vs tens of thousands
        ("count", "~16", "15", "conflict"),  # some 16 vs 15
        ("count", "~10000", "10200", "variant"),  # rounding
        ("count", "~520000", "400000", "conflict"),
        ("count", ">=5", "7", "variant"),  # at least five, then seven
        ("count", ">=5", "3", "conflict"),
        ("count", "<100", "95", "variant"),  # nearly 100
        ("count", "<100", "60", "conflict"),
        ("count", "<=12", "10", "variant"),  # up to 12
        ("money", "USD 250000", ">USD 250000", "minor"),
        ("money", "~USD 60000", ">USD 60000", "minor"),
        ("money", "USD 3500000000", "~USD 3600000000", "conflict"),
        ("money", "USD 5600000000", "USD 5700000000", "conflict"),
        ("money", "USD 1375000000", "USD 1400000000", "variant"),  # $1.4 billion is $1.375 billion rounded
        ("money", "USD 43885310", "USD 43000000", "minor"),  # cut down, not rounded
        ("money", "USD 43885310", "USD 42000000", "conflict"),
        ("money", "USD 5700000000", "USD 5000000000", "conflict"),  # too far below to be a cut-down 5.7
        ("count", ">26000", ">31000", "minor"),  # two floors for one toll
        ("count", "<=20", "<50", "minor"),
        ("count", ">200", ">=210", "variant"),  # one floor, worded twice
        ("money", "USD 1000 = GBP 770", "USD 1000", "same"),
        ("money", "USD 1000", "GBP 770", "incomparable"),
        ("percent", "45", "~45", "variant"),
        ("percent", "45", "52", "conflict"),
        ("duration", "P4Y", "P3Y", "conflict"),
        ("duration", "P12W ago", "~P6W ago", "conflict"),
        ("duration", "P2Y", "P24M", "variant"),
        ("duration", "P12W ago", "P12W", "incomparable"),  # time passed vs a span
        ("time", "~T01:30", "~T01:00", "conflict"),
        ("time", "T01:30", "~T01:35", "variant"),
        ("score", "396-9", "9-396", "same"),
        ("score", "396-9", "395-9", "conflict"),
        ("measure", "6.6 pound", "3 kg", "incomparable"),
    ],
)
def test_compare(kind, a, b, expected):  # type: ignore[no-untyped-def]
    fa, fb = parse_figure(kind, a), parse_figure(kind, b)
    assert fa is not None and fb is not None
    assert compare(fa, fb) == expected
    assert compare(fb, fa) == expected


@pytest.mark.parametrize("value", ["", "USD", "abc", "P", "T1:3", "1-2-3"])
def test_unreadable_values(value):  # type: ignore[no-untyped-def]
    for kind in ("count", "money", "duration", "time", "score"):
        assert parse_figure(kind, value) is None


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("2011-11-01", "2011-11-01", "same"), ("2011-11", "2011-11-01", "variant"),
     ("2011-11-01", "2011-11-02", "conflict"), ("2018", "2019", "conflict")],
)
def test_compare_dates(a, b, expected):  # type: ignore[no-untyped-def]
    assert compare_dates(a, b) == expected
