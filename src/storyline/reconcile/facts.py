"""Figures and dates across outlets: which claims are about the same quantity or event, and
whether their values agree.

Two claims of two independent articles are *aligned* when their frames agree -- the same kind and
unit, the same counted noun, the same predicate, the same owner ("Lund scored 12 points" vs
"Lund had 14 points") -- and their sentences and surrounding words are alike. Alignment is
one-to-one per pair of articles (a figure is one quantity), greedy by score. Aligned claims are
then compared as intervals (:mod:`storyline.figures`): compatible values corroborate, a rounding
or conversion is a variant (shown with the claim, not as a finding), incompatible values conflict.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources

from ..figures import Figure, compare, compare_dates, parse_figure
from ..models import Claim
from .context import DisjointSets, Findings, StoryContext, short

FIGURE_KINDS = frozenset({"count", "money", "percent", "measure", "duration", "time", "score"})
_WORD = re.compile(r"[^\W_]+")
_WINDOW = 60  # characters either side of a figure that describe what it counts
_DATE_GRAIN = re.compile(r"\d{4}-\d{2}-\d{2}")
#: A word before a count that makes it a part of a total ("his first five points", "the last 20
#: votes", "the remaining 30 seats"): not comparable with the total another outlet gives.
_PART_OF = re.compile(r"\b(?:first|last|final|opening|initial|remaining|closing|other)\s+$", re.IGNORECASE)
_PARTS = frozenset({"count", "money", "measure"})
#: ... or a phrase after it that names a stretch of the whole ("five points during a 15-2 run",
#: "12 points in the first half").
_PART_AFTER = re.compile(r"\s+(?:during|in|over)\s+(?:a|an|the|that|this|his|her|their)\s+(?:[\w-]+\s+){0,3}?"
                         r"(?:run|stretch|spurt|spell|half|quarter|period|inning|set)\b", re.IGNORECASE)
#: The same for a period: "the first four months of 2015" is a stretch of a year, not a length
#: another outlet could give differently ("the past three years" still is one).
_PERIOD_PART = re.compile(r"\b(?:first|opening|initial|final)\s+(?:\w+\s+)?\S*$", re.IGNORECASE)
#: Words of time expressions: shared by every dated claim, so they tell nothing about the event.
#: Entity types that act: "Lind resigned on Thursday" and "Reyes resigned on Thursday" are two acts.
_ACTOR_TYPES = frozenset({"PERSON", "ORG", "NORP", "GPE"})
TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december today yesterday tomorrow last next this week month year "
    "night morning afternoon evening ago earlier later the and".split()
)


@dataclass(slots=True)
class _Item:
    ai: int
    claim: Claim
    figure: Figure | None
    sentence: int
    owner: str | None
    window: frozenset[str]
    entities: frozenset[str]
    stated: str = ""  # a date claim's time expression as written ("January", "on Tuesday")
    words: frozenset[str] = frozenset()  # the claim's own words: a date claim's subject and verb
    part: bool = False  # a stretch of a period ("the first four months of 2015"), not a length
    actors: frozenset[str] = frozenset()  # people and organisations named in the claim's own words


@dataclass(slots=True)
class Alignment:
    """Two claims judged to be about the same quantity or event, with the signals behind it."""

    a: _Item
    b: _Item
    score: float
    signals: tuple[str, ...]
    #: aligned by :func:`same_dated_act` alone, below the model's corroboration threshold
    dated_act: bool = False
    #: aligned by :func:`anchored`: one statistic, whatever nouns each outlet counts it with
    anchored: bool = False


def part_of_whole(text: str, c: Claim) -> bool:
    """Whether a count, sum or measure is a part of a total (:data:`_PART_OF`, :data:`_PART_AFTER`):
    "his first five points", "five points during a 15-2 run" -- not another value of the total."""
    return c.kind in _PARTS and bool(_PART_OF.search(text, max(0, c.start - 12), c.start)
                                     or _PART_AFTER.match(text, c.end))


#: A negation earlier in the clause of a figure ("none of those offers are for more than eight
#: years", "did not spend over $5,000"), not one that makes a bound of its own ("no more than").
_NEGATION = re.compile(r"\b(?:not|never|none|no(?!\s+(?:more|fewer|less|later|earlier)\b)|neither|nor)\b|n[’']t\b",
                       re.IGNORECASE)
_CLAUSE_START = re.compile(r"[.;:!?]\s|\n")


def _negated_bound(text: str, c: Claim, fig: Figure | None) -> bool:
    """A bound said not to hold ("none of the offers is for more than eight years"): it limits
    other values rather than giving one, so it is compared with none."""
    if fig is None or fig.qualifier not in (">", ">=", "<", "<="):
        return False
    lo = max(0, c.start - 120)
    before = text[lo:c.start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(before)), default=0)
    return bool(_NEGATION.search(before[cut:]))


def _items(ctx: StoryContext) -> list[_Item]:
    out = []
    for ai, a in enumerate(ctx.analyses):
        text = a.article.text
        for c in a.claims:
            if c.kind not in FIGURE_KINDS and c.kind != "date":
                continue
            fig = parse_figure(c.kind, c.value) if c.kind != "date" else None
            if c.kind != "date" and fig is None:
                continue
            if part_of_whole(text, c) or _negated_bound(text, c, fig):
                continue
            number = re.search(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|a|an)\b", c.text)
            # kept for alignment (it is still the closest match of what it is aligned with), never
            # compared with a length
            part = bool(c.kind == "duration" and number and _PERIOD_PART.search(
                text, max(0, c.start - 12), c.start + number.start()))
            # the words around the figure, not the figure's own ("weeks ago" is in every such claim)
            window = (text[max(0, c.start - _WINDOW):c.start] + " " + text[c.end:c.end + _WINDOW]).lower()
            words = frozenset(w for w in _WORD.findall(window) if not w.isdigit() and len(w) > 2)
            si = ctx.sentence(ai, c.start)
            _, s, e = ctx.sentence_span(si)
            stated = ""
            if c.kind == "date":
                stated = next((" ".join(t.text.lower().split()) for t in a.timexes
                               if t.value == c.value and c.start <= t.start < c.end), "")
            own = frozenset(w for w in _WORD.findall(c.text.lower()) if not w.isdigit() and len(w) > 2)
            actors = frozenset(x for x in ctx.entities_in(ai, c.start, c.end) if ctx.types.get(x) in _ACTOR_TYPES)
            out.append(_Item(ai, c, fig, si, ctx.entity(ai, c.entity_id), words,
                             frozenset(ctx.entities_in(ai, s, e)), stated, own - TIME_WORDS, part, actors))
    return out


def _idf_overlap(ctx: StoryContext, a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    idf, unseen = ctx.space.idf, ctx.space.unseen_idf
    weight = {w: idf.get(w, unseen) for w in a | b}
    shared = sum(weight[w] for w in a & b)
    return shared / math.sqrt(sum(weight[w] for w in a) * sum(weight[w] for w in b))


def _same_unit(a: _Item, b: _Item) -> bool:
    if a.claim.kind != b.claim.kind:
        return False
    if a.claim.kind == "date":
        return True
    assert a.figure is not None and b.figure is not None
    return a.figure.unit == b.figure.unit


#: The alignment model's features, in the order of its weights.
FEATURES = ("bias", "sentence", "context", "claim_words", "noun", "verb", "owner_same", "owner_differs", "names",
            "magnitude", "mutual_best", "ambiguity", "date", "money", "count", "span", "event_noun", "same_value")


def pair_features(ctx: StoryContext, a: _Item, b: _Item, rivals: tuple[int, int] = (1, 1),
                  mutual: bool = False) -> dict[str, float]:
    """What says two claims are about one quantity (or event): the inputs of the alignment model.

    ``rivals``: how many claims of the same kind and unit each article offers the other (a lone
    figure of its kind aligns more surely); ``mutual``: each is the other's most similar.
    """
    f = dict.fromkeys(FEATURES, 0.0)
    f["bias"] = 1.0
    f["sentence"] = ctx.space.similarity(a.sentence, b.sentence)
    f["context"] = _idf_overlap(ctx, a.window, b.window)
    f["claim_words"] = _idf_overlap(ctx, a.words, b.words)
    f["noun"] = float(bool(a.claim.noun) and a.claim.noun == b.claim.noun and a.claim.kind in ("count", "measure"))
    f["verb"] = float(bool(a.claim.verb) and a.claim.verb == b.claim.verb)
    # two dated events about the same thing ("the term ends in 2019" / "his term ends in 2018")
    f["event_noun"] = float(bool(a.claim.noun) and a.claim.noun == b.claim.noun and a.claim.kind == "date")
    if a.owner and b.owner:
        f["owner_same" if a.owner == b.owner else "owner_differs"] = 1.0
    f["names"] = min(len(a.entities & b.entities), 2) / 2
    if a.figure is not None and b.figure is not None and a.figure.amount > 0 and b.figure.amount > 0 and (
            a.claim.kind not in ("time", "score")):  # a clock time or a tally has no magnitude
        f["magnitude"] = min(abs(math.log10(a.figure.amount / b.figure.amount)), 3.0)
    f["mutual_best"] = float(mutual)
    # one exact figure large enough to be told of one thing only ("$8 billion", "2,117 points")
    fa, fb = a.figure, b.figure
    f["same_value"] = float(fa is not None and fb is not None and fa.amount == fb.amount and fa.amount >= ANCHOR_MIN
                            and a.claim.kind not in ("time", "duration"))
    f["ambiguity"] = math.log(rivals[0] * rivals[1])
    kind = a.claim.kind
    f["date"] = float(kind == "date")
    f["money"] = float(kind == "money")
    f["count"] = float(kind in ("count", "measure", "percent"))
    f["span"] = float(kind in ("duration", "time", "score"))
    return f


def _signals(ctx: StoryContext, a: _Item, f: dict[str, float]) -> tuple[str, ...]:
    out = []
    if f["sentence"] >= 0.3:
        out.append(f"similar sentences ({f['sentence']:.2f})")
    if f["context"] >= 0.2:
        out.append(f"similar words around the figures ({f['context']:.2f})")
    if f["noun"]:
        out.append(f"both count '{a.claim.noun}'")
    if f["verb"]:
        out.append(f"same predicate '{a.claim.verb}'")
    if f["owner_same"]:
        out.append(f"same owner ({ctx.names.get(a.owner or '', a.owner)})")
    if f["names"]:
        out.append("shared names in the sentences")
    if f["mutual_best"]:
        out.append("each other's closest match")
    return tuple(out)


def pair_score(ctx: StoryContext, a: _Item, b: _Item, rivals: tuple[int, int] = (1, 1),
               mutual: bool = False) -> tuple[float, tuple[str, ...]]:
    """The alignment model's probability that two claims are about one quantity, and why."""
    f = pair_features(ctx, a, b, rivals, mutual)
    weights = WEIGHTS_ENCODER if ctx.space.encoded else WEIGHTS
    z = sum(weights.get(name, 0.0) * value for name, value in f.items())
    return 1 / (1 + math.exp(-z)), _signals(ctx, a, f)


