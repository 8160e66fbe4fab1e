"""The store, run against SQLite and a real PostgreSQL 15 (same tests, both backends)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select, text
from svc_support import CORPUS

from storyline.cluster import ClusterSettings, DocVector, MemoryState
from storyline.models import Analysis
from storyline.options import Options
from storyline.report import SCHEMA
from storyline.service.graph import SqlState
from storyline.service.serialize import analysis_from_dict, analysis_to_dict
from storyline.service.store import NotFoundError, Store, StoreError


def _by_id(analyses: list[Analysis]) -> dict[str, Analysis]:
    return {a.article.article.id: a for a in analyses}


def test_analysis_json_round_trip(corpus: list[Analysis]) -> None:
    for a in corpus:
        assert analysis_from_dict(json.loads(json.dumps(analysis_to_dict(a)))) == a


def test_unknown_analysis_format_is_refused(corpus: list[Analysis]) -> None:
    d = analysis_to_dict(corpus[0])
    d["format"] = 99
    with pytest.raises(ValueError, match="format 99"):
        analysis_from_dict(d)


def test_schema_is_migrated_and_recorded(store: Store) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    import storyline.service.store as store_module

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None and head >= "0003"
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == head
    Store(store.url).close()  # opening again is a no-op migration


def test_ingest_is_idempotent(store: Store, corpus: list[Analysis], options: Options) -> None:
    first = store.add(corpus, options)
    assert sorted(first.stored) == sorted(r["id"] for r in CORPUS)
    again = store.add(corpus, options)
    assert again.stored == () and sorted(again.duplicates) == sorted(first.stored)
    assert store.count()[1] == len(CORPUS)
    # the same URL with new text is the same article; new text under a new URL is not
    harbour = _by_id(corpus)["harbour-times"]
    moved = replace(harbour.article.article, url="https://elsewhere.example/x", raw=harbour.article.article.raw + " ")
    assert store.add([replace(harbour, article=replace(harbour.article, article=moved))], options).duplicates


def test_taken_id_gets_a_suffix(store: Store, corpus: list[Analysis], options: Options) -> None:
    zoo = _by_id(corpus)["zoo-note"]
    store.add([zoo], options)
    other = replace(zoo.article.article, raw=zoo.article.article.raw + "\nMore pandas arrive in June.", url=None)
    result = store.add([replace(zoo, article=replace(zoo.article, article=other))], options)
    assert len(result.stored) == 1 and result.stored[0].startswith("zoo-note-")
    assert store.article(result.stored[0]).analysis.article.article.id == result.stored[0]


def test_stories_form_and_grow_incrementally(store: Store, corpus: list[Analysis], options: Options) -> None:
    by_id = _by_id(corpus)
    r1 = store.add([by_id["harbour-times"]], options)
    story_id = r1.stories[0]
    r2 = store.add([by_id["zoo-note"]], options)
    assert r2.stories[0] != story_id
    r3 = store.add([by_id["coast-herald"]], options)
    assert r3.stories == (story_id,), "the second harbour article joins the harbour story"
    story = store.story(story_id)
    assert story["id"] == story_id
    assert {a["id"] for a in story["articles"]} == {"harbour-times", "coast-herald"}
    assert {f["kind"] for f in story["findings"]} >= {"conflict"}
    listed = store.stories()
    assert [s.id for s in listed][0] == story_id, "newest activity first"
    top = listed[0]
    assert (top.article_count, top.outlet_count) == (2, 2)
    assert top.conflict_count == sum(f["kind"] == "conflict" for f in story["findings"]) > 0
    # untouched stories keep their report
    assert store.story(r2.stories[0])["articles"][0]["id"] == "zoo-note"


def test_report_speaks_the_contract(store: Store, corpus: list[Analysis], options: Options) -> None:
    store.add(corpus, options)
    report = store.report(store.stories()[0].id)
    assert report["schema"] == SCHEMA
    (story,) = report["stories"]
    assert set(story) >= {"id", "title", "articles", "entities", "quotes", "claims", "events", "findings"}
    texts = {a["id"]: a["text"] for a in story["articles"]}
    for q in story["quotes"]:
        assert texts[q["article_id"]][q["start"]:q["end"]] == q["text"]
    for f in story["findings"]:
        for ev in f["evidence"]:
            assert texts[ev["article_id"]][ev["start"]:ev["end"]] == ev["text"]


def test_seed_story_incrementally(store: Store, seeds: list[Analysis], options: Options) -> None:
    first = store.add(seeds[:1], options)
    second = store.add(seeds[1:], options)
    assert second.stories == first.stories
    story = store.story(first.stories[0])
    assert len(story["articles"]) == 2
    assert any(f["kind"] == "conflict" for f in story["findings"])


@pytest.mark.parametrize("query", ["", "   ", '"', "AND (", "*", "NEAR(a b)", "\x00", "col:harbour", "ünïcödé",
                                   "' OR 1=1 --", "a" * 400])
def test_search_never_fails_on_odd_queries(store: Store, corpus: list[Analysis], options: Options,
                                           query: str) -> None:
    store.add(corpus, options)
    assert isinstance(store.search(query), list)


def test_search_finds_articles_and_quotes(store: Store, corpus: list[Analysis], options: Options) -> None:
    store.add(corpus, options)
    hits = store.search("pandas")
    assert {h.article_id for h in hits} == {"zoo-note"}
    quote_hits = [h for h in store.search("settling well") if h.kind == "quote"]
    assert quote_hits and quote_hits[0].ref.startswith("zoo-note:")
    assert quote_hits[0].body.startswith("Lind said: ")  # the cue is shown with the speaker
    assert any(h.kind == "article" for h in store.search("bridges"))  # stemmed: bridges ~ bridge
    assert store.search("pandas bridge") == []


def test_failed_batch_leaves_nothing(store: Store, corpus: list[Analysis], options: Options,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    store.add(corpus[:1], options)
    before = (store.count(), store.search("pandas"))

    def boom(*args: object, **kw: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "_reconcile", boom)
    with pytest.raises(RuntimeError):
        store.add(corpus[1:], options)
    monkeypatch.undo()
    assert (store.count(), store.search("pandas")) == before
    assert sorted(store.add(corpus, options).stored) == sorted(a.article.article.id for a in corpus[1:])


def test_unknown_ids_raise_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.story("S-none")
    with pytest.raises(NotFoundError):
        store.article("none")


def test_bad_urls_are_clear_errors(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError, match="unsupported database"):
        Store("mysql://x@localhost/db")
    with pytest.raises(StoreError, match="cannot read database URL"):
        Store("::not a url::")


# ---------------------------------------------------------------- one story engine


def _stored_partition(store: Store) -> set[frozenset[str]]:
    from storyline.service.models import ARTICLES

    with store.engine.connect() as conn:
        rows = conn.execute(select(ARTICLES.c.id, ARTICLES.c.story_id)).all()
    stories: dict[str, set[str]] = {}
    for article_id, story_id in rows:
        stories.setdefault(story_id, set()).add(article_id)
    return {frozenset(v) for v in stories.values()}


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_one_at_a_time_in_any_order_the_store_holds_the_stories_of_analyze(
        store: Store, corpus: list[Analysis], seeds: list[Analysis], options: Options, seed: int) -> None:
    import random

    from storyline.cluster import cluster_stories

    analyses = seeds + corpus
    ids = [a.article.article.id for a in analyses]
    whole = {frozenset(ids[i] for i in g) for g in cluster_stories(analyses, threshold=options.cluster_threshold)}
    order = list(range(len(analyses)))
    random.Random(seed).shuffle(order)
    for i in order:
        store.add([analyses[i]], options)
    assert _stored_partition(store) == whole
    listed = {s.id: s for s in store.stories(limit=500)}
    assert len(listed) == len(whole), "a story that lost its last article is gone"
    for sid, summary in listed.items():
        story = store.story(sid)
        assert summary.article_count == len(story["articles"])
        assert {a["id"] for a in story["articles"]} in whole
        for hit_story in {h.story_id for h in store.search(story["articles"][0]["id"].split("-")[0])}:
            assert hit_story in listed, "search rows follow their article's story"


def test_unknown_outlets_count_once_per_source_group(store: Store, seeds: list[Analysis],
                                                      options: Options) -> None:
    assert all(a.article.article.outlet == "unknown" for a in seeds)
    (story_id,) = store.add(seeds, options).stories
    (summary,) = [s for s in store.stories() if s.id == story_id]
    story = store.story(story_id)
    assert len({a["source_group"] for a in story["articles"]}) == 2
    assert summary.outlet_count == 2


def test_a_store_from_before_the_story_graph_is_placed_again_when_opened(
        tmp_path: Path, corpus: list[Analysis], options: Options) -> None:
    from alembic import command
    from alembic.config import Config

    import storyline.service.store as store_module
    from storyline.cluster import cluster_stories
    from storyline.service.models import ARTICLES, STORIES
    from storyline.service.store import content_hash

    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Store(url, migrate=False)
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store_module.__file__).parent / "migrations"))
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        now = datetime.now(UTC)
        conn.execute(STORIES.insert().values(id="S-old", title="old", report="{}", article_count=len(corpus),
                                             outlet_count=1, conflict_count=0, quote_count=0, created_at=now,
                                             updated_at=now))
        for a in corpus:  # the old rule put everything in one story
            art = a.article.article
            conn.execute(ARTICLES.insert().values(
                id=art.id, content_hash=content_hash(art), url=art.url, outlet=art.outlet, title=art.title,
                published=None, source=art.source, text=a.article.text,
                analysis=json.dumps(analysis_to_dict(a)), story_id="S-old", ingested_at=now))
    old.close()
    with Store(url) as store:
        ids = [a.article.article.id for a in corpus]
        assert _stored_partition(store) == {frozenset(ids[i] for i in g) for g in cluster_stories(corpus)}
        assert "S-old" not in {s.id for s in store.stories(limit=500)}, "the old story is replaced"
        assert all(store.story(s.id)["articles"] for s in store.stories(limit=500))


# ---------------------------------------------------------------- stories grown in batches


def _without_id(story: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in story.items() if k != "id"}


def _stale(store: Store) -> set[str]:
    from storyline.service.models import STORIES

    with store.engine.connect() as conn:
        return set(conn.execute(select(STORIES.c.id).where(STORIES.c.stale_since.is_not(None))).scalars())


@pytest.mark.parametrize("via", ["ingest", "add"])
def test_a_story_grown_in_batches_is_the_story_analyze_reports(store: Store, options: Options, via: str) -> None:
    from dataclasses import asdict

    from svc_support import story_article

    from storyline.analyze import iter_analyses
    from storyline.clean import clean
    from storyline.pipeline import analyze

    articles = [story_article(n) for n in range(9)]
    whole = analyze(articles, options)
    assert len(whole.stories) == 1, "the articles tell one story"
    expected = _without_id(json.loads(json.dumps(asdict(whole.stories[0]))))
    assert any(f["kind"] == "conflict" for f in expected["findings"])  # type: ignore[union-attr]
    if via == "ingest":
        seen: list[tuple[int, set[str]]] = []

        def on_batch(result: object) -> None:
            (summary,) = store.stories()
            # between batches a reader finds the story's last whole report, marked stale
            seen.append((len(store.story(summary.id)["articles"]), _stale(store)))

        store.ingest(articles, options, batch_size=2, on_batch=on_batch)
        assert seen[0] == (2, set()), "a new story is reconciled in the batch that makes it"
        assert all(n == 2 and stale for n, stale in seen[1:]), "later batches only mark it stale"
    else:
        for a in iter_analyses([clean(a, options) for a in articles], options):
            store.add([a], options)
    (summary,) = store.stories()
    assert _stale(store) == set()
    assert _without_id(store.story(summary.id)) == expected
    assert summary.article_count == len(articles)


def test_a_story_stale_when_the_store_is_opened_is_reconciled_by_the_next_run(
        store: Store, options: Options) -> None:
    from svc_support import story_article

    from storyline.service.models import STORIES

    first = [story_article(n) for n in range(4)]
    store.ingest(first, options, batch_size=2)
    (summary,) = store.stories()
    before = store.story(summary.id)
    with store.engine.begin() as conn:  # as a run killed after its batches leaves it
        conn.execute(STORIES.update().values(stale_since=datetime.now(UTC)))
    assert store.story(summary.id) == before, "a stale story reads as its last whole report"
    result = store.ingest(first, options)
    assert result.duplicates and not result.stored
    assert _stale(store) == set()
    assert store.story(summary.id) == before


def _vec(terms: str, day: int | None) -> DocVector:
    empty_i, empty_v = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
    return DocVector(f"k{terms}{day}{uuid.uuid4().hex}", day, empty_i, empty_v, empty_i, empty_v,
                     tuple(terms.split()))


# (articles in order: their index terms; the query's terms; the article it comes after (None:
# the last); which articles are candidates): each term offers its ``posting_max`` (here 3) most
# recent articles in reach that were added before the query's.
CANDIDATE_TABLE = [
    (["a", "a", "a", "a", "a"], "a", None, [2, 3, 4]),
    (["a", "a", "a", "a", "a"], "a", 3, [0, 1, 2]),
    (["a", "a", "a", "a", "a"], "a", 0, []),
    (["a", "a", "b", "b"], "a b", None, [0, 1, 2, 3]),
    (["a b", "a b", "a b", "a b", "b"], "a b", None, [1, 2, 3, 4]),  # a: 1 2 3, b: 2 3 4
    (["a", "c", "a"], "b", None, []),
]


@pytest.mark.parametrize(("posted", "query", "before", "expected"), CANDIDATE_TABLE)
def test_each_term_offers_its_most_recent_articles_in_both_states(
        store: Store, posted: list[str], query: str, before: int | None, expected: list[int]) -> None:
    settings = ClusterSettings(posting_max=3)
    with store.engine.begin() as conn:
        for state in (MemoryState(), SqlState(conn)):
            nodes = state.add_nodes([_vec(t, None) for t in posted], 1)
            limit = nodes[-1] + 1 if before is None else nodes[before]
            got = state.candidates(_vec(query, None), settings, before=limit)
            assert got == [nodes[i] for i in expected], type(state).__name__
        conn.rollback()


def test_the_most_recent_articles_are_taken_within_date_reach(store: Store) -> None:
    settings = ClusterSettings(posting_max=2)
    day = 740_000
    far = day + 10 * settings.max_gap()  # newer, but out of reach of the query's date
    with store.engine.begin() as conn:
        for state in (MemoryState(), SqlState(conn)):
            nodes = state.add_nodes([_vec("a", day - 1), _vec("a", day), _vec("a", None), _vec("a", int(far)),
                                     _vec("a", int(far) + 1)], 1)
            after = nodes[-1] + 1
            assert state.candidates(_vec("a", day), settings, before=after) == nodes[1:3], type(state).__name__
            assert state.candidates(_vec("a", None), settings, before=after) == nodes[3:], type(state).__name__
        conn.rollback()


def test_a_burst_of_queued_jobs_reconciles_its_story_once_at_the_end(store: Store, options: Options) -> None:
    from svc_support import story_article

    from storyline.service.worker import run_worker

    records = [{"id": a.id, "text": a.raw, "url": a.url, "outlet": a.outlet}
               for a in map(story_article, range(5))]
    zoo = next(r for r in CORPUS if r["id"] == "zoo-note")
    zoo_more = {"id": "zoo-more", "outlet": "Hill Gazette", "url": "https://hillgazette.example/pandas",
                "text": "The two giant pandas at the Riverton zoo ate bamboo in front of visitors on Saturday.\n"
                        "Keeper Tomas Lind said the pandas had settled in quickly after their arrival."}
    store.enqueue([*records[:2], zoo])
    first = store.claim(lease=60)
    assert first is not None
    store.run_job(first, options)  # nothing else queued: reconciled in the job's transaction
    assert _stale(store) == set() and sorted(s.article_count for s in store.stories()) == [1, 2]
    canal = next(s.id for s in store.stories() if s.article_count == 2)
    for r in [zoo_more, *records[2:]]:
        store.enqueue([r])
    counts = []
    while (job := store.claim(lease=60)) is not None:
        store.run_job(job, options)
        counts.append((len(store.story(canal)["articles"]), canal in _stale(store)))
    assert counts == [(2, False), (2, True), (2, True), (5, False)], "only the last job reconciles, its own story"
    (other,) = _stale(store)  # the zoo story, grown by the burst's first job
    assert {a["id"] for a in store.story(other)["articles"]} == {"zoo-note"}
    run_worker(store.url, options, drain=True)  # the queue is empty: the worker reconciles it
    assert _stale(store) == set()
    assert {a["id"] for a in store.story(other)["articles"]} == {"zoo-note", "zoo-more"}


def test_a_story_changed_while_it_is_reconciled_is_not_overwritten(store: Store, options: Options,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from svc_support import story_article

    from storyline.analyze import iter_analyses
    from storyline.clean import clean

    analyses = list(iter_analyses([clean(story_article(n), options) for n in range(5)], options))
    store.add(analyses[:2], options)
    store.add(analyses[2:4], options, defer=True)
    (summary,) = store.stories()
    assert _stale(store) == {summary.id}
    import storyline.service.store as store_module

    real = store_module.reconcile
    calls = []

    def meanwhile(*args, **kwargs):  # type: ignore[no-untyped-def]
        story = real(*args, **kwargs)
        if not calls:  # another writer grows the story after its reconciliation was computed
            calls.append(story)
            with Store(store.url) as other:
                other.add(analyses[4:], options, defer=True)
        return story

    monkeypatch.setattr(store_module, "reconcile", meanwhile)
    assert store.reconcile_stale(options) == (), "reconciled from 4 members, it now has 5: not written"
    assert _stale(store) == {summary.id}
    assert len(store.story(summary.id)["articles"]) == 2, "readers still find the last whole report"
    assert store.reconcile_stale(options) == (summary.id,)
    assert _stale(store) == set() and len(store.story(summary.id)["articles"]) == 5


def test_sources_are_grouped_per_story_as_analyze_groups_them(store: Store, options: Options) -> None:
    """A chain of shared outlets and copies through another story joins no sources (tests/outlets.py)."""
    from outlets import chained_sources
    from storyline.pipeline import analyze

    articles = chained_sources()
    whole = analyze(articles, options)
    expected = {frozenset(frozenset(a.id for a in s.articles if a.source_group == g)
                          for g in {a.source_group for a in s.articles}) for s in whole.stories}
    for article in articles:
        store.ingest([article], options)
    got = set()
    for summary in store.stories():
        members = store.story(summary.id)["articles"]
        got.add(frozenset(frozenset(a["id"] for a in members if a["source_group"] == g)
                          for g in {a["source_group"] for a in members}))
    assert got == expected
    assert frozenset({frozenset({"a"}), frozenset({"d"})}) in got


def test_ingest_analyses_a_window_of_batches_on_a_pool_and_stores_them_batch_by_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    from svc_support import corpus_articles, make_article

    import storyline.service.store as store_module

    analyze = importlib.import_module("storyline.analyze")
    articles = corpus_articles()
    # a repeat, and an article over max_chars (its analysis fails) among them
    long = make_article(99)
    long = replace(long, raw=long.raw + " More apples." * 40)
    stream = [*articles[:3], articles[0], long, *articles[3:]]
    opts = Options(workers=1, max_chars=400)

    def run(db: str) -> tuple[list[tuple[tuple[str, ...], tuple[str, ...]]], list[str], set[frozenset[str]]]:
        batches: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        failed: list[str] = []
        with Store(f"sqlite:///{tmp_path / db}") as s:
            s.ingest(stream, opts, batch_size=2, on_batch=lambda r: batches.append((r.stored, r.duplicates)),
                     on_failure=lambda f: failed.append(f.source))
            return batches, failed, _stored_partition(s)

    monkeypatch.setattr(store_module, "AHEAD", 1)  # each batch analysed alone, in this process
    one = run("one.db")
    pools: list[int] = []
    real_pool = analyze.ProcessPoolExecutor

    def pool(max_workers: int):  # type: ignore[no-untyped-def]
        pools.append(max_workers)
        return real_pool(max_workers=max_workers)

    # windows of three batches, each analysed on a pool ("large" made small)
    monkeypatch.setattr(store_module, "AHEAD", 3)
    monkeypatch.setattr(analyze, "ProcessPoolExecutor", pool)
    monkeypatch.setattr(analyze, "cores", lambda: 2)
    monkeypatch.setattr(analyze, "AUTO_MIN_CHARS", 10)
    monkeypatch.setattr(analyze, "_BATCH", 2)
    opts = replace(opts, workers=0)  # auto, as the command line's default
    pooled = run("pooled.db")
    assert pools and set(pools) == {2}
    assert pooled == one
    batches, failed, partition = one
    assert failed == [long.source]
    assert [b for b in batches if articles[0].id in b[1]]  # the repeat is a duplicate of its batch
    assert sum(len(b[0]) for b in batches) == len(articles)
    assert {a for story in partition for a in story} == {a.id for a in articles}
