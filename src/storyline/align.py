"""Sentence alignment across the articles of one story.

Reconciliation compares what outlets say, not how they write it, so it first has to find the
sentences of two articles that tell the same thing. :class:`SentenceSpace` weighs each
sentence's content lemmas by TF-IDF over the story's sentences (a word every sentence uses
tells nothing; a name or a rare verb shared by two sentences tells a lot) and gives the cosine
similarity of any two sentences. An optional sentence encoder (``storyline[encoder]``) can be
blended in; without it everything works on lemmas alone.
"""

from __future__ import annotations

import copy
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer
from scipy import sparse

from .models import Analysis

__all__ = ["SentenceRef", "SentenceSpace"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
#: Words too common in news to tell two sentences apart, for analyses without stored lemmas.
_FALLBACK_STOP = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being has have had "
    "do does did not no it its this that these those he she they we you i his her their our your my him "
    "them us me who whom which what when where why how said says say told tell also would could should will "
    "can may might must than then there here about after before into over under more most some any all".split()
)


def _fallback_terms(text: str) -> tuple[str, ...]:
    return tuple(w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _FALLBACK_STOP)


#: Content words at most this many content words apart form a phrase ("national motto" keeps
#: "reaffirm ... motto" of "reaffirming the national motto").
PHRASE_GAP = 1


def _word_pairs(terms: Sequence[str], gap: int) -> frozenset[tuple[str, str]]:
    """Ordered pairs of terms with at most ``gap`` terms between them."""
    return frozenset((terms[k], terms[m]) for k in range(len(terms))
                     for m in range(k + 1, min(k + 2 + gap, len(terms))) if terms[k] != terms[m])


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """A sentence of one analysis: ``text[start:end]`` of article ``ai``."""

    ai: int  # index of the analysis in the story
    si: int  # index of the sentence in that analysis
    start: int
    end: int


#: Stories with up to this many sentences keep their similarities in a dense matrix (72 MB at most).
_DENSE_MAX = 3000


#: Endings that make a noun of an act or an adjective of a noun ("refusal", "interruption",
#: "endorsement", "appearance", "constitutional"): such a word and its base tell the same thing.
_ACT_ENDINGS = ("ion", "al", "ment", "ance", "ence")
#: Endings of words for people or things ("senator", "supporter", "immigrant", "critic"), whose
#: family words tell another thing ("senate", "support", "immigration", "critical").
_AGENT_ENDINGS = ("or", "er", "ant", "ist", "ic", "ee")
#: Endings of words that are no base of a family ("officially", "equality", "fencing").
_DERIVED_ENDINGS = ("ly", "ity", "ing", "ism", "ness", "ive", "ship")


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Snowball's English stem of ``word``, remembered: stories share most of their words."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def _families(seqs: Sequence[Sequence[str]]) -> dict[str, str]:
    """Words of the story made of another word of it (one stem) with an ending that names the act
    (:data:`_ACT_ENDINGS`): each such word -> its base ("refusal" -> "refuse", "interruption" ->
    "interrupt"); plurals, agents and adverbs keep their own term."""
    by_stem: dict[str, set[str]] = defaultdict(set)
    for w in {w for t in seqs for w in t}:  # each word once: stemming is most of the cost
        if w.isalpha() and len(w) > 3:
            by_stem[_stem(w)].add(w)
    out = {}
    for words in by_stem.values():
        bases = sorted((w for w in words if not w.endswith(_ACT_ENDINGS + _AGENT_ENDINGS + _DERIVED_ENDINGS)),
                       key=lambda w: (len(w), w))
        if len(words) < 2 or not bases:
            continue
        base = bases[0]
        out.update({w: base for w in words if w.endswith(_ACT_ENDINGS) and not w.endswith(_AGENT_ENDINGS)
                    and len(w) > len(base)})
    return out


