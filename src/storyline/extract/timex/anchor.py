"""Anchoring: values that depend on the expressions before them, and the expression that dates an event.

Anchored expressions ("a day after", "the day before", "two days later") resolve against the
nearest preceding day-level expression in the same sentence; "the quarter" and "a year earlier"
against the quarter the text named last. :func:`timex_for_token` picks the day-level expression
that dates a cue verb.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from spacy.tokens import Doc, Span, Token

from ...models import TimeExpression
from .normalise import duration_value, offset_date
from .numbers import parse_number
from .syntax import event_verb, sentence_of
from .vocabulary import DAY_VALUE, MONTH_ANY, UNIT_DAYS, WEEKDAY_PATTERN

_QUARTER_VALUE = re.compile(r"(\d{4})-Q([1-4])")
# Rules resolved in a second pass, against the expressions found before them.
DEFERRED_RULES = frozenset({"anchored", "anchored2", "quarter_ref", "yearago"})
#: How far back (characters) a quarter mentioned earlier still sets the context for "a year ago".
_QUARTER_CONTEXT = 1500
_DAYISH_TEXT = re.compile(
    rf"\b(?:{WEEKDAY_PATTERN}|yesterday|today|tomorrow|day)\b|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\b(?:{MONTH_ANY})\.?\s+\d|\d\s+(?:of\s+)?(?:{MONTH_ANY})\b",
    re.I,
)
_INTRO_AFTER_BEFORE = re.compile(r"\b(?:after|before)$", re.I)


def has_anchor(doc: Doc, tx: TimeExpression, resolved: Sequence[TimeExpression]) -> bool:
    """True when a day-level expression precedes ``tx`` in its sentence (resolved or not)."""
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None:
        return False
    sentence = sentence_of(doc, span.start)
    return any(sentence.start_char <= o.start and o.end <= tx.start and is_day_level(o) for o in resolved)


def unanchored_duration(match: re.Match[str], text: str) -> TimeExpression | None:
    """ "two days after <event>" with no date to count from: the duration "two days" (TimeML's reading)."""
    n_text = match.group("n")
    if n_text.lower() == "the":
        return None
    value = duration_value(n_text, match.group("unit").lower())
    if value is None:
        return None
    start, end = match.start("n"), match.end("unit")
    end = match.start("dir")
    while end > start and text[end - 1].isspace():
        end -= 1
    return TimeExpression(start, end, text[start:end], "DURATION", value)


_YEAR_IN_TEXT = re.compile(r"\b(?:1[6-9]|20)\d{2}\b")
_VALUE_YEAR = re.compile(r"(\d{4})(-\d{2}(?:-\d{2})?)")


def points_back(span: Span) -> bool:
    """ "that March 2 event", "those June talks": a demonstrative before a date names one told of
    before; so does "that year" after it ("on July 22 that year", "in May of that same year")."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in ("that", "those") and before.tag_ == "DT":
        return True
    after = [t.lower_ for t in doc[span.end:span.end + 4]]
    if after[:1] == ["of"]:
        after = after[1:]
    return after[:2] == ["that", "year"] or after[:3] in (["that", "same", "year"], ["the", "same", "year"])


def shared_year(tx: TimeExpression, following: TimeExpression) -> str | None:
    """The value of ``tx`` (a day or month without a year) in the year ``following`` writes out."""
    m = _VALUE_YEAR.fullmatch(tx.value or "")
    year = _YEAR_IN_TEXT.search(following.text)
    if m is None or year is None or not (following.value or "").startswith(year.group(0)):
        return None
    return year.group(0) + m.group(2)


def year_from_context(doc: Doc, tx: TimeExpression, resolved: Sequence[TimeExpression]) -> str | None:
    """The value of ``tx`` (a day or month without a year) in the year the text gave last.

    "... at a 2008 event in Norfolk. At that March 2 event, ...": the demonstrative points back
    to something already dated, so the year comes from the nearest preceding expression that
    writes one out in this sentence or the one before; None when there is none.
    """
    m = _VALUE_YEAR.fullmatch(tx.value or "")
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if m is None or span is None:
        return None
    sentence = sentence_of(doc, span.start)
    start = sentence_of(doc, sentence.start - 1).start_char if sentence.start > 0 else sentence.start_char
    for other in reversed(resolved):
        if other.end > tx.start or other.start < start:
            continue
        year = _YEAR_IN_TEXT.search(other.text)
        if year and other.value and other.value.startswith(year.group(0)):
            return year.group(0) + m.group(2)
    return None


def is_day_level(tx: TimeExpression) -> bool:
    """True for a DATE naming one day: an ISO day value, or an unresolved "Tuesday"/"yesterday"."""
    if tx.type != "DATE":
        return False
    if tx.value is not None:
        return DAY_VALUE.fullmatch(tx.value) is not None
    return _DAYISH_TEXT.search(tx.text) is not None and not re.search(r"\b(?:week|month|year)s?\b", tx.text, re.I)


def timex_for_token(doc: Doc, token_i: int, timexes: Sequence[TimeExpression]) -> TimeExpression | None:
    """The day-level time expression that dates the event of token ``token_i`` (e.g. a quote's cue verb).

    Preference: a timex attached to the verb itself, then one tied to its event
    (a participle or infinitive of its own, a verb it is coordinated with), then
    the closest one with no verb of its own in the same sentence. Timexes inside
    quoted text, inside another clause (the reported one, a subordinate event "a
    day after the campaign accused ...", the clause the cue is set into) or
    introducing one ("a day after") are never chosen.
    """
    cue = doc[token_i]
    sent = sentence_of(doc, token_i)
    quoted = _quoted_ranges(doc, sent)
    best: tuple[int, int, TimeExpression] | None = None
    for tx in timexes:
        if tx.start < sent.start_char or tx.end > sent.end_char or not is_day_level(tx):
            continue
        if any(s <= tx.start and tx.end <= e for s, e in quoted) and not any(s <= cue.idx < e for s, e in quoted):
            continue
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        if span is None or introduces_event(doc, tx, span):
            continue
        rank = _attachment_rank(span, cue)
        if rank is None:
            continue
        distance = min(abs(t.i - cue.i) for t in span)
        if best is None or (rank, distance) < best[:2]:
            best = (rank, distance, tx)
    return best[2] if best else None


def is_one_year(match: re.Match[str]) -> bool:
    """Whether a rule match counts one year ("a year ago", "one year earlier", "the year before")."""
    g = match.groupdict()
    return (g.get("unit") or "").lower() == "year" and (g.get("n") or "").lower() in ("a", "one", "1", "the")


def _last_quarter_before(tx: TimeExpression, resolved: Sequence[TimeExpression]) -> tuple[int, int] | None:
    """The (year, quarter) of the nearest quarter mentioned shortly before ``tx``, if any."""
    found = None
    for other in resolved:
        if other.end > tx.start:
            break
        m = _QUARTER_VALUE.fullmatch(other.value or "")
        if m and tx.start - other.end <= _QUARTER_CONTEXT:
            found = (int(m.group(1)), int(m.group(2)))
    return found


def _previous_quarter(ref: date) -> tuple[int, int]:
    """The last quarter completed before ``ref``: the one financial results usually report."""
    q = (ref.month - 1) // 3  # 0-based current quarter
    return (ref.year, q) if q else (ref.year - 1, 4)


def resolve_deferred(
    doc: Doc, tx: TimeExpression, rule: str, match: re.Match[str], resolved: Sequence[TimeExpression], ref: date
) -> str | None:
    """Values that depend on what the text said before: anchors, "the quarter", "a year earlier"."""
    g = match.groupdict()
    context = _last_quarter_before(tx, resolved)
    if rule == "quarter_ref":
        q_word = (g.get("q") or "").lower()
        if q_word.isdigit():  # "the 1988 quarter": the quarter in context, that year
            year, q = context or _previous_quarter(ref)
            return f"{int(q_word):04d}-Q{q}"
        year, q = _previous_quarter(ref)
        if q_word in ("year-ago", "year-earlier", "corresponding", "same") or re.search(
            r"(?:ago|earlier|last year)$", tx.text, re.I
        ):
            year -= 1
        return f"{year:04d}-Q{q}"
    if rule == "yearago":  # "year-earlier" profits, "the year-ago" figure
        if context:
            return f"{context[0] - 1:04d}-Q{context[1]}"
        return f"{ref.year - 1:04d}"
    if is_one_year(match) and context and (rule == "ago" or g.get("dir", "").lower() in ("earlier", "before")):
        # "profit rose 5% from a year earlier": the same quarter, one year back.
        return f"{context[0] - 1:04d}-Q{context[1]}"
    if rule == "ago":
        return tx.value
    value = _resolve_anchored(doc, tx, match, resolved)
    if value is None and g.get("unit", "").lower() in ("month", "year") and g.get("dir", "").lower() in (
        "earlier", "before", "later"
    ):
        # No day to anchor on: count from the publication date ("a year earlier" = last year).
        n = 1.0 if (g.get("n") or "one").lower() in ("a", "an", "the") else parse_number(g.get("n") or "one")
        return offset_date(n, g["unit"].lower(), ref, sign=1 if g["dir"].lower() == "later" else -1)
    return value


def _resolve_anchored(
    doc: Doc, tx: TimeExpression, match: re.Match[str], resolved: Sequence[TimeExpression]
) -> str | None:
    span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
    if span is None:
        return None
    sentence = sentence_of(doc, span.start)
    anchor = None
    for other in resolved:
        if other.start >= sentence.start_char and other.end <= tx.start and other.value:
            if DAY_VALUE.fullmatch(other.value):
                anchor = other  # keep the nearest preceding one
    if anchor is None or anchor.value is None:
        return None
    g = match.groupdict()
    direction = g["dir"].lower()
    n_text = g.get("n") or "one"
    n = 1.0 if n_text.lower() in ("a", "an", "the") else parse_number(n_text)
    if n is None:
        return None
    if direction in ("after", "before") and introduces_event(doc, tx, span):
        # "a day after <event>": the event came n units before the anchor.
        sign = -1 if direction == "after" else 1
    else:
        sign = -1 if direction in ("before", "earlier", "previous") else 1
    unit = g["unit"].lower()
    anchor_day = date.fromisoformat(anchor.value)
    if unit in ("day", "week", "fortnight"):
        return (anchor_day + timedelta(days=sign * int(n) * UNIT_DAYS[unit])).isoformat()
    return offset_date(n, unit, anchor_day, sign=sign)


def introduces_event(doc: Doc, tx: TimeExpression, span: Span) -> bool:
    """True for "a day after <something>": "after"/"before" followed by a clause or noun phrase."""
    if not _INTRO_AFTER_BEFORE.search(tx.text):
        return False
    nxt = span.end
    return nxt < len(doc) and not doc[nxt].is_punct and not doc[nxt].is_sent_start


def _attachment_rank(span: Span, cue: Token) -> int | None:
    """0: attached to the cue; 1: tied to the cue's own event; 2: no verb of its own; None: excluded.

    A time expression dates the clause it belongs to: one whose verb is another event
    -- the reported clause ("said the man was arrested on Monday"), a clause the cue
    is set into ("The strike began on Monday, the union said"), a relative or
    adverbial clause ("who resigned on Monday") -- never dates the cue.
    """
    verb = event_verb(span)
    if verb is None:
        return 2
    if verb == cue:
        return 0
    # "met reporters on Tuesday and said ...": a cue coordinated after the dated verb shares its time
    if cue.dep_ == "conj" and cue.head == verb and span.start < cue.i:
        return 1
    current = verb
    for _ in range(12):
        if current == cue:
            return 1
        if current.head == current:  # the root: Token objects are new on each access, so no `is`
            return None
        head = current.head
        # "went on to say Tuesday"; "Speaking on Monday, Wendt said": no clause of its own
        if head == cue and (current.dep_ == "xcomp" or (
                current.dep_ == "advcl" and current.tag_ in ("VBG", "VBN")
                and not any(c.dep_ in ("mark", "nsubj", "nsubjpass") for c in current.children))):
            return 1
        # "said she had no regrets about it on Wednesday": a state has no day of its own, the saying has
        if head == cue and current == verb and current.dep_ == "ccomp" and current.lemma_.lower() in _STATES:
            return 1
        if current.dep_ in _OWN_CLAUSE:
            return None
        current = head
    return None


# Verbs of a state, which a date in a reported clause rarely belongs to.
_STATES = frozenset({"be", "have", "remain", "want", "need", "know", "believe", "think", "feel", "hope", "like",
                     "wish", "regret", "seem", "appear"})
# Dependencies that put a verb in a clause of its own, dating its own event.
_OWN_CLAUSE = frozenset({"ccomp", "xcomp", "parataxis", "relcl", "advcl", "acl", "pcomp", "conj", "csubj",
                         "csubjpass"})


def _quoted_ranges(doc: Doc, sent: Span) -> list[tuple[int, int]]:
    """Doc character ranges of the quoted stretches of one sentence."""
    offset = sent.start_char
    return [(m.start() + offset, m.end() + offset) for m in _QUOTE_RE.finditer(sent.text)]


_QUOTE_RE = re.compile(r"“[^”]*”|\"[^\"]*\"")
