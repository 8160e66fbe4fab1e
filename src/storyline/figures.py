"""Figures as intervals, and whether two outlets' figures for one quantity agree.

A claim's value (formats in :mod:`storyline.extract.claims`) says more than a number: "about
10,000" allows 9,000 to 11,000, "more than 200" anything above 200, "dozens" 24 to 99. Two
figures for the same quantity are compared as the intervals their words allow:

* ``same``: the same number with the same hedge;
* ``variant``: compatible wordings of one figure: a rounding ("$1.4 billion" for $1.375 billion,
  "about 10,000" for 10,200), a conversion, a month for a day in it;
* ``minor``: the same number hedged differently ("$250,000" vs "more than $250,000"), cut
  down rather than rounded ("$43 million" for $43,885,310), or two bounds of one kind on
  different numbers ("more than 26,000" vs "more than 31,000");
* ``conflict``: the intervals cannot both hold ("dozens" vs "more than 200"; 1 vs 5 dead;
  $3.5 billion vs $3.6 billion);
* ``incomparable``: different units or kinds.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Figure", "compare", "parse_figure"]

#: How far below a figure a cut-down wording of it may be ("$43 million" for $43.9 million, not
#: "$5 billion" for $5.7 billion).
TRUNCATED = 0.05
#: Two bounds of one kind ("more than 26,000" / "more than 31,000") this far apart are two
#: figures, not one hedged twice.
BOUNDS_APART = 0.1
#: How far "nearly X" reaches below X.
NEARLY = 0.1
_BIG = 1e18
_PREFIX = re.compile(r"^(<=|>=|~|<|>)?")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([YMWDHS])")
#: Days per unit of an ISO duration (months and years averaged: only order matters here).
_DAYS = {"Y": 365.25, "M": 30.44, "W": 7.0, "D": 1.0}
_SECONDS = {"H": 3600.0, "M": 60.0, "S": 1.0}


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure's value as the interval [low, high] its words allow, in ``unit``."""

    kind: str
    unit: str
    amount: float  # the number as written (the low end of a range)
    qualifier: str  # "" | "~" | "<" | "<=" | ">" | ">=" | ".." (a range or a vague quantity)
    low: float
    high: float
    precision: float  # the place value of the last significant digit as written (1000 for "52,000")


def _precision(number: str) -> float:
    """The rounding step a number is written to: "3.6" -> 0.1, "52,000" -> 1000, "7" -> 1."""
    digits = number.replace(",", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".", 1)[1])
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


def _interval(qualifier: str, x: float, precision: float) -> tuple[float, float]:
    if qualifier == "~":
        # "about 10,000" is 10,000 rounded: it covers what rounds to it ("some 16" is not 15)
        spread = precision / 2
        return x - spread, x + spread
    if qualifier == "<":  # nearly, almost, fewer than
        return x - abs(x) * NEARLY, x
    if qualifier == "<=":
        return 0.0, x
    if qualifier == ">":
        return x, _BIG
    if qualifier == ">=":
        return x, _BIG
    return x, x


def parse_figure(kind: str, value: str) -> Figure | None:
    """The interval a claim's value stands for; ``None`` for values that are not figures."""
    value = value.strip()
    if kind in ("count", "percent", "measure", "money", "duration"):
        qualifier = _PREFIX.match(value).group(1) or ""  # type: ignore[union-attr]
        rest = value[len(qualifier):]
        unit = ""
        if kind == "money":
            first = rest.split(" = ")[0]
            if " " not in first:
                return None
            unit, rest = first.split(" ", 1)
        elif kind == "measure":
            if " " not in rest:
                return None
            rest, unit = rest.split(" ", 1)
        elif kind == "duration":
            ago = rest.endswith(" ago")
            rest = rest.removesuffix(" ago")
            days = _duration_days(rest)
            if days is None:
                return None
            unit = "days ago" if ago else "days"
            # the unit as written sets the precision: "four years" is good to a year
            step = _duration_days(re.sub(r"\d+(?:\.\d+)?", "1", rest)) or 1.0
            low, high = _interval(qualifier, days, step)
            return Figure(kind, unit, days, qualifier, low, high, step)
        elif kind == "percent":
            unit = "%"
        if ".." in rest:
            a, _, b = rest.partition("..")
            try:
                lo, hi = float(a), float(b)
            except ValueError:
                return None
            return Figure(kind, unit, lo, "..", min(lo, hi), max(lo, hi), 1.0)
        try:
            x = float(rest)
        except ValueError:
            return None
        precision = _precision(rest)
        low, high = _interval(qualifier, x, precision)
        return Figure(kind, unit, x, qualifier, low, high, precision)
    if kind == "time":
        m = re.fullmatch(r"(~)?T(\d\d):(\d\d)", value)
        if not m:
            return None
        minutes = int(m.group(2)) * 60 + int(m.group(3))
        spread = 10.0 if m.group(1) else 0.0
        return Figure(kind, "minute", minutes, m.group(1) or "", minutes - spread, minutes + spread, 1.0)
    if kind == "score":
        m = re.fullmatch(r"(\d+)-(\d+)", value)
        if not m:
            return None
        x, y = int(m.group(1)), int(m.group(2))
        code = float(max(x, y) * 10_000 + min(x, y))  # one number per tally, either way round
        return Figure(kind, "tally", code, "", code, code, 1.0)
    return None


