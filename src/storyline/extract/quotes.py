"""Who said what: direct, indirect and mixed quotes with their cue and speaker.

1. Quotation marks are paired per paragraph; a quote left open at the end of a
   paragraph continues when the next paragraph opens with a quotation mark
   (the newspaper convention for quotes over several paragraphs).
2. Each quote's cue is the nearest reporting verb above it in the dependency
   parse ("...," she added; X said Y "..."), else a reporting verb in the same
   sentence. A quote that is the whole complement is ``direct``; a complement
   that also holds unquoted words is one ``mixed`` quote spanning the clause.
   A quote with no cue continues the previous speaker.
3. Reporting verbs with a clausal complement and no quotation marks, and
   "according to X", give ``indirect`` quotes.
4. Speakers resolve to entities: names directly; pronouns and descriptions
   ("she added", "the strategist added") through the one named speaker of the
   paragraph, the previous speaker, titles and recent subjects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from ..models import Paragraph, Quote, TimeExpression
from .cue_model import CueModel
from .entities import PRONOUN_GENDER, ROLE_NOUNS, EntityIndex

#: Lemmas of verbs that report speech or writing.
CUE_VERBS = frozenset("""
point speak talk say tell add explain insist claim argue warn state note write post accuse deny allege confirm announce
describe term suggest reply respond answer ask admit acknowledge caution contend declare emphasise
emphasize stress maintain predict promise pledge vow remark report reveal recall tweet urge conclude
complain concede comment testify assert observe mention indicate hint threaten demand reiterate repeat
quip joke boast lament insist estimate disclose brief inform assure concur counter dismiss rebut retort
charge propose recommend advise order instruct acknowledge believe think continue read
refer weigh apologize apologise rail
""".split())
#: The plainest verbs of saying, whose clause is reported speech however the parser attaches it.
_SPEECH_CORE = frozenset({"say", "tell", "add", "insist", "claim", "argue", "state", "write", "warn"})
#: Verbs of belief, intention and evidence: attributions when they govern a clause.
BELIEF_VERBS = frozenset("""
show find agree want plan support urge question mention promise criticize criticise pledge expect know
decide charge defend propose discuss intend hope fear seek refuse decline oppose reject dispute praise blame
welcome determine recommend learn hear feel consider doubt suspect realize realise recognize recognise
understand assume insist acknowledge cite call conclude push press argue appeal lobby reveal describe
accuse endorse condemn echo tout attack blast mock express denounce highlight decry lambaste slam hail
applaud ridicule deride
""".split())
#: Thoughts and intentions rather than statements: attributions (PolNeAR annotates them) but
#: not something the source said, so reports leave them out unless asked for all attributions.
MENTAL_VERBS = frozenset("""
want plan hope intend seek aim expect know feel consider doubt suspect realize realise recognize
recognise understand assume fear learn hear decide believe think worry support oppose
""".split())
MENTAL_NOUNS = frozenset({"belief", "view", "hope", "fear", "concern"})
#: Nouns that carry a reported clause ("Lind's claim that ...").
NOUN_CUES = frozenset("""
claim statement assertion allegation argument warning promise pledge suggestion belief view accusation
insistence admission announcement charge contention prediction fear hope concern demand complaint
""".split())
#: Verbs whose "to ..." complement is what the source wants or intends.
INTENTION_VERBS = frozenset("""
want plan hope intend promise pledge vow urge refuse decline agree decide threaten seek aim propose
expect ask demand
""".split())
#: Verbs whose direct object is the reported matter ("cited derogatory comments").
OBJECT_CUES = frozenset("""
cite mention describe deny criticize criticise question acknowledge announce propose reveal discuss
defend dispute reject praise blame welcome support oppose show find endorse condemn echo tout
attack blast mock express denounce highlight decry lambaste slam hail applaud ridicule deride
""".split())
#: Verbs of saying whose matter follows a preposition ("spoke about", "referred to").
_PREP_CONTENT = {
    "speak": {"about", "of", "on"}, "talk": {"about", "of"}, "refer": {"to"}, "point": {"to"},
    "comment": {"on"}, "weigh": {"on"}, "apologize": {"for"}, "apologise": {"for"}, "complain": {"about"},
    "warn": {"about", "of", "against"}, "rail": {"against"}, "testify": {"about", "on"},
}
_CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "parataxis", "advcl", "conj", "oprd", "attr"}
_SUBJ_DEPS = {"nsubj", "nsubjpass"}
_OPEN = {"“": "”", '"': '"', "«": "»"}
_CLOSE = {"”", '"', "»"}
# quotation marks as spaCy tokens: the characters and the typewriter pairs '' and ``
_OPEN_TOKENS = set(_OPEN) | {"''", "``"}
_CLOSE_TOKENS = _CLOSE | {"''"}
_REL_PRONOUNS = {"who", "which", "that"}
_DASH_CHARS = "—―–-"
#: dash tokens: each dash character, and the typed double hyphen
_DASHES = set(_DASH_CHARS) | {"--"}


@dataclass(frozen=True, slots=True)
class QuoteMarks:
    """A top-level quotation: offsets of the marks and of the words inside."""

    open: int
    close: int  # offset of the closing mark, or of the paragraph end when unclosed
    start: int
    end: int


def _open_mark(text: str, i: int) -> int:
    """Length of an opening quotation mark at ``i`` (0 if none): “ " « and the typewriter
    pairs '' and `` of wire and archive copy."""
    if text.startswith("''", i) or text.startswith("``", i):
        return 2
    return 1 if text[i] in _OPEN else 0


def _close_mark(text: str, i: int) -> int:
    """Length of a closing quotation mark at ``i`` (0 if none)."""
    if text.startswith("''", i):
        return 2
    return 1 if text[i] in _CLOSE else 0


def find_quotation_marks(text: str, paragraphs: Sequence[Paragraph]) -> list[QuoteMarks]:
    """Pair double quotation marks, continuing a quote over paragraphs as newspapers do."""
    spans: list[QuoteMarks] = []
    pending: int | None = None  # open offset of a quote carried over from the previous paragraph
    pars = list(paragraphs) or [Paragraph(0, len(text))]
    for pi, par in enumerate(pars):
        i = par.start
        open_at = pending
        pending = None
        if open_at is not None:
            # the continuing paragraph's own opening mark belongs to the quote's text
            if i < par.end and _open_mark(text, i):
                i += _open_mark(text, i)
            else:  # the previous paragraph simply never closed its quote
                spans.append(_marks(text, open_at, pars[pi - 1].end))
                open_at = None
        while i < par.end:
            if open_at is None:
                n = _open_mark(text, i)
                if n:
                    open_at = i
                    i += n
                    continue
            else:
                n = _close_mark(text, i)
                if n:
                    spans.append(_marks(text, open_at, i + n - 1, n))
                    open_at = None
                    i += n
                    continue
            i += 1
        if open_at is not None:
            nxt = pars[pi + 1] if pi + 1 < len(pars) else None
            if nxt is not None and nxt.start < nxt.end and _open_mark(text, nxt.start):
                pending = open_at
            else:
                spans.append(_marks(text, open_at, par.end))
    return spans


def _marks(text: str, open_at: int, close_at: int, close_len: int = 1) -> QuoteMarks:
    """``close_at``: the offset of the closing mark's last character (``close_len`` long)."""
    start, end = open_at + (_open_mark(text, open_at) or 1), close_at - close_len + 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return QuoteMarks(open_at, close_at, start, end)


