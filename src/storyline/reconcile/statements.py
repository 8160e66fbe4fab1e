"""Statements across outlets: the same words (or the same reported claim) in several articles.

Quotes are grouped when their words match (rapidfuzz partial ratio over the quoted fragments,
so a shorter excerpt of a longer quotation joins it). Each group is then decided:

* ``corroborated``: the statement, with the same speaker, in two or more independent sources;
* ``conflict`` / ``speaker``: the same words given to two different people, both *named or
  resolved with confidence*: a guessed pronoun never carries this conflict;
* ``conflict`` / ``date``: the statement placed on different days;
* ``conflict`` / ``wording``: direct quotations of one statement whose words differ (punctuation
  and case are house style, not a conflict, except a word in capitals for emphasis, which is
  minor; a changed content word is major, a filler word minor);
* ``single_source``: a statement that one source group alone reports.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from rapidfuzz import fuzz

from ..extract.entities import HONORIFIC_GENDER, ROLE_ABBREVIATIONS, ROLE_NOUNS
from ..models import Quote
from ..report import Evidence
from .context import DisjointSets, Findings, StoryContext, norm, short, words
from .facts import TIME_WORDS

_QUOTED = re.compile(r"[“\"«]([^”\"»]{3,})[”\"»]")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: Cues whose speaker rejects what the quote reports ("denied that the row could damage ...").
_DENIAL_CUE = re.compile(r"\b(?:den(?:y|ies|ied|ying)|dismiss\w*|reject\w*|refut\w*|rebut\w*|disput\w*)\b",
                         re.IGNORECASE)
#: Words whose change leaves a quotation's meaning ("a very important thing", "so if that's the case").
_FILLER = frozenset(
    "a an the and but so then well very just really that this of to in on at it is was be i you we "
    "now also too oh um uh like actually "
    # auxiliaries: "who have expressed" / "who had expressed" keeps what was said
    "are were been being has have had do does did will would shall should can could may might "
    # prepositions swapped for one another ("within" / "in", "on behalf of" / "for")
    "within into onto upon about for with by from as than".split()
)
#: An editor's words inside a quotation ("the [travel] ban", "pay [for] it", "our (local)
#: schools"): a change in them is no change in what was said. Dotted initials ("F.B.I.") are
#: written without their dots before quotations are compared.
_EDITOR = re.compile(r"\[([^\]]{1,40})\]|\(([^)]{1,40})\)")
_INITIALS = re.compile(r"\b(?:[A-Za-z]\.){2,}")
#: Small words an excerpt of a longer quotation may start or stop on ("the lines of ...").
_CUT = frozenset({"a", "an", "the", "and", "but", "so", "or", "then"})
#: Words that turn a statement round: one quotation with and one without is a major change.
_NEGATIONS = frozenset({"not", "t", "never", "no", "nor", "nothing"})
#: Determiners outlets swap without changing what was said ("the President" / "President").
_ARTICLES = frozenset({"a", "an", "the", "any"})
#: Contracted and full forms, after normalisation split off the apostrophe ("i'd" -> "i d").
_CONTRACTIONS = {"d": {"would", "had"}, "ll": {"will"}, "ve": {"have"}, "re": {"are"}, "m": {"am"},
                 "s": {"is", "has"}, "t": {"not"}, "won": {"will"}, "can": {"can"}, "don": {"do"},
                 "doesn": {"does"}, "didn": {"did"}, "isn": {"is"}, "aren": {"are"}, "wasn": {"was"},
                 "weren": {"were"}, "haven": {"have"}, "hasn": {"has"}, "wouldn": {"would"},
                 "couldn": {"could"}, "shouldn": {"should"}}


def _same_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two runs of words that differ only by contraction ("d" / "would", "don t" / "do not")."""
    def expand(words: Sequence[str]) -> list[str]:
        out: list[str] = []
        for w in words:
            if w == "t" and out and out[-1] in _CONTRACTIONS:
                out[-1] = next(iter(_CONTRACTIONS[out[-1]]))  # "don t" -> "do not"
                out.append("not")
            else:
                out.append(w)
        return out

    xa, xb = expand(a), expand(b)
    return len(xa) == len(xb) and all(
        x == y or y in _CONTRACTIONS.get(x, ()) or x in _CONTRACTIONS.get(y, ()) for x, y in zip(xa, xb, strict=True))