def load_weights(key: str) -> dict[str, float]:
    """A logistic model's weights stored under ``key`` in alignment.json (none when absent)."""
    data = json.loads(resources.files("storyline.reconcile").joinpath("alignment.json").read_text("utf-8"))
    return {k: float(v) for k, v in data.get(key, {}).items()}


#: The model's weights, fitted by scripts/fit_alignment.py (``--encoder``: with the sentence encoder on).
WEIGHTS = load_weights("weights")
WEIGHTS_ENCODER = load_weights("weights_encoder")


def candidate_pairs(ctx: StoryContext, items: list[_Item]) -> list[tuple[_Item, _Item, tuple[int, int], bool]]:
    """Every pair of same-kind, same-unit claims of two independent articles, with the number of
    rivals each has in the other article and whether they are each other's most similar."""
    by_article: dict[int, list[_Item]] = defaultdict(list)
    for it in items:
        by_article[it.ai].append(it)
    out = []
    arts = sorted(by_article)
    for x, ai in enumerate(arts):
        for bj in arts[x + 1:]:
            if ctx.groups[ai] == ctx.groups[bj]:
                continue
            pairs = [(a, b) for a in by_article[ai] for b in by_article[bj] if _same_unit(a, b)]
            if not pairs:
                continue
            raw = {(id(a), id(b)): ctx.space.similarity(a.sentence, b.sentence) + _idf_overlap(ctx, a.window, b.window)
                   for a, b in pairs}
            best_a: dict[int, float] = defaultdict(float)
            best_b: dict[int, float] = defaultdict(float)
            count_a: dict[int, int] = defaultdict(int)
            count_b: dict[int, int] = defaultdict(int)
            for a, b in pairs:
                v = raw[(id(a), id(b))]
                best_a[id(a)] = max(best_a[id(a)], v)
                best_b[id(b)] = max(best_b[id(b)], v)
                count_a[id(a)] += 1
                count_b[id(b)] += 1
            for a, b in pairs:
                v = raw[(id(a), id(b))]
                mutual = v >= best_a[id(a)] and v >= best_b[id(b)] and v > 0
                out.append((a, b, (count_a[id(a)], count_b[id(b)]), mutual))
    return out


