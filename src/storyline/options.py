"""One options object for every stage, built from package defaults, a user
config file, the environment and CLI flags (in rising priority)."""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

_SECTION = "storyline"
#: Settings that take one of a few words.
_CHOICES = {"stdin_format": ("text", "jsonl"), "sort": ("conflicts", "size", "date")}


@dataclass(frozen=True, slots=True)
class Options:
    """Settings shared by all stages; see ``settings.cfg`` for what each means."""

    model: str = "auto"
    max_bytes: int = 5_000_000
    max_records: int = 100_000
    max_record_bytes: int = 100_000_000
    max_line_bytes: int = 10_000_000
    max_chars: int = 300_000
    include_text: bool = True
    workers: int = 0  # 0: automatic (see settings.cfg)
    dedup_threshold: float = 0.7
    reuse_threshold: float = 0.5
    sentence_encoder: str = ""
    cluster_threshold: float = 0.1
    quote_match: int = 80
    cue_lexicon: str = ""
    scheduler: str = ""
    fetch_timeout: float = 10.0
    fetch_retries: int = 3
    per_host_limit: int = 2
    fetch_concurrency: int = 8
    user_agent: str = ""
    stdin_format: str = "text"
    min_confidence: float = 0.5
    sort: str = "conflicts"
    fetch_deadline: float = 60.0
    allow_private_hosts: bool = False

    def with_(self, **changes: Any) -> Options:
        """Return a copy with the given fields changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


def parse_bool(raw: str) -> bool | None:
    """A yes/no setting as written in config files and the environment; None when it is neither."""
    low = raw.strip().lower()
    if low in {"1", "true", "yes", "on"}:
        return True
    if low in {"0", "false", "no", "off"}:
        return False
    return None


def _convert(name: str, raw: str, kind: type) -> Any:
    if name == "workers" and raw.strip().lower() == "auto":
        return 0
    try:
        if kind is bool:
            value = parse_bool(raw)
            if value is None:
                raise ValueError(raw)
            return value
        return kind(raw)
    except ValueError:
        raise ConfigError(f"option {name!r}: cannot read {raw!r} as {kind.__name__}") from None


def user_config_path() -> Path:
    """The user config file: STORYLINE_CONFIG, else storyline.cfg in the XDG config folder."""
    env = os.environ.get("STORYLINE_CONFIG")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "storyline" / "storyline.cfg"


def load_options(config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> Options:
    """Build Options: shipped defaults < config file < STORYLINE_* env < ``overrides``."""
    parser = configparser.ConfigParser()
    parser.read_string(resources.files("storyline").joinpath("settings.cfg").read_text("utf-8"))
    path = Path(config_file) if config_file else user_config_path()
    if config_file and not path.is_file():
        raise ConfigError(f"config file {path} does not exist")
    if path.is_file():
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
    values: dict[str, Any] = {}
    types = {f.name: type(getattr(Options(), f.name)) for f in fields(Options)}
    known = set(types)
    for key in parser[_SECTION]:
        if key not in known:
            raise ConfigError(f"unknown option {key!r}; valid options: {', '.join(sorted(known))}")
        values[key] = _convert(key, parser[_SECTION][key], types[key])
    for key, kind in types.items():
        env = os.environ.get(f"STORYLINE_{key.upper()}")
        if env is not None:
            values[key] = _convert(key, env, kind)
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - known
    if unknown:
        raise ConfigError(f"unknown option(s) {sorted(unknown)}; valid options: {', '.join(sorted(known))}")
    for key, allowed in _CHOICES.items():
        if key in values and values[key] not in allowed:
            raise ConfigError(f"option {key!r}: {values[key]!r} is not one of {', '.join(allowed)}")
    if values.get("workers", 0) < 0:
        raise ConfigError(f"option 'workers': {values['workers']!r} is not 'auto' or a number of processes")
    if not 0 <= values.get("min_confidence", 0) <= 1:
        raise ConfigError(f"option 'min_confidence': {values['min_confidence']!r} is not between 0 and 1")
    return Options(**values)
