"""Benchmark: storyline's per-article analysis against bare spaCy parsing of the same texts.

Both are measured in one run, with the same pipeline, on the same cleaned texts; the
figure that matters is the ratio (timings on a shared machine are noisy). Prints JSON.

    python scripts/bench_analyze.py ../shared/data/polnear/dev/text --limit 200 --repeat 3
    python scripts/bench_analyze.py ../shared/data/polnear/dev/text --cue-lexicon cues.json

``--cue-lexicon`` times the analysis with a lexicon and scorers from ``storyline train attribution``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from itertools import islice

from storyline.analyze import analyze_doc
from storyline.nlp import load_pipeline, resolve_model_name
from storyline.options import load_options
from storyline.pipeline import iter_cleaned


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="article files or folders")
    parser.add_argument("--limit", type=int, default=200, help="at most this many articles (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; medians are reported (default 3)")
    parser.add_argument("--model", default="auto", help="spaCy pipeline (default: auto)")
    parser.add_argument("--cue-lexicon", default="", help="learned cues and scorers (storyline train attribution)")
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
    bare, full = [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=32):
            pass
        bare.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        for doc, art in zip(nlp.pipe(texts, batch_size=32), articles, strict=True):
            analyze_doc(doc, art, lexicon=lexicon)
        full.append(time.perf_counter() - t0)
    b, f = statistics.median(bare), statistics.median(full)
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
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