@dataclass(frozen=True, slots=True)
class CueLexicon:
    """The verbs and nouns that introduce attributions, and for learned verbs the dependency
    that usually holds what they report (``{"criticize": ("dobj",)}``)."""

    verbs: frozenset[str]
    nouns: frozenset[str]
    complements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    model: CueModel | None = None
    # folders of fine-tuned cue encoders whose probability the model's cue scorer reads
    encoder: tuple[str, ...] = ()


# a built-in reporting verb the scorer doubts still counts above this share of its cut-off
_BUILTIN_CUT = 0.3


def _is_builtin_cue(tok: Token) -> bool:
    return tok.pos_ in {"VERB", "AUX"} and (tok.lemma_.lower() in CUE_VERBS or tok.lemma_.lower() in BELIEF_VERBS)


def _is_cue(tok: Token, lex: CueLexicon | None = None, *, strict: bool = False) -> bool:
    """A reporting verb. ``strict``: for a quotation, which no relation scorer checks afterwards,
    a scored verb must pass the cue scorer's own cut-off, not the lower one it proposes at."""
    if tok.pos_ not in {"VERB", "AUX"}:
        return False
    lemma = tok.lemma_.lower()
    if lemma in CUE_VERBS or lemma in BELIEF_VERBS:
        return True
    if lex is None:
        return False
    if lemma in lex.verbs:
        return True
    model = lex.model
    if model is None:
        return False
    return model.probability(tok) >= (model.threshold if strict else model.cut)


def _np_span(tok: Token) -> Span:
    """The compact noun phrase of a subject token: left modifiers, no relative clause."""
    doc = tok.doc
    left = tok.i
    for child in tok.lefts:
        if child.dep_ in {"det", "compound", "amod", "poss", "nmod", "nummod", "case"} or child.tag_ == "POS":
            left = min(left, child.left_edge.i)
    for t in doc[left:tok.i]:
        if t.text in _DASHES and t.whitespace_ and t.i > 0 and doc[t.i - 1].whitespace_:
            left = t.i + 1  # a dateline ("BRUSSELS -- European leaders") is not part of the phrase
    right = tok.i + 1
    while right < len(doc) and doc[right].dep_ in {"case"} and doc[right].head == tok:
        right += 1
    return doc[left:right]


@dataclass(slots=True)
class Found:
    start: int
    end: int
    kind: str
    cue: Token | None
    speaker: Span | None
    marks: tuple[QuoteMarks, ...]
    ruled: bool = True  # what the cue reports was chosen by a rule (not one option of several)