#: A speaker resolved at least this surely may carry a "who said it" conflict...
SURE_SPEAKER = 0.8
#: ... and only if the text names them at the quotation (not a pronoun, a description, or a
#: quotation carried over from the previous speaker).
NAMED_VIAS = frozenset({"name", "title"})
#: Quotations shorter than this (in words) are not compared for wording.
MIN_WORDING_WORDS = 6
#: Two quotations must match at least this well (partial ratio) for a "who said it" conflict.
SPEAKER_MATCH = 95


def denied(q: Quote) -> bool:
    """The quote reports what its speaker denies ("denied that ..."), not what they claim."""
    return bool(q.cue and _DENIAL_CUE.search(q.cue))


def fragments(q: Quote) -> list[str]:
    """The words a quote puts in the speaker's mouth, normalised for comparison."""
    if q.kind == "direct":
        return [norm(q.text)]
    inner = [norm(m.group(1)) for m in _QUOTED.finditer(q.text)]
    inner = [f for f in inner if len(f.split()) >= 2]
    return inner or [norm(q.text)]


def speaker_confidence(q: Quote) -> float:
    """How sure the speaker of ``q`` is (set by the attribution step); none without an entity."""
    return q.speaker_confidence if q.speaker_entity_id else 0.0


def same_statement(fa: Sequence[str], fb: Sequence[str], threshold: int) -> float:
    """How much of the shorter quote's words the longer one carries, in order (0 when too short
    to tell, or below ``threshold`` percent; short quotes need 90%).

    Word-level, so "I'm not going to pay" does not join "we are not going to pay any cent" on the
    strength of four shared words, and a shorter excerpt of a longer quotation does join it.
    """
    best = 0.0
    for a in fa:
        for b in fb:
            wa, wb = a.split(), b.split()
            short_, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
            if len(short_) < 3:
                continue
            sm = difflib.SequenceMatcher(a=short_, b=long_, autojunk=False)
            share = 100.0 * sum(size for _, _, size in sm.get_matching_blocks()) / len(short_)
            if share >= (threshold if len(short_) >= 8 else max(threshold, 90)):
                best = max(best, share)
    return best


def _candidates(frags: Sequence[Sequence[str]], *, common: int = 50) -> set[tuple[int, int]]:
    """Pairs of quotes sharing a word trigram (a rarer one than ``common`` quotes use): the only
    pairs worth comparing, so that a story of thousands of quotes is not compared all by all."""
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, fs in enumerate(frags):
        grams = {tuple(w[k:k + 3]) for f in fs for w in [f.split()] for k in range(max(len(w) - 2, 0))}
        for g in grams:
            index[g].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in index.values():
        if len(members) > common:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                pairs.add((i, j))
    return pairs


def align_quotes(ctx: StoryContext, threshold: int,
                 pairs: dict[tuple[int, int], float] | None = None) -> list[list[tuple[int, Quote, float]]]:
    """Connected groups of quotes from different articles that carry the same words.

    ``pairs``, when given, receives the match score of every pair of quotes that matched
    directly, keyed by the quotes' ``id()`` (a group can chain quotes that never matched each other).
    """
    items = [(ai, q) for ai, a in enumerate(ctx.analyses) for q in a.quotes]
    frags = [fragments(q) for _, q in items]
    sets = DisjointSets()
    best = [0.0] * len(items)
    # copies of one article (a wire story under many ids) carry the same quotations: each pair of
    # distinct wordings is compared once, not once per pair of copies
    wording: dict[tuple[str, ...], int] = {}
    kind = [wording.setdefault(tuple(fs), len(wording)) for fs in frags]
    scores: dict[tuple[int, int], float] = {}

    for i, j in sorted(_candidates(frags)):
        if items[i][0] == items[j][0] or denied(items[i][1]) != denied(items[j][1]):
            continue  # one speaker's denial does not corroborate another's claim
        score = scores.get((kind[i], kind[j]))
        if score is None:
            score = scores[(kind[i], kind[j])] = same_statement(frags[i], frags[j], threshold)
        if score:
            if pairs is not None:
                pairs[(id(items[i][1]), id(items[j][1]))] = pairs[(id(items[j][1]), id(items[i][1]))] = score
            sets.union(j, i)
            best[i], best[j] = max(best[i], score), max(best[j], score)
    groups: dict[object, list[tuple[int, Quote, float]]] = defaultdict(list)
    for i, (ai, q) in enumerate(items):
        groups[sets.find(i)].append((ai, q, best[i]))
    return list(groups.values())


