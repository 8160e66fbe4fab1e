"""The fine-tuned cue encoder: chunking, the feature it gives the cue scorer, the stored file,
and fine-tuning on a small annotated folder written here (test_cue_model's corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyline.errors import ConfigError
from storyline.extract.cue_model import ENCODER_SCORES, cue_features, is_candidate
from storyline.learn import learn_from_parsed, load_cue_lexicon, parse_annotated, train_cue_lexicon
from storyline.nlp import load_pipeline
from test_cue_model import CUE, _write_corpus

pytest.importorskip("sklearn")
pytest.importorskip("torch")
pytest.importorskip("transformers")

from storyline.extract.encoder import CueEncoder, chunks, default_base  # noqa: E402

TEXT = ("The council met on Tuesday. Mayor Ana Lind grumbled that the ferry was late again, and the crew "
        "waited on the deck while the harbour master counted the cars. " * 6).strip()


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_pipeline("auto")


def test_chunks_keep_sentences_whole_and_mark_each_candidate_once(nlp) -> None:  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(default_base()))
    doc = nlp(TEXT)
    cs = chunks(doc, tokenizer, max_pieces=40)
    assert len(cs) > 1
    assert all(len(c.input_ids) <= 42 for c in cs)
    marked = [i for c in cs for i, _ in c.pieces]
    assert sorted(marked) == [t.i for t in doc if is_candidate(t)]
    # the piece marked for a token is the first piece of that word
    c = cs[0]
    for i, w in c.pieces:
        assert tokenizer.convert_ids_to_tokens(c.input_ids[w]).lstrip("#") == tokenizer.tokenize(doc[i].text)[0]


def test_the_cue_scorer_reads_the_encoder_probability_only_when_there_is_one(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Mayor Ana Lind grumbled that the ferry was late.")
    cue = doc[3]
    assert not any(f.startswith("encoder=") for f in cue_features(cue))
    doc.user_data[ENCODER_SCORES] = {cue.i: 0.93}
    assert "encoder=18" in cue_features(cue)
    assert "encoder=0" in cue_features(doc[0])  # a candidate the encoder gave nothing


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("encoder")
    _write_corpus(root / "corpus")
    lexicon = train_cue_lexicon(root / "corpus", encoder_dir=root / "cues.encoder", encoder_epochs=15)
    lexicon["encoder"] = [str(Path(d).relative_to(root)) for d in lexicon["encoder"]]
    (root / "cues.json").write_text(json.dumps(lexicon), encoding="utf-8")
    return root


@pytest.mark.slow  # fine-tunes two encoders (the module's `trained` fixture)
def test_fine_tuned_encoders_tell_the_learned_cue_from_other_verbs(trained: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    lexicon = json.loads((trained / "cues.json").read_text(encoding="utf-8"))
    assert lexicon["encoder"] == ["cues.encoder/fold0", "cues.encoder/fold1"]
    assert any(k.startswith("encoder=") for k in lexicon["scorer"]["weights"])
    encoder = CueEncoder([trained / d for d in lexicon["encoder"]])
    doc = nlp("Judge Mira Holt grumbled that the ramp was broken. The crew slept on the deck.")
    scores = encoder.score(doc)
    cue = next(t for t in doc if t.text == CUE)
    other = next(t for t in doc if t.text == "slept")
    assert scores[cue.i] > 0.5 > scores[other.i]


@pytest.mark.slow
def test_a_lexicon_with_encoders_finds_its_folders_beside_it(trained: Path, tmp_path: Path) -> None:
    lex = load_cue_lexicon(str(trained / "cues.json"))
    assert lex.encoder == tuple(str((trained / f"cues.encoder/fold{k}").resolve()) for k in (0, 1))
    data = json.loads((trained / "cues.json").read_text(encoding="utf-8"))
    data["encoder"] = "cues.encoder"
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="encoder entry is malformed"):
        load_cue_lexicon(str(tmp_path / "bad.json"))
    with pytest.raises(ConfigError, match="no fine-tuned model there"):
        CueEncoder([tmp_path / "missing"])
    # moved without its encoder folders: one clear error when the file is read
    data["encoder"] = ["cues.encoder/fold0"]
    (tmp_path / "moved.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"moved.json: cue encoder .*fold0: no fine-tuned model there"):
        load_cue_lexicon(str(tmp_path / "moved.json"))


def test_a_scorer_trained_without_the_encoder_never_sees_scores_left_on_the_parses(tmp_path: Path) -> None:
    _write_corpus(tmp_path / "corpus", n=8)
    docs, parsed = parse_annotated(tmp_path / "corpus")
    for doc in parsed:
        doc.user_data[ENCODER_SCORES] = {t.i: 0.9 for t in doc}
    lexicon = learn_from_parsed(docs, parsed, trained_on="corpus")
    assert not any(k.startswith("encoder=") for k in lexicon["scorer"]["weights"])
    assert not any(ENCODER_SCORES in doc.user_data for doc in parsed)
