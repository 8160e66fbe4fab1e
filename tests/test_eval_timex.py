"""``storyline eval timex``: the TimeML reader, the scorer, the writer, and the accuracy gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.evaluation.timex import (
    Expression,
    _align_heideltime,
    cross_validate,
    evaluate_timex,
    read_peer_cache,
    read_tempeval,
    read_timeml,
    score,
    select_split,
    write_timeml,
)

TEMPEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "tempeval3" / "TBAQ-cleaned"
BASELINE = Path(__file__).resolve().parents[1] / "eval_baseline.json"
#: The gate's fixed subset: the first documents of the held-out split (sorted by name).
GATE_DOCS = 12

# A made-up document in TimeML layout: the DCT sits outside TEXT, entities are escaped.
TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>PELL0001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-10-23" temporalFunction="false" \
functionInDocument="CREATION_TIME">2024-10-23</TIMEX3></DCT>
<TITLE>Ferry row</TITLE>
<TEXT>
The Pellmouth &amp; Corvale ferry <EVENT eid="e1" class="OCCURRENCE">stopped</EVENT> \
<TIMEX3 tid="t1" type="DATE" value="2024-10-22">Tuesday</TIMEX3>.
It had run for <TIMEX3 tid="t2" type="DURATION" value="P3Y">three years</TIMEX3>, \
the mayor <EVENT eid="e2" class="REPORTING">said</EVENT> <TIMEX3 tid="t3" type="DATE" \
value="PRESENT_REF">now</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_read_timeml_reconstructs_the_text_and_offsets() -> None:
    doc = read_timeml(TML)
    assert doc.docid == "PELL0001"
    assert str(doc.dct) == "2024-10-23"
    assert doc.text.startswith("\nThe Pellmouth & Corvale ferry stopped Tuesday.\n")
    assert [(doc.text[g.start : g.end], g.type, g.value) for g in doc.gold] == [
        ("Tuesday", "DATE", "2024-10-22"),
        ("three years", "DURATION", "P3Y"),
        ("now", "DATE", "PRESENT_REF"),
    ]
    assert all(g.text == doc.text[g.start : g.end] for g in doc.gold)


def test_dct_inside_text_is_not_gold() -> None:
    inside = TML.replace("<TEXT>\n", '<TEXT>\n<TIMEX3 tid="t9" type="DATE" value="2024-10-23" '
                                     'functionInDocument="CREATION_TIME">23 October</TIMEX3> ')
    doc = read_timeml(inside)
    assert str(doc.dct) == "2024-10-23"
    assert doc.text.startswith("\n23 October The Pellmouth")
    assert len(doc.gold) == 3


def _e(start: int, end: int, type_: str = "DATE", value: str | None = "2024") -> Expression:
    return Expression(start, end, "", type_, value)


def test_score_strict_relaxed_value_and_type() -> None:
    gold = [[_e(0, 7, value="2024-10-22"), _e(20, 31, "DURATION", "P3Y"), _e(40, 43, value="PRESENT_REF")]]
    pred = [[
        _e(0, 7, value="2024-10-22"),  # exact, right value
        _e(16, 31, "DURATION", "P2Y"),  # overlap only, wrong value, right type
        _e(50, 55, value="2025"),  # spurious
    ]]  # fmt: skip
    result = score(gold, pred)
    assert result["counts"] == {"gold": 3, "predicted": 3, "strict": 1, "relaxed": 2, "value": 1, "type": 2}
    assert result["strict"]["f1"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["relaxed"]["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["value"]["recall"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["type"]["f1"] == pytest.approx(2 / 3, abs=1e-4)


def test_cross_validate_scores_each_fold_of_both_systems() -> None:
    # four documents, one expression each; folds by index % 2: {0, 2} and {1, 3}
    gold = [[_e(0, 7, value=f"2024-10-2{i}")] for i in range(4)]
    mine = [[_e(0, 7, value=f"2024-10-2{i}")] for i in range(4)]
    mine[3] = [_e(0, 7, value="2024-10-29")]
    peer = [[_e(0, 7, value=f"2024-10-2{i}")] if i % 2 else [] for i in range(4)]
    result = cross_validate(gold, {"storyline": mine, "heideltime": peer}, 2)
    assert [f["documents"] for f in result["per_fold"]] == [2, 2]
    assert [f["storyline"]["value"] for f in result["per_fold"]] == [1.0, 0.5]
    assert [f["heideltime"]["value"] for f in result["per_fold"]] == [0.0, 1.0]
    assert result["spread"]["storyline"]["value"] == {"mean": 0.75, "std": 0.25, "min": 0.5, "max": 1.0}
    assert result["ahead_of_heideltime_on_every_fold"] is False
    with pytest.raises(ValueError):
        cross_validate(gold, {"storyline": mine}, 5)


def test_score_pairs_one_to_one_and_never_credits_a_missing_value() -> None:
    gold = [[_e(0, 10, value=None)]]
    pred = [[_e(0, 4, value=None), _e(5, 10, value=None)]]
    result = score(gold, pred)
    assert result["counts"]["relaxed"] == 1 and result["counts"]["value"] == 0
    assert score([[]], [[]])["relaxed"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_write_timeml_round_trips(tmp_path: Path) -> None:
    doc = read_timeml(TML)
    path = tmp_path / "PELL0001.tml"
    write_timeml(path, doc, list(doc.gold))
    again = read_timeml(path)
    assert again.text == doc.text
    assert again.dct == doc.dct
    assert [(g.start, g.end, g.type, g.value) for g in again.gold] == [
        (g.start, g.end, g.type, g.value) for g in doc.gold
    ]


def test_align_heideltime_output() -> None:
    text = "\nAT&T said on Friday <b> it grew last year.\n"
    output = ('<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n'
              'AT&T said on <TIMEX3 tid="t1" type="DATE" value="2024-10-18">Friday</TIMEX3> <b> it grew '
              '<TIMEX3 tid="t2" type="DATE" value="2023">last year</TIMEX3>.\n\n</TimeML>\n')
    found = _align_heideltime(text, output)
    assert [(text[e.start : e.end], e.value) for e in found] == [("Friday", "2024-10-18"), ("last year", "2023")]


def test_peer_cache_scores_stored_predictions(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "PELL0001.tml").write_text(TML)
    doc = read_timeml(TML, name="PELL0001")
    cache = tmp_path / "pred" / "heideltime"
    cache.mkdir(parents=True)
    write_timeml(cache / "PELL0001.tml", doc, [doc.gold[0], Expression(50, 55, "", "DATE", "2025")])
    result = evaluate_timex(corpus, split="all", peer_cache=cache)
    assert result["heideltime"]["cached_predictions"] == str(cache)
    assert result["heideltime"]["counts"] == {"gold": 3, "predicted": 2, "strict": 1, "relaxed": 1, "value": 1,
                                              "type": 1}


def test_peer_cache_must_cover_every_document(tmp_path: Path) -> None:
    doc = read_timeml(TML, name="PELL0001")
    with pytest.raises(FileNotFoundError, match="PELL0001: missing"):
        read_peer_cache([doc], tmp_path)
    other = read_timeml(TML.replace("stopped", "halted"), name="PELL0001")
    write_timeml(tmp_path / "PELL0001.tml", other, [])
    with pytest.raises(FileNotFoundError, match="text differs"):
        read_peer_cache([doc], tmp_path)


def test_splits_are_deterministic_and_disjoint(tmp_path: Path) -> None:
    for i in range(7):
        (tmp_path / f"doc{i}.tml").write_text(TML.replace("PELL0001", f"PELL000{i}"))
    docs = read_tempeval(tmp_path)
    held = [d.name for d in select_split(docs, "heldout")]
    tune = [d.name for d in select_split(docs, "tune")]
    assert held == ["doc0", "doc5"]
    assert sorted(held + tune) == [d.name for d in select_split(docs, "all")]
    with pytest.raises(ValueError, match="heldout"):
        select_split(docs, "dev")


def test_evaluate_timex_writes_predictions(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "PELL0001.tml").write_text(TML)
    result = evaluate_timex(corpus, split="all", out=tmp_path / "pred")
    assert result["documents"] == 1
    assert result["storyline"]["counts"]["gold"] == 3
    assert result["storyline"]["value"]["f1"] > 0.5
    assert (tmp_path / "pred" / "PELL0001.tml").exists()
    json.dumps(result)


@pytest.mark.skipif(not TEMPEVAL.is_dir(), reason="TempEval-3 data (../shared/data/tempeval3) not present")
def test_accuracy_gate_on_heldout_subset() -> None:
    floors = json.loads(BASELINE.read_text())["timex"]
    assert floors["subset"] == {"split": "heldout", "limit": GATE_DOCS}
    result = evaluate_timex(TEMPEVAL, split="heldout", limit=GATE_DOCS)["storyline"]
    for metric in ("strict", "relaxed", "value"):
        assert result[metric]["f1"] >= floors[f"{metric}_f1"], (metric, result[metric], floors)
