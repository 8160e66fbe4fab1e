"""Story clustering: which articles tell the same story -- one engine for a batch and for a store.

Each article becomes two TF-IDF weighted vectors: its content words, and its *names* (named
entities when a spaCy analysis is given, else capitalised words and word pairs that the text
never writes in lower case; plus numbers, years and month names). The inverse document
frequency comes from general English word frequencies (the ``wordfreq`` package), not from the
articles seen so far, so an article's vector depends on that article alone: two articles are
alike by a weighted sum of the two cosines, damped when their publication dates lie far apart.

The stories of a set of articles are a function of the set, never of the order or the batches
they come in (as long as no index term holds more than ``posting_max`` articles within date
reach -- real news does not come near it; beyond it, a term offers its most recent ones):

1. *Candidate pairs* share one of their salient terms (an inverted index over each article's
   heaviest terms, bucketed by week: two articles more days apart than the date damping lets
   reach the threshold are never compared). Pairs at or above ``threshold`` are *edges*. A term
   offers at most ``posting_max`` candidates, its most recent articles in reach, so the work per
   article stays bounded when thousands of look-alike records share every term.
2. The connected components of the edges are clustered each on its own, in a canonical order
   (by content key): average linkage over the similarities, half of which is how far two articles
   share their close neighbours (the articles of one story point at each other, while two
   same-kind events each keep their own neighbours), cut at the threshold and where two groups
   are much less alike than each is inside. A component too large for one dense matrix is cut
   at higher similarity levels first (see :class:`StoryEngine`).

Average linkage never joins two groups with no pair at or above the threshold, so clustering each
component alone is the same as clustering everything at once. New articles only add edges: they
merge components, and the components they touch are clustered again -- stories merge and split as
the evidence changes. Copies with the same content and date are one node of the graph.

The engine (:class:`StoryEngine`) keeps its state behind :class:`StoryState`: in memory for
``analyze`` and ``cluster`` (:class:`MemoryState`), in the database for the newsroom store.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import chain
from typing import Protocol

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import linkage

from .models import Analysis, CleanArticle

__all__ = ["ClusterSettings", "DocVector", "MemoryState", "StoryChange", "StoryClusterer", "StoryDoc",
           "StoryEngine", "StoryState", "candidate_buckets", "cluster_stories", "cluster_unit", "content_key",
           "date_factor", "doc_from", "principal_factors", "principal_person", "shared_neighbours", "similarity",
           "term_idf", "text_features", "vectorize"]

#: Hashed feature space per vector kind (words, names).
DIM = 1 << 20
#: Entity types that name a story's participants and places (NORP, e.g. "Democrats", does not).
NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
#: Index bucket of undated articles (dated ones are bucketed by week: date ordinal // 7).
UNDATED = -1
BUCKET_DAYS = 7

MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
# Function words, and words that open sentences in capitals without naming anything.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she
should so some such than that the their theirs them themselves then there these they this those
through to too under until up very was we were what when where which while who whom why will with
would you your yours yourself yourselves said says say told according mr mrs ms dr one two three
four five six seven eight nine ten new last first year years week day days time monday tuesday
wednesday thursday friday saturday sunday today yesterday tomorrow however meanwhile after while
still even yet though although would could may might must shall us many much may another
""".split())

# Words (with inner apostrophes and dots: "O'Neill", "U.S."), hyphenated words split into their parts
# ("zero-day" and "zero - day" give the same terms), and numbers.
_TOKEN = re.compile(r"[^\W\d_][\w'’.]*[^\W_]|[^\W\d_]|\d[\d,.]*\d|\d")


