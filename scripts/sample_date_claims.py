"""Print a seeded sample of date claims from real news groups, to judge by reading.

Each article of each ``GROUP.jsonl`` is cleaned and analysed as ``storyline analyze`` does;
every ``date`` claim is collected, and a seeded sample is printed with its sentence, the
time expression, the resolved value and the article's date (and where that date came from).
The judging is done by a person reading the output; nothing here decides right or wrong.

    python scripts/sample_date_claims.py ../shared/data/findings-dev/inputs --seed 1 -n 100
    python scripts/sample_date_claims.py ../shared/data/findings-dev/inputs --seed 1 --all

``--json`` prints one JSON object per claim instead (group, article, offsets, value) so two
runs can be compared claim by claim (``--compare OLD.jsonl`` marks the values that changed).
``--exclude EARLIER.jsonl`` samples only claims not in an earlier sample (a fresh sample):

    python scripts/sample_date_claims.py ../shared/data/findings-dev/inputs --seed 1 --json > s1.jsonl
    python scripts/sample_date_claims.py ../shared/data/findings-dev/inputs --seed 2 --exclude s1.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from storyline.analyze import iter_analyses
from storyline.options import load_options
from storyline.pipeline import iter_cleaned


def _sentence(analysis, start: int, end: int) -> str:  # type: ignore[no-untyped-def]
    text = analysis.article.text
    for s, e in analysis.sentences:
        if s <= start < e:
            return text[s:max(e, end)].replace("\n", " ")
    return text[max(0, start - 150):end + 150].replace("\n", " ")


def collect_claims(paths: list[Path]) -> list[dict[str, object]]:
    """Every date claim of every article in ``paths`` (JSONL groups), in file and text order."""
    options = load_options()
    rows: list[dict[str, object]] = []
    for path in paths:
        for analysis in iter_analyses(iter_cleaned([str(path)], options), options):
            art = analysis.article.article
            for claim in analysis.claims:
                if claim.kind != "date":
                    continue
                # the time expression behind the claim: inside its span, with its value
                tx = next((t for t in analysis.timexes if claim.start <= t.start and t.end <= claim.end
                           and t.value == claim.value), None)
                rows.append({
                    "group": path.stem, "article": art.id, "start": claim.start, "end": claim.end,
                    "expression": tx.text if tx else "", "value": claim.value,
                    "published": art.published.isoformat() if art.published else None,
                    "published_source": art.published_source, "claim": claim.text,
                    "sentence": _sentence(analysis, claim.start, claim.end),
                })
    return rows


def _key(row: dict[str, object]) -> tuple[object, ...]:
    """A claim's identity across runs: its article, expression and sentence (offsets may move)."""
    return (row["article"], row["expression"], row["sentence"])


def _read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Print the sample (or every claim with ``--all``)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="folder of GROUP.jsonl files")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-n", type=int, default=100, help="sample size (default 100)")
    parser.add_argument("--all", action="store_true", help="every claim, not a sample")
    parser.add_argument("--json", action="store_true", help="one JSON object per claim")
    parser.add_argument("--compare", type=Path, help="an earlier --json --all output: mark changed values")
    parser.add_argument("--exclude", type=Path, help="an earlier --json output: sample only other claims")
    args = parser.parse_args(argv)
    paths = sorted(args.folder.glob("*.jsonl"))
    if not paths:
        print(f"error: {args.folder}: no .jsonl files", file=sys.stderr)
        return 2
    rows = collect_claims(paths)
    old = {_key(r): r["value"] for r in _read(args.compare)} if args.compare else {}
    print(f"{len(rows)} date claims in {len(paths)} groups", file=sys.stderr)
    if args.exclude:
        seen = {_key(r) for r in _read(args.exclude)}
        rows = [r for r in rows if _key(r) not in seen]
        print(f"{len(rows)} of them not in {args.exclude}", file=sys.stderr)
    if not args.all:
        rows = random.Random(args.seed).sample(rows, min(args.n, len(rows)))
    for i, row in enumerate(rows, 1):
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
            continue
        key = _key(row)
        mark = ""
        if args.compare:
            mark = " [new]" if key not in old else (f" [was {old[key]}]" if old[key] != row["value"] else "")
        print(f"#{i} {row['group']} | published {row['published']} ({row['published_source']})")
        print(f"   {row['expression']!r} -> {row['value']}{mark}")
        print(f"   {row['sentence']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
