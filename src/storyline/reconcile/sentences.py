"""Other facts told alike by independent outlets: aligned sentences with nothing between them
that disagrees.

Quotations, figures, dates and titles have their own steps; many key facts are none of these
("the suit was filed in the Supreme Court", "the measure was sponsored by X"). Two sentences of
independent sources that are alike (TF-IDF cosine over the story's content lemmas, a verb and the
noun of its act counted as one word: "refused" / "refusal", :meth:`SentenceSpace.word_families`) and name the
same people or organisations, or that keep a telling phrase of the story together, corroborate
what they say (:func:`_aligned`) -- unless their figures, dates, titles or places disagree, which
is then a matter for the figure step, not a corroboration, or one denies what the other affirms
("could not confirm" / "confirmed"); and a third outlet giving another
figure, date or title for it withholds the corroboration of the two that agree.

Sentences the rules leave apart may still tell one fact in other words, often in one clause of a
longer sentence. A logistic model (:func:`model_score`, weights fitted on the findings-dev gold by
``scripts/fit_alignment.py --sentences``) weighs how alike they are as wholes and in their closest
windows of words, the names and rare words they share and whether each is the other's closest;
from :data:`MODEL_MIN` it joins them too: a quotation and an outlet's telling of it in other words
among them (the statement step compares quotations word for word). It never disputes, never joins
a disputed sentence, nor the statements of two speakers, nor two answers to different questions.

A fact is one sentence per article: the most alike pairs are joined first, two groups that
already hold sentences of one article stay apart, and two groups join only when each sentence of
one is aligned with each of the other, so loosely alike sentences do not chain into one "fact"
(a sentence telling two things joins neither to the other). A sentence left out of every fact
then joins one that holds a single sentence of its article and is aligned with all of the fact's
other sentences: what one outlet tells in one sentence another may tell in two. A clash withholds
a corroboration only from sentences alike enough to tell one thing (:data:`DISPUTE_MIN`).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

from ..align import SentenceSpace
from ..extract.entities import ROLE_NOUNS, role_word
from ..figures import Figure, compare, compare_dates, parse_figure
from ..models import Claim, Quote
from ..spans import Occupied
from .context import DisjointSets, Findings, StoryContext, norm, short
from .facts import FIGURE_KINDS, TIME_WORDS, load_weights, part_of_whole
from .roles import compare_titles
from .statements import fragments, same_statement

#: Cosine above which two sentences tell the same thing (with a shared name).
SENTENCE_MIN = 0.4
#: Cosine above which no shared name is needed.
SENTENCE_SURE = 0.6
#: The same with a sentence encoder blended in, whose cosines run higher.
SENTENCE_MIN_ENCODER = 0.5
SENTENCE_SURE_ENCODER = 0.7
#: Two content words close in both sentences ("seeking spiritual guidance", "reaffirming the
#: national motto" / "reaffirmed the motto") that at most this many sentences of the story use:
#: a telling phrase two outlets kept while building the rest of their sentences differently.
PHRASE_RARE = 6
#: Quotations matching this well (statements.same_statement) are the statement step's to compare.
QUOTE_MATCH = 80
#: Cosine from which two aligned sentences that give a different figure, date or title for what
#: they tell dispute it (a third outlet's "on Wednesday" against two outlets' "on Tuesday");
#: sentences less alike share a name and a phrase but tell two things ("released the emails on
#: Friday" / "forwarded passwords in 2009").
DISPUTE_MIN = 0.3
DISPUTE_MIN_ENCODER = 0.4
#: Verbs that report speech: "Obama said." shares a name and a verb with all his quotations.
_REPORTING = frozenset({"say", "tell", "add", "state", "report", "according"})
#: What a sentence gives incompatibly with an aligned sentence of another outlet that withholds
#: the corroboration of what it tells (two outlets agreeing while a third differs is no
#: corroboration): all but places, which differ between sentences that add different details.
_DISPUTING = frozenset({"title", "date", "figure", "number"})


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def places(ctx: StoryContext, ai: int, start: int, end: int) -> set[str]:
    """Story entities that are places, named inside ``[start, end)`` of article ``ai``."""
    return {e for e in ctx.entities_in(ai, start, end) if ctx.types.get(e) in _PLACE_TYPES}


def _quotations(ctx: StoryContext, i: int) -> list[Quote]:
    ai, start, end = ctx.sentence_span(i)
    return [q for q in ctx.analyses[ai].quotes if q.kind == "direct" and q.start < end and start < q.end]


def _same_quotation(ctx: StoryContext, i: int, j: int) -> bool:
    """Both sentences quote the same words: the statement step compares them."""
    return any(same_statement(fragments(qa), fragments(qb), QUOTE_MATCH)
               for qa in _quotations(ctx, i) for qb in _quotations(ctx, j))


def _quoted_share(ctx: StoryContext, ai: int, start: int, end: int) -> float:
    covered = 0
    for q in ctx.analyses[ai].quotes:
        if q.kind == "direct":
            covered += max(0, min(end, q.end) - max(start, q.start))
    return covered / max(end - start, 1)


#: Words of place names that name a kind of place, not which one ("Newton Street", "Harlow County").
_PLACE_KINDS = frozenset("street st avenue ave road rd boulevard blvd lane drive square county city town state "
                         "district province region island river lake mount park north south east west new "
                         "saint san santa the of".split())


def _place_words(ctx: StoryContext, ids: set[str]) -> set[str]:
    """The words that tell which place each of ``ids`` is."""
    return {w for e in ids for w in _WORDS.findall(ctx.names.get(e, "").lower())
            if w not in _PLACE_KINDS and len(w) > 1}


def _clash(sents: _Sentences, i: int, j: int) -> str | None:
    """What the two sentences give incompatibly, if anything: "place", "title", "date" (no date
    in common), "some dates", "figure" (a claim's value), "number" (a number no claim was read for),
    "polarity" (one denies what the other affirms) or "question" (answers to questions about
    different things)."""
    ctx = sents.ctx
    ai, s1, e1 = ctx.sentence_span(i)
    bj, s2, e2 = ctx.sentence_span(j)
    pa, pb = places(ctx, ai, s1, e1), places(ctx, bj, s2, e2)
    # "Newton Street, Millom" and "Millom, Cumbria", "117th St." and "117th Street" name one place
    if pa and pb and not (pa & pb) and not (_place_words(ctx, pa) & _place_words(ctx, pb)):
        return "place"
    for ra in sents.claims(i):
        if ra.kind != "role":
            continue
        for rb in sents.claims(j):
            if rb.kind == "role" and ctx.entity(ai, ra.entity_id) == ctx.entity(bj, rb.entity_id) \
                    and compare_titles(ra.text, rb.text) in ("former", "rank"):
                return "title"
    ca = [c for c in sents.claims(i) if c.kind in FIGURE_KINDS | {"date"}]
    cb = [c for c in sents.claims(j) if c.kind in FIGURE_KINDS | {"date"}]
    dates = [_compare_dates(a, b) for a in ca if a.kind == "date" for b in cb if b.kind == "date"]
    if "conflict" in dates:
        # one date the other sentence does not give; "some dates" when they also share one (the
        # other date may be about something else)
        return "date" if all(d == "conflict" for d in dates) else "some dates"
    ta, tb = ctx.analyses[ai].article.text, ctx.analyses[bj].article.text
    fa = [(c, f) for c in ca if c.kind != "date" and not part_of_whole(ta, c)
          and (f := parse_figure(c.kind, c.value)) is not None]
    fb = [(c, f) for c in cb if c.kind != "date" and not part_of_whole(tb, c)
          and (f := parse_figure(c.kind, c.value)) is not None]

    def told(f: Figure, kind: str, others: list[tuple[Claim, Figure]]) -> bool:
        return any(c.kind == kind and compare(f, g) in ("same", "variant") for c, g in others)
    for a, xa in fa:
        for b, xb in fb:
            if a.kind != b.kind or compare(xa, xb) not in ("conflict", "minor"):
                continue
            if told(xa, a.kind, fb) or told(xb, b.kind, fa):
                continue  # each sentence also gives the other's value: two quantities, both told
            if a.noun == b.noun or a.kind != "count":
                return "figure"
    # numbers no claim was read for ("fell to 400,000 from 1.6 million"): one the other sentence
    # lacks, of the order of one it has instead, is another value for the same thing -- tallies
    # aside ("beat Drake 65-53", "a 15-2 run", "won 51-50"), which are scores of games or stretches
    # each sentence may add, compared as scores when read as such
    na, nb = _numbers(ctx.space.sequences[i]), _numbers(ctx.space.sequences[j])
    only_a = na - nb - _tallies(ctx.analyses[ai].article.text[s1:e1])
    only_b = nb - na - _tallies(ctx.analyses[bj].article.text[s2:e2])
    if any(_alike(x, y) for x in only_a for y in only_b):
        return "number"
    if _polarity(sents, i, j):
        return "polarity"
    qa, qb = sents.asked(i), sents.asked(j)
    if qa is not None and qb is not None:
        names = sents.names(i) | sents.names(j)
        if (qa - names) and (qb - names) and not (qa & qb) - names:
            return "question"
    return None


#: "asked whether ...", "when asked if ...": the question a reported answer ("yes", "no") answers.
_QUESTION = re.compile(r"\basked\b(?:\s+[\w'’.,-]+){0,10}?\s+(?:whether|if)\b((?:\s+[\w'’.-]+){1,12})", re.IGNORECASE)


def _asked(text: str) -> set[str] | None:
    """The content words of the question a sentence reports asked ("asked whether X was among the
    finalists" -> {"x", "finalists"}), or None when it reports no such question: two answers to
    questions about different things tell different things."""
    m = _QUESTION.search(text)
    if m is None:
        return None
    return {w.lower() for w in _WORDS.findall(m.group(1)) if len(w) > 2 and w.lower() not in STOP_WORDS}


#: Words that deny the word after them ("could not confirm", "didn't attend", "never signed"); "no"
#: denies a whole noun phrase ("no records of training"), not the word after it.
_DENIALS = frozenset({"not", "never", "t", "cannot", "neither", "nor"})
_UNTIL = frozenset({"until", "till", "before"})
_CLAUSES = re.compile(r"[,;:—–]")
_CONCESSIVE = re.compile(r"\s*(?:despite|although|though|even though|even if|in spite of)\b", re.IGNORECASE)


def _denied(text: str, term: str) -> bool | None:
    """Whether every form of ``term`` in ``text`` is denied by one of the two words before it
    (None when no form of it is found: a lemma the text spells otherwise)."""
    # what a concessive clause grants ("Despite his promises that Mexico will pay, ...") is no
    # assertion of the sentence's
    text = " ".join(part for part in _CLAUSES.split(text) if not _CONCESSIVE.match(part))
    words = [w.lower() for w in _WORDS.findall(text)]
    stem = term[:max(4, len(term) - 2)]
    seen = [k for k, w in enumerate(words) if w.startswith(stem) and len(w) <= len(term) + 4]
    if not seen:
        return None
    # "would not arrive until Monday" tells when it arrives, not that it does not
    return all(_DENIALS.intersection(words[max(0, k - 2):k]) and not _UNTIL.intersection(words[k + 1:k + 5])
               for k in seen)


def _polarity(sents: _Sentences, i: int, j: int) -> bool:
    """One sentence denies what the other affirms: a word they share (names and verbs of saying
    aside) is denied in one ("could not confirm") and never in the other ("confirmed")."""
    ctx = sents.ctx
    ai, s1, e1 = ctx.sentence_span(i)
    bj, s2, e2 = ctx.sentence_span(j)
    ta, tb = ctx.analyses[ai].article.text[s1:e1], ctx.analyses[bj].article.text[s2:e2]
    names = sents.names(i) | sents.names(j)
    for w in ctx.space.shared(i, j):
        if w in _REPORTING or w in names or not w.isalpha():
            continue
        da, db = _denied(ta, w), _denied(tb, w)
        if da is not None and db is not None and da != db:
            return True
    return False


_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)


def _compare_dates(a: Claim, b: Claim) -> str:
    """compare_dates, except that two outlets naming the same weekday ("on Saturday") agree even
    when their publication dates anchor it to different days."""
    verdict = compare_dates(a.value, b.value)
    if verdict == "conflict":
        wa = {w.lower() for w in _WEEKDAY.findall(a.text)}
        if wa and wa == {w.lower() for w in _WEEKDAY.findall(b.text)}:
            return "variant"
    return verdict


_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _numbers(terms: Sequence[str]) -> set[float]:
    """The numbers among a sentence's terms, years aside (dates are compared as dates)."""
    out = set()
    for t in terms:
        if _NUMBER.fullmatch(t):
            x = float(t.replace(",", ""))
            if not (len(t) == 4 and 1800 <= x <= 2100):
                out.add(x)
    return out


_TALLY = re.compile(r"(?<![\d.,])(\d{1,3})\s?[-–]\s?(\d{1,3})(?!\d|[.,]\d)")


def _tallies(text: str) -> set[float]:
    """The numbers of tallies written in ``text`` ("65-53", "a 15-2 run", "58 - 3")."""
    return {float(n) for m in _TALLY.finditer(text) for n in m.groups()}


_SCALES = frozenset({"thousand", "million", "billion", "trillion"})


def _telling_number(term: str) -> bool:
    """A number of 10 or more: "three points" or "2 sons" are said of too many things to tell."""
    return bool(_NUMBER.fullmatch(term)) and float(term.replace(",", "")) >= 10


def _alike(x: float, y: float) -> bool:
    """Two positive numbers within a factor of two of each other."""
    return x > 0 and y > 0 and max(x, y) / min(x, y) <= 2.0


class _Sentences:
    """What sentence alignment reads of each sentence, worked out once per sentence."""

    def __init__(self, ctx: StoryContext) -> None:
        self.ctx = ctx
        #: the story's sentences with the words of one family made one term (what sentence
        #: alignment compares; the figure and date steps keep the words as written)
        self.space = ctx.space.word_families()
        self._entities: dict[int, set[str]] = {}
        self._names: dict[int, set[str]] = {}
        self._quoted: dict[int, bool] = {}
        self._who: dict[int, bool] = {}
        self._windows: dict[int, list[dict[str, float]]] = {}
        self._speakers: dict[int, set[str]] = {}
        self._claims: dict[int, list[Claim]] = {}
        self._asked: dict[int, set[str] | None] = {}

    def entities(self, i: int) -> set[str]:
        """Story entities the sentence mentions."""
        if i not in self._entities:
            self._entities[i] = self.ctx.entities_in(*self.ctx.sentence_span(i))
        return self._entities[i]

    def names(self, i: int) -> set[str]:
        """The words of the names the sentence mentions: a name shared is a named entity in common,
        not a phrase."""
        if i not in self._names:
            ai, start, end = self.ctx.sentence_span(i)
            a = self.ctx.analyses[ai]
            self._names[i] = {w.lower() for e in a.entities for m in e.mentions if m.start < end and start < m.end
                              for w in _WORDS.findall(a.article.text[m.start:m.end])}
        return self._names[i]

    def only_who(self, i: int) -> bool:
        """The sentence names a speaker and tells nothing else ("Playboy founder Hugh Hefner said:",
        the quotation following in a paragraph of its own)."""
        if i not in self._who:
            rest = [t for t in self.space.sequences[i] if t not in _REPORTING and t not in self.names(i)
                    and t not in ROLE_NOUNS]
            self._who[i] = not rest
        return self._who[i]

    def claims(self, i: int) -> list[Claim]:
        """The claims read inside the sentence (those starting in it)."""
        if i not in self._claims:
            ai, start, end = self.ctx.sentence_span(i)
            self._claims[i] = [c for c in self.ctx.analyses[ai].claims if start <= c.start < end]
        return self._claims[i]

    def asked(self, i: int) -> set[str] | None:
        """The content words of the question the sentence reports asked, if any (:func:`_asked`)."""
        if i not in self._asked:
            ai, start, end = self.ctx.sentence_span(i)
            self._asked[i] = _asked(self.ctx.analyses[ai].article.text[start:end])
        return self._asked[i]

    def speakers(self, i: int) -> set[str]:
        """Story entities quoted (directly or not) inside the sentence."""
        if i not in self._speakers:
            ai, start, end = self.ctx.sentence_span(i)
            self._speakers[i] = {e for q in self.ctx.analyses[ai].quotes if q.start < end and start < q.end
                                 and (e := self.ctx.entity(ai, q.speaker_entity_id))}
        return self._speakers[i]

    def windows(self, i: int) -> list[dict[str, float]]:
        """The sentence's windows of content terms as unit TF-IDF vectors (:func:`pair_features`)."""
        if i not in self._windows:
            self._windows[i] = _windows(self.space, i)
        return self._windows[i]

    def quoted(self, i: int) -> bool:
        """Most of the sentence is a direct quotation."""
        if i not in self._quoted:
            self._quoted[i] = _quoted_share(self.ctx, *self.ctx.sentence_span(i)) > 0.5
        return self._quoted[i]


def _of_time(phrase: tuple[str, str]) -> bool:
    """A phrase that only dates or times something ("June 25", "75 years", "Thursday night")."""
    return any(w in _TIME_TERMS for w in phrase) and all(w in _TIME_TERMS or _NUMBER.fullmatch(w) for w in phrase)


def _aligned(sents: _Sentences, i: int, j: int, cosine: float, *, mutual: bool) -> bool:
    """Whether sentences ``i`` and ``j`` (of two articles) tell the same thing, by their wording.

    They share two words or more besides verbs of saying, and are alike enough on their own
    (``cosine``: their TF-IDF similarity); or fairly alike and naming the same person,
    organisation or place; or they share a telling phrase (:data:`PHRASE_RARE`; names aside) that
    holds a number of 10 or more; or, when each is the other's closest sentence in its article
    (``mutual``), a telling phrase besides a name, or two such phrases -- outlets that rebuild a
    sentence around one fact keep its telling words together even when the rest differs."""
    space = sents.space
    low, sure = (SENTENCE_MIN_ENCODER, SENTENCE_SURE_ENCODER) if space.encoded else (SENTENCE_MIN, SENTENCE_SURE)
    if len(set(space.shared(i, j)) - _REPORTING) < 2 or sents.only_who(i) or sents.only_who(j):
        return False
    if cosine >= sure:
        return True
    named = bool(sents.entities(i) & sents.entities(j))
    if cosine >= low and named:
        return True
    names = sents.names(i) | sents.names(j)
    phrases = [p for p in space.phrases(i, j, rare=PHRASE_RARE)
               if not names.intersection(p) and not _of_time(p)]
    if any(_telling_number(w) for p in phrases for w in p):
        return True  # "23 states", "from 2000 to 2006", "$84,000": a figure with its words
    return mutual and len(phrases) >= (1 if named else 2)


_WORDS = re.compile(r"[^\W_]+")


#: The sentence-alignment model's features (see :func:`pair_features`), in the order of its weights.
FEATURES = ("bias", "cosine", "window", "shared", "rare", "names", "mutual", "quoted", "length", "phrases",
            "coverage", "same_date", "same_figure")
#: Content terms in a window: two sentences that tell one fact in a clause of their own share a
#: window's words densely, however long the rest of each sentence is.
WINDOW = 8


def _windows(space: SentenceSpace, i: int) -> list[dict[str, float]]:
    seq = space.sequences[i]
    if len(seq) <= WINDOW:
        return [space.unit_vector(seq)]
    starts = list(range(0, len(seq) - WINDOW + 1, WINDOW // 2))
    if starts[-1] != len(seq) - WINDOW:
        starts.append(len(seq) - WINDOW)
    return [space.unit_vector(seq[k:k + WINDOW]) for k in starts]


#: Sentences less alike than this are never asked of the model (no two sentences of one key fact
#: in the dev set's gold are).
MODEL_FLOOR = 0.15
#: The model's probability from which two sentences the rules leave apart tell one fact; chosen
#: by cross-validation over the dev groups (scripts/fit_alignment.py --sentences; agreement recall
#: fitted on four fifths of the groups, scored on the fifth: 0.697 at 0.3, 0.710 at 0.25 and at
#: 0.2, no contradicted corroboration at any).
MODEL_MIN = 0.25


def candidate(sents: _Sentences, i: int, j: int, cosine: float) -> bool:
    """Whether the pair is one the model judges: alike enough, sharing two words or more besides
    names, times, small numbers and verbs of saying (sentences naming the same people may say
    unrelated things; "2 lanes" and "3 points" are said of too many things),
    neither sentence only naming a speaker, and not reporting what two different speakers said
    (two statements, however alike; one speaker's words told twice are the model's to weigh)."""
    if cosine < MODEL_FLOOR or sents.only_who(i) or sents.only_who(j):
        return False
    names = sents.names(i) | sents.names(j)
    shared = sents.space.shared(i, j)
    scaled = bool(_SCALES.intersection(shared))  # "$8 billion": a small number of a large unit
    words = [w for w in shared if w not in _REPORTING and w not in names and w not in _TIME_TERMS
             and (scaled or _telling_number(w) or not _NUMBER.fullmatch(w))]
    si, sj = sents.speakers(i), sents.speakers(j)
    return len(words) >= 2 and not (si and sj and not si & sj)


def model_score(sents: _Sentences, i: int, j: int, cosine: float, *, mutual: bool) -> float:
    """The alignment model's probability that two sentences of two articles tell one fact (0 when
    no weights were fitted for the similarity in use)."""
    weights = WEIGHTS_ENCODER if sents.space.encoded else WEIGHTS
    if not weights or not candidate(sents, i, j, cosine):
        return 0.0
    f = pair_features(sents, i, j, cosine, mutual=mutual)
    z = sum(weights.get(name, 0.0) * value for name, value in f.items())
    return 1 / (1 + math.exp(-max(min(z, 50.0), -50.0)))


def pair_features(sents: _Sentences, i: int, j: int, cosine: float, *, mutual: bool) -> dict[str, float]:
    """What says two sentences of two articles tell one fact: the inputs of the alignment model.

    ``cosine``: their TF-IDF similarity; ``window``: the best cosine of two windows of
    :data:`WINDOW` content terms (a fact told in one clause of a long sentence); ``shared``,
    ``rare``: how many terms they share besides verbs of saying, and how many of those are rare in
    the story and no name; ``names``: story entities both name; ``coverage``: the shared terms'
    weight against the lighter sentence's; ``mutual``: each is the other's closest sentence in its
    article; ``phrases``: telling phrases kept together (:data:`PHRASE_RARE`)."""
    space = sents.space
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"] = 1.0
    f["cosine"] = cosine
    wi, wj = sents.windows(i), sents.windows(j)
    f["window"] = max(sum(x * y.get(w, 0.0) for w, x in a.items()) for a in wi for y in wj)
    shared = [w for w in space.shared(i, j) if w not in _REPORTING]
    names = sents.names(i) | sents.names(j)
    f["shared"] = math.log1p(len(shared))
    f["rare"] = math.log1p(sum(1 for w in shared if space.df.get(w, 0) <= PHRASE_RARE and w not in names
                               and w not in _TIME_TERMS))
    f["names"] = min(len(sents.entities(i) & sents.entities(j)), 3) / 3
    f["mutual"] = float(mutual)
    f["quoted"] = float(sents.quoted(i) or sents.quoted(j))
    mass = [sum(space.idf.get(w, 0.0) for w in set(space.sequences[k])) for k in (i, j)]
    f["length"] = math.log1p(min(len(space.sequences[i]), len(space.sequences[j])))
    f["coverage"] = sum(space.idf[w] for w in shared) / max(min(mass), 1e-9)
    f["phrases"] = math.log1p(sum(1 for p in space.phrases(i, j, rare=PHRASE_RARE)
                                  if not names.intersection(p) and not _of_time(p)))
    ca, cb = sents.claims(i), sents.claims(j)
    # the same day (not only the same weekday) or the same figure, read from the text of each
    f["same_date"] = float(any(a.kind == b.kind == "date" and compare_dates(a.value, b.value) == "same"
                               and len(a.value) >= 10 for a in ca for b in cb))
    f["same_figure"] = float(any(a.kind == b.kind and a.kind in FIGURE_KINDS and (x := parse_figure(a.kind, a.value))
                                 and (y := parse_figure(b.kind, b.value)) and compare(x, y) == "same"
                                 for a in ca for b in cb))
    return f


#: Words of dates and lengths of time: "June 25", "75 years", "early days" are said of many things
#: a story tells, so a phrase of them and numbers alone is no telling phrase ("Election Day" and
#: "from 2000 to 2006" are).
_TIME_TERMS = TIME_WORDS | frozenset("day hour minute second season decade century early late".split())


@dataclass(slots=True)
class SentencePairs:
    """Sentences of independent sources that tell the same thing (``pairs``: cosine, i, j) and the
    sentences an aligned sentence of another outlet contradicts (``disputed``: sentence -> what
    the two give incompatibly, "date", "figure", "number" or "title")."""

    pairs: list[tuple[float, int, int]] = field(default_factory=list)
    #: pairs only the alignment model joins (:data:`MODEL_MIN`), weighed after all of ``pairs``
    likely: list[tuple[float, int, int]] = field(default_factory=list)
    #: the model's probability of each pair in ``likely``
    probability: dict[tuple[int, int], float] = field(default_factory=dict)
    disputed: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: sentence -> the aligned sentences of other outlets that give none of its dates
    other_dates: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))


def cross_pairs(ctx: StoryContext, sents: _Sentences) -> Iterator[tuple[int, int, float, bool]]:
    """Pairs of sentences (i < j) of two independent sources that share a term, with their
    similarity and whether each is the other's closest in its article; quotations of the same
    words aside (the statement step compares them)."""
    # only pairs of sentences of two independent sources count: the rest (a long article's
    # sentences against each other: millions of pairs) is never computed
    source_of = {g: k for k, g in enumerate(dict.fromkeys(ctx.groups))}
    sims = sents.space.similarities_across([source_of[ctx.groups[r.ai]] for r in ctx.space.refs])
    rows, cols, vals = sims.row.tolist(), sims.col.tolist(), sims.data.tolist()
    closest: dict[tuple[int, int], float] = defaultdict(float)  # (sentence, other article) -> best cosine
    for i, j, v in zip(rows, cols, vals, strict=True):
        key = (i, ctx.space.refs[j].ai)
        closest[key] = max(closest[key], v)
    for i, j, v in zip(rows, cols, vals, strict=True):
        if i >= j:
            continue
        ai, bj = ctx.space.refs[i].ai, ctx.space.refs[j].ai
        qa, qb = sents.quoted(i), sents.quoted(j)
        if (qa and qb) or ((qa or qb) and _same_quotation(ctx, i, j)):
            continue  # quotations are compared as statements, word for word
        yield i, j, v, v >= closest[(i, bj)] and v >= closest[(j, ai)]


def model_candidates(ctx: StoryContext) -> Iterator[tuple[int, int, dict[str, float]]]:
    """The pairs the alignment model judges (:func:`candidate`), with their features: what
    ``scripts/fit_alignment.py --sentences`` fits on."""
    sents = _Sentences(ctx)
    for i, j, v, mutual in cross_pairs(ctx, sents):
        if candidate(sents, i, j, v):
            yield i, j, pair_features(sents, i, j, v, mutual=mutual)


def scan_sentences(ctx: StoryContext) -> SentencePairs:
    """Align the sentences of independent sources (:func:`_aligned`, then the model) and note
    their clashes."""
    sents = _Sentences(ctx)
    found = SentencePairs()
    dispute_min = DISPUTE_MIN_ENCODER if ctx.space.encoded else DISPUTE_MIN
    for i, j, v, mutual in cross_pairs(ctx, sents):
        # a clash disputes what the sentences tell even when another sentence is closer: a third
        # outlet's "on Wednesday" against two outlets' "on Tuesday"
        if not _aligned(sents, i, j, v, mutual=True):
            # what the rules leave apart, the model may join; it never disputes
            p = model_score(sents, i, j, v, mutual=mutual)
            if p >= MODEL_MIN and not _clash(sents, i, j):
                found.likely.append((v, i, j))
                found.probability[(i, j)] = p
            continue
        clash = _clash(sents, i, j)
        if clash:
            if clash in _DISPUTING and v >= dispute_min:
                found.disputed[i].add(clash)
                found.disputed[j].add(clash)
            if clash == "date":
                found.other_dates[i].add(j)
                found.other_dates[j].add(i)
            continue
        if mutual or _aligned(sents, i, j, v, mutual=False):
            found.pairs.append((v, i, j))
        elif (p := model_score(sents, i, j, v, mutual=mutual)) >= MODEL_MIN:
            found.likely.append((v, i, j))
            found.probability[(i, j)] = p
    # a disputed sentence is joined only by the rules (which see the dispute)
    found.likely = [(v, i, j) for v, i, j in found.likely if not found.disputed.get(i) and not found.disputed.get(j)]
    return found


def sentence_findings(ctx: StoryContext, out: Findings, scan: SentencePairs | None = None) -> None:
    """Corroborated facts from alike sentences of independent sources (``scan``: the story's
    :func:`scan_sentences`, when already made)."""
    found = scan if scan is not None else scan_sentences(ctx)
    pairs, disputed = found.pairs + found.likely, found.disputed
    sets = DisjointSets()
    articles: dict[object, set[int]] = {}
    members_of: dict[object, list[int]] = {}
    best: dict[int, float] = defaultdict(float)
    linked = {(i, j) for _, i, j in pairs} | {(j, i) for _, i, j in pairs}
    # most alike pairs first; a fact is one sentence per article, so two groups that already hold
    # sentences of one article stay apart, and every sentence of a fact is aligned with every other
    # (no chain of loosely alike sentences becomes one "fact")
    for v, i, j in sorted(found.pairs, reverse=True) + sorted(found.likely, reverse=True):
        ri, rj = sets.find(i), sets.find(j)
        if ri == rj:
            continue
        ai_, bj_ = articles.get(ri, {ctx.sentence_span(i)[0]}), articles.get(rj, {ctx.sentence_span(j)[0]})
        if ai_ & bj_:
            continue
        mi, mj = members_of.get(ri, [i]), members_of.get(rj, [j])
        if not all((x, y) in linked for x in mi for y in mj):
            continue
        root = sets.union(i, j)
        articles[root] = ai_ | bj_
        members_of[root] = mi + mj
        best[i] = max(best[i], v)
        best[j] = max(best[j], v)
    # a sentence left alone whose article has one sentence in a fact, and which is aligned with
    # every sentence of that fact in the other articles, tells the rest of it: one outlet tells in
    # two sentences (in a row, or in its lead and again further down) what another tells in one
    for v, i, j in sorted(found.pairs, reverse=True) + sorted(found.likely, reverse=True):
        ri, rj = sets.find(i), sets.find(j)
        for alone, other, root in ((i, j, rj), (j, i, ri)):
            if sets.find(alone) != alone or alone in members_of or root not in members_of:
                continue
            ai = ctx.space.refs[alone].ai
            same = [x for x in members_of[root] if ctx.space.refs[x].ai == ai]
            if len(same) != 1:
                continue
            if all((alone, y) in linked for y in members_of[root] if ctx.space.refs[y].ai != ai):
                new_root = sets.union(alone, other)
                members_of[new_root] = members_of[root] + [alone]
                articles[new_root] = articles[root]
                best[alone] = max(best[alone], v)
                break
    clusters: dict[object, list[int]] = defaultdict(list)
    for node in list(sets.parent):
        clusters[sets.find(node)].append(int(node))  # type: ignore[call-overload]
    for members in clusters.values():
        if any(disputed.get(i) for i in members):
            continue  # another outlet tells this with a different figure, date or title
        members.sort(key=lambda i: (ctx.sentence_span(i)[0], i))
        spans = [ctx.sentence_span(i) for i in members]
        sources = {ctx.groups[ai] for ai, _, _ in spans}
        if len(sources) < 2:
            continue
        ai, s, e = spans[0]
        text = ctx.analyses[ai].article.text[s:e]
        conf = min(best[i] for i in members)
        signals = [f"alike sentences ({conf:.2f})"]
        joined = [p for (x, y), p in found.probability.items() if x in members and y in members]
        if joined:
            signals.append(f"told alike in other words (alignment model {min(joined):.2f})")
        out.add("corroborated", f"Fact: {short(text)}",
                f"{len(sources)} independent sources tell this alike.",
                [ctx.evidence(a, s0, e0) for a, s0, e0 in spans], subkind="statement",
                confidence=min(1.0, 0.4 + conf), signals=tuple(signals))


#: Place names at least this alike (rapidfuzz ratio) but not equal may be one place spelled or
#: confused differently ("Parris Island" / "Paris Island").
PLACE_ALIKE = 70
#: ... and from this likeness on, whatever their lengths.
PLACE_SURE = 85


#: Sentences this alike (TF-IDF cosine) tell one thing: two nearly alike place names in them are
#: one place, confused or misspelt, rather than two places of the story.
PLACE_CONTEXT = 0.2


def _another_word(a: list[str], b: list[str]) -> bool:
    """Two names of as many words, one of which is another word, not another spelling of it:
    "north carolina" / "south carolina", "new york" / "old york"."""
    if len(a) != len(b) or len(a) < 2:
        return False
    diff = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diff) == 1 and fuzz.ratio(*diff[0]) < PLACE_SURE


def _told_alike(ctx: StoryContext, first: dict[tuple[str, int], tuple[int, int]], pa: str, pb: str,
                seen: dict[str, set[int]]) -> bool:
    """Whether a sentence naming place ``pa`` and one of another source naming ``pb`` are alike."""
    for ai in seen[pa]:
        for bj in seen[pb]:
            if ctx.groups[ai] == ctx.groups[bj]:
                continue
            i, j = ctx.sentence(ai, first[(pa, ai)][0]), ctx.sentence(bj, first[(pb, bj)][0])
            if ctx.space.similarity(i, j) >= PLACE_CONTEXT:
                return True
    return False


def place_findings(ctx: StoryContext, out: Findings) -> None:
    """Two place names, nearly alike, used by different independent sources and never together:
    one place misspelled, or two places confused -- either way a reader should see both."""
    seen: dict[str, set[int]] = defaultdict(set)  # place entity -> articles naming it in their own words
    first: dict[tuple[str, int], tuple[int, int]] = {}
    for ai, a in enumerate(ctx.analyses):
        # a name inside a direct quotation is the speaker's (or another outlet's, quoted), not the outlet's
        quoted = Occupied((q.start, q.end) for q in a.quotes if q.kind == "direct")
        for e in a.entities:
            if e.type not in _PLACE_TYPES or role_word(e.name.split()[-1]) in ROLE_NOUNS:
                continue  # "Harlow County Sheriff" is a title the tagger took for a place
            eid = ctx.entity(ai, e.id)
            own = [m for m in e.mentions if not quoted.meets(m.start, m.start + 1)]
            if not eid or not own:
                continue
            seen[eid].add(ai)
            first.setdefault((eid, ai), (own[0].start, own[0].end))
    names = sorted(seen)
    for x, pa in enumerate(names):
        for pb in names[x + 1:]:
            na, nb = ctx.names[pa], ctx.names[pb]
            if seen[pa] & seen[pb] or norm(na) in norm(nb) or norm(nb) in norm(na):
                continue  # named together in one article: two places, or one inside the other
            alike = fuzz.ratio(norm(na), norm(nb))
            if alike < PLACE_ALIKE or (alike < PLACE_SURE and abs(len(na) - len(nb)) > 2):
                continue  # "Alexandria" / "Algeria": alike letters, but not one name misspelt
            if _another_word(norm(na).split(), norm(nb).split()):
                continue  # "North Carolina" / "South Carolina": one word changed, not misspelt
            if alike < PLACE_SURE and not _told_alike(ctx, first, pa, pb, seen):
                continue  # "Norwalk" / "Norfolk" are two towns too: confused only where told alike
            if not {ctx.groups[i] for i in seen[pa]}.isdisjoint({ctx.groups[i] for i in seen[pb]}):
                continue
            ev = [ctx.evidence(ai, *first[(pa, ai)]) for ai in sorted(seen[pa])]
            ev += [ctx.evidence(bj, *first[(pb, bj)]) for bj in sorted(seen[pb])]
            out.add("conflict", f"Place: {na} or {nb}",
                    f"Outlets name a place differently: “{na}” ({', '.join(ctx.outlet(i) for i in sorted(seen[pa]))}); "
                    f"“{nb}” ({', '.join(ctx.outlet(i) for i in sorted(seen[pb]))}). One place spelled two ways, or "
                    "two places confused.", ev, subkind="place", confidence=0.3 + (alike - PLACE_ALIKE) / 100,
                    step="places",
                    severity="minor" if alike >= PLACE_SURE else "major",
                    signals=(f"nearly alike place names ({alike:.0f}%)", "never named together"),
                    values=[ctx.value(ai, na) for ai in sorted(seen[pa])]
                    + [ctx.value(bj, nb) for bj in sorted(seen[pb])])


#: The sentence-alignment model's weights, fitted by ``scripts/fit_alignment.py --sentences``
#: (``--encoder``: with the sentence encoder on); empty when not fitted (rules only).
WEIGHTS = load_weights("sentence_weights")
WEIGHTS_ENCODER = load_weights("sentence_weights_encoder")
