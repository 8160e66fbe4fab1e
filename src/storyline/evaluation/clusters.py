"""Story-clustering evaluation on ECB+ and BASIL, and the ``storyline cluster`` command.

Gold stories: ECB+ sub-topics (in topic folder T, ``T_Necb.xml`` files tell one story
and ``T_Necbplus.xml`` files another; every topic folder present is read and all are
clustered together) and BASIL ``triplet-uuid`` values. Scores: B-cubed and pairwise
precision / recall / F1.

``--via`` picks the path measured: ``analyze`` (the default: storyline's analysis, then the
story engine over the analyses, as ``storyline analyze`` runs), ``ingest`` (the same analyses
stored one batch at a time into a fresh store, in the given order, and the stories read back
from it) or ``text`` (the engine over the raw texts, no spaCy: seconds, for tuning).
``--method baseline`` runs the reference baseline (TF-IDF over the text plus TF-IDF
over capitalised tokens, numbers and month names; average-linkage cosine) on the
same documents.
"""

from __future__ import annotations

import json
import math
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..models import Analysis

if TYPE_CHECKING:
    from scipy import sparse

# numpy, scipy, the clusterer and the date parser are imported where they are used: this
# module also defines commands, and `storyline --help` must not wait for them.

#: Similarity threshold of the baseline, tuned on ECB+ topics 1-35.
BASELINE_THRESHOLD = 0.2


@dataclass(frozen=True, slots=True)
class GoldDoc:
    """One evaluation document with its gold story label."""

    name: str
    text: str
    gold: str
    published: date | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass(frozen=True, slots=True)
class Scores:
    """Precision, recall and F1 of one scorer."""

    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict[str, float]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


# ---------------------------------------------------------------- readers


_NO_SPACE_BEFORE = re.compile(r" (?=[,.;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'')")
_NO_SPACE_AFTER = re.compile(r"(?:(?<=[(\[{$])|(?<=``)) ")


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens back into a sentence ("Reid , her rep" -> "Reid, her rep")."""
    text = " ".join(t for t in tokens if t)
    text = _NO_SPACE_BEFORE.sub("", text)
    text = _NO_SPACE_AFTER.sub("", text)
    return text.replace("``", "\u201c").replace("''", "\u201d")


_DATE_IN_LINE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)? (?:of )?[A-Z][a-z]{2,8}\.?,? \d{4}"
    r"|[A-Z][a-z]{2,8}\.? \d{1,2}(?:st|nd|rd|th)?,? \d{4})\b",
    re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(?:(?P<y1>\d{4}) ?- ?(?P<m1>\d{1,2}) ?- ?(?P<d1>\d{1,2})"
                           r"|(?P<m2>\d{1,2}) ?/ ?(?P<d2>\d{1,2}) ?/ ?(?P<y2>\d{4}|\d{2})"
                           r"|(?P<d3>\d{1,2})\. ?(?P<m3>\d{1,2})\. ?(?P<y3>\d{4}))\b")


def find_date(line: str) -> date | None:
    """The first date in a short header line: "Published: July 29, 2004", "12 / 16 / 08" (US order),
    "08. 07. 2012" (day first), "2012 - 04 - 04"."""
    from ..ingest import parse_date

    for m in _DATE_IN_LINE.finditer(line):
        found = parse_date(m.group().replace(" of ", " ").replace(".", ""))
        if found is not None:
            return found
    for m in _NUMERIC_DATE.finditer(line):
        y, mo, d = next((m[f"y{i}"], m[f"m{i}"], m[f"d{i}"]) for i in (1, 2, 3) if m[f"y{i}"])
        year = int(y) + (2000 if len(y) == 2 else 0)
        try:
            return date(year, int(mo), int(d))
        except ValueError:
            continue
    return None


def _natural(path: Path) -> tuple[int, int, str]:
    m = re.match(r"(\d+)_(\d+)", path.name)
    return (int(m[1]), int(m[2]), path.name) if m else (0, 0, path.name)


def ecbplus_topics(root: Path) -> list[int]:
    """The topic numbers whose folders ``root`` holds."""
    return sorted(int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit())


def read_ecbplus(root: Path, topics: Sequence[int] | range | None = None) -> list[GoldDoc]:
    """ECB+ documents of ``topics`` (default: every topic folder present); a leading URL sentence
    becomes ``url``, a date sentence ``published``."""
    docs: list[GoldDoc] = []
    wanted = ecbplus_topics(root) if topics is None else topics
    files = [f for t in wanted for f in (root / str(t)).glob(f"{t}_*.xml")]
    for path in sorted(files, key=_natural):
        kind = "ecbplus" if path.stem.endswith("ecbplus") else "ecb"
        sentences: dict[int, list[str]] = {}
        for tok in ET.parse(path).getroot().iter("token"):
            sentences.setdefault(int(tok.get("sentence", "0")), []).append(tok.text or "")
        lines = [detokenize(sentences[k]) for k in sorted(sentences)]
        url = None
        if lines and re.match(r"https?://", lines[0].replace(" ", "")):
            url = lines.pop(0).replace(" ", "")
        published = next((d for d in (find_date(s) for s in lines[:4] if len(s) <= 80) if d is not None), None)
        topic = path.name.split("_", 1)[0]
        docs.append(GoldDoc(path.name, "\n".join(lines), f"{topic}_{kind}", published, url))
    return docs


def read_basil(root: Path) -> list[GoldDoc]:
    """BASIL articles (``articles/YEAR/*.json`` under ``root``, or ``root`` itself holding years)."""
    from ..ingest import parse_date

    base = root / "articles" if (root / "articles").is_dir() else root
    docs: list[GoldDoc] = []
    for path in sorted(base.glob("*/*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        paragraphs = [" ".join(p) if isinstance(p, list) else str(p) for p in data.get("body-paragraphs", [])]
        published = parse_date(str(data.get("date") or ""))
        docs.append(GoldDoc(path.stem, "\n\n".join(paragraphs), str(data["triplet-uuid"]), published,
                            data.get("url"), str(data.get("source", "")).lower() or None))
    return docs


# ---------------------------------------------------------------- scorers


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> Scores:
    """B-cubed precision/recall/F1 of predicted labels against gold labels (one per item)."""
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} gold labels")
    if not pred:
        return Scores(0.0, 0.0, 0.0)
    cells = Counter(zip(pred, gold, strict=True))
    p_size = Counter(pred)
    g_size = Counter(gold)
    precision = sum(n * n / p_size[p] for (p, _), n in cells.items()) / len(pred)
    recall = sum(n * n / g_size[g] for (_, g), n in cells.items()) / len(pred)
    return Scores(precision, recall, _f1(precision, recall))