def _weekday_of(q: Quote) -> str | None:
    if q.said_on and re.fullmatch(r"\d{4}-\d\d-\d\d", q.said_on):
        return _WEEKDAYS[date.fromisoformat(q.said_on).weekday()]
    if q.said_on_text and q.said_on_text.strip().lower() in _WEEKDAYS:
        return q.said_on_text.strip().lower()
    return None


def _when(q: Quote) -> str:
    if q.said_on:
        return q.said_on + (f" ({q.said_on_text})" if q.said_on_text else "")
    return f"{q.said_on_text} (no date to anchor it)" if q.said_on_text else "undated"


def _when_span(ctx: StoryContext, ai: int, q: Quote):  # type: ignore[no-untyped-def]
    if not q.said_on_text:
        return None
    lo, hi = (q.cue_start or q.start) - 200, q.end + 200
    for t in ctx.analyses[ai].timexes:
        if t.text == q.said_on_text and lo <= t.start <= hi:
            return ctx.evidence(ai, t.start, t.end)
    return None


def _same_person(a: str, b: str) -> bool:
    """Two names that can be one person's ("Paul R. LePage", "Paul LePage"): every word of the
    shorter, initials aside, is in the longer."""
    wa = [w for w in norm(a).split() if len(w) > 1]
    wb = [w for w in norm(b).split() if len(w) > 1]
    small, big = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return bool(small) and len(small) >= 2 and all(w in big for w in small)


_MASKED = re.compile(r"\b(\w+)[*]+(\w*)")


def _unmask(text: str, other: str) -> str:
    """A word an outlet masked ("f***ing") written as the other outlet spells it, when it does."""
    def spelled(m: re.Match[str]) -> str:
        head, tail = m.group(1).lower(), m.group(2).lower()
        for word in re.findall(r"\w+", other):
            low = word.lower()
            if low.startswith(head) and low.endswith(tail) and len(low) > len(head) + len(tail):
                return word
        return m.group(0)

    return _MASKED.sub(spelled, text)


def _shouted(a: str, b: str) -> list[str]:
    """Words one quotation writes in capitals for emphasis where the other has them in lower case
    ("the RIGHT" / "the right"): a minor difference in what the speaker wrote. A name an outlet
    writes in capitals ("NATO" / "Nato") is house style, as is a capital that starts a sentence.
    The two must have the same words."""
    ra, rb = words(a), words(b)
    if len(ra) != len(rb):
        return []
    return [w.lower() for x, y in zip(ra, rb, strict=True) for w, other in ((x, y), (y, x))
            if len(w) > 1 and w.isupper() and other.islower()]


#: Numbers in words and in digits are house style ("a two-in-three chance" / "a 2 in 3 chance").
_NUMERALS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
#: Two spellings of one name must be at least this alike (rapidfuzz ratio, particles aside).
NAME_SPELLING = 60
_PARTICLES = frozenset({"al", "el", "ul", "bin", "ibn", "abu", "van", "von", "de", "da", "di", "le", "la"})


