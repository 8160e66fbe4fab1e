"""Benchmark: storyline's per-article analysis against bare spaCy parsing of the same texts.

Both are measured in one run, with the same pipeline, on the same cleaned texts; the
figure that matters is the ratio (timings on a shared machine are noisy). Prints JSON.

    python scripts/bench_analyze.py ../shared/data/polnear/dev/text --limit 200 --repeat 3
    python scripts/bench_analyze.py ../shared/data/polnear/dev/text --cue-lexicon cues.json

``--cue-lexicon`` times the analysis with a lexicon and scorers from ``storyline train attribution``.
``--whole`` times the rest of the pipeline too (source groups, story clustering, reconciliation:
the findings) and reports each stage's share; ``--sentence-encoder minilm`` turns the optional
sentence encoder on for reconciliation.

    python scripts/bench_analyze.py ../shared/data/findings-dev/inputs --whole --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from itertools import islice

from storyline.analyze import analyze_doc
from storyline.cluster import cluster_stories
from storyline.dedup import source_groups
from storyline.nlp import load_pipeline, resolve_model_name
from storyline.options import load_options
from storyline.pipeline import iter_cleaned
from storyline.reconcile import reconcile
from storyline.sentence_encoder import load_embedder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="article files or folders")
    parser.add_argument("--limit", type=int, default=200, help="at most this many articles (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; medians are reported (default 3)")
    parser.add_argument("--model", default="auto", help="spaCy pipeline (default: auto)")
    parser.add_argument("--cue-lexicon", default="", help="learned cues and scorers (storyline train attribution)")
    parser.add_argument("--whole", action="store_true", help="also time grouping, clustering and reconciliation")
    parser.add_argument("--sentence-encoder", default="", help="sentence encoder for reconciliation (minilm)")
    args = parser.parse_args(argv)
    lexicon = None
    if args.cue_lexicon:
        from storyline.learn import load_cue_lexicon

        lexicon = load_cue_lexicon(args.cue_lexicon)
    opts = load_options(model=args.model)
    articles = list(islice(iter_cleaned(args.paths, opts), args.limit))
    if not articles:
        print("no readable articles in the given paths", file=sys.stderr)
        return 1
    texts = [a.text for a in articles]
    nlp = load_pipeline(args.model)
    list(nlp.pipe(texts[:5]))  # warm up
    embed = load_embedder(args.sentence_encoder) if args.sentence_encoder else None
    bare, full, grouping, reconciling = [], [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        analyses = [analyze_doc(doc, art, lexicon=lexicon)
                    for doc, art in zip(nlp.pipe(texts, batch_size=32), articles, strict=True)]
        full.append(time.perf_counter() - t0)
        if args.whole:
            t0 = time.perf_counter()
            groups = source_groups(articles, threshold=opts.dedup_threshold, reuse=opts.reuse_threshold)
            stories = cluster_stories(analyses, threshold=opts.cluster_threshold)
            grouping.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            for members in stories:
                reconcile([analyses[i] for i in members], [groups[i] for i in members], embed=embed)
            reconciling.append(time.perf_counter() - t0)
    b, f = statistics.median(bare), statistics.median(full)
    whole = {}
    if args.whole:
        g, r = statistics.median(grouping), statistics.median(reconciling)
        total = f + g + r
        whole = {
            "sentence_encoder": args.sentence_encoder or None,
            "grouping_and_clustering_seconds_median": round(g, 3),
            "reconciliation_seconds_median": round(r, 3),
            "whole_pipeline_seconds_median": round(total, 3),
            "ratio_whole_pipeline_to_bare_spacy": round(total / b, 3),
            "share_of_reconciliation": round(r / total, 3),
        }
    print(json.dumps({
        "model": resolve_model_name(args.model),
        "articles": len(articles),
        "characters": sum(len(t) for t in texts),
        "repeat": args.repeat,
        "cue_lexicon": args.cue_lexicon or None,
        "bare_spacy_seconds_median": round(b, 3),
        "storyline_seconds_median": round(f, 3),
        "storyline_articles_per_second": round(len(articles) / f, 2),
        "bare_spacy_articles_per_second": round(len(articles) / b, 2),
        "ratio_storyline_to_bare_spacy": round(f / b, 3),
        **whole,
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