def pairwise(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> Scores:
    """Pairwise precision/recall/F1: over pairs of items put (or meant to be) in one cluster."""
    if len(pred) != len(gold):
        raise ValueError(f"{len(pred)} predicted labels for {len(gold)} gold labels")

    def pairs(counts: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(Counter(zip(pred, gold, strict=True)))
    p_pairs, g_pairs = pairs(Counter(pred)), pairs(Counter(gold))
    precision = both / p_pairs if p_pairs else 1.0
    recall = both / g_pairs if g_pairs else 1.0
    return Scores(precision, recall, _f1(precision, recall))


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


#: Days between two pieces' nearest dated reports beyond which an error is put down to the date
#: damping (a follow-up weeks later, or a same-kind event another year), not to the wording.
ERROR_DAYS = 7


@dataclass(frozen=True, slots=True)
class ClusterError:
    """One wrong story: a predicted story holding several gold stories (``merged``: ``articles`` are
    the ones outside its largest gold story) or a gold story cut into several (``split``:
    ``articles`` are the ones outside its largest piece). ``gain`` is the B-cubed F1 the run would
    gain were this story alone right."""

    kind: str
    story: str
    why: str
    articles: tuple[str, ...]
    parts: dict[str, int]
    gain: float

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "story": self.story, "why": self.why, "articles": list(self.articles),
                "parts": self.parts, "gain": round(self.gain, 4)}


def _why(inside: Sequence[date | None], outside: Sequence[date | None], days: int) -> str:
    """What kept two sets of reports together or apart, from their dates: ``undated`` (one side has
    no date, so the date damping cannot act), ``days apart`` (their nearest dated reports lie more
    than ``days`` apart) or ``same days`` (the wording alone decided)."""
    a = [d for d in inside if d is not None]
    b = [d for d in outside if d is not None]
    if not a or not b:
        return "undated"
    gap = min(abs((x - y).days) for x in a for y in b)
    return "days apart" if gap > days else "same days"


def _main_why(docs: Sequence[GoldDoc], main: Sequence[int], stray: Sequence[int], groups: Sequence[Hashable],
              days: int) -> str:
    """The reason (see :func:`_why`) that covers most stray articles, each group of them (a gold story
    or a piece) judged against the main part on its own."""
    by_group: dict[Hashable, list[int]] = {}
    for i, grp in zip(stray, groups, strict=True):
        by_group.setdefault(grp, []).append(i)
    counts: Counter[str] = Counter()
    for members in by_group.values():
        counts[_why([docs[i].published for i in main], [docs[i].published for i in members], days)] += len(members)
    order = ("undated", "days apart", "same days")
    return max(order, key=lambda w: (counts[w], -order.index(w)))


def cluster_errors(pred: Sequence[Hashable], docs: Sequence[GoldDoc], *, days: int = ERROR_DAYS
                   ) -> list[ClusterError]:
    """Every wrongly merged and wrongly split story of a labelling of ``docs``, largest gain first."""
    gold = [d.gold for d in docs]
    base = bcubed(pred, gold).f1
    by_pred: dict[Hashable, list[int]] = {}
    by_gold: dict[str, list[int]] = {}
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred.setdefault(p, []).append(i)
        by_gold.setdefault(g, []).append(i)
    out: list[ClusterError] = []
    for p, members in by_pred.items():
        parts = Counter(gold[i] for i in members)
        if len(parts) < 2:
            continue
        major = max(parts, key=lambda g: (parts[g], g))
        stray = [i for i in members if gold[i] != major]
        fixed = [(q, gold[i]) if q == p else q for i, q in enumerate(pred)]
        why = _main_why(docs, [i for i in members if gold[i] == major], stray, [gold[i] for i in stray], days)
        out.append(ClusterError("merged", str(p), why, tuple(docs[i].name for i in stray),
                                dict(parts.most_common()), bcubed(fixed, gold).f1 - base))
    for g, members in by_gold.items():
        pieces = Counter(pred[i] for i in members)
        if len(pieces) < 2:
            continue
        main = max(pieces, key=lambda q: (pieces[q], str(q)))
        stray = [i for i in members if pred[i] != main]
        joined = [main if gold[i] == g else q for i, q in enumerate(pred)]
        why = _main_why(docs, [i for i in members if pred[i] == main], stray, [pred[i] for i in stray], days)
        out.append(ClusterError("split", g, why, tuple(docs[i].name for i in stray),
                                {str(q): n for q, n in pieces.most_common()}, bcubed(joined, gold).f1 - base))
    return sorted(out, key=lambda e: (-e.gain, e.kind, e.story))


def error_summary(errors: Sequence[ClusterError]) -> dict[str, dict[str, int]]:
    """Stories and articles per kind and reason: ``{"merged undated": {"stories": 3, "articles": 9}}``."""
    out: dict[str, dict[str, int]] = {}
    for e in errors:
        row = out.setdefault(f"{e.kind} {e.why}", {"stories": 0, "articles": 0})
        row["stories"] += 1
        row["articles"] += len(e.articles)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- systems


_WORD = re.compile(r"\w+")
_MONTH_NAMES = frozenset(
    "january february march april may june july august september october november december".split())


def _tfidf(docs: list[list[str]]) -> sparse.csr_matrix:
    import numpy as np
    from scipy import sparse

    vocab: dict[str, int] = {}
    rows, cols, vals = [], [], []
    for i, toks in enumerate(docs):
        for t, n in Counter(toks).items():
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
            vals.append(1.0 + math.log(n))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), max(1, len(vocab))))
    df = np.bincount(m.indices, minlength=m.shape[1])
    m = m @ sparse.diags(np.log((1 + len(docs)) / (1 + df)) + 1)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sparse.csr_matrix(sparse.diags(1 / norms) @ m)


