"""Personal names: one person's spellings match, different people's do not (invented names)."""

from __future__ import annotations

import pytest

from storyline.names import given_names_match, name_gender, parse_name, same_person

SAME = [
    ("Harold J. Pemberton", "Harold Pemberton"),  # middle initial
    ("Harold J. Pemberton", "Harold James Pemberton"),
    ("Sen. Harold Pemberton", "Harold Pemberton"),  # title
    ("Mr. Pemberton", "Harold Pemberton"),  # surname alone
    ("Jim Okafor", "James Okafor"),  # hypocoristic given name
    ("Bill Varga", "William Varga"),
    ("Mike Delacroix", "Michael Delacroix"),
    ("Liz Morrow", "Elizabeth Morrow"),
    ("Rosalind \u201cRoz\u201d Tembo", "Roz Tembo"),  # nickname in quotation marks
    ("Rosalind (Roz) Tembo", "Roz Tembo"),  # ... or in parentheses
    ("Gerald \"Iron Hand\" Voss", "Iron Hand Voss"),  # a nickname written as the given name
    ("Rosalind \u201cRoz\u201d Tembo", "Roz"),  # the nickname alone
    ("Muammar Haddadi", "Moammar Khaddadi"),  # transliterations
    ("Yusuf al-Qarni", "Yusuf Karni"),
    ("Oleksandr Zelinskyy", "Zelinsky"),
    ("Ana Mar\u00eda Ib\u00e1\u00f1ez", "Ana Maria Ibanez"),  # accents
    ("Pedro Alvarado Jr.", "Pedro Alvarado Jr"),
]
DIFFERENT = [
    ("Mary Haldane", "Liz Haldane"),  # a family: one surname, two people
    ("Harold Pemberton", "Harriet Pemberton"),
    ("Peter Q. Lund", "Peter R. Lund"),  # different middle initials
    ("Pedro Alvarado Jr.", "Pedro Alvarado"),  # father and son
    ("Pedro Alvarado Jr.", "Pedro Alvarado Sr."),
    ("Kevin Marsh", "Kelvin Marsh"),
    ("Bill Varga", "Bob Varga"),  # two nicknames of one full name are not one person
    ("Harold Pemberton", "Harold Pembroke"),
    ("Ana Lind", "Ana Lund"),
    ("Roz", "Harold Pemberton"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_same_person(a: str, b: str) -> None:
    assert same_person(parse_name(a), parse_name(b))
    assert same_person(parse_name(b), parse_name(a))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_people(a: str, b: str) -> None:
    assert not same_person(parse_name(a), parse_name(b))
    assert not same_person(parse_name(b), parse_name(a))


@pytest.mark.parametrize(("text", "given", "middles", "surname", "suffix", "nicks"), [
    ("Sen. Harold J. Pemberton Jr.", "harold", ("j",), "pemberton", "jr", ()),
    ("Rosalind \u201cRoz\u201d Tembo", "rosalind", (), "tembo", "", ("roz",)),
    ("Pemberton", "", (), "pemberton", "", ()),
    ("Ludwig van der Berg", "ludwig", (), "van der berg", "", ()),
    ("Former President Ana Lind", "ana", (), "lind", "", ()),
])
def test_parse_name(text: str, given: str, middles: tuple[str, ...], surname: str, suffix: str,
                    nicks: tuple[str, ...]) -> None:
    n = parse_name(text)
    assert (n.given, n.middles, n.surname, n.suffix, n.nicknames) == (given, middles, surname, suffix, nicks)


@pytest.mark.parametrize(("a", "b", "same"), [
    ("Jim", "James", True), ("J", "James", True), ("Bob", "Robert", True), ("Ted", "Edward", True),
    ("Jim", "John", False), ("K", "James", False), ("Mary", "Martha", False),
])
def test_given_names(a: str, b: str, same: bool) -> None:
    assert given_names_match(a, b) is same


@pytest.mark.parametrize(("given", "gender"), [
    ("Margaret", "f"), ("Harold", "m"), ("Peggy", "f"), ("Bill", "m"),
    ("Jordan", None),  # given to many of both sexes
    ("Xq", None), ("", None),
])
def test_name_gender(given: str, gender: str | None) -> None:
    assert name_gender(given) == gender