@dataclass(frozen=True, slots=True)
class StoryDoc:
    """What clustering needs from one article; ``names`` come from an analysis when there is one.

    ``key`` orders articles canonically (default: :func:`content_key` of the text)."""

    id: str
    text: str
    published: date | None = None
    names: tuple[str, ...] | None = None
    key: str = ""
    #: the surname of the person the article is about, when one stands out (see :func:`principal_person`)
    principal: str | None = None


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of the similarity; the defaults are tuned on ECB+ topics 1-35 and BASIL together."""

    threshold: float = 0.1  # average-linkage similarity for one story
    name_weight: float = 0.6  # share of the names cosine in the similarity
    idf_power: float = 1.0  # IDF**power: rare terms (a name, a figure) weigh more
    zipf_top: float = 8.0  # IDF of a term is zipf_top minus its Zipf frequency in English
    idf_floor: float = 0.5
    lead_chars: int = 300  # the lead, whose terms count ``lead_boost`` times
    lead_boost: int = 3
    date_grace: int = 2  # days apart that cost nothing
    date_scale: float = 3.0  # further days halve the similarity every ``date_scale`` days
    index_terms: int = 12  # salient terms per article in the candidate index (names first)
    # Candidates per index term: the ``posting_max`` most recent articles under the term added
    # before the article, within date reach. Real news does not fill a term's list in reach (ECB+
    # at most 43 articles, BASIL 10); a flood of look-alike records does, and without the cap each
    # record would be scored against every earlier one (quadratic time, edges by the million). In
    # a flood the cap costs a few edges at the top levels (BENCHMARKS.md: 200 split 2,000
    # look-alike records of 5 stories into 81, 400 keeps the 5).
    posting_max: int = 400
    contrast: float = 0.4  # two groups of ``contrast_size``+ stay apart when their cross similarity is
    contrast_size: int = 3  # below ``contrast`` times the cohesion of the looser group
    # Shared neighbours: articles of one story have the same close neighbours, two events of one
    # kind each have their own. A neighbour is close when its similarity is at least
    # ``neighbour_cut`` times the article's best one and at least the threshold (at most
    # ``neighbour_max`` of them). ``neighbour_share`` of the similarity is the overlap of close
    # neighbours (cosine of the two profiles), the rest the direct similarity; 0 turns it off.
    neighbour_share: float = 0.5
    neighbour_cut: float = 0.65
    neighbour_max: int = 50
    # Levels of pieces (see StoryEngine): the threshold, then ``level_ratio`` times more each, up
    # to ``level_top``; a unit of at most ``max_dense`` articles is clustered as one dense matrix.
    level_ratio: float = 1.5
    level_top: float = 0.8
    max_dense: int = 200
    # Two same-kind events are often told about two different people (a receiver arrested for
    # drunk driving, then a lineman of the same team): when each article is about one person
    # (see principal_person), the two differ and one article never names the other's person,
    # the similarity is multiplied by ``principal_factor`` (1 turns it off).
    principal_factor: float = 0.5

    def levels(self) -> list[float]:
        """The similarity cut of each level of pieces."""
        out = [self.threshold]
        while out[-1] * self.level_ratio <= self.level_top:
            out.append(out[-1] * self.level_ratio)
        return out

    def max_gap(self) -> float:
        """Days apart beyond which two dated articles cannot reach the threshold."""
        return self.date_grace + self.date_scale * math.log2(1.0 / max(self.threshold, 1e-6))


def content_key(text: str) -> str:
    """The canonical key of a text: SHA-1 of its words (whitespace runs collapsed)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


def doc_from(item: StoryDoc | Analysis | CleanArticle) -> StoryDoc:
    """A StoryDoc from an Analysis (names from its entities), a CleanArticle (names from the text)."""
    if isinstance(item, StoryDoc):
        return item if item.key else replace(item, key=content_key(item.text))
    if isinstance(item, Analysis):
        art = item.article
        names = tuple(e.name for e in item.entities if e.type in NAME_TYPES)
        principal = principal_person((e.name, len(e.mentions)) for e in item.entities if e.type == "PERSON")
        return StoryDoc(art.article.id, art.text, art.article.published, names, content_key(art.text), principal)
    return StoryDoc(item.article.id, item.text, item.article.published, None, content_key(item.text))


#: A principal person is named at least this often, and at least ``PRINCIPAL_LEAD`` times as often
#: as the next person.
PRINCIPAL_MENTIONS = 3
PRINCIPAL_LEAD = 2.0


def principal_person(people: Iterable[tuple[str, int]]) -> str | None:
    """The surname (lower case) of the person an article is about, from the (name, mentions) pairs
    of its person entities: named at least ``PRINCIPAL_MENTIONS`` times and ``PRINCIPAL_LEAD``
    times as often as anyone else (names sharing a surname count together: "Vincent Jackson",
    "WR Jackson"); None when no one stands out."""
    counts: Counter[str] = Counter()
    for name, n in people:
        parts = [p for p in (_norm(t) for t in _TOKEN.findall(name)) if p not in STOP_WORDS and not p[0].isdigit()]
        if parts:
            counts[parts[-1]] += n
    top = counts.most_common(2)
    if not top or top[0][1] < PRINCIPAL_MENTIONS:
        return None
    if len(top) > 1 and top[0][1] < PRINCIPAL_LEAD * top[1][1]:
        return None
    return top[0][0]


# ---------------------------------------------------------------- features


_HASH_CACHE: dict[str, int] = {}
_IDF_CACHE: dict[str, float] = {}
_CACHE_MAX = 2_000_000


def _hash(term: str) -> int:
    h = _HASH_CACHE.get(term)
    if h is None:
        h = zlib.crc32(term.encode("utf-8")) & (DIM - 1)
        if len(_HASH_CACHE) < _CACHE_MAX:
            _HASH_CACHE[term] = h
    return h


def _zipf(term: str) -> float:
    """Zipf frequency of a term in English (0 unknown); a name of several words takes its rarest part."""
    from wordfreq import zipf_frequency

    word = term.lstrip("#@")
    parts = word.split()
    if len(parts) > 1:
        return min(_zipf(p) for p in parts)
    return float(zipf_frequency(word, "en"))


def term_idf(term: str, settings: ClusterSettings) -> float:
    """Background IDF of a term: rare in English weighs more ("Kastoria" over "earthquake" over "said")."""
    key = f"{settings.zipf_top}:{settings.idf_floor}:{term}"
    v = _IDF_CACHE.get(key)
    if v is None:
        v = max(settings.zipf_top - _zipf(term), settings.idf_floor)
        if len(_IDF_CACHE) < _CACHE_MAX:
            _IDF_CACHE[key] = v
    return v