def baseline_labels(texts: Sequence[str], *, threshold: float = BASELINE_THRESHOLD) -> list[int]:
    """The reference baseline: mean of a word TF-IDF cosine and a capitals/numbers/months TF-IDF cosine,
    average-linkage clustering cut at ``threshold``."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    if len(texts) < 2:
        return [1] * len(texts)
    words = [_WORD.findall(t.lower()) for t in texts]
    caps = [[w.lower() for w in _WORD.findall(t) if w[0].isupper() or w.isdigit() or w.lower() in _MONTH_NAMES]
            for t in texts]
    a, b = _tfidf(words), _tfidf(caps)
    sim = ((a @ a.T).toarray() + (b @ b.T).toarray()) / 2
    dist = np.clip(1 - sim, 0, None)[np.triu_indices(len(texts), k=1)]
    return [int(x) for x in fcluster(linkage(dist, method="average"), t=1 - threshold, criterion="distance")]


def analyze_docs(docs: Sequence[GoldDoc], *, workers: int = 1) -> list[Analysis]:
    """storyline's analysis (cleaning, spaCy entities, ...) of each document, in order; nothing is cached."""
    from ..analyze import iter_analyses
    from ..clean import clean
    from ..models import Article
    from ..options import Options

    opts = Options(workers=workers)
    articles = [clean(Article(d.name, d.text, "eval", outlet=d.outlet or "unknown", published=d.published,
                              url=d.url), opts) for d in docs]
    found = list(iter_analyses(articles, opts))
    if len(found) != len(docs):
        raise ValueError(f"analysis returned {len(found)} results for {len(docs)} documents")
    return found


