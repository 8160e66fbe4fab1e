"""Time from starting a command to the first byte it writes on stdout, and to its exit.

    python scripts/bench_first_byte.py --runs 10 -- .venv/bin/storyline --help

Prints the median, min and max of both over the runs (the machine's load is part of the
figure: say what else was running when you report one).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time


def measure(cmd: list[str]) -> tuple[float, float]:
    """(seconds to the first stdout byte, seconds to exit) of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    proc.stdout.read(1)
    first = time.perf_counter() - start
    proc.stdout.read()
    proc.wait()
    return first, time.perf_counter() - start


def main() -> None:
    """Parse the arguments, run the command and print the figures."""
    ap = argparse.ArgumentParser(description="Time to the first stdout byte of a command.")
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("cmd", nargs="+", help="the command (after --)")
    args = ap.parse_args()
    firsts, totals = zip(*(measure(args.cmd) for _ in range(args.runs)), strict=True)
    for name, xs in (("first byte", firsts), ("exit", totals)):
        print(f"{name}: median {statistics.median(xs):.3f} s, min {min(xs):.3f} s, max {max(xs):.3f} s "
              f"({args.runs} runs)")


if __name__ == "__main__":
    main()
