#!/usr/bin/env python
"""Ingest throughput of the store as it grows: articles per second and the story-assignment share
at 1k, 10k and 100k stored articles, on SQLite and PostgreSQL (JSON on stdout).

Articles come from bench_cluster.py's synthetic news generator. Their analyses are built
without spaCy (the names the generator writes in capitals stand for the entities), because
analysis costs the same whatever the store holds; what is measured is Store.add -- the story
engine placing each article, the write, and reconciling the stories that changed.

    python scripts/bench_ingest.py --sizes 1000 10000 100000 --db sqlite
    python scripts/bench_ingest.py --sizes 1000 10000 --db postgresql://storyline:storyline@127.0.0.1:5432/bench

The store is filled to each size with ``--fill-batch`` articles per transaction, then
``--measure`` more articles go in ``--batch`` per transaction and are timed.

``--jsonl FILE`` measures real articles instead (records as ``storyline ingest`` reads them):
they are cleaned and analysed once (timed), then stored ``--batch`` per transaction into each
``--db`` in turn, from empty: articles per second of the whole ingest (analysis included) and
of the store alone, and the shares of story assignment and reconciliation.

    python scripts/bench_ingest.py --jsonl articles.jsonl --batch 1 --db sqlite --db postgresql://...
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_cluster import generate  # noqa: E402

from storyline.analyze import iter_analyses  # noqa: E402
from storyline.articles import article_from_record  # noqa: E402
from storyline.clean import clean  # noqa: E402
from storyline.cluster import text_features  # noqa: E402
from storyline.models import Analysis, Article, CleanArticle, Entity  # noqa: E402
from storyline.options import Options  # noqa: E402
from storyline.service.store import Store  # noqa: E402


def analyses(n: int) -> Iterator[Analysis]:
    """Synthetic analyses: the generator's articles with their capitalised names as entities."""
    for art_id, text, outlet, day, _, _ in generate(n):
        _, names = text_features(text, lead_chars=0)
        ents = tuple(Entity(f"e{i}", name.title(), "ORG", (), ()) for i, name in enumerate(sorted(names))
                     if not name.startswith(("#", "@")) and " " not in name)
        article = Article(art_id, text, "bench", outlet=outlet, published=day)
        yield Analysis(CleanArticle(article, text, ()), entities=ents)


def run(db: str, sizes: list[int], measure: int, batch: int, fill_batch: int) -> list[dict[str, object]]:
    """Fill the store to each size with synthetic articles, then time ``measure`` more."""
    opts = Options()
    out = []
    stream = analyses(max(sizes) + measure * len(sizes))
    stored = 0
    with Store(db) as store:
        for size in sizes:
            buf: list[Analysis] = []
            started = time.perf_counter()
            while stored < size:
                buf.append(next(stream))
                stored += 1
                if len(buf) >= fill_batch:
                    store.add(buf, opts)
                    buf.clear()
            if buf:
                store.add(buf, opts)
            fill_seconds = time.perf_counter() - started
            store.timings = {"assign": 0.0, "reconcile": 0.0}
            started = time.perf_counter()
            for start in range(0, measure, batch):
                store.add([next(stream) for _ in range(min(batch, measure - start))], opts)
            seconds = time.perf_counter() - started
            stored += measure
            out.append({"stored_before": size, "measured": measure, "batch": batch,
                        "articles_per_second": round(measure / seconds, 1),
                        "assign_ms_per_article": round(1000 * store.timings["assign"] / measure, 2),
                        "assign_share": round(store.timings["assign"] / seconds, 3),
                        "reconcile_share": round(store.timings["reconcile"] / seconds, 3),
                        "fill_seconds": round(fill_seconds, 1)})
            print(json.dumps(out[-1]), file=sys.stderr, flush=True)
    return out


def real(path: Path, dbs: list[str], batch: int) -> dict[str, object]:
    """Analyse the records of ``path`` once, then store them into each database from empty."""
    opts = Options()
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [article_from_record(json.loads(line), source=str(path), default_id=f"r{i}")
                for i, line in enumerate(lines)]
    started = time.perf_counter()
    analyses = list(iter_analyses((clean(a) for a in articles), opts))
    analysis = time.perf_counter() - started
    out: dict[str, object] = {"articles": len(analyses), "batch": batch,
                              "analysis_seconds_per_article": round(analysis / len(analyses), 3)}
    for db in dbs:
        with Store(db) as store:
            started = time.perf_counter()
            for start in range(0, len(analyses), batch):
                store.add(analyses[start:start + batch], opts)
            seconds = time.perf_counter() - started
            stories = len(store.stories(limit=10_000))
        name = db.split(":", 1)[0].split("+", 1)[0]
        out[name] = {"store_seconds": round(seconds, 1), "stories": stories,
                     "store_articles_per_second": round(len(analyses) / seconds, 1),
                     "ingest_articles_per_second": round(len(analyses) / (seconds + analysis), 2),
                     "assign_share_of_store": round(store.timings["assign"] / seconds, 3),
                     "reconcile_share_of_store": round(store.timings["reconcile"] / seconds, 3),
                     "assign_share_of_ingest": round(store.timings["assign"] / (seconds + analysis), 3),
                     "assign_ms_per_article": round(1000 * store.timings["assign"] / len(analyses), 2)}
        print(json.dumps(out[name]), file=sys.stderr, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--db", action="append", help="'sqlite' (a temporary file, the default) or the URL of an empty "
                                                  "database; repeat it with --jsonl")
    ap.add_argument("--jsonl", type=Path, help="measure these real articles (one JSON record a line) instead")
    ap.add_argument("--measure", type=int, default=1000, help="articles timed at each size")
    ap.add_argument("--batch", type=int, default=16, help="articles per transaction while timed")
    ap.add_argument("--fill-batch", type=int, default=500, help="articles per transaction while filling")
    args = ap.parse_args()
    given = args.db or ["sqlite"]
    with tempfile.TemporaryDirectory() as tmp:
        dbs = [f"sqlite:///{tmp}/bench{i}.db" if db == "sqlite" else db for i, db in enumerate(given)]
        if args.jsonl:
            print(json.dumps(real(args.jsonl, dbs, args.batch), indent=2))
            return
        results = run(dbs[0], sorted(args.sizes), args.measure, args.batch, args.fill_batch)
    name = "sqlite" if given[0] == "sqlite" else "postgresql"
    print(json.dumps({"database": name, "generator": "bench_cluster.py news stream", "results": results},
                     indent=2))


if __name__ == "__main__":
    main()
