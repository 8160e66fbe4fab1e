#!/usr/bin/env python
"""Hostile inputs mixed with good articles, run through ``storyline analyze`` and ``storyline ingest``.

Every batch is a folder holding a few generated hostile inputs of one kind and two good
articles; each batch is run as a separate command (``--commands analyze ingest``) with a
time limit. Prints JSON: per kind and in total, the batches that crashed (a traceback, or an
exit status other than 0 and 1), good articles lost, error lines over 300 characters, and
batches over 60 s; with each batch's wall and CPU seconds (the machine may be shared).

    python scripts/fuzz_inputs.py --seed 1 --rounds 2 --out /tmp/fuzz.json
    python scripts/fuzz_inputs.py --kinds json_deep,warc_zero_line --commands analyze

Everything is generated here from the seed (no input is copied from anywhere); nothing
leaves the machine.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOOD = (
    "Harbour master Lena Okafor said on Monday that the east pier would reopen within a week.\n\n"
    "“We have checked every beam,” Okafor told reporters in Port {n}. The council approved {n} repairs.\n"
)
WORDS = "the council said on tuesday that ferry harbour repairs would cost more than planned".split()


def _prose(rng: random.Random, n_words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n_words)).capitalize() + "."


# ---------------------------------------------------------------- hostile kinds
# Each writes one or more files into ``folder``; some return extra command-line inputs.


def json_deep(folder: Path, rng: random.Random) -> list[str]:
    depth = rng.choice([2_000, 50_000, 200_000])
    body = "[" * depth + "]" * depth
    (folder / "deep.json").write_text('{"text": "a b c d e", "x": ' + body + "}")
    (folder / "deep.jsonl").write_text(json.dumps({"text": _prose(rng, 12)}) + "\n" + '{"x": ' + body + "}\n")
    return []


def json_bigint(folder: Path, rng: random.Random) -> list[str]:
    digits = "9" * rng.choice([4_301, 20_000, 100_000])
    (folder / "bigint.jsonl").write_text(f'{{"id": {digits}, "text": "{_prose(rng, 12)}"}}\n'
                                         f'{{"x": {digits}, "text": "{_prose(rng, 12)}"}}\n')
    (folder / "bigint.json").write_text(f'[{{"text": "{_prose(rng, 12)}", "n": {digits}}}]')
    return []


def json_surrogate(folder: Path, rng: random.Random) -> list[str]:
    esc = rng.choice(["\\ud800", "\\udfff", "\\ud83d"])
    (folder / "surrogate.jsonl").write_text(
        f'{{"text": "{_prose(rng, 10)} {esc} end.", "title": "T {esc}", "outlet": "O{esc}"}}\n')
    (folder / "surrogate.json").write_text(f'{{"id": "x{esc}", "text": "{_prose(rng, 10)}"}}')
    return []


def json_long_fields(folder: Path, rng: random.Random) -> list[str]:
    n = rng.choice([20_000, 49_000])
    (folder / "long.jsonl").write_text(json.dumps({"text": _prose(rng, 10), "published": "9" * n}) + "\n"
                                       + json.dumps({"text": 5, "url": "x" * n}) + "\n")
    return []


def jsonl_duplicates(folder: Path, rng: random.Random) -> list[str]:
    lines = [json.dumps({"id": "same", "text": f"{_prose(rng, 6)} number {i}"}) for i in range(3_000)]
    lines[::97] = ["{broken"] * len(lines[::97])
    (folder / "dups.jsonl").write_text("\n".join(lines) + "\n")
    return []


def jsonl_garbage(folder: Path, rng: random.Random) -> list[str]:
    lines = []
    for _ in range(200):
        pick = rng.random()
        if pick < 0.3:
            lines.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))))
        elif pick < 0.6:
            lines.append(b'{"text": ' + b"[" * rng.randrange(1, 3000))
        else:
            lines.append(b"\x00" * rng.randrange(1, 50) + b"\r" * rng.randrange(0, 500))
    (folder / "garbage.jsonl").write_bytes(b"\n".join(lines))
    return []


def random_bytes(folder: Path, rng: random.Random) -> list[str]:
    for suffix in (".html", ".json", ".txt", ".rss", ".warc", ".warc.gz", ".jsonl"):
        (folder / f"random{suffix}").write_bytes(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 5000))))
    return []


def warc_zero_line(folder: Path, rng: random.Random) -> list[str]:
    (folder / "zeros.warc.gz").write_bytes(gzip.compress(b"\x00" * rng.choice([2**20, 4 * 2**20])))
    (folder / "longline.warc").write_bytes(b"WARC/1.0" + b"A" * 200_000 + b"\r\n\r\n")
    return []


def warc_empty(folder: Path, rng: random.Random) -> list[str]:
    (folder / "empty.warc").write_bytes(b"")
    (folder / "empty.warc.gz").write_bytes(gzip.compress(b""))
    return []


def html_control_refs(folder: Path, rng: random.Random) -> list[str]:
    ref = rng.choice(["&#12;", "&#x1;", "&#65535;", "&#0;", "&#xD800;"])
    body = "".join(f"<p>{_prose(rng, 14)}</p>" for _ in range(4))
    (folder / "refs.html").write_text(f"<html><head><title>Refs</title></head><body><article>{body}"
                                      f"<p>Word {ref} here and more words follow.</p></article></body></html>")
    return []


def html_deep(folder: Path, rng: random.Random) -> list[str]:
    depth = rng.choice([5_000, 100_000])
    (folder / "deep.html").write_text("<html><body>" + "<div>" * depth + _prose(rng, 20) + "</div>" * depth
                                      + "</body></html>")
    return []


def encodings(folder: Path, rng: random.Random) -> list[str]:
    text = "Ms Zoë Brûlé said the café would reopen on Friday, the council’s spokesman said.\n"
    (folder / "utf16.txt").write_bytes("\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    (folder / "utf32.txt").write_bytes(text.encode("utf-32"))
    html = (f'<html><head><meta charset="windows-1252"><title>Café</title></head><body><article>'
            f"<p>{text}</p><p>{_prose(rng, 15)}</p></article></body></html>")
    (folder / "cp1252.html").write_bytes(html.encode("cp1252"))
    (folder / "latin1.txt").write_bytes((text.replace("’", "'") + _prose(rng, 15)).encode("latin-1"))
    return []


def odd_names(folder: Path, rng: random.Random) -> list[str]:
    raw = os.fsencode(folder) + b"/caf\xe9-\xff.txt"
    with open(raw, "wb") as handle:
        handle.write(GOOD.format(n="Latin").encode())
    (folder / "new\nline.txt").write_text(_prose(rng, 15))
    (folder / ("x" * 250 + ".txt")).write_text(_prose(rng, 15))
    return []


def links(folder: Path, rng: random.Random) -> list[str]:
    sub = folder / "loop"
    sub.mkdir()
    (sub / "self").symlink_to(sub)
    (sub / "up").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(folder / "missing.txt")
    os.mkfifo(folder / "pipe.txt")
    return []


def devices(folder: Path, rng: random.Random) -> list[str]:
    fifo = folder.parent / f"{folder.name}-fifo"
    os.mkfifo(fifo)
    return ["/dev/zero", str(fifo), "/dev/null"]


def feed_hostile(folder: Path, rng: random.Random) -> list[str]:
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                        for i in range(1, 9))
              + ']><rss version="2.0"><channel><title>&lol8;</title></channel></rss>')
    (folder / "laughs.rss").write_text(laughs)
    (folder / "file.rss").write_text('<rss version="2.0"><channel><title>t</title><item><title>x</title>'
                                     "<link>file:///etc/passwd</link></item></channel></rss>")
    return []


KINDS: dict[str, Callable[[Path, random.Random], list[str]]] = {
    f.__name__: f for f in (json_deep, json_bigint, json_surrogate, json_long_fields, jsonl_duplicates,
                            jsonl_garbage, random_bytes, warc_zero_line, warc_empty, html_control_refs, html_deep,
                            encodings, odd_names, links, devices, feed_hostile)
}


def _limit_memory() -> None:
    # A runaway read (a device, a decompression bomb) must not take the shared machine's memory.
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


MEMORY_CAP = 6 * 2**30


def _children_cpu() -> float:
    # user + system CPU of the finished commands: the machine may be shared, so wall time alone
    # does not say what a batch cost
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: str, folder: Path, extra: list[str], good: list[str], timeout: float) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STORYLINE_")}
    env["STORYLINE_CONFIG"] = os.devnull
    cmd = [sys.executable, "-m", "storyline.cli", command, str(folder), *extra]
    db = folder.parent / f"{folder.name}.db"
    if command == "analyze":
        cmd += ["--format", "json", "--quiet"]
    else:
        cmd += ["--db", str(db), "--quiet"]
    start = time.monotonic()
    cpu_before = _children_cpu()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              preexec_fn=_limit_memory)
        code, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code, out, err = None, exc.stdout or b"", exc.stderr or b""
    seconds = time.monotonic() - start
    cpu = _children_cpu() - cpu_before
    text_err = err.decode("utf-8", "replace")
    if command == "analyze":
        try:
            report = json.loads(out)
            found = {a["id"] for s in report["stories"] for a in s["articles"]}
        except ValueError:
            found = set()
    else:
        found = set()
        if db.exists():
            import sqlite3

            with sqlite3.connect(db) as conn:
                try:
                    found = {r[0] for r in conn.execute("SELECT id FROM articles")}
                except sqlite3.Error:
                    pass
    lines = text_err.splitlines()
    return {
        "exit": code,
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "crash": code not in (0, 1) or "Traceback" in text_err,
        "lost": sorted(set(good) - found),
        "long_messages": sum(1 for line in lines if len(line) > 300),
        "longest_message": max((len(line) for line in lines), default=0),
        "slow": code is None or seconds > 60,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=1, help="batches per kind and command")
    parser.add_argument("--kinds", default="", help="comma-separated kinds (default: all)")
    parser.add_argument("--commands", nargs="+", default=["analyze", "ingest"], choices=["analyze", "ingest"])
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds before a batch is killed")
    parser.add_argument("--out", type=Path, help="write the JSON here as well")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    kinds = [k for k in args.kinds.split(",") if k] or list(KINDS)
    per_kind: dict[str, dict[str, int]] = {}
    work = Path(tempfile.mkdtemp(prefix="storyline-fuzz-"))
    load_at_start, started = round(os.getloadavg()[0], 1), time.monotonic()
    try:
        for kind in kinds:
            tally = per_kind.setdefault(kind, {"batches": 0, "crashes": 0, "good_lost": 0, "long_messages": 0,
                                               "slow_batches": 0, "max_seconds": 0, "max_cpu_seconds": 0,
                                               "longest_message": 0})
            for command in args.commands:
                for r in range(args.rounds):
                    folder = work / f"{kind}-{command}-{r}"
                    folder.mkdir()
                    good = []
                    for g in range(2):
                        name = f"good-{kind}-{r}-{g}"
                        (folder / f"{name}.txt").write_text(GOOD.format(n=re.sub(r"\W", "", name).title()))
                        good.append(name)
                    extra = KINDS[kind](folder, rng)
                    result = run(command, folder, extra, good, args.timeout)
                    tally["batches"] += 1
                    tally["crashes"] += bool(result["crash"])
                    tally["good_lost"] += len(result["lost"])  # type: ignore[arg-type]
                    tally["long_messages"] += int(result["long_messages"])  # type: ignore[call-overload]
                    tally["slow_batches"] += bool(result["slow"])
                    tally["max_seconds"] = max(tally["max_seconds"], int(float(result["seconds"])))  # type: ignore[arg-type]
                    tally["max_cpu_seconds"] = max(tally["max_cpu_seconds"], int(float(result["cpu_seconds"])))  # type: ignore[arg-type]
                    tally["longest_message"] = max(tally["longest_message"], int(result["longest_message"]))  # type: ignore[call-overload]
                    print(kind, command, json.dumps(result), file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total: dict[str, float] = {key: sum(t[key] for t in per_kind.values()) for key in
                               ("batches", "crashes", "good_lost", "long_messages", "slow_batches")}
    total.update(wall_seconds=round(time.monotonic() - started), cpu_seconds=round(_children_cpu()),
                 load_average_start=load_at_start, load_average_end=round(os.getloadavg()[0], 1))
    result = {"seed": args.seed, "rounds": args.rounds, "total": total, "kinds": per_kind}
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