class Attributor:
    def __init__(self, doc: Doc, index: EntityIndex, paragraphs: Sequence[Paragraph],
                 lex: CueLexicon | None = None) -> None:
        self.lex = lex
        self.doc = doc
        self.index = index
        self.paragraphs = list(paragraphs) or [Paragraph(0, len(doc.text))]
        self.sent_of = {}
        for si, sent in enumerate(doc.sents):
            for t in sent:
                self.sent_of[t.i] = si
        self.sents = list(doc.sents)

    def para_of(self, char: int) -> int:
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
                    if not inside(cur.idx) and _is_cue(cur, self.lex, strict=True):
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
        after = [t for t in self.doc[last.i + 1:end] if _is_cue(t, self.lex, strict=True) and not inside(t.idx)]
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
                  if _is_cue(t, self.lex, strict=True) and not inside(t.idx)]
        for t in reversed(before):
            nxt = self.doc[first.i - 1] if first.i > 0 else None
            if nxt is not None and nxt.text in {":", ",", "“", '"'} and self.subject_of(t) is not None:
                return t
        return self._cue_before_colon(first)

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
        text = self.doc.text
        k = self.para_of(first.idx)
        par = self.paragraphs[k]
        if k == 0 or text[par.start:first.idx].strip("".join(_OPEN) + " ") or first.i == 0:
            return None
        prev = self.paragraphs[k - 1]
        if not text[prev.start:prev.end].rstrip().endswith(":"):
            return None
        colon = self.doc.char_span(prev.start, prev.end, alignment_mode="expand")
        if colon is None or colon[-1].text != ":":
            return None
        for t in reversed(list(colon[-1].sent)):
            if t.i < colon[-1].i and _is_cue(t, self.lex, strict=True) and self.subject_of(t) is not None:
                return t
        return None

    def subject_of(self, verb: Token) -> Span | None:
        """The speaker phrase of a cue verb (subject, agent, or the noun a participle modifies)."""
        if any(c.dep_ == "nsubjpass" for c in verb.children):
            for child in verb.children:  # "was first reported by the Post": the agent speaks
                if child.dep_ == "agent":
                    pobj = next((g for g in child.children if g.dep_ == "pobj"), None)
                    if pobj is not None:
                        return _np_span(pobj)
            if verb.lemma_.lower() != "quote":
                # "the mayor was asked / told / accused ...": a passive subject with no agent
                # is not who spoke (unless "quoted as saying")
                return None
        for child in verb.children:
            # (a dash the parser took for a subject is not one)
            if child.dep_ in _SUBJ_DEPS and any(c.isalnum() for c in child.text):
                if child.lower_ in _REL_PRONOUNS and verb.dep_ == "relcl":
                    return _np_span(verb.head)
                return _np_span(child)
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
                        return _np_span(g)
        if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" and verb.head.head.pos_ in {"VERB", "AUX"}:
            # "she sang one more song before asking ...", "he answered by telling them ...": the
            # governing verb's subject
            return self.subject_of(verb.head.head)
        if verb.dep_ == "acl" and (verb.head.pos_ in {"NOUN", "PROPN"}
                                   or verb.tag_ == "VBG" and verb.head.pos_ in {"PRON", "NUM"}):
            agent = self._by_agent(verb.head)
            if agent is not None:
                return agent
            noun = verb.head
            # "X filing a complaint to the commission claiming ...": the participle belongs to
            # the filer, not to the addressee that the parser hung it on
            if verb.tag_ == "VBG" and noun.dep_ == "pobj" and noun.head.dep_ == "prep" \
                    and noun.head.lower_ in {"to", "with", "before"} and noun.head.head.pos_ == "VERB":
                filer = noun.head.head
                subj = next((c for c in filer.children if c.dep_ in _SUBJ_DEPS), None)
                if subj is not None:
                    return _np_span(subj)
                if filer.dep_ == "acl" and filer.head.pos_ in {"NOUN", "PROPN"}:
                    return _np_span(filer.head)
            return _np_span(noun)
        if verb.dep_ == "conj":
            cur = verb.head
            while cur.head != cur and not _is_cue(cur, self.lex):
                cur = cur.head
            if _is_cue(cur, self.lex) and cur != verb:
                return self.subject_of(cur)
        if verb.dep_ == "xcomp" and verb.head != verb:
            # "the senator pressed Stumpf to admit ...": the object of the governing verb speaks
            obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
            if obj is not None and verb.head.lemma_.lower() not in {"promise"}:
                return _np_span(obj)
        if verb.dep_ in {"advcl", "xcomp", "conj", "ccomp"} and verb.head != verb:
            if verb.dep_ == "advcl" and verb.tag_ == "VBG":
                # "a post by X ..., saying ..." -> X
                for t in verb.head.subtree:
                    if t.pos_ in {"NOUN", "PROPN"} and t.i < verb.i:
                        agent = self._by_agent(t)
                        if agent is not None:
                            return agent
            return self.subject_of(verb.head) if _is_cue(verb.head, self.lex) or verb.dep_ != "ccomp" else None
        return None

    @staticmethod
    def _by_agent(noun: Token) -> Span | None:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "by":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return _np_span(g)
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
        if doc[start - 1].text in _CLOSE_TOKENS:
            close, comma_after = doc[start - 1], False
        else:
            close, comma_after = doc[start - 2], doc[start - 1].text == ","
        if close.text not in _CLOSE_TOKENS or close.i == 0 or not (
                comma_after or doc[close.i - 1].text in {",", "?", "!"}):
            return None
        span = doc[start:verb.i]
        if span[-1].pos_ not in {"PROPN", "NOUN"} or not any(t.pos_ == "PROPN" or t.ent_type_ for t in span):
            return None
        return span

    def resolve(self, speaker: Span | None, *, para_named: str | None, last: str | None,
                genders: dict[str, str]) -> str | None:
        """Entity id for a speaker phrase."""
        if speaker is None:
            return None
        head = speaker.root
        low = head.lower_
        if low in PRONOUN_GENDER or low in {"they", "it", "we", "i"}:
            want = PRONOUN_GENDER.get(low)
            if low in {"it", "they", "we"}:
                return self._sentence_subject_entity(head)
            if low == "i":
                return last
            for cand in (para_named, last):
                if cand and self._gender_ok(cand, want, genders):
                    return cand
            return self._salient(speaker.start_char, want, genders)
        eid = self.index.entity_in(speaker.start_char, speaker.end_char)
        if eid is not None:
            ent = self.index.by_id.get(eid)
            if ent is not None and ent.type in {"PERSON", "ORG", "NORP", "GPE"}:
                return eid
        words = [t.lower_ for t in speaker if t.is_alpha and t.pos_ != "DET"]
        if any(w in ROLE_NOUNS for w in words):
            titled = self.index.titled([w for w in words if w in ROLE_NOUNS])
            if titled:
                return titled
            if head.tag_ not in {"NNS", "NNPS"} and speaker[0].lower_ == "the":
                for cand in (last, para_named):
                    if cand and self.index.by_id[cand].type == "PERSON" and self._role_ok(cand, words):
                        return cand
                return self._salient(speaker.start_char, None, genders, words)
        return None

    def _gender_ok(self, eid: str, want: str | None, genders: dict[str, str]) -> bool:
        ent = self.index.by_id.get(eid)
        if ent is None or ent.type != "PERSON":
            return False
        have = ent.gender or genders.get(eid)
        return want is None or have is None or have == want

    def _role_ok(self, eid: str, words: Sequence[str]) -> bool:
        ent = self.index.by_id[eid]
        role = [w for w in words if w in ROLE_NOUNS]
        if not role or not ent.titles:
            return True
        return any(role[-1] in t.title.lower() for t in ent.titles)

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
            is_subj = root.dep_ in _SUBJ_DEPS
            key = (dist, 0 if (is_subj != (dist == 0)) else 1, -s)
            if best is None or key < best[0]:
                best = (key, eid)
        return best[1] if best else None

    def _sentence_subject_entity(self, tok: Token) -> str | None:
        root = tok.sent.root
        for child in root.children:
            if child.dep_ in _SUBJ_DEPS and child != tok:
                np = _np_span(child)
                return self.index.entity_in(np.start_char, np.end_char, person_first=False)
        return None


