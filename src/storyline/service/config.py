"""Service settings: where the store lives and who may write, read from the ``[service]``
section of the storyline config file, ``STORYLINE_*`` environment variables and CLI flags
(in rising priority).

    [service]
    db = postgresql://storyline@localhost/storyline   # default: a SQLite file in the user data dir
    token = change-me            # bearer token for POST /articles; no token = writes refused
    read_token_required = false  # true: GET endpoints and pages need the token as well
    max_body_bytes = 10000000    # larger request bodies get 413
    max_batch = 200              # more articles in one POST get 413
    worker = true                # serve runs the analysis worker; false: run 'storyline worker' yourself

The read policy: reads (the story list, stories, articles, search, the pages) are open
to anyone who can reach the server unless ``read_token_required`` is true; then they
need the token too -- as a bearer header from programs, or from a browser through the
login form at ``/ui/login``, which sets a cookie. ``read_token_required`` without a
token is refused at start-up (``ServiceConfig.check``) rather than left open.
"""

from __future__ import annotations

import configparser
import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..options import parse_bool, user_config_path

_SECTION = "service"


def default_db_url() -> str:
    """A SQLite file under the user's data directory (created on first use)."""
    import platformdirs

    base = Path(platformdirs.user_data_dir("storyline", appauthor=False))
    return f"sqlite:///{base / 'storyline.db'}"


def db_url(value: str | os.PathLike[str] | None) -> str:
    """A SQLAlchemy URL from ``--db``: a URL is kept, a path becomes a SQLite URL."""
    if value is None:
        return default_db_url()
    text = str(value)
    if "://" in text:
        if text.startswith("postgres://"):
            text = "postgresql://" + text[len("postgres://"):]
        if text.startswith("postgresql://"):
            text = "postgresql+psycopg://" + text[len("postgresql://"):]
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """Settings for the store, the HTTP API and the web UI."""

    db: str | None = None
    token: str | None = None
    read_token_required: bool = False
    max_body_bytes: int = 10_000_000
    max_batch: int = 200
    worker: bool = True

    def check(self) -> ServiceConfig:
        """Refuse settings that would leave the service open against its own configuration."""
        if self.read_token_required and not self.token:
            raise ConfigError("read_token_required is true but no token is configured, so reads would be open; "
                              "set 'token' in the [service] config section or STORYLINE_TOKEN")
        return self

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the store."""
        return db_url(self.db)

    def with_(self, **changes: Any) -> ServiceConfig:
        """A copy with the given fields changed (``None`` values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_TYPES: dict[str, type] = {"db": str, "token": str, "read_token_required": bool,
                           "max_body_bytes": int, "max_batch": int, "worker": bool}


def _convert(name: str, raw: str, kind: type) -> Any:
    if kind is bool:
        flag = parse_bool(raw)
        if flag is None:
            raise ConfigError(f"service option {name!r}: cannot read {raw!r} as true/false")
        return flag
    if kind is int:
        try:
            value = int(raw)
        except ValueError:
            raise ConfigError(f"service option {name!r}: cannot read {raw!r} as a whole number") from None
        if value < 1:
            raise ConfigError(f"service option {name!r} must be at least 1, not {value}")
        return value
    return raw.strip() or None


def load_service_config(config_file: str | os.PathLike[str] | None = None, **overrides: Any) -> ServiceConfig:
    """Build the ServiceConfig: defaults < ``[service]`` in the config file < env < ``overrides``.

    Environment: ``STORYLINE_DB``, ``STORYLINE_TOKEN``, ``STORYLINE_READ_TOKEN_REQUIRED``,
    ``STORYLINE_MAX_BODY_BYTES``, ``STORYLINE_MAX_BATCH``, ``STORYLINE_WORKER``.
    """
    path = Path(config_file) if config_file else user_config_path()
    values: dict[str, Any] = {}
    if path.is_file():
        parser = configparser.ConfigParser()
        try:
            parser.read(path, encoding="utf-8")
        except configparser.Error as exc:
            raise ConfigError(f"config file {path}: {exc}") from None
        if parser.has_section(_SECTION):
            for key, raw in parser[_SECTION].items():
                if key not in _TYPES:
                    raise ConfigError(f"unknown service option {key!r} in {path}; "
                                      f"valid options: {', '.join(sorted(_TYPES))}")
                values[key] = _convert(key, raw, _TYPES[key])
    elif config_file:
        raise ConfigError(f"config file {path} does not exist")
    for key, kind in _TYPES.items():
        env = os.environ.get(f"STORYLINE_{key.upper()}")
        if env is not None:
            values[key] = _convert(key, env, kind)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ServiceConfig(**values)