def _one_name(xs: Sequence[str], ys: Sequence[str], raw: str) -> bool:
    """Two runs of words that spell one name two ways: each written with a capital in the
    quotations, alike letters once particles ("al", "bin") are set aside."""
    def core(words: Sequence[str]) -> str:
        return "".join(w for w in words if w not in _PARTICLES)

    cx, cy = core(xs), core(ys)
    if len(cx) < 4 or len(cy) < 4 or fuzz.ratio(cx, cy) < NAME_SPELLING:
        return False
    capital = {m.group(0).lower() for m in re.finditer(r"\b[A-Z][\w'’-]*", raw)}
    names = {w for m in capital for w in norm(m).split()}
    return all(w in names or w in _PARTICLES for w in (*xs, *ys))


def _inflected(xs: Sequence[str], ys: Sequence[str]) -> bool:
    """Two runs of as many words that differ only by a plural or third-person ending ("in the pew"
    / "in the pews", "it cost" / "it costs"): one word in another number, a minor change."""
    return len(xs) == len(ys) and all(
        x == y or (len(x) > 2 and len(y) > 2 and (x + "s" == y or y + "s" == x or x + "es" == y or y + "es" == x))
        for x, y in zip(xs, ys, strict=True))


def wording_difference(a: str, b: str) -> tuple[str, list[str]] | None:
    """How two direct quotations of one statement differ: ("major"|"minor", changed words),
    or ``None`` when, punctuation, case and masked profanity aside, one is a plain excerpt of the
    other."""
    a, b = _unmask(a, b), _unmask(b, a)
    editors = {w for x in (a, b) for m in _EDITOR.finditer(x) for w in norm(m.group(1) or m.group(2)).split()}
    a, b = (_INITIALS.sub(lambda m: m.group(0).replace(".", ""), _EDITOR.sub(r" \1\2 ", x)) for x in (a, b))
    wa, wb = [_NUMERALS.get(w, w) for w in norm(a).split()], [_NUMERALS.get(w, w) for w in norm(b).split()]
    if not wa or not wb:
        return None
    if min(len(wa), len(wb)) < MIN_WORDING_WORDS:
        return None  # a few words match too many things to tell a rewording from another statement
    if wa == wb:
        shouted = _shouted(a, b)
        return ("minor", shouted) if shouted else None
    short_, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if len(short_) < len(long_):
        # an excerpt that starts or stops on a small word ("the lines of ...") is cut there; the
        # small word would otherwise match one far off in the longer quotation
        while len(short_) > 3 and short_[0] in _CUT:
            short_ = short_[1:]
        while len(short_) > 3 and short_[-1] in _CUT:
            short_ = short_[:-1]
    sm = difflib.SequenceMatcher(a=short_, b=long_, autojunk=False)
    blocks = [b for b in sm.get_matching_blocks() if b.size]
    if not blocks or blocks[-1].b + blocks[-1].size - blocks[0].b > 1.5 * len(short_) + 2:
        return None  # the shorter one's words are scattered over the longer: not one passage quoted twice
    changed: list[str] = []
    inflected: set[str] = set()  # words changed only in number ("pew" / "pews")
    changed_short = 0
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        changed_short += i2 - i1
        # an excerpt starts later or stops earlier than the longer quotation: what differs at its
        # edges is where each outlet cut the quotation, no change -- unless one word is swapped
        # for one other ("his visit" / "his message")
        at_edge = (i1 == 0 and j1 == 0) or (i2 == len(short_) and j2 == len(long_)) or i1 in (0, len(short_))
        # a few words swapped at an edge where one side says "not" -- not a whole sentence more
        negated = tag == "replace" and max(i2 - i1, j2 - j1) <= 5 and (
            bool(_NEGATIONS & set(short_[i1:i2])) != bool(_NEGATIONS & set(long_[j1:j2])))
        if at_edge and not (tag == "replace" and i2 - i1 == j2 - j1 == 1) and not negated:
            continue  # ... unless one side's edge says "not" ("To pass this" / "If they don't pass this")
        if tag == "replace" and _same_words(short_[i1:i2], long_[j1:j2]):
            continue  # "I'd" / "I would", "don't" / "do not": house style
        if tag == "replace" and _one_name(short_[i1:i2], long_[j1:j2], a + " " + b):
            continue  # "al-Qaddafi" / "Gadhafi": one name transliterated (house style)
        if tag == "replace" and _inflected(short_[i1:i2], long_[j1:j2]):
            inflected.update((*short_[i1:i2], *long_[j1:j2]))
        changed.extend(short_[i1:i2])
        changed.extend(long_[j1:j2])
    changed = [w for w in changed if w not in editors]
    if not changed or changed_short > 0.4 * len(short_):
        return None  # nothing changed, or too much: two statements, not one quoted twice
    if all(w in _ARTICLES for w in changed):
        return None  # "the President" / "President": house style
    content = [w for w in changed if (w not in _FILLER and w not in inflected) or w in _NEGATIONS]
    return ("major" if content else "minor"), changed


