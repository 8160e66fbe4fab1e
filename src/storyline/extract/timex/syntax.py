"""The syntax time expressions lean on: the verb governing a span, and its tense.

Tense decides which way a bare weekday or month points: the governing verb is found by walking up
the dependency parse. Past ("said", "had met") points back, future ("will", modals, "is going
to", "is due to") ahead.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

# Tense cues.
# ("slat": the lemmatiser's lemma of "slated")
_FUTURE_HEADS = frozenset({"go", "due", "set", "expect", "schedule", "plan", "intend", "aim", "poise",
                           "slate", "slat", "prepare", "promise", "pledge", "vow", "threaten", "hope", "likely",
                           "unlikely"})  # fmt: skip
PAST, FUTURE, _PRESENT = "past", "future", "present"


def governing_verb(token: Token) -> Token | None:
    """The first verb (or copula) up ``token``'s head chain, staying in its sentence."""
    current = token
    for _ in range(12):
        if current.head == current:  # the root (spaCy makes a new Token object on each access: no `is`)
            return None
        current = current.head
        if _is_verb(current):
            return current
    return None


def event_verb(span: Span) -> Token | None:
    """The verb whose event a time expression dates.

    Like :func:`governing_verb`, except that in "said on Tuesday he had ..." a
    timex between a verb and its clausal complement's subject goes with the
    outer verb, which the small parser often gets wrong.
    """
    verb = governing_verb(span.root)
    if verb is not None and verb.dep_ == "ccomp" and verb.head.i < span.start:
        subjects = [c for c in verb.children if c.dep_.startswith("nsubj")]
        if subjects and all(s.left_edge.i >= span.end for s in subjects):
            return verb.head
    return verb


def sentence_of(doc: Doc, token_i: int) -> Span:
    """The sentence holding token ``token_i``.

    Scans the sentence-start flags around the token: ``Token.sent`` walks every
    sentence of the document on each call, which is slow when called per timex.
    """
    start = token_i
    while start > 0 and not doc[start].is_sent_start:
        start -= 1
    end = token_i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[start:end]


def _is_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or token.tag_ == "MD"


# Verbs of arranging: what "was scheduled for" or "was set for" a day is still to come.
_ARRANGED = frozenset({"schedule", "set", "slate", "slat", "plan"})
# Present-tense verbs that report, or hold a state, rather than name a scheduled event.
_NOT_SCHEDULED = frozenset({
    "say", "tell", "add", "note", "write", "report", "state", "claim", "argue", "insist", "explain", "admit",
    "acknowledge", "confirm", "deny", "describe", "call", "show", "suggest", "indicate", "estimate", "be",
    "have", "seem", "appear", "remain", "know", "want", "need", "believe", "think", "feel", "like", "include",
    "contain", "mean", "cost", "own", "exist", "live", "work", "continue", "keep", "stand", "lie", "sit",
    "get", "make", "do", "see", "look", "face", "hold", "run", "rise", "fall", "trade", "sell", "buy", "pay",
    "follow", "precede", "mark", "reflect", "represent", "involve", "concern", "date", "come", "go",
})  # fmt: skip


# "it’s", "they’re": with a curly apostrophe the lemmatiser misses "be" and "have".
_CONTRACTED = frozenset({"'s", "'re", "'m", "'ve"})


def _scheduled(verb: Token, auxes: list[Token]) -> bool:
    """A present simple or progressive event verb: news uses it for a scheduled event."""
    if verb.lemma_.lower() in _NOT_SCHEDULED or verb.lower_.replace("’", "'") in _CONTRACTED or any(
            c.dep_ == "neg" for c in verb.children):
        return False
    if verb.tag_ == "VBG":  # "are marching": progressive, with a present "be"
        return any(a.lemma_.lower() == "be" and a.tag_ in ("VBZ", "VBP") for a in auxes)
    if verb.tag_ == "VBP" and any(c.dep_.startswith("nsubj") and c.tag_ in ("NN", "NNP") for c in verb.children):
        return False  # "Weakness hurt ...": a past form the tagger read as present
    return not auxes


_CLAUSES = frozenset({"advcl", "ccomp", "xcomp", "conj", "relcl"})


# Verbs that ask someone else to do something: the asked-for act is neither told as done nor
# scheduled ("asked the leaders to return on Friday" may lie just ahead of a past request).
_REQUESTING = frozenset({"ask", "urge", "invite", "call", "press", "push", "encourage", "order", "instruct",
                         "direct", "summon", "request", "implore", "beg", "challenge", "dare", "tell"})  # fmt: skip


def _asks_someone(verb: Token) -> bool:
    """A verb of asking with its own object before the infinitive ("asked the leaders to return")."""
    lemma = verb.lemma_.lower()
    return (lemma in _REQUESTING and any(c.dep_ in ("dobj", "dative") for c in verb.children)) or (
        lemma == "call" and any(c.lower_ in ("on", "for") and c.dep_ in ("prep", "prt") for c in verb.children))