def _duration_days(iso: str) -> float | None:
    if not iso.startswith("P"):
        return None
    date_part, _, time_part = iso[1:].partition("T")
    total = 0.0
    found = False
    for num, unit in _DURATION_PART.findall(date_part):
        total += float(num) * _DAYS.get(unit, 0.0)
        found = True
    for num, unit in _DURATION_PART.findall(time_part):
        total += float(num) * _SECONDS.get(unit, 0.0) / 86400
        found = True
    return total if found else None


def _rounds_to(fine: Figure, coarse: Figure) -> bool:
    """``coarse`` is ``fine`` rounded to the step ``coarse`` is written to (1.375 -> 1.4)."""
    step = coarse.precision
    if step <= fine.precision:
        return False
    return math.isclose(round(fine.amount / step) * step, coarse.amount, rel_tol=1e-9, abs_tol=step * 1e-6)


def _truncates(fine: Figure, coarse: Figure) -> bool:
    """``coarse`` is ``fine`` cut down to the step ``coarse`` is written to ($43,885,310 written
    "$43 million"): a misrounding, not another figure."""
    step = coarse.precision
    if step <= fine.precision or fine.amount <= 0 or (fine.amount - coarse.amount) / fine.amount > TRUNCATED:
        return False
    return math.isclose(math.floor(fine.amount / step) * step, coarse.amount, rel_tol=1e-9, abs_tol=step * 1e-6)


def compare(a: Figure, b: Figure) -> str:
    """How two figures for one quantity relate: same | variant | minor | conflict | incomparable."""
    if a.kind != b.kind or a.unit != b.unit:
        return "incomparable"
    if a.amount == b.amount and a.qualifier == b.qualifier and a.low == b.low and a.high == b.high:
        return "same"
    overlap = a.low <= b.high and b.low <= a.high
    if a.qualifier == b.qualifier == "..":
        return "variant"  # "thousands" vs "tens of thousands": two vague wordings, not two figures
    if a.qualifier in ("", "~") and b.qualifier in ("", "~") and (_rounds_to(a, b) or _rounds_to(b, a)):
        return "variant"
    if a.qualifier in ("", "~") and b.qualifier in ("", "~") and (_truncates(a, b) or _truncates(b, a)):
        return "minor"
    if ({a.qualifier, b.qualifier} <= {">", ">="} or {a.qualifier, b.qualifier} <= {"<", "<="}) and (
            abs(a.amount - b.amount) > BOUNDS_APART * max(abs(a.amount), abs(b.amount))):
        # "more than 26,000" / "more than 31,000" dead: both can hold, but the outlets give the
        # reader different figures
        return "minor"
    if not overlap:
        return "conflict"
    if math.isclose(a.amount, b.amount) and {a.qualifier, b.qualifier} & {">", ">=", "<", "<="}:
        return "minor"  # "$250,000" vs "more than $250,000"
    if a.qualifier == b.qualifier == "" and not math.isclose(a.amount, b.amount):
        return "conflict"  # two exact numbers that differ ("12 points" vs "14 points")
    return "variant"


def compare_dates(a: str, b: str) -> str:
    """ISO dates, months or years: same | variant (one contains the other) | conflict."""
    if a == b:
        return "same"
    if a.startswith(b) or b.startswith(a):
        return "variant"
    return "conflict"
