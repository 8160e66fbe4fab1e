"""Per-article analysis: one spaCy parse, then every extractor over the parsed Doc.

:func:`analyze_batch` is the one worker: a picklable top-level function bound with
``functools.partial`` (:func:`batch_worker`), run in this process, on a process pool
(``options.workers``) or on a Dask cluster (``options.scheduler``, through
``storyline.distributed``), with the same results in the same order.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from bisect import bisect_left, bisect_right
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from itertools import chain
from typing import Any

from spacy.tokens import Doc

from .distributed import DASK_BATCH, dask_client, map_batches, worker_count
from .errors import MAX_MESSAGE, AnalysisError, describe, one_line
from .extract.ages import extract_ages
from .extract.charges import extract_charges
from .extract.claims import extract_claims, figure_owner
from .extract.entities import EntityIndex, build_entities
from .extract.order import extract_order
from .extract.quotes import CueLexicon, extract_quotes, link_indefinite_speakers
from .extract.residence import extract_residences
from .extract.terms import sentence_terms
from .extract.timex import extract_timexes, sentence_of, timex_for_token
from .models import Analysis, Claim, CleanArticle, InputFailure, Mention, Paragraph
from .nlp import doc_text, load_pipeline
from .options import Options

_BATCH = 32
_log = logging.getLogger("storyline.analyze")


def analyze_doc(doc: Doc, article: CleanArticle, *, lexicon: CueLexicon | None = None,
                statements_only: bool = True) -> Analysis:
    """Run every extractor over an already parsed article.

    ``lexicon``: learned attribution cues; ``statements_only=False`` keeps attributed thoughts
    and intentions among the quotes (as attribution corpora annotate them).
    """
    index = build_entities(doc)
    timexes = tuple(extract_timexes(doc, reference=article.article.published))

    starts = [t.start for t in timexes]
    in_order = all(a <= b for a, b in zip(starts, starts[1:], strict=False))

    def date_for(token_i: int):  # type: ignore[no-untyped-def]
        # only expressions inside the token's sentence can date it: hand over just those (text order
        # kept), or every cue of a long article scans every expression of it
        if in_order:
            sent = sentence_of(doc, token_i)
            lo = bisect_left(starts, sent.start_char)
            return timex_for_token(doc, token_i, timexes[lo:bisect_right(starts, sent.end_char)])
        return timex_for_token(doc, token_i, timexes)

    quotes = tuple(extract_quotes(doc, index=index, paragraphs=article.paragraphs, date_for=date_for,
                                  lexicon=lexicon, statements_only=statements_only))
    quotes = link_indefinite_speakers(quotes)
    # speakers given by a title their entity holds ("the strategist added") become aliases of
    # it; a description bound only by recency does not (it may be someone else's)
    for q in quotes:
        if q.speaker_entity_id and q.speaker_via == "title" and q.speaker_start is not None \
                and q.speaker_end is not None:
            words = q.speaker_text.split()
            if words and words[0].lower() in {"the", "a", "an"} and q.speaker_text[:1].isalpha():
                ent = index.by_id.get(q.speaker_entity_id)
                if ent is not None and ent.type == "PERSON" and not any(
                        m.start <= q.speaker_start < m.end for m in ent.mentions):
                    index.add_mention(q.speaker_entity_id,
                                      Mention(q.speaker_start, q.speaker_end, q.speaker_text, "description"))
    claims = [_with_owner(doc, index, c) for c in extract_claims(doc, timexes=timexes)]
    n = len(claims)
    for ent in index.entities:
        for t in ent.titles:
            n += 1
            claims.append(Claim(f"c{n}", "role", t.start, t.end, t.title, t.title, ent.name, ent.id))
    text = doc_text(doc)
    for r in extract_residences(doc, index):
        n += 1
        place = text[r.start:r.end]
        claims.append(Claim(f"c{n}", "residence", r.start, r.end, place, place, index.by_id[r.entity_id].name,
                            r.entity_id))
    for ch in extract_charges(doc, index):
        n += 1
        claims.append(Claim(f"c{n}", "charge", ch.start, ch.end, text[ch.start:ch.end], "; ".join(ch.offences),
                            index.by_id[ch.entity_id].name if ch.entity_id else None, ch.entity_id))
    for age in extract_ages(doc, index):
        n += 1
        claims.append(Claim(f"c{n}", "age", age.start, age.end, text[age.start:age.end], str(age.years),
                            index.by_id[age.entity_id].name, age.entity_id))
    for o in extract_order(doc, index):
        n += 1
        claims.append(Claim(f"c{n}", "order", o.start, o.end, text[o.start:o.end], o.relation,
                            index.by_id[o.entity_id].name, o.entity_id))
    claims.sort(key=lambda c: (c.start, c.end))
    sentences = tuple((s.start_char, s.end_char) for s in doc.sents)
    return Analysis(article, tuple(index.entities), quotes, timexes, tuple(claims), sentences,
                    tuple(sentence_terms(doc)))


def _with_owner(doc: Doc, index: EntityIndex, claim: Claim) -> Claim:
    """A figure claim with the entity it belongs to ("Lund scored 12 points" -> Lund), if any."""
    if claim.kind in ("date", "role"):
        return claim
    owner = figure_owner(doc, claim.start, claim.end)
    entity = index.entity_in(*owner) if owner else None
    return replace(claim, entity_id=entity) if entity else claim


def _too_long(article: CleanArticle, max_chars: int) -> InputFailure:
    return InputFailure(one_line(article.article.source, MAX_MESSAGE // 2),
                        f"article is {len(article.text):,} characters after cleaning, more than "
                        f"max_chars={max_chars}; raise max_chars to analyse it (time and memory grow with it)")


#: Texts longer than this are parsed in paragraph-aligned pieces of at most this size, one at a
#: time, and joined into one Doc: the parser's working memory grows with the text it holds at
#: once (a 900,000-character text parsed whole peaks at 3.2 GB; in pieces at 0.8 GB).
PIECE_CHARS = 100_000


def pieces(text: str, size: int) -> list[str]:
    """``text`` cut after line breaks into pieces of at most ``size`` characters (at a space, or
    anywhere, when a paragraph is longer); ``"".join(pieces(text, size)) == text``."""
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start, end)
        if cut <= start:
            cut = text.rfind(" ", start, end)
        end = cut + 1 if cut > start else end
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


#: A run of characters without a space longer than this is tokenised in pieces of this size:
#: spaCy's tokenizer strips prefixes and suffixes off a long run one at a time, in time growing
#: with the square of its length (16,000 brackets: 24 s; a 200,000-character one: about an hour).
#: No word is this long; a URL may be, and is then cut into tokens.
RUN_CHARS = 200
_LONG_RUN = re.compile(rf"\S{{{RUN_CHARS + 1},}}")


def cut_runs(text: str, size: int = RUN_CHARS) -> list[str]:
    """``text`` in consecutive parts, each run without a space longer than ``size`` cut every
    ``size`` characters; ``"".join(cut_runs(text)) == text``."""
    out: list[str] = []
    last = 0
    for match in re.finditer(rf"\S{{{size + 1},}}", text):
        for cut in range(match.start() + size, match.end(), size):
            out.append(text[last:cut])
            last = cut
    out.append(text[last:])
    return out


def _parse(nlp: Any, text: str) -> Doc:
    if len(text) <= PIECE_CHARS and _LONG_RUN.search(text) is None:
        return nlp(text)
    parts = [part for piece in pieces(text, PIECE_CHARS) for part in cut_runs(piece)]
    batch = max(1, PIECE_CHARS // max(len(p) for p in parts))
    doc = Doc.from_docs(list(nlp.pipe(parts, batch_size=batch)), ensure_whitespace=False)
    if doc.text != text:  # never expected: offsets must point into the article's own text
        raise ValueError("the pieces of a long text do not join back into it")
    return doc


def _parse_group(nlp: Any, texts: list[str]) -> list[Doc | Exception]:
    """Each text's Doc, or the exception parsing it raised. Short texts go through
    ``nlp.pipe`` together, as spaCy's authors intend: its layers then run on one matrix for the
    group instead of one small one per text (1,000 two-sentence records: 5.2 CPU s instead of
    10.8; the same parses, tag for tag, on findings-dev's 90 articles)."""
    if len(texts) > 1 and not any(_LONG_RUN.search(t) for t in texts):
        try:
            return list(nlp.pipe(texts, batch_size=len(texts)))
        except Exception:  # noqa: BLE001 - find the text spaCy fails on: it must fail alone
            pass
    out: list[Doc | Exception] = []
    for text in texts:
        try:
            out.append(_parse(nlp, text))
        except Exception as exc:  # noqa: BLE001 - reported as that article's failure
            out.append(exc)
    return out


def _groups(articles: list[CleanArticle], max_chars: int) -> Iterator[list[CleanArticle]]:
    """Consecutive articles parsed together: short ones up to ``PIECE_CHARS`` characters in all
    (the parser's memory grows with what it holds at once), a long one alone."""
    group: list[CleanArticle] = []
    size = 0
    for article in articles:
        n = len(article.text)
        if group and (size + n > PIECE_CHARS or n > PIECE_CHARS or n > max_chars):
            yield group
            group, size = [], 0
        group.append(article)
        size += n
        if n > PIECE_CHARS or n > max_chars:
            yield group
            group, size = [], 0
    if group:
        yield group


def iter_batch(articles: list[CleanArticle], *, model: str, cue_lexicon: str = "",
               max_chars: int = 300_000) -> Iterator[Analysis | InputFailure]:
    """Analyse one batch with one pipeline load, yielding as each article is done: an Analysis,
    or an InputFailure for one over ``max_chars`` or whose parse or analysis raised (the rest of
    the batch goes on). Texts over ``PIECE_CHARS`` are parsed in pieces, offsets exact."""
    nlp = load_pipeline(model)
    # spaCy refuses texts over nlp.max_length; storyline's own limit (max_chars) decides instead.
    nlp.max_length = max(nlp.max_length, max_chars + 1)
    lexicon = None
    if cue_lexicon:
        from .learn import load_cue_lexicon

        lexicon = load_cue_lexicon(cue_lexicon)
    for group in _groups(articles, max_chars):
        if len(group) == 1 and len(group[0].text) > max_chars:
            yield _too_long(group[0], max_chars)
            continue
        for article, doc in zip(group, _parse_group(nlp, [a.text for a in group]), strict=True):
            try:
                if isinstance(doc, Exception):
                    raise doc
                result: Analysis | InputFailure = analyze_doc(doc, article, lexicon=lexicon)
            except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
                result = InputFailure(one_line(article.article.source, MAX_MESSAGE // 2),
                                      f"analysis failed ({describe(exc)}); please report this as a bug",
                                      internal=True)
            yield result


def analyze_batch(articles: list[CleanArticle], *, model: str, cue_lexicon: str = "",
                  max_chars: int = 300_000) -> list[Analysis | InputFailure]:
    """Analyse one batch with one pipeline load: an Analysis per article, or an InputFailure for one
    over ``max_chars`` or whose analysis raised (the rest of the batch goes on)."""
    return list(iter_batch(articles, model=model, cue_lexicon=cue_lexicon, max_chars=max_chars))


def deliver(results: Iterable[Analysis | InputFailure],
            on_failure: Callable[[InputFailure], None] | None = None) -> Iterator[Analysis]:
    """Analyses from a worker's results; failures go to ``on_failure`` (or are dropped)."""
    for item in results:
        if isinstance(item, InputFailure):
            if on_failure:
                on_failure(item)
        else:
            yield item


def analyze_article(article: CleanArticle, options: Options | None = None) -> Analysis:
    """Analyse one cleaned article (loads the pipeline on first use)."""
    opts = options or Options()
    result = batch_worker(opts)([article])[0]
    if isinstance(result, InputFailure):
        raise AnalysisError(str(result))
    return result


#: How many distinct texts a run remembers to find copies of (and how many characters of them):
#: a copy of one of them is not analysed again. A bound, so a stream of distinct long texts
#: holds no more than this beyond what its consumer keeps.
RECENT_TEXTS = 4096
RECENT_CHARS = 8_000_000

_TextKey = tuple[str, date | None, tuple[Paragraph, ...]]


@dataclass(slots=True)
class _Shared:
    """The result of an article's analysis, filled in when it is done, for its copies."""

    result: Analysis | InputFailure | None = None


class _Copies:
    """Exact copies of one text in a stream of articles (the same cleaned text, paragraphs and
    publication date: everything the analysis reads), so each distinct text is analysed once
    and its copies take its analysis with their own article. The copy's offsets are exact slices
    of its own text, which is the same string. Results come out in the stream's order."""

    def __init__(self, *, texts: int = RECENT_TEXTS, chars: int = RECENT_CHARS) -> None:
        self.texts, self.chars = texts, chars
        self.recent: OrderedDict[_TextKey, _Shared] = OrderedDict()
        self.held = 0
        # the articles read and not yet given out, in order: (article, its result's cell, original?)
        self.pending: deque[tuple[CleanArticle, _Shared, bool]] = deque()

    def originals(self, articles: Iterable[CleanArticle]) -> Iterator[CleanArticle]:
        """The articles whose text was not met among the recent ones, to be analysed."""
        for article in articles:
            key = (article.text, article.article.published, article.paragraphs)
            shared = self.recent.get(key)
            if shared is not None:
                self.recent.move_to_end(key)
                self.pending.append((article, shared, False))
                continue
            shared = self.recent[key] = _Shared()
            self.held += len(article.text)
            while len(self.recent) > self.texts or (self.held > self.chars and len(self.recent) > 1):
                old, _ = self.recent.popitem(last=False)
                self.held -= len(old[0])
            self.pending.append((article, shared, True))
            yield article

    def settle(self, result: Analysis | InputFailure) -> Iterator[Analysis | InputFailure]:
        """The result of the next original, with those of the copies read before and after it."""
        yield from self.copies()
        article, shared, original = self.pending.popleft()
        if not original:  # never expected: results come one per original, in order
            raise RuntimeError("analyses came out of order")
        shared.result = result
        yield result
        yield from self.copies()

    def copies(self) -> Iterator[Analysis | InputFailure]:
        """The results of the copies at the head of the stream (their originals are done)."""
        while self.pending and not self.pending[0][2]:
            article, shared, _ = self.pending.popleft()
            result = shared.result
            if isinstance(result, Analysis):
                yield replace(result, article=article)
            elif result is not None:
                yield InputFailure(one_line(article.article.source, MAX_MESSAGE // 2), result.reason,
                                   result.internal)


def _shared(articles: Iterable[CleanArticle],
            produce: Callable[[Iterable[CleanArticle]], Iterable[Analysis | InputFailure]],
            on_done: Callable[[int], None] | None,
            on_failure: Callable[[InputFailure], None] | None) -> Iterator[Analysis]:
    """``produce`` (one result per article, in order) run on the first copy of each text only."""
    copies = _Copies()
    for result in produce(copies.originals(articles)):
        done = list(copies.settle(result))
        if on_done:
            on_done(len(done))
        yield from deliver(done, on_failure)
    done = list(copies.copies())
    if done and on_done:
        on_done(len(done))
    yield from deliver(done, on_failure)


def iter_analyses(
    articles: Iterable[CleanArticle],
    options: Options,
    *,
    on_done: Callable[[int], None] | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
) -> Iterator[Analysis]:
    """Analyse articles in batches, in order; ``options.workers`` > 1 uses a process pool, 0
    (``auto``) one for a large run (:func:`auto_workers`).

    With ``options.scheduler`` set ("local" or "tcp://HOST:PORT") the batches run on a
    Dask cluster instead (``storyline.distributed``), with the same results. A copy of a text
    met shortly before (a wire story under many ids) takes that text's analysis, not a parse.
    """
    scheduler = getattr(options, "scheduler", "")
    if scheduler:
        yield from iter_analyses_dask(articles, options, scheduler=scheduler, on_done=on_done,
                                      on_failure=on_failure)
        return
    yield from _shared(articles, partial(_results, options=options), on_done, on_failure)


#: ``workers = auto``: a pool once the distinct texts of a run reach this many characters in more
#: than one batch (below it, starting processes and loading the pipeline in each costs about what
#: they save), of one process per core up to AUTO_MAX_WORKERS.
AUTO_MIN_CHARS = 200_000
AUTO_MAX_WORKERS = 4


def cores() -> int:
    """The cores this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else (os.cpu_count() or 1)


def auto_workers(articles: Iterable[CleanArticle]) -> tuple[int, Iterator[CleanArticle]]:
    """The processes ``workers = auto`` gives a run of ``articles``, and the articles (those read
    to decide come first). One unless the run is large (:data:`AUTO_MIN_CHARS` in more than one
    batch), the machine has more than one core and this is the main thread: a pool is forked, and
    forking a process whose other threads hold locks (a web server's) is not safe."""
    it = iter(articles)
    n = cores()
    if n < 2 or threading.current_thread() is not threading.main_thread():
        return 1, it
    head: list[CleanArticle] = []
    chars = 0
    for article in it:
        head.append(article)
        chars += len(article.text)
        if chars >= AUTO_MIN_CHARS and len(head) > _BATCH:
            return min(n, AUTO_MAX_WORKERS), chain(head, it)
    return 1, iter(head)


def _results(articles: Iterable[CleanArticle], *, options: Options) -> Iterator[Analysis | InputFailure]:
    """One result per article, in order, in this process or on a process pool."""
    workers = options.workers
    if workers <= 0:
        workers, articles = auto_workers(articles)
    batches = in_batches(articles, _BATCH)

    def here(todo: Iterable[list[CleanArticle]]) -> Iterator[Analysis | InputFailure]:
        # in this process results come one article at a time, and so does progress
        for batch in todo:
            yield from iter_batch(batch, model=options.model, cue_lexicon=getattr(options, "cue_lexicon", ""),
                                  max_chars=options.max_chars)

    if workers <= 1:
        yield from here(batches)
        return
    held = list(batches)  # the pool takes every batch at once anyway
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for results in pool.map(batch_worker(options), held):
                yield from results
                done += 1
        return
    except (BrokenProcessPool, OSError) as exc:
        # a worker killed (out of memory) or no pool on this system: the rest here, nothing lost
        _log.warning("storyline: the pool of %d worker processes stopped (%s); analysing the remaining "
                     "%d article(s) in this process", workers, describe(exc), sum(len(b) for b in held[done:]))
    yield from here(held[done:])


def batch_worker(options: Options) -> Callable[[list[CleanArticle]], list[Analysis | InputFailure]]:
    """:func:`analyze_batch` bound to the options' pipeline and cue lexicon: picklable, the same for
    this process, a process pool and a Dask cluster."""
    return partial(analyze_batch, model=options.model, cue_lexicon=getattr(options, "cue_lexicon", ""),
                   max_chars=options.max_chars)


def in_batches(items: Iterable[CleanArticle], size: int) -> Iterator[list[CleanArticle]]:
    """Consecutive lists of ``size`` items (the last may be shorter)."""
    batch: list[CleanArticle] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def iter_analyses_dask(
    articles: Iterable[CleanArticle],
    options: Options,
    *,
    scheduler: str | None = None,
    client: Any = None,
    batch_size: int = DASK_BATCH,
    on_done: Callable[[int], None] | None = None,
    on_failure: Callable[[InputFailure], None] | None = None,
) -> Iterator[Analysis]:
    """Analyse articles on a Dask cluster, in order; the same results as ``iter_analyses`` in one process.

    Give a ``client`` to reuse a cluster across calls, else ``scheduler`` (default
    ``options.scheduler``) names one to connect to for this call.
    """
    if client is not None:
        # the same worker as iter_analyses' process pool, so results are the same
        worker = batch_worker(options)

        def produce(originals: Iterable[CleanArticle]) -> Iterator[Analysis | InputFailure]:
            batches = in_batches(originals, batch_size)
            for results in map_batches(client, worker, batches, window=2 * worker_count(client)):
                yield from results

        yield from _shared(articles, produce, on_done, on_failure)
        return
    name = scheduler or str(getattr(options, "scheduler", "") or "local")
    with dask_client(name, workers=options.workers or min(cores(), AUTO_MAX_WORKERS)) as own:
        yield from iter_analyses_dask(articles, options, client=own, batch_size=batch_size, on_done=on_done,
                                      on_failure=on_failure)
