"""Canonical entities across the articles of one story.

Each article's analysis has its own entities; a story needs one entity per real-world
person or organisation, with every alias and every title an outlet gives it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from .models import Analysis, Entity
from .report import ReportEntity, TitleVariant

__all__ = ["merge_entities"]

_NORM = re.compile(r"[^\w\s]")


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(_NORM.sub(" ", text.lower()).split())


def _article_id(a: Analysis) -> str:
    return a.article.article.id


def _person_key(name: str) -> str:
    return name.lower().split()[-1] if name else ""



def merge_entities(analyses: Sequence[Analysis]) -> tuple[list[ReportEntity], dict[tuple[int, str], str]]:
    """One story entity per real-world entity: full names, surnames and acronyms merge.

    Returns the story entities and a map (analysis index, local entity id) -> story entity id.
    """
    buckets: list[dict] = []  # {"type", "keys": set, "members": [(ai, Entity)]}
    persons_full: dict[str, list[int]] = defaultdict(list)  # surname -> bucket idx with full names

    def bucket_for(ent: Entity) -> int | None:
        name = ent.name
        if ent.type == "PERSON":
            toks = name.split()
            full = len(toks) >= 2
            key = name.lower()
            for bi, b in enumerate(buckets):
                if b["type"] == "PERSON" and key in b["keys"]:
                    return bi
            cands = persons_full.get(_person_key(name), [])
            if full:
                # a surname-only entity may already hold this surname
                for bi, b in enumerate(buckets):
                    if b["type"] == "PERSON" and not b["full"] and _person_key(name) in b["keys"]:
                        return bi
                return None
            return cands[0] if len(cands) == 1 else None
        key = _org_key(name)
        for bi, b in enumerate(buckets):
            if b["type"] in {ent.type, "ORG" if ent.type == "GPE" else ent.type} and key in b["keys"]:
                return bi
        return None

    gid: dict[tuple[int, str], str] = {}
    order = sorted(((ai, e) for ai, a in enumerate(analyses) for e in a.entities),
                   key=lambda p: (p[1].type != "PERSON", -len(p[1].name.split())))
    for ai, ent in order:
        bi = bucket_for(ent)
        if bi is None:
            buckets.append({"type": ent.type, "keys": set(), "members": [], "full": False})
            bi = len(buckets) - 1
        b = buckets[bi]
        b["members"].append((ai, ent))
        if ent.type == "PERSON":
            b["keys"].add(ent.name.lower())
            b["keys"].add(_person_key(ent.name))
            if len(ent.name.split()) >= 2 and not b["full"]:
                b["full"] = True
                persons_full[_person_key(ent.name)].append(bi)
        else:
            b["keys"].add(_org_key(ent.name))
            for alias in ent.aliases:
                b["keys"].add(_org_key(alias))
            acr = "".join(w[0] for w in _org_key(ent.name).split() if w)
            if len(acr) >= 2 and len(ent.name.split()) >= 2:
                b["keys"].add(acr)
    entities: list[ReportEntity] = []
    # order: people first, by how many articles and mentions
    buckets.sort(key=lambda b: (b["type"] != "PERSON", -len({ai for ai, _ in b["members"]}),
                                -sum(len(e.mentions) for _, e in b["members"])))
    for n, b in enumerate(buckets, start=1):
        eid = f"E{n}"
        members = b["members"]
        name = max((e.name for _, e in members), key=lambda s: (len(s.split()), len(s)))
        aliases: list[str] = []
        titles: dict[str, tuple[str, list[str]]] = {}
        art_ids: list[str] = []
        for ai, e in sorted(members, key=lambda p: p[0]):
            gid[(ai, e.id)] = eid
            aid = _article_id(analyses[ai])
            if aid not in art_ids:
                art_ids.append(aid)
            for al in e.aliases:
                if al not in aliases:
                    aliases.append(al)
            for t in e.titles:
                key = t.title.lower()
                shown, ids = titles.setdefault(key, (t.title, []))
                if aid not in ids:
                    ids.append(aid)
        entities.append(ReportEntity(eid, name, b["type"], tuple(aliases), tuple(art_ids),
                                     tuple(TitleVariant(t, tuple(ids)) for t, ids in titles.values())))
    return entities, gid


def _org_key(name: str) -> str:
    words = [w for w in _norm(name).split() if w not in {"the"}]
    while len(words) > 1 and words[-1] in {"party", "inc", "ltd", "corp", "plc", "group", "company"}:
        words.pop()
    return " ".join(words)