def _complement_child(cue: Token, tok: Token) -> Token | None:
    """The child of ``cue`` whose subtree holds ``tok``."""
    cur = tok
    while cur.head != cur and cur.head != cue:
        cur = cur.head
    return cur if cur.head == cue and cur != cue else None


def _closing_marks(text: str, start: int, end: int) -> int:
    """The end of a clause that opens a quotation: its closing punctuation and mark included
    ("... was “far too slow to act.”"); ``end`` itself when it leaves no quotation open."""
    part = text[start:end]
    if part.count("“") + part.count("«") + part.count("``") <= part.count("”") + part.count("»") \
            and part.count('"') % 2 == 0 and part.count("''") % 2 == 0:
        return end
    last = end
    while last < len(text) and last < end + 3 and text[last] in ".,;:!?":
        last += 1
    return last + _close_mark(text, last) if last < len(text) and _close_mark(text, last) else end


def _content_span(child: Token, *, stop: int | None = None) -> tuple[int, int]:
    """Token span of a reported clause, without a leading "that", adverbials or punctuation."""
    doc = child.doc
    start, end = child.left_edge.i, child.right_edge.i + 1
    subj = next((c for c in child.lefts if c.dep_ in _SUBJ_DEPS), None)
    if subj is not None and subj.left_edge.i > start:
        before = doc[start:subj.left_edge.i]
        if all(t.dep_ in {"prep", "npadvmod", "advmod", "mark", "punct", "pobj", "det", "amod", "poss",
                          "compound", "case", "nummod"} or t.head.i < subj.left_edge.i and t.head != child
               for t in before):
            start = subj.left_edge.i
    if stop is not None and start < stop < end:
        end = stop
        while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct
                               and doc[end - 1].text not in _CLOSE_TOKENS):
            end -= 1
    while start < end and (doc[start].dep_ == "mark" and doc[start].lower_ in {"that", "whether", "if"}
                           or doc[start].is_punct and doc[start].text not in _OPEN_TOKENS):
        start += 1
    while end > start and (doc[end - 1].is_punct and doc[end - 1].text not in _CLOSE_TOKENS or doc[end - 1].is_space):
        end -= 1
    return start, end


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
    text = doc.text
    i = m.close + 1
    while i < len(text) and text[i] in " \u00a0":
        i += 1
    if i >= len(text) or text[i] not in _DASH_CHARS:
        return None
    dash = doc.char_span(i, i + 1, alignment_mode="expand")
    while i < len(text) and text[i] in _DASH_CHARS:
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
        source = _np_span(pobj)
        end = max(pobj.right_edge.i + 1, source.end)
        between = doc[end:span.start] if end <= span.start else doc[span.end:tok.i] if span.end <= tok.i else None
        if between is not None and all(t.is_punct or t.is_space for t in between):
            return tok, source
    return None


