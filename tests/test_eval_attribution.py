"""Attribution evaluation: the brat reader and scorer on hand-made data, and the PolNeAR dev gate.

The gate runs storyline on ../shared/data/polnear/dev (skipped when absent) and checks the
figures against the floors pinned in eval_baseline.json ("attribution"). Floors only rise.
A second gate first trains the learned cue lexicon and scorers on ../shared/data/polnear/train
(``storyline train attribution``; a few minutes) and checks the dev figures with them; a third
also fine-tunes the cue encoder (``--encoder``; about half an hour on 2 cores). The trained
lexicons are cached outside the clone, keyed by the training code, data and package versions
(``training_cache``); the dev figures are measured with the current code every time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.corpora.polnear import Document, Relation, parse_ann, write_ann
from storyline.evaluation.attribution import evaluate_attribution, score
from training_cache import trained_lexicon

ROOT = Path(__file__).resolve().parents[1]
POLNEAR_DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
POLNEAR_TRAIN = POLNEAR_DEV.parent / "train"

TEXT = "Mayor Ana Lind said the ferry will run. The council agreed."
ANN = (
    "T1\tSource 0 14\tMayor Ana Lind\n"
    "T2\tCue 15 19\tsaid\n"
    "T3\tContent 20 38\tthe ferry will run\n"
    "T4\tAttribution 15 19\tsaid\n"
    "E1\tAttribution:T4 Source:T1 Cue:T2 Content:T3\n"
)


def _rel(source, cue, content) -> Relation:  # type: ignore[no-untyped-def]
    r = Relation()
    for role, span in (("Source", source), ("Cue", cue), ("Content", content)):
        if span:
            r.spans[role].append(span)
    return r


def test_parse_ann_reads_relations_and_discontinuous_spans():  # type: ignore[no-untyped-def]
    rels = parse_ann(ANN + "T5\tContent 0 4;10 14\tMayo Lind\nT6\tCue 15 19\tsaid\nE2\tCue:T6 Content:T5\n")
    assert len(rels) == 2
    assert rels[0].role("Source") == [(0, 14)]
    assert rels[1].role("Content") == [(0, 4), (10, 14)]
    assert rels[1].role("Source") == []


@pytest.mark.parametrize(("pred", "expected"), [
    # exact everywhere
    (_rel((0, 14), (15, 19), (20, 38)), {"Source": (1, 1), "Cue": (1, 1), "Content": (1, 1), "relation": 1}),
    # overlapping but not exact source and content: overlap 1, exact 0, relation still right
    (_rel((6, 14), (15, 19), (24, 38)), {"Source": (0, 1), "Cue": (1, 1), "Content": (0, 1), "relation": 1}),
    # right content, wrong source: relation wrong
    (_rel((40, 51), (15, 19), (20, 38)), {"Source": (0, 0), "Cue": (1, 1), "Content": (1, 1), "relation": 0}),
    # a cue-only overlap by whitespace alone is no overlap
    (_rel(None, (19, 20), (39, 40)), {"Source": (0, 0), "Cue": (0, 0), "Content": (0, 0), "relation": 0}),
])
def test_score_exact_overlap_and_relation(pred, expected):  # type: ignore[no-untyped-def]
    doc = Document("d", TEXT, parse_ann(ANN))
    result = score([doc], [[pred]])
    for role in ("Source", "Cue", "Content"):
        exact, overlap = expected[role]
        assert result[role]["exact"]["recall"] == exact
        assert result[role]["overlap"]["recall"] == overlap
    assert result["relation"]["recall"] == expected["relation"]


def test_write_ann_round_trips(tmp_path):  # type: ignore[no-untyped-def]
    rel = _rel((0, 14), (15, 19), (20, 38))
    write_ann(tmp_path / "d.ann", TEXT, [rel])
    back = parse_ann((tmp_path / "d.ann").read_text(encoding="utf-8"))
    assert [r.spans for r in back] == [rel.spans]


def _gate(floors: dict[str, float], result: dict) -> None:  # type: ignore[type-arg]
    measured = {
        "source_overlap_f1": result["Source"]["overlap"]["f1"],
        "cue_overlap_f1": result["Cue"]["overlap"]["f1"],
        "content_overlap_f1": result["Content"]["overlap"]["f1"],
        "source_exact_f1": result["Source"]["exact"]["f1"],
        "relation_f1": result["relation"]["f1"],
    }
    for key, floor in floors.items():
        assert measured[key] >= floor, f"{key}: {measured[key]} fell below the pinned floor {floor}"


@pytest.mark.slow
@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="../shared/data/polnear/dev is not present")
def test_polnear_dev_gate():  # type: ignore[no-untyped-def]
    floors = json.loads((ROOT / "eval_baseline.json").read_text(encoding="utf-8"))["attribution"]["polnear_dev"]
    _gate(floors, evaluate_attribution(POLNEAR_DEV)["storyline"])


@pytest.fixture(scope="module")
def polnear_train():  # type: ignore[no-untyped-def]
    """PolNeAR train, parsed at most once for the two trained gates (only when one must train)."""
    if not (POLNEAR_DEV.is_dir() and POLNEAR_TRAIN.is_dir()):
        pytest.skip("../shared/data/polnear/train and dev are not present")
    pytest.importorskip("sklearn")
    from storyline.learn import parse_annotated

    parsed: list[tuple[list[object], list[object]]] = []

    def parse():  # type: ignore[no-untyped-def]
        if not parsed:
            parsed.append(parse_annotated(POLNEAR_TRAIN))
        return parsed[0]
    return parse


@pytest.mark.training
def test_polnear_dev_gate_with_scorers_trained_on_train(polnear_train, tmp_path):  # type: ignore[no-untyped-def]
    lexicon = trained_lexicon("scorers", POLNEAR_TRAIN, polnear_train, tmp_path)
    floors = json.loads((ROOT / "eval_baseline.json").read_text(encoding="utf-8"))["attribution"]
    _gate(floors["polnear_dev_trained"], evaluate_attribution(POLNEAR_DEV, cue_lexicon=str(lexicon))["storyline"])


@pytest.mark.training
def test_polnear_dev_gate_with_the_cue_encoder_trained_on_train(polnear_train, tmp_path):  # type: ignore[no-untyped-def]
    pytest.importorskip("torch")
    lexicon = trained_lexicon("encoder", POLNEAR_TRAIN, polnear_train, tmp_path)
    floors = json.loads((ROOT / "eval_baseline.json").read_text(encoding="utf-8"))["attribution"]
    _gate(floors["polnear_dev_encoder"], evaluate_attribution(POLNEAR_DEV, cue_lexicon=str(lexicon))["storyline"])


@pytest.mark.parametrize(("phrase", "expected"), [
    ("Ana Lind, the mayor[,] said", "Ana Lind, the mayor,"),   # apposition: its closing comma joins
    ("Ana Lind, the mayor,[] said", "Ana Lind, the mayor,"),
    ("Ana Lind,[] speaking on Monday", "Ana Lind"),            # a plain phrase: no comma
    ("Ana Lind[,] speaking on Monday", "Ana Lind"),
    ("the mayor[] said", "the mayor"),
])
def test_closing_comma(phrase, expected):  # type: ignore[no-untyped-def]
    from storyline.evaluation.attribution import closing_comma

    end = phrase.index("[")
    text = phrase.replace("[", "").replace("]", "")
    assert text[:closing_comma(text, 0, end)] == expected


@pytest.mark.parametrize(("text", "source"), [
    ("Mayor Ana Lind said the ferry would run again in May.", "Mayor Ana Lind"),
    # a relative clause's speaker is the relative pronoun, as PolNeAR annotates it
    ("The council backed the harbour master, who said the pier was safe.", "who"),
])
def test_predicted_source_follows_polnear_conventions(text, source):  # type: ignore[no-untyped-def]
    from storyline.evaluation.attribution import predict

    relations, _ = predict([Document("d", text, [])])
    spans = [text[a:b] for rel in relations[0] for a, b in rel.role("Source")]
    assert spans == [source]
