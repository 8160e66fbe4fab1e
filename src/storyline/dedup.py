"""Near-duplicate detection: articles that are copies of one text form one source group.

MinHash LSH (datasketch) over word 5-shingles finds copies (wire copy, reposts,
light edits); articles from one named outlet are one source as well. Corroboration
counts source groups, never articles.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

from .models import CleanArticle

_WORD = re.compile(r"\w+")
NUM_PERM = 128


def minhash(text: str, *, shingle: int = 5) -> MinHash:
    """MinHash of a text's lower-cased word shingles."""
    words = _WORD.findall(text.lower())
    mh = MinHash(num_perm=NUM_PERM)
    grams = {" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))}
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh


def source_groups(articles: Sequence[CleanArticle], *, threshold: float = 0.7) -> list[str]:
    """A source-group id per article ("g1", "g2", ...), in input order."""
    parent = list(range(len(articles)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    hashes = []
    for i, art in enumerate(articles):
        mh = minhash(art.text)
        hashes.append(mh)
        for j in lsh.query(mh):
            if hashes[j].jaccard(mh) >= threshold:
                union(i, j)
        lsh.insert(i, mh)
    by_outlet: dict[str, int] = {}
    for i, art in enumerate(articles):
        outlet = art.article.outlet
        if outlet and outlet != "unknown":
            if outlet in by_outlet:
                union(i, by_outlet[outlet])
            else:
                by_outlet[outlet] = i
    names: dict[int, str] = {}
    out = []
    for i in range(len(articles)):
        root = find(i)
        if root not in names:
            names[root] = f"g{len(names) + 1}"
        out.append(names[root])
    return out
