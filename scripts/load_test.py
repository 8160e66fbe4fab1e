#!/usr/bin/env python
"""Bounded load test of the storyline service on loopback: requests/second and p50/p99
latency for the story page (/ui/stories/ID) and the story API (/stories/ID) at 1, 8 and
32 concurrent clients.

    scripts/load_test.py                      # own server on a temp store holding the seed articles
    scripts/load_test.py --url http://127.0.0.1:8000 --story S123   # a running server
    scripts/load_test.py --write-burst 40     # and, in each run, 40 concurrent POST /articles at its start

With ``--write-burst`` each run also reports the write acceptance latency (POST /articles
until its 202) and how long the queue took to drain; the posted articles are generated here.

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


TOKEN = os.environ.get("STORYLINE_LOAD_TOKEN", "load-test-token")
_burst_serial = 0


def generated_article(n: int) -> dict[str, str]:
    """A short article made up here, different for every n."""
    places = ["Port Avel", "Merrow", "Kestrel Bay", "Easthaven"]
    return {"id": f"load-{n}", "outlet": f"Load Wire {n % 7}", "url": f"https://load.example/{n}",
            "text": f"The council of {places[n % 4]} voted {n % 9 + 3} to {n % 5} on Tuesday to repair pier {n}.\n"
                    f"\"We will finish pier {n} before the summer,\" harbour master Lena Okafor said."}


def start_server(inputs: Path, workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    db = workdir / "load.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env["STORYLINE_CONFIG"] = os.devnull
    env["STORYLINE_TOKEN"] = TOKEN
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


def _quantiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return round(q[49] * 1000, 1), round(q[98] * 1000, 1)


async def _burst(client: httpx.AsyncClient, size: int) -> tuple[list[float], int]:
    """``size`` concurrent POST /articles of one generated article each: latencies and failures."""
    global _burst_serial
    start = _burst_serial
    _burst_serial += size
    latencies: list[float] = []
    failed = 0

    async def post(n: int) -> None:
        nonlocal failed
        t0 = time.perf_counter()
        try:
            r = await client.post("/articles", json=generated_article(n), headers={"Authorization": f"Bearer {TOKEN}"})
            failed += r.status_code not in (200, 202)
        except httpx.HTTPError:
            failed += 1
        latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(post(n) for n in range(start, start + size)))
    return latencies, failed


async def run_level(url: str, path: str, concurrency: int, duration: float, max_requests: int,
                    burst: int = 0) -> dict[str, object]:
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
        writes = asyncio.ensure_future(_burst(client, burst)) if burst else None
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        write_latencies, write_failed = await writes if writes else ([], 0)
        drained = None
        if burst:
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < 600:
                if (await client.get("/health")).json().get("queued", 0) == 0:
                    drained = round(time.perf_counter() - started, 1)
                    break
                await asyncio.sleep(0.5)
    p50, p99 = _quantiles(latencies)
    result: dict[str, object] = {"path": path, "concurrency": concurrency, "requests": len(latencies),
                                 "errors": errors, "rps": round(len(latencies) / elapsed, 1), "p50_ms": p50,
                                 "p99_ms": p99}
    if burst:
        w50, w99 = _quantiles(write_latencies)
        result.update(writes=len(write_latencies), write_errors=write_failed, write_p50_ms=w50, write_p99_ms=w99,
                      queue_drained_s=drained)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="A running server (loopback only); default: start one.")
    ap.add_argument("--story", help="Story id to request (default: the first listed).")
    ap.add_argument("--inputs", type=Path, help="Articles for the server this script starts.")
    ap.add_argument("--levels", default="1,8,32", help="Concurrency levels, comma-separated.")
    ap.add_argument("--duration", type=float, default=5.0, help="Seconds per run (at most 60).")
    ap.add_argument("--max-requests", type=int, default=5000, help="Requests per run (at most 50000).")
    ap.add_argument("--write-burst", type=int, default=0,
                    help="POST /articles this many times at once at the start of each run (at most 500; the server "
                         "this script starts has the token; for --url set STORYLINE_LOAD_TOKEN).")
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
                    results.append(asyncio.run(run_level(url, path, c, duration, max_requests,
                                                         min(max(args.write_burst, 0), 500))))
                    if not args.json:
                        r = results[-1]
                        line = (f"{r['path']:<28} c={r['concurrency']:<3} {r['requests']:>6} req "
                                f"{r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
                                f"  errors {r['errors']}")
                        if args.write_burst:
                            line += (f"  | {r['writes']} writes p50 {r['write_p50_ms']} ms p99 {r['write_p99_ms']} ms"
                                     f" errors {r['write_errors']}, queue drained at {r['queue_drained_s']} s")
                        print(line, flush=True)
            if args.json:
                print(json.dumps(results, indent=2))
        finally:
            if proc:
                proc.terminate()
                proc.wait(timeout=10)


if __name__ == "__main__":
    main()
