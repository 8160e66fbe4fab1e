#!/usr/bin/env python
"""CPU seconds of each stage of ``storyline.analyze`` on one input, in one run of the real pipeline.

    STORYLINE_CONFIG=/dev/null python scripts/bench_stages.py LIM/near-8000.jsonl

Reading and cleaning, analysis (parsing = the analysis minus the extractors' ``analyze_doc``),
dedup (``source_groups``), clustering and reconciliation are timed by wrapping the functions
``storyline.pipeline.analyze`` calls; the pipeline load is timed first, outside them. Prints JSON.
Process CPU time, not wall time: the machine may be shared.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from storyline.nlp import load_pipeline
from storyline.options import load_options


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    pipeline = importlib.import_module("storyline.pipeline")
    analyze_module = importlib.import_module("storyline.analyze")
    spent: dict[str, float] = {}

    def timed(module: Any, name: str, stage: str, *, lazy: bool = False) -> None:
        real: Callable[..., Any] = getattr(module, name)

        def wrapper(*a: Any, **k: Any) -> Any:
            start = time.process_time()
            try:
                result = real(*a, **k)
                return list(result) if lazy else result
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.process_time() - start

        setattr(module, name, wrapper)

    timed(pipeline, "collect", "reading")
    timed(pipeline, "iter_analyses", "analysis", lazy=True)
    timed(analyze_module, "analyze_doc", "extractors")
    timed(pipeline, "source_groups", "dedup")
    timed(pipeline.StoryClusterer, "prepare", "clustering")
    timed(pipeline.StoryClusterer, "add", "clustering")
    timed(pipeline, "reconcile", "reconciliation")
    options = load_options()
    start = time.process_time()
    load_pipeline(options.model)
    spent["pipeline load"] = time.process_time() - start
    start = time.process_time()
    report = pipeline.analyze([args[0]], options)
    spent["analyze in all"] = time.process_time() - start
    spent["parsing"] = spent.get("analysis", 0.0) - spent.get("extractors", 0.0)
    print(json.dumps({"input": args[0], "stories": len(report.stories),
                      "cpu_seconds": {k: round(v, 2) for k, v in spent.items()}}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