def _is_name_token(tok: Token) -> bool:
    return tok.text[:1].isupper() and (tok.is_alpha or tok.text.rstrip(".").isalpha())


def _colon_attributions(doc: Doc, paragraphs: Sequence[Paragraph]) -> Iterator[Found]:
    """Transcript and headline lines: "WALLACE: Let's start ...", "Lind: Ferry will run again"."""
    text = doc.text
    for par in paragraphs:
        i = par.start
        if i < par.end:
            i += _open_mark(text, i)
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
        while start < par.end and (text[start].isspace() or _open_mark(text, start)):
            start += _open_mark(text, start) or 1  # the marks of "Lind added: “...”" are not the words
        end = par.end
        while end > start and (text[end - 1] in _CLOSE or text[end - 1].isspace() or text[end - 2:end] == "''"):
            end -= 2 if text[end - 2:end] == "''" else 1
        words = text[start:end].split()
        if len(words) < 3:
            continue
        yield Found(start, end, "direct", cue, name, ())


def _drop_nested(found: list[Found], sure: Callable[[Found], bool] = lambda f: False) -> list[Found]:
    """Reported speech inside another quote's content is part of that quote, not a second one --
    unless ``sure`` of it (the relation scorer is, with a trained lexicon)."""
    # "X complained, even suggesting he was sabotaged": a content that is a participle clause with
    # a cue of its own is that cue's attribution, not the outer one's
    cues = {f.cue.i for f in found if f.kind == "indirect" and f.cue is not None}
    found = [f for f in found if not (f.kind == "indirect" and f.cue is not None
                                      and _participle_cue_root(f, cues - {f.cue.i}))]
    keep: list[Found] = []
    for f in found:
        if any(g.start == f.start and g.end == f.end for g in keep):
            continue  # one statement found by two cues ("repeated her claim that ...")
        if f.kind == "indirect" and f.cue is not None and not sure(f) and any(
                g is not f and g.start <= f.cue.idx and f.end <= g.end and (g.end - g.start) > (f.end - f.start)
                for g in found):
            continue
        keep.append(f)
    return keep


def _participle_cue_root(f: Found, cues: set[int]) -> bool:
    """Whether a found attribution's content is headed by a participle that is one of ``cues``."""
    assert f.cue is not None
    span = f.cue.doc.char_span(f.start, f.end, alignment_mode="expand")
    if span is None or len(span) == 0 or span.root.i not in cues or span.root.tag_ != "VBG":
        return False
    # "Brock was planning to ...", a clause with its own subject or auxiliary, is no participle clause
    return not any(c.dep_ in {"aux", "auxpass", "nsubj", "nsubjpass"} for c in span.root.children)


