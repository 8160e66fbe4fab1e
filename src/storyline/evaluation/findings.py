"""``storyline eval findings``: cross-outlet findings scored against a gold list of discrepancies.

The gold format is ``storyline.findings-gold/1`` (one ``GROUP.gold.json`` per group of articles,
the articles in ``GROUP.jsonl`` beside it or under ``--inputs``). Each gold item names the
articles that state a fact and an exact snippet of each article's text.

Scoring follows the data set's README:

* every input file is analysed as a whole, through the same pipeline as ``storyline analyze``;
  the findings of every story it yields count;
* each gold snippet is located in the article's *cleaned* text (exactly; else with whitespace,
  quotation marks and dashes normalised; else by a fuzzy alignment of at least 90%);
* a ``conflict`` finding **matches** a gold discrepancy when its evidence overlaps the gold
  snippets in two different articles; conflict precision = matched conflicts / conflicts;
* (major) recall = (major) discrepancies matched by at least one conflict / (major) discrepancies;
* false conflicts per group = unmatched conflicts / groups;
* agreement recall = agreements matched by a ``corroborated`` finding (same overlap rule) /
  agreements; contradicted = corroborated findings that match a major discrepancy.

Figures are given overall, per gold ``kind`` (recall) and per finding ``subkind`` (precision),
with a reliability table of the conflicts' ``confidence`` (the share matched in each band);
``explain`` adds every unmatched conflict and every missed gold item with its snippets.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from rapidfuzz import fuzz

from ..options import Options, load_options
from ..report import Finding, Story

__all__ = ["GoldGroup", "GoldItem", "evaluate_findings", "locate", "read_gold", "score_group"]

GOLD_SCHEMA = "storyline.findings-gold/1"
_FUZZY_MIN = 90.0


@dataclass(frozen=True, slots=True)
class GoldSide:
    article: str  # the article's id: its URL, or a .txt file's stem
    text: str


@dataclass(frozen=True, slots=True)
class GoldItem:
    """A gold discrepancy (``kind``, ``severity``) or agreement (``kind == "agreement"``)."""

    index: int
    kind: str
    severity: str
    what: str
    sides: tuple[GoldSide, ...]


@dataclass(frozen=True, slots=True)
class GoldGroup:
    name: str
    input: Path
    discrepancies: tuple[GoldItem, ...]
    agreements: tuple[GoldItem, ...]


def read_gold(gold_dir: str | Path, inputs_dir: str | Path | None = None) -> list[GoldGroup]:
    """Every ``*.gold.json`` under ``gold_dir``, with its input file resolved."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory {gold_dir} does not exist")
    candidates = [Path(inputs_dir)] if inputs_dir else [gold_dir, gold_dir.parent / "inputs"]
    groups = []
    for path in sorted(gold_dir.glob("*.gold.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable gold file ({exc})") from None
        if data.get("schema") != GOLD_SCHEMA:
            raise ValueError(f"{path}: schema is {data.get('schema')!r}, expected {GOLD_SCHEMA!r}")
        name = data.get("group") or path.name.removesuffix(".gold.json")
        input_name = data.get("input") or f"{name}.jsonl"
        found = next((d / input_name for d in candidates if (d / input_name).is_file()), None)
        if found is None:
            where = " or ".join(str(d) for d in candidates)
            raise FileNotFoundError(f"{path}: input {input_name} not found in {where} (use --inputs DIR)")

        groups.append(GoldGroup(name, found, _items(data.get("discrepancies"), None),
                                _items(data.get("agreements"), "agreement")))
    if not groups:
        raise FileNotFoundError(f"no *.gold.json files in {gold_dir}")
    return groups


def _items(raw_items: list[dict[str, Any]] | None, kind: str | None) -> tuple[GoldItem, ...]:
    out = []
    for i, raw in enumerate(raw_items or []):
        sides = tuple(GoldSide(s["article"], s["text"]) for s in raw.get("sides") or [])
        out.append(GoldItem(i, kind or raw.get("kind", "other"), raw.get("severity", "major"), raw.get("what", ""),
                            sides))
    return tuple(out)


# --- locating snippets --------------------------------------------------------------------

_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "})


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` lower-cased, quotes and dashes folded, whitespace runs collapsed, and a map back."""
    out: list[str] = []
    index: list[int] = []
    space = False
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if not space and out:
                out.append(" ")
                index.append(i)
            space = True
            continue
        space = False
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        index.append(i)
    return "".join(out), index


def locate(snippet: str, text: str) -> tuple[int, int] | None:
    """Where ``snippet`` is in ``text``: exact, then normalised (case, quotes, dashes,
    whitespace), then a fuzzy alignment (>= 90)."""
    if not snippet.strip():
        return None
    at = text.find(snippet)
    if at >= 0:
        return at, at + len(snippet)
    norm_text, index = _normalised(text)
    norm_snip = _normalised(snippet)[0].strip()
    if not norm_snip:
        return None
    at = norm_text.find(norm_snip)
    if at >= 0:
        return index[at], index[at + len(norm_snip) - 1] + 1
    al = fuzz.partial_ratio_alignment(norm_snip, norm_text, score_cutoff=_FUZZY_MIN)
    if al is None or al.dest_end <= al.dest_start:
        return None
    return index[al.dest_start], index[al.dest_end - 1] + 1


# --- scoring ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Located:
    """A gold item with its sides as spans of the report's articles."""

    item: GoldItem
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # report article id -> spans
    missing: list[str] = field(default_factory=list)


def _matches(finding: Finding, gold: _Located) -> bool:
    hit = set()
    for ev in finding.evidence:
        for s, e in gold.spans.get(ev.article_id, ()):
            if ev.start < e and s < ev.end:
                hit.add(ev.article_id)
    return len(hit) >= 2


@dataclass(slots=True)
class GroupResult:
    name: str
    conflicts: int = 0
    matched_conflicts: int = 0
    corroborated: int = 0
    contradicted: int = 0
    discrepancies: list[tuple[GoldItem, bool]] = field(default_factory=list)
    agreements: list[tuple[GoldItem, bool]] = field(default_factory=list)
    by_subkind: Counter[tuple[str, bool]] = field(default_factory=Counter)
    by_class: Counter[tuple[str, bool]] = field(default_factory=Counter)  # "step:subkind/severity"
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    contradictions: list[dict[str, Any]] = field(default_factory=list)
    unlocated: list[str] = field(default_factory=list)
    findings: int = 0
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, matched) per conflict


def _finding_view(f: Finding) -> dict[str, Any]:
    return {"kind": f.kind, "subkind": f.subkind, "confidence": round(f.confidence, 3), "about": f.about,
            "detail": f.detail, "evidence": [{"article": e.article_id, "text": e.text} for e in f.evidence]}


def _item_view(item: GoldItem) -> dict[str, Any]:
    return {"kind": item.kind, "severity": item.severity, "what": item.what,
            "sides": [{"article": s.article, "text": s.text} for s in item.sides]}


def score_group(name: str, stories: Sequence[Story], gold: GoldGroup) -> GroupResult:
    """Score the stories built from one group's input against its gold list."""
    # reconciliation (and with it numpy) loads only when a score is computed: `--help` stays quick
    from ..reconcile.context import FOUND_BY, conflict_class

    texts: dict[str, str] = {}
    aliases: dict[str, str] = {}  # gold article key (url or id) -> report article id
    for story in stories:
        for a in story.articles:
            texts[a.id] = a.text or ""
            aliases[a.id] = a.id
            if a.url:
                aliases.setdefault(a.url, a.id)
    res = GroupResult(name)

    def place(item: GoldItem) -> _Located:
        loc = _Located(item)
        for side in item.sides:
            aid = aliases.get(side.article)
            span = locate(side.text, texts[aid]) if aid is not None else None
            if aid is None or span is None:
                loc.missing.append(side.article)
                res.unlocated.append(f"{item.kind} {item.what!r}: {side.text[:60]!r} in {side.article}")
                continue
            loc.spans.setdefault(aid, []).append(span)
        return loc

    discrepancies = [place(d) for d in gold.discrepancies]
    agreements = [place(a) for a in gold.agreements]
    findings = [f for story in stories for f in story.findings]
    res.findings = len(findings)
    matched_d: set[int] = set()
    matched_a: set[int] = set()
    for f in findings:
        if f.kind == "conflict":
            res.conflicts += 1
            hits = [d for d in discrepancies if _matches(f, d)]
            ok = bool(hits)
            res.matched_conflicts += ok
            res.by_subkind[(f.subkind or "unknown", ok)] += 1
            step = next((s[len(FOUND_BY):] for s in f.signals if s.startswith(FOUND_BY)), "")
            res.by_class[(conflict_class(step, f.subkind or "unknown", f.severity or "major"), ok)] += 1
            res.scored.append((f.confidence, ok))
            matched_d.update(d.item.index for d in hits)
            if not ok:
                res.unmatched.append(_finding_view(f))
        elif f.kind == "corroborated":
            res.corroborated += 1
            matched_a.update(g.item.index for g in agreements if _matches(f, g))
            bad = [d for d in discrepancies if d.item.severity == "major" and _matches(f, d)]
            if bad:
                res.contradicted += 1
                res.contradictions.append({"finding": _finding_view(f), "gold": _item_view(bad[0].item)})
    for d in discrepancies:
        ok = d.item.index in matched_d
        res.discrepancies.append((d.item, ok))
        if not ok:
            res.missed.append(_item_view(d.item))
    for g in agreements:
        ok = g.item.index in matched_a
        res.agreements.append((g.item, ok))
        if not ok:
            res.missed.append(_item_view(g.item))
    return res


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def summarise(results: Sequence[GroupResult]) -> dict[str, Any]:
    """The README's metrics over a set of scored groups, overall and by kind."""
    n = len(results)
    conflicts = sum(r.conflicts for r in results)
    matched = sum(r.matched_conflicts for r in results)
    disc = [(i, ok) for r in results for i, ok in r.discrepancies]
    major = [(i, ok) for i, ok in disc if i.severity == "major"]
    agree = [ok for r in results for _, ok in r.agreements]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({i.kind for i, _ in disc}):
        items = [(i, ok) for i, ok in disc if i.kind == kind]
        maj = [ok for i, ok in items if i.severity == "major"]
        by_kind[kind] = {"gold": len(items), "recall": _ratio(sum(ok for _, ok in items), len(items)),
                         "major": len(maj), "major_recall": _ratio(sum(maj), len(maj))}
    subkinds: Counter[tuple[str, bool]] = Counter()
    for r in results:
        subkinds.update(r.by_subkind)
    by_subkind = {}
    for sk in sorted({k for k, _ in subkinds}):
        total = subkinds[(sk, True)] + subkinds[(sk, False)]
        by_subkind[sk] = {"conflicts": total, "precision": _ratio(subkinds[(sk, True)], total)}
    classes: Counter[tuple[str, bool]] = Counter()
    for r in results:
        classes.update(r.by_class)
    by_class = {c: [classes[(c, True)], classes[(c, True)] + classes[(c, False)]]
                for c in sorted({k for k, _ in classes})}
    scored = [p for r in results for p in r.scored]
    calibration = []
    for lo in (0.0, 0.2, 0.4, 0.6, 0.8):
        hi = lo + 0.2
        inside = [ok for c, ok in scored if lo <= c < hi or (hi >= 1.0 and c == 1.0)]
        calibration.append({"confidence": f"{lo:.1f}-{hi:.1f}", "conflicts": len(inside),
                            "matched": _ratio(sum(inside), len(inside))})
    return {
        "groups": n,
        "conflict_precision": _ratio(matched, conflicts),
        "major_recall": _ratio(sum(ok for _, ok in major), len(major)),
        "recall": _ratio(sum(ok for _, ok in disc), len(disc)),
        "false_conflicts_per_group": _ratio(conflicts - matched, n),
        "agreement_recall": _ratio(sum(agree), len(agree)),
        "contradicted": sum(r.contradicted for r in results),
        "conflicts": conflicts,
        "matched_conflicts": matched,
        "corroborated": sum(r.corroborated for r in results),
        "findings": sum(r.findings for r in results),
        "gold_discrepancies": len(disc),
        "gold_major": len(major),
        "gold_agreements": len(agree),
        "by_kind": by_kind,
        "by_subkind": by_subkind,
        "calibration": calibration,
        "by_class": by_class,
    }


def evaluate_findings(gold_dir: str | Path, *, inputs_dir: str | Path | None = None,
                      options: Options | None = None, explain: bool = False,
                      groups: Iterable[str] = (),
                      progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Run the pipeline on each gold group's input and score its findings (see the module doc)."""
    from ..pipeline import analyze  # the NLP stack loads only when a run needs it

    opts = options or load_options()
    wanted = set(groups)
    gold = [g for g in read_gold(gold_dir, inputs_dir) if not wanted or g.name in wanted]
    if wanted and not gold:
        raise ValueError(f"no gold group named {', '.join(sorted(wanted))}")
    results = []
    for n, group in enumerate(gold, start=1):
        if progress:
            progress(f"{n}/{len(gold)} {group.name}")
        report = analyze([group.input], opts.with_(include_text=True))
        results.append(score_group(group.name, report.stories, group))
    out: dict[str, Any] = {"findings": summarise(results)}
    if explain:
        out["groups"] = [
            {"group": r.name, "conflicts": r.conflicts, "matched_conflicts": r.matched_conflicts,
             "unmatched_conflicts": r.unmatched, "missed": r.missed, "contradicted": r.contradictions,
             "unlocated_snippets": r.unlocated}
            for r in results
        ]
    return out


def findings_command(
    gold: Annotated[Path, typer.Option("--gold", help="Directory of GROUP.gold.json files "
                                       "(storyline.findings-gold/1).")],
    inputs: Annotated[Path | None, typer.Option("--inputs", help="Directory of the GROUP.jsonl inputs "
                                                "(default: beside the gold files, or ../inputs).")] = None,
    explain: Annotated[bool, typer.Option("--explain", help="List unmatched conflicts, missed gold items and "
                                          "contradicted corroborations with their snippets.")] = False,
    group: Annotated[list[str] | None, typer.Option("--group", help="Only this group (repeatable).")] = None,
    model: Annotated[str | None, typer.Option("--model", help="spaCy pipeline (default: from settings).")] = None,
    cue_lexicon: Annotated[str | None, typer.Option("--cue-lexicon", help="Learned attribution cues.")] = None,
) -> None:
    """Score storyline's findings against gold discrepancies and agreements; print JSON metrics."""
    try:
        options = load_options(model=model, cue_lexicon=cue_lexicon)
        result = evaluate_findings(gold, inputs_dir=inputs, options=options, explain=explain, groups=group or (),
                                   progress=lambda m: typer.echo(f"storyline: {m}", err=True))
    except (ValueError, FileNotFoundError) as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(json.dumps(result, indent=2, ensure_ascii=False))



if __name__ == "__main__":  # pragma: no cover - `python -m storyline.evaluation.findings --gold DIR`
    typer.run(findings_command)
