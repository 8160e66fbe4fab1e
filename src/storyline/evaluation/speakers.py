"""``storyline eval speakers``: is each quote's speaker the person the annotators named?

BASIL (``DIR/articles/YEAR/NAME.json`` and ``DIR/annotations/YEAR/NAME_ann.json``) marks biased
spans in 300 news articles; a span with ``quote: yes`` carries a ``speaker`` label: a name
("Rick_Perry"), a group ("House_Democrats", "NAACP") or only a stance (``other_pro``,
``other_anti``, ``other_neutral``, left out here). Offsets are relative to one sentence of
``body-paragraphs``; the text storyline reads is built as the cluster evaluation builds it
(sentences joined by a space, paragraphs by a blank line), cleaned and analysed by the same
code as ``storyline analyze``.

For every annotated quote with a name or group label:

* **found**: one of storyline's quotes in that article overlaps at least half of the
  annotated span's words (the one overlapping most is taken);
* a label is a **person** label when it is the same person (:func:`storyline.names.same_person`)
  as a PERSON entity storyline extracts in one of the event's articles; any other label is a
  **group** label (whoever spoke for the group);
* **correct** (person labels): the quote's speaker entity has a name or alias that is the
  same person as the label. An unresolved speaker is not correct.

Reported per label kind: annotated, found, coverage (found / annotated), correct and accuracy
(correct / found), and for person labels the accuracy per ``speaker_via``. For group labels,
``named`` counts speakers whose entity shares a word with the label ("House Democrats" /
"Democrats"). BASIL writes labels in ASCII cut at the first other letter ("Felipe_Calder" for
Felipe Calder\u00f3n), so a label's last word also matches a longer surname it begins.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from ..models import Analysis, Entity, Quote
from ..names import PersonName, fold, parse_name, same_person

__all__ = ["GoldQuote", "read_basil_quotes", "evaluate_speakers", "speakers_command"]

_STANCE = re.compile(r"^other(_|$)", re.I)
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One annotated quote: the article, its span in the article's text, and the speaker label."""

    article: str
    event: str
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class GoldArticle:
    name: str
    event: str
    text: str
    published: str | None
    url: str | None
    quotes: tuple[GoldQuote, ...]
    unplaced: int  # annotated quotes whose text was not found in the article


