"""storyline as a service: a persistent store, the HTTP API and the web UI.

Needs the ``service`` extra (``pip install 'storyline[service]'``); importing a
submodule without it raises :class:`MissingExtraError` with the install command.
"""

from __future__ import annotations

from ..errors import StorylineError

__all__ = ["MissingExtraError", "require_extra"]

EXTRA_HINT = "pip install 'storyline[service]'"


class MissingExtraError(StorylineError):
    """A package of the ``service`` extra is not installed."""


def require_extra() -> None:
    """Raise MissingExtraError naming the first missing package of the ``service`` extra."""
    import importlib.util

    for module, package in (("sqlalchemy", "sqlalchemy"), ("alembic", "alembic"), ("fastapi", "fastapi"),
                            ("uvicorn", "uvicorn"), ("jinja2", "jinja2"), ("platformdirs", "platformdirs")):
        if importlib.util.find_spec(module) is None:
            raise MissingExtraError(f"the storyline service needs {package!r}, which is not installed; "
                                    f"install the service extra: {EXTRA_HINT}")
