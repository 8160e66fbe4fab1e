"""Who said what: direct, indirect and mixed quotes with their cue and speaker.

1. Quotation marks are paired per paragraph; a quote left open at the end of a
   paragraph continues when the next paragraph opens with a quotation mark
   (the newspaper convention for quotes over several paragraphs).
2. Each quote's cue is the nearest reporting verb above it in the dependency
   parse ("...," she added; X said Y "..."), else a reporting verb in the same
   sentence. A quote that is the whole complement is ``direct``; a complement
   that also holds unquoted words is one ``mixed`` quote spanning the clause.
   A quote with no cue continues the previous speaker.
3. Reporting verbs with a clausal complement and no quotation marks, and
   "according to X", give ``indirect`` quotes.
4. Speakers resolve to entities: names directly; pronouns and descriptions
   ("she added", "the strategist added") through the one named speaker of the
   paragraph, the previous speaker, titles and recent subjects.

The stages, one module each: :mod:`.marks`, :mod:`.cues`, :mod:`.content`, :mod:`.attributions`,
:mod:`.scoring` and :mod:`.speakers`; :func:`extract_quotes` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from spacy.tokens import Doc

from ...models import Paragraph, Quote, TimeExpression
from ..entities import EntityIndex
from .attributions import drop_nested, find_attributions
from .cues import (
    BELIEF_VERBS,
    CUE_VERBS,
    INTENTION_VERBS,
    MENTAL_NOUNS,
    MENTAL_VERBS,
    NOUN_CUES,
    OBJECT_CUES,
    CueLexicon,
)
from .found import Found
from .marks import QuoteMarks, find_quotation_marks
from .scoring import best_per_cue, relation_features, sure_of
from .speakers import Attributor, attribute_speakers, link_indefinite_speakers

__all__ = [
    "BELIEF_VERBS",
    "CUE_VERBS",
    "INTENTION_VERBS",
    "MENTAL_NOUNS",
    "MENTAL_VERBS",
    "NOUN_CUES",
    "OBJECT_CUES",
    "Attributor",
    "CueLexicon",
    "Found",
    "QuoteMarks",
    "extract_quotes",
    "find_attributions",
    "find_quotation_marks",
    "link_indefinite_speakers",
    "relation_features",
]


def extract_quotes(
    doc: Doc,
    *,
    index: EntityIndex,
    paragraphs: Sequence[Paragraph] = (),
    date_for: Callable[[int], TimeExpression | None] | None = None,
    id_prefix: str = "q",
    lexicon: CueLexicon | None = None,
    statements_only: bool = True,
) -> Iterator[Quote]:
    """Yield the quotes of a parsed article in text order, speakers resolved to entities.

    ``lexicon`` adds cues learned from data (``storyline train attribution``) to the built-in ones.
    ``statements_only`` leaves out attributed thoughts and intentions ("X wants to ...",
    "X believes ..."); set it to False for every attribution, as PolNeAR annotates them.
    """
    if lexicon is not None and lexicon.encoder:
        from ..encoder import load_encoder

        load_encoder(lexicon.encoder).attach(doc)
    att = Attributor(doc, index, paragraphs, lexicon)
    found = find_attributions(att, statements_only=statements_only)
    scorer = lexicon.model if lexicon is not None else None
    if scorer is not None and scorer.relation_weights:
        found = best_per_cue(found, scorer)
        found = drop_nested(found, sure_of(scorer))
    else:
        found = drop_nested(found)
    found.sort(key=lambda f: f.start)
    yield from attribute_speakers(att, found, date_for, id_prefix)
