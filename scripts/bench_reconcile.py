#!/usr/bin/env python
"""The store's side of ingesting one growing story, without parsing: the analyses of a store
made by ``storyline ingest`` are stored again, ``--batch`` per transaction, into a fresh SQLite
store, reconciling after every batch (``--via add``, what ``ingest`` did before 8c7722b) or once
at the end (``--via defer``, what ``ingest`` does now). Prints CPU and wall seconds, the time in
story assignment and reconciliation, and the one-off cost of each step on the whole story;
``--profile FILE`` writes a cProfile of the batches.

``--jobs FILE.jsonl`` then writes more articles of the story through the API's queue: half of
the records one job at a time with the queue otherwise empty (each job reconciles the story),
the other half queued at once and drained (the last job reconciles it); CPU and wall seconds
per job.

    storyline ingest STORY/story-500.jsonl --db STORY/story.db
    python scripts/bench_reconcile.py STORY/story.db --via add --via defer
    python scripts/make_limit_inputs.py MORE --story 520
    python scripts/bench_reconcile.py STORY/story.db --via defer --jobs MORE/story-520.jsonl --jobs-n 20
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from storyline.dedup import source_groups
from storyline.options import Options
from storyline.reconcile import reconcile
from storyline.service.serialize import analysis_from_dict
from storyline.service.store import Store

T = TypeVar("T")

def _timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """``fn()``, its CPU seconds and its wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    out = fn()
    return out, round(time.process_time() - cpu, 2), round(time.perf_counter() - wall, 2)


def _jobs(store: Store, path: Path, n: int, opts: Options) -> dict[str, object]:
    """Per-job seconds of ``n`` records written through the queue: one at a time, then at once."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [dict(r, id=f"job-{i}-{r.get('id', '')}") for i, r in enumerate(lines[-n:])]
    half = len(records) // 2
    out: dict[str, object] = {}
    # the first job loads the pipeline: run one outside the timing
    store.enqueue(records[:1])
    warm = store.claim(lease=600)
    assert warm is not None
    store.run_job(warm, opts)

    def alone() -> None:
        for r in records[1:half]:
            store.enqueue([r])
            job = store.claim(lease=600)
            assert job is not None
            store.run_job(job, opts)

    def burst() -> None:
        for r in records[half:]:
            store.enqueue([r])
        while (job := store.claim(lease=600)) is not None:
            store.run_job(job, opts)

    for name, fn, count in (("one_at_a_time", alone, half - 1), ("queued_at_once", burst, len(records) - half)):
        before = store.timings["reconcile"]
        _, cpu, wall = _timed(fn)
        out[name] = {"jobs": count, "cpu_seconds_per_job": round(cpu / max(count, 1), 2),
                     "wall_seconds_per_job": round(wall / max(count, 1), 2),
                     "reconcile_wall_seconds": round(store.timings["reconcile"] - before, 2)}
    (summary,) = store.stories()
    out["story_articles"] = summary.article_count
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db", type=Path, help="a SQLite store written by storyline ingest")
    ap.add_argument("--via", action="append", choices=["add", "defer"], help="repeatable; default both")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--profile", type=Path, help="write a cProfile of the batches (of the last --via) here")
    ap.add_argument("--jobs", type=Path, help="article records (JSONL) to write through the queue afterwards")
    ap.add_argument("--jobs-n", type=int, default=20, help="how many of them")
    args = ap.parse_args()
    opts = Options()
    with sqlite3.connect(args.db) as con:
        rows = [r[0] for r in con.execute("SELECT analysis FROM articles ORDER BY pk")]
    analyses, decode_cpu, _ = _timed(lambda: [analysis_from_dict(json.loads(r)) for r in rows])
    groups, dedup_cpu, _ = _timed(lambda: source_groups([a.article for a in analyses], threshold=opts.dedup_threshold,
                                                        reuse=opts.reuse_threshold))
    story, reconcile_cpu, _ = _timed(lambda: reconcile(analyses, groups, quote_match=opts.quote_match))
    _, dump_cpu, _ = _timed(lambda: json.dumps(asdict(story), ensure_ascii=False))
    out: dict[str, object] = {"articles": len(analyses), "batch": args.batch,
                              "whole_story_cpu_seconds": {"decode": decode_cpu, "source_groups": dedup_cpu,
                                                          "reconcile": reconcile_cpu, "asdict_json": dump_cpu}}
    for via in args.via or ["add", "defer"]:
        with tempfile.TemporaryDirectory() as tmp, Store(f"sqlite:///{tmp}/bench.db") as store:
            profile = cProfile.Profile() if args.profile else None

            def run(store: Store = store, profile: cProfile.Profile | None = profile, via: str = via) -> None:
                if profile:
                    profile.enable()
                for i in range(0, len(analyses), args.batch):
                    store.add(analyses[i:i + args.batch], opts, defer=via == "defer")
                store.reconcile_stale(opts)
                if profile:
                    profile.disable()

            _, cpu, wall = _timed(run)
            if profile and args.profile:
                profile.dump_stats(args.profile)
            row: dict[str, object] = {
                "cpu_seconds": cpu, "wall_seconds": wall, "stories": len(store.stories(limit=10_000)),
                "assign_wall_seconds": round(store.timings["assign"], 2),
                "reconcile_wall_seconds": round(store.timings["reconcile"], 2)}
            if args.jobs:
                row["jobs"] = _jobs(store, args.jobs, args.jobs_n, opts)
            out[via] = row
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
