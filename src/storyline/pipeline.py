"""The whole job: sources -> articles -> cleaned -> analyses -> source groups -> stories -> report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .analyze import iter_analyses
from .clean import clean
from .cluster import StoryClusterer
from .dedup import source_groups
from .ingest import iter_articles
from .models import Article, CleanArticle, InputFailure
from .options import Options, load_options
from .reconcile import reconcile
from .report import Report
from .sentence_encoder import load_embedder

Source = str | os.PathLike[str] | Article | CleanArticle


@dataclass(slots=True)
class Progress:
    """Callbacks a front end can pass to follow a long run."""

    on_read: Callable[[int], None] | None = None  # articles read so far
    on_total: Callable[[int], None] | None = None  # total articles, once known
    on_analyzed: Callable[[int], None] | None = None  # articles analysed in the last batch
    on_failure: Callable[[InputFailure], None] | None = None


def iter_cleaned(inputs: Iterable[Source], options: Options,
                 on_failure: Callable[[InputFailure], None] | None = None) -> Iterator[CleanArticle]:
    """Read and clean inputs one at a time; failures go to ``on_failure``, never raised."""
    for src in inputs:
        if isinstance(src, CleanArticle):
            yield src
        elif isinstance(src, Article):
            yield clean(src, options)
        else:
            for item in iter_articles([src], options):
                if isinstance(item, InputFailure):
                    if on_failure:
                        on_failure(item)
                else:
                    yield clean(item, options)


def collect(inputs: Iterable[Source], options: Options,
            on_failure: Callable[[InputFailure], None] | None = None) -> tuple[list[CleanArticle], list[InputFailure]]:
    """Read and clean every input; failures are collected, never raised."""
    failures: list[InputFailure] = []

    def failed(item: InputFailure) -> None:
        failures.append(item)
        if on_failure:
            on_failure(item)

    return list(iter_cleaned(inputs, options, failed)), failures


def analyze(inputs: Source | Iterable[Source], options: Options | None = None,
            progress: Progress | None = None) -> Report:
    """Analyse articles (paths, Articles or CleanArticles) into a ``storyline.report/1`` Report."""
    opts = options or load_options()
    prog = progress or Progress()
    if isinstance(inputs, str | os.PathLike | Article | CleanArticle):
        inputs = [inputs]
    cleaned, failures = collect(inputs, opts, prog.on_failure)
    if prog.on_total:
        prog.on_total(len(cleaned))

    def analysis_failed(failure: InputFailure) -> None:
        failures.append(failure)
        if prog.on_failure:
            prog.on_failure(failure)

    clusterer = StoryClusterer(threshold=opts.cluster_threshold)
    analyses = []
    docs = []
    for analysis in iter_analyses(cleaned, opts, on_done=prog.on_analyzed, on_failure=analysis_failed):
        analyses.append(analysis)
        # each article's clustering vector is worked out as it arrives: with a pool of workers this
        # process would otherwise wait for them (8,000 short records: 2.5 CPU s taken off the end)
        docs.append(clusterer.prepare(analysis))
    clusterer.add(docs)
    stories = []
    embed = load_embedder(opts.sentence_encoder) if opts.sentence_encoder else None
    for members in clusterer.groups():
        # sources are grouped inside each story, as the store groups them: two reports of one story
        # are one source by their own texts and outlets, never through a chain of copies and shared
        # outlets that runs through another story's articles
        # (articles whose analysis failed are in no story, so in no source group either)
        groups = source_groups([analyses[i].article for i in members], threshold=opts.dedup_threshold,
                               reuse=opts.reuse_threshold)
        stories.append(reconcile([analyses[i] for i in members], groups,
                                 quote_match=opts.quote_match, include_text=opts.include_text, embed=embed))
    stories.sort(key=lambda s: (-len(s.articles), s.title))
    return Report(tuple(stories), tuple(str(f) for f in failures))
