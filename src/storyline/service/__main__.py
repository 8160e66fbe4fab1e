"""``python -m storyline.service COMMAND``: the service commands without the main CLI."""

from __future__ import annotations

import typer

from .cli import register

app = typer.Typer(name="storyline-service", no_args_is_help=True, add_completion=False, rich_markup_mode=None)
register(app)

if __name__ == "__main__":
    from ..exits import run_cli

    run_cli(app)
