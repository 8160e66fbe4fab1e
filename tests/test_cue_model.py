"""The learned attribution scorers: features, the stored file, and training on a small
annotated folder written here (the project's own sentences, brat standoff like PolNeAR)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.corpora.polnear import paragraphs_of
from storyline.errors import ConfigError
from storyline.extract.cue_model import CueModel, cue_features, is_candidate
from storyline.extract.entities import build_entities
from storyline.extract.quotes import extract_quotes
from storyline.learn import load_cue_lexicon, train_cue_lexicon
from storyline.nlp import load_pipeline

pytest.importorskip("sklearn")

SPEAKERS = ["Mayor Ana Lind", "Councillor Tom Reyes", "The harbour master", "Judge Mira Holt", "The union",
            "Dr. Paul Okafor", "The ferry operator", "Senator Ruth Vane"]
CONTENTS = ["the timetable was a mess", "the new pier would open in May", "fares had risen too fast",
            "the budget left no room for repairs", "the crossing was safe again", "nobody had read the report"]
TOPICS = ["the late sailings", "the broken ramp", "the parking fees", "the winter timetable"]
DAYS = ["Monday", "Tuesday", "Wednesday"]
# "grumble" is no built-in reporting verb: only the trained scorer can know it
CUE = "grumbled"
FILLER = ["The ferry left at noon.", "Rain fell on the quay all morning.", "Tickets cost four pounds.",
          "The boat carried forty cars."]


def _write_corpus(root: Path, n: int = 40) -> None:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    for i in range(n):
        speaker, content = SPEAKERS[i % len(SPEAKERS)], CONTENTS[i % len(CONTENTS)]
        lead = FILLER[i % len(FILLER)]
        # every text: one attribution with the learned cue, one non-cue use of a verb
        if i % 4 == 3:  # what is reported sits in one of two prepositional phrases
            sentence = f"{speaker} {CUE} on {DAYS[i % len(DAYS)]} about {TOPICS[i % len(TOPICS)]}."
            reported = TOPICS[i % len(TOPICS)]
        else:
            sentence = f"{speaker} {CUE} that {content}."
            reported = f"that {content}"
        text = f"{lead}\n{sentence} The crew {['waited', 'slept', 'ate'][i % 3]} on the deck.\n"
        s0 = text.index(sentence)
        src = (s0, s0 + len(speaker))
        cue = (src[1] + 1, src[1] + 1 + len(CUE))
        c0 = text.index(reported, cue[1])
        cont = (c0, c0 + len(reported))
        ann = "".join(f"T{k}\t{role} {a} {b}\t{text[a:b]}\n" for k, (role, (a, b)) in
                      enumerate((("Source", src), ("Cue", cue), ("Content", cont)), start=1))
        ann += "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
        (root / "text" / f"t{i:02d}.txt").write_text(text, encoding="utf-8")
        (root / "attributions" / f"t{i:02d}_0001.ann").write_text(ann, encoding="utf-8")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("annotated")
    _write_corpus(root)
    lexicon = train_cue_lexicon(root)
    path = root / "cues.json"
    path.write_text(json.dumps(lexicon), encoding="utf-8")
    return path


def _quotes(text: str, lexicon=None):  # type: ignore[no-untyped-def]
    doc = load_pipeline("auto")(text)
    return list(extract_quotes(doc, index=build_entities(doc), paragraphs=paragraphs_of(text),
                               lexicon=lexicon, statements_only=False))


def test_features_describe_the_cue_and_its_clause():  # type: ignore[no-untyped-def]
    doc = load_pipeline("auto")("The mayor grumbled that the ferry was late.")
    verb = next(t for t in doc if t.lower_ == "grumbled")
    feats = cue_features(verb)
    assert "lemma=grumble" in feats
    assert "clause=ccomp|that" in feats
    assert any(f.startswith("subj=") for f in feats)
    assert not is_candidate(doc[-1])  # punctuation is never a cue


def test_model_probability_is_a_logistic_of_its_weights():  # type: ignore[no-untyped-def]
    doc = load_pipeline("auto")("The mayor grumbled that the ferry was late.")
    verb = next(t for t in doc if t.lower_ == "grumbled")
    assert CueModel({"lemma=grumble": 6.0}, -3.0).probability(verb) == pytest.approx(0.9526, abs=1e-3)
    assert CueModel({"lemma=grumble": 6.0}, -3.0, threshold=0.96).is_cue(verb) is False
    assert CueModel({}, -3.0).probability(doc[-1]) == 0.0


def test_a_quotation_takes_a_cue_the_scorer_is_sure_of():  # type: ignore[no-untyped-def]
    # "grumble" scores 0.2: enough to propose indirect attributions for a relation scorer to check,
    # not enough to speak a quotation that nothing checks afterwards, so "says" above it does
    from storyline.extract.quotes import CueLexicon

    model = CueModel({"lemma=grumble": 1.6}, -3.0, threshold=0.5, relation_weights={"ruled=True": 1.0},
                     propose=0.15)
    lexicon = CueLexicon(frozenset(), frozenset(), {}, model)
    text = "Ms Lind says the union grumbled that the timetable was “a mess from start to finish.”"
    found = [q for q in _quotes(text, lexicon) if q.kind == "mixed"]
    assert [text[q.cue_start:q.cue_end] for q in found] == ["says"]
    assert found[0].speaker_text == "Ms Lind"


def test_a_sure_cue_keeps_its_attribution_when_the_relation_scorer_doubts_it():  # type: ignore[no-untyped-def]
    from storyline.extract.quotes import CueLexicon

    text = "Judge Nora Pike grumbled that the council had ignored the warning."

    def found(**keep: float) -> list[str]:
        # "grumble" scores 0.95 as a cue; every attribution scores 0.05 with the relation scorer
        model = CueModel({"lemma=grumble": 6.0}, -3.0, threshold=0.5, relation_weights={"ruled=True": 0.01},
                         relation_bias=-2.95, relation_threshold=0.3, propose=0.3, **keep)
        return [q.text for q in _quotes(text, CueLexicon(frozenset(), frozenset(), {}, model))]

    assert found() == []
    assert found(keep=0.9, keep_floor=0.04) == ["the council had ignored the warning"]
    assert found(keep=0.96, keep_floor=0.04) == []  # the cue is not sure enough
    assert found(keep=0.9, keep_floor=0.1) == []  # the attribution is too doubtful even so


def test_a_nested_attribution_stays_when_the_relation_scorer_is_sure_of_it():  # type: ignore[no-untyped-def]
    from storyline.extract.quotes import CueLexicon

    text = "Mayor Ana Lind said the union grumbled that the timetable was a mess."

    def cues(**nested: float) -> list[str]:
        # "say" and "grumble" are sure cues; every attribution scores about 0.73 with the relation scorer
        model = CueModel({"lemma=grumble": 6.0, "lemma=say": 6.0}, -3.0, threshold=0.5,
                         relation_weights={"ruled=True": 0.01}, relation_bias=1.0,
                         relation_threshold=0.3, propose=0.3, **nested)
        found = _quotes(text, CueLexicon(frozenset(), frozenset(), {}, model))
        return sorted(text[q.cue_start:q.cue_end] for q in found)

    assert cues() == ["said"]  # what the union grumbled is part of what the mayor said
    assert cues(nested_keep=0.6) == ["grumbled", "said"]
    assert cues(nested_keep=0.8) == ["said"]


def test_trained_scorers_find_a_cue_no_lexicon_lists(trained):  # type: ignore[no-untyped-def]
    data = json.loads(trained.read_text(encoding="utf-8"))
    assert data["scorer"]["weights"] and data["scorer"]["relation"]["weights"]
    assert "grumble" in data["verbs"]
    text = "Judge Nora Pike grumbled that the council had ignored the warning."
    assert _quotes(text) == []  # the built-in rules do not know the verb
    found = _quotes(text, load_cue_lexicon(str(trained)))
    assert len(found) == 1
    q = found[0]
    assert text[q.cue_start:q.cue_end] == "grumbled"
    assert q.speaker_text == "Judge Nora Pike"
    assert q.text.startswith("the council had ignored")


def test_trained_scorers_leave_other_verbs_alone(trained):  # type: ignore[no-untyped-def]
    text = "The crew waited on the deck while the ferry left the harbour."
    assert _quotes(text, load_cue_lexicon(str(trained))) == []


def test_relation_scorer_picks_the_reported_phrase(trained):  # type: ignore[no-untyped-def]
    text = "Judge Nora Pike grumbled on Friday about the dusty waiting room."
    found = _quotes(text, load_cue_lexicon(str(trained)))
    assert [q.text for q in found] == ["the dusty waiting room"]


def test_malformed_scorer_is_a_config_error(tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"schema": "storyline.cue-lexicon/1", "verbs": [], "nouns": [],
                                "scorer": {"weights": "no"}}), encoding="utf-8")
    with pytest.raises(ConfigError, match="scorer is malformed"):
        load_cue_lexicon(str(path))


def test_training_without_scikit_learn_fails_before_parsing(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    import sys

    for name in ("sklearn", "sklearn.feature_extraction", "sklearn.linear_model"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ConfigError, match=r"storyline\[train\]"):
        train_cue_lexicon(tmp_path / "not-even-read")