def storyline_labels(docs: Sequence[GoldDoc], *, batch_size: int | None = None,
                     threshold: float | None = None, analyses: Sequence[Analysis] | None = None) -> list[int]:
    """storyline's story engine over ``docs`` in input order, ``batch_size`` at a time (default: one batch).

    With ``analyses`` (one per document), clustering gets them, as the pipeline does (names from
    entities); else the raw texts."""
    from ..cluster import StoryClusterer, StoryDoc

    clusterer = StoryClusterer(threshold=threshold)
    items: list[StoryDoc | Analysis] = (list(analyses) if analyses is not None
                                        else [StoryDoc(d.name, d.text, d.published) for d in docs])
    size = batch_size or len(items) or 1
    for start in range(0, len(items), size):
        clusterer.add(items[start:start + size])
    return clusterer.labels()


def ingest_labels(analyses: Sequence[Analysis], *, batch_size: int = 1, seed: int | None = None,
                  threshold: float | None = None, db: str | None = None) -> list[str]:
    """The story of each analysed document after storing them in a fresh store (SQLite in a
    temporary folder, or the database URL ``db``, which must be empty), ``batch_size`` per
    transaction, in input order or shuffled with ``seed``. A document the store skips as already
    stored (the same text, or the same URL as an earlier one) takes the story of the stored one."""
    import random
    import tempfile

    from sqlalchemy import select

    from ..options import Options
    from ..service.models import ARTICLES
    from ..service.store import Store, content_hash

    order = list(range(len(analyses)))
    if seed is not None:
        random.Random(seed).shuffle(order)
    opts = Options() if threshold is None else Options(cluster_threshold=threshold)
    with tempfile.TemporaryDirectory() as tmp:
        with Store(db or f"sqlite:///{tmp}/eval.db") as store:
            for start in range(0, len(order), batch_size):
                store.add([analyses[i] for i in order[start:start + batch_size]], opts)
            with store.engine.connect() as conn:
                rows = conn.execute(select(ARTICLES.c.content_hash, ARTICLES.c.url, ARTICLES.c.story_id)).all()
    by_hash = {h: sid for h, _, sid in rows}
    by_url = {url: sid for _, url, sid in rows if url}
    out = []
    for a in analyses:
        art = a.article.article
        sid = by_hash.get(content_hash(art))
        out.append(str(sid if sid is not None else by_url[art.url]))
    return out


class Method(StrEnum):
    storyline = "storyline"
    baseline = "baseline"
    both = "both"


class Via(StrEnum):
    analyze = "analyze"
    ingest = "ingest"
    text = "text"


DATASETS = ("ecbplus", "basil")


