"""The record the attribution finders hand to scoring and to speaker resolution."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from .marks import QuoteMarks


@dataclass(slots=True)
class Found:
    """One attribution as a finder saw it: the content's offsets, its kind, the cue token, the
    speaker phrase (None: continues the previous speaker) and the quotation marks it covers."""

    start: int
    end: int
    kind: str
    cue: Token | None
    speaker: Span | None
    marks: tuple[QuoteMarks, ...]
    ruled: bool = True  # what the cue reports was chosen by a rule (not one option of several)
