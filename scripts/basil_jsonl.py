"""Write BASIL articles as storyline JSONL records (one article a line) on stdout.

BASIL's own files (articles/YEAR/*.json, body paragraphs as lists of sentences) are not a
format storyline reads; this turns the years asked for into records it does, for benchmarks
and trials:

    python scripts/basil_jsonl.py ../shared/data/basil --years 2010-2012 > /tmp/basil90.jsonl
    python scripts/basil_jsonl.py ../shared/data/basil --years 2010-2012 | storyline analyze - --stdin-format jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

#: BASIL's source codes and the outlets they name.
OUTLETS = {"fox": "Fox News", "nyt": "The New York Times", "hpo": "HuffPost"}


def main() -> None:
    """Parse the arguments and print the records."""
    ap = argparse.ArgumentParser(description="Write BASIL articles as storyline JSONL records.")
    ap.add_argument("basil", type=Path, help="the BASIL folder (with articles/YEAR/*.json)")
    ap.add_argument("--years", default="2010-2019", help="a year or a range, e.g. 2010-2012")
    args = ap.parse_args()
    first, _, last = args.years.partition("-")
    years = {str(y) for y in range(int(first), int(last or first) + 1)}
    for path in sorted((args.basil / "articles").glob("*/*.json")):
        if path.parent.name not in years:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in data.get("body-paragraphs", [])]
        record = {"url": data.get("url") or path.stem, "outlet": OUTLETS.get(data.get("source"), data.get("source")),
                  "title": data.get("title"), "published": data.get("date"), "text": "\n\n".join(paragraphs)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
