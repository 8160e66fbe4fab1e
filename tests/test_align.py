"""The sentence space: TF-IDF similarity of a story's sentences, with an optional encoder blended in."""

from __future__ import annotations

import numpy as np
import pytest

from storyline.align import SentenceSpace
from storyline.errors import ConfigError
from storyline.models import Analysis, Article, CleanArticle
from storyline.sentence_encoder import load_embedder


def _analysis(aid: str, text: str) -> Analysis:
    sents, start = [], 0
    for part in text.split(". "):
        end = start + len(part)
        sents.append((start, min(end + 1, len(text))))
        start = end + 2
    return Analysis(CleanArticle(Article(aid, text, aid), text, ()), sentences=tuple(sents))


A = _analysis("a", "The ferry sank near the harbour. The mayor met fishermen")
B = _analysis("b", "A ferry sank near Port Alder harbour. Ticket prices rose")


def test_tfidf_similarity_finds_the_same_fact():  # type: ignore[no-untyped-def]
    space = SentenceSpace([A, B])
    sank_a, sank_b = space.sentence_of(0, 0), space.sentence_of(1, 0)
    prices = space.sentence_of(1, B.article.text.index("Ticket"))
    assert space.similarity(sank_a, sank_b) > 0.4
    assert space.similarity(sank_a, prices) == 0.0
    assert "ferry" in space.shared(sank_a, sank_b)
    assert not space.encoded


def test_an_encoder_is_blended_into_pairs_that_share_words():  # type: ignore[no-untyped-def]
    def embed(texts):  # type: ignore[no-untyped-def]
        # every sentence about a ferry points one way, the rest another
        return np.array([[1.0, 0.0] if "ferry" in t else [0.0, 1.0] for t in texts], dtype=np.float32)

    plain = SentenceSpace([A, B])
    blended = SentenceSpace([A, B], embed=embed, blend=0.5)
    i, j = plain.sentence_of(0, 0), plain.sentence_of(1, 0)
    assert blended.encoded
    assert blended.similarity(i, j) == pytest.approx(0.5 * plain.similarity(i, j) + 0.5)


def test_an_unknown_encoder_is_a_clear_error():  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match="neither 'minilm' nor a model folder"):
        load_embedder("/no/such/model")


@pytest.mark.parametrize("labels", [[0, 0, 1, 1], [0, 1, 0, 1], [0, 0, 0, 0], [0, 1, 2, 3]])
def test_similarities_across_labels_are_the_cross_label_part_of_all(labels: list[int]) -> None:
    space = SentenceSpace([A, B])  # four sentences, labelled in turn
    full = space.similarities.toarray()
    across = space.similarities_across(labels).toarray()
    differ = np.array(labels)[:, None] != np.array(labels)[None, :]
    assert np.allclose(across, np.where(differ, full, 0.0))
    assert np.allclose(across, across.T)
    if len(set(labels)) == 1:  # one source: nothing is computed
        assert space.similarities_across(labels).nnz == 0


def test_a_space_whose_sentences_are_never_compared_builds_no_matrix() -> None:
    space = SentenceSpace([A])  # a one-article story: every sentence has one source
    assert space.similarities_across([0, 0]).nnz == 0
    assert space._matrix is None
    built = SentenceSpace([A, B])
    assert built.similarities_across([0, 0, 1, 1]).nnz > 0 and built._matrix is not None


@pytest.mark.parametrize(("verb", "noun", "one_term"), [
    # the act named by a noun of the verb's family tells what the verb tells
    ("refuse", "refusal", True),
    ("interrupt", "interruption", True),
    ("endorse", "endorsement", True),
    ("appear", "appearance", True),
    ("declare", "declaration", True),
    # another thing of the family: a person or body, a manner, a thing made
    ("senate", "senator", False),
    ("support", "supporter", False),
    ("official", "officially", False),
    ("immigrant", "immigration", False),
    ("fence", "fencing", False),
    ("house", "housing", False),
])
def test_word_families_join_an_act_and_its_noun(verb: str, noun: str, one_term: bool) -> None:
    a = _analysis("a", f"Dock crews {verb} the harbour plan")
    b = _analysis("b", f"The {noun} shook the harbour plan")
    plain = SentenceSpace([a, b])
    families = plain.word_families()
    i, j = plain.sentence_of(0, 0), plain.sentence_of(1, 0)
    assert verb not in plain.shared(i, j)
    assert (verb in families.shared(i, j)) is one_term
    assert families.refs == plain.refs
    if one_term:
        assert families.similarity(i, j) > plain.similarity(i, j)
