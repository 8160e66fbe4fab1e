"""``storyline eval attribution``: storyline's quote attribution scored on PolNeAR-style data.

Layout: ``DIR/text/NAME.txt`` and ``DIR/attributions/NAME_XXXX.ann`` (brat standoff:
T lines typed Source / Cue / Content with character offsets, E lines
``Attribution:Tn Source:Tn Cue:Tn Content:Tn``). Gold for a text is its first
``.ann`` file in sorted order.

Metrics, micro-averaged over the directory:

* per role (Source, Cue, Content): precision, recall and F1 under *exact* span match
  (one-to-one) and under *overlap* match (a predicted span overlaps a gold span of
  the same role by at least one token);
* relation F1: a predicted attribution is correct when its Content overlaps a gold
  relation's Content and its Source overlaps that same relation's Source.

The corpus is read and written by ``storyline.corpora.polnear`` (which ``storyline.learn`` shares);
storyline's quotes are mapped to PolNeAR's span conventions here (see :func:`to_relation`):
a direct quote's Content keeps its quotation marks, reported speech keeps its
"that", a cue keeps its auxiliaries ("has said").
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from ..corpora.polnear import (
    ROLES,
    Document,
    Relation,
    Span,
    merge_spans,
    paragraphs_of,
    read_polnear,
    relative_pronoun,
    spans_overlap,
    write_ann,
)
from ..models import Article, CleanArticle, Quote

_OPEN = "“\"«"
_CLOSE = "”\"»"


# ------------------------------------------------------------------------------------- predicting


def _expand_cue(doc: Doc, q: Quote) -> Span | None:
    if q.cue_start is None or q.cue_end is None:
        return None
    span = doc.char_span(q.cue_start, q.cue_end, alignment_mode="expand")
    if span is None:
        return (q.cue_start, q.cue_end)
    tok = span.root
    if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
        return (tok.idx, doc[tok.i + 1].idx + len(doc[tok.i + 1]))
    start = tok.i
    # auxiliaries and negation directly before the verb belong to the cue ("has said", "did not say")
    while start - 1 >= 0 and doc[start - 1].head == tok and doc[start - 1].dep_ in {"aux", "auxpass", "neg"}:
        start -= 1
    return (doc[start].idx, tok.idx + len(tok))


def _expand_content(text: str, q: Quote) -> Span:
    start, end = q.start, q.end
    if q.kind == "direct":
        if start > 0 and text[start - 1] in _OPEN:
            start -= 1
        j = end
        while j < len(text) and text[j] in ",.?! " and j - end < 3 and text[j] not in _CLOSE:
            j += 1
        if j < len(text) and text[j] in _CLOSE:
            end = j + 1
    else:
        m = re.search(r"\bthat\s+$", text[max(0, start - 6):start])
        if m:
            start = max(0, start - 6) + m.start()
    return (start, end)


def to_relation(doc: Doc, q: Quote) -> Relation:
    """A storyline quote as a PolNeAR-style relation (spans in the document's text)."""
    rel = Relation()
    rel.spans["Content"].append(_expand_content(doc.text, q))
    cue = _expand_cue(doc, q)
    if cue is not None:
        rel.spans["Cue"].append(cue)
    if q.speaker_start is not None and q.speaker_end is not None:
        pronoun = relative_pronoun(doc, q.cue_start, q.speaker_start, q.speaker_end)
        s, e = pronoun if pronoun is not None else _expand_source(doc, q.speaker_start, q.speaker_end)
        while e > s and doc.text[e - 1].isspace():
            e -= 1
        rel.spans["Source"].append((s, e))
    return rel


def _expand_source(doc: Doc, start: int, end: int) -> Span:
    """PolNeAR's Source is the whole noun phrase, appositions and modifiers included."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return (start, end)
    root = span.root
    if root.dep_ not in {"nsubj", "nsubjpass", "pobj"} or root.lower_ in {"who", "which", "that"}:
        return (start, end)
    lo, hi = root.left_edge.i, root.right_edge.i + 1
    if lo > span.start or hi < span.end:
        return (start, end)
    while hi - 1 > lo and (doc[hi - 1].is_space or doc[hi - 1].is_punct and doc[hi - 1].text not in ",)"):
        hi -= 1
    while lo < hi and (doc[lo].is_space or doc[lo].is_punct):
        lo += 1
    s, e = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1])
    text = doc.text
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, closing_comma(text, s, e))


def closing_comma(text: str, start: int, end: int) -> int:
    """Where a Source phrase ends, by PolNeAR's habit: an apposition's closing comma belongs to
    it ("Ana Lind, the mayor,"), a plain phrase's does not ("Ana Lind, speaking ...")."""
    if "," in text[start:end].rstrip(","):
        return end + 1 if text[end:end + 1] == "," else end
    return end - 1 if text[start:end].endswith(",") else end


def merge_turns(text: str, items: Sequence[tuple[Quote, Relation]]) -> list[Relation]:
    """One relation per speaker turn, as PolNeAR annotates: a quote that continues the
    previous one (no cue of its own, same paragraph) joins its Content."""
    out: list[Relation] = []
    prev: Quote | None = None
    for q, rel in items:
        if out and prev is not None and q.cue_start is None and q.speaker_entity_id == prev.speaker_entity_id \
                and "\n" not in text[prev.end:q.start]:
            last = out[-1]
            s0, _ = merge_spans(last.role("Content"))[0]
            _, e1 = merge_spans(rel.role("Content"))[0]
            last.spans["Content"] = [(s0, e1)]
        else:
            out.append(rel)
        prev = q
    return out


def predict(docs: Sequence[Document], *, model: str = "auto",
            cue_lexicon: str = "") -> tuple[list[list[Relation]], float]:
    """storyline's relations for each document, and the documents/second of the analysis."""
    from ..analyze import analyze_doc
    from ..nlp import load_pipeline

    nlp = load_pipeline(model)
    lexicon = None
    if cue_lexicon:
        from ..learn import load_cue_lexicon

        lexicon = load_cue_lexicon(cue_lexicon)
    out: list[list[Relation]] = []
    t0 = time.perf_counter()
    for d, parsed in zip(docs, nlp.pipe([d.text for d in docs], batch_size=16), strict=True):
        article = CleanArticle(Article(d.name, d.text, d.name), d.text, paragraphs_of(d.text))
        # PolNeAR annotates thoughts and intentions too, so every attribution is scored
        analysis = analyze_doc(parsed, article, lexicon=lexicon, statements_only=False)
        out.append(merge_turns(d.text, [(q, to_relation(parsed, q)) for q in analysis.quotes]))
    elapsed = time.perf_counter() - t0
    return out, (len(docs) / elapsed if elapsed else 0.0)


def predict_textacy(docs: Sequence[Document], *, model: str = "auto") -> tuple[list[list[Relation]], float]:
    """textacy's ``direct_quotations`` with the same spaCy pipeline (peer for comparison)."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:  # pragma: no cover - depends on the optional peer
        raise RuntimeError(f"textacy is not installed ({exc}); install it with 'pip install textacy'") from None
    from ..nlp import load_pipeline

    nlp = load_pipeline(model)
    out: list[list[Relation]] = []
    t0 = time.perf_counter()
    refused = 0
    for parsed in nlp.pipe([d.text for d in docs], batch_size=16):
        rels = []
        try:
            triples = list(direct_quotations(parsed))
        except ValueError:
            # textacy gives up on a text with an odd number of quotation marks
            refused += 1
            triples = []
        for triple in triples:
            rel = Relation()
            content = triple.content
            rel.spans["Content"].append((content[0].idx, content[-1].idx + len(content[-1])))
            if triple.cue:
                rel.spans["Cue"].append((triple.cue[0].idx, triple.cue[-1].idx + len(triple.cue[-1])))
            if triple.speaker:
                rel.spans["Source"].append((triple.speaker[0].idx,
                                            triple.speaker[-1].idx + len(triple.speaker[-1])))
            rels.append(rel)
        out.append(rels)
    elapsed = time.perf_counter() - t0
    predict_textacy.refused = refused  # type: ignore[attr-defined]
    return out, (len(docs) / elapsed if elapsed else 0.0)


# ---------------------------------------------------------------------------------------- scoring


def _prf(tp_p: int, n_p: int, tp_r: int, n_g: int) -> dict[str, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_g if n_g else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


@dataclass(slots=True)
class _Counts:
    n_pred: int = 0
    n_gold: int = 0
    exact: int = 0
    overlap_p: int = 0
    overlap_r: int = 0


def score(docs: Sequence[Document], predictions: Sequence[Sequence[Relation]]) -> dict[str, Any]:
    """Role and relation metrics (micro-averaged) for predictions aligned with ``docs``."""
    counts = {r: _Counts() for r in ROLES}
    rel_pred = rel_gold = rel_correct = rel_found = 0
    for doc, preds in zip(docs, predictions, strict=True):
        text = doc.text
        for role in ROLES:
            gold = [s for rel in doc.gold for s in merge_spans(rel.role(role))]
            pred = [s for rel in preds for s in merge_spans(rel.role(role))]
            c = counts[role]
            c.n_pred += len(pred)
            c.n_gold += len(gold)
            c.exact += len(set(gold) & set(pred))
            c.overlap_p += sum(1 for p in pred if any(spans_overlap(text, p, g) for g in gold))
            c.overlap_r += sum(1 for g in gold if any(spans_overlap(text, p, g) for p in pred))
        rel_pred += len(preds)
        rel_gold += len(doc.gold)
        matched: set[int] = set()
        for p in preds:
            hit = False
            for gi, g in enumerate(doc.gold):
                if _rel_match(text, p, g):
                    hit = True
                    matched.add(gi)
            rel_correct += hit
        rel_found += len(matched)
    out: dict[str, Any] = {}
    for role, c in counts.items():
        out[role] = {
            "exact": _prf(c.exact, c.n_pred, c.exact, c.n_gold),
            "overlap": _prf(c.overlap_p, c.n_pred, c.overlap_r, c.n_gold),
            "predicted": c.n_pred,
            "gold": c.n_gold,
        }
    out["relation"] = _prf(rel_correct, rel_pred, rel_found, rel_gold) | {"predicted": rel_pred, "gold": rel_gold}
    return out


def _rel_match(text: str, p: Relation, g: Relation) -> bool:
    pc, gc = merge_spans(p.role("Content")), merge_spans(g.role("Content"))
    ps, gs = merge_spans(p.role("Source")), merge_spans(g.role("Source"))
    if not (pc and gc and spans_overlap(text, pc[0], gc[0])):
        return False
    return bool(ps and gs and spans_overlap(text, ps[0], gs[0]))


# ---------------------------------------------------------------------------------------- command


def evaluate_attribution(directory: str | Path, *, out: str | Path | None = None, peer: str | None = None,
                         limit: int | None = None, model: str = "auto", cue_lexicon: str = "") -> dict[str, Any]:
    """Score storyline (and optionally a peer) on a PolNeAR-layout directory."""
    docs = list(read_polnear(directory, limit=limit))
    if not docs:
        raise FileNotFoundError(f"{directory}: no text with an .ann file")
    preds, speed = predict(docs, model=model, cue_lexicon=cue_lexicon)
    result: dict[str, Any] = {"data": str(directory), "documents": len(docs), "cue_lexicon": cue_lexicon or None,
                              "storyline": score(docs, preds) | {"documents_per_second": round(speed, 2)}}
    if out is not None:
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        for d, rels in zip(docs, preds, strict=True):
            write_ann(out_dir / f"{d.name}.ann", d.text, rels)
    if peer:
        if peer != "textacy":
            raise ValueError(f"unknown peer {peer!r}; valid peers: textacy")
        peer_preds, peer_speed = predict_textacy(docs, model=model)
        result["textacy"] = score(docs, peer_preds) | {
            "documents_per_second": round(peer_speed, 2),
            "documents_refused": getattr(predict_textacy, "refused", 0)}
    return result


def main_json(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2)
