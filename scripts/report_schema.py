#!/usr/bin/env python3
"""Write the JSON Schema of the ``storyline.report/1`` contract, generated from its records.

    python scripts/report_schema.py            # writes docs/storyline.report-1.schema.json
    python scripts/report_schema.py --check    # exits 1 when the file is out of date

The records in src/storyline/report.py are the contract; pydantic (``storyline[service]``)
turns them into a schema, so the published file cannot drift from the code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import TypeAdapter

from storyline.report import SCHEMA, Story

OUT = Path(__file__).resolve().parents[1] / "docs" / "storyline.report-1.schema.json"


def schema() -> dict:  # type: ignore[type-arg]
    """The report's JSON Schema (draft 2020-12)."""
    story = TypeAdapter(Story).json_schema(ref_template="#/$defs/{model}")
    defs = story.pop("$defs", {})
    defs["Story"] = story
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.invalid/storyline/storyline.report-1.schema.json",
        "title": SCHEMA,
        "description": "What `storyline analyze --format json`, the HTTP API and the store speak. Fields may be "
                       "added; none are renamed or removed without a new version. Offsets (start, end) index the "
                       "article's cleaned text: text[start:end] is the quoted, claimed or cited string.",
        "type": "object",
        "properties": {"schema": {"const": SCHEMA}, "stories": {"type": "array", "items": {"$ref": "#/$defs/Story"}}},
        "required": ["schema", "stories"],
        "$defs": dict(sorted(defs.items())),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the file differs from the records")
    args = ap.parse_args()
    text = json.dumps(schema(), indent=2) + "\n"
    if args.check:
        if not OUT.is_file() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python scripts/report_schema.py", file=sys.stderr)
            sys.exit(1)
        return
    OUT.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