#: Verbs that date a statement or a state rather than an event: "said on Friday" or "was on
#: Friday" in two articles may be two statements or two states; "declared on Friday" is one act.
_NO_EVENT = frozenset({"say", "tell", "add", "state", "report", "write", "note", "speak", "explain", "comment", "ask",
                       "respond", "reply", "claim", "argue", "think", "believe", "be", "have", "do", "make", "take",
                       "get", "go", "come", "give"})


def same_dated_act(a: _Item, b: _Item) -> bool:
    """Two date claims that give one day to one act: the same verb of an event (not of saying, being
    or having) at the same date, and not two different people or organisations doing it ("Congress
    passed the bill on Thursday" / "the package passed Thursday"). Two outlets telling an act on the
    same day tell one act, however differently they build the sentence around it."""
    return (a.claim.kind == b.claim.kind == "date" and bool(a.claim.verb) and a.claim.verb == b.claim.verb
            and a.claim.verb not in _NO_EVENT and not (a.actors and b.actors and not a.actors & b.actors)
            and relation(a, b) == "same")


#: A figure that anchors two sentences to one statistic: exact, and large enough to be told of
#: one thing only ("1.6 million", not "two").
ANCHOR_MIN = 10.0


def anchored(a: _Item, b: _Item, sentences: dict[int, list[_Item]]) -> _Item | None:
    """The figure that ties two counts of two outlets to one quantity, if any: their sentences both
    give one exact figure of the same kind, each outlet counting it with the noun it uses for its
    own count ("520,000 arrests last year, a third of the 1.6 million arrests in 2000" /
    "apprehensions have fallen to 400,000 from a peak of 1.6 million"). The shared figure shows
    the two nouns name one thing, and each sentence's other count is that thing's other value.
    Returns ``a``'s anchoring item."""
    fa, fb = a.figure, b.figure
    if a.claim.kind != "count" or b.claim.kind != "count" or fa is None or fb is None or fa.amount <= 0 \
            or fb.amount <= 0 or max(fa.amount, fb.amount) / min(fa.amount, fb.amount) > 2:
        return None
    for x in sentences.get(a.sentence, ()):
        for y in sentences.get(b.sentence, ()):
            if x is a or y is b or x.claim.kind != "count" or y.claim.kind != "count":
                continue
            gx, gy = x.figure, y.figure
            if gx is None or gy is None or gx.qualifier or gy.qualifier or gx.amount != gy.amount \
                    or gx.amount < ANCHOR_MIN or gx.amount == fa.amount or gy.amount == fb.amount:
                continue
            if x.claim.noun == a.claim.noun and y.claim.noun == b.claim.noun:
                return x
    return None


