"""Helpers shared by the quote tests: paragraphs, extraction with offset checks, hand-built parses."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from storyline.extract.entities import build_entities
from storyline.extract.quotes import extract_quotes
from storyline.models import Paragraph

_VOCAB = spacy.blank("en").vocab  # English lexical attributes (is_punct, is_title) for hand-built parses


def paragraphs_of(text: str) -> list[Paragraph]:
    """Paragraphs split at blank lines."""
    out, pos = [], 0
    for part in text.split("\n\n"):
        out.append(Paragraph(pos, pos + len(part)))
        pos += len(part) + 2
    return out


def quotes_of(nlp, text: str):  # type: ignore[no-untyped-def]
    """The quotes of ``text`` and its entity index, each quote checked to be the exact slice at its offsets."""
    doc = nlp(text)
    index = build_entities(doc)
    quotes = list(extract_quotes(doc, index=index, paragraphs=paragraphs_of(text)))
    for q in quotes:
        assert text[q.start:q.end] == q.text
    return quotes, index


def speaker_name(index, q) -> str | None:  # type: ignore[no-untyped-def]
    """The name of the entity a quote's speaker resolved to, if any."""
    return index.by_id[q.speaker_entity_id].name if q.speaker_entity_id else None


def parsed(words: list[str], heads: list[int], deps: list[str], pos: list[str]) -> Doc:
    """A hand-built parse, as a parser was seen to produce it."""
    return Doc(_VOCAB, words=words, heads=heads, deps=deps, pos=pos)