def _count(text: str, with_names: bool, words: Counter[str], found: Counter[str], inc: int,
           common: frozenset[str] = frozenset()) -> None:
    prev = ""  # the name token just before, for two-word names
    for tok in _TOKEN.findall(text):
        if tok[0].isdigit():
            found["#" + tok.replace(",", "").rstrip(".")] += inc
            prev = ""
            continue
        low = _norm(tok)
        if low in MONTHS:
            found["@" + low] += inc
            prev = ""
        elif with_names and tok[0].isupper() and len(low) > 1 and low not in STOP_WORDS and low not in common:
            found[low] += inc
            if prev:
                found[prev + " " + low] += inc
            prev = low
        else:
            prev = ""
        if len(low) > 2 and low not in STOP_WORDS:
            words[low] += inc


def common_words(text: str) -> frozenset[str]:
    """Words the text writes in lower case somewhere: capitalised elsewhere (a sentence start, a
    headline) they are not names ("Rescuers", "Fix" in a title), while "Kastoria" never is."""
    return frozenset(_norm(tok) for tok in _TOKEN.findall(text) if tok[0].islower())


def _norm(tok: str) -> str:
    low = tok.lower().rstrip(".")
    return low[:-2] if low.endswith(("'s", "’s")) else low


def text_features(text: str, names: Iterable[str] | None = None, *, lead_chars: int = 300,
                  boost: int = 3) -> tuple[Counter[str], Counter[str]]:
    """Word counts and name counts of one text (names from ``names`` when given, else capitalised words
    and pairs of them that the text never writes in lower case; numbers and month names always).

    Terms in the lead (the first ``lead_chars`` characters, to a word end) count ``boost`` times: a
    news lead says what happened, to whom, where and when."""
    words: Counter[str] = Counter()
    found: Counter[str] = Counter()
    common = common_words(text) if names is None else frozenset()
    _count(text, names is None, words, found, 1, common)
    if boost > 1 and lead_chars > 0:
        cut = text.rfind(" ", 0, lead_chars) if len(text) > lead_chars else len(text)
        _count(text[:max(cut, 0)], names is None, words, found, boost - 1, common)
    if names is not None:
        for name in names:
            parts = [p for p in re.findall(r"[\w'-]+", name.lower()) if p not in STOP_WORDS]
            if not parts:
                continue
            found[" ".join(parts)] += 1
            for p in parts:
                found[p] += 1
    return words, found


@dataclass(frozen=True, slots=True, eq=False)
class DocVector:
    """One article (or several copies of one text and date) as clustering sees it.

    ``words`` and ``names`` are unit vectors in the hashed space (indices, weights); ``terms`` are
    the salient terms it is indexed under."""

    key: str
    day: int | None
    word_idx: np.ndarray
    word_val: np.ndarray
    name_idx: np.ndarray
    name_val: np.ndarray
    terms: tuple[str, ...]
    principal: int = -1  # the hashed surname of its principal person (-1: none)

    def bucket(self) -> int:
        """The index bucket: the week of the date, or UNDATED."""
        return UNDATED if self.day is None else self.day // BUCKET_DAYS

    def to_json(self) -> str:
        """A compact JSON form for a database column."""
        data = {"k": self.key, "d": self.day, "wi": self.word_idx.tolist(),
                "wv": [round(float(x), 5) for x in self.word_val], "ni": self.name_idx.tolist(),
                "nv": [round(float(x), 5) for x in self.name_val], "t": list(self.terms)}
        if self.principal >= 0:
            data["p"] = self.principal
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str) -> DocVector:
        """The inverse of :meth:`to_json` (a vector stored without a principal person has none)."""
        d = json.loads(data)
        return cls(d["k"], d["d"], np.asarray(d["wi"], dtype=np.int32), np.asarray(d["wv"], dtype=np.float32),
                   np.asarray(d["ni"], dtype=np.int32), np.asarray(d["nv"], dtype=np.float32), tuple(d["t"]),
                   int(d.get("p", -1)))


def _weigh(counts: Counter[str], settings: ClusterSettings) -> tuple[dict[int, float], list[tuple[float, str]]]:
    """Hashed, IDF-weighted, unit-length vector and the terms by weight (heaviest first)."""
    vec: dict[int, float] = {}
    ranked: list[tuple[float, str]] = []
    for term, n in counts.items():
        w = (1.0 + math.log(n)) * term_idf(term, settings) ** settings.idf_power
        h = _hash(term)
        vec[h] = vec.get(h, 0.0) + w
        ranked.append((w, term))
    norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
    ranked.sort(key=lambda x: (-x[0], x[1]))
    return {h: v / norm for h, v in vec.items()}, ranked