def by_sentence(items: list[_Item]) -> dict[int, list[_Item]]:
    """The claims of each sentence (by global sentence index)."""
    out: dict[int, list[_Item]] = defaultdict(list)
    for it in items:
        out[it.sentence].append(it)
    return out


def align(ctx: StoryContext, items: list[_Item], *, minimum: float,
          sentences: dict[int, list[_Item]] | None = None) -> list[Alignment]:
    """One-to-one alignments between claims of different source groups, most probable first
    (``sentences``: :func:`by_sentence` of ``items``, when already made)."""
    sentences = by_sentence(items) if sentences is None else sentences
    cands = []
    for a, b, rivals, mutual in candidate_pairs(ctx, items):
        p, signals = pair_score(ctx, a, b, rivals, mutual)
        dated_act = p < CORROBORATE_MIN and same_dated_act(a, b)
        if dated_act:
            p, signals = CORROBORATE_MIN, (*signals, f"one act on one day ('{a.claim.verb}')")
        anchor = anchored(a, b, sentences) if not dated_act and p < CONFLICT_MIN else None
        if anchor is not None:
            p, signals = CONFLICT_MIN, (*signals, f"told beside the same figure ({anchor.claim.text})")
        if p >= minimum:
            cands.append(Alignment(a, b, p, signals, dated_act, anchor is not None))
    cands.sort(key=lambda al: -al.score)
    used: set[tuple[int, int]] = set()  # (claim, other article): one partner per article
    out = []
    for al in cands:
        if (id(al.a), al.b.ai) in used or (id(al.b), al.a.ai) in used:
            continue
        used.add((id(al.a), al.b.ai))
        used.add((id(al.b), al.a.ai))
        out.append(al)
    return out


