"""Story clustering: which articles tell the same story, built up batch by batch.

Each article becomes two hashed, TF-IDF weighted vectors: its content words, and its
*names* (named entities when a spaCy analysis is given, else capitalised words and
word pairs that the text never writes in lower case; plus numbers, years and month names).
Hyphenated words count as their parts. Two articles are alike by a
weighted sum of the two cosines, damped when their publication dates lie far apart:
two earthquakes or two arrests share most words but few names, numbers and days.

Inside a batch, half of the similarity is how far two articles share their close neighbours:
the articles of one story point at each other, while two same-kind events (two players' injuries
at one club) each keep their own neighbours even when their cross similarity is high.

``StoryClusterer.add(batch)`` clusters the batch by average linkage (scipy), then
joins each new group to the existing story with the highest average similarity,
if it passes the threshold. A story keeps only compact state: the sums of its
members' vectors (trimmed to the heaviest terms), its size and its date range, so
a new batch never re-reads old texts. The same batches in the same order give the
same stories.
"""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import linkage

from .models import Analysis, CleanArticle

#: Hashed feature space per vector kind (words, names).
DIM = 1 << 20
#: Entity types that name a story's participants and places (NORP, e.g. "Democrats", does not).
NAME_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})

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
    """What clustering needs from one article; ``names`` come from an analysis when there is one."""

    id: str
    text: str
    published: date | None = None
    names: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Knobs of the similarity; the defaults are tuned on ECB+ topics 1-35 and BASIL together."""

    threshold: float = 0.1  # average-linkage similarity for one story
    name_weight: float = 0.7  # share of the names cosine in the similarity
    idf_power: float = 1.5  # IDF**power: rare shared terms (a name, a figure) weigh more
    lead_chars: int = 300  # the lead, whose terms count ``lead_boost`` times
    lead_boost: int = 3
    date_grace: int = 2  # days apart that cost nothing
    date_scale: float = 3.0  # further days halve the similarity every ``date_scale`` days
    max_terms: int = 400  # terms kept per story vector
    window: int = 60  # stories whose dates end this many days before a new group are not candidates
    contrast: float = 0.65  # two groups of ``contrast_size``+ stay apart when their cross similarity is
    contrast_size: int = 6  # below ``contrast`` times the cohesion of the looser group
    # Shared neighbours: articles of one story have the same close neighbours in a batch, two events
    # of one kind each have their own. A neighbour is close when its similarity is at least
    # ``neighbour_cut`` times the article's best one and at least the threshold. ``neighbour_share``
    # of the batch similarity is the overlap of close neighbours (cosine of the two profiles), the
    # rest the direct similarity; 0 turns it off.
    neighbour_share: float = 0.5
    neighbour_cut: float = 0.65


def doc_from(item: StoryDoc | Analysis | CleanArticle) -> StoryDoc:
    """A StoryDoc from an Analysis (names from its entities), a CleanArticle (names from the text)."""
    if isinstance(item, StoryDoc):
        return item
    if isinstance(item, Analysis):
        art = item.article
        names = tuple(e.name for e in item.entities if e.type in NAME_TYPES)
        return StoryDoc(art.article.id, art.text, art.article.published, names)
    return StoryDoc(item.article.id, item.text, item.article.published)


# ---------------------------------------------------------------- features


_HASH_CACHE: dict[str, int] = {}
_HASH_CACHE_MAX = 2_000_000


def _hash(term: str) -> int:
    h = _HASH_CACHE.get(term)
    if h is None:
        h = zlib.crc32(term.encode("utf-8")) & (DIM - 1)
        if len(_HASH_CACHE) < _HASH_CACHE_MAX:
            _HASH_CACHE[term] = h
    return h


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


def _rows(counts: Sequence[Counter[str]]) -> sparse.csr_matrix:
    """Sublinear term counts, hashed into a sparse matrix (collisions add up)."""
    indptr = [0]
    indices: list[int] = []
    data: list[float] = []
    for c in counts:
        for term, n in c.items():
            indices.append(_hash(term))
            data.append(1.0 + math.log(n))
        indptr.append(len(indices))
    m = sparse.csr_matrix((np.asarray(data, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                           np.asarray(indptr, dtype=np.int64)), shape=(len(counts), DIM))
    m.sum_duplicates()
    return m


def _normalise(m: sparse.csr_matrix) -> sparse.csr_matrix:
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.diags((1.0 / norms).astype(np.float32)) @ m


class _Idf:
    """Document frequencies that grow with every batch."""

    def __init__(self, power: float = 1.0) -> None:
        self.power = power
        self.df = np.zeros(DIM, dtype=np.int32)
        self.n = 0

    def update(self, m: sparse.csr_matrix) -> None:
        cols = m.indices
        np.add.at(self.df, cols, 1)
        self.n += m.shape[0]

    def weigh(self, m: sparse.csr_matrix) -> sparse.csr_matrix:
        m = m.copy()
        idf = np.log((1.0 + self.n) / (1.0 + self.df[m.indices])) + 1.0
        m.data *= np.power(idf, self.power).astype(np.float32)
        return _normalise(m)


def date_factor(gap_days: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """Similarity multiplier for articles ``gap_days`` apart (NaN: a date is unknown, no penalty)."""
    extra = np.clip(np.nan_to_num(gap_days, nan=0.0) - settings.date_grace, 0.0, None)
    return np.power(0.5, extra / settings.date_scale)


def shared_neighbours(sim: np.ndarray, settings: ClusterSettings) -> np.ndarray:
    """``sim`` blended with the cosine of each article's close-neighbour profile (itself included)."""
    s = settings
    if s.neighbour_share <= 0 or sim.shape[0] < 3:
        return sim
    off = sim.copy()
    np.fill_diagonal(off, 0.0)
    best = off.max(axis=1)
    off[off < np.maximum(s.neighbour_cut * best, s.threshold)[:, None]] = 0.0
    np.fill_diagonal(off, best)
    prof = sparse.csr_matrix(off)
    del off
    norms = np.sqrt(np.asarray(prof.multiply(prof).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    prof = sparse.diags(1.0 / norms) @ prof
    shared = (prof @ prof.T).toarray()
    return (1.0 - s.neighbour_share) * sim + s.neighbour_share * shared


def _ordinal(d: date | None) -> float:
    return float(d.toordinal()) if d is not None else math.nan


# ---------------------------------------------------------------- stories


@dataclass(slots=True)
class _Story:
    words: sparse.csr_matrix  # 1 x DIM sum of member word vectors (trimmed)
    names: sparse.csr_matrix
    size: int
    first: float  # date ordinals, NaN when no member is dated
    last: float
    members: list[int] = field(default_factory=list)


def _cut(z: np.ndarray, sim: np.ndarray, s: ClusterSettings) -> np.ndarray:
    """Flat clusters from an average-linkage tree: merges below the threshold are cut, and so are
    merges of two large groups that are much less alike than each group is inside (the contrast)."""
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


def _trim(row: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    if row.nnz <= keep:
        return row
    order = np.argsort(-row.data, kind="stable")[:keep]
    order.sort()
    return sparse.csr_matrix((row.data[order], row.indices[order], np.array([0, keep])), shape=row.shape)


class StoryClusterer:
    """Incremental story clustering; ``add`` returns a story id (0, 1, ...) per article of the batch."""

    def __init__(self, *, threshold: float | None = None, settings: ClusterSettings | None = None) -> None:
        s = settings or ClusterSettings()
        if threshold is not None:
            s = ClusterSettings(**{**{f: getattr(s, f) for f in s.__slots__}, "threshold": threshold})
        self.settings = s
        self.stories: list[_Story] = []
        self._idf_words = _Idf(s.idf_power)
        self._idf_names = _Idf(s.idf_power)
        self._count = 0

    def __len__(self) -> int:
        return len(self.stories)

    def similarity(self, words: sparse.csr_matrix, names: sparse.csr_matrix, dates: np.ndarray) -> np.ndarray:
        """Pairwise similarity of normalised article vectors, dates damping it."""
        w = self.settings.name_weight
        sim = (1 - w) * (words @ words.T).toarray() + w * (names @ names.T).toarray()
        gap = np.abs(dates[:, None] - dates[None, :])
        return sim * date_factor(gap, self.settings)

    def add(self, batch: Iterable[StoryDoc | Analysis | CleanArticle]) -> list[int]:
        """Cluster a batch of articles into the existing stories or new ones; story ids in input order."""
        docs = [doc_from(d) for d in batch]
        if not docs:
            return []
        s = self.settings
        feats = [text_features(d.text, d.names, lead_chars=s.lead_chars, boost=s.lead_boost) for d in docs]
        raw_words = _rows([f[0] for f in feats])
        raw_names = _rows([f[1] for f in feats])
        self._idf_words.update(raw_words)
        self._idf_names.update(raw_names)
        words = self._idf_words.weigh(raw_words)
        names = self._idf_names.weigh(raw_names)
        del raw_words, raw_names, feats
        dates = np.array([_ordinal(d.published) for d in docs])

        # 1. average linkage inside the batch
        if len(docs) > 1:
            sim = shared_neighbours(self.similarity(words, names, dates), s)
            dist = np.clip(1.0 - sim, 0.0, None)
            iu = np.triu_indices(len(docs), k=1)
            z = linkage(dist[iu], method="average")
            del dist, iu
            labels = _cut(z, sim, s)
            del sim
        else:
            labels = np.array([1])
        # Groups in order of their first article, so ids do not depend on scipy's label order.
        groups: dict[int, list[int]] = {}
        for i, lab in enumerate(labels):
            groups.setdefault(int(lab), []).append(i)

        # 2. each group joins the best existing story, or starts one
        group_list = list(groups.values())
        rows = np.repeat(np.arange(len(group_list)), [len(m) for m in group_list])
        cols = np.concatenate([np.asarray(m) for m in group_list])
        member_of = sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)),
                                      shape=(len(group_list), len(docs)))
        g_words = (member_of @ words).tocsr()
        g_names = (member_of @ names).tocsr()
        g_size = np.array([len(m) for m in group_list], dtype=np.float64)
        g_first = np.array([np.nanmin(dates[m]) if not np.all(np.isnan(dates[m])) else math.nan
                            for m in group_list])
        g_last = np.array([np.nanmax(dates[m]) if not np.all(np.isnan(dates[m])) else math.nan
                           for m in group_list])
        target = self._match(g_words, g_names, g_size, g_first, g_last)

        out = [0] * len(docs)
        for gi, members in enumerate(group_list):
            sid = int(target[gi])
            gw = _trim(g_words[gi], s.max_terms)
            gn = _trim(g_names[gi], s.max_terms)
            ids = [self._count + i for i in members]
            if sid < 0:
                sid = len(self.stories)
                self.stories.append(_Story(gw, gn, len(members), g_first[gi], g_last[gi], ids))
            else:
                st = self.stories[sid]
                st.words = _trim(st.words + gw, s.max_terms)
                st.names = _trim(st.names + gn, s.max_terms)
                st.size += len(members)
                st.first = float(np.nanmin([st.first, g_first[gi]])) if not (
                    math.isnan(st.first) and math.isnan(g_first[gi])) else math.nan
                st.last = float(np.nanmax([st.last, g_last[gi]])) if not (
                    math.isnan(st.last) and math.isnan(g_last[gi])) else math.nan
                st.members.extend(ids)
            for i in members:
                out[i] = sid
        self._count += len(docs)
        return out

    def _match(self, g_words: sparse.csr_matrix, g_names: sparse.csr_matrix, g_size: np.ndarray,
               g_first: np.ndarray, g_last: np.ndarray) -> np.ndarray:
        """For each new group the index of the story it joins, or -1."""
        s = self.settings
        target = np.full(g_words.shape[0], -1, dtype=np.int64)
        if not self.stories:
            return target
        # Candidates: stories still open around the batch's dates (undated stories always are).
        lo = np.nanmin(g_first) if not np.all(np.isnan(g_first)) else math.nan
        cand = [i for i, st in enumerate(self.stories)
                if math.isnan(lo) or math.isnan(st.last) or st.last >= lo - s.window]
        if not cand:
            return target
        st_words = sparse.vstack([self.stories[i].words for i in cand]).tocsr()
        st_names = sparse.vstack([self.stories[i].names for i in cand]).tocsr()
        st_size = np.array([self.stories[i].size for i in cand], dtype=np.float64)
        st_first = np.array([self.stories[i].first for i in cand])
        st_last = np.array([self.stories[i].last for i in cand])
        w = s.name_weight
        dots = (1 - w) * (g_words @ st_words.T).toarray() + w * (g_names @ st_names.T).toarray()
        avg = dots / (g_size[:, None] * st_size[None, :])
        # Gap between date ranges (0 when they overlap).
        gap = np.maximum(st_first[None, :] - g_last[:, None], g_first[:, None] - st_last[None, :])
        gap = np.where(np.isnan(gap), np.nan, np.clip(gap, 0.0, None))
        avg *= date_factor(gap, s)
        best = np.argmax(avg, axis=1)  # first maximum: ties go to the older story
        ok = avg[np.arange(len(best)), best] >= s.threshold
        target[ok] = np.asarray(cand)[best[ok]]
        return target

    def groups(self) -> list[list[int]]:
        """Article indexes (in the order added) per story."""
        return [list(st.members) for st in self.stories]


def cluster_stories(analyses: Sequence[Analysis | CleanArticle | StoryDoc], *,
                    threshold: float | None = None) -> list[list[int]]:
    """Group article indexes into stories (lists of indexes in input order), in one batch."""
    clusterer = StoryClusterer(threshold=threshold)
    clusterer.add(analyses)
    return clusterer.groups()