def _reported_content(tok: Token, lex: CueLexicon | None = None) -> tuple[int, int] | None:
    """Token span of what a reporting verb reports, when it reports something."""
    lemma = tok.lemma_.lower()
    children = list(tok.children)
    if lex is not None and lemma in lex.complements and lemma not in CUE_VERBS and lemma not in BELIEF_VERBS:
        return _learned_content(tok, lex.complements[lemma])
    clause = next((c for c in children if c.dep_ == "ccomp"), None)
    dobj = next((c for c in children if c.dep_ == "dobj" and c.i > tok.i), None)
    if dobj is not None:
        noun_clause = next((c for c in dobj.children if c.dep_ in {"acl", "ccomp"}
                            and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)), None)
        if noun_clause is not None:  # "denied suggestions that ..."
            s, e = _content_span(noun_clause)
            if clause is not None and clause.left_edge.i >= e:
                e = _content_span(clause)[1]
            return s, e
    # "as the mayor said last week": an adverbial clause that attributes the clause it hangs on
    as_clause = (tok.dep_ == "advcl" and lemma in CUE_VERBS
                 and [c.lower_ for c in children if c.dep_ == "mark"] == ["as"]
                 and any(c.dep_ in _SUBJ_DEPS for c in children))
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
            if not any(c.dep_ in _SUBJ_DEPS and c.i > clause.right_edge.i for c in children) \
                    and tok.i - clause.right_edge.i > 4:
                return None
            return _content_span(clause)
        s, e = _content_span(clause)
        for more in children:
            # "say they don’t yet know ...": one clause the parser split into two complements
            if more.dep_ == "ccomp" and more.i > clause.i and more.left_edge.i <= e + 1:
                e = max(e, _content_span(more)[1])
        if dobj is not None and tok.i < dobj.i < clause.i and not any(
                c.dep_ in _SUBJ_DEPS for c in clause.children) and dobj.right_edge.i + 1 >= s - 1:
            s = dobj.left_edge.i  # "insisted his relationship ... has not been jeopardised"
        return s, e
    if lemma in _SPEECH_CORE and clause is None:
        # "Ruiz said after the vote she would not accept ...": parsed as an adverbial clause
        adv = next((c for c in children if c.dep_ == "advcl" and c.i > tok.i
                    and any(g.dep_ in _SUBJ_DEPS for g in c.children)
                    and not any(g.dep_ == "mark" for g in c.children)), None)
        if adv is not None:
            return _content_span(adv)
        # "He said legalizing it could put ...": a gerund subject taken for the verb's complement,
        # with the clause's own verb hung on it
        ger = next((c for c in children if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > tok.i
                    and any(g.dep_ == "ccomp" and g.i > c.i for g in c.children)), None)
        if ger is not None:
            return _content_span(ger)
    if lemma in INTENTION_VERBS:
        xcomp = next((c for c in children if c.dep_ == "xcomp" and c.i > tok.i), None)
        if xcomp is not None:
            return _content_span(xcomp)
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
            return for_to.left_edge.i + 1, _content_span(for_to)[1]
        oprd = next((c for c in children if c.dep_ in {"oprd", "xcomp"} and c.i > tok.i), None)
        if dobj is not None and oprd is not None:  # "called the charges unsubstantiated"
            return dobj.left_edge.i, oprd.right_edge.i + 1
    if lemma in _PREP_CONTENT and (dobj is None or lemma == "warn"):
        # "spoke about the need for reforms", "referring to the mayor": what the words were about
        # (not "referred the case to the police")
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in _PREP_CONTENT[lemma]
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
        return _content_span(dobj)
    # passive: "The issue was first reported by the Post" reports its subject
    subjpass = next((c for c in children if c.dep_ == "nsubjpass"), None)
    if subjpass is not None and any(c.dep_ == "agent" for c in children) and lemma in CUE_VERBS | OBJECT_CUES:
        return _content_span(subjpass)
    return None


_OPTION_DEPS = frozenset({"ccomp", "xcomp", "dobj", "prep", "advcl", "attr", "acomp", "oprd", "parataxis",
                          "dative", "nsubjpass"})


def _complement_options(tok: Token) -> list[tuple[int, int]]:
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
            span = _content_span(child)
        if span[1] > span[0] and span not in out:
            out.append(span)
    return out


def _noun_options(tok: Token) -> list[tuple[int, int]]:
    """What a noun cue could report: its clauses and the objects of its prepositions (not "by")."""
    out = []
    for child in tok.children:
        if child.dep_ in {"acl", "ccomp"} and child.i > tok.i:
            span = _content_span(child)
        elif child.dep_ == "prep" and child.lower_ != "by" and any(g.dep_ in {"pobj", "pcomp"} for g in child.children):
            span = (child.i + 1, child.right_edge.i + 1)
        else:
            continue
        if span[1] > span[0] and span not in out:
            out.append(span)
    return out


# where a scored cue with no learned or built-in rule keeps what it reports, most likely first
_GENERIC_COMPLEMENTS = ("ccomp", "xcomp", "dobj", "prep")


def _learned_content(tok: Token, deps: Sequence[str]) -> tuple[int, int] | None:
    """What a learned cue reports: its first child in one of the dependencies it was seen with."""
    for dep in deps:
        for child in tok.children:
            if child.dep_ != dep or child.i < tok.i and dep not in {"ccomp", "nsubj"}:
                continue
            if dep == "prep":
                if not any(g.dep_ in {"pobj", "pcomp"} for g in child.children):
                    continue
                return child.i + 1, child.right_edge.i + 1
            s, e = _content_span(child)
            if e > s:
                return s, e
    return None