class SentenceSpace:
    """TF-IDF vectors of every sentence of a story, and their cosine similarities."""

    def __init__(self, analyses: Sequence[Analysis], *,
                 embed: Callable[[Sequence[str]], np.ndarray] | None = None, blend: float = 0.5) -> None:
        self.refs: list[SentenceRef] = []
        self._starts: list[list[int]] = []
        self._first: list[int] = []
        seqs: list[tuple[str, ...]] = []
        for ai, a in enumerate(analyses):
            self._first.append(len(self.refs))
            sents = list(a.sentences) or [(0, len(a.article.text))]
            terms = list(a.sentence_terms) if len(a.sentence_terms) == len(sents) else \
                [_fallback_terms(a.article.text[s:e]) for s, e in sents]
            self._starts.append([s for s, _ in sents])
            for si, ((s, e), t) in enumerate(zip(sents, terms, strict=True)):
                self.refs.append(SentenceRef(ai, si, s, e))
                seqs.append(tuple(t))
        self._vectors: np.ndarray | None = None
        self._blend = blend
        if embed is not None and self.refs:
            texts = [analyses[r.ai].article.text[r.start:r.end] for r in self.refs]
            self._vectors = np.asarray(embed(texts), dtype=np.float32)
        self._index(seqs)

    def _index(self, seqs: list[tuple[str, ...]]) -> None:
        """The TF-IDF vectors of sentences made of the terms ``seqs`` (one per sentence of ``refs``)."""
        bags = [Counter(t) for t in seqs]
        self.terms = bags
        #: each sentence's content terms in text order
        self.sequences: list[tuple[str, ...]] = seqs
        self._pairs = [_word_pairs(t, PHRASE_GAP) for t in seqs]
        self._pair_df: Counter[tuple[str, str]] = Counter(p for ps in self._pairs for p in ps)
        df: Counter[str] = Counter()
        for bag in bags:
            df.update(bag.keys())
        n = max(len(bags), 1)
        #: how many sentences of the story use each term
        self.df = df
        self.idf = {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}
        #: the weight of a word no sentence of the story has (as rare as can be)
        self.unseen_idf = math.log(1 + n) + 1.0
        self._matrix: sparse.csr_matrix | None = None
        self._sim: sparse.csr_matrix | None = None
        self._dense: np.ndarray | None = None

    @property
    def _mat(self) -> sparse.csr_matrix:
        """The sentences' unit TF-IDF vectors (rows as ``refs``), built when first compared: a story
        of one article compares nothing (8,000 one-article stories: 1.3 CPU s spent on matrices)."""
        if self._matrix is None:
            vocab = {w: i for i, w in enumerate(sorted(self.df))}
            rows, cols, vals = [], [], []
            for row, bag in enumerate(self.terms):
                for w, v in self.unit_vector(bag).items():
                    rows.append(row)
                    cols.append(vocab[w])
                    vals.append(v)
            self._matrix = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)),
                                             shape=(len(self.terms), max(len(vocab), 1)))
        return self._matrix

    def word_families(self) -> SentenceSpace:
        """The same sentences with the words of one family made one term ("refuse" / "refusal",
        "interrupt" / "interruption"): what telling one fact in other words keeps. The space
        itself if the story has no such words."""
        family = _families(self.sequences)
        if not family:
            return self
        other = copy.copy(self)
        other._index([tuple(family.get(w, w) for w in t) for t in self.sequences])
        return other

    def unit_vector(self, terms: Iterable[str] | Counter[str]) -> dict[str, float]:
        """Terms (a sequence, or their counts) weighed as the space weighs a sentence: (1 + log of the
        count) x IDF, scaled to unit length; a term no sentence of the story has counts as the rarest."""
        counts = terms if isinstance(terms, Counter) else Counter(terms)
        weights = {w: (1.0 + math.log(c)) * self.idf.get(w, self.unseen_idf) for w, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        return {w: v / norm for w, v in weights.items()}

    @property
    def encoded(self) -> bool:
        """Whether a sentence encoder's similarity is blended in."""
        return self._vectors is not None

    def sentence_of(self, ai: int, offset: int) -> int:
        """The global index of the sentence of analysis ``ai`` that holds character ``offset``."""
        starts = self._starts[ai]
        si = max(bisect_right(starts, offset) - 1, 0)
        return self._first[ai] + si

    @property
    def similarities(self) -> sparse.csr_matrix:
        """Similarity of every pair of sentences that share a term (sparse; rows as ``refs``): the
        TF-IDF cosine, blended with the embeddings' cosine when an encoder is on."""
        if self._sim is None:
            sim = (self._mat @ self._mat.T).tocsr()
            if self._vectors is not None:
                coo = sim.tocoo()
                emb = np.einsum("ij,ij->i", self._vectors[coo.row], self._vectors[coo.col])
                data = (1 - self._blend) * coo.data + self._blend * np.clip(emb, 0.0, 1.0)
                sim = sparse.csr_matrix((data, (coo.row, coo.col)), shape=sim.shape)
            self._sim = sim
        return self._sim

    def similarities_across(self, labels: Sequence[int]) -> sparse.coo_matrix:
        """The :attr:`similarities` of sentences with different ``labels`` (one per sentence, e.g.
        its source group), both ways round; pairs of one label are never computed, so a story of
        one long article costs nothing here."""
        lab = np.asarray(labels, dtype=np.int64)
        n = len(self.refs)
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        vals: list[np.ndarray] = []
        if len(lab) == 0 or (lab == lab[0]).all():
            return sparse.coo_matrix((n, n), dtype=np.float32)  # one label: nothing to compare
        for k in np.unique(lab):
            inside, outside = np.flatnonzero(lab == k), np.flatnonzero(lab != k)
            if not len(outside):
                continue
            block = (self._mat[inside] @ self._mat[outside].T).tocoo()
            r, c, v = inside[block.row], outside[block.col], block.data
            if self._vectors is not None:
                emb = np.einsum("ij,ij->i", self._vectors[r], self._vectors[c])
                v = (1 - self._blend) * v + self._blend * np.clip(emb, 0.0, 1.0)
            rows.append(r)
            cols.append(c)
            vals.append(v.astype(np.float32))
        if not rows:
            return sparse.coo_matrix((n, n), dtype=np.float32)
        return sparse.coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))

    def similarity(self, i: int, j: int) -> float:
        """Similarity of sentences ``i`` and ``j`` (global indices; see :attr:`similarities`)."""
        if self._dense is None and len(self.refs) <= _DENSE_MAX:
            self._dense = self.similarities.toarray()
        if self._dense is not None:
            return float(self._dense[i, j])
        tfidf = float(self._mat[i].multiply(self._mat[j]).sum())
        if self._vectors is None:
            return tfidf
        return (1 - self._blend) * tfidf + self._blend * max(0.0, float(self._vectors[i] @ self._vectors[j]))

    def phrases(self, i: int, j: int, *, rare: int) -> list[tuple[str, str]]:
        """Pairs of content terms, in this order and at most :data:`PHRASE_GAP` terms apart in
        both sentences, that at most ``rare`` sentences of the story use."""
        return sorted(p for p in self._pairs[i] & self._pairs[j] if self._pair_df[p] <= rare)

    def shared(self, i: int, j: int) -> list[str]:
        """The terms two sentences share, most telling (highest IDF) first."""
        common = set(self.terms[i]) & set(self.terms[j])
        return sorted(common, key=lambda w: (-self.idf[w], w))
