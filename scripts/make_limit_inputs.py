#!/usr/bin/env python
"""Write the inputs of the resource-limit benchmarks (BENCHMARKS.md, "Hardening and bounded resources").

    python scripts/make_limit_inputs.py OUT_DIR [--chars 900000] [--zeros-mb 1]
        [--near 2000 8000 [--distinct 500]] [--story 500]

OUT_DIR/zeros.warc.gz     gzip of zero bytes, ``--zeros-mb`` MB compressed (about 1,000x that inflated)
OUT_DIR/long-article.txt  one article of ``--chars`` characters: generated news prose (quotes,
                          names, dates, figures) in paragraphs, from a fixed seed
OUT_DIR/near-N.jsonl      with ``--near N``: N short records of one template (two sentences) that
                          differ in a town, a name, a figure and a day; ``--distinct D`` repeats D
                          such texts under N ids (the clustering case of issue 25)
OUT/story-N.jsonl         with ``--story N``: N articles of one story (one event, its people and
                          place) from 40 outlets, each in its own words and order; for ``ingest``
                          against ``analyze`` on one growing story
Everything is generated here; nothing is copied from any corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import zlib
from pathlib import Path

FIRST = ["Lena", "Tomas", "Ada", "Ravi", "Mei", "Jonas", "Ines", "Omar", "Sofia", "Piet"]
LAST = ["Okafor", "Berg", "Lindqvist", "Moreau", "Tanaka", "Castillo", "Novak", "Haddad", "Kerr", "Aalto"]
ROLES = ["the harbour master", "the mayor", "a council spokesman", "the transport minister", "the union leader"]
PLACES = ["Port Avel", "Merrow", "Kestrel Bay", "Easthaven", "Lowmarsh"]
VERBS = ["said", "told reporters", "added", "warned", "insisted"]
DAYS = ["on Monday", "on Tuesday", "last week", "on 3 March", "this morning"]
THINGS = ["the ferry timetable", "the pier repairs", "the new budget", "the storm damage", "the port levy"]


def paragraph(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    n = rng.randrange(2, 900)
    sentences = [
        f"{name}, {rng.choice(ROLES)}, {rng.choice(VERBS)} {rng.choice(DAYS)} that {rng.choice(THINGS)} "
        f"would cost {n} million pounds.",
        f"“We will not leave {rng.choice(PLACES)} behind,” {name.split()[1]} {rng.choice(VERBS)}.",
        f"Officials in {rng.choice(PLACES)} counted {n * 3} damaged boats {rng.choice(DAYS)}.",
    ]
    return " ".join(rng.sample(sentences, k=len(sentences)))


def near_identical(n: int, distinct: int, rng: random.Random) -> list[dict[str, str]]:
    """``n`` short records over ``distinct`` texts that differ in a few words only."""
    texts = []
    for i in range(distinct):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        texts.append(f"The council of {rng.choice(PLACES)} approved {rng.randrange(2, 900)} new moorings "
                     f"{rng.choice(DAYS)}, {rng.choice(ROLES)} said. \u201cMooring {i} opens in May,\u201d "
                     f"{name} {rng.choice(VERBS)}.")
    return [{"id": f"near-{k}", "outlet": f"Wire {k % 7}", "text": texts[k % distinct]} for k in range(n)]


def one_story(n: int, rng: random.Random) -> list[dict[str, str]]:
    """``n`` articles telling one event: the same people, place and figures, each outlet its own way."""
    lines = [
        "Harbour master Lena Okafor said {day} that the east pier of Kestrel Bay would stay shut until the storm "
        "damage is repaired.",
        "“We will not reopen a pier that is not safe,” Okafor {verb}.",
        "The Kestrel Bay council put the cost of the repairs at {n} million pounds.",
        "Mayor Tomas Berg {verb} {day} that the ferry to Merrow would sail from the west quay meanwhile.",
        "Fishermen in Kestrel Bay counted {boats} damaged boats after the storm.",
        "“The pier will be rebuilt, and rebuilt properly,” Berg {verb} at the council meeting.",
        "Engineers told the council that the work on the Kestrel Bay pier would take {weeks} weeks.",
    ]
    out = []
    for k in range(n):
        picked = rng.sample(lines, k=rng.randrange(4, len(lines) + 1))
        text = " ".join(line.format(day=rng.choice(DAYS[:2]), verb=rng.choice(VERBS), n=rng.choice([12, 14]),
                                    boats=rng.choice([30, 31, 32]), weeks=rng.choice([6, 8])) for line in picked)
        out.append({"id": f"story-{k}", "outlet": f"Outlet {k % 40}", "published": "2026-03-0" + str(3 + k % 2),
                    "url": f"https://outlet{k % 40}.example/kestrel-bay-pier/{k}", "text": text})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--chars", type=int, default=900_000)
    parser.add_argument("--zeros-mb", type=float, default=1.0)
    parser.add_argument("--near", type=int, nargs="*", default=[], help="write near-N.jsonl for each N")
    parser.add_argument("--story", type=int, help="write story-N.jsonl: N articles of one story")
    parser.add_argument("--distinct", type=int, help="distinct texts among the near-identical records (default N)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(25)
    parts = ["Storm costs mount across the coast\n"]
    size = len(parts[0])
    while size < args.chars:
        p = paragraph(rng) + "\n\n"
        parts.append(p)
        size += len(p)
    (args.out / "long-article.txt").write_text("".join(parts)[:args.chars], encoding="utf-8")
    target = int(args.zeros_mb * 1_000_000)
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\x00" * (1 << 20)
    with (args.out / "zeros.warc.gz").open("wb") as fh:
        written = 0
        while written < target:
            written += fh.write(comp.compress(block))
        fh.write(comp.flush())
    for n in args.near:
        records = near_identical(n, min(args.distinct or n, n), random.Random(n))
        with (args.out / f"near-{n}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in records)
    if args.story:
        with (args.out / f"story-{args.story}.jsonl").open("w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in one_story(args.story, random.Random(args.story)))


if __name__ == "__main__":
    main()