def _nested_cue_stop(cue: Token, child: Token, after: int, in_marks: Sequence[bool],
                     lex: CueLexicon | None = None) -> int | None:
    """Where a clause reported by ``cue`` hands over to another reporting verb (its subtree start)."""
    for t in child.subtree:
        if t is cue or t.i <= after or in_marks[t.idx] or not _is_cue(t, lex):
            continue
        left = t.left_edge.i
        # a nested cue with its own clause: "a day after the campaign accused ..." or "and said ..."
        if any(c.dep_ in _SUBJ_DEPS for c in t.children) or t.dep_ == "conj":
            if t.dep_ == "conj":
                left = t.i
                while left - 1 > after and t.doc[left - 1].dep_ in {"cc", "punct"}:
                    left -= 1
            return left if left > after else None
    return None


def extract_quotes(
    doc: Doc,
    *,
    index: EntityIndex,
    paragraphs: Sequence[Paragraph] = (),
    date_for: Callable[[int], TimeExpression | None] | None = None,
    id_prefix: str = "q",
    lexicon: CueLexicon | None = None,
    statements_only: bool = True,
) -> Iterator[Quote]:
    """Yield the quotes of a parsed article in text order, speakers resolved to entities.

    ``lexicon`` adds cues learned from data (``storyline train attribution``) to the built-in ones.
    ``statements_only`` leaves out attributed thoughts and intentions ("X wants to ...",
    "X believes ..."); set it to False for every attribution, as PolNeAR annotates them.
    """
    if lexicon is not None and lexicon.encoder:
        from .encoder import load_encoder

        load_encoder(lexicon.encoder).attach(doc)
    att = Attributor(doc, index, paragraphs, lexicon)
    found = find_attributions(att, statements_only=statements_only)
    scorer = lexicon.model if lexicon is not None else None
    if scorer is not None and scorer.relation_weights:
        found = _best_per_cue(found, scorer)
        found = _drop_nested(found, _sure_of(scorer))
    else:
        found = _drop_nested(found)
    found.sort(key=lambda f: f.start)
    yield from _attribute(att, found, date_for, id_prefix)


def _best_per_cue(found: list[Found], scorer: CueModel) -> list[Found]:
    """Of the attributions an indirect cue yields, the one the relation scorer likes best, if it passes
    (a sure cue passes with less: :meth:`CueModel.relation_cut`)."""
    best: dict[int, tuple[float, Found]] = {}
    keep = []
    for f in found:
        if f.kind != "indirect" or f.cue is None:
            keep.append(f)
            continue
        p = scorer.relation_probability(relation_features(f, scorer))
        if p >= scorer.relation_cut(f.cue) and (f.cue.i not in best or p > best[f.cue.i][0]):
            best[f.cue.i] = (p, f)
    return keep + [f for _, f in best.values()]


def _sure_of(scorer: CueModel) -> Callable[[Found], bool]:
    """Whether the relation scorer is sure enough of an attribution to keep it when it is nested."""
    cut = scorer.nested_keep
    if cut is None:
        return lambda f: False
    return lambda f: (f.kind == "indirect" and f.cue is not None
                      and scorer.relation_probability(relation_features(f, scorer)) >= cut)


def relation_features(found: Found, scorer: CueModel) -> list[str]:
    """Features of one found attribution (its cue, speaker and content) for the relation scorer."""
    cue, speaker = found.cue, found.speaker
    assert cue is not None
    doc = cue.doc
    content = doc.char_span(found.start, found.end, alignment_mode="expand")
    p = scorer.probability(cue)
    feats = [f"cue_p={min(9, int(p * 10))}", f"cue_lemma={cue.lemma_.lower()}", f"cue_dep={cue.dep_}",
             f"cue_pos={cue.pos_}", f"ruled={found.ruled}"]
    if speaker is not None:
        root = speaker.root
        feats += [f"src_dep={root.dep_}", f"src_pos={root.pos_}", f"src_ent={root.ent_type_ or '-'}",
                  f"src_len={min(len(speaker), 6)}", f"src_pron={root.pos_ == 'PRON'}",
                  f"src_lemma={root.lemma_.lower()}", f"src_side={'before' if speaker.start < cue.i else 'after'}"]
    else:
        feats.append("src=none")
    if content is not None and len(content):
        croot = content.root
        n = len(content)
        first = content[0]
        feats += [f"cont_len={n if n < 4 else 4 if n < 8 else 8 if n < 16 else 16}",
                  f"cont_first={first.lower_ if first.is_stop or first.is_punct else first.pos_}",
                  f"cont_root_pos={croot.pos_}", f"cont_root_dep={croot.dep_}",
                  f"cont_side={'after' if content.start > cue.i else 'before'}",
                  f"cont_rel={croot.dep_ if croot.head == cue else 'far'}",
                  f"cue_cont={cue.lemma_.lower()}|{croot.dep_ if croot.head == cue else 'far'}",
                  f"cont_subj={any(c.dep_ in _SUBJ_DEPS for c in croot.children)}",
                  f"cont_sents={len({t.sent.start for t in (content[0], content[-1])})}"]
    return feats


