"""Acceptance on the two seed articles in ../shared/seeds (skipped when the folder is absent).

The expectations come from reading the articles; none of their sentences or answers
are written into storyline's code.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from storyline.cli import app

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not present")

BOILERPLATE = ["Disclaimer", "Reposting this article", "Read more", "Politics latest",
               "Starmer insists relationship with Trump not jeopardised by complaint",
               "Harris prepared to challenge Trump if he prematurely declares victory"]


@pytest.fixture(scope="module")
def story():  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["analyze", str(SEEDS), "--format", "json", "--quiet"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["schema"] == "storyline.report/1"
    assert len(report["stories"]) == 1
    return report["stories"][0]


def _article(story, needle):  # type: ignore[no-untyped-def]
    return next(a for a in story["articles"] if needle in a["text"])


def _entity(story, name):  # type: ignore[no-untyped-def]
    found = [e for e in story["entities"] if e["name"] == name or name in e["aliases"]]
    assert len(found) == 1, (name, [e["name"] for e in found])
    return found[0]


def _quotes_with(story, fragment):  # type: ignore[no-untyped-def]
    norm = fragment.replace("’", "'")
    return [q for q in story["quotes"] if norm in q["text"].replace("’", "'")]


def _speaker(story, q):  # type: ignore[no-untyped-def]
    ids = {e["id"]: e["name"] for e in story["entities"]}
    return ids.get(q["speaker_entity_id"])


def test_two_articles_and_dates(story):  # type: ignore[no-untyped-def]
    assert len(story["articles"]) == 2
    aj = _article(story, "Jonah Hull")
    sky = _article(story, "Mattinson")
    assert aj["published"] == "2024-10-23" and not aj["published_inferred"]
    assert sky["published"] is None or sky["published_inferred"]
    assert aj["source_group"] != sky["source_group"]


def test_no_boilerplate_anywhere(story):  # type: ignore[no-untyped-def]
    texts = [a["text"] for a in story["articles"]]
    texts += [q["text"] for q in story["quotes"]] + [c["text"] for c in story["claims"]]
    texts += [e["name"] for e in story["entities"]] + [a for e in story["entities"] for a in e["aliases"]]
    texts += [ev["text"] for f in story["findings"] for ev in f["evidence"]]
    for text in texts:
        for bad in BOILERPLATE:
            assert bad not in text
        assert not re.match(r"\s*date \d{4}", text)


def test_offsets_are_exact_slices(story):  # type: ignore[no-untyped-def]
    text = {a["id"]: a["text"] for a in story["articles"]}
    for item in story["quotes"] + story["claims"]:
        assert text[item["article_id"]][item["start"]:item["end"]] == item["text"]
    for f in story["findings"]:
        for ev in f["evidence"]:
            assert text[ev["article_id"]][ev["start"]:ev["end"]] == ev["text"]


def test_entities(story):  # type: ignore[no-untyped-def]
    starmer = _entity(story, "Keir Starmer")
    assert {"Sir Keir Starmer", "Sir Keir", "Starmer"} <= set(starmer["aliases"])
    assert any(a.lower() == "the prime minister" for a in starmer["aliases"])
    assert len(starmer["article_ids"]) == 2
    trump = _entity(story, "Donald Trump")
    assert "Mr Trump" in trump["aliases"]
    assert any("former" in a and "president" in a for a in trump["aliases"])
    for name in ["Deborah Mattinson", "Sofia Patel", "Morgan McSweeney", "Matthew Doyle", "Jonah Hull",
                 "Kamala Harris"]:
        assert _entity(story, name)["type"] == "PERSON"
    patel = _entity(story, "Sofia Patel")
    titles = {t["title"].lower(): t["article_ids"] for t in patel["titles"]}
    assert "head of operations" in titles and "director of operations" in titles
    assert titles["head of operations"] != titles["director of operations"]
    mcs = _entity(story, "Morgan McSweeney")
    chief = [t for t in mcs["titles"] if "chief of staff" in t["title"].lower()]
    assert {a for t in chief for a in t["article_ids"]} == {a["id"] for a in story["articles"]}


@pytest.mark.parametrize(("fragment", "speaker"), [
    ("I said, 'fine'", "Deborah Mattinson"),
    ("to understand who their hero voters were", "Deborah Mattinson"),
    ("I'm worried about what that means", "Deborah Mattinson"),
    ("got in touch with me", "Deborah Mattinson"),
    ("And that was what I did", "Deborah Mattinson"),
    ("but we talked to people", "Deborah Mattinson"),
    ("so they were all down in Pennsylvania", "Deborah Mattinson"),
    ("was set up to collaborate", "Deborah Mattinson"),
    ("established a good relationship", "Keir Starmer"),
    ("have gone over pretty much every election", "Keir Starmer"),
    ("We will sort out your housing", "Sofia Patel"),
    ("They are not so much refuting", "Jonah Hull"),
    ("responded stridently", "Jonah Hull"),
    ("a good relationship", "Keir Starmer"),
    ("The Labour party has volunteers, who have gone over pretty much every election", "Keir Starmer"),
    ("They’re doing it in their spare time", "Keir Starmer"),
    ("That’s what they’ve done in previous elections", "Keir Starmer"),
    ("My purpose in doing that", "Keir Starmer"),
    ("illegal foreign national contributions", "Donald Trump"),
])
def test_quote_speakers(story, fragment, speaker):  # type: ignore[no-untyped-def]
    quotes = _quotes_with(story, fragment)
    assert quotes, fragment
    assert any(_speaker(story, q) == speaker for q in quotes), [(q["text"], _speaker(story, q)) for q in quotes]


def test_spokesman_quote_spans_two_paragraphs(story):  # type: ignore[no-untyped-def]
    q = _quotes_with(story, "It is common practice")
    assert len(q) == 1 and "at their own expense" in q[0]["text"]
    assert "spokesman" in q[0]["speaker_text"]


@pytest.mark.parametrize(("fragment", "speaker"), [
    ("his party had done nothing wrong", "Keir Starmer"),
    ("would come under particular scrutiny", "Jonah Hull"),
    ("it is not funding the travel", "Labour Party"),
])
def test_indirect_quotes(story, fragment, speaker):  # type: ignore[no-untyped-def]
    quotes = [q for q in _quotes_with(story, fragment) if q["kind"] == "indirect"]
    assert quotes, fragment
    assert _speaker(story, quotes[0]) == speaker


def _findings(story, kind, *needles):  # type: ignore[no-untyped-def]
    out = []
    for f in story["findings"]:
        if f["kind"] != kind:
            continue
        blob = " ".join([f["about"], f["detail"]] + [e["text"] for e in f["evidence"]]).replace("’", "'")
        if all(n.replace("’", "'") in blob for n in needles):
            out.append(f)
    return out


def test_findings(story):  # type: ignore[no-untyped-def]
    assert story["findings"][0]["kind"] == "conflict"
    day = _findings(story, "conflict", "good relationship")
    assert any("Tuesday" in f["detail"] and "2024-10-23" in f["detail"] for f in day)
    assert _findings(story, "conflict", "Sofia Patel", "head of operations", "Director of Operations")
    assert _findings(story, "corroborated", "illegal foreign national contributions")
    assert _findings(story, "corroborated", "Morgan McSweeney", "chief of staff")
    assert _findings(story, "corroborated", "in their spare time")
    assert _findings(story, "single_source", "nearly 100")
    assert _findings(story, "single_source", "We will sort out your housing")
    assert _findings(story, "single_source", "$1,000 (£770)")
    assert _findings(story, "single_source", "she was asked to go to the US")
    for f in story["findings"]:
        if f["kind"] == "corroborated":
            assert len({e["article_id"] for e in f["evidence"]}) >= 2
