"""Per-article analysis: long texts are parsed in pieces with offsets kept exact."""

from __future__ import annotations

import importlib

import pytest

from storyline.analyze import RUN_CHARS, analyze_batch, cut_runs, pieces
from storyline.clean import clean
from storyline.ingest import read_article_text
from storyline.models import Analysis
from storyline.options import Options


@pytest.mark.parametrize(("text", "size"), [
    ("short", 10),
    ("one\ntwo\nthree\nfour\n", 9),
    ("a paragraph without any line break at all", 12),
    ("x" * 50, 7),  # no break and no space: cut anywhere
    ("line one\n" + "word " * 30 + "\nlast", 20),
])
def test_pieces_join_back_and_fit(text: str, size: int) -> None:
    parts = pieces(text, size)
    assert "".join(parts) == text
    assert all(0 < len(p) <= size for p in parts)


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("one\ntwo\nthree\nfour\n", 9, ["one\ntwo\n", "three\n", "four\n"]),  # after a line break
    ("aaa bbb ccc", 8, ["aaa bbb ", "ccc"]),  # no line break within reach: after a space
    ("abcdefgh", 3, ["abc", "def", "gh"]),  # neither: anywhere
    ("short", 10, ["short"]),
])
def test_pieces_cut_at_paragraphs_first(text: str, size: int, expected: list[str]) -> None:
    assert pieces(text, size) == expected


def test_a_long_text_in_pieces_keeps_exact_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = ("“We will rebuild the pier before the summer,” harbour master Lena Okafor said on Monday. "
                 "The council approved 12 million pounds for the repairs.\n")
    text = paragraph * 12
    module = importlib.import_module("storyline.analyze")
    monkeypatch.setattr(module, "PIECE_CHARS", 400)
    cut: list[int] = []
    real_pieces = module.pieces

    def counted(text: str, size: int) -> list[str]:
        parts = real_pieces(text, size)
        cut.append(len(parts))
        return parts

    monkeypatch.setattr(module, "pieces", counted)
    article = clean(read_article_text(text, source="long.txt"), Options())
    [result] = analyze_batch([article], model="auto")
    assert isinstance(result, Analysis)
    assert cut and cut[0] >= 6  # parsed in pieces of at most 400 characters, not whole
    assert len(result.quotes) >= 10
    for q in result.quotes:
        assert article.text[q.start:q.end] == q.text
    for c in result.claims:
        assert article.text[c.start:c.end] == c.text


@pytest.mark.parametrize(("text", "size", "expected"), [
    ("a short line of words", 5, ["a short line of words"]),  # no run longer than the size
    ("ab [[[[[[[[[[ cd", 4, ["ab [[[[", "[[[[", "[[ cd"]),  # a long run cut every 4 characters
    ("[[[[[[[[", 4, ["[[[[", "[[[["]),  # exactly two sizes: no empty part
    ("x" * 5 + " " + "y" * 5, 5, ["xxxxx yyyyy"]),  # runs as long as the size stay whole
    ("one https://example.org/" + "p" * 9 + " two", 10, ["one https://ex", "ample.org/", "ppppppppp two"]),
])
def test_cut_runs(text: str, size: int, expected: list[str]) -> None:
    assert cut_runs(text, size) == expected
    assert "".join(cut_runs(text, size)) == text


