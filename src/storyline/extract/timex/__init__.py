"""Time expressions: find them in a parsed Doc and normalise them TIMEX3-style.

Detection combines precompiled rules run over ``doc.text`` (weekdays, months,
ISO dates, "last month", "two weeks ago", "a day after", durations, ...) with
spaCy's DATE/TIME entities for whatever the rules miss. A span holds the time
expression only: "on Tuesday" gives "Tuesday" (TimeML leaves out the preposition).

Values, normalised against ``reference`` (the publication date):

==================  =====================  ======================================
granularity         example value          from
==================  =====================  ======================================
day                 ``2024-10-22``         "Tuesday", "yesterday", "5 September"
month               ``2024-09``            "last month", "in September"
year                ``2024``               "last year", "2019"
decade              ``199``                "the 1990s"
week                ``2024-W43``           "this week", "two weeks ago"
weekend             ``2024-W43-WE``        "this weekend"
part of day         ``2024-10-23TNI``      "tonight" (type TIME)
vague               ``PRESENT_REF``        "now"; ``PAST_REF`` "recently";
                                           ``FUTURE_REF`` "soon"
duration            ``PT2H``, ``P1D``      "two-hour", "for three days" (ISO 8601:
                                           hours/minutes take the ``T``)
set                 ``P1W``                "every week", "weekly", "$2m a year" (SET)
set                 ``XXXX-WXX-4``         "each Thursday"; ``XXXX-07`` "every July"
century             ``19``                 "the 20th century"
holiday             ``2024-11-28``         "Thanksgiving", "Election Day", "Easter"
==================  =====================  ======================================

TimeBank's conventions decide the borderline cases: "Friday night" is the day
(``2024-10-18``); "current"/"recent" before a noun are ``PRESENT_REF`` /
``PAST_REF``; "as soon as", "soon after", narrative "soon became" and a
sentence-opening "Now," are not expressions; "two days after <event>" with no
day to count from is the duration "two days" (``P2D``).

A value is ``None`` when it cannot be resolved; in particular every relative
expression is ``None`` when ``reference`` is ``None`` (storyline never invents a
date), while absolute ones ("5 September 2024", "2024-10-23") keep their value.

Tense decides which way a bare weekday, month, season or quarter points: the
governing verb is found by walking up the dependency parse. Past ("said", "had
met") picks the latest such day on or before the reference (the reference day
itself counts), future ("will", modals, "is going to", "is due to", "plans to",
"expects ... to", "was scheduled for", and a scheduled event in the present
simple or progressive: "the trial begins on Monday", "protesters are marching
on Saturday", and an infinitive of aim under a present verb: "wants to visit in
May", "candidates running to face him in November") the next one on or after, and
anything else the nearest one (the past on a tie). A present tense that reports or
holds a state ("says", "is closed") schedules nothing.

Anchored expressions ("a day after", "the day before", "two days later") are
resolved against the nearest preceding day-level expression in the same
sentence. When the expression introduces another event ("on Wednesday, a day
after the campaign accused ...") its value is the date of *that* event, so
"N after" is anchor − N and "N before" is anchor + N. When it stands alone
("she arrived the day before", "two days later") it dates its own clause:
"before"/"earlier"/"previous" is anchor − N, "after"/"later"/"next" anchor + N.
Without an anchor the value is ``None``. A day or month without a year after a
demonstrative ("at a 2008 rally in Corvale. At that March 2 rally, ...") takes the
year the text wrote out last, in its sentence or the one before; one joined to a
date that writes its year ("in August and October 2017") takes that year.

The stages, one module each: :mod:`.detect` finds the spans, :mod:`.normalise` values them
against the reference date, :mod:`.anchor` resolves what depends on the expressions before it
and picks the expression that dates an event; :mod:`.syntax` (governing verb, tense),
:mod:`.numbers` and :mod:`.vocabulary` serve them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

from spacy.tokens import Doc

from ...models import TimeExpression
from ...nlp import doc_text
from .anchor import (
    DEFERRED_RULES,
    has_anchor,
    introduces_event,
    is_day_level,
    is_one_year,
    points_back,
    resolve_deferred,
    shared_year,
    timex_for_token,
    unanchored_duration,
    year_from_context,
)
from .detect import find_candidates
from .normalise import normalise_candidate
from .numbers import NUMBER_PATTERN, parse_number
from .syntax import FUTURE, PAST, event_verb, governing_verb, sentence_of, tense_of
from .vocabulary import DAY_VALUE, WEEKDAYS

__all__ = [
    "FUTURE",
    "NUMBER_PATTERN",
    "PAST",
    "event_verb",
    "extract_timexes",
    "governing_verb",
    "introduces_event",
    "is_day_level",
    "parse_number",
    "sentence_of",
    "tense_of",
    "timex_for_token",
]


def extract_timexes(doc: Doc, *, reference: date | None) -> Iterator[TimeExpression]:
    """Yield the time expressions of ``doc`` in text order, normalised against ``reference``."""
    if isinstance(reference, datetime):
        reference = reference.date()
    text = doc_text(doc)  # Doc.text joins every token on each access: read it once per Doc
    candidates = find_candidates(doc, text)

    resolved: list[TimeExpression] = []
    deferred: dict[int, tuple[str, re.Match[str]]] = {}
    yearless: list[int] = []  # days and months written without their year
    for start, end, rule, match in candidates:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        if match is not None and (rule in DEFERRED_RULES or (rule == "ago" and is_one_year(match))):
            # Resolved in a second pass, once the anchors before them have values.
            deferred[len(resolved)] = (rule, match)
            type_, value = (("DATE", None) if rule in DEFERRED_RULES
                            else normalise_candidate(rule, match, "", span, reference))
            resolved.append(TimeExpression(start, end, text[start:end], type_, value))
            continue
        try:
            type_, value = normalise_candidate(rule, match, text[start:end], span, reference)
        except (KeyError, ValueError, IndexError, OverflowError):
            # a shape the rules recognise but cannot value: keep the expression, value unknown
            type_, value = ("DATE", None)
        if rule in _YEARLESS and match is not None and not any(
                match.groupdict().get(k) for k in ("y", "mod", "rel")):
            yearless.append(len(resolved))
        resolved.append(TimeExpression(start, end, text[start:end], type_, value))

    for index, (rule, match) in deferred.items():
        tx = resolved[index]
        value = tx.value
        named = [r for i, r in enumerate(resolved) if i not in deferred]
        if reference is not None:
            # Only quarters the text names set the context, not the "year-ago" ones resolved here.
            value = resolve_deferred(doc, tx, rule, match, named, reference)
        if value is None and rule == "anchored" and not has_anchor(doc, tx, named):
            duration = unanchored_duration(match, text)
            if duration is not None:  # "twenty years after the launch": nothing to count from
                resolved[index] = duration
                continue
        resolved[index] = TimeExpression(tx.start, tx.end, tx.text, "DATE", value)
    for index in yearless:
        tx = resolved[index]
        span = doc.char_span(tx.start, tx.end, alignment_mode="expand")
        following = resolved[index + 1] if index + 1 < len(resolved) else None
        value = None
        if following is not None and _JOINED.fullmatch(text[tx.end:following.start]):
            value = shared_year(tx, following)  # "in August and October 2017"
        elif span is not None and points_back(span):
            value = year_from_context(doc, tx, resolved[:index])  # "at that March 2 event"
        if value is not None:
            resolved[index] = TimeExpression(tx.start, tx.end, tx.text, tx.type, value)
    for index, tx in enumerate(resolved[:-1]):
        following = resolved[index + 1]
        if tx.text in WEEKDAYS and text[tx.end:following.start] == ", " and following.value is not None and (
                DAY_VALUE.fullmatch(following.value)
                and date.fromisoformat(following.value).weekday() == WEEKDAYS.index(tx.text)):
            # "on Friday, Sept. 14": the weekday is the day the date after it names
            resolved[index] = TimeExpression(tx.start, tx.end, tx.text, tx.type, following.value)
    yield from resolved


#: What joins two dates that share the year written after the second ("August and October 2017").
_JOINED = re.compile(r"\s*(?:,\s*|,?\s*(?:and|or|to|through)\s+|\s*[-–]\s*)")


#: Rules for a day or month written without its year ("March 2", "2 March", "June").
_YEARLESS = frozenset({"dmy", "mdy", "month"})
