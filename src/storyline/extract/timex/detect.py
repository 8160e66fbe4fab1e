"""Detection: spans that are time expressions.

Precompiled rules run over ``doc.text`` (weekdays, months, ISO dates, "last month", "two weeks
ago", "a day after", durations, ...), then spaCy's DATE/TIME entities for whatever the rules
miss. A span holds the time expression only: "on Tuesday" gives "Tuesday". Rule matches that
TimeML leaves untagged (connectives, discourse markers, rates) are dropped.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from ...spans import Occupied
from .numbers import NUMBER_PATTERN
from .syntax import PAST, tense_of
from .vocabulary import MONTH_ANY, MONTH_FULL, MONTH_INDEX, WEEKDAY_PATTERN

_NUM = NUMBER_PATTERN
_MOD = r"(?i:last|next|this|coming)"
#: Approximators TimeML keeps inside the expression ("almost two years ago", "nearly two months").
_APPROX = r"(?i:almost|nearly|about|around|roughly|some|more than|less than|at least|at most)\s+"
_YEAR_REL = r"this year's|last year's|next year's"

# Each rule: (name, pattern). A group named "x" narrows the span to the expression itself.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
        (
            "quarter",
            rf"\b(?:(?i:the|this|that|last|next)\s+)?(?:(?P<rel>(?i:year-ago|year-earlier|{_YEAR_REL}))\s+"
            rf"|(?P<qy>1[5-9]\d\d|20\d\d)\s+|(?i:fiscal)[- ])?(?P<ord>(?i:first|second|third|fourth|1st"
            rf"|2nd|3rd|4th))[- ](?i:quarter)\b(?:\s+(?i:of)\s+(?P<y>1[5-9]\d\d|20\d\d)\b)?",
        ),
        (
            "quarter_ref",
            r"\b(?i:the|this|that)\s+(?:(?P<q>(?i:latest|current|past|previous|recent|most recent|same"
            r"|year-ago|year-earlier|corresponding|1[5-9]\d\d|20\d\d))\s+)?(?P<unit>(?i:quarter|period))\b"
            r"(?!-)(?:\s+(?i:a year (?:ago|earlier)|last year))?",
        ),
        ("yearago", r"\b(?i:(?P<art>an?|the)\s+)?(?P<w>(?i:year-ago|year-earlier))\b(?!\s+(?i:quarter|period))"),
        (
            "season",
            r"\b(?P<mod>(?i:this|last|next|early|late|the))\s+(?P<s>(?i:spring|summer|fall|autumn|winter))\b"
            r"(?:\s+(?i:of\s+)?(?P<y>1[5-9]\d\d|20\d\d)\b)?",
        ),
        (
            "part",
            rf"\b(?:(?P<this>(?i:this|last|yesterday|tomorrow))\s+|(?P<wd>{WEEKDAY_PATTERN})\s+)"
            r"(?P<p>(?i:morning|afternoon|evening|night))\b",
        ),
        (
            "clock",
            rf"\b(?:(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>(?i:a\.m\.|p\.m\.|am\b|pm\b))"
            rf"|(?<!(?i:high) )(?P<noon>noon|midday|midnight)\b)"
            rf"(?:\s+(?:EDT|EST|CDT|CST|PDT|PST|GMT|BST|CET)\b)?(?:,?\s+(?P<wd>{WEEKDAY_PATTERN})\b)?",
        ),
        (
            "year_mod",
            r"\b(?P<x>(?i:fiscal\s+|early\s+|late\s+|mid-|the end of\s+|the beginning of\s+|the start of\s+"
            r"|the middle of\s+)(?P<y>1[5-9]\d\d|20\d\d))\b(?![-/])",
        ),
        (
            "vague",
            r"\b(?P<w>(?i:recent|coming|the past few|the last few|the next few|the past several"
            r"|the last several|several|many|few))\s+(?P<unit>(?i:days|weeks|months|years|decades))\b",
        ),
        (
            "dmy",
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_ANY})\b\.?"
            # "the 19 Sept. 11 hijackers": a day after the month makes the number before it a count
            rf"(?:,?\s+(?P<y>\d{{4}})\b|(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b))",
        ),
        (
            "mdy",
            rf"\b(?P<mon>{MONTH_ANY})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}})\b)?",
        ),
        ("my", rf"\b(?P<mon>{MONTH_FULL})\s+(?:(?i:of)\s+)?(?P<y>\d{{4}})\b"),  # "July of 2009" too
        (
            "month",
            rf"\b(?:(?P<mod>{_MOD})\s+|(?P<part>(?i:early|mid|late))[- ])?(?P<mon>{MONTH_FULL})\b"
            # "late September 2016" is one expression; a bare "September 2016" is rule "my"
            r"(?:\s+(?P<rel>(?i:this|last|next))\s+(?i:year)\b|\s+(?P<y>1[5-9]\d\d|20\d\d)\b(?![-/]))?",
        ),
        (
            "holiday",
            rf"\b(?:(?P<mod>{_MOD})\s+)?(?P<h>(?i:Thanksgiving)(?:\s+Day)?|Christmas(?:\s+(?:Day|Eve))?"
            r"|New\s+Year's\s+(?:Day|Eve)|Election\s+Day|Independence\s+Day|Memorial\s+Day|Labor\s+Day"
            r"|Veterans\s+Day|Easter(?:\s+Sunday)?|Halloween|Valentine's\s+Day|Boxing\s+Day)(?!-)\b",
        ),
        ("weekday", rf"\b(?:(?P<mod>{_MOD})\s+)?(?P<wd>{WEEKDAY_PATTERN})\b(?!s\b)"),
        (
            "deictic",
            r"\b(?P<w>(?i:the day before yesterday|the day after tomorrow|yesterday|today"
            r"|tomorrow|tonight))\b",
        ),
        (
            "unit",
            r"\b(?:(?P<edge>(?i:earlier|later))\s+)?(?P<mod>(?i:last|next|this|coming|current|past))"
            r"\s+(?P<unit>(?i:week|month|year|weekend|fortnight|decade))\b",
        ),
        ("weekend", r"\b(?i:the)\s+(?i:weekend)\b"),
        (
            "ago",
            rf"\b(?:{_APPROX})?(?P<n>(?i:{_NUM}|a few|several|a couple of|many))\s+(?P<unit>(?i:day|week"
            rf"|fortnight|month|year|decade))s?\s+(?i:ago)\b",
        ),
        (
            "anchored",
            rf"\b(?P<n>(?i:{_NUM}|the))\s+(?P<unit>(?i:day|week|fortnight|month|year))s?\s+"
            r"(?P<dir>(?i:after|before|later|earlier))\b",
        ),
        (
            "anchored2",
            r"\b(?i:the)\s+(?P<dir>(?i:next|following|previous))\s+(?P<unit>(?i:day|week|month"
            r"|year))\b",
        ),
        (
            "in_n",
            rf"\b(?i:in|within)\s+(?P<x>(?P<n>(?i:{_NUM}))\s+(?P<unit>(?i:day|week|fortnight|month"
            r"|year))s?)\b",
        ),
        (
            "duration",
            rf"\b(?:{_APPROX})?(?:(?i:the\s+)?(?i:past|last|next|first|previous|coming|following)\s+)?"
            rf"(?P<n>(?i:{_NUM}))[- ](?P<unit>(?i:second|minute|hour|day|week|fortnight|month"
            r"|year|decade))s?(?:-long)?\b(?!-old)",
        ),
        (
            "ref",
            r"\b(?P<w>(?i:now|currently|at present|nowadays|these days|recently|lately|soon|shortly"
            r"|the (?:near |distant )?future|the past|the near term))\b(?!-)",
        ),
        (
            "year",
            r"\b(?i:in|since|until|during|before|after|by|between|from|through|of)\s+(?P<x>(?P<y>1[5-9]\d\d"
            r"|20\d\d))\b(?![-/]|['’]s\b|\s*(?i:percent|%))",  # "the 1990's" is a decade
        ),
        # "1991 to 1997", "between 1982 and 1992": each year is an expression of its own
        ("year_pair", r"\b(?P<y>1[5-9]\d\d|20\d\d)(?=\s+(?:to|and|through)\s+(?:1[5-9]\d\d|20\d\d)\b)"),
        ("year_pair", r"(?<=\d\d\d\d )(?:to|and|through)\s+(?P<x>(?P<y>1[5-9]\d\d|20\d\d))\b(?![-/])"),
        (
            "decade",
            r"\b(?P<x>(?i:the\s+)?(?:(?i:early|mid|late)[- ])?(?:(?P<dec>1[5-9]\d|20\d)0['’]?s"
            r"|(?P<wdec>(?i:twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))))\b",
        ),
        ("century", r"\b(?:(?i:the)\s+)?(?P<n>\d{1,2})(?:st|nd|rd|th)[- ](?i:century)\b"),
        (
            "spoken_year",
            r"\b(?:(?P<yr>(?i:the\s+year\s+))?(?P<two>(?i:two\s+thousand))(?:\s+(?i:and\s+)?(?P<u>(?i:one|two"
            r"|three|four|five|six|seven|eight|nine|ten)))?|(?P<c>(?i:nineteen|eighteen))[- ](?P<t>(?i:twenty|thirty"
            r"|forty|fifty|sixty|seventy|eighty|ninety))(?:[- ](?P<tu>(?i:one|two|three|four|five|six|seven|eight"
            r"|nine)))?)\b(?![- ](?:hundred|thousand|million|billion|percent))",
        ),
        ("ref_adj", r"\b(?P<w>(?i:current|recent))\b(?!-)"),
        (
            "set",
            rf"\b(?:(?P<w>(?i:every|each)\s+(?:day|week|month|year|morning|night)|daily|weekly|monthly"
            rf"|annually|yearly)|(?i:every|each)\s+(?:(?P<wd>{WEEKDAY_PATTERN})|(?P<mon>{MONTH_FULL}))"
            rf"|(?P<wds>{WEEKDAY_PATTERN})s?\s+(?P<p>nights|mornings|evenings|afternoons)|(?P<wdp>{WEEKDAY_PATTERN})s)\b",
        ),
    )
)
#: Nouns that "current"/"recent" modify as part of a longer expression handled elsewhere ("recent weeks").
_TIME_NOUNS = frozenset({"day", "week", "month", "year", "decade", "quarter", "period", "time", "century",
                         "hour", "minute", "season", "term", "era"})  # fmt: skip
# Entities whose names contain weekday or month words ("April Ashworth", "Black Friday Ltd").
_NAME_ENTS = frozenset({"PERSON", "ORG", "GPE", "FAC", "LOC", "PRODUCT", "WORK_OF_ART", "LAW", "NORP"})
_MAY_CONTEXT = re.compile(r"\b(?:in|since|until|by|from|of|during|early|mid|late|last|next|this)[\s-]$", re.I)
_PREP_TRIM = re.compile(r"^(?:(?:on|in|at|by|since|until|from|during|of)\s+)+", re.I)
_NOT_TIME_ENT = re.compile(r"^\W*\d{1,2}\W*$|^\d{5,}$|\d+[- ](?:year|month|week|day)s?[- ]old\b", re.I)
_NOT_TIME_WORDS = frozenset({"quarterly", "annual", "semiannual", "biannual", "seasonal", "seasonally"})


def _inside_a_name(span: Span) -> bool:
    """ "in USA Today", "told NBC's “Today” show": a capitalised "Today" mid-sentence right after a
    proper noun ends a name; one quoted alone or before "show" is a programme's title."""
    first, last = span[0], span[-1]
    if not first.text[:1].isupper() or first.is_sent_start or first.i == 0:
        return False
    before = first.doc[first.i - 1]
    after = first.doc[last.i + 1] if last.i + 1 < len(first.doc) else None
    closing = after is not None and (after.is_quote or (  # “Today” or “Today.” quoted alone
        after.is_punct and after.i + 1 < len(first.doc) and first.doc[after.i + 1].is_quote))
    if after is not None and (after.lower_ in _PROGRAMME or (before.is_quote and closing)):
        return True
    return before.tag_ == "NNP" and before.text[:1].isupper()