def _arrays(vec: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    idx = np.fromiter(sorted(vec), dtype=np.int32, count=len(vec))
    return idx, np.asarray([vec[int(i)] for i in idx], dtype=np.float32)


def vectorize(doc: StoryDoc, settings: ClusterSettings | None = None) -> DocVector:
    """The clustering vector of one article: a function of the article alone."""
    s = settings or ClusterSettings()
    words, names = text_features(doc.text, doc.names, lead_chars=s.lead_chars, boost=s.lead_boost)
    wvec, wrank = _weigh(words, s)
    nvec, nrank = _weigh(names, s)
    # Index terms: the heaviest names (numbers and months only if nothing else), then words.
    salient = [t for _, t in nrank if not t.startswith(("#", "@"))][: (s.index_terms * 2) // 3]
    salient += [t for _, t in wrank if t not in salient][: s.index_terms - len(salient)]
    wi, wv = _arrays(wvec)
    ni, nv = _arrays(nvec)
    day = doc.published.toordinal() if doc.published else None
    principal = _hash(doc.principal) if doc.principal else -1
    return DocVector(doc.key or content_key(doc.text), day, wi, wv, ni, nv, tuple(salient), principal)


def _stack(vecs: Sequence[DocVector], names: bool) -> sparse.csr_matrix:
    idx = [v.name_idx if names else v.word_idx for v in vecs]
    val = [v.name_val if names else v.word_val for v in vecs]
    indptr = np.zeros(len(vecs) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(i) for i in idx])
    return sparse.csr_matrix((np.concatenate(val) if vecs else np.zeros(0, np.float32),
                              np.concatenate(idx) if vecs else np.zeros(0, np.int32), indptr),
                             shape=(len(vecs), DIM))


def date_factor(gap_days: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """Similarity multiplier for articles ``gap_days`` apart (NaN: a date is unknown, no penalty)."""
    extra = np.clip(np.nan_to_num(gap_days, nan=0.0) - settings.date_grace, 0.0, None)
    return np.power(0.5, extra / settings.date_scale)


def _days(vecs: Sequence[DocVector]) -> np.ndarray:
    return np.array([math.nan if v.day is None else float(v.day) for v in vecs])


def principal_factors(a: Sequence[DocVector], b: Sequence[DocVector], settings: ClusterSettings) -> np.ndarray:
    """Similarity multiplier of every article of ``a`` with every one of ``b`` for their principal
    persons: ``principal_factor`` where both have one, they differ, and one of the two articles
    never names the other's person; else 1."""
    out = np.ones((len(a), len(b)))
    if settings.principal_factor == 1.0:
        return out
    pa = np.asarray([v.principal for v in a], dtype=np.int64)
    pb = np.asarray([v.principal for v in b], dtype=np.int64)
    ia, jb = np.nonzero(pa >= 0)[0], np.nonzero(pb >= 0)[0]
    if len(ia) == 0 or len(jb) == 0:
        return out
    terms = np.unique(np.concatenate([pa[ia], pb[jb]]))
    # which of the principal persons' surnames each article names (its names vector holds them)
    na = (_stack([a[int(i)] for i in ia], True)[:, terms] != 0).toarray()
    nb = (_stack([b[int(j)] for j in jb], True)[:, terms] != 0).toarray()
    a_names_b = na[:, np.searchsorted(terms, pb[jb])]
    b_names_a = nb[:, np.searchsorted(terms, pa[ia])].T
    damp = (pa[ia][:, None] != pb[jb][None, :]) & ~(a_names_b & b_names_a)
    block = out[np.ix_(ia, jb)]
    block[damp] = settings.principal_factor
    out[np.ix_(ia, jb)] = block
    return out


def similarity(a: Sequence[DocVector], b: Sequence[DocVector], settings: ClusterSettings) -> np.ndarray:
    """Dense similarity of every article of ``a`` with every article of ``b``, dates and principal
    persons damping it."""
    w = settings.name_weight
    sim = ((1 - w) * (_stack(a, False) @ _stack(b, False).T).toarray()
           + w * (_stack(a, True) @ _stack(b, True).T).toarray())
    gap = np.abs(_days(a)[:, None] - _days(b)[None, :])
    return sim * date_factor(gap, settings) * principal_factors(a, b, settings)


def shared_neighbours(sim: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """``sim`` blended with the cosine of each article's close-neighbour profile (itself included)."""
    s = settings
    n = sim.shape[0]
    if s.neighbour_share <= 0 or n < 3:
        return sim
    off = sim.copy()
    np.fill_diagonal(off, 0.0)
    best = off.max(axis=1)
    off[off < np.maximum(s.neighbour_cut * best, s.threshold)[:, None]] = 0.0
    if s.neighbour_max and n > s.neighbour_max + 1:
        # keep only the ``neighbour_max`` closest (ties to the earlier in canonical order)
        order = np.argsort(-off, axis=1, kind="stable")[:, s.neighbour_max:]
        np.put_along_axis(off, order, 0.0, axis=1)
    np.fill_diagonal(off, best)
    prof = sparse.csr_matrix(off)
    del off
    norms = np.sqrt(np.asarray(prof.multiply(prof).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    prof = sparse.diags(1.0 / norms) @ prof
    shared = (prof @ prof.T).toarray()
    return (1.0 - s.neighbour_share) * sim + s.neighbour_share * shared


# ---------------------------------------------------------------- one unit


def _cut(z: np.ndarray, sim: np.ndarray, s: ClusterSettings) -> np.ndarray:
    """Flat clusters from an average-linkage tree: merges below the threshold are cut, and so are
    merges of two groups that are much less alike than each group is inside (the contrast)."""
    n = sim.shape[0]
    members: list[list[int]] = [[i] for i in range(n)]
    inner = [0.0] * n  # sum of pairwise similarities inside each node
    ok = [True] * n  # node may stand as one cluster
    for a, b, dist, _ in z:
        a, b = int(a), int(b)
        ma, mb = members[a], members[b]
        cross = float(sim[np.ix_(ma, mb)].sum())
        avg = cross / (len(ma) * len(mb))
        good = ok[a] and ok[b] and 1.0 - dist >= s.threshold
        if good and min(len(ma), len(mb)) >= s.contrast_size:
            coh = min(inner[a] / (len(ma) * (len(ma) - 1) / 2), inner[b] / (len(mb) * (len(mb) - 1) / 2))
            good = avg >= s.contrast * coh
        members.append(ma + mb)
        inner.append(inner[a] + inner[b] + cross)
        ok.append(good)
    labels = np.zeros(n, dtype=np.int64)
    stack = [2 * n - 2]
    next_label = 1
    while stack:
        node = stack.pop()
        if ok[node]:
            labels[members[node]] = next_label
            next_label += 1
        else:
            k = node - n
            stack.extend((int(z[k, 1]), int(z[k, 0])))
    return labels


def _dense_groups(vecs: Sequence[DocVector], s: ClusterSettings) -> list[list[int]]:
    n = len(vecs)
    if n == 1:
        return [[0]]
    sim = shared_neighbours(similarity(vecs, vecs, s).astype(np.float32), s)
    dist = np.clip(1.0 - sim, 0.0, None)
    z = linkage(dist[np.triu_indices(n, k=1)], method="average")
    del dist
    labels = _cut(z, sim, s)
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return list(groups.values())


def cluster_unit(vecs: Sequence[DocVector], settings: ClusterSettings) -> list[list[int]]:
    """The stories of one unit (see :class:`StoryEngine`): lists of positions into ``vecs``, which
    must be in canonical order. A unit larger than ``max_dense`` (near-copies linked above the top
    level) is one story."""
    if len(vecs) > settings.max_dense:
        return [list(range(len(vecs)))]
    return _dense_groups(vecs, settings)


# ---------------------------------------------------------------- the engine and its state


@dataclass(frozen=True, slots=True)
class StoryChange:
    """A story whose members changed: ``nodes`` now (empty when it was merged into another)."""

    story: str
    nodes: tuple[int, ...]


class StoryState(Protocol):
    """Where the engine keeps its graph: nodes (one per distinct text and date), their index terms,
    their piece at each level and their story. :class:`MemoryState` keeps it in memory, the store
    in its database."""

    def find(self, keys: Sequence[tuple[str, int | None]]) -> dict[tuple[str, int | None], int]:
        """Nodes already holding these (content key, day) pairs."""
        ...

    def add_nodes(self, vecs: Sequence[DocVector], levels: int) -> list[int]:
        """Store and index new nodes, each its own piece at every level (numbered by the node: a
        piece keeps the number of the node it started from); their handles."""
        ...

    def candidates(self, vec: DocVector, settings: ClusterSettings, *, before: int) -> list[int]:
        """Nodes numbered below ``before`` (added earlier) sharing an index term with ``vec`` whose
        dates may lie within reach: per term, the ``settings.posting_max`` most recent of them."""
        ...

    def vectors(self, nodes: Sequence[int]) -> list[DocVector]:
        """The vectors of ``nodes``, in that order."""
        ...

    def pieces(self, level: int, nodes: Sequence[int]) -> dict[int, int]:
        """The piece of each node at ``level``."""
        ...

    def sizes(self, level: int, pieces: Sequence[int]) -> dict[int, int]:
        """How many nodes each piece of ``level`` holds."""
        ...

    def merge_pieces(self, level: int, into: int, others: Sequence[int]) -> None:
        """Make the pieces ``others`` of ``level`` part of piece ``into``."""
        ...

    def members(self, level: int, piece: int) -> list[int]:
        """Every node of a piece."""
        ...

    def stories(self, nodes: Sequence[int]) -> dict[int, str | None]:
        """The story of each node (None for a node not in a story yet)."""
        ...

    def story_ids_taken(self, ids: Sequence[str]) -> set[str]:
        """Which of ``ids`` name a story already."""
        ...

    def set_stories(self, assignment: dict[int, str], dropped: Sequence[str]) -> None:
        """Record each node's story; ``dropped`` stories have no node left."""
        ...


class MemoryState:
    """The engine's state in memory (``analyze``, ``cluster``, the evaluation)."""

    def __init__(self) -> None:
        self.vecs: list[DocVector] = []
        self.by_key: dict[tuple[str, int | None], int] = {}
        self.postings: dict[str, dict[int, list[int]]] = {}
        self.piece: list[list[int]] = []  # per level: node -> piece
        self.piece_members: list[dict[int, list[int]]] = []
        self.story: list[str | None] = []
        self.story_nodes: dict[str, list[int]] = {}

    def find(self, keys: Sequence[tuple[str, int | None]]) -> dict[tuple[str, int | None], int]:
        return {k: self.by_key[k] for k in keys if k in self.by_key}

    def add_nodes(self, vecs: Sequence[DocVector], levels: int) -> list[int]:
        while len(self.piece) < levels:
            self.piece.append([])
            self.piece_members.append({})
        out = []
        for v in vecs:
            node = len(self.vecs)
            self.vecs.append(v)
            self.by_key[(v.key, v.day)] = node
            for lv in range(levels):
                self.piece[lv].append(node)
                self.piece_members[lv][node] = [node]
            self.story.append(None)
            for t in v.terms:
                self.postings.setdefault(t, {}).setdefault(v.bucket(), []).append(node)
            out.append(node)
        return out

    def candidates(self, vec: DocVector, settings: ClusterSettings, *, before: int) -> list[int]:
        found: set[int] = set()
        buckets = candidate_buckets(vec, settings)
        cap = settings.posting_max
        for t in vec.terms:
            by_bucket = self.postings.get(t)
            if not by_bucket:
                continue
            lists = list(by_bucket.values()) if buckets is None else [by_bucket[b] for b in buckets if b in by_bucket]
            # each list is in node order: the ``cap`` nodes before ``before`` are the term's most recent
            tails = [nodes[max(end - cap, 0):end] for nodes in lists if (end := bisect_left(nodes, before))]
            if not tails:
                continue
            found.update(tails[0] if len(tails) == 1 else sorted(chain.from_iterable(tails))[-cap:])
        return sorted(found)

    def vectors(self, nodes: Sequence[int]) -> list[DocVector]:
        return [self.vecs[n] for n in nodes]

    def pieces(self, level: int, nodes: Sequence[int]) -> dict[int, int]:
        return {n: self.piece[level][n] for n in nodes}

    def sizes(self, level: int, pieces: Sequence[int]) -> dict[int, int]:
        return {p: len(self.piece_members[level][p]) for p in pieces}

    def merge_pieces(self, level: int, into: int, others: Sequence[int]) -> None:
        target = self.piece_members[level][into]
        for c in others:
            for n in self.piece_members[level].pop(c):
                self.piece[level][n] = into
                target.append(n)

    def members(self, level: int, piece: int) -> list[int]:
        return list(self.piece_members[level][piece])

    def stories(self, nodes: Sequence[int]) -> dict[int, str | None]:
        return {n: self.story[n] for n in nodes}

    def story_ids_taken(self, ids: Sequence[str]) -> set[str]:
        return {i for i in ids if i in self.story_nodes}

    def set_stories(self, assignment: dict[int, str], dropped: Sequence[str]) -> None:
        for sid in dropped:
            self.story_nodes.pop(sid, None)
        for node, sid in assignment.items():
            old = self.story[node]
            if old is not None and old != sid and old in self.story_nodes:
                self.story_nodes[old].remove(node)
            if old != sid:
                self.story_nodes.setdefault(sid, []).append(node)
            self.story[node] = sid


def candidate_buckets(vec: DocVector, s: ClusterSettings) -> list[int] | None:
    """Index buckets a dated article can have edges in (None: every bucket, for an undated one)."""
    if vec.day is None:
        return None
    gap = int(math.ceil(s.max_gap()))
    return [UNDATED, *range((vec.day - gap) // BUCKET_DAYS, (vec.day + gap) // BUCKET_DAYS + 1)]


def unique_inverse(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(values, return_inverse=True)`` for non-negative integers (node and piece numbers),
    by marking them in an array as long as the largest rather than sorting: the edges of a flood
    of look-alike records are many and their ends few (8,000 records: 3.3 CPU s of sorting)."""
    if len(values) == 0 or int(values.max()) > 8 * len(values) + 1_000_000:
        return np.unique(values, return_inverse=True)
    seen = np.zeros(int(values.max()) + 1, dtype=bool)
    seen[values] = True
    position = np.cumsum(seen) - 1
    return np.flatnonzero(seen), position[values]


def _story_id(key: str, n: int) -> str:
    return "S" + hashlib.sha1(f"{key}:{n}".encode()).hexdigest()[:10]


class StoryEngine:
    """Adds articles to a :class:`StoryState` and keeps its stories those of the whole set.

    Pieces: the connected components of the edges at or above each level (``threshold``,
    then ``level_ratio`` times more, up to ``level_top``); a piece of a level lies inside one
    piece of the level above. An article's *unit* is its piece at the first level where the piece
    holds at most ``max_dense`` articles: units are clustered (average linkage) each on its own.
    Where every component is small (real news), the unit is the component and the result is
    exactly average linkage over all articles; a stream of look-alike texts that links into one
    huge component is cut at higher levels first, so the work per article stays bounded.
    """

    def __init__(self, state: StoryState, settings: ClusterSettings | None = None) -> None:
        self.state = state
        self.settings = settings or ClusterSettings()
        self.levels = self.settings.levels()
        self.pairs_scored = 0  # candidate pairs whose similarity was computed, over every add

    def add(self, docs: Sequence[StoryDoc | Analysis | CleanArticle],
            made: dict[StoryDoc, DocVector] | None = None) -> tuple[list[int], list[StoryChange]]:
        """Add articles; returns the node of each (copies share one) and the stories that changed.

        ``made``: vectors computed before (:func:`vectorize` of a StoryDoc with its id blanked),
        used instead of computing them again; the vectors made here are added to it."""
        s = self.settings
        sdocs = [doc_from(d) for d in docs]
        # copies of one article (the same text, date and names) have one vector: computed once
        made = {} if made is None else made
        vecs: list[DocVector] = []
        for d in sdocs:
            same = replace(d, id="")
            if same not in made:
                made[same] = vectorize(d, s)
            vecs.append(made[same])
        keys = [(v.key, v.day) for v in vecs]
        known = self.state.find(keys)
        fresh: dict[tuple[str, int | None], DocVector] = {}
        for k, v in zip(keys, vecs, strict=True):
            if k not in known and k not in fresh:
                fresh[k] = v
        new_vecs = sorted(fresh.values(), key=lambda v: (v.key, v.day or 0))
        new_nodes = self.state.add_nodes(new_vecs, len(self.levels))
        known.update({(v.key, v.day): n for v, n in zip(new_vecs, new_nodes, strict=True)})
        nodes = [known[k] for k in keys]
        if not new_nodes:
            return nodes, []
        touched = set(new_nodes)
        # edges block by block: the pieces are the components of all of them whatever the order
        # they are merged in, and only one block's edges are held at a time
        for src, dst, sim in self._edges(new_nodes, new_vecs):
            # the block's nodes once, each edge's ends as positions among them, for every level
            linked, ends = unique_inverse(np.concatenate([src, dst]))
            a, b = ends[:len(src)], ends[len(src):]
            for lv, cut in enumerate(self.levels):
                keep = sim >= cut
                touched |= self._merge(lv, linked, a[keep], b[keep])
        groups: list[list[int]] = []
        members: list[int] = []
        for lv, piece in self._units(sorted(touched)):
            unit = self.state.members(lv, piece)
            uvecs = self.state.vectors(unit)
            order = sorted(range(len(unit)), key=lambda i: (uvecs[i].key, uvecs[i].day or 0))
            groups += [[unit[order[i]] for i in g] for g in cluster_unit([uvecs[i] for i in order], s)]
            members += unit
        changes = self._name_stories(groups, members)
        return nodes, [StoryChange(sid, ns) for sid, ns in changes.items()]

    def _edges(self, new_nodes: list[int], new_vecs: list[DocVector]
               ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Pairs (new node, node) sharing an index term with similarity at or above the threshold:
        the two nodes and the similarity, as arrays, for each block of new nodes in turn."""
        s = self.settings
        block = 256
        for start in range(0, len(new_vecs), block):
            part = new_vecs[start:start + block]
            # each pair once, from its later node: a node meets the nodes added before it (the same
            # batch's included, in canonical order), so old nodes stay within every new node's reach
            cands = [self.state.candidates(v, s, before=n) for n, v in zip(new_nodes[start:start + block], part,
                                                                           strict=True)]
            involved = sorted({c for cs in cands for c in cs})
            self.pairs_scored += sum(len(cs) for cs in cands)
            if not involved:
                continue
            inv = np.asarray(involved, dtype=np.int64)
            ivecs = self.state.vectors(involved)
            w_all, n_all = _stack(ivecs, False).T.tocsc(), _stack(ivecs, True).T.tocsc()
            days = _days(ivecs)
            src: list[np.ndarray] = []
            dst: list[np.ndarray] = []
            sims: list[np.ndarray] = []
            words = (_stack(part, False) @ w_all).toarray() if len(involved) * len(part) <= 4_000_000 else None
            names = (_stack(part, True) @ n_all).toarray() if words is not None else None
            pdays = _days(part)
            for k in range(len(part)):
                cs = cands[k]
                if not cs:
                    continue
                cols = np.searchsorted(inv, np.asarray(cs, dtype=np.int64))
                if words is not None and names is not None:
                    wrow, nrow = words[k, cols], names[k, cols]
                else:  # a huge candidate set: one row at a time keeps memory bounded
                    wrow = (_stack(part[k:k + 1], False) @ w_all).toarray()[0, cols]
                    nrow = (_stack(part[k:k + 1], True) @ n_all).toarray()[0, cols]
                sim = (1 - s.name_weight) * wrow + s.name_weight * nrow
                sim = sim * date_factor(np.abs(days[cols] - pdays[k]), s)
                if part[k].principal >= 0:
                    sim = sim * principal_factors(part[k:k + 1], [ivecs[int(c)] for c in cols], s)[0]
                hit = np.nonzero(sim >= s.threshold)[0]
                src.append(np.full(len(hit), new_nodes[start + k], dtype=np.int64))
                dst.append(inv[cols[hit]])
                sims.append(sim[hit])
            if src:
                yield np.concatenate(src), np.concatenate(dst), np.concatenate(sims)

    def _merge(self, level: int, nodes: np.ndarray, a: np.ndarray, b: np.ndarray) -> set[int]:
        """Join the pieces of ``level`` that the edges ``nodes[a]``-``nodes[b]`` link; returns the nodes of
        every piece that held at most ``max_dense`` nodes and joined a larger piece (their unit is cut anew)."""
        from scipy.sparse.csgraph import connected_components

        if len(a) == 0:
            return set()
        used = np.zeros(len(nodes), dtype=bool)
        used[a] = used[b] = True
        at = np.flatnonzero(used)
        piece_of = self.state.pieces(level, nodes[at].tolist())
        piece_arr = np.zeros(len(nodes), dtype=np.int64)
        piece_arr[at] = [piece_of[int(n)] for n in nodes[at]]
        pa, pb = piece_arr[a], piece_arr[b]
        # an edge inside one piece joins nothing: in a flood most are, once its pieces have formed
        apart = pa != pb
        if not apart.any():
            return set()
        pa, pb = pa[apart], pb[apart]
        uniq, idx = unique_inverse(np.concatenate([pa, pb]))
        k = len(uniq)
        graph = sparse.coo_matrix((np.ones(len(pa)), (idx[:len(pa)], idx[len(pa):])), shape=(k, k))
        _, label = connected_components(graph, directed=False)
        joined: dict[int, list[int]] = {}
        for c, lab in zip(uniq.tolist(), label.tolist(), strict=True):
            joined.setdefault(lab, []).append(c)
        broken: set[int] = set()
        for group in joined.values():
            if len(group) < 2:
                continue
            size = self.state.sizes(level, group)
            if sum(size.values()) > self.settings.max_dense:
                # a piece small enough to be (or lie inside) a unit joins one too large to be one:
                # each of its nodes gets a unit at a deeper level
                for c in group:
                    if size[c] == 1:  # a piece is numbered by a node it holds: a lone node (no lookup)
                        broken.add(c)
                    elif size[c] <= self.settings.max_dense:
                        broken.update(self.state.members(level, c))
            into = max(group, key=lambda c: (size[c], -c))  # relabel the smaller pieces
            self.state.merge_pieces(level, into, sorted(c for c in group if c != into))
        return broken

    def _units(self, nodes: list[int]) -> list[tuple[int, int]]:
        """The distinct units (level, piece) of ``nodes``."""
        units: set[tuple[int, int]] = set()
        todo = nodes
        last = len(self.levels) - 1
        for lv in range(len(self.levels)):
            piece = self.state.pieces(lv, todo)
            size = self.state.sizes(lv, sorted(set(piece.values())))
            rest = []
            for n in todo:
                if size[piece[n]] <= self.settings.max_dense or lv == last:
                    units.add((lv, piece[n]))
                else:
                    rest.append(n)
            todo = rest
            if not todo:
                break
        return sorted(units)

    def _name_stories(self, groups: list[list[int]], members: list[int]) -> dict[str, tuple[int, ...]]:
        """Give each new group a story id: the old story holding most of its nodes keeps its id."""
        old = self.state.stories(members)
        before: dict[str, set[int]] = {}
        for n, sid in old.items():
            if sid is not None:
                before.setdefault(sid, set()).add(n)
        taken: set[str] = set()
        assignment: dict[int, str] = {}
        result: dict[str, tuple[int, ...]] = {}
        for g in sorted(groups, key=lambda g: (-len(g), min(g))):
            overlap = Counter(sid for n in g if (sid := old[n]) is not None and sid not in taken)
            if overlap:
                sid = min(overlap, key=lambda k: (-overlap[k], k))
            else:
                key = self.state.vectors([min(g)])[0].key
                n = 0
                sid = _story_id(key, n)
                while sid in taken or self.state.story_ids_taken([sid]):
                    n += 1
                    sid = _story_id(key, n)
            taken.add(sid)
            if set(g) != before.get(sid, set()):
                result[sid] = tuple(sorted(g))
            for n in g:
                assignment[n] = sid
        dropped = sorted(set(before) - taken)
        for sid in dropped:
            result[sid] = ()
        changed = {n: sid for n, sid in assignment.items() if old[n] != sid}
        self.state.set_stories(changed, dropped)
        return result


class StoryClusterer:
    """Story clustering in memory: ``add`` batches, then ``groups`` (the same for any batching or order)."""

    def __init__(self, *, threshold: float | None = None, settings: ClusterSettings | None = None) -> None:
        s = settings or ClusterSettings()
        if threshold is not None:
            s = replace(s, threshold=threshold)
        self.settings = s
        self.state = MemoryState()
        self.engine = StoryEngine(self.state, s)
        self.nodes: list[int] = []  # node of each article added, in order
        self._made: dict[StoryDoc, DocVector] = {}  # vectors of prepared articles not added yet

    def __len__(self) -> int:
        return len(self.state.story_nodes)

    def prepare(self, doc: StoryDoc | Analysis | CleanArticle) -> StoryDoc:
        """Work out an article's vector now, for a later ``add`` of the StoryDoc returned: what a
        caller waiting on other processes can do meanwhile (``analyze`` with a pool of workers)."""
        sdoc = doc_from(doc)
        same = replace(sdoc, id="")
        if same not in self._made:
            self._made[same] = vectorize(sdoc, self.settings)
        return sdoc

    def add(self, batch: Iterable[StoryDoc | Analysis | CleanArticle]) -> list[int]:
        """Add a batch; the current story number of each of its articles (later batches may renumber)."""
        nodes, _ = self.engine.add(list(batch), self._made)
        self._made.clear()  # each vector is wanted once: an added article is never added again
        start = len(self.nodes)
        self.nodes.extend(nodes)
        return self.labels()[start:]

    def labels(self) -> list[int]:
        """Story number of every article added so far: stories numbered by their first article."""
        numbers: dict[str, int] = {}
        out = []
        for n in self.nodes:
            sid = self.state.story[n] or ""
            out.append(numbers.setdefault(sid, len(numbers)))
        return out

    def groups(self) -> list[list[int]]:
        """Article indexes (in the order added) per story, stories in order of their first article."""
        out: list[list[int]] = []
        for i, lab in enumerate(self.labels()):
            if lab == len(out):
                out.append([])
            out[lab].append(i)
        return out


def cluster_stories(analyses: Sequence[Analysis | CleanArticle | StoryDoc], *,
                    threshold: float | None = None) -> list[list[int]]:
    """Group article indexes into stories (lists of indexes in input order)."""
    clusterer = StoryClusterer(threshold=threshold)
    clusterer.add(analyses)
    return clusterer.groups()
