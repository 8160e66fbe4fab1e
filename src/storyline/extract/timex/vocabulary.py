"""Calendar words shared by detection and normalisation: weekdays, months and their patterns."""

from __future__ import annotations

import re

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(_MONTHS)}
MONTH_INDEX.update(
    {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
     "oct": 10, "nov": 11, "dec": 12}
)  # fmt: skip
MONTH_FULL = "|".join(_MONTHS)
MONTH_ANY = MONTH_FULL + "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
WEEKDAY_PATTERN = "|".join(WEEKDAYS)
UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
DAY_VALUE = re.compile(r"\d{4}-\d{2}-\d{2}")
