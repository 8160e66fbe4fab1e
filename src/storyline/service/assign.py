"""Incremental story assignment: a new article joins the stored story it is most similar
to, else starts a new one.

The rule is the one ``storyline.cluster`` applies to a whole batch: an article's
TF-IDF vector over content words and (weighted-up) named entities, compared with the
average cosine similarity to a story's members. Here the average is taken against a
stored per-story sum of member vectors, and document frequencies are kept in the store,
so adding an article touches only the stories that share a feature with it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..models import Analysis

_ENTITY_WEIGHT = 3.0
_STOP_TYPES = {"NORP"}
#: Longer "words" are markup or junk, never a story's signal (and fit the store's column).
MAX_TERM = 64


def features(analysis: Analysis) -> dict[str, float]:
    """Raw feature counts: ``w:word`` for content words, ``e:name`` for entities."""
    feats: dict[str, float] = {}
    for word in analysis.article.text.lower().split():
        w = word.strip(".,;:!?\"'“”‘’()[]")
        if 3 < len(w) <= MAX_TERM and w.isalpha():
            feats["w:" + w] = feats.get("w:" + w, 0.0) + 1
    for ent in analysis.entities:
        if ent.type in _STOP_TYPES or not ent.name.strip():
            continue
        key = ent.name.lower().split()[-1] if ent.type == "PERSON" else ent.name.lower()
        key = "e:" + key[:MAX_TERM]
        feats[key] = feats.get(key, 0.0) + _ENTITY_WEIGHT * len(ent.mentions)
    return feats


def unit_vector(feats: Mapping[str, float], df: Mapping[str, int], n_docs: int) -> dict[str, float]:
    """TF-IDF weights of ``feats`` scaled to length 1 (``df`` counts include this article)."""
    v = {k: (1 + math.log(c)) * math.log((1 + n_docs) / (1 + df.get(k, 1)) + 1) for k, c in feats.items() if c > 0}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {k: x / norm for k, x in v.items()}


def best_story(similarity_sums: Mapping[str, float], sizes: Mapping[str, int], threshold: float) -> str | None:
    """The story with the highest average similarity at or above ``threshold``, or None.

    Ties go to the story id that sorts first, so the choice is deterministic.
    """
    best, best_sim = None, threshold
    for story_id in sorted(similarity_sums):
        sim = similarity_sums[story_id] / max(1, sizes.get(story_id, 1))
        if sim >= best_sim and (best is None or sim > best_sim):
            best, best_sim = story_id, sim
    return best
