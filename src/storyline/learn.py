"""Learning attribution from annotated data the user supplies.

``storyline train attribution --polnear DIR --out cues.json`` learns, over a PolNeAR-layout
folder:

* a cue lexicon: how often each verb and noun heads an annotated Cue and which dependency
  of that cue holds the Content; lemmas that head cues often enough join storyline's
  built-in reporting-verb lexicon at analysis time;
* a cue scorer (:mod:`storyline.extract.cue_model`): a logistic regression telling whether a
  word, in its sentence, introduces an attribution -- it finds cues no lexicon lists;
* a relation scorer: a logistic regression that checks each attribution (cue, speaker,
  content) built on a scored cue and picks, among the cue's complements, what it reports.

Used with ``--cue-lexicon cues.json``. Fitting needs scikit-learn (``storyline[train]``);
analysis reads the stored weights only. storyline ships no such file: the weights come
only from data the user has the right to use.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .extract.cue_model import ENCODER_SCORES, CueModel, cue_features, is_candidate
from .extract.quotes.cues import CueLexicon

SCHEMA = "storyline.cue-lexicon/1"
_COMPLEMENT_DEPS = {"ccomp", "xcomp", "dobj", "prep", "attr", "oprd", "advcl", "parataxis", "acl"}


def _extent(doc: Any, spans: list[tuple[int, int]]) -> Any:
    """The tokens from the first to the last fragment of a (possibly discontinuous) annotation;
    None for an empty role or one that no token covers."""
    if not spans:
        return None
    return doc.char_span(min(a for a, _ in spans), max(b for _, b in spans), alignment_mode="expand")


def train_cue_lexicon(directory: str | Path, *, model: str = "auto", min_count: int = 3,
                      min_ratio: float = 0.3, limit: int | None = None, scorer: bool = True,
                      encoder_dir: Path | None = None, encoder_base: Path | None = None,
                      encoder_epochs: float = 2.0, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Count cue heads and their content dependencies over a PolNeAR-layout folder, and
    (``scorer``) fit the cue scorer of :mod:`storyline.extract.cue_model`.

    With ``encoder_dir``, first fine-tune cue encoders (:mod:`storyline.extract.encoder`) into
    that folder; their probability becomes a feature of the cue scorer."""
    _requirements(scorer, encoder_dir)  # fail before minutes of parsing when a library is missing
    docs, parsed = parse_annotated(directory, model=model, limit=limit)
    return learn_from_parsed(docs, parsed, trained_on=str(directory), min_count=min_count, min_ratio=min_ratio,
                             scorer=scorer, encoder_dir=encoder_dir, encoder_base=encoder_base,
                             encoder_epochs=encoder_epochs, progress=progress)


def _requirements(scorer: bool, encoder_dir: Path | None) -> None:
    if scorer:
        _logistic_classes()
    if encoder_dir is not None:
        if not scorer:
            raise ConfigError("the cue encoder feeds the cue scorer: it cannot be trained without it")
        from .extract.encoder import torch_modules

        torch_modules()


def parse_annotated(directory: str | Path, *, model: str = "auto",
                    limit: int | None = None) -> tuple[list[Any], list[Any]]:
    """The annotated texts of a PolNeAR-layout folder and their parses."""
    from .corpora.polnear import read_polnear
    from .nlp import load_pipeline

    nlp = load_pipeline(model)
    docs = list(read_polnear(directory, limit=limit))
    if not docs:
        raise ConfigError(f"{directory}: no annotated texts to learn from")
    return docs, list(nlp.pipe([d.text for d in docs], batch_size=16))