#: Nouns after a capitalised "Today"/"Tonight" that make it a programme's name.
_PROGRAMME = frozenset({"show", "programme", "program", "broadcast", "interview"})


def find_candidates(doc: Doc, text: str) -> list[tuple[int, int, str, re.Match[str] | None]]:
    """Spans that may be time expressions, in text order, each with its rule's name and match: the
    rules' matches, then spaCy's DATE/TIME entities they leave uncovered (rule "ent", no match)."""
    vetoed: list[tuple[int, int]] = []
    candidates = _rule_candidates(doc, text, vetoed)
    covered = Occupied([(c[0], c[1]) for c in candidates] + vetoed)
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        if covered.meets(start, end):
            continue
        if _NOT_TIME_ENT.search(ent.text):
            continue  # ages ("58", "a 9-year-old") and other numbers the tagger calls dates
        if ent.text.lower() in _NOT_TIME_WORDS:
            continue  # "quarterly dividend", "the annual meeting": frequency adjectives, not expressions
        trimmed = _PREP_TRIM.match(ent.text)
        if trimmed:
            start += trimmed.end()
        if start < end:
            candidates.append((start, end, "ent", None))
    candidates.sort(key=lambda c: (c[0], c[1]))
    return candidates


def _rule_candidates(
    doc: Doc, text: str, vetoed: list[tuple[int, int]]
) -> list[tuple[int, int, str, re.Match[str] | None]]:
    """Rule matches, longest first without overlaps; spans ruled out as non-expressions go to ``vetoed``."""
    found: list[tuple[int, int, str, re.Match[str] | None]] = []
    for name, pattern in _RULES:
        for match in pattern.finditer(text):
            start, end = match.span("x") if "x" in pattern.groupindex else match.span()
            if name == "quarter_ref" and match.group("unit").lower() == "period" and not match.group("q"):
                continue  # "the period" alone is not a time expression
            if name == "month" and match.group("mon") == "May" and not match.group("mod"):
                if not match.group("part") and not _MAY_CONTEXT.search(text, max(0, start - 12), start):
                    continue
            found.append((start, end, name, match))
    # Longest first, then earliest: "two weeks ago" beats "two weeks", "a day after" beats "a day".
    found.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
    kept: list[tuple[int, int, str, re.Match[str] | None]] = []
    taken = Occupied()  # the kept matches, and dates that name a body: no part of them is an expression
    for cand in found:
        start, end = cand[0], cand[1]
        if taken.meets(start, end):
            continue
        span = doc.char_span(start, end)
        if span is None:  # not on token boundaries, e.g. inside a URL or a longer word
            continue
        if span[0].ent_type_ in _NAME_ENTS and (cand[2] in ("month", "weekday", "mdy", "dmy")
                                                or span[0].ent_iob_ == "I"):
            continue  # "April Ashworth"; and any time word inside a name ("USA Today", "Black Friday Ltd")
        if cand[2] == "deictic" and _inside_a_name(span):
            vetoed.append((start, end))  # nor is the entity recogniser's "Today" of a name a date
            continue
        if cand[3] is not None and _not_a_timex(doc, span, cand[2], cand[3]):
            if cand[2] in ("dmy", "mdy"):
                taken.add(start, end)
            if cand[2] in ("ref", "set", "dmy", "mdy"):
                vetoed.append((start, end))  # nor should the entity recogniser's reading of it count
            continue
        kept.append(cand)
        taken.add(start, end)
    return kept