def _surname(name: str) -> str:
    words = [w for w in norm(name).split() if w not in {"jr", "sr", "ii", "iii"}]
    return words[-1] if words else ""


#: Characters around a quotation (and its cue) in which a second person named there shares it.
_NEAR = 250


def _named_near(ctx: StoryContext, ai: int, q: Quote) -> set[str]:
    """Story entities named around a quotation ("Pelosi and Schumer said in a joint statement")."""
    lo = min(q.start, q.cue_start if q.cue_start is not None else q.start) - _NEAR
    hi = max(q.end, q.cue_end if q.cue_end is not None else q.end) + _NEAR
    return ctx.entities_in(ai, max(0, lo), hi)


def _speaker_conflicts(ctx: StoryContext, group: Sequence[tuple[int, Quote, float]],
                       speakers: Sequence[str | None],
                       pairs: dict[tuple[int, int], float]) -> list[tuple[int, Quote, str, int, Quote, str]]:
    """Pairs of the group's direct quotations (of some length), from independent sources, that match
    closely and whose speakers are different people, both named or resolved surely (never a
    guessed pronoun)."""
    sure = [(ai, q, sp) for (ai, q, _), sp in zip(group, speakers, strict=True)
            if sp and ctx.types.get(sp) == "PERSON" and speaker_confidence(q) >= SURE_SPEAKER
            and q.speaker_via in NAMED_VIAS and q.kind == "direct" and len(norm(q.text).split()) >= MIN_WORDING_WORDS]
    found = []
    for x, (ai, qa, sa) in enumerate(sure):
        for bj, qb, sb in sure[x + 1:]:
            if sa == sb or ctx.groups[ai] == ctx.groups[bj]:
                continue
            na, nb = ctx.names[sa], ctx.names[sb]
            # one surname, or one name inside the other: more likely one person split in two
            if _same_person(na, nb) or _surname(na) == _surname(nb) or fuzz.ratio(norm(na), norm(nb)) >= 80:
                continue
            if pairs.get((id(qa), id(qb)), 0.0) < SPEAKER_MATCH:
                continue
            if sb in _named_near(ctx, ai, qa) or sa in _named_near(ctx, bj, qb):
                continue  # the other person is named at the quotation: a joint statement, or a doubt
            found.append((ai, qa, sa, bj, qb, sb))
    return found


#: Capitalised words of a written speaker that name no one: titles, dates, determiners.
_NO_NAME = (frozenset({"a", "an"}) | frozenset(HONORIFIC_GENDER) | frozenset(ROLE_ABBREVIATIONS) | ROLE_NOUNS
            | TIME_WORDS)