def relation(a: _Item, b: _Item) -> str:
    """same | variant | minor | conflict | incomparable, for two aligned claims."""
    if a.claim.kind == "date":
        if a.stated and a.stated == b.stated:
            return "same"  # "January" in both: one date, however each article's date anchored it
        # a month against a day in it is a variant; two days, months or years that differ conflict
        return compare_dates(a.claim.value, b.claim.value)
    assert a.figure is not None and b.figure is not None
    if a.part != b.part:
        return "incomparable"
    return compare(a.figure, b.figure)


#: Alignment probabilities: pairs below MINIMUM are not considered; a conflict needs
#: CONFLICT_MIN, a corroboration CORROBORATE_MIN.
MINIMUM = 0.2
CONFLICT_MIN = 0.5
CORROBORATE_MIN = 0.5


def fact_findings(ctx: StoryContext, out: Findings, other_dates: Mapping[int, set[int]] | None = None) -> set[int]:
    """Findings for figures and dated events; returns the ids of the claims that found a match.

    ``other_dates``: for a sentence, the sentences of other outlets that tell the same thing with
    none of its dates (:func:`storyline.reconcile.sentences.scan_sentences`). An act that two
    outlets date alike, aligned by :func:`same_dated_act` alone, is not corroborated when a third
    outlet tells it on another day: a sentence with that one date against the act's sentence
    with its one date (sentences of several dates cannot say which date is whose).
    """
    other_dates = other_dates or {}
    items = _items(ctx)
    sentences = by_sentence(items)

    def one_date(sentence: int) -> bool:
        return sum(it.claim.kind == "date" for it in sentences.get(sentence, ())) == 1
    matched: set[int] = set()
    groups: dict[int, list[Alignment]] = defaultdict(list)  # claim group -> alignments
    sets = DisjointSets()
    articles: dict[object, set[int]] = {}  # cluster representative -> articles in it
    owners: dict[object, set[str]] = {}  # cluster representative -> the named owners of its claims

    for al in sorted(align(ctx, items, minimum=MINIMUM, sentences=sentences), key=lambda al: -al.score):
        rel = relation(al.a, al.b)
        if rel == "incomparable":
            continue
        need = CONFLICT_MIN if rel in ("conflict", "minor") else CORROBORATE_MIN
        if al.score < need:
            continue
        if rel in ("conflict", "minor") and (_after_publication(ctx, al) or _both_told(al, sentences)
                                             or not (al.anchored or comparable(al.a, al.b))):
            continue
        ra, rb = sets.find(id(al.a)), sets.find(id(al.b))
        arts_a = articles.get(ra, {al.a.ai})
        arts_b = articles.get(rb, {al.b.ai})
        own_a = owners.get(ra, {al.a.owner} if al.a.owner else set())
        own_b = owners.get(rb, {al.b.owner} if al.b.owner else set())
        if ra != rb and arts_a & arts_b:
            continue  # a quantity has one value per article: joining would chain two quantities
        if len(own_a | own_b) > 1:
            continue  # nor one owner: "Lund's eight years" and "Berg's 33 years" through an unowned third
        root = sets.union(ra, rb)
        articles[root] = arts_a | arts_b
        owners[root] = own_a | own_b
        groups[id(al.a)].append(al)
    clusters: dict[object, list[Alignment]] = defaultdict(list)
    for key, als in groups.items():
        clusters[sets.find(key)].extend(als)
    for als in clusters.values():
        members: dict[int, _Item] = {}
        for al in als:
            members[id(al.a)] = al.a
            members[id(al.b)] = al.b
        matched.update(id(m.claim) for m in members.values())
        ordered = sorted(members.values(), key=lambda m: (m.ai, m.claim.start))
        kind = ordered[0].claim.kind
        subkind = "date" if kind == "date" else ("time" if kind == "time" else "figure")
        rels = [(al, relation(al.a, al.b)) for al in als]
        conflicts = [(al, r) for al, r in rels if r in ("conflict", "minor")]
        evidence = [ctx.evidence(m.ai, m.claim.start, m.claim.end) for m in ordered]
        values = [ctx.value(m.ai, m.claim.value) for m in ordered]
        what = _what(ordered[0])
        if conflicts:
            best, rel = max(conflicts, key=lambda p: (p[1] == "conflict", p[0].score))
            shown = [m.claim.text for m in ordered]
            if len(set(shown)) < len(shown):  # "$10,000" twice: show the words that hedge each
                shown = [_with_words_before(ctx, m) for m in ordered]
            listing = "; ".join(f"{text!r} ({ctx.outlet(m.ai)})" for text, m in zip(shown, ordered, strict=True))
            severity = "minor" if rel == "minor" else "major"
            if subkind == "date":
                detail = f"Outlets date this differently ({severity}): {listing}."
            else:
                detail = f"Outlets give different figures for {what} ({severity}): {listing}."
            out.add("conflict", f"{subkind.capitalize()}: {what}", detail, evidence, step="figures", subkind=subkind,
                    confidence=best.score, signals=best.signals + (f"values {rel}",), values=values,
                    severity=severity)
            continue
        sources = {ctx.groups[m.ai] for m in ordered}
        if any(al.dated_act for al in als) and any(one_date(m.sentence) and one_date(k)
                                                 for m in ordered for k in other_dates.get(m.sentence, ())):
            continue  # one act told on one day by two outlets, on another by a third: not corroborated
        if len(sources) >= 2:
            best_al = max(als, key=lambda al: al.score)
            out.add("corroborated", f"{subkind.capitalize()}: {what}",
                    f"{len(sources)} independent sources give {ordered[0].claim.text!r}"
                    + ("" if len({m.claim.value for m in ordered}) == 1 else " (in compatible wordings)") + ".",
                    evidence, subkind=subkind, confidence=best_al.score,
                    signals=best_al.signals, values=values)
    return matched