def read_basil_quotes(root: Path) -> list[GoldArticle]:
    """BASIL articles with their annotated quotes that carry a name or group label."""
    arts = root / "articles"
    anns = root / "annotations"
    if not arts.is_dir() or not anns.is_dir():
        raise FileNotFoundError(f"{root}: expected articles/ and annotations/ folders (BASIL layout)")
    out: list[GoldArticle] = []
    for path in sorted(arts.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        ann_path = anns / path.parent.name / f"{path.stem}_ann.json"
        sentences: list[tuple[int, str]] = []
        pars: list[str] = []
        pos = 0
        for p in data.get("body-paragraphs", []):
            sents = p if isinstance(p, list) else [str(p)]
            par_start = pos
            for k, s in enumerate(sents):
                sentences.append((pos, s))
                pos += len(s) + (1 if k < len(sents) - 1 else 0)
            pars.append(" ".join(sents))
            assert pos == par_start + len(pars[-1])
            pos += 2
        text = "\n\n".join(pars)
        event = str(data["triplet-uuid"])
        quotes: list[GoldQuote] = []
        unplaced = 0
        if ann_path.is_file():
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            for a in ann.get("phrase-level-annotations", []):
                label = str(a.get("speaker") or "").strip()
                if str(a.get("quote", "")).lower() != "yes" or not label or _STANCE.match(label):
                    continue
                span = _place(sentences, text, str(a.get("txt", "")), int(a.get("start", 0)))
                if span is None:
                    unplaced += 1
                    continue
                quotes.append(GoldQuote(path.stem, event, span[0], span[1], text[span[0]:span[1]], label))
        out.append(GoldArticle(path.stem, event, text, data.get("date"), data.get("url"), tuple(quotes), unplaced))
    if not out:
        raise ValueError(f"no BASIL articles found under {arts}")
    return out


def _place(sentences: Sequence[tuple[int, str]], text: str, txt: str, start: int) -> tuple[int, int] | None:
    """The annotated span in the article: at its offset in the sentence holding it, else its
    first occurrence in the text."""
    if not txt:
        return None
    for pos, s in sentences:
        if s[start:start + len(txt)] == txt:
            return pos + start, pos + start + len(txt)
    at = text.find(txt)
    return (at, at + len(txt)) if at >= 0 else None


# ------------------------------------------------------------------------------------ matching


def _label_name(label: str) -> PersonName:
    return parse_name(label.replace("_", " "))


def label_is_person(label: str, entity: Entity, *, lenient_suffix: bool = False) -> bool:
    """Whether a BASIL speaker label names this entity (a person), by any of its names.

    A label with a lower-case word ("Obama_campaign") names a group. ``lenient_suffix``: a label
    without "Jr."/"III" also names an entity with one (labels often leave it out)."""
    if entity.type != "PERSON" or any(w[:1].islower() for w in label.split("_") if w.isalpha()):
        return False
    want = _label_name(label)
    written = [entity.name] + [m.text for m in entity.mentions if m.kind != "description" and m.kind != "pronoun"]
    if not entity.mentions:
        written += entity.aliases
    names = [parse_name(n) for n in dict.fromkeys(written)]
    if lenient_suffix and not want.suffix:
        names = [PersonName(n.given, n.middles, n.surname, "", n.nicknames) for n in names]
    # a surname alias matches, unless the entity's full name is someone else with that surname
    return any(_matches(want, n) for n in names) and all(_matches(want, n) for n in names if n.given)


def _matches(label: PersonName, name: PersonName) -> bool:
    if same_person(label, name):
        return True
    # the label cut at a non-ASCII letter: "calder" for "calderon"
    return (len(label.surname) >= 4 and name.surname.startswith(label.surname) and label.surname != name.surname
            and same_person(PersonName(label.given, label.middles, name.surname, label.suffix, label.nicknames),
                            name))


def _found(q: GoldQuote, quotes: Sequence[Quote], text: str) -> Quote | None:
    """The storyline quote overlapping most of the annotated span's words (at least half)."""
    words = [(m.start() + q.start, m.end() + q.start) for m in _WORD.finditer(q.text)]
    if not words:
        return None
    best: tuple[int, Quote] | None = None
    for sq in quotes:
        n = sum(1 for s, e in words if s < sq.end and sq.start < e)
        if n * 2 >= len(words) and (best is None or n > best[0]):
            best = (n, sq)
    return best[1] if best else None


def _context(text: str, start: int, end: int, width: int = 160) -> str:
    a = max(0, start - width)
    b = min(len(text), end + 60)
    return " ".join(text[a:b].split())


def score_speakers(gold: Sequence[GoldArticle], analyses: Sequence[Analysis], *,
                   explain: bool = False) -> dict[str, Any]:
    """Coverage and accuracy of storyline's speakers against the annotated labels."""
    by_event: dict[str, list[Entity]] = {}
    for g, a in zip(gold, analyses, strict=True):
        by_event.setdefault(g.event, []).extend(e for e in a.entities if e.type == "PERSON")
    kinds = {k: Counter[str]() for k in ("person", "group")}
    per_via: dict[str, Counter[str]] = {}
    misses: list[dict[str, Any]] = []
    person_labels: set[str] = set()
    group_labels: Counter[str] = Counter()
    for g, a in zip(gold, analyses, strict=True):
        text = a.article.text
        ents = {e.id: e for e in a.entities}
        for q in g.quotes:
            start = text.find(q.text, max(0, q.start - 200)) if text[q.start:q.end] != q.text else q.start
            if start < 0:
                start = text.find(q.text)
            located = GoldQuote(q.article, q.event, start, start + len(q.text), q.text, q.label) if start >= 0 else None
            person = any(label_is_person(q.label, e, lenient_suffix=True) for e in by_event.get(g.event, []))
            kind = "person" if person else "group"
            (person_labels.add(q.label) if person else group_labels.update([q.label]))
            c = kinds[kind]
            c["annotated"] += 1
            sq = _found(located, a.quotes, text) if located is not None else None
            if sq is None:
                if explain:
                    misses.append({"miss": "not found", "label": q.label, "article": g.name, "quote": q.text,
                                   "context": _context(text, located.start, located.end) if located else q.text})
                continue
            c["found"] += 1
            ent = ents.get(sq.speaker_entity_id) if sq.speaker_entity_id else None
            if kind == "person":
                # a label without a suffix names the suffixed person when no one in the event
                # matches it without one ("Roger_Stone" for "Roger J. Stone Jr.")
                lenient = not any(label_is_person(q.label, e) for e in by_event.get(g.event, []))
                ok = ent is not None and label_is_person(q.label, ent, lenient_suffix=lenient)
                v = per_via.setdefault(sq.speaker_via, Counter())
                v["found"] += 1
                if ok:
                    c["correct"] += 1
                    v["correct"] += 1
                elif explain:
                    misses.append({"miss": "wrong speaker" if ent is not None else "unresolved", "label": q.label,
                                   "article": g.name, "quote": sq.text, "speaker_text": sq.speaker_text,
                                   "speaker": ent.name if ent else None, "via": sq.speaker_via,
                                   "confidence": sq.speaker_confidence, "cue": sq.cue,
                                   "context": _context(text, min(sq.start, sq.speaker_start or sq.start),
                                                       max(sq.end, sq.speaker_end or sq.end))})
            else:
                label_words = {fold(w) for w in q.label.split("_") if len(w) > 2}
                ent_words = {fold(w) for n in (ent.name, *ent.aliases) for w in _WORD.findall(n)} if ent else set()
                if label_words & ent_words:
                    c["named"] += 1
                if ent is not None:
                    c["resolved"] += 1
    result: dict[str, Any] = {}
    for kind, c in kinds.items():
        entry: dict[str, Any] = {"annotated": c["annotated"], "found": c["found"],
                                 "coverage": round(c["found"] / c["annotated"], 4) if c["annotated"] else 0.0}
        if kind == "person":
            entry["correct"] = c["correct"]
            entry["accuracy"] = round(c["correct"] / c["found"], 4) if c["found"] else 0.0
            entry["by_via"] = {via: {"found": v["found"], "correct": v["correct"],
                                     "accuracy": round(v["correct"] / v["found"], 4)}
                               for via, v in sorted(per_via.items(), key=lambda kv: -kv[1]["found"])}
            entry["labels"] = len(person_labels)
        else:
            entry["resolved"] = c["resolved"]
            entry["named"] = c["named"]
            entry["labels"] = dict(group_labels.most_common())
        result[kind] = entry
    result["unplaced"] = sum(g.unplaced for g in gold)
    if explain:
        result["misses"] = misses
    return result


def evaluate_speakers(basil: Path, *, limit: int | None = None, workers: int = 1, model: str = "auto",
                      cue_lexicon: str = "", explain: bool = False) -> dict[str, Any]:
    """Read BASIL, analyse every article the way ``storyline analyze`` does, and score the speakers.

    ``limit``: only the first N events (all their articles), for quick runs."""
    from ..analyze import iter_analyses
    from ..clean import clean
    from ..ingest import parse_date
    from ..models import Article
    from ..options import Options

    gold = read_basil_quotes(basil)
    if limit is not None:
        events = list(dict.fromkeys(g.event for g in gold))[:limit]
        gold = [g for g in gold if g.event in set(events)]
    articles = [clean(Article(g.name, g.text, "eval", published=parse_date(g.published or ""), url=g.url))
                for g in gold]
    analyses = list(iter_analyses(articles, Options(workers=workers, model=model, cue_lexicon=cue_lexicon)))
    if len(analyses) != len(gold):
        raise RuntimeError(f"analysis returned {len(analyses)} results for {len(gold)} articles")
    result: dict[str, Any] = {"data": str(basil), "articles": len(gold)}
    result.update(score_speakers(gold, analyses, explain=explain))
    return result


def speakers_command(
    basil: Annotated[Path, typer.Option(help="BASIL folder (articles/YEAR/*.json and annotations/YEAR/*_ann.json).")],
    explain: Annotated[bool, typer.Option("--explain", help="List each miss with its context.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="Only the first N events (3 articles each).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Analysis processes.")] = 1,
    model: Annotated[str, typer.Option(help="spaCy pipeline.")] = "auto",
    cue_lexicon: Annotated[str, typer.Option(help="Learned cues from 'storyline train attribution'.")] = "",
) -> None:
    """Score quote speakers on BASIL: coverage and accuracy for person labels, groups apart (JSON).

    Example: storyline eval speakers --basil ../shared/data/basil --explain
    """
    try:
        result = evaluate_speakers(basil, limit=limit, workers=workers, model=model, cue_lexicon=cue_lexicon,
                                   explain=explain)
    except (OSError, ValueError, RuntimeError) as exc:
        typer.echo(f"storyline: error: {exc}", err=True)
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