def find_attributions(att: Attributor, *, statements_only: bool = True, options: bool | None = None) -> list[Found]:
    """Every attribution found in the attributor's document, nested ones included.

    ``options``: let an indirect cue yield one attribution per complement that could hold what
    it reports, for a relation scorer to choose from (default: when the lexicon has one).
    """
    doc = att.doc
    text = doc.text
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
        used_cues.add(cue.i)
        speaker = att.subject_of(cue)
        child = _complement_child(cue, span.root) if span.root.i != cue.i else None
        if child is not None and child.dep_ == "prep":
            child = next((c for c in child.children if c.dep_ == "pobj"), child)
        kind, start, end = "direct", m.start, m.end
        covered: tuple[QuoteMarks, ...] = (m,)
        if child is not None and child.dep_ in _CONTENT_DEPS | {"npadvmod", "dep", "prep", "pobj"}:
            stop = _nested_cue_stop(cue, child, span[-1].i, in_marks, lex)
            s, e = _content_span(child, stop=stop)
            outside_words = [t for t in doc[s:e] if not in_marks[t.idx] and not t.is_punct
                             and t.i != cue.i and (speaker is None or t.i not in range(speaker.start, speaker.end))]
            if outside_words and doc[s].idx < m.open + 1 and child.dep_ not in {"parataxis"}:
                kind = "mixed"
                start, end = doc[s].idx, doc[e - 1].idx + len(doc[e - 1])
                covered = tuple(x for x in marks if x.open >= start - 1 and x.close <= end + 1) or (m,)
                start = min(start, m.open)
                # keep a closing mark that ends the clause inside the quote's text
                if end < len(text) and _close_mark(text, end):
                    end += _close_mark(text, end)
                elif text[end:end + 1] in {".", ",", "?", "!"} and end + 1 < len(text) and _close_mark(text, end + 1):
                    end += 1 + _close_mark(text, end + 1)
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
        last = _closing_marks(text, start, end)
        return any(f.start < end and start < f.end and not (start <= f.start and f.end <= last)
                   for f in quoted_found)
    for tok in doc:
        if tok.i in used_cues or in_marks[tok.idx]:
            continue
        if scorer is None:
            if not _is_cue(tok, lex):
                continue
        elif scorer.probability(tok) < (scorer.cut * _BUILTIN_CUT if _is_builtin_cue(tok) else scorer.cut):
            continue
        if statements_only and tok.lemma_.lower() in MENTAL_VERBS:
            continue
        ruled = _reported_content(tok, lex)
        spans = [ruled] if ruled is not None else []
        if options:
            # a relation scorer picks among every complement of the cue what it reports
            spans += [o for o in _complement_options(tok) if o != ruled]
        elif ruled is None and scorer is not None:
            spans = [o for o in [_learned_content(tok, _GENERIC_COMPLEMENTS)] if o is not None]
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
            end = _closing_marks(text, start, end)
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
        speaker = _np_span(owner) if owner is not None else att._by_agent(tok)
        if speaker is None:
            continue
        s, e = _content_span(clause)
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
            speaker = _np_span(owner) if owner is not None else att._by_agent(tok)
            if speaker is None:
                continue
            for s, e in _noun_options(tok):
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
            speaker = _np_span(pobj)
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
            found.append(Found(start, end, "indirect", tok, speaker, ()))
    return found


def _attribute(att: Attributor, found: list[Found], date_for: Callable[[int], TimeExpression | None] | None,
               id_prefix: str) -> Iterator[Quote]:
    doc = att.doc
    text = doc.text
    # one named speaker per paragraph settles "he said" in the same paragraph
    named_in_para: dict[int, set[str]] = {}
    for f in found:
        if f.speaker is not None and f.speaker.root.lower_ not in PRONOUN_GENDER:
            eid = att.index.entity_in(f.speaker.start_char, f.speaker.end_char)
            if eid and att.index.by_id[eid].type == "PERSON" and f.speaker.root.pos_ == "PROPN":
                named_in_para.setdefault(att.para_of(f.start), set()).add(eid)
    last: str | None = None
    last_text = ""
    prev: tuple[str | None, str, int | None, int | None] | None = None
    genders: dict[str, str] = {}
    n = 0
    for f in found:
        para = att.para_of(f.start)
        named = named_in_para.get(para, set())
        para_named = next(iter(named)) if len(named) == 1 else None
        if f.speaker is None:
            if prev is not None:  # a quote with no cue continues the previous speaker
                eid, speaker_text, s_start, s_end = prev
            else:
                eid, speaker_text, s_start, s_end = last, last_text if last else "", None, None
        else:
            eid = att.resolve(f.speaker, para_named=para_named, last=last, genders=genders)
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
        )
        if eid is not None and att.index.by_id[eid].type in {"PERSON", "ORG"}:
            last = eid
            last_text = att.index.by_id[eid].name
        if f.speaker is not None or speaker_text:
            prev = (eid, speaker_text, s_start, s_end)


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
            out[i] = replace(q, speaker_entity_id=named.pop())
    return tuple(out)
