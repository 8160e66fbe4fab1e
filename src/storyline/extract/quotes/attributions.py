"""Finding attributions: quotations with their cue, transcript and headline lines, "according to X",
reporting verbs and nouns with a clause and no quotation marks; nested ones dropped.

A quotation's cue is the nearest reporting verb above it in the dependency parse ("...," she
added; X said Y "..."), else a reporting verb in the same sentence. A quote that is the whole
complement is ``direct``; a complement that also holds unquoted words is one ``mixed`` quote
spanning the clause. A quote with no cue continues the previous speaker.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

from spacy.tokens import Doc, Span, Token

from ...models import Paragraph
from ...nlp import doc_text
from .content import (
    GENERIC_COMPLEMENTS,
    complement_child,
    complement_options,
    content_span,
    learned_content,
    nested_cue_stop,
    noun_options,
    reported_content,
)
from .cues import BUILTIN_CUT, MENTAL_NOUNS, MENTAL_VERBS, NOUN_CUES, is_builtin_cue, is_cue
from .found import Found
from .marks import CLOSE_MARKS, DASH_CHARS, QuoteMarks, close_mark_at, closing_marks, find_quotation_marks, open_mark_at
from .speakers import Attributor, np_span

_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "parataxis", "advcl", "conj", "oprd", "attr"}


_COLON_NAME_TOKENS = 4
#: Words of section labels and page furniture that also stand before a colon.
_SECTION_WORDS = frozenset("""
read more latest update updated watch live listen video videos photo photos gallery opinion analysis
breaking exclusive editorial review podcast related see also note editor correction source sources
disclaimer copyright advertisement sponsored topics tags share subscribe follow contact
""".split())


def _dash_signature(doc: Doc, m: QuoteMarks) -> tuple[Token, Span] | None:
    """A quote signed after a dash at the end of its paragraph: “...” ― Name, role.

    Read on the characters, as the dash may be glued to the closing mark (“...”―Name) and
    no-break spaces may sit around it."""
    text = doc_text(doc)
    i = m.close + 1
    while i < len(text) and text[i] in " \u00a0":
        i += 1
    if i >= len(text) or text[i] not in DASH_CHARS:
        return None
    dash = doc.char_span(i, i + 1, alignment_mode="expand")
    while i < len(text) and text[i] in DASH_CHARS:
        i += 1
    while i < len(text) and text[i] in " \u00a0":
        i += 1
    first = doc.char_span(i, i + 1, alignment_mode="expand") if i < len(text) else None
    if dash is None or first is None or not len(dash) or not len(first) or first[0].i == dash[0].i:
        return None
    name_start = j = first[0].i
    while j < len(doc) and j - name_start < 5 and _is_name_token(doc[j]):
        j += 1
    if j == name_start or (j < len(doc) and not (doc[j].is_punct or doc[j].is_space)):
        return None
    return dash[0], doc[name_start:j]


def _according_to(span: Span, inside: Callable[[int], bool]) -> tuple[Token, Span] | None:
    """The cue and source of "according to X" right before or after a quotation ``span`` (only
    punctuation between them)."""
    doc = span.doc
    for tok in doc[span[0].sent.start:span[-1].sent.end]:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to" or inside(tok.idx):
            continue
        pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        source = np_span(pobj)
        end = max(pobj.right_edge.i + 1, source.end)
        between = doc[end:span.start] if end <= span.start else doc[span.end:tok.i] if span.end <= tok.i else None
        if between is not None and all(t.is_punct or t.is_space for t in between):
            return tok, source
    return None


def _is_name_token(tok: Token) -> bool:
    return tok.text[:1].isupper() and (tok.is_alpha or tok.text.rstrip(".").isalpha())


def _colon_attributions(doc: Doc, paragraphs: Sequence[Paragraph]) -> Iterator[Found]:
    """Transcript and headline lines: "WALLACE: Let's start ...", "Lind: Ferry will run again"."""
    text = doc_text(doc)
    for par in paragraphs:
        i = par.start
        if i < par.end:
            i += open_mark_at(text, i)
        head = doc.char_span(i, min(par.end, i + 60), alignment_mode="expand")
        if head is None:
            continue
        colon = next((t for t in head[:_COLON_NAME_TOKENS + 1] if t.text == ":"), None)
        if colon is None or colon.i == head.start:
            continue
        name = doc[head.start:colon.i]
        if not all(t.is_alpha or t.text in {".", "-", "'"} for t in name):
            continue
        verb = next((t for t in name if t.pos_ in {"VERB", "AUX"} and t.lower_ == t.text), None)
        cue = colon
        if verb is not None:  # "Lind added: ...": the verb is the cue, the words before it the speaker
            name, cue = doc[head.start:verb.i], verb
            if len(name) == 0:
                continue
        shouting = all(t.is_upper for t in name if t.is_alpha)
        entity = any(t.ent_type_ in {"PERSON", "ORG"} for t in name)
        titled = all(t.text[:1].isupper() for t in name if t.is_alpha) and len(name) <= 3
        if not (shouting or entity or titled) or any(t.lower_ in _SECTION_WORDS for t in name):
            continue
        start = colon.idx + 1
        while start < par.end and (text[start].isspace() or open_mark_at(text, start)):
            start += open_mark_at(text, start) or 1  # the marks of "Lind added: “...”" are not the words
        end = par.end
        while end > start and (text[end - 1] in CLOSE_MARKS or text[end - 1].isspace() or text[end - 2:end] == "''"):
            end -= 2 if text[end - 2:end] == "''" else 1
        words = text[start:end].split()
        if len(words) < 3:
            continue
        yield Found(start, end, "direct", cue, name, ())


def drop_nested(found: list[Found], sure: Callable[[Found], bool] = lambda f: False) -> list[Found]:
    """Reported speech inside another quote's content is part of that quote, not a second one --
    unless ``sure`` of it (the relation scorer is, with a trained lexicon)."""
    # "X complained, even suggesting he was sabotaged": a content that is a participle clause with
    # a cue of its own is that cue's attribution, not the outer one's
    cues = {f.cue.i for f in found if f.kind == "indirect" and f.cue is not None}
    found = [f for f in found if not (f.kind == "indirect" and f.cue is not None
                                      and _participle_cue_root(f, cues - {f.cue.i}))]
    keep: list[Found] = []
    kept: set[tuple[int, int]] = set()
    # the latest end among the quotes starting at or before each start: no quote can hold a cue
    # unless one starting before it ends after the content (most do not: skip the scan)
    by_start = sorted(found, key=lambda g: g.start)
    starts = [g.start for g in by_start]
    reach = list(accumulate((g.end for g in by_start), max))
    for f in found:
        if (f.start, f.end) in kept:
            continue  # one statement found by two cues ("repeated her claim that ...")
        if f.kind == "indirect" and f.cue is not None and not sure(f):
            k = bisect_right(starts, f.cue.idx)
            if k and reach[k - 1] >= f.end and any(
                    g is not f and g.start <= f.cue.idx and f.end <= g.end and (g.end - g.start) > (f.end - f.start)
                    for g in found):
                continue
        keep.append(f)
        kept.add((f.start, f.end))
    return keep


def _participle_cue_root(f: Found, cues: set[int]) -> bool:
    """Whether a found attribution's content is headed by a participle that is one of ``cues``."""
    assert f.cue is not None
    span = f.cue.doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None or len(span) == 0 or span.root.i not in cues or span.root.tag_ != "VBG":
        return False
    # "Brock was planning to ...", a clause with its own subject or auxiliary, is no participle clause
    return not any(c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in span.root.children)