@pytest.mark.parametrize("run", [
    "[" * 3000 + "]" * 3000,  # a JSON nesting read as a plain text
    "=-" * 2500,
])
def test_a_long_run_of_punctuation_is_tokenised_in_pieces(run: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy's tokenizer takes such a run apart one prefix at a time (16,000 brackets: 24 s), so
    # it reaches the tokenizer in pieces of at most RUN_CHARS characters
    text = "Harbour master Lena Okafor said on Monday the pier would reopen. " + run + "\nThe council agreed."
    module = importlib.import_module("storyline.analyze")
    seen: list[int] = []
    real_cut = module.cut_runs

    def counted(piece: str, size: int = RUN_CHARS) -> list[str]:
        parts = real_cut(piece, size)
        seen.extend(len(p) for p in parts)
        return parts

    monkeypatch.setattr(module, "cut_runs", counted)
    article = clean(read_article_text(text, source="run.txt"), Options())
    [result] = analyze_batch([article], model="auto")
    assert isinstance(result, Analysis)
    assert len(seen) >= len(run) // RUN_CHARS and max(seen) <= RUN_CHARS + 70
    assert [article.text[s:e] for s, e in result.sentences][0].startswith("Harbour master")


def _articles(texts: list[str]) -> list:  # type: ignore[type-arg]
    return [clean(read_article_text(t, source=f"t{i}.txt"), Options()) for i, t in enumerate(texts)]


SHORT = [
    "Mayor Ana Lind opened the ferry terminal on Monday, the council said.",
    "“The pier stays shut until May,” harbour master Ole Berg told reporters on Tuesday.",
    "Fishermen in Port Avel counted 40 damaged boats after the storm.",
    "The council of Merrow approved 12 new moorings last week, a spokesman said.",
]


def test_short_texts_parsed_together_give_the_analyses_of_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    module = importlib.import_module("storyline.analyze")
    sizes: list[int] = []
    real_group = module._parse_group

    def counted(nlp, texts):  # type: ignore[no-untyped-def]
        sizes.append(len(texts))
        return real_group(nlp, texts)

    monkeypatch.setattr(module, "_parse_group", counted)
    articles = _articles(SHORT)
    together = analyze_batch(articles, model="auto")
    assert sizes == [len(SHORT)]
    alone = [analyze_batch([a], model="auto")[0] for a in articles]
    assert together == alone


@pytest.mark.parametrize(("lengths", "limit", "expected"), [
    ([10, 10, 10], 100, [3]),
    ([60, 60, 10], 100, [1, 2]),  # the group holds at most PIECE_CHARS characters
    ([10, 150, 10], 1000, [1, 1, 1]),  # a text over PIECE_CHARS is parsed alone, in pieces
    ([10, 50, 10], 40, [1, 1, 1]),  # one over max_chars stands alone (it is refused)
    ([], 100, []),
])
def test_groups_of_texts_parsed_together(monkeypatch: pytest.MonkeyPatch, lengths: list[int], limit: int,
                                         expected: list[int]) -> None:
    module = importlib.import_module("storyline.analyze")
    monkeypatch.setattr(module, "PIECE_CHARS", 100)
    articles = _articles(["x" * n for n in lengths])
    groups = list(module._groups(articles, limit))
    assert [len(g) for g in groups] == expected
    assert [a for g in groups for a in g] == articles


class _Refusing:
    """A pipeline that cannot parse any text holding "BROKEN" (alone or in a group)."""

    def __init__(self, real) -> None:  # type: ignore[no-untyped-def]
        self.real = real
        self.max_length = real.max_length

    def __call__(self, text: str):  # type: ignore[no-untyped-def]
        if "BROKEN" in text:
            raise ValueError("cannot parse this text")
        return self.real(text)

    def pipe(self, texts, batch_size: int):  # type: ignore[no-untyped-def]
        texts = list(texts)
        if any("BROKEN" in t for t in texts):
            raise ValueError("cannot parse this text")
        return self.real.pipe(texts, batch_size=batch_size)


def test_a_text_the_parser_fails_on_fails_alone_in_its_group(monkeypatch: pytest.MonkeyPatch) -> None:
    from storyline.models import InputFailure
    from storyline.nlp import load_pipeline

    module = importlib.import_module("storyline.analyze")
    monkeypatch.setattr(module, "load_pipeline", lambda name: _Refusing(load_pipeline(name)))
    texts = [SHORT[0], "The BROKEN record of the council.", SHORT[1]]
    results = analyze_batch(_articles(texts), model="auto")
    assert [type(r) for r in results] == [Analysis, InputFailure, Analysis]
    assert "t1.txt" in str(results[1]) and "cannot parse this text" in str(results[1])
    monkeypatch.undo()
    assert results[0] == analyze_batch(_articles(texts[:1]), model="auto")[0]


def _article(text: str, source: str, published: str | None = None):  # type: ignore[no-untyped-def]
    from datetime import date

    from storyline.models import Article

    day = date.fromisoformat(published) if published else None
    return clean(Article(id=source, raw=text, source=source, published=day), Options())


@pytest.mark.parametrize(("texts", "batch", "analysed"), [
    ("ABA", 2, "AB"),
    ("AAB", 2, "AB"),
    ("ABBA", 1, "AB"),
    ("AAAA", 3, "A"),
    ("ABCABC", 2, "ABC"),
    ("ABCD", 2, "ABCD"),  # no copies: every text analysed
    ("", 2, ""),
])
def test_copies_take_their_originals_result_in_stream_order(texts: str, batch: int, analysed: str) -> None:
    from storyline.analyze import _shared, in_batches
    from storyline.models import InputFailure

    words = {"A": "The pier stays shut.", "B": "The ferry sails at noon.", "C": "Boats were counted.",
             "D": "The levy was raised."}
    articles = [_article(words[t], f"src-{i}") for i, t in enumerate(texts)]
    seen: list[str] = []

    def produce(originals):  # type: ignore[no-untyped-def]
        # consumed lazily, a batch at a time, like the analysis workers
        for group in in_batches(originals, batch):
            for a in group:
                seen.append(a.text)
                yield InputFailure(a.article.source, f"result of {a.text}")

    failures: list[InputFailure] = []
    done: list[int] = []
    assert list(_shared(articles, produce, done.append, failures.append)) == []
    assert seen == [words[t] for t in analysed]
    assert [(f.source, f.reason) for f in failures] == [(f"src-{i}", f"result of {words[t]}")
                                                        for i, t in enumerate(texts)]
    assert sum(done) == len(texts)


def test_a_copy_is_analysed_as_its_original_with_its_own_article() -> None:
    from storyline.analyze import iter_analyses

    text = "“The pier stays shut until May,” harbour master Ole Berg told reporters on Tuesday."
    articles = [_article(text, "first", "2026-03-02"), _article(SHORT[0], "other", "2026-03-02"),
                _article(text, "copy", "2026-03-02"),
                _article(text, "later", "2026-03-09")]  # another day: its dates resolve otherwise
    parsed: list[str] = []
    module = importlib.import_module("storyline.analyze")
    real_group = module._parse_group

    def counted(nlp, texts):  # type: ignore[no-untyped-def]
        parsed.extend(a[:12] for a in texts)
        return real_group(nlp, texts)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(module, "_parse_group", counted)
        results = list(iter_analyses(articles, Options()))
    assert len(parsed) == 3  # the copy is not parsed again
    assert [r.article for r in results] == articles
    assert results == [analyze_batch([a], model="auto")[0] for a in articles]
    copy = results[2]
    assert copy.quotes and all(copy.article.text[q.start:q.end] == q.text for q in copy.quotes)



def test_sources_are_grouped_inside_each_story_as_the_store_groups_them() -> None:
    """Two outlets that each report two stories, one story's reports copied from each other: the
    other story's reports stay two sources (a chain through the copied story does not join them)."""
    import storyline
    from outlets import chained_sources

    report = storyline.analyze(chained_sources())
    assert {tuple(sorted(a.id for a in s.articles)) for s in report.stories} == {("a", "d"), ("b", "c")}
    groups = {a.id: a.source_group for s in report.stories for a in s.articles}
    assert groups["a"] != groups["d"]  # run-wide, a ~ b (outlet) ~ c (copy) ~ d (outlet) made them one
    assert groups["b"] == groups["c"]


# ---------------------------------------------------------------- workers = auto

def _sized(n: int, chars: int) -> list:  # type: ignore[type-arg]
    from storyline.models import Article, CleanArticle

    text = ("The pier stays shut. " * (chars // 21 + 1))[:chars]
    return [CleanArticle(Article(f"a{i}", text, f"a{i}.txt"), text, ()) for i in range(n)]


@pytest.mark.parametrize(("n", "chars", "cores", "expected"), [
    (3, 1_000, 2, 1),  # a few articles: this process
    (40, 1_000, 2, 1),  # many short ones, 40,000 characters in all: this process
    (10, 30_000, 2, 1),  # 300,000 characters in one batch: one task, no pool
    (40, 10_000, 2, 2),  # 400,000 characters in two batches: one process per core
    (40, 10_000, 1, 1),  # one core
    (40, 10_000, 16, 4),  # at most AUTO_MAX_WORKERS
    (0, 0, 2, 1),
])
def test_auto_workers_start_a_pool_only_for_a_large_run(monkeypatch: pytest.MonkeyPatch, n: int, chars: int,
                                                         cores: int, expected: int) -> None:
    analyze = importlib.import_module("storyline.analyze")  # the module, not the package's function
    monkeypatch.setattr(analyze, "cores", lambda: cores)
    articles = _sized(n, chars)
    workers, rest = analyze.auto_workers(iter(articles))
    assert workers == expected
    assert list(rest) == articles  # the articles read to decide come first, none lost


def test_auto_workers_never_fork_from_another_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    analyze = importlib.import_module("storyline.analyze")
    monkeypatch.setattr(analyze, "cores", lambda: 2)
    got: list[int] = []
    thread = threading.Thread(target=lambda: got.append(analyze.auto_workers(_sized(40, 10_000))[0]))
    thread.start()
    thread.join()
    assert got == [1]


@pytest.mark.parametrize(("setting", "expected"), [("auto", 0), ("AUTO", 0), ("3", 3), ("1", 1)])
def test_workers_setting(monkeypatch: pytest.MonkeyPatch, setting: str, expected: int) -> None:
    from storyline.options import load_options

    monkeypatch.setenv("STORYLINE_CONFIG", "/dev/null")
    assert load_options().workers == 0  # the shipped default is auto
    monkeypatch.setenv("STORYLINE_WORKERS", setting)
    assert load_options().workers == expected


@pytest.mark.parametrize("setting", ["-1", "many"])
def test_a_bad_workers_setting_is_refused(monkeypatch: pytest.MonkeyPatch, setting: str) -> None:
    from storyline.errors import ConfigError
    from storyline.options import load_options

    monkeypatch.setenv("STORYLINE_CONFIG", "/dev/null")
    monkeypatch.setenv("STORYLINE_WORKERS", setting)
    with pytest.raises(ConfigError, match="'workers'"):
        load_options()


def test_a_large_run_under_auto_is_analysed_on_a_pool_with_the_same_results(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from storyline.analyze import iter_analyses

    analyze = importlib.import_module("storyline.analyze")
    articles = _articles(SHORT + SHORT[::-1])  # copies too: each text is analysed once
    alone = list(iter_analyses(articles, Options(workers=1)))
    pools: list[int] = []

    class Pool(ProcessPoolExecutor):
        def __init__(self, max_workers: int) -> None:
            pools.append(max_workers)
            super().__init__(max_workers=max_workers)

    # "large" made small: more than one batch of two, 100 characters
    monkeypatch.setattr(analyze, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(analyze, "cores", lambda: 2)
    monkeypatch.setattr(analyze, "AUTO_MIN_CHARS", 100)
    monkeypatch.setattr(analyze, "_BATCH", 2)
    pooled = list(iter_analyses(articles, Options(workers=0)))
    assert pools == [2]
    assert pooled == alone


@pytest.mark.parametrize("failure", ["broken", "no pool"])
def test_a_pool_that_breaks_leaves_the_rest_to_this_process(monkeypatch: pytest.MonkeyPatch,
                                                            caplog: pytest.LogCaptureFixture, failure: str) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from storyline.analyze import iter_analyses

    analyze = importlib.import_module("storyline.analyze")
    articles = _articles(SHORT + [t.replace("the", "a") for t in SHORT])
    alone = list(iter_analyses(articles, Options(workers=1)))

    class Pool:
        """A pool whose first batch comes back and whose worker then dies (or that cannot start)."""

        def __init__(self, max_workers: int) -> None:
            if failure == "no pool":
                raise OSError(38, "Function not implemented")

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def map(self, fn, batches):  # type: ignore[no-untyped-def]
            yield fn(batches[0])
            raise BrokenProcessPool("a process in the pool was terminated abruptly")

    monkeypatch.setattr(analyze, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(analyze, "_BATCH", 3)
    got = list(iter_analyses(articles, Options(workers=2)))
    assert got == alone  # every article once, in order
    distinct = len({a.text for a in articles})  # copies are not analysed again
    left = distinct - (3 if failure == "broken" else 0)
    assert f"analysing the remaining {left} article(s) in this process" in caplog.text
