"""The command line: formats, exit codes and one-line errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    result = runner.invoke(app, ["analyze", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 3  # a bug, not bad input: a script can tell the two apart
    ids = {a["id"] for s in json.loads(result.stdout)["stories"] for a in s["articles"]}
    assert ids == {"good"}
    assert "bad.txt: analysis failed (KeyError" in result.stderr
    [log] = (state / "storyline").glob("storyline-error-*.log")
    assert "please report it with the log " + str(log) in result.stderr
    assert "bad.txt: analysis failed (KeyError" in log.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- command-line habits


def test_help_and_version_do_not_load_the_nlp_stack():  # type: ignore[no-untyped-def]
    # what makes --help slow is importing spaCy (and thinc, torch) or numpy/scipy before parsing args
    import subprocess
    import sys

    heavy = ("spacy", "thinc", "torch", "numpy", "scipy", "trafilatura", "datasketch", "dateparser")
    for args in (["--help"], ["--version"], ["analyze", "--help"]):
        code = (f"import sys\nfrom storyline.cli import app\ntry:\n    app({args!r})\nexcept SystemExit:\n    pass\n"
                f"print(sorted(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)")
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
        assert done.stderr.strip().splitlines()[-1] == "[]", (args, done.stderr)
        assert done.stdout.strip()


def test_format_follows_the_out_extension_unless_format_says_otherwise(tmp_path):  # type: ignore[no-untyped-def]
    html, md, txt = tmp_path / "r.html", tmp_path / "r.md", tmp_path / "r.txt"
    for out in (html, md):
        result = runner.invoke(app, ["analyze", str(EXAMPLES), "--out", str(out), "--quiet"])
        assert result.exit_code == 0, result.output
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert md.read_text(encoding="utf-8").startswith("# storyline report")
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--out", str(txt), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    assert json.loads(txt.read_text(encoding="utf-8"))["schema"] == "storyline.report/1"


@pytest.mark.parametrize(("args", "said"), [
    (["--format", "pdf"], "'pdf' is not a report format; choose text, md, html, json, csv or tsv"),
    (["--out", "report.pdf"], "cannot tell the report format from 'report.pdf'"),
    (["--workers", "x"], "'x' is not 'auto' or a whole number"),
    (["--workers", "0"], "'0' is out of range: give 'auto' or a whole number at least 1"),
    (["--min-confidence", "2"], "out of range: give a number from 0 to 1"),
    (["--only", "conflict,rumour"], "'rumour' is not a kind of finding"),
    (["--sort", "alphabet"], "'alphabet' is not a story order; choose conflicts, size or date"),
    (["--stdin-format", "xml"], "'xml' is not a stdin format"),
])
def test_option_errors_are_in_the_tools_own_words(args, said):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--quiet", *args])
    assert result.exit_code == 2
    assert said in result.output
    assert "Value error" not in result.output and "Input should be" not in result.output


def test_csv_needs_a_format_when_out_is_a_folder(tmp_path):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 2
    assert "is a folder: add --format csv or --format tsv" in result.output


def test_no_readable_article_is_an_error_that_says_what_was_skipped(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--quiet"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "no readable article" in lines[0] and "1 .md" in lines[0] and "1 .pdf" in lines[0]
    assert "No stories" not in result.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["analyze", str(empty), "--quiet"])
    assert result.exit_code == 1 and "no readable article" in result.stderr


def test_failure_summary_names_each_kind(tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "good.txt").write_text("The ferry sank off Lorne Point on Monday, Captain Ida Marsh said.",
                                       encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01garbage")
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    result = runner.invoke(app, ["analyze", str(tmp_path), "--format", "json", "--quiet"])
    assert result.exit_code == 1
    summary = result.stderr.strip().splitlines()[-1]
    assert "1 binary file" in summary and "1 malformed JSON" in summary and "other" not in summary


def test_stdin_text_and_jsonl(tmp_path):  # type: ignore[no-untyped-def]
    text = "Mayor Ana Lind opened the new ferry terminal in Westvale on Monday, her office said."
    result = runner.invoke(app, ["analyze", "-", "--format", "json", "--quiet"], input=text)
    assert result.exit_code == 0, result.output
    arts = [a for s in json.loads(result.stdout)["stories"] for a in s["articles"]]
    assert [a["text"] for a in arts] == [text]
    lines = "\n".join(json.dumps({"url": f"https://w.example/{i}", "outlet": f"Outlet {i}", "text": text})
                      for i in range(2)) + "\n{broken\n"
    result = runner.invoke(app, ["analyze", "-", "--stdin-format", "jsonl", "--format", "json", "--quiet"],
                           input=lines)
    assert result.exit_code == 1  # the broken line is reported, the others analysed
    assert "<stdin>:3: malformed JSON" in result.stderr
    outlets = sorted(a["outlet"] for s in json.loads(result.stdout)["stories"] for a in s["articles"])
    assert outlets == ["Outlet 0", "Outlet 1"]


def test_csv_tables_one_file_per_table(tmp_path):  # type: ignore[no-untyped-def]
    import csv

    out = tmp_path / "tables"
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--format", "csv", "--out", f"{out}/", "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["claims.csv", "findings.csv", "quotes.csv"]
    quotes = list(csv.DictReader((out / "quotes.csv").read_text(encoding="utf-8").splitlines()))
    assert quotes and list(quotes[0])[:11] == ["story", "article", "outlet", "url", "speaker", "cue", "kind", "text",
                                               "start", "end", "confidence"]
    assert any(q["cue"] == "promised" and q["speaker"] == "Elena Ruiz" for q in quotes)
    result = runner.invoke(app, ["analyze", str(EXAMPLES), "--format", "tsv", "--table", "claims", "--quiet"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split("\t")[-2:] == ["claim", "value"]


def test_only_filters_the_json_when_asked():  # type: ignore[no-untyped-def]
    everything = json.loads(runner.invoke(app, ["analyze", str(EXAMPLES), "-f", "json", "-q"]).stdout)
    conflicts = json.loads(runner.invoke(app, ["analyze", str(EXAMPLES), "-f", "json", "-q", "--only",
                                               "conflict"]).stdout)
    kinds = {f["kind"] for s in everything["stories"] for f in s["findings"]}
    assert kinds == {"conflict", "corroborated", "single_source"}
    assert {f["kind"] for s in conflicts["stories"] for f in s["findings"]} == {"conflict"}
    assert len(conflicts["stories"]) == 1  # the library story has no conflict


def test_progress_moves_per_article():  # type: ignore[no-untyped-def]
    from storyline.options import Options
    from storyline.pipeline import Progress, analyze

    steps: list[int] = []
    totals: list[int] = []
    analyze([EXAMPLES], Options(), Progress(on_total=totals.append, on_analyzed=steps.append))
    assert totals == [5] and steps == [1] * 5


def test_a_crash_exits_3_with_a_log_and_no_traceback(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("Mayor Ana Lind opened the bridge.", encoding="utf-8")
    # a run that fails inside storyline: not an input's fault, not a usage error
    script = ("import sys, storyline.pipeline as p\n"
              "def boom(*a, **k): raise ZeroDivisionError('deliberate')\n"
              "p.analyze = boom\n"
              "import storyline.cli as c\n"
              "sys.argv = ['storyline', 'analyze', sys.argv[1], '--quiet']\n"
              "c.main()\n")
    env = {**__import__("os").environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-c", script, str(tmp_path / "a.txt")], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr
    [log] = (tmp_path / "state" / "storyline").glob("storyline-error-*.log")
    assert f"internal error (ZeroDivisionError: 'deliberate'): this is a bug, please report it with the log {log}" \
        in proc.stderr
    assert "Traceback" in log.read_text(encoding="utf-8")


def test_usage_error_exits_2(tmp_path):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, ["analyze", str(tmp_path), "--workers", "0"])
    assert result.exit_code == 2


def test_an_article_over_max_chars_is_refused_naming_the_setting(tmp_path):  # type: ignore[no-untyped-def]
    from storyline.options import Options
    from storyline.pipeline import Progress, analyze

    (tmp_path / "short.txt").write_text("Mayor Ana Lind opened the bridge on Monday.", encoding="utf-8")
    (tmp_path / "long.txt").write_text("Mayor Ana Lind opened the bridge on Monday. " * 40, encoding="utf-8")
    failures = []
    report = analyze([tmp_path], Options(max_chars=500), Progress(on_failure=failures.append))
    assert [a.id for s in report.stories for a in s.articles] == ["short"]
    [failure] = failures
    assert failure.source.endswith("long.txt") and not failure.internal
    assert "characters after cleaning, more than max_chars=500; raise max_chars" in failure.reason
