#!/usr/bin/env python
"""kill -9 against the write queue: queue jobs, kill the worker at random moments, restart it,
and check that every job ends done and every article is stored exactly once.

    python scripts/queue_kill.py --jobs 12 --per-job 3 --kills 6 [--db postgresql://...]

The articles are generated here. Prints JSON: kills, jobs done/failed, articles expected,
stored and duplicated, job attempts, wall and worker CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from storyline.service.store import Store


def article(n: int) -> dict[str, str]:
    towns = ["Port Avel", "Merrow", "Kestrel Bay", "Easthaven", "Lowmarsh"]
    return {"id": f"q-{n}", "outlet": f"Wire {n % 4}", "url": f"https://queue.example/{n}",
            "text": f"The council of {towns[n % 5]} approved {n + 3} new moorings on Tuesday, the clerk said.\n"
                    f"\"Mooring {n} opens in May,\" harbour master Ada Lindqvist said on Wednesday."}


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=12)
    ap.add_argument("--per-job", type=int, default=3)
    ap.add_argument("--kills", type=int, default=6)
    ap.add_argument("--seed", type=int, default=9)
    ap.add_argument("--db", help="store URL (default: a SQLite file in a temp folder)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'queue.db'}"
        records = [article(n) for n in range(args.jobs * args.per_job)]
        with Store(url) as store:
            jobs = [store.enqueue(records[i * args.per_job:(i + 1) * args.per_job]) for i in range(args.jobs)]
            # a third of the jobs posted twice: the queue must not store their articles twice
            jobs += [store.enqueue(records[i * args.per_job:(i + 1) * args.per_job]) for i in range(0, args.jobs, 3)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
        env["STORYLINE_CONFIG"] = os.devnull
        cmd = [sys.executable, "-m", "storyline.service", "worker", "--db", url, "--drain", "--lease", "2"]
        kills = 0
        started = time.monotonic()
        load_at_start = round(os.getloadavg()[0], 1)
        while True:
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if kills < args.kills:
                time.sleep(rng.uniform(2.0, 12.0))  # model load, then somewhere inside a job
                if proc.poll() is None:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    kills += 1
                    time.sleep(2.5)  # the lease of the killed worker's job runs out
                    continue
            proc.wait()
            with Store(url) as store:
                if all(store.job(j.id).status in ("done", "failed") for j in jobs):
                    break
            time.sleep(2.5)
        with Store(url) as store:
            final = [store.job(j.id) for j in jobs]
            ids = store.article_ids()
        out = {
            "store": url.split("://")[0], "kills": kills, "seconds": round(time.monotonic() - started, 1),
            # the workers' user + system CPU: the machine may be shared, so wall time alone says little
            "worker_cpu_seconds": round(_children_cpu(), 1), "load_average_start": load_at_start,
            "jobs": len(jobs), "done": sum(j.status == "done" for j in final),
            "failed": sum(j.status == "failed" for j in final),
            "attempts": sorted(j.attempts for j in final),
            "articles_expected": len(records), "articles_stored": len(ids),
            # a second copy would be stored under another id ("q-1-<hash>"): count ids not asked for
            "duplicated": len(set(ids) - {r["id"] for r in records}),
            "missing": sorted(set(r["id"] for r in records) - set(ids)),
        }
        print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
