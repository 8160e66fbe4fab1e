"""The story engine's state in the database: :class:`storyline.cluster.StoryState` over SQL.

``story_nodes`` holds one row per distinct text and date (its vector and story),
``story_pieces`` its piece at each level, ``story_keys`` the candidate index (salient term,
week bucket, node). Every read and write runs
on the caller's connection, inside the batch's transaction: a batch that fails leaves no node.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, func, select

from ..cluster import ClusterSettings, DocVector, candidate_buckets
from .models import STORIES, STORY_KEYS, STORY_NODES, STORY_PIECES

_IN_CHUNK = 500  # ids per IN (...) list


def _chunks(items: Sequence[Any], size: int = _IN_CHUNK) -> list[Sequence[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class SqlState:
    """The engine's graph in the store, read and written on one connection."""

    def __init__(self, conn: Connection, cache: dict[int, DocVector] | None = None) -> None:
        self.conn = conn
        # Node vectors never change once written; the store keeps them across batches (and drops
        # the cache when a batch fails, since a rolled-back node number may be used again).
        self.cache: dict[int, DocVector] = {} if cache is None else cache

    def find(self, keys: Sequence[tuple[str, int | None]]) -> dict[tuple[str, int | None], int]:
        t = STORY_NODES
        wanted = set(keys)
        out: dict[tuple[str, int | None], int] = {}
        for chunk in _chunks(sorted({k for k, _ in keys})):
            for node, key, day in self.conn.execute(select(t.c.node, t.c.key, t.c.day).where(t.c.key.in_(chunk))):
                if (key, day) in wanted:
                    out[(key, day)] = node
        return out

    def add_nodes(self, vecs: Sequence[DocVector], levels: int) -> list[int]:
        t = STORY_NODES
        out = []
        for v in vecs:
            inserted = self.conn.execute(t.insert().values(key=v.key, day=v.day, story_id=None,
                                                           vector=v.to_json())).inserted_primary_key
            assert inserted is not None
            node = int(inserted[0])
            self.conn.execute(STORY_PIECES.insert(), [{"level": lv, "node": node, "piece": node}
                                                      for lv in range(levels)])
            self.cache[node] = v
            if v.terms:
                self.conn.execute(STORY_KEYS.insert(), [{"term": term[:200], "bucket": v.bucket(), "node": node}
                                                        for term in dict.fromkeys(v.terms)])
            out.append(node)
        return out

    def candidates(self, vec: DocVector, settings: ClusterSettings, *, before: int) -> list[int]:
        t = STORY_KEYS
        buckets = candidate_buckets(vec, settings)
        found: set[int] = set()
        # one query per term, each the term's ``posting_max`` most recent nodes before ``before`` in
        # reach (read backwards along the (term, bucket, node) key), as MemoryState does
        for term in dict.fromkeys(term[:200] for term in vec.terms):
            q = select(t.c.node).where(t.c.term == term, t.c.node < before)
            if buckets is not None:
                q = q.where(t.c.bucket.in_(buckets))
            found.update(self.conn.execute(q.order_by(t.c.node.desc()).limit(settings.posting_max)).scalars())
        return sorted(found)

    def vectors(self, nodes: Sequence[int]) -> list[DocVector]:
        t = STORY_NODES
        missing = sorted({n for n in nodes if n not in self.cache})
        for chunk in _chunks(missing):
            for node, vector in self.conn.execute(select(t.c.node, t.c.vector).where(t.c.node.in_(chunk))):
                self.cache[node] = DocVector.from_json(vector)
        return [self.cache[n] for n in nodes]

    def pieces(self, level: int, nodes: Sequence[int]) -> dict[int, int]:
        t = STORY_PIECES
        out: dict[int, int] = {}
        for chunk in _chunks(sorted(set(nodes))):
            out.update({r[0]: r[1] for r in self.conn.execute(
                select(t.c.node, t.c.piece).where(t.c.level == level, t.c.node.in_(chunk)))})
        return out

    def sizes(self, level: int, pieces: Sequence[int]) -> dict[int, int]:
        t = STORY_PIECES
        out: dict[int, int] = {}
        for chunk in _chunks(sorted(set(pieces))):
            out.update({r[0]: r[1] for r in self.conn.execute(
                select(t.c.piece, func.count()).where(t.c.level == level, t.c.piece.in_(chunk))
                .group_by(t.c.piece))})
        return out

    def merge_pieces(self, level: int, into: int, others: Sequence[int]) -> None:
        t = STORY_PIECES
        for chunk in _chunks(list(others)):
            self.conn.execute(t.update().where(t.c.level == level, t.c.piece.in_(chunk)).values(piece=into))

    def members(self, level: int, piece: int) -> list[int]:
        t = STORY_PIECES
        return list(self.conn.execute(select(t.c.node).where(t.c.level == level, t.c.piece == piece)
                                      .order_by(t.c.node)).scalars())

    def stories(self, nodes: Sequence[int]) -> dict[int, str | None]:
        t = STORY_NODES
        out: dict[int, str | None] = {}
        for chunk in _chunks(sorted(set(nodes))):
            out.update({r[0]: r[1] for r in self.conn.execute(
                select(t.c.node, t.c.story_id).where(t.c.node.in_(chunk)))})
        return out

    def story_ids_taken(self, ids: Sequence[str]) -> set[str]:
        found = set(self.conn.execute(select(STORIES.c.id).where(STORIES.c.id.in_(list(ids)))).scalars())
        found.update(s for s in self.conn.execute(select(STORY_NODES.c.story_id)
                                                  .where(STORY_NODES.c.story_id.in_(list(ids)))).scalars() if s)
        return found

    def set_stories(self, assignment: dict[int, str], dropped: Sequence[str]) -> None:
        t = STORY_NODES
        by_story: dict[str, list[int]] = {}
        for node, sid in assignment.items():
            by_story.setdefault(sid, []).append(node)
        for sid, nodes in sorted(by_story.items()):
            for chunk in _chunks(sorted(nodes)):
                self.conn.execute(t.update().where(t.c.node.in_(chunk)).values(story_id=sid))