def _up_for(verb: Token) -> bool:
    """ "is up for re-election in November", "to protect senators up for re-election in November": what
    someone or something is up for lies ahead, unless told in the past ("was up for", "came up for")."""
    if verb.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and c.tag_ == "VBD" for c in verb.children):
        return False
    doc = verb.doc
    return any(c.lower_ == "up" and c.i + 1 < len(doc) and doc[c.i + 1].lower_ == "for" for c in verb.children)


# Verbs of getting ready for an event, whose "for" phrase names something near ahead or just past.
_READYING = frozenset({"prepare", "brace", "gear", "ready"})


def _through_for(span: Span, verb: Token) -> bool:
    """Whether ``span`` hangs on ``verb`` through a "for" phrase ("prepared for a march on Saturday")."""
    current = span.root
    for _ in range(8):
        head = current.head
        if head == current or head == verb:
            return current.dep_ == "prep" and current.lower_ == "for"
        current = head
    return False


def looks_back(span: Span) -> bool:
    """ "since January", "dates back to March": a time the words themselves put in the past."""
    root = span.root
    if root.dep_ != "pobj":
        return False
    prep = root.head
    if prep.lower_ == "as" and prep.head.lower_ == "recently":
        return True  # "as recently as February"
    return prep.lower_ == "since" or (prep.lower_ == "to" and prep.head.lower_ == "back") or (
        prep.lower_ == "to" and any(c.lower_ == "back" for c in prep.head.children))


def dates_a_past_verb(span: Span) -> bool:
    """Whether ``span`` is an adverbial of a simple past verb ("began in January", "left Tuesday"),
    not of a noun or infinitive under it ("told them of a cutback in September")."""
    root = span.root
    if root.head.lower_ in ("until", "till", "by", "through", "before"):
        return False  # "gave them until mid-November": a limit, which may lie ahead
    head = root.head.head if root.dep_ == "pobj" and root.head.dep_ == "prep" else (
        root.head if root.dep_ in ("npadvmod", "advmod") else None)
    return head is not None and head.tag_ == "VBD" and not any(
        c.dep_ in ("aux", "auxpass") for c in head.children)


def _simple_past(verb: Token | None) -> bool:
    """A verb in the simple past, active or passive ("cancelled", "was cancelled")."""
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and any(a.tag_ == "VBD" for a in auxes)
                                  and not any(a.lemma_.lower() == "have" for a in auxes))


def _past_progressive(verb: Token, auxes: list[Token]) -> bool:
    """ "was preparing", "were planning": a progressive with a past "be"."""
    return verb.tag_ == "VBG" and any(a.lemma_.lower() == "be" and a.tag_ == "VBD" for a in auxes)


def _has_infinitive(verb: Token) -> bool:
    """Whether a "to" infinitive hangs on ``verb`` ("is going to vote")."""
    return any(c.dep_ in ("xcomp", "advcl") and _is_infinitive(c) for c in verb.children)


def _is_infinitive(verb: Token) -> bool:
    return any(a.lower_ == "to" and a.dep_ == "aux" for a in verb.children)


