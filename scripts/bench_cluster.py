#!/usr/bin/env python
"""Time and peak memory to deduplicate and cluster N synthetic articles (JSON on stdout).

The articles come from this script's own generator (no corpus text). ``--stream news`` (the
default): stories of a few kinds of event (fires, arrests, quakes, ...), each with invented
people, places, figures and a date, told by several outlets with their own wording, plus wire
copies and lightly edited reposts. Stories recur: the same kind of event happens in many
places over the months, which is what clustering must keep apart. Gold labels let the run
report B-cubed F1 and copy recall as well.

``--stream near``: short, near-identical records (one line of a feed: the same alert about a
few places, each record with its own number), all distinct and undated. ``--stream dupes``:
short records drawn from 500 distinct texts, so most are exact repeats (``--distinct``).

    python scripts/bench_cluster.py --sizes 1000 10000 100000 --batch 2000
    python scripts/bench_cluster.py --stream near --sizes 2000 8000
    python scripts/bench_cluster.py --stream dupes --sizes 22600

Each size runs in a fresh process, so the peak resident memory (ru_maxrss) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta

KINDS = {
    "fire": ("fire", ["blaze", "firefighters", "flames", "smoke", "evacuated", "crews", "engines", "burned"]),
    "arrest": ("arrest", ["police", "arrested", "charged", "detectives", "custody", "court", "suspect", "warrant"]),
    "quake": ("earthquake", ["magnitude", "tremor", "quake", "epicentre", "aftershocks", "buildings", "rescue",
                             "seismologists"]),
    "merger": ("takeover", ["shares", "deal", "shareholders", "acquisition", "board", "offer", "regulators",
                            "valuation"]),
    "election": ("election", ["votes", "ballots", "turnout", "candidate", "polls", "campaign", "seat",
                              "recount"]),
    "storm": ("storm", ["winds", "flooding", "rainfall", "power", "warnings", "forecasters", "roads", "damage"]),
}
FILLER = ("the a of in on for with said was were after before during while officials local residents "
          "statement reported according spokesperson morning evening later earlier expected added told "
          "people area city council government minister agency week month report").split()
SYLLABLES = "ka lo ren mi sa to va ne ri do ba ul fe mar tin sel gor an bel cor dan el fin har".split()
OUTLETS = [f"outlet{i}.example" for i in range(40)]


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _story(rng: random.Random, sid: int, day: date) -> dict[str, object]:
    kind = rng.choice(sorted(KINDS))
    return {"id": sid, "kind": kind, "date": day, "place": _name(rng, 3), "region": _name(rng, 2),
            "person": f"{_name(rng)} {_name(rng, 3)}", "official": f"{_name(rng)} {_name(rng, 2)}",
            "org": f"{_name(rng, 2)} {rng.choice(['Group', 'Council', 'Agency', 'Holdings'])}",
            "n1": rng.randint(2, 900), "n2": rng.randint(10, 5000)}


def _article(rng: random.Random, st: dict[str, object]) -> str:
    noun, vocab = KINDS[str(st["kind"])]
    d = st["date"]
    assert isinstance(d, date)
    lines = [
        f"A {noun} in {st['place']} on {d:%A} left {st['n1']} people affected, {st['official']} said.",
        f"{st['person']} of the {st['org']} was named in the {noun} reports from {st['region']}.",
        f"Figures released on {d:%B} {d.day}, {d.year} put the cost at {st['n2']} thousand.",
    ]
    for _ in range(rng.randint(6, 12)):
        words = [rng.choice(vocab if rng.random() < 0.3 else FILLER) for _ in range(rng.randint(10, 22))]
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words)), str(rng.choice([st["place"], st["person"], st["org"]])))
        lines.append(" ".join(words).capitalize() + ".")
    rng.shuffle(lines)
    return "\n\n".join(lines)


def generate(n: int, seed: int = 7) -> Iterator[tuple[str, str, str, date, int, int]]:
    """Yield (id, text, outlet, published, story id, copy-of id or -1): about 5 articles per story,
    a fifth of them copies of an earlier article of the story, some with light edits."""
    rng = random.Random(seed)
    day = date(2020, 1, 1)
    count = 0
    sid = 0
    while count < n:
        st = _story(rng, sid, day + timedelta(days=rng.randint(0, 2)))
        texts: list[int] = []
        first = count
        for _ in range(rng.randint(2, 8)):
            if count >= n:
                break
            outlet = rng.choice(OUTLETS)
            if texts and rng.random() < 0.2:
                src = rng.choice(texts)
                text = cache[src]
                if rng.random() < 0.5:
                    text = "Reposted. " + text.replace(" said", " says", 1)
                yield f"a{count}", text, outlet, st["date"], sid, src  # type: ignore[misc]
            else:
                text = _article(rng, st)
                yield f"a{count}", text, outlet, st["date"], sid, -1  # type: ignore[misc]
            cache[count] = text
            texts.append(count)
            count += 1
        for k in range(first, count):
            cache.pop(k, None)
        sid += 1
        if sid % 40 == 0:
            day += timedelta(days=1)


cache: dict[int, str] = {}

PLACES = ["Northgate", "Riverside", "Old Town", "Harbour Quarter", "Eastfield"]


def generate_short(n: int, *, distinct: int | None = None, seed: int = 7
                   ) -> Iterator[tuple[str, str, str, date | None, int, int]]:
    """Yield short, near-identical feed records (story = the place named), all undated: each with
    its own number, or -- with ``distinct`` -- drawn from that many distinct texts."""
    rng = random.Random(seed)
    pool = distinct or n
    for i in range(n):
        k = rng.randrange(pool) if distinct else i
        place = PLACES[k % len(PLACES)]
        text = (f"Power cut update {k}: crews are working to restore supply in {place} after a fault "
                f"on the local network, the operator said.")
        yield f"r{i}", text, OUTLETS[k % len(OUTLETS)], None, k % len(PLACES), -1


def run_one(n: int, batch: int, stream: str = "news", distinct: int = 500) -> dict[str, object]:
    from storyline.cluster import StoryClusterer, StoryDoc
    from storyline.dedup import SourceGrouper
    from storyline.evaluation.clusters import bcubed

    grouper = SourceGrouper(threshold=0.7)
    clusterer = StoryClusterer()
    t_dedup = t_cluster = 0.0
    gold: list[int] = []
    copy_pairs: list[tuple[int, int]] = []
    buf: list[tuple[str, str, str, date | None, int, int]] = []
    per_thousand: list[float] = []  # clustering seconds per 1,000 articles, batch by batch
    started = time.perf_counter()

    def flush() -> None:
        nonlocal t_dedup, t_cluster
        t0 = time.perf_counter()
        grouper.add([(text, None) for _, text, _, _, _, _ in buf])  # content copies only
        t1 = time.perf_counter()
        clusterer.add([StoryDoc(i, text, day) for i, text, _, day, _, _ in buf])
        t2 = time.perf_counter()
        t_dedup += t1 - t0
        t_cluster += t2 - t1
        per_thousand.append(1000 * (t2 - t1) / len(buf))
        buf.clear()

    items = (generate(n) if stream == "news"
             else generate_short(n, distinct=distinct if stream == "dupes" else None))
    for item in items:
        gold.append(item[4])
        if item[5] >= 0:
            copy_pairs.append((int(item[0][1:]), item[5]))
        buf.append(item)
        if len(buf) >= batch:
            flush()
    if buf:
        flush()
    total = time.perf_counter() - started
    groups = grouper.groups()
    found = sum(groups[a] == groups[b] for a, b in copy_pairs)
    pred = clusterer.labels()
    top = clusterer.state.piece_members[0] if clusterer.state.piece_members else {}
    return {
        "stream": stream, "articles": n, "batch": batch, "stories_gold": len(set(gold)),
        "stories_found": len(clusterer), "graph_nodes": len(clusterer.state.vecs),
        "largest_component": max((len(m) for m in top.values()), default=0),
        "seconds_total": round(total, 1), "seconds_dedup": round(t_dedup, 1),
        "seconds_cluster": round(t_cluster, 1),
        "cluster_seconds_per_1000_first_last_batch": [round(per_thousand[0], 2), round(per_thousand[-1], 2)],
        "articles_per_second": round(n / total, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "bcubed_f1": round(bcubed(pred, gold).f1, 4),
        "copy_recall": round(found / len(copy_pairs), 4) if copy_pairs else None,
        "source_groups": len(set(groups)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--batch", type=int, default=2000, help="articles per clustering batch")
    ap.add_argument("--stream", choices=["news", "near", "dupes"], default="news",
                    help="news stories (default), near-identical short records, or repeats of --distinct texts")
    ap.add_argument("--distinct", type=int, default=500, help="distinct texts of --stream dupes")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.batch, args.stream, args.distinct)))
        return
    results = []
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--batch", str(args.batch),
                              "--stream", args.stream, "--distinct", str(args.distinct)],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out))
        print(json.dumps(results[-1]), file=sys.stderr)
    print(json.dumps({"generator": "synthetic templates (scripts/bench_cluster.py)", "results": results},
                     indent=2))


if __name__ == "__main__":
    main()
