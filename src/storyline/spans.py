"""Character ranges of one text already taken, and whether a new range meets one of them.

The extractors keep the first of two overlapping matches (a sum of money before a bare count,
a rule's date before the entity recogniser's). Scanning every kept range for each new one is
quadratic in the length of the text (a 900,000-character article: ~50 CPU s of the extractors);
a mask of the characters taken answers each question in the length of the range asked about.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["Occupied"]


class Occupied:
    """Ranges ``[start, end)`` added so far; :meth:`meets` is ``any(s < end and start < e ...)``
    over them, exactly, for empty, reversed and negative ranges too."""

    __slots__ = ("_mask", "_odd", "_ranges")

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()) -> None:
        self._mask = bytearray()
        self._ranges: list[tuple[int, int]] = []  # every range, for the exact scan
        self._odd = False  # an empty, reversed or negative range was added: only the exact scan sees it
        for start, end in ranges:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        self._ranges.append((start, end))
        if start < 0 or end <= start:
            self._odd = True
            return
        if end > len(self._mask):
            self._mask.extend(bytes(end - len(self._mask)))
        self._mask[start:end] = b"\x01" * (end - start)

    def meets(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` overlaps a range added before (``s < end and start < e``)."""
        if self._odd or start < 0 or end <= start:
            return any(s < end and start < e for s, e in self._ranges)
        # two non-empty ranges overlap exactly when they share a character
        return self._mask.find(1, start, end) != -1
