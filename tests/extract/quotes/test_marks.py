"""Quotation marks paired per paragraph."""

from __future__ import annotations

import pytest

from storyline.extract.quotes import find_quotation_marks
from storyline.models import Paragraph


@pytest.mark.parametrize(("text", "expected"), [
    ('He said "yes" and "no".', ["yes", "no"]),
    ("“Curly” and “quotes”", ["Curly", "quotes"]),
    ('"Open at the end of a paragraph', ["Open at the end of a paragraph"]),
    ("No quotes here at all.", []),
    # typewriter pairs of wire and archive copy; a possessive apostrophe is no mark
    ("She said, ''We will rebuild,'' and left; ``Never again,'' he said.", ["We will rebuild", "Never again"]),
    ("The teachers' union met.", []),
])
def test_find_quotation_marks(text, expected):  # type: ignore[no-untyped-def]
    spans = find_quotation_marks(text, [Paragraph(0, len(text))])
    assert [text[s.start:s.end] for s in spans] == expected