def evaluate_clusters(ecbplus: Path | None = None, basil: Path | None = None, *, out: Path | None = None,
                      method: str = "both", batch_size: int | None = None,
                      threshold: float | None = None, via: str = "analyze",
                      workers: int = 1, seed: int | Sequence[int] | None = None,
                      errors: bool = False) -> dict[str, Any]:
    """Cluster each given corpus and score it: ``{dataset: {method: {bcubed, pairwise, ...}}}``.

    ``via`` is the path measured (see the module docstring). With ``out``, writes
    ``doc_name<TAB>cluster_id`` lines (storyline's clusters, or the baseline's when it is the
    only method). ``batch_size`` articles go to the engine (or the store) at a time: all at once
    by default, one at a time through the store; ``seed`` shuffles the order first (through the
    store, each of several seeds is one run, reported under ``orders``). ``errors`` adds every
    wrongly merged and split story to each method's entry (see :func:`cluster_errors`).
    """
    import random

    path = Via(via)
    seeds = [seed] if isinstance(seed, int) else list(seed or [])
    methods = ["storyline", "baseline"] if method == "both" else [Method(method).value]
    result: dict[str, Any] = {}
    lines: list[str] = []
    for name, root, reader in (("ecbplus", ecbplus, read_ecbplus), ("basil", basil, read_basil)):
        if root is None:
            continue
        if not Path(root).is_dir():
            raise FileNotFoundError(f"{name} folder {root} does not exist")
        docs = reader(Path(root))
        if not docs:
            raise ValueError(f"no {name} documents found under {root}")
        gold = [d.gold for d in docs]
        entry: dict[str, Any] = {"documents": len(docs), "gold_clusters": len(set(gold)), "via": path.value}
        for m in methods:
            started = time.perf_counter()
            pred: Sequence[Hashable]
            if m == "storyline":
                analyses = analyze_docs(docs, workers=workers) if path is not Via.text else None
                if analyses is not None:
                    entry["analysis_seconds"] = round(time.perf_counter() - started, 2)
                if path is Via.ingest:
                    assert analyses is not None
                    # the store must hold the stories analyze finds on the same articles at once
                    whole = storyline_labels(docs, threshold=threshold, analyses=analyses)
                    orders = []
                    order_seeds: list[int | None] = list(seeds) or [None]
                    runs = [ingest_labels(analyses, batch_size=batch_size or 1, seed=one, threshold=threshold)
                            for one in order_seeds]
                    for one, got_order in zip(order_seeds, runs, strict=True):
                        orders.append({"seed": one, "bcubed_f1": round(bcubed(got_order, gold).f1, 4),
                                       "differs_from_analyze": _moved(got_order, whole)})
                    pred = runs[0]
                    entry["orders"] = orders
                    # the analyze path on the same analyses, for comparison
                    entry["analyze"] = {"clusters": len(set(whole)), "bcubed": bcubed(whole, gold).to_dict(),
                                        "pairwise": pairwise(whole, gold).to_dict()}
                else:
                    order = list(range(len(docs)))
                    if seeds:
                        random.Random(seeds[0]).shuffle(order)
                    got = storyline_labels([docs[i] for i in order], batch_size=batch_size, threshold=threshold,
                                           analyses=None if analyses is None else [analyses[i] for i in order])
                    back = [0] * len(docs)
                    for pos, i in enumerate(order):
                        back[i] = got[pos]
                    pred = back
            else:
                pred = baseline_labels([d.text for d in docs])
            entry[m] = {"clusters": len(set(pred)), "bcubed": bcubed(pred, gold).to_dict(),
                        "pairwise": pairwise(pred, gold).to_dict(),
                        "seconds": round(time.perf_counter() - started, 2)}
            if errors:
                found = cluster_errors(pred, docs)
                entry[m]["errors"] = {"summary": error_summary(found), "stories": [e.to_dict() for e in found]}
            if m == methods[0]:
                lines.extend(f"{d.name}\t{name}-{p}" for d, p in zip(docs, pred, strict=True))
        result[name] = entry
    if out is not None:
        out.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return result


def _moved(pred: Sequence[Hashable], other: Sequence[Hashable]) -> int:
    """Articles not in the same story under both labelings: the fewest to move to make them equal,
    counted as the articles outside the best-matching pairs of stories (0 when the partitions agree)."""
    cells = Counter(zip(pred, other, strict=True))
    used_a: set[Hashable] = set()
    used_b: set[Hashable] = set()
    kept = 0
    for (a, b), n in sorted(cells.items(), key=lambda x: -x[1]):
        if a not in used_a and b not in used_b:
            used_a.add(a)
            used_b.add(b)
            kept += n
    return len(pred) - kept


# ---------------------------------------------------------------- commands


