"""Story clustering: which articles tell the same story.

Each article is a TF-IDF vector over its content words plus its named entities
(weighted up: shared people and places are the strongest sign of one story).
Articles join the most similar existing story (average similarity to its members)
when it passes the threshold, else start a new one; input order is kept, so the
result is deterministic.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from .models import Analysis

_ENTITY_WEIGHT = 3.0
_STOP_TYPES = {"NORP"}


def _features(analysis: Analysis) -> dict[str, float]:
    text = analysis.article.text
    feats: dict[str, float] = {}
    for word in text.lower().split():
        w = word.strip(".,;:!?\"'“”‘’()[]")
        if len(w) > 3 and w.isalpha():
            feats["w:" + w] = feats.get("w:" + w, 0.0) + 1
    for ent in analysis.entities:
        if ent.type in _STOP_TYPES:
            continue
        key = ent.name.lower().split()[-1] if ent.type == "PERSON" else ent.name.lower()
        feats["e:" + key] = feats.get("e:" + key, 0.0) + _ENTITY_WEIGHT * len(ent.mentions)
    return feats


def _vectors(analyses: Sequence[Analysis]) -> list[dict[str, float]]:
    feats = [_features(a) for a in analyses]
    df: Counter[str] = Counter()
    for f in feats:
        df.update(f.keys())
    n = len(feats)
    vecs = []
    for f in feats:
        v = {k: (1 + math.log(c)) * math.log((1 + n) / (1 + df[k]) + 1) for k, c in f.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({k: x / norm for k, x in v.items()})
    return vecs


def _cos(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(x * b.get(k, 0.0) for k, x in a.items())


def cluster_stories(analyses: Sequence[Analysis], *, threshold: float = 0.2) -> list[list[int]]:
    """Group article indexes into stories (lists of indexes, in input order)."""
    vecs = _vectors(analyses)
    stories: list[list[int]] = []
    for i, v in enumerate(vecs):
        best, best_sim = -1, threshold
        for si, members in enumerate(stories):
            sim = sum(_cos(v, vecs[j]) for j in members) / len(members)
            if sim >= best_sim:
                best, best_sim = si, sim
        if best >= 0:
            stories[best].append(i)
        else:
            stories.append([i])
    return stories