def _not_a_timex(doc: Doc, span: Span, rule: str, match: re.Match[str]) -> bool:
    """Rule matches that TimeML leaves untagged: connectives, discourse markers, rates, other adjectives."""
    first, after = span[0], (doc[span.end] if span.end < len(doc) else None)
    before = doc[span.start - 1] if span.start > 0 else None
    if rule == "ref":
        word = first.lower_
        if word in ("soon", "shortly"):
            # "as soon as", "soon after the attack": a connective, not a time; "soon became": narrative
            if (before is not None and before.lower_ == "as") or (
                after is not None and after.lower_ in ("as", "after", "before", "afterwards", "thereafter")
            ):
                return True
            return tense_of(span) == PAST
        if word in ("now", "currently") and len(span) == 1 and after is not None and after.text == ",":
            # "Now, the council says ...": a discourse marker opening the sentence
            return first.is_sent_start or before is None or before.is_punct or before.is_space
        return False
    if rule == "set" and (match.group("w") or "").lower() in ("annually", "yearly"):
        return before is not None and (before.text == "%" or before.lower_ == "percent")  # a rate: "rose 8% annually"
    if rule == "ref_adj":
        head = first.head
        return not (
            first.dep_ == "amod" and head.pos_ in ("NOUN", "PROPN") and head.i > first.i
            and head.lemma_.lower() not in _TIME_NOUNS and (before is None or before.lower_ != "then")
        )
    if rule in ("year", "year_pair"):
        # "from 1500 to 2000 tonnes": counts, not years
        pair = after is not None and after.lower_ in ("to", "and", "through")
        last = span.end + 2 if pair else span.end
        return last < len(doc) and doc[last].tag_ in ("NNS", "NNPS") and not doc[last].is_title
    if rule in ("dmy", "mdy") and not match.group("y") and before is not None and before.lower_ == "the" and (
            after is not None and after.tag_ == "NNP" and after.is_title and after.lower_ not in MONTH_INDEX):
        # "the 17 February Brigade", "the Sept. 11 Commission": a date that names a body -- unless the
        # capitalised words go on to a common noun ("the Aug. 7 Embassy bombings": a dated event)
        i = after.i
        while i < len(doc) and doc[i].tag_ == "NNP" and doc[i].is_title:
            i += 1
        return i == len(doc) or doc[i].tag_ not in ("NN", "NNS")
    if rule == "spoken_year":
        return bool(match.group("two")) and not match.group("yr")  # "two thousand people"
    return False
