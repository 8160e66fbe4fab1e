"""Learning attribution cues from annotated data the user supplies.

``storyline train attribution --polnear DIR --out cues.json`` counts, over a PolNeAR-layout
folder, how often each verb and noun heads an annotated Cue and which dependency of that
cue holds the Content. Lemmas that head cues often enough join storyline's built-in
reporting-verb lexicon at analysis time (``--cue-lexicon cues.json``). storyline ships no
such file: the weights come only from data the user has the right to use.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .extract.cue_model import CueModel, cue_features, is_candidate
from .extract.quotes import CueLexicon

SCHEMA = "storyline.cue-lexicon/1"
_COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "attr", "oprd", "advcl", "parataxis", "acl"}


def _extent(doc: Any, spans: list[tuple[int, int]]) -> Any:
    """The tokens from the first to the last fragment of a (possibly discontinuous) annotation."""
    return doc.char_span(min(a for a, _ in spans), max(b for _, b in spans), alignment_mode="expand")


def train_cue_lexicon(directory: str | Path, *, model: str = "auto", min_count: int = 3,
                      min_ratio: float = 0.3, limit: int | None = None, scorer: bool = True) -> dict[str, Any]:
    """Count cue heads and their content dependencies over a PolNeAR-layout folder, and
    (``scorer``) fit the cue scorer of :mod:`storyline.extract.cue_model`."""
    from .evaluation.attribution import read_polnear
    from .nlp import load_pipeline

    nlp = load_pipeline(model)
    docs = list(read_polnear(directory, limit=limit))
    if not docs:
        raise ConfigError(f"{directory}: no annotated texts to learn from")
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=16))
    lexicon = learn_lexicon(docs, parsed, min_count=min_count, min_ratio=min_ratio)
    lexicon["trained_on"] = str(directory)
    if scorer:
        lexicon["scorer"] = fit_cue_scorer(docs, parsed)
    return lexicon


def learn_lexicon(docs: Sequence[Any], parsed: Sequence[Any], *, min_count: int = 3,
                  min_ratio: float = 0.3) -> dict[str, Any]:
    """The cue lemmas and their content dependencies, counted over parsed annotated texts."""
    as_cue: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    deps: dict[str, Counter[str]] = defaultdict(Counter)
    for d, doc in zip(docs, parsed, strict=True):
        for tok in doc:
            if tok.pos_ in {"VERB", "NOUN"}:
                total[(tok.lemma_.lower(), tok.pos_)] += 1
        for rel in d.gold:
            cue_spans = rel.role("Cue")
            if not cue_spans:
                continue
            span = _extent(doc, cue_spans)
            if span is None:
                continue
            head = span.root
            if head.pos_ not in {"VERB", "NOUN"}:
                continue
            key = (head.lemma_.lower(), head.pos_)
            as_cue[key] += 1
            content = rel.role("Content")
            if not content:
                continue
            cspan = _extent(doc, content)
            if cspan is None:
                continue
            root = cspan.root
            cur = root
            while cur.head != cur and cur.head != head:
                cur = cur.head
            if cur.head == head and cur != head:
                deps[key[0]][cur.dep_] += 1
    verbs, nouns, complements = [], [], {}
    entries = {}
    for (lemma, pos), n in as_cue.items():
        ratio = n / max(1, total[(lemma, pos)])
        if n < min_count or ratio < min_ratio:
            continue
        entries[f"{lemma}/{pos}"] = {"cue": n, "total": total[(lemma, pos)], "ratio": round(ratio, 3)}
        if pos == "VERB":
            verbs.append(lemma)
            seen = [(dep, c) for dep, c in deps[lemma].most_common() if dep in _COMPLEMENT_DEPS]
            top = sum(c for _, c in seen)
            chosen = [dep for dep, c in seen if top and c / top >= 0.2]
            if chosen:
                complements[lemma] = chosen
        else:
            nouns.append(lemma)
    return {"schema": SCHEMA, "documents": len(docs),
            "min_count": min_count, "min_ratio": min_ratio, "verbs": sorted(verbs), "nouns": sorted(nouns),
            "complements": complements, "counts": entries}


def _cue_examples(docs: Sequence[Any], parsed: Sequence[Any]) -> tuple[list[dict[str, int]], list[bool], list[int]]:
    """Feature dicts of every candidate token, whether it heads an annotated Cue, and its text's number."""
    from .evaluation.attribution import paragraphs_of
    from .extract.quotes import find_quotation_marks

    feats: list[dict[str, int]] = []
    labels: list[bool] = []
    owner: list[int] = []
    for n, (d, doc) in enumerate(zip(docs, parsed, strict=True)):
        heads = set()
        for rel in d.gold:
            spans = rel.role("Cue")
            span = _extent(doc, spans) if spans else None
            if span is not None:
                heads.add(span.root.i)
        quoted = [False] * (len(doc.text) + 1)
        for m in find_quotation_marks(doc.text, paragraphs_of(doc.text)):
            quoted[m.open:m.close + 1] = [True] * (m.close + 1 - m.open)
        for tok in doc:
            if is_candidate(tok):
                feats.append(dict.fromkeys(cue_features(tok, quoted[tok.idx]), 1))
                labels.append(tok.i in heads)
                owner.append(n)
    return feats, labels, owner


