#!/usr/bin/env python3
"""Fit the claim-alignment model of reconciliation on a findings gold set, and show its calibration.

    python scripts/fit_alignment.py ../shared/data/findings-dev/gold [--write]

Every pair of same-kind claims of two independent articles that the pipeline builds is a
candidate; it is labelled "one quantity" when both claims fall inside the snippets one gold item
(a discrepancy or an agreement) gives for their two articles. A logistic regression over
``storyline.reconcile.facts.FEATURES`` (L2-penalised, fitted with Newton's method) is scored by
leave-groups-out cross-validation (5 folds by group: AUC, and a reliability table of the
held-out probabilities), then fitted on all groups; ``--write`` stores the weights in
src/storyline/reconcile/alignment.json (``--encoder minilm``: the weights used when that sentence
encoder is on).

``--sentences`` fits the sentence-alignment model instead (``storyline.reconcile.sentences``):
every pair of sentences of two independent sources that the model judges is a candidate,
labelled "one fact" when both sentences hold snippets of one gold agreement (a discrepancy's
sentences tell one thing differently: not a corroboration, so not a positive).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np

from storyline.align import SentenceSpace
from storyline.analyze import iter_analyses
from storyline.canonical import merge_entities
from storyline.cluster import cluster_stories
from storyline.dedup import source_groups
from storyline.evaluation.findings import locate, read_gold
from storyline.options import load_options
from storyline.pipeline import collect
from storyline.reconcile import facts, sentences
from storyline.reconcile.context import StoryContext
from storyline.sentence_encoder import load_embedder

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "reconcile" / "alignment.json"


def pairs_of(gold_dir: str, encoder: str = "", mode: str = "facts") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Features, labels and group index of every candidate pair (of claims, or ``mode="sentences"``
    of sentences) in the gold set's groups."""
    opts = load_options()
    embed = load_embedder(encoder) if encoder else None
    xs, ys, gs = [], [], []
    for gi, group in enumerate(read_gold(gold_dir)):
        print(f"  {group.name}", file=sys.stderr)
        cleaned, _ = collect([group.input], opts)
        analyses = list(iter_analyses(cleaned, opts))
        for members in cluster_stories(analyses, threshold=opts.cluster_threshold):
            sub = [analyses[i] for i in members]
            # sources grouped inside each story, as the pipeline groups them
            groups = source_groups([a.article for a in sub], threshold=opts.dedup_threshold, reuse=opts.reuse_threshold)
            entities, gid = merge_entities(sub)
            ctx = StoryContext(sub, groups, gid, {e.id: e.name for e in entities},
                               {e.id: e.type for e in entities}, SentenceSpace(sub, embed=embed))
            spans: list[dict[int, list[tuple[int, int]]]] = []
            by_key = {a.article.article.url or a.article.article.id: i for i, a in enumerate(sub)}
            by_key.update({a.article.article.id: i for i, a in enumerate(sub)})
            for item in group.discrepancies + group.agreements:
                where: dict[int, list[tuple[int, int]]] = {}
                for side in item.sides:
                    ai = by_key.get(side.article)
                    span = locate(side.text, sub[ai].article.text) if ai is not None else None
                    if span:
                        where.setdefault(ai, []).append(span)
                spans.append(where)

            def inside(it: facts._Item, where: dict[int, list[tuple[int, int]]]) -> bool:
                return any(s < it.claim.end and it.claim.start < e for s, e in where.get(it.ai, ()))

            if mode == "sentences":
                agreements = spans[len(group.discrepancies):]
                for i, j, f in sentences.model_candidates(ctx):
                    (ai, si, ei), (bj, sj, ej) = ctx.sentence_span(i), ctx.sentence_span(j)
                    xs.append([f[n] for n in sentences.FEATURES])
                    ys.append(float(any(any(s < ei and si < e for s, e in w.get(ai, ()))
                                        and any(s < ej and sj < e for s, e in w.get(bj, ())) for w in agreements)))
                    gs.append(gi)
                continue
            for a, b, rivals, mutual in facts.candidate_pairs(ctx, facts._items(ctx)):
                f = facts.pair_features(ctx, a, b, rivals, mutual)
                xs.append([f[n] for n in facts.FEATURES])
                ys.append(float(any(inside(a, w) and inside(b, w) for w in spans)))
                gs.append(gi)
    return np.asarray(xs), np.asarray(ys), np.asarray(gs)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 50) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method (the bias is not penalised)."""
    w = np.zeros(x.shape[1])
    pen = np.full(x.shape[1], l2)
    pen[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + pen * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(pen) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def auc(p: np.ndarray, y: np.ndarray) -> float:
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    n1, n0 = pos.sum(), (~pos).sum()
    return float((ranks[pos].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else math.nan


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", help="directory of GROUP.gold.json files with their inputs beside them")
    ap.add_argument("--write", action="store_true", help="store the fitted weights in alignment.json")
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--encoder", default="", help="fit the weights used with this sentence encoder (minilm)")
    ap.add_argument("--sentences", action="store_true", help="fit the sentence-alignment model, not the claims'")
    args = ap.parse_args()
    mode = "sentences" if args.sentences else "facts"
    names = sentences.FEATURES if args.sentences else facts.FEATURES
    x, y, g = pairs_of(args.gold, args.encoder, mode)
    print(f"{len(y)} candidate pairs, {int(y.sum())} labelled {'one fact' if args.sentences else 'one quantity'}, "
          f"{len(set(g))} groups")
    held = np.zeros(len(y))
    folds = 5
    for k in range(folds):
        test = g % folds == k
        w = fit(x[~test], y[~test], args.l2)
        held[test] = 1 / (1 + np.exp(-(x[test] @ w)))
        print(f"fold {k}: held-out AUC {auc(held[test], y[test]):.3f} ({int(y[test].sum())} positives)")
    print(f"cross-validated AUC {auc(held, y):.3f}")
    print("reliability (held-out): probability bin | pairs | observed share one quantity")
    for lo in np.arange(0, 1, 0.1):
        sel = (held >= lo) & (held < lo + 0.1)
        if sel.any():
            print(f"  {lo:.1f}-{lo + 0.1:.1f} | {int(sel.sum())} | {y[sel].mean():.2f}")
    w = fit(x, y, args.l2)
    weights = {n: round(float(v), 4) for n, v in zip(names, w, strict=True)}
    print(json.dumps(weights))
    if args.write:
        data = json.loads(OUT.read_text(encoding="utf-8"))
        key = ("sentence_weights" if args.sentences else "weights") + ("_encoder" if args.encoder else "")
        data[key] = weights
        flags = (" --sentences" if args.sentences else "") + (f" --encoder {args.encoder}" if args.encoder else "")
        what = ("sentences.FEATURES (do two sentences of two independent sources tell one fact?)" if args.sentences
                else "facts.FEATURES (is a pair of claims of two articles about one quantity or event?)")
        data["_comment" + ("_sentences" if args.sentences else "") + ("_encoder" if args.encoder else "")] = (
            f"{key}: logistic alignment model over {what}, fitted by scripts/fit_alignment.py{flags} on the "
            f"findings-dev gold ({len(y)} pairs, {int(y.sum())} positive; cross-validated AUC {auc(held, y):.3f}, "
            "5 folds by group).")
        OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
