"""Content: the span of text a cue reports (its clause, object or prepositional phrase)."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

from .cues import BELIEF_VERBS, CUE_VERBS, INTENTION_VERBS, OBJECT_CUES, PREP_CONTENT, SPEECH_CORE, CueLexicon, is_cue
from .marks import CLOSE_TOKENS, OPEN_TOKENS

SUBJ_DEPS = {"nsubj", "nsubjpass"}


def complement_child(cue: Token, tok: Token) -> Token | None:
    """The child of ``cue`` whose subtree holds ``tok``."""
    cur = tok
    while cur.head != cur and cur.head != cue:
        cur = cur.head
    return cur if cur.head == cue and cur != cue else None


def content_span(child: Token, *, stop: int | None = None) -> tuple[int, int]:
    """Token span of a reported clause, without a leading "that", adverbials or punctuation."""
    doc = child.doc
    start, end = child.left_edge.i, child.right_edge.i + 1
    subj = next((c for c in child.lefts if c.dep_ in SUBJ_DEPS), None)
    if subj is not None and subj.left_edge.i > start:
        before = doc[start:subj.left_edge.i]
        if all(t.dep_ in {"prep", "npadvmod", "advmod", "mark", "punct", "pobj", "det", "amod", "poss",
                          "compound", "case", "nummod"} or t.head.i < subj.left_edge.i and t.head != child
               for t in before):
            start = subj.left_edge.i
    if stop is not None and start < stop < end:
        end = stop
        while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct
                               and doc[end - 1].text not in CLOSE_TOKENS):
            end -= 1
    while start < end and (doc[start].dep_ == "mark" and doc[start].lower_ in {"that", "whether", "if"}
                           or doc[start].is_punct and doc[start].text not in OPEN_TOKENS):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in CLOSE_TOKENS or doc[end - 1].is_space):
        end -= 1
    return start, end


def reported_content(tok: Token, lex: CueLexicon | None = None) -> tuple[int, int] | None:
    """Token span of what a reporting verb reports, when it reports something."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    if lex is not None and lemma in lex.complements and lemma not in CUE_VERBS and lemma not in BELIEF_VERBS:
        return learned_content(tok, lex.complements[lemma])
    clause = next((c for c in children if c.dep_ == "ccomp"), None)
    dobj = next((c for c in children if c.dep_ == "dobj" and c.i > tok.i), None)
    if dobj is not None:
        noun_clause = next((c for c in dobj.children if c.dep_ in {"acl", "ccomp"}
                            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if noun_clause is not None:  # "denied suggestions that ..."
            s, e = content_span(noun_clause)
            if clause is not None and clause.left_edge.i >= e:
                e = content_span(clause)[1]
            return s, e
    # "as the mayor said last week": an adverbial clause that attributes the clause it hangs on
    as_clause = (tok.dep_ == "advcl" and lemma in CUE_VERBS
                 and [c.lower_ for c in children if c.dep_ == "mark"] == ["as"]
                 and any(c.dep_ in SUBJ_DEPS for c in children))
    if clause is None and (tok.dep_ == "parataxis" or as_clause) and tok.head.pos_ in {"VERB", "AUX"}:
        head = tok.head
        s, e = head.left_edge.i, head.right_edge.i + 1
        sub = (tok.left_edge.i, tok.right_edge.i + 1)
        if sub[0] <= s:
            s = sub[1]
        elif sub[1] >= e:
            e = sub[0]
        else:  # the cue sits inside the clause: report the longer side
            s, e = (s, sub[0]) if sub[0] - s >= e - sub[1] else (sub[1], e)
        while s < e and (tok.doc[s].is_punct or tok.doc[s].is_space):
            s += 1
        while e > s and (tok.doc[e - 1].is_punct or tok.doc[e - 1].is_space):
            e -= 1
        return (s, e) if e - s >= 3 else None
    if clause is not None:
        if clause.i < tok.i:
            # a postposed attribution: "The talks failed, officials said."
            if not any(c.dep_ in SUBJ_DEPS and c.i > clause.right_edge.i for c in children) \
                    and tok.i - clause.right_edge.i > 4:
                return None
            return content_span(clause)
        s, e = content_span(clause)
        for more in children:
            # "say they don’t yet know ...": one clause the parser split into two complements
            if more.dep_ == "ccomp" and more.i > clause.i and more.left_edge.i <= e + 1:
                e = max(e, content_span(more)[1])
        if dobj is not None and tok.i < dobj.i < clause.i and not any(
                c.dep_ in SUBJ_DEPS for c in clause.children) and dobj.right_edge.i + 1 >= s - 1:
            s = dobj.left_edge.i  # "insisted his relationship ... has not been jeopardised"
        return s, e
    if lemma in SPEECH_CORE and clause is None:
        # "Ruiz said after the vote she would not accept ...": parsed as an adverbial clause
        adv = next((c for c in children if c.dep_ == "advcl" and c.i > tok.i
                    and any(g.dep_ in SUBJ_DEPS for g in c.children)
                    and not any(g.dep_ == "mark" for g in c.children)), None)
        if adv is not None:
            return content_span(adv)
        # "He said legalizing it could put ...": a gerund subject taken for the verb's complement,
        # with the clause's own verb hung on it
        ger = next((c for c in children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > tok.i
                    and any(g.dep_ == "ccomp" and g.i > c.i for g in c.children)), None)
        if ger is not None:
            return content_span(ger)
    if lemma in INTENTION_VERBS:
        xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > tok.i), None)
        if xcomp is not None:
            return content_span(xcomp)
    if lemma in {"call", "push", "press", "argue", "appeal", "lobby"}:
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in {"for", "on"} and c.i > tok.i), None)
        if prep is not None and any(g.dep_ in {"pobj", "pcomp"} for g in prep.children):
            # "called on the board to publish ...", "called for crews to wear ...": the object and
            # the infinitive the parser hangs on the verb are one demand
            end = prep.right_edge.i + 1
            for c in children:
                if c.dep_ in {"xcomp", "advcl"} and c.i >= end and c.left_edge.i <= end + 1:
                    end = c.right_edge.i + 1
            while end > prep.i + 1 and (tok.doc[end - 1].is_punct or tok.doc[end - 1].is_space):
                end -= 1
            return prep.i + 1, end
        # "calling for the United States to take a stronger role": a for-to clause the parser
        # hangs on the verb as an adverbial clause
        for_to = next((c for c in children if c.dep_ == "advcl" and c.i > tok.i
                       and any(g.dep_ == "mark" and g.lower_ == "for" and g.i == c.left_edge.i
                               for g in c.children)), None)
        if for_to is not None:
            return for_to.left_edge.i + 1, content_span(for_to)[1]
        oprd = next((c for c in children if c.dep_ in {"oprd", "xcomp"} and c.i > tok.i), None)
        if dobj is not None and oprd is not None:  # "called the charges unsubstantiated"
            return dobj.left_edge.i, oprd.right_edge.i + 1
    if lemma in PREP_CONTENT and (dobj is None or lemma == "warn"):
        # "spoke about the need for reforms", "referring to the mayor": what the words were about
        # (not "referred the case to the police")
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in PREP_CONTENT[lemma]
                     and c.i > tok.i), None)
        if prep is not None and any(g.dep_ in {"pobj", "pcomp"} for g in prep.children):
            return prep.i + 1, prep.right_edge.i + 1
    if lemma in {"accuse", "charge", "suspect", "blame", "criticize", "criticise", "praise", "attack"}:
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in {"of", "for", "over", "with"}
                     and c.i > tok.i), None)
        if prep is not None and any(g.dep_ in {"pobj", "pcomp"} for g in prep.children):
            return prep.i + 1, prep.right_edge.i + 1
    if lemma in OBJECT_CUES and dobj is not None and dobj.pos_ in {"NOUN", "PROPN", "PRON"} \
            and dobj.lower_ not in {"it", "this", "that", "them", "him", "her"}:
        return content_span(dobj)
    # passive: "The issue was first reported by the Post" reports its subject
    subjpass = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if subjpass is not None and any(c.dep_ == "agent" for c in children) and lemma in CUE_VERBS | OBJECT_CUES:
        return content_span(subjpass)
    return None


