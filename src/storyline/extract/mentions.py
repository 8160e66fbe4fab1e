"""Where a document names its people: the spans the person-fact readers (residence, age) start from."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from .entities import EntityIndex

__all__ = ["named_people"]

#: Mentions that write a person's name (not a pronoun or a description).
NAME_KINDS = frozenset({"name", "surname", "honorific"})


def named_people(doc: Doc, index: EntityIndex) -> Iterator[tuple[str, Span]]:
    """(entity id, span) for every mention of a person by name, in the index's order."""
    for ent in index.entities:
        if ent.type != "PERSON":
            continue
        for mention in ent.mentions:
            if mention.kind not in NAME_KINDS:
                continue
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is not None:
                yield ent.id, span
