"""Content terms of each sentence: what reconciliation compares when it aligns facts across outlets.

A term is the lower-cased lemma of a content word (noun, proper noun, verb, adjective, adverb,
number) that is not a stop word. Numbers keep their digits so that "12 points" and "14 points"
share "point" but not the figure; reconciliation compares figures through claims, not terms.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

__all__ = ["sentence_terms", "span_terms"]

_CONTENT = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "ADV", "NUM"})


def span_terms(span: Span) -> tuple[str, ...]:
    """The content lemmas of ``span`` in text order (duplicates kept)."""
    out = []
    for tok in span:
        if tok.pos_ not in _CONTENT or tok.is_stop or tok.is_punct or not any(c.isalnum() for c in tok.text):
            continue
        lemma = (tok.lemma_ or tok.text).lower().strip()
        if lemma:
            out.append(lemma)
    return tuple(out)


def sentence_terms(doc: Doc) -> Iterator[tuple[str, ...]]:
    """One tuple of content lemmas per sentence of ``doc``, in the order of ``doc.sents``."""
    for sent in doc.sents:
        yield span_terms(sent)
