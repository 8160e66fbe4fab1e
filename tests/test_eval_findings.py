"""``storyline eval findings``: snippet location, the matching rule, the metrics, and the dev gate.

The gate runs the whole pipeline on ../shared/data/findings-dev and checks the README's metrics
against the floors (and ceilings) pinned in eval_baseline.json; floors only rise.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluation.findings import (
    GoldGroup,
    GoldItem,
    GoldSide,
    evaluate_findings,
    locate,
    read_gold,
    score_group,
    summarise,
)
from storyline.report import Evidence, Finding, ReportArticle, Story

FINDINGS_DEV = Path(__file__).resolve().parents[2] / "shared" / "data" / "findings-dev"
BASELINE = Path(__file__).resolve().parents[1] / "eval_baseline.json"


@pytest.mark.parametrize(
    ("snippet", "text", "expected"),
    [
        ("two boats sank", "In the storm two boats sank overnight.", (13, 27)),
        # whitespace and curly quotes differ between the gold and the cleaned text
        ('he said "no"', "Then  he said\n“no” and left.", (6, 18)),
        ("the mayor said on Monday", "The mayor said on Monday", (0, 24)),  # case differs
        ("the mayor sayd on Monday", "Then The mayor said on Monday.", (5, 29)),  # a typo: fuzzy alignment
        ("nothing like this at all", "The council met on Tuesday.", None),
        ("", "anything", None),
    ],
)
def test_locate(snippet, text, expected):  # type: ignore[no-untyped-def]
    assert locate(snippet, text) == expected


def _story(texts: dict[str, str], findings: list[Finding]) -> Story:
    arts = tuple(ReportArticle(aid, "o" + aid, None, f"http://x/{aid}", None, False, "g" + aid, t)
                 for aid, t in texts.items())
    return Story("S1", "t", arts, (), (), (), (), tuple(findings))


def _ev(texts: dict[str, str], aid: str, phrase: str) -> Evidence:
    start = texts[aid].index(phrase)
    return Evidence(aid, start, start + len(phrase), phrase)


TEXTS = {
    "a": "Officials said 12 people died in the flood on Monday. The mayor resigned.",
    "b": "At least 15 people died in the flood on Monday, police said. The mayor resigned.",
    "c": "The flood on Monday killed 12. The mayor did not resign.",
}


def _gold() -> GoldGroup:
    toll = GoldItem(0, "figure", "major", "death toll", (
        GoldSide("http://x/a", "12 people died in the flood"), GoldSide("http://x/b", "At least 15 people died")))
    mayor = GoldItem(1, "other", "major", "did the mayor resign", (
        GoldSide("http://x/a", "The mayor resigned."), GoldSide("http://x/c", "The mayor did not resign.")))
    day = GoldItem(0, "agreement", "major", "flood on Monday", (
        GoldSide("http://x/a", "the flood on Monday"), GoldSide("http://x/b", "the flood on Monday"),
        GoldSide("http://x/c", "The flood on Monday")))
    return GoldGroup("g", Path("g.jsonl"), (toll, mayor), (day,))


def test_score_group_matches_by_overlap_in_two_articles():  # type: ignore[no-untyped-def]
    t = TEXTS
    findings = [
        # matches the death toll: overlaps the gold snippet in a and in b
        Finding("F1", "conflict", "toll", "", (_ev(t, "a", "12 people"), _ev(t, "b", "15 people")), "figure"),
        # overlaps the toll snippet in one article only: a false alarm
        Finding("F2", "conflict", "x", "", (_ev(t, "a", "12 people"), _ev(t, "c", "killed 12")), "figure"),
        # corroborates the agreement
        Finding("F3", "corroborated", "day", "", (_ev(t, "a", "on Monday"), _ev(t, "c", "on Monday"))),
        # corroborates what is in fact a major discrepancy
        Finding("F4", "corroborated", "mayor", "", (_ev(t, "a", "The mayor"), _ev(t, "c", "The mayor"))),
        Finding("F5", "single_source", "s", "", (_ev(t, "b", "police said"),)),
    ]
    res = score_group("g", [_story(t, findings)], _gold())
    assert (res.conflicts, res.matched_conflicts, res.corroborated, res.contradicted) == (2, 1, 2, 1)
    assert [ok for _, ok in res.discrepancies] == [True, False]
    assert [ok for _, ok in res.agreements] == [True]
    m = summarise([res])
    assert m["conflict_precision"] == 0.5
    assert m["major_recall"] == 0.5
    assert m["false_conflicts_per_group"] == 1.0
    assert m["agreement_recall"] == 1.0
    assert m["contradicted"] == 1
    assert m["by_subkind"]["figure"] == {"conflicts": 2, "precision": 0.5}
    assert m["by_kind"]["other"]["recall"] == 0.0


def test_a_snippet_that_is_not_in_the_text_is_reported():  # type: ignore[no-untyped-def]
    gold = GoldGroup("g", Path("g.jsonl"), (GoldItem(0, "figure", "minor", "w", (
        GoldSide("http://x/a", "a sentence no article has"), GoldSide("http://x/zz", "12 people"))),), ())
    res = score_group("g", [_story(TEXTS, [])], gold)
    assert len(res.unlocated) == 2


def test_read_gold_errors(tmp_path):  # type: ignore[no-untyped-def]
    with pytest.raises(FileNotFoundError, match="does not exist"):
        read_gold(tmp_path / "nope")
    with pytest.raises(FileNotFoundError, match="no \\*.gold.json"):
        read_gold(tmp_path)
    (tmp_path / "x.gold.json").write_text(json.dumps({"schema": "other/1"}), encoding="utf-8")
    with pytest.raises(ValueError, match="schema"):
        read_gold(tmp_path)
    (tmp_path / "x.gold.json").write_text(json.dumps({"schema": "storyline.findings-gold/1", "input": "x.jsonl"}),
                                          encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="x.jsonl not found"):
        read_gold(tmp_path)


@pytest.mark.slow
@pytest.mark.skipif(not FINDINGS_DEV.is_dir(), reason="../shared/data/findings-dev is not present")
def test_findings_dev_gate():  # type: ignore[no-untyped-def]
    """The accuracy gate: every metric at or above its floor (at or below its ceiling)."""
    gate = json.loads(BASELINE.read_text(encoding="utf-8"))["findings"]
    got = evaluate_findings(FINDINGS_DEV / "gold")["findings"]
    for name, floor in gate["floors"].items():
        assert got[name] >= floor, f"{name} {got[name]} fell below its floor {floor}"
    for name, ceiling in gate["ceilings"].items():
        assert got[name] <= ceiling, f"{name} {got[name]} rose above its ceiling {ceiling}"