def find_attributions(att: Attributor, *, statements_only: bool = True, options: bool | None = None) -> list[Found]:
    """Every attribution found in the attributor's document, nested ones included.

    ``options``: let an indirect cue yield one attribution per complement that could hold what
    it reports, for a relation scorer to choose from (default: when the lexicon has one).
    """
    doc = att.doc
    text = doc_text(doc)
    lex = att.lex
    marks = find_quotation_marks(text, att.paragraphs)
    in_marks = [False] * (len(text) + 1)
    for m in marks:
        for c in range(m.open, min(m.close + 1, len(text))):
            in_marks[c] = True
    found: list[Found] = []
    used_marks: set[int] = set()
    used_cues: set[int] = set()
    for f in _colon_attributions(doc, att.paragraphs):
        found.append(f)
        used_cues.add(f.cue.i if f.cue is not None else -1)
        for m in marks:
            if f.start - 3 <= m.open <= f.start - 1 or m.open < f.start <= m.close and m.open >= f.start - 12:
                used_marks.add(m.open)
    for m in marks:
        if m.open in used_marks or m.end <= m.start:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue

        def inside(c: int, m: QuoteMarks = m) -> bool:
            return m.open <= c <= m.close

        cue = att.cue_above(list(span), inside)
        if cue is None:
            cue = att.cue_nearby(span[0], span[-1], inside)
        if cue is None:
            according = _according_to(span, inside)
            if according is not None:  # According to the mayor, “...”
                found.append(Found(m.start, m.end, "direct", according[0], according[1], (m,)))
                used_marks.add(m.open)
                used_cues.add(according[0].i)
                continue
        if cue is None:
            dash = _dash_signature(doc, m)
            if dash is not None:  # “...” ― Pamela Ruiz
                found.append(Found(m.start, m.end, "direct", dash[0], dash[1], (m,)))
                used_marks.add(m.open)
                continue
            # a quotation with no cue continues the last speaker when it reads as speech;
            # a short verbless one is a title or a scare quote ("the “sex tape”")
            words = [t for t in span if t.is_alpha]
            if len(words) >= 4 and any(t.pos_ in {"VERB", "AUX"} for t in span):
                found.append(Found(m.start, m.end, "direct", None, None, (m,)))
            used_marks.add(m.open)
            continue
        if is_naming(cue):
            # 'a programme called "..."', 'the policy known as "..."': a name, not a statement
            used_marks.add(m.open)
            continue
        used_cues.add(cue.i)
        speaker = att.subject_of(cue)
        child = complement_child(cue, span.root) if span.root.i != cue.i else None
        if child is not None and child.dep_ == "prep":
            child = next((c for c in child.children if c.dep_ == "pobj"), child)
        kind, start, end = "direct", m.start, m.end
        covered: tuple[QuoteMarks, ...] = (m,)
        if child is not None and child.dep_ in _CONTENT_DEPS | {"npadvmod", "dep", "prep", "pobj"}:
            stop = nested_cue_stop(cue, child, span[-1].i, in_marks, lex)
            s, e = content_span(child, stop=stop)
            outside_words = [t for t in doc[s:e] if not in_marks[t.idx] and not t.is_punct
                             and t.i != cue.i and (speaker is None or t.i not in range(speaker.start, speaker.end))]
            if outside_words and doc[s].idx < m.open + 1 and child.dep_ not in {"parataxis"}:
                kind = "mixed"
                start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                covered = tuple(x for x in marks if x.open >= start - 1 and x.close <= end + 1) or (m,)
                start = min(start, m.open)
                # keep a closing mark that ends the clause inside the quote's text
                if end < len(text) and close_mark_at(text, end):
                    end += close_mark_at(text, end)
                elif text[end:end + 1] in {".", ",", "?", "!"} and end + 1 < len(text) and close_mark_at(text, end + 1):
                    end += 1 + close_mark_at(text, end + 1)
        for x in covered:
            used_marks.add(x.open)
        found.append(Found(start, end, kind, cue, speaker, covered))
    # indirect quotes: reporting verbs with a clause and no quotation marks
    scorer = lex.model if lex is not None else None
    if options is None:
        options = scorer is not None and bool(scorer.relation_weights)
    quoted_found = list(found)

    def crosses_quote(start: int, end: int) -> bool:
        """A clause with a quotation was handled above, unless it holds the whole quotation."""
        if not any(in_marks[c] for c in range(start, end)):
            return False
        last = closing_marks(text, start, end)
        return any(f.start < end and start < f.end and not (start <= f.start and f.end <= last)
                   for f in quoted_found)
    for tok in doc:
        if tok.i in used_cues or in_marks[tok.idx]:
            continue
        if scorer is None:
            if not is_cue(tok, lex):
                continue
        elif scorer.probability(tok) < (scorer.cut * BUILTIN_CUT if is_builtin_cue(tok) else scorer.cut):
            continue
        if statements_only and tok.lemma_.lower() in MENTAL_VERBS:
            continue
        ruled = reported_content(tok, lex)
        spans = [ruled] if ruled is not None else []
        if options:
            # a relation scorer picks among every complement of the cue what it reports
            spans += [o for o in complement_options(tok) if o != ruled]
        elif ruled is None and scorer is not None:
            spans = [o for o in [learned_content(tok, GENERIC_COMPLEMENTS)] if o is not None]
        speaker = att.subject_of(tok) if spans else None
        if speaker is None:
            continue
        for rank, (s, e) in enumerate(spans):
            if s <= tok.i < e:
                # "the mine, which Mr. Clarke says he is keeping open": the clause after the cue
                s = tok.i + 1
                while s < e and (doc[s].is_punct or doc[s].dep_ == "mark" and doc[s].lower_ == "that"):
                    s += 1
            if e - s < (1 if scorer is not None else 3):
                continue
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            if crosses_quote(start, end):
                continue
            if speaker.start <= s < speaker.end or s <= speaker.start < e:
                continue
            end = closing_marks(text, start, end)
            found.append(Found(start, end, "indirect", tok, speaker, (), ruled is not None and rank == 0))
    # noun cues: "Lind's claim that ...", "a warning by the agency that ..."
    for tok in doc:
        if tok.pos_ != "NOUN" or in_marks[tok.idx] or not (
                tok.lemma_.lower() in NOUN_CUES or lex is not None and tok.lemma_.lower() in lex.nouns):
            continue
        if statements_only and tok.lemma_.lower() in MENTAL_NOUNS:
            continue
        clause = next((c for c in tok.children if c.dep_ in {"acl", "ccomp"} and c.i > tok.i
                       and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if clause is None:
            continue
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        speaker = np_span(owner) if owner is not None else att.by_agent(tok)
        if speaker is None:
            continue
        s, e = content_span(clause)
        if e - s < 3:
            continue
        start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
        found.append(Found(start, end, "indirect", tok, speaker, ()))
        used_cues.add(tok.i)
    if options and scorer is not None:
        # scored noun cues ("her criticism of the plan", "the agency's warning about floods"): every
        # complement is an option for the relation scorer
        for tok in doc:
            if tok.pos_ != "NOUN" or tok.i in used_cues or in_marks[tok.idx] or not scorer.is_cue(tok):
                continue
            if statements_only and tok.lemma_.lower() in MENTAL_NOUNS:
                continue
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            speaker = np_span(owner) if owner is not None else att.by_agent(tok)
            if speaker is None:
                continue
            for s, e in noun_options(tok):
                if speaker.start <= s < speaker.end or s <= speaker.start < e:
                    continue
                start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                if crosses_quote(start, end):
                    continue
                found.append(Found(start, end, "indirect", tok, speaker, (), False))
    for tok in doc:
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            pobj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
            if pobj is None:
                continue
            speaker = np_span(pobj)
            sent = tok.sent
            phrase_end = max(pobj.right_edge.i + 1, speaker.end)
            if tok.i == sent.start:
                s = phrase_end
                while s < sent.end and doc[s].is_punct:
                    s += 1
                e = sent.end
            else:
                s, e = sent.start, tok.i
            while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space):
                e -= 1
            if e - s < 3:
                continue
            start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
            if tok.i in used_cues or crosses_quote(start, end):
                continue  # a quotation took this cue, or the sentence only holds part of one
            if statements_only and any(start <= f.start and f.end <= end and f.cue is not None
                                       and f.speaker is not None for f in quoted_found):
                # '"...," Rubio said, according to the prepared text': the quotation has its
                # speaker; the text or video it comes from is no second speaker of it
                continue
            found.append(Found(start, end, "indirect", tok, speaker, ()))
    return found


#: Participles that give something its name ("a show called ...", "a policy dubbed ...").
NAMING_PARTICIPLES = frozenset({"call", "name", "dub", "title", "label", "brand", "nickname", "know", "bill"})


def is_naming(cue: Token) -> bool:
    """Whether a cue only names what the quotation holds: a past participle modifying a noun
    ('a programme called "..."', 'what is known as "..."'), not someone saying it."""
    if cue.tag_ != "VBN" or cue.lemma_.lower() not in NAMING_PARTICIPLES:
        return False
    if any(c.dep_ == "agent" for c in cue.children):
        return False  # 'the plan, called "reckless" by critics': the critics said it
    # "a show called ...", or a passive: "is known as", "was dubbed"
    return cue.dep_ in {"acl", "relcl", "amod"} or any(c.dep_ in {"auxpass", "nsubjpass"} for c in cue.children)