def _both_told(al: Alignment, sentences: dict[int, list[_Item]]) -> bool:
    """Whether the sentence of one side also gives the other side's value, for a claim of the same
    kind: "upgraded their offer -- $160 million -- to $178 million" against "a $160 million offer"
    tells the first sum and the raised one, not two sums for one offer."""
    for x, y in ((al.a, al.b), (al.b, al.a)):
        for z in sentences.get(y.sentence, ()):
            if z is not y and _same_unit(x, z) and relation(x, z) in ("same", "variant"):
                return True
    return False


#: Counted nouns that stand for any people, whatever another outlet calls them.
_ANYONE = frozenset({"people", "person", "persons", "individual"})


def comparable(a: _Item, b: _Item) -> bool:
    """Whether two aligned claims that differ can be two values of one thing. Two days are
    two acts unless one act (the same verb) or one event (the same noun) is dated: "King tweeted on
    Friday" / "King said Thursday", "Schiff told the paper on Tuesday" / "the summary was released
    Sunday". Two lengths in different units are two lengths: "reopen the government for three
    weeks" / "the shutdown has dragged on for more than a month". Two counts of different nouns
    are two counts, unless one counts people at large. (Counts tied by a shared figure,
    :func:`anchored`, are aligned before and compared whatever their nouns.)"""
    if a.claim.kind == "date":
        return bool(a.claim.verb and a.claim.verb == b.claim.verb or a.claim.noun and a.claim.noun == b.claim.noun)
    if a.claim.kind == "duration":
        return a.claim.noun == b.claim.noun
    if a.claim.kind == "count":
        # two counts of two things ("12 children" / "8 gang members") are two quantities; "people"
        # counts any people ("three bank workers" / "at least three people")
        nouns = {a.claim.noun, b.claim.noun}
        return len(nouns) == 1 or bool(nouns & _ANYONE)
    return True