def _best_threshold(probs: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """The probability cut-off with the best F1 over held-out examples (and that F1)."""
    best = (0.5, 0.0)
    total = sum(labels)
    for step in range(20, 81, 5):
        cut = step / 100
        tp = sum(1 for p, y in zip(probs, labels, strict=True) if p >= cut and y)
        chosen = sum(1 for p in probs if p >= cut)
        f1 = 2 * tp / (chosen + total) if chosen + total else 0.0
        if f1 > best[1]:
            best = (cut, f1)
    return best


def fit_cue_scorer(docs: Sequence[Any], parsed: Sequence[Any], *, c: float = 0.3) -> dict[str, Any]:
    """Fit the cue scorer (logistic regression, scikit-learn) on parsed annotated texts.

    The cut-off is chosen on every fifth text held out from a first fit; the weights
    stored are those of a second fit on all texts.
    """
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise ConfigError("training the cue scorer needs scikit-learn: pip install 'storyline[train]'") from None
    feats, labels, owner = _cue_examples(docs, parsed)
    if not any(labels):
        raise ConfigError("no annotated cues to learn from")
    held = [n % 5 == 4 for n in owner]
    vec = DictVectorizer()
    fit_x = vec.fit_transform([f for f, h in zip(feats, held, strict=True) if not h])
    fit_y = [y for y, h in zip(labels, held, strict=True) if not h]
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(fit_x, fit_y)
    probs = clf.predict_proba(vec.transform([f for f, h in zip(feats, held, strict=True) if h]))[:, 1]
    threshold, held_f1 = _best_threshold(list(probs), [y for y, h in zip(labels, held, strict=True) if h])
    vec = DictVectorizer()
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(vec.fit_transform(feats), labels)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    return {"bias": round(float(clf.intercept_[0]), 5), "threshold": threshold, "weights": weights,
            "examples": len(labels), "cues": sum(labels), "held_out_f1": round(held_f1, 4), "c": c}


@lru_cache(maxsize=4)
def load_cue_lexicon(path: str) -> CueLexicon:
    """Read a lexicon written by :func:`train_cue_lexicon`."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cue lexicon {path}: cannot read it ({exc})") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ConfigError(f"cue lexicon {path}: not a {SCHEMA} file (train one with 'storyline train attribution')")
    model = None
    scorer = data.get("scorer")
    if isinstance(scorer, dict):
        try:
            model = CueModel({str(k): float(v) for k, v in scorer["weights"].items()}, float(scorer["bias"]),
                             float(scorer.get("threshold", 0.5)))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ConfigError(f"cue lexicon {path}: its scorer is malformed (train it again)") from None
    return CueLexicon(frozenset(data.get("verbs", [])), frozenset(data.get("nouns", [])),
                      {k: tuple(v) for k, v in data.get("complements", {}).items()}, model)
