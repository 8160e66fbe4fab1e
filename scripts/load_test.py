#!/usr/bin/env python
"""Bounded load test of the storyline service on loopback: requests/second and p50/p99
latency for the story page (/ui/stories/ID) and the story API (/stories/ID) at 1, 8 and
32 concurrent clients.

    scripts/load_test.py                      # own server on a temp store holding the seed articles
    scripts/load_test.py --url http://127.0.0.1:8000 --story S123   # a running server

Only 127.0.0.1 / localhost / ::1 URLs are accepted. Each (target, concurrency) run
stops after --duration seconds or --max-requests requests, whichever comes first.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
DEFAULT_INPUTS = [REPO.parent / "shared" / "seeds", REPO / "examples"]


def loopback_only(url: str) -> str:
    host = urlsplit(url).hostname or ""
    try:
        ok = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        ok = False
    if not ok:
        raise SystemExit(f"load_test: refusing {url!r}: only loopback (127.0.0.1, localhost, ::1) is allowed")
    return url.rstrip("/")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(inputs: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    db = workdir / "load.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env["STORYLINE_CONFIG"] = os.devnull
    cmd = [sys.executable, "-m", "storyline.service"]
    subprocess.run([*cmd, "ingest", str(inputs), "--db", str(db), "--quiet"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([*cmd, "serve", "--db", str(db), "--port", str(port), "--log-level", "warning"],
                            env=env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("load_test: the server did not start")


async def run_level(url: str, path: str, concurrency: int, duration: float, max_requests: int) -> dict[str, object]:
    latencies: list[float] = []
    errors = 0
    issued = 0
    stop_at = time.perf_counter() + duration
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:
        async def worker() -> None:
            nonlocal errors, issued
            while time.perf_counter() < stop_at and issued < max_requests:
                issued += 1
                t0 = time.perf_counter()
                try:
                    r = await client.get(path)
                    ok = r.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {"path": path, "concurrency": concurrency, "requests": len(latencies), "errors": errors,
            "rps": round(len(latencies) / elapsed, 1), "p50_ms": round(q[49] * 1000, 1),
            "p99_ms": round(q[98] * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running server (loopback only); default: start one.")
    ap.add_argument("--story", help="Story id to request (default: the first listed).")
    ap.add_argument("--inputs", type=Path, help="Articles for the server this script starts.")
    ap.add_argument("--levels", default="1,8,32", help="Concurrency levels, comma-separated.")
    ap.add_argument("--duration", type=float, default=5.0, help="Seconds per run (at most 60).")
    ap.add_argument("--max-requests", type=int, default=5000, help="Requests per run (at most 50000).")
    ap.add_argument("--json", action="store_true", help="Print the results as JSON.")
    args = ap.parse_args()
    duration = min(max(args.duration, 0.5), 60.0)
    max_requests = min(max(args.max_requests, 1), 50_000)
    levels = [min(max(int(x), 1), 256) for x in args.levels.split(",")]
    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        if args.url:
            url = loopback_only(args.url)
        else:
            inputs = args.inputs or next((p for p in DEFAULT_INPUTS if p.is_dir()), None)
            if inputs is None:
                raise SystemExit("load_test: no articles to serve; pass --inputs FOLDER")
            proc, url = start_server(inputs, Path(tmp))
        try:
            story = args.story or httpx.get(f"{url}/stories").json()["stories"][0]["id"]
            results = []
            for path in (f"/ui/stories/{story}", f"/stories/{story}"):
                for c in levels:
                    results.append(asyncio.run(run_level(url, path, c, duration, max_requests)))
                    if not args.json:
                        r = results[-1]
                        print(f"{r['path']:<28} c={r['concurrency']:<3} {r['requests']:>6} req "
                              f"{r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
                              f"  errors {r['errors']}", flush=True)
            if args.json:
                print(json.dumps(results, indent=2))
        finally:
            if proc:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