def _after_publication(ctx: StoryContext, al: Alignment) -> bool:
    """Whether one of two differing dates is of a past event that happened after the other
    article was published: that article could not have told of it, so the two dates are two
    events (a meeting on Sunday in one article, another on Thursday in an article of the next
    week), not a conflict. A date still to come ("the term ends in 2019") may be in both."""
    if al.a.claim.kind != "date":
        return False
    for x, y in ((al.a, al.b), (al.b, al.a)):
        own = ctx.analyses[x.ai].article.article.published
        other = ctx.analyses[y.ai].article.article.published
        day = x.claim.value[:10]
        if own is not None and other is not None and other.isoformat()[:10] < day <= own.isoformat()[:10]:
            return True
    return False


def _with_words_before(ctx: StoryContext, item: _Item) -> str:
    """A claim's text with the two words written before it ("more than $10,000")."""
    text = ctx.analyses[item.ai].article.text
    before = re.findall(r"\S+", text[max(0, item.claim.start - 30):item.claim.start])[-2:]
    return " ".join([*before, item.claim.text])


def _what(item: _Item) -> str:
    c = item.claim
    if c.kind == "date":
        return short(c.text, 60)
    noun = f" {c.noun}" if c.noun and c.kind in ("count", "measure") else ""
    verb = f" ({c.verb})" if c.verb else ""
    return short(f"{c.text}{verb}" if not noun or noun.strip() in c.text else f"{c.text}{noun}{verb}", 60)