def learn_from_parsed(docs: Sequence[Any], parsed: Sequence[Any], *, trained_on: str, min_count: int = 3,
                      min_ratio: float = 0.3, scorer: bool = True, encoder_dir: Path | None = None,
                      encoder_base: Path | None = None, encoder_epochs: float = 2.0,
                      progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """:func:`train_cue_lexicon` on texts already parsed (with ``encoder_dir`` the parses get
    the held-out encoder scores in their ``user_data``)."""
    _requirements(scorer, encoder_dir)
    lexicon = learn_lexicon(docs, parsed, min_count=min_count, min_ratio=min_ratio)
    lexicon["trained_on"] = trained_on
    if encoder_dir is None:
        for doc in parsed:  # scores an earlier run left must not reach a scorer without an encoder
            doc.user_data.pop(ENCODER_SCORES, None)
    else:
        from .extract.encoder import cross_fitted, default_base

        encoder_base = encoder_base or default_base()
        dirs = cross_fitted(parsed, [_cue_heads(d, doc) for d, doc in zip(docs, parsed, strict=True)],
                            encoder_dir, base=encoder_base, epochs=encoder_epochs, progress=progress)
        lexicon["encoder"] = [str(d) for d in dirs]
        lexicon["encoder_base"] = str(encoder_base)
    if scorer:
        lexicon["scorer"] = fit_cue_scorer(docs, parsed, lexicon=lexicon)
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
            span = _extent(doc, rel.role("Cue"))
            if span is None:
                continue
            head = span.root
            if head.pos_ not in {"VERB", "NOUN"}:
                continue
            key = (head.lemma_.lower(), head.pos_)
            as_cue[key] += 1
            cspan = _extent(doc, rel.role("Content"))
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


def _cue_heads(d: Any, doc: Any) -> set[int]:
    """Token indices of the words heading the annotated cues of one text."""
    heads = set()
    for rel in d.gold:
        span = _extent(doc, rel.role("Cue"))
        if span is not None:
            heads.add(span.root.i)
    return heads


def _cue_examples(docs: Sequence[Any], parsed: Sequence[Any]) -> tuple[list[dict[str, int]], list[bool], list[int]]:
    """Feature dicts of every candidate token, whether it heads an annotated Cue, and its text's number."""
    from .corpora.polnear import paragraphs_of
    from .extract.quotes.marks import find_quotation_marks

    feats: list[dict[str, int]] = []
    labels: list[bool] = []
    owner: list[int] = []
    for n, (d, doc) in enumerate(zip(docs, parsed, strict=True)):
        heads = _cue_heads(d, doc)
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


def _logistic_classes() -> tuple[Any, Any]:
    """scikit-learn's DictVectorizer and LogisticRegression (needed for training only)."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError:
        raise ConfigError("training the cue scorer needs scikit-learn: pip install 'storyline[train]'") from None
    return DictVectorizer, LogisticRegression


def _logistic(feats: Sequence[dict[str, int]], labels: Sequence[bool], c: float) -> Any:
    """A fitted (vectoriser, logistic regression) pair."""
    DictVectorizer, LogisticRegression = _logistic_classes()
    vec = DictVectorizer()
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(vec.fit_transform(feats), labels)
    return vec, clf


def _weights(fitted: Any) -> tuple[dict[str, float], float]:
    vec, clf = fitted
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
               if abs(w) >= 1e-4}
    return weights, round(float(clf.intercept_[0]), 5)


_FOLDS = 5


def fit_cue_scorer(docs: Sequence[Any], parsed: Sequence[Any], *, c: float = 0.3,
                   lexicon: dict[str, Any] | None = None, relations: bool = True) -> dict[str, Any]:
    """Fit the cue scorer (logistic regression) on parsed annotated texts, and with ``relations``
    the relation scorer that checks the attributions built on the cues it proposes.

    Texts are split in five folds by their order. The cue cut-off is chosen on the last fold
    held out from a fit on the others; the relation scorer learns from attributions found with
    cue scorers that did not see the text (so its view of cue confidence is an honest one).
    The stored cue weights come from a fit on all texts.
    """
    feats, labels, owner = _cue_examples(docs, parsed)
    if not any(labels):
        raise ConfigError("no annotated cues to learn from")
    fold_models: list[CueModel] = []
    threshold, held_f1 = 0.5, 0.0
    for k in range(_FOLDS if relations else 1):
        held = _FOLDS - 1 - k
        fitted = _logistic([f for f, n in zip(feats, owner, strict=True) if n % _FOLDS != held],
                           [y for y, n in zip(labels, owner, strict=True) if n % _FOLDS != held], c)
        if k == 0:
            vec, clf = fitted
            probs = clf.predict_proba(vec.transform([f for f, n in zip(feats, owner, strict=True)
                                                     if n % _FOLDS == held]))[:, 1]
            threshold, held_f1 = _best_threshold(list(probs), [y for y, n in zip(labels, owner, strict=True)
                                                               if n % _FOLDS == held])
        weights, bias = _weights(fitted)
        fold_models.append(CueModel(weights, bias, threshold))
    weights, bias = _weights(_logistic(feats, labels, c))
    out: dict[str, Any] = {"bias": bias, "threshold": threshold, "weights": weights, "examples": len(labels),
                           "cues": sum(labels), "held_out_f1": round(held_f1, 4), "c": c}
    if relations:
        by_fold = {(_FOLDS - 1 - k): m for k, m in enumerate(fold_models)}
        relation = fit_relation_scorer(docs, parsed, by_fold, lexicon or {}, c=c)
        if relation:
            out["relation"] = relation
    return out


_LOWEST_PROPOSE = 0.15


def fit_relation_scorer(docs: Sequence[Any], parsed: Sequence[Any], fold_models: dict[int, CueModel],
                        lexicon: dict[str, Any], *, c: float = 0.3) -> dict[str, Any]:
    """Learn which found attributions (cue, speaker, content) match an annotated one, and the
    cut-offs (cue, relation, and the sure-cue fallback of :meth:`CueModel.relation_cut`) that
    together give the best relation F1 plus Cue F1 on candidates scored by fits that did not see
    their text (five folds)."""
    from dataclasses import replace

    from .corpora.polnear import merge_spans, paragraphs_of, relative_pronoun, spans_overlap
    from .extract.entities import build_entities
    from .extract.quotes.attributions import drop_nested, find_attributions
    from .extract.quotes.cues import BUILTIN_CUT, is_builtin_cue
    from .extract.quotes.found import Found
    from .extract.quotes.scoring import relation_features
    from .extract.quotes.speakers import Attributor

    rows: list[tuple[int, list[str], bool, float, bool, tuple[int, int]]] = []
    row_cues: list[frozenset[tuple[int, int]]] = []  # the annotated cues each row's cue touches
    fixed: Counter[tuple[int, bool]] = Counter()
    fixed_cues: list[frozenset[tuple[int, int]]] = []
    row_found: list[Found] = []  # the candidate of each row, and the fixed ones (text, found, right, cues)
    fixed_found: list[tuple[int, Found, bool, frozenset[tuple[int, int]]]] = []
    gold_n: Counter[int] = Counter()
    gold_cues = 0
    for n, (d, doc) in enumerate(zip(docs, parsed, strict=True)):
        fold = n % _FOLDS
        model = replace(fold_models[fold], threshold=_LOWEST_PROPOSE)
        lex = CueLexicon(frozenset(lexicon.get("verbs", [])), frozenset(lexicon.get("nouns", [])),
                         {k: tuple(v) for k, v in lexicon.get("complements", {}).items()}, model)
        att = Attributor(doc, build_entities(doc), paragraphs_of(doc.text), lex)
        gold = [(merge_spans(g.role("Content")), merge_spans(g.role("Source"))) for g in d.gold]
        gold_n[fold] += len(gold)
        cue_spans = [(k, merge_spans(g.role("Cue"))[0]) for k, g in enumerate(d.gold) if g.role("Cue")]
        gold_cues += len(cue_spans)

        def touches(cue: Any, n: int = n, cue_spans: Any = cue_spans,
                    text: str = doc.text) -> frozenset[tuple[int, int]]:
            if cue is None:
                return frozenset()
            at = (cue.idx, cue.idx + len(cue))
            return frozenset((n, k) for k, span in cue_spans if spans_overlap(text, at, span))

        def match(start: int, end: int, speaker: Any, cue: Any, gold: Any = gold, text: str = doc.text) -> bool:
            if speaker is None:
                return False
            src = (relative_pronoun(speaker.doc, cue.idx if cue is not None else None, speaker.start_char,
                                    speaker.end_char) or (speaker.start_char, speaker.end_char))
            return any(gc and gs and spans_overlap(text, (start, end), gc[0]) and spans_overlap(text, src, gs[0])
                       for gc, gs in gold)

        for f in find_attributions(att, statements_only=False, options=True):
            ok = match(f.start, f.end, f.speaker, f.cue)
            if f.kind == "indirect" and f.cue is not None:
                rows.append((fold, relation_features(f, model), ok, model.probability(f.cue),
                             is_builtin_cue(f.cue), (n, f.cue.i)))
                row_cues.append(touches(f.cue))
                row_found.append(f)
            else:
                fixed[(fold, ok)] += 1
                fixed_found.append((n, f, ok, touches(f.cue)))
                if f.cue is not None:
                    fixed_cues.append(touches(f.cue))
    for fold in range(_FOLDS):
        part = [r[2] for r in rows if r[0] != fold]
        if all(part) or not any(part):
            return {}  # nothing to tell apart: the cue scorer works alone
    # every text's candidates scored by a relation scorer that did not see it (cross-fitted), so
    # the cut-offs are chosen on all of the data, not on one fifth
    probs: list[float] = [0.0] * len(rows)
    for fold in range(_FOLDS):
        vec, clf = _logistic([dict.fromkeys(r[1], 1) for r in rows if r[0] != fold],
                             [r[2] for r in rows if r[0] != fold], c)
        at = [i for i, r in enumerate(rows) if r[0] == fold]
        if at:
            for i, p in zip(at, clf.predict_proba(vec.transform([dict.fromkeys(rows[i][1], 1) for i in at]))[:, 1],
                            strict=True):
                probs[i] = float(p)
    fixed_ok = sum(v for (_, ok), v in fixed.items() if ok)
    fixed_all = sum(fixed.values())
    gold_all = sum(gold_n.values())

    def choose(propose: float, cut: float, keep: float | None, floor: float) -> list[int]:
        """The rows kept with these cut-offs: each cue's best candidate, if it passes."""
        per_cue: dict[tuple[int, int], tuple[float, int]] = {}
        for i, (r, p) in enumerate(zip(rows, probs, strict=True)):
            if r[3] < (propose * BUILTIN_CUT if r[4] else propose):
                continue
            need = min(cut, floor) if keep is not None and r[3] >= keep else cut
            if p >= need and p > per_cue.get(r[5], (-1.0, 0))[0]:
                per_cue[r[5]] = (p, i)
        return [i for _, i in per_cue.values()]

    def f1s(right: int, predicted: int, cue_hits: list[frozenset[tuple[int, int]]]) -> tuple[float, float]:
        """Relation F1 and Cue F1 of ``predicted`` attributions (``right`` of them matching), whose
        cues touch ``cue_hits``."""
        rel = 2 * right / (predicted + gold_all) if predicted + gold_all else 0.0
        cue_p = sum(1 for h in cue_hits if h) / max(1, len(cue_hits))
        cue_r = len(frozenset().union(*cue_hits)) / max(1, gold_cues)
        return rel, 2 * cue_p * cue_r / (cue_p + cue_r) if cue_p + cue_r else 0.0

    def figures(propose: float, cut: float, keep: float | None, floor: float) -> tuple[float, float]:
        """Relation F1 and Cue F1 over the cross-fitted candidates with these cut-offs (nested
        attributions not yet dropped: that comes after, see ``nested_figures``)."""
        chosen = choose(propose, cut, keep, floor)
        return f1s(sum(rows[i][2] for i in chosen) + fixed_ok, len(chosen) + fixed_all,
                   [row_cues[i] for i in chosen] + fixed_cues)

    def nested_figures(chosen: list[int], nested_keep: float | None) -> tuple[float, float]:
        """The figures once attributions inside another's content are dropped as inference drops
        them (:func:`.attributions.drop_nested`), keeping those the relation scorer gives ``nested_keep``."""
        by_text: dict[int, list[Found]] = {}
        about: dict[int, tuple[bool, frozenset[tuple[int, int]] | None, float]] = {}
        for n, f, ok, hits in fixed_found:
            by_text.setdefault(n, []).append(f)
            about[id(f)] = (ok, hits if f.cue is not None else None, 0.0)
        for i in sorted(chosen):
            by_text.setdefault(rows[i][5][0], []).append(row_found[i])
            about[id(row_found[i])] = (rows[i][2], row_cues[i], probs[i])
        kept = [f for found in by_text.values()
                for f in drop_nested(found, lambda f: nested_keep is not None and about[id(f)][2] >= nested_keep)]
        cue_hits = [h for f in kept if (h := about[id(f)][1]) is not None]
        return f1s(sum(about[id(f)][0] for f in kept), len(kept), cue_hits)

    # the cut-offs -- the cue probability that proposes attributions, the relation probability
    # they need, and how sure a cue must be to keep its best one below that (down to a floor: a
    # sure cue with a doubtful speaker or content still finds the cue) -- are chosen together for
    # relation F1 plus Cue F1
    best: tuple[float, float, float, float | None, float, tuple[float, float]] = (-1.0, 0.5, 0.5, None, 0.0,
                                                                                  (0.0, 0.0))
    for propose in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5):
        for cut in (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            for keep, floor in [(None, 0.0)] + [(k, f) for k in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
                                                for f in (0.0, 0.1, 0.2) if f < cut and k > propose]:
                got = figures(propose, cut, keep, floor)
                if sum(got) > best[0] + 1e-9:
                    best = (sum(got), propose, cut, keep, floor, got)
    _, propose, cut, keep, floor, _ = best
    # how sure the relation scorer must be of an attribution inside another's content to keep it
    chosen = choose(propose, cut, keep, floor)
    nested_keep: float | None = None
    rel_f1, cue_f1 = nested_figures(chosen, None)
    for level in (0.5, 0.6, 0.7, 0.8, 0.9):
        got = nested_figures(chosen, level)
        if sum(got) > rel_f1 + cue_f1 + 1e-9:
            nested_keep, (rel_f1, cue_f1) = level, got
    weights, bias = _weights(_logistic([dict.fromkeys(r[1], 1) for r in rows], [r[2] for r in rows], c))
    out = {"weights": weights, "bias": bias, "threshold": cut, "propose": propose,
           "held_out_f1": round(rel_f1, 4), "held_out_cue_f1": round(cue_f1, 4), "examples": len(rows),
           "matching": sum(r[2] for r in rows)}
    if keep is not None:
        out |= {"keep": keep, "keep_floor": floor}
    if nested_keep is not None:
        out["nested_keep"] = nested_keep
    return out


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
            relation = scorer.get("relation") or {}
            model = CueModel({str(k): float(v) for k, v in scorer["weights"].items()}, float(scorer["bias"]),
                             float(scorer.get("threshold", 0.5)),
                             {str(k): float(v) for k, v in relation.get("weights", {}).items()},
                             float(relation.get("bias", 0.0)), float(relation.get("threshold", 0.5)),
                             float(relation["propose"]) if "propose" in relation else None,
                             float(relation["keep"]) if "keep" in relation else None,
                             float(relation.get("keep_floor", 0.0)),
                             float(relation["nested_keep"]) if "nested_keep" in relation else None)
        except (KeyError, TypeError, ValueError, AttributeError):
            raise ConfigError(f"cue lexicon {path}: its scorer is malformed (train it again)") from None
    encoder = data.get("encoder") or []
    if encoder and (model is None or not isinstance(encoder, list)):
        raise ConfigError(f"cue lexicon {path}: its encoder entry is malformed (train it again)")
    # encoder folders are stored relative to the lexicon file, so the two move together
    folders = tuple(str((Path(path).parent / str(e)).resolve()) for e in encoder)
    if folders:
        from .extract.encoder import load_encoder

        try:
            load_encoder(folders)  # a missing library or folder is one error here, not one per article
        except ConfigError as exc:
            raise ConfigError(f"cue lexicon {path}: {exc}") from None
    return CueLexicon(frozenset(data.get("verbs", [])), frozenset(data.get("nouns", [])),
                      {k: tuple(v) for k, v in data.get("complements", {}).items()}, model, folders)
