"""The command line: formats, exit codes and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from storyline import __version__
from storyline.cli import app

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
runner = CliRunner()


def test_version():  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_help_has_examples():  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["analyze", "--help"])
    assert result.exit_code == 0
    assert "storyline analyze examples/" in result.stdout
    assert "--format" in result.stdout


def test_json_report_on_examples():  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "storyline.report/1"
    # the harbour story (four outlets) and the unrelated library story
    sizes = sorted(len(s["articles"]) for s in report["stories"])
    assert sizes == [1, 4]
    for story in report["stories"]:
        texts = {a["id"]: a["text"] for a in story["articles"]}
        for q in story["quotes"]:
            assert texts[q["article_id"]][q["start"]:q["end"]] == q["text"]
        assert [f["kind"] for f in story["findings"]] == sorted(
            (f["kind"] for f in story["findings"]),
            key=["conflict", "corroborated", "single_source"].index)


def test_bad_inputs_are_reported_and_the_batch_goes_on(tmp_path):  # type: ignore[no-untyped-def]
    good = tmp_path / "good.txt"
    good.write_text('The ferry sank off Lorne Point on Monday.\n\n"Everyone got off," Captain Ida Marsh said.',
                    encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02garbage")
    (tmp_path / "bad.jsonl").write_text('{"text": "A fine record about the ferry."}\n{not json\n', encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    ids = {a["id"] for s in report["stories"] for a in s["articles"]}
    assert ids == {"good", "bad-1"}
    errors = [line for line in result.stderr.splitlines() if line.startswith("storyline: ")]
    assert any("empty.txt" in e for e in errors)
    assert any("binary.txt" in e for e in errors)
    assert any("bad.jsonl:2" in e for e in errors)
    assert "3 input(s) could not be read" in result.stderr


def test_missing_model_is_a_clear_error(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "a.txt").write_text("Mayor Ana Lind opened the bridge.", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--model", "no_such_pipeline_xyz", "--quiet"])
    assert result.exit_code == 2
    assert "no_such_pipeline_xyz" in result.stderr
    assert "Traceback" not in result.stderr


def test_html_and_md_outputs(tmp_path):  # type: ignore[no-untyped-def]
    out = tmp_path / "r.html"
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--format", "html", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") or page.lower().startswith("<!doctype html>")
    assert "Elena Ruiz" in page
    md = runner.invoke(app, ["analyze", str(EXAMPLES), "--format", "md", "--quiet"])
    assert md.exit_code == 0 and "## Story" in md.stdout


def test_an_extractor_bug_fails_one_article_not_the_batch(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import importlib

    analyze_module = importlib.import_module("storyline.analyze")

    real = analyze_module.analyze_doc

    def flaky(doc, article, **kwargs):  # type: ignore[no-untyped-def]
        if article.article.id == "bad":
            raise KeyError("boom")
        return real(doc, article, **kwargs)

    monkeypatch.setattr(analyze_module, "analyze_doc", flaky)
    (tmp_path / "good.txt").write_text("Mayor Ana Lind opened the new ferry terminal on Monday.", encoding="utf-8")
    (tmp_path / "bad.txt").write_text("Councillor Ole Berg closed the old pier on Tuesday.", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 1
    ids = {a["id"] for s in json.loads(result.stdout)["stories"] for a in s["articles"]}
    assert ids == {"good"}
    assert "bad.txt: analysis failed (KeyError" in result.stderr
