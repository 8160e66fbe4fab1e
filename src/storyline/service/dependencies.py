"""Shared request dependencies: the store, the options and the bearer-token checks."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from ..options import Options
from .config import ServiceConfig
from .store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_config(request: Request) -> ServiceConfig:
    config: ServiceConfig = request.app.state.config
    return config


def get_options(request: Request) -> Options:
    options: Options = request.app.state.options
    return options


StoreDep = Annotated[Store, Depends(get_store)]
ConfigDep = Annotated[ServiceConfig, Depends(get_config)]
OptionsDep = Annotated[Options, Depends(get_options)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _check(request: Request, expected: str) -> None:
    given = _bearer(request)
    if given is None or not expected:
        raise HTTPException(401, "missing bearer token: send 'Authorization: Bearer <token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "bearer token not accepted", headers={"WWW-Authenticate": "Bearer"})


def require_writer(request: Request, config: ConfigDep) -> None:
    """Writes need the configured token; with no token configured, writes are refused."""
    if not config.token:
        raise HTTPException(403, "writes are disabled: no token is configured "
                                 "(set 'token' in the [service] config section or STORYLINE_TOKEN)")
    _check(request, config.token)


#: The cookie the login form sets: proof of the token for reads, not the token itself.
SESSION_COOKIE = "storyline_session"


def session_value(token: str) -> str:
    """The cookie value for a token: an HMAC of it, so the cookie grants reads but cannot be used to write."""
    return hmac.new(token.encode(), b"storyline read session", hashlib.sha256).hexdigest()


def require_reader(request: Request, config: ConfigDep) -> None:
    """Reads are open unless ``read_token_required`` is set; then the bearer token or the
    login cookie is needed (a configuration with the flag and no token does not start)."""
    if not config.read_token_required:
        return
    expected = config.token or ""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and expected and hmac.compare_digest(cookie.encode(), session_value(expected).encode()):
        return
    _check(request, expected)