def tense_of(span: Span) -> str | None:
    """Past, future or present for the verb governing ``span``; None when no verb governs it."""
    if looks_back(span):
        return PAST
    verb = event_verb(span)
    if verb is not None:
        # "running to face him in November": the parser hangs a date that follows an infinitive
        # of aim on the verb before it; the date goes with the infinitive
        verb = next((c for c in verb.children if c.dep_ in ("xcomp", "advcl") and c.i < span.start
                     and _is_infinitive(c)), verb)
        # "comes after the ministry, in a Friday statement, released ...": a date the parser hangs
        # on the main verb from inside a clause of it belongs to that clause
        verb = next((c for c in verb.children if c.dep_ in _CLAUSES and _is_verb(c)
                     and c.left_edge.i < span.start and span.end <= c.right_edge.i), verb)
    seen = 0
    aim = False  # passed through a "to" infinitive: an aim, still to come unless its head is past
    participle = False  # climbed from a participle clause to the clause it sits in
    # a date naming a thing ("under a June agreement") is not when the aim is to happen
    modifier = span.root.dep_ in ("compound", "poss", "nmod", "amod")
    if verb is not None and verb.lemma_.lower() in _READYING and _through_for(span, verb):
        return None  # "prepared for a march on Saturday": the event readied for is near, either way
    while verb is not None and seen < 6:
        seen += 1
        if any(c.dep_ == "mark" and c.lower_ == "since" for c in verb.children) or (
                verb.dep_ == "pcomp" and verb.head.lower_ == "since"):
            return PAST  # "since being named Saturday", "since he left in January"
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        # The small parser sometimes hangs an inverted modal on the subject ("should Lind win").
        auxes += [g for c in verb.children if c.dep_.startswith("nsubj") for g in c.children if g.tag_ == "MD"]
        lemmas = {a.lemma_.lower() for a in auxes}
        if any(a.tag_ == "MD" for a in auxes):
            if "have" in lemmas and verb.tag_ == "VBN":
                # "the Wednesday hearing would have been her first": what did not happen may have lain
                # ahead; "could have left on Monday" is a past that may have been
                return None if "would" in {a.lower_ for a in auxes} else PAST
            if "could" in {a.lower_ for a in auxes} and any(c.dep_ == "neg" for c in verb.children):
                return PAST  # "could not be reached for comment Tuesday"
            return FUTURE
        if verb.lemma_.lower() in _FUTURE_HEADS and verb.tag_ in ("VBN", "VBG", "VBZ", "VBP") and (
                verb.lemma_.lower() != "go" or _has_infinitive(verb)):  # "how it was going in July": no future
            if _past_progressive(verb, auxes):
                return None  # "was preparing to vote on Tuesday": ahead of a past time, the nearest day
            if verb.tag_ != "VBN" or any(a.tag_ in ("VBZ", "VBP") for a in auxes):
                return FUTURE
            if verb.lemma_.lower() in _ARRANGED and (any(a.dep_ == "auxpass" for a in auxes) or (
                    not auxes and verb.dep_ != "ROOT" and span.root.head.lower_ == "for"
                    and not _simple_past(governing_verb(verb)))):
                # "a hearing was scheduled for Wednesday", "a rally set for Wednesday has been put off":
                # what was arranged lies ahead (but "a service planned for Saturday was cancelled" and
                # "a record set on Aug. 6" are told as past)
                return FUTURE
        if any(c.dep_ == "acomp" and c.lemma_.lower() in _FUTURE_HEADS for c in verb.children):
            return FUTURE  # "is due next week"
        if _up_for(verb):
            return FUTURE  # "is up for re-election in November"
        if "to" in lemmas and verb.dep_ in ("xcomp", "advcl", "acl", "ccomp"):
            head = verb.head
            if head.lemma_.lower() in _FUTURE_HEADS and (head.lemma_.lower() != "go" or head.tag_ == "VBG"):
                if _past_progressive(head, [c for c in head.children if c.dep_ in ("aux", "auxpass")]):
                    return None  # "the union was preparing to strike on Friday": the nearest Friday
                return FUTURE  # "is going to speak", "was due to meet" (but "went on to win")
            if verb.dep_ in ("acl", "relcl") and head.pos_ == "NOUN" and not any(
                    c.lower_ in ("first", "last", "only") or c.tag_ == "JJS" for c in head.children):
                return FUTURE  # "an interview to air Tuesday" (but "the first woman to cross in May")
            if verb.head.lemma_.lower() == "be" and verb.head.tag_ in ("VBZ", "VBP"):
                return FUTURE  # "is to resume trading Tuesday"
            if (verb.dep_ == "xcomp" and _asks_someone(head)) or (head.lemma_.lower() in _REQUESTING and any(
                    c.dep_ == "mark" and c.lower_ == "for" for c in verb.children)):  # "called for X to cancel"
                return None  # "asked the leaders to return on Friday": the nearest such day, either way
            if verb.tag_ == "VBN" and verb.dep_ == "advcl" and any(a.dep_ == "auxpass" for a in auxes):
                return None  # "an interview, to be shown on Tuesday, ...": still to come then, the nearest day
            aim = aim or (verb.dep_ in ("xcomp", "advcl") and not modifier)
            verb = governing_verb(verb)
            continue
        if verb.lemma_.lower() in _ARRANGED and verb.tag_ == "VBD" and _through_for(span, verb) and any(
                c.dep_ == "dobj" for c in verb.children):
            return FUTURE  # "the judge set the sentencing for June 28": what is arranged lies ahead
        if any(a.tag_ == "VBD" for a in auxes) or "have" in lemmas:
            return PAST
        if verb.tag_ == "VBD":
            return PAST
        if verb.tag_ == "VBN":
            return _PRESENT if auxes else PAST
        if verb.tag_ in ("VBZ", "VBP", "VBG") and not participle and not modifier and _scheduled(verb, auxes):
            # (a date naming a thing is no schedule: "are challenging what she said in Wednesday's testimony")
            return FUTURE  # "the trial begins on Monday", "protesters are marching on Saturday"
        if verb.tag_ == "VBG" and not auxes and (verb.dep_ in ("advcl", "acl", "pcomp")
                                                  or aim and verb.dep_ != "ROOT"):
            # "Beginning in August, officials held talks", "candidates running to face him in
            # November", "stopped short of calling on him to resign": a participle or gerund takes
            # the time of the clause it sits in ("opposes it, suggesting in February that ..." is
            # no schedule: the clause's present is a state)
            # ("other than lashing out on Saturday" under "has kept": a gerund after a preposition too)
            participle = participle or verb.dep_ in ("advcl", "acl", "pcomp")
            verb = governing_verb(verb)
            continue
        if verb.tag_ in ("VBZ", "VBP", "VBG"):
            # "wants to visit in May", "is running to face him in November": an aim from now on
            return FUTURE if aim else _PRESENT
        if verb.dep_ == "conj" and _is_verb(verb.head):
            verb = verb.head
            continue
        return None
    return None
