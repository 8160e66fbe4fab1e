"""A learned attribution-cue scorer: is this word, in this sentence, introducing what someone
said, thought or meant?

The model is a logistic regression over features of a token and its dependency
neighbourhood (lemma, the shape of its subject, its complement clauses, ...). Its weights
are produced by ``storyline train attribution`` from annotated data the user supplies and
are stored as plain JSON beside the learned cue lexicon; scoring is a sum of weights, so
analysis needs no machine-learning library. storyline ships no weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from spacy.tokens import Token

CANDIDATE_POS = frozenset({"VERB", "AUX", "NOUN"})
_PERSONAL = frozenset({"i", "we", "you", "he", "she", "they", "who"})
_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj"})
# where a fine-tuned cue encoder (storyline.extract.encoder) leaves its probabilities on a Doc
ENCODER_SCORES = "storyline.cue_encoder"


def _subject_shape(tok: Token) -> str:
    """A coarse kind for a subject: a person's name, an organisation, a pronoun, a noun lemma."""
    if tok.lower_ in _PERSONAL:
        return "pron_person"
    if tok.pos_ == "PRON":
        return "pron_other"
    if tok.ent_type_:
        return f"ent_{tok.ent_type_}"
    return f"lemma_{tok.lemma_.lower()}"


def is_candidate(tok: Token) -> bool:
    return tok.pos_ in CANDIDATE_POS and tok.is_alpha


def cue_features(tok: Token, quoted: bool = False) -> list[str]:
    """The feature strings of one candidate token (``quoted``: the token sits inside quotation marks)."""
    lemma = tok.lemma_.lower()
    feats = [f"lemma={lemma}", f"pos={tok.pos_}", f"tag={tok.tag_}", f"dep={tok.dep_}",
             f"lemma_dep={lemma}|{tok.dep_}", f"head_lemma={tok.head.lemma_.lower()}",
             f"head_dep={tok.dep_}|{tok.head.pos_}"]
    feats.append(f"word={tok.lower_}")
    if tok.head is not tok:
        feats.append(f"head2={tok.head.head.lemma_.lower()}|{tok.head.dep_}")
    if quoted:
        feats.append("quoted")
        feats.append(f"quoted_lemma={lemma}")
    kids = list(tok.children)
    deps = sorted({c.dep_ for c in kids})
    for d in deps:
        feats.append(f"child={d}")
        feats.append(f"lemma_child={lemma}|{d}")
    if not any(d in _SUBJ for d in deps):
        feats.append("no_subject")
    for c in kids:
        if c.dep_ in _SUBJ or c.dep_ == "poss":
            shape = _subject_shape(c)
            feats.append(f"subj={shape}" if not shape.startswith("lemma_") else "subj=noun")
            feats.append(f"subj_shape={shape}")
            feats.append(f"lemma_subj={lemma}|{shape.split('_')[0]}")
        elif c.dep_ == "agent":
            feats.append("agent")
        elif c.dep_ in {"ccomp", "acl", "advcl", "xcomp"}:
            marks = [g.lower_ for g in c.children if g.dep_ == "mark"]
            feats.append(f"clause={c.dep_}|{marks[0] if marks else '-'}")
            if any(g.dep_ in _SUBJ for g in c.children):
                feats.append(f"clause_subj={c.dep_}")
        elif c.dep_ == "prep":
            feats.append(f"prep={c.lower_}")
            feats.append(f"lemma_prep={lemma}|{c.lower_}")
        elif c.dep_ in {"prt", "acomp", "attr", "oprd"}:
            feats.append(f"lemma_{c.dep_}={lemma}|{c.lemma_.lower()}")
        elif c.dep_ == "dobj":
            feats.append(f"dobj={_subject_shape(c) if c.pos_ != 'NOUN' else 'noun'}")
    if tok.i + 1 < len(tok.doc):
        nxt = tok.doc[tok.i + 1]
        feats.append(f"next={nxt.lower_ if nxt.is_punct or nxt.pos_ in {'ADP', 'SCONJ'} else nxt.pos_}")
    if tok.i > 0:
        prev = tok.doc[tok.i - 1]
        feats.append(f"prev={prev.lower_ if prev.is_punct or prev.pos_ in {'ADP', 'AUX', 'PART'} else prev.pos_}")
    tense = tok.morph.get("Tense", [])
    if tense:
        feats.append(f"tense={tense[0]}")
    encoded = tok.doc.user_data.get(ENCODER_SCORES)
    if encoded is not None:
        # the encoder's probability, in twentieths: the scorer learns how far to trust it
        feats.append(f"encoder={min(19, int(encoded.get(tok.i, 0.0) * 20))}")
    return feats


@dataclass(frozen=True, slots=True)
class CueModel:
    """Weights of the cue scorer and the probability above which a token counts as a cue."""

    weights: Mapping[str, float]
    bias: float
    threshold: float = 0.5
    # the relation scorer: keeps or drops a found (cue, speaker, content) triple
    relation_weights: Mapping[str, float] = field(default_factory=dict)
    relation_bias: float = 0.0
    relation_threshold: float = 0.5
    propose: float | None = None  # the cue cut-off when a relation scorer checks what it proposes
    # a cue at least this likely keeps its best attribution when the relation scorer gives that
    # at least ``keep_floor`` (below its own cut-off): a sure cue is rarely about nothing
    keep: float | None = None
    keep_floor: float = 0.0
    # an attribution inside another one's content is dropped as part of it ("X said Y claimed Z"
    # is X's statement) unless the relation scorer gives it at least this: PolNeAR annotates the
    # nested one too
    nested_keep: float | None = None

    def probability(self, tok: Token, quoted: bool = False) -> float:
        if not is_candidate(tok):
            return 0.0
        return _sigmoid(self.bias + sum(self.weights.get(f, 0.0) for f in cue_features(tok, quoted)))

    @property
    def cut(self) -> float:
        return self.propose if self.propose is not None and self.relation_weights else self.threshold

    def is_cue(self, tok: Token, quoted: bool = False) -> bool:
        return self.probability(tok, quoted) >= self.cut

    def relation_probability(self, feats: list[str]) -> float:
        return _sigmoid(self.relation_bias + sum(self.relation_weights.get(f, 0.0) for f in feats))

    def relation_cut(self, cue: Token) -> float:
        """The relation probability an attribution built on ``cue`` needs to be kept."""
        if self.keep is not None and self.probability(cue) >= self.keep:
            return min(self.relation_threshold, self.keep_floor)
        return self.relation_threshold


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
