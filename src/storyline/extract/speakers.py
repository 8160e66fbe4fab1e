"""How each quote's speaker was found, and how far to trust it.

The quote extractor resolves a speaker phrase to an entity; this module grades that
resolution from the records alone (the quote's speaker phrase, cue and entity, and the
entity's mentions and titles), so it works the same on a fresh analysis and on one read
back from the store:

* ``name``: the speaker phrase is one of the entity's name mentions ("Ruiz said");
* ``title``: a role phrase matching a title the article gives the entity ("the mayor said"
  where the mayor is named with that title);
* ``description``: another role phrase bound to the entity ("the strategist added");
* ``pronoun``: "she said", "they told";
* ``continuation``: a quote with no cue of its own, given to the previous speaker;
* ``unresolved``: no entity.

The confidence of each way is a prior (``CONFIDENCE``); a continuation inherits the
confidence of the quote it continues, a little lower. A pronoun never reaches the 0.8 a
finding about who said it needs. The quote extractor sets both fields as it resolves each
speaker; :func:`grade_speakers` grades records stored before it did.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from ..models import Entity, Quote
from .entities import ROLE_MODIFIERS, ROLE_NOUNS

#: Prior confidence of each way of finding a speaker (see BENCHMARKS.md, speakers).
CONFIDENCE: dict[str, float] = {
    "name": 0.95, "title": 0.85, "description": 0.6, "pronoun": 0.75, "unresolved": 0.0,
    # "he"/"she" with a rival of the same gender nearby, or with no gender known for either
    "pronoun_rival": 0.6, "pronoun_weak": 0.45,
    # "they", "it", "we", "I": the sentence's subject or the previous speaker
    "pronoun_group": 0.5,
    # "the prime minister said" after a sentence whose subject is a person with no other title
    "description_recent": 0.5,
}
#: How much a continuation keeps of the confidence of the quote it continues.
CONTINUATION_DECAY = 0.9
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})
_WORD = re.compile(r"[\w-]+")
_NAME_KINDS = frozenset({"name", "surname", "honorific"})


def speaker_via(quote: Quote, entity: Entity | None) -> str:
    """How the quote's speaker entity was found (see the module docstring), continuation apart."""
    if entity is None or quote.speaker_entity_id is None:
        return "unresolved"
    words = [w.lower() for w in _WORD.findall(quote.speaker_text)]
    if len(words) == 1 and words[0] in _PRONOUNS:
        return "pronoun"
    s, e = quote.speaker_start, quote.speaker_end
    if s is not None and e is not None and any(
            m.kind in _NAME_KINDS and m.start < e and s < m.end for m in entity.mentions):
        return "name"
    role = [w for w in words if w in ROLE_NOUNS and w not in ROLE_MODIFIERS]
    if not role:
        # a phrase the extractor resolved without a mention or a role noun: a name the
        # entity index spans differently ("Sen. Ruiz's office")
        return "name" if any(w in _alias_words(entity) for w in words) else "description"
    title_words = {w for t in entity.titles for w in _WORD.findall(t.title.lower())}
    return "title" if all(w in title_words for w in role) else "description"


def _alias_words(entity: Entity) -> set[str]:
    return {w.lower() for a in (entity.name, *entity.aliases) for w in _WORD.findall(a) if w[:1].isupper()}


def grade_speakers(quotes: Sequence[Quote], entities: Iterable[Entity] | Mapping[str, Entity]) -> tuple[Quote, ...]:
    """The quotes with ``speaker_via`` and ``speaker_confidence`` filled in, in order.

    A quote with no cue continues the previous speaker (the extractor's rule), so it carries
    ``continuation`` and the previous quote's confidence times ``CONTINUATION_DECAY``.
    """
    by_id = dict(entities) if isinstance(entities, Mapping) else {e.id: e for e in entities}
    out: list[Quote] = []
    prev: Quote | None = None
    for q in quotes:
        ent = by_id.get(q.speaker_entity_id) if q.speaker_entity_id else None
        if q.cue_start is None and not q.cue and q.speaker_entity_id is not None:
            via = "continuation"
            base = prev.speaker_confidence if prev is not None and prev.speaker_entity_id == q.speaker_entity_id \
                else CONFIDENCE["description"]
            confidence = round(base * CONTINUATION_DECAY, 3)
        else:
            via = speaker_via(q, ent)
            confidence = CONFIDENCE[via]
        graded = replace(q, speaker_via=via, speaker_confidence=confidence)
        out.append(graded)
        prev = graded
    return tuple(out)
