#!/usr/bin/env python
"""Bounded load test of the storyline service on loopback: requests/second and p50/p99
latency for the story page (/ui/stories/ID) and the story API (/stories/ID) at 1, 8 and
32 concurrent clients.

    scripts/load_test.py                      # own server on a temp store holding the seed articles
    scripts/load_test.py --url http://127.0.0.1:8000 --story S123   # a running server
    scripts/load_test.py --write-burst 40     # and, in each run, 40 concurrent POST /articles at its start

With ``--write-burst`` each run also reports the write acceptance latency (POST /articles
until its answer: 202 from a server with the write queue, 201 from one that analysed inline)
and how long the queue took to drain; the posted articles are generated here, and the writes
have their own connections, so they never wait behind the readers in this script.

With a server this script starts, each run also reports the CPU seconds the server and its
analysis worker used (from /proc) and this script's own, with the load average at its start:
the machine may be shared, and wall-clock latencies alone do not say how busy it was.

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


async def _burst(url: str, size: int) -> tuple[list[float], int]:
    """``size`` concurrent POST /articles of one generated article each, on connections of their
    own: latencies and failures."""
    global _burst_serial
    start = _burst_serial
    _burst_serial += size
    latencies: list[float] = []
    failed = 0
    limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=600) as client:
        async def post(n: int) -> None:
            nonlocal failed
            t0 = time.perf_counter()
            try:
                r = await client.post("/articles", json=generated_article(n),
                                      headers={"Authorization": f"Bearer {TOKEN}"})
                failed += r.status_code not in (200, 201, 202)
            except httpx.HTTPError:
                failed += 1
            latencies.append(time.perf_counter() - t0)

        await asyncio.gather(*(post(n) for n in range(start, start + size)))
    return latencies, failed


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` and its living descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            raw = stat.read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, ...
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime
    tree, frontier = {pid}, [pid]
    while frontier:
        frontier = [c for c, p in parents.items() if p in frontier and c not in tree]
        tree.update(frontier)
    return sum(times.get(p, 0.0) for p in tree)


def own_cpu_seconds() -> float:
    """User + system CPU seconds of this script."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_level(url: str, path: str, concurrency: int, duration: float, max_requests: int,
                    burst: int = 0, server: int | None = None) -> dict[str, object]:
    load_average = round(os.getloadavg()[0], 1)
    server_cpu, client_cpu = (tree_cpu_seconds(server) if server else 0.0), own_cpu_seconds()
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
        writes = asyncio.ensure_future(_burst(url, burst)) if burst else None
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
                                 "p99_ms": p99, "load_average": load_average,
                                 "client_cpu_s": round(own_cpu_seconds() - client_cpu, 1)}
    if server:
        result["server_cpu_s"] = round(tree_cpu_seconds(server) - server_cpu, 1)
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
                                                         min(max(args.write_burst, 0), 500),
                                                         proc.pid if proc else None)))
                    if not args.json:
                        r = results[-1]
                        line = (f"{r['path']:<28} c={r['concurrency']:<3} {r['requests']:>6} req "
                                f"{r['rps']:>8} req/s  p50 {r['p50_ms']:>7} ms  p99 {r['p99_ms']:>7} ms"
                                f"  errors {r['errors']}  load {r['load_average']}, cpu: server "
                                f"{r.get('server_cpu_s', '?')} s, client {r['client_cpu_s']} s")
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
