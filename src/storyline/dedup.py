"""Near-duplicate detection: articles that are copies of one text form one source group.

MinHash LSH (datasketch) over word 5-shingles finds copies (wire copy, reposts,
light edits); articles from one named outlet are one source as well. Corroboration
counts source groups, never articles.

Rewrites count too: an article that takes most of its own words from another (a wire story
with a new top, a press release run with cuts) shares long passages with it without being a
near-copy of the whole. A second index over the words *outside quotation marks* (independent
outlets quoting one speech share the speech, not their prose) estimates how much of the
smaller text the other contains; from ``reuse`` (0.5) on, the two are one source.

``SourceGrouper`` is incremental: ``add(batch)`` compares a batch with everything
seen before through the LSH index and the stored signatures (128 small integers per
article), never the old texts. Shingles are hashed with numpy rather than one
SHA-1 call per shingle, which keeps 100k articles within minutes.

A group of copies stands in the two indexes by at most ``index_max`` (32) of its members, the
most recent: a new article that copies the group finds one of them, and thousands of
near-identical records (a feed repeating one alert with a new number) cost a bounded lookup
each instead of a comparison with every earlier one. Candidates already in the article's group
of copies are not compared again (joining them would change nothing).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from .models import CleanArticle

_WORD = re.compile(r"\w+")
_QUOTED = re.compile(r"[“\"«][^”\"»]{0,3000}[”\"»]")
#: Jaccard similarity from which the passage index offers a pair for the containment test.
PASSAGE_CANDIDATE = 0.2
NUM_PERM = 128
SHINGLE = 5
_MASK32 = np.uint64(0xFFFFFFFF)
_MULT = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant mixing word hashes into shingle hashes
_WORD_CACHE: dict[str, int] = {}


def _identity(value: int) -> int:
    return value


def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity)


_TEMPLATE = _template()
_PERMUTATIONS = _TEMPLATE.permutations
_SCHEME = _TEMPLATE.scheme


def _word_ids(text: str) -> np.ndarray:
    ids = []
    for word in _WORD.findall(text.lower()):
        h = _WORD_CACHE.get(word)
        if h is None:
            h = zlib.crc32(word.encode("utf-8"))
            if len(_WORD_CACHE) < 1_000_000:
                _WORD_CACHE[word] = h
        ids.append(h)
    return np.asarray(ids, dtype=np.uint64)


def shingle_hashes(text: str, *, shingle: int = SHINGLE) -> np.ndarray:
    """32-bit hashes of a text's distinct lower-cased word ``shingle``-grams (the whole text if shorter)."""
    ids = _word_ids(text)
    if len(ids) == 0:
        return ids
    k = min(shingle, len(ids))
    n = len(ids) - k + 1
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):  # polynomial hash of the k words, wrapping at 2**64
            h = h * _MULT + ids[j:j + n]
        h ^= h >> np.uint64(29)
        h *= _MULT
    return np.unique((h >> np.uint64(32)) & _MASK32)


def minhash(text: str, *, shingle: int = SHINGLE) -> MinHash:
    """MinHash of a text's lower-cased word shingles."""
    mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity, permutations=_PERMUTATIONS,
                 scheme=_SCHEME)
    hv = shingle_hashes(text, shingle=shingle)
    if len(hv):
        mh.update_batch(hv.tolist())
    return mh


@lru_cache(maxsize=16)
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The LSH bands and rows datasketch chooses for ``threshold``, worked out once per process:
    choosing them integrates the collision curve (about 40 ms), and every grouping builds two."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