_OPTION_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "advcl", "attr", "acomp", "oprd", "parataxis",
                          "dative", "nsubjpass"})


def complement_options(tok: Token) -> list[tuple[int, int]]:
    """Every dependent of a cue that could hold what it reports, as token spans."""
    out = []
    for child in tok.children:
        if child.dep_ not in _OPTION_DEPS:
            continue
        if child.dep_ == "prep":
            if not any(g.dep_ in {"pobj", "pcomp"} for g in child.children):
                continue
            span = (child.i + 1, child.right_edge.i + 1)
        else:
            span = content_span(child)
        if span[1] > span[0] and span not in out:
            out.append(span)
    return out


def noun_options(tok: Token) -> list[tuple[int, int]]:
    """What a noun cue could report: its clauses and the objects of its prepositions (not "by")."""
    out = []
    for child in tok.children:
        if child.dep_ in {"acl", "ccomp"} and child.i > tok.i:
            span = content_span(child)
        elif child.dep_ == "prep" and child.lower_ != "by" and any(g.dep_ in {"pobj", "pcomp"} for g in child.children):
            span = (child.i + 1, child.right_edge.i + 1)
        else:
            continue
        if span[1] > span[0] and span not in out:
            out.append(span)
    return out


# where a scored cue with no learned or built-in rule keeps what it reports, most likely first
GENERIC_COMPLEMENTS = ("ccomp", "xcomp", "dobj", "prep")


def learned_content(tok: Token, deps: Sequence[str]) -> tuple[int, int] | None:
    """What a learned cue reports: its first child in one of the dependencies it was seen with."""
    for dep in deps:
        for child in tok.children:
            if child.dep_ != dep or child.i < tok.i and dep not in {"ccomp", "nsubj"}:
                continue
            if dep == "prep":
                if not any(g.dep_ in {"pobj", "pcomp"} for g in child.children):
                    continue
                return child.i + 1, child.right_edge.i + 1
            s, e = content_span(child)
            if e > s:
                return s, e
    return None


def nested_cue_stop(cue: Token, child: Token, after: int, in_marks: Sequence[bool],
                     lex: CueLexicon | None = None) -> int | None:
    """Where a clause reported by ``cue`` hands over to another reporting verb (its subtree start)."""
    for t in child.subtree:
        if t is cue or t.i <= after or in_marks[t.idx] or not is_cue(t, lex):
            continue
        left = t.left_edge.i
        # a nested cue with its own clause: "a day after the campaign accused ..." or "and said ..."
        if any(c.dep_ in SUBJ_DEPS for c in t.children) or t.dep_ == "conj":
            if t.dep_ == "conj":
                left = t.i
                while left - 1 > after and t.doc[left - 1].dep_ in {"cc", "punct"}:
                    left -= 1
            return left if left > after else None
    return None
