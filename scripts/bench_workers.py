"""Benchmark: analysis throughput on a Dask LocalCluster with 1 worker and with 2 workers, in one run.

Each cluster gets its pipeline loaded on every worker before the clock starts, then
analyses the same cleaned articles; results are checked to be identical to each
other (and to the in-process path with --baseline). Prints JSON with articles/second,
articles/second per worker and the speed-up of 2 workers over 1.

    python scripts/bench_workers.py ../shared/data/polnear/dev/text --limit 84 --baseline

The machine is shared: the load average before and after each timed run is
reported so a noisy figure can be recognised as such.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from itertools import islice
from typing import Any

from storyline.analyze import iter_analyses, iter_analyses_dask
from storyline.distributed import DASK_BATCH, dask_client, warm_workers
from storyline.models import Analysis, CleanArticle
from storyline.nlp import load_pipeline, resolve_model_name
from storyline.options import Options, load_options
from storyline.pipeline import iter_cleaned

TARGET_SPEEDUP = 1.8


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def timed_dask(articles: list[CleanArticle], opts: Options, workers: int, batch: int) -> tuple[dict[str, Any],
                                                                                                list[Analysis]]:
    t_start = time.perf_counter()
    with dask_client("local", workers=workers) as client:
        client.wait_for_workers(workers, timeout=120)
        warm_workers(client, opts.model)
        ready = time.perf_counter() - t_start
        load_before = _load()
        t0 = time.perf_counter()
        results = list(iter_analyses_dask(articles, opts, client=client, batch_size=batch))
        seconds = time.perf_counter() - t0
        load_after = _load()
    rate = len(articles) / seconds
    return {
        "workers": workers,
        "startup_seconds": round(ready, 2),
        "seconds": round(seconds, 2),
        "articles_per_second": round(rate, 2),
        "articles_per_second_per_worker": round(rate / workers, 2),
        "loadavg_before": load_before,
        "loadavg_after": load_after,
    }, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="article files or folders")
    parser.add_argument("--limit", type=int, default=84, help="at most this many articles (default 84)")
    parser.add_argument("--batch", type=int, default=DASK_BATCH, help=f"articles per Dask task (default {DASK_BATCH})")
    parser.add_argument("--model", default="auto", help="spaCy pipeline (default: auto)")
    parser.add_argument("--baseline", action="store_true", help="also time the in-process path (no Dask)")
    args = parser.parse_args(argv)
    opts = load_options(model=args.model, workers=1)
    articles = list(islice(iter_cleaned(args.paths, opts), args.limit))
    if not articles:
        print("no readable articles in the given paths", file=sys.stderr)
        return 1
    report: dict[str, Any] = {
        "model": resolve_model_name(args.model),
        "articles": len(articles),
        "characters": sum(len(a.text) for a in articles),
        "batch": args.batch,
        "cpu_count": os.cpu_count(),
        "note": "shared 2-core machine: other work may run at the same time (see loadavg)",
        "runs": [],
    }
    reference = None
    if args.baseline:
        load_pipeline(args.model)
        t0 = time.perf_counter()
        reference = list(iter_analyses(articles, opts))
        seconds = time.perf_counter() - t0
        report["in_process"] = {"seconds": round(seconds, 2),
                                "articles_per_second": round(len(articles) / seconds, 2)}
    for workers in (1, 2):
        run, results = timed_dask(articles, opts, workers, args.batch)
        if reference is None:
            reference = results
        run["identical_results"] = results == reference
        report["runs"].append(run)
    one, two = report["runs"]
    speedup = two["articles_per_second"] / one["articles_per_second"]
    report["speedup_2_vs_1"] = round(speedup, 2)
    report["target_speedup"] = TARGET_SPEEDUP
    report["target_met"] = speedup >= TARGET_SPEEDUP
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
