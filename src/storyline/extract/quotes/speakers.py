"""Speakers: the cue of a quotation, the speaker phrase of a cue, and the entity it names.

A name speaks for itself, and so does a name in apposition ("Simpson's attorney, Warren Gotcher,
argued" is Gotcher, not Simpson). A description ("the strategist added", "the new president
said") names the one person the article gave that title, by apposition, premodifier or
copula ("X, the new president"), and nobody otherwise -- save three guesses of low confidence:
the one of several title holders the article names far more often, the subject of the sentence
before the quotation, and the speaker whose quotations the description follows with no one else
named between; a gendered role ("the congresswoman") never goes to someone of the other sex.
"The statement continued" is whoever issued the statement. "He"/"she" go to the compatible person
(gender from honorifics, given names and pronouns already resolved) mentioned most recently
outside quotations, subjects of earlier sentences first; two people as likely leave the pronoun
unresolved. Each speaker carries how it was found and a confidence (``Quote.speaker_via``,
``Quote.speaker_confidence``).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from ...models import Paragraph, Quote, TimeExpression
from ...nlp import doc_text
from ..entities import PRONOUN_GENDER, ROLE_NOUNS, EntityIndex, role_gender, role_word
from ..speakers import CONFIDENCE, CONTINUATION_DECAY
from .content import SUBJ_DEPS
from .cues import CueLexicon, is_cue
from .found import Found
from .marks import CLOSE_TOKENS, DASHES, OPEN_MARKS

_REL_PRONOUNS = {"who", "which", "that"}
#: Dependents of a reporting verb that hold what it reports (or a clause of its own).
_REPORTED_DEPS = frozenset({"ccomp", "xcomp", "dobj", "parataxis", "advcl", "conj", "attr", "oprd"})
#: Documents that "say" things for whoever issued them ("the statement continued").
DOCUMENT_NOUNS = frozenset({"statement", "letter", "release", "memo", "email", "e-mail", "post", "tweet", "message",
                            "filing", "complaint", "lawsuit", "suit", "affidavit", "motion", "brief", "op-ed", "essay"})
#: Verbs whose subject issued the document that is their object ("Ruiz released a statement").
ISSUING_VERBS = frozenset({"issue", "release", "publish", "send", "write", "post", "file", "sign", "put"})
#: Role nouns that name a group however they are tagged.
PLURAL_ROLES = frozenset({"officials", "aides", "sources", "advisers", "advisors", "spokesmen", "leaders"})


def np_span(tok: Token) -> Span:
    """The compact noun phrase of a subject token: left modifiers, no relative clause."""
    doc = tok.doc
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in {"det", "compound", "amod", "poss", "nmod", "nummod", "case"} or child.tag_ == "POS":
            left = min(left, child.left_edge.i)
    for t in doc[left:tok.i]:
        if t.text in DASHES and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_:
            left = t.i + 1  # a dateline ("BRUSSELS -- European leaders") is not part of the phrase
    right = tok.i + 1
    while right < len(doc) and doc[right].dep_ in {"case"} and doc[right].head == tok:
        right += 1
    return doc[left:right]


class Attributor:
    """One parsed document's attribution context: its sentences and paragraphs, the cue of a
    quotation, the speaker phrase of a cue, and the entity a speaker phrase names."""

    def __init__(self, doc: Doc, index: EntityIndex, paragraphs: Sequence[Paragraph],
                 lex: CueLexicon | None = None) -> None:
        self.lex = lex
        self.doc = doc
        self.index = index
        self.paragraphs = list(paragraphs) or [Paragraph(0, len(doc.text))]
        ends = [p.end for p in self.paragraphs]
        #: the paragraphs' ends when they ascend (bisected by :meth:`para_of`), else None
        self._para_ends = ends if all(a <= b for a, b in zip(ends, ends[1:], strict=False)) else None
        #: character -> (entity id, type, mention kind) for :meth:`_entity_at`, with the length of the
        #: index's timeline it was built at (an added mention grows it)
        self._at: tuple[int, dict[int, tuple[str, str, str]]] | None = None
        self.sent_of = {}
        for si, sent in enumerate(doc.sents):
            for t in sent:
                self.sent_of[t.i] = si
        self.sents = list(doc.sents)
        #: (open, close) character offsets of the document's attributed quotations: a name
        #: inside someone's quoted words is what they talk about, not who speaks (set by
        #: :func:`attribute_speakers`)
        self.quoted: list[tuple[int, int]] = []

    def in_quotation(self, char: int) -> bool:
        """Whether character ``char`` lies inside one of the attributed quotations."""
        k = bisect_right(self.quoted, (char, math.inf)) - 1
        return k >= 0 and self.quoted[k][0] < char < self.quoted[k][1]

    def para_of(self, char: int) -> int:
        """Index of the paragraph holding character ``char``."""
        if self._para_ends is not None:  # the first paragraph ending after ``char``, else the last
            return min(bisect_right(self._para_ends, char), len(self.paragraphs) - 1)
        for i, p in enumerate(self.paragraphs):
            if char < p.end or i == len(self.paragraphs) - 1:
                return i
        return len(self.paragraphs) - 1

    # -- cues and speakers -------------------------------------------------------------------------

    def cue_above(self, tokens: Sequence[Token], inside: Callable[[int], bool]) -> Token | None:
        """The lowest reporting verb outside the quote that governs its words."""
        best: Token | None = None
        best_depth = 10**6
        for tok in tokens:
            if not inside(tok.idx) or tok.is_punct:
                continue
            if not inside(tok.head.idx) or tok.head == tok:
                depth = 0
                cur = tok.head if tok.head != tok else None
                while cur is not None and depth < 12:
                    if not inside(cur.idx) and is_cue(cur, self.lex, strict=True):
                        if depth < best_depth:
                            best, best_depth = cur, depth
                        break
                    if cur.head == cur:
                        break
                    cur = cur.head
                    depth += 1
        return best

    def cue_nearby(self, first: Token, last: Token, inside: Callable[[int], bool]) -> Token | None:
        """A reporting verb with a subject in the quote's sentence, just after or before it."""
        # the sentence the quotation ends in: one of several sentences quoted, or one the parser
        # cut at a colon ("“I make you this promise: we will ...,” the chief said")
        sent = last.sent
        end = sent.end
        if sent.end - last.i <= 3 and sent.end < len(self.doc):
            # "“You winning?” she said": the parser ended the sentence at the question mark
            following = self.doc[sent.end].sent
            if not any("\n" in t.text for t in self.doc[last.i:sent.end + 1]):
                end = following.end
        after = [t for t in self.doc[last.i + 1:end] if is_cue(t, self.lex, strict=True) and not inside(t.idx)]
        ended = last.text == "."  # the quotation closes a sentence of its own
        for t in after[:1]:
            if ended and not self._bare_attribution(t):
                # “That makes me smart.” Trump was similarly defensive ...: a new sentence, not a cue
                continue
            subject = self.subject_of(t)
            # the cue close by, or its whole subject between the quotation and the cue
            # ("...?” a narrator in the campaign's new ad asks)
            if subject is not None and (t.i - last.i <= 6 or last.i < subject.start <= last.i + 3
                                        and subject.end <= t.i):
                return t
        before = [t for t in self.doc[first.sent.start:first.i]
                  if is_cue(t, self.lex, strict=True) and not inside(t.idx)]
        for t in reversed(before):
            nxt = self.doc[first.i - 1] if first.i > 0 else None
            if nxt is not None and nxt.text in {":", ",", "“", '"'} and self.subject_of(t) is not None:
                return t
        return self._cue_before_colon(first) or self._cue_with_nothing_reported(first)

    def _cue_with_nothing_reported(self, first: Token) -> Token | None:
        """A quotation opening the paragraph after one that ends "Ruiz responded in a statement."
        -- a reporting verb with a subject and nothing it reports: the quotation is what it reports.
        (Within one paragraph the rule is not used: on PolNeAR dev it added attributions there
        that the annotators did not make.)"""
        k = self.sent_of.get(first.i, 0)
        if k == 0:
            return None
        text = doc_text(self.doc)
        prev = self.sents[k - 1]
        words = [t for t in prev if not t.is_space]
        if not words or words[-1].text != "." or text[prev.end_char:first.idx].strip("".join(OPEN_MARKS) + " \n") \
                or self.para_of(first.idx) == self.para_of(words[-1].idx):
            return None
        root = prev.root
        if not is_cue(root, self.lex, strict=True) or any(c.dep_ in _REPORTED_DEPS for c in root.children):
            return None
        return root if self.subject_of(root) is not None else None

    @staticmethod
    def _bare_attribution(cue: Token) -> bool:
        """Whether the cue's clause says no more than who spoke (“...” Smith said on Monday.)."""
        rest = []
        for t in cue.doc[cue.i + 1:cue.sent.end]:
            if t.is_punct and t.text != ",":
                break
            rest.append(t)
        return len(rest) <= 4 and not any(t.pos_ in {"VERB", "AUX"} for t in rest)

    def _cue_before_colon(self, first: Token) -> Token | None:
        """A quotation opening its paragraph after a paragraph that ends "..., she said:"."""
        text = doc_text(self.doc)
        k = self.para_of(first.idx)
        par = self.paragraphs[k]
        if k == 0 or text[par.start:first.idx].strip("".join(OPEN_MARKS) + " ") or first.i == 0:
            return None
        prev = self.paragraphs[k - 1]
        if not text[prev.start:prev.end].rstrip().endswith(":"):
            return None
        colon = self.doc.char_span(prev.start, prev.end, alignment_mode="expand")
        if colon is None or colon[-1].text != ":":
            return None
        for t in reversed(list(colon[-1].sent)):
            if t.i < colon[-1].i and is_cue(t, self.lex, strict=True) and self.subject_of(t) is not None:
                return t
        return None

    def subject_of(self, verb: Token) -> Span | None:
        """The speaker phrase of a cue verb (subject, agent, or the noun a participle modifies)."""
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            for child in verb.children:  # "was first reported by the Post": the agent speaks
                if child.dep_ == "agent":
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return np_span(pobj)
            if verb.lemma_.lower() != "quote":
                # "the mayor was asked / told / accused ...": a passive subject with no agent
                # is not who spoke (unless "quoted as saying")
                return None
        # (a dash the parser took for a subject is not one); of two subjects the parser gave the
        # verb, the one next to it: "“..., thousands of lawsuits, ...,” Ruiz said" is Ruiz's
        subjects = sorted((c for c in verb.children if c.dep_ in SUBJ_DEPS and any(x.isalnum() for x in c.text)),
                          key=lambda c: abs(c.i - verb.i))
        for child in subjects[:1]:
            if child.lower_ in _REL_PRONOUNS and verb.dep_ == "relcl":
                return np_span(verb.head)
            return np_span(child)
        # "About 4 in 10 say ...": a poll share the parser hung on the verb as a number
        share = next((c for c in verb.lefts if c.dep_ == "nummod" and c.pos_ == "NUM"), None)
        if share is not None:
            return verb.doc[share.left_edge.i:share.right_edge.i + 1]
        if verb.i > 0 and verb.dep_ == "ROOT":
            prev = verb.doc[verb.i - 1]
            if prev.pos_ == "PROPN" and prev.ent_type_ in {"PERSON", "ORG", "NORP", "GPE"}:
                # "In a call with the Gazette Lind said ...": the parser made Lind an object
                start = prev.i
                while start > 0 and verb.doc[start].ent_iob_ == "I":
                    start -= 1
                return verb.doc[start:prev.i + 1]
        named = self._named_after_quote(verb)
        if named is not None:
            return named
        for child in verb.children:  # passive agent: "was told by X"
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return np_span(g)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
            # "she sang one more song before asking ...", "he answered by telling them ...": the
            # governing verb's subject
            return self.subject_of(verb.head.head)
        if verb.dep_ == "acl" and (verb.head.pos_ in {"NOUN", "PROPN"}
                                   or verb.tag_ == "VBG" and verb.head.pos_ in {"PRON", "NUM"}):
            agent = self.by_agent(verb.head)
            if agent is not None:
                return agent
            noun = verb.head
            # "X filing a complaint to the commission claiming ...": the participle belongs to
            # the filer, not to the addressee that the parser hung it on
            if verb.tag_ == "VBG" and noun.dep_ == "pobj" and noun.head.dep_ == "prep" \
                    and noun.head.lower_ in {"to", "with", "before"} and noun.head.head.pos_ == "VERB":
                filer = noun.head.head
                subj = next((c for c in filer.children if c.dep_ in SUBJ_DEPS), None)
                if subj is not None:
                    return np_span(subj)
                if filer.dep_ == "acl" and filer.head.pos_ in {"NOUN", "PROPN"}:
                    return np_span(filer.head)
            return np_span(noun)
        if verb.dep_ == "conj":
            cur = verb.head
            while cur.head != cur and not is_cue(cur, self.lex):
                cur = cur.head
            if is_cue(cur, self.lex) and cur != verb:
                return self.subject_of(cur)
        if verb.dep_ == "xcomp" and verb.head != verb:
            # "the senator pressed Stumpf to admit ...": the object of the governing verb speaks
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if obj is not None and verb.head.lemma_.lower() not in {"promise"}:
                return np_span(obj)
        if verb.dep_ in {"advcl", "xcomp", "conj", "ccomp"} and verb.head != verb:
            if verb.dep_ == "advcl" and verb.tag_ == "VBG":
                # "a post by X ..., saying ..." -> X
                for t in verb.head.subtree:
                    if t.pos_ in {"NOUN", "PROPN"} and t.i < verb.i:
                        agent = self.by_agent(t)
                        if agent is not None:
                            return agent
            return self.subject_of(verb.head) if is_cue(verb.head, self.lex) or verb.dep_ != "ccomp" else None
        return None

    @staticmethod
    def by_agent(noun: Token) -> Span | None:
        """The agent of a noun ("a post by the mayor" -> the mayor), if it has one."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return np_span(g)
        return None

    @staticmethod
    def _named_after_quote(verb: Token) -> Span | None:
        """“...,” Tulsa police Chief Chuck Jordan said: the words between a closing quotation mark
        and the verb, when they read as a name (the parser sometimes tags one of them a verb and
        hangs the reporting verb on the quotation, leaving it no subject)."""
        doc = verb.doc
        start = verb.i
        while start > 0 and verb.i - start < 8:
            t = doc[start - 1]
            if t.is_punct or t.like_num or not (t.is_title or t.pos_ in {"PROPN", "NOUN", "DET", "ADJ"}):
                break
            start -= 1
        if start == verb.i or start < 2:
            return None
        # a quoted clause ends there (“...,” or “...?” or ”,), not a quoted title (the “Broad City” star)
        if doc[start - 1].text in CLOSE_TOKENS:
            close, comma_after = doc[start - 1], False
        else:
            close, comma_after = doc[start - 2], doc[start - 1].text == ","
        if close.text not in CLOSE_TOKENS or close.i == 0 or not (
                comma_after or doc[close.i - 1].text in {",", "?", "!"}):
            return None
        span = doc[start:verb.i]
        if span[-1].pos_ not in {"PROPN", "NOUN"} or not any(t.pos_ == "PROPN" or t.ent_type_ for t in span):
            return None
        return span

    def resolve(self, speaker: Span | None, *, para_named: str | None, last: str | None,
                genders: dict[str, str], continuing: str | None = None) -> tuple[str | None, str, float]:
        """Entity id for a speaker phrase, how it was found (``Quote.speaker_via``) and how sure
        that is; ``(None, "unresolved", 0.0)`` when the evidence is too weak to name anyone.
        ``continuing``: the speaker of the quotation just before, when no one else is named
        between it and this speaker phrase."""
        if speaker is None:
            return None, "unresolved", 0.0
        head = speaker.root
        low = head.lower_
        if low in PRONOUN_GENDER or low in {"they", "it", "we", "i"}:
            if low in {"it", "they", "we"}:
                eid = self._sentence_subject_entity(head)
                return (eid, "pronoun", CONFIDENCE["pronoun_group"]) if eid else (None, "unresolved", 0.0)
            if low == "i":
                return (last, "pronoun", CONFIDENCE["pronoun_group"]) if last else (None, "unresolved", 0.0)
            return self._pronoun(speaker, PRONOUN_GENDER[low], para_named, last, genders)
        # a name in apposition to the phrase's head speaks: "Simpson's attorney, Warren Gotcher"
        for child in head.children:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                found = self._entity_at(child)
                if found is not None and found[1] == "PERSON":
                    return found[0], "name", CONFIDENCE["name"]
        # the entity whose mention holds the head word -- not a possessor or a modifier
        # ("Simpson's attorney", "the Texas governor")
        found = self._entity_at(head)
        if found is not None and found[1] in {"PERSON", "ORG", "NORP", "GPE"}:
            return found[0], ("title" if found[2] == "description" else "name"), \
                CONFIDENCE["title" if found[2] == "description" else "name"]
        if low in DOCUMENT_NOUNS and speaker[0].lower_ == "the" and len(speaker) <= 3:
            # "the statement continued": whoever issued the statement the text spoke of just before
            issuer = self._issuer(head)
            if issuer is not None:
                return issuer, "description", CONFIDENCE["description"]
        roles = [role_word(t.text) for t in speaker if t.is_alpha and t.pos_ != "DET"]
        roles = [w for w in roles if w in ROLE_NOUNS]
        # "the congresswoman" is a woman: no one known to be a man (and the reverse)
        sex = next((g for g in map(role_gender, roles) if g), None)

        def fits(eid: str) -> bool:
            return self._gender_ok(eid, sex, genders)
        if roles and head.tag_ not in {"NNS", "NNPS"} and head.lower_ not in PLURAL_ROLES:
            # a description names the one person the article gave that title (by apposition,
            # premodifier or copula), and no one else: no guess by recency
            titled = self.index.titled(roles)
            if titled:
                return titled, "title", CONFIDENCE["title"]
            # several people hold the title ("the president" with a former president named too):
            # the one the article is about, named far more often than the others -- salience, a
            # guess the findings must not lean on
            salient = self._most_named([e for e in self.index.titled_all(roles) if fits(e)])
            if speaker[0].lower_ == "the" and salient is not None:
                return salient, "description", CONFIDENCE["description"]
            # "A political strategist ... has explained" in the lede, then "the strategist added":
            # the article introduced someone by that role, and the speaker before (with no other
            # title) is the likeliest -- a guess the findings must not lean on
            if speaker[0].lower_ == "the" and last is not None and self._introduced_as(roles[-1], speaker.start) \
                    and self.index.by_id[last].type == "PERSON" and self._role_ok(last, roles) and fits(last):
                return last, "description", CONFIDENCE["description"]
            # the subject of the sentence just before, when nothing the article says of them
            # contradicts the role ("Sir Keir has insisted ... The prime minister said ...")
            subj = self._previous_subject(speaker)
            if speaker[0].lower_ == "the" and subj is not None and self._role_ok(subj, roles) and fits(subj):
                return subj, "description", CONFIDENCE["description_recent"]
            # “...,” says Ruiz. “...,” the Texas governor continues: a description right after a
            # speaker's quotations, with no one else named between, varies that speaker's name
            # -- unless a title of theirs is another form of the role ("vice president")
            if speaker[0].lower_ == "the" and continuing is not None \
                    and fits(continuing) and self._role_kept(continuing, roles):
                return continuing, "description", CONFIDENCE["description_recent"]
        return None, "unresolved", 0.0

    def _issuer(self, noun: Token) -> str | None:
        """The person or organisation who issued the document ``noun`` names: the nearest earlier
        mention of the same noun, at most three sentences back outside quotations (a quotation
        of several sentences may stand between), that has an owner ("Ruiz's statement") or hangs
        on a reporting verb ("Ruiz said in a statement")."""
        here = self.sent_of.get(noun.i, 0)
        quoted = {si for si, sent in enumerate(self.sents) if self.in_quotation(sent.root.idx)}
        for t in reversed(self.doc[:noun.i]):
            si = self.sent_of.get(t.i, 0)
            if sum(1 for k in range(si, here) if k not in quoted) > 3:
                break
            if t.lemma_.lower() != noun.lemma_.lower() or self.in_quotation(t.idx):
                continue
            owner = next((c for c in t.children if c.dep_ == "poss"), None)
            phrase: Span | None
            if owner is not None:
                phrase = np_span(owner)
            elif t.dep_ == "dobj" and t.head.lemma_.lower() in ISSUING_VERBS:
                phrase = self.subject_of(t.head)  # "Ruiz released a statement"
            else:
                verb = t.head.head if t.dep_ == "pobj" and t.head.dep_ == "prep" else None
                phrase = self.subject_of(verb) if verb is not None and is_cue(verb, self.lex) else None
            if phrase is None:
                return None
            found = self._entity_at(phrase.root)
            return found[0] if found is not None and found[1] in {"PERSON", "ORG"} else None
        return None

    def _most_named(self, eids: Sequence[str]) -> str | None:
        """Of several people, the one named at least twice as often as each of the others."""
        if len(eids) < 2:
            return None
        counts = sorted(((sum(1 for m in self.index.by_id[e].mentions if m.kind in {"name", "surname", "honorific"}), e)
                         for e in eids), reverse=True)
        return counts[0][1] if counts[0][0] >= 2 * counts[1][0] and counts[0][0] >= 3 else None

    def _role_kept(self, eid: str, words: Sequence[str]) -> bool:
        """Whether no title of the entity holds one of the role words in another role ("vice
        president" for "the president", "deputy director" for "the director")."""
        want = {role_word(w) for w in words if w in ROLE_NOUNS}
        for t in self.index.by_id[eid].titles:
            have = {role_word(w) for w in t.title.lower().split()} & (ROLE_NOUNS | {"vice"})
            if have & want and have != want:
                return False
        return True

    def _previous_subject(self, speaker: Span) -> str | None:
        """The person who is the subject of the sentence before the speaker phrase's."""
        here = self.sent_of.get(speaker.start, 0)
        k = here - 1
        # a sentence of the quotation the speaker phrase closes is not "the sentence before"
        while k >= 0 and here - k <= 3 and self.in_quotation(self.sents[k].root.idx):
            k -= 1
        if k < 0:
            return None
        prev = self.sents[k]
        for child in prev.root.children:
            if child.dep_ in SUBJ_DEPS:
                found = self._entity_at(child)
                return found[0] if found is not None and found[1] == "PERSON" else None
        return None

    def _introduced_as(self, role: str, before: int) -> bool:
        """Whether an indefinite "a/an ... ROLE" comes earlier in the text than token ``before``."""
        for t in self.doc[:before]:
            if role_word(t.text) == role and t.tag_ not in {"NNS", "NNPS"}:
                det = next((c for c in t.children if c.dep_ == "det"), None)
                if det is not None and det.lower_ in {"a", "an"}:
                    return True
        return False

    def _entity_at(self, tok: Token) -> tuple[str, str, str] | None:
        """(entity id, type, mention kind) of the mention holding ``tok``, people first: the first
        person's mention holding it, in the index's order, else the first mention."""
        if self._at is None or self._at[0] != len(self.index.timeline):
            at: dict[int, tuple[str, str, str]] = {}
            for ent in self.index.entities:
                for m in ent.mentions:
                    for char in range(m.start, m.end):
                        best = at.get(char)
                        if best is None or ent.type == "PERSON" and best[1] != "PERSON":
                            at[char] = (ent.id, ent.type, m.kind)
            self._at = (len(self.index.timeline), at)
        return self._at[1].get(tok.idx)

    def _pronoun(self, speaker: Span, want: str, para_named: str | None, last: str | None,
                 genders: dict[str, str]) -> tuple[str | None, str, float]:
        """"he"/"she": the compatible person (gender from honorifics, given names and pronouns
        already resolved) mentioned most recently -- a subject of an earlier sentence before an
        object -- with the paragraph's named speaker and the previous speaker as candidates too."""
        pos = speaker.start_char
        here = self.sent_of.get(speaker.start, 0)
        ranked: dict[str, tuple[int, int]] = {}
        for s, eid, _g in self.index.persons_before(pos):
            span = self.doc.char_span(s, s + 1, alignment_mode="expand")
            if span is None:
                continue
            dist = here - self.sent_of.get(span.start, 0)
            if dist > 4:
                break
            if eid in ranked or not self._gender_ok(eid, want, genders) or self.in_quotation(s):
                continue
            root = span.root
            while root.dep_ in {"compound", "flat"} and root.head != root:
                root = root.head
            is_subj = root.dep_ in SUBJ_DEPS
            if dist == 0 and not is_subj:
                # "Of Obama, he said", "X attacked Y, whom he called ...": within its own sentence
                # the speaker's pronoun is not an object or a name in passing
                continue
            ranked[eid] = (dist, 0 if is_subj else 1)
        if last and self._gender_ok(last, want, genders):
            # the speaker before counts as if named in the sentence before: a person introduced
            # there as a subject takes over, one only mentioned in passing does not
            ranked[last] = min(ranked.get(last, (5, 0)), (1, 1))
        if para_named and self._gender_ok(para_named, want, genders):
            ranked[para_named] = (-1, 0)  # the one person the paragraph names as a speaker
        if not ranked:
            return None, "unresolved", 0.0
        order = sorted(ranked, key=lambda e: (ranked[e], 0 if e == para_named else 1 if e == last else 2))
        best = order[0]
        if len(order) > 1 and ranked[order[1]] == ranked[best] and not {para_named, last} & {best}:
            return None, "unresolved", 0.0  # two people as likely, neither the speaker before
        known = (self.index.by_id[best].gender or genders.get(best)) == want
        rivals = sum(1 for e in order[1:] if ranked[e][0] <= 4)
        conf = CONFIDENCE["pronoun"] if known and not rivals else \
            CONFIDENCE["pronoun_rival"] if known or not rivals else CONFIDENCE["pronoun_weak"]
        return best, "pronoun", conf

    def _gender_ok(self, eid: str, want: str | None, genders: dict[str, str]) -> bool:
        ent = self.index.by_id.get(eid)
        if ent is None or ent.type != "PERSON":
            return False
        have = ent.gender or genders.get(eid)
        return want is None or have is None or have == want

    def _role_ok(self, eid: str, words: Sequence[str]) -> bool:
        """Whether nothing the article calls the entity contradicts the role: no title, or a
        title with the same role words ("vice president" is not "president")."""
        ent = self.index.by_id[eid]
        role = [w for w in words if w in ROLE_NOUNS]
        if not role or not ent.titles:
            return True
        want = {role_word(w) for w in role}
        for t in ent.titles:
            have = {role_word(w) for w in t.title.lower().split()} & (ROLE_NOUNS | {"vice"})
            if have == want:
                return True
        return False

    def _salient(self, pos: int, want: str | None, genders: dict[str, str],
                 words: Sequence[str] = ()) -> str | None:
        """Most recent compatible person: subjects of earlier sentences first."""
        tok = self.doc.char_span(pos, pos + 1, alignment_mode="expand")
        here = self.sent_of.get(tok.start, 0) if tok is not None else 0
        best: tuple[tuple[int, int, int], str] | None = None
        for s, eid, _g in self.index.persons_before(pos):
            span = self.doc.char_span(s, s + 1, alignment_mode="expand")
            if span is None:
                continue
            si = self.sent_of.get(span.start, 0)
            dist = here - si
            if dist > 4:
                break
            if not self._gender_ok(eid, want, genders) or (words and not self._role_ok(eid, words)):
                continue
            root = span.root
            while root.dep_ in {"compound", "flat"} and root.head != root:
                root = root.head
            is_subj = root.dep_ in SUBJ_DEPS
            key = (dist, 0 if (is_subj != (dist == 0)) else 1, -s)
            if best is None or key < best[0]:
                best = (key, eid)
        return best[1] if best else None

    def _sentence_subject_entity(self, tok: Token) -> str | None:
        root = tok.sent.root
        for child in root.children:
            if child.dep_ in SUBJ_DEPS and child != tok:
                np = np_span(child)
                return self.index.entity_in(np.start_char, np.end_char, person_first=False)
        return None


def attribute_speakers(att: Attributor, found: list[Found], date_for: Callable[[int], TimeExpression | None] | None,
                       id_prefix: str) -> Iterator[Quote]:
    """The quotes of ``found`` (in text order), each speaker resolved to an entity and dated by its cue."""
    doc = att.doc
    text = doc_text(doc)
    # one named speaker per paragraph settles "he said" in the same paragraph
    named_in_para: dict[int, set[str]] = {}
    for f in found:
        if f.speaker is not None and f.speaker.root.lower_ not in PRONOUN_GENDER:
            eid = att.index.entity_in(f.speaker.start_char, f.speaker.end_char)
            if eid and att.index.by_id[eid].type == "PERSON" and f.speaker.root.pos_ == "PROPN":
                named_in_para.setdefault(att.para_of(f.start), set()).add(eid)
    att.quoted = sorted((m.open, m.close) for f in found for m in f.marks)
    last: str | None = None
    last_text = ""
    last_conf = 0.0
    prev: tuple[str | None, str, int | None, int | None, float] | None = None
    prev_end, prev_para = -1, -1  # where the quotation before ends, and its paragraph
    quoted_sent: int | None = None  # the sentence of the last quotation's cue
    genders: dict[str, str] = {}
    n = 0
    for f in found:
        para = att.para_of(f.start)
        named = named_in_para.get(para, set())
        para_named = next(iter(named)) if len(named) == 1 else None
        if f.speaker is None:
            if prev is not None:  # a quote with no cue continues the previous speaker
                eid, speaker_text, s_start, s_end, conf = prev
            else:
                eid, speaker_text, s_start, s_end, conf = last, last_text if last else "", None, None, last_conf
            via = "continuation" if eid is not None else "unresolved"
            conf = round(conf * CONTINUATION_DECAY, 3) if eid is not None else 0.0
        else:
            continuing = prev[0] if prev is not None and f.marks and para - prev_para <= 1 \
                and _no_one_between(att, prev[0], prev_end, f.speaker.start_char) else None
            eid, via, conf = att.resolve(f.speaker, para_named=para_named, last=last, genders=genders,
                                         continuing=continuing)
            speaker_text = f.speaker.text
            s_start, s_end = f.speaker.start_char, f.speaker.end_char
            pron = f.speaker.root.lower_
            if eid and pron in {"he", "she"}:
                genders.setdefault(eid, PRONOUN_GENDER[pron])
        cue_text = f.cue.text if f.cue is not None else ""
        when = date_for(f.cue.i) if (date_for is not None and f.cue is not None) else None
        n += 1
        yield Quote(
            id=f"{id_prefix}{n}", start=f.start, end=f.end, text=text[f.start:f.end], kind=f.kind,
            cue=cue_text, cue_start=f.cue.idx if f.cue is not None else None,
            cue_end=(f.cue.idx + len(f.cue)) if f.cue is not None else None,
            speaker_text=speaker_text, speaker_start=s_start, speaker_end=s_end, speaker_entity_id=eid,
            said_on=when.value if when is not None else None, said_on_text=when.text if when is not None else None,
            speaker_confidence=conf, speaker_via=via,
        )
        if eid is not None and att.index.by_id[eid].type in {"PERSON", "ORG"}:
            last = eid
            last_text = att.index.by_id[eid].name
            last_conf = conf
        # “...,” Ruiz said about the report claiming that ...: a report within the sentence that
        # attributes a quotation is not who a next quotation with no cue of its own continues
        cue_sent = att.sent_of.get(f.cue.i) if f.cue is not None else None
        nested = f.kind == "indirect" and cue_sent is not None and cue_sent == quoted_sent
        if (f.speaker is not None or speaker_text) and not nested:
            prev = (eid, speaker_text, s_start, s_end, conf)
        if not nested:
            prev_end, prev_para = f.end, para
        if f.marks and cue_sent is not None:
            quoted_sent = cue_sent


def _no_one_between(att: Attributor, eid: str | None, start: int, end: int) -> bool:
    """Whether no person but ``eid`` is named outside quotations between ``start`` and ``end``."""
    if eid is None:
        return False
    for s, other, _g in att.index.persons_before(end):
        if s < start:
            break
        if other != eid and not att.in_quotation(s):
            return False
    return True


def link_indefinite_speakers(quotes: Sequence[Quote]) -> tuple[Quote, ...]:
    """A lede's "A political strategist ... explained" is the person a later "the strategist
    added" resolves to: an unresolved indefinite description takes the entity of the definite
    descriptions with the same role noun, when they all name one entity."""
    def role(text: str, article: set[str]) -> str | None:
        words = [w.lower().strip(",.") for w in text.split()]
        if len(words) < 2 or words[0] not in article:
            return None
        return words[-1] if words[-1] in ROLE_NOUNS else None

    out = list(quotes)
    for i, q in enumerate(out):
        if q.speaker_entity_id is not None:
            continue
        noun = role(q.speaker_text, {"a", "an"})
        if noun is None:
            continue
        named = {r.speaker_entity_id for r in out
                 if r.speaker_entity_id and role(r.speaker_text, {"the"}) == noun}
        if len(named) == 1:
            out[i] = replace(q, speaker_entity_id=named.pop(), speaker_via="description",
                             speaker_confidence=CONFIDENCE["description"])
    return tuple(out)
