"""``storyline eval speakers`` on a small BASIL-layout folder written here (invented articles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app
from storyline.evaluation.speakers import evaluate_speakers, label_is_person, read_basil_quotes
from storyline.models import Entity

#: The shared folder beside the repository (evaluation data), when present.
SHARED = Path(__file__).resolve().parents[2] / "shared"

PARAGRAPHS = [
    ["Mayor Harold Pemberton defended the harbour budget on Monday."],
    ["\u201cEvery cent is accounted for,\u201d Pemberton said.",
     "\u201cWe will publish the books in May,\u201d he added."],
    ["Council Democrats called the plan reckless.",
     "\u201cThe mayor is gambling with the town\u2019s savings,\u201d said Rosa Delgado, who leads them."],
    ["\u201cThis is a scandal,\u201d one resident said."],
]


def _write(root: Path, name: str, paragraphs: list[list[str]], annotations: list[dict]) -> None:
    (root / "articles" / "2020").mkdir(parents=True, exist_ok=True)
    (root / "annotations" / "2020").mkdir(parents=True, exist_ok=True)
    article = {"source": "x", "triplet-uuid": "ev1", "date": "2020-05-04", "url": None, "body-paragraphs": paragraphs}
    (root / "articles" / "2020" / f"{name}.json").write_text(json.dumps(article), encoding="utf-8")
    (root / "annotations" / "2020" / f"{name}_ann.json").write_text(
        json.dumps({"phrase-level-annotations": annotations}), encoding="utf-8")


def _ann(txt: str, sentence: str, speaker: str, quote: str = "yes") -> dict:
    return {"quote": quote, "speaker": speaker, "txt": txt, "start": sentence.index(txt),
            "end": sentence.index(txt) + len(txt)}


@pytest.fixture
def basil(tmp_path: Path) -> Path:
    s = PARAGRAPHS
    _write(tmp_path, "ev1_1", PARAGRAPHS, [
        _ann("\u201cEvery cent is accounted for,\u201d", s[1][0], "Harold_Pemberton"),
        _ann("\u201cWe will publish the books in May,\u201d", s[1][1], "Harold_Pemberton"),
        _ann("\u201cThe mayor is gambling with the town\u2019s savings,\u201d", s[2][1], "Council_Democrats"),
        _ann("\u201cThis is a scandal,\u201d", s[3][0], "other_anti"),  # a stance, no speaker: left out
        _ann("called the plan reckless", s[2][0], "Council_Democrats", quote="no"),  # not a quote
        {"quote": "yes", "speaker": "Harold_Pemberton", "txt": "words the article does not have", "start": 0},
    ])
    return tmp_path


def test_reader_places_each_annotated_quote(basil: Path) -> None:
    (art,) = read_basil_quotes(basil)
    assert [q.label for q in art.quotes] == ["Harold_Pemberton", "Harold_Pemberton", "Council_Democrats"]
    assert all(art.text[q.start:q.end] == q.text for q in art.quotes)
    assert art.unplaced == 1


def test_scores_person_and_group_labels_apart(basil: Path) -> None:
    result = evaluate_speakers(basil, explain=True)
    person, group = result["person"], result["group"]
    assert (person["annotated"], person["found"], person["correct"]) == (2, 2, 2)
    assert person["accuracy"] == 1.0 and person["coverage"] == 1.0
    assert group["annotated"] == 1 and group["labels"] == {"Council_Democrats": 1}
    assert result["misses"] == []
    assert result["unplaced"] == 1


def test_cli(basil: Path) -> None:
    res = CliRunner().invoke(app, ["eval", "speakers", "--basil", str(basil)])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["person"]["annotated"] == 2


def test_cli_bad_folder(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["eval", "speakers", "--basil", str(tmp_path)])
    assert res.exit_code == 2
    assert "BASIL layout" in res.output


@pytest.mark.parametrize(("label", "names", "same"), [
    ("Harold_Pemberton", ("Harold Pemberton",), True),
    ("Harold_Pemberton", ("Pemberton",), True),
    ("Harold_Pemberton", ("Harriet Pemberton", "Pemberton"), False),
    ("Pedro_Ib", ("Pedro Ib\u00e1\u00f1ez",), False),  # too short a cut to trust
    ("Pedro_Alvar", ("Pedro \u00c1lvarez",), True),  # a label cut at a non-ASCII letter
    ("Council_Democrats", ("Council Democrats",), False),  # not a person entity
])
def test_label_is_person(label: str, names: tuple[str, ...], same: bool) -> None:
    typ = "ORG" if "Democrats" in label else "PERSON"
    ent = Entity("e1", names[0], typ, names, ())
    assert label_is_person(label, ent) is same


@pytest.mark.skipif(not (SHARED / "data" / "basil" / "annotations").is_dir(), reason="BASIL not present")
def test_basil_reader_places_nearly_every_named_quote() -> None:
    arts = read_basil_quotes(SHARED / "data" / "basil")
    placed = sum(len(a.quotes) for a in arts)
    assert placed > 300 and sum(a.unplaced for a in arts) <= placed // 50
