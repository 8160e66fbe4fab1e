#!/usr/bin/env python3
"""Calibrate the confidence of conflicts on a findings gold set.

    python scripts/calibrate_findings.py ../shared/data/findings-dev/gold [--write]

Runs ``storyline eval findings`` on the gold set and counts, per conflict class (the
reconciliation step that found it, its sub-kind and severity), how many conflicts matched a gold
discrepancy. A conflict's confidence is then the smoothed share (real + 1) / (all + 2) of its
class; ``--write`` stores the counts in src/storyline/reconcile/calibration.json. Which
conflicts match does not depend on their confidence, so one run is enough.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from storyline.evaluation.findings import evaluate_findings

OUT = Path(__file__).resolve().parents[1] / "src" / "storyline" / "reconcile" / "calibration.json"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", help="directory of GROUP.gold.json files with their inputs beside them")
    ap.add_argument("--write", action="store_true", help="store the counts in calibration.json")
    args = ap.parse_args()
    metrics = evaluate_findings(args.gold)["findings"]
    counts = metrics["by_class"]
    for name, (real, total) in counts.items():
        print(f"{name}: {real}/{total} real -> confidence {(real + 1) / (total + 2):.2f}")
    if args.write:
        data = {"_comment": json.loads(OUT.read_text(encoding="utf-8"))["_comment"], "conflicts": counts}
        OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
