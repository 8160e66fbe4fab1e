"""Per-article analysis: long texts are parsed in pieces with offsets kept exact."""

from __future__ import annotations

import importlib

import pytest

from storyline.analyze import analyze_batch, pieces
from storyline.clean import clean
from storyline.ingest import read_article_text
from storyline.models import Analysis
from storyline.options import Options


@pytest.mark.parametrize(("text", "size"), [
    ("short", 10),
    ("one\ntwo\nthree\nfour\n", 9),
    ("a paragraph without any line break at all", 12),
    ("x" * 50, 7),  # no break and no space: cut anywhere
    ("line one\n" + "word " * 30 + "\nlast", 20),
])
def test_pieces_join_back_and_fit(text: str, size: int) -> None:
    parts = pieces(text, size)
    assert "".join(parts) == text
    assert all(0 < len(p) <= size for p in parts)


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("one\ntwo\nthree\nfour\n", 9, ["one\ntwo\n", "three\n", "four\n"]),  # after a line break
    ("aaa bbb ccc", 8, ["aaa bbb ", "ccc"]),  # no line break within reach: after a space
    ("abcdefgh", 3, ["abc", "def", "gh"]),  # neither: anywhere
    ("short", 10, ["short"]),
])
def test_pieces_cut_at_paragraphs_first(text: str, size: int, expected: list[str]) -> None:
    assert pieces(text, size) == expected


def test_a_long_text_in_pieces_keeps_exact_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = ("“We will rebuild the pier before the summer,” harbour master Lena Okafor said on Monday. "
                 "The council approved 12 million pounds for the repairs.\n")
    text = paragraph * 12
    module = importlib.import_module("storyline.analyze")
    monkeypatch.setattr(module, "PIECE_CHARS", 400)
    cut: list[int] = []
    real_pieces = module.pieces

    def counted(text: str, size: int) -> list[str]:
        parts = real_pieces(text, size)
        cut.append(len(parts))
        return parts

    monkeypatch.setattr(module, "pieces", counted)
    article = clean(read_article_text(text, source="long.txt"), Options())
    [result] = analyze_batch([article], model="auto")
    assert isinstance(result, Analysis)
    assert cut and cut[0] >= 6  # parsed in pieces of at most 400 characters, not whole
    assert len(result.quotes) >= 10
    for q in result.quotes:
        assert article.text[q.start:q.end] == q.text
    for c in result.claims:
        assert article.text[c.start:c.end] == c.text
