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
