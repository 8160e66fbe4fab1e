"""The published JSON Schema of storyline.report/1 matches the records, and reports fit it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

ROOT = Path(__file__).resolve().parents[1]
pydantic = pytest.importorskip("pydantic", reason="the schema is generated with pydantic (storyline[service])")


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("report_schema", ROOT / "scripts" / "report_schema.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_published_schema_is_up_to_date():  # type: ignore[no-untyped-def]
    published = json.loads((ROOT / "docs" / "storyline.report-1.schema.json").read_text(encoding="utf-8"))
    assert published == _script().schema(), "docs/storyline.report-1.schema.json is stale: run scripts/report_schema.py"


def test_a_report_fits_the_schema():  # type: ignore[no-untyped-def]
    from storyline.report import Story

    result = CliRunner().invoke(app, ["analyze", str(ROOT / "examples"), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "storyline.report/1"
    adapter = pydantic.TypeAdapter(Story)
    for story in report["stories"]:
        adapter.validate_python(story, strict=False)
        for f in story["findings"]:
            assert 0.0 <= f["confidence"] <= 1.0
            assert f["subkind"]


def test_plain_gives_the_data_asdict_gives() -> None:
    from dataclasses import asdict

    from storyline.report import (
        Event,
        Evidence,
        Finding,
        FindingValue,
        ReportArticle,
        ReportClaim,
        ReportEntity,
        ReportQuote,
        Story,
        TitleVariant,
        plain,
    )

    story = Story("S1", "A pier shuts", (ReportArticle("a1", "Wire", None, None, "2024-03-04", False, "g1", "Text.",
                                                       "metadata", True),),
                  (ReportEntity("E1", "Ana Lind", "PERSON", ("Lind",), ("a1",), (TitleVariant("mayor", ("a1",)),)),),
                  (ReportQuote("a1:q1", "a1", "E1", "Lind", "said", "It shuts.", "direct", 0, 9, None, 0.9, "cue"),),
                  (ReportClaim("a1:c1", "a1", "count", "40 boats", "40", 10, 18),),
                  (Event("V1", "2024-03-04", "the pier shut", ("a1",)),),
                  (Finding("F1", "conflict", "boats", "40 or 41", (Evidence("a1", 10, 18, "40 boats"),), "figure",
                           0.8, ("figure",), (FindingValue("a1", "40"),), "major"),))
    assert json.dumps(plain(story)) == json.dumps(asdict(story))
    assert plain(story)["entities"][0]["titles"] == [{"title": "mayor", "article_ids": ["a1"]}]
    with pytest.raises(TypeError, match="not a report record: object"):
        plain(object())
