"""Story-clustering accuracy gate (ECB+, BASIL) and the scorers on hand-computed examples."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from storyline.evaluation.clusters import bcubed, detokenize, evaluate_clusters, find_date, pairwise

#: The shared folder beside the repository (evaluation data), when present.
SHARED = Path(__file__).resolve().parents[2] / "shared"

ROOT = Path(__file__).resolve().parents[1]
DATA = SHARED / "data"


def test_bcubed_hand_computed() -> None:
    # gold {a,b,c} {d,e}; predicted {a,b} {c,d,e}
    pred = [1, 1, 2, 2, 2]
    gold = ["x", "x", "x", "y", "y"]
    s = bcubed(pred, gold)
    # precision per item: a,b 2/2; c 1/3; d,e 2/3 -> (1+1+1/3+2/3+2/3)/5 = 11/15
    assert s.precision == pytest.approx(11 / 15)
    # recall per item: a,b 2/3; c 1/3; d,e 2/2 -> (2/3+2/3+1/3+1+1)/5 = 11/15
    assert s.recall == pytest.approx(11 / 15)
    assert s.f1 == pytest.approx(11 / 15)


def test_bcubed_extremes() -> None:
    gold = ["x", "x", "y", "z"]
    assert bcubed(gold, gold).f1 == 1.0
    singletons = bcubed([1, 2, 3, 4], gold)
    assert singletons.precision == 1.0 and singletons.recall == pytest.approx((0.5 + 0.5 + 1 + 1) / 4)
    one = bcubed([1, 1, 1, 1], gold)
    assert one.recall == 1.0 and one.precision == pytest.approx((0.5 + 0.5 + 0.25 + 0.25) / 4)
    with pytest.raises(ValueError):
        bcubed([1], gold)


def test_pairwise_hand_computed() -> None:
    pred = [1, 1, 2, 2, 2]
    gold = ["x", "x", "x", "y", "y"]
    # predicted pairs ab cd ce de (4); gold pairs ab ac bc de (4); shared ab de (2)
    s = pairwise(pred, gold)
    assert (s.precision, s.recall, s.f1) == (0.5, 0.5, 0.5)
    assert pairwise([1, 2], ["x", "y"]).f1 == 1.0  # no pairs anywhere: nothing wrong


@pytest.mark.parametrize(
    ("tokens", "text"),
    [
        (["Reid", ",", "33", ",", "said", "."], "Reid, 33, said."),
        (["``", "We", "appreciate", "it", ",", "''", "she", "said"], "\u201cWe appreciate it,\u201d she said"),
        (["the", "actress", "'s", "rep", "(", "Jack", ")"], "the actress's rep (Jack)"),
    ],
)
def test_detokenize(tokens: list[str], text: str) -> None:
    assert detokenize(tokens) == text


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Published: July 29, 2004", "2004-07-29"),
        ("Thursday 29 July 2004 08. 23 BST", "2004-07-29"),
        ("12 / 16 / 08 1: 30 AM EST", "2008-12-16"),
        ("published: 2012 - 04 - 04 11: 47: 35", "2012-04-04"),
        ("Lindsay Lohan checks into rehab", None),
    ],
)
def test_find_date(line: str, iso: str | None) -> None:
    found = find_date(line)
    assert (found.isoformat() if found else None) == iso


NO_DATA = not (DATA / "ecbplus").is_dir() or not (DATA / "basil").is_dir()


@pytest.mark.skipif(NO_DATA, reason="../shared/data (ECB+, BASIL) not available")
def test_text_path_gate(tmp_path: Path) -> None:
    floors = json.loads((ROOT / "eval_baseline.json").read_text(encoding="utf-8"))["clusters"]["text"]
    out = tmp_path / "clusters.tsv"
    result = evaluate_clusters(DATA / "ecbplus", DATA / "basil", out=out, method="storyline", via="text")
    for name in ("ecbplus", "basil"):
        got = result[name]["storyline"]
        assert got["bcubed"]["f1"] >= floors[f"{name}_bcubed_f1"], (name, got)
        assert got["pairwise"]["f1"] >= floors[f"{name}_pairwise_f1"], (name, got)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == result["ecbplus"]["documents"] + result["basil"]["documents"]
    assert lines[0].split("\t")[0].endswith(".xml")


@pytest.mark.slow
@pytest.mark.skipif(NO_DATA, reason="../shared/data (ECB+, BASIL) not available")
def test_accuracy_gate_on_the_analyze_path_and_the_store() -> None:
    """The default path (analysis, then the story engine) against the floors; BASIL stored one
    article at a time in three orders gives the same stories as analyze on all at once."""
    from storyline.evaluation.clusters import analyze_docs, ingest_labels, read_basil, read_ecbplus, storyline_labels

    floors = json.loads((ROOT / "eval_baseline.json").read_text(encoding="utf-8"))["clusters"]
    for name, reader in (("ecbplus", read_ecbplus), ("basil", read_basil)):
        docs = reader(DATA / name)
        gold = [d.gold for d in docs]
        analyses = analyze_docs(docs)
        pred = storyline_labels(docs, analyses=analyses)
        assert bcubed(pred, gold).f1 >= floors[f"{name}_bcubed_f1"], name
        assert pairwise(pred, gold).f1 >= floors[f"{name}_pairwise_f1"], name
        if name == "basil":
            for seed in (1, 2, 3):
                stored = ingest_labels(analyses, seed=seed)
                assert bcubed(stored, gold).f1 >= floors["basil_ingest_bcubed_f1"], seed
                assert bcubed(stored, pred).f1 == 1.0, f"order {seed}: the store's stories differ from analyze's"


def test_storyline_labels_clusters_analyses_when_given() -> None:
    from storyline.evaluation.clusters import GoldDoc, storyline_labels
    from storyline.models import Analysis, Article, CleanArticle, Entity

    texts = ["Mayor Ilse Varga opened the Grenzbach bridge on Monday.",
             "The Grenzbach bridge was opened by mayor Ilse Varga on Monday.",
             "Striker Joao Pimenta signed a contract with Porto Alegre on Friday."]
    docs = [GoldDoc(f"d{i}", t, "g") for i, t in enumerate(texts)]
    people = ["Ilse Varga", "Ilse Varga", "Joao Pimenta"]
    analyses = [Analysis(CleanArticle(Article(d.name, d.text, "t"), d.text, ()),
                         entities=(Entity("e", p, "PERSON", (), ()),)) for d, p in zip(docs, people, strict=True)]
    raw = storyline_labels(docs)
    assert raw[0] == raw[1] != raw[2]
    got = storyline_labels(docs, analyses=analyses)
    assert got[0] == got[1] != got[2]


def test_evaluate_clusters_via_ingest_scores_each_order_and_the_analyze_path(tmp_path: Path) -> None:
    stories = {
        "bridge": ["Mayor Ilse Varga opened the Grenzbach bridge on Monday after two years of work.",
                   "The Grenzbach bridge was opened by mayor Ilse Varga on Monday, two years late.",
                   "Ilse Varga, the mayor, cut the ribbon on the Grenzbach bridge on Monday.",
                   # the first article again, edited under the same URL: the store keeps the first
                   "Mayor Ilse Varga opened the Grenzbach bridge on Monday after two years of building work."],
        "transfer": ["Striker Joao Pimenta signed a three-year contract with Porto Alegre on Friday.",
                     "Porto Alegre signed striker Joao Pimenta on a three-year deal on Friday.",
                     "Joao Pimenta joined Porto Alegre on Friday, agreeing a three-year contract."],
    }
    for triplet, texts in stories.items():
        folder = tmp_path / "articles" / "2019"
        folder.mkdir(parents=True, exist_ok=True)
        for i, body in enumerate(texts, start=1):
            record = {"triplet-uuid": triplet, "date": "2019-05-06", "source": f"outlet{i}",
                      "url": f"https://outlet{1 if i == 4 else i}.example/{triplet}", "body-paragraphs": [[body]]}
            (folder / f"{triplet}_{i}.json").write_text(json.dumps(record), encoding="utf-8")
    result = evaluate_clusters(basil=tmp_path, method="storyline", via="ingest", seed=[1, 2])["basil"]
    assert [o["seed"] for o in result["orders"]] == [1, 2]
    assert all(o["differs_from_analyze"] == 0 for o in result["orders"])
    assert result["analyze"]["bcubed"]["f1"] == result["storyline"]["bcubed"]["f1"] == 1.0


D1, D2, D30 = date(2020, 3, 1), date(2020, 3, 3), date(2020, 3, 30)


@pytest.mark.parametrize(("pred", "gold", "dates", "expected"), [
    # right: no error
    ([1, 1, 2], ["a", "a", "b"], [D1, D1, D2], []),
    # two events of one kind in one story; the stray one has no date, so dates could not part them
    ([1, 1, 1], ["a", "a", "b"], [D1, D1, None], [("merged", "undated", ("d2",))]),
    # the same, both dated within days: the wording joined them
    ([1, 1, 1], ["a", "a", "b"], [D1, D1, D2], [("merged", "same days", ("d2",))]),
    # joined although four weeks apart (only a very close wording does that)
    ([1, 1, 1], ["a", "a", "b"], [D1, D1, D30], [("merged", "days apart", ("d2",))]),
    # a follow-up four weeks later cut off by the date damping
    ([1, 1, 2], ["a", "a", "a"], [D1, D2, D30], [("split", "days apart", ("d2",))]),
    # a story cut in two on the same days
    ([1, 1, 2], ["a", "a", "a"], [D1, D2, D2], [("split", "same days", ("d2",))]),
    # undated reports cut in two: the wording alone
    ([1, 1, 2], ["a", "a", "a"], [None, None, None], [("split", "undated", ("d2",))]),
    # the reason of most stray articles names the story: two undated, one far
    ([1, 1, 1, 2, 2, 3], ["a"] * 6, [D1, D1, D1, None, None, D30], [("split", "undated", ("d3", "d4", "d5"))]),
])
def test_cluster_errors_names_each_wrong_story_and_why(pred: list[int], gold: list[str], dates: list[date | None],
                                                       expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    from storyline.evaluation.clusters import GoldDoc, cluster_errors

    docs = [GoldDoc(f"d{i}", "text", g, day) for i, (g, day) in enumerate(zip(gold, dates, strict=True))]
    got = cluster_errors(pred, docs)
    assert [(e.kind, e.why, e.articles) for e in got] == expected
    assert all(e.gain > 0 for e in got)


def test_cluster_errors_rank_by_gain_and_sum_up_by_kind() -> None:
    from storyline.evaluation.clusters import GoldDoc, cluster_errors, error_summary

    # story a split 4 + 1, story b (2 articles) merged into c's story (4)
    gold = ["a"] * 5 + ["b"] * 2 + ["c"] * 4
    pred = [1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3]
    docs = [GoldDoc(f"d{i}", "text", g) for i, g in enumerate(gold)]
    got = cluster_errors(pred, docs)
    assert [e.kind for e in got] == ["merged", "split"]
    assert got[0].gain > got[1].gain
    assert got[0].parts == {"c": 4, "b": 2}
    assert error_summary(got) == {"merged undated": {"stories": 1, "articles": 2},
                                  "split undated": {"stories": 1, "articles": 1}}


def test_evaluate_clusters_lists_errors_on_request(tmp_path: Path) -> None:
    folder = tmp_path / "articles" / "2019"
    folder.mkdir(parents=True)
    texts = {"bridge": ["Mayor Ilse Varga opened the Grenzbach bridge on Monday after two years of work.",
                        "The Grenzbach bridge was opened by mayor Ilse Varga on Monday, two years late."],
             # gold joins an unrelated text to the bridge story: the engine cannot, so one split
             "other": ["Striker Joao Pimenta signed a three-year contract with Porto Alegre on Friday."]}
    for n, (triplet, bodies) in enumerate(texts.items()):
        for i, body in enumerate(bodies):
            record = {"triplet-uuid": "bridge" if n == 1 else triplet, "date": "2019-05-06", "source": f"o{i}",
                      "body-paragraphs": [[body]]}
            (folder / f"{triplet}_{i}.json").write_text(json.dumps(record), encoding="utf-8")
    plain = evaluate_clusters(basil=tmp_path, method="storyline", via="text")["basil"]["storyline"]
    assert "errors" not in plain
    got = evaluate_clusters(basil=tmp_path, method="storyline", via="text", errors=True)["basil"]["storyline"]
    assert got["errors"]["summary"] == {"split same days": {"stories": 1, "articles": 1}}
    assert got["errors"]["stories"][0]["articles"] == ["other_0"]