def _two_speakers(ctx: StoryContext, quotes: Sequence[tuple[int, Quote]]) -> bool:
    """Whether the quotations are given to two speakers, not one under two names: two people
    named, or a person named against a speaker written without that person's surname ("Trump
    said ..." / "BuzzFeed's report claimed ..."; a bare pronoun may be either)."""
    names = [ctx.names[sp] for sp in dict.fromkeys(ctx.entity(ai, q.speaker_entity_id) for ai, q in quotes)
             if sp and sp in ctx.names]
    if any(not (_same_person(a, b) or _surname(a) == _surname(b)) for x, a in enumerate(names) for b in names[x + 1:]):
        return True
    # a speaker written with another name ("BuzzFeed's Thursday night report") is someone else; one
    # written without a name ("the senator", "he") may be the person named
    own = {w for n in names for w in norm(n).split()}
    written = {norm(m.group(0)) for ai, q in quotes if not ctx.entity(ai, q.speaker_entity_id) and q.speaker_text
               for m in re.finditer(r"\b[A-Z][\w.-]*[a-z][\w.-]*", q.speaker_text)}
    return bool(names) and bool(written - own - _NO_NAME)


def statement_findings(ctx: StoryContext, out: Findings, threshold: int) -> None:
    """Corroborations, conflicts and single-source items for the story's statements."""
    pairs: dict[tuple[int, int], float] = {}
    for group in align_quotes(ctx, threshold, pairs):
        group.sort(key=lambda p: (p[0], p[1].start))
        sources = {ctx.groups[ai] for ai, _, _ in group}
        speakers = [ctx.entity(ai, q.speaker_entity_id) for ai, q, _ in group]
        named = [s for s in speakers if s]
        who = ctx.names.get(Counter(named).most_common(1)[0][0], "") if named else ""
        first = group[0][1]
        label = who or first.speaker_text or "unattributed"
        about = f"{label}: “{short(first.text)}”"
        evidence = [ctx.evidence(ai, q.start, q.end) for ai, q, _ in group]
        if len(sources) < 2:
            copies = "" if len(group) == 1 else f" ({len(group)} copies of one source)"
            out.add("single_source", about, f"Only one source reports this statement{copies}.", evidence,
                    subkind="statement", confidence=1.0)
            continue
        match = min((score for _, _, score in group if score), default=80.0) / 100
        disputed: set[int] = set()  # ids of quotations a major conflict involves
        # who said it
        for ai, qa, sa, bj, qb, sb in _speaker_conflicts(ctx, group, speakers, pairs):
            disputed.update((id(qa), id(qb)))
            conf = min(speaker_confidence(qa), speaker_confidence(qb)) * match
            out.add("conflict", f"Who said “{short(qa.text)}”",
                    f"The same words are attributed to different people: {ctx.names[sa]} ({ctx.outlet(ai)}); "
                    f"{ctx.names[sb]} ({ctx.outlet(bj)}).",
                    [ctx.evidence(ai, qa.start, qa.end), ctx.evidence(bj, qb.start, qb.end)], subkind="speaker",
                    step="quotations",
                    confidence=conf, severity="major",
                    signals=("quotation matched across sources", "both speakers named or resolved"),
                    values=[ctx.value(ai, ctx.names[sa]), ctx.value(bj, ctx.names[sb])])
            break
        # when: the statement placed on different days
        dated = [(ai, q) for ai, q, _ in group if _weekday_of(q)]
        days = {_weekday_of(q) for _, q in dated}
        values = {q.said_on for _, q in dated if q.said_on}
        # words given to two people are two statements (one quoting the other's report), each
        # with its own day: "Trump on Saturday said ... a report claiming X" / "the Thursday
        # report claimed X"
        if (len(days) > 1 or len(values) > 1) and len({ctx.groups[ai] for ai, _ in dated}) > 1 \
                and not _two_speakers(ctx, dated):
            disputed.update(id(q) for _, q in dated)
            detail = "; ".join(f"{ctx.outlet(ai)} says {_when(q)}" for ai, q in dated)
            ev = [ctx.evidence(ai, q.start, q.end) for ai, q in dated]
            for ai, q in dated:
                when = _when_span(ctx, ai, q)
                if when is not None:
                    ev.append(when)
            out.add("conflict", f"When {label} said “{short(first.text)}”",
                    f"The outlets place this statement on different days: {detail}.", ev, subkind="date",
                    step="quotations",
                    confidence=0.7 * match, severity="major",
                    signals=("quotation matched across sources", "different days"),
                    values=[ctx.value(ai, _when(q)) for ai, q in dated])
        # wording: direct quotations of one statement that differ in words
        direct = [(ai, q) for ai, q, _ in group if q.kind == "direct"]
        reworded = None
        for x, (ai, qa) in enumerate(direct):
            for bj, qb in direct[x + 1:]:
                if ctx.groups[ai] == ctx.groups[bj] or (id(qa), id(qb)) not in pairs:
                    continue  # compare only quotations that matched each other, not through a chain
                diff = wording_difference(qa.text, qb.text)
                if diff is not None and (reworded is None or diff[0] == "major" and reworded[0] == "minor"):
                    reworded = (diff[0], diff[1], ai, qa, bj, qb)
        if reworded is not None:
            severity, changed, ai, qa, bj, qb = reworded
            if severity == "major":
                disputed.update((id(qa), id(qb)))
            words = ", ".join(dict.fromkeys(changed))
            out.add("conflict", f"Wording of “{short(qa.text)}”",
                    f"The outlets quote this statement in different words ({severity}: {short(words, 60)}).",
                    [ctx.evidence(ai, qa.start, qa.end), ctx.evidence(bj, qb.start, qb.end)],
                    subkind="wording", confidence=(0.8 if severity == "major" else 0.45) * match, severity=severity,
                    step="quotations",
                    signals=("quotation matched across sources", f"{severity} word changes"),
                    values=[ctx.value(ai, qa.text), ctx.value(bj, qb.text)])
        # the same words are never both corroborated and in a major conflict; the rest of the group
        # (a longer quotation's other sentences, told alike) still is
        agreed = [(ai, q) for ai, q, _ in group if id(q) not in disputed]
        evidence = [ctx.evidence(ai, q.start, q.end) for ai, q in agreed]
        agreeing = {ctx.groups[ai] for ai, _ in agreed}
        if reworded is not None and reworded[0] == "major" and len(disputed) == 2:
            # a long quotation reworded in one outlet may still be quoted word for word by another:
            # the passage they share (only it) is corroborated
            for ai, bj, qb, passage in _shared_passages(ctx, group, disputed, pairs, set(reworded[1])):
                evidence += [passage, ctx.evidence(bj, qb.start, qb.end)]
                agreeing.update((ctx.groups[ai], ctx.groups[bj]))
        if len(agreeing) >= 2:
            out.add("corroborated", about if not disputed else f"{label}: “{short(evidence[0].text)}”",
                    f"The same statement appears in {len(agreeing)} independent sources.",
                    list(dict.fromkeys(evidence)), subkind="statement", confidence=match,
                    signals=(f"quotation words match ({round(match * 100)}%)",))


def _shared_passages(ctx: StoryContext, group: Sequence[tuple[int, Quote, float]], disputed: set[int],
                     pairs: dict[tuple[int, int], float], changed: set[str]
                     ) -> list[tuple[int, int, Quote, Evidence]]:
    """For each quotation of a major wording conflict, the passage another source quotes word for
    word (a plain excerpt of it, away from the changed words): (article of the reworded
    quotation, article of the excerpt, the excerpt, the passage's evidence)."""
    found = []
    for ai, qa, _ in group:
        if id(qa) not in disputed or qa.kind != "direct":
            continue
        for bj, qb, _ in group:
            if id(qb) in disputed or qb.kind != "direct" or ctx.groups[bj] == ctx.groups[ai] \
                    or (id(qa), id(qb)) not in pairs or len(qb.text) >= len(qa.text) \
                    or wording_difference(qa.text, qb.text) is not None:
                continue
            al = fuzz.partial_ratio_alignment(qb.text, qa.text)
            if al is None:
                continue
            start, end = qa.start + al.dest_start, qa.start + al.dest_end
            if changed & set(norm(ctx.analyses[ai].article.text[start:end]).split()):
                continue
            found.append((ai, bj, qb, ctx.evidence(ai, start, end)))
    return found
