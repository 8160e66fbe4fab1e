"""Scoring: with a trained lexicon, the relation scorer picks and checks what each cue reports."""

from __future__ import annotations

from collections.abc import Callable

from ..cue_model import CueModel
from .content import SUBJ_DEPS
from .found import Found


def best_per_cue(found: list[Found], scorer: CueModel) -> list[Found]:
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


def sure_of(scorer: CueModel) -> Callable[[Found], bool]:
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
                  f"cont_subj={any(c.dep_ in SUBJ_DEPS for c in croot.children)}",
                  f"cont_sents={len({t.sent.start for t in (content[0], content[-1])})}"]
    return feats