class SourceGrouper:
    """Incremental source groups: copies of one text, and articles of one named outlet."""

    def __init__(self, *, threshold: float = 0.7, reuse: float = 0.5, index_max: int = 32) -> None:
        self.threshold = threshold
        self.reuse = reuse
        self.index_max = index_max
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM, params=_bands(threshold, NUM_PERM))
        self._passages = MinHashLSH(threshold=PASSAGE_CANDIDATE, num_perm=NUM_PERM,
                                    params=_bands(PASSAGE_CANDIDATE, NUM_PERM))
        self._prose: list[tuple[np.ndarray, int]] = []  # signature and shingle count outside quotations
        self._signatures: list[np.ndarray] = []
        self._parent: list[int] = []
        # groups of copies alone (outlets aside): the members each keeps in the indexes, oldest first
        self._copy_parent: list[int] = []
        self._indexed: dict[int, list[int]] = {}
        self._in_passages: set[int] = set()
        self._outlets: dict[str, int] = {}
        # the first article of each exact text: a repeat joins it and is never looked up, so a
        # stream of repeats costs one lookup per distinct text instead of one per earlier copy
        self._first_of_text: dict[bytes, int] = {}
        self.comparisons = 0  # signature comparisons made, over every add

    def _find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _union(self, i: int, j: int) -> None:
        ri, rj = self._find(i), self._find(j)
        if ri != rj:
            self._parent[max(ri, rj)] = min(ri, rj)  # the oldest article names the group

    def _copy_root(self, i: int) -> int:
        parent = self._copy_parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _join_copies(self, i: int, j: int) -> None:
        """``i`` and ``j`` are copies (or one rewrites the other): one source, one group of copies."""
        self._union(i, j)
        ri, rj = self._copy_root(i), self._copy_root(j)
        if ri == rj:
            return
        root, other = min(ri, rj), max(ri, rj)
        self._copy_parent[other] = root
        kept = sorted(self._indexed.pop(root, []) + self._indexed.pop(other, []))
        self._indexed[root] = self._trim(kept)

    def _trim(self, members: list[int]) -> list[int]:
        """Take the oldest of a group's indexed members out of the indexes until ``index_max`` remain."""
        cut = max(len(members) - self.index_max, 0)
        for j in members[:cut]:
            self._lsh.remove(j)
            if j in self._in_passages:
                self._in_passages.discard(j)
                self._passages.remove(j)
        return members[cut:]

    def add(self, batch: Iterable[CleanArticle | tuple[str, str | None]]) -> list[str]:
        """Group a batch against everything seen; the group id (``g<first article number>``) per article.

        Items are CleanArticles or ``(text, outlet)`` pairs (outlet ``None`` or ``"unknown"``: no outlet).
        """
        start = len(self._parent)
        for item in batch:
            outlet: str | None
            if isinstance(item, CleanArticle):
                text, outlet = item.text, item.article.outlet
            else:
                text, outlet = item
            i = len(self._parent)
            self._parent.append(i)
            self._copy_parent.append(i)
            digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
            first = self._first_of_text.setdefault(digest, i)
            if first != i:
                # an exact repeat: whatever it would join, its first copy has joined already
                self._signatures.append(self._signatures[first])
                self._prose.append(self._prose[first])
                self._join_copies(i, first)
            else:
                mh = minhash(text)
                sig = mh.hashvalues.astype(np.uint32)
                self._signatures.append(sig)
                for j in self._new_candidates(i, self._lsh.query(mh)):
                    if float(np.mean(self._signatures[j] == sig)) >= self.threshold:
                        self._join_copies(i, j)
                self._lsh.insert(i, mh, check_duplication=False)
                self._add_prose(i, text)
                root = self._copy_root(i)
                self._indexed[root] = self._trim([*self._indexed.get(root, []), i])
            if outlet and outlet != "unknown":
                if outlet in self._outlets:
                    self._union(i, self._outlets[outlet])
                else:
                    self._outlets[outlet] = i
        return [f"g{self._find(i) + 1}" for i in range(start, len(self._parent))]

    def _new_candidates(self, i: int, found: Iterable[int]) -> Iterable[int]:
        """The candidates (in order) not yet in ``i``'s group of copies when their turn comes; counted."""
        for j in sorted(found):
            if self._copy_root(j) != self._copy_root(i):
                self.comparisons += 1
                yield j

    def _add_prose(self, i: int, text: str) -> None:
        """Join ``i`` with earlier articles that contain most of its prose, or most of whose prose it contains."""
        hv = shingle_hashes(_QUOTED.sub(" ", text))
        mh = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity, permutations=_PERMUTATIONS, scheme=_SCHEME)
        if len(hv):
            mh.update_batch(hv.tolist())
        sig = mh.hashvalues.astype(np.uint32)
        self._prose.append((sig, len(hv)))
        if len(hv) < 3 * SHINGLE or self.reuse >= 1:
            return  # too little prose to tell a rewrite from a coincidence, or passage reuse is off
        for j in self._new_candidates(i, self._passages.query(mh)):
            other, size = self._prose[j]
            jaccard = float(np.mean(other == sig))
            # |A ∩ B| from the Jaccard estimate and the two set sizes, over the smaller set
            shared = jaccard * (len(hv) + size) / (1 + jaccard)
            if shared / max(min(len(hv), size), 1) >= self.reuse:
                self._join_copies(i, j)
        self._passages.insert(i, mh, check_duplication=False)
        self._in_passages.add(i)

    def groups(self) -> list[str]:
        """The current group id of every article added so far (earlier answers may since have merged)."""
        return [f"g{self._find(i) + 1}" for i in range(len(self._parent))]


def source_groups(articles: Sequence[CleanArticle], *, threshold: float = 0.7, reuse: float = 0.5) -> list[str]:
    """A source-group id per article ("g1", "g2", ... numbered in order of first appearance).

    One article is its own group: nothing is indexed for it (a flood of one-article stories
    built two LSH indexes and a signature per story: 8,000 look-alike records, 3.0 CPU s)."""
    if len(articles) <= 1:
        return ["g1"] * len(articles)
    grouper = SourceGrouper(threshold=threshold, reuse=reuse)
    grouper.add(articles)
    names: dict[str, str] = {}
    return [names.setdefault(g, f"g{len(names) + 1}") for g in grouper.groups()]
