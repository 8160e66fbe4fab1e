"""Exit statuses and the one boundary where a bug becomes a message: shared by every command.

    0  all inputs read and analysed
    1  some inputs could not be read (the report covers the rest)
    2  a usage or configuration error
    3  an internal error: a bug; the message asks for a report and names a log file

``run_cli`` runs a Typer app under this contract; ``exit_for_failures`` ends a batch run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer

from .errors import describe, one_line
from .models import InputFailure
from .version import __version__

__all__ = ["EXIT_INPUTS_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "MAX_LINE", "crash_log_path",
           "exit_for_failures", "report_internal", "run_cli", "say"]


def say(message: str) -> None:
    """One line on stderr, never wrapped or styled, never longer than ``MAX_LINE``."""
    typer.echo(one_line(f"storyline: {message}", MAX_LINE), err=True)


#: The longest line storyline writes to stderr.
MAX_LINE = 300

# Exit statuses (also in the commands' help and the README).
EXIT_OK, EXIT_INPUTS_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def crash_log_path() -> Path:
    """Where internal errors are logged: ``$XDG_STATE_HOME/storyline/`` (``~/.local/state``), else the temp dir."""
    base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "storyline"
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        base = Path(tempfile.gettempdir())
    return base / f"storyline-error-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


def report_internal(lines: list[str]) -> Path | None:
    """Write what went wrong to a new log file; its path, or None when nothing could be written."""
    path = crash_log_path()
    try:
        path.write_text(f"storyline {__version__}, python {sys.version.split()[0]}\n"
                        f"command: {' '.join(sys.argv)}\n\n" + "\n".join(lines) + "\n", encoding="utf-8",
                        errors="backslashreplace")
    except OSError:
        return None
    return path


def exit_for_failures(failures: list[InputFailure]) -> None:
    """The end of a batch run: say how many inputs failed and exit 1, or 3 when some hit a bug."""
    if not failures:
        return
    from .sources import summarize_failures

    internal = [f for f in failures if f.internal]
    kinds = ", ".join(f"{n} {kind}" for kind, n in summarize_failures(failures).items())
    say(f"{len(failures)} input(s) could not be read ({kinds})")
    if internal:
        log = report_internal([str(f) for f in internal])
        say(f"internal error on {len(internal)} article(s): this is a bug, please report it"
             + (f" with the log {log}" if log else ""))
        raise typer.Exit(EXIT_INTERNAL)
    raise typer.Exit(EXIT_INPUTS_FAILED)


def run_cli(command: typer.Typer) -> None:
    """Run a Typer app with storyline's exit statuses: 0 all good, 1 some inputs failed,
    2 a usage or configuration error, 3 an internal error (logged, with a request to report it)."""
    try:
        command(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except BaseException as exc:  # noqa: BLE001 - the one place a bug becomes a message and exit 3
        import traceback

        log = report_internal(traceback.format_exception(exc))
        say(f"internal error ({describe(exc)}): this is a bug, please report it"
             + (f" with the log {log}" if log else ""))
        sys.exit(EXIT_INTERNAL)
