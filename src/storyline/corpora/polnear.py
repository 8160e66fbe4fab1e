"""The PolNeAR attribution corpus format, read by training (``storyline.learn``) and evaluation.

Layout: ``DIR/text/NAME.txt`` and ``DIR/attributions/NAME_XXXX.ann`` (brat standoff: T lines
typed Source / Cue / Content with character offsets, E lines
``Attribution:Tn Source:Tn Cue:Tn Content:Tn``). Gold for a text is its first ``.ann`` file in
sorted order. Besides reading and writing the format, this module holds what both the learner
and the scorer must do alike: the paragraphs of a raw text, span matching (a discontinuous span
counts from its first to its last fragment; spans match when they share a token) and PolNeAR's
Source for a relative clause.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from ..models import Paragraph

Span = tuple[int, int]
ROLES = ("Source", "Cue", "Content")
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(slots=True)
class Relation:
    """One attribution: each role holds zero or more (possibly discontinuous) spans."""

    spans: dict[str, list[Span]] = field(default_factory=lambda: {r: [] for r in ROLES})

    def role(self, name: str) -> list[Span]:
        """The spans of one role (Source, Cue or Content)."""
        return self.spans.get(name, [])


@dataclass(slots=True)
class Document:
    """One annotated text: its name (file stem), text and gold relations."""

    name: str
    text: str
    gold: list[Relation]


def parse_ann(ann: str) -> list[Relation]:
    """Relations of a brat standoff file (T and E lines; other lines are ignored)."""
    spans: dict[str, tuple[str, list[Span]]] = {}
    relations = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            head = parts[1].split(" ", 1)
            if len(head) < 2:
                continue
            label, offsets = head
            frags = []
            for frag in offsets.split(";"):
                a, b = frag.split()
                frags.append((int(a), int(b)))
            spans[parts[0]] = (label, frags)
    for line in ann.splitlines():
        if not line.startswith("E"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        rel = Relation()
        for arg in parts[1].split():
            role, _, tid = arg.partition(":")
            role = re.sub(r"\d+$", "", role)
            if role in ROLES and tid in spans:
                rel.spans[role].extend(spans[tid][1])
        relations.append(rel)
    return relations


def read_polnear(directory: str | Path, *, limit: int | None = None) -> Iterator[Document]:
    """Documents of a PolNeAR-layout directory with their gold relations (first .ann file)."""
    root = Path(directory)
    text_dir, ann_dir = root / "text", root / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise FileNotFoundError(f"{root}: expected text/ and attributions/ folders (PolNeAR layout)")
    anns: dict[str, list[Path]] = {}
    for path in sorted(ann_dir.glob("*.ann")):
        stem = path.stem.rsplit("_", 1)[0]
        anns.setdefault(stem, []).append(path)
    n = 0
    for txt in sorted(text_dir.glob("*.txt")):
        if txt.stem not in anns:
            continue
        gold = parse_ann(anns[txt.stem][0].read_text(encoding="utf-8"))
        yield Document(txt.stem, txt.read_text(encoding="utf-8"), gold)
        n += 1
        if limit is not None and n >= limit:
            return


def paragraphs_of(text: str) -> tuple[Paragraph, ...]:
    """Non-empty lines of a raw text as paragraphs (offsets into the raw text)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Paragraph(s, e))
    return tuple(out)


def relative_pronoun(doc: Doc, cue_start: int | None, speaker_start: int, speaker_end: int) -> Span | None:
    """PolNeAR's Source for "the architect, who said ...": the relative pronoun. storyline
    resolves the speaker to the noun the clause hangs on; this maps it back."""
    if cue_start is None:
        return None
    cue = doc.char_span(cue_start, cue_start + 1, alignment_mode="expand")
    if cue is None:
        return None
    verb = cue.root
    while verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
        verb = verb.head
    if verb.dep_ != "relcl" or not speaker_start <= verb.head.idx < speaker_end:
        return None
    rel = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}
                and c.lower_ in {"who", "which", "that"}), None)
    return (rel.idx, rel.idx + len(rel)) if rel is not None else None


def spans_overlap(text: str, a: Span, b: Span) -> bool:
    """Whether two character spans share at least one token (a word or a punctuation mark)."""
    if a[1] <= b[0] or b[1] <= a[0]:
        return False
    lo, hi = max(a[0], b[0]), min(a[1], b[1])
    return any(True for _ in _TOKEN.finditer(text, lo, hi))


def merge_spans(spans: Sequence[Span]) -> list[Span]:
    """A discontinuous span counts as one span from its first to its last fragment."""
    if not spans:
        return []
    return [(min(s for s, _ in spans), max(e for _, e in spans))]


def write_ann(path: Path, text: str, relations: Sequence[Relation]) -> None:
    """Write relations as brat standoff (T lines Source/Cue/Content, E lines Attribution)."""
    lines = []
    t = e = 0
    for rel in relations:
        args = []
        cue_id = None
        for role in ("Source", "Cue", "Content"):
            for s, end in merge_spans(rel.role(role)):
                t += 1
                lines.append(f"T{t}\t{role} {s} {end}\t{_one_line(text[s:end])}")
                args.append(f"{role}:T{t}")
                if role == "Cue":
                    cue_id = (s, end)
        anchor = cue_id or merge_spans(rel.role("Content"))[0]
        t += 1
        lines.append(f"T{t}\tAttribution {anchor[0]} {anchor[1]}\t{_one_line(text[anchor[0]:anchor[1]])}")
        e += 1
        lines.append(f"E{e}\tAttribution:T{t} " + " ".join(args))
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


def _one_line(s: str) -> str:
    return s.replace("\n", " ").replace("\t", " ")
