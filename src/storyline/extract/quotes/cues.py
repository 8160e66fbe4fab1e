"""Cues: the verbs and nouns that introduce an attribution, built in or learned from data."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from ..cue_model import CueModel

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
SPEECH_CORE = frozenset({"say", "tell", "add", "insist", "claim", "argue", "state", "write", "warn"})
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
PREP_CONTENT = {
    "speak": {"about", "of", "on"}, "talk": {"about", "of"}, "refer": {"to"}, "point": {"to"},
    "comment": {"on"}, "weigh": {"on"}, "apologize": {"for"}, "apologise": {"for"}, "complain": {"about"},
    "warn": {"about", "of", "against"}, "rail": {"against"}, "testify": {"about", "on"},
}


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
BUILTIN_CUT = 0.3


def is_builtin_cue(tok: Token) -> bool:
    """A verb of the built-in reporting or belief lists (no lexicon, no scorer)."""
    return tok.pos_ in {"VERB", "AUX"} and (tok.lemma_.lower() in CUE_VERBS or tok.lemma_.lower() in BELIEF_VERBS)


def is_cue(tok: Token, lex: CueLexicon | None = None, *, strict: bool = False) -> bool:
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
