"""Numbers in digits or words ("1,000", "three million", "a dozen"), as running text writes them."""

from __future__ import annotations

import re

UNIT_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TEN_WORDS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000,
    "bn": 1_000_000_000, "tn": 1_000_000_000_000,
}  # fmt: skip
_DIGITS_RE = re.compile(r"(?:[1-9]\d{0,2}(?:,\d{3})+|[1-9]\d*|0)(?:\.\d+)?")
_NUMBER_WORD = "|".join([*UNIT_WORDS, *TEN_WORDS, "hundred", "thousand", "million", "billion", "dozen"])
#: A number in digits or words, as found in running text ("two", "twenty-five", "12").
NUMBER_PATTERN = rf"(?:\d+|(?:{_NUMBER_WORD})(?:[- ](?:{_NUMBER_WORD}))*|an?)"


def parse_number(text: str) -> float | None:
    """Read a cardinal in digits or words ("1,000", "three million", "a dozen", "1.5bn").

    Returns ``None`` for anything that is not one number, such as the digit
    groups of a phone number ("020 7946 0018").
    """
    words = [w for w in re.split(r"[\s\-]+", text.lower().strip()) if w and w != "and"]
    if not words:
        return None
    total = 0.0
    current: float | None = None
    last = ""  # kind of the previous word: digit | unit | ten | scale
    for i, word in enumerate(words):
        split = re.fullmatch(r"([\d.,]+)(k|m|mn|bn|tn)", word)
        if split:  # "3.5m" as one word
            word, suffix = split.groups()
            words.insert(i + 1, suffix)
        if _DIGITS_RE.fullmatch(word):
            if last in ("digit", "unit", "ten"):
                return None
            current = (current or 0) + float(word.replace(",", ""))
            last = "digit"
        elif word in ("a", "an"):
            if i + 1 >= len(words) or (words[i + 1] not in _SCALES and words[i + 1] != "dozen"):
                return None
            current = (current or 0) + 1
            last = "unit"
        elif word == "dozen":
            current = (current if current is not None else 1) * 12
            last = "scale"
        elif word in UNIT_WORDS:
            if last in ("digit", "unit"):
                return None
            current = (current or 0) + UNIT_WORDS[word]
            last = "unit"
        elif word in TEN_WORDS:
            if last in ("digit", "unit", "ten"):
                return None
            current = (current or 0) + TEN_WORDS[word]
            last = "ten"
        elif word in _SCALES:
            if current is None:
                return None
            scale = _SCALES[word]
            if scale == 100:
                current *= 100
            else:
                total += current * scale
                current = 0
            last = "scale"
        else:
            return None
        if i > 0 and words[i - 1] in UNIT_WORDS and words[i - 1] != "zero" and last == "ten":
            return None
    return total + (current or 0)
