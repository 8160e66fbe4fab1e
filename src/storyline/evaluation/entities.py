"""``storyline eval entities``: people who appear as more than one entity in a story.

Runs the pipeline on each ``GROUP.jsonl`` of a folder (as ``storyline analyze`` would) and, in
every story, looks for pairs of entities that may be one person, with a test looser than the
merging rules so that it catches what they miss:

* **split**: two PERSON entities whose surnames (the last word of any name, folded; one
  letter of spelling apart for long names) agree and whose given names, where both have one,
  share an initial or a nickname link;
* **typed**: a PERSON entity and an entity of another type whose name is the person's
  surname or full name ("Trump" typed as an organisation beside "Donald Trump");
* **kin**: a shared surname with different given names or generational suffixes ("Mary
  Cheney" / "Liz Cheney", "X Jr." / "X"), shown so that a reader can check they differ.

People split = groups of entities joined by split and typed pairs, counted once per group (a
person in three entities counts once), when some entity of the group reads as a person: a
given name most people bearing it share a sex with (storyline.names.name_gender), or an
honorific. Groups that read as no one ("White House" typed PERSON beside "White House" typed
ORG) are counted apart as ``mistyped_split``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rapidfuzz.distance import Levenshtein

from ..names import PersonName, fold, given_names_match, name_gender, parse_name
from ..report import ReportEntity, Story

__all__ = ["SplitPair", "entity_splits", "evaluate_entities", "entities_command"]


@dataclass(frozen=True, slots=True)
class SplitPair:
    kind: str  # split | typed | kin
    a: ReportEntity
    b: ReportEntity


def _is_name(text: str) -> bool:
    """A written name, not a description ("the president") or a pronoun."""
    words = text.split()
    return bool(words) and words[0].lower() not in {"the", "a", "an", "his", "her", "their"} \
        and words[-1][:1].isupper()


def _names(e: ReportEntity) -> list[PersonName]:
    out = [parse_name(n) for n in dict.fromkeys((e.name, *e.aliases)) if _is_name(n)]
    return [n for n in out if n.surname]


def _surname_close(a: str, b: str) -> bool:
    a, b = fold(a).split()[-1], fold(b).split()[-1]
    return a == b or min(len(a), len(b)) >= 6 and Levenshtein.distance(a, b) <= 1


def _pair_kind(a: ReportEntity, b: ReportEntity) -> str | None:
    if a.type != "PERSON" or b.type != "PERSON":
        person, other = (a, b) if a.type == "PERSON" else (b, a)
        if person.type != "PERSON" or other.type == "PERSON":
            return None
        full = {fold(n) for n in (person.name, *person.aliases) if _is_name(n)}
        return "typed" if fold(other.name) in full | {n.surname for n in _names(person)} else None
    na, nb = _names(a), _names(b)
    close = [(x, y) for x in na for y in nb if _surname_close(x.surname, y.surname)]
    if not close:
        return None
    givens_a = {x.given for x in na if x.given} | {k for x in na for k in x.nicknames}
    givens_b = {y.given for y in nb if y.given} | {k for y in nb for k in y.nicknames}
    suffixes_a, suffixes_b = {x.suffix for x in na}, {y.suffix for y in nb}
    if not suffixes_a & suffixes_b:
        return "kin"
    if not givens_a or not givens_b:
        return "split"
    if any(x[0] == y[0] or given_names_match(x, y) for x in givens_a for y in givens_b):
        return "split"
    return "kin"


def entity_splits(story: Story) -> list[SplitPair]:
    """Pairs of the story's entities that may be one person (see the module docstring)."""
    ents = [e for e in story.entities if e.type in {"PERSON", "ORG", "GPE", "NORP", "FAC"}]
    out = []
    for i, a in enumerate(ents):
        for b in ents[i + 1:]:
            kind = _pair_kind(a, b)
            if kind is not None:
                out.append(SplitPair(kind, a, b))
    return out


def _reads_as_person(e: ReportEntity) -> bool:
    if e.type != "PERSON":
        return False
    for text in (e.name, *e.aliases):
        if not _is_name(text):
            continue
        if text.split()[0].lower().rstrip(".") in {"mr", "mrs", "ms", "miss", "sir", "dame", "dr"}:
            return True
        n = parse_name(text)
        if n.given and name_gender(n.given):
            return True
    return False


def people_split(pairs: Sequence[SplitPair]) -> tuple[int, int]:
    """How many people the split and typed pairs stand for (connected groups of entities), and
    how many such groups read as no one."""
    parent: dict[str, str] = {}
    ents: dict[str, ReportEntity] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for p in pairs:
        if p.kind in {"split", "typed"}:
            ents[p.a.id], ents[p.b.id] = p.a, p.b
            parent[find(p.a.id)] = find(p.b.id)
    groups: dict[str, list[ReportEntity]] = {}
    for x in parent:
        groups.setdefault(find(x), []).append(ents[x])
    people = sum(1 for g in groups.values() if any(_reads_as_person(e) for e in g))
    return people, len(groups) - people


def evaluate_entities(inputs: Path, *, explain: bool = False, model: str | None = None) -> dict[str, Any]:
    """Count split people and same-surname pairs over every GROUP.jsonl in ``inputs``."""
    from ..options import load_options
    from ..pipeline import analyze

    files = sorted(inputs.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{inputs}: no GROUP.jsonl files")
    opts = load_options(**({"model": model} if model else {}))
    total = {"groups": len(files), "stories": 0, "people": 0, "people_split": 0, "mistyped_split": 0,
             "split_pairs": 0, "typed_pairs": 0, "kin_pairs": 0}
    groups = []
    for path in files:
        report = analyze([path], opts.with_(include_text=False))
        listed = []
        for story in report.stories:
            pairs = entity_splits(story)
            total["stories"] += 1
            total["people"] += sum(1 for e in story.entities if e.type == "PERSON")
            split, mistyped = people_split(pairs)
            total["people_split"] += split
            total["mistyped_split"] += mistyped
            total["split_pairs"] += sum(p.kind == "split" for p in pairs)
            total["typed_pairs"] += sum(p.kind == "typed" for p in pairs)
            total["kin_pairs"] += sum(p.kind == "kin" for p in pairs)
            listed += [{"kind": p.kind, "story": story.id, "a": f"{p.a.name} ({p.a.type})",
                        "b": f"{p.b.name} ({p.b.type})", "a_aliases": list(p.a.aliases), "b_aliases": list(p.b.aliases)}
                       for p in pairs]
        if explain and listed:
            groups.append({"group": path.stem, "pairs": listed})
    result: dict[str, Any] = {"data": str(inputs), **total}
    if explain:
        result["groups_detail"] = groups
    return result


def entities_command(
    inputs: Annotated[Path, typer.Option("--inputs", help="Folder of GROUP.jsonl files (one story's articles each).")],
    explain: Annotated[bool, typer.Option("--explain", help="List every pair with the entities' names.")] = False,
    model: Annotated[str | None, typer.Option(help="spaCy pipeline (default: from settings).")] = None,
) -> None:
    """Count people who appear as more than one entity in a story (JSON).

    Example: storyline eval entities --inputs ../shared/data/findings-dev/inputs --explain
    """
    try:
        result = evaluate_entities(inputs, explain=explain, model=model)
    except (OSError, ValueError) as exc:
        typer.echo(f"storyline: error: {exc}", err=True)
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