def clusters_command(
    ecbplus: Annotated[Path | None, typer.Option(help="ECB+ folder (every topic folder in it is read).")] = None,
    basil: Annotated[Path | None, typer.Option(help="BASIL folder (holding articles/YEAR/*.json).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write doc_name<TAB>cluster_id lines to FILE.")]
    = None,
    method: Annotated[Method, typer.Option(help="Which system to score.")] = Method.both,
    batch_size: Annotated[int | None, typer.Option(min=1, help="Documents per batch (default: all in one; "
                                                             "one at a time with --via ingest).")] = None,
    threshold: Annotated[float | None, typer.Option(help="Story similarity threshold for storyline.")] = None,
    via: Annotated[Via, typer.Option(help="Path measured: analyze (storyline's analysis, then the story engine, "
                                          "as 'storyline analyze' runs; minutes), ingest (the same analyses "
                                          "stored into a fresh store) or text (raw texts only; seconds).")]
    = Via.analyze,
    seed: Annotated[list[int] | None, typer.Option(help="Shuffle the documents with this seed first (repeat it "
                                                        "with --via ingest to store several orders).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Analysis processes.")] = 1,
    errors: Annotated[bool, typer.Option("--errors", help="List every wrongly merged and wrongly split story: "
                                                          "its articles, their gold stories or pieces, whether "
                                                          "dates or wording decided, and the F1 its fix gains.")]
    = False,
) -> None:
    """Score story clustering on ECB+ and/or BASIL: B-cubed and pairwise P/R/F1 as JSON.

    Example: storyline eval clusters --ecbplus ../shared/data/ecbplus --basil ../shared/data/basil
    """
    if ecbplus is None and basil is None:
        typer.echo("storyline: error: give --ecbplus DIR and/or --basil DIR", err=True)
        raise typer.Exit(2)
    try:
        result = evaluate_clusters(ecbplus, basil, out=out, method=method.value, batch_size=batch_size,
                                   threshold=threshold, via=via.value, workers=workers, seed=seed,
                                   errors=errors)
    except (OSError, ValueError) as exc:
        typer.echo(f"storyline: error: {exc}", err=True)
        raise typer.Exit(2) from None
    sys.stdout.write(json.dumps(result, indent=2) + "\n")


class ClusterFormat(StrEnum):
    json = "json"
    tsv = "tsv"


def cluster_command(
    paths: Annotated[list[Path], typer.Argument(
        help="Article files (.txt, .html, .json, .jsonl) or folders (read recursively).")],
    fmt: Annotated[ClusterFormat, typer.Option("--format", "-f", help="Output format.")] = ClusterFormat.tsv,
    threshold: Annotated[float | None, typer.Option(help="Story similarity threshold.")] = None,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles clustered per batch.")] = 1000,
    config: Annotated[Path | None, typer.Option(help="Config file (default ~/.config/storyline/storyline.cfg).")]
    = None,
) -> None:
    """Group articles into stories and copies: id<TAB>story<TAB>source_group per article, or JSON.

    Exit status: 0 on success, 1 when some inputs could not be read, 2 on a usage error.
    """
    from ..clean import clean
    from ..cluster import StoryClusterer
    from ..dedup import SourceGrouper
    from ..errors import StorylineError
    from ..ingest import iter_articles
    from ..models import CleanArticle, InputFailure
    from ..options import load_options

    try:
        opts = load_options(config)
    except StorylineError as exc:
        typer.echo(f"storyline: error: {exc}", err=True)
        raise typer.Exit(2) from None
    clusterer = StoryClusterer(threshold=threshold if threshold is not None else opts.cluster_threshold)
    grouper = SourceGrouper(threshold=opts.dedup_threshold)
    failures = 0
    ids: list[tuple[str, str]] = []
    batch: list[CleanArticle] = []

    def flush() -> None:
        groups = grouper.add(batch)
        clusterer.add(batch)
        ids.extend((a.article.id, g) for a, g in zip(batch, groups, strict=True))
        batch.clear()

    for item in iter_articles(paths, opts):
        if isinstance(item, InputFailure):
            failures += 1
            typer.echo(f"storyline: {item}", err=True)
            continue
        batch.append(clean(item, opts))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    # stories are final only once every article is in: a late article can merge or split them
    rows = [(a, f"s{s + 1}", g) for (a, g), s in zip(ids, clusterer.labels(), strict=True)]
    if fmt is ClusterFormat.tsv:
        sys.stdout.write("".join(f"{a}\t{s}\t{g}\n" for a, s, g in rows))
    else:
        stories: dict[str, list[str]] = {}
        for a, s, _ in rows:
            stories.setdefault(s, []).append(a)
        data = {"articles": [{"id": a, "story": s, "source_group": g} for a, s, g in rows],
                "stories": [{"id": s, "article_ids": ids} for s, ids in stories.items()]}
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
    if failures:
        typer.echo(f"storyline: {failures} input(s) could not be read", err=True)
        raise typer.Exit(1)
